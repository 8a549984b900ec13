//! Filesystem helpers: every call names the path that failed.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io("cannot read", path, e))
}

pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io("cannot read", path, e))
}

/// Reads a file of at most `max` bytes; a larger one is an error (the read stops there, also
/// when the file grows while it is read, or never ends like a device).
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::io("cannot read", path, e))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("cannot read", path, e))?;
    if bytes.len() as u64 > max {
        return Err(Error::io(
            "cannot read",
            path,
            std::io::Error::other(format!("larger than the {max}-byte limit")),
        ));
    }
    Ok(bytes)
}

pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, contents).map_err(|e| Error::io("cannot write", path, e))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| Error::io("cannot create directory", path, e))
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("cannot remove directory", path, e)),
    }
}

pub fn remove_file(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("cannot remove", path, e)),
    }
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| Error::io("cannot move into place", to, e))
}

pub fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::io("cannot copy", from, e))
}

pub fn canonicalize(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).map_err(|e| Error::io("cannot resolve", path, e))
}

/// `path` resolved through the file system when it lies inside `real_root` (itself resolved)
/// and outside the repository's `.git`, where credentials are kept; `None` when it leads
/// elsewhere. Errors (a missing file, a broken link) are the caller's to report.
pub fn contained(real_root: &Path, path: &Path) -> std::io::Result<Option<PathBuf>> {
    let real = std::fs::canonicalize(path)?;
    let inside = real
        .strip_prefix(real_root)
        .is_ok_and(|rest| !rest.components().any(|c| c.as_os_str() == ".git"));
    Ok(inside.then_some(real))
}

/// A path as shown to users: relative to `base` when it lies below it, with `/` separators.
pub fn display_rel(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Why a `/`-separated relative path cannot be written by every extractor and file system where
/// it should go: a `..` or `.` component, an absolute path, a backslash (a folder separator on
/// Windows), a colon (drive letters, alternate data streams) or a control character. `None`: it
/// is safe.
pub fn unsafe_name(rel: &str) -> Option<&'static str> {
    if rel.is_empty() || rel.starts_with('/') {
        return Some("an absolute or empty path");
    }
    if rel
        .split('/')
        .any(|c| c.is_empty() || c == "." || c == "..")
    {
        return Some("a `.`, `..` or empty path component");
    }
    if rel.contains('\\') {
        return Some("a backslash, which Windows reads as a folder separator");
    }
    if rel.contains(':') {
        return Some("a colon (a drive letter or stream name on Windows)");
    }
    if rel.chars().any(char::is_control) {
        return Some("a control character (such as a line break or tab)");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names_are_named() {
        for bad in [
            "../x.png",
            "a/../../x",
            "/etc/x",
            "a\\..\\..\\x.png",
            "C:x.png",
            "files/c:/x",
            "a\nb.png",
            "a\u{7f}b",
            "a//b",
        ] {
            assert!(unsafe_name(bad).is_some(), "{bad:?}");
        }
        for good in ["files/a b.png", "files/ünï.pdf", "doc/AIMS-POL-001.html"] {
            assert_eq!(unsafe_name(good), None, "{good:?}");
        }
    }
}
