//! The organisation's own fields: `[fields]` in book.toml declares them with a type, `extra:`
//! gives them, and the control block and the register (CSV, JSON) show them.

mod common;

use common::{Fixture, front};

const BOOK: &str = "[book]\ntitle = \"Fixture manual\"\n\n[fields.risk_tier]\ntype = \"one-of\"\nvalues = [\"low\", \"medium\", \"high\"]\nlabel = \"Risk tier\"\n\n[fields.next_audit]\ntype = \"date\"\n\n[fields.systems]\ntype = \"list\"\n";

fn fixture(extra: &str) -> Fixture {
    let f = Fixture::new();
    f.write("book.toml", BOOK);
    f.doc(
        "p.md",
        &front("AIMS-POL-001", "policy", "approved", extra),
        "Policy.\n",
    );
    f
}

#[test]
fn declared_fields_show_in_the_control_block_and_the_register() {
    let f = fixture(
        "extra:\n  risk_tier: high\n  next_audit: 2027-03-01\n  systems: [\"=cmd\", RouteWise]\n  legacy_ref: QMS-12\n",
    );
    f.approved("q.md", "AIMS-POL-002", "policy", "Other.\n");
    f.build().success();
    let csv = f.read("public/register.csv");
    let mut lines = csv.lines();
    let header = lines.next().unwrap_or("");
    assert!(
        header.ends_with(",front_matter_changed_since_approval,next_audit,risk_tier,systems"),
        "{header}"
    );
    let row = lines.next().unwrap_or("");
    assert!(row.starts_with("AIMS-POL-001,"), "{row}");
    // A cell a spreadsheet would run is neutralised like every other cell.
    assert!(
        row.ends_with(",2027-03-01,high,\"'=cmd; RouteWise\""),
        "{row}"
    );
    assert!(lines.next().unwrap_or("").ends_with(",,,"));
    let json: serde_json::Value =
        serde_json::from_str(&f.read("public/register.json")).expect("json");
    assert_eq!(json["documents"][0]["fields"]["risk_tier"], "high");
    assert_eq!(json["documents"][0]["fields"]["systems"][0], "=cmd");
    assert!(json["documents"][0]["fields"].get("legacy_ref").is_none());
    assert!(json["documents"][1].get("fields").is_none());
    assert_eq!(json["columns"].as_array().map(Vec::len), Some(16 + 3));
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(page.contains("<dt>Risk tier</dt><dd>high</dd>"), "{page}");
    assert!(page.contains("<dt>next_audit</dt><dd>2027-03-01</dd>"));
    assert!(!page.contains("QMS-12"));
}

#[test]
fn a_declared_field_is_checked_against_its_type() {
    let f = fixture("extra:\n  risk_tier: hihg\n  next_audit: 2027-02-30\n  systems: { a: b }\n");
    f.build()
        .fails_with(1)
        .finding("AIMS-E066", "content/p.md", 13, 14)
        .stderr_has(
            "did you mean `high`? book.toml's [fields.risk_tier] accepts: low, medium, high",
        )
        .finding("AIMS-E013", "content/p.md", 14, 15)
        .finding("AIMS-E011", "content/p.md", 15, 12);
}

#[test]
fn a_one_of_field_needs_values() {
    let f = Fixture::new();
    f.write(
        "book.toml",
        "[fields.tier]\ntype = \"one-of\"\n\n[fields.Bad-Name]\ntype = \"string\"\n",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E067", "book.toml", 1, 9)
        .finding("AIMS-E067", "book.toml", 4, 9);
}

#[test]
fn without_fields_extra_stays_unchecked_and_unshown() {
    let f = Fixture::new();
    f.doc(
        "p.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "extra: [not, a, map]\n",
        ),
        "Policy.\n",
    );
    f.build().success();
    assert!(
        f.read("public/register.csv")
            .lines()
            .next()
            .unwrap_or("")
            .ends_with(",front_matter_changed_since_approval")
    );
}
