//! The built-in catalog of ISO/IEC 42001:2023: clauses 4–10, the Annex A objectives and
//! controls, and the documented information the standard asks for. The data lives in
//! `iso42001.toml` beside this file and is compiled into the binary.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Clause {
    pub id: String,
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

#[derive(Debug, Deserialize)]
pub struct Catalog {
    pub standard: String,
    #[serde(rename = "clause")]
    pub clauses: Vec<Clause>,
    #[serde(rename = "objective")]
    pub objectives: Vec<Objective>,
    #[serde(rename = "control")]
    pub controls: Vec<Control>,
    #[serde(rename = "required")]
    pub required: Vec<Required>,
    #[serde(skip)]
    index: HashMap<String, Item>,
}

/// What an id names in the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Clause(usize),
    Objective(usize),
    Control(usize),
}

const DATA: &str = include_str!("iso42001.toml");

/// The catalog, parsed once.
pub fn get() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        // The data is part of the binary and covered by tests; a parse failure is a build defect.
        let mut c: Catalog =
            toml::from_str(DATA).unwrap_or_else(|e| panic!("built-in catalog is invalid: {e}"));
        let mut index = HashMap::new();
        for (i, x) in c.clauses.iter().enumerate() {
            index.insert(x.id.clone(), Item::Clause(i));
        }
        for (i, x) in c.objectives.iter().enumerate() {
            index.insert(x.id.clone(), Item::Objective(i));
        }
        for (i, x) in c.controls.iter().enumerate() {
            index.insert(x.id.clone(), Item::Control(i));
        }
        c.index = index;
        c
    })
}

impl Catalog {
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
