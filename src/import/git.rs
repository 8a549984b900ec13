//! The few Git questions import asks: is this a repository, which of these files have
//! uncommitted changes, who changed a file last, and when its status became approved.

use std::path::Path;
use std::process::Command;

fn git(root: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(root)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .args([
            "-c",
            "core.quotepath=false",
            "-c",
            "color.ui=false",
            "-c",
            "log.showSignature=false",
        ]);
    c
}

fn output(root: &Path, args: &[&str], paths: &[&Path]) -> Option<String> {
    let out = git(root).args(args).arg("--").args(paths).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn is_repo(root: &Path) -> bool {
    git(root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"true"))
}

/// The files among `paths` with uncommitted changes, untracked ones included, as Git names
/// them (`?? content/a.md`, ` M content/b.md`).
pub fn dirty(root: &Path, paths: &[&Path]) -> Vec<String> {
    let mut out = Vec::new();
    // A few hundred paths per call keeps the command line short.
    for chunk in paths.chunks(200) {
        if let Some(s) = output(
            root,
            &["status", "--porcelain", "--untracked-files=all"],
            chunk,
        ) {
            out.extend(
                s.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string),
            );
        }
    }
    out
}

/// The author of the last commit that changed `path`.
pub fn last_author(root: &Path, path: &Path) -> Option<String> {
    let s = output(root, &["log", "-1", "--format=%an"], &[path])?;
    let name = s.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// The date (YYYY-MM-DD) and short id of the newest commit that added a line saying the
/// status is approved (in front-matter or in a document-control block).
pub fn approval_date(root: &Path, path: &Path) -> Option<(String, String)> {
    let s = output(
        root,
        &[
            "log",
            "--format=%x1e%ad %h",
            "--date=short",
            "-p",
            "--unified=0",
            "--no-color",
        ],
        &[path],
    )?;
    for record in s.split('\x1e').filter(|r| !r.trim().is_empty()) {
        let mut lines = record.lines();
        let head = lines.next().unwrap_or("");
        let approved = lines.any(|l| {
            let l = l.to_lowercase();
            l.starts_with('+')
                && !l.starts_with("+++")
                && l.contains("status")
                && l.contains("approved")
        });
        if approved {
            let (date, commit) = head.split_once(' ')?;
            return Some((date.to_string(), commit.to_string()));
        }
    }
    None
}
