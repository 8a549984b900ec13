//! `aims-site import [PATH…]`: finds the project (or the folder that will hold its book.toml),
//! runs the import, and creates book.toml as `init` writes it when it is missing.

use std::path::{Path, PathBuf};

use crate::cli::ImportArgs;
use crate::error::Result;
use crate::import::{self, BookToml, Options, Report};

/// The project root: `--root`, else the nearest folder upwards holding book.toml, else the top
/// of the Git repository, else the current folder.
fn root(explicit: Option<&Path>, cwd: &Path) -> PathBuf {
    match explicit {
        Some(r) => cwd.join(r),
        None => crate::config::find_root(cwd)
            .or_else(|| crate::git::toplevel(cwd))
            .unwrap_or_else(|| cwd.to_path_buf()),
    }
}

pub fn run(explicit_root: Option<&Path>, cwd: &Path, args: &ImportArgs) -> Result<Report> {
    let root = root(explicit_root, cwd);
    let opts = Options {
        paths: args.paths.clone(),
        write: args.write,
        force: args.force,
        from_git: args.from_git,
        keep_block: args.keep_block,
        pandoc: args.pandoc.clone(),
    };
    let report = import::run(&root, cwd, &opts)?;
    if report.written
        && let BookToml::Create { content_dir } = &report.book_toml
    {
        let path = root.join(crate::config::FILE_NAME);
        if !path.exists() {
            crate::fs::write(&path, super::init::book_toml(content_dir))?;
        }
    }
    Ok(report)
}

/// Runs `aims-site import` and prints its report: exit 0, or 1 when files could not be read,
/// 2 when it could not run.
pub fn execute(
    explicit_root: Option<&Path>,
    cwd: &Path,
    args: &ImportArgs,
    term: &super::Terminal,
) -> std::process::ExitCode {
    match run(explicit_root, cwd, args) {
        Ok(report) => {
            print!("{}", report.human());
            if report.skipped() > 0 {
                std::process::ExitCode::from(1)
            } else {
                std::process::ExitCode::SUCCESS
            }
        }
        Err(e) => term.fail(&e),
    }
}
