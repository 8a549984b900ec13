//! `render_all`: renders every page of the site into a sink — document pages (`document.rs`),
//! pages about many documents (`lists.rs`), registers (`registers.rs`), the standard's pages
//! (`standard_pages.rs`) and the pack's (`pack.rs`). Writes nothing itself.

use std::collections::{BTreeMap, HashMap};

use super::context::{
    Base, DocLink, Input, Keep, PRINT_BODY, Page, Shared, Sink, doc_link, render_one,
};
use super::document::render_document;
use super::print::{PartFrames, PartPlan, PrintSink, PrintTables, PrintView, render_print};
use super::{lists, pack, registers, standard_pages, standards, systems};
use crate::diagnostic::Diagnostic;
use crate::model::{DocType, Status};
use rayon::prelude::*;
use serde::Serialize;

/// What the render leaves for the write stage.
pub struct RenderOutcome {
    pub pages: usize,
    /// How many document sections print.html holds.
    pub print_sections: usize,
    pub search_index_bytes: usize,
}

/// The search page (the index itself is written after the document pages).
fn search_page<'s>(shared: &'s Shared<'s>) -> Page<'s> {
    #[derive(Serialize)]
    struct SearchPage<'a> {
        #[serde(flatten)]
        base: Base<'a>,
    }
    Page::new("search.html", move || {
        render_one(
            shared.tera,
            "search.html",
            &SearchPage {
                base: shared.base("Search", "search"),
            },
        )
    })
}

/// Renders every page into `sink`.
pub fn render_all(
    input: &Input<'_>,
    tera: &tera::Tera,
    sink: &Sink<'_>,
    keep: &Keep<'_>,
    print: &dyn PrintSink,
) -> crate::error::Result<RenderOutcome> {
    let manual = input.manual;
    let included: Vec<usize> = manual.included().collect();
    let neighbours = neighbours(manual, &included);
    // The print page lists documents by type, then id; the sections are written into it as they
    // are rendered, so no body is held in memory for long.
    let print_order = print_order(manual, &included);
    let plan = std::sync::Arc::new(PartPlan::new(manual, &print_order, input.print_part_size));
    print.plan(plan.clone())?;
    // What every document page shares: the withdrawn documents and the site's facts (the
    // header, the navigation…), serialized once rather than once per page.
    let shared_key = {
        let site_json = serde_json::to_vec(&input.site).unwrap_or_default();
        crate::cache::key(&[&withdrawn_key(manual, &included), &site_json])
    };
    let print_pos: HashMap<usize, usize> = print_order
        .iter()
        .enumerate()
        .map(|(p, &i)| (i, p))
        .collect();
    // The search index fills as documents render, each numbered by its place among the included.
    let search_number: HashMap<usize, usize> =
        included.iter().enumerate().map(|(n, &i)| (i, n)).collect();
    let search_index = super::search::IndexBuilder::new(included.len());
    // Document pages and the other pages render side by side, so the long single pages (the
    // register, the list of all documents) do not run alone at the end.
    let site = tera::Value::try_from_serializable(&input.site)
        .map_err(|e| invalid(crate::theme::template_error("document.html", &e)))?;
    // Documents render in print order, each thread taking the next one in line, so the sections
    // reach print.html nearly in order and few wait in memory; withdrawn ones come last.
    // Documents just saved (in `serve`) go first: their pages are the ones being looked at.
    let is_first = |i: usize| input.first.contains(&manual.entries[i].src.rel);
    let render_order: Vec<usize> = included
        .iter()
        .copied()
        .filter(|&i| is_first(i))
        .chain(
            print_order
                .iter()
                .copied()
                .chain(
                    included
                        .iter()
                        .copied()
                        .filter(|&i| manual.entries[i].doc.status == Status::Withdrawn),
                )
                .filter(|&i| !is_first(i)),
        )
        .collect();
    let render_one_doc = |i: usize| -> crate::error::Result<()> {
        let (prev, next) = neighbours.get(&i).copied().unwrap_or((None, None));
        let out =
            render_document(input, tera, &site, i, (prev, next), &shared_key).map_err(invalid)?;
        match &out.bytes {
            Some(bytes) => {
                sink(&out.path, bytes)?;
                if let Some(early) = input.early {
                    early(&out.path, bytes);
                }
            }
            None => keep(&out.path)?,
        }
        if let (Some(section), Some(&p)) = (out.print, print_pos.get(&i)) {
            print.section(p, section)?;
        }
        if let Some(&n) = search_number.get(&i)
            && let Some((path, script)) = search_index.add(n, out.search)
        {
            sink(&path, script.as_bytes())?;
        }
        Ok(())
    };
    // In `serve`, the documents just saved are rendered before anything else (the tables of
    // the other pages included): their pages are the ones being looked at.
    // A big change (a checkout) renders them side by side with the rest instead.
    let first_count = match render_order.iter().take_while(|&&i| is_first(i)).count() {
        n if n <= 16 => n,
        _ => 0,
    };
    for &i in &render_order[..first_count] {
        render_one_doc(i)?;
    }
    let render_order = &render_order[first_count..];
    let shared = Shared { input, tera };
    let render_docs = || each_in_order(render_order, render_one_doc);
    // The tables, print.html's frame and the other pages: the tables are made while the first
    // document pages render (the other thread takes those), then the frame (cover, contents and
    // the appendix tables) goes first, since the documents' sections wait for its head.
    let render_rest = || -> crate::error::Result<(Tables<'_>, usize)> {
        let t = Tables::new(input);
        let tables = t.print();
        // The pages besides the document pages, each module contributing its kinds.
        let others: Vec<Page<'_>> = [
            lists::pages(&shared),
            registers::pages(&shared, &t.register),
            standard_pages::pages(&shared, &t.soa_rows, &t.soa_doc),
            systems::pages(&shared, &t.inventory),
            standards::pages(&shared, &t.standard_rows),
            vec![search_page(&shared)],
            pack::pages(&shared),
        ]
        .into_iter()
        .flatten()
        .collect();
        let render_others = || -> crate::error::Result<()> {
            others.par_iter().try_for_each(|page| {
                let bytes = (page.render)().map_err(invalid)?;
                sink(&page.path, &bytes)
            })
        };
        // A print that will likely be written in parts gets its parts' pages now, and the
        // whole page's frame (its contents list every document) only if it turns out to fit
        // after all.
        let render_print_frame = || -> crate::error::Result<()> {
            if plan.likely_split() {
                print.parts(part_frames(input, tera, &print_order, tables, &plan)?)
            } else {
                print_frame(input, tera, &print_order, tables, &plan, print)
            }
        };
        let (print_done, others_done) = rayon::join(render_print_frame, render_others);
        print_done?;
        others_done?;
        let count = others.len();
        drop(others);
        Ok((t, count))
    };
    let (rest_done, docs_done) = rayon::join(render_rest, render_docs);
    let (t, other_pages) = rest_done?;
    docs_done?;
    let tables = t.print();
    if print.needs_frame() {
        print_frame(input, tera, &print_order, tables, &plan, print)?;
    }
    if print.needs_parts() {
        print.parts(part_frames(input, tera, &print_order, tables, &plan)?)?;
    }
    let search_files = search_index.finish();
    search_files
        .par_iter()
        .try_for_each(|(path, script)| sink(path, script.as_bytes()))?;

    Ok(RenderOutcome {
        pages: included.len() + other_pages + 2,
        print_sections: print_order.len(),
        // The index proper: the document table and the term shards, not the snippets' text.
        search_index_bytes: search_files
            .iter()
            .filter(|f| !f.0.starts_with("assets/search/d-"))
            .map(|f| f.1.len())
            .sum(),
    })
}

/// The tables several pages show (the register, the SoA, the inventory, coverage and
/// readiness), made once.
struct Tables<'m> {
    register: Vec<registers::RegisterRow<'m>>,
    inventory: Vec<systems::InventoryRow>,
    soa_rows: Vec<standard_pages::SoaRowView<'m>>,
    soa_doc: Option<DocLink<'m>>,
    standard_rows: Vec<Vec<standard_pages::SoaRowView<'m>>>,
    coverage: Vec<lists::ClauseSection<'m>>,
    readiness: Vec<standard_pages::ReadinessRow<'m>>,
}

impl<'m> Tables<'m> {
    fn new(input: &Input<'m>) -> Tables<'m> {
        let manual = input.manual;
        let soa = &manual.facts.soa;
        Tables {
            register: registers::rows(manual),
            inventory: systems::rows(manual),
            soa_rows: standard_pages::soa_rows(manual, soa, ""),
            soa_doc: soa.document.map(|i| doc_link(manual, i, "")),
            standard_rows: manual
                .facts
                .standards
                .iter()
                .map(|s| standards::rows(manual, s))
                .collect(),
            coverage: lists::clause_sections(manual),
            readiness: standard_pages::readiness_rows(input),
        }
    }

    /// The tables print.html's appendices show.
    fn print(&self) -> PrintTables<'_> {
        PrintTables {
            soa: &self.soa_rows,
            soa_document: self.soa_doc.as_ref(),
            register: &self.register,
            inventory: &self.inventory,
            coverage: &self.coverage,
            readiness: &self.readiness,
        }
    }
}

/// A template error repeats on every page: the first one is reported.
fn invalid(d: Diagnostic) -> crate::error::Error {
    crate::error::Error::Invalid(vec![d])
}

/// Each document's previous and next document of its type, in id order (withdrawn documents
/// have none and are no one's).
fn neighbours(
    manual: &crate::link::Manual,
    included: &[usize],
) -> HashMap<usize, (Option<usize>, Option<usize>)> {
    let mut by_type: BTreeMap<DocType, Vec<usize>> = BTreeMap::new();
    for &i in included {
        if manual.entries[i].doc.status != Status::Withdrawn {
            by_type
                .entry(manual.entries[i].doc.doc_type)
                .or_default()
                .push(i);
        }
    }
    let mut out = HashMap::with_capacity(included.len());
    for list in by_type.values() {
        for (k, &i) in list.iter().enumerate() {
            let prev = k.checked_sub(1).map(|p| list[p]);
            out.insert(i, (prev, list.get(k + 1).copied()));
        }
    }
    out
}

/// Which documents print.html leaves out (it links to their pages instead), as a key: part of
/// every document page's memo key.
fn withdrawn_key(manual: &crate::link::Manual, included: &[usize]) -> crate::cache::Key {
    let withdrawn: Vec<&[u8]> = included
        .iter()
        .filter(|&&i| manual.entries[i].doc.status == Status::Withdrawn)
        .map(|&i| manual.entries[i].doc.id.value.as_bytes())
        .collect();
    crate::cache::key(&withdrawn)
}

/// The documents print.html holds, by type, then id: every included one but the withdrawn.
fn print_order(manual: &crate::link::Manual, included: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = included
        .iter()
        .copied()
        .filter(|&i| manual.entries[i].doc.status != Status::Withdrawn)
        .collect();
    order.sort_by_key(|&i| (manual.entries[i].doc.doc_type, i));
    order
}

/// Runs `job` for each item of `order` on every worker thread, each thread taking the next item
/// in line (so items finish nearly in order). The first error stops every thread and is
/// returned.
fn each_in_order(
    order: &[usize],
    job: impl Fn(usize) -> crate::error::Result<()> + Sync,
) -> crate::error::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let failed: std::sync::Mutex<Option<crate::error::Error>> = std::sync::Mutex::new(None);
    let work = || loop {
        let k = next.fetch_add(1, Ordering::Relaxed);
        let Some(&i) = order.get(k) else {
            return;
        };
        if let Err(e) = job(i) {
            next.store(order.len(), Ordering::Relaxed);
            if let Ok(mut f) = failed.lock() {
                f.get_or_insert(e);
            }
            return;
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
}

/// print.html's frame (cover, contents and the appendix tables), split where the document
/// sections go.
fn print_frame(
    input: &Input<'_>,
    tera: &tera::Tera,
    order: &[usize],
    tables: PrintTables<'_>,
    plan: &PartPlan,
    print: &dyn PrintSink,
) -> crate::error::Result<()> {
    let page =
        render_print(input, tera, order, tables, plan, &[], PrintView::Whole).map_err(invalid)?;
    let (head, tail) = at_marker(&page);
    print.frame(head, tail)
}

/// A page split where the document sections go.
fn at_marker(page: &[u8]) -> (&[u8], &[u8]) {
    let marker = PRINT_BODY.as_bytes();
    match memchr::memmem::find(page, marker) {
        Some(at) => (&page[..at], &page[at + marker.len()..]),
        // A template without the marker: the sections follow the page.
        None => (page, &page[page.len()..]),
    }
}

/// The pages of a manual printed in parts: the index, each part's frame and the appendices.
fn part_frames(
    input: &Input<'_>,
    tera: &tera::Tera,
    order: &[usize],
    tables: PrintTables<'_>,
    plan: &PartPlan,
) -> crate::error::Result<PartFrames> {
    // The appendices are cut into pages of half the part size (their size is estimated), unless
    // the template cannot show their pager.
    let budget = match input.per_page("print_appendices.html") {
        usize::MAX => usize::MAX,
        _ => plan.limit / 2,
    };
    let appendices = super::print::plan_appendices(&tables, budget);
    let page =
        |view| render_print(input, tera, order, tables, plan, &appendices, view).map_err(invalid);
    let parts = (0..plan.parts.len())
        .into_par_iter()
        .map(|k| {
            let page = page(PrintView::Part(k))?;
            let (head, tail) = at_marker(&page);
            Ok((head.to_vec(), tail.to_vec()))
        })
        .collect::<crate::error::Result<Vec<_>>>()?;
    Ok(PartFrames {
        index: page(PrintView::Index)?,
        parts,
        appendices: (0..appendices.len())
            .into_par_iter()
            .map(|k| page(PrintView::Appendices(k)))
            .collect::<crate::error::Result<Vec<_>>>()?,
    })
}
