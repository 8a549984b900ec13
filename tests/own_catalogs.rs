//! Catalogs and crosswalks an organisation keeps in its repository (`[standards] catalogs` and
//! `crosswalks`): a control set of its own with its own pages and SoA, organisation-defined
//! controls in the ISO/IEC 42001 SoA, control-to-control crosswalks on control pages, and the
//! errors and hostile paths of those files.

mod common;

use common::{Fixture, front};

const SOC2: &str = r#"# A control set of the organisation's own choosing.
key = "soc2"
standard = "SOC 2 (2017 criteria)"
soa = true

[[clause]]
id = "CC1"
title = "Control environment"

[[objective]]
id = "CC6"
title = "Logical and physical access"

[[control]]
id = "CC6.1"
title = "Logical access security"
objective = "CC6"

[[control]]
id = "CC6.2"
title = "User registration"
objective = "CC6"
"#;

const ORG: &str = r#"key = "fixture"
standard = "Fixture Org controls"
extends = "iso42001"

[[objective]]
id = "FX"
title = "Fixture Org's own objectives"

[[control]]
id = "FX-1"
title = "Drivers consulted before a routing model changes"
objective = "FX"
"#;

/// The ISO/IEC 42001 SoA deciding every Annex A control, plus `more` entries.
fn soa42001(more: &str) -> String {
    let mut extra = String::from("applicability:\n");
    for c in &aims_site::catalog::get().controls {
        extra.push_str(&format!(
            "  {}: {{ applicable: true, justification: \"Reason.\", implementation: planned }}\n",
            c.id
        ));
    }
    extra.push_str(more);
    front("AIMS-SOA-001", "soa", "approved", &extra)
}

fn with_book(standards: &str) -> Fixture {
    let f = Fixture::new();
    f.write(
        "book.toml",
        format!("[book]\ntitle = \"Fixture manual\"\n\n[standards]\n{standards}"),
    );
    f
}

#[test]
fn a_catalog_of_the_organisation_gets_its_pages_and_soa() {
    let f = with_book("catalogs = [\"standards/soc2.toml\"]\n");
    f.write("standards/soc2.toml", SOC2);
    f.doc("soa.md", &soa42001(""), "SoA.\n");
    f.doc(
        "soc2-soa.md",
        &front(
            "SOC-SOA-001",
            "soa",
            "approved",
            "standard: soc2\napplicability:\n  CC6.1: { applicable: true, justification: \"Access.\", implementation: implemented }\n  cc6.2: { applicable: false, justification: \"No users.\", implementation: not-implemented }\n",
        ),
        "SoA.\n",
    );
    f.doc(
        "p.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "standards: { soc2: [\"cc6.1\", \"CC1\"] }\n",
        ),
        "Policy.\n",
    );
    f.build().success();
    let index = f.read("public/standards/soc2/index.html");
    assert!(index.contains("SOC 2 (2017 criteria)"), "{index}");
    assert!(index.contains("id=\"c-CC6.1\""), "{index}");
    let soa = f.read("public/standards/soc2/soa.csv");
    assert_eq!(soa.lines().count(), 3, "{soa}");
    assert!(
        soa.contains(
            "CC6.1,Logical access security,CC6,applicable,Access.,implemented,AIMS-POL-001"
        ),
        "{soa}"
    );
    assert!(
        soa.contains("CC6.2,User registration,CC6,excluded,No users."),
        "{soa}"
    );
    let doc = f.read("public/doc/AIMS-POL-001.html");
    assert!(doc.contains("standards/soc2/index.html#c-CC6.1"), "{doc}");
}

#[test]
fn a_duplicate_id_in_a_catalog_is_an_error_at_its_line() {
    let f = with_book("catalogs = [\"standards/soc2.toml\"]\n");
    f.write(
        "standards/soc2.toml",
        format!("{SOC2}\n[[control]]\nid = \"CC6.1\"\ntitle = \"Twice\"\nobjective = \"CC6\"\n"),
    );
    f.doc("soa.md", &soa42001(""), "SoA.\n");
    f.build()
        .fails_with(1)
        .finding("AIMS-E069", "standards/soc2.toml", 25, 6)
        .stderr_has("`CC6.1` is declared twice in this catalog")
        .stderr_has("first declared on line 15");
}

#[test]
fn a_broken_catalog_names_file_line_and_what_is_accepted() {
    let f = with_book("catalogs = [\"standards/soc2.toml\"]\n");
    f.write(
        "standards/soc2.toml",
        SOC2.replace(
            "objective = \"CC6\"\n\n[[control]]",
            "objective = \"CC7\"\n\n[[control]]",
        )
        .replace("soa = true", "soa = true\ncolour = \"blue\""),
    );
    f.doc("soa.md", &soa42001(""), "SoA.\n");
    f.build()
        .fails_with(1)
        .finding("AIMS-E068", "standards/soc2.toml", 5, 1)
        .stderr_has("unknown field `colour`")
        .stderr_has("a catalog file holds `key`, `standard`");
    f.write(
        "standards/soc2.toml",
        SOC2.replace(
            "objective = \"CC6\"\n\n[[control]]",
            "objective = \"CC7\"\n\n[[control]]",
        ),
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E068", "standards/soc2.toml", 17, 13)
        .stderr_has("`CC7` is not an objective of this catalog")
        .stderr_has("did you mean CC6?");
}

#[test]
fn organisation_controls_join_the_iso42001_soa() {
    let f = with_book("catalogs = [\"standards/org.toml\"]\n");
    f.write("standards/org.toml", ORG);
    // Left out of the SoA: an error naming the control.
    f.doc("soa.md", &soa42001(""), "SoA.\n");
    f.build()
        .fails_with(1)
        .stderr_has("does not list 1 Annex A or organisation-defined control(s): FX-1");
    f.doc(
        "soa.md",
        &soa42001("  fx-1: { applicable: true, justification: \"Drivers asked for it.\", implementation: implemented }\n"),
        "SoA.\n",
    );
    f.doc(
        "p.md",
        &front(
            "AIMS-PRO-001",
            "procedure",
            "approved",
            "standards: { fixture: [\"FX-1\"] }\n",
        ),
        "Consult the drivers.\n",
    );
    let run = f.build();
    run.success();
    // Implemented by a document that maps to it: no "no document lists it" warning.
    assert!(!run.stderr().contains("AIMS-W051"), "{}", run.stderr());
    let csv = f.read("public/soa.csv");
    let last = csv.lines().last().unwrap_or("");
    assert_eq!(
        last,
        "FX-1,Drivers consulted before a routing model changes,FX,applicable,Drivers asked for it.,implemented,AIMS-PRO-001,AI Governance Lead"
    );
    assert_eq!(csv.lines().count(), 1 + 38 + 1);
    let page = f.read("public/soa.html");
    assert!(
        page.contains("href=\"standards/fixture/index.html#c-FX-1\""),
        "the row links to the control's entry"
    );
    assert!(f.read("public/soa.json").contains("\"control\": \"FX-1\""));
    // An organisation control is not an Annex A control: `controls` still rejects it.
    f.doc(
        "p.md",
        &front(
            "AIMS-PRO-001",
            "procedure",
            "approved",
            "controls: [\"FX-1\"]\n",
        ),
        "Consult the drivers.\n",
    );
    f.build()
        .fails_with(1)
        .stderr_has("unknown Annex A control `FX-1`");
}

#[test]
fn an_extension_cannot_take_an_annex_a_id() {
    let f = with_book("catalogs = [\"standards/org.toml\"]\n");
    f.write("standards/org.toml", ORG.replace("FX-1", "A.6.2.4"));
    f.doc("soa.md", &soa42001(""), "SoA.\n");
    f.build()
        .fails_with(1)
        .finding("AIMS-E068", "standards/org.toml", 10, 6)
        .stderr_has("`A.6.2.4` is an id of ISO/IEC 42001, which this catalog extends");
}

const CROSSWALK: &str = r#"# Our own judgement: which controls serve each other.
from = "iso42001"
to = "iso27001"

[[pair]]
from = "A.8.4"
to = "A.5.24"
relationship = "incident communication is part of incident management"

[[pair]]
from = "A.6.2.8"
to = "A.8.15"
relationship = "event logs of AI systems"
"#;

#[test]
fn a_crosswalk_of_controls_shows_on_control_pages_and_in_the_matrix() {
    let f = with_book("iso27001 = true\ncrosswalks = [\"standards/controls.toml\"]\n");
    f.write("standards/controls.toml", CROSSWALK);
    f.doc("soa.md", &soa42001(""), "SoA.\n");
    f.build().success();
    let page = f.read("public/clause/A.8.4.html");
    let also = page
        .split("<h2>Also addresses in ISO/IEC 27001:2022</h2>")
        .nth(1)
        .expect("also addresses on the control page");
    assert!(
        also.contains("<a href=\"../standards/iso27001/index.html#c-A.5.24\">A.5.24</a> Information security incident management planning and preparation"),
        "{also}"
    );
    let csv = f.read("public/standards/iso27001/crosswalk-iso42001.csv");
    // The 30 built-in clause pairs, then the organisation's 2.
    assert_eq!(csv.lines().count(), 1 + 30 + 2, "{csv}");
    assert!(csv.contains("\r\nA.6.2.8,AI system recording of event logs,no,ISO/IEC 27001:2022 A.8.15,Logging,no,event logs of AI systems\r\n"), "{csv}");
    let index = f.read("public/standards/iso27001/index.html");
    assert!(
        index.contains("title=\"Communication of incidents\">A.8.4</a>"),
        "{index}"
    );
}

#[test]
fn a_crosswalk_with_an_unknown_id_or_catalog_is_an_error_at_its_line() {
    let f = with_book("iso27001 = true\ncrosswalks = [\"standards/controls.toml\"]\n");
    f.write(
        "standards/controls.toml",
        CROSSWALK.replace("A.5.24", "A.5.99"),
    );
    f.doc("soa.md", &soa42001(""), "SoA.\n");
    f.build()
        .fails_with(1)
        .finding("AIMS-E060", "standards/controls.toml", 7, 6)
        .stderr_has("`A.5.99` is not an id of ISO/IEC 27001:2022")
        .stderr_has("did you mean");
    let f = with_book("crosswalks = [\"standards/controls.toml\"]\n");
    f.write("standards/controls.toml", CROSSWALK);
    f.doc("soa.md", &soa42001(""), "SoA.\n");
    f.build()
        .fails_with(1)
        .finding("AIMS-E060", "standards/controls.toml", 3, 6)
        .stderr_has("`iso27001` is not a catalog this manual enables");
}

#[test]
fn catalog_files_outside_the_project_are_refused() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("soc2.toml"), SOC2).expect("write");
    let absolute = outside.path().join("soc2.toml");
    let f = with_book(&format!(
        "catalogs = [{:?}, \"standards/link.toml\"]\n",
        absolute.display().to_string()
    ));
    std::fs::create_dir_all(f.path().join("standards")).expect("mkdir");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("soc2.toml"),
        f.path().join("standards/link.toml"),
    )
    .expect("symlink");
    f.doc("soa.md", &soa42001(""), "SoA.\n");
    let run = f.build();
    run.fails_with(1)
        .finding("AIMS-E051", "book.toml", 5, 1)
        .stderr_has("(standards.catalogs) lies outside the project root");
    #[cfg(unix)]
    run.stderr_has("`standards/link.toml` (standards.catalogs) lies outside the project root");
    assert!(!f.exists("public/standards/soc2/index.html"));
}

#[test]
fn an_oversized_catalog_is_refused_without_reading_it_all() {
    let f = with_book("catalogs = [\"standards/big.toml\"]\n");
    let mut big = String::from(SOC2);
    while big.len() < 5 * 1024 * 1024 {
        big.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    f.write("standards/big.toml", big);
    f.doc("soa.md", &soa42001(""), "SoA.\n");
    f.build()
        .fails_with(1)
        .stderr_has("AIMS-E068")
        .stderr_has("larger than the 4194304-byte limit");
}

#[test]
fn the_stage_1_pack_carries_and_describes_the_organisation_s_catalog() {
    let f = with_book("catalogs = [\"standards/soc2.toml\"]\n");
    f.write(
        "standards/soc2.toml",
        SOC2.replace("soa = true", "soa = false"),
    );
    f.git_init();
    f.doc("soa.md", &soa42001(""), "SoA.\n");
    f.doc(
        "p.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "standards: { soc2: [\"CC6.1\"] }\n",
        ),
        "Policy.\n",
    );
    f.commit("Manual", "2026-01-15T10:00:00+00:00");
    f.run(&["export", "--no-pdf", "--today", "2026-12-01", "-o", "packs"])
        .success();
    let entries = common::zip_entries(&common::the_zip(&f.path().join("packs")));
    let coverage = entries
        .iter()
        .find(|(n, _)| n.ends_with("/standards/soc2/coverage.csv"))
        .map(|(_, b)| String::from_utf8_lossy(b).to_string())
        .expect("the catalog's coverage in the pack");
    assert!(
        coverage.contains("CC6.1,Logical access security,control,yes,AIMS-POL-001"),
        "{coverage}"
    );
    let readme = entries
        .iter()
        .find(|(n, _)| n.ends_with("/README.txt"))
        .map(|(_, b)| String::from_utf8_lossy(b).to_string())
        .unwrap_or_default();
    assert!(
        readme.contains("standards/soc2/    SOC 2 (2017 criteria): its coverage (coverage.csv)"),
        "{readme}"
    );
}
