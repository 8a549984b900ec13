//! `aims-site export`.

use std::process::ExitCode;

use super::Terminal;
use crate::cli::ExportArgs;
use crate::error::Result;
use crate::export::{self, ExportOptions, ExportReport, PdfOutcome};
use crate::site::Project;

pub fn run(
    project: &Project,
    args: &ExportArgs,
    progress: Option<fn(&str)>,
) -> Result<ExportReport> {
    let opts = ExportOptions {
        rev: args.rev.clone(),
        since: args.since.clone(),
        profile: args.profile.clone(),
        today: args.today,
        output: args.output.clone(),
        browser: args.chrome.clone(),
        no_pdf: args.no_pdf,
        progress,
    };
    export::export(project, &opts)
}

/// `aims-site export` for the terminal: the zip's path on stdout, the rest on stderr.
pub fn execute(project: &Project, args: &ExportArgs, term: &Terminal) -> ExitCode {
    let report = run(project, args, term.progress);
    term.clear_progress();
    let report = match report {
        Ok(r) => r,
        Err(e) => return term.fail(&e),
    };
    term.diagnostics(&report.warnings);
    match &report.pdf {
        PdfOutcome::Written | PdfOutcome::NotAsked => {}
        PdfOutcome::NoBrowser => eprintln!(
            "note: no Chromium found on PATH (or given with --chrome): the pack has no manual.pdf; print.html prints the same manual"
        ),
        PdfOutcome::Failed(why) => eprintln!(
            "warning: manual.pdf could not be rendered ({why}); the pack has everything else"
        ),
    }
    term.timings(&report.timings);
    if !term.quiet {
        eprintln!(
            "exported {} documents ({} files{}, profile {}) into {}",
            report.documents,
            report.files,
            if report.pdf == PdfOutcome::Written {
                ", with manual.pdf"
            } else {
                ""
            },
            report
                .profile
                .as_deref()
                .unwrap_or("none: every classification"),
            report.zip.display()
        );
    }
    println!("{}", report.zip.display());
    ExitCode::SUCCESS
}
