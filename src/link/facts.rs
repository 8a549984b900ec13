//! The derived facts of a linked manual, each computed once: every document's review state on
//! the build's date, the merged Statement of Applicability, which clauses and controls are
//! covered, which controls the SoA excludes, and Stage 1 readiness. Render, the commands and
//! the export only read them.

use std::collections::HashSet;

use jiff::civil::Date;

use super::standard::{self, ReadinessItem, Soa};
use super::{Excluded, Manual};
use crate::catalog::{self, Item};
use crate::model::{Document, Status};

/// Where a document stands against its review date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewState {
    None,
    Ok,
    DueSoon,
    Overdue,
}

impl ReviewState {
    /// As written in pages and exports: `none`, `ok`, `due-soon`, `overdue`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::None => "none",
            ReviewState::Ok => "ok",
            ReviewState::DueSoon => "due-soon",
            ReviewState::Overdue => "overdue",
        }
    }
}

/// The date reviews are measured against and how far ahead "due soon" reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    pub today: Date,
    /// Days before its review date from which a document is due soon (`[aims] review-warning-days`).
    pub warning_days: u32,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            today: Date::constant(1970, 1, 1),
            warning_days: 0,
        }
    }
}

impl Calendar {
    /// Where a document stands against its review date: only approved documents with a review
    /// date have a review state; past the date it is overdue, within the warning window (the
    /// last day of the window included) due soon.
    pub fn review_state(&self, doc: &Document) -> ReviewState {
        review_state(doc.review_date, doc.status, self.today, self.warning_days)
    }
}

/// Where a document with review date `review` and `status` stands on `today`.
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

/// Everything derived from the linked documents, computed once per build.
#[derive(Debug, Clone)]
pub struct Facts {
    pub calendar: Calendar,
    /// Per entry, its review state on the calendar's date.
    pub review: Vec<ReviewState>,
    /// The Statement of Applicability merged with the included documents' `controls`.
    pub soa: Soa,
    /// Catalog ids that are covered: declared by an included document or, for a clause, any
    /// of its sub-clauses.
    pub covered: HashSet<String>,
    /// Controls the build's SoA document marks as not applicable.
    pub excluded_in_soa: HashSet<String>,
    /// Stage 1 readiness for the documents of the build's classifications.
    pub readiness: Vec<ReadinessItem>,
    /// The AI systems and their records, attached after linking by
    /// [`super::systems::attach`] (which also holds readiness to every in-scope system).
    pub systems: super::systems::Inventory,
    /// The commits that changed documents of this build, newest first (set with the history).
    pub changes: Vec<Change>,
    /// The standards enabled besides ISO/IEC 42001 (see [`super::attach_standards`]).
    pub standards: Vec<super::standards::StandardFacts>,
    /// What everyone must know: the included, published documents whose `audience` is all
    /// staff, not withdrawn, in id order.
    pub for_everyone: Vec<usize>,
}

/// A commit that changed documents of this build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Index into the repository's commits.
    pub commit: usize,
    /// The included documents it changed, in entry order.
    pub documents: Vec<usize>,
}

impl Default for Facts {
    fn default() -> Self {
        Facts {
            calendar: Calendar::default(),
            review: Vec::new(),
            soa: Soa {
                document: None,
                rows: Vec::new(),
            },
            covered: HashSet::new(),
            excluded_in_soa: HashSet::new(),
            readiness: Vec::new(),
            systems: Default::default(),
            changes: Vec::new(),
            standards: Vec::new(),
            for_everyone: Vec::new(),
        }
    }
}

/// Computes the facts of `manual` (whose own facts are not read).
pub fn derive(manual: &Manual, calendar: Calendar) -> Facts {
    let review: Vec<ReviewState> = manual
        .entries
        .iter()
        .map(|e| calendar.review_state(&e.doc))
        .collect();
    let cat = catalog::get();
    let covered = cat
        .clauses
        .iter()
        .map(|c| c.id.as_str())
        .chain(cat.objectives.iter().map(|o| o.id.as_str()))
        .chain(cat.controls.iter().map(|c| c.id.as_str()))
        .filter(|id| is_covered(manual, id))
        .map(str::to_string)
        .collect();
    let excluded_in_soa = manual
        .soa()
        .map(|s| {
            manual.entries[s]
                .doc
                .applicability
                .iter()
                .filter(|a| a.applicable == Some(false))
                .map(|a| a.control.value.clone())
                .collect()
        })
        .unwrap_or_default();
    Facts {
        calendar,
        soa: standard::soa(manual),
        covered,
        excluded_in_soa,
        readiness: standard::readiness(
            manual,
            |i| manual.excluded[i] != Some(Excluded::Profile),
            &review,
        ),
        review,
        systems: Default::default(),
        changes: Vec::new(),
        standards: Vec::new(),
        for_everyone: manual
            .included()
            .filter(|&i| {
                let d = &manual.entries[i].doc;
                d.status == Status::Approved && d.for_everyone()
            })
            .collect(),
    }
}

/// The commits that changed included documents, newest first, each with those documents.
/// Commits that touched only documents outside the build are not listed (their messages could
/// name them).
pub fn changes(manual: &Manual) -> Vec<Change> {
    let mut by_commit: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in manual.included() {
        if let Some(h) = manual.history.get(i) {
            for &c in &h.commits {
                by_commit.entry(c).or_default().push(i);
            }
        }
    }
    by_commit
        .into_iter()
        .map(|(commit, documents)| Change { commit, documents })
        .collect()
}

/// A clause is covered when a document declares it, or (for a parent) any of its sub-clauses.
fn is_covered(manual: &Manual, id: &str) -> bool {
    let cat = catalog::get();
    if manual
        .coverage
        .get(id)
        .is_some_and(|c| !c.declared.is_empty())
    {
        return true;
    }
    match cat.lookup(id) {
        Some(Item::Clause(_)) => cat
            .clauses
            .iter()
            .filter(|c| c.parent.as_deref() == Some(id))
            .any(|c| is_covered(manual, &c.id)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::link::standard::Readiness;
    use crate::link::{Assets, Broken, Entry, Selection, link};
    use crate::load::{SourceFile, split_front_matter};
    use crate::model::{Classification, ModelOptions, ReviewCycle, parse_document};

    fn date(s: &str) -> Date {
        s.parse().expect("a date")
    }

    /// A calendar on 2026-12-01 with a 30-day warning window.
    fn calendar() -> Calendar {
        Calendar {
            today: date("2026-12-01"),
            warning_days: 30,
        }
    }

    fn state(review: &str, status: Status) -> ReviewState {
        let c = calendar();
        review_state(Some(date(review)), status, c.today, c.warning_days)
    }

    #[test]
    fn review_state_around_the_due_date() {
        assert_eq!(state("2026-11-30", Status::Approved), ReviewState::Overdue);
        // On the due date the review is due, not yet overdue.
        assert_eq!(state("2026-12-01", Status::Approved), ReviewState::DueSoon);
        assert_eq!(state("2026-12-02", Status::Approved), ReviewState::DueSoon);
    }

    #[test]
    fn review_state_at_the_edge_of_the_warning_window() {
        assert_eq!(state("2026-12-15", Status::Approved), ReviewState::DueSoon);
        // The window's last day (today + 30) is inside it; the day after is not.
        assert_eq!(state("2026-12-31", Status::Approved), ReviewState::DueSoon);
        assert_eq!(state("2027-01-01", Status::Approved), ReviewState::Ok);
    }

    #[test]
    fn only_approved_documents_with_a_date_have_a_review_state() {
        for status in [Status::Draft, Status::InReview, Status::Withdrawn] {
            assert_eq!(state("2026-01-01", status), ReviewState::None, "{status}");
        }
        let c = calendar();
        assert_eq!(
            review_state(None, Status::Approved, c.today, c.warning_days),
            ReviewState::None
        );
    }

    /// Documents parsed and linked as a build would (no Git), with the facts on 2026-12-01.
    fn manual(docs: &[&str]) -> Manual {
        let opts = ModelOptions {
            default_review_cycle: ReviewCycle::parse("12 months"),
            ..ModelOptions::default()
        };
        let entries: Vec<Entry> = docs
            .iter()
            .enumerate()
            .map(|(n, text)| {
                let rel = format!("d{n}.md");
                let split = split_front_matter(&rel, text).expect("front-matter");
                let src = SourceFile {
                    display: rel.clone(),
                    rel: rel.clone(),
                    text: text.to_string(),
                    split,
                };
                let (doc, diags) = parse_document(&src, &opts);
                let doc = doc.unwrap_or_else(|| panic!("{rel}: {diags:?}"));
                let body = &src.text[src.split.body.clone()];
                let scan = crate::markdown::scan(body, src.split.body.start, &rel);
                Entry { src, doc, scan }
            })
            .collect();
        let selection = Selection {
            classifications: Classification::ALL.iter().copied().collect::<BTreeSet<_>>(),
            drafts: true,
        };
        let mut diags = Vec::new();
        link(
            entries,
            &Assets::default(),
            &Broken::default(),
            &selection,
            calendar(),
            &mut diags,
        )
    }

    fn doc(id: &str, doc_type: &str, status: &str, extra: &str) -> String {
        let approval = if status == "approved" || status == "withdrawn" {
            "approval: { by: Board, date: 2026-01-15 }\n"
        } else {
            ""
        };
        format!(
            "---\nid: {id}\ntitle: {id}\ntype: {doc_type}\nowner: CISO\nversion: 1.0\nstatus: {status}\n{approval}{extra}---\nBody\n"
        )
    }

    fn index(m: &Manual, id: &str) -> usize {
        m.by_id[id]
    }

    #[test]
    fn review_cycle_counts_from_the_approval_date() {
        let m = manual(&[
            // Approved 2026-01-15 with a 12-month cycle: due 2027-01-15, beyond the window.
            &doc(
                "AIMS-POL-001",
                "policy",
                "approved",
                "review_cycle: 12 months\n",
            ),
            // A 10-month cycle: due 2026-11-15, overdue.
            &doc(
                "AIMS-POL-002",
                "policy",
                "approved",
                "review_cycle: 10 months\n",
            ),
            // An 11-month cycle: due 2026-12-15, inside the window.
            &doc(
                "AIMS-POL-003",
                "policy",
                "approved",
                "review_cycle: 11 months\n",
            ),
            &doc(
                "AIMS-POL-004",
                "policy",
                "withdrawn",
                "review_cycle: 1 months\n",
            ),
            &doc(
                "AIMS-POL-005",
                "policy",
                "draft",
                "review_date: 2026-01-01\n",
            ),
        ]);
        let st = |id| m.review_state(index(&m, id));
        assert_eq!(
            m.entries[index(&m, "AIMS-POL-001")].doc.review_date,
            Some(date("2027-01-15"))
        );
        assert_eq!(st("AIMS-POL-001"), ReviewState::Ok);
        assert_eq!(st("AIMS-POL-002"), ReviewState::Overdue);
        assert_eq!(st("AIMS-POL-003"), ReviewState::DueSoon);
        assert_eq!(st("AIMS-POL-004"), ReviewState::None);
        assert_eq!(st("AIMS-POL-005"), ReviewState::None);
        assert_eq!(m.facts.calendar, calendar());
    }

    #[test]
    fn the_soa_merges_its_applicability_with_the_documents_controls() {
        let soa = "applicability:\n  A.2.2: { applicable: true, justification: policy, implementation: implemented }\n  A.2.3: { applicable: true, justification: align, implementation: planned }\n  A.2.4: { applicable: false, justification: not needed }\n";
        let m = manual(&[
            &doc("AIMS-SOA-001", "soa", "approved", soa),
            // A.2.2 in both, A.5.2 only in a document, A.2.4 excluded yet implemented.
            &doc(
                "AIMS-POL-001",
                "policy",
                "approved",
                "controls: [A.2.2, A.5.2, A.2.4]\n",
            ),
            &doc("AIMS-POL-002", "policy", "withdrawn", "controls: [A.2.3]\n"),
        ]);
        let row = |c: &str| {
            m.facts
                .soa
                .rows
                .iter()
                .find(|r| r.control == c)
                .unwrap_or_else(|| panic!("{c} has no row"))
        };
        let pol = index(&m, "AIMS-POL-001");
        assert_eq!(m.facts.soa.document, Some(index(&m, "AIMS-SOA-001")));
        // Declared in both.
        assert_eq!(row("A.2.2").applicable, Some(true));
        assert_eq!(row("A.2.2").implementing, [pol]);
        // Declared in the SoA only (the withdrawn document does not count).
        assert_eq!(row("A.2.3").applicable, Some(true));
        assert!(row("A.2.3").implementing.is_empty());
        // In documents only: no applicability, but its implementer.
        assert_eq!(row("A.5.2").applicable, None);
        assert_eq!(row("A.5.2").implementing, [pol]);
        // Excluded but implemented: both facts are kept.
        assert_eq!(row("A.2.4").applicable, Some(false));
        assert_eq!(row("A.2.4").implementing, [pol]);
        assert!(m.excluded_in_soa("A.2.4"));
        assert!(!m.excluded_in_soa("A.2.2"));
        assert!(m.is_covered("A.2.4"));
        assert!(!m.is_covered("A.2.3"));
    }

    #[test]
    fn a_parent_clause_is_covered_through_its_sub_clauses() {
        let m = manual(&[&doc(
            "AIMS-PRO-001",
            "procedure",
            "approved",
            "clauses: [\"6.1.2\"]\n",
        )]);
        assert!(m.is_covered("6.1.2"));
        assert!(m.is_covered("6.1"), "the parent of a covered clause");
        assert!(m.is_covered("6"), "and its parent in turn");
        assert!(!m.is_covered("6.1.3"), "a sibling is not");
        assert!(!m.is_covered("7"));
        // Only declarations count, mentions in the text do not.
        let m =
            manual(&[&doc("AIMS-PRO-001", "procedure", "approved", "")
                .replace("Body", "See clause 6.1.2.")]);
        assert!(!m.is_covered("6.1.2"));
    }

    #[test]
    fn readiness_reads_the_review_states() {
        let m = manual(&[&doc(
            "AIMS-POL-001",
            "policy",
            "approved",
            "review_cycle: 10 months\nclauses: [\"5.2\"]\n",
        )]);
        let policy = m
            .facts
            .readiness
            .iter()
            .find(|r| r.providers == [index(&m, "AIMS-POL-001")])
            .expect("the AI policy is required documented information");
        assert_eq!(policy.state, Readiness::ReviewOverdue);
    }
}
