//! `aims-site export`.

use crate::cli::ExportArgs;
use crate::error::Result;
use crate::export::{self, ExportOptions, ExportReport};
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
