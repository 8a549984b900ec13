//! Snapshots where the HTML's shape matters: the document-control block and rewritten links.

mod common;

use common::{Fixture, front};

fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let s = page
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in page"));
    let e = page[s..]
        .find(end)
        .map_or(page.len(), |e| s + e + end.len());
    &page[s..e]
}

fn fixture() -> Fixture {
    let f = Fixture::new();
    f.doc(
        "policies/ai-policy.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "clauses: [\"5.2\", \"6.2\"]\ncontrols: [A.2.2]\nclassification: public\nretention: 3 years after withdrawal\nrelated: [AIMS-PRO-001]\nsupersedes: AIMS-POL-000\n",
        )
        .replace("version: \"1.0\"", "version: 1.10"),
        "# Purpose\n\nThe [risk procedure](../procedures/risk.md#2-steps), [[AIMS-PRO-001]], [[AIMS-PRO-001|its steps]],\n[an external site](https://example.org/x), clause 6.1.2, § 8.4, Annex A.7.4 and `A.6.2.4` in code.\n",
    );
    f.approved(
        "procedures/risk.md",
        "AIMS-PRO-001",
        "procedure",
        "# 1. Scope\n\n# 2. Steps\n",
    );
    f.doc(
        "old/policy.md",
        &front("AIMS-POL-000", "policy", "withdrawn", ""),
        "Old.\n",
    );
    f
}

#[test]
fn control_block() {
    let f = fixture();
    f.build().success();
    let page = f.read("public/doc/AIMS-POL-001.html");
    insta::assert_snapshot!(between(
        &page,
        "<section class=\"control-block\"",
        "</section>"
    ));
}

#[test]
fn rewritten_links() {
    let f = fixture();
    f.build().success();
    let page = f.read("public/doc/AIMS-POL-001.html");
    insta::assert_snapshot!(between(&page, "<div class=\"doc-body\">", "</div>"));
}

#[test]
fn withdrawn_banner_links_to_the_successor() {
    let f = fixture();
    f.build().success();
    let page = f.read("public/doc/AIMS-POL-000.html");
    insta::assert_snapshot!(between(
        &page,
        "<div class=\"banner banner-withdrawn\"",
        "</div>"
    ));
}
