//! `aims-site serve`: the live preview.

use crate::cli::ServeArgs;
use crate::error::Result;
use crate::serve::{self, Preview, ServeOptions};
use crate::site::Project;

pub fn run(
    project: &Project,
    args: &ServeArgs,
    on_ready: &dyn Fn(&Preview, Option<&str>),
) -> Result<()> {
    let opts = ServeOptions {
        bind: args
            .bind
            .clone()
            .unwrap_or_else(|| project.config.serve.bind.clone()),
        port: args.port.unwrap_or(project.config.serve.port),
        open: args.open,
    };
    serve::run(project, &opts, on_ready)
}
