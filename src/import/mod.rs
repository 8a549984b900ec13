//! `aims-site import`: brings an existing manual in. Works out each Markdown file's metadata from
//! front-matter under other names, a document-control block in the body, the first heading, the
//! file and folder names and (when asked) Git; reports every decision with its source; writes our
//! front-matter only with `--write`. Nothing is guessed as approved: a document with open
//! questions is imported as a draft. Depends on load, model, catalog, config, fs and git only.

pub mod block;
pub mod dialect;
pub mod emit;
pub mod git;
pub mod infer;
pub mod metadata;
pub mod word;

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{DocType, Status};

/// Where one decision came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A front-matter field, under the name it was written with, at this file line.
    FrontMatter { key: String, line: usize },
    /// The document-control block in the body, under this label, at this file line.
    Block { label: String, line: usize },
    /// The first `# heading`, at this file line.
    Heading { line: usize },
    /// Worked out from words or numbers: the title, the file name, a folder, a heading.
    Inferred(String),
    /// Read from Git history (`--from-git`).
    Git(String),
    /// A new id: the next free number of the manual's scheme.
    Generated,
    /// A placeholder that a person has to replace (see the questions).
    Placeholder,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::FrontMatter { key, line } => write!(f, "front-matter `{key}` (line {line})"),
            Source::Block { label, line } => write!(f, "body block `{label}` (line {line})"),
            Source::Heading { line } => write!(f, "heading (line {line})"),
            Source::Inferred(why) => write!(f, "inferred from {why}"),
            Source::Git(what) => write!(f, "git: {what}"),
            Source::Generated => f.write_str("generated: next free number"),
            Source::Placeholder => f.write_str("placeholder"),
        }
    }
}

/// One value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub value: String,
    pub source: Source,
}

/// Everything worked out about one document.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub id: Option<Decided>,
    pub title: Option<Decided>,
    pub doc_type: Option<Decided>,
    pub owner: Option<Decided>,
    pub version: Option<Decided>,
    pub status: Option<Decided>,
    pub approval_by: Option<Decided>,
    pub approval_date: Option<Decided>,
    pub review_date: Option<Decided>,
    pub classification: Option<Decided>,
    pub clauses: Vec<Decided>,
    pub controls: Vec<Decided>,
    /// Our own fields that import does not interpret (`related`, `retention`…), as written:
    /// (name, the YAML lines of the field).
    pub kept: Vec<(String, String)>,
    /// The fields for `extra:`: (name, YAML lines `name: value`, not yet indented).
    pub extra: Vec<(String, String)>,
}

/// Something a person has to decide; any open question makes the document a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The file line it concerns, when there is one.
    pub line: Option<usize>,
    pub text: String,
}

/// What happens to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Gets this new text.
    Write(String),
    /// Already carries our front-matter: left byte for byte as it is.
    Unchanged,
    /// Already carries our front-matter, which is kept; its body gets this text with another
    /// dialect's Markdown converted (see [`dialect`]).
    Converted(String),
    /// Cannot be imported as it is (the reason names the line).
    Skipped(String),
}

/// One file's report.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: PathBuf,
    /// Relative to the project root, `/`-separated.
    pub display: String,
    pub meta: Meta,
    /// The status that will be written (draft when questions are open).
    pub final_status: Option<Status>,
    /// File lines of the document-control block lifted from the body, when one was found.
    pub block_lines: Option<(usize, usize)>,
    pub questions: Vec<Question>,
    pub notes: Vec<String>,
    pub outcome: Outcome,
}

/// What happens to book.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookToml {
    Exists,
    /// Missing: created (with `--write`) with this content folder.
    Create {
        content_dir: String,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Files and folders to import (default: the content folder).
    pub paths: Vec<PathBuf>,
    pub write: bool,
    pub force: bool,
    pub from_git: bool,
    pub keep_block: bool,
    /// pandoc for Word files (default: the first on PATH).
    pub pandoc: Option<PathBuf>,
}

/// The whole run.
#[derive(Debug, Clone)]
pub struct Report {
    pub root: PathBuf,
    pub files: Vec<FileReport>,
    pub book_toml: BookToml,
    /// Whether anything was written (`--write`).
    pub written: bool,
    pub notes: Vec<String>,
}

impl Report {
    pub fn skipped(&self) -> usize {
        self.files
            .iter()
            .filter(|f| matches!(f.outcome, Outcome::Skipped(_)))
            .count()
    }

    fn count(&self, pred: impl Fn(&Outcome) -> bool) -> usize {
        self.files.iter().filter(|f| pred(&f.outcome)).count()
    }

    /// The report for people: one block per file, then a summary.
    pub fn human(&self) -> String {
        let mut out = String::new();
        for f in &self.files {
            out.push_str(&f.human(self.written));
            out.push('\n');
        }
        let to_write = self.count(|o| matches!(o, Outcome::Write(_) | Outcome::Converted(_)));
        let kept = self.count(|o| matches!(o, Outcome::Unchanged));
        let questions = self
            .files
            .iter()
            .filter(|f| !f.questions.is_empty() && matches!(f.outcome, Outcome::Write(_)))
            .count();
        match &self.book_toml {
            BookToml::Exists => {}
            BookToml::Create { content_dir } => out.push_str(&format!(
                "book.toml: {} (content-dir = \"{content_dir}\")\n",
                if self.written {
                    "created"
                } else {
                    "would be created"
                }
            )),
        }
        for n in &self.notes {
            out.push_str(&format!("note: {n}\n"));
        }
        out.push_str(&format!(
            "{} document(s): {} {}, {} already in aims-site form (unchanged), {} skipped; {} imported as draft with open questions\n",
            self.files.len(),
            to_write,
            if self.written { "written" } else { "to write" },
            kept,
            self.skipped(),
            questions
        ));
        if !self.written {
            out.push_str("dry run: nothing was changed; run with --write to apply\n");
        }
        out
    }
}

impl FileReport {
    fn human(&self, written: bool) -> String {
        let mut out = String::new();
        let what = match &self.outcome {
            Outcome::Write(_) if written => "written".to_string(),
            Outcome::Write(_) => "would write".to_string(),
            Outcome::Unchanged => "unchanged: already in aims-site form".to_string(),
            Outcome::Converted(_) if written => "front-matter kept, Markdown converted".to_string(),
            Outcome::Converted(_) => "front-matter kept; would convert Markdown".to_string(),
            Outcome::Skipped(why) => format!("skipped: {why}"),
        };
        out.push_str(&format!("{}: {what}\n", self.display));
        if matches!(self.outcome, Outcome::Skipped(_)) {
            return out;
        }
        let m = &self.meta;
        let row = |out: &mut String, name: &str, d: &Option<Decided>| match d {
            Some(d) => out.push_str(&format!("  {name:<14} {:<32} {}\n", d.value, d.source)),
            None => out.push_str(&format!("  {name:<14} {:<32} not found\n", "-")),
        };
        row(&mut out, "id", &m.id);
        row(&mut out, "title", &m.title);
        row(&mut out, "type", &m.doc_type);
        row(&mut out, "owner", &m.owner);
        row(&mut out, "version", &m.version);
        let status = self.final_status.map_or("-", |s| s.as_str());
        match &m.status {
            Some(d) if d.value != status => out.push_str(&format!(
                "  {:<14} {:<32} {} says `{}`; open questions\n",
                "status", status, d.source, d.value
            )),
            Some(d) => out.push_str(&format!("  {:<14} {:<32} {}\n", "status", status, d.source)),
            None => out.push_str(&format!("  {:<14} {:<32} not found\n", "status", status)),
        }
        row(&mut out, "approval by", &m.approval_by);
        row(&mut out, "approval date", &m.approval_date);
        row(&mut out, "review date", &m.review_date);
        if m.classification.is_some() {
            row(&mut out, "classification", &m.classification);
        }
        for (name, list) in [("clauses", &m.clauses), ("controls", &m.controls)] {
            if list.is_empty() {
                out.push_str(&format!("  {name:<14} {:<32} none found\n", "-"));
            }
            for d in list {
                out.push_str(&format!("  {name:<14} {:<32} {}\n", d.value, d.source));
            }
        }
        if !m.extra.is_empty() {
            let names: Vec<&str> = m.extra.iter().map(|(k, _)| k.as_str()).collect();
            out.push_str(&format!("  {:<14} {}\n", "extra", names.join(", ")));
        }
        if let Some((a, b)) = self.block_lines {
            out.push_str(&format!("  {:<14} lines {a}-{b}\n", "body block"));
        }
        for n in &self.notes {
            out.push_str(&format!("  note: {n}\n"));
        }
        for q in &self.questions {
            match q.line {
                Some(l) => out.push_str(&format!("  ? {}:{l}: {}\n", self.display, q.text)),
                None => out.push_str(&format!("  ? {}\n", q.text)),
            }
        }
        out
    }
}

/// The project's settings that import needs.
struct Settings {
    content_dir: PathBuf,
    book_toml: BookToml,
    max_file_size: u64,
    has_default_cycle: bool,
}

fn settings(root: &Path, cwd: &Path, paths: &[PathBuf]) -> Result<Settings> {
    let path = root.join(crate::config::FILE_NAME);
    if path.is_file() {
        let text = crate::fs::read_to_string(&path)?;
        let display = crate::fs::display_rel(&path, root);
        let cfg = crate::config::parse(&display, &text)
            .map_err(Error::Invalid)?
            .config;
        return Ok(Settings {
            content_dir: root.join(&cfg.build.content_dir),
            book_toml: BookToml::Exists,
            max_file_size: cfg.build.max_file_size,
            has_default_cycle: cfg.aims.default_review_cycle.is_some(),
        });
    }
    // No book.toml: the content folder is the folder holding the given paths, else content/.
    let content_dir = match common_folder(root, cwd, paths) {
        Some(dir) => dir,
        None if root.join("content").is_dir() => root.join("content"),
        None => {
            return Err(Error::Usage(format!(
                "{} has no book.toml and no content/ folder: name the folder holding the documents (`aims-site import docs/`)",
                root.display()
            )));
        }
    };
    let rel = crate::fs::display_rel(&content_dir, root);
    if content_dir.strip_prefix(root).is_err() {
        return Err(Error::Usage(format!(
            "{} lies outside the project folder {}",
            content_dir.display(),
            root.display()
        )));
    }
    Ok(Settings {
        content_dir,
        book_toml: BookToml::Create {
            content_dir: if rel.is_empty() { ".".into() } else { rel },
        },
        max_file_size: crate::config::Config::default().build.max_file_size,
        has_default_cycle: true,
    })
}

/// The deepest folder holding every given path (a file counts as its folder).
fn common_folder(root: &Path, cwd: &Path, paths: &[PathBuf]) -> Option<PathBuf> {
    let mut common: Option<PathBuf> = None;
    for p in paths {
        let abs = absolute(root, cwd, p);
        let dir = if abs.is_dir() {
            abs
        } else {
            abs.parent()?.to_path_buf()
        };
        common = Some(match common {
            None => dir,
            Some(c) => {
                let mut shared = PathBuf::new();
                for (a, b) in c.components().zip(dir.components()) {
                    if a != b {
                        break;
                    }
                    shared.push(a);
                }
                shared
            }
        });
    }
    common
}

fn absolute(_root: &Path, cwd: &Path, p: &Path) -> PathBuf {
    let joined = cwd.join(p);
    // Lexically drop `.` components so that paths compare with the root's.
    joined
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// The Markdown files and the Word files under `paths`, each sorted, each once.
fn documents(root: &Path, cwd: &Path, paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut out = Vec::new();
    let mut word_files = Vec::new();
    for p in paths {
        let abs = absolute(root, cwd, p);
        if !abs.exists() {
            return Err(Error::io(
                "cannot import",
                abs,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
            ));
        }
        if abs.is_file() {
            if word::is_word(
                &abs.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default(),
            ) {
                word_files.push(abs);
            } else {
                out.push(abs);
            }
            continue;
        }
        let walker = walkdir::WalkDir::new(&abs)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || !crate::load::is_ignored(e.file_name().to_string_lossy().as_ref())
            });
        for entry in walker {
            let entry = entry.map_err(|e| {
                let path = e.path().map_or_else(|| abs.clone(), Path::to_path_buf);
                Error::io(
                    "cannot read",
                    path,
                    e.into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("symbolic link loop")),
                )
            })?;
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && crate::load::is_document(&name) {
                out.push(entry.into_path());
            } else if entry.file_type().is_file() && word::is_word(&name) {
                word_files.push(entry.into_path());
            }
        }
    }
    out.sort();
    out.dedup();
    word_files.sort();
    word_files.dedup();
    Ok((out, word_files))
}

/// A Word file converted by pandoc, waiting to be analysed as the Markdown file it becomes.
struct Converted {
    docx: PathBuf,
    markdown: PathBuf,
    text: String,
}

/// Converts the Word files that have no Markdown file beside them yet, in `work`; says in
/// `notes` what was converted, what was not and why.
fn convert_word(
    word_files: &[PathBuf],
    markdown: &[PathBuf],
    root: &Path,
    pandoc: Option<&Path>,
    work: &Path,
    cap: u64,
    notes: &mut Vec<String>,
) -> Vec<Converted> {
    let mut out = Vec::new();
    let todo: Vec<&PathBuf> = word_files
        .iter()
        .filter(|d| {
            let md = word::markdown_path(d);
            let done = md.exists() || markdown.contains(&md);
            if done {
                notes.push(format!(
                    "{}: already converted ({} exists)",
                    crate::fs::display_rel(d, root),
                    crate::fs::display_rel(&md, root)
                ));
            }
            !done
        })
        .collect();
    if todo.is_empty() {
        return out;
    }
    let Some(pandoc) = word::find_pandoc(pandoc) else {
        notes.push(format!(
            "{} Word file(s) not converted: pandoc was not found (install it, e.g. `apt-get install pandoc`, or give --pandoc PATH); the Markdown files are imported all the same",
            todo.len()
        ));
        return out;
    };
    for docx in todo {
        let display = crate::fs::display_rel(docx, root);
        match word::convert(&pandoc, docx, work, cap) {
            Ok(text) => out.push(Converted {
                docx: docx.clone(),
                markdown: word::markdown_path(docx),
                text,
            }),
            Err(why) => notes.push(format!("{display}: not converted: {why}")),
        }
    }
    out
}

/// Works out every file's metadata and, with `--write`, writes it.
pub fn run(root: &Path, cwd: &Path, opts: &Options) -> Result<Report> {
    let settings = settings(root, cwd, &opts.paths)?;
    let paths = if opts.paths.is_empty() {
        vec![settings.content_dir.clone()]
    } else {
        opts.paths.clone()
    };
    let (files, word_files) = documents(root, cwd, &paths)?;
    let mut reports: Vec<FileReport> = Vec::new();
    let mut notes = Vec::new();
    // book.toml is never rewritten: files outside its content folder are said to be so.
    if matches!(settings.book_toml, BookToml::Exists) {
        let outside = files
            .iter()
            .chain(&word_files)
            .filter(|f| !f.starts_with(&settings.content_dir))
            .count();
        if outside > 0 {
            let holding = common_folder(root, cwd, &paths)
                .map(|d| crate::fs::display_rel(&d, root))
                .unwrap_or_default();
            notes.push(format!(
                "{outside} file(s) lie outside the content folder {} of book.toml, so `build` will not read them: move them there, or set `[build] content-dir = \"{}\"`",
                crate::fs::display_rel(&settings.content_dir, root),
                if holding.is_empty() { "." } else { &holding }
            ));
        }
    }
    // pandoc writes the images it extracts here; they are copied next to the Markdown on write.
    let work = tempfile::Builder::new()
        .prefix("aims-site-import-")
        .tempdir()
        .map_err(|e| Error::io("cannot create directory", std::env::temp_dir(), e))?;
    let converted = convert_word(
        &word_files,
        &files,
        root,
        opts.pandoc.as_deref(),
        work.path(),
        settings.max_file_size,
        &mut notes,
    );
    let is_repo = git::is_repo(root);
    if opts.from_git && !is_repo {
        notes.push(
            "--from-git: the project is not in a Git repository; nothing read from Git".into(),
        );
    }
    for path in &files {
        let display = crate::fs::display_rel(path, root);
        let rel = crate::fs::display_rel(path, &settings.content_dir);
        let ctx = metadata::FileCtx {
            display: &display,
            rel: &rel,
            keep_block: opts.keep_block,
        };
        let mut report = match crate::fs::read_capped(path, settings.max_file_size) {
            Err(e) => skipped(path, &display, e.to_string()),
            Ok(bytes) => match crate::load::decode(&display, bytes) {
                Err(d) => skipped(path, &display, d.message),
                Ok(text) => metadata::analyse(&ctx, &text),
            },
        };
        report.path = path.clone();
        if opts.from_git && is_repo && !matches!(report.outcome, Outcome::Skipped(_)) {
            from_git(root, path, &mut report);
        }
        reports.push(report);
    }
    for c in &converted {
        let display = crate::fs::display_rel(&c.markdown, root);
        let rel = crate::fs::display_rel(&c.markdown, &settings.content_dir);
        let ctx = metadata::FileCtx {
            display: &display,
            rel: &rel,
            keep_block: opts.keep_block,
        };
        let mut report = metadata::analyse(&ctx, &c.text);
        report.path = c.markdown.clone();
        report.notes.push(format!(
            "converted from {} with pandoc",
            crate::fs::display_rel(&c.docx, root)
        ));
        reports.push(report);
    }
    assign_ids(&settings.content_dir, &mut reports);
    for r in &mut reports {
        finish(r, settings.has_default_cycle);
    }
    let mut report = Report {
        root: root.to_path_buf(),
        files: reports,
        book_toml: settings.book_toml,
        written: false,
        notes,
    };
    if opts.write {
        write(&mut report, opts.force, is_repo)?;
        for c in &converted {
            if let Err(e) = word::place_media(&c.docx, work.path(), &c.markdown) {
                report.notes.push(format!(
                    "{}: its images could not be copied: {e}",
                    crate::fs::display_rel(&c.docx, root)
                ));
            }
        }
    }
    Ok(report)
}

fn skipped(path: &Path, display: &str, why: String) -> FileReport {
    FileReport {
        path: path.to_path_buf(),
        display: display.to_string(),
        meta: Meta::default(),
        final_status: None,
        block_lines: None,
        questions: Vec::new(),
        notes: Vec::new(),
        outcome: Outcome::Skipped(why),
    }
}

fn from_git(root: &Path, path: &Path, report: &mut FileReport) {
    if matches!(report.outcome, Outcome::Unchanged | Outcome::Converted(_)) {
        return;
    }
    let meta = &mut report.meta;
    if meta.owner.is_none()
        && let Some(author) = git::last_author(root, path)
    {
        meta.owner = Some(Decided {
            value: author,
            source: Source::Git("last author".into()),
        });
    }
    let says_approved = meta.status.as_ref().is_some_and(|s| s.value == "approved");
    if says_approved
        && meta.approval_date.is_none()
        && let Some((date, commit)) = git::approval_date(root, path)
    {
        meta.approval_date = Some(Decided {
            value: date,
            source: Source::Git(format!("commit {commit} set the status to approved")),
        });
    }
}

/// Ids: duplicates among the imported files are questions; missing ones are generated in the
/// manual's scheme (`AIMS-POL-001`: the most common prefix of the ids in use, the type's code,
/// the next free number).
fn assign_ids(content_dir: &Path, reports: &mut [FileReport]) {
    let mut used: HashSet<String> = infer::ids_under(content_dir);
    let mut first_holder: BTreeMap<String, String> = BTreeMap::new();
    for r in reports.iter_mut() {
        if let Some(id) = &r.meta.id {
            used.insert(id.value.clone());
            if let Some(other) = first_holder.get(&id.value) {
                r.questions.push(Question {
                    line: None,
                    text: format!(
                        "id `{}` is also the id of {other}: a new id was generated; choose which document keeps it",
                        id.value
                    ),
                });
                r.meta.id = None;
            } else {
                first_holder.insert(id.value.clone(), r.display.clone());
            }
        }
    }
    let org = infer::scheme_prefix(&used);
    for r in reports.iter_mut() {
        if r.meta.id.is_some() || matches!(r.outcome, Outcome::Skipped(_)) {
            continue;
        }
        let doc_type = r
            .meta
            .doc_type
            .as_ref()
            .and_then(|d| DocType::parse(&d.value))
            .unwrap_or(DocType::Guideline);
        let id = infer::next_id(&org, doc_type, &used);
        used.insert(id.clone());
        r.notes
            .push(format!("no document id found: generated {id}"));
        r.meta.id = Some(Decided {
            value: id,
            source: Source::Generated,
        });
    }
}

/// Placeholders for what is missing, the final status, and the new text.
fn finish(r: &mut FileReport, has_default_cycle: bool) {
    let Outcome::Write(body) = &r.outcome else {
        if matches!(r.outcome, Outcome::Unchanged | Outcome::Converted(_)) {
            r.final_status = r.meta.status.as_ref().and_then(|s| Status::parse(&s.value));
        }
        return;
    };
    let (body, converted) = dialect::convert(body);
    r.notes.extend(converted);
    let m = &mut r.meta;
    if m.doc_type.is_none() {
        r.questions.push(Question {
            line: None,
            text: "no type found in the front-matter, title, file name or folder: `guideline` written; set `type:`".into(),
        });
        m.doc_type = Some(placeholder("guideline"));
    }
    if m.owner.is_none() {
        r.questions.push(Question {
            line: None,
            text: "no owner found: `Unassigned` written; set `owner:` to the accountable role"
                .into(),
        });
        m.owner = Some(placeholder("Unassigned"));
    }
    if m.version.is_none() {
        r.questions.push(Question {
            line: None,
            text: "no version found: `0.1` written; set `version:`".into(),
        });
        m.version = Some(placeholder("0.1"));
    }
    if m.title.is_none() {
        r.questions.push(Question {
            line: None,
            text: "no title found: set `title:`".into(),
        });
        m.title = Some(placeholder("Untitled"));
    }
    let stated = m.status.as_ref().and_then(|s| Status::parse(&s.value));
    if stated.is_none() && m.status.is_none() {
        r.questions.push(Question {
            line: None,
            text: "no status found: imported as draft".into(),
        });
    }
    if stated == Some(Status::Approved) {
        let mut missing = Vec::new();
        if m.approval_by.is_none() {
            missing.push("who approved it");
        }
        if m.approval_date.is_none() {
            missing.push("the approval date");
        }
        if m.review_date.is_none() && !has_default_cycle {
            missing.push("the next review date");
        }
        if !missing.is_empty() {
            r.questions.push(Question {
                line: m.status.as_ref().and_then(|s| source_line(&s.source)),
                text: format!(
                    "the status says approved, but there is no evidence of {}: imported as draft; add `approval: {{ by, date }}` and set `status: approved`",
                    missing.join(" or ")
                ),
            });
        }
    }
    let status = if r.questions.is_empty() {
        stated.unwrap_or(Status::Draft)
    } else {
        Status::Draft
    };
    r.final_status = Some(status);
    let front = emit::front_matter(m, status);
    r.outcome = Outcome::Write(format!("{front}{body}"));
}

fn placeholder(value: &str) -> Decided {
    Decided {
        value: value.into(),
        source: Source::Placeholder,
    }
}

fn source_line(s: &Source) -> Option<usize> {
    match s {
        Source::FrontMatter { line, .. }
        | Source::Block { line, .. }
        | Source::Heading { line } => Some(*line),
        _ => None,
    }
}

/// Writes the files, refusing over uncommitted changes unless `force`. book.toml is the
/// command's to create (it holds what `init` writes).
fn write(report: &mut Report, force: bool, is_repo: bool) -> Result<()> {
    let changing: Vec<(&Path, &str)> = report
        .files
        .iter()
        .filter_map(|f| match &f.outcome {
            Outcome::Write(text) | Outcome::Converted(text) => {
                Some((f.path.as_path(), text.as_str()))
            }
            _ => None,
        })
        .collect();
    if is_repo && !force {
        let paths: Vec<&Path> = changing.iter().map(|(p, _)| *p).collect();
        let dirty = git::dirty(&report.root, &paths);
        if !dirty.is_empty() {
            return Err(Error::Usage(format!(
                "refusing to write: these files have uncommitted changes (commit them first, or use --force):\n  {}\nnothing was written",
                dirty.join("\n  ")
            )));
        }
    }
    for (path, text) in &changing {
        crate::fs::write(path, text)?;
    }
    report.written = true;
    Ok(())
}
