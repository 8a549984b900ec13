//! The pages about many documents: the home dashboard, the lists by type, the clause index,
//! the owners page (print.html is `print.rs`'s).

use std::collections::BTreeMap;

use serde::Serialize;

use super::chrome::{self, Frame};
use super::context::{
    Base, DocLink, DocRow, Input, Page, RefLink, Shared, doc_link, ref_link, render_one, type_url,
    write_or_render,
};
use super::paging::{ListInfo, Pager, Pages, slice_groups};
use super::{registers, standard_pages, systems};
use crate::catalog;
use crate::diagnostic::Diagnostic;
use crate::link::Manual;
use crate::link::facts::ReviewState;
use crate::model::{DocType, Status};

#[derive(Serialize)]
pub(crate) struct Group<'a> {
    key: &'static str,
    label: &'static str,
    docs: Vec<DocRow<'a>>,
    /// The group began on an earlier page.
    continued: bool,
    /// The group goes on to the next page.
    continues: bool,
}

#[derive(Serialize)]
pub(crate) struct ListPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    intro: String,
    groups: Vec<Group<'a>>,
    withdrawn: Vec<DocLink<'a>>,
    /// For a list of more than one page.
    pager: Option<Pager>,
}

/// The documents a list shows, in order: the current ones by type, then the withdrawn.
pub(crate) struct DocList {
    by_type: Vec<(DocType, Vec<usize>)>,
    withdrawn: Vec<usize>,
}

impl DocList {
    /// Every document of the build, or those of type `only`.
    pub(crate) fn new(manual: &Manual, only: Option<DocType>) -> DocList {
        let mut by_type = Vec::new();
        let mut withdrawn = Vec::new();
        for t in DocType::ALL {
            if only.is_some_and(|o| o != *t) {
                continue;
            }
            let of_type = || {
                manual
                    .included()
                    .filter(move |&i| manual.entries[i].doc.doc_type == *t)
            };
            let current: Vec<usize> = of_type()
                .filter(|&i| manual.entries[i].doc.status != Status::Withdrawn)
                .collect();
            withdrawn
                .extend(of_type().filter(|&i| manual.entries[i].doc.status == Status::Withdrawn));
            if !current.is_empty() {
                by_type.push((*t, current));
            }
        }
        DocList { by_type, withdrawn }
    }

    /// The rows of each group in a row: each type's, then the withdrawn.
    fn lens(&self) -> Vec<usize> {
        self.by_type
            .iter()
            .map(|(_, docs)| docs.len())
            .chain([self.withdrawn.len()])
            .collect()
    }

    pub(crate) fn rows(&self) -> usize {
        self.lens().iter().sum()
    }
}

#[derive(Serialize, Clone)]
pub(crate) struct ClauseEntry<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) depth: usize,
    pub(crate) covered: bool,
    /// An Annex A control the Statement of Applicability excludes.
    pub(crate) excluded: bool,
    pub(crate) declared: Vec<DocLink<'a>>,
    pub(crate) mentioned: Vec<DocLink<'a>>,
    /// Documents beyond those listed (the clause index shows the first [`CLAUSE_INDEX_ROWS`];
    /// the clause's own page has them all).
    declared_more: usize,
    mentioned_more: usize,
}

/// How many documents the clause index names per entry and list: the index stays the same
/// size however large the manual grows.
pub(crate) const CLAUSE_INDEX_ROWS: usize = 12;

#[derive(Serialize, Clone)]
pub(crate) struct ClauseSection<'a> {
    key: String,
    pub(crate) label: String,
    pub(crate) entries: Vec<ClauseEntry<'a>>,
}

/// About how many bytes each entry of `sections` (in a row) takes in the printed coverage
/// table: its title and the ids of its documents.
pub(crate) fn coverage_weights(sections: &[ClauseSection<'_>]) -> Vec<usize> {
    sections
        .iter()
        .flat_map(|s| {
            s.entries.iter().enumerate().map(|(n, e)| {
                let ids: usize = e
                    .declared
                    .iter()
                    .chain(&e.mentioned)
                    .map(|d| d.id.len() + 2)
                    .sum();
                // The first entry of a section carries the section's heading row.
                let heading = if n == 0 { 100 + s.label.len() } else { 0 };
                120 + e.id.len() + e.title.len() + ids + heading
            })
        })
        .collect()
}

/// The entries `range` of `sections` (counted in a row), in their sections.
pub(crate) fn coverage_slice<'a>(
    sections: &[ClauseSection<'a>],
    range: &std::ops::Range<usize>,
) -> Vec<ClauseSection<'a>> {
    let lens: Vec<usize> = sections.iter().map(|s| s.entries.len()).collect();
    slice_groups(&lens, range)
        .into_iter()
        .map(|(g, rows)| ClauseSection {
            key: sections[g].key.clone(),
            label: sections[g].label.clone(),
            entries: sections[g].entries[rows].to_vec(),
        })
        .collect()
}

#[derive(Serialize)]
pub(crate) struct ClausePage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    sections: Vec<ClauseSection<'a>>,
}

#[derive(Serialize)]
pub(crate) struct ReviewSummary<'a> {
    window_days: u32,
    overdue_count: usize,
    due_soon_count: usize,
    overdue: Vec<DocRow<'a>>,
    due_soon: Vec<DocRow<'a>>,
}

#[derive(Serialize)]
pub(crate) struct DraftRow<'a> {
    #[serde(flatten)]
    link: DocLink<'a>,
    status: &'static str,
}

#[derive(Serialize)]
pub(crate) struct StatusCount {
    status: &'static str,
    count: usize,
}

#[derive(Serialize)]
pub(crate) struct Stats {
    total: usize,
    by_status: Vec<StatusCount>,
}

#[derive(Serialize)]
pub(crate) struct HomePage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    scope: Option<DocLink<'a>>,
    stats: Stats,
    reviews: ReviewSummary<'a>,
    drafts: Vec<DraftRow<'a>>,
    gaps: Vec<RefLink>,
    readiness_ready: usize,
    readiness_total: usize,
    readiness_gaps: Vec<standard_pages::ReadinessRow<'a>>,
    latest: registers::ChangesPage<'a>,
    /// The AI systems, one column per state (empty without systems).
    systems: Vec<systems::DashboardColumn>,
    /// What everyone must know: the first [`EVERYONE_ROWS`] documents for all staff.
    everyone: Vec<EveryoneRow<'a>>,
    /// How many documents are for all staff (the home page shows the first few).
    everyone_total: usize,
}

/// A document every member of staff must read, as the home page leads with it.
#[derive(Serialize)]
pub(crate) struct EveryoneRow<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    summary: Option<&'a str>,
    version: &'a str,
    ack_url: Option<String>,
}

/// The home page's "what everyone must know" stays short; the documents list has them all.
pub(crate) const EVERYONE_ROWS: usize = 12;

fn everyone<'a>(input: &'a Input<'a>) -> Vec<EveryoneRow<'a>> {
    let manual = input.manual;
    manual
        .facts
        .for_everyone
        .iter()
        .take(EVERYONE_ROWS)
        .map(|&i| {
            let d = &manual.entries[i].doc;
            EveryoneRow {
                id: &d.id.value,
                title: &d.title,
                url: crate::link::doc_url(&d.id.value),
                summary: d.summary.as_deref(),
                version: &d.version,
                ack_url: super::context::ack_url(&input.site, d),
            }
        })
        .collect()
}

/// Dashboard lists stay short; the full lists live on their own pages.
pub(crate) const DASHBOARD_ROWS: usize = 10;

/// Page `k` of the list of `docs` (every document, or those of type `only`).
pub(crate) fn render_list(
    input: &Input<'_>,
    tera: &tera::Tera,
    only: Option<DocType>,
    docs: &DocList,
    pages: &Pages,
    k: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let manual = input.manual;
    let lens = docs.lens();
    let range = pages.rows_of(k);
    let mut groups = Vec::new();
    let mut withdrawn = Vec::new();
    for (g, rows) in slice_groups(&lens, &range) {
        match docs.by_type.get(g) {
            Some((t, list)) => {
                let info = ListInfo::new(list.len(), &rows, k == 0);
                groups.push(Group {
                    key: t.as_str(),
                    label: t.plural(),
                    docs: list[rows].iter().map(|&i| DocRow::new(manual, i)).collect(),
                    continued: info.continued,
                    continues: info.continues,
                });
            }
            None => withdrawn.extend(
                docs.withdrawn[rows]
                    .iter()
                    .map(|&i| doc_link(manual, i, "")),
            ),
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
    let page = ListPage {
        base: Base {
            site: &input.site,
            root,
            page_title: pages.title(&title, k),
            current: &current,
        },
        intro,
        groups,
        withdrawn,
        pager: pages.pager(
            k,
            &match only {
                Some(t) => format!("Pages of the {}", t.plural().to_lowercase()),
                None => "Pages of the documents".to_string(),
            },
        ),
    };
    write_or_render(
        input,
        tera,
        ("documents.html", &LIST_TEMPLATES),
        &page,
        write_list_page,
    )
}

/// The templates [`write_list_page`] stands in for.
pub const LIST_TEMPLATES: [&str; 3] = ["documents.html", "base.html", "pager.html"];

/// A page of the list of all documents, or of one type's, as the built-in `documents.html` (in
/// `base.html`) renders it: together these lists name every document twice.
fn write_list_page(page: &ListPage<'_>, out: &mut Vec<u8>) {
    let base = &page.base;
    let root = base.root;
    chrome::page(out, &Frame::of(base, &["page"]), base.site, |h| {
        h.raw("\n<h1>").text(&base.page_title).raw("</h1>\n");
        if !page.intro.is_empty() {
            h.raw("<p>").text(&page.intro).raw("</p>");
        }
        h.raw("\n");
        chrome::pager(h, page.pager.as_ref(), false);
        for g in &page.groups {
            h.raw("\n<section aria-labelledby=\"g-")
                .text(g.key)
                .raw("\">\n<h2 id=\"g-")
                .text(g.key)
                .raw("\">")
                .text(g.label)
                .when(g.continued, " (continued)")
                .raw("</h2>\n<table class=\"doc-list\">\n<thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Title</th><th scope=\"col\">Version</th><th scope=\"col\">Status</th><th scope=\"col\">Owner</th><th scope=\"col\">Next review</th></tr></thead>\n<tbody>\n");
            for d in &g.docs {
                h.raw("<tr><td><a href=\"")
                    .text(root)
                    .text(&d.url)
                    .raw("\">")
                    .text(d.id)
                    .raw("</a></td><td>")
                    .text(d.title)
                    .raw("</td><td>")
                    .text(d.version)
                    .raw("</td><td><span class=\"status status-")
                    .text(d.status)
                    .raw("\">")
                    .text(d.status)
                    .raw("</span></td><td>")
                    .text(d.owner)
                    .raw("</td><td class=\"review review-")
                    .raw(d.review_state.as_str())
                    .raw("\">")
                    .date(d.review_date)
                    .raw("</td></tr>\n");
            }
            h.raw("\n</tbody>\n</table>\n");
            if g.continues {
                h.raw("<p class=\"note\">Continues on the <a href=\"")
                    .text(page.pager.as_ref().map_or("", |p| p.next.as_str()))
                    .raw("\">next page</a>.</p>\n");
            }
            h.raw("</section>\n");
        }
        h.raw("\n");
        if !page.withdrawn.is_empty() {
            h.raw("\n<section aria-labelledby=\"g-withdrawn\">\n<h2 id=\"g-withdrawn\">Withdrawn</h2>\n<ul>");
            chrome::doc_items(h, root, &page.withdrawn);
            h.raw("</ul>\n</section>\n");
        }
        h.raw("\n");
        chrome::pager(h, page.pager.as_ref(), true);
    });
}

pub(crate) fn render_clauses(input: &Input<'_>, tera: &tera::Tera) -> Result<Vec<u8>, Diagnostic> {
    let page = ClausePage {
        base: Base {
            site: &input.site,
            root: "",
            page_title: "Clause index".into(),
            current: "clauses",
        },
        sections: clause_sections(input.manual)
            .into_iter()
            .map(|mut s| {
                for e in &mut s.entries {
                    e.declared_more = e.declared.len().saturating_sub(CLAUSE_INDEX_ROWS);
                    e.declared.truncate(CLAUSE_INDEX_ROWS);
                    e.mentioned_more = e.mentioned.len().saturating_sub(CLAUSE_INDEX_ROWS);
                    e.mentioned.truncate(CLAUSE_INDEX_ROWS);
                }
                s
            })
            .collect(),
    };
    render_one(tera, "clauses.html", &page)
}

/// Clauses 4–10 and Annex A as a tree, each entry with the documents that address it.
pub(crate) fn clause_sections(manual: &Manual) -> Vec<ClauseSection<'_>> {
    let cat = catalog::get();
    let links = |list: &[usize]| {
        list.iter()
            .map(|&i| doc_link(manual, i, ""))
            .collect::<Vec<_>>()
    };
    let entry = |id: &'static str, title: &'static str, depth: usize| {
        let cov = manual.coverage.get(id);
        let declared = cov.map(|c| links(&c.declared)).unwrap_or_default();
        let mentioned = cov.map(|c| links(&c.mentioned)).unwrap_or_default();
        ClauseEntry {
            id,
            title,
            depth,
            covered: manual.is_covered(id),
            excluded: manual.excluded_in_soa(id),
            declared,
            mentioned,
            declared_more: 0,
            mentioned_more: 0,
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
    sections
}

pub(crate) fn render_home(input: &Input<'_>, tera: &tera::Tera) -> Result<Vec<u8>, Diagnostic> {
    let manual = input.manual;
    let mut by_status: BTreeMap<Status, usize> = BTreeMap::new();
    let mut overdue = Vec::new();
    let mut due_soon = Vec::new();
    let mut drafts = Vec::new();
    for i in manual.included() {
        let d = &manual.entries[i].doc;
        *by_status.entry(d.status).or_default() += 1;
        let row = || DocRow::new(manual, i);
        match manual.review_state(i) {
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
    overdue.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(b.1.id)));
    due_soon.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(b.1.id)));
    let cat = catalog::get();
    let gaps: Vec<RefLink> = cat
        .clauses
        .iter()
        .map(|c| c.id.as_str())
        .chain(cat.controls.iter().map(|c| c.id.as_str()))
        .filter(|id| !manual.is_covered(id) && !manual.excluded_in_soa(id))
        .map(ref_link)
        .collect();
    let readiness = standard_pages::readiness_rows(input);
    let readiness_total = readiness.len();
    let readiness_gaps: Vec<standard_pages::ReadinessRow<'_>> = readiness
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
            window_days: manual.facts.calendar.warning_days,
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
        systems: systems::dashboard(manual),
        everyone: everyone(input),
        everyone_total: manual.facts.for_everyone.len(),
    };
    render_one(tera, "index.html", &page)
}

#[derive(Serialize)]
pub(crate) struct OwnerGroup<'a> {
    owner: &'a str,
    docs: Vec<DraftRow<'a>>,
    /// How many documents the owner has in all (`docs` are those on this page).
    total: usize,
    /// The group began on an earlier page.
    continued: bool,
    /// The group goes on to the next page.
    continues: bool,
}

#[derive(Serialize)]
pub(crate) struct OwnersPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    owners: Vec<OwnerGroup<'a>>,
    /// How many owners there are in all (`owners` are those on this page).
    owner_count: usize,
    /// For a list of more than one page.
    pager: Option<Pager>,
}

/// Each owner (in name order) with their current documents.
pub(crate) type OwnerGroups<'a> = Vec<(&'a str, Vec<usize>)>;

/// The owners and their documents, withdrawn documents left out.
pub(crate) fn owner_groups(manual: &Manual) -> OwnerGroups<'_> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for i in manual.included() {
        let d = &manual.entries[i].doc;
        if d.status == Status::Withdrawn {
            continue;
        }
        groups.entry(&d.owner).or_default().push(i);
    }
    groups.into_iter().collect()
}

/// Page `k` of the owners (`owners`), paginated by documents; an owner whose documents run on
/// past a page keeps its heading on the next, marked as continued.
pub(crate) fn render_owners(
    input: &Input<'_>,
    tera: &tera::Tera,
    owners: &OwnerGroups<'_>,
    pages: &Pages,
    k: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let manual = input.manual;
    let lens: Vec<usize> = owners.iter().map(|(_, docs)| docs.len()).collect();
    let page = OwnersPage {
        base: Base {
            site: &input.site,
            root: "",
            page_title: pages.title("Owners", k),
            current: "owners",
        },
        owners: slice_groups(&lens, &pages.rows_of(k))
            .into_iter()
            .map(|(g, rows)| {
                let (owner, docs) = &owners[g];
                let info = ListInfo::new(docs.len(), &rows, k == 0);
                OwnerGroup {
                    owner,
                    docs: docs[rows]
                        .iter()
                        .map(|&i| DraftRow {
                            link: doc_link(manual, i, ""),
                            status: manual.entries[i].doc.status.as_str(),
                        })
                        .collect(),
                    total: docs.len(),
                    continued: info.continued,
                    continues: info.continues,
                }
            })
            .collect(),
        owner_count: owners.len(),
        pager: pages.pager(k, "Pages of the owners"),
    };
    render_one(tera, "owners.html", &page)
}

/// This module's pages: the dashboard, the lists of documents (all, and one per type with
/// documents in the build), the clause index and the owners.
pub(crate) fn pages<'s>(shared: &'s Shared<'s>) -> Vec<Page<'s>> {
    let (input, tera) = (shared.input, shared.tera);
    let manual = input.manual;
    let mut pages = vec![
        Page::new("index.html", move || render_home(input, tera)),
        Page::new("clauses.html", move || render_clauses(input, tera)),
    ];
    let per_page = input.per_page("documents.html");
    let types: std::collections::BTreeSet<DocType> = manual
        .included()
        .map(|i| &manual.entries[i].doc)
        .filter(|d| d.status != Status::Withdrawn)
        .map(|d| d.doc_type)
        .collect();
    // All documents, then each type with documents, each list on as many pages as it takes.
    let lists = std::iter::once((None, "documents.html".to_string()))
        .chain(types.into_iter().map(|t| (Some(t), type_url(t))));
    for (only, first) in lists {
        let docs = std::sync::Arc::new(DocList::new(manual, only));
        let list = Pages::new(first, docs.rows(), per_page);
        for k in 0..list.count() {
            let (docs, list) = (docs.clone(), list.clone());
            pages.push(Page::new(list.path(k), move || {
                render_list(input, tera, only, &docs, &list, k)
            }));
        }
    }
    let owners = std::sync::Arc::new(owner_groups(manual));
    let list = Pages::new(
        "owners.html",
        owners.iter().map(|(_, docs)| docs.len()).sum(),
        input.per_page("owners.html"),
    );
    for k in 0..list.count() {
        let (owners, list) = (owners.clone(), list.clone());
        pages.push(Page::new(list.path(k), move || {
            render_owners(input, tera, &owners, &list, k)
        }));
    }
    pages
}
