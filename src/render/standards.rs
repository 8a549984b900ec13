//! Pages of the standards enabled besides ISO/IEC 42001: per standard, its clause index with
//! coverage and the documented information it names (`standards/<key>/index.html`), and its
//! Statement of Applicability as HTML, CSV and JSON when it has one. Projects the facts of
//! `link::standards`; nothing here is rendered when only ISO/IEC 42001 is enabled. What a
//! document page and an ISO/IEC 42001 clause page show of the other standards is in
//! `standard_refs.rs`.

use serde::Serialize;

use super::context::{Base, DocLink, Page, RefLink, Shared, StandardNav, doc_link, render_one};
use super::standard_pages::{SoaRowView, soa_csv, soa_json, soa_rows};
use crate::link::Manual;
use crate::link::standards::{self as facts, StandardFacts};
use crate::model::Status;

/// The enabled standards besides ISO/IEC 42001, for every page.
pub fn nav(manual: &Manual) -> Vec<StandardNav> {
    manual
        .facts
        .standards
        .iter()
        .map(|s| {
            let (covered, total) = s.coverage_counts();
            let key = &s.catalog.key;
            StandardNav {
                key: key.clone(),
                standard: s.catalog.standard.clone(),
                url: facts::index_url(key),
                soa_url: s.soa.as_ref().map(|_| facts::soa_url(key, "html")),
                covered,
                total,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct Entry<'a> {
    id: String,
    anchor: String,
    title: String,
    depth: usize,
    covered: bool,
    excluded: bool,
    declared: Vec<DocLink<'a>>,
    /// The ISO/IEC 42001 clauses it corresponds to (built-in crosswalk).
    also: Vec<RefLink>,
}

#[derive(Serialize)]
struct Section<'a> {
    key: String,
    label: String,
    entries: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Documented<'a> {
    item: String,
    kind: String,
    clause: RefLink,
    /// "ready" (an approved document maps to the clause), "draft" (only drafts do) or "missing".
    state: &'static str,
    documents: Vec<DocLink<'a>>,
}

#[derive(Serialize)]
struct IndexPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    standard: String,
    key: String,
    covered: usize,
    total: usize,
    soa_url: Option<String>,
    /// The crosswalk's coverage matrix, when the standard has a crosswalk with ISO/IEC 42001.
    crosswalk_url: Option<String>,
    sections: Vec<Section<'a>>,
    documented: Vec<Documented<'a>>,
}

const ROOT: &str = "../../";

fn index_page<'a>(manual: &'a Manual, s: &'a StandardFacts, base: Base<'a>) -> IndexPage<'a> {
    let cat = s.catalog;
    let links = |id: &str| {
        s.declared
            .get(id)
            .map(|list| list.iter().map(|&i| doc_link(manual, i, "")).collect())
            .unwrap_or_default()
    };
    let excluded = |id: &str| {
        s.soa.as_ref().is_some_and(|soa| {
            soa.rows
                .iter()
                .any(|r| r.control == id && r.applicable == Some(false))
        })
    };
    let entry = |id: &str, title: &str, depth: usize, covered: bool| Entry {
        id: id.to_string(),
        anchor: facts::anchor(id),
        title: title.to_string(),
        depth,
        covered,
        excluded: excluded(id),
        declared: links(id),
        also: s
            .crosswalk
            .iter()
            .filter(|(_, other, _)| other == id)
            .map(|(base, _, _)| super::context::ref_link(base))
            .collect(),
    };
    let depth_of = |id: &str| {
        let mut depth = 0;
        let mut at = cat.clause(id).and_then(|c| c.parent.as_deref());
        while let Some(p) = at {
            depth += 1;
            at = cat.clause(p).and_then(|c| c.parent.as_deref());
        }
        depth
    };
    let mut sections: Vec<Section> = Vec::new();
    for c in &cat.clauses {
        let depth = depth_of(&c.id);
        if depth == 0 {
            let label = if c.id.chars().next().is_some_and(|ch| ch.is_ascii_digit()) {
                format!("Clause {} {}", c.id, c.title)
            } else {
                format!("{} {}", c.id, c.title)
            };
            sections.push(Section {
                key: facts::anchor(&c.id),
                label,
                entries: Vec::new(),
            });
        }
        if let Some(sec) = sections.last_mut() {
            sec.entries
                .push(entry(&c.id, &c.title, depth, s.covered.contains(&c.id)));
        }
    }
    for o in &cat.objectives {
        let mut sec = Section {
            key: facts::anchor(&o.id),
            label: format!("{} {}", o.id, o.title),
            entries: Vec::new(),
        };
        for c in cat.controls.iter().filter(|c| c.objective == o.id) {
            sec.entries
                .push(entry(&c.id, &c.title, 0, s.covered.contains(&c.id)));
        }
        sections.push(sec);
    }
    let documented = cat
        .documented
        .iter()
        .map(|d| {
            let docs: Vec<usize> = s.declared.get(&d.clause).cloned().unwrap_or_default();
            let state = if docs
                .iter()
                .any(|&i| manual.entries[i].doc.status == Status::Approved)
            {
                "ready"
            } else if docs.is_empty() {
                "missing"
            } else {
                "draft"
            };
            Documented {
                item: d.item.clone(),
                kind: d.kind.clone(),
                clause: RefLink {
                    id: d.clause.clone(),
                    title: cat.title(&d.clause).unwrap_or("").to_string(),
                    url: format!("#{}", facts::anchor(&d.clause)),
                },
                state,
                documents: docs.iter().map(|&i| doc_link(manual, i, "")).collect(),
            }
        })
        .collect();
    let (covered, total) = s.coverage_counts();
    IndexPage {
        base,
        standard: cat.standard.clone(),
        key: cat.key.clone(),
        covered,
        total,
        soa_url: s.soa.as_ref().map(|_| "soa.html".to_string()),
        crosswalk_url: (!s.crosswalk.is_empty()).then(|| "crosswalk-iso42001.csv".to_string()),
        sections,
        documented,
    }
}

#[derive(Serialize)]
struct SoaPage<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    standard: String,
    key: &'a str,
    document: Option<DocLink<'a>>,
    rows: &'a [SoaRowView<'a>],
    applicable: usize,
    excluded: usize,
    unlisted: usize,
}

/// The coverage CSV's columns, in order (documented in the README).
pub const COVERAGE_COLUMNS: &[&str] = &["id", "title", "kind", "covered", "documents"];

/// Every clause and control of a standard with whether it is covered and the documents that
/// map to it.
pub fn coverage_csv(manual: &Manual, s: &StandardFacts) -> String {
    let cat = s.catalog;
    let mut out = COVERAGE_COLUMNS.join(",");
    out.push_str("\r\n");
    let items = cat
        .clauses
        .iter()
        .map(|c| (c.id.as_str(), c.title.as_str(), "clause"))
        .chain(
            cat.controls
                .iter()
                .map(|c| (c.id.as_str(), c.title.as_str(), "control")),
        );
    for (id, title, kind) in items {
        let docs: Vec<&str> = s
            .declared
            .get(id)
            .map(|l| {
                l.iter()
                    .map(|&i| manual.entries[i].doc.id.value.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let covered = if s.covered.contains(id) { "yes" } else { "no" };
        let line: Vec<String> = [id, title, kind, covered, &docs.join("; ")]
            .iter()
            .map(|f| super::registers::csv_escape(f))
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The crosswalk matrix's columns, in order (documented in the README).
pub const CROSSWALK_COLUMNS: &[&str] = &[
    "iso42001",
    "iso42001_title",
    "iso42001_covered",
    "other",
    "other_title",
    "other_covered",
    "relationship",
];

/// Each pair of a standard's crosswalk with ISO/IEC 42001, with whether each side is covered by
/// documents mapped to it (one side never covers the other).
pub fn crosswalk_csv(manual: &Manual, s: &StandardFacts) -> String {
    let base = crate::catalog::get();
    let mut out = CROSSWALK_COLUMNS.join(",");
    out.push_str("\r\n");
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    for (ours, theirs, relationship) in &s.crosswalk {
        let other = format!("{} {theirs}", s.catalog.standard);
        let fields = [
            ours.as_str(),
            base.title(ours).unwrap_or(""),
            yes_no(manual.is_covered(ours)),
            &other,
            s.catalog.title(theirs).unwrap_or(""),
            yes_no(s.covered.contains(theirs)),
            relationship,
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

/// One standard's SoA rows, each control linked to its entry on the standard's clause index.
pub fn rows<'a>(manual: &'a Manual, s: &'a StandardFacts) -> Vec<SoaRowView<'a>> {
    let Some(soa) = &s.soa else {
        return Vec::new();
    };
    let mut rows = soa_rows(manual, soa, "");
    for r in &mut rows {
        r.url = facts::ref_url(&s.catalog.key, r.control);
    }
    rows
}

/// The pages of every enabled standard besides ISO/IEC 42001; `rows` are each one's SoA rows,
/// in the same order (empty for a standard without an SoA).
pub(crate) fn pages<'s>(shared: &'s Shared<'s>, rows: &'s [Vec<SoaRowView>]) -> Vec<Page<'s>> {
    let (input, tera) = (shared.input, shared.tera);
    let manual = input.manual;
    let mut pages = Vec::new();
    for (s, rows) in manual.facts.standards.iter().zip(rows) {
        let key = &s.catalog.key;
        let base = move |title: String| Base {
            site: &input.site,
            root: ROOT,
            page_title: title,
            current: "standards",
        };
        pages.push(Page::new(facts::index_url(key), move || {
            let page = index_page(
                manual,
                s,
                base(format!("{} clause index", s.catalog.standard)),
            );
            render_one(tera, "standard.html", &page)
        }));
        pages.push(Page::new(facts::coverage_url(key), move || {
            Ok(coverage_csv(manual, s).into_bytes())
        }));
        if !s.crosswalk.is_empty() {
            pages.push(Page::new(facts::crosswalk_url(key), move || {
                Ok(crosswalk_csv(manual, s).into_bytes())
            }));
        }
        let Some(soa) = &s.soa else {
            continue;
        };
        let document = soa.document.map(|i| doc_link(manual, i, ""));
        let doc_json = document.clone();
        pages.push(Page::new(facts::soa_url(key, "html"), move || {
            let count = |what: &str| rows.iter().filter(|r| r.applicability == what).count();
            let page = SoaPage {
                base: base(format!("{} Statement of Applicability", s.catalog.standard)),
                standard: s.catalog.standard.clone(),
                key,
                document: document.clone(),
                rows,
                applicable: count("applicable"),
                excluded: count("excluded"),
                unlisted: count("not listed"),
            };
            render_one(tera, "standard_soa.html", &page)
        }));
        pages.push(Page::new(facts::soa_url(key, "csv"), move || {
            Ok(soa_csv(rows).into_bytes())
        }));
        pages.push(Page::new(facts::soa_url(key, "json"), move || {
            Ok(soa_json(rows, doc_json.as_ref()).into_bytes())
        }));
    }
    pages
}
