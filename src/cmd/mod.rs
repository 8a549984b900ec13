//! One file per subcommand (mdBook's `src/cmd/*.rs`): `run` calls the pipeline and returns
//! its report; `execute` runs it for the terminal, prints the report and picks the exit code
//! (0 done, 1 problems in the input, 2 could not run). [`Terminal`] holds how to print.

pub mod build;
pub mod check;
pub mod export;
pub mod import;
pub mod init;
pub mod new;
pub mod reviews;
pub mod serve;

use std::process::ExitCode;

use crate::diagnostic::Diagnostic;
use crate::error::Error;

/// How the commands print: colours, quiet or verbose, a progress line on a terminal.
pub struct Terminal {
    pub color: bool,
    pub quiet: bool,
    pub verbose: bool,
    /// Shows what the build is doing; `None` when output goes to a file or a pipe.
    pub progress: Option<fn(&str)>,
    /// When the run started, for the total in `--verbose` timings.
    pub started: std::time::Instant,
}

impl Terminal {
    /// Diagnostics on stderr (warnings left out with `--quiet`).
    pub fn diagnostics(&self, diags: &[Diagnostic]) {
        for d in diags {
            if self.quiet && !d.is_error() {
                continue;
            }
            eprintln!("{}\n", d.render(self.color));
        }
    }

    /// Reports an error that stopped the command: exit 1 for problems in the input, 2 else.
    pub fn fail(&self, e: &Error) -> ExitCode {
        match e {
            Error::Invalid(diags) => {
                self.diagnostics(diags);
                let errors = diags.iter().filter(|d| d.is_error()).count();
                let warnings = diags.len() - errors;
                eprintln!("error: {errors} error(s), {warnings} warning(s); nothing was written");
                ExitCode::from(1)
            }
            other => {
                eprintln!("error: {other}");
                ExitCode::from(2)
            }
        }
    }

    /// Each stage's time, then the whole run's (with `--verbose`).
    pub fn timings(&self, timings: &crate::site::Timings) {
        if !self.verbose {
            return;
        }
        for (stage, t) in &timings.0 {
            eprintln!("  {stage:<8} {:>8.1} ms", t.as_secs_f64() * 1000.0);
        }
        eprintln!(
            "  {:<8} {:>8.1} ms",
            "total",
            self.started.elapsed().as_secs_f64() * 1000.0
        );
    }

    /// Clears the progress line, if one is shown.
    pub fn clear_progress(&self) {
        if self.progress.is_some() {
            eprint!("\r\x1b[2K");
        }
    }
}

/// The progress line on a terminal.
pub fn show_progress(what: &str) {
    use std::io::Write;
    let mut err = std::io::stderr();
    let _ = write!(err, "\r\x1b[2K{what}…");
    let _ = err.flush();
}
