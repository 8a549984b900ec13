//! What every page shares (site facts, navigation, links to documents and clauses) and
//! `render_all`, which renders every page of the site into a sink: document pages
//! (`document.rs`), pages about many documents (`lists.rs`), registers (`registers.rs`) and the
//! standard's pages (`standard.rs`). Writes nothing itself.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

pub(crate) use super::document::*;
pub use super::document::{Banner, DocView, RenderMemo, print_body};
pub(crate) use super::lists::*;
use super::{registers, standard};
use crate::catalog;
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
    pub raw_html: RawHtml,
    pub scope_document: Option<String>,
    /// Highlighted code from earlier builds, by language and code.
    pub highlights: &'a crate::cache::Store,
    /// Document pages of the previous build (serve keeps one between rebuilds).
    pub memo: Option<&'a RenderMemo>,
    /// The previous output, whose unchanged document pages are reused.
    pub previous: Option<&'a dyn PreviousPages>,
    /// Identifies the templates, so that a template change re-renders every page.
    pub theme_key: crate::cache::Key,
    /// Set when building for the Stage 1 pack: the views only the pack carries.
    pub pack: Option<&'a super::pack::Pack>,
    /// A live preview (`serve`): pages of documents that are not public say so.
    pub preview: bool,
}

pub use crate::link::facts::ReviewState;

/// The pages of the previous build, by output path. The output stage implements it: render
/// itself reads no files.
pub trait PreviousPages: Sync {
    /// The bytes of the page at `rel` (relative to the output root), when there is one.
    fn page(&self, rel: &str) -> Option<Vec<u8>>;
}

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

pub(crate) fn render_one(
    tera: &tera::Tera,
    name: &str,
    ctx: &impl Serialize,
) -> Result<Vec<u8>, Diagnostic> {
    let context =
        tera::Context::from_serialize(ctx).map_err(|e| crate::theme::template_error(name, &e))?;
    render_context(tera, name, &context, 64 * 1024)
}

/// [`render_one`] for a context without `site`, which is given already converted; `size` is
/// about how long the page will be.
pub(crate) fn render_with_site(
    tera: &tera::Tera,
    name: &str,
    ctx: &impl Serialize,
    site: &tera::Value,
    size: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let mut context =
        tera::Context::from_serialize(ctx).map_err(|e| crate::theme::template_error(name, &e))?;
    context.insert_value("site", site.clone());
    render_context(tera, name, &context, size)
}

/// Renders into a buffer made about as large as the page, so that it is not copied while it
/// grows. Templates and their values are UTF-8, so the bytes are too.
fn render_context(
    tera: &tera::Tera,
    name: &str,
    context: &tera::Context,
    size: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let mut out = Vec::with_capacity(size);
    tera.render_to(name, context, &mut out)
        .map_err(|e| crate::theme::template_error(name, &e))?;
    Ok(out)
}

/// Where rendered pages go: called from many threads at once with (path relative to the output
/// root, bytes), so that no page is held in memory longer than it takes to write it.
pub type Sink<'a> = dyn Fn(&str, &[u8]) -> crate::error::Result<()> + Sync + 'a;

/// Where print.html goes: its frame, split where the document sections go (see
/// [`PRINT_BODY`]), and each document's section by its position. Sections may come before the
/// frame and in any order.
pub trait PrintSink: Sync {
    fn frame(&self, head: &[u8], tail: &[u8]) -> crate::error::Result<()>;
    fn section(&self, position: usize, bytes: Vec<u8>) -> crate::error::Result<()>;
}

/// What the render leaves for the write stage.
pub struct RenderOutcome {
    pub pages: usize,
    /// How many document sections print.html holds.
    pub print_sections: usize,
    pub search_index_bytes: usize,
}

/// Where the document sections go in print.html.
pub const PRINT_BODY: &str = "<!--AIMS-PRINT-BODY-->";

/// Renders every page into `sink`.
pub fn render_all(
    input: &Input<'_>,
    tera: &tera::Tera,
    sink: &Sink<'_>,
    print: &dyn PrintSink,
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
    // The print page lists documents by type, then id; the sections are written into it as they
    // are rendered, so no body is held in memory for long.
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
    let register_rows = registers::rows(input);
    let rows = &register_rows;
    let soa = &input.manual.facts.soa;
    let soa_rows = standard::soa_rows(input.manual, soa, "");
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
    if let Some(pack) = input.pack {
        others.push((
            "coverage.csv".into(),
            Box::new(move || Ok(super::pack::coverage_csv(manual).into_bytes())),
        ));
        if let Some(since) = &pack.since {
            others.push((
                "since.html".into(),
                Box::new(move || {
                    let title = format!("Changed since {}", since.tag);
                    render_one(
                        tera,
                        "since.html",
                        &super::pack::since_page(input, since, base(&title, "since")),
                    )
                }),
            ));
            others.push((
                "since.csv".into(),
                Box::new(move || Ok(super::pack::since_csv(manual, since).into_bytes())),
            ));
        }
    }
    // Document pages and the other pages render side by side, so the long single pages (the
    // register, the list of all documents) do not run alone at the end.
    let site = tera::Value::try_from_serializable(&input.site)
        .map_err(|e| invalid(crate::theme::template_error("document.html", &e)))?;
    // Documents render in print order, each thread taking the next one in line, so the sections
    // reach print.html nearly in order and few wait in memory; withdrawn ones come last.
    let render_order: Vec<usize> = print_order
        .iter()
        .copied()
        .chain(
            included
                .iter()
                .copied()
                .filter(|&i| manual.entries[i].doc.status == Status::Withdrawn),
        )
        .collect();
    let next_doc = std::sync::atomic::AtomicUsize::new(0);
    let render_one_doc = |i: usize| -> crate::error::Result<()> {
        let (prev, next) = neighbours.get(&i).copied().unwrap_or((None, None));
        let out = render_document(input, tera, &site, i, prev, next).map_err(invalid)?;
        sink(&out.path, &out.bytes)?;
        if let (Some(section), Some(&p)) = (out.print, print_pos.get(&i)) {
            print.section(p, section)?;
        }
        if let Ok(mut v) = search_docs.lock() {
            v.push((i, out.search));
        }
        Ok(())
    };
    let render_docs = || -> crate::error::Result<()> {
        let failed: std::sync::Mutex<Option<crate::error::Error>> = std::sync::Mutex::new(None);
        let work = || {
            use std::sync::atomic::Ordering;
            loop {
                let k = next_doc.fetch_add(1, Ordering::Relaxed);
                let Some(&i) = render_order.get(k) else {
                    return;
                };
                if let Err(e) = render_one_doc(i) {
                    // Stop every worker; the first error is reported.
                    next_doc.store(render_order.len(), Ordering::Relaxed);
                    if let Ok(mut f) = failed.lock() {
                        f.get_or_insert(e);
                    }
                    return;
                }
            }
        };
        rayon::scope(|s| {
            for _ in 1..rayon::current_num_threads() {
                s.spawn(|_| work());
            }
            work();
        });
        match failed.into_inner() {
            Ok(Some(e)) => Err(e),
            _ => Ok(()),
        }
    };
    let render_others = || -> crate::error::Result<()> {
        others.par_iter().try_for_each(|(path, render)| {
            let bytes = render().map_err(invalid)?;
            sink(path, &bytes)
        })
    };
    // print.html's frame (cover, contents and the appendix tables) renders first, beside the
    // documents: their sections wait for its head.
    let render_print_frame = || -> crate::error::Result<()> {
        let tables = super::lists::PrintTables {
            soa: soa_rows,
            soa_document: soa_doc.as_ref(),
            register: rows,
        };
        let page = render_print(input, tera, &print_order, tables).map_err(invalid)?;
        let marker = PRINT_BODY.as_bytes();
        let (head, tail) = match memchr::memmem::find(&page, marker) {
            Some(at) => (&page[..at], &page[at + marker.len()..]),
            // A template without the marker: the sections follow the page.
            None => (&page[..], &page[page.len()..]),
        };
        print.frame(head, tail)
    };
    let (print_done, (docs_done, others_done)) = rayon::join(render_print_frame, || {
        rayon::join(render_docs, render_others)
    });
    print_done?;
    docs_done?;
    others_done?;
    let mut search_docs = search_docs.into_inner().unwrap_or_default();
    search_docs.sort_by_key(|x| x.0);
    let search_docs: Vec<super::search::SearchDoc> = search_docs.into_iter().map(|x| x.1).collect();
    let search_script = super::search::script(&search_docs);
    sink("assets/search-index.js", search_script.as_bytes())?;

    Ok(RenderOutcome {
        pages: included.len() + others.len() + 2,
        print_sections: print_order.len(),
        search_index_bytes: search_script.len(),
    })
}
