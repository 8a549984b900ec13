//! The built-in catalogs of the standards a manual can map to: ISO/IEC 42001:2023 (clauses
//! 4–10, the Annex A objectives and controls, and the documented information the standard asks
//! for), ISO/IEC 27001:2022, ISO/IEC 27701:2019, ISO 9001:2015 and the EU AI Act. Each is a data
//! file beside this module (`iso42001.toml`, `iso27001.toml`…) compiled into the binary and parsed
//! the first time it is used, so a catalog a manual does not enable costs nothing.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

pub mod user;

#[derive(Debug, Clone, Deserialize)]
pub struct Clause {
    pub id: String,
    /// Empty for a numbered paragraph that has no heading in the standard.
    #[serde(default)]
    pub title: String,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Objective {
    pub id: String,
    pub title: String,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub objective: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Required {
    /// Stable key, named in a document's `provides:`.
    pub key: String,
    /// Document types that provide the item when they address its clause.
    pub types: Vec<crate::vocab::DocType>,
    /// A document of the (single) type provides the item without addressing the clause.
    #[serde(default, rename = "type-alone")]
    pub type_alone: bool,
    pub item: String,
    pub clause: String,
    pub confirmed: bool,
}

/// One item of documented information a standard names (other than ISO/IEC 42001, whose
/// [`Required`] items also drive readiness).
#[derive(Debug, Clone, Deserialize)]
pub struct Documented {
    pub clause: String,
    pub item: String,
    /// The standard's wording: maintain, retain, evidence…
    pub kind: String,
}

#[derive(Debug, Deserialize)]
pub struct Catalog {
    /// The name used in book.toml's `[standards]` and in a document's `standards:` map.
    pub key: String,
    pub standard: String,
    /// Whether the standard asks for a Statement of Applicability of its controls.
    #[serde(default)]
    pub soa: bool,
    /// `iso42001` for a catalog of organisation-defined controls that join the ISO/IEC 42001
    /// Statement of Applicability (a catalog of the organisation's, see [`user`]).
    #[serde(default)]
    pub extends: Option<String>,
    #[serde(default, rename = "clause")]
    pub clauses: Vec<Clause>,
    #[serde(default, rename = "objective")]
    pub objectives: Vec<Objective>,
    #[serde(default, rename = "control")]
    pub controls: Vec<Control>,
    #[serde(default, rename = "required")]
    pub required: Vec<Required>,
    #[serde(default, rename = "documented")]
    pub documented: Vec<Documented>,
    #[serde(skip)]
    index: HashMap<String, Item>,
    /// [`canonical`] form of every id → what it names.
    #[serde(skip)]
    canonical: HashMap<String, Item>,
}

/// What an id names in the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Clause(usize),
    Objective(usize),
    Control(usize),
}

/// The key of ISO/IEC 42001, the standard `clauses` and `controls` refer to.
pub const BASE: &str = "iso42001";

/// The built-in catalogs: key and data, in the order pages list them.
const BUILTIN: &[(&str, &str)] = &[
    (BASE, include_str!("iso42001.toml")),
    ("iso27001", include_str!("iso27001.toml")),
    ("iso27701", include_str!("iso27701.toml")),
    ("iso9001", include_str!("iso9001.toml")),
    ("eu-ai-act", include_str!("eu-ai-act.toml")),
];

/// The keys of the built-in catalogs, ISO/IEC 42001 first.
pub fn builtin_keys() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(k, _)| *k)
}

/// The ISO/IEC 42001 catalog, parsed once.
pub fn get() -> &'static Catalog {
    builtin(BASE).unwrap_or_else(|| unreachable!("ISO/IEC 42001 is built in"))
}

/// A built-in catalog by key, parsed the first time it is asked for.
pub fn builtin(key: &str) -> Option<&'static Catalog> {
    static CATALOGS: [OnceLock<Catalog>; BUILTIN.len()] =
        [const { OnceLock::new() }; BUILTIN.len()];
    let n = BUILTIN.iter().position(|(k, _)| *k == key)?;
    Some(CATALOGS[n].get_or_init(|| {
        // The data is part of the binary and covered by tests; a parse failure is a build defect.
        let c: Catalog = toml::from_str(BUILTIN[n].1)
            .unwrap_or_else(|e| panic!("built-in catalog {key} is invalid: {e}"));
        c.indexed()
    }))
}

/// Pairs of ids of two catalogs that correspond (a crosswalk).
#[derive(Debug, Deserialize)]
pub struct Crosswalk {
    /// Catalog keys.
    pub from: String,
    pub to: String,
    #[serde(rename = "pair")]
    pub pairs: Vec<Pair>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Pair {
    pub from: String,
    pub to: String,
    /// How the two correspond, in a few words.
    pub relationship: String,
}

/// The built-in crosswalks, parsed the first time they are asked for.
pub fn crosswalks() -> &'static [Crosswalk] {
    const DATA: &[&str] = &[
        include_str!("crosswalk-iso42001-iso27001.toml"),
        include_str!("crosswalk-iso42001-iso9001.toml"),
    ];
    static PARSED: OnceLock<Vec<Crosswalk>> = OnceLock::new();
    PARSED.get_or_init(|| {
        DATA.iter()
            .map(|d| {
                toml::from_str(d).unwrap_or_else(|e| panic!("built-in crosswalk is invalid: {e}"))
            })
            .collect()
    })
}

/// The form ids are compared in when a reference is looked up: lower case, without spaces,
/// without a dot after a word (`Art. 9`, `art 9`, `Article 9` → `art9`; `a.5.15` → `a5.15`),
/// and without a paragraph or point (`Art. 9(2)(a)` → `art9`).
pub fn canonical(raw: &str) -> String {
    let lower = raw.trim().trim_start_matches('§').to_lowercase();
    let lower = lower
        .strip_prefix("annex a")
        .map_or(lower.clone(), |r| format!("a{r}"));
    let lower = lower.replace("article", "art");
    let mut out = String::with_capacity(lower.len());
    let mut prev_alpha = false;
    for ch in lower.chars() {
        if ch == '(' {
            break;
        }
        if ch.is_whitespace() || (ch == '.' && prev_alpha) {
            continue;
        }
        prev_alpha = ch.is_alphabetic();
        out.push(ch);
    }
    out
}

impl Catalog {
    /// Builds the id lookups of a freshly read catalog.
    fn indexed(mut self) -> Catalog {
        let mut index = HashMap::new();
        for (i, x) in self.clauses.iter().enumerate() {
            index.insert(x.id.clone(), Item::Clause(i));
        }
        for (i, x) in self.objectives.iter().enumerate() {
            index.insert(x.id.clone(), Item::Objective(i));
        }
        for (i, x) in self.controls.iter().enumerate() {
            index.insert(x.id.clone(), Item::Control(i));
        }
        self.canonical = index
            .iter()
            .map(|(id, item)| (canonical(id), *item))
            .collect();
        self.index = index;
        self
    }

    /// Every id of the catalog: clauses, then objectives, then controls.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.clauses
            .iter()
            .map(|c| c.id.as_str())
            .chain(self.objectives.iter().map(|o| o.id.as_str()))
            .chain(self.controls.iter().map(|c| c.id.as_str()))
    }

    /// The catalog id a reference as written stands for (`a.5.15` → `A.5.15`, `Article 9(2)` →
    /// `Art. 9`), and what it names.
    pub fn resolve(&self, raw: &str) -> Option<(&str, Item)> {
        if let Some(item) = self.lookup(raw.trim()) {
            return Some((self.id_of(item), item));
        }
        let item = *self.canonical.get(&canonical(raw))?;
        Some((self.id_of(item), item))
    }

    /// The id of an item.
    pub fn id_of(&self, item: Item) -> &str {
        match item {
            Item::Clause(i) => &self.clauses[i].id,
            Item::Objective(i) => &self.objectives[i].id,
            Item::Control(i) => &self.controls[i].id,
        }
    }

    pub fn lookup(&self, id: &str) -> Option<Item> {
        self.index.get(id).copied()
    }

    pub fn clause(&self, id: &str) -> Option<&Clause> {
        match self.lookup(id) {
            Some(Item::Clause(i)) => self.clauses.get(i),
            _ => None,
        }
    }

    pub fn control(&self, id: &str) -> Option<&Control> {
        match self.lookup(id) {
            Some(Item::Control(i)) => self.controls.get(i),
            _ => None,
        }
    }

    pub fn required_item(&self, key: &str) -> Option<&Required> {
        self.required.iter().find(|r| r.key == key)
    }

    pub fn title(&self, id: &str) -> Option<&str> {
        match self.lookup(id)? {
            Item::Clause(i) => self.clauses.get(i).map(|c| c.title.as_str()),
            Item::Objective(i) => self.objectives.get(i).map(|c| c.title.as_str()),
            Item::Control(i) => self.controls.get(i).map(|c| c.title.as_str()),
        }
    }
}

/// Normalises a clause reference as written (`6.1.2`, `§6.1.2`, ` 6.1.2 `).
pub fn normalize_clause(raw: &str) -> String {
    raw.trim().trim_start_matches('§').trim().to_string()
}

/// Normalises a control reference as written (`A.6.2.4`, `a.6.2.4`, `A 6.2.4`, `Annex A.6.2.4`).
pub fn normalize_control(raw: &str) -> String {
    let s = raw.trim();
    let s = s
        .strip_prefix("Annex")
        .or_else(|| s.strip_prefix("annex"))
        .unwrap_or(s)
        .trim();
    let rest = s
        .strip_prefix(['A', 'a'])
        .unwrap_or(s)
        .trim_start_matches(['.', ' ']);
    let rest: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    format!("A.{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_ids() {
        let c = get();
        assert_eq!(c.clauses.len(), 43);
        assert_eq!(c.controls.len(), 38);
        assert_eq!(c.objectives.len(), 11);
        assert_eq!(c.required.len(), 20);
        let clause_ids: Vec<&str> = c.clauses.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            clause_ids,
            [
                "4", "4.1", "4.2", "4.3", "4.4", "5", "5.1", "5.2", "5.3", "6", "6.1", "6.1.1",
                "6.1.2", "6.1.3", "6.1.4", "6.2", "6.3", "7", "7.1", "7.2", "7.3", "7.4", "7.5",
                "7.5.1", "7.5.2", "7.5.3", "8", "8.1", "8.2", "8.3", "8.4", "9", "9.1", "9.2",
                "9.2.1", "9.2.2", "9.3", "9.3.1", "9.3.2", "9.3.3", "10", "10.1", "10.2"
            ]
        );
        let control_ids: Vec<&str> = c.controls.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            control_ids,
            [
                "A.2.2", "A.2.3", "A.2.4", "A.3.2", "A.3.3", "A.4.2", "A.4.3", "A.4.4", "A.4.5",
                "A.4.6", "A.5.2", "A.5.3", "A.5.4", "A.5.5", "A.6.1.2", "A.6.1.3", "A.6.2.2",
                "A.6.2.3", "A.6.2.4", "A.6.2.5", "A.6.2.6", "A.6.2.7", "A.6.2.8", "A.7.2", "A.7.3",
                "A.7.4", "A.7.5", "A.7.6", "A.8.2", "A.8.3", "A.8.4", "A.8.5", "A.9.2", "A.9.3",
                "A.9.4", "A.10.2", "A.10.3", "A.10.4"
            ]
        );
        assert_eq!(
            c.control("A.6.2.4").map(|c| c.title.as_str()),
            Some("AI system verification and validation")
        );
        for ctl in &c.controls {
            assert!(
                matches!(c.lookup(&ctl.objective), Some(Item::Objective(_))),
                "{}",
                ctl.id
            );
        }
        for cl in &c.clauses {
            if let Some(p) = &cl.parent {
                assert!(c.clause(p).is_some(), "{}", cl.id);
            }
        }
    }

    #[test]
    fn normalises_forms() {
        assert_eq!(normalize_control("a.6.2.4"), "A.6.2.4");
        assert_eq!(normalize_control("Annex A.7.4"), "A.7.4");
        assert_eq!(normalize_control("A 6.2.4"), "A.6.2.4");
        assert_eq!(normalize_clause("§ 8.4"), "8.4");
    }
}

#[cfg(test)]
mod builtin_tests {
    use super::*;

    #[test]
    fn every_builtin_parses_with_unique_ids_and_resolvable_parents() {
        for key in builtin_keys() {
            let c = builtin(key).expect("built in");
            assert_eq!(c.key, key);
            let ids: Vec<&str> = c.ids().collect();
            assert_eq!(c.index.len(), ids.len(), "{key}: duplicate id");
            assert_eq!(c.canonical.len(), ids.len(), "{key}: ids that read alike");
            for cl in &c.clauses {
                if let Some(p) = &cl.parent {
                    assert!(c.clause(p).is_some(), "{key} {}", cl.id);
                }
            }
            for ctl in &c.controls {
                assert!(
                    matches!(c.lookup(&ctl.objective), Some(Item::Objective(_))),
                    "{key} {}",
                    ctl.id
                );
            }
            for d in &c.documented {
                assert!(c.clause(&d.clause).is_some(), "{key} {}", d.clause);
            }
        }
        assert!(builtin("iso2700").is_none());
    }

    #[test]
    fn every_crosswalk_pair_names_ids_of_its_catalogs() {
        let all = crosswalks();
        assert!(!all.is_empty());
        for cw in all {
            let (from, to) = (
                builtin(&cw.from).expect("known catalog"),
                builtin(&cw.to).expect("known catalog"),
            );
            for p in &cw.pairs {
                assert!(from.clause(&p.from).is_some(), "{} {}", cw.from, p.from);
                assert!(to.clause(&p.to).is_some(), "{} {}", cw.to, p.to);
            }
        }
        let hs = &all[0];
        assert_eq!(hs.pairs.len(), 30);
        // The two clauses of ISO/IEC 42001 without a counterpart.
        assert!(
            !hs.pairs
                .iter()
                .any(|p| p.from == "6.1.4" || p.from == "8.4")
        );
    }

    /// The ISO 9001 pairs are derived from the shared structure: each pairs a clause with the
    /// same number (ISO 9001 continual improvement excepted) whose heading is the same, or the
    /// same but for the discipline (AI ↔ quality), or absent in ISO 9001 (a numbered paragraph).
    #[test]
    fn the_iso9001_crosswalk_pairs_clauses_of_the_shared_structure() {
        let qms = crosswalks()
            .iter()
            .find(|c| c.to == "iso9001")
            .expect("built in");
        let (ai, q) = (get(), builtin("iso9001").expect("built in"));
        let words = |t: &str| -> Vec<String> {
            t.to_lowercase()
                .split_whitespace()
                .filter(|w| {
                    !matches!(
                        *w,
                        "ai" | "quality"
                            | "organizational"
                            | "documented"
                            | "information"
                            | "and"
                            | "its"
                            | "processes"
                    )
                })
                .map(|w| w.replace("results", "outputs"))
                .collect()
        };
        for p in &qms.pairs {
            let (a, b) = (
                ai.title(&p.from).unwrap_or(""),
                q.title(&p.to).unwrap_or(""),
            );
            assert!(
                b.is_empty()
                    || words(a) == words(b)
                    || words(b).iter().all(|w| words(a).contains(w)),
                "{} {a} ↔ {} {b}",
                p.from,
                p.to
            );
            if p.from != "10.1" {
                assert_eq!(p.from, p.to);
            }
        }
        assert_eq!(qms.pairs.len(), 37);
        for differs in ["6.1.2", "6.1.3", "6.1.4", "8.2", "8.3", "8.4"] {
            assert!(!qms.pairs.iter().any(|p| p.from == differs), "{differs}");
        }
    }

    #[test]
    fn references_resolve_in_the_forms_people_write() {
        let act = builtin("eu-ai-act").expect("built in");
        for raw in ["Art. 9", "art 9", "Article 9", "Art. 9(2)(a)", " ART.9 "] {
            assert_eq!(act.resolve(raw).map(|r| r.0), Some("Art. 9"), "{raw}");
        }
        assert_eq!(act.resolve("Annex III").map(|r| r.0), Some("Annex III"));
        assert!(act.resolve("Art. 114").is_none());
        let isms = builtin("iso27001").expect("built in");
        assert_eq!(isms.resolve("a.5.15").map(|r| r.0), Some("A.5.15"));
        assert_eq!(isms.resolve("§ 6.1.3").map(|r| r.0), Some("6.1.3"));
        assert!(matches!(isms.resolve("A.5"), Some((_, Item::Objective(_)))));
        assert!(isms.resolve("A.5.99").is_none());
    }
}
