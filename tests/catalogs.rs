//! The built-in catalogs against the reference files they were compiled from
//! (`tests/reference/*.yaml`, identifiers and short titles with their sources in SOURCES.md):
//! every count, and every id and title of the reference found in the catalog unchanged.

use aims_site::catalog::{self, Catalog, Item};
use aims_site::model::yaml::{self, Kind, Node};

fn reference(name: &str) -> Node {
    let path = format!("{}/tests/reference/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    yaml::parse(&text, 0)
        .unwrap_or_else(|e| panic!("{path}: {}", e.message))
        .unwrap_or_else(|| panic!("{path} is empty"))
}

fn get<'a>(node: &'a Node, key: &str) -> &'a Node {
    match &node.kind {
        Kind::Map(items) => items
            .iter()
            .find(|(k, _)| k.as_scalar() == Some(key))
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no `{key}`")),
        _ => panic!("`{key}`: not a mapping"),
    }
}

fn field<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    match &node.kind {
        Kind::Map(items) => items
            .iter()
            .find(|(k, _)| k.as_scalar() == Some(key))
            .and_then(|(_, v)| v.as_scalar())
            .filter(|_| !items.is_empty()),
        _ => None,
    }
}

fn seq(node: &Node) -> &[Node] {
    match &node.kind {
        Kind::Seq(items) => items,
        _ => panic!("not a list"),
    }
}

fn count(node: &Node, key: &str) -> usize {
    get(node, key)
        .as_scalar()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("`{key}` is not a number"))
}

/// Every `{id, title}` of `items` is in the catalog under that id with that title (a null
/// title is a paragraph without a heading: empty in the catalog); returns how many.
fn same_ids_and_titles(cat: &Catalog, items: &[Node], expect: fn(Item) -> bool) -> usize {
    for item in items {
        let id = field(item, "id").expect("an id");
        let found = cat
            .lookup(id)
            .unwrap_or_else(|| panic!("{}: {id} is missing", cat.key));
        assert!(
            expect(found),
            "{}: {id} is the wrong kind: {found:?}",
            cat.key
        );
        let title = get(item, "title");
        let want = if title.is_null() {
            ""
        } else {
            title.as_scalar().expect("a title")
        };
        assert_eq!(cat.title(id), Some(want), "{}: title of {id}", cat.key);
    }
    items.len()
}

fn is_clause(i: Item) -> bool {
    matches!(i, Item::Clause(_))
}
fn is_objective(i: Item) -> bool {
    matches!(i, Item::Objective(_))
}
fn is_control(i: Item) -> bool {
    matches!(i, Item::Control(_))
}

fn documented_matches(cat: &Catalog, items: &[Node]) {
    assert_eq!(cat.documented.len(), items.len(), "{}", cat.key);
    for (d, r) in cat.documented.iter().zip(items) {
        assert_eq!(Some(d.clause.as_str()), field(r, "clause"));
        assert_eq!(Some(d.item.as_str()), field(r, "name"));
        assert_eq!(Some(d.kind.as_str()), field(r, "kind"));
    }
}

#[test]
fn iso27001_matches_its_reference() {
    let r = reference("iso27001-2022.yaml");
    let cat = catalog::builtin("iso27001").expect("built in");
    assert_eq!(cat.standard, "ISO/IEC 27001:2022");
    assert!(cat.soa, "ISO/IEC 27001 has a Statement of Applicability");
    let counts = get(&r, "counts");
    let clauses = seq(get(&r, "clauses"));
    assert_eq!(clauses.len(), count(counts, "clause_entries_total"));
    assert_eq!(same_ids_and_titles(cat, clauses, is_clause), 41);
    assert_eq!(cat.clauses.len(), 41);
    assert_eq!(
        cat.clauses.iter().filter(|c| c.parent.is_none()).count(),
        count(counts, "top_level_clauses")
    );
    let annex = get(&r, "annex_a");
    let themes = seq(get(annex, "themes"));
    assert_eq!(same_ids_and_titles(cat, themes, is_objective), 4);
    assert_eq!(cat.objectives.len(), count(counts, "annex_a_themes"));
    let controls = seq(get(annex, "controls"));
    assert_eq!(same_ids_and_titles(cat, controls, is_control), 93);
    assert_eq!(cat.controls.len(), count(counts, "annex_a_controls"));
    for (theme, n) in [("A.5", 37), ("A.6", 8), ("A.7", 14), ("A.8", 34)] {
        let in_theme = cat.controls.iter().filter(|c| c.objective == theme).count();
        assert_eq!(in_theme, n, "{theme}");
        assert_eq!(
            in_theme,
            count(get(counts, "annex_a_controls_by_theme"), theme)
        );
    }
    // A sample, written out: the headings SOURCES.md corrected and a few others.
    for (id, title) in [
        ("6.1.2", "Information security risk assessment"),
        ("6.3", "Planning of changes"),
        ("7.5.2", "Creating and updating"),
        ("8", "Operation"),
        ("A.5", "Organizational controls"),
        ("A.5.15", "Access control"),
        ("A.5.23", "Information security for use of cloud services"),
        ("A.8.1", "User endpoint devices"),
        (
            "A.8.34",
            "Protection of information systems during audit testing",
        ),
    ] {
        assert_eq!(cat.title(id), Some(title), "{id}");
    }
    documented_matches(cat, seq(get(&r, "documented_information")));
    assert_eq!(
        cat.documented.len(),
        count(counts, "documented_information_entries")
    );
}

#[test]
fn iso27701_matches_its_reference() {
    let r = reference("iso27701-2019.yaml");
    let cat = catalog::builtin("iso27701").expect("built in");
    assert_eq!(cat.standard, "ISO/IEC 27701:2019");
    let counts = get(&r, "counts");
    let clauses = seq(get(&r, "clauses"));
    assert_eq!(same_ids_and_titles(cat, clauses, is_clause), 268);
    assert_eq!(cat.clauses.len(), count(counts, "clause_entries_total"));
    let mut objectives = 0;
    let mut controls = 0;
    for (annex, prefix) in [("annex_a", "annex_a"), ("annex_b", "annex_b")] {
        let a = get(&r, annex);
        let o = same_ids_and_titles(cat, seq(get(a, "objectives")), is_objective);
        let c = same_ids_and_titles(cat, seq(get(a, "controls")), is_control);
        assert_eq!(o, count(counts, &format!("{prefix}_objectives")));
        assert_eq!(c, count(counts, &format!("{prefix}_controls")));
        objectives += o;
        controls += c;
    }
    assert_eq!((objectives, controls), (8, 49));
    assert_eq!(cat.objectives.len(), 8);
    assert_eq!(cat.controls.len(), 49);
    for (id, title) in [
        ("A.7.2.1", "Identify and document purpose"),
        ("B.8.5.8", "Change of subcontractor to process PII"),
    ] {
        assert_eq!(cat.title(id), Some(title), "{id}");
    }
}

#[test]
fn iso9001_matches_its_reference() {
    let r = reference("iso9001-2015.yaml");
    let cat = catalog::builtin("iso9001").expect("built in");
    assert_eq!(cat.standard, "ISO 9001:2015");
    assert!(!cat.soa && cat.controls.is_empty());
    let counts = get(&r, "counts");
    let clauses = seq(get(&r, "clauses"));
    assert_eq!(same_ids_and_titles(cat, clauses, is_clause), 91);
    assert_eq!(cat.clauses.len(), count(counts, "clause_entries_total"));
    assert_eq!(
        cat.clauses.iter().filter(|c| c.title.is_empty()).count(),
        count(counts, "untitled_numbered_paragraphs")
    );
    for (top, n) in [
        ("4", 7),
        ("5", 8),
        ("6", 8),
        ("7", 19),
        ("8", 31),
        ("9", 12),
        ("10", 6),
    ] {
        let under = cat
            .clauses
            .iter()
            .filter(|c| c.id == top || c.id.starts_with(&format!("{top}.")))
            .count();
        assert_eq!(under, n, "clause {top}");
    }
    assert_eq!(
        cat.title("8.5.1"),
        Some("Control of production and service provision")
    );
    documented_matches(cat, seq(get(&r, "documented_information")));
    assert_eq!(
        cat.documented.len(),
        count(counts, "documented_information_entries")
    );
}

#[test]
fn eu_ai_act_matches_its_reference() {
    let r = reference("eu-ai-act.yaml");
    let cat = catalog::builtin("eu-ai-act").expect("built in");
    let counts = get(&r, "counts");
    let chapters = seq(get(&r, "chapters"));
    assert_eq!(
        same_ids_and_titles(cat, chapters, is_clause),
        count(counts, "chapters")
    );
    let sections: Vec<Node> = chapters
        .iter()
        .filter_map(|c| match &c.kind {
            Kind::Map(items) => items
                .iter()
                .find(|(k, _)| k.as_scalar() == Some("sections")),
            _ => None,
        })
        .flat_map(|(_, s)| seq(s).to_vec())
        .collect();
    assert_eq!(
        same_ids_and_titles(cat, &sections, is_clause),
        count(counts, "sections")
    );
    let articles = seq(get(&r, "articles"));
    assert_eq!(same_ids_and_titles(cat, articles, is_clause), 113);
    assert_eq!(articles.len(), count(counts, "articles"));
    let annexes = seq(get(&r, "annexes"));
    assert_eq!(
        same_ids_and_titles(cat, annexes, is_clause),
        count(counts, "annexes")
    );
    assert_eq!(cat.clauses.len(), 13 + 16 + 113 + 13);
    // Every article sits under its section, or its chapter when it has none.
    for a in articles {
        let id = field(a, "id").expect("id");
        let parent = field(a, "section").or(field(a, "chapter"));
        assert_eq!(
            cat.clause(id).and_then(|c| c.parent.as_deref()),
            parent,
            "{id}"
        );
    }
    assert_eq!(cat.title("Art. 9"), Some("Risk management system"));
    assert_eq!(cat.title("Art. 17"), Some("Quality management system"));
    assert_eq!(
        cat.title("Annex III"),
        Some("High-risk AI systems referred to in Article 6(2)")
    );
}

#[test]
fn iso42001_matches_its_reference() {
    let r = reference("iso42001.yaml");
    let cat = catalog::get();
    let clauses = seq(get(&r, "clauses"));
    assert_eq!(
        same_ids_and_titles(cat, clauses, is_clause),
        cat.clauses.len()
    );
    let annex = get(&r, "annex_a");
    let controls = seq(get(annex, "controls"));
    assert_eq!(
        same_ids_and_titles(cat, controls, is_control),
        cat.controls.len()
    );
    assert_eq!(count(annex, "total_controls"), 38);
}

#[test]
fn the_built_in_crosswalk_matches_its_reference() {
    let r = reference("crosswalk-42001-27001.yaml");
    let hs = get(&r, "harmonized_structure");
    let pairs = seq(get(hs, "pairs"));
    assert_eq!(pairs.len(), count(get(hs, "counts"), "same_id_pairs"));
    let cw = catalog::crosswalks()
        .iter()
        .find(|c| c.from == "iso42001" && c.to == "iso27001")
        .expect("built in");
    let got: Vec<(&str, &str)> = cw
        .pairs
        .iter()
        .map(|p| (p.from.as_str(), p.to.as_str()))
        .collect();
    let want: Vec<(&str, &str)> = pairs
        .iter()
        .map(|p| {
            (
                field(p, "iso42001").expect("id"),
                field(p, "iso27001").expect("id"),
            )
        })
        .collect();
    assert_eq!(got, want);
    for only in seq(get(hs, "iso42001_only")) {
        let id = field(only, "iso42001").expect("id");
        assert!(!cw.pairs.iter().any(|p| p.from == id), "{id}");
    }
}
