//! Pages of the standard: the Statement of Applicability (HTML, CSV, JSON), Stage 1 readiness and
//! one page per clause and per Annex A control.

use serde::Serialize;

use super::chrome::{self, Frame, Html};
use super::context::{
    Base, DocLink, Input, Page, RefLink, Shared, doc_link, ref_link, render_one, write_or_render,
};
use super::paging::{ListInfo, Pager, Pages, slice_groups};
use crate::catalog;
use crate::link::standard::{Readiness, Soa};
use crate::link::{self, Manual};

#[derive(Serialize)]
pub struct SoaRowView<'a> {
    pub control: &'a str,
    pub title: &'a str,
    pub objective: &'a str,
    pub url: String,
    /// "applicable", "excluded" or "not listed".
    pub applicability: &'static str,
    pub justification: &'a str,
    pub implementation: &'static str,
    pub documents: Vec<DocLink<'a>>,
    pub owners: Vec<&'a str>,
    /// Documents beyond those listed (soa.html names the first [`SUMMARY_ROWS`]; the control's
    /// page has them all).
    pub more: usize,
}

/// How many documents soa.html names per control and readiness.html per item: past these, "and
/// N more" links to the page that lists them all, so neither page grows with the manual.
pub const SUMMARY_ROWS: usize = 12;

pub fn soa_rows<'a>(manual: &'a Manual, soa: &'a Soa, root: &str) -> Vec<SoaRowView<'a>> {
    soa.rows
        .iter()
        .map(|r| {
            let mut owners: Vec<&str> = r
                .implementing
                .iter()
                .map(|&i| manual.entries[i].doc.owner.as_str())
                .collect();
            owners.sort();
            owners.dedup();
            SoaRowView {
                control: &r.control,
                title: &r.title,
                objective: &r.objective,
                url: match r.catalog {
                    Some(c) => link::standards::ref_url(&c.key, &r.control),
                    None => link::clause_page_url(&r.control),
                },
                applicability: match r.applicable {
                    Some(true) => "applicable",
                    Some(false) => "excluded",
                    None => "not listed",
                },
                justification: &r.justification,
                implementation: r.implementation.map_or("", |i| i.as_str()),
                documents: r
                    .implementing
                    .iter()
                    .map(|&i| doc_link(manual, i, root))
                    .collect(),
                owners,
                more: 0,
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct SoaPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub document: Option<DocLink<'a>>,
    pub rows: Vec<SoaRowView<'a>>,
    pub applicable: usize,
    pub excluded: usize,
    pub unlisted: usize,
}

pub fn soa_page<'a>(input: &'a Input<'a>, base: Base<'a>) -> SoaPage<'a> {
    let manual = input.manual;
    let soa = &manual.facts.soa;
    let mut rows = soa_rows(manual, soa, "");
    for r in &mut rows {
        r.more = r.documents.len().saturating_sub(SUMMARY_ROWS);
        r.documents.truncate(SUMMARY_ROWS);
    }
    SoaPage {
        base,
        document: soa.document.map(|i| doc_link(manual, i, "")),
        applicable: rows
            .iter()
            .filter(|r| r.applicability == "applicable")
            .count(),
        excluded: rows
            .iter()
            .filter(|r| r.applicability == "excluded")
            .count(),
        unlisted: rows
            .iter()
            .filter(|r| r.applicability == "not listed")
            .count(),
        rows,
    }
}

/// The SoA's CSV columns, in order (documented in the README).
pub const SOA_COLUMNS: &[&str] = &[
    "control",
    "title",
    "objective",
    "applicability",
    "justification",
    "implementation",
    "implementing_documents",
    "owners",
];

pub fn soa_csv(rows: &[SoaRowView]) -> String {
    let mut out = SOA_COLUMNS.join(",");
    out.push_str("\r\n");
    for r in rows {
        let docs: Vec<&str> = r.documents.iter().map(|d| d.id).collect();
        let fields = [
            r.control,
            r.title,
            r.objective,
            r.applicability,
            r.justification,
            r.implementation,
            &docs.join("; "),
            &r.owners.join("; "),
        ];
        let line: Vec<String> = fields
            .iter()
            .map(|f| super::registers::csv_escape(f))
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn soa_json(rows: &[SoaRowView<'_>], document: Option<&DocLink<'_>>) -> String {
    #[derive(Serialize)]
    struct Row<'a> {
        control: &'a str,
        title: &'a str,
        objective: &'a str,
        applicability: &'a str,
        justification: &'a str,
        implementation: &'a str,
        implementing_documents: Vec<&'a str>,
        owners: &'a [&'a str],
    }
    #[derive(Serialize)]
    struct Doc<'a> {
        document: Option<&'a str>,
        columns: &'a [&'a str],
        controls: Vec<Row<'a>>,
    }
    let doc = Doc {
        document: document.map(|d| d.id),
        columns: SOA_COLUMNS,
        controls: rows
            .iter()
            .map(|r| Row {
                control: r.control,
                title: r.title,
                objective: r.objective,
                applicability: r.applicability,
                justification: r.justification,
                implementation: r.implementation,
                implementing_documents: r.documents.iter().map(|d| d.id).collect(),
                owners: &r.owners,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[derive(Serialize)]
pub struct ReadinessRow<'a> {
    pub key: &'a str,
    pub item: &'a str,
    pub clause: RefLink,
    pub confirmed: bool,
    pub state: Readiness,
    /// Providers that are part of this build (linked).
    pub documents: Vec<ProviderView<'a>>,
    /// AI systems in scope that lack the item's record (linked to their page when in the build).
    pub systems_lacking: Vec<ProviderView<'a>>,
    /// Providers beyond those listed (readiness.html names the first [`SUMMARY_ROWS`]; the
    /// item's clause page lists the documents that address the clause).
    pub more: usize,
}

#[derive(Serialize)]
pub struct ProviderView<'a> {
    pub id: &'a str,
    /// Empty when the provider is a draft left out of this build.
    pub title: &'a str,
    /// Empty when the provider is a draft left out of this build.
    pub url: String,
    pub status: &'static str,
}

#[derive(Serialize)]
pub struct ReadinessPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub rows: Vec<ReadinessRow<'a>>,
    pub ready: usize,
    pub total: usize,
    pub gaps: usize,
}

/// Readiness rows for the documents of this build's classifications.
pub fn readiness_rows<'a>(input: &Input<'a>) -> Vec<ReadinessRow<'a>> {
    let manual = input.manual;
    manual
        .facts
        .readiness
        .iter()
        .map(|it| ReadinessRow {
            clause: ref_link(&it.clause),
            documents: it
                .providers
                .iter()
                .map(|&i| {
                    let d = &manual.entries[i].doc;
                    ProviderView {
                        id: &d.id.value,
                        title: if manual.is_included(i) { &d.title } else { "" },
                        url: if manual.is_included(i) {
                            link::doc_url(&d.id.value)
                        } else {
                            String::new()
                        },
                        status: d.status.as_str(),
                    }
                })
                .collect(),
            systems_lacking: it
                .systems_lacking
                .iter()
                .map(|&i| {
                    let d = &manual.entries[i].doc;
                    let shown = manual.is_included(i);
                    ProviderView {
                        id: &d.id.value,
                        title: if shown { &d.title } else { "" },
                        url: if shown {
                            link::systems::system_url(&d.id.value)
                        } else {
                            String::new()
                        },
                        status: d.status.as_str(),
                    }
                })
                .collect(),
            more: 0,
            key: &it.key,
            item: &it.item,
            confirmed: it.confirmed,
            state: it.state,
        })
        .collect()
}

pub fn readiness_page<'a>(input: &'a Input<'a>, base: Base<'a>) -> ReadinessPage<'a> {
    let mut rows = readiness_rows(input);
    for r in &mut rows {
        r.more = r.documents.len().saturating_sub(SUMMARY_ROWS);
        r.documents.truncate(SUMMARY_ROWS);
    }
    ReadinessPage {
        base,
        ready: rows.iter().filter(|r| r.state == Readiness::Ready).count(),
        total: rows.len(),
        gaps: rows.iter().filter(|r| r.state != Readiness::Ready).count(),
        rows,
    }
}

#[derive(Serialize)]
pub struct ClausePageView<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub parent: Option<RefLink>,
    pub children: Vec<RefLink>,
    pub covered: bool,
    /// An Annex A control the Statement of Applicability excludes.
    pub excluded: bool,
    /// The documents that address it and mention it, on this page.
    pub declared: Vec<DocLink<'a>>,
    pub mentioned: Vec<DocLink<'a>>,
    /// Where each list stands on this page (a clause of many documents has several pages).
    pub declared_info: ListInfo,
    pub mentioned_info: ListInfo,
    /// For a clause whose documents take more than one page.
    pub pager: Option<Pager>,
    pub soa: Option<&'a SoaRowView<'a>>,
    /// What the clause corresponds to in each other enabled standard (built-in crosswalks).
    pub also: Vec<super::standard_refs::DocStandard>,
}

/// Every clause, objective and control id with a page.
pub fn clause_ids() -> Vec<String> {
    let cat = catalog::get();
    cat.clauses
        .iter()
        .map(|c| c.id.clone())
        .chain(cat.objectives.iter().map(|o| o.id.clone()))
        .chain(cat.controls.iter().map(|c| c.id.clone()))
        .collect()
}

/// How many documents address and mention clause `id`: the rows of its page's lists.
pub fn clause_rows(manual: &Manual, id: &str) -> usize {
    manual
        .coverage
        .get(id)
        .map_or(0, |c| c.declared.len() + c.mentioned.len())
}

/// Page `k` of one clause, objective or control (`pages`: its lists' pages); `soa` is the
/// build's Statement of Applicability, computed once.
pub fn clause_page<'a>(
    input: &'a Input<'a>,
    id: &str,
    base: Base<'a>,
    soa: &'a [SoaRowView<'a>],
    pages: &Pages,
    k: usize,
) -> ClausePageView<'a> {
    let manual = input.manual;
    let cat = catalog::get();
    let root = "../";
    let links = |list: &[usize]| {
        list.iter()
            .map(|&i| doc_link(manual, i, root))
            .collect::<Vec<_>>()
    };
    let cov = manual.coverage.get(id);
    let (declared, mentioned) = cov.map_or((&[][..], &[][..]), |c| {
        (c.declared.as_slice(), c.mentioned.as_slice())
    });
    // This page's rows of the two lists, in a row.
    let mut ranges = [0..0, 0..0];
    for (g, r) in slice_groups(&[declared.len(), mentioned.len()], &pages.rows_of(k)) {
        ranges[g] = r;
    }
    let [in_declared, in_mentioned] = ranges;
    let (kind, parent, children): (&'static str, Option<String>, Vec<String>) = match cat.lookup(id)
    {
        Some(catalog::Item::Clause(i)) => (
            "Clause",
            cat.clauses[i].parent.clone(),
            cat.clauses
                .iter()
                .filter(|c| c.parent.as_deref() == Some(id))
                .map(|c| c.id.clone())
                .collect(),
        ),
        Some(catalog::Item::Objective(i)) => (
            "Annex A objective",
            cat.objectives[i].parent.clone(),
            cat.objectives
                .iter()
                .filter(|o| o.parent.as_deref() == Some(id))
                .map(|o| o.id.clone())
                .chain(
                    cat.controls
                        .iter()
                        .filter(|c| c.objective == id)
                        .map(|c| c.id.clone()),
                )
                .collect(),
        ),
        Some(catalog::Item::Control(i)) => (
            "Annex A control",
            Some(cat.controls[i].objective.clone()),
            Vec::new(),
        ),
        None => ("", None, Vec::new()),
    };
    let rel = |r: RefLink| RefLink {
        url: format!("{root}{}", r.url),
        ..r
    };
    let soa = if kind == "Annex A control" {
        soa.iter().find(|r| r.control == id)
    } else {
        None
    };
    ClausePageView {
        base,
        id: id.to_string(),
        title: cat.title(id).unwrap_or("").to_string(),
        kind,
        parent: parent.map(|p| rel(ref_link(&p))),
        children: children.iter().map(|c| rel(ref_link(c))).collect(),
        covered: manual.is_covered(id),
        excluded: manual.excluded_in_soa(id),
        declared_info: ListInfo::new(declared.len(), &in_declared, k == 0),
        mentioned_info: ListInfo::new(mentioned.len(), &in_mentioned, k == 0),
        declared: links(&declared[in_declared]),
        mentioned: links(&mentioned[in_mentioned]),
        pager: pages.pager(k, &format!("Pages of {id}")),
        soa,
        also: super::standard_refs::crosswalked(manual, id, root),
    }
}

/// This module's pages: the Statement of Applicability (HTML, CSV, JSON), Stage 1 readiness
/// and one page per clause, objective and control.
pub(crate) fn pages<'s>(
    shared: &'s Shared<'s>,
    soa_rows: &'s [SoaRowView<'s>],
    soa_doc: &'s Option<DocLink<'s>>,
) -> Vec<Page<'s>> {
    let (input, tera) = (shared.input, shared.tera);
    let mut pages = vec![
        Page::new("soa.html", move || {
            render_one(
                tera,
                "soa.html",
                &soa_page(input, shared.base("Statement of Applicability", "soa")),
            )
        }),
        Page::new("soa.csv", move || Ok(soa_csv(soa_rows).into_bytes())),
        Page::new("soa.json", move || {
            Ok(soa_json(soa_rows, soa_doc.as_ref()).into_bytes())
        }),
        Page::new("readiness.html", move || {
            render_one(
                tera,
                "readiness.html",
                &readiness_page(input, shared.base("Stage 1 readiness", "readiness")),
            )
        }),
    ];
    let per_page = input.per_page("clause.html");
    for id in clause_ids() {
        let list = Pages::new(
            link::clause_url(&id),
            clause_rows(input.manual, &id),
            per_page,
        );
        for k in 0..list.count() {
            let (id, list) = (id.clone(), list.clone());
            pages.push(Page::new(list.path(k), move || {
                let title = format!("{id} {}", catalog::get().title(&id).unwrap_or(""));
                let base = Base {
                    site: &input.site,
                    root: "../",
                    page_title: list.title(&title, k),
                    current: "clauses",
                };
                write_or_render(
                    input,
                    tera,
                    ("clause.html", &CLAUSE_TEMPLATES),
                    &clause_page(input, &id, base, soa_rows, &list, k),
                    write_clause_page,
                )
            }));
        }
    }
    pages
}

/// The templates [`write_clause_page`] stands in for.
pub const CLAUSE_TEMPLATES: [&str; 3] = ["clause.html", "base.html", "pager.html"];

/// A clause, objective or control page as the built-in `clause.html` (in `base.html`) renders
/// it; the manual's largest set of pages (its lists name each document under every clause and
/// control it addresses or mentions).
pub(crate) fn write_clause_page(v: &ClausePageView<'_>, out: &mut Vec<u8>) {
    let base = &v.base;
    chrome::page(out, &Frame::of(base, &["page"]), base.site, |h| {
        h.raw("\n<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><ol><li><a href=\"")
            .text(base.root)
            .raw("clauses.html\">Clause index</a></li>");
        if let Some(p) = &v.parent {
            h.raw("<li><a href=\"")
                .text(&p.url)
                .raw("\">")
                .text(&p.id)
                .raw(" ")
                .text(&p.title)
                .raw("</a></li>");
        }
        h.raw("<li aria-current=\"page\">")
            .text(&v.id)
            .raw("</li></ol></nav>\n<p class=\"doc-id\">")
            .text(v.kind)
            .raw(" ")
            .text(&v.id)
            .raw(" · ")
            .text(&base.site.standard)
            .raw("</p>\n<h1>")
            .text(&v.title)
            .raw("</h1>\n");
        if v.excluded {
            h.raw("<div class=\"banner banner-excluded\" role=\"note\"><strong>Excluded:</strong> the Statement of Applicability excludes ")
                .text(&v.id)
                .raw(" ")
                .text(&v.title);
            match v.soa.filter(|s| !s.justification.is_empty()) {
                Some(s) => h.raw(": ").text(s.justification),
                None => h.raw("."),
            };
            h.raw("</div>");
        } else if !v.covered && v.kind != "Annex A objective" {
            h.raw("<div class=\"banner banner-overdue\" role=\"note\"><strong>Not addressed:</strong> no document of this build lists ")
                .text(&v.id)
                .raw(" ")
                .text(&v.title)
                .raw(" in its front-matter.</div>");
        }
        h.raw("\n");
        if let Some(s) = v.soa {
            h.raw("\n<section class=\"control-block\" aria-label=\"Statement of Applicability\">\n<dl>\n<div><dt>Applicability</dt><dd>")
                .text(s.applicability)
                .raw("</dd></div>\n<div><dt>Implementation</dt><dd>")
                .text(s.implementation)
                .raw("</dd></div>\n<div><dt>Justification</dt><dd>")
                .text(s.justification)
                .raw("</dd></div>\n<div><dt>Owners</dt><dd>")
                .text(&s.owners.join(", "))
                .raw("</dd></div>\n</dl>\n</section>\n");
        }
        h.raw("\n");
        let refs = |h: &mut Html<'_>, refs: &[RefLink]| {
            h.raw("<ul>");
            for c in refs {
                h.raw("<li><a href=\"")
                    .text(&c.url)
                    .raw("\">")
                    .text(&c.id)
                    .raw("</a> ")
                    .text(&c.title)
                    .raw("</li>");
            }
            h.raw("</ul>\n");
        };
        if !v.children.is_empty() {
            h.raw("\n<h2>Contains</h2>\n");
            refs(h, &v.children);
        }
        h.raw("\n");
        for a in &v.also {
            h.raw("<h2>Also addresses in ")
                .text(&a.standard)
                .raw("</h2>\n<p>The same clause of the harmonized structure; documents mapped there do not count for ")
                .text(&v.id)
                .raw(".</p>\n");
            refs(h, &a.refs);
        }
        chrome::pager(h, v.pager.as_ref(), false);
        let next = v.pager.as_ref().map_or("", |p| p.next.as_str());
        let lists = [
            (
                "Addressed by",
                &v.declared_info,
                &v.declared,
                "No document lists ",
                " in its front-matter.",
            ),
            (
                "Mentioned in",
                &v.mentioned_info,
                &v.mentioned,
                "No other document mentions ",
                " in its text.",
            ),
        ];
        for (heading, info, docs, none, none_end) in lists {
            if !info.shown {
                continue;
            }
            h.raw("<h2>")
                .raw(heading)
                .when(info.continued, " (continued)")
                .raw("</h2>\n");
            if docs.is_empty() {
                h.raw("<p class=\"empty\">")
                    .raw(none)
                    .text(&v.id)
                    .raw(" ")
                    .text(&v.title)
                    .raw(none_end)
                    .raw("</p>");
            } else {
                h.raw("<ul>");
                // The links carry the page's root already.
                chrome::doc_items(h, "", docs);
                h.raw("</ul>");
                if info.continues {
                    h.raw("<p class=\"note\">Continues on the <a href=\"")
                        .text(next)
                        .raw("\">next page</a>.</p>");
                }
            }
            h.raw("\n");
        }
        chrome::pager(h, v.pager.as_ref(), true);
    });
}
