//! The Stage 1 pack (`aims-site export`): the site built for auditors (default profile
//! `auditor`), its printable manual (and manual.pdf where a Chromium is installed), the register,
//! SoA and clause-coverage matrix as CSV, Git provenance, a README for the auditor and a SHA-256
//! manifest, in one reproducible zip. `--rev` exports a tagged version from Git objects.

pub mod archive;
pub mod pdf;

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::render::context::{Pack, Since};
use crate::site::{self, BuildOptions, Project};

/// The profile a pack uses unless told otherwise (when book.toml defines it).
pub const DEFAULT_PROFILE: &str = "auditor";

/// Options of `aims-site export`.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// A tag or commit to export instead of the working tree.
    pub rev: Option<String>,
    /// List the documents changed since this tag.
    pub since: Option<String>,
    pub profile: Option<String>,
    pub today: Option<Date>,
    /// The zip file, or a folder to write it into (default: the current folder).
    pub output: Option<PathBuf>,
    /// Which browser renders manual.pdf (default: the first Chromium on PATH).
    pub browser: Option<PathBuf>,
    /// Leave manual.pdf out.
    pub no_pdf: bool,
    pub progress: Option<fn(&str)>,
}

/// What happened to manual.pdf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfOutcome {
    Written,
    /// `--no-pdf`.
    NotAsked,
    /// No Chromium on PATH (and none given).
    NoBrowser,
    Failed(String),
}

/// What an export did.
#[derive(Debug)]
pub struct ExportReport {
    pub zip: PathBuf,
    pub files: usize,
    pub documents: usize,
    pub profile: Option<String>,
    pub pdf: PdfOutcome,
    pub warnings: Vec<Diagnostic>,
    /// The build's stages, then `pdf` and `pack` (manifest and zip).
    pub timings: site::Timings,
}

/// Git provenance and build options, written as provenance.json.
#[derive(Debug, Serialize)]
struct Provenance<'a> {
    tool: String,
    organisation: &'a str,
    title: &'a str,
    standard: &'a str,
    /// "working tree" or "git objects".
    source: &'static str,
    rev: Option<&'a str>,
    commit: Option<&'a str>,
    tags: &'a [String],
    /// The working tree had changes not committed (only for working-tree exports).
    uncommitted_changes: bool,
    date: String,
    profile: Option<&'a str>,
    classifications: Vec<&'static str>,
    drafts: bool,
    since: Option<SinceInfo<'a>>,
    documents: usize,
    manual_pdf: bool,
}

#[derive(Debug, Serialize)]
struct SinceInfo<'a> {
    tag: &'a str,
    commit: &'a str,
}

/// What is exported: the commit and its tags, whether the working tree has changes, and the
/// commits since `--since`.
struct Revision {
    commit: Option<String>,
    tags: Vec<String>,
    uncommitted: bool,
    since: Option<Since>,
}

fn revision(project: &Project, opts: &ExportOptions) -> Result<Revision> {
    let content = project.content_dir();
    let at = opts.rev.as_deref().unwrap_or("HEAD");
    let commit = crate::git::resolve_commit(&content, at);
    if let Some(rev) = &opts.rev
        && commit.is_none()
    {
        return Err(Error::Usage(format!(
            "--rev {rev}: no such tag or commit in the repository of {}",
            content.display()
        )));
    }
    let tags = match &commit {
        Some(c) => crate::git::tags_at(&content, c),
        None => Vec::new(),
    };
    let uncommitted = opts.rev.is_none() && crate::git::has_local_changes(&content);
    let since = match &opts.since {
        None => None,
        Some(tag) => Some(since(project, &content, tag, at)?),
    };
    Ok(Revision {
        commit,
        tags,
        uncommitted,
        since,
    })
}

/// provenance.json and README.txt, into the pack's folder.
fn write_provenance(
    pack_dir: &Path,
    provenance: &Provenance<'_>,
    pdf: &PdfOutcome,
    since: bool,
    cfg: &crate::config::Config,
    standards: &[(String, String, bool)],
) -> Result<()> {
    let mut json = serde_json::to_string_pretty(provenance)
        .map_err(|e| Error::Usage(format!("cannot write provenance.json: {e}")))?;
    json.push('\n');
    crate::fs::write(&pack_dir.join("provenance.json"), json)?;
    crate::fs::write(
        &pack_dir.join("README.txt"),
        readme(provenance, pdf, since, cfg, standards),
    )
}

/// The profile the pack is built with: `--profile`, else the project's `auditor` profile
/// when it has one (else every classification).
fn pack_profile(project: &Project, opts: &ExportOptions) -> Option<String> {
    opts.profile.clone().or_else(|| {
        project
            .config
            .profiles
            .contains_key(DEFAULT_PROFILE)
            .then(|| DEFAULT_PROFILE.to_string())
    })
}

fn uncommitted_warning() -> Diagnostic {
    Diagnostic::warning(
        "AIMS-W060",
        "the working tree has uncommitted changes: the pack shows them, but its commit does not hold them",
    )
    .help("commit first, or export a tag with --rev TAG (read from Git objects)")
}

/// Builds the pack and writes the zip.
pub fn export(project: &Project, opts: &ExportOptions) -> Result<ExportReport> {
    let say = |what: &str| {
        if let Some(p) = opts.progress {
            p(what);
        }
    };
    let today = site::today(opts.today);
    let Revision {
        commit,
        tags,
        uncommitted,
        since,
    } = revision(project, opts)?;

    // A private working folder, removed however the export ends.
    let work = crate::output::private_dir(&std::env::temp_dir(), "aims-site-export-")?;
    let source = match &opts.rev {
        Some(rev) => {
            say(&format!("reading {rev} from Git"));
            Some(site::project_at(project, rev, &work.path().join("src"))?)
        }
        None => None,
    };
    let source_project = source.as_ref().unwrap_or(project);
    let (profile, selection) =
        source_project.selection(pack_profile(source_project, opts).as_deref(), false)?;
    // Named from the organisation as the exported version has it.
    let name = pack_name(source_project, tags.first(), commit.as_deref(), today);
    let zip_path = zip_path(opts.output.as_deref(), &name)?;
    refuse_inside(project, &zip_path)?;
    let pack_dir = work.path().join("pack");
    let build = site::build(
        source_project,
        &BuildOptions {
            dest: Some(pack_dir.clone()),
            profile: profile.clone(),
            today: Some(today),
            drafts: false,
            progress: opts.progress,
            pack: Some(Pack {
                since: since.clone(),
            }),
            ..Default::default()
        },
    )?;
    let mut warnings = build.warnings;
    let mut timings = build.timings;
    if uncommitted {
        warnings.push(uncommitted_warning());
    }
    let _ = std::fs::remove_file(pack_dir.join(crate::output::MARKER));

    say("rendering manual.pdf");
    let browser = browser(opts)?;
    let pdf = timings.time("pdf", || {
        manual_pdf(
            browser.as_deref(),
            opts.no_pdf,
            work.path(),
            &pack_dir,
            today,
        )
    })?;

    let classifications: Vec<&'static str> = selection
        .classifications
        .iter()
        .map(|c| c.as_str())
        .collect();
    let cfg = &source_project.config;
    let provenance = Provenance {
        tool: format!("aims-site {}", env!("CARGO_PKG_VERSION")),
        organisation: &cfg.book.organisation,
        title: &cfg.book.title,
        standard: &cfg.aims.standard,
        source: if opts.rev.is_some() {
            "git objects"
        } else {
            "working tree"
        },
        rev: opts.rev.as_deref(),
        commit: commit.as_deref(),
        tags: &tags,
        uncommitted_changes: uncommitted,
        date: today.to_string(),
        profile: profile.as_deref(),
        classifications: classifications.clone(),
        drafts: false,
        since: since.as_ref().map(|s| SinceInfo {
            tag: &s.tag,
            commit: &s.commit,
        }),
        documents: build.documents,
        manual_pdf: pdf == PdfOutcome::Written,
    };
    write_provenance(
        &pack_dir,
        &provenance,
        &pdf,
        since.is_some(),
        cfg,
        &build.standards,
    )?;

    say("writing the manifest and the zip");
    if let Some(parent) = zip_path.parent() {
        crate::fs::create_dir_all(parent)?;
    }
    let files = timings.time("pack", || {
        archive::pack(
            &pack_dir,
            &name,
            &zip_path,
            (today.year(), today.month(), today.day()),
        )
    })?;
    Ok(ExportReport {
        zip: zip_path,
        files,
        documents: build.documents,
        profile,
        pdf,
        warnings,
        timings,
    })
}

/// The commits after `tag` (a tag, a commit or a version named in `[versions] refs`) up to `at`.
fn since(project: &Project, content: &Path, tag: &str, at: &str) -> Result<Since> {
    let rev = project
        .config
        .versions
        .refs
        .get(tag)
        .map_or(tag, String::as_str);
    let tag_commit = crate::git::resolve_commit(content, rev).ok_or_else(|| {
        Error::Usage(format!(
            "--since {tag}: no such tag or commit in the repository"
        ))
    })?;
    let commits = crate::git::commits_between(content, &tag_commit, at)
        .map_err(|e| Error::Usage(format!("--since {tag}: {e}")))?;
    Ok(Since {
        tag: tag.to_string(),
        commit: tag_commit,
        commits,
    })
}

/// The browser that prints manual.pdf: `--chrome`, or one found on PATH (`None`: none found, or
/// no PDF asked for).
fn browser(opts: &ExportOptions) -> Result<Option<PathBuf>> {
    Ok(match (&opts.browser, opts.no_pdf) {
        (_, true) => None,
        (Some(b), false) => {
            if !b.exists() {
                return Err(Error::Usage(format!(
                    "--chrome {}: no such file",
                    b.display()
                )));
            }
            Some(b.clone())
        }
        (None, false) => pdf::find_browser(std::env::var_os("PATH")),
    })
}

/// Prints the pack's print.html into manual.pdf with `browser`, its profile in `work`.
fn manual_pdf(
    browser: Option<&Path>,
    no_pdf: bool,
    work: &Path,
    pack_dir: &Path,
    today: Date,
) -> Result<PdfOutcome> {
    let Some(b) = browser else {
        return Ok(if no_pdf {
            PdfOutcome::NotAsked
        } else {
            PdfOutcome::NoBrowser
        });
    };
    if no_pdf {
        return Ok(PdfOutcome::NotAsked);
    }
    let date = today.strftime("%Y%m%d").to_string();
    let pages = pdf::print_pages(pack_dir);
    let rendered = if pages.len() > 1 {
        // A manual printed in parts: each page becomes a PDF, joined by pdfunite.
        let unite =
            pdf::find_pdfunite(std::env::var_os("PATH")).ok_or_else(|| Error::MissingTool {
                tool: "pdfunite",
                package: "poppler-utils",
                why: format!(
                    "it joins the {} pages of this manual's print into manual.pdf",
                    pages.len()
                ),
                instead: "export with --no-pdf",
            })?;
        pdf::render_parts(b, &unite, &pages, &pack_dir.join("manual.pdf"), work, &date)
    } else {
        let profile_dir = work.join("browser-profile");
        crate::fs::create_dir_all(&profile_dir)?;
        pdf::render(
            b,
            &pack_dir.join("print.html"),
            &pack_dir.join("manual.pdf"),
            &profile_dir,
            &date,
        )
    };
    Ok(match rendered {
        Ok(()) => PdfOutcome::Written,
        Err(why) => {
            let _ = std::fs::remove_file(pack_dir.join("manual.pdf"));
            PdfOutcome::Failed(why)
        }
    })
}

/// `<organisation>-<tag or commit>-<date>`: lower case, letters, digits, dots and dashes.
fn pack_name(project: &Project, tag: Option<&String>, commit: Option<&str>, today: Date) -> String {
    let book = &project.config.book;
    let who = if book.organisation.is_empty() {
        &book.title
    } else {
        &book.organisation
    };
    let what = match (tag, commit) {
        (Some(t), _) => t.clone(),
        (None, Some(c)) => c.chars().take(12).collect(),
        (None, None) => "unversioned".to_string(),
    };
    let mut name = String::new();
    for part in [who.as_str(), what.as_str(), &today.to_string()] {
        let slug = slug(part);
        if slug.is_empty() {
            continue;
        }
        if !name.is_empty() {
            name.push('-');
        }
        name.push_str(&slug);
    }
    if name.is_empty() {
        "aims-pack".into()
    } else {
        name
    }
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches(['-', '.']).to_string()
}

/// Where the zip goes: `output` itself when it names a `.zip`, else `<output>/<name>.zip`
/// (default: the current folder); resolved as every output path is (see
/// [`crate::output::resolve`]), so the path checked is the path written.
fn zip_path(output: Option<&Path>, name: &str) -> Result<PathBuf> {
    let out = match output {
        None => crate::output::resolve(Path::new("."))?.join(format!("{name}.zip")),
        Some(p) => {
            let p = crate::output::resolve(p)?;
            let is_zip = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"));
            if is_zip && !p.is_dir() {
                p
            } else {
                p.join(format!("{name}.zip"))
            }
        }
    };
    if std::fs::symlink_metadata(&out).is_ok_and(|m| !m.is_file()) {
        return Err(Error::UnsafeOutput {
            path: out,
            reason: "it exists and is not a regular file".into(),
        });
    }
    Ok(out)
}

/// The pack never goes into the content folder, templates/, themes/ or the repository's `.git`.
fn refuse_inside(project: &Project, zip: &Path) -> Result<()> {
    let parent = zip.parent().unwrap_or(zip);
    for dir in [
        project.content_dir(),
        project.root.join("templates"),
        project.root.join("themes"),
        project.root.join(".git"),
    ] {
        let dir = crate::output::resolve(&dir)?;
        if parent.starts_with(&dir) {
            return Err(Error::UnsafeOutput {
                path: zip.to_path_buf(),
                reason: format!(
                    "it is inside {}, which holds the project's sources",
                    dir.display()
                ),
            });
        }
    }
    Ok(())
}

/// The pack's README.txt: what the auditor holds and how to check it.
/// The pack's README.txt, for the export's book.toml `cfg`.
/// The README's "Version" section: commit, tag, source, classifications and documents.
fn version_section(out: &mut String, p: &Provenance<'_>) {
    out.push_str("Version\n-------\n");
    match p.commit {
        Some(c) => out.push_str(&format!("Git commit: {c}\n")),
        None => out.push_str("Git commit: none (the documents were not in a Git repository)\n"),
    }
    if !p.tags.is_empty() {
        out.push_str(&format!("Tag: {}\n", p.tags.join(", ")));
    }
    out.push_str(&format!(
        "Read from: {}{}\n",
        p.source,
        if p.uncommitted_changes {
            " (with changes not yet committed)"
        } else {
            ""
        }
    ));
    out.push_str(&format!(
        "Classifications included: {}{}\n",
        p.classifications.join(", "),
        p.profile
            .map(|n| format!(" (profile {n})"))
            .unwrap_or_default()
    ));
    out.push_str(&format!(
        "Documents: {} (approved and withdrawn; drafts are not part of the pack)\n\n",
        p.documents
    ));
}

/// The README's "What is in it" section: a line per file of the pack.
fn contents_section(
    out: &mut String,
    pdf: &PdfOutcome,
    since: bool,
    cfg: &crate::config::Config,
    standards: &[(String, String, bool)],
) {
    out.push_str("What is in it\n-------------\n");
    let mut row = |name: &str, what: &str| out.push_str(&format!("{name:<18} {what}\n"));
    row(
        "index.html",
        "the manual as a site: open it in a browser. Search, the clause index and the register's filter work from disk.",
    );
    row(
        "print.html",
        "the whole manual on one page: cover, contents, every approved document with its control block, then the SoA, the register, clause coverage, readiness and the AI system inventory.",
    );
    match pdf {
        PdfOutcome::Written => row("manual.pdf", "print.html as a PDF, with page numbers."),
        PdfOutcome::NotAsked => row(
            "manual.pdf",
            "not produced (left out on request); print print.html instead.",
        ),
        PdfOutcome::NoBrowser => row(
            "manual.pdf",
            "not produced: no Chromium was installed where the pack was made; print print.html instead.",
        ),
        PdfOutcome::Failed(_) => row(
            "manual.pdf",
            "not produced: the browser failed to render it; print print.html instead.",
        ),
    }
    row(
        "register.csv",
        "the document-control register (also register.json and register.html).",
    );
    row(
        "soa.csv",
        "the Statement of Applicability (also soa.json and soa.html).",
    );
    row(
        "coverage.csv",
        "clause coverage: a row per clause and Annex A control, a column per document; \"declared\" when the document lists it, \"mentioned\" when its text refers to it.",
    );
    if cfg.control.approval_evidence != crate::config::ApprovalEvidence::None {
        row(
            "approvals.csv",
            "one row per approved document: its approval commit, approver, signature and evidence state (see Approvals below).",
        );
    }
    row(
        "readiness.html",
        "each item of documented information the standard requires, and what provides it.",
    );
    row(
        "inventory.csv",
        "the AI system inventory (also inventory.json and inventory.html); each system's page in system/ holds its facts and the checklist of its records.",
    );
    for (key, standard, soa) in standards {
        let dir = format!("standards/{key}/");
        let what = if *soa {
            "its Statement of Applicability (soa.csv, also soa.json and soa.html), its coverage (coverage.csv) and clause index (index.html)"
        } else {
            "its coverage (coverage.csv) and clause index (index.html)"
        };
        row(&dir, &format!("{standard}: {what}."));
    }
    if since {
        row(
            "since.html",
            "the documents changed since the earlier version, with their revision entries (also since.csv).",
        );
    }
    row(
        "provenance.json",
        "where the pack comes from: commit, tag, date, profile, tool version.",
    );
    row("MANIFEST.sha256", "the SHA-256 of every other file.");
}

fn readme(
    p: &Provenance<'_>,
    pdf: &PdfOutcome,
    since: bool,
    cfg: &crate::config::Config,
    standards: &[(String, String, bool)],
) -> String {
    let mut out = String::new();
    let who = if p.organisation.is_empty() {
        p.title
    } else {
        p.organisation
    };
    out.push_str(&format!(
        "{who}: documented information of the AI management system ({})\n",
        p.standard
    ));
    out.push_str(&"=".repeat(72));
    out.push_str("\n\n");
    out.push_str(&format!(
        "This pack was produced on {} by {} for a Stage 1 review of the\n\
         documented information. It opens offline: nothing in it loads anything from the network.\n\n",
        p.date, p.tool
    ));
    version_section(&mut out, p);
    contents_section(&mut out, pdf, since, cfg, standards);
    out.push_str(&crate::render::approval::readme_section(cfg));
    out.push_str(
        "\nChecking the pack\n-----------------\n\
         In the pack's folder, `sha256sum -c MANIFEST.sha256` (or `shasum -a 256 -c`) checks\n\
         every file. The same commit exported with the same date gives a byte-identical zip.\n",
    );
    out
}
