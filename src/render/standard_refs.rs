//! What pages of ISO/IEC 42001 show of the other enabled standards: a document's references to
//! them (its control block) and the crosswalk of a clause (its clause page).

use serde::Serialize;

use super::context::RefLink;
use crate::link::Manual;
use crate::link::standards as facts;
use crate::model::Document;

/// A document's references to one other standard, for its control block.
#[derive(Debug, Clone, Serialize)]
pub struct DocStandard {
    pub standard: String,
    pub refs: Vec<RefLink>,
}

/// The references of document `d` to each enabled standard besides ISO/IEC 42001.
pub fn doc_standards(manual: &Manual, d: &Document) -> Vec<DocStandard> {
    manual
        .facts
        .standards
        .iter()
        .filter_map(|s| {
            let refs: Vec<RefLink> = s
                .refs(d)
                .map(|id| RefLink {
                    id: id.to_string(),
                    title: s.catalog.title(id).unwrap_or("").to_string(),
                    url: facts::ref_url(&s.catalog.key, id),
                })
                .collect();
            (!refs.is_empty()).then(|| DocStandard {
                standard: s.catalog.standard.clone(),
                refs,
            })
        })
        .collect()
}

/// What ISO/IEC 42001 clause `id` corresponds to in each enabled standard, linked from a page
/// at `root`.
pub fn crosswalked(manual: &Manual, id: &str, root: &str) -> Vec<DocStandard> {
    manual
        .facts
        .standards
        .iter()
        .filter_map(|s| {
            let refs: Vec<RefLink> = s
                .crosswalk
                .iter()
                .filter(|(ours, _, _)| ours == id)
                .map(|(_, theirs, _)| RefLink {
                    id: theirs.clone(),
                    title: s.catalog.title(theirs).unwrap_or("").to_string(),
                    url: format!("{root}{}", facts::ref_url(&s.catalog.key, theirs)),
                })
                .collect();
            (!refs.is_empty()).then(|| DocStandard {
                standard: s.catalog.standard.clone(),
                refs,
            })
        })
        .collect()
}

/// One enabled standard's appendix of print.html: its SoA (when it has one) and its coverage.
#[derive(Serialize)]
pub struct PrintStandard {
    pub key: String,
    pub standard: String,
    pub has_soa: bool,
    pub soa_document: Option<String>,
    pub soa: Vec<PrintSoaRow>,
    pub coverage: Vec<PrintCoverageRow>,
}

#[derive(Serialize)]
pub struct PrintSoaRow {
    pub control: String,
    pub title: String,
    pub applicability: &'static str,
    pub justification: String,
    pub implementation: &'static str,
    pub documents: Vec<String>,
}

#[derive(Serialize)]
pub struct PrintCoverageRow {
    pub id: String,
    pub title: String,
    pub covered: bool,
    pub documents: Vec<String>,
}

/// The appendices of print.html for the standards enabled besides ISO/IEC 42001.
pub fn print_appendices(manual: &Manual) -> Vec<PrintStandard> {
    let ids = |list: &[usize]| -> Vec<String> {
        list.iter()
            .map(|&i| manual.entries[i].doc.id.value.clone())
            .collect()
    };
    manual
        .facts
        .standards
        .iter()
        .map(|s| {
            let cat = s.catalog;
            let soa = s.soa.as_ref();
            let coverage = cat
                .clauses
                .iter()
                .map(|c| (c.id.as_str(), c.title.as_str()))
                .chain(
                    cat.controls
                        .iter()
                        .map(|c| (c.id.as_str(), c.title.as_str())),
                )
                .map(|(id, title)| PrintCoverageRow {
                    id: id.to_string(),
                    title: title.to_string(),
                    covered: s.covered.contains(id),
                    documents: s.declared.get(id).map(|l| ids(l)).unwrap_or_default(),
                })
                .collect();
            PrintStandard {
                key: cat.key.clone(),
                standard: cat.standard.clone(),
                has_soa: soa.is_some(),
                soa_document: soa
                    .and_then(|x| x.document)
                    .map(|i| manual.entries[i].doc.id.value.clone()),
                soa: soa
                    .map(|x| {
                        x.rows
                            .iter()
                            .map(|r| PrintSoaRow {
                                control: r.control.clone(),
                                title: r.title.clone(),
                                applicability: match r.applicable {
                                    Some(true) => "applicable",
                                    Some(false) => "excluded",
                                    None => "not listed",
                                },
                                justification: r.justification.clone(),
                                implementation: r.implementation.map_or("", |i| i.as_str()),
                                documents: ids(&r.implementing),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                coverage,
            }
        })
        .collect()
}
