//! `aims-site check`: every validation of the build plus the link check, over every document
//! (drafts and every classification included), without writing a site.

use serde::Serialize;

use std::process::ExitCode;

use super::Terminal;
use crate::cli::{CheckArgs, CheckFormat};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::link::Selection;
use crate::model::Classification;
use crate::site::{self, Project};

/// What `check` found.
#[derive(Debug)]
pub struct CheckReport {
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    pub documents: usize,
    pub external_checked: usize,
    /// Each approved document's approval evidence (only with `[control] approval-evidence`).
    pub approvals: Vec<crate::render::approval::ApprovalRecord>,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The documented JSON schema (version 1), see the README.
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Summary {
            errors: usize,
            warnings: usize,
            documents: usize,
            external_links_checked: usize,
        }
        #[derive(Serialize)]
        struct Out<'a> {
            version: u32,
            tool: &'static str,
            summary: Summary,
            findings: &'a [Diagnostic],
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            approvals: &'a [crate::render::approval::ApprovalRecord],
        }
        let out = Out {
            version: 1,
            tool: concat!("aims-site ", env!("CARGO_PKG_VERSION")),
            summary: Summary {
                errors: self.errors(),
                warnings: self.warnings(),
                documents: self.documents,
                external_links_checked: self.external_checked,
            },
            findings: &self.diagnostics,
            approvals: &self.approvals,
        };
        serde_json::to_string_pretty(&out).unwrap_or_else(|_| "{}".into())
    }
}

pub fn run(project: &Project, args: &CheckArgs) -> Result<CheckReport> {
    let selection = Selection {
        classifications: Classification::ALL.iter().copied().collect(),
        drafts: true,
    };
    let analysis = site::analyse(project, &selection, None)?;
    let mut diagnostics = analysis.diagnostics;
    let mut external_checked = 0;
    if args.external || project.config.check.external {
        let links = crate::link::external::collect(&analysis.manual);
        external_checked = links.len();
        diagnostics.extend(crate::link::external::check(
            &project.config.check,
            project.cache("links"),
            &analysis.manual,
            &links,
        )?);
    }
    diagnostics.sort_by_cached_key(Diagnostic::sort_key);
    Ok(CheckReport {
        files: analysis.manual.entries.len(),
        documents: analysis.manual.entries.len(),
        diagnostics,
        external_checked,
        approvals: crate::render::approval::records(&analysis.manual),
    })
}

/// `aims-site check` for the terminal: exit 1 on errors (and on warnings with `--strict`).
pub fn execute(project: &Project, args: &CheckArgs, term: &Terminal) -> ExitCode {
    let report = match run(project, args) {
        Ok(r) => r,
        Err(e) => return term.fail(&e),
    };
    match args.format {
        CheckFormat::Json => println!("{}", report.json()),
        CheckFormat::Github => {
            for d in &report.diagnostics {
                println!("{}", d.github());
            }
        }
        CheckFormat::Human => {
            term.diagnostics(&report.diagnostics);
            if !term.quiet {
                eprintln!(
                    "checked {} documents{}: {} error(s), {} warning(s)",
                    report.documents,
                    if report.external_checked > 0 {
                        format!(" and {} external link(s)", report.external_checked)
                    } else {
                        String::new()
                    },
                    report.errors(),
                    report.warnings()
                );
            }
        }
    }
    if report.errors() > 0 || (args.strict && report.warnings() > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
