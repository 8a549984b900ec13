//! Document pages, clause pages, the lists of documents, the register and the pages of the
//! print's appendices are written without the template engine when a site uses the built-in
//! templates (src/render/doc_page.rs, chrome.rs, and a writer each in standard_pages.rs,
//! lists.rs, registers.rs and print.rs), and with Tera when it has its own copy of one of their
//! templates. Both must give the same bytes: each test builds a project twice, as it is and with
//! copies of `document.html`, `clause.html`, `documents.html`, `register.html`,
//! `print_part.html` and `print_appendices.html` that differ from the built-in ones by a
//! template comment only (so Tera renders them), and compares every file.

mod common;

use std::path::Path;

use common::{Fixture, aims_in, front, git_in};

/// The templates of the pages written directly, other than `base.html` (which each extends).
const WRITTEN: [(&str, &str); 6] = [
    ("document.html", include_str!("../templates/document.html")),
    ("clause.html", include_str!("../templates/clause.html")),
    (
        "documents.html",
        include_str!("../templates/documents.html"),
    ),
    ("register.html", include_str!("../templates/register.html")),
    (
        "print_part.html",
        include_str!("../templates/print_part.html"),
    ),
    (
        "print_appendices.html",
        include_str!("../templates/print_appendices.html"),
    ),
];

/// A built-in template with a comment added: not the built-in text, the same output (no line
/// break after it: an included template's trailing text is output).
fn own_copy(builtin: &str) -> String {
    format!("{builtin}{{# the site's own copy #}}")
}

/// The two builds of the project at `root` (direct, then Tera), compared file by file; `args`
/// are the build's own. Returns the document and clause pages compared: (path, text).
fn same_with_tera(root: &Path, home: &Path, args: &[&str]) -> Vec<(String, String)> {
    let out = tempfile::tempdir().expect("tmp");
    let build = |dest: &str| {
        let dest = out.path().join(dest);
        let run = aims_in(root, home)
            .args(["build", "--today", "2026-12-01", "--dest"])
            .arg(&dest)
            .args(args)
            .output()
            .expect("run aims-site");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        common::files_in(&dest)
    };
    let direct = build("direct");
    let templates = root.join("templates");
    std::fs::create_dir_all(&templates).expect("templates/");
    let before: Vec<Option<Vec<u8>>> = WRITTEN
        .iter()
        .map(|(name, builtin)| {
            let own = templates.join(name);
            let before = std::fs::read(&own).ok();
            std::fs::write(&own, own_copy(builtin)).expect("write a template");
            before
        })
        .collect();
    let tera = build("tera");
    for ((name, _), before) in WRITTEN.iter().zip(before) {
        let own = templates.join(name);
        match before {
            Some(text) => std::fs::write(&own, text).expect("restore a template"),
            None => std::fs::remove_file(&own).expect("remove a template"),
        }
    }
    let names = |files: &[(String, Vec<u8>)]| -> Vec<String> {
        files.iter().map(|(n, _)| n.clone()).collect()
    };
    assert_eq!(names(&direct), names(&tera), "the same files");
    let mut pages = Vec::new();
    for ((name, a), (_, b)) in direct.iter().zip(&tera) {
        if name.starts_with("doc/")
            || name.contains("/doc/")
            || name.starts_with("clause/")
            || name.starts_with("documents")
            || name.starts_with("type/")
            || name.starts_with("register")
            || name.starts_with("print-appendices")
        {
            pages.push((name.clone(), String::from_utf8_lossy(a).into_owned()));
        }
        if a != b {
            let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
            let at = a
                .char_indices()
                .zip(b.chars())
                .find(|((_, x), y)| x != y)
                .map_or(a.len().min(b.len()), |((i, _), _)| i);
            let from = a.floor_char_boundary(at.saturating_sub(200));
            panic!(
                "{name} differs at byte {at}:\n--- written directly\n{}\n--- rendered by Tera\n{}",
                &a[from..a.ceil_char_boundary((at + 200).min(a.len()))],
                &b[from..b.ceil_char_boundary((at + 200).min(b.len()))],
            );
        }
    }
    pages
}

const BOOK: &str = r##"[book]
title = "Fixture & \"manual\" <one>"
organisation = "O'Neill & Sons"
accent-color = "#a1b2c3"
logo = "logo.png"
ack-url = "https://people.example/ack?id={id}&v={version}"
edit-url-template = "https://git.example/edit/{path}?a=1&b=2"

[build]
rows-per-page = 2

[aims]
review-warning-days = 60

[print]
notice = "Printed \"copy\" & co"
# Small enough that the print is written in parts, its appendices on pages of their own.
part-size = 6000

[standards]
iso27001 = true

[fields.risk_tier]
type = "one-of"
values = ["low", "high"]
label = "Risk <tier>"
"##;

/// Documents that take every branch of the document page: banners of each kind, a summary and
/// an audience, a custom field, references to another standard, supersedes and related (one of
/// them left out of the build), an AI system with a record, a table of contents, text that needs
/// escaping, and no review date.
fn rich(f: &Fixture) {
    f.write("book.toml", BOOK).write("logo.png", b"\x89PNG\r\n");
    // A Statement of Applicability that excludes A.7.3.
    let mut soa = String::from("applicability:\n");
    for c in &aims_site::catalog::get().controls {
        let id = c.id.as_str();
        let applicable = id != "A.7.3";
        soa.push_str(&format!(
            "  {id}:\n    applicable: {applicable}\n    justification: \"Reason for {id} & <more>.\"\n    implementation: planned\n"
        ));
    }
    f.doc(
        "soa.md",
        &front("AIMS-SOA-001", "soa", "approved", &soa),
        "The SoA. It mentions clause 6.1.2 and control A.2.2.\n",
    );
    // Another standard's Statement of Applicability (ISO/IEC 27001:2022 has 93 controls).
    let mut isms = String::from("standard: iso27001\napplicability:\n");
    for (theme, count) in [(5, 37), (6, 8), (7, 14), (8, 34)] {
        for n in 1..=count {
            isms.push_str(&format!(
                "  A.{theme}.{n}: {{ applicable: true, justification: \"Rules & <more>.\", implementation: implemented }}\n"
            ));
        }
    }
    f.doc(
        "soa27001.md",
        &front("AIMS-SOA-002", "soa", "approved", &isms),
        "The ISMS SoA.\n",
    );
    f.doc(
        "policies/p1.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "summary: \"Use AI <safely> & 'well'\"\naudience: [all-staff, \"engineers & ops\"]\nretention: 5 years\nclauses: [\"5.2\", \"6.1.2\"]\ncontrols: [\"A.2.2\"]\nstandards: { iso27001: [\"A.5.1\"] }\nextra:\n  risk_tier: high\nrelated: [AIMS-PRO-001, AIMS-REG-001]\n",
        ),
        "# Title of AIMS-POL-001\n\n## One\n\nText & more, see [the procedure](../procedures/p.md).\n\n## Two\n\n### Three\n\n```python\ndef f():\n    return \"<x>\"\n```\n",
    );
    f.doc(
        "procedures/p.md",
        &front(
            "AIMS-PRO-001",
            "procedure",
            "approved",
            "supersedes: [AIMS-PRO-000]\nreview_cycle: 12 months\nstandards: { iso27001: [\"A.5.1\"] }\n",
        )
        .replace("review_date: 2027-01-15\n", ""),
        "Steps. See [[AIMS-POL-001]].\n",
    );
    f.doc(
        "procedures/old.md",
        &front("AIMS-PRO-000", "procedure", "withdrawn", ""),
        "Old steps.\n",
    );
    f.doc(
        "procedures/due.md",
        &front(
            "AIMS-PRO-002",
            "procedure",
            "approved",
            "clauses: [\"6.1.2\"]\n",
        )
        .replace("review_date: 2027-01-15", "review_date: 2026-12-20"),
        "Due soon.\n",
    );
    f.doc(
        "procedures/late.md",
        &front("AIMS-PRO-003", "procedure", "approved", "")
            .replace("review_date: 2027-01-15", "review_date: 2026-06-01"),
        "Overdue.\n",
    );
    f.doc(
        "registers/secret.md",
        &front(
            "AIMS-REG-001",
            "register",
            "approved",
            "classification: restricted\n",
        ),
        "Left out of a build without a profile.\n",
    );
    f.doc(
        "plans/draft.md",
        &front(
            "AIMS-PLN-001",
            "plan",
            "draft",
            "classification: public\nclauses: [\"6.1.2\"]\nprovides: [ai-objectives]\n",
        ),
        "Draft plan.\n",
    );
    f.doc(
        "systems/s.md",
        &front(
            "SYS-ONE",
            "ai-system",
            "approved",
            "roles: [customer]\nsourcing: bought\nstage: operation-and-monitoring\nintended_use: \"Drafts <text>.\"\nrisk_level: low\neu_ai_act: high-risk\nannex_iii: \"5 (b)\"\nin_scope: true\n",
        ),
        "An AI system.\n",
    );
    f.doc(
        "records/r.md",
        &front(
            "AIMS-REC-001",
            "record",
            "approved",
            "systems: [SYS-ONE]\nrecord_kind: impact-assessment\nnext_due: 2026-03-01\n",
        ),
        "Assessment.\n",
    );
}

/// Each of `shown` is on one of the pages (so that a change to the fixture cannot quietly skip
/// a branch).
fn shows(all: &str, shown: &[&str]) {
    for s in shown {
        assert!(all.contains(s), "no page shows {s}");
    }
}

fn docs(pages: &[(String, String)]) -> usize {
    pages.iter().filter(|(n, _)| n.starts_with("doc/")).count()
}

#[test]
fn the_example_is_the_same_with_tera() {
    // A clone of the repository: the example with its history, tags and signed approvals.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().expect("tmp");
    let home = tempfile::tempdir().expect("home");
    let clone = work.path().join("manual");
    git_in(
        work.path(),
        &["clone", "-q", &repo.to_string_lossy(), "manual"],
        "2026-12-01T12:00:00+00:00",
    );
    for profile in [&["--profile", "auditor"][..], &["--drafts"]] {
        let pages = same_with_tera(&clone, home.path(), profile);
        let docs = pages.iter().filter(|(n, _)| n.starts_with("doc/")).count();
        let clauses = pages
            .iter()
            .filter(|(n, _)| n.starts_with("clause/"))
            .count();
        assert!(docs > 40, "{docs} document pages compared");
        assert!(clauses > 80, "{clauses} clause pages compared");
    }
}

#[test]
fn every_branch_of_the_page_is_the_same_with_tera() {
    let f = Fixture::new();
    rich(&f);
    // Without Git: no history at all.
    let pages = same_with_tera(f.path(), f.home(), &["--drafts"]);
    assert_eq!(docs(&pages), 10);
    let all: String = pages.iter().map(|(_, p)| p.as_str()).collect();
    // The branches taken (so that a change to the fixture cannot quietly skip one).
    shows(
        &all,
        &[
            "Revision history is unavailable",
            "<img src=\"../assets/logo-logo.png\" alt=\"\" class=\"logo\">",
            "--accent: #a1b2c3",
            "@bottom-left { content: \"Printed ",
            "<strong>In short:</strong> Use AI &lt;safely&gt; &amp; &#39;well&#39;",
            "all staff, engineers &amp; ops",
            "class=\"button ack\" href=\"https://people.example/ack?id=AIMS-POL-001&amp;v=1.0\"",
            "class=\"edit-link\"",
            "<dt>Risk &lt;tier&gt;</dt><dd>high</dd>",
            "<dt>ISO/IEC 27001:2022</dt>",
            "<dt>Retention</dt>",
            "<li>AIMS-REG-001</li>",
            "<dt>Supersedes</dt>",
            "<dt>AI systems</dt>",
            "<dt>Record of</dt>",
            "(overdue)</dd>",
            "(12 months cycle)",
            "<nav class=\"toc\"",
            "banner-draft",
            "banner-withdrawn",
            "banner-overdue",
            "banner-due-soon",
            "system-link",
            "rel=\"prev\"",
            "rel=\"next\"",
            "No other document in this build links here.",
            // Clause and control pages.
            "<strong>Excluded:</strong> the Statement of Applicability excludes A.7.3",
            "Reason for A.7.3 &amp; &lt;more&gt;.",
            "<strong>Not addressed:</strong>",
            "<h2>Contains</h2>",
            "<h2>Also addresses in ISO/IEC 27001:2022</h2>",
            "<nav class=\"pager no-print\" aria-label=\"Pages of",
            ", after the list\">",
            "<h2>Addressed by (continued)</h2>",
            "Continues on the <a href=",
            "<h2>Mentioned in</h2>",
            "No other document mentions",
            "<dt>Owners</dt><dd>",
            // The lists of documents, two rows a page.
            "<h2 id=\"g-withdrawn\">Withdrawn</h2>",
            " (continued)</h2>\n<table class=\"doc-list\">",
            "<td class=\"review review-due-soon\">2026-12-20</td>",
            "<td class=\"review review-none\"></td>",
            "<p>Every controlled document in this build, by type.</p>",
            // The register, two rows a page.
            "Filters and sorts the 2 rows of this page only; all 10 are in",
            " data-noun=\"documents on this page\">",
            // The print's appendices, on pages of their own.
            "<h1 class=\"print-part-title\">Fixture &amp; &quot;manual&quot; &lt;one&gt;: appendices</h1>",
            "aria-label=\"Pages of the appendices\">",
            "<p>From AIMS-SOA-001 Title of AIMS-SOA-001, merged with",
            "Stage 1 readiness (continued)</h2>",
            "<td>review overdue</td>",
            "<td>draft only</td>",
            "high-risk (Annex III 5(b))",
            "Statement of Applicability (continued)</h2>",
            "Document-control register (continued)</h2>",
            "Clause coverage (continued)</h2>",
            "<td>Reason for A.7.3 &amp; &lt;more&gt;.</td>",
            "<tr class=\"excluded\"><th scope=\"row\" class=\"depth-",
            " (excluded in the SoA)</th>",
            "<tr class=\"uncovered\"><th scope=\"row\" class=\"depth-",
            "<td>AIMS-POL-001</td><td>",
            "<td>ready</td>",
            "<td>missing</td>",
            "id=\"appendix-inventory\"",
            "<td>customer</td><td>bought</td>",
            "overdue: impact-assessment",
            "id=\"appendix-iso27001\"",
            "<p>From AIMS-SOA-002, merged with the controls every document maps to.</p>",
            "<td>Rules &amp; &lt;more&gt;.</td><td>implemented</td><td>AIMS-POL-001, AIMS-PRO-001</td>",
            "<tr class=\"uncovered\"><th scope=\"row\">",
        ],
    );
    // With history, an uncommitted change, an edit after approval and an editorial change.
    f.git_init();
    f.commit(
        "First version\n\nApproved-by: ceo@example.org",
        "2026-01-15T10:00:00+00:00",
    );
    f.doc(
        "procedures/late.md",
        &front("AIMS-PRO-003", "procedure", "approved", "")
            .replace("review_date: 2027-01-15", "review_date: 2026-06-01"),
        "Overdue, and edited.\n",
    );
    f.commit(
        "Edit <without> approval & \"quotes\"",
        "2026-02-01T10:00:00+00:00",
    );
    // A change to the front-matter only, after approval.
    f.write("content/procedures/p.md", {
        let text = f.read("content/procedures/p.md");
        text.replacen(
            "review_cycle: 12 months\n",
            "review_cycle: 12 months\nretention: 3 years\n",
            1,
        )
    });
    f.commit("Keep for three years", "2026-02-02T10:00:00+00:00");
    f.write("content/procedures/due.md", {
        let mut text = f.read("content/procedures/due.md");
        text.push_str("\nMore.\n");
        text
    });
    let all: String = same_with_tera(f.path(), f.home(), &["--drafts"])
        .iter()
        .map(|(_, p)| p.as_str())
        .collect();
    shows(
        &all,
        &[
            "Uncommitted changes in the working tree",
            "banner-changed",
            "Edit &lt;without&gt; approval &amp; &quot;quotes&quot;",
            "2 commit(s).",
            "<td><strong class=\"flag\">yes</strong></td>",
            "</code></td><td>yes</td></tr>",
            "</code></td><td>metadata only</td></tr>",
        ],
    );
    assert_eq!(docs(&same_with_tera(f.path(), f.home(), &[])), 9);
}

#[test]
fn a_site_with_its_own_base_gets_it() {
    let f = Fixture::new();
    f.approved("p.md", "AIMS-POL-001", "policy", "Text.\n");
    let base = include_str!("../templates/base.html").replace("Skip to content", "Skip ahead");
    f.write("templates/base.html", base);
    f.build().success();
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(page.contains("Skip ahead"), "{page}");
    assert!(!page.contains("Skip to content"), "{page}");
}
