//! AI systems as records: the inventory of `type: ai-system` documents, the documents that name
//! them (`systems: [...]`), and per system which of its required records exist and are in date.
//! Computed once by [`attach`], after [`super::link`], and kept in the manual's facts; every
//! broken `systems` or `supplier` reference and every missing or overdue record is a finding.

use std::collections::HashMap;

use jiff::civil::Date;

use super::facts::{ReviewState, review_state};
use super::standard::Readiness;
use super::{Excluded, Manual};
use crate::config::SystemsConfig;
use crate::diagnostic::{Diagnostic, Locator, suggest};
use crate::model::{DocType, EuAiAct, RecordKind, Status};

/// URL of a system's page, relative to the site root.
pub fn system_url(id: &str) -> String {
    format!("system/{id}.html")
}

/// Where one kind of record of a system stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordState {
    /// An approved record whose due date is ahead (beyond the warning window).
    InDate,
    /// An approved record due within the warning window.
    DueSoon,
    /// An approved record without a due date.
    Present,
    /// Approved records only, every one past its due date.
    Overdue,
    /// Drafts or records in review only.
    Draft,
    /// No record of the kind.
    Missing,
}

impl RecordState {
    /// Whether the record counts as there and in date.
    pub fn is_ready(self) -> bool {
        matches!(
            self,
            RecordState::InDate | RecordState::DueSoon | RecordState::Present
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            RecordState::InDate => "in date",
            RecordState::DueSoon => "due soon",
            RecordState::Present => "present",
            RecordState::Overdue => "overdue",
            RecordState::Draft => "draft only",
            RecordState::Missing => "missing",
        }
    }
}

/// Where an AI system stands as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SystemState {
    /// Every required record is there and in date.
    Complete,
    /// A required record is overdue (none is missing).
    Overdue,
    /// A required record is missing or a draft only.
    Missing,
    /// Out of the AIMS's scope: listed, nothing required.
    OutOfScope,
}

impl SystemState {
    pub const ALL: [SystemState; 4] = [
        SystemState::Complete,
        SystemState::Overdue,
        SystemState::Missing,
        SystemState::OutOfScope,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SystemState::Complete => "records complete",
            SystemState::Overdue => "record overdue",
            SystemState::Missing => "record missing",
            SystemState::OutOfScope => "out of scope",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SystemState::Complete => "complete",
            SystemState::Overdue => "overdue",
            SystemState::Missing => "missing",
            SystemState::OutOfScope => "out-of-scope",
        }
    }
}

/// One line of a system's checklist: a kind of record, whether it is required, and the records
/// of that kind.
#[derive(Debug, Clone)]
pub struct ChecklistItem {
    pub kind: RecordKind,
    pub required: bool,
    pub state: RecordState,
    /// The records of this kind that name the system (withdrawn ones left out), id order.
    pub records: Vec<usize>,
    /// The latest due date among the approved records: when the next assessment is due.
    pub due: Option<Date>,
}

/// The facts of one AI system.
#[derive(Debug, Clone)]
pub struct SystemFacts {
    /// The system's own record.
    pub entry: usize,
    /// The required kinds first (book.toml order), then any other kind it has records of.
    pub checklist: Vec<ChecklistItem>,
    pub state: SystemState,
    /// Every document (not withdrawn) that names the system, id order.
    pub records: Vec<usize>,
    /// The supplier's document, for a bought system.
    pub supplier: Option<usize>,
}

/// Every AI system of the manual and who names them.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// The systems whose records are not withdrawn, in id order.
    pub systems: Vec<SystemFacts>,
    /// Per entry, its system's index in `systems` (AI system records only).
    pub of_entry: Vec<Option<usize>>,
    /// Per entry, where its `next_due` stands on the build's date (`None` without one).
    pub due: Vec<ReviewState>,
}

impl Inventory {
    /// The facts of the system whose record is entry `i`.
    pub fn system(&self, i: usize) -> Option<&SystemFacts> {
        self.of_entry
            .get(i)
            .copied()
            .flatten()
            .map(|s| &self.systems[s])
    }
}

/// The readiness items (catalog keys) that every in-scope system's record of a kind answers.
const READINESS: &[(&str, RecordKind)] = &[
    ("risk-assessment-results", RecordKind::RiskAssessment),
    ("impact-assessment-results", RecordKind::ImpactAssessment),
    ("impact-assessments", RecordKind::ImpactAssessment),
];

/// Whether document `d` is a system's record of a kind that answers the readiness item `key`
/// (a risk assessment naming its system provides the results of risk assessments).
pub fn answers(d: &crate::model::Document, key: &str) -> bool {
    !d.systems.is_empty()
        && READINESS
            .iter()
            .any(|(k, kind)| *k == key && d.record_kinds.contains(kind))
}

/// The most "did you mean" hints one document's findings get.
const MAX_HINTS: usize = 50;

/// Checks the documents' `systems` and `supplier` references and derives the inventory into
/// `manual.facts.systems`; readiness then counts an item as ready only when every in-scope
/// system of the build has its record.
pub fn attach(manual: &mut Manual, rules: &SystemsConfig, diags: &mut Vec<Diagnostic>) {
    let n = manual.entries.len();
    let calendar = manual.facts.calendar;
    let mut of_entry = vec![None; n];
    let mut order: Vec<usize> = Vec::new();
    for (i, e) in manual.entries.iter().enumerate() {
        if is_canonical(manual, i)
            && e.doc.doc_type == DocType::AiSystem
            && e.doc.system.is_some()
            && e.doc.status != Status::Withdrawn
        {
            of_entry[i] = Some(order.len());
            order.push(i);
        }
    }
    let mut named = references(manual, &of_entry, order.len(), diags);

    let due: Vec<ReviewState> = manual
        .entries
        .iter()
        .map(|e| {
            review_state(
                e.doc.next_due.as_ref().map(|d| d.value),
                e.doc.status,
                calendar.today,
                calendar.warning_days,
            )
        })
        .collect();

    let mut all_ids: Vec<&str> = manual.by_id.keys().map(String::as_str).collect();
    all_ids.sort_unstable();
    // One budget for the whole manual: each suggestion compares with every id.
    let mut supplier_hints = MAX_HINTS;
    let mut systems = Vec::with_capacity(order.len());
    for (s, &i) in order.iter().enumerate() {
        let e = &manual.entries[i];
        let Some(sys) = e.doc.system.as_deref() else {
            continue;
        };
        let supplier = sys.supplier.as_ref().and_then(|sup| {
            let found = manual.by_id.get(&sup.value).copied();
            if found.is_none() {
                diags.push(
                    Diagnostic::error(
                        "AIMS-E073",
                        format!("unknown supplier document `{}`", sup.value),
                    )
                    .at(&e.src.display, &e.src.text, sup.span.clone())
                    .help(hint_help(
                        "`supplier` names the id of a document about the supplier (e.g. its external statement)",
                        &sup.value,
                        &all_ids,
                        &mut supplier_hints,
                    )),
                );
            }
            found
        });
        let records = std::mem::take(&mut named[s]);
        let checklist = checklist(manual, sys, rules, &records, calendar);
        let state = system_state(sys, &checklist);
        report_gaps(manual, i, &checklist, diags);
        systems.push(SystemFacts {
            entry: i,
            checklist,
            state,
            records,
            supplier,
        });
    }
    restrict_readiness(manual, &systems);
    manual.facts.systems = Inventory {
        systems,
        of_entry,
        due,
    };
}

/// The first document of each id (duplicates are reported by link and left out).
fn is_canonical(manual: &Manual, i: usize) -> bool {
    manual.by_id.get(&manual.entries[i].doc.id.value) == Some(&i)
}

/// Who names which system (entries by system, in entry order): one pass over every `systems`
/// reference, each one checked.
fn references(
    manual: &Manual,
    of_entry: &[Option<usize>],
    systems: usize,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<usize>> {
    let system_ids: Vec<&str> = manual
        .entries
        .iter()
        .filter(|e| e.doc.doc_type == DocType::AiSystem)
        .map(|e| e.doc.id.value.as_str())
        .collect();
    let mut named: Vec<Vec<usize>> = vec![Vec::new(); systems];
    for (i, e) in manual.entries.iter().enumerate() {
        if !is_canonical(manual, i) || e.doc.systems.is_empty() {
            continue;
        }
        let loc = Locator::new(&e.src.display, &e.src.text);
        let mut hints = MAX_HINTS;
        for r in &e.doc.systems {
            match manual.by_id.get(&r.value) {
                Some(&t) if manual.entries[t].doc.doc_type == DocType::AiSystem => {
                    if let Some(s) = of_entry[t]
                        && e.doc.status != Status::Withdrawn
                        && t != i
                        && named[s].last() != Some(&i)
                    {
                        named[s].push(i);
                    }
                }
                Some(&t) => diags.push(
                    Diagnostic::error(
                        "AIMS-E075",
                        format!(
                            "`{}` in `systems` is a {}, not an AI system record",
                            r.value, manual.entries[t].doc.doc_type
                        ),
                    )
                    .with_location(loc.locate(r.span.clone()))
                    .help(hint_help(
                        "`systems` names documents of `type: ai-system`",
                        &r.value,
                        &system_ids,
                        &mut hints,
                    )),
                ),
                None => diags.push(
                    Diagnostic::error(
                        "AIMS-E074",
                        format!("unknown AI system `{}` in `systems`", r.value),
                    )
                    .with_location(loc.locate(r.span.clone()))
                    .help(hint_help(
                        "`systems` names the id of an AI system record (`type: ai-system`)",
                        &r.value,
                        &system_ids,
                        &mut hints,
                    )),
                ),
            }
        }
    }
    named
}

/// A system's checklist: the kinds of record it requires (by `[systems]`), then the other kinds
/// its `records` are, each with its state.
fn checklist(
    manual: &Manual,
    sys: &crate::model::AiSystem,
    rules: &SystemsConfig,
    records: &[usize],
    calendar: super::facts::Calendar,
) -> Vec<ChecklistItem> {
    let mut required: Vec<RecordKind> = Vec::new();
    if sys.in_scope {
        required.extend(&rules.required);
        if sys.eu_ai_act == EuAiAct::HighRisk {
            required.extend(&rules.high_risk);
        }
    }
    let mut seen = Vec::new();
    required.retain(|k| {
        let new = !seen.contains(k);
        seen.push(*k);
        new
    });
    let mut by_kind: HashMap<RecordKind, Vec<usize>> = HashMap::new();
    for &r in records {
        for &k in &manual.entries[r].doc.record_kinds {
            by_kind.entry(k).or_default().push(r);
        }
    }
    let mut kinds = required.clone();
    kinds.extend(
        RecordKind::ALL
            .iter()
            .filter(|k| !required.contains(k) && by_kind.contains_key(k)),
    );
    kinds
        .into_iter()
        .map(|kind| {
            let list = by_kind.remove(&kind).unwrap_or_default();
            let (state, due) = record_state(manual, &list, calendar);
            ChecklistItem {
                kind,
                required: required.contains(&kind),
                state,
                records: list,
                due,
            }
        })
        .collect()
}

/// Where a system stands: out of scope, or by its worst required record.
fn system_state(sys: &crate::model::AiSystem, checklist: &[ChecklistItem]) -> SystemState {
    if !sys.in_scope {
        SystemState::OutOfScope
    } else if checklist
        .iter()
        .any(|c| c.required && matches!(c.state, RecordState::Missing | RecordState::Draft))
    {
        SystemState::Missing
    } else if checklist
        .iter()
        .any(|c| c.required && c.state == RecordState::Overdue)
    {
        SystemState::Overdue
    } else {
        SystemState::Complete
    }
}

/// Warnings for a system's required records that are missing, only drafts or overdue.
fn report_gaps(
    manual: &Manual,
    i: usize,
    checklist: &[ChecklistItem],
    diags: &mut Vec<Diagnostic>,
) {
    let e = &manual.entries[i];
    for c in checklist.iter().filter(|c| c.required) {
        let what = c.kind.noun();
        let name = format!("{} ({})", e.doc.id.value, e.doc.title);
        let d = match c.state {
            RecordState::Missing => Diagnostic::warning(
                "AIMS-W072",
                format!("AI system {name} has no {what}"),
            )
            .at(&e.src.display, &e.src.text, e.doc.id.span.clone())
            .help(format!(
                "write the {what} and name the system in it: `systems: [{}]` with `record_kind: {}`",
                e.doc.id.value, c.kind
            )),
            RecordState::Draft => Diagnostic::warning(
                "AIMS-W074",
                format!("AI system {name} has its {what} only as a draft"),
            )
            .at(&e.src.display, &e.src.text, e.doc.id.span.clone())
            .help("approve the record, or it does not count"),
            RecordState::Overdue => {
                let r = c.records.iter().copied().find(|&r| {
                    manual.entries[r].doc.status == Status::Approved
                });
                let mut d = Diagnostic::warning(
                    "AIMS-W073",
                    format!(
                        "the {what} of AI system {name} is overdue (due {})",
                        c.due.map(|d| d.to_string()).unwrap_or_default()
                    ),
                )
                .help("repeat the assessment and approve the new version with a new `next_due`");
                if let Some(r) = r {
                    let re = &manual.entries[r];
                    let span = re
                        .doc
                        .next_due
                        .as_ref()
                        .map_or_else(|| re.doc.id.span.clone(), |n| n.span.clone());
                    d = d.at(&re.src.display, &re.src.text, span);
                }
                d
            }
            _ => continue,
        };
        diags.push(d);
    }
}

/// Readiness: an item a system's record answers is ready only when every in-scope system of the
/// build's classifications has that record in date.
fn restrict_readiness(manual: &mut Manual, systems: &[SystemFacts]) {
    let in_profile = |i: usize| manual.excluded[i] != Some(Excluded::Profile);
    let mut readiness = std::mem::take(&mut manual.facts.readiness);
    for item in &mut readiness {
        let Some(&(_, kind)) = READINESS.iter().find(|(k, _)| *k == item.key) else {
            continue;
        };
        for sys in systems.iter().filter(|s| in_profile(s.entry)) {
            let Some(c) = sys.checklist.iter().find(|c| c.required && c.kind == kind) else {
                continue;
            };
            let worse = match c.state {
                RecordState::Missing => Readiness::Missing,
                RecordState::Draft => Readiness::Draft,
                RecordState::Overdue => Readiness::ReviewOverdue,
                _ => continue,
            };
            item.state = item.state.max(worse);
            item.systems_lacking.push(sys.entry);
        }
    }
    manual.facts.readiness = readiness;
}

/// The state of a kind of record from its records: the best of them.
fn record_state(
    manual: &Manual,
    records: &[usize],
    cal: super::facts::Calendar,
) -> (RecordState, Option<Date>) {
    let mut best = RecordState::Missing;
    let mut due: Option<Date> = None;
    for &r in records {
        let d = &manual.entries[r].doc;
        let date = d.next_due.as_ref().map(|n| n.value).or(d.review_date);
        let st = match d.status {
            Status::Approved => {
                if let Some(x) = date {
                    due = Some(due.map_or(x, |y| y.max(x)));
                }
                match review_state(date, d.status, cal.today, cal.warning_days) {
                    ReviewState::Ok => RecordState::InDate,
                    ReviewState::DueSoon => RecordState::DueSoon,
                    ReviewState::Overdue => RecordState::Overdue,
                    ReviewState::None => RecordState::Present,
                }
            }
            Status::Draft | Status::InReview => RecordState::Draft,
            Status::Withdrawn => continue,
        };
        best = best.min(st);
    }
    (best, due)
}

fn hint_help(base: &str, id: &str, candidates: &[&str], hints: &mut usize) -> String {
    if *hints == 0 {
        return base.to_string();
    }
    *hints -= 1;
    match suggest(id, candidates.iter().copied(), 1).first() {
        Some(n) => format!("did you mean `{n}`? {base}"),
        None if candidates.is_empty() => {
            format!("{base}; there is none yet: `aims-site new ai-system \"Name\"` starts one")
        }
        None => format!(
            "{base}: {}",
            candidates
                .iter()
                .take(12)
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
