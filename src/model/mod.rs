//! Stage 2, model: each document's front-matter as typed data, validated. Every problem in a
//! document is collected in one pass; nothing here touches the filesystem.

pub mod frontmatter;
pub mod yaml;

use std::fmt;
use std::ops::Range;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use frontmatter::parse_document;

macro_rules! keyword_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(
    /// The kind of documented information.
    DocType {
        Policy => "policy",
        Procedure => "procedure",
        Plan => "plan",
        Record => "record",
        Register => "register",
        Soa => "soa",
        Form => "form",
        Guideline => "guideline",
        External => "external",
    }
);

keyword_enum!(
    /// Where a document stands in its life cycle.
    Status {
        Draft => "draft",
        InReview => "in-review",
        Approved => "approved",
        Withdrawn => "withdrawn",
    }
);

keyword_enum!(
    /// Who may read a document; ordered from least to most protected.
    Classification {
        Public => "public",
        Internal => "internal",
        Confidential => "confidential",
        Restricted => "restricted",
    }
);

keyword_enum!(
    /// How far an Annex A control is implemented (Statement of Applicability).
    Implementation {
        Implemented => "implemented",
        Partial => "partial",
        Planned => "planned",
        NotImplemented => "not-implemented",
    }
);

impl DocType {
    /// Plural heading used in navigation.
    pub fn plural(self) -> &'static str {
        match self {
            DocType::Policy => "Policies",
            DocType::Procedure => "Procedures",
            DocType::Plan => "Plans",
            DocType::Record => "Records",
            DocType::Register => "Registers",
            DocType::Soa => "Statement of Applicability",
            DocType::Form => "Forms",
            DocType::Guideline => "Guidelines",
            DocType::External => "External documents",
        }
    }

    /// The id prefix `aims-site new` uses for this type.
    pub fn prefix(self) -> &'static str {
        match self {
            DocType::Policy => "POL",
            DocType::Procedure => "PRO",
            DocType::Plan => "PLN",
            DocType::Record => "REC",
            DocType::Register => "REG",
            DocType::Soa => "SOA",
            DocType::Form => "FRM",
            DocType::Guideline => "GDL",
            DocType::External => "EXT",
        }
    }
}

#[allow(clippy::derivable_impls)] // the enum is macro-generated
impl Default for Classification {
    fn default() -> Self {
        Classification::Internal
    }
}

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

/// A review interval such as `12 months`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewCycle {
    pub amount: i32,
    pub unit: CycleUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CycleUnit {
    Days,
    Weeks,
    Months,
    Years,
}

impl ReviewCycle {
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.split_whitespace();
        let amount: i32 = parts.next()?.parse().ok()?;
        let unit = match parts.next()?.to_ascii_lowercase().as_str() {
            "day" | "days" => CycleUnit::Days,
            "week" | "weeks" => CycleUnit::Weeks,
            "month" | "months" => CycleUnit::Months,
            "year" | "years" => CycleUnit::Years,
            _ => return None,
        };
        if parts.next().is_some() || !(1..=1200).contains(&amount) {
            return None;
        }
        Some(ReviewCycle { amount, unit })
    }

    /// The date one cycle after `from`.
    pub fn after(self, from: Date) -> Option<Date> {
        let span = match self.unit {
            CycleUnit::Days => jiff::Span::new().try_days(self.amount).ok()?,
            CycleUnit::Weeks => jiff::Span::new().try_weeks(self.amount).ok()?,
            CycleUnit::Months => jiff::Span::new().try_months(self.amount).ok()?,
            CycleUnit::Years => jiff::Span::new().try_years(self.amount).ok()?,
        };
        from.checked_add(span).ok()
    }
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
    pub supersedes: Vec<Spanned<String>>,
    pub related: Vec<Spanned<String>>,
    pub applicability: Vec<Applicability>,
    /// Span of the `applicability` key, for findings about the map as a whole.
    pub applicability_span: Option<Range<usize>>,
    /// Keys of the required documented information this document provides (catalog `required`).
    pub provides: Vec<Spanned<String>>,
}

impl Document {
    pub fn is_published(&self) -> bool {
        !matches!(self.status, Status::Draft | Status::InReview)
    }
}

/// Settings the model needs from book.toml.
#[derive(Debug, Clone, Default)]
pub struct ModelOptions {
    pub default_classification: Classification,
    pub default_review_cycle: Option<ReviewCycle>,
}

/// Where a document stands against its review date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewState {
    None,
    Ok,
    DueSoon,
    Overdue,
}

pub fn review_state(
    review: Option<Date>,
    status: Status,
    today: Date,
    warning_days: u32,
) -> ReviewState {
    let Some(date) = review else {
        return ReviewState::None;
    };
    if status != Status::Approved {
        return ReviewState::None;
    }
    if date < today {
        ReviewState::Overdue
    } else if today
        .checked_add(jiff::Span::new().days(i64::from(warning_days)))
        .is_ok_and(|limit| date <= limit)
    {
        ReviewState::DueSoon
    } else {
        ReviewState::Ok
    }
}
