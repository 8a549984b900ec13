//! `aims-site new`: a draft from the template of its type, with the next free id.

mod common;

use common::Fixture;

#[test]
fn new_documents_get_the_next_id_in_the_usual_folder_and_build() {
    let f = Fixture::new();
    f.approved("policies/a.md", "ACME-POL-004", "policy", "");
    let run = f.run(&["new", "policy", "Use of generative AI"]);
    run.success();
    assert!(
        run.stdout()
            .contains("created ACME-POL-005 as content/policies/use-of-generative-ai.md"),
        "{}",
        run.stdout()
    );
    let text = f.read("content/policies/use-of-generative-ai.md");
    assert!(
        text.contains("id: ACME-POL-005")
            && text.contains("status: draft")
            && text.contains("## Policy statements")
    );
    // A type without documents yet takes the organisation's prefix and its own folder.
    f.run(&["new", "soa", "Statement of Applicability"])
        .success()
        .stdout();
    let soa = f.read("content/statement-of-applicability/statement-of-applicability.md");
    assert!(
        soa.contains("id: ACME-SOA-001") && soa.contains("A.10.4:"),
        "{soa}"
    );
    f.run(&["build", "--drafts", "--today", "2026-12-01"])
        .success();
    assert!(f.exists("public/doc/ACME-POL-005.html") && f.exists("public/doc/ACME-SOA-001.html"));
    // Never overwrites; unknown types are refused.
    f.run(&[
        "new",
        "policy",
        "Use of generative AI",
        "--id",
        "ACME-POL-099",
    ])
    .fails_with(2)
    .stderr_has("exists already");
    f.run(&["new", "memo", "X"])
        .fails_with(2)
        .stderr_has("unknown document type `memo`");
}

#[test]
fn init_scaffolds_a_repository_that_checks_clean_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tmp");
    let home = tempfile::tempdir().expect("home");
    let run = |args: &[&str]| {
        let out = common::aims_in(dir.path(), home.path())
            .args(args)
            .output()
            .expect("run");
        assert_eq!(
            out.status.code(),
            Some(0),
            "aims-site {args:?}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let out = run(&["init", "manual"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("content/policies/ai-policy.md"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let root = dir.path().join("manual");
    assert!(root.join("book.toml").is_file());
    let soa = std::fs::read_to_string(root.join("content/soa/statement-of-applicability.md"))
        .expect("soa");
    assert_eq!(soa.matches("    applicable: true").count(), 38);
    std::fs::write(root.join("content/policies/ai-policy.md"), "mine").expect("write");
    let again = run(&["init", "manual"]);
    assert!(
        String::from_utf8_lossy(&again.stdout)
            .contains("kept    content/policies/ai-policy.md (exists)")
    );
    assert_eq!(
        std::fs::read_to_string(root.join("content/policies/ai-policy.md")).unwrap_or_default(),
        "mine"
    );
    std::fs::remove_file(root.join("content/policies/ai-policy.md")).expect("rm");
    run(&["init", "manual"]);
    assert!(
        root.join("content/policies/ai-policy.md").is_file(),
        "re-created"
    );
    let check = run(&[
        "--root",
        &root.to_string_lossy(),
        "check",
        "--format",
        "json",
    ]);
    assert!(check.status.success());
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json");
    assert_eq!(json["summary"]["errors"], 0, "{json}");
    assert_eq!(json["summary"]["documents"], 21);
    // The starter AI system is named by the starter risk register and impact assessment, which
    // are drafts still.
    let system =
        std::fs::read_to_string(root.join("content/systems/first-ai-system.md")).expect("system");
    assert!(system.contains("id: SYS-FIRST-SYSTEM\ntitle: \"First AI system\"\ntype: ai-system\n"));
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .map(|f| f.iter().filter_map(|d| d["code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        codes.iter().filter(|c| **c == "AIMS-W074").count(),
        2,
        "{json}"
    );
    assert!(!codes.contains(&"AIMS-W072"), "{json}");
}
