//! The pack on disk: the SHA-256 manifest of every file, and the reproducible zip (files in path
//! order, one fixed timestamp, fixed permissions).

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Writes `MANIFEST.sha256` into `dir`: one line per file (itself excluded), in the format
/// `sha256sum -c` reads: the hex digest, two spaces, the path.
pub fn write_manifest(dir: &Path) -> Result<usize> {
    let mut text = String::new();
    let list = files(dir)?;
    let mut count = 0;
    for rel in list.iter().filter(|r| r.as_str() != MANIFEST) {
        let bytes = crate::fs::read(&dir.join(rel))?;
        text.push_str(&sha256(&bytes));
        text.push_str("  ");
        text.push_str(rel);
        text.push('\n');
        count += 1;
    }
    crate::fs::write(&dir.join(MANIFEST), text)?;
    Ok(count)
}

/// Zips every file below `dir` under the folder `top/` into `dest`, atomically (a temporary file
/// beside it, renamed at the end). Entries are in path order with the timestamp `stamp`
/// (year, month, day; midnight) and mode 0644, so the same files give the same bytes.
pub fn zip_dir(dir: &Path, top: &str, dest: &Path, stamp: (i16, i8, i8)) -> Result<usize> {
    let list = files(dir)?;
    let tmp: PathBuf = {
        let name = dest
            .file_name()
            .map_or_else(|| "pack.zip".into(), |n| n.to_string_lossy().into_owned());
        dest.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
    };
    let fail = |e: zip::result::ZipError| {
        Error::io("cannot write", dest, std::io::Error::other(e.to_string()))
    };
    let result = (|| -> Result<()> {
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io("cannot write", &tmp, e))?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
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
        for rel in &list {
            let bytes = crate::fs::read(&dir.join(rel))?;
            zip.start_file(format!("{top}/{rel}"), options)
                .map_err(fail)?;
            zip.write_all(&bytes)
                .map_err(|e| Error::io("cannot write", &tmp, e))?;
        }
        let mut out = zip.finish().map_err(fail)?;
        out.flush()
            .map_err(|e| Error::io("cannot write", &tmp, e))?;
        Ok(())
    })();
    match result {
        Ok(()) => {
            crate::fs::rename(&tmp, dest)?;
            Ok(list.len())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}
