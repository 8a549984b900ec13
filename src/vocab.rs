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
        AiSystem => "ai-system",
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
            DocType::AiSystem => "AI systems",
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
            DocType::AiSystem => "SYS",
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

keyword_enum!(
    /// What a record is for an AI system (front-matter `record_kind`), so that a system's
    /// required records can be checked (`[systems]` in book.toml).
    RecordKind {
        RiskAssessment => "risk-assessment",
        ImpactAssessment => "impact-assessment",
        DataRecord => "data-record",
        ModelCard => "model-card",
        TestReport => "test-report",
        ReleaseRecord => "release-record",
        TechnicalDocumentation => "technical-documentation",
        Logging => "logging",
        HumanOversight => "human-oversight",
        PostMarketMonitoring => "post-market-monitoring",
    }
);

impl RecordKind {
    /// In a sentence: "RouteWise has no impact assessment".
    pub fn noun(self) -> &'static str {
        match self {
            RecordKind::RiskAssessment => "risk assessment",
            RecordKind::ImpactAssessment => "impact assessment",
            RecordKind::DataRecord => "data record",
            RecordKind::ModelCard => "model card",
            RecordKind::TestReport => "test report",
            RecordKind::ReleaseRecord => "release record",
            RecordKind::TechnicalDocumentation => "technical documentation",
            RecordKind::Logging => "logging record",
            RecordKind::HumanOversight => "human oversight record",
            RecordKind::PostMarketMonitoring => "post-market monitoring record",
        }
    }

    /// As a heading or a checklist line.
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::RiskAssessment => "AI risk assessment (6.1.2, 8.2)",
            RecordKind::ImpactAssessment => "AI system impact assessment (6.1.4, 8.4)",
            RecordKind::DataRecord => "Data record (A.7)",
            RecordKind::ModelCard => "Model card",
            RecordKind::TestReport => "Test report (verification and validation)",
            RecordKind::ReleaseRecord => "Release record (A.6.2.5)",
            RecordKind::TechnicalDocumentation => "Technical documentation (EU AI Act Art. 11)",
            RecordKind::Logging => "Logging and record-keeping (EU AI Act Art. 12)",
            RecordKind::HumanOversight => "Human oversight (EU AI Act Art. 14)",
            RecordKind::PostMarketMonitoring => "Post-market monitoring (EU AI Act Art. 72)",
        }
    }
}

keyword_enum!(
    /// The organisation's role for an AI system, as ISO/IEC 22989 names the AI stakeholder roles.
    AiRole {
        Provider => "provider",
        Producer => "producer",
        Customer => "customer",
        Partner => "partner",
        Subject => "subject",
    }
);

impl AiRole {
    pub fn label(self) -> &'static str {
        match self {
            AiRole::Provider => "AI provider",
            AiRole::Producer => "AI producer",
            AiRole::Customer => "AI customer (user)",
            AiRole::Partner => "AI partner",
            AiRole::Subject => "AI subject",
        }
    }
}

keyword_enum!(
    /// The stage of an AI system's life cycle (ISO/IEC 22989).
    LifecycleStage {
        Inception => "inception",
        DesignAndDevelopment => "design-and-development",
        VerificationAndValidation => "verification-and-validation",
        Deployment => "deployment",
        OperationAndMonitoring => "operation-and-monitoring",
        ReEvaluation => "re-evaluation",
        Retirement => "retirement",
    }
);

impl LifecycleStage {
    pub fn label(self) -> &'static str {
        match self {
            LifecycleStage::Inception => "inception",
            LifecycleStage::DesignAndDevelopment => "design and development",
            LifecycleStage::VerificationAndValidation => "verification and validation",
            LifecycleStage::Deployment => "deployment",
            LifecycleStage::OperationAndMonitoring => "operation and monitoring",
            LifecycleStage::ReEvaluation => "re-evaluation",
            LifecycleStage::Retirement => "retirement",
        }
    }
}

keyword_enum!(
    /// Whether the organisation built an AI system or bought it from a supplier.
    Sourcing {
        Built => "built",
        Bought => "bought",
    }
);

keyword_enum!(
    /// The risk level the organisation's own assessment gives an AI system.
    RiskLevel {
        Low => "low",
        Medium => "medium",
        High => "high",
    }
);

keyword_enum!(
    /// How an AI system is classified under the EU AI Act (Regulation (EU) 2024/1689).
    EuAiAct {
        Prohibited => "prohibited",
        HighRisk => "high-risk",
        Limited => "limited",
        Minimal => "minimal",
        GeneralPurpose => "general-purpose",
        NotApplicable => "not-applicable",
    }
);

impl EuAiAct {
    pub fn label(self) -> &'static str {
        match self {
            EuAiAct::Prohibited => "prohibited practice (Art. 5)",
            EuAiAct::HighRisk => "high-risk (Art. 6)",
            EuAiAct::Limited => "limited risk: transparency obligations (Art. 50)",
            EuAiAct::Minimal => "minimal risk",
            EuAiAct::GeneralPurpose => "general-purpose AI model (Chapter V, Art. 51–56)",
            EuAiAct::NotApplicable => "outside the EU AI Act",
        }
    }
}

/// The points of Annex III of the EU AI Act (high-risk areas) and the lettered sub-points each
/// has: `4(b)` is valid, `2(a)` is not (point 2 has no sub-points).
pub const ANNEX_III: &[(u8, &str)] = &[
    (1, "abc"),
    (2, ""),
    (3, "abcd"),
    (4, "ab"),
    (5, "abcd"),
    (6, "abcde"),
    (7, "abcd"),
    (8, "ab"),
];

/// Whether `s` names a point of Annex III: `4`, `4(b)` or `4 (b)`.
pub fn annex_iii_point(s: &str) -> Option<String> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let (num, letter) = match compact.split_once('(') {
        Some((n, rest)) => {
            let l = rest.strip_suffix(')')?;
            let mut chars = l.chars();
            let c = chars.next()?;
            if chars.next().is_some() {
                return None;
            }
            (n, Some(c.to_ascii_lowercase()))
        }
        None => (compact.as_str(), None),
    };
    let n: u8 = num.parse().ok()?;
    let (_, letters) = ANNEX_III.iter().find(|(p, _)| *p == n)?;
    match letter {
        None => Some(n.to_string()),
        Some(c) if letters.contains(c) => Some(format!("{n}({c})")),
        Some(_) => None,
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

#[cfg(test)]
mod tests {
    use super::annex_iii_point;

    #[test]
    fn annex_iii_points() {
        assert_eq!(annex_iii_point("4(b)").as_deref(), Some("4(b)"));
        assert_eq!(annex_iii_point(" 5 (D) ").as_deref(), Some("5(d)"));
        assert_eq!(annex_iii_point("2").as_deref(), Some("2"));
        for bad in ["2(a)", "9", "4(c)", "4b", "4(bb)", "", "(a)", "4(b"] {
            assert_eq!(annex_iii_point(bad), None, "{bad}");
        }
    }
}
