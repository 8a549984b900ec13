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

#[test]
fn the_iso27001_soa_has_all_93_rows_with_its_documents() {
    let f = integrated();
    f.doc("soa.md", &soa27001(&[], &["A.7.4"]), "SoA.\n");
    f.doc(
        "p.md",
        &front(
            "AIMS-PRO-001",
            "procedure",
            "approved",
            "clauses: [\"7.5\"]\nstandards: { iso27001: [\"7.5.3\", \"A.5.37\"], eu-ai-act: [\"Art. 17\"] }\n",
        ),
        "Document control.\n",
    );
    f.build().success();
    let csv = f.read("public/standards/iso27001/soa.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 93, "{csv}");
    assert_eq!(
        lines[0],
        "control,title,objective,applicability,justification,implementation,implementing_documents,owners"
    );
    assert!(
        lines.contains(
            &"A.5.37,Documented operating procedures,A.5,applicable,Why A.5.37.,implemented,AIMS-PRO-001,AI Governance Lead"
        ),
        "{csv}"
    );
    assert!(
        lines.contains(
            &"A.7.4,Physical security monitoring,A.7,excluded,Why A.7.4.,not-implemented,,"
        )
    );
    let json: serde_json::Value =
        serde_json::from_str(&f.read("public/standards/iso27001/soa.json")).expect("json");
    assert_eq!(json["document"], "ISMS-SOA-001");
    assert_eq!(json["controls"].as_array().map(Vec::len), Some(93));
    let page = f.read("public/standards/iso27001/soa.html");
    assert!(page.contains("92 applicable, 1 excluded"), "{page}");
    // The SoA of ISO/IEC 27001 is not ISO/IEC 42001's: that one is still missing.
    assert!(
        f.read("public/soa.html")
            .contains("<strong>Missing:</strong>")
    );
    // The clause index: the mapped clause and its parents are covered, crosswalks aside.
    let index = f.read("public/standards/iso27001/index.html");
    let entry = index.split("id=\"c-7.5.3\"").nth(1).unwrap_or("");
    assert!(
        entry
            .split("</li>")
            .next()
            .unwrap_or("")
            .contains("AIMS-PRO-001"),
        "{entry}"
    );
    assert!(!index.contains("id=\"c-7.5\" class=\"clause depth-1 uncovered\""));
    assert!(index.contains("id=\"c-7.4\" class=\"clause depth-1 uncovered\""));
    let coverage = f.read("public/standards/iso27001/coverage.csv");
    assert!(
        coverage
            .contains("\r\n7.5.3,Control of documented information,clause,yes,AIMS-PRO-001\r\n")
    );
    assert!(coverage.contains("\r\n7.5.2,Creating and updating,clause,no,\r\n"));
    // ISO/IEC 42001 7.5 is declared; ISO/IEC 27001 7.5.3 does not make 42001's 7.5.3 covered.
    let clauses = f.read("public/clauses.html");
    assert!(clauses.contains("id=\"c-7.5.3\" class=\"clause depth-2 uncovered\""));
    // The document page and the home page show the standards.
    let doc = f.read("public/doc/AIMS-PRO-001.html");
    assert!(doc.contains("<dt>ISO/IEC 27001:2022</dt>"), "{doc}");
    assert!(doc.contains("href=\"../standards/eu-ai-act/index.html#c-Art.-17\""));
    let home = f.read("public/index.html");
    assert!(home.contains("href=\"standards/iso27001/index.html\">ISO/IEC 27001:2022</a>"));
    // print.html carries an appendix per enabled standard.
    let print = f.read("public/print.html");
    assert!(print.contains("<li><a href=\"#appendix-iso27001\">ISO/IEC 27001:2022</a></li>"));
    let appendix = print
        .split("id=\"appendix-iso27001\"")
        .nth(1)
        .expect("the ISO/IEC 27001 appendix");
    assert!(
        appendix
            .contains("<th scope=\"row\">A.7.4 Physical security monitoring</th><td>excluded</td>")
    );
    assert!(appendix.contains(
        "<th scope=\"row\">7.5.3 Control of documented information</th><td>AIMS-PRO-001</td>"
    ));
    assert!(print.contains("id=\"appendix-eu-ai-act\""));
    assert!(f.exists("public/standards/eu-ai-act/index.html"));
    assert!(!f.exists("public/standards/eu-ai-act/soa.html"));
    assert!(!f.exists("public/standards/iso9001"));
}

#[test]
fn the_soa_of_another_standard_is_checked() {
    let f = integrated();
    f.write("book.toml", format!("{BOOK}iso9001 = true\n"));
    // Missing A.5.1, A.8.34 and a clause given as a control.
    let soa = soa27001(&["A.5.1", "A.8.34"], &["A.6.3"]).replace(
        "applicability:\n",
        "applicability:\n  6.1.3: { applicable: true, justification: x }\n",
    );
    f.doc("soa.md", &soa, "SoA.\n");
    f.doc(
        "soa2.md",
        &front("ISMS-SOA-002", "soa", "approved", "standard: iso9001\n"),
        "Not a 9001 SoA.\n",
    );
    f.doc(
        "p.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "standard: iso27001\nstandards: { iso27001: [\"A.6.3\"] }\n",
        ),
        "Policy.\n",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E024", "content/soa.md", 13, 0)
        .stderr_has("the Statement of Applicability of ISO/IEC 27001:2022 does not list 2 control(s): A.5.1, A.8.34")
        .finding("AIMS-E063", "content/soa.md", 14, 3)
        .stderr_has("`6.1.3` is a clause of ISO/IEC 27001:2022, not a control")
        .finding("AIMS-E064", "content/soa2.md", 12, 11)
        .finding("AIMS-W003", "content/p.md", 12, 1)
        .finding("AIMS-W063", "content/p.md", 13, 25);
}

#[test]
fn a_standard_with_an_soa_warns_when_it_has_none_or_two() {
    let f = integrated();
    f.approved("p.md", "AIMS-POL-001", "policy", "Policy.\n");
    f.build().success().stderr_has(
        "warning[AIMS-W061]: there is no Statement of Applicability for ISO/IEC 27001:2022",
    );
    f.doc("soa.md", &soa27001(&[], &[]), "SoA.\n");
    f.doc(
        "soa2.md",
        &soa27001(&[], &[]).replace("ISMS-SOA-001", "ISMS-SOA-002"),
        "SoA.\n",
    );
    f.build()
        .success()
        .finding("AIMS-W062", "content/soa2.md", 2, 5);
}

/// Output files and findings of a build, with the output folder's name taken out.
fn output(f: &Fixture) -> (Vec<(String, Vec<u8>)>, String) {
    let run = f.build();
    run.success();
    let stderr = run.stderr();
    let findings = stderr
        .lines()
        .filter(|l| !l.starts_with("built "))
        .collect::<Vec<_>>()
        .join("\n");
    (f.tree("public"), findings)
}

#[test]
fn standards_that_are_off_change_nothing_in_a_42001_manual() {
    let f = common::repo_with_policy();
    let before = output(&f);
    f.write(
        "book.toml",
        format!(
            "{}\n[standards]\niso42001 = true\niso27001 = false\neu-ai-act = false\n",
            f.read("book.toml")
        ),
    );
    let after = output(&f);
    assert_eq!(before.1, after.1, "the findings differ");
    assert_eq!(before.0.len(), after.0.len());
    for (a, b) in before.0.iter().zip(&after.0) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs", a.0);
    }
    assert!(!f.exists("public/standards"));
}

#[test]
fn an_unknown_field_suggests_the_field_other_tools_meant() {
    let f = Fixture::new();
    f.doc(
        "p.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "name: x\napproved_on: 2026-01-15\nnext_review: 2027-01-15\niso27001: [A.5.1]\ntitel: y\n",
        ),
        "Policy.\n",
    );
    let run = f.build();
    run.success();
    let stderr = run.stderr();
    let helps: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("= help: did you mean"))
        .map(|l| l.split('`').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        helps,
        [
            "title",
            "approval.date",
            "review_date",
            "standards",
            "title"
        ],
        "{stderr}"
    );
}

#[test]
fn a_crosswalk_informs_the_clause_pages_and_never_covers() {
    let f = integrated();
    f.doc("soa.md", &soa27001(&[], &[]), "SoA.\n");
    f.doc(
        "p.md",
        &front(
            "AIMS-PRO-001",
            "procedure",
            "approved",
            "clauses: [\"9.2.2\"]\nstandards: { iso27001: [\"7.5.3\"] }\n",
        ),
        "Document control.\n",
    );
    f.build().success();
    let page = f.read("public/clause/7.5.3.html");
    let also = page
        .split("<h2>Also addresses in ISO/IEC 27001:2022</h2>")
        .nth(1)
        .expect("the crosswalk on the clause page");
    assert!(
        also.split("<h2>").next().unwrap_or("").contains(
            "<a href=\"../standards/iso27001/index.html#c-7.5.3\">7.5.3</a> Control of documented information"
        ),
        "{also}"
    );
    // Mapped to ISO/IEC 27001 7.5.3 only: ISO/IEC 42001 7.5.3 stays unaddressed.
    assert!(page.contains("<strong>Not addressed:</strong>"));
    assert!(
        !f.read("public/clause/6.1.4.html")
            .contains("Also addresses")
    );
    let csv = f.read("public/standards/iso27001/crosswalk-iso42001.csv");
    assert!(csv.starts_with(
        "iso42001,iso42001_title,iso42001_covered,other,other_title,other_covered,relationship\r\n"
    ));
    assert_eq!(csv.lines().count(), 31, "{csv}");
    assert!(csv.contains(
        "\r\n7.5.3,Control of documented information,no,ISO/IEC 27001:2022 7.5.3,Control of documented information,yes,common text\r\n"
    ), "{csv}");
    assert!(csv.contains("\r\n9.2.2,Internal audit programme,yes,ISO/IEC 27001:2022 9.2.2,Internal audit programme,no,"));
    let index = f.read("public/standards/iso27001/index.html");
    assert!(index.contains(
        "Also in ISO/IEC 42001: <a href=\"../../clause/6.1.3.html\" title=\"AI risk treatment\">6.1.3</a>"
    ));
}

#[test]
fn the_stage_1_pack_carries_each_standard_s_soa_and_coverage() {
    let f = integrated();
    f.git_init();
    f.doc("soa.md", &soa27001(&[], &[]), "SoA.\n");
    f.approved("p.md", "AIMS-POL-001", "policy", "Policy.\n");
    f.commit("Manual", "2026-01-15T10:00:00+00:00");
    f.run(&["export", "--no-pdf", "--today", "2026-12-01", "-o", "packs"])
        .success();
    let entries = common::zip_entries(&common::the_zip(&f.path().join("packs")));
    let names: Vec<&str> = entries
        .iter()
        .map(|(n, _)| n.split_once('/').map_or(n.as_str(), |(_, rest)| rest))
        .collect();
    for want in [
        "standards/iso27001/soa.csv",
        "standards/iso27001/soa.json",
        "standards/iso27001/coverage.csv",
        "standards/iso27001/crosswalk-iso42001.csv",
        "standards/eu-ai-act/coverage.csv",
    ] {
        assert!(names.contains(&want), "{want} not in {names:?}");
    }
    let readme = entries
        .iter()
        .find(|(n, _)| n.ends_with("/README.txt"))
        .map(|(_, b)| String::from_utf8_lossy(b).to_string())
        .unwrap_or_default();
    assert!(
        readme.contains("standards/iso27001/ ISO/IEC 27001:2022: its Statement of Applicability")
    );
}
