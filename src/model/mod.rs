//! Stage 2, model: each document's front-matter as typed data, validated. Every problem in a
//! document is collected in one pass; nothing here touches the filesystem.

pub mod frontmatter;
pub mod yaml;

use std::ops::Range;

use jiff::civil::Date;

pub use frontmatter::parse_document;

pub use crate::vocab::{
    AiRole, Classification, CycleUnit, DocType, EuAiAct, Implementation, LifecycleStage,
    RecordKind, ReviewCycle, RiskLevel, Sourcing, Status,
};

/// A value together with the byte range of the file it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Range<usize>,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Range<usize>) -> Self {
        Spanned { value, span }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub by: String,
    pub date: Date,
}

/// One row of the Statement of Applicability's `applicability` map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicability {
    pub control: Spanned<String>,
    pub applicable: Option<bool>,
    pub justification: Option<String>,
    pub implementation: Option<Implementation>,
}

/// A controlled document: its front-matter as typed data and where its body lies.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: Spanned<String>,
    pub title: String,
    pub doc_type: DocType,
    pub owner: String,
    pub version: String,
    /// Where `version` is written, for findings about approval integrity.
    pub version_span: Range<usize>,
    pub status: Status,
    pub approval: Option<Approval>,
    /// The next scheduled review: `review_date`, or the approval date plus `review_cycle`.
    pub review_date: Option<Date>,
    pub review_cycle: Option<String>,
    pub clauses: Vec<Spanned<String>>,
    pub controls: Vec<Spanned<String>>,
    pub classification: Classification,
    pub retention: Option<String>,
    /// What a reader must know, in a sentence or two (`summary:`).
    pub summary: Option<String>,
    /// Who must read it (`audience:`), lower case; [`ALL_STAFF`] marks a document for everyone.
    pub audience: Vec<String>,
    pub supersedes: Vec<Spanned<String>>,
    pub related: Vec<Spanned<String>>,
    pub applicability: Vec<Applicability>,
    /// Span of the `applicability` key, for findings about the map as a whole.
    pub applicability_span: Option<Range<usize>>,
    /// Keys of the required documented information this document provides (catalog `required`).
    pub provides: Vec<Spanned<String>>,
    /// Ids of the AI systems this document concerns (`systems`), checked in link.
    pub systems: Vec<Spanned<String>>,
    /// What this document is for those systems (`record_kind`): risk assessment, impact
    /// assessment…
    pub record_kinds: Vec<RecordKind>,
    /// When the assessment this record holds is to be repeated (`next_due`); when not given,
    /// its review date stands in.
    pub next_due: Option<Spanned<Date>>,
    /// The facts of an AI system (`type: ai-system` only).
    pub system: Option<Box<AiSystem>>,
    /// References to the other enabled standards (`standards:`), by catalog, ids as in the catalog.
    pub standards: Vec<StandardRefs>,
    /// On a Statement of Applicability of another standard (`standard:`), that standard's key.
    pub soa_standard: Option<Spanned<String>>,
    /// The custom fields book.toml declares (`[fields]`) that `extra:` gives, in declaration order.
    pub fields: Vec<(String, FieldValue)>,
}

/// The facts of one AI system, read from the front-matter of its `type: ai-system` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AiSystem {
    /// The organisation's roles for it (ISO/IEC 22989), at least one.
    pub roles: Vec<AiRole>,
    pub sourcing: Sourcing,
    /// The supplier's document, for a bought system.
    pub supplier: Option<Spanned<String>>,
    pub stage: LifecycleStage,
    pub intended_use: String,
    pub foreseeable_misuse: Vec<String>,
    pub affected_parties: Vec<String>,
    pub data_sources: Vec<String>,
    pub human_oversight: String,
    pub risk_level: RiskLevel,
    pub jurisdictions: Vec<String>,
    pub eu_ai_act: EuAiAct,
    /// The Annex III point of a high-risk system, normalised (`4(b)`).
    pub annex_iii: Option<String>,
    pub in_scope: bool,
}

/// The value of a custom field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    Text(String),
    List(Vec<String>),
}

impl FieldValue {
    /// As one line of text (a list joined with `; `).
    pub fn display(&self) -> String {
        match self {
            FieldValue::Text(s) => s.clone(),
            FieldValue::List(l) => l.join("; "),
        }
    }
}

/// A document's references to one catalog other than ISO/IEC 42001.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardRefs {
    pub key: String,
    /// Catalog ids, each once, in the order written.
    pub ids: Vec<Spanned<String>>,
}

impl Document {
    /// Whether this is the Statement of Applicability of ISO/IEC 42001 (not of another standard).
    pub fn is_base_soa(&self) -> bool {
        self.doc_type == DocType::Soa && self.soa_standard.is_none()
    }

    /// Whether every member of staff must read it (`audience: all-staff`).
    pub fn for_everyone(&self) -> bool {
        self.audience.iter().any(|a| a == ALL_STAFF)
    }

    pub fn is_published(&self) -> bool {
        !matches!(self.status, Status::Draft | Status::InReview)
    }
}

/// The `audience` of a document every member of staff must read.
pub const ALL_STAFF: &str = "all-staff";

/// Settings the model needs from book.toml.
#[derive(Debug, Clone, Default)]
pub struct ModelOptions {
    pub default_classification: Classification,
    pub default_review_cycle: Option<ReviewCycle>,
    /// The catalogs enabled besides ISO/IEC 42001 (`[standards]`).
    pub standards: Vec<&'static crate::catalog::Catalog>,
    /// The custom fields declared in book.toml (`[fields]`).
    pub fields: std::collections::BTreeMap<String, crate::config::FieldSpec>,
}
