//! Built-in templates and theme assets, compiled into the binary, and the layers that override
//! them: a user's `templates/` file replaces the same-named template, `themes/<name>/` (set by
//! `[build] theme`) replaces templates and static files, and the built-ins fill in the rest.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};

macro_rules! builtin {
    ($dir:literal, [$($name:literal),+ $(,)?]) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $dir, "/", $name)))),+]
    };
}

/// The built-in Tera templates (the repository's `templates/`).
pub const TEMPLATES: &[(&str, &[u8])] = builtin!(
    "templates",
    [
        "base.html",
        "document.html",
        "index.html",
        "documents.html",
        "clauses.html",
        "register.html",
        "reviews.html",
        "changes.html",
        "soa.html",
        "readiness.html",
        "clause.html",
        "control_block.html",
        "print.html",
        "print_appendices.html",
        "print_part.html",
        "search.html",
        "owners.html",
        "since.html",
        "inventory.html",
        "system.html",
        "standard.html",
        "standard_soa.html",
        "pager.html",
    ]
);

/// The built-in static files (the repository's `themes/default/static/`), served under `assets/`.
pub const STATIC: &[(&str, &[u8])] = builtin!(
    "themes/default/static",
    [
        "style.css",
        "theme.js",
        "register.js",
        "search.js",
        "page.js"
    ]
);

/// Templates and static files after every override layer was applied.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Template name → (source shown in errors, text).
    pub templates: BTreeMap<String, (String, String)>,
    /// Path under `assets/` → bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Layers: built-in, then `themes/<name>/` (unless `name` is "default" and absent), then `templates/`.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let mut templates = BTreeMap::new();
        for (n, bytes) in TEMPLATES {
            templates.insert(
                (*n).to_string(),
                (
                    format!("built-in {n}"),
                    String::from_utf8_lossy(bytes).into_owned(),
                ),
            );
        }
        let mut assets: BTreeMap<String, Vec<u8>> = STATIC
            .iter()
            .map(|(n, b)| ((*n).to_string(), b.to_vec()))
            .collect();
        let theme_dir = root.join("themes").join(name);
        inside_root(root, &theme_dir)?;
        if theme_dir.is_dir() {
            read_templates(root, &theme_dir.join("templates"), &mut templates)?;
            let static_dir = theme_dir.join("static");
            inside_root(root, &static_dir)?;
            if static_dir.is_dir() {
                for entry in walkdir::WalkDir::new(&static_dir).sort_by_file_name() {
                    let entry =
                        entry.map_err(|e| Error::io("cannot read theme", &static_dir, e.into()))?;
                    if entry.file_type().is_file() {
                        let rel = crate::fs::display_rel(entry.path(), &static_dir);
                        assets.insert(rel, crate::fs::read_capped(entry.path(), MAX_STATIC)?);
                    }
                }
            }
        } else if name != "default" {
            return Err(Error::Usage(format!(
                "theme `{name}` not found: expected a folder {}",
                theme_dir.display()
            )));
        }
        read_templates(root, &root.join("templates"), &mut templates)?;
        Ok(Theme { templates, assets })
    }

    /// Whether template `name` is the built-in one (not replaced, or replaced by the same text).
    pub fn is_builtin(&self, name: &str) -> bool {
        let builtin = TEMPLATES.iter().find(|(n, _)| *n == name);
        match (self.templates.get(name), builtin) {
            (Some((_, text)), Some((_, bytes))) => text.as_bytes() == *bytes,
            _ => false,
        }
    }

    /// Compiles every template; an error names the template file.
    pub fn engine(&self) -> std::result::Result<tera::Tera, Diagnostic> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on([".html"]);
        tera.set_escape_fn(escape_html);
        // A template that includes one added after it fails until that one is added: such
        // templates are tried again while each round adds at least one more.
        let mut pending: Vec<_> = self.templates.iter().collect();
        loop {
            let mut failed = Vec::new();
            let mut first_error = None;
            for &(name, entry) in &pending {
                let (source, text) = entry;
                if let Err(e) = tera.add_raw_template(name, text) {
                    first_error.get_or_insert((source, e));
                    failed.push((name, entry));
                }
            }
            match first_error {
                None => return Ok(tera),
                Some((source, e)) if failed.len() == pending.len() => {
                    return Err(template_error(source, &e));
                }
                Some(_) => pending = failed,
            }
        }
    }
}

/// Tera's HTML escaping (the same five entities), written in runs: Tera's own writes each byte
/// separately, which made escaping a noticeable part of rendering.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    escape_runs(input, |run| {
        if result.is_ok() {
            result = out.write_all(run);
        }
    });
    result
}

/// `input` escaped as the templates escape it, appended to `out`.
pub fn escape_into(input: &str, out: &mut Vec<u8>) {
    escape_runs(input, |run| out.extend_from_slice(run));
}

/// `input` in runs of bytes: unchanged text, and the entities of `&`, `<`, `>`, `"` and `'`.
fn escape_runs(input: &str, mut emit: impl FnMut(&[u8])) {
    let bytes = input.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        emit(&bytes[last..i]);
        emit(entity);
        last = i + 1;
    }
    emit(&bytes[last..]);
}

pub fn template_error(source: &str, e: &tera::Error) -> Diagnostic {
    let mut msg = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        msg.push_str(": ");
        msg.push_str(&c.to_string());
        cause = c.source();
    }
    Diagnostic::error("AIMS-E070", format!("template error: {msg}"))
        .in_file(source)
        .help("fix the template, or remove the override to use the built-in one")
}

/// The largest template accepted, in bytes.
const MAX_TEMPLATE: u64 = 1024 * 1024;
/// The largest static file of a theme accepted, in bytes.
const MAX_STATIC: u64 = 16 * 1024 * 1024;

/// Refuses a theme or templates folder (or a link to one) that leads outside the project root.
fn inside_root(root: &Path, dir: &Path) -> Result<()> {
    if std::fs::symlink_metadata(dir).is_err() {
        return Ok(());
    }
    let real_root = crate::fs::canonicalize(root)?;
    match crate::fs::contained(&real_root, dir) {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(Error::Usage(format!(
            "{} leads outside the project root; keep templates and themes inside the project",
            dir.display()
        ))),
        Err(e) => Err(Error::io("cannot read", dir, e)),
    }
}

fn read_templates(
    root: &Path,
    dir: &Path,
    into: &mut BTreeMap<String, (String, String)>,
) -> Result<()> {
    inside_root(root, dir)?;
    if !dir.is_dir() {
        return Ok(());
    }
    // Links inside are not followed (a link is not a file here); the folder itself was checked.
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io("cannot read templates", dir, e.into()))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "html") {
            let name = crate::fs::display_rel(entry.path(), dir);
            let text = String::from_utf8(crate::fs::read_capped(entry.path(), MAX_TEMPLATE)?)
                .map_err(|_| {
                    Error::io(
                        "cannot read",
                        entry.path(),
                        std::io::Error::other("a template must be UTF-8 text"),
                    )
                })?;
            into.insert(name, (crate::fs::display_rel(entry.path(), root), text));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &str) -> Vec<String> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut names: Vec<String> = std::fs::read_dir(path)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn every_builtin_file_is_compiled_in() {
        let mut t: Vec<String> = TEMPLATES.iter().map(|(n, _)| n.to_string()).collect();
        t.sort();
        assert_eq!(t, files("templates"));
        let mut s: Vec<String> = STATIC.iter().map(|(n, _)| n.to_string()).collect();
        s.sort();
        assert_eq!(s, files("themes/default/static"));
    }

    #[test]
    fn escaping_matches_teras_own() {
        for input in [
            "",
            "plain",
            "<a href=\"x\">Tom & Jerry's</a>",
            "&&<<>>\"''",
            "é ü 日本 <",
        ] {
            let mut ours = Vec::new();
            let mut theirs = Vec::new();
            super::escape_html(input, &mut ours).expect("writes");
            tera::escape_html(input, &mut theirs).expect("writes");
            assert_eq!(ours, theirs, "{input}");
        }
    }

    #[test]
    fn builtin_templates_compile() {
        let theme = Theme::load(Path::new("/nonexistent-root"), "default").expect("theme");
        assert!(theme.engine().is_ok());
    }
}
