//! `aims-site reviews`: overdue and due-soon reviews, for a scheduled job.

use serde::Serialize;

use std::process::ExitCode;

use super::Terminal;
use crate::cli::{Format, ReviewsArgs};
use crate::error::{Error, Result};
use crate::link::facts::ReviewState;
use crate::model::Status;
use crate::site::{self, Project};

#[derive(Debug, Serialize)]
pub struct Due {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub review_date: String,
    /// Days past the review date (negative: days left).
    pub days_overdue: i64,
    pub file: String,
}

#[derive(Debug, Serialize)]
pub struct ReviewsReport {
    pub today: String,
    pub window_days: u32,
    pub overdue: Vec<Due>,
    pub due_soon: Vec<Due>,
    /// Assessments past their `next_due` (`review_date` is then the assessment's due date).
    pub assessments_overdue: Vec<Due>,
    pub assessments_due_soon: Vec<Due>,
}

pub fn run(project: &Project, args: &ReviewsArgs) -> Result<ReviewsReport> {
    let (_, selection) = project.selection(None, true)?;
    let selection = crate::link::Selection {
        classifications: crate::model::Classification::ALL.iter().copied().collect(),
        ..selection
    };
    let analysis = site::analyse(project, &selection, args.today)?;
    if analysis.has_errors() {
        return Err(Error::Invalid(analysis.diagnostics));
    }
    let manual = &analysis.manual;
    let (today, window) = (
        manual.facts.calendar.today,
        manual.facts.calendar.warning_days,
    );
    let mut report = ReviewsReport {
        today: today.to_string(),
        window_days: window,
        overdue: Vec::new(),
        due_soon: Vec::new(),
        assessments_overdue: Vec::new(),
        assessments_due_soon: Vec::new(),
    };
    let mut order: Vec<usize> = (0..manual.entries.len()).collect();
    order.sort_by_key(|&i| (manual.entries[i].doc.review_date, i));
    for i in order {
        let e = &manual.entries[i];
        let d = &e.doc;
        if d.status != Status::Approved {
            continue;
        }
        let Some(date) = d.review_date else { continue };
        let item = || Due {
            id: d.id.value.clone(),
            title: d.title.clone(),
            owner: d.owner.clone(),
            review_date: date.to_string(),
            days_overdue: (today - date).get_days() as i64,
            file: e.src.display.clone(),
        };
        match manual.review_state(i) {
            ReviewState::Overdue => report.overdue.push(item()),
            ReviewState::DueSoon => report.due_soon.push(item()),
            _ => {}
        }
    }
    let due = &manual.facts.systems.due;
    let mut order: Vec<usize> = (0..manual.entries.len())
        .filter(|&i| manual.entries[i].doc.next_due.is_some())
        .collect();
    order.sort_by_key(|&i| (manual.entries[i].doc.next_due.as_ref().map(|d| d.value), i));
    for i in order {
        let e = &manual.entries[i];
        let d = &e.doc;
        let Some(date) = d.next_due.as_ref().map(|n| n.value) else {
            continue;
        };
        let item = || Due {
            id: d.id.value.clone(),
            title: d.title.clone(),
            owner: d.owner.clone(),
            review_date: date.to_string(),
            days_overdue: (today - date).get_days() as i64,
            file: e.src.display.clone(),
        };
        match due.get(i) {
            Some(ReviewState::Overdue) => report.assessments_overdue.push(item()),
            Some(ReviewState::DueSoon) => report.assessments_due_soon.push(item()),
            _ => {}
        }
    }
    Ok(report)
}

impl ReviewsReport {
    /// The report for people, one line per document.
    pub fn human(&self) -> String {
        let mut out = String::new();
        for (label, list) in [
            ("overdue", &self.overdue),
            ("due soon", &self.due_soon),
            ("assessment overdue", &self.assessments_overdue),
            ("assessment due soon", &self.assessments_due_soon),
        ] {
            for d in list {
                let when = if d.days_overdue > 0 {
                    format!("{} day(s) overdue", d.days_overdue)
                } else if d.days_overdue == 0 {
                    "due today".to_string()
                } else {
                    format!("in {} day(s)", -d.days_overdue)
                };
                out.push_str(&format!(
                    "{label:<9} {}  {}  {} — {} ({when}; {})\n",
                    d.review_date, d.id, d.title, d.owner, d.file
                ));
            }
        }
        out.push_str(&format!(
            "{} overdue, {} due within {} days of {}\n",
            self.overdue.len(),
            self.due_soon.len(),
            self.window_days,
            self.today
        ));
        if !self.assessments_overdue.is_empty() || !self.assessments_due_soon.is_empty() {
            out.push_str(&format!(
                "{} assessment(s) past their next_due, {} due within {} days\n",
                self.assessments_overdue.len(),
                self.assessments_due_soon.len(),
                self.window_days
            ));
        }
        out
    }
}

/// `aims-site reviews` for the terminal: exit 1 when a review is overdue, 2 when the documents
/// have errors (no report).
pub fn execute(project: &Project, args: &ReviewsArgs, term: &Terminal) -> ExitCode {
    let report = match run(project, args) {
        Ok(r) => r,
        // Exit 1 means "overdue" here: problems that stop the report are exit 2.
        Err(Error::Invalid(diags)) => {
            term.diagnostics(&diags);
            eprintln!("error: the documents have errors; no review report");
            return ExitCode::from(2);
        }
        Err(e) => return term.fail(&e),
    };
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => return term.fail(&Error::Usage(e.to_string())),
        },
        Format::Human => print!("{}", report.human()),
    }
    if report.overdue.is_empty() && report.assessments_overdue.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
