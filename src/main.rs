//! The `aims-site` binary: parse the arguments and hand them to the command, which prints and
//! picks the exit code (0 done, 1 problems in the input, 2 could not run).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use aims_site::cli::{Cli, Color, Command};
use aims_site::cmd::{self, Terminal};
use aims_site::{Error, site};

/// mimalloc: the build allocates and frees many small strings from two threads at once.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let term = Terminal {
        color,
        quiet: cli.quiet,
        verbose: cli.verbose,
        // A progress line on a terminal; nothing when output goes to a file or a pipe.
        progress: (std::io::stderr().is_terminal() && !cli.quiet)
            .then_some(cmd::show_progress as fn(&str)),
        started,
    };
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => return term.fail(&Error::io("cannot read the current folder", ".", e)),
    };
    if let Command::Init(args) = &cli.command {
        return cmd::init::execute(&cwd.join(&args.dir), &term);
    }
    if let Command::Import(args) = &cli.command {
        return cmd::import::execute(cli.root.as_deref(), &cwd, args, &term);
    }
    let project = match site::Project::discover(cli.root.as_deref(), &cwd) {
        Ok(p) => p,
        Err(e) => return term.fail(&e),
    };
    match &cli.command {
        Command::Build(args) => cmd::build::execute(&project, args, &term),
        Command::Serve(args) => cmd::serve::execute(&project, args, &term),
        Command::Check(args) => cmd::check::execute(&project, args, &term),
        Command::Export(args) => cmd::export::execute(&project, args, &term),
        Command::Init(_) | Command::Import(_) => ExitCode::SUCCESS,
        Command::New(args) => cmd::new::execute(&project, args, &term),
        Command::Reviews(args) => cmd::reviews::execute(&project, args, &term),
    }
}
