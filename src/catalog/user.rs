//! Catalogs and crosswalks an organisation keeps in its repository (`[standards] catalogs` and
//! `crosswalks` in book.toml): the same data format as the built-in catalogs, read from untrusted
//! files and checked with errors at their file, line and column. A catalog with
//! `extends = "iso42001"` holds organisation-defined controls (ISO/IEC 42001 6.1.3): its controls
//! join the ISO/IEC 42001 Statement of Applicability beside Annex A.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde::Deserialize;
use toml::Spanned;

use super::{BASE, Catalog, Clause, Control, Crosswalk, Documented, Item, Objective, Pair};
use crate::diagnostic::{Diagnostic, suggest};

/// The largest catalog or crosswalk file read, in bytes.
pub const MAX_FILE: u64 = 4 * 1024 * 1024;
/// The most ids one catalog, or pairs one crosswalk, may hold.
pub const MAX_ITEMS: usize = 20_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    key: Spanned<String>,
    standard: String,
    #[serde(default)]
    soa: Option<Spanned<bool>>,
    extends: Option<Spanned<String>>,
    #[serde(default, rename = "clause")]
    clauses: Vec<RawClause>,
    #[serde(default, rename = "objective")]
    objectives: Vec<RawObjective>,
    #[serde(default, rename = "control")]
    controls: Vec<RawControl>,
    #[serde(default, rename = "documented")]
    documented: Vec<RawDocumented>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClause {
    id: Spanned<String>,
    #[serde(default)]
    title: String,
    parent: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    id: Spanned<String>,
    title: String,
    parent: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawControl {
    id: Spanned<String>,
    title: String,
    objective: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocumented {
    clause: Spanned<String>,
    item: String,
    kind: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCrosswalk {
    from: Spanned<String>,
    to: Spanned<String>,
    #[serde(default, rename = "pair")]
    pairs: Vec<RawPair>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPair {
    from: Spanned<String>,
    to: Spanned<String>,
    #[serde(default)]
    relationship: String,
}

/// Findings about one file, collected before the first is returned.
struct Findings<'a> {
    file: &'a str,
    text: &'a str,
    code: &'static str,
    diags: Vec<Diagnostic>,
}

impl Findings<'_> {
    fn error(&mut self, span: std::ops::Range<usize>, msg: String, help: String) {
        self.diags.push(
            Diagnostic::error(self.code, msg)
                .at(self.file, self.text, span)
                .help(help),
        );
    }

    fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .bytes()
            .filter(|&b| b == b'\n')
            .count()
            + 1
    }
}

const CATALOG_HELP: &str = "a catalog file holds `key`, `standard`, optional `soa` and `extends`, and tables `[[clause]]` (id, title, parent), `[[objective]]` (id, title, parent), `[[control]]` (id, title, objective) and `[[documented]]` (clause, item, kind); see the README's \"Catalogs of your own\"";

/// A catalog file of the organisation, checked; `file` is the name shown in findings.
pub fn parse_catalog(file: &str, text: &str) -> Result<Catalog, Vec<Diagnostic>> {
    let raw: RawCatalog = toml::from_str(text).map_err(|e| {
        vec![
            Diagnostic::error(
                "AIMS-E068",
                format!("invalid catalog file: {}", e.message().trim()),
            )
            .at(file, text, e.span().unwrap_or(0..0))
            .help(CATALOG_HELP),
        ]
    })?;
    let mut f = Findings {
        file,
        text,
        code: "AIMS-E068",
        diags: Vec::new(),
    };
    check_key(&mut f, &raw);
    let total = raw.clauses.len() + raw.objectives.len() + raw.controls.len();
    if total > MAX_ITEMS {
        f.error(
            raw.key.span(),
            format!("the catalog holds {total} ids, more than the {MAX_ITEMS} accepted"),
            "split it into several catalogs".into(),
        );
        return Err(f.diags);
    }
    let seen = unique_ids(&mut f, &raw);
    check_references(&mut f, &raw, &seen);
    if !f.diags.is_empty() {
        return Err(f.diags);
    }
    let soa = raw.soa.as_ref().is_some_and(|s| *s.get_ref());
    let catalog = Catalog {
        key: raw.key.into_inner(),
        standard: raw.standard,
        soa,
        extends: raw.extends.map(Spanned::into_inner),
        clauses: raw
            .clauses
            .into_iter()
            .map(|c| Clause {
                id: c.id.into_inner(),
                title: c.title,
                parent: c.parent.map(Spanned::into_inner),
            })
            .collect(),
        objectives: raw
            .objectives
            .into_iter()
            .map(|o| Objective {
                id: o.id.into_inner(),
                title: o.title,
                parent: o.parent.map(Spanned::into_inner),
            })
            .collect(),
        controls: raw
            .controls
            .into_iter()
            .map(|c| Control {
                id: c.id.into_inner(),
                title: c.title,
                objective: c.objective.into_inner(),
            })
            .collect(),
        required: Vec::new(),
        documented: raw
            .documented
            .into_iter()
            .map(|d| Documented {
                clause: d.clause.into_inner(),
                item: d.item,
                kind: d.kind,
            })
            .collect(),
        index: HashMap::new(),
        canonical: HashMap::new(),
    };
    Ok(catalog.indexed())
}

/// The key names the catalog in book.toml and front-matter: a new name, in a plain form;
/// `extends` names ISO/IEC 42001 only, and such a catalog has no SoA of its own.
fn check_key(f: &mut Findings<'_>, raw: &RawCatalog) {
    let key = raw.key.get_ref();
    let plain = !key.is_empty()
        && key.len() <= 40
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !plain {
        f.error(
            raw.key.span(),
            format!("`{key}` is not a usable catalog key"),
            "write a short name of lower-case letters, digits and hyphens, starting with a letter, e.g. key = \"soc2\"".into(),
        );
    } else if super::builtin_keys().any(|b| b == key) {
        f.error(
            raw.key.span(),
            format!("`{key}` is the key of a built-in catalog"),
            format!("enable the built-in one with `{key} = true` under [standards], or give this catalog a name of its own"),
        );
    }
    if let Some(ext) = &raw.extends {
        if ext.get_ref() != BASE {
            f.error(
                ext.span(),
                format!("a catalog can only extend `{BASE}`, not `{}`", ext.get_ref()),
                format!("write extends = \"{BASE}\" for organisation-defined controls that join its Statement of Applicability, or remove `extends`"),
            );
        }
        if let Some(soa) = raw.soa.as_ref().filter(|s| *s.get_ref()) {
            f.error(
                soa.span(),
                "a catalog that extends ISO/IEC 42001 has no Statement of Applicability of its own"
                    .into(),
                "remove `soa = true`: its controls are decided in the ISO/IEC 42001 SoA".into(),
            );
        }
        if raw.controls.is_empty() {
            f.error(
                ext.span(),
                "a catalog that extends ISO/IEC 42001 declares no `[[control]]`".into(),
                "add the organisation's controls as `[[control]]` tables (id, title, objective)"
                    .into(),
            );
        }
    }
}

/// Every id once (as written and in the form references are compared in); an extension's ids
/// differ from ISO/IEC 42001's. Returns id → what it names.
fn unique_ids(f: &mut Findings<'_>, raw: &RawCatalog) -> HashMap<String, Item> {
    let extends = raw.extends.is_some();
    let base = super::get();
    let ids = raw
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.id, Item::Clause(i)))
        .chain(
            raw.objectives
                .iter()
                .enumerate()
                .map(|(i, o)| (&o.id, Item::Objective(i))),
        )
        .chain(
            raw.controls
                .iter()
                .enumerate()
                .map(|(i, c)| (&c.id, Item::Control(i))),
        );
    let mut seen: HashMap<String, Item> = HashMap::new();
    let mut canonical: HashMap<String, usize> = HashMap::new();
    for (id, item) in ids {
        let value = id.get_ref().trim();
        if value.is_empty() || value.len() > 64 || value.chars().any(char::is_control) {
            f.error(
                id.span(),
                "an id must be 1 to 64 printable characters".into(),
                "write the id as the standard or your control set names it, e.g. \"CC6.1\"".into(),
            );
            continue;
        }
        let norm = super::canonical(value);
        if let Some(&first) = canonical.get(&norm) {
            let line = f.line_of(first);
            f.diags.push(
                Diagnostic::error("AIMS-E069", format!("`{value}` is declared twice in this catalog"))
                    .at(f.file, f.text, id.span())
                    .note(format!("first declared on line {line}"))
                    .help("give each clause, objective and control an id of its own (ids are compared without case, spaces or a dot after a word)"),
            );
            continue;
        }
        if extends && base.resolve(value).is_some() {
            f.error(
                id.span(),
                format!("`{value}` is an id of ISO/IEC 42001, which this catalog extends"),
                "give organisation-defined controls ids of their own, e.g. a prefix of the organisation (\"CFS-1\")".into(),
            );
            continue;
        }
        canonical.insert(norm, id.span().start);
        seen.insert(value.to_string(), item);
    }
    seen
}

/// Parents name clauses (or objectives), controls name objectives, documented items name clauses.
fn check_references(f: &mut Findings<'_>, raw: &RawCatalog, seen: &HashMap<String, Item>) {
    let names = |want: fn(&Item) -> bool| -> Vec<&str> {
        seen.iter()
            .filter(|(_, i)| want(i))
            .map(|(k, _)| k.as_str())
            .collect()
    };
    let clauses = names(|i| matches!(i, Item::Clause(_)));
    let objectives = names(|i| matches!(i, Item::Objective(_)));
    let want = |f: &mut Findings<'_>, r: &Spanned<String>, pool: &[&str], what: &str| {
        if pool.contains(&r.get_ref().as_str()) {
            return;
        }
        let near = suggest(r.get_ref(), pool.iter().copied(), 3);
        let help = if near.is_empty() {
            format!("declare {what} with that id in this file first")
        } else {
            format!("did you mean {}?", near.join(", "))
        };
        f.error(
            r.span(),
            format!("`{}` is not {what} of this catalog", r.get_ref()),
            help,
        );
    };
    for c in &raw.clauses {
        if let Some(p) = &c.parent {
            want(f, p, &clauses, "a clause");
        }
    }
    for o in &raw.objectives {
        if let Some(p) = &o.parent {
            want(f, p, &objectives, "an objective");
        }
    }
    for c in &raw.controls {
        want(f, &c.objective, &objectives, "an objective");
    }
    for d in &raw.documented {
        want(f, &d.clause, &clauses, "a clause");
    }
}

/// A catalog parsed once per distinct file text and kept for the life of the process, so that
/// pages and facts can hold it as `&'static` like a built-in one. `serve` parses an edited
/// catalog again; the versions a session sees stay in memory (a few kilobytes each).
pub fn intern(file: &str, text: &str) -> Result<&'static Catalog, Vec<Diagnostic>> {
    static SEEN: OnceLock<Mutex<HashMap<(String, String), &'static Catalog>>> = OnceLock::new();
    let seen = SEEN.get_or_init(|| Mutex::new(HashMap::new()));
    let key = (file.to_string(), text.to_string());
    if let Some(c) = seen.lock().ok().and_then(|m| m.get(&key).copied()) {
        return Ok(c);
    }
    let parsed: &'static Catalog = Box::leak(Box::new(parse_catalog(file, text)?));
    if let Ok(mut m) = seen.lock() {
        m.insert(key, parsed);
    }
    Ok(parsed)
}

const CROSSWALK_HELP: &str = "a crosswalk file holds `from` and `to` (catalog keys, one of them iso42001) and `[[pair]]` tables (from, to, relationship); see the README's \"Crosswalks\"";

/// A crosswalk file of the organisation, checked against the enabled catalogs: one side is
/// ISO/IEC 42001, every pair names ids of its catalogs (nearest ids suggested).
pub fn parse_crosswalk(
    file: &str,
    text: &str,
    enabled: &[&'static Catalog],
) -> Result<Crosswalk, Vec<Diagnostic>> {
    let raw: RawCrosswalk = toml::from_str(text).map_err(|e| {
        vec![
            Diagnostic::error(
                "AIMS-E060",
                format!("invalid crosswalk file: {}", e.message().trim()),
            )
            .at(file, text, e.span().unwrap_or(0..0))
            .help(CROSSWALK_HELP),
        ]
    })?;
    let mut f = Findings {
        file,
        text,
        code: "AIMS-E060",
        diags: Vec::new(),
    };
    let catalog = |f: &mut Findings<'_>, k: &Spanned<String>| -> Option<&'static Catalog> {
        if k.get_ref() == BASE {
            return Some(super::get());
        }
        let found = enabled.iter().copied().find(|c| &c.key == k.get_ref());
        if found.is_none() {
            let keys: Vec<&str> = std::iter::once(BASE)
                .chain(enabled.iter().map(|c| c.key.as_str()))
                .collect();
            f.error(
                k.span(),
                format!("`{}` is not a catalog this manual enables", k.get_ref()),
                format!("enabled catalogs: {}", keys.join(", ")),
            );
        }
        found
    };
    let (from, to) = (catalog(&mut f, &raw.from), catalog(&mut f, &raw.to));
    if raw.from.get_ref() != BASE && raw.to.get_ref() != BASE {
        f.error(
            raw.from.span().start..raw.to.span().end,
            "a crosswalk maps to or from ISO/IEC 42001".into(),
            format!("write from = \"{BASE}\" (or to = \"{BASE}\"): its pairs are shown on the ISO/IEC 42001 pages and the other standard's"),
        );
    }
    if raw.pairs.len() > MAX_ITEMS {
        f.error(
            raw.from.span(),
            format!(
                "the crosswalk holds {} pairs, more than the {MAX_ITEMS} accepted",
                raw.pairs.len()
            ),
            "split it into several files".into(),
        );
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(f.diags);
    };
    if !f.diags.is_empty() {
        return Err(f.diags);
    }
    let mut pairs = Vec::with_capacity(raw.pairs.len());
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for p in raw.pairs {
        let a = resolve(&mut f, from, &p.from);
        let b = resolve(&mut f, to, &p.to);
        let (Some(a), Some(b)) = (a, b) else {
            continue;
        };
        if let Some(&first) = seen.get(&(a.clone(), b.clone())) {
            let line = f.line_of(first);
            f.error(
                p.from.span(),
                format!("the pair {a} – {b} is listed twice"),
                format!("keep one; the first is on line {line}"),
            );
            continue;
        }
        seen.insert((a.clone(), b.clone()), p.from.span().start);
        pairs.push(Pair {
            from: a,
            to: b,
            relationship: p.relationship.trim().to_string(),
        });
    }
    if !f.diags.is_empty() {
        return Err(f.diags);
    }
    Ok(Crosswalk {
        from: from.key.clone(),
        to: to.key.clone(),
        pairs,
    })
}

/// The catalog's id for a reference of a crosswalk pair, or an error with the nearest ids.
fn resolve(f: &mut Findings<'_>, cat: &Catalog, raw: &Spanned<String>) -> Option<String> {
    if let Some((id, item)) = cat.resolve(raw.get_ref()) {
        if matches!(item, Item::Objective(_)) {
            f.error(
                raw.span(),
                format!("`{id}` is a group of {} controls", cat.standard),
                "pair clauses or controls, not groups".into(),
            );
            return None;
        }
        return Some(id.to_string());
    }
    let near = suggest(raw.get_ref(), cat.ids(), 3);
    let help = if near.is_empty() {
        format!("name a clause or control of {}", cat.standard)
    } else {
        format!("did you mean {}?", near.join(", "))
    };
    f.error(
        raw.span(),
        format!("`{}` is not an id of {}", raw.get_ref(), cat.standard),
        help,
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOC2: &str = "key = \"soc2\"\nstandard = \"SOC 2\"\nsoa = true\n\n[[clause]]\nid = \"CC1\"\ntitle = \"Control environment\"\n\n[[objective]]\nid = \"CC6\"\ntitle = \"Logical access\"\n\n[[control]]\nid = \"CC6.1\"\ntitle = \"Access software\"\nobjective = \"CC6\"\n";

    #[test]
    fn a_well_formed_catalog_is_indexed() {
        let c = parse_catalog("standards/soc2.toml", SOC2).expect("valid");
        assert_eq!(c.key, "soc2");
        assert!(c.soa);
        assert_eq!(c.resolve("cc6.1").map(|r| r.0), Some("CC6.1"));
        assert!(matches!(c.lookup("CC6"), Some(Item::Objective(_))));
    }

    #[test]
    fn a_duplicate_id_is_reported_at_its_line() {
        let text = format!(
            "{SOC2}\n[[control]]\nid = \"cc6.1\"\ntitle = \"Again\"\nobjective = \"CC6\"\n"
        );
        let errs = parse_catalog("standards/soc2.toml", &text).expect_err("duplicate");
        assert_eq!(errs.len(), 1);
        let shown = errs[0].render(false);
        assert!(shown.contains("AIMS-E069"), "{shown}");
        assert!(shown.contains("standards/soc2.toml:19:6"), "{shown}");
        assert!(shown.contains("first declared on line 14"), "{shown}");
    }

    #[test]
    fn dangling_references_and_bad_keys_are_errors() {
        let text = SOC2
            .replace("objective = \"CC6\"", "objective = \"CC7\"")
            .replace("key = \"soc2\"", "key = \"iso27001\"");
        let errs = parse_catalog("c.toml", &text).expect_err("invalid");
        let all: String = errs.iter().map(|d| d.render(false)).collect();
        assert!(all.contains("is the key of a built-in catalog"), "{all}");
        assert!(
            all.contains("`CC7` is not an objective of this catalog"),
            "{all}"
        );
        assert!(all.contains("did you mean CC6?"), "{all}");
    }

    #[test]
    fn an_extension_of_iso42001_cannot_reuse_its_ids() {
        let text = "key = \"org\"\nstandard = \"Org controls\"\nextends = \"iso42001\"\n[[objective]]\nid = \"ORG\"\ntitle = \"Org\"\n[[control]]\nid = \"A.6.2.4\"\ntitle = \"Mine\"\nobjective = \"ORG\"\n";
        let errs = parse_catalog("c.toml", text).expect_err("clash");
        assert!(errs[0].render(false).contains("an id of ISO/IEC 42001"));
    }

    #[test]
    fn crosswalk_pairs_resolve_with_suggestions() {
        let isms = super::super::builtin("iso27001").expect("built in");
        let ok = "from = \"iso42001\"\nto = \"iso27001\"\n[[pair]]\nfrom = \"a.8.4\"\nto = \"A.5.24\"\nrelationship = \"related\"\n";
        let cw = parse_crosswalk("x.toml", ok, &[isms]).expect("valid");
        assert_eq!(cw.pairs[0].from, "A.8.4");
        let bad = ok.replace("A.5.24", "A.5.99");
        let errs = parse_crosswalk("x.toml", &bad, &[isms]).expect_err("unknown id");
        let shown = errs[0].render(false);
        assert!(
            shown.contains("x.toml:5:6") && shown.contains("did you mean"),
            "{shown}"
        );
        let off = parse_crosswalk("x.toml", ok, &[]).expect_err("not enabled");
        assert!(
            off[0]
                .render(false)
                .contains("not a catalog this manual enables")
        );
    }
}
