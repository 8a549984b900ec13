//! What the site offers every member of staff: `summary:` and `audience:` in front-matter, the
//! home page's "what everyone must know", the acknowledgement link (`[book] ack-url`) and the
//! edit link (`[book] edit-url-template`), and the checks on those link templates.

mod common;

use common::{Fixture, front};

const BOOK: &str = "[book]\ntitle = \"Fixture manual\"\norganisation = \"Fixture Org\"\nack-url = \"https://forms.example/ack?doc={id}&v={version}&t={title}\"\nedit-url-template = \"https://git.example/manual/-/edit/main/{path}\"\n";

fn staff_manual() -> Fixture {
    let f = Fixture::new();
    f.write("book.toml", BOOK);
    f.doc(
        "use.md",
        &front(
            "AIMS-POL-004",
            "policy",
            "approved",
            "audience: all staff\nsummary: >\n  Use only the approved AI tools,\n  and never paste customer data into them.\n",
        ),
        "# Acceptable use\n\nThe rules.\n",
    );
    f.doc(
        "draft.md",
        &front(
            "AIMS-POL-009",
            "policy",
            "draft",
            "audience: [all-staff]\nsummary: Not yet.\n",
        ),
        "Draft.\n",
    );
    f.doc(
        "dev.md",
        &front(
            "AIMS-PRO-001",
            "procedure",
            "approved",
            "audience: [data-science, Drivers]\n",
        ),
        "For the data team.\n",
    );
    f
}

#[test]
fn the_home_page_leads_with_what_everyone_must_know() {
    let f = staff_manual();
    f.run(&["build", "--drafts"]).success();
    let home = f.read("public/index.html");
    let everyone = home
        .split("<h2 id=\"everyone-title\">What everyone must know</h2>")
        .nth(1)
        .expect("the section for everyone");
    let (everyone, rest) = everyone.split_once("</section>").expect("section end");
    assert!(
        rest.contains("id=\"dash-title\""),
        "it comes before the dashboard"
    );
    assert!(everyone.contains("<a href=\"doc/AIMS-POL-004.html\">Title of AIMS-POL-004</a>"));
    assert!(
        everyone.contains(
            "<p>Use only the approved AI tools, and never paste customer data into them.</p>"
        ),
        "{everyone}"
    );
    // A draft is not something everyone must know yet; a document for one group is not listed.
    assert!(!everyone.contains("AIMS-POL-009") && !everyone.contains("AIMS-PRO-001"));
    assert!(everyone.contains(
        "href=\"https://forms.example/ack?doc=AIMS-POL-004&amp;v=1.0&amp;t=Title%20of%20AIMS-POL-004\""
    ), "{everyone}");
}

#[test]
fn a_document_shows_its_summary_audience_and_links() {
    let f = staff_manual();
    f.build().success();
    let page = f.read("public/doc/AIMS-POL-004.html");
    assert!(page.contains("<p class=\"doc-summary\"><strong>In short:</strong> Use only the approved AI tools, and never paste customer data into them.</p>"));
    assert!(page.contains("<dt>Audience</dt><dd>all staff</dd>"));
    assert!(page.contains("Every member of staff must read this document."));
    assert!(page.contains("Confirm you have read version 1.0"));
    assert!(page.contains(
        "<a class=\"edit-link\" href=\"https://git.example/manual/-/edit/main/content/use.md\">Edit this page</a>"
    ));
    let dev = f.read("public/doc/AIMS-PRO-001.html");
    assert!(dev.contains("<dt>Audience</dt><dd>data-science, drivers</dd>"));
    assert!(
        !dev.contains("Confirm you have read"),
        "only documents for everyone ask for it"
    );
    assert!(dev.contains("content/dev.md\">Edit this page</a>"));
    // The print copy carries the summary, not the buttons.
    let print = f.read("public/print.html");
    assert!(print.contains("<strong>In short:</strong> Use only"));
    assert!(!print.contains("Edit this page") && !print.contains("Confirm you have read"));
}

#[test]
fn link_templates_must_be_http_addresses_with_known_placeholders() {
    let f = Fixture::new();
    f.write(
        "book.toml",
        "[book]\ntitle = \"T\"\nack-url = \"javascript:alert(document.cookie)\"\nedit-url-template = \"https://git.example/{branch}/{path}\"\n",
    );
    f.approved("a.md", "AIMS-POL-001", "policy", "Text.\n");
    f.build()
        .fails_with(1)
        .finding("AIMS-E050", "book.toml", 3, 1)
        .stderr_has("`ack-url` is not an http(s) address")
        .finding("AIMS-E050", "book.toml", 4, 1)
        .stderr_has("`edit-url-template` has an unknown placeholder `{branch}`")
        .stderr_has("it may hold {path}, {id}");
    assert!(!f.exists("public/index.html"));
}

#[test]
fn without_staff_fields_the_home_page_has_no_section_for_everyone() {
    let f = Fixture::new();
    f.approved("a.md", "AIMS-POL-001", "policy", "Text.\n");
    f.build().success();
    assert!(
        !f.read("public/index.html")
            .contains("What everyone must know")
    );
    assert!(
        !f.read("public/doc/AIMS-POL-001.html")
            .contains("doc-actions")
    );
}
