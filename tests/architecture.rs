//! The dependency order of the library's modules, enforced: every `crate::` path under src/ is
//! read, and a module that names one of a higher layer (or of its own layer) fails the test.
//! Zola gets this from Cargo (one crate per component); in one crate, this test does the job.

use std::collections::BTreeMap;
use std::path::Path;

/// The layers, lowest first. A module may use modules of lower layers only; modules of the same
/// layer are independent of one another.
///
/// - the foundation: vocabulary, findings, errors, filesystem and cache helpers, the standards'
///   catalog, book.toml, the theme's files and Git history — used by every stage;
/// - the pipeline stages in their order: load → model → markdown (the scan of a body, used by
///   link and render) → link (every derived fact) → render (projects facts into pages; writes
///   no files) → output (the output folder; it implements render's sinks) → print (writes the
///   print page, whole or in parts, into the output folder: render's print sink);
/// - `import` (bringing an existing manual in) reads files with load and model only, so it sits
///   beside markdown: no stage uses it, and it uses no later stage;
/// - the drivers: site runs the stages; export, watch and serve build on site; cli defines the
///   arguments and cmd, one file per subcommand, sits on top.
const LAYERS: &[&[&str]] = &[
    &["vocab", "diagnostic", "cache"],
    &["error"],
    &["fs", "catalog", "config"],
    &["theme", "git"],
    &["load"],
    &["model"],
    &["markdown", "import"],
    &["link"],
    &["render"],
    &["output"],
    &["print"],
    &["site"],
    &["export", "watch"],
    &["serve"],
    &["cli"],
    &["cmd"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The top-level modules a piece of Rust source names through `crate::` paths, grouped
/// imports (`crate::{a, b::c}`) included; comments are skipped.
fn crate_paths(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `aims_crate::` or the like
            }
            if rest.starts_with('{') {
                // Grouped: the group may span lines, so read from the whole source.
                let start = source.lines().take(n).map(|l| l.len() + 1).sum::<usize>()
                    + (line.len() - rest.len())
                    + 1;
                let text = &source[start..];
                let mut depth = 1;
                let mut item = String::new();
                let mut items = Vec::new();
                for c in text.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        ',' if depth == 1 => items.push(std::mem::take(&mut item)),
                        _ if depth == 1 => item.push(c),
                        _ => {}
                    }
                }
                items.push(item);
                for item in items {
                    let name = leading_ident(item.trim());
                    if !name.is_empty() {
                        found.push((n + 1, name));
                    }
                }
            } else {
                let name = leading_ident(rest);
                if !name.is_empty() {
                    found.push((n + 1, name));
                }
            }
        }
    }
    found
}

fn leading_ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Every .rs file below `dir`.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("src/ is readable").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_imports_a_later_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut checked = 0;
    for file in &files {
        let rel = file.strip_prefix(&src).expect("below src/");
        let first = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .expect("a file name");
        let module = first.trim_end_matches(".rs");
        // lib.rs declares the modules; main.rs is the binary, above everything.
        if module == "lib" || module == "main" {
            continue;
        }
        let shown = rel.display().to_string();
        let Some(own) = layer_of(module) else {
            problems
                .entry(shown)
                .or_default()
                .push(format!("module `{module}` has no layer in LAYERS"));
            continue;
        };
        let source = std::fs::read_to_string(file).expect("source is readable");
        for (line, target) in crate_paths(&source) {
            checked += 1;
            if target == module {
                continue;
            }
            match layer_of(&target) {
                Some(l) if l < own => {}
                Some(l) => problems.entry(shown.clone()).or_default().push(format!(
                    "line {line}: `{module}` (layer {own}) uses `crate::{target}` (layer {l})"
                )),
                None => problems.entry(shown.clone()).or_default().push(format!(
                    "line {line}: `crate::{target}` has no layer in LAYERS"
                )),
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} crate:: paths found; is the reader broken?"
    );
    let report: Vec<String> = problems
        .iter()
        .map(|(file, p)| format!("{file}:\n  {}", p.join("\n  ")))
        .collect();
    assert!(
        problems.is_empty(),
        "imports against the layer order (see LAYERS in tests/architecture.rs):\n{}",
        report.join("\n")
    );
}

/// Inside render, the same rule between its files: the shared context at the bottom, the page
/// modules above it, `render_all` (pages.rs) on top. No file names one above it.
const RENDER_LAYERS: &[&[&str]] = &[
    &["highlight", "markdown", "search", "approval", "paging"],
    &["context"],
    &["chrome", "standard_refs"],
    &["doc_page"],
    &["document", "registers"],
    &["standard_pages", "pack", "systems"],
    &["lists", "standards"],
    &["print"],
    &["pages"],
];

/// The sibling modules a piece of render's source names through `super::` paths.
fn super_paths(source: &str) -> Vec<(usize, String)> {
    // The crate's own paths are hidden first; then `super::` reads as `crate::` did.
    let rewritten = source
        .replace("crate::", "outside::")
        .replace("super::", "crate::");
    crate_paths(&rewritten)
}

#[test]
fn render_has_no_import_cycle() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render");
    let layer = |m: &str| RENDER_LAYERS.iter().position(|l| l.contains(&m));
    let mut problems = Vec::new();
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    for file in files {
        let name = file
            .file_stem()
            .and_then(|n| n.to_str())
            .expect("a file name")
            .to_string();
        if name == "mod" {
            continue;
        }
        let Some(own) = layer(&name) else {
            problems.push(format!("render/{name}.rs has no layer in RENDER_LAYERS"));
            continue;
        };
        let source = std::fs::read_to_string(&file).expect("source is readable");
        // A file's own tests (`use super::*`) name the file itself.
        let code = source.split("#[cfg(test)]").next().unwrap_or("");
        for (line, target) in super_paths(code) {
            match layer(&target) {
                Some(l) if l < own => {}
                Some(l) => problems.push(format!(
                    "render/{name}.rs line {line}: `{name}` (layer {own}) uses `super::{target}` (layer {l})"
                )),
                None => problems.push(format!(
                    "render/{name}.rs line {line}: `super::{target}` has no layer in RENDER_LAYERS"
                )),
            }
        }
    }
    assert!(
        problems.is_empty(),
        "imports against render's order (see RENDER_LAYERS in tests/architecture.rs):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_reader_finds_plain_grouped_and_nested_paths() {
    let source = "use crate::link::{self, Manual};\nuse crate::{load,\n    output::Staging, theme};\nlet x = crate::render::pages::nav(); // crate::site\n/// [`crate::cmd`]\n";
    let names: Vec<String> = crate_paths(source).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["link", "load", "output", "theme", "render"]);
}
