//! `aims-site build`.

use std::process::ExitCode;

use super::Terminal;
use crate::cli::BuildArgs;
use crate::error::Result;
use crate::site::{self, BuildOptions, BuildReport, Project};

pub fn run(project: &Project, args: &BuildArgs, progress: Option<fn(&str)>) -> Result<BuildReport> {
    let opts = BuildOptions {
        dest: args.dest.clone(),
        profile: args.profile.clone(),
        today: args.today,
        drafts: args.drafts,
        progress,
        exit_after: true,
        ..Default::default()
    };
    site::build(project, &opts)
}

/// `aims-site build` for the terminal.
pub fn execute(project: &Project, args: &BuildArgs, term: &Terminal) -> ExitCode {
    let report = run(project, args, term.progress);
    term.clear_progress();
    let report = match report {
        Ok(r) => r,
        Err(e) => return term.fail(&e),
    };
    term.diagnostics(&report.warnings);
    term.timings(&report.timings);
    if !term.quiet {
        let warnings = report.warnings.len();
        eprintln!(
            "built {} documents ({} files) into {}{}",
            report.documents,
            report.pages,
            report.out_dir.display(),
            if warnings > 0 {
                format!(" with {warnings} warning(s)")
            } else {
                String::new()
            }
        );
    }
    ExitCode::SUCCESS
}
