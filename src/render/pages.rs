//! The site's pages: one per document, the home dashboard, the all-documents page, one page per
//! document type and the clause index. Builds each page's template context and renders it;
//! writes nothing.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

use super::highlight;
use super::markdown::{self, HtmlMode, Resolved, Resolver};
use super::{registers, standard};
use crate::catalog::{self, Entry as CatEntry};
use crate::config::RawHtml;
use crate::diagnostic::Diagnostic;
use crate::link::{self, Manual};
use crate::model::{DocType, Status};

/// Facts about the build shown on every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteInfo {
    pub title: String,
    pub organisation: String,
    pub description: String,
    pub language: String,
    pub standard: String,
    pub build_date: String,
    pub commit: Option<String>,
    pub tag: Option<String>,
    pub profile: Option<String>,
    pub drafts: bool,
    pub tool_version: &'static str,
    pub accent_color: Option<String>,
    pub logo: Option<String>,
    pub nav: Vec<NavItem>,
    /// Clauses 4–10 and Annex A, for the sidebar.
    pub clause_nav: Vec<RefLink>,
    /// The version switcher (empty when only the current version is published).
    pub versions: Vec<VersionLink>,
    /// Set on the pages of an older, tagged version.
    pub old_version: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionLink {
    pub name: String,
    /// From this site's root.
    pub href: String,
    pub current: bool,
}

/// The switcher's links, seen from the site being built (`this`: its tag, `None`: current).
pub fn version_links(this: Option<&str>, tags: &[String]) -> Vec<VersionLink> {
    if tags.is_empty() {
        return Vec::new();
    }
    let mut out = vec![VersionLink {
        name: "current".into(),
        href: if this.is_some() {
            "../../index.html".into()
        } else {
            "index.html".into()
        },
        current: this.is_none(),
    }];
    for t in tags {
        out.push(VersionLink {
            name: t.clone(),
            href: match this {
                None => format!("versions/{t}/index.html"),
                Some(me) if me == t => "index.html".into(),
                Some(_) => format!("../{t}/index.html"),
            },
            current: this == Some(t.as_str()),
        });
    }
    out
}

/// The sidebar's clause entries: the seven clauses and Annex A.
pub fn clause_nav() -> Vec<RefLink> {
    let cat = crate::catalog::get();
    cat.clauses
        .iter()
        .filter(|c| c.parent.is_none())
        .map(|c| ref_link(&c.id))
        .chain(std::iter::once(RefLink {
            id: "Annex A".into(),
            title: "Controls".into(),
            url: "soa.html".into(),
        }))
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub key: String,
    pub label: String,
    pub url: String,
    pub count: usize,
}

/// Everything the page render needs besides the templates.
pub struct Input<'a> {
    pub manual: &'a Manual,
    pub site: SiteInfo,
    pub today: Date,
    pub warning_days: u32,
    pub raw_html: RawHtml,
    pub scope_document: Option<String>,
    /// Highlighted code from earlier builds, by language and code.
    pub highlights: &'a crate::cache::Store,
    /// Document pages of the previous build (serve keeps one between rebuilds).
    pub memo: Option<&'a RenderMemo>,
    /// The previous output, whose unchanged document pages are reused.
    pub previous: Option<&'a std::path::Path>,
    /// Identifies the templates, so that a template change re-renders every page.
    pub theme_key: crate::cache::Key,
}

/// Which document pages the last successful build rendered from which inputs, so that a rebuild
/// re-renders only the pages whose inputs changed (`serve`). Entries of a build become current
/// only when that build succeeded.
#[derive(Default)]
pub struct RenderMemo {
    current: std::sync::Mutex<HashMap<String, (crate::cache::Key, super::search::SearchDoc)>>,
    next: std::sync::Mutex<HashMap<String, (crate::cache::Key, super::search::SearchDoc)>>,
    reused: std::sync::atomic::AtomicUsize,
}

impl std::fmt::Debug for RenderMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RenderMemo")
    }
}

impl RenderMemo {
    fn lookup(&self, path: &str, key: &crate::cache::Key) -> Option<super::search::SearchDoc> {
        let current = self.current.lock().ok()?;
        let (k, search) = current.get(path)?;
        (k == key).then(|| search.clone())
    }

    fn keep(&self, path: &str, key: crate::cache::Key, search: super::search::SearchDoc) {
        if let Ok(mut next) = self.next.lock() {
            next.insert(path.to_string(), (key, search));
        }
    }

    /// The build succeeded: its pages become the ones to compare with. Returns how many pages
    /// were reused.
    pub fn commit(&self) -> usize {
        if let (Ok(mut current), Ok(mut next)) = (self.current.lock(), self.next.lock()) {
            *current = std::mem::take(&mut *next);
        }
        self.reused.swap(0, std::sync::atomic::Ordering::Relaxed)
    }

    /// The build failed: forget what it rendered.
    pub fn discard(&self) {
        if let Ok(mut next) = self.next.lock() {
            next.clear();
        }
        self.reused.store(0, std::sync::atomic::Ordering::Relaxed);
    }
}

pub use crate::model::{ReviewState, review_state};

#[derive(Serialize)]
pub struct Base<'a> {
    pub site: &'a SiteInfo,
    pub root: &'static str,
    pub page_title: String,
    pub current: &'a str,
}

#[derive(Debug, Serialize, Clone)]
pub struct DocLink {
    pub id: String,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Serialize, Clone)]
pub struct RefLink {
    pub id: String,
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
struct MaybeLink {
    id: String,
    title: String,
    /// Empty when the document is not part of this build.
    url: String,
}

#[derive(Serialize)]
pub struct DocView {
    id: String,
    title: String,
    #[serde(rename = "type")]
    doc_type: &'static str,
    type_label: &'static str,
    type_url: String,
    owner: String,
    version: String,
    status: &'static str,
    approval_by: Option<String>,
    approval_date: Option<String>,
    review_date: Option<String>,
    review_cycle: Option<String>,
    review_state: ReviewState,
    classification: &'static str,
    retention: Option<String>,
    clauses: Vec<RefLink>,
    controls: Vec<RefLink>,
    supersedes: Vec<MaybeLink>,
    related: Vec<MaybeLink>,
    source: String,
}

#[derive(Serialize)]
pub struct Banner {
    kind: &'static str,
    label: &'static str,
    text: String,
    link_url: Option<String>,
    link_text: Option<String>,
}

#[derive(Serialize)]
struct DocPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    doc: DocView,
    banners: Vec<Banner>,
    body: String,
    toc: &'a [markdown::Heading],
    backlinks: Vec<DocLink>,
    prev: Option<DocLink>,
    next: Option<DocLink>,
    history: Vec<&'a crate::git::Commit>,
    /// Whether Git history was available at all.
    has_history: bool,
    uncommitted: bool,
}

#[derive(Serialize)]
struct ListRow {
    id: String,
    title: String,
    url: String,
    version: String,
    status: &'static str,
    owner: String,
    review_date: String,
    review_state: ReviewState,
}

#[derive(Serialize)]
struct Group {
    key: &'static str,
    label: &'static str,
    docs: Vec<ListRow>,
}

#[derive(Serialize)]
struct ListPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    intro: String,
    groups: Vec<Group>,
    withdrawn: Vec<DocLink>,
}

#[derive(Serialize)]
struct ClauseEntry {
    id: String,
    title: String,
    depth: usize,
    covered: bool,
    /// An Annex A control the Statement of Applicability excludes.
    excluded: bool,
    declared: Vec<DocLink>,
    mentioned: Vec<DocLink>,
}

#[derive(Serialize)]
struct ClauseSection {
    key: String,
    label: String,
    entries: Vec<ClauseEntry>,
}

#[derive(Serialize)]
struct ClausePage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    sections: Vec<ClauseSection>,
}

#[derive(Serialize)]
struct ReviewRow {
    id: String,
    title: String,
    url: String,
    owner: String,
    review_date: String,
}

#[derive(Serialize)]
struct ReviewSummary {
    window_days: u32,
    overdue_count: usize,
    due_soon_count: usize,
    overdue: Vec<ReviewRow>,
    due_soon: Vec<ReviewRow>,
}

#[derive(Serialize)]
struct DraftRow {
    #[serde(flatten)]
    link: DocLink,
    status: &'static str,
}

#[derive(Serialize)]
struct StatusCount {
    status: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct Stats {
    total: usize,
    by_status: Vec<StatusCount>,
}

#[derive(Serialize)]
struct HomePage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    scope: Option<DocLink>,
    stats: Stats,
    reviews: ReviewSummary,
    drafts: Vec<DraftRow>,
    gaps: Vec<RefLink>,
    readiness_ready: usize,
    readiness_total: usize,
    readiness_gaps: Vec<standard::ReadinessRow>,
    latest: registers::ChangesPage<'a>,
}

/// Dashboard lists stay short; the full lists live on their own pages.
const DASHBOARD_ROWS: usize = 10;

/// The navigation entries: one per document type that has documents in this build.
pub fn nav(manual: &Manual) -> Vec<NavItem> {
    let mut counts: BTreeMap<DocType, usize> = BTreeMap::new();
    for i in manual.included() {
        let d = &manual.entries[i].doc;
        if d.status != Status::Withdrawn {
            *counts.entry(d.doc_type).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|(t, count)| NavItem {
            key: format!("type-{}", t.as_str()),
            label: t.plural().to_string(),
            url: type_url(t),
            count,
        })
        .collect()
}

pub fn type_url(t: DocType) -> String {
    format!("type/{}.html", t.as_str())
}

struct DocResolver<'a> {
    resolved: &'a [Resolved],
    highlights: &'a crate::cache::Store,
}

impl Resolver for DocResolver<'_> {
    fn link(&self, index: usize) -> Resolved {
        self.resolved
            .get(index)
            .cloned()
            .unwrap_or(Resolved::AsWritten)
    }

    fn mention_href(&self, id: &str) -> String {
        format!("../{}", link::clause_url(id))
    }

    fn highlight(&self, code: &str, lang: &str) -> String {
        let key = crate::cache::key(&[
            highlight::VERSION.as_bytes(),
            lang.as_bytes(),
            code.as_bytes(),
        ]);
        if let Some(html) = self
            .highlights
            .get(&key)
            .and_then(|b| String::from_utf8(b).ok())
        {
            return html;
        }
        let html = highlight::highlight(code, lang);
        self.highlights.put(key, html.clone().into_bytes());
        html
    }
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["class", "id", "title", "data-lang"]);
    b.add_tags([
        "details",
        "summary",
        "figure",
        "figcaption",
        "mark",
        "kbd",
        "abbr",
        "input",
    ]);
    b.add_tag_attributes("input", ["type", "checked", "disabled"]);
    b.link_rel(None);
    b
});

pub fn doc_link(manual: &Manual, i: usize, root: &str) -> DocLink {
    let d = &manual.entries[i].doc;
    DocLink {
        id: d.id.value.clone(),
        title: d.title.clone(),
        url: format!("{root}{}", link::doc_url(&d.id.value)),
    }
}

pub fn ref_link(id: &str) -> RefLink {
    RefLink {
        id: id.to_string(),
        title: catalog::get().title(id).unwrap_or("").to_string(),
        url: link::clause_url(id),
    }
}

fn render_one(tera: &tera::Tera, name: &str, ctx: &impl Serialize) -> Result<Vec<u8>, Diagnostic> {
    let context =
        tera::Context::from_serialize(ctx).map_err(|e| crate::theme::template_error(name, &e))?;
    tera.render(name, &context)
        .map(String::into_bytes)
        .map_err(|e| crate::theme::template_error(name, &e))
}

/// Where rendered pages go: called from many threads at once with (path relative to the output
/// root, bytes), so that no page is held in memory longer than it takes to write it.
pub type Sink<'a> = dyn Fn(&str, &[u8]) -> crate::error::Result<()> + Sync + 'a;

/// What the render leaves for the write stage: the print page is joined from fragments.
pub struct RenderOutcome {
    pub pages: usize,
    /// print.html, split at [`PRINT_BODY`] where the document sections go.
    pub print_page: Vec<u8>,
    /// The fragments (paths in the staging folder), in order.
    pub print_fragments: Vec<String>,
    pub search_index_bytes: usize,
}

/// Where the document sections go in print.html.
pub const PRINT_BODY: &str = "<!--AIMS-PRINT-BODY-->";

fn print_fragment(position: usize) -> String {
    format!(".print/{position:06}.html")
}

#[derive(Serialize)]
struct PrintPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    scope: Option<DocLink>,
    toc: Vec<PrintTocEntry>,
    marker: &'static str,
}

#[derive(Serialize)]
struct PrintTocEntry {
    id: String,
    title: String,
    group: &'static str,
}

fn render_print(
    input: &Input<'_>,
    tera: &tera::Tera,
    order: &[usize],
) -> Result<Vec<u8>, Diagnostic> {
    let manual = input.manual;
    let page = PrintPage {
        base: Base {
            site: &input.site,
            root: "",
            page_title: "The whole manual".into(),
            current: "print",
        },
        scope: input
            .scope_document
            .as_deref()
            .and_then(|id| manual.by_id.get(id))
            .filter(|&&i| manual.is_included(i))
            .map(|&i| doc_link(manual, i, "")),
        toc: order
            .iter()
            .map(|&i| {
                let d = &manual.entries[i].doc;
                PrintTocEntry {
                    id: d.id.value.clone(),
                    title: d.title.clone(),
                    group: d.doc_type.plural(),
                }
            })
            .collect(),
        marker: PRINT_BODY,
    };
    render_one(tera, "print.html", &page)
}

/// Renders every page into `sink`.
pub fn render_all(
    input: &Input<'_>,
    tera: &tera::Tera,
    sink: &Sink<'_>,
) -> crate::error::Result<RenderOutcome> {
    let manual = input.manual;
    let included: Vec<usize> = manual.included().collect();
    // Previous/next within each type, in id order.
    let mut by_type: BTreeMap<DocType, Vec<usize>> = BTreeMap::new();
    for &i in &included {
        if manual.entries[i].doc.status != Status::Withdrawn {
            by_type
                .entry(manual.entries[i].doc.doc_type)
                .or_default()
                .push(i);
        }
    }
    let mut neighbours: BTreeMap<usize, (Option<usize>, Option<usize>)> = BTreeMap::new();
    for list in by_type.values() {
        for (k, &i) in list.iter().enumerate() {
            let prev = k.checked_sub(1).map(|p| list[p]);
            let next = list.get(k + 1).copied();
            neighbours.insert(i, (prev, next));
        }
    }

    // A template error repeats on every page: the first one is reported.
    let invalid = |d: Diagnostic| crate::error::Error::Invalid(vec![d]);
    // The print page lists documents by type, then id; each document's section is written as a
    // fragment and joined in order afterwards, so no body is held in memory.
    let mut print_order: Vec<usize> = included
        .iter()
        .copied()
        .filter(|&i| manual.entries[i].doc.status != Status::Withdrawn)
        .collect();
    print_order.sort_by_key(|&i| (manual.entries[i].doc.doc_type, i));
    let print_pos: HashMap<usize, usize> = print_order
        .iter()
        .enumerate()
        .map(|(p, &i)| (i, p))
        .collect();
    let search_docs: std::sync::Mutex<Vec<(usize, super::search::SearchDoc)>> =
        std::sync::Mutex::new(Vec::with_capacity(included.len()));
    let print_fragments: Vec<String> = (0..print_order.len()).map(print_fragment).collect();
    let register_rows = registers::rows(input);
    let rows = &register_rows;
    let soa = crate::link::standard::soa(input.manual);
    let soa_rows = standard::soa_rows(input.manual, &soa, "");
    let soa_doc = soa.document.map(|i| doc_link(input.manual, i, ""));
    let (soa_rows, soa_doc) = (&soa_rows, &soa_doc);
    type PageFn<'f> = Box<dyn Fn() -> Result<Vec<u8>, Diagnostic> + Sync + Send + 'f>;
    let mut others: Vec<(String, PageFn<'_>)> = vec![
        ("index.html".into(), Box::new(|| render_home(input, tera))),
        (
            "documents.html".into(),
            Box::new(|| render_list(input, tera, None)),
        ),
        (
            "clauses.html".into(),
            Box::new(|| render_clauses(input, tera)),
        ),
    ];
    for t in by_type.keys().copied() {
        others.push((
            type_url(t),
            Box::new(move || render_list(input, tera, Some(t))),
        ));
    }
    let base = |title: &str, current: &'static str| Base {
        site: &input.site,
        root: "",
        page_title: title.to_string(),
        current,
    };
    others.push((
        "register.html".into(),
        Box::new(move || {
            let page = registers::RegisterPage {
                base: base("Document-control register", "register"),
                rows,
            };
            render_one(tera, "register.html", &page)
        }),
    ));
    others.push((
        "register.csv".into(),
        Box::new(move || Ok(registers::csv(rows).into_bytes())),
    ));
    others.push((
        "register.json".into(),
        Box::new(move || Ok(registers::json(rows, input).into_bytes())),
    ));
    others.push((
        "reviews.html".into(),
        Box::new(move || {
            render_one(
                tera,
                "reviews.html",
                &registers::reviews(input, base("Reviews", "reviews")),
            )
        }),
    ));
    others.push((
        "soa.html".into(),
        Box::new(move || {
            render_one(
                tera,
                "soa.html",
                &standard::soa_page(input, base("Statement of Applicability", "soa")),
            )
        }),
    ));
    others.push((
        "soa.csv".into(),
        Box::new(move || Ok(standard::soa_csv(soa_rows).into_bytes())),
    ));
    others.push((
        "soa.json".into(),
        Box::new(move || Ok(standard::soa_json(soa_rows, soa_doc.as_ref()).into_bytes())),
    ));
    others.push((
        "readiness.html".into(),
        Box::new(move || {
            render_one(
                tera,
                "readiness.html",
                &standard::readiness_page(input, base("Stage 1 readiness", "readiness")),
            )
        }),
    ));
    for id in standard::clause_ids() {
        let path = crate::link::clause_url(&id);
        others.push((
            path,
            Box::new(move || {
                let title = format!("{id} {}", crate::catalog::get().title(&id).unwrap_or(""));
                let b = Base {
                    site: &input.site,
                    root: "../",
                    page_title: title,
                    current: "clauses",
                };
                render_one(
                    tera,
                    "clause.html",
                    &standard::clause_page(input, &id, b, soa_rows),
                )
            }),
        ));
    }
    others.push((
        "owners.html".into(),
        Box::new(move || render_owners(input, tera)),
    ));
    others.push((
        "search.html".into(),
        Box::new(move || {
            #[derive(Serialize)]
            struct SearchPage<'a> {
                #[serde(flatten)]
                base: Base<'a>,
            }
            render_one(
                tera,
                "search.html",
                &SearchPage {
                    base: base("Search", "search"),
                },
            )
        }),
    ));
    others.push((
        "changes.html".into(),
        Box::new(move || {
            render_one(
                tera,
                "changes.html",
                &registers::changes(input.manual, base("Recent changes", "changes")),
            )
        }),
    ));
    // Document pages and the other pages render side by side, so the long single pages (the
    // register, the list of all documents) do not run alone at the end.
    let render_docs = || -> crate::error::Result<()> {
        included.par_iter().try_for_each(|&i| {
            let (prev, next) = neighbours.get(&i).copied().unwrap_or((None, None));
            let out = render_document(input, tera, i, prev, next).map_err(invalid)?;
            sink(&out.path, &out.bytes)?;
            if let (Some(print), Some(p)) = (&out.print, print_pos.get(&i)) {
                sink(&print_fragment(*p), print)?;
            }
            if let Ok(mut v) = search_docs.lock() {
                v.push((i, out.search));
            }
            Ok::<(), crate::error::Error>(())
        })
    };
    let render_others = || -> crate::error::Result<()> {
        others.par_iter().try_for_each(|(path, render)| {
            let bytes = render().map_err(invalid)?;
            sink(path, &bytes)
        })
    };
    let (docs_done, others_done) = rayon::join(render_docs, render_others);
    docs_done?;
    others_done?;
    let mut search_docs = search_docs.into_inner().unwrap_or_default();
    search_docs.sort_by_key(|x| x.0);
    let search_docs: Vec<super::search::SearchDoc> = search_docs.into_iter().map(|x| x.1).collect();
    let search_script = super::search::script(&search_docs);
    sink("assets/search-index.js", search_script.as_bytes())?;

    let print_page = render_print(input, tera, &print_order).map_err(invalid)?;
    Ok(RenderOutcome {
        pages: included.len() + others.len() + 2,
        print_page,
        print_fragments,
        search_index_bytes: search_script.len(),
    })
}

fn render_document(
    input: &Input<'_>,
    tera: &tera::Tera,
    i: usize,
    prev: Option<usize>,
    next: Option<usize>,
) -> Result<DocOutput, Diagnostic> {
    let manual = input.manual;
    let e = &manual.entries[i];
    let d = &e.doc;
    let root = "../";
    let maybe = |id: &str| -> MaybeLink {
        match manual.by_id.get(id) {
            Some(&t) if manual.is_included(t) => MaybeLink {
                id: id.to_string(),
                title: manual.entries[t].doc.title.clone(),
                url: link::doc_url(id),
            },
            _ => MaybeLink {
                id: id.to_string(),
                title: String::new(),
                url: String::new(),
            },
        }
    };
    let state = review_state(d.review_date, d.status, input.today, input.warning_days);
    let view = DocView {
        id: d.id.value.clone(),
        title: d.title.clone(),
        doc_type: d.doc_type.as_str(),
        type_label: d.doc_type.plural(),
        type_url: type_url(d.doc_type),
        owner: d.owner.clone(),
        version: d.version.clone(),
        status: d.status.as_str(),
        approval_by: d.approval.as_ref().map(|a| a.by.clone()),
        approval_date: d.approval.as_ref().map(|a| a.date.to_string()),
        review_date: d.review_date.map(|r| r.to_string()),
        review_cycle: d.review_cycle.clone(),
        review_state: state,
        classification: d.classification.as_str(),
        retention: d.retention.clone(),
        clauses: d.clauses.iter().map(|c| ref_link(&c.value)).collect(),
        controls: d.controls.iter().map(|c| ref_link(&c.value)).collect(),
        supersedes: d.supersedes.iter().map(|s| maybe(&s.value)).collect(),
        related: d.related.iter().map(|s| maybe(&s.value)).collect(),
        source: e.src.display.clone(),
    };
    let mut banners = Vec::new();
    match d.status {
        Status::Draft | Status::InReview => banners.push(Banner {
            kind: "draft",
            label: "Draft",
            text: format!(
                "This document is {} and not approved; it is not in force.",
                d.status
            ),
            link_url: None,
            link_text: None,
        }),
        Status::Withdrawn => {
            let by = manual.superseded_by[i]
                .first()
                .map(|&s| doc_link(manual, s, root));
            banners.push(Banner {
                kind: "withdrawn",
                label: "Withdrawn",
                text: "This document is obsolete and kept for retention only.".to_string(),
                link_url: by.as_ref().map(|b| format!("{}.html", b.id)),
                link_text: by.map(|b| format!("Superseded by {} {}", b.id, b.title)),
            });
        }
        Status::Approved => {}
    }
    if let Some(since) = manual
        .history
        .get(i)
        .and_then(|h| h.since_approval.as_ref())
        && let Some(repo) = &manual.repo
    {
        let at = |a: crate::link::control::At| match a {
            crate::link::control::At::WorkingTree => "uncommitted changes".to_string(),
            crate::link::control::At::Commit(c) => {
                let c = &repo.commits[c];
                format!("commit {} on {} by {}", c.short, c.date, c.author)
            }
        };
        if let Some(b) = since.body_changed_in {
            banners.push(Banner {
                kind: "changed",
                label: "Changed since approval",
                text: format!(
                    "The text was edited after version {} was approved ({}), without a new version or approval.",
                    d.version,
                    at(b)
                ),
                link_url: None,
                link_text: None,
            });
        } else if let Some(f) = since.front_matter_changed_in {
            banners.push(Banner {
                kind: "metadata-changed",
                label: "Metadata changed since approval",
                text: format!("Document-control fields were edited after approval ({}); the text is unchanged.", at(f)),
                link_url: None,
                link_text: None,
            });
        }
    }
    match state {
        ReviewState::Overdue => banners.push(Banner {
            kind: "overdue",
            label: "Review overdue",
            text: format!(
                "The scheduled review on {} has not been recorded.",
                view.review_date.clone().unwrap_or_default()
            ),
            link_url: None,
            link_text: None,
        }),
        ReviewState::DueSoon => banners.push(Banner {
            kind: "due-soon",
            label: "Review due soon",
            text: format!(
                "The next review is due on {}.",
                view.review_date.clone().unwrap_or_default()
            ),
            link_url: None,
            link_text: None,
        }),
        _ => {}
    }
    let base = Base {
        site: &input.site,
        root,
        page_title: format!("{} {}", d.id.value, d.title),
        current: "",
    };
    let mut page = DocPage {
        base,
        doc: view,
        banners,
        body: String::new(),
        toc: &e.scan.headings,
        backlinks: manual.backlinks[i]
            .iter()
            .map(|&b| doc_link(manual, b, ""))
            .collect(),
        prev: prev.map(|p| doc_link(manual, p, "")),
        next: next.map(|n| doc_link(manual, n, "")),
        history: match (&manual.repo, manual.history.get(i)) {
            (Some(repo), Some(h)) => h
                .commits
                .iter()
                .filter_map(|&c| repo.commits.get(c))
                .collect(),
            _ => Vec::new(),
        },
        has_history: manual.repo.is_some(),
        uncommitted: manual.history.get(i).is_some_and(|h| h.uncommitted),
    };

    // Unchanged inputs since the last build (in serve): reuse that build's page.
    let path = link::doc_url(&d.id.value);
    let key = input.memo.map(|_| {
        let context = serde_json::to_vec(&page).unwrap_or_default();
        let resolved = format!("{:?}", manual.resolved[i]);
        crate::cache::key(&[
            &context,
            e.src.text.as_bytes(),
            resolved.as_bytes(),
            &input.theme_key,
            &[input.raw_html as u8],
        ])
    });
    if let (Some(memo), Some(key)) = (input.memo, key)
        && let Some(search) = memo.lookup(&path, &key)
        && let Some(bytes) = input
            .previous
            .and_then(|dir| std::fs::read(dir.join(&path)).ok())
    {
        memo.keep(&path, key, search.clone());
        memo.reused
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let print = (d.status != Status::Withdrawn).then(|| print_section(&d.id.value, &bytes, ""));
        return Ok(DocOutput {
            path,
            bytes,
            search,
            print,
        });
    }
    let body_src = &e.src.text[e.src.split.body.clone()];
    let mode = match input.raw_html {
        RawHtml::Escape => HtmlMode::Escape,
        RawHtml::Sanitize | RawHtml::Allow => HtmlMode::Keep,
    };
    let resolver = DocResolver {
        resolved: &manual.resolved[i],
        highlights: input.highlights,
    };
    let rendered = markdown::render(body_src, &e.scan, &resolver, mode);
    let mut body = rendered.html;
    if input.raw_html == RawHtml::Sanitize && e.scan.has_raw_html {
        body = SANITIZER.clean(&body).to_string();
    }
    let refs: Vec<&str> = d
        .clauses
        .iter()
        .chain(&d.controls)
        .map(|c| c.value.as_str())
        .collect();
    let headings: Vec<String> = e.scan.headings.iter().map(|h| h.text.clone()).collect();
    let search = super::search::doc_entry(
        &d.id.value,
        &d.title,
        link::doc_url(&d.id.value),
        d.doc_type.as_str(),
        &d.owner,
        &refs,
        &headings,
        &rendered.text,
    );
    if let (Some(memo), Some(key)) = (input.memo, key) {
        memo.keep(&path, key, search.clone());
    }
    // Kept for print.html when a user template has no print markers.
    let body_for_print = body.clone();
    page.body = body;
    let bytes = render_one(tera, "document.html", &page)?;
    let print = (d.status != Status::Withdrawn)
        .then(|| print_section(&d.id.value, &bytes, &body_for_print));
    Ok(DocOutput {
        path: link::doc_url(&d.id.value),
        bytes,
        search,
        print,
    })
}

/// A document's section of print.html: the part of its page between `<!--aims:print-->` and
/// `<!--/aims:print-->` (heading, banners, control block, body), ids and links rewritten.
fn print_section(id: &str, page: &[u8], fallback_body: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let inner = match (
        text.find("<!--aims:print-->"),
        text.find("<!--/aims:print-->"),
    ) {
        (Some(a), Some(b)) if a < b => &text[a + "<!--aims:print-->".len()..b],
        _ => fallback_body,
    };
    let mut out = String::with_capacity(inner.len() + 128);
    out.push_str(&format!("<article class=\"print-doc\" id=\"doc-{id}\">"));
    out.push_str(&print_body(id, inner));
    out.push_str("</article>\n");
    out.into_bytes()
}

/// One document's page, its search entry and its section of the print page.
struct DocOutput {
    path: String,
    bytes: Vec<u8>,
    search: super::search::SearchDoc,
    print: Option<Vec<u8>>,
}

/// A document body as it reads inside print.html: heading ids prefixed with the document id so
/// they stay unique, links to other documents turned into links within the page. Only our own
/// markup is rewritten: `id="..."` and `href="..."` attributes, which the render writes itself.
pub fn print_body(id: &str, body: &str) -> String {
    let finder = memchr::memmem::Finder::new("=\"");
    let mut out = String::with_capacity(body.len() + 256);
    let mut last = 0;
    for at in finder.find_iter(body.as_bytes()) {
        let attr_start = body[..at]
            .rfind(|c: char| !c.is_ascii_alphanumeric())
            .map_or(0, |p| p + 1);
        let attr = &body[attr_start..at];
        if (attr != "href" && attr != "id") || at < last {
            continue;
        }
        let value_start = at + 2;
        let Some(len) = body[value_start..].find('"') else {
            break;
        };
        let v = &body[value_start..value_start + len];
        let replaced = if attr == "id" {
            Some(format!("{id}--{v}"))
        } else if let Some(anchor) = v.strip_prefix('#') {
            Some(format!("#{id}--{anchor}"))
        } else if let Some(rest) = v.strip_prefix("../") {
            Some(rest.to_string())
        } else if let Some((doc, anchor)) = v.split_once(".html")
            && !doc.contains(['/', ':'])
            && crate::model::frontmatter::valid_id(doc)
        {
            Some(match anchor.strip_prefix('#') {
                Some(a) => format!("#{doc}--{a}"),
                None => format!("#doc-{doc}"),
            })
        } else {
            None
        };
        if let Some(r) = replaced {
            out.push_str(&body[last..value_start]);
            out.push_str(&r);
            last = value_start + len;
        }
    }
    out.push_str(&body[last..]);
    out
}

#[cfg(test)]
mod print_tests {
    use super::print_body;

    #[test]
    fn print_body_rewrites_ids_and_links() {
        let html = r##"<h1 id="purpose">P</h1><a href="AIMS-PRO-001.html#steps">s</a> <a href="AIMS-PRO-001.html">p</a> <a href="../clause/6.1.2.html">c</a> <a href="#purpose">t</a> <a href="https://e.org/a.html">e</a> <span class="x">k</span>"##;
        let out = print_body("AIMS-POL-001", html);
        assert!(out.contains(r#"<h1 id="AIMS-POL-001--purpose">"#), "{out}");
        assert!(out.contains(r##"href="#AIMS-PRO-001--steps""##), "{out}");
        assert!(out.contains(r##"href="#doc-AIMS-PRO-001""##), "{out}");
        assert!(out.contains(r#"href="clause/6.1.2.html""#), "{out}");
        assert!(out.contains(r##"href="#AIMS-POL-001--purpose""##), "{out}");
        assert!(out.contains(r#"href="https://e.org/a.html""#), "{out}");
        assert!(out.contains(r#"class="x""#), "{out}");
    }
}

fn list_row(input: &Input<'_>, i: usize, root: &str) -> ListRow {
    let d = &input.manual.entries[i].doc;
    ListRow {
        id: d.id.value.clone(),
        title: d.title.clone(),
        url: format!("{root}{}", link::doc_url(&d.id.value)),
        version: d.version.clone(),
        status: d.status.as_str(),
        owner: d.owner.clone(),
        review_date: d.review_date.map(|r| r.to_string()).unwrap_or_default(),
        review_state: review_state(d.review_date, d.status, input.today, input.warning_days),
    }
}

fn render_list(
    input: &Input<'_>,
    tera: &tera::Tera,
    only: Option<DocType>,
) -> Result<Vec<u8>, Diagnostic> {
    let manual = input.manual;
    let mut groups = Vec::new();
    let mut withdrawn = Vec::new();
    for t in DocType::ALL {
        if only.is_some_and(|o| o != *t) {
            continue;
        }
        let docs: Vec<ListRow> = manual
            .included()
            .filter(|&i| {
                manual.entries[i].doc.doc_type == *t
                    && manual.entries[i].doc.status != Status::Withdrawn
            })
            .map(|i| list_row(input, i, ""))
            .collect();
        withdrawn.extend(
            manual
                .included()
                .filter(|&i| {
                    manual.entries[i].doc.doc_type == *t
                        && manual.entries[i].doc.status == Status::Withdrawn
                })
                .map(|i| doc_link(manual, i, "")),
        );
        if !docs.is_empty() {
            groups.push(Group {
                key: t.as_str(),
                label: t.plural(),
                docs,
            });
        }
    }
    let (root, title, current, intro) = match only {
        Some(t) => (
            "../",
            t.plural().to_string(),
            format!("type-{}", t.as_str()),
            String::new(),
        ),
        None => (
            "",
            "All documents".to_string(),
            "documents".to_string(),
            "Every controlled document in this build, by type.".to_string(),
        ),
    };
    // Row URLs are relative to the site root; pages below it prefix them.
    if !root.is_empty() {
        for g in &mut groups {
            for d in &mut g.docs {
                d.url = format!("{root}{}", d.url);
            }
        }
        for w in &mut withdrawn {
            w.url = format!("{root}{}", w.url);
        }
    }
    let page = ListPage {
        base: Base {
            site: &input.site,
            root,
            page_title: title,
            current: &current,
        },
        intro,
        groups,
        withdrawn,
    };
    render_one(tera, "documents.html", &page)
}

fn render_clauses(input: &Input<'_>, tera: &tera::Tera) -> Result<Vec<u8>, Diagnostic> {
    let manual = input.manual;
    let cat = catalog::get();
    let links = |list: &[usize]| {
        list.iter()
            .map(|&i| doc_link(manual, i, ""))
            .collect::<Vec<_>>()
    };
    let entry = |id: &str, title: &str, depth: usize| {
        let cov = manual.coverage.get(id);
        let declared = cov.map(|c| links(&c.declared)).unwrap_or_default();
        let mentioned = cov.map(|c| links(&c.mentioned)).unwrap_or_default();
        ClauseEntry {
            id: id.to_string(),
            title: title.to_string(),
            depth,
            covered: is_covered(manual, id),
            excluded: excluded_in_soa(manual, id),
            declared,
            mentioned,
        }
    };
    let mut sections: Vec<ClauseSection> = Vec::new();
    for c in &cat.clauses {
        let depth = c.id.matches('.').count();
        if depth == 0 {
            sections.push(ClauseSection {
                key: c.id.clone(),
                label: format!("Clause {} {}", c.id, c.title),
                entries: Vec::new(),
            });
        }
        if let Some(s) = sections.last_mut() {
            s.entries.push(entry(&c.id, &c.title, depth));
        }
    }
    let mut annex = ClauseSection {
        key: "annex-a".into(),
        label: "Annex A Reference control objectives and controls".into(),
        entries: Vec::new(),
    };
    for o in &cat.objectives {
        let depth = usize::from(o.parent.is_some());
        annex.entries.push(ClauseEntry {
            covered: true,
            ..entry(&o.id, &o.title, depth)
        });
        for c in cat.controls.iter().filter(|c| c.objective == o.id) {
            annex.entries.push(entry(&c.id, &c.title, depth + 1));
        }
    }
    sections.push(annex);
    let page = ClausePage {
        base: Base {
            site: &input.site,
            root: "",
            page_title: "Clause index".into(),
            current: "clauses",
        },
        sections,
    };
    render_one(tera, "clauses.html", &page)
}

/// A clause is covered when a document declares it, or (for a parent) any of its sub-clauses.
pub fn is_covered(manual: &Manual, id: &str) -> bool {
    let cat = catalog::get();
    if manual
        .coverage
        .get(id)
        .is_some_and(|c| !c.declared.is_empty())
    {
        return true;
    }
    match cat.lookup(id) {
        Some(CatEntry::Clause(_)) => cat
            .clauses
            .iter()
            .filter(|c| c.parent.as_deref() == Some(id))
            .any(|c| is_covered(manual, &c.id)),
        _ => false,
    }
}

fn render_home(input: &Input<'_>, tera: &tera::Tera) -> Result<Vec<u8>, Diagnostic> {
    let manual = input.manual;
    let mut by_status: BTreeMap<Status, usize> = BTreeMap::new();
    let mut overdue = Vec::new();
    let mut due_soon = Vec::new();
    let mut drafts = Vec::new();
    for i in manual.included() {
        let d = &manual.entries[i].doc;
        *by_status.entry(d.status).or_default() += 1;
        let row = || ReviewRow {
            id: d.id.value.clone(),
            title: d.title.clone(),
            url: link::doc_url(&d.id.value),
            owner: d.owner.clone(),
            review_date: d.review_date.map(|r| r.to_string()).unwrap_or_default(),
        };
        match review_state(d.review_date, d.status, input.today, input.warning_days) {
            ReviewState::Overdue => overdue.push((d.review_date, row())),
            ReviewState::DueSoon => due_soon.push((d.review_date, row())),
            _ => {}
        }
        if !d.is_published() {
            drafts.push(DraftRow {
                link: doc_link(manual, i, ""),
                status: d.status.as_str(),
            });
        }
    }
    overdue.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    due_soon.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let cat = catalog::get();
    let gaps: Vec<RefLink> = cat
        .clauses
        .iter()
        .map(|c| c.id.as_str())
        .chain(cat.controls.iter().map(|c| c.id.as_str()))
        .filter(|id| !is_covered(manual, id) && !excluded_in_soa(manual, id))
        .map(ref_link)
        .collect();
    let readiness = standard::readiness_rows(input);
    let readiness_total = readiness.len();
    let readiness_gaps: Vec<standard::ReadinessRow> = readiness
        .into_iter()
        .filter(|r| r.state != crate::link::standard::Readiness::Ready)
        .collect();
    let readiness_ready = readiness_total - readiness_gaps.len();
    let scope = input
        .scope_document
        .as_deref()
        .and_then(|id| manual.by_id.get(id))
        .filter(|&&i| manual.is_included(i))
        .map(|&i| doc_link(manual, i, ""));
    let total = by_status.values().sum();
    let page = HomePage {
        base: Base {
            site: &input.site,
            root: "",
            page_title: "Home".into(),
            current: "home",
        },
        scope,
        stats: Stats {
            total,
            by_status: by_status
                .into_iter()
                .map(|(s, count)| StatusCount {
                    status: s.as_str(),
                    count,
                })
                .collect(),
        },
        reviews: ReviewSummary {
            window_days: input.warning_days,
            overdue_count: overdue.len(),
            due_soon_count: due_soon.len(),
            overdue: overdue
                .into_iter()
                .take(DASHBOARD_ROWS)
                .map(|r| r.1)
                .collect(),
            due_soon: due_soon
                .into_iter()
                .take(DASHBOARD_ROWS)
                .map(|r| r.1)
                .collect(),
        },
        drafts: drafts.into_iter().take(DASHBOARD_ROWS).collect(),
        gaps,
        readiness_ready,
        readiness_total,
        readiness_gaps,
        latest: registers::latest(
            manual,
            Base {
                site: &input.site,
                root: "",
                page_title: String::new(),
                current: "",
            },
            5,
        ),
    };
    render_one(tera, "index.html", &page)
}

#[derive(Serialize)]
struct OwnerGroup {
    owner: String,
    docs: Vec<DraftRow>,
}

#[derive(Serialize)]
struct OwnersPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    owners: Vec<OwnerGroup>,
}

fn render_owners(input: &Input<'_>, tera: &tera::Tera) -> Result<Vec<u8>, Diagnostic> {
    let manual = input.manual;
    let mut groups: BTreeMap<String, Vec<DraftRow>> = BTreeMap::new();
    for i in manual.included() {
        let d = &manual.entries[i].doc;
        if d.status == Status::Withdrawn {
            continue;
        }
        groups.entry(d.owner.clone()).or_default().push(DraftRow {
            link: doc_link(manual, i, ""),
            status: d.status.as_str(),
        });
    }
    let page = OwnersPage {
        base: Base {
            site: &input.site,
            root: "",
            page_title: "Owners".into(),
            current: "owners",
        },
        owners: groups
            .into_iter()
            .map(|(owner, docs)| OwnerGroup { owner, docs })
            .collect(),
    };
    render_one(tera, "owners.html", &page)
}

/// Whether the Statement of Applicability excludes a control (then it is no gap).
pub fn excluded_in_soa(manual: &Manual, id: &str) -> bool {
    manual.soa().is_some_and(|s| {
        manual.entries[s]
            .doc
            .applicability
            .iter()
            .any(|a| a.control.value == id && a.applicable == Some(false))
    })
}
