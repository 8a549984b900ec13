//! print.html: the whole manual on one page, or — once that page would outgrow `[print]
//! part-size` — a short index page (`print.html`), one page per part (`print-1.html`, …: the
//! documents of one type, at most [`PART_DOCUMENTS`] of them) and a page of appendices
//! (`print-appendices.html`). Which parts there are is planned before the render; whether they
//! are used is decided by the writer, once it has seen the page grow past the limit.

use std::collections::HashMap;

use serde::Serialize;

use std::borrow::Cow;
use std::ops::Range;

use super::chrome::{self, Frame, Html};
use super::context::{Base, DocLink, Input, PRINT_BODY, doc_link, render_one};
use super::lists::{ClauseSection, coverage_slice, coverage_weights};
use super::paging::{ListInfo, Pager, Pages};
use super::{registers, standard_pages, systems};
use crate::diagnostic::Diagnostic;
use crate::link::Manual;
use crate::link::standard::Readiness;
use crate::link::systems::SystemState;

/// At most this many documents share a part.
pub const PART_DOCUMENTS: usize = 200;

/// The page of appendices of a manual printed in parts.
pub const APPENDICES_PAGE: &str = "print-appendices.html";

/// Part `k` (counted from 0)'s page.
pub fn part_page(k: usize) -> String {
    format!("print-{}.html", k + 1)
}

#[derive(Serialize)]
pub(crate) struct PrintPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    scope: Option<DocLink<'a>>,
    /// The page that holds the scope document's section ("" for this one).
    scope_page: String,
    toc: Vec<PrintTocEntry<'a>>,
    documents: usize,
    marker: &'static str,
    /// The running header of printed pages, already escaped as the inside of a CSS string.
    running_header: String,
    soa: &'a [standard_pages::SoaRowView<'a>],
    soa_document: Option<&'a DocLink<'a>>,
    register: &'a [registers::RegisterRow<'a>],
    inventory: &'a [systems::InventoryRow],
    coverage: Cow<'a, [ClauseSection<'a>]>,
    readiness: &'a [standard_pages::ReadinessRow<'a>],
    /// One appendix per standard enabled besides ISO/IEC 42001.
    standards: Vec<super::standard_refs::PrintStandard>,
    /// The index page of a manual printed in parts: its parts (empty on the whole page).
    parts: Vec<PartLink>,
    /// The page the appendices begin on ("" for this one); `appendix_at` says where each one
    /// begins (templates from before the appendices had pages read this).
    appendix_page: &'static str,
    /// On a part's page: which part it is.
    part: Option<PartLink>,
    /// Which of the appendices' tables this page shows, and whether they began on an earlier
    /// page or go on to a later one (every table, whole, but on a page of appendices of many).
    appendix: AppendixView,
    /// The page each appendix begins on ("" for this one).
    appendix_at: AppendixAt,
    /// On a page of the appendices of more than one page.
    pager: Option<Pager>,
}

/// Where the appendices' tables stand on one page.
#[derive(Serialize)]
struct AppendixView {
    soa: ListInfo,
    register: ListInfo,
    coverage: ListInfo,
    readiness: ListInfo,
    /// The short appendices (the AI systems, the other standards) are on this page.
    rest: bool,
}

/// The page each appendix begins on.
#[derive(Serialize, Default)]
struct AppendixAt {
    soa: String,
    register: String,
    coverage: String,
    readiness: String,
    rest: String,
}

/// The rows of the appendices' long tables that one page of them holds (the short appendices
/// come last, on the last page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AppendixPage {
    pub soa: Range<usize>,
    pub register: Range<usize>,
    pub coverage: Range<usize>,
    pub readiness: Range<usize>,
}

/// Page `k` of the appendices (counted from 0).
pub fn appendix_page(k: usize) -> String {
    super::paging::page_path(APPENDICES_PAGE, k)
}

/// Cuts the appendices' tables into pages of about `budget` bytes (a row is never cut): the
/// SoA, the register, the clause coverage and readiness, one after the other. A print whose
/// appendices fit is one page.
pub(crate) fn plan_appendices(tables: &PrintTables<'_>, budget: usize) -> Vec<AppendixPage> {
    let ids = |ids: &mut dyn Iterator<Item = &str>| ids.map(|id| id.len() + 2).sum::<usize>();
    let weights: [Vec<usize>; 4] = [
        tables
            .soa
            .iter()
            .map(|r| {
                200 + r.control.len()
                    + r.title.len()
                    + r.justification.len()
                    + ids(&mut r.documents.iter().map(|d| d.id))
            })
            .collect(),
        tables
            .register
            .iter()
            .map(|r| 300 + r.id.len() + r.title.len() + r.owner.len() + r.approved_by.len())
            .collect(),
        coverage_weights(tables.coverage),
        tables
            .readiness
            .iter()
            .map(|r| 200 + r.item.len() + ids(&mut r.documents.iter().map(|d| d.id)) * 2)
            .collect(),
    ];
    let mut pages = vec![AppendixPage::default()];
    let mut bytes = 0usize;
    for (t, table) in weights.iter().enumerate() {
        for (row, &w) in table.iter().enumerate() {
            if bytes > 0 && bytes.saturating_add(w) > budget {
                pages.push(AppendixPage::default());
                bytes = 0;
            }
            bytes += w;
            if let Some(page) = pages.last_mut() {
                let range = match t {
                    0 => &mut page.soa,
                    1 => &mut page.register,
                    2 => &mut page.coverage,
                    _ => &mut page.readiness,
                };
                if range.start >= range.end {
                    *range = row..row;
                }
                range.end = row + 1;
            }
        }
    }
    pages
}

/// The tables printed after the documents: the SoA and the register, computed once per build.
#[derive(Clone, Copy)]
pub(crate) struct PrintTables<'a> {
    pub soa: &'a [standard_pages::SoaRowView<'a>],
    pub soa_document: Option<&'a DocLink<'a>>,
    pub register: &'a [registers::RegisterRow<'a>],
    pub inventory: &'a [systems::InventoryRow],
    pub coverage: &'a [ClauseSection<'a>],
    pub readiness: &'a [standard_pages::ReadinessRow<'a>],
}

#[derive(Serialize)]
pub(crate) struct PrintTocEntry<'a> {
    id: &'a str,
    title: &'a str,
    group: &'static str,
}

/// One part as the index and the parts' pages name it.
#[derive(Serialize, Clone)]
pub(crate) struct PartLink {
    /// Counted from 1; the appendices have none.
    number: usize,
    href: String,
    group: &'static str,
    first: String,
    last: String,
    count: usize,
    /// The parts' count, and the pages before and after this one ("" for none).
    total: usize,
    prev: String,
    next: String,
}

/// One part: documents `start..start + len` of the print order, all of one type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub start: usize,
    pub len: usize,
    pub group: &'static str,
}

/// How a manual is cut into parts, should it be printed in parts.
#[derive(Debug, Default)]
pub struct PartPlan {
    pub parts: Vec<Part>,
    /// Part of each position of the print order.
    part_at: Vec<usize>,
    /// Part of each document id.
    by_id: HashMap<String, usize>,
    /// The largest print.html written whole, in bytes.
    pub limit: usize,
    /// The sections' estimated size, in bytes.
    pub estimate: usize,
}

impl PartPlan {
    /// Cuts `order` (the print order: by type, then id) into parts: a new part starts with each
    /// type, after [`PART_DOCUMENTS`] documents, and before the document that would take the
    /// part past `limit` bytes, a section being estimated at twice its Markdown plus 2 KB (the
    /// sections of the generated corpus run 2.2 times their Markdown).
    pub fn new(manual: &Manual, order: &[usize], limit: usize) -> PartPlan {
        let mut plan = PartPlan {
            limit,
            ..PartPlan::default()
        };
        let mut bytes = 0usize;
        for (p, &i) in order.iter().enumerate() {
            let e = &manual.entries[i];
            let group = e.doc.doc_type.plural();
            let estimate = 2 * e.src.text.len() + 2048;
            let fits = plan.parts.last().is_some_and(|part| {
                part.group == group
                    && part.len < PART_DOCUMENTS
                    && bytes.saturating_add(estimate) <= limit
            });
            if fits {
                if let Some(part) = plan.parts.last_mut() {
                    part.len += 1;
                }
                bytes += estimate;
            } else {
                plan.parts.push(Part {
                    start: p,
                    len: 1,
                    group,
                });
                bytes = estimate;
            }
            plan.estimate += estimate;
            let k = plan.parts.len() - 1;
            plan.part_at.push(k);
            plan.by_id.insert(e.doc.id.value.clone(), k);
        }
        plan
    }

    /// The part of position `p` of the print order, and `p`'s place within it.
    pub fn place(&self, p: usize) -> Option<(usize, usize)> {
        let k = *self.part_at.get(p)?;
        Some((k, p - self.parts[k].start))
    }

    /// The part that holds document `id`'s section.
    pub fn part_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Whether the print may well outgrow its limit (its sections are estimated at more than
    /// half of it): the parts' pages are then rendered beside the documents, so that the
    /// sections of parts need not wait for them in memory.
    pub fn likely_split(&self) -> bool {
        self.estimate > self.limit / 2
    }

    fn link(&self, manual: &Manual, order: &[usize], k: usize) -> PartLink {
        let part = &self.parts[k];
        let id = |p: usize| manual.entries[order[p]].doc.id.value.clone();
        PartLink {
            number: k + 1,
            href: part_page(k),
            group: part.group,
            first: id(part.start),
            last: id(part.start + part.len - 1),
            count: part.len,
            total: self.parts.len(),
            prev: k.checked_sub(1).map(part_page).unwrap_or_default(),
            next: if k + 1 < self.parts.len() {
                part_page(k + 1)
            } else {
                APPENDICES_PAGE.to_string()
            },
        }
    }
}

/// Where print.html goes: its frame, split where the document sections go (see
/// [`PRINT_BODY`]), and each document's section by its position. Sections may come before the
/// frame and in any order. `plan` comes first: should the page outgrow its limit, the sink
/// writes it in these parts, and then asks for their pages' frames ([`PrintSink::split`]).
pub trait PrintSink: Sync {
    fn plan(&self, plan: std::sync::Arc<PartPlan>) -> crate::error::Result<()>;
    fn frame(&self, head: &[u8], tail: &[u8]) -> crate::error::Result<()>;
    fn section(&self, position: usize, bytes: Vec<u8>) -> crate::error::Result<()>;
    /// Whether the page may still be written whole and [`PrintSink::frame`] has not come yet
    /// (known once every section came).
    fn needs_frame(&self) -> bool;
    /// Whether the page is written in parts and [`PrintSink::parts`] has not come yet (known
    /// once every section came).
    fn needs_parts(&self) -> bool;
    /// The pages of a manual printed in parts: print.html (the index), each part's frame
    /// (head and tail) and the appendices' page. They may come before the page is known to
    /// need them (they are then used only if it does): parts' sections wait for them.
    fn parts(&self, frames: PartFrames) -> crate::error::Result<()>;
}

/// The pages around the sections of a manual printed in parts.
pub struct PartFrames {
    pub index: Vec<u8>,
    /// Each part's head and tail.
    pub parts: Vec<(Vec<u8>, Vec<u8>)>,
    /// The pages of the appendices ([`appendix_page`]): one, unless they are long.
    pub appendices: Vec<Vec<u8>>,
}

/// Which page of the print is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PrintView {
    /// print.html with every document (its sections go where [`PRINT_BODY`] is).
    Whole,
    /// print.html of a manual printed in parts: cover and the list of parts.
    Index,
    /// Part `k`'s page (its sections go where [`PRINT_BODY`] is).
    Part(usize),
    /// Page `k` of the appendices.
    Appendices(usize),
}

/// The running header of printed pages: organisation, title, tag or commit.
fn running_header(input: &Input<'_>) -> String {
    let site = &input.site;
    let mut header = site.title.clone();
    if !site.organisation.is_empty() && site.organisation != site.title {
        header = format!("{} \u{b7} {header}", site.organisation);
    }
    match (&site.tag, &site.commit) {
        (Some(tag), _) => header.push_str(&format!(" \u{b7} {tag}")),
        (None, Some(commit)) => header.push_str(&format!(" \u{b7} {commit}")),
        (None, None) => {}
    }
    super::context::css_string(&header)
}

/// Renders one page of the print: `print.html` for [`PrintView::Whole`] and
/// [`PrintView::Index`], `print_part.html` for the others; `appendices` are the pages of the
/// appendices of a manual printed in parts ([`plan_appendices`]).
pub(crate) fn render_print<'a>(
    input: &'a Input<'a>,
    tera: &tera::Tera,
    order: &[usize],
    tables: PrintTables<'a>,
    plan: &PartPlan,
    appendices: &[AppendixPage],
    view: PrintView,
) -> Result<Vec<u8>, Diagnostic> {
    let manual = input.manual;
    let toc_of = |positions: &[usize]| -> Vec<PrintTocEntry<'a>> {
        positions
            .iter()
            .map(|&i| {
                let d = &manual.entries[i].doc;
                PrintTocEntry {
                    id: &d.id.value,
                    title: &d.title,
                    group: d.doc_type.plural(),
                }
            })
            .collect()
    };
    let (toc, part) = match view {
        PrintView::Whole => (toc_of(order), None),
        PrintView::Index | PrintView::Appendices(_) => (Vec::new(), None),
        PrintView::Part(k) => {
            let p = &plan.parts[k];
            (
                toc_of(&order[p.start..p.start + p.len]),
                Some(plan.link(manual, order, k)),
            )
        }
    };
    let with_tables = matches!(view, PrintView::Whole | PrintView::Appendices(_));
    // The rows of the long tables this page shows: all of them but on a page of appendices.
    let rows = match view {
        PrintView::Appendices(k) => appendices.get(k).cloned().unwrap_or_default(),
        _ => AppendixPage {
            soa: 0..tables.soa.len(),
            register: 0..tables.register.len(),
            coverage: 0..coverage_weights(tables.coverage).len(),
            readiness: 0..tables.readiness.len(),
        },
    };
    let (first, last) = match view {
        PrintView::Appendices(k) => (k == 0, k + 1 >= appendices.len()),
        _ => (true, true),
    };
    let appendix = AppendixView {
        soa: ListInfo::new(tables.soa.len(), &rows.soa, first),
        register: ListInfo::new(tables.register.len(), &rows.register, first),
        coverage: ListInfo::new(
            coverage_weights(tables.coverage).len(),
            &rows.coverage,
            first,
        ),
        readiness: ListInfo::new(tables.readiness.len(), &rows.readiness, first),
        rest: last,
    };
    // Where each appendix begins, for the index's contents.
    let appendix_at = if view == PrintView::Index {
        let at = |table: fn(&AppendixPage) -> &Range<usize>| {
            appendix_page(
                appendices
                    .iter()
                    .position(|p| !table(p).is_empty())
                    .unwrap_or(0),
            )
        };
        AppendixAt {
            soa: at(|p| &p.soa),
            register: at(|p| &p.register),
            coverage: at(|p| &p.coverage),
            readiness: at(|p| &p.readiness),
            rest: appendix_page(appendices.len().saturating_sub(1)),
        }
    } else {
        AppendixAt::default()
    };
    let pager = match view {
        PrintView::Appendices(k) => {
            Pages::of_pages(APPENDICES_PAGE, appendices.len()).pager(k, "Pages of the appendices")
        }
        _ => None,
    };
    let scope = input
        .scope_document
        .as_deref()
        .and_then(|id| manual.by_id.get(id))
        .filter(|&&i| manual.is_included(i))
        .map(|&i| doc_link(manual, i, ""));
    let page = PrintPage {
        base: Base {
            site: &input.site,
            root: "",
            page_title: match (view, &part) {
                (PrintView::Appendices(0), _) if appendices.len() < 2 => {
                    "The whole manual: appendices".into()
                }
                (PrintView::Appendices(k), _) => format!(
                    "The whole manual: appendices, page {} of {}",
                    k + 1,
                    appendices.len()
                ),
                (_, Some(p)) => format!("The whole manual, part {} of {}", p.number, p.total),
                _ => "The whole manual".into(),
            },
            current: "print",
        },
        scope_page: match (view, &scope) {
            (PrintView::Index, Some(s)) => plan.part_of(s.id).map(part_page).unwrap_or_default(),
            _ => String::new(),
        },
        scope,
        toc,
        documents: order.len(),
        marker: PRINT_BODY,
        running_header: running_header(input),
        soa: if with_tables {
            &tables.soa[rows.soa]
        } else {
            &[]
        },
        soa_document: tables.soa_document,
        register: if with_tables {
            &tables.register[rows.register]
        } else {
            &[]
        },
        inventory: if with_tables && last {
            tables.inventory
        } else {
            &[]
        },
        coverage: match view {
            PrintView::Whole => Cow::Borrowed(tables.coverage),
            PrintView::Appendices(_) => Cow::Owned(coverage_slice(tables.coverage, &rows.coverage)),
            _ => Cow::Borrowed(&[]),
        },
        readiness: if with_tables {
            &tables.readiness[rows.readiness]
        } else {
            &[]
        },
        standards: if with_tables && last {
            super::standard_refs::print_appendices(manual)
        } else {
            Vec::new()
        },
        parts: match view {
            PrintView::Index => (0..plan.parts.len())
                .map(|k| plan.link(manual, order, k))
                .collect(),
            _ => Vec::new(),
        },
        appendix_page: if view == PrintView::Index {
            APPENDICES_PAGE
        } else {
            ""
        },
        part,
        appendix,
        appendix_at,
        pager,
    };
    let template = match view {
        PrintView::Whole | PrintView::Index => "print.html",
        PrintView::Part(_) | PrintView::Appendices(_) => "print_part.html",
    };
    // The pages of appendices hold the long tables (every document in the register, every
    // clause with its documents): written directly while their templates are the built-in ones.
    if matches!(view, PrintView::Appendices(_)) && input.built_in(&APPENDIX_TEMPLATES) {
        let mut out = Vec::with_capacity(64 * 1024);
        write_appendix_page(&page, &mut out);
        return Ok(out);
    }
    render_one(tera, template, &page)
}

/// The templates [`write_appendix_page`] stands in for.
pub const APPENDIX_TEMPLATES: [&str; 4] = [
    "print_part.html",
    "print_appendices.html",
    "base.html",
    "pager.html",
];

/// A page of the appendices of a manual printed in parts, as the built-in `print_part.html`
/// (in `base.html`) renders it: a page without a part (`part` is not read).
fn write_appendix_page(page: &PrintPage<'_>, out: &mut Vec<u8>) {
    let base = &page.base;
    let frame = Frame::of(base, &["page print-page print-part"]);
    chrome::page(out, &frame, base.site, |h| {
        h.raw("\n<style>\n@page {\n  @top-left { content: \"")
            .raw(&page.running_header)
            .raw("\"; }\n  @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); }\n}\n</style>\n<nav class=\"print-part-nav no-print\" aria-label=\"Parts of the printed manual\"><a href=\"print.html\">The whole manual: cover and parts</a></nav>\n<h1 class=\"print-part-title\">")
            .text(&base.site.title)
            .raw(": appendices</h1>\n");
        write_appendices(h, page);
        h.raw("\n");
    });
}

/// `print_appendices.html`: the tables `page.appendix` says this page shows.
fn write_appendices(h: &mut Html<'_>, page: &PrintPage<'_>) {
    /// `{% for d in docs %}{{ d }}{% if not loop.last %}, {% endif %}{% endfor %}`
    fn ids<'d>(h: &mut Html<'_>, ids: impl Iterator<Item = &'d str>) {
        for (k, id) in ids.enumerate() {
            if k > 0 {
                h.raw(", ");
            }
            h.text(id);
        }
    }
    let continued = |h: &mut Html<'_>, list: &ListInfo| {
        h.when(list.continued, " (continued)");
    };
    let appendix = &page.appendix;
    chrome::pager(h, page.pager.as_ref(), false);
    if appendix.soa.shown {
        h.raw("<section class=\"print-appendix\" id=\"appendix-soa\" aria-labelledby=\"appendix-soa-title\">\n<h2 id=\"appendix-soa-title\">Statement of Applicability");
        continued(h, &appendix.soa);
        h.raw("</h2>\n");
        match page.soa_document {
            Some(d) => {
                h.raw("<p>From ")
                    .text(d.id)
                    .raw(" ")
                    .text(d.title)
                    .raw(", merged with the controls every document says it implements.</p>");
            }
            None => {
                h.raw("<p><strong>This build has no Statement of Applicability</strong> (a document with <code>type: soa</code>); clause 6.1.3 requires one.</p>");
            }
        }
        h.raw("\n<div class=\"table-scroll\">\n<table class=\"soa-table\">\n<thead><tr><th scope=\"col\">Control</th><th scope=\"col\">Applicability</th><th scope=\"col\">Justification</th><th scope=\"col\">Implementation</th><th scope=\"col\">Implemented by</th></tr></thead>\n<tbody>\n");
        for r in page.soa {
            h.raw("<tr><th scope=\"row\">")
                .text(r.control)
                .raw(" ")
                .text(r.title)
                .raw("</th><td>")
                .text(r.applicability)
                .raw("</td><td>")
                .text(r.justification)
                .raw("</td><td>")
                .text(r.implementation)
                .raw("</td><td>");
            ids(h, r.documents.iter().map(|d| d.id));
            h.raw("</td></tr>\n");
        }
        h.raw("\n</tbody>\n</table>\n</div>\n</section>\n");
    }
    if appendix.register.shown {
        h.raw("<section class=\"print-appendix\" id=\"appendix-register\" aria-labelledby=\"appendix-register-title\">\n<h2 id=\"appendix-register-title\">Document-control register");
        continued(h, &appendix.register);
        h.raw("</h2>\n<div class=\"table-scroll\">\n<table class=\"register-table\">\n<thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Title</th><th scope=\"col\">Version</th><th scope=\"col\">Status</th><th scope=\"col\">Owner</th><th scope=\"col\">Approved</th><th scope=\"col\">Next review</th><th scope=\"col\">Classification</th><th scope=\"col\">Last change</th><th scope=\"col\">Changed since approval</th></tr></thead>\n<tbody>\n");
        for r in page.register {
            h.raw("<tr><th scope=\"row\">")
                .text(r.id)
                .raw("</th><td>")
                .text(r.title)
                .raw("</td><td>")
                .text(r.version)
                .raw("</td><td>")
                .text(r.status)
                .raw("</td><td>")
                .text(r.owner)
                .raw("</td><td>");
            if r.approval_date.is_some() {
                h.date(r.approval_date).raw(" · ").text(r.approved_by);
            }
            h.raw("</td><td>")
                .date(r.review_date)
                .raw("</td><td>")
                .text(r.classification)
                .raw("</td><td>");
            if !r.last_change_date.is_empty() {
                h.text(r.last_change_date)
                    .raw(" · <code>")
                    .text(r.last_change_commit)
                    .raw("</code>");
            }
            h.raw("</td><td>")
                .raw(if r.changed_since_approval {
                    "yes"
                } else if r.front_matter_changed_since_approval {
                    "metadata only"
                } else {
                    "no"
                })
                .raw("</td></tr>\n");
        }
        h.raw("\n</tbody>\n</table>\n</div>\n</section>\n");
    }
    if appendix.coverage.shown {
        h.raw("<section class=\"print-appendix\" id=\"appendix-coverage\" aria-labelledby=\"appendix-coverage-title\">\n<h2 id=\"appendix-coverage-title\">Clause coverage");
        continued(h, &appendix.coverage);
        h.raw("</h2>\n<div class=\"table-scroll\">\n<table class=\"coverage-table\">\n<thead><tr><th scope=\"col\">Clause or control</th><th scope=\"col\">Addressed by</th><th scope=\"col\">Mentioned in</th></tr></thead>\n<tbody>\n");
        for section in page.coverage.iter() {
            h.raw("<tr class=\"coverage-section\"><th scope=\"rowgroup\" colspan=\"3\">")
                .text(&section.label)
                .raw("</th></tr>\n");
            for e in &section.entries {
                h.raw("<tr")
                    .raw(if e.excluded {
                        " class=\"excluded\""
                    } else if !e.covered {
                        " class=\"uncovered\""
                    } else {
                        ""
                    })
                    .raw("><th scope=\"row\" class=\"depth-")
                    .num(e.depth)
                    .raw("\">")
                    .text(e.id)
                    .raw(" ")
                    .text(e.title)
                    .raw(if e.excluded {
                        " (excluded in the SoA)"
                    } else if !e.covered {
                        " (not addressed)"
                    } else {
                        ""
                    })
                    .raw("</th><td>");
                ids(h, e.declared.iter().map(|d| d.id));
                h.raw("</td><td>");
                ids(h, e.mentioned.iter().map(|d| d.id));
                h.raw("</td></tr>\n");
            }
        }
        h.raw("\n</tbody>\n</table>\n</div>\n</section>\n");
    }
    if appendix.readiness.shown {
        h.raw("<section class=\"print-appendix\" id=\"appendix-readiness\" aria-labelledby=\"appendix-readiness-title\">\n<h2 id=\"appendix-readiness-title\">Stage 1 readiness");
        continued(h, &appendix.readiness);
        h.raw("</h2>\n<div class=\"table-scroll\">\n<table class=\"readiness-table\">\n<thead><tr><th scope=\"col\">Required documented information</th><th scope=\"col\">Clause</th><th scope=\"col\">State</th><th scope=\"col\">Provided by</th></tr></thead>\n<tbody>\n");
        for r in page.readiness {
            h.raw("<tr><th scope=\"row\">")
                .text(r.item)
                .raw("</th><td>")
                .text(&r.clause.id)
                .raw("</td><td>")
                .raw(match r.state {
                    Readiness::Ready => "ready",
                    Readiness::ReviewOverdue => "review overdue",
                    Readiness::Draft => "draft only",
                    Readiness::Missing => "missing",
                })
                .raw("</td><td>");
            for (k, d) in r.documents.iter().enumerate() {
                h.when(k > 0, ", ").text(d.id);
                if d.url.is_empty() {
                    h.raw(" (").text(d.status).raw(")");
                }
            }
            h.raw("</td></tr>\n");
        }
        h.raw("\n</tbody>\n</table>\n</div>\n</section>\n");
    }
    if !page.inventory.is_empty() {
        h.raw("\n<section class=\"print-appendix\" id=\"appendix-inventory\" aria-labelledby=\"appendix-inventory-title\">\n<h2 id=\"appendix-inventory-title\">AI system inventory</h2>\n<div class=\"table-scroll\">\n<table class=\"register-table\">\n<thead><tr><th scope=\"col\">System</th><th scope=\"col\">Owner</th><th scope=\"col\">Our role</th><th scope=\"col\">Built or bought</th><th scope=\"col\">Stage</th><th scope=\"col\">Risk level</th><th scope=\"col\">EU AI Act</th><th scope=\"col\">In scope</th><th scope=\"col\">Records</th></tr></thead>\n<tbody>\n");
        for r in page.inventory {
            h.raw("<tr><th scope=\"row\">")
                .text(&r.id)
                .raw(" ")
                .text(&r.name)
                .raw("</th><td>")
                .text(&r.owner)
                .raw("</td><td>")
                .text(&r.roles.join(", "))
                .raw("</td><td>")
                .text(r.sourcing);
            if !r.supplier.is_empty() {
                h.raw(" (").text(&r.supplier).raw(")");
            }
            h.raw("</td><td>")
                .text(r.stage)
                .raw("</td><td>")
                .text(r.risk_level)
                .raw("</td><td>")
                .text(r.eu_ai_act);
            if !r.annex_iii.is_empty() {
                h.raw(" (Annex III ").text(&r.annex_iii).raw(")");
            }
            h.raw("</td><td>")
                .raw(if r.in_scope { "yes" } else { "no" })
                .raw("</td><td>");
            match r.state {
                SystemState::Complete => {
                    h.raw("complete");
                }
                SystemState::OutOfScope => {
                    h.raw("none required");
                }
                SystemState::Overdue | SystemState::Missing => {
                    if !r.missing.is_empty() {
                        h.raw("missing: ").text(&r.missing.join(", "));
                    }
                    h.when(!r.missing.is_empty() && !r.overdue.is_empty(), "; ");
                    if !r.overdue.is_empty() {
                        h.raw("overdue: ").text(&r.overdue.join(", "));
                    }
                }
            }
            h.raw("</td></tr>\n");
        }
        h.raw("\n</tbody>\n</table>\n</div>\n</section>\n");
    }
    h.raw("\n");
    for s in &page.standards {
        h.raw("<section class=\"print-appendix\" id=\"appendix-")
            .text(&s.key)
            .raw("\" aria-labelledby=\"appendix-")
            .text(&s.key)
            .raw("-title\">\n<h2 id=\"appendix-")
            .text(&s.key)
            .raw("-title\">")
            .text(&s.standard)
            .raw("</h2>\n");
        if s.has_soa {
            h.raw("<h3>Statement of Applicability</h3>\n");
            match s.soa_document.as_deref().filter(|d| !d.is_empty()) {
                Some(d) => {
                    h.raw("<p>From ")
                        .text(d)
                        .raw(", merged with the controls every document maps to.</p>");
                }
                None => {
                    h.raw("<p><strong>This build has no Statement of Applicability for ")
                        .text(&s.standard)
                        .raw("</strong> (a document with <code>type: soa</code> and <code>standard: ")
                        .text(&s.key)
                        .raw("</code>).</p>");
                }
            }
            h.raw("\n<div class=\"table-scroll\">\n<table class=\"soa-table\">\n<thead><tr><th scope=\"col\">Control</th><th scope=\"col\">Applicability</th><th scope=\"col\">Justification</th><th scope=\"col\">Implementation</th><th scope=\"col\">Implemented by</th></tr></thead>\n<tbody>\n");
            for r in &s.soa {
                h.raw("<tr><th scope=\"row\">")
                    .text(&r.control)
                    .raw(" ")
                    .text(&r.title)
                    .raw("</th><td>")
                    .text(r.applicability)
                    .raw("</td><td>")
                    .text(&r.justification)
                    .raw("</td><td>")
                    .text(r.implementation)
                    .raw("</td><td>")
                    .text(&r.documents.join(", "))
                    .raw("</td></tr>\n");
            }
            h.raw("\n</tbody>\n</table>\n</div>\n");
        }
        h.raw("<h3>Coverage</h3>\n<div class=\"table-scroll\">\n<table class=\"coverage-table\">\n<thead><tr><th scope=\"col\">Clause or control</th><th scope=\"col\">Mapped by</th></tr></thead>\n<tbody>\n");
        for e in &s.coverage {
            h.raw("<tr")
                .when(!e.covered, " class=\"uncovered\"")
                .raw("><th scope=\"row\">")
                .text(&e.id)
                .raw(" ")
                .text(&e.title)
                .when(!e.covered, " (not addressed)")
                .raw("</th><td>")
                .text(&e.documents.join(", "))
                .raw("</td></tr>\n");
        }
        h.raw("\n</tbody>\n</table>\n</div>\n</section>\n");
    }
    chrome::pager(h, page.pager.as_ref(), true);
}

/// A section of the whole print.html as it reads on part `own`'s page: each link to another
/// document's section (`href="#doc-ID"`, `href="#ID--anchor"`) that is in another part leads to
/// that part's page.
pub fn point_at_parts(section: &[u8], own: usize, plan: &PartPlan) -> Vec<u8> {
    const HREF: &[u8] = b"href=\"#";
    let mut out = Vec::with_capacity(section.len() + 256);
    let mut last = 0;
    for at in memchr::memmem::find_iter(section, HREF) {
        let start = at + HREF.len();
        let Some(len) = memchr::memchr(b'"', &section[start..]) else {
            break;
        };
        let Ok(target) = std::str::from_utf8(&section[start..start + len]) else {
            continue;
        };
        let part = match target.strip_prefix("doc-") {
            Some(id) => plan.part_of(id),
            None => target_part(target, plan),
        };
        if let Some(k) = part.filter(|&k| k != own) {
            out.extend_from_slice(&section[last..at]);
            out.extend_from_slice(b"href=\"");
            out.extend_from_slice(part_page(k).as_bytes());
            out.push(b'#');
            last = start;
        }
    }
    out.extend_from_slice(&section[last..]);
    out
}

/// The part of the document an anchor `ID--heading` belongs to: the longest `ID` (ids may hold
/// `--` themselves) that is a printed document's.
fn target_part(anchor: &str, plan: &PartPlan) -> Option<usize> {
    anchor
        .rmatch_indices("--")
        .find_map(|(at, _)| plan.part_of(&anchor[..at]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(ids: &[(&str, usize)]) -> PartPlan {
        let mut plan = PartPlan::default();
        for &(id, k) in ids {
            plan.by_id.insert(id.to_string(), k);
        }
        plan
    }

    #[test]
    fn links_to_sections_in_other_parts_lead_to_their_page() {
        let plan = plan(&[("POL-1", 0), ("PRO-1", 1), ("A--B", 1)]);
        let section = br##"<a href="#doc-POL-1">a</a><a href="#doc-PRO-1">b</a><a href="#PRO-1--steps">c</a><a href="#POL-1--x">d</a><a href="#A--B--c--d">e</a><a href="#nothing">f</a><a href="clause/4.1.html">g</a>"##;
        let out = String::from_utf8(point_at_parts(section, 0, &plan)).expect("utf-8");
        assert_eq!(
            out,
            r##"<a href="#doc-POL-1">a</a><a href="print-2.html#doc-PRO-1">b</a><a href="print-2.html#PRO-1--steps">c</a><a href="#POL-1--x">d</a><a href="print-2.html#A--B--c--d">e</a><a href="#nothing">f</a><a href="clause/4.1.html">g</a>"##
        );
        // Seen from the part that holds them, nothing changes.
        let same = point_at_parts(br##"<a href="#doc-PRO-1">b</a>"##, 1, &plan);
        assert_eq!(same, br##"<a href="#doc-PRO-1">b</a>"##);
    }
}
