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
