//! `aims-site build` end to end: output shape, cross-links, templates, profiles, atomic output.

mod common;

use common::{Fixture, front};

fn two_docs() -> Fixture {
    let f = Fixture::new();
    f.approved(
        "policies/ai-policy.md",
        "AIMS-POL-001",
        "policy",
        "# Purpose\n\nSee [[AIMS-PRO-001]], [[AIMS-PRO-001|the procedure]] and [steps](../procedures/risk.md#2-steps).\n",
    );
    f.approved(
        "procedures/risk.md",
        "AIMS-PRO-001",
        "procedure",
        "# 1. Scope\n\n# 2. Steps\n\nBack to the [policy](../policies/ai-policy.md).\n",
    );
    f
}

#[test]
fn clean_build_writes_one_page_per_document() {
    let f = two_docs();
    f.build().success().stderr_has("built 2 documents");
    for page in [
        "index.html",
        "documents.html",
        "clauses.html",
        "doc/AIMS-POL-001.html",
        "doc/AIMS-PRO-001.html",
        "type/policy.html",
        "assets/style.css",
        "assets/highlight.css",
        "public/.aims-site-output",
    ]
    .map(|p| p.trim_start_matches("public/"))
    {
        assert!(f.exists(&format!("public/{page}")), "missing {page}");
    }
    let home = f.read("public/index.html");
    assert!(home.contains("Fixture manual"));
    assert!(home.contains("<html lang=\"en\">"));
}

#[test]
fn links_are_rewritten_to_page_urls() {
    let f = two_docs();
    f.build().success();
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(
        page.contains("<a href=\"AIMS-PRO-001.html\">Title of AIMS-PRO-001</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"AIMS-PRO-001.html\">the procedure</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"AIMS-PRO-001.html#2-steps\">steps</a>"),
        "{page}"
    );
    // Backlinks: the procedure is referenced by the policy.
    let proc_page = f.read("public/doc/AIMS-PRO-001.html");
    let backlinks = proc_page
        .split("id=\"backlinks-title\"")
        .nth(1)
        .unwrap_or("");
    assert!(backlinks.contains("AIMS-POL-001"), "{proc_page}");
}

#[test]
fn moving_a_file_keeps_its_url() {
    let f = two_docs();
    f.build().success();
    let before = f.read("public/doc/AIMS-PRO-001.html");
    let text = f.read("content/procedures/risk.md");
    f.remove("content/procedures/risk.md");
    f.write("content/archive/moved-risk.md", text);
    // The policy's path link now breaks (reported), but [[ID]] links and the page URL hold.
    f.write(
        "content/policies/ai-policy.md",
        format!(
            "{}# Purpose\n\nSee [[AIMS-PRO-001]].\n",
            front("AIMS-POL-001", "policy", "approved", "")
        ),
    );
    f.build().success();
    let after = f.read("public/doc/AIMS-PRO-001.html");
    assert!(after.contains("content/archive/moved-risk.md"));
    assert_eq!(
        before.replace("content/procedures/risk.md", ""),
        after.replace("content/archive/moved-risk.md", "")
    );
    assert!(
        f.read("public/doc/AIMS-POL-001.html")
            .contains("href=\"AIMS-PRO-001.html\"")
    );
}

#[test]
fn missing_anchor_is_an_error_at_the_link() {
    let f = two_docs();
    f.approved(
        "policies/b.md",
        "AIMS-POL-002",
        "policy",
        "Intro.\n\nSee [x](../procedures/risk.md#no-such).\n",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E032", "content/policies/b.md", 15, 5)
        .stderr_has("no heading `#no-such` in AIMS-PRO-001");
}

#[test]
fn broken_path_and_unknown_id_are_errors() {
    let f = Fixture::new();
    f.approved(
        "a.md",
        "AIMS-POL-001",
        "policy",
        "[gone](missing.md) and [[AIMS-NOPE-9]]\n",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E030", "content/a.md", 13, 1)
        .finding("AIMS-E031", "content/a.md", 13, 24);
}

#[test]
fn a_user_template_overrides_the_builtin() {
    let f = two_docs();
    f.write(
        "templates/document.html",
        "<!DOCTYPE html><title>{{ doc.id }}</title><p class=\"custom\">CUSTOM {{ doc.title }} v{{ doc.version }}</p>",
    );
    f.build().success();
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(page.contains("CUSTOM Title of AIMS-POL-001 v1.0"), "{page}");
    // Other templates stay built-in.
    assert!(f.read("public/index.html").contains("Dashboard"));
}

#[test]
fn a_broken_user_template_is_reported_with_its_file() {
    let f = two_docs();
    f.write("templates/document.html", "{% if %}");
    f.build()
        .fails_with(1)
        .stderr_has("AIMS-E070")
        .stderr_has("templates/document.html");
}

#[test]
fn raw_html_is_sanitised_by_default_and_configurable() {
    let f = Fixture::new();
    f.approved(
        "a.md",
        "AIMS-POL-001",
        "policy",
        "Hello <b>bold</b> <script>alert(1)</script> <img src=x onerror=alert(1)>\n",
    );
    f.build().success();
    let page = f.read("public/doc/AIMS-POL-001.html");
    let body = page.split("class=\"doc-body\"").nth(1).unwrap_or("");
    assert!(!body.contains("<script"), "{body}");
    assert!(!body.contains("onerror"), "{body}");
    assert!(body.contains("<b>bold</b>"), "{body}");

    f.write("book.toml", "[build]\nraw-html = \"escape\"\n");
    f.build().success();
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(page.contains("&lt;script&gt;"), "{page}");
    assert!(page.contains("&lt;b&gt;bold&lt;/b&gt;"), "{page}");

    f.write("book.toml", "[build]\nraw-html = \"allow\"\n");
    f.build().success();
    assert!(
        f.read("public/doc/AIMS-POL-001.html")
            .contains("<script>alert(1)</script>")
    );
}

#[test]
fn metadata_is_escaped() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        "---\nid: AIMS-POL-001\ntitle: \"<script>alert(1)</script> & co\"\ntype: policy\nowner: \"<b>Owner</b>\"\nversion: \"1\"\nstatus: draft\n---\n",
        "Body\n",
    );
    f.run(&["build", "--drafts", "--today", "2026-12-01"])
        .success();
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(!page.contains("<script>alert(1)"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; co")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"),
        "{page}"
    );
    assert!(!page.contains("<b>Owner</b>"));
}

#[test]
fn bom_and_crlf_are_accepted() {
    let f = Fixture::new();
    let text = format!(
        "\u{feff}{}",
        front("AIMS-POL-001", "policy", "approved", "").replace('\n', "\r\n")
    );
    f.write(
        "content/a.md",
        format!("{text}# Heading\r\n\r\nText with a [[AIMS-POL-001#heading]] link.\r\n"),
    );
    f.build().success();
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(page.contains("<h1 id=\"heading\">Heading</h1>"), "{page}");
}

#[test]
fn version_is_kept_as_written() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        "---\nid: AIMS-POL-001\ntitle: T\ntype: policy\nowner: O\nversion: 1.10\nstatus: draft\n---\n",
        "",
    );
    f.run(&["build", "--drafts"]).success();
    assert!(
        f.read("public/doc/AIMS-POL-001.html")
            .contains("<dd>1.10</dd>")
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for_and_links_to_them_become_text() {
    let f = Fixture::new();
    f.approved(
        "a.md",
        "AIMS-POL-001",
        "policy",
        "See [the draft](b.md) and [[AIMS-POL-002]].\n",
    );
    f.doc(
        "b.md",
        &front("AIMS-POL-002", "policy", "draft", ""),
        "Draft words.\n",
    );
    let run = f.build();
    run.success().stderr_has("AIMS-W010");
    assert!(!f.exists("public/doc/AIMS-POL-002.html"));
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(page.contains("See the draft and AIMS-POL-002."), "{page}");
    assert!(!page.contains("Title of AIMS-POL-002"));

    f.run(&["build", "--drafts", "--today", "2026-12-01"])
        .success();
    let draft = f.read("public/doc/AIMS-POL-002.html");
    assert!(draft.contains("banner-draft"), "{draft}");
    assert!(
        f.read("public/doc/AIMS-POL-001.html")
            .contains("href=\"AIMS-POL-002.html\"")
    );
}

#[test]
fn an_intranet_profile_leaks_nothing_of_a_restricted_document() {
    let f = Fixture::new();
    f.write(
        "book.toml",
        "[book]\ntitle = \"M\"\n[profiles.intranet]\nclassifications = [\"public\", \"internal\", \"confidential\"]\n[profiles.auditor]\nclassifications = [\"public\", \"internal\", \"confidential\", \"restricted\"]\n",
    );
    f.approved(
        "a.md",
        "AIMS-POL-001",
        "policy",
        "Open text. See [[AIMS-REG-001]] and [the register](secret.md).\n",
    );
    f.doc(
        "secret.md",
        &front(
            "AIMS-REG-001",
            "register",
            "approved",
            "classification: restricted\nowner2: x\n",
        )
        .replace("Title of AIMS-REG-001", "Zanzibar Quokka Register")
        .replace("owner2: x\n", ""),
        "# Quokka findings\n\nThe xylophonic marmalade incident links to [[AIMS-POL-001]].\n",
    );
    f.run(&["build", "--profile", "intranet", "--today", "2026-12-01"])
        .success();
    assert!(!f.exists("public/doc/AIMS-REG-001.html"));
    for (path, bytes) in f.tree("public") {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for secret in ["zanzibar", "quokka", "xylophonic", "marmalade"] {
            assert!(!text.contains(secret), "`{secret}` leaked into {path}");
        }
    }
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(
        page.contains("See AIMS-REG-001 and the register."),
        "{page}"
    );

    f.run(&["build", "--profile", "auditor", "--today", "2026-12-01"])
        .success();
    assert!(
        f.read("public/doc/AIMS-REG-001.html")
            .contains("Zanzibar Quokka Register")
    );

    f.run(&["build", "--profile", "nope"])
        .fails_with(2)
        .stderr_has("unknown profile `nope`");
}

#[test]
fn a_failed_build_leaves_the_previous_output_unchanged() {
    let f = two_docs();
    f.build().success();
    let before = f.tree("public");
    f.write("content/bad.md", "---\nid: [unclosed\n---\n");
    f.build()
        .fails_with(1)
        .finding("AIMS-E004", "content/bad.md", 3, 1);
    assert_eq!(
        before,
        f.tree("public"),
        "output changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(f.path())
        .expect("read root")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "staging folder left behind");
}

#[test]
fn a_rebuild_links_unchanged_pages_from_the_previous_output_and_rewrites_the_rest() {
    use std::os::unix::fs::MetadataExt;
    let f = two_docs();
    f.build().success();
    let inode = |rel: &str| std::fs::metadata(f.path().join(rel)).expect("stat").ino();
    let procedure = inode("public/doc/AIMS-PRO-001.html");
    let policy = inode("public/doc/AIMS-POL-001.html");
    f.approved(
        "policies/ai-policy.md",
        "AIMS-POL-001",
        "policy",
        "# Purpose\n\nZanzibar. See [[AIMS-PRO-001]] and [steps](../procedures/risk.md#2-steps).\n",
    );
    f.build().success();
    assert_eq!(inode("public/doc/AIMS-PRO-001.html"), procedure);
    assert_ne!(inode("public/doc/AIMS-POL-001.html"), policy);
    assert!(f.read("public/doc/AIMS-POL-001.html").contains("Zanzibar"));
    let print = f.read("public/print.html");
    assert!(print.contains("Zanzibar") && !print.contains("the procedure"));
    // The result is what a build into an empty folder makes.
    let rebuilt = f.tree("public");
    std::fs::remove_dir_all(f.path().join("public")).expect("remove the output");
    f.build().success();
    let fresh = f.tree("public");
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&rebuilt), names(&fresh));
    for ((name, a), (_, b)) in rebuilt.iter().zip(&fresh) {
        assert!(a == b, "{name} differs from a build into an empty folder");
    }
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let f = two_docs();
    f.write("mine/keep.txt", "precious");
    f.run(&["build", "--dest", "mine"])
        .fails_with(2)
        .stderr_has("refusing to write");
    assert_eq!(f.read("mine/keep.txt"), "precious");
    for dest in [".", "content", "content/out", "templates", ".."] {
        f.run(&["build", "--dest", dest])
            .fails_with(2)
            .stderr_has("refusing to write");
    }
    assert!(f.exists("content/policies/ai-policy.md"));
    // Our own output is replaced, and stale files go away.
    f.build().success();
    f.write("public/stale.html", "old");
    f.build().success();
    assert!(!f.exists("public/stale.html"));
}

#[test]
fn assets_are_copied_and_image_links_rewritten() {
    let f = Fixture::new();
    f.write("content/img/diagram one.png", b"\x89PNG fake");
    f.approved(
        "policies/a.md",
        "AIMS-POL-001",
        "policy",
        "![Diagram](../img/diagram%20one.png)\n",
    );
    f.build().success();
    assert!(f.exists("public/files/img/diagram one.png"));
    assert!(
        f.read("public/doc/AIMS-POL-001.html")
            .contains("src=\"../files/img/diagram%20one.png\"")
    );
}

#[test]
fn missing_book_toml_and_bad_arguments_exit_2() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = common::aims_in(dir.path(), dir.path())
        .arg("build")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no book.toml"));
    let f = Fixture::new();
    f.run(&["build", "--today", "2026-02-30"]).fails_with(2);
    f.run(&["frobnicate"]).fails_with(2);
}

#[test]
fn verbose_shows_stage_times() {
    let f = two_docs();
    let run = f.run(&["build", "--verbose"]);
    run.success();
    // One line per stage, in pipeline order, each with a time: `  load          1.2 ms`.
    let line = regex::Regex::new(r"(?m)^\s+([a-z]+)\s+(\d+\.\d) ms$").expect("regex");
    let err = run.stderr();
    let stages: Vec<&str> = line
        .captures_iter(&err)
        .map(|c| c.get(1).expect("stage").as_str())
        .collect();
    let expected = ["load", "model", "link", "render", "write", "total"];
    let mut at = 0;
    for stage in expected {
        let pos = stages[at..]
            .iter()
            .position(|s| *s == stage)
            .unwrap_or_else(|| panic!("no time for {stage} (in order) in {stages:?}:\n{err}"));
        at += pos + 1;
    }
    // Without --verbose, no times.
    let quiet = f.run(&["build"]);
    quiet.success();
    assert!(!line.is_match(&quiet.stderr()), "{}", quiet.stderr());
}

#[test]
fn organisation_logo_and_accent_colour_come_from_book_toml() {
    let f = two_docs();
    f.write(
        "brand/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    f.write(
        "book.toml",
        "[book]\ntitle = \"Branded\"\norganisation = \"Quillfeather Ltd\"\nlogo = \"brand/logo.svg\"\naccent-color = \"#7a3e9d\"\n",
    );
    f.build().success();
    let home = f.read("public/index.html");
    assert!(home.contains("<img src=\"assets/logo-logo.svg\""), "{home}");
    assert!(home.contains("--accent: #7a3e9d;"), "{home}");
    assert!(home.contains("Quillfeather Ltd"), "{home}");
    assert!(f.exists("public/assets/logo-logo.svg"));
    f.write(
        "book.toml",
        "[book]\naccent-color = \"red; } body { display: none\"\n",
    );
    f.build().fails_with(1).stderr_has("is not a CSS colour");
}

#[test]
fn printed_pages_carry_the_print_notice_from_book_toml() {
    let f = two_docs();
    f.build().success();
    let notice = "@bottom-left { content: \"Uncontrolled when printed\"; }";
    assert!(f.read("public/doc/AIMS-POL-001.html").contains(notice));
    assert!(f.read("public/print.html").contains(notice));
    // Anything the organisation writes stays inside the CSS string.
    f.write(
        "book.toml",
        "[print]\nnotice = \"Copy \\\"1\\\"; } body { display: none\"\n",
    );
    f.build().success();
    let page = f.read("public/print.html");
    assert!(
        page.contains("content: \"Copy \\0000221\\000022\\00003b \\00007d body \\00007b display\\00003a none\";"),
        "{}",
        &page[..page.len().min(2000)]
    );
    f.write("book.toml", "[print]\nnotice = \"\"\n");
    f.build().success();
    assert!(!f.read("public/print.html").contains("@bottom-left"));
}
