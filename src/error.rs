//! The typed errors that library code returns; only `main` turns them into exit codes.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is wrong: every finding is listed (warnings included), nothing was written.
    #[error("{} error(s) in the input", count_errors(.0))]
    Invalid(Vec<Diagnostic>),
    /// A filesystem operation failed.
    #[error("{action} {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// No book.toml was found from the starting folder upwards.
    #[error("no book.toml found in {} or any folder above it (use --root DIR)", .0.display())]
    NoRoot(PathBuf),
    /// The output directory cannot safely be replaced.
    #[error("refusing to write to {}: {reason}", .path.display())]
    UnsafeOutput { path: PathBuf, reason: String },
    /// A program the command needs is not installed.
    #[error("{tool} is not installed: {why}; install {package}, or {instead}")]
    MissingTool {
        tool: &'static str,
        package: &'static str,
        why: String,
        instead: &'static str,
    },
    /// Anything else that stops the tool from running (bad arguments, unknown profile...).
    #[error("{0}")]
    Usage(String),
}

fn count_errors(diags: &[Diagnostic]) -> usize {
    diags.iter().filter(|d| d.is_error()).count()
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
