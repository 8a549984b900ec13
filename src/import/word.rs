//! Word files (`.docx`) through pandoc: each becomes Markdown next to it, its images in a folder
//! beside it, and is then imported like any Markdown file (its "Document Control" table is a
//! body block). pandoc runs on this machine only; nothing is downloaded. A Word file is
//! untrusted input: pandoc gets a time limit and its output a size limit.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one conversion may take.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// pandoc: `explicit` when given (it must exist), else the first `pandoc` on `PATH`.
pub fn find_pandoc(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return p.is_file().then(|| p.to_path_buf());
    }
    let path_var = std::env::var_os("PATH")?;
    std::env::split_paths(&path_var)
        .map(|dir| dir.join("pandoc"))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(p: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(p) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// Whether `name` is a Word document (`.docx`, any case; not Word's `~$` lock files).
pub fn is_word(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".docx") && !name.starts_with("~$")
}

/// The Markdown file a Word file becomes: same folder, same name, `.md`.
pub fn markdown_path(docx: &Path) -> PathBuf {
    docx.with_extension("md")
}

/// The folder the images of `docx` go to, next to it: `<name>.media`.
pub fn media_dir_name(docx: &Path) -> String {
    let stem = docx
        .file_stem()
        .map_or_else(|| "document".into(), |s| s.to_string_lossy().into_owned());
    format!("{stem}.media")
}

/// Converts `docx` to GitHub-flavoured Markdown in `work` (a private folder): returns the text,
/// whose images point into `<name>.media/` as extracted under `work`. At most `cap` bytes.
pub fn convert(pandoc: &Path, docx: &Path, work: &Path, cap: u64) -> Result<String, String> {
    let media = media_dir_name(docx);
    let mut child = Command::new(pandoc)
        .current_dir(work)
        .arg("--from=docx")
        .arg("--to=gfm")
        .arg("--wrap=none")
        .arg(format!("--extract-media={media}"))
        .arg(docx)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", pandoc.display()))?;
    let mut stdout = child.stdout.take().ok_or("pandoc gave no output")?;
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let read = (&mut stdout).take(cap + 1).read_to_end(&mut text);
        // Drain the rest so that pandoc is not blocked on a full pipe.
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        read.map(|_| text)
    });
    let mut stderr = child.stderr.take();
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "pandoc took longer than {} s; stopped",
                    TIME_LIMIT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("pandoc: {e}")),
        }
    };
    let text = reader
        .join()
        .map_err(|_| "pandoc's output could not be read".to_string())?
        .map_err(|e| format!("pandoc's output could not be read: {e}"))?;
    if !status.success() {
        let mut why = String::new();
        if let Some(e) = stderr.as_mut() {
            let _ = e.take(2048).read_to_string(&mut why);
        }
        return Err(format!(
            "pandoc could not convert it: {}",
            why.lines().next().unwrap_or("no reason given")
        ));
    }
    if text.len() as u64 > cap {
        return Err(format!("the converted text is larger than {cap} bytes"));
    }
    String::from_utf8(text).map_err(|_| "pandoc's output is not UTF-8".to_string())
}

/// Copies the images pandoc extracted for `docx` (under `work`) next to `markdown`.
pub fn place_media(docx: &Path, work: &Path, markdown: &Path) -> std::io::Result<usize> {
    let name = media_dir_name(docx);
    let from = work.join(&name);
    if !from.is_dir() {
        return Ok(0);
    }
    let to = markdown
        .parent()
        .map_or_else(|| PathBuf::from(&name), |p| p.join(&name));
    let mut copied = 0;
    for entry in walkdir::WalkDir::new(&from).follow_links(false) {
        let entry = entry.map_err(std::io::Error::other)?;
        let rel = entry
            .path()
            .strip_prefix(&from)
            .map_err(std::io::Error::other)?;
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target)?;
            copied += 1;
        }
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_word("Policy.DOCX") && is_word("a.docx"));
        assert!(!is_word("~$a.docx") && !is_word("a.doc") && !is_word("a.md"));
        assert_eq!(
            markdown_path(Path::new("x/AI Policy.docx")),
            Path::new("x/AI Policy.md")
        );
        assert_eq!(
            media_dir_name(Path::new("x/AI Policy.docx")),
            "AI Policy.media"
        );
    }
}
