//! Standards beside ISO/IEC 42001: `[standards]` in book.toml, the `standards:` map of a
//! document checked against each catalog, the SoA of another standard, and their pages.

mod common;

use common::{Fixture, front};

const BOOK: &str =
    "[book]\ntitle = \"Fixture manual\"\n\n[standards]\niso27001 = true\neu-ai-act = true\n";

/// A fixture with ISO/IEC 27001 and the EU AI Act enabled.
fn integrated() -> Fixture {
    let f = Fixture::new();
    f.write("book.toml", BOOK);
    f
}

/// An ISO/IEC 27001 SoA deciding every control but `except`; `excluded` are not applicable.
fn soa27001(except: &[&str], excluded: &[&str]) -> String {
    let cat = aims_site::catalog::builtin("iso27001").expect("built in");
    let mut extra = String::from("standard: iso27001\napplicability:\n");
    for c in &cat.controls {
        let id = c.id.as_str();
        if except.contains(&id) {
            continue;
        }
        let applicable = !excluded.contains(&id);
        extra.push_str(&format!(
            "  {id}: {{ applicable: {applicable}, justification: \"Why {id}.\", implementation: {} }}\n",
            if applicable { "implemented" } else { "not-implemented" }
        ));
    }
    front("ISMS-SOA-001", "soa", "approved", &extra)
}

#[test]
fn an_unknown_id_is_an_error_at_its_column_with_the_nearest_ids() {
    let f = integrated();
    f.doc("soa.md", &soa27001(&[], &[]), "SoA.\n");
    f.doc(
        "p.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "standards:\n  iso27001: [\"6.1.3\", \"A.5.99\"]\n  eu-ai-act: [\"Art. 9\", \"Art. 114\"]\n",
        ),
        "Policy.\n",
    );
    let run = f.build();
    run.fails_with(1)
        .finding("AIMS-E063", "content/p.md", 13, 23)
        .stderr_has("unknown ISO/IEC 27001:2022 id `A.5.99`")
        .stderr_has("did you mean A.5.29?")
        .finding("AIMS-E063", "content/p.md", 14, 25)
        .stderr_has("unknown EU AI Act (Regulation (EU) 2024/1689) id `Art. 114`");
}

#[test]
fn a_catalog_that_is_not_enabled_says_how_to_enable_it() {
    let f = Fixture::new();
    f.doc(
        "p.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "standards: { iso27701: [\"A.7.2.1\"], iso2701: [\"A.5.1\"], iso42001: [\"5.2\"] }\n",
        ),
        "Policy.\n",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E062", "content/p.md", 12, 14)
        .stderr_has("ISO/IEC 27701:2019 (`iso27701`) is not enabled for this manual")
        .stderr_has("add `iso27701 = true` under `[standards]` in book.toml")
        .finding("AIMS-E061", "content/p.md", 12, 37)
        .stderr_has("did you mean `iso27001`?")
        .finding("AIMS-E064", "content/p.md", 12, 57);
}

#[test]
fn iso42001_cannot_be_turned_off() {
    let f = Fixture::new();
    f.write("book.toml", "[standards]\niso42001 = false\n");
    f.build()
        .fails_with(1)
        .finding("AIMS-E065", "book.toml", 2, 1);
}

#[test]
fn references_are_normalised_to_the_catalog_ids() {
    let f = integrated();
    f.doc("soa.md", &soa27001(&[], &[]), "SoA.\n");
    f.doc(
        "p.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "standards:\n  iso27001: [\"a.5.15\", \"§ 9.2.2\"]\n  eu-ai-act: [\"Article 9(2)\", \"art 17\"]\n",
        ),
        "Policy.\n",
    );
    f.build().success();
    let page = f.read("public/doc/AIMS-POL-001.html");
    for id in ["A.5.15", "9.2.2", "Art. 9", "Art. 17"] {
        assert!(page.contains(&format!(">{id}</a>")), "{id} not on the page");
    }
}
