//! The standard's views of the manual: the Statement of Applicability (the SoA document's
//! `applicability` merged with every document's `controls`) with its consistency checks, and
//! Stage 1 readiness (which required documented information exists, and in what state).

use std::collections::BTreeSet;

use super::facts::ReviewState;
use super::{Entry, Manual};
use crate::catalog;
use crate::diagnostic::Diagnostic;
use crate::model::{Implementation, Status};

/// One Annex A control in the Statement of Applicability.
#[derive(Debug, Clone)]
pub struct SoaRow {
    pub control: String,
    pub title: String,
    pub objective: String,
    /// `None` when the SoA does not list the control.
    pub applicable: Option<bool>,
    pub justification: String,
    pub implementation: Option<Implementation>,
    /// Included documents that list the control in `controls`, in id order.
    pub implementing: Vec<usize>,
    /// The catalog of an organisation-defined control in the ISO/IEC 42001 SoA (`extends`);
    /// `None` for Annex A, and for the rows of another standard's own SoA.
    pub catalog: Option<&'static crate::catalog::Catalog>,
}

impl SoaRow {
    /// Control `c`'s row as the SoA document `document` decides it (or leaves it undecided),
    /// with the documents that implement it.
    pub fn decided(
        manual: &Manual,
        document: Option<usize>,
        c: &crate::catalog::Control,
        implementing: Vec<usize>,
        catalog: Option<&'static crate::catalog::Catalog>,
    ) -> SoaRow {
        let entry = document.and_then(|d| {
            manual.entries[d]
                .doc
                .applicability
                .iter()
                .find(|a| a.control.value == c.id)
        });
        SoaRow {
            control: c.id.clone(),
            title: c.title.clone(),
            objective: c.objective.clone(),
            applicable: entry.and_then(|e| e.applicable),
            justification: entry
                .and_then(|e| e.justification.clone())
                .unwrap_or_default(),
            implementation: entry.and_then(|e| e.implementation),
            implementing,
            catalog,
        }
    }
}

/// The Statement of Applicability of a build.
#[derive(Debug, Clone)]
pub struct Soa {
    /// The SoA document, when the build has one.
    pub document: Option<usize>,
    pub rows: Vec<SoaRow>,
}

/// The SoA document among `entries` (the first by id when there are several).
fn soa_document(entries: &[Entry], usable: impl Fn(usize) -> bool) -> Option<usize> {
    (0..entries.len()).find(|&i| {
        usable(i) && entries[i].doc.is_base_soa() && entries[i].doc.status != Status::Withdrawn
    })
}

/// Builds the SoA view from the documents included in the build.
pub fn soa(manual: &Manual) -> Soa {
    let document = soa_document(&manual.entries, |i| manual.is_included(i));
    let cat = catalog::get();
    let rows = cat
        .controls
        .iter()
        .map(|c| {
            let implementing = manual
                .included()
                .filter(|&i| {
                    let d = &manual.entries[i].doc;
                    d.status != Status::Withdrawn && d.controls.iter().any(|x| x.value == c.id)
                })
                .collect();
            SoaRow::decided(manual, document, c, implementing, None)
        })
        .collect();
    Soa { document, rows }
}

/// Checks the SoA against the rest of the manual (all documents, whatever the build includes).
pub fn check_soa(entries: &[Entry], duplicate: &[bool], diags: &mut Vec<Diagnostic>) {
    let usable = |i: usize| !duplicate[i];
    let socs: Vec<usize> = (0..entries.len())
        .filter(|&i| {
            usable(i) && entries[i].doc.is_base_soa() && entries[i].doc.status != Status::Withdrawn
        })
        .collect();
    let Some(&soa) = socs.first() else {
        diags.push(
            Diagnostic::warning("AIMS-W052", "there is no Statement of Applicability (a document with `type: soa`)")
                .help("clause 6.1.3 asks for one: `aims-site new soa \"Statement of Applicability\"` starts one listing every Annex A control"),
        );
        return;
    };
    for &other in &socs[1..] {
        let e = &entries[other];
        diags.push(
            Diagnostic::warning(
                "AIMS-W053",
                format!(
                    "more than one Statement of Applicability: {} is used, {} is not",
                    entries[soa].doc.id.value, e.doc.id.value
                ),
            )
            .at(&e.src.display, &e.src.text, e.doc.id.span.clone())
            .help("keep one current SoA; withdraw the other (`status: withdrawn`)"),
        );
    }
    let s = &entries[soa];
    for row in &s.doc.applicability {
        let implemented_by = (0..entries.len()).any(|i| {
            usable(i)
                && entries[i].doc.status != Status::Withdrawn
                && (entries[i]
                    .doc
                    .controls
                    .iter()
                    .any(|c| c.value == row.control.value)
                    || entries[i]
                        .doc
                        .standards
                        .iter()
                        .any(|r| r.ids.iter().any(|x| x.value == row.control.value)))
        });
        if row.applicable == Some(true)
            && row.implementation == Some(Implementation::Implemented)
            && !implemented_by
        {
            diags.push(
                Diagnostic::warning("AIMS-W051", format!("{} is marked implemented, but no document lists it in `controls`", row.control.value))
                    .at(&s.src.display, &s.src.text, row.control.span.clone())
                    .help("add the control to the `controls` of the documents that implement it, or correct the implementation status"),
            );
        }
    }
    let excluded: BTreeSet<&str> = s
        .doc
        .applicability
        .iter()
        .filter(|a| a.applicable == Some(false))
        .map(|a| a.control.value.as_str())
        .collect();
    for (i, e) in entries.iter().enumerate() {
        if !usable(i) || e.doc.status == Status::Withdrawn {
            continue;
        }
        for c in &e.doc.controls {
            if excluded.contains(c.value.as_str()) {
                diags.push(
                    Diagnostic::warning("AIMS-W050", format!("{} implements {}, which the Statement of Applicability excludes", e.doc.id.value, c.value))
                        .at(&e.src.display, &e.src.text, c.span.clone())
                        .note(format!("excluded in {}", s.src.display))
                        .help("include the control in the SoA with a justification, or remove it from this document's `controls`"),
                );
            }
        }
    }
}

/// The state of one item of required documented information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Readiness {
    /// Provided by an approved document whose review is not overdue.
    Ready,
    /// Provided only by approved documents whose review is overdue.
    ReviewOverdue,
    /// Provided only by drafts or documents in review.
    Draft,
    /// Nothing provides it.
    Missing,
}

#[derive(Debug, Clone)]
pub struct ReadinessItem {
    pub key: String,
    pub item: String,
    pub clause: String,
    pub confirmed: bool,
    /// Documents of the build's classifications that provide the item (drafts included), id order.
    pub providers: Vec<usize>,
    pub state: Readiness,
    /// AI systems in scope that lack the item's record (see [`super::systems::attach`]).
    pub systems_lacking: Vec<usize>,
}

/// Whether document `e` provides `req`: it says so in `provides`, or its type fits and it
/// addresses the clause.
pub fn provides(e: &Entry, req: &catalog::Required) -> bool {
    let d = &e.doc;
    if d.provides.iter().any(|p| p.value == req.key) || super::systems::answers(d, &req.key) {
        return true;
    }
    // Another standard's SoA is not ISO/IEC 42001's documented information.
    d.soa_standard.is_none()
        && req.types.contains(&d.doc_type)
        && (req.type_alone || d.clauses.iter().any(|c| c.value == req.clause))
}

/// Stage 1 readiness for the documents of this build's classifications.
pub fn readiness(
    manual: &Manual,
    in_profile: impl Fn(usize) -> bool,
    review: &[ReviewState],
) -> Vec<ReadinessItem> {
    let cat = catalog::get();
    cat.required
        .iter()
        .map(|req| {
            let providers: Vec<usize> = (0..manual.entries.len())
                .filter(|&i| {
                    in_profile(i)
                        && manual.entries[i].doc.status != Status::Withdrawn
                        && provides(&manual.entries[i], req)
                })
                .collect();
            let state = providers
                .iter()
                .map(|&i| {
                    let d = &manual.entries[i].doc;
                    match (d.status, review[i]) {
                        (Status::Approved, ReviewState::Overdue) => Readiness::ReviewOverdue,
                        (Status::Approved, _) => Readiness::Ready,
                        _ => Readiness::Draft,
                    }
                })
                .min()
                .unwrap_or(Readiness::Missing);
            ReadinessItem {
                key: req.key.clone(),
                item: req.item.clone(),
                clause: req.clause.clone(),
                confirmed: req.confirmed,
                providers,
                state,
                systems_lacking: Vec::new(),
            }
        })
        .collect()
}
