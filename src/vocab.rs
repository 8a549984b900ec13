//! The manual's shared vocabulary: document types, statuses, classifications, implementation
//! states and review cycles. Plain keyword types with no dependencies, so that catalog, config
//! and model can all use them; [`crate::model`] re-exports them.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

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

/// Whether `name` can be a custom field (`[fields.<name>]`): lower-case ASCII letters, digits and
/// `_`, starting with a letter, at most 64 characters.
pub fn is_field_name(name: &str) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
