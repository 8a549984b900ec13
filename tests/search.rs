//! The search index as the build writes it: every body word indexed and mapped to its section
//! (the nearest heading above it), and hostile input kept small.

mod common;

use common::{Fixture, front};
use serde_json::Value;

/// The JSON argument of a script `PREFIX…);` or `PREFIX…;` as the index writes it.
fn json_of(script: &str, prefix: &str) -> Value {
    let body = script
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("script does not start with {prefix}: {script:.80}"));
    let body = body.trim_end().trim_end_matches(';').trim_end_matches(')');
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:.200}"))
}

/// Postings of `term` in the built site: (document number, weight, section).
fn postings(f: &Fixture, term: &str) -> Vec<(u64, u64, u64)> {
    let key: String = term.chars().take(2).collect();
    let rel = format!("public/assets/search/t-{key}.js");
    if !f.exists(&rel) {
        return Vec::new();
    }
    let shard = json_of(&f.read(&rel), &format!("AIMS_SEARCH_SHARD(\"{key}\","));
    let Some(p) = shard.get(term).and_then(Value::as_array) else {
        return Vec::new();
    };
    let nums: Vec<u64> = p.iter().filter_map(Value::as_u64).collect();
    let mut doc = 0;
    nums.chunks(3)
        .map(|c| {
            doc += c[0];
            (doc, c[1], c[2])
        })
        .collect()
}

/// Document `n`'s sections ([anchor, heading, text] each) and fields (id, title, url, type,
/// owner, clauses), as its `AIMS_SEARCH_DOC(n, sections, fields)` call gives them.
fn entry(f: &Fixture, n: u64) -> (Vec<Value>, Vec<Value>) {
    let index = json_of(
        &f.read("public/assets/search-index.js"),
        "window.AIMS_SEARCH=",
    );
    let per = index["per"].as_u64().expect("per");
    let script = f.read(&format!("public/assets/search/d-{}.js", n / per));
    let line = script
        .lines()
        .find(|l| l.starts_with(&format!("AIMS_SEARCH_DOC({n},")))
        .unwrap_or_else(|| panic!("no entry of document {n}"));
    let args = line
        .strip_prefix(&format!("AIMS_SEARCH_DOC({n},"))
        .and_then(|a| a.strip_suffix(");"))
        .expect("a call");
    let args: Value = serde_json::from_str(&format!("[{args}]")).expect("JSON arguments");
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    (list(&args[0]), list(&args[1]))
}

fn sections(f: &Fixture, n: u64) -> Vec<Value> {
    entry(f, n).0
}

fn doc_number(f: &Fixture, id: &str) -> u64 {
    let index = json_of(
        &f.read("public/assets/search-index.js"),
        "window.AIMS_SEARCH=",
    );
    let count = index["count"].as_u64().expect("count");
    (0..count)
        .find(|&n| entry(f, n).1.first().is_some_and(|d| d == id))
        .unwrap_or_else(|| panic!("{id} is not in the index"))
}

#[test]
fn a_rare_word_deep_in_one_body_is_indexed_with_its_section() {
    let f = Fixture::new();
    f.write("book.toml", "[book]\ntitle = \"Search\"\n");
    let filler: String = (0..60)
        .map(|i| format!("Paragraph {i} about training, risk and review.\n\n"))
        .collect();
    f.doc(
        "policies/a.md",
        &front("AIMS-POL-001", "policy", "approved", ""),
        &format!("# Purpose\n\n{filler}## Scope\n\n{filler}## Data handling rules\n\n{filler}The quillwort register is kept by the DPO.\n\n## Review\n\nYearly.\n"),
    );
    f.doc(
        "policies/b.md",
        &front("AIMS-POL-002", "policy", "approved", ""),
        &format!("# Other\n\n{filler}"),
    );
    f.git_init();
    f.commit("Two policies", "2026-02-01T10:00:00+00:00");
    f.build().success();

    let n = doc_number(&f, "AIMS-POL-001");
    let hits = postings(&f, "quillwort");
    assert_eq!(hits.len(), 1, "one document holds the word: {hits:?}");
    let (doc, _, section) = hits[0];
    assert_eq!(doc, n);
    let secs = sections(&f, n);
    let sec = &secs[section as usize];
    assert_eq!(sec[0], "data-handling-rules", "{sec}");
    assert_eq!(sec[1], "Data handling rules");
    assert!(
        sec[2]
            .as_str()
            .is_some_and(|t| t.contains("The quillwort register is kept by the DPO."))
    );
    // The anchor is the heading's id on the page.
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(page.contains("id=\"data-handling-rules\""), "{page:.400}");
    // Every word is indexed, however rare or short: "dpo" too, and a word of both documents.
    assert_eq!(postings(&f, "dpo").len(), 1);
    assert_eq!(postings(&f, "training").len(), 2);
}

#[test]
fn a_hostile_document_keeps_the_index_small() {
    let f = Fixture::new();
    f.write("book.toml", "[book]\ntitle = \"Search\"\n");
    // Many distinct words, then a single 1 MB word between ordinary ones.
    let huge = "x".repeat(1 << 20);
    let many: String = (0..30_000).map(|i| format!("w{i} ")).collect();
    f.doc(
        "policies/a.md",
        &front("AIMS-POL-001", "policy", "approved", ""),
        &format!("# Purpose\n\nbeforeword\n\n## Many\n\n{many}\n\n## Huge\n\n{huge} afterword\n"),
    );
    f.build().success();
    assert_eq!(postings(&f, "beforeword").len(), 1);
    let files = common::files_in(&f.path().join("public/assets"));
    let search: Vec<_> = files.iter().filter(|(p, _)| p.contains("search")).collect();
    for (path, bytes) in &search {
        assert!(bytes.len() < 400 * 1024, "{path} is {} bytes", bytes.len());
        let text = String::from_utf8_lossy(bytes);
        if path.contains("/t-") {
            assert!(
                !text.contains(&"x".repeat(41)),
                "{path} holds a term over 40 bytes"
            );
        }
    }
    let total: usize = search.iter().map(|(_, b)| b.len()).sum();
    assert!(total < 600 * 1024, "the search files take {total} bytes");
}
