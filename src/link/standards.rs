//! The views of the other enabled standards (ISO/IEC 27001, 27701, 9001, the EU AI Act): for
//! each, which documents map to which of its ids (`standards:`), what is covered, and its
//! Statement of Applicability when it has one (the SoA document with `standard: <key>` merged
//! with the documents' mappings), with the SoA's consistency checks. Computed once per build;
//! nothing here is computed when only ISO/IEC 42001 is enabled.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::standard::{Soa, SoaRow};
use super::{Entry, Manual};
use crate::catalog::{Catalog, Crosswalk};
use crate::diagnostic::Diagnostic;
use crate::model::{DocType, Document, Status};

/// One enabled standard besides ISO/IEC 42001.
#[derive(Debug, Clone)]
pub struct StandardFacts {
    pub catalog: &'static Catalog,
    /// Catalog id → the included documents that map to it (not withdrawn), in id order.
    pub declared: HashMap<String, Vec<usize>>,
    /// Ids that are covered: mapped by an included document or, for a clause, by any of its
    /// sub-clauses. A mapping to another standard never counts (crosswalks do not satisfy).
    pub covered: HashSet<String>,
    /// The Statement of Applicability, for a standard that has one.
    pub soa: Option<Soa>,
    /// The built-in crosswalk with ISO/IEC 42001: (ISO/IEC 42001 id, id of this standard,
    /// relationship). It informs; it never makes an id of either standard covered.
    pub crosswalk: Vec<(String, String, String)>,
}

impl StandardFacts {
    /// The ids a document maps to in this standard.
    pub fn refs<'d>(&self, doc: &'d Document) -> impl Iterator<Item = &'d str> {
        let key = self.catalog.key.as_str();
        doc.standards
            .iter()
            .filter(move |r| r.key == key)
            .flat_map(|r| r.ids.iter().map(|i| i.value.as_str()))
    }

    /// How many of the standard's clauses and controls are covered, of how many.
    pub fn coverage_counts(&self) -> (usize, usize) {
        let ids: Vec<&str> = self
            .catalog
            .clauses
            .iter()
            .map(|c| c.id.as_str())
            .chain(self.catalog.controls.iter().map(|c| c.id.as_str()))
            .collect();
        let covered = ids.iter().filter(|id| self.covered.contains(**id)).count();
        (covered, ids.len())
    }
}

/// Whether entry `e` is the SoA of `key`.
fn is_soa_of(e: &Entry, key: &str) -> bool {
    e.doc.doc_type == DocType::Soa
        && e.doc.status != Status::Withdrawn
        && e.doc.soa_standard.as_ref().is_some_and(|s| s.value == key)
}

/// The facts of each enabled standard, in the order given.
pub fn derive(
    manual: &Manual,
    catalogs: &[&'static Catalog],
    own: &[Crosswalk],
) -> Vec<StandardFacts> {
    catalogs
        .iter()
        .map(|&cat| {
            let mut declared: HashMap<String, Vec<usize>> = HashMap::new();
            for i in manual.included() {
                let d = &manual.entries[i].doc;
                if d.status == Status::Withdrawn {
                    continue;
                }
                let ids: BTreeSet<&str> = d
                    .standards
                    .iter()
                    .filter(|r| r.key == cat.key)
                    .flat_map(|r| r.ids.iter().map(|x| x.value.as_str()))
                    .collect();
                for id in ids {
                    declared.entry(id.to_string()).or_default().push(i);
                }
            }
            let mut covered = HashSet::new();
            for id in declared.keys() {
                let mut at = Some(id.as_str());
                while let Some(id) = at {
                    if !covered.insert(id.to_string()) {
                        break;
                    }
                    at = cat.clause(id).and_then(|c| c.parent.as_deref());
                }
            }
            let soa = cat.soa.then(|| soa(manual, cat, &declared));
            let crosswalk = crate::catalog::crosswalks()
                .iter()
                .chain(own)
                .flat_map(|cw| {
                    let forward = cw.from == crate::catalog::BASE && cw.to == cat.key;
                    let backward = cw.to == crate::catalog::BASE && cw.from == cat.key;
                    cw.pairs
                        .iter()
                        .filter_map(move |p| match (forward, backward) {
                            (true, _) => {
                                Some((p.from.clone(), p.to.clone(), p.relationship.clone()))
                            }
                            (_, true) => {
                                Some((p.to.clone(), p.from.clone(), p.relationship.clone()))
                            }
                            _ => None,
                        })
                })
                .collect();
            StandardFacts {
                catalog: cat,
                declared,
                covered,
                soa,
                crosswalk,
            }
        })
        .collect()
}

/// The rows of the organisation-defined controls (catalogs that extend ISO/IEC 42001), decided
/// in the ISO/IEC 42001 SoA document and implemented by the documents that map to them.
pub fn extension_rows(manual: &Manual, facts: &[StandardFacts]) -> Vec<SoaRow> {
    let document = manual.facts.soa.document;
    facts
        .iter()
        .filter(|s| s.catalog.extends.as_deref() == Some(crate::catalog::BASE))
        .flat_map(|s| {
            s.catalog.controls.iter().map(move |c| {
                let implementing = s.declared.get(&c.id).cloned().unwrap_or_default();
                SoaRow::decided(manual, document, c, implementing, Some(s.catalog))
            })
        })
        .collect()
}

fn soa(manual: &Manual, cat: &Catalog, declared: &HashMap<String, Vec<usize>>) -> Soa {
    let document = manual
        .included()
        .find(|&i| is_soa_of(&manual.entries[i], &cat.key));
    let rows = cat
        .controls
        .iter()
        .map(|c| {
            let implementing = declared.get(&c.id).cloned().unwrap_or_default();
            SoaRow::decided(manual, document, c, implementing, None)
        })
        .collect();
    Soa { document, rows }
}

/// Checks each enabled standard's SoA against the documents (all of them, whatever the build
/// includes): there is one, it is the only one, and no document maps to a control it excludes.
/// A control marked implemented needs no mapping here: in an integrated manual, the documents
/// of another management system may implement it.
pub fn check(entries: &[Entry], catalogs: &[&'static Catalog], diags: &mut Vec<Diagnostic>) {
    for cat in catalogs.iter().filter(|c| c.soa) {
        let socs: Vec<&Entry> = entries.iter().filter(|e| is_soa_of(e, &cat.key)).collect();
        let Some(soa) = socs.first() else {
            diags.push(
                Diagnostic::warning(
                    "AIMS-W061",
                    format!("there is no Statement of Applicability for {}", cat.standard),
                )
                .help(format!(
                    "add a document with `type: soa` and `standard: {}` whose `applicability` decides each of its {} controls",
                    cat.key,
                    cat.controls.len()
                )),
            );
            continue;
        };
        for other in &socs[1..] {
            diags.push(
                Diagnostic::warning(
                    "AIMS-W062",
                    format!(
                        "more than one Statement of Applicability for {}: {} is used, {} is not",
                        cat.standard, soa.doc.id.value, other.doc.id.value
                    ),
                )
                .at(
                    &other.src.display,
                    &other.src.text,
                    other.doc.id.span.clone(),
                )
                .help(
                    "keep one current SoA per standard; withdraw the other (`status: withdrawn`)",
                ),
            );
        }
        let excluded: BTreeSet<&str> = soa
            .doc
            .applicability
            .iter()
            .filter(|a| a.applicable == Some(false))
            .map(|a| a.control.value.as_str())
            .collect();
        for e in entries {
            if e.doc.status == Status::Withdrawn {
                continue;
            }
            for r in e.doc.standards.iter().filter(|r| r.key == cat.key) {
                for id in r.ids.iter().filter(|x| excluded.contains(x.value.as_str())) {
                    diags.push(
                        Diagnostic::warning(
                            "AIMS-W063",
                            format!(
                                "{} implements {} {}, which its Statement of Applicability excludes",
                                e.doc.id.value, cat.standard, id.value
                            ),
                        )
                        .at(&e.src.display, &e.src.text, id.span.clone())
                        .note(format!("excluded in {}", soa.src.display))
                        .help("include the control in the SoA with a justification, or remove it from this document's `standards`"),
                    );
                }
            }
        }
    }
}

/// URL of a standard's clause index, relative to the site root.
pub fn index_url(key: &str) -> String {
    format!("standards/{key}/index.html")
}

/// URL of a standard's Statement of Applicability (`ext`: html, csv or json).
pub fn soa_url(key: &str, ext: &str) -> String {
    format!("standards/{key}/soa.{ext}")
}

/// URL of a standard's coverage CSV.
pub fn coverage_url(key: &str) -> String {
    format!("standards/{key}/coverage.csv")
}

/// URL of the coverage matrix of a standard's crosswalk with ISO/IEC 42001.
pub fn crosswalk_url(key: &str) -> String {
    format!("standards/{key}/crosswalk-iso42001.csv")
}

/// The anchor of an id on its standard's clause index (`Art. 9` → `c-Art.-9`).
pub fn anchor(id: &str) -> String {
    let slug: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("c-{slug}")
}

/// URL of one id on its standard's clause index.
pub fn ref_url(key: &str, id: &str) -> String {
    format!("{}#{}", index_url(key), anchor(id))
}
