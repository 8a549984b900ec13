//! Stage 1, load: walk the content folder, read every file, and split each Markdown file's
//! `---` front-matter from its body, keeping byte offsets so that later diagnostics can point
//! at file-absolute lines and columns.

use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};

/// One Markdown file as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path shown to users: relative to the project root, `/`-separated.
    pub display: String,
    /// Path relative to the content folder, `/`-separated (`policies/ai-policy.md`).
    pub rel: String,
    /// The file's text, without a byte-order mark.
    pub text: String,
    pub split: Split,
}

/// Where the front-matter and the body lie within a file's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the `---` lines (empty when there is none).
    pub yaml: Range<usize>,
    /// The Markdown after the closing line.
    pub body: Range<usize>,
}

/// A non-Markdown file below the content folder, copied as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub path: PathBuf,
    /// Path relative to the content folder, `/`-separated.
    pub rel: String,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Vec<SourceFile>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Walks `content_dir` and reads every Markdown file (in parallel). Problems with single files
/// become diagnostics; only a missing or unreadable content folder is an error. Symbolic links
/// are followed only when they resolve inside the project root and outside its `.git`; any
/// other link is an error at its path and nothing behind it is read.
pub fn load(root: &Path, content_dir: &Path, max_file_size: u64) -> Result<Loaded> {
    if !content_dir.is_dir() {
        return Err(Error::io(
            "cannot read content folder",
            content_dir,
            std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
        ));
    }
    let real_root = crate::fs::canonicalize(root)?;
    let mut out = Loaded::default();
    let mut markdown: Vec<(PathBuf, String, u64)> = Vec::new();
    let mut walker = walkdir::WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.diagnostics.push(walk_error(root, &e));
                continue;
            }
        };
        if entry.path_is_symlink()
            && let Some(d) = link_outside(root, &real_root, entry.path())
        {
            out.diagnostics.push(d);
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let rel = crate::fs::display_rel(&path, content_dir);
        if is_document(&rel) {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            markdown.push((path, rel, size));
        } else if let Some(why) = crate::fs::unsafe_name(&rel) {
            let display = crate::fs::display_rel(&path, root);
            out.diagnostics.push(
                Diagnostic::error(
                    "AIMS-E044",
                    format!("`{display}` cannot be published under its name: it holds {why}"),
                )
                .in_file(&display)
                .help("rename the file: letters, digits, spaces, `-`, `_` and `.`, with `/` between folders"),
            );
        } else {
            out.assets.push(Asset { path, rel });
        }
    }
    let results: Vec<std::result::Result<SourceFile, Diagnostic>> = markdown
        .into_par_iter()
        .map(|(path, rel, size)| read_source(root, &path, rel, size, max_file_size))
        .collect();
    for r in results {
        match r {
            Ok(f) => out.files.push(f),
            Err(d) => out.diagnostics.push(d),
        }
    }
    Ok(out)
}

/// Whether a content path names a document: `.md` or `.markdown`, in any case. Such a file is a
/// document (or an error), never an asset copied as it is.
pub fn is_document(rel: &str) -> bool {
    let lower = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// The finding for a symbolic link that leads out of the project (or into its `.git`, where
/// credentials live), or `None` when it stays inside.
fn link_outside(root: &Path, real_root: &Path, link: &Path) -> Option<Diagnostic> {
    let display = crate::fs::display_rel(link, root);
    let inside = match crate::fs::contained(real_root, link) {
        Ok(inside) => inside,
        Err(e) => {
            return Some(
                Diagnostic::error("AIMS-E042", format!("cannot read `{display}`: {e}"))
                    .in_file(&display)
                    .help("remove the broken link, or point it at a file inside the project"),
            );
        }
    };
    if inside.is_some() {
        return None;
    }
    let target = std::fs::canonicalize(link).unwrap_or_else(|_| link.to_path_buf());
    Some(
        Diagnostic::error(
            "AIMS-E043",
            format!(
                "`{display}` is a symbolic link to `{}`, outside the project",
                target.display()
            ),
        )
        .in_file(&display)
        .help("links may only lead to files and folders inside the project root (not into .git); copy the file into the repository instead"),
    )
}

/// Hidden files and folders, and the temporary files editors leave beside the ones they save.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
}

fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e
        .path()
        .map(|p| crate::fs::display_rel(p, root))
        .unwrap_or_default();
    if let Some(ancestor) = e.loop_ancestor() {
        return Diagnostic::error(
            "AIMS-E041",
            format!(
                "symbolic link loop: `{path}` leads back to `{}`",
                crate::fs::display_rel(ancestor, root)
            ),
        )
        .in_file(&path)
        .help("remove the link or point it outside its own folder");
    }
    let msg = e
        .io_error()
        .map_or_else(|| e.to_string(), ToString::to_string);
    Diagnostic::error("AIMS-E042", format!("cannot read `{path}`: {msg}"))
        .in_file(&path)
        .help("check the file's permissions, or move it out of the content folder")
}

fn read_source(
    root: &Path,
    path: &Path,
    rel: String,
    size: u64,
    max: u64,
) -> std::result::Result<SourceFile, Diagnostic> {
    let display = crate::fs::display_rel(path, root);
    if size > max {
        return Err(Diagnostic::error(
            "AIMS-E040",
            format!("`{display}` is {size} bytes, larger than the {max}-byte limit"),
        )
        .in_file(&display)
        .help("split the document, or raise `[build] max-file-size` in book.toml"));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error("AIMS-E042", format!("cannot read `{display}`: {e}"))
            .in_file(&display)
            .help("check the file's permissions")
    })?;
    let text = decode(&display, bytes)?;
    let split = split_front_matter(&display, &text)?;
    Ok(SourceFile {
        display,
        rel,
        text,
        split,
    })
}

/// Decodes UTF-8 (dropping a byte-order mark); anything else is an error at the first bad byte.
pub fn decode(display: &str, mut bytes: Vec<u8>) -> std::result::Result<String, Diagnostic> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..good]).into_owned();
        let line_end = bytes[good..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| good + p);
        let shown = format!(
            "{prefix}{}",
            String::from_utf8_lossy(&bytes[good..line_end])
        );
        Diagnostic::error(
            "AIMS-E001",
            format!("`{display}` is not valid UTF-8 (invalid byte at offset {good})"),
        )
        .at(display, &shown, good..good + 1)
        .help("save the file as UTF-8 (most editors: File → Save with encoding → UTF-8)")
    })
}

/// Splits `---` front-matter from the body. CRLF line endings are accepted.
pub fn split_front_matter(display: &str, text: &str) -> std::result::Result<Split, Diagnostic> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Err(Diagnostic::error("AIMS-E002", "document has no front-matter")
            .at(display, text, 0..first_end.clamp(1, 3))
            .help("start the file with a `---` line, the YAML fields (id, title, type, owner, version, status), and a closing `---` line"));
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Split {
                yaml: first_end..pos,
                body: end..text.len(),
            });
        }
        pos = end;
    }
    Err(Diagnostic::error("AIMS-E003", "front-matter is not closed")
        .at(display, text, 0..3)
        .help("end the front-matter with a line holding only `---`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf_and_crlf() {
        let t = "---\nid: A\n---\nBody\n";
        let s = split_front_matter("a.md", t).expect("split");
        assert_eq!(&t[s.yaml.clone()], "id: A\n");
        assert_eq!(&t[s.body.clone()], "Body\n");
        let t = "---\r\nid: A\r\n---\r\nBody\r\n";
        let s = split_front_matter("a.md", t).expect("split");
        assert_eq!(&t[s.yaml.clone()], "id: A\r\n");
        assert_eq!(&t[s.body.clone()], "Body\r\n");
    }

    #[test]
    fn missing_and_unclosed_front_matter() {
        assert_eq!(
            split_front_matter("a.md", "# Title\n").map_err(|d| d.code),
            Err("AIMS-E002")
        );
        assert_eq!(
            split_front_matter("a.md", "---\nid: A\n").map_err(|d| d.code),
            Err("AIMS-E003")
        );
    }

    #[test]
    fn bom_is_dropped_and_bad_utf8_reported() {
        assert_eq!(
            decode("a.md", b"\xEF\xBB\xBF---".to_vec()).ok().as_deref(),
            Some("---")
        );
        let d = decode("a.md", b"ok\nab\xFFc\n".to_vec()).expect_err("invalid");
        assert_eq!(d.code, "AIMS-E001");
        assert_eq!(d.location.map(|l| (l.line, l.column)), Some((2, 3)));
    }
}
