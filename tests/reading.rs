//! The document page as staff read it: a one-line control strip with the full control block in
//! a disclosure (open on paper), and the reading aids of page.js.

mod common;

use common::{Fixture, front};

#[test]
fn the_control_block_folds_behind_a_strip_on_screen_and_opens_on_paper() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        &front("AIMS-POL-001", "policy", "approved", "classification: confidential\n"),
        "# Policy\n\n## 1. Purpose\n\nWords.\n\n## 2. Scope\n\nMore words.\n\n## 3. Rules\n\n```text\nrule one\n```\n",
    );
    f.run(&["build", "--profile", "all"]).success();
    let page = f.read("public/doc/AIMS-POL-001.html");
    let strip = page
        .split("<summary class=\"control-strip\">")
        .nth(1)
        .and_then(|s| s.split("</summary>").next())
        .expect("the control strip");
    for part in [
        "Version 1.0",
        "<span class=\"status status-approved\">approved</span>",
        "AI Governance Lead",
        "next review <span class=\"review review-ok\">2027-01-15</span>",
        "<span class=\"classification classification-confidential\">confidential</span>",
    ] {
        assert!(strip.contains(part), "{part} not in {strip}");
    }
    // Closed on screen, the whole block inside; the print copy opens it.
    assert!(
        page.contains("<details class=\"control-details\">\n<summary class=\"control-strip\">")
    );
    let block = page
        .split("<details class=\"control-details\">")
        .nth(1)
        .unwrap_or("");
    assert!(
        block
            .split("</details>")
            .next()
            .unwrap_or("")
            .contains("<dt>Document id</dt>")
    );
    let print = f.read("public/print.html");
    assert!(
        print.contains("<details class=\"control-details\" open>"),
        "open in print"
    );
    assert!(!print.contains("<details class=\"control-details\">\n"));
    // The reading aids are a script of the theme, loaded by every page.
    assert!(page.contains("<script src=\"../assets/page.js\" defer></script>"));
    let js = f.read("public/assets/page.js");
    assert!(js.contains("beforeprint") && js.contains("copy-code") && js.contains("permalink"));
    // The contents list is not numbered twice: the headings carry their own numbers.
    let css = f.read("public/assets/style.css");
    assert!(css.contains(".toc ol { margin: 0; padding-left: 0; list-style: none; }"));
}

/// The clause index stays the same size however large the manual grows: a dozen documents per
/// clause, then a link to the clause's own page, which lists them all.
#[test]
fn the_clause_index_names_a_dozen_documents_per_clause() {
    let f = Fixture::new();
    for k in 1..=30 {
        let id = format!("AIMS-PRO-{k:03}");
        // Fifteen address the clause; fifteen only mention it.
        let extra = if k <= 15 {
            "clauses: [\"6.1.2\"]\n"
        } else {
            ""
        };
        f.doc(
            &format!("p{k}.md"),
            &front(&id, "procedure", "approved", extra),
            "Assess the risks as clause 6.1.2 asks.\n",
        );
    }
    f.build().success();
    let index = f.read("public/clauses.html");
    let entry = index
        .split("<li id=\"c-6.1.2\"")
        .nth(1)
        .and_then(|e| e.split("</li>").next())
        .expect("the entry of 6.1.2");
    let addressed = entry
        .split("Addressed by:")
        .nth(1)
        .and_then(|a| a.split("</div>").next())
        .expect("addressed by");
    assert_eq!(addressed.matches("href=\"doc/").count(), 12, "{addressed}");
    assert!(
        addressed.ends_with(" and <a href=\"clause/6.1.2.html\">3 more</a>"),
        "{addressed}"
    );
    let mentioned = entry
        .split("Mentioned in:")
        .nth(1)
        .and_then(|a| a.split("</div>").next())
        .expect("mentioned in");
    assert!(mentioned.ends_with("3 more</a>"), "{mentioned}");
    let page = f.read("public/clause/6.1.2.html");
    assert!(
        page.matches("href=\"../doc/AIMS-PRO-0").count() >= 30,
        "{page}"
    );
}
