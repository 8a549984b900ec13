//! The pipeline on one struct: load → model → link → render → write, each stage timed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::link::{self, Entry, Manual, Selection};
use crate::markdown;
use crate::model::{self, Classification, ModelOptions, ReviewCycle};
use crate::render::context::RenderMemo;
use crate::render::{context, highlight, pages};
use crate::{load, output, theme};

/// A project: its root folder and its parsed book.toml.
#[derive(Debug)]
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    /// Warnings from book.toml (unknown keys).
    pub config_warnings: Vec<Diagnostic>,
    /// Kept by `serve` between rebuilds: the parsed Git log, reused while HEAD does not move.
    pub log_memo: Option<std::sync::Arc<crate::git::LogMemo>>,
    /// Kept by `serve` between rebuilds: each file's parse, reused while its text is the same.
    pub model_memo: Option<std::sync::Arc<ModelMemo>>,
    /// Kept by `serve` between rebuilds: each file's text, reused while its metadata is the same.
    pub load_memo: Option<std::sync::Arc<load::LoadMemo>>,
    /// Where the history comes from when the files are not a work tree (a tagged version
    /// exported from Git); `None`: the content folder itself, at HEAD.
    pub git_source: Option<GitSource>,
    /// The project the build cache belongs to (a tagged version shares its project's cache
    /// folder, with tables of its own).
    pub cache_root: PathBuf,
    pub cache_tag: Option<String>,
    /// `[book] logo`, checked: a regular file inside the root, no larger than [`MAX_LOGO`].
    pub logo: Option<PathBuf>,
    /// `[control] allowed-signers`, checked: a regular file inside the root.
    pub allowed_signers: Option<PathBuf>,
    /// `[standards] catalogs` and `crosswalks`, checked: regular files inside the root, each
    /// with the name findings show. Read on every build, so `serve` sees them change.
    pub catalog_files: Vec<(String, PathBuf)>,
    pub crosswalk_files: Vec<(String, PathBuf)>,
}

/// The built-in profile that includes every classification.
pub const ALL_PROFILE: &str = "all";

/// The largest logo accepted, in bytes.
pub const MAX_LOGO: u64 = 2 * 1024 * 1024;

/// The folders and files book.toml names (`content-dir`, `theme`, `logo`) must lie inside the
/// project root, resolved through the file system: nothing outside the root is ever read into
/// the output. Returns the logo's path and the findings, at book.toml's lines.
fn check_paths(
    root: &Path,
    config: &Config,
    file: &str,
    text: &str,
) -> Result<(Option<PathBuf>, Vec<Diagnostic>)> {
    let real_root = crate::fs::canonicalize(root)?;
    let mut errors = Vec::new();
    let mut error = |key: &str, message: String, help: &str| {
        errors.push(
            Diagnostic::error("AIMS-E051", message)
                .at(file, text, config::span_of(text, key))
                .help(help.to_string()),
        );
    };
    let content = root.join(&config.build.content_dir);
    if std::fs::symlink_metadata(&content).is_ok()
        && !matches!(crate::fs::contained(&real_root, &content), Ok(Some(_)))
    {
        error(
            "build.content-dir",
            format!(
                "`content-dir` {} leads outside the project root",
                config.build.content_dir.display()
            ),
            "name a folder inside the project (the folder holding book.toml)",
        );
    }
    let theme = &config.build.theme;
    if theme.is_empty() || crate::fs::unsafe_name(theme).is_some() || theme.contains('/') {
        error(
            "build.theme",
            format!("`theme` must be the name of a folder in themes/, not `{theme}`"),
            "write the folder's name only, e.g. theme = \"corporate\" for themes/corporate/",
        );
    } else {
        let dir = root.join("themes").join(theme);
        if std::fs::symlink_metadata(&dir).is_ok()
            && !matches!(crate::fs::contained(&real_root, &dir), Ok(Some(_)))
        {
            error(
                "build.theme",
                format!("theme `{theme}` leads outside the project root"),
                "keep the theme's files inside the project, in themes/<name>/",
            );
        }
    }
    let mut logo = None;
    if let Some(l) = &config.book.logo {
        let path = root.join(l);
        let help = "name an image file inside the project, e.g. logo = \"assets/logo.svg\"";
        match crate::fs::contained(&real_root, &path) {
            Err(e) => error(
                "book.logo",
                format!("cannot read the logo `{l}`: {e}"),
                help,
            ),
            Ok(None) => error(
                "book.logo",
                format!("the logo `{l}` lies outside the project root"),
                help,
            ),
            Ok(Some(real)) => match std::fs::metadata(&real) {
                Ok(m) if !m.is_file() => error(
                    "book.logo",
                    format!("the logo `{l}` is not a regular file"),
                    help,
                ),
                Ok(m) if m.len() > MAX_LOGO => error(
                    "book.logo",
                    format!(
                        "the logo `{l}` is {} bytes, larger than the {MAX_LOGO}-byte limit",
                        m.len()
                    ),
                    help,
                ),
                Ok(_) => logo = Some(real),
                Err(e) => error(
                    "book.logo",
                    format!("cannot read the logo `{l}`: {e}"),
                    help,
                ),
            },
        }
    }
    Ok((logo, errors))
}

/// `[control] allowed-signers` must name a regular file inside the project root (it decides
/// whose SSH signatures Git accepts).
fn check_allowed_signers(
    root: &Path,
    config: &Config,
    file: &str,
    text: &str,
    errors: &mut Vec<Diagnostic>,
) -> Result<Option<PathBuf>> {
    let Some(rel) = &config.control.allowed_signers else {
        return Ok(None);
    };
    let real_root = crate::fs::canonicalize(root)?;
    let path = root.join(rel);
    let problem = match crate::fs::contained(&real_root, &path) {
        Err(e) => format!("cannot read the allowed-signers file `{rel}`: {e}"),
        Ok(None) => format!("the allowed-signers file `{rel}` lies outside the project root"),
        Ok(Some(real)) if real.is_file() => return Ok(Some(real)),
        Ok(Some(_)) => format!("the allowed-signers file `{rel}` is not a regular file"),
    };
    errors.push(
        Diagnostic::error("AIMS-E051", problem)
            .at(file, text, config::span_of(text, "control.allowed-signers"))
            .help("name a file kept in the repository, e.g. allowed-signers = \".aims/allowed_signers\" (lines of `address key-type key`, see ssh-keygen(1) ALLOWED SIGNERS)"),
    );
    Ok(None)
}

/// `[standards] catalogs` or `crosswalks` (`key`): each a regular file inside the project root.
fn check_standard_files(
    root: &Path,
    paths: &[String],
    key: &str,
    book: (&str, &str),
    errors: &mut Vec<Diagnostic>,
) -> Result<Vec<(String, PathBuf)>> {
    let real_root = crate::fs::canonicalize(root)?;
    let mut out = Vec::new();
    for rel in paths {
        let problem = match crate::fs::contained(&real_root, &root.join(rel)) {
            Err(e) => format!("cannot read `{rel}` ({key}): {e}"),
            Ok(None) => format!("`{rel}` ({key}) lies outside the project root"),
            Ok(Some(real)) if real.is_file() => {
                out.push((rel.clone(), real));
                continue;
            }
            Ok(Some(_)) => format!("`{rel}` ({key}) is not a regular file"),
        };
        errors.push(
            Diagnostic::error("AIMS-E051", problem)
                .at(book.0, book.1, config::span_of(book.1, key))
                .help("name TOML files kept in the repository, e.g. catalogs = [\"standards/controls.toml\"]"),
        );
    }
    Ok(out)
}

/// A Git revision to read history at, and a folder inside that repository.
#[derive(Debug, Clone)]
pub struct GitSource {
    pub dir: PathBuf,
    pub rev: String,
}

impl Project {
    /// Opens the project whose book.toml is in `root`.
    pub fn open(root: &Path) -> Result<Project> {
        let path = root.join(config::FILE_NAME);
        let text = crate::fs::read_to_string(&path)?;
        let display = crate::fs::display_rel(&path, root);
        match config::parse(&display, &text) {
            Ok(loaded) => {
                let (logo, mut errors) = check_paths(root, &loaded.config, &display, &text)?;
                let allowed_signers =
                    check_allowed_signers(root, &loaded.config, &display, &text, &mut errors)?;
                let book = (display.as_str(), text.as_str());
                let std_cfg = &loaded.config.standards;
                let catalog_files = check_standard_files(
                    root,
                    &std_cfg.catalogs,
                    "standards.catalogs",
                    book,
                    &mut errors,
                )?;
                let crosswalk_files = check_standard_files(
                    root,
                    &std_cfg.crosswalks,
                    "standards.crosswalks",
                    book,
                    &mut errors,
                )?;
                if !errors.is_empty() {
                    return Err(Error::Invalid(errors));
                }
                Ok(Project {
                    root: root.to_path_buf(),
                    config: loaded.config,
                    config_warnings: loaded.warnings,
                    logo,
                    allowed_signers,
                    catalog_files,
                    crosswalk_files,
                    git_source: None,
                    log_memo: None,
                    model_memo: None,
                    load_memo: None,
                    cache_root: root.to_path_buf(),
                    cache_tag: None,
                })
            }
            Err(diags) => Err(Error::Invalid(diags)),
        }
    }

    /// What book.toml asks of approvals, with the allowed-signers file resolved.
    pub fn approval_settings(&self) -> link::approval::Settings {
        link::approval::Settings {
            evidence: self.config.control.approval_evidence,
            approvers: self.config.approvers.clone(),
            allowed_signers: self.allowed_signers.clone(),
            allowed_signers_text: self
                .allowed_signers
                .as_ref()
                .and_then(|p| std::fs::read(p).ok())
                .unwrap_or_default(),
            editorial: self.config.control.editorial_changes,
        }
    }

    /// A table of the build cache (see [`crate::cache`]).
    pub fn cache(&self, name: &str) -> crate::cache::Store {
        match &self.cache_tag {
            None => crate::cache::Store::open(&self.cache_root, &format!("{name}.bin")),
            Some(tag) => {
                let safe: String = tag
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                crate::cache::Store::open(&self.cache_root, &format!("{name}@{safe}.bin"))
            }
        }
    }

    /// Finds the root from `start` upwards (or takes `explicit`), then opens it.
    pub fn discover(explicit: Option<&Path>, start: &Path) -> Result<Project> {
        let root = match explicit {
            Some(r) => {
                if !r.join(config::FILE_NAME).is_file() {
                    return Err(Error::NoRoot(r.to_path_buf()));
                }
                r.to_path_buf()
            }
            None => config::find_root(start).ok_or_else(|| Error::NoRoot(start.to_path_buf()))?,
        };
        Project::open(&root)
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join(&self.config.build.content_dir)
    }

    pub fn output_dir(&self) -> PathBuf {
        self.root.join(&self.config.build.output_dir)
    }

    /// The classifications a profile includes: `profile`, else `[build] profile`, else every
    /// classification but `restricted`. `all` (unless book.toml defines a profile of that name)
    /// includes every classification.
    pub fn selection(
        &self,
        profile: Option<&str>,
        drafts: bool,
    ) -> Result<(Option<String>, Selection)> {
        let name = profile
            .map(str::to_string)
            .or_else(|| self.config.build.profile.clone());
        let classifications: BTreeSet<Classification> = match &name {
            // Safe by default: restricted documents only with a profile that names them.
            None => Classification::ALL
                .iter()
                .copied()
                .filter(|c| *c != Classification::Restricted)
                .collect(),
            Some(n) => match self.config.profiles.get(n) {
                Some(p) => p.classifications.iter().copied().collect(),
                None if n == ALL_PROFILE => Classification::ALL.iter().copied().collect(),
                None => {
                    let known: Vec<&str> =
                        self.config.profiles.keys().map(String::as_str).collect();
                    return Err(Error::Usage(format!(
                        "unknown profile `{n}`; book.toml defines: {} (and `{ALL_PROFILE}` includes every classification)",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    )));
                }
            },
        };
        Ok((
            name,
            Selection {
                classifications,
                drafts,
            },
        ))
    }

    /// The model's settings, with the organisation's catalogs read and checked (after the
    /// enabled built-in ones), and its crosswalks; findings about those files go to `diags`.
    fn model_options(
        &self,
        diags: &mut Vec<Diagnostic>,
    ) -> (ModelOptions, Vec<crate::catalog::Crosswalk>) {
        let mut opts = self.builtin_options();
        let read = |rel: &str, path: &Path, diags: &mut Vec<Diagnostic>| {
            let bytes = crate::fs::read_capped(path, crate::catalog::user::MAX_FILE);
            match bytes.map(String::from_utf8) {
                Ok(Ok(text)) => Some(text),
                Ok(Err(_)) => {
                    diags.push(
                        Diagnostic::error("AIMS-E068", "the file is not UTF-8 text").in_file(rel),
                    );
                    None
                }
                Err(e) => {
                    diags.push(Diagnostic::error("AIMS-E068", e.to_string()).in_file(rel));
                    None
                }
            }
        };
        for (rel, path) in &self.catalog_files {
            let Some(text) = read(rel, path, diags) else {
                continue;
            };
            match crate::catalog::user::intern(rel, &text) {
                Ok(c) if opts.standards.iter().any(|o| o.key == c.key) => diags.push(
                    Diagnostic::error(
                        "AIMS-E068",
                        format!("a second catalog with key `{}`", c.key),
                    )
                    .in_file(rel)
                    .help("give each catalog file a key of its own"),
                ),
                Ok(c) => opts.standards.push(c),
                Err(found) => diags.extend(found),
            }
        }
        let mut crosswalks = Vec::new();
        for (rel, path) in &self.crosswalk_files {
            let Some(text) = read(rel, path, diags) else {
                continue;
            };
            match crate::catalog::user::parse_crosswalk(rel, &text, &opts.standards) {
                Ok(c) => crosswalks.push(c),
                Err(found) => diags.extend(found),
            }
        }
        (opts, crosswalks)
    }

    fn builtin_options(&self) -> ModelOptions {
        ModelOptions {
            default_classification: self.config.build.default_classification,
            default_review_cycle: self
                .config
                .aims
                .default_review_cycle
                .as_deref()
                .and_then(ReviewCycle::parse),
            standards: self
                .config
                .standards
                .enabled()
                .into_iter()
                .filter_map(crate::catalog::builtin)
                .collect(),
            fields: self.config.fields.clone(),
        }
    }
}

/// How long each stage took.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    pub fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.0.push((stage, start.elapsed()));
        out
    }
}

/// The checked manual and every finding about it.
pub struct Analysis {
    pub manual: Manual,
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Timings,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// One file after the model stage: a document (or none, when its required fields are missing),
/// or the content path and salvaged id of a file whose front-matter could not be read.
type Parsed = std::result::Result<Option<Entry>, (String, Option<String>)>;

/// One file's parse: its document and body scan, or the id salvaged from a file whose
/// front-matter could not be read; and the findings.
#[derive(Clone)]
struct FileParse {
    doc: Option<(model::Document, markdown::Scan)>,
    salvaged: Option<String>,
    diagnostics: Vec<Diagnostic>,
}

fn parse_file(src: &load::SourceFile, opts: &model::ModelOptions) -> FileParse {
    let (doc, diagnostics) = model::parse_document(src, opts);
    match doc {
        None => FileParse {
            doc: None,
            salvaged: salvage_id(&src.text[src.split.yaml.clone()]),
            diagnostics,
        },
        Some(doc) => {
            let body = &src.text[src.split.body.clone()];
            let scan = markdown::scan(body, src.split.body.start, &src.rel);
            let mut diagnostics = diagnostics;
            if !scan.lints.is_empty() {
                let locator = crate::diagnostic::Locator::new(&src.display, &src.text);
                diagnostics.extend(scan.lints.iter().map(|l| dialect_warning(&locator, l)));
            }
            FileParse {
                doc: Some((doc, scan)),
                salvaged: None,
                diagnostics,
            }
        }
    }
}

/// The warning for Markdown of another dialect that will not render as written.
fn dialect_warning(locator: &crate::diagnostic::Locator, lint: &markdown::Lint) -> Diagnostic {
    use markdown::LintKind as K;
    let (code, message, help) = match lint.kind {
        K::GridTable => (
            "AIMS-W054",
            "a grid table (`+---+` lines) shows as lines of text",
            "write it as a pipe table (`| a | b |` rows under a `|---|---|` line); `aims-site import --write` converts simple grid tables",
        ),
        K::Latex => (
            "AIMS-W055",
            "a LaTeX command is printed as written",
            "remove it: page breaks come from the print stylesheet; `aims-site import --write` drops \\pagebreak and \\newpage",
        ),
        K::Placeholder => (
            "AIMS-W056",
            "a template placeholder is printed as written",
            "replace it with the text it stood for (a field of another tool's templates is not filled in here)",
        ),
        K::IndentedList => (
            "AIMS-W057",
            "this list item is indented so far that it shows as a code block",
            "indent a nested item by the width of its parent's marker (2 to 4 spaces), not 4 or more beyond it",
        ),
        K::HtmlComment => (
            "AIMS-W058",
            "an HTML comment hides its text from every reader of the site",
            "delete the comment, or make its text visible (a note for writers belongs in the commit message or an issue)",
        ),
    };
    Diagnostic::warning(code, message)
        .with_location(locator.locate(lint.span.clone()))
        .help(help)
}

/// Each file's parse from the last build, by content path, with the key of the text and
/// settings it was parsed from: `serve` parses again only the files that changed. Entries of
/// files no longer read are dropped at each build.
#[derive(Default)]
pub struct ModelMemo {
    current: std::sync::Mutex<HashMap<String, Remembered>>,
    next: std::sync::Mutex<HashMap<String, Remembered>>,
}

/// A file's parse with what it was made from: the model's settings (as a key), the file's name
/// as shown and its text. Compared as they are: cheaper than hashing every text on each save.
#[derive(Clone)]
struct Remembered {
    opts: crate::cache::Key,
    display: String,
    text: String,
    parse: FileParse,
}

impl std::fmt::Debug for ModelMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ModelMemo")
    }
}

impl ModelMemo {
    /// The parse of `src` when the last build made it from the same text and settings: taken
    /// out of the memo (it goes back with [`ModelMemo::keep`]), so nothing is copied but the
    /// parse handed to the build.
    fn take(&self, src: &load::SourceFile, opts: &crate::cache::Key) -> Option<Remembered> {
        let mut current = self.current.lock().ok()?;
        let same = current
            .get(&src.rel)
            .is_some_and(|r| &r.opts == opts && r.display == src.display && r.text == src.text);
        if same { current.remove(&src.rel) } else { None }
    }

    fn keep(&self, rel: &str, remembered: Remembered) {
        if let Ok(mut next) = self.next.lock() {
            next.insert(rel.to_string(), remembered);
        }
    }

    fn commit(&self) {
        if let (Ok(mut current), Ok(mut next)) = (self.current.lock(), self.next.lock()) {
            *current = std::mem::take(&mut *next);
        }
    }
}

/// Load, model and link: everything up to rendering, every finding collected. Reviews are
/// measured on `today` ([`today`] when `None`).
/// The model stage: each file parsed (or its parse remembered by `serve`), side by side.
fn parse_files(
    project: &Project,
    files: Vec<load::SourceFile>,
    opts: &ModelOptions,
) -> Vec<(Parsed, Vec<Diagnostic>)> {
    let memo = project.model_memo.as_deref();
    let opts_key = memo.map(|_| crate::cache::key(&[format!("{opts:?}").as_bytes()]));
    let parsed = files
        .into_par_iter()
        .map(|src| {
            let parse = match (memo, opts_key) {
                (Some(m), Some(k)) => {
                    let remembered = m.take(&src, &k).unwrap_or_else(|| Remembered {
                        opts: k,
                        display: src.display.clone(),
                        text: src.text.clone(),
                        parse: parse_file(&src, opts),
                    });
                    let parse = remembered.parse.clone();
                    m.keep(&src.rel, remembered);
                    parse
                }
                _ => parse_file(&src, opts),
            };
            let FileParse {
                doc,
                salvaged,
                diagnostics,
            } = parse;
            let entry = match doc {
                None => Err((src.rel, salvaged)),
                Some((doc, scan)) => Ok(Some(Entry { src, doc, scan })),
            };
            (entry, diagnostics)
        })
        .collect();
    if let Some(m) = memo {
        m.commit();
    }
    parsed
}

/// The documents that could be read, and the paths and ids of those that could not (links to
/// them are not reported again); each file's findings into `diags`.
fn sort_parsed(
    parsed: Vec<(Parsed, Vec<Diagnostic>)>,
    diags: &mut Vec<Diagnostic>,
    content: &Path,
    root: &Path,
) -> (Vec<Entry>, link::Broken) {
    let mut entries = Vec::with_capacity(parsed.len());
    let mut broken = link::Broken::default();
    let folder = format!("{}/", crate::fs::display_rel(content, root));
    for (e, mut d) in parsed {
        match e {
            Ok(e) => entries.extend(e),
            Err((rel, id)) => {
                // This document's errors are the cause of findings about references to it.
                for x in d.iter_mut().filter(|x| x.is_error()) {
                    x.root_cause = true;
                }
                if let Some(id) = &id {
                    broken.files.insert(id.clone(), format!("{folder}{rel}"));
                }
                broken.paths.insert(rel);
                broken.ids.extend(id);
            }
        }
        diags.extend(d);
    }
    // Files that are not even split (no front-matter, not UTF-8) are broken too.
    for d in diags.iter() {
        if let Some(loc) = &d.location
            && let Some(rel) = loc.file.strip_prefix(&folder)
        {
            broken.paths.insert(rel.to_string());
        }
    }
    (entries, broken)
}

pub fn analyse(project: &Project, selection: &Selection, today: Option<Date>) -> Result<Analysis> {
    let mut timings = Timings::default();
    let mut diags = project.config_warnings.clone();
    let content = project.content_dir();
    // The history pass is a separate git process: it runs while the files are read and parsed.
    let (git_dir, git_rev) = match &project.git_source {
        Some(g) => (g.dir.clone(), g.rev.clone()),
        None => (content.clone(), "HEAD".to_string()),
    };
    let log_memo = project.log_memo.clone();
    let approval_settings = project.approval_settings();
    let details = approval_settings.details();
    let approvals = std::sync::Arc::new(project.cache("approvals"));
    let known = approvals.clone();
    // The approved documents, once parsed: only their old versions are read ahead.
    let (approved_tx, approved_rx) = std::sync::mpsc::channel::<Vec<String>>();
    let git_thread = std::thread::spawn(move || {
        let started = Instant::now();
        let read = crate::git::read(
            &git_dir,
            &git_rev,
            &|old, new| known.contains(&link::control::pair_key(old, new)),
            approved_rx,
            log_memo.as_deref(),
            details,
        );
        (read, started.elapsed())
    });
    let loaded = timings.time("load", || {
        load::load(
            &project.root,
            &content,
            project.config.build.max_file_size,
            project.load_memo.as_deref(),
        )
    })?;
    diags.extend(loaded.diagnostics);
    let (opts, crosswalks) = project.model_options(&mut diags);
    let parsed: Vec<(Parsed, Vec<Diagnostic>)> =
        timings.time("model", || parse_files(project, loaded.files, &opts));
    let approved: Vec<String> = parsed
        .iter()
        .filter_map(|(e, _)| match e {
            Ok(Some(e)) if e.doc.status == model::Status::Approved => Some(e.src.rel.clone()),
            _ => None,
        })
        .collect();
    // A closed channel (the reader finished early) is no error.
    let _ = approved_tx.send(approved);
    let (entries, broken) = sort_parsed(parsed, &mut diags, &content, &project.root);
    let assets = link::Assets {
        all: loaded.assets.iter().map(|a| a.rel.clone()).collect(),
        public_dirs: project.config.build.public_assets.clone(),
        active_allowed: project.config.build.active_assets.clone(),
    };
    let mut manual = timings.time("link", || {
        let calendar = link::facts::Calendar {
            today: self::today(today),
            warning_days: project.config.aims.review_warning_days,
        };
        let mut manual = link::link(entries, &assets, &broken, selection, calendar, &mut diags);
        link::attach_standards(&mut manual, &opts.standards, &crosswalks, &mut diags);
        manual
    });
    timings.time("systems", || {
        link::systems::attach(&mut manual, &project.config.systems, &mut diags)
    });
    // Timed as a stage: waiting for the history reader, then attaching its facts.
    let (history, history_time) = git_thread.join().unwrap_or_else(|_| {
        (
            Err(crate::git::Unavailable::NoGit(
                "the history reader failed".into(),
            )),
            Duration::ZERO,
        )
    });
    // The history reader's own time (it overlaps load and model), then the wait and the facts.
    timings.0.push(("history", history_time));
    timings.time("git", || match history {
        Ok(repo) => {
            let prefix = repo.prefix.clone();
            link::attach_history(
                &mut manual,
                repo,
                &prefix,
                &approvals,
                &approval_settings,
                &mut diags,
            );
            approvals.save();
        }
        Err(why) => diags.push(
            Diagnostic::warning("AIMS-W041", format!("revision history is unavailable: {why}"))
                .help("pages show no revision history or commit; run the build inside a Git repository with git installed"),
        ),
    });
    diags.sort_by_cached_key(Diagnostic::sort_key);
    Ok(Analysis {
        manual,
        diagnostics: diags,
        timings,
    })
}

/// The `id:` of front-matter that could not be read as a whole, for quieter follow-up findings.
fn salvage_id(yaml: &str) -> Option<String> {
    yaml.lines().find_map(|l| {
        let v = l.strip_prefix("id:")?.trim().trim_matches(['"', '\'']);
        (!v.is_empty() && crate::model::frontmatter::valid_id(v)).then(|| v.to_string())
    })
}

/// Written by `serve` beside the published versions it built: what they were built for.
const VERSIONS_KEY: &str = ".aims-versions-key";

/// Options of `aims-site build`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub dest: Option<PathBuf>,
    pub profile: Option<String>,
    pub today: Option<Date>,
    pub drafts: bool,
    /// Set when this build is of a published older version (inside the current site's
    /// `versions/`).
    pub version: Option<Version>,
    /// Every published version (tags), newest first; filled in by the current build.
    pub versions: Vec<Version>,
    /// Told what the build is doing, for a progress line on a terminal.
    pub progress: Option<fn(&str)>,
    /// Kept between builds by `serve`: unchanged document pages are reused, not re-rendered.
    pub memo: Option<std::sync::Arc<RenderMemo>>,
    /// A build for the Stage 1 pack: its extra views, and no tagged versions.
    pub pack: Option<crate::render::context::Pack>,
    /// A live preview (`serve`): pages of documents that are not public carry a banner.
    pub preview: bool,
    /// Told each document page that is rendered anew, as soon as it is (`serve` shows it before
    /// the rest of the site is done).
    pub early: Option<EarlyPages>,
    /// Documents (paths in the content folder) to render before the others: the ones just
    /// saved, in `serve`.
    pub first: Vec<String>,
    /// The process ends once this build is reported (`aims-site build`): the document model is
    /// then left to the operating system rather than freed piece by piece, which takes tens of
    /// milliseconds of the build's own time at 5,000 documents.
    pub exit_after: bool,
}

pub use crate::render::context::PageReceiver;

/// Receives document pages as they are rendered.
#[derive(Clone)]
pub struct EarlyPages(pub std::sync::Arc<PageReceiver>);

impl std::fmt::Debug for EarlyPages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EarlyPages")
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Document pages taken unchanged from the previous build (serve only).
    pub reused: usize,
    pub out_dir: PathBuf,
    pub documents: usize,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
    /// The standards enabled besides ISO/IEC 42001, built-in and the organisation's own:
    /// (key, name, whether it has a Statement of Applicability).
    pub standards: Vec<(String, String, bool)>,
}

/// Today's date for reviews: `--today`, else SOURCE_DATE_EPOCH, else the system date.
pub fn today(explicit: Option<Date>) -> Date {
    if let Some(d) = explicit {
        return d;
    }
    if let Some(ts) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
    {
        return ts.to_zoned(jiff::tz::TimeZone::UTC).date();
    }
    jiff::Zoned::now().date()
}

/// The facts about this build every page shows.
fn site_info(
    project: &Project,
    opts: &BuildOptions,
    manual: &Manual,
    profile: Option<String>,
    versions: &[Version],
) -> context::SiteInfo {
    let cfg = &project.config;
    context::SiteInfo {
        title: cfg.book.title.clone(),
        organisation: cfg.book.organisation.clone(),
        description: cfg.book.description.clone(),
        language: cfg.book.language.clone(),
        standard: cfg.aims.standard.clone(),
        build_date: manual.facts.calendar.today.to_string(),
        commit: manual
            .repo
            .as_ref()
            .and_then(|r| r.head.as_ref())
            .map(|h| h.chars().take(12).collect()),
        tag: manual.repo.as_ref().and_then(|r| r.tags.first().cloned()),
        profile,
        drafts: opts.drafts,
        tool_version: env!("CARGO_PKG_VERSION"),
        accent_color: cfg.book.accent_color.clone(),
        logo: cfg
            .book
            .logo
            .as_ref()
            .map(|l| format!("assets/{}", logo_name(l))),
        versions: context::version_links(
            opts.version.as_ref().map(|v| v.dir.as_str()),
            &versions
                .iter()
                .map(|v| (v.label.clone(), v.dir.clone()))
                .collect::<Vec<_>>(),
        ),
        old_version: opts.version.as_ref().map(|v| v.label.clone()),
        print_notice: context::css_string(cfg.print.notice.trim()),
        ack_url: cfg.book.ack_url.clone(),
        edit_url_template: cfg.book.edit_url_template.clone(),
        standards: crate::render::standards::nav(manual),
        fields: cfg
            .fields
            .iter()
            .map(|(name, spec)| context::FieldInfo {
                name: name.clone(),
                label: spec.label.clone().unwrap_or_else(|| name.clone()),
            })
            .collect(),
        nav: context::nav(manual),
        clause_nav: context::clause_nav(),
    }
}

/// The files every site carries besides its pages: the theme's assets, the highlighting
/// stylesheet and the organisation's logo.
fn static_files(project: &Project, theme: &theme::Theme) -> Result<Vec<(String, Vec<u8>)>> {
    let cfg = &project.config;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, bytes) in &theme.assets {
        files.push((format!("assets/{name}"), bytes.clone()));
    }
    files.push((
        "assets/highlight.css".into(),
        highlight::stylesheet().into_bytes(),
    ));
    if let (Some(logo), Some(path)) = (&cfg.book.logo, &project.logo) {
        files.push((
            format!("assets/{}", logo_name(logo)),
            crate::fs::read_capped(path, MAX_LOGO)?,
        ));
    }
    Ok(files)
}

/// The output folder, resolved (the one path that is checked and written, see
/// `output::resolve`) and checked: never the project's own folders.
fn output_dir(project: &Project, opts: &BuildOptions) -> Result<PathBuf> {
    let out_dir = output::resolve(&match &opts.dest {
        Some(d) => d.clone(),
        None => project.output_dir(),
    })?;
    let content = project.content_dir();
    let templates = project.root.join("templates");
    let themes = project.root.join("themes");
    output::check_target(&project.root, &[&content, &templates, &themes], &out_dir)?;
    Ok(out_dir)
}

/// Builds the site into its output folder.
pub fn build(project: &Project, opts: &BuildOptions) -> Result<BuildReport> {
    let out_dir = output_dir(project, opts)?;
    let content = project.content_dir();

    let (profile, selection) = project.selection(opts.profile.as_deref(), opts.drafts)?;
    let say = |what: &str| {
        if let Some(p) = opts.progress {
            p(what);
        }
    };
    if let Some(memo) = &opts.memo {
        // What an earlier, failed attempt rendered is not to be trusted.
        memo.discard();
    }
    say("reading and checking documents");
    let analysis = analyse(project, &selection, opts.today)?;
    if analysis.has_errors() {
        return Err(Error::Invalid(analysis.diagnostics));
    }
    let Analysis {
        manual,
        diagnostics,
        mut timings,
    } = analysis;
    // Published versions: `[versions] tags` and `refs`, built from Git objects.
    let mut diagnostics = diagnostics;
    let versions: Vec<Version> = match &opts.version {
        _ if opts.pack.is_some() => Vec::new(),
        Some(_) => opts.versions.clone(),
        None => published_versions(project, &content, &mut diagnostics),
    };
    let (theme, tera) = timings.time("theme", || -> Result<(theme::Theme, tera::Tera)> {
        let theme = theme::Theme::load(&project.root, &project.config.build.theme)?;
        let tera = theme.engine().map_err(|d| Error::Invalid(vec![d]))?;
        Ok((theme, tera))
    })?;

    // `serve` builds the published versions once: they come from fixed commits, so later
    // rebuilds keep their folder while this key (versions, selection, date) is unchanged.
    let versions_key = (opts.memo.is_some() && opts.version.is_none() && !versions.is_empty())
        .then(|| {
            let list: Vec<String> = versions
                .iter()
                .map(|v| format!("{}\t{}\t{}", v.label, v.rev, v.dir))
                .collect();
            format!(
                "{}\n{:?} {:?} {}\n{}\n",
                env!("CARGO_PKG_VERSION"),
                opts.profile,
                today(opts.today),
                opts.drafts,
                list.join("\n")
            )
        });
    let reuse_versions = versions_key.as_ref().is_some_and(|k| {
        std::fs::read_to_string(out_dir.join("versions").join(VERSIONS_KEY))
            .ok()
            .as_deref()
            == Some(k.as_str())
    });
    let cfg = &project.config;
    let site = site_info(project, opts, &manual, profile, &versions);
    let highlights = project.cache("highlight");
    let previous = opts
        .memo
        .is_some()
        .then(|| output::PreviousOutput::at(&out_dir))
        .flatten();
    let part_size = print_part_size(&theme, cfg);
    let input = context::Input {
        manual: &manual,
        site,
        raw_html: cfg.build.raw_html,
        scope_document: cfg.aims.scope_document.clone(),
        highlights: &highlights,
        memo: opts.memo.as_deref(),
        previous: previous.as_ref().map(|p| p as &dyn context::PreviousPages),
        theme_key: {
            let mut parts: Vec<&[u8]> = Vec::new();
            for (name, (_, text)) in &theme.templates {
                parts.push(name.as_bytes());
                parts.push(text.as_bytes());
            }
            crate::cache::key(&parts)
        },
        pack: opts.pack.as_ref(),
        preview: opts.preview,
        early: opts.early.as_ref().map(|e| &*e.0),
        first: &opts.first,
        print_part_size: part_size,
        rows_per_page: cfg.build.rows_per_page,
        unpaged: unpaged(&theme),
        builtin: theme
            .templates
            .keys()
            .filter(|t| theme.is_builtin(t))
            .cloned()
            .collect(),
    };
    // Pages are written into the staging folder as they are rendered; it replaces the output
    // folder only once everything succeeded (and disappears on any error).
    let staging = output::Staging::new(&out_dir)?;
    let sink = |rel: &str, bytes: &[u8]| staging.write(rel, bytes);
    let keep = |rel: &str| staging.keep(rel);
    say(&format!(
        "rendering {} documents",
        manual.included().count()
    ));
    let print = crate::print::PrintWriter::new(&staging, part_size);
    let outcome = timings.time("render", || {
        pages::render_all(&input, &tera, &sink, &keep, &print)
    })?;
    let rendered = outcome.pages;
    let files = static_files(project, &theme)?;
    let copies: Vec<(PathBuf, String)> = manual
        .assets
        .iter()
        .map(|rel| (content.join(rel), format!("files/{rel}")))
        .collect();
    let pages_written = rendered + files.len() + copies.len();
    say("writing the site");
    // The build cache is saved while the site is written: it only holds results that are right
    // whatever becomes of the output.
    let (written, ()) = rayon::join(
        || {
            timings.time("write", || -> Result<()> {
                print.finish(outcome.print_sections)?;
                staging.write_all(&files)?;
                staging.copy_all(&copies)?;
                if reuse_versions {
                    staging.adopt_dir("versions")?;
                }
                Ok(())
            })
        },
        || highlights.save(),
    );
    written?;
    // The print writer borrowed the staging folder until it finished: the swap comes after.
    timings.time("swap", || staging.commit())?;
    let reused = opts.memo.as_ref().map_or(0, |m| m.commit());
    if opts.version.is_none() && !versions.is_empty() && !reuse_versions {
        say(&format!("building {} published version(s)", versions.len()));
        let before = diagnostics.len();
        timings.time("versions", || {
            build_versions(project, opts, &versions, &out_dir, &mut diagnostics)
        });
        // A version that failed is tried again (and reported again) on the next rebuild.
        if let Some(key) = versions_key
            .as_ref()
            .filter(|_| diagnostics.len() == before)
        {
            // Without the key, the next rebuild builds them again: nothing worse.
            let _ = crate::fs::write(&out_dir.join("versions").join(VERSIONS_KEY), key);
        }
    }
    let report = BuildReport {
        reused,
        out_dir,
        documents: manual.included().count(),
        pages: pages_written,
        warnings: diagnostics,
        timings,
        standards: manual
            .facts
            .standards
            .iter()
            .map(|s| {
                (
                    s.catalog.key.clone(),
                    s.catalog.standard.clone(),
                    s.soa.is_some(),
                )
            })
            .collect(),
    };
    if opts.exit_after {
        drop(input);
        std::mem::forget(manual);
    }
    Ok(report)
}

/// The largest print.html written as one page: `[print] part-size`, unless a print.html of the
/// user's own knows nothing of parts (it predates them): then the manual stays on one page.
fn print_part_size(theme: &theme::Theme, cfg: &crate::config::Config) -> usize {
    match theme.templates.get("print.html") {
        Some((_, text)) if !text.contains("parts") => usize::MAX,
        _ => cfg.print.part_size,
    }
}

/// The list templates of the theme that show no pager (a site's own copy that predates pages):
/// their lists are rendered whole, on one page, as before.
fn unpaged(theme: &theme::Theme) -> Vec<String> {
    crate::render::paging::PAGED_TEMPLATES
        .iter()
        .filter(|name| {
            theme
                .templates
                .get(**name)
                .is_some_and(|(_, text)| !text.contains("pager"))
        })
        .map(|name| (*name).to_string())
        .collect()
}

/// A published older version of the manual.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// As shown in the switcher: the tag, or the name given in `[versions] refs`.
    pub label: String,
    /// What it is built from: the tag, or the full commit id.
    pub rev: String,
    /// Its folder under `versions/`: the label made safe for a path, unique.
    pub dir: String,
}

/// The versions `[versions]` publishes, newest first: the tags matching `tags`, and the commits
/// named in `refs` that are in the history of HEAD (one that is not is reported, not built).
fn published_versions(
    project: &Project,
    content: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Version> {
    let cfg = &project.config.versions;
    let mut found: Vec<(i64, String, String)> = Vec::new();
    if let Some(glob) = &cfg.tags {
        for tag in crate::git::tags(content, glob) {
            found.push((crate::git::commit_time(content, &tag), tag.clone(), tag));
        }
    }
    for (label, rev) in &cfg.refs {
        let why = match crate::git::resolve_commit(content, rev) {
            None => format!("`{rev}` is not a commit of this repository"),
            Some(commit) if !crate::git::is_ancestor(content, &commit, "HEAD") => {
                format!("commit `{rev}` is not in the history of HEAD")
            }
            Some(commit) => {
                found.push((
                    crate::git::commit_time(content, &commit),
                    label.clone(),
                    commit,
                ));
                continue;
            }
        };
        diags.push(
            Diagnostic::warning("AIMS-W042", format!("version {label} was not published: {why}"))
                .help("name a commit of the branch in `[versions] refs` (a shallow clone may lack it: fetch the whole history)"),
        );
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut taken = HashSet::new();
    found
        .into_iter()
        .map(|(_, label, rev)| {
            let base = version_dir(&label);
            let mut dir = base.clone();
            let mut n = 2;
            while !taken.insert(dir.clone()) {
                dir = format!("{base}-{n}");
                n += 1;
            }
            Version { label, rev, dir }
        })
        .collect()
}

/// A version's label as one safe path segment: letters, digits, `.`, `-` and `_`; anything
/// else becomes `-`.
fn version_dir(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches(['-', '.']).to_string();
    if out.is_empty() {
        "version".into()
    } else {
        out
    }
}

/// The working folders of tagged versions, beside the output folder.
const VERSION_PREFIX: &str = ".aims-site-version-";

/// Builds each published version from Git objects into `out_dir/versions/<dir>/`. A version
/// that cannot be built is reported and left out; the current site stands either way.
fn build_versions(
    project: &Project,
    opts: &BuildOptions,
    versions: &[Version],
    out_dir: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    let parent = out_dir
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    for version in versions {
        let tag = &version.label;
        let dir = match output::private_dir(&parent, VERSION_PREFIX) {
            Ok(d) => d,
            Err(e) => {
                diags.push(Diagnostic::warning(
                    "AIMS-W042",
                    format!("version {tag} was not published: {e}"),
                ));
                continue;
            }
        };
        let work = dir.path();
        let result = (|| -> std::result::Result<(), String> {
            let vp =
                project_at(project, &version.rev, &work.join("src")).map_err(|e| e.to_string())?;
            let vopts = BuildOptions {
                dest: Some(work.join("out")),
                profile: opts.profile.clone(),
                today: opts.today,
                drafts: opts.drafts,
                version: Some(version.clone()),
                versions: versions.to_vec(),
                progress: None,
                memo: None,
                pack: None,
                preview: false,
                early: None,
                first: Vec::new(),
                exit_after: false,
            };
            match build(&vp, &vopts) {
                Ok(_) => {}
                Err(Error::Invalid(d)) => {
                    return Err(format!(
                        "{} error(s) in its documents",
                        d.iter().filter(|x| x.is_error()).count()
                    ));
                }
                Err(e) => return Err(e.to_string()),
            }
            let dest = out_dir.join("versions").join(&version.dir);
            crate::fs::create_dir_all(&out_dir.join("versions")).map_err(|e| e.to_string())?;
            let _ = std::fs::remove_file(work.join("out").join(output::MARKER));
            crate::fs::rename(&work.join("out"), &dest).map_err(|e| e.to_string())
        })();
        if let Err(why) = result {
            diags.push(
                Diagnostic::warning(
                    "AIMS-W042",
                    format!("version {tag} was not published: {why}"),
                )
                .help("fix the version (or narrow `[versions] tags` and `refs`); the current site is unaffected"),
            );
        }
    }
}

/// The project as it is at `rev`: book.toml, the content folder, templates/ and themes/ written
/// from Git objects into `work` (the work tree is not touched), opened with its history read at
/// `rev` and sharing the project's build cache.
pub fn project_at(project: &Project, rev: &str, work: &Path) -> Result<Project> {
    let content = project.content_dir();
    let fail = |why: String| Error::Usage(format!("cannot read {rev} from Git: {why}"));
    let top = crate::git::toplevel(&content)
        .ok_or_else(|| fail("the project is not in a Git repository".into()))?;
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    let root = std::fs::canonicalize(&project.root).unwrap_or_else(|_| project.root.clone());
    let root_rel = crate::fs::display_rel(&root, &top);
    let join = |p: &str| {
        if root_rel.is_empty() {
            p.to_string()
        } else {
            format!("{root_rel}/{p}")
        }
    };
    let content_rel = crate::fs::display_rel(&project.config.build.content_dir, Path::new(""));
    // The allowed-signers file too, where the version keeps it where the project does now.
    let candidates: Vec<String> = [
        config::FILE_NAME,
        content_rel.as_str(),
        "templates",
        "themes",
    ]
    .into_iter()
    .chain(project.config.control.allowed_signers.as_deref())
    .map(join)
    .collect();
    let paths = crate::git::existing_paths(&content, rev, &candidates);
    if !paths.iter().any(|p| p.ends_with(config::FILE_NAME)) {
        return Err(fail("it has no book.toml".into()));
    }
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    crate::git::export_tree(&content, rev, &refs, work).map_err(fail)?;
    let vroot = if root_rel.is_empty() {
        work.to_path_buf()
    } else {
        work.join(&root_rel)
    };
    let mut vp = Project::open(&vroot)?;
    vp.cache_root = project.cache_root.clone();
    vp.cache_tag = Some(rev.to_string());
    vp.git_source = Some(GitSource {
        dir: content,
        rev: rev.to_string(),
    });
    Ok(vp)
}

fn logo_name(path: &str) -> String {
    let name = Path::new(path)
        .file_name()
        .map_or_else(|| "logo".into(), |n| n.to_string_lossy().into_owned());
    format!("logo-{name}")
}
