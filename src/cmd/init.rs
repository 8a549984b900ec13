//! `aims-site init [DIR]`: a new AIMS repository with book.toml, a starter document for every
//! item of documented information ISO/IEC 42001 asks for, and a Statement of Applicability that
//! lists every Annex A control. Never overwrites a file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Terminal;

use crate::error::{Error, Result};
use crate::model::DocType;

const BOOK_TOML: &str = r#"[book]
title = "AI Management System"
organisation = "Your organisation"
description = "The documented information of our AI management system (ISO/IEC 42001:2023)."
language = "en"

[build]
content-dir = "content"
output-dir = "public"
default-classification = "internal"
# What `build` and `serve` publish unless told otherwise: the intranet profile below, which
# leaves restricted documents out (`--profile auditor` includes them).
profile = "intranet"

[aims]
standard = "ISO/IEC 42001:2023"
scope-document = "AIMS-POL-001"
review-warning-days = 30
default-review-cycle = "12 months"

[profiles.intranet]
classifications = ["public", "internal", "confidential"]

[profiles.auditor]
classifications = ["public", "internal", "confidential", "restricted"]
"#;

/// book.toml as `init` writes it, with `content_dir` as `[build] content-dir`.
pub fn book_toml(content_dir: &str) -> String {
    BOOK_TOML.replacen(
        "content-dir = \"content\"",
        &format!(
            "content-dir = {}",
            toml::Value::String(content_dir.to_string())
        ),
        1,
    )
}

/// What `init` did: files written and files that existed already (left alone).
#[derive(Debug, Default)]
pub struct InitReport {
    pub written: Vec<PathBuf>,
    pub kept: Vec<PathBuf>,
}

fn put(report: &mut InitReport, path: PathBuf, text: &str) -> Result<()> {
    if path.exists() {
        report.kept.push(path);
        return Ok(());
    }
    crate::fs::write(&path, text)?;
    report.written.push(path);
    Ok(())
}

/// The starter document of each required item: (file, type, title).
fn starter(key: &str) -> (&'static str, DocType, &'static str) {
    match key {
        "scope" => (
            "policies/aims-scope.md",
            DocType::Policy,
            "Scope of the AI management system",
        ),
        "ai-policy" => ("policies/ai-policy.md", DocType::Policy, "AI policy"),
        "risk-actions" => (
            "plans/risks-and-opportunities.md",
            DocType::Plan,
            "Actions to address AI risks and opportunities",
        ),
        "risk-assessment-process" => (
            "procedures/ai-risk-assessment.md",
            DocType::Procedure,
            "AI risk assessment procedure",
        ),
        "risk-treatment-process" => (
            "procedures/ai-risk-treatment.md",
            DocType::Procedure,
            "AI risk treatment procedure",
        ),
        "soa" => (
            "soa/statement-of-applicability.md",
            DocType::Soa,
            "Statement of Applicability",
        ),
        "risk-treatment-plan" => (
            "plans/ai-risk-treatment-plan.md",
            DocType::Plan,
            "AI risk treatment plan",
        ),
        "impact-assessment-results" => (
            "records/impact-assessment-results.md",
            DocType::Record,
            "AI system impact assessment results",
        ),
        "impact-assessment-process" => (
            "procedures/ai-system-impact-assessment.md",
            DocType::Procedure,
            "AI system impact assessment procedure",
        ),
        "ai-objectives" => ("plans/ai-objectives.md", DocType::Plan, "AI objectives"),
        "competence-evidence" => (
            "records/competence.md",
            DocType::Record,
            "Competence records",
        ),
        "operational-control" => (
            "records/operational-control.md",
            DocType::Record,
            "Operational control records",
        ),
        "risk-assessment-results" => (
            "registers/ai-risk-register.md",
            DocType::Register,
            "AI risk register",
        ),
        "risk-treatment-results" => (
            "records/risk-treatment-results.md",
            DocType::Record,
            "AI risk treatment results",
        ),
        "impact-assessments" => (
            "registers/impact-assessments.md",
            DocType::Register,
            "Register of AI system impact assessments",
        ),
        "monitoring-results" => (
            "records/monitoring-and-measurement.md",
            DocType::Record,
            "Monitoring and measurement results",
        ),
        "audit-results" => (
            "records/internal-audit.md",
            DocType::Record,
            "Internal audit programme and results",
        ),
        "management-review-results" => (
            "records/management-review.md",
            DocType::Record,
            "Management review results",
        ),
        "corrective-actions" => (
            "registers/corrective-actions.md",
            DocType::Register,
            "Nonconformities and corrective actions",
        ),
        _ => (
            "procedures/documented-information.md",
            DocType::Procedure,
            "Control of documented information",
        ),
    }
}

/// The id of the starter AI system record.
const STARTER_SYSTEM: &str = "SYS-FIRST-SYSTEM";

pub fn run(dir: &Path) -> Result<InitReport> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Usage(format!("{} is not a folder", dir.display())));
    }
    let mut report = InitReport::default();
    put(&mut report, dir.join(crate::config::FILE_NAME), BOOK_TOML)?;
    put(&mut report, dir.join(".gitignore"), "/public\n")?;
    let catalog = crate::catalog::get();
    let mut numbers: std::collections::BTreeMap<DocType, usize> = std::collections::BTreeMap::new();
    for req in &catalog.required {
        let (file, doc_type, title) = starter(&req.key);
        let n = numbers.entry(doc_type).or_default();
        *n += 1;
        let id = format!("AIMS-{}-{:03}", doc_type.prefix(), n);
        let mut text =
            super::new::template_text(doc_type, &id, title, "AI Governance Lead", "internal");
        let kind = match req.key.as_str() {
            "risk-assessment-results" => "risk-assessment",
            "impact-assessment-results" => "impact-assessment",
            _ => "",
        };
        let names = if kind.is_empty() {
            String::new()
        } else {
            format!("systems: [{STARTER_SYSTEM}]\nrecord_kind: {kind}\n")
        };
        text = text.replacen(
            "clauses: []\n",
            &format!(
                "clauses: [\"{}\"]\nprovides: [{}]\n{names}",
                req.clause, req.key
            ),
            1,
        );
        put(&mut report, dir.join("content").join(file), &text)?;
    }
    // A starter AI system record, which the starter risk register and impact assessment name.
    let system = super::new::template_text(
        DocType::AiSystem,
        STARTER_SYSTEM,
        "First AI system",
        "AI Governance Lead",
        "internal",
    );
    put(
        &mut report,
        dir.join("content/systems/first-ai-system.md"),
        &system,
    )?;
    Ok(report)
}

/// `aims-site init` for the terminal: what was created and what was kept.
pub fn execute(dir: &Path, term: &Terminal) -> ExitCode {
    match run(dir) {
        Ok(report) => {
            for p in &report.written {
                println!("created {}", crate::fs::display_rel(p, dir));
            }
            for p in &report.kept {
                println!("kept    {} (exists)", crate::fs::display_rel(p, dir));
            }
            println!("next: edit book.toml and the documents in content/, then `aims-site serve`");
            ExitCode::SUCCESS
        }
        Err(e) => term.fail(&e),
    }
}
