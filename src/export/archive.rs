//! The pack on disk: the SHA-256 manifest of every file, and the reproducible zip (files in path
//! order, one fixed timestamp, fixed permissions).

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The manifest's file name, at the top of the pack.
pub const MANIFEST: &str = "MANIFEST.sha256";

/// Every file below `dir`, as paths relative to it with `/` separators, sorted bytewise.
pub fn files(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry.map_err(|e| Error::io("cannot read", dir, e.into()))?;
        if entry.file_type().is_file() {
            out.push(crate::fs::display_rel(entry.path(), dir));
        }
    }
    out.sort();
    Ok(out)
}

/// Hex SHA-256 of some bytes.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// Writes `MANIFEST.sha256` into `dir` and zips every file below `dir` under the folder `top/`
/// into `dest`, atomically (a temporary file beside it, renamed at the end). The manifest has one
/// line per other file, in the format `sha256sum -c` reads: the hex digest, two spaces, the path.
/// Files are read once, hashed and compressed in parallel; entries are in path order with the
/// timestamp `stamp` (year, month, day; midnight) and mode 0644, so the same files give the same
/// bytes. Returns the number of files in the zip.
pub fn pack(dir: &Path, top: &str, dest: &Path, stamp: (i16, i8, i8)) -> Result<usize> {
    use rayon::prelude::*;
    let list: Vec<String> = files(dir)?
        .into_iter()
        .filter(|r| r.as_str() != MANIFEST)
        .collect();
    let year = u16::try_from(stamp.0).unwrap_or(1980).clamp(1980, 2107);
    let time = zip::DateTime::from_date_and_time(
        year,
        u8::try_from(stamp.1).unwrap_or(1),
        u8::try_from(stamp.2).unwrap_or(1),
        0,
        0,
        0,
    )
    .unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(time)
        .unix_permissions(0o644);
    let fail = |e: zip::result::ZipError| {
        Error::io("cannot write", dest, std::io::Error::other(e.to_string()))
    };
    let prepare = |rel: &str, bytes: &[u8]| -> Result<zip::write::PreparedZipFile> {
        let mut builder =
            zip::write::ZipFileBuilder::new(format!("{top}/{rel}"), options).map_err(fail)?;
        builder
            .write_all(bytes)
            .map_err(|e| Error::io("cannot compress", dir.join(rel), e))?;
        builder.finish().map_err(fail)
    };
    if let Some(bad) = list.iter().find(|r| crate::fs::unsafe_name(r).is_some()) {
        return Err(Error::io(
            "cannot pack",
            dir.join(bad),
            std::io::Error::other(crate::fs::unsafe_name(bad).unwrap_or_default()),
        ));
    }
    let mut entries: Vec<(String, String, zip::write::PreparedZipFile)> = list
        .par_iter()
        .map(|rel| {
            let bytes = crate::fs::read(&dir.join(rel))?;
            Ok((rel.clone(), sha256(&bytes), prepare(rel, &bytes)?))
        })
        .collect::<Result<_>>()?;
    let mut manifest = String::new();
    for (rel, hash, _) in &entries {
        manifest.push_str(&manifest_line(hash, rel));
    }
    crate::fs::write(&dir.join(MANIFEST), &manifest)?;
    let prepared = prepare(MANIFEST, manifest.as_bytes())?;
    entries.push((MANIFEST.to_string(), String::new(), prepared));
    entries.sort_by(|a, b| a.0.cmp(&b.0));

    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // A new file of our own beside the destination (`create_new`: never a file or link that
    // already exists), renamed over it at the end. Its mode follows the umask, as any file the
    // user writes.
    let tmp = parent.join(format!(
        ".aims-site-pack-{}-{}.tmp",
        std::process::id(),
        jiff::Timestamp::now().as_nanosecond()
    ));
    let count = entries.len();
    let result = (|| -> Result<()> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| Error::io("cannot write", &tmp, e))?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        for (_, _, prepared) in entries {
            zip.add_prepared_file(prepared).map_err(fail)?;
        }
        let mut out = zip.finish().map_err(fail)?;
        out.flush()
            .map_err(|e| Error::io("cannot write", &tmp, e))?;
        crate::fs::rename(&tmp, dest)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map(|()| count)
}

/// One line of `MANIFEST.sha256` as `sha256sum` writes it: a name holding a backslash or a line
/// break is escaped (`\\`, `\n`, `\r`) and its line starts with a backslash.
pub fn manifest_line(hash: &str, rel: &str) -> String {
    if rel.contains(['\\', '\n', '\r']) {
        let escaped = rel
            .replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\r', "\\r");
        format!("\\{hash}  {escaped}\n")
    } else {
        format!("{hash}  {rel}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_lines_escape_like_sha256sum() {
        assert_eq!(manifest_line("ab", "x/y.html"), "ab  x/y.html\n");
        assert_eq!(manifest_line("ab", "a\nb"), "\\ab  a\\nb\n");
        assert_eq!(manifest_line("ab", "a\\b"), "\\ab  a\\\\b\n");
    }
}
