//! `aims-site serve`: the live preview.

use std::process::ExitCode;

use super::Terminal;
use crate::cli::ServeArgs;
use crate::error::Result;
use crate::serve::{self, Preview, ServeOptions};
use crate::site::Project;

pub fn run(
    project: &Project,
    args: &ServeArgs,
    verbose: bool,
    on_ready: &dyn Fn(&Preview, Option<&str>),
) -> Result<()> {
    let opts = ServeOptions {
        bind: args
            .bind
            .clone()
            .unwrap_or_else(|| project.config.serve.bind.clone()),
        port: args.port.unwrap_or(project.config.serve.port),
        open: args.open,
        verbose,
    };
    serve::run(project, &opts, on_ready)
}

/// `aims-site serve` for the terminal: says where the preview is, then serves until stopped.
pub fn execute(project: &Project, args: &ServeArgs, term: &Terminal) -> ExitCode {
    let on_ready = |preview: &Preview, error: Option<&str>| {
        if let Some(text) = error {
            eprintln!("{text}\nthe first build failed; fix the problems and save");
        }
        let bind = args
            .bind
            .clone()
            .unwrap_or_else(|| project.config.serve.bind.clone());
        if !serve::is_loopback(&bind) {
            eprintln!(
                "warning: serving on {bind}, which other machines can reach; the preview includes drafts and every classification"
            );
        }
        println!(
            "serving {} at {} (drafts shown; Ctrl-C to stop)",
            project.root.display(),
            preview.addr
        );
        use std::io::Write;
        let _ = std::io::stdout().flush();
        if args.open {
            let _ = std::process::Command::new("xdg-open")
                .arg(&preview.addr)
                .spawn();
        }
    };
    match run(project, args, term.verbose, &on_ready) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => term.fail(&e),
    }
}
