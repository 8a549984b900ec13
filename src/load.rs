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

/// Kept by `serve` between rebuilds: each document as last read, with the file's metadata then.
/// A file whose size, modification and change times and inode are all unchanged is not read
/// again (the watcher's quiet period means a save is never read within the clock tick of an
/// earlier save to the same file).
#[derive(Default)]
pub struct LoadMemo {
    files: std::sync::Mutex<std::collections::HashMap<PathBuf, (Fingerprint, SourceFile)>>,
}

impl std::fmt::Debug for LoadMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoadMemo")
    }
}

/// A document as read, or why it could not be.
type Read = std::result::Result<SourceFile, Diagnostic>;

/// A file read anew, to remember for the next build: its path and fingerprint.
type Remember = (PathBuf, Fingerprint);

/// What says a file is unchanged: size, modification time, and on Unix change time and inode.
type Fingerprint = (u64, Option<std::time::SystemTime>, i64, i64, u64);

fn fingerprint(m: &std::fs::Metadata) -> Fingerprint {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (
            m.len(),
            m.modified().ok(),
            m.ctime(),
            m.ctime_nsec(),
            m.ino(),
        )
    }
    #[cfg(not(unix))]
    {
        (m.len(), m.modified().ok(), 0, 0, 0)
    }
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
pub fn load(
    root: &Path,
    content_dir: &Path,
    max_file_size: u64,
    memo: Option<&LoadMemo>,
) -> Result<Loaded> {
    if !content_dir.is_dir() {
        return Err(Error::io(
            "cannot read content folder",
            content_dir,
            std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
        ));
    }
    let real_root = crate::fs::canonicalize(root)?;
    let mut out = Loaded::default();
    let mut markdown: Vec<(PathBuf, String, u64, Option<Fingerprint>)> = Vec::new();
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
            let meta = entry.metadata().ok();
            let size = meta.as_ref().map_or(0, std::fs::Metadata::len);
            let print = memo.and(meta.as_ref()).map(fingerprint);
            markdown.push((path, rel, size, print));
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
    // Files unchanged since the last build are taken from the memo as they are (moved, then
    // copied once for this build); the others are read, side by side.
    let mut previous = memo
        .and_then(|m| m.files.lock().ok())
        .map(|mut files| std::mem::take(&mut *files))
        .unwrap_or_default();
    let mut next = std::collections::HashMap::with_capacity(markdown.len());
    let mut to_read = Vec::with_capacity(markdown.len());
    let mut kept: Vec<(usize, SourceFile)> = Vec::new();
    for (k, (path, rel, size, print)) in markdown.into_iter().enumerate() {
        match (print, previous.remove(&path)) {
            (Some(p), Some((was, f))) if was == p && f.rel == rel => {
                kept.push((k, f.clone()));
                next.insert(path, (p, f));
            }
            _ => to_read.push((k, path, rel, size, print)),
        }
    }
    let read: Vec<(usize, Read, Option<Remember>)> = to_read
        .into_par_iter()
        .map(|(k, path, rel, size, print)| {
            let r = read_source(root, &path, rel, size, max_file_size);
            (k, r, print.map(|p| (path, p)))
        })
        .collect();
    // In walk order, as before.
    let mut all: Vec<(usize, Read)> = kept.into_iter().map(|(k, f)| (k, Ok(f))).collect();
    for (k, r, key) in read {
        if let (Ok(f), Some((path, print))) = (&r, key) {
            next.insert(path, (print, f.clone()));
        }
        all.push((k, r));
    }
    all.sort_unstable_by_key(|x| x.0);
    for (_, r) in all {
        match r {
            Ok(f) => out.files.push(f),
            Err(d) => out.diagnostics.push(d),
        }
    }
    if let Some(mut files) = memo.and_then(|m| m.files.lock().ok()) {
        *files = next;
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

    #[test]
    fn the_memo_rereads_a_changed_file_and_forgets_a_deleted_one() {
        let dir = tempfile::tempdir().expect("tmp");
        let content = dir.path().join("content");
        std::fs::create_dir_all(&content).expect("mkdir");
        std::fs::write(content.join("a.md"), "---\nid: A\n---\nfirst\n").expect("write");
        std::fs::write(content.join("b.md"), "---\nid: B\n---\nkept\n").expect("write");
        let memo = LoadMemo::default();
        let texts =
            |l: &Loaded| -> Vec<String> { l.files.iter().map(|f| f.text.clone()).collect() };
        let first = load(dir.path(), &content, 1 << 20, Some(&memo)).expect("load");
        assert_eq!(texts(&first).len(), 2);
        // The same size, a later modification time: read again.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(content.join("a.md"), "---\nid: A\n---\nsecnd\n").expect("write");
        std::fs::remove_file(content.join("b.md")).expect("rm");
        let second = load(dir.path(), &content, 1 << 20, Some(&memo)).expect("load");
        assert_eq!(texts(&second), vec!["---\nid: A\n---\nsecnd\n".to_string()]);
        assert_eq!(memo.files.lock().map(|m| m.len()).unwrap_or(0), 1);
        let third = load(dir.path(), &content, 1 << 20, Some(&memo)).expect("load");
        assert_eq!(texts(&third), texts(&second));
    }
}
