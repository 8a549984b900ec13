//! A build cache for results that depend only on their inputs: highlighted code (by language and
//! code) and approval-integrity comparisons (by the pair of Git blobs compared). Output is the
//! same with or without it; it only saves time on the next build and in `serve`.
//!
//! It lives outside the project (`$AIMS_SITE_CACHE_DIR`, else `$XDG_CACHE_HOME/aims-site`, else
//! `~/.cache/aims-site`), one folder per project root, and is rewritten after each build with
//! only the entries that build used, so it never grows beyond one build's worth.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Bumped whenever the meaning of a cached value changes.
const FORMAT: &str = concat!("aims-site-cache 1 ", env!("CARGO_PKG_VERSION"), "\n");

pub type Key = [u8; 20];

/// The last build's entries stay in the file's bytes as read (no copy per entry); this build's
/// entries point into them or hold new values.
#[derive(Default)]
struct Table {
    bytes: Vec<u8>,
    old: HashMap<Key, std::ops::Range<usize>>,
    used: HashMap<Key, Entry>,
}

enum Entry {
    Old(std::ops::Range<usize>),
    New(Vec<u8>),
}

impl Table {
    fn value<'a>(&'a self, entry: &'a Entry) -> &'a [u8] {
        match entry {
            Entry::Old(range) => self.bytes.get(range.clone()).unwrap_or_default(),
            Entry::New(v) => v,
        }
    }
}

/// One named table of the cache, safe to use from many threads.
#[derive(Default)]
pub struct Store {
    path: Option<PathBuf>,
    table: Mutex<Table>,
}

pub fn key(parts: &[&[u8]]) -> Key {
    let mut h = sha1_smol::Sha1::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.digest().bytes()
}

impl Store {
    /// A store that keeps nothing between builds.
    pub fn memory() -> Store {
        Store::default()
    }

    /// Opens the table `name` of the cache for `root`; a missing or unreadable file is an empty table.
    pub fn open(root: &Path, name: &str) -> Store {
        let Some(dir) = dir_for(root) else {
            return Store::memory();
        };
        let path = dir.join(name);
        let bytes = std::fs::read(&path).unwrap_or_default();
        let old = decode(&bytes);
        Store {
            path: Some(path),
            table: Mutex::new(Table {
                bytes,
                old,
                used: HashMap::new(),
            }),
        }
    }

    pub fn contains(&self, key: &Key) -> bool {
        self.table
            .lock()
            .is_ok_and(|t| t.used.contains_key(key) || t.old.contains_key(key))
    }

    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let mut t = self.table.lock().ok()?;
        if let Some(e) = t.used.get(key) {
            return Some(t.value(e).to_vec());
        }
        let range = t.old.remove(key)?;
        let v = t.bytes.get(range.clone())?.to_vec();
        t.used.insert(*key, Entry::Old(range));
        Some(v)
    }

    pub fn put(&self, key: Key, value: Vec<u8>) {
        if let Ok(mut t) = self.table.lock() {
            t.used.insert(key, Entry::New(value));
        }
    }

    /// Writes the entries this build used (atomically); errors are ignored: a cache is optional.
    pub fn save(&self) {
        let Some(path) = &self.path else { return };
        let Ok(t) = self.table.lock() else { return };
        if t.used.is_empty() {
            return;
        }
        let mut entries: Vec<(&Key, &[u8])> = t.used.iter().map(|(k, e)| (k, t.value(e))).collect();
        entries.sort_unstable_by_key(|(k, _)| *k);
        let size: usize = entries.iter().map(|(_, v)| 24 + v.len()).sum();
        let mut out = Vec::with_capacity(FORMAT.len() + size);
        out.extend_from_slice(FORMAT.as_bytes());
        for (k, v) in entries {
            out.extend_from_slice(k);
            out.extend_from_slice(&(v.len() as u32).to_le_bytes());
            out.extend_from_slice(v);
        }
        if let Some(parent) = path.parent()
            && std::fs::create_dir_all(parent).is_ok()
        {
            let tmp = path.with_extension(format!("tmp{}", std::process::id()));
            if std::fs::write(&tmp, &out).is_ok() {
                let _ = std::fs::rename(&tmp, path);
            }
        }
    }
}

/// Where each entry's value lies in a cache file's bytes.
fn decode(bytes: &[u8]) -> HashMap<Key, std::ops::Range<usize>> {
    let mut map = HashMap::new();
    if !bytes.starts_with(FORMAT.as_bytes()) {
        return map;
    }
    let mut at = FORMAT.len();
    while let Some(head) = bytes.get(at..at + 24) {
        let mut k = [0u8; 20];
        k.copy_from_slice(&head[..20]);
        let len = u32::from_le_bytes([head[20], head[21], head[22], head[23]]) as usize;
        let value = at + 24..at + 24 + len;
        if value.end > bytes.len() {
            break;
        }
        at = value.end;
        map.insert(k, value);
    }
    map
}

/// The cache folder for a project root, or `None` when caching is off (`AIMS_SITE_CACHE_DIR=off`).
pub fn dir_for(root: &Path) -> Option<PathBuf> {
    let base = match std::env::var_os("AIMS_SITE_CACHE_DIR") {
        Some(v) if v == "off" => return None,
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => match std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
            Some(x) => PathBuf::from(x).join("aims-site"),
            None => PathBuf::from(std::env::var_os("HOME")?)
                .join(".cache")
                .join("aims-site"),
        },
    };
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let id = key(&[root.to_string_lossy().as_bytes()]);
    let name: String = id[..8].iter().map(|b| format!("{b:02x}")).collect();
    Some(base.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_only_used_entries() {
        let dir = std::env::temp_dir().join(format!("aims-cache-test-{}", std::process::id()));
        let path = dir.join("t.bin");
        let s = Store {
            path: Some(path.clone()),
            table: Mutex::default(),
        };
        s.put(key(&[b"a"]), b"one".to_vec());
        s.put(key(&[b"b"]), b"two".to_vec());
        s.save();
        let bytes = std::fs::read(&path).unwrap_or_default();
        let loaded = decode(&bytes);
        assert_eq!(loaded.len(), 2);
        let s2 = Store {
            path: Some(path.clone()),
            table: Mutex::new(Table {
                bytes,
                old: loaded,
                used: HashMap::new(),
            }),
        };
        assert_eq!(s2.get(&key(&[b"a"])), Some(b"one".to_vec()));
        assert_eq!(s2.get(&key(&[b"a"])), Some(b"one".to_vec()));
        assert!(s2.contains(&key(&[b"b"])));
        s2.save();
        let saved = std::fs::read(&path).unwrap_or_default();
        let entries = decode(&saved);
        assert_eq!(
            entries
                .get(&key(&[b"a"]))
                .and_then(|r| saved.get(r.clone())),
            Some(&b"one"[..])
        );
        assert_eq!(decode(&std::fs::read(&path).unwrap_or_default()).len(), 1);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_foreign_file_is_an_empty_table() {
        assert!(decode(b"garbage").is_empty());
    }
}
