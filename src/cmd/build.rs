//! `aims-site build`.

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
        ..Default::default()
    };
    site::build(project, &opts)
}
