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
