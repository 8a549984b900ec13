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

#[derive(Default)]
struct Table {
    old: HashMap<Key, Vec<u8>>,
    used: HashMap<Key, Vec<u8>>,
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
        let old = std::fs::read(&path).map(|b| decode(&b)).unwrap_or_default();
        Store {
            path: Some(path),
            table: Mutex::new(Table {
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
        if let Some(v) = t.used.get(key) {
            return Some(v.clone());
        }
        let v = t.old.remove(key)?;
        t.used.insert(*key, v.clone());
        Some(v)
    }

    pub fn put(&self, key: Key, value: Vec<u8>) {
        if let Ok(mut t) = self.table.lock() {
            t.used.insert(key, value);
        }
    }

    /// Writes the entries this build used (atomically); errors are ignored: a cache is optional.
    pub fn save(&self) {
        let Some(path) = &self.path else { return };
        let Ok(t) = self.table.lock() else { return };
        if t.used.is_empty() {
            return;
        }
        let mut keys: Vec<&Key> = t.used.keys().collect();
        keys.sort();
        let mut out = Vec::with_capacity(FORMAT.len() + t.used.len() * 64);
        out.extend_from_slice(FORMAT.as_bytes());
        for k in keys {
            let v = &t.used[k];
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

fn decode(bytes: &[u8]) -> HashMap<Key, Vec<u8>> {
    let mut map = HashMap::new();
    let Some(mut rest) = bytes.strip_prefix(FORMAT.as_bytes()) else {
        return map;
    };
    while rest.len() >= 24 {
        let mut k = [0u8; 20];
        k.copy_from_slice(&rest[..20]);
        let len = u32::from_le_bytes([rest[20], rest[21], rest[22], rest[23]]) as usize;
        let Some(v) = rest.get(24..24 + len) else {
            break;
        };
        map.insert(k, v.to_vec());
        rest = &rest[24 + len..];
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
        let loaded = decode(&std::fs::read(&path).unwrap_or_default());
        assert_eq!(loaded.len(), 2);
        let s2 = Store {
            path: Some(path.clone()),
            table: Mutex::new(Table {
                old: loaded,
                used: HashMap::new(),
            }),
        };
        assert_eq!(s2.get(&key(&[b"a"])), Some(b"one".to_vec()));
        s2.save();
        assert_eq!(decode(&std::fs::read(&path).unwrap_or_default()).len(), 1);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_foreign_file_is_an_empty_table() {
        assert!(decode(b"garbage").is_empty());
    }
}
