//! Stage 3, link: the manual as a graph. Resolves ids and paths, checks every cross-reference
//! and anchor, decides what a build includes (profile, drafts), and derives backlinks,
//! supersession and the clause and control index.

pub mod approval;
pub mod control;
pub mod external;
pub mod facts;
pub mod standard;
pub mod standards;
pub mod systems;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use crate::catalog;
use crate::diagnostic::{Diagnostic, Locator, suggest};
use crate::load::SourceFile;
use crate::markdown::{LinkRef, Resolved, Scan, Target};
use crate::model::{Classification, Document, Status};

/// One valid document with what the scan found in its body.
#[derive(Debug, Clone)]
pub struct Entry {
    pub src: SourceFile,
    pub doc: Document,
    pub scan: Scan,
}

/// Documents whose front-matter could not be read: they are already reported, so links to them
/// (by id where the id could still be read, or by path) are not reported again.
#[derive(Debug, Clone, Default)]
pub struct Broken {
    pub ids: HashSet<String>,
    pub paths: HashSet<String>,
    /// The file (as findings name it) of each id whose document could not be read.
    pub files: HashMap<String, String>,
}

/// Which documents a build shows.
#[derive(Debug, Clone)]
pub struct Selection {
    pub classifications: BTreeSet<Classification>,
    pub drafts: bool,
}

/// The files of the content folder that are not documents, and which of them may be published.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// Every asset, as a content-relative path.
    pub all: HashSet<String>,
    /// Folders (content-relative) whose files are published whether linked or not.
    pub public_dirs: Vec<String>,
    /// Extensions of active files (see [`is_active`]) that may be published all the same.
    pub active_allowed: Vec<String>,
}

impl Assets {
    fn allowed(&self, rel: &str) -> bool {
        match active_extension(rel) {
            None => true,
            Some(ext) => self
                .active_allowed
                .iter()
                .any(|a| a.trim_start_matches('.').eq_ignore_ascii_case(&ext)),
        }
    }

    fn is_public(&self, rel: &str) -> bool {
        self.public_dirs.iter().any(|d| {
            let d = d.trim_matches('/');
            !d.is_empty() && rel.strip_prefix(d).is_some_and(|r| r.starts_with('/'))
        })
    }
}

/// The extension of a file that a browser would run as a page or script in the site's origin
/// (HTML, SVG, XML, JavaScript), lower-cased; `None` for any other file.
pub fn active_extension(rel: &str) -> Option<String> {
    const ACTIVE: &[&str] = &[
        "html", "htm", "shtml", "xhtml", "xht", "svg", "svgz", "xml", "xsl", "xslt", "js", "mjs",
    ];
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    ACTIVE.contains(&ext.as_str()).then_some(ext)
}

/// Why a document is left out of a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Excluded {
    Draft,
    Profile,
}

/// Documents addressing one clause or control.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Included documents that list it in front-matter.
    pub declared: Vec<usize>,
    /// Included documents whose text mentions it (and do not declare it).
    pub mentioned: Vec<usize>,
}

#[derive(Debug)]
pub struct Manual {
    /// Every valid document, sorted by id.
    pub entries: Vec<Entry>,
    /// Why an entry is left out of this build (`None`: included).
    pub excluded: Vec<Option<Excluded>>,
    pub by_id: HashMap<String, usize>,
    /// Per entry, how each link of its body renders.
    pub resolved: Vec<Vec<Resolved>>,
    /// Per entry, the included documents that link to it.
    pub backlinks: Vec<Vec<usize>>,
    /// Per entry, the included documents that supersede it.
    pub superseded_by: Vec<Vec<usize>>,
    /// Clause and control id → coverage, for every catalog entry.
    pub coverage: BTreeMap<String, Coverage>,
    /// Content-relative paths of the assets that are copied.
    pub assets: HashSet<String>,
    /// The Git history, when the project is in a repository.
    pub repo: Option<crate::git::Repo>,
    /// Per entry, its Git facts (empty without a repository).
    pub history: Vec<control::DocHistory>,
    /// What book.toml asks of approvals (`[control]`, `[approvers]`).
    pub approval_settings: approval::Settings,
    /// Per entry, the evidence of its approval (empty or `None` when approval evidence is off
    /// or the document is not approved).
    pub approvals: Vec<Option<approval::Evidence>>,
    /// Everything derived from the documents above (review states, SoA, coverage, readiness),
    /// computed once by [`link`].
    pub facts: facts::Facts,
}

/// Adds the views of the standards enabled besides ISO/IEC 42001 to a linked manual, and checks
/// their Statements of Applicability. Does nothing when none is enabled.
pub fn attach_standards(
    manual: &mut Manual,
    catalogs: &[&'static catalog::Catalog],
    crosswalks: &[catalog::Crosswalk],
    diags: &mut Vec<Diagnostic>,
) {
    if catalogs.is_empty() {
        return;
    }
    standards::check(&manual.entries, catalogs, diags);
    let facts = standards::derive(manual, catalogs, crosswalks);
    let own = standards::extension_rows(manual, &facts);
    manual.facts.soa.rows.extend(own);
    manual.facts.standards = facts;
}

impl Manual {
    pub fn is_included(&self, i: usize) -> bool {
        self.excluded[i].is_none()
    }

    /// Indices of included documents, in id order.
    pub fn included(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.entries.len()).filter(|&i| self.is_included(i))
    }

    pub fn soa(&self) -> Option<usize> {
        self.included().find(|&i| self.entries[i].doc.is_base_soa())
    }

    /// Entry `i`'s next review: none for a withdrawn document, which is no longer reviewed.
    pub fn next_review(&self, i: usize) -> Option<jiff::civil::Date> {
        let d = &self.entries[i].doc;
        d.review_date.filter(|_| d.status != Status::Withdrawn)
    }

    /// Where entry `i` stands against its review date on the build's date.
    pub fn review_state(&self, i: usize) -> facts::ReviewState {
        self.facts.review[i]
    }

    /// Whether a clause, objective or control is covered: declared by an included document or,
    /// for a clause, by any of its sub-clauses.
    pub fn is_covered(&self, id: &str) -> bool {
        self.facts.covered.contains(id)
    }

    /// Whether the build's Statement of Applicability excludes a control (then it is no gap).
    pub fn excluded_in_soa(&self, id: &str) -> bool {
        self.facts.excluded_in_soa.contains(id)
    }
}

/// URL of a document's page, relative to the site root.
pub fn doc_url(id: &str) -> String {
    format!("doc/{id}.html")
}

/// URL of the page of a clause, objective or control, relative to the site root.
pub fn clause_url(id: &str) -> String {
    format!("clause/{id}.html")
}

/// Same as [`clause_url`]: the page of one clause or control.
pub fn clause_page_url(id: &str) -> String {
    clause_url(id)
}

/// URL of a copied asset, relative to the site root.
pub fn asset_url(rel: &str) -> String {
    let mut out = String::from("files/");
    for b in rel.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Builds the graph and derives its facts (review states on `calendar`'s date, SoA, coverage,
/// readiness); every broken reference becomes a diagnostic.
pub fn link(
    mut entries: Vec<Entry>,
    assets: &Assets,
    broken: &Broken,
    sel: &Selection,
    calendar: facts::Calendar,
    diags: &mut Vec<Diagnostic>,
) -> Manual {
    entries.sort_by(|a, b| {
        a.doc
            .id
            .value
            .cmp(&b.doc.id.value)
            .then_with(|| a.src.rel.cmp(&b.src.rel))
    });

    let (by_id, duplicate) = index_ids(&entries, diags);
    let by_path: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.src.rel.as_str(), i))
        .collect();

    let excluded = exclusions(&entries, &duplicate, sel);
    let results: Vec<Links> = entries
        .par_iter()
        .enumerate()
        .map(|(i, e)| resolve_links(i, e, &entries, &by_id, &by_path, assets, &excluded, broken))
        .collect();
    let (resolved, backlinks, published) = gather_links(results, assets, &excluded, diags);
    let superseded_by = check_references(&entries, &by_id, &excluded, broken, diags);
    standard::check_soa(&entries, &duplicate, diags);
    let coverage = coverage(&entries, &excluded);
    let mut manual = Manual {
        entries,
        excluded,
        by_id,
        resolved,
        backlinks,
        superseded_by,
        coverage,
        assets: published,
        repo: None,
        history: Vec::new(),
        approval_settings: approval::Settings::default(),
        approvals: Vec::new(),
        facts: facts::Facts::default(),
    };
    manual.facts = facts::derive(&manual, calendar);
    manual
}

/// Each document's entry by id, and which entries repeat an id (also ignoring case: page file
/// names must not collide on any file system), each repeat reported.
fn index_ids(
    entries: &[Entry],
    diags: &mut Vec<Diagnostic>,
) -> (HashMap<String, usize>, Vec<bool>) {
    let mut by_id: HashMap<String, usize> = HashMap::with_capacity(entries.len());
    let mut by_lower: HashMap<String, usize> = HashMap::with_capacity(entries.len());
    let mut duplicate = vec![false; entries.len()];
    for (i, e) in entries.iter().enumerate() {
        let lower = e.doc.id.value.to_ascii_lowercase();
        if let Some(&first) = by_lower.get(&lower) {
            let f = &entries[first];
            let first_loc =
                crate::diagnostic::locate(&f.src.display, &f.src.text, f.doc.id.span.clone());
            diags.push(
                Diagnostic::error("AIMS-E017", format!("duplicate document id `{}`", e.doc.id.value))
                    .at(&e.src.display, &e.src.text, e.doc.id.span.clone())
                    .note(format!(
                        "`{}` is already the id of {}:{}:{}",
                        f.doc.id.value, first_loc.file, first_loc.line, first_loc.column
                    ))
                    .help("give each document its own id; ids never change once published, so rename the newer one"),
            );
            duplicate[i] = true;
            continue;
        }
        by_lower.insert(lower, i);
        by_id.insert(e.doc.id.value.clone(), i);
    }
    (by_id, duplicate)
}

/// Why each entry is left out of this build, if it is: a repeated id or a classification
/// outside the profile, or a draft in a build without drafts.
fn exclusions(entries: &[Entry], duplicate: &[bool], sel: &Selection) -> Vec<Option<Excluded>> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            if duplicate[i] || !sel.classifications.contains(&e.doc.classification) {
                Some(Excluded::Profile)
            } else if !e.doc.is_published() && !sel.drafts {
                Some(Excluded::Draft)
            } else {
                None
            }
        })
        .collect()
}

/// The links of every entry gathered: each entry's resolved links, the backlinks between
/// documents of the build, and the assets it publishes (those published documents link to, and
/// those in public folders); findings into `diags`.
fn gather_links(
    results: Vec<Links>,
    assets: &Assets,
    excluded: &[Option<Excluded>],
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Vec<Resolved>>, Vec<Vec<usize>>, HashSet<String>) {
    let mut resolved = Vec::with_capacity(results.len());
    let mut backlinks: Vec<Vec<usize>> = vec![Vec::new(); results.len()];
    // Published: the assets that published documents link to, and those in public folders.
    let mut published: HashSet<String> = assets
        .all
        .iter()
        .filter(|a| assets.is_public(a) && assets.allowed(a))
        .cloned()
        .collect();
    for (i, links) in results.into_iter().enumerate() {
        let Links {
            resolved: r,
            diags: d,
            targets,
            assets: linked,
        } = links;
        resolved.push(r);
        diags.extend(d);
        if excluded[i].is_none() {
            published.extend(linked);
            for t in targets {
                if t != i && excluded[t].is_none() && backlinks[t].last() != Some(&i) {
                    backlinks[t].push(i);
                }
            }
        }
    }
    for b in &mut backlinks {
        b.sort_unstable();
        b.dedup();
    }

    (resolved, backlinks, published)
}

/// `related` and `supersedes` name existing documents (each unknown id reported with the nearest
/// ids); returns who supersedes each entry.
fn check_references(
    entries: &[Entry],
    by_id: &HashMap<String, usize>,
    excluded: &[Option<Excluded>],
    broken: &Broken,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<usize>> {
    let mut superseded_by: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    // References to documents that could not be read: noted under that document's own error
    // (the root cause), not reported again with a misleading "did you mean".
    let mut folded: HashMap<&str, Vec<String>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        let mut hints = MAX_HINTS_PER_DOCUMENT;
        let loc = Locator::new(&e.src.display, &e.src.text);
        for (field, list) in [
            ("supersedes", &e.doc.supersedes),
            ("related", &e.doc.related),
        ] {
            for r in list {
                match by_id.get(&r.value) {
                    Some(&t) => {
                        if field == "supersedes" && excluded[i].is_none() {
                            superseded_by[t].push(i);
                        }
                    }
                    None => match broken.files.get(&r.value) {
                        Some(file) => {
                            let at = loc.locate(r.span.clone());
                            folded.entry(file.as_str()).or_default().push(format!(
                                "{}:{}:{} ({field})",
                                e.src.display, at.line, at.column
                            ));
                        }
                        None => diags.push(unknown_id(
                            &loc,
                            &r.value,
                            r.span.clone(),
                            field,
                            by_id,
                            &mut hints,
                        )),
                    },
                }
            }
        }
    }
    // A document that could not be read is listed first only when findings elsewhere come
    // from it; otherwise its errors keep their place by file and line.
    for d in diags.iter_mut().filter(|d| d.root_cause) {
        if d.file().is_none_or(|f| !folded.contains_key(f)) {
            d.root_cause = false;
        }
    }
    for (file, refs) in folded {
        if let Some(d) = diags
            .iter_mut()
            .find(|d| d.root_cause && d.file() == Some(file))
        {
            let shown = refs.len().min(10);
            let more = refs.len() - shown;
            d.notes.push(format!(
                "referenced by {}{}: those references resolve once this document can be read",
                refs[..shown].join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
    }

    superseded_by
}

/// Attaches Git facts: revision history, approval integrity and, when `settings` asks for it,
/// approval evidence. `content_prefix` is the content folder's path inside the repository
/// (`content`, or empty at the top).
pub fn attach_history(
    manual: &mut Manual,
    mut repo: crate::git::Repo,
    content_prefix: &str,
    cache: &crate::cache::Store,
    settings: &approval::Settings,
    diags: &mut Vec<Diagnostic>,
) {
    if repo.shallow {
        diags.push(
            Diagnostic::warning(
                "AIMS-W040",
                "the repository is a shallow clone: revision histories and dates are incomplete",
            )
            .help("fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in CI)"),
        );
    }
    let inputs: Vec<control::DocInput<'_>> = manual
        .entries
        .iter()
        .map(|e| control::DocInput {
            text: &e.src.text,
            path: if content_prefix.is_empty() {
                e.src.rel.clone()
            } else {
                format!("{content_prefix}/{}", e.src.rel)
            },
            status: e.doc.status,
        })
        .collect();
    let history = control::histories(&mut repo, &inputs, cache, settings.rules());
    for (e, h) in manual.entries.iter().zip(&history) {
        let Some(since) = &h.since_approval else {
            continue;
        };
        let describe = |at: control::At| match at {
            control::At::WorkingTree => "uncommitted changes in the working tree".to_string(),
            control::At::Commit(c) => {
                let c = &repo.commits[c];
                format!(
                    "commit {} ({}, {}: {})",
                    c.short, c.date, c.author, c.subject
                )
            }
        };
        let approved = since
            .approved_in
            .map_or_else(|| "before the available history".to_string(), describe);
        if let Some(at) = since.body_changed_in {
            diags.push(
                Diagnostic::warning(
                    "AIMS-W030",
                    format!("{} was changed after its approval: body edited in {}", e.doc.id.value, describe(at)),
                )
                .at(&e.src.display, &e.src.text, e.doc.version_span.clone())
                .note(format!("version {} was approved in {approved}", e.doc.version))
                .help("an approved document changes only with a new version and approval: bump `version` and `approval` in the same commit, or set `status: in-review`"),
            );
        } else if let Some(at) = since.front_matter_changed_in {
            diags.push(
                Diagnostic::warning(
                    "AIMS-W031",
                    format!("{}'s front-matter was edited after its approval, in {} (the body is unchanged)", e.doc.id.value, describe(at)),
                )
                .at(&e.src.display, &e.src.text, e.doc.version_span.clone())
                .note(format!("version {} was approved in {approved}", e.doc.version))
                .help("metadata edits to an approved document are recorded, but should come with a new version"),
            );
        }
    }
    let evidence_inputs: Vec<approval::DocInput<'_>> = manual
        .entries
        .iter()
        .map(|e| approval::DocInput {
            id: &e.doc.id.value,
            role: e.doc.approval.as_ref().map_or("", |a| a.by.as_str()),
            status: e.doc.status,
            display: &e.src.display,
            text: &e.src.text,
            span: e.doc.version_span.clone(),
        })
        .collect();
    manual.approvals =
        approval::evidence(settings, &repo, &evidence_inputs, &history, cache, diags);
    manual.approval_settings = settings.clone();
    manual.history = history;
    withhold_messages(manual, &mut repo);
    manual.repo = Some(repo);
    manual.facts.changes = facts::changes(manual);
}

/// What a commit message reads as when the commit also changed a document the build's profile
/// leaves out.
pub const WITHHELD_MESSAGE: &str =
    "(message withheld: this commit also changed documents outside this build)";

/// A commit that changed a document this build's profile leaves out could name it in its
/// message: such messages are withheld everywhere the build shows commits.
fn withhold_messages(manual: &Manual, repo: &mut crate::git::Repo) {
    for (i, h) in manual.history.iter().enumerate() {
        if manual.excluded.get(i) != Some(&Some(Excluded::Profile)) {
            continue;
        }
        for &c in &h.commits {
            if let Some(commit) = repo.commits.get_mut(c) {
                commit.subject = WITHHELD_MESSAGE.to_string();
            }
        }
    }
}

/// Takes one hint from a document's budget; false once it is spent.
fn take_hint(hints: &mut usize) -> bool {
    let left = *hints > 0;
    *hints = hints.saturating_sub(1);
    left
}

fn unknown_id(
    loc: &Locator<'_>,
    id: &str,
    span: std::ops::Range<usize>,
    what: &str,
    by_id: &HashMap<String, usize>,
    hints: &mut usize,
) -> Diagnostic {
    let near = if take_hint(hints) {
        suggest(id, by_id.keys().map(String::as_str), 1)
    } else {
        Vec::new()
    };
    let help = match near.first() {
        Some(n) => {
            format!("did you mean `{n}`? {what} must name the id of a document in this repository")
        }
        None => format!("{what} must name the id of a document in this repository"),
    };
    Diagnostic::error("AIMS-E031", format!("unknown document id `{id}` in {what}"))
        .with_location(loc.locate(span))
        .help(help)
}

/// What the links of one document resolve to.
struct Links {
    /// How each link renders.
    resolved: Vec<Resolved>,
    diags: Vec<Diagnostic>,
    /// The documents it links to.
    targets: Vec<usize>,
    /// The assets it links to (published when it is).
    assets: Vec<String>,
}

/// Everything the links of one document are resolved against, and what they produce.
struct LinkResolver<'a> {
    me: usize,
    entries: &'a [Entry],
    by_id: &'a HashMap<String, usize>,
    by_path: &'a HashMap<&'a str, usize>,
    assets: &'a Assets,
    excluded: &'a [Option<Excluded>],
    broken: &'a Broken,
    loc: Locator<'a>,
    diags: Vec<Diagnostic>,
    targets: Vec<usize>,
    linked_assets: Vec<String>,
    /// "Did you mean" hints left for this document.
    hints: usize,
}

impl LinkResolver<'_> {
    /// A link to document `t` (with an optional anchor): a link to its page when it is part of
    /// the build, else its id as text (a link to a draft is reported).
    fn document(&mut self, t: usize, anchor: &Option<String>, link: &LinkRef) -> Resolved {
        let target = &self.entries[t];
        let span = link.span.clone();
        if let Some(a) = anchor
            && !target.scan.has_anchor(a)
        {
            self.diags.push(missing_anchor(
                &self.loc,
                span.clone(),
                a,
                target,
                &mut self.hints,
            ));
        }
        match self.excluded[t] {
            None => {
                self.targets.push(t);
                let href = match anchor {
                    Some(a) => format!("{}.html#{a}", target.doc.id.value),
                    None => format!("{}.html", target.doc.id.value),
                };
                Resolved::Href {
                    href,
                    title: link.bare_wikilink.then(|| target.doc.title.clone()),
                }
            }
            Some(why) => {
                if why == Excluded::Draft && self.excluded[self.me].is_none() {
                    self.diags.push(
                        Diagnostic::warning(
                            "AIMS-W010",
                            format!("link to `{}`, which is {} and not part of this build", target.doc.id.value, target.doc.status),
                        )
                        .with_location(self.loc.locate(span))
                        .help("the link is shown as plain text; approve the target, build with --drafts, or remove the link"),
                    );
                }
                Resolved::Plain {
                    label: Some(target.doc.id.value.clone()),
                }
            }
        }
    }

    /// A link by path: to a document, to an asset (published when allowed), or to nothing.
    fn path(&mut self, path: &str, anchor: &Option<String>, link: &LinkRef) -> Resolved {
        if crate::load::is_document(path) {
            return match self.by_path.get(path) {
                Some(&t) => self.document(t, anchor, link),
                None if self.broken.paths.contains(path) => Resolved::AsWritten,
                None => self.missing(path, link),
            };
        }
        if !self.assets.all.contains(path) {
            return self.missing(path, link);
        }
        let span = link.span.clone();
        if self.assets.allowed(path) {
            self.linked_assets.push(path.to_string());
            Resolved::Href {
                href: format!("../{}", asset_url(path)),
                title: None,
            }
        } else {
            self.diags.push(active_asset(&self.loc, span, path));
            Resolved::Plain { label: None }
        }
    }

    /// A link to a file that is not there: reported with the nearest paths, kept as written.
    fn missing(&mut self, path: &str, link: &LinkRef) -> Resolved {
        self.diags.push(missing_file(
            &self.loc,
            link.span.clone(),
            &link.raw,
            path,
            self.by_path,
            &mut self.hints,
        ));
        Resolved::AsWritten
    }

    /// How one link of the document renders; findings into `diags`.
    fn resolve(&mut self, link: &LinkRef) -> Resolved {
        let span = link.span.clone();
        match &link.target {
            Target::External(_) => Resolved::AsWritten,
            Target::Outside(raw) => {
                self.diags.push(
                    Diagnostic::error(
                        "AIMS-E030",
                        format!("link `{raw}` points outside the content folder"),
                    )
                    .with_location(self.loc.locate(span))
                    .help("link to documents and files inside the content folder"),
                );
                Resolved::AsWritten
            }
            Target::Anchor(a) => {
                let me = &self.entries[self.me];
                if !me.scan.has_anchor(&a[..]) {
                    self.diags
                        .push(missing_anchor(&self.loc, span, &a[..], me, &mut self.hints));
                }
                Resolved::AsWritten
            }
            Target::Id { id, anchor } => match self.by_id.get(id) {
                Some(&t) => self.document(t, anchor, link),
                None => {
                    if !self.broken.ids.contains(id) {
                        self.diags.push(unknown_id(
                            &self.loc,
                            id,
                            span,
                            "[[...]] link",
                            self.by_id,
                            &mut self.hints,
                        ));
                    }
                    Resolved::Plain {
                        label: Some(id.clone()),
                    }
                }
            },
            Target::Path { path, anchor } => self.path(path, anchor, link),
        }
    }
}

/// Resolves the links of entry `me`: each to a page, an asset or text, with its findings, the
/// documents it links to and the assets it publishes; mentions of unknown clauses are reported.
#[allow(clippy::too_many_arguments)]
fn resolve_links(
    me: usize,
    e: &Entry,
    entries: &[Entry],
    by_id: &HashMap<String, usize>,
    by_path: &HashMap<&str, usize>,
    assets: &Assets,
    excluded: &[Option<Excluded>],
    broken: &Broken,
) -> Links {
    let mut r = LinkResolver {
        me,
        entries,
        by_id,
        by_path,
        assets,
        excluded,
        broken,
        loc: Locator::new(&e.src.display, &e.src.text),
        diags: Vec::new(),
        targets: Vec::new(),
        linked_assets: Vec::new(),
        hints: MAX_HINTS_PER_DOCUMENT,
    };
    let resolved = e.scan.links.iter().map(|link| r.resolve(link)).collect();
    for m in &e.scan.mentions {
        if !m.known {
            r.diags.push(
                Diagnostic::warning("AIMS-W020", format!("`{}` is not a clause or control of ISO/IEC 42001", m.id))
                    .with_location(r.loc.locate(m.span.clone()))
                    .help("clauses run from 4 to 10.2, controls from A.2.2 to A.10.4; the mention is left as text"),
            );
        }
    }
    Links {
        resolved,
        diags: r.diags,
        targets: r.targets,
        assets: r.linked_assets,
    }
}
fn active_asset(loc: &Locator<'_>, span: std::ops::Range<usize>, path: &str) -> Diagnostic {
    let ext = active_extension(path).unwrap_or_default();
    Diagnostic::warning(
        "AIMS-W011",
        format!("link to `{path}`, a file a browser would run (.{ext}); it is not published"),
    )
    .with_location(loc.locate(span))
    .help(format!(
        "the link is shown as plain text; convert the file (e.g. to PNG or PDF), or, when every writer of this repository is trusted, allow it with `[build] active-assets = [\"{ext}\"]` in book.toml"
    ))
}

/// How many findings of one document get a "did you mean" hint: finding one compares with
/// every id or heading, so a file of thousands of broken references must not multiply that.
const MAX_HINTS_PER_DOCUMENT: usize = 50;

/// The most candidates a "did you mean" suggestion is looked for among.
const MAX_SUGGESTION_CANDIDATES: usize = 200;

fn missing_anchor(
    loc: &Locator<'_>,
    span: std::ops::Range<usize>,
    anchor: &str,
    target: &Entry,
    hints: &mut usize,
) -> Diagnostic {
    let headings = &target.scan.headings;
    let slugs: Vec<&str> = headings
        .iter()
        .take(MAX_SUGGESTION_CANDIDATES)
        .map(|h| h.slug.as_str())
        .collect();
    // Suggestions compare with every heading: only where there are few enough, so that many
    // broken anchors into a long document stay cheap.
    let near = if headings.len() <= MAX_SUGGESTION_CANDIDATES && take_hint(hints) {
        suggest(anchor, slugs.iter().copied(), 1)
    } else {
        Vec::new()
    };
    let help = match (near.first(), slugs.is_empty()) {
        (Some(n), _) => format!("did you mean `#{n}`?"),
        (None, true) => format!("{} has no headings", target.doc.id.value),
        (None, false) => format!(
            "anchors in {}: {}",
            target.doc.id.value,
            slugs
                .iter()
                .take(12)
                .map(|s| format!("#{s}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::error(
        "AIMS-E032",
        format!("no heading `#{anchor}` in {}", target.doc.id.value),
    )
    .with_location(loc.locate(span))
    .help(help)
}

fn missing_file(
    loc: &Locator<'_>,
    span: std::ops::Range<usize>,
    raw: &str,
    path: &str,
    by_path: &HashMap<&str, usize>,
    hints: &mut usize,
) -> Diagnostic {
    let name = path.rsplit('/').next().unwrap_or(path);
    let near: Vec<&str> = if take_hint(hints) {
        by_path
            .keys()
            .copied()
            .filter(|p| p.rsplit('/').next() == Some(name))
            .take(2)
            .collect()
    } else {
        Vec::new()
    };
    let help = match near.first() {
        Some(n) => format!(
            "a file of that name is at content/{n}; or link by id with [[ID]], which survives moves"
        ),
        None => "check the path (relative to this file), or link by id with [[ID]]".to_string(),
    };
    Diagnostic::error(
        "AIMS-E030",
        format!("broken link: `{raw}` (no file content/{path})"),
    )
    .with_location(loc.locate(span))
    .help(help)
}

fn coverage(entries: &[Entry], excluded: &[Option<Excluded>]) -> BTreeMap<String, Coverage> {
    let cat = catalog::get();
    let mut map: BTreeMap<String, Coverage> = cat
        .clauses
        .iter()
        .map(|c| c.id.clone())
        .chain(cat.objectives.iter().map(|o| o.id.clone()))
        .chain(cat.controls.iter().map(|c| c.id.clone()))
        .map(|id| (id, Coverage::default()))
        .collect();
    for (i, e) in entries.iter().enumerate() {
        if excluded[i].is_some() || e.doc.status == Status::Withdrawn {
            continue;
        }
        let declared: BTreeSet<&str> = e
            .doc
            .clauses
            .iter()
            .chain(&e.doc.controls)
            .map(|c| c.value.as_str())
            .collect();
        for id in &declared {
            if let Some(c) = map.get_mut(*id) {
                c.declared.push(i);
            }
        }
        let mentioned: BTreeSet<&str> = e
            .scan
            .mentions
            .iter()
            .filter(|m| m.known)
            .map(|m| m.id.as_str())
            .collect();
        for id in mentioned {
            if !declared.contains(id)
                && let Some(c) = map.get_mut(id)
            {
                c.mentioned.push(i);
            }
        }
    }
    map
}
