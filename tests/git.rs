//! Git as the document-control system: histories, renames, approval integrity, register,
//! reviews, changes, reproducibility; fixture repositories with real commits at fixed dates.

mod common;

use common::{Fixture, front};

#[test]
fn history_rows_newest_first_with_first_and_last_change() {
    let f = common::repo_with_policy();
    let text = f.read("content/policies/ai.md");
    f.write(
        "content/policies/ai.md",
        text.replace("version: \"1.0\"", "version: \"1.1\"")
            .replace("First text.", "Second text."),
    );
    f.commit("Revise the AI policy", "2026-02-20T09:00:00+00:00");
    f.build().success();
    let page = f.read("public/doc/AIMS-POL-001.html");
    let history = page.split("id=\"history-title\"").nth(1).unwrap_or("");
    let second = history
        .find("Revise the AI policy")
        .expect("second commit listed");
    let first = history
        .find("Add the AI policy")
        .expect("first commit listed");
    assert!(second < first, "newest first: {history}");
    assert!(
        history.contains("<td>2026-02-20</td><td>Ada Tester</td>"),
        "{history}"
    );
    assert!(
        history.contains("First change 2026-01-10, last change 2026-02-20; 2 commit(s)."),
        "{history}"
    );
    let footer = f.read("public/index.html");
    let head = f.git(&["rev-parse", "HEAD"]);
    assert!(
        footer.contains(&format!("from commit <code>{}</code>", &head[..12])),
        "{footer}"
    );
}

#[test]
fn a_renamed_document_keeps_its_history() {
    let f = common::repo_with_policy();
    std::fs::create_dir_all(f.path().join("content/archive")).expect("mkdir");
    f.git(&[
        "mv",
        "content/policies/ai.md",
        "content/archive/ai-policy.md",
    ]);
    f.commit("Move the policy", "2026-03-01T09:00:00+00:00");
    f.build().success();
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(page.contains("Move the policy"), "{page}");
    assert!(page.contains("Add the AI policy"), "{page}");
}

#[test]
fn a_body_edit_after_approval_is_flagged_and_a_version_bump_clears_it() {
    let f = common::repo_with_policy();
    let text = f.read("content/policies/ai.md");
    f.write(
        "content/policies/ai.md",
        text.replace("First text.", "Quietly changed text."),
    );
    f.commit("Tweak wording", "2026-02-01T09:00:00+00:00");
    f.build()
        .success()
        .finding("AIMS-W030", "content/policies/ai.md", 6, 10)
        .stderr_has("body edited in commit")
        .stderr_has("Tweak wording");
    assert!(
        f.read("public/doc/AIMS-POL-001.html")
            .contains("banner-changed")
    );
    let csv = f.read("public/register.csv");
    assert!(
        csv.lines().nth(1).unwrap_or("").ends_with(",yes,no"),
        "{csv}"
    );

    let text = f.read("content/policies/ai.md");
    f.write(
        "content/policies/ai.md",
        text.replace("version: \"1.0\"", "version: \"1.1\"")
            .replace("date: 2026-01-15", "date: 2026-02-10"),
    );
    f.commit("Approve version 1.1", "2026-02-10T09:00:00+00:00");
    let run = f.build();
    run.success();
    assert!(!run.stderr().contains("AIMS-W030"), "{}", run.stderr());
    assert!(
        !f.read("public/doc/AIMS-POL-001.html")
            .contains("banner-changed")
    );
    assert!(
        f.read("public/register.csv")
            .lines()
            .nth(1)
            .unwrap_or("")
            .ends_with(",no,no")
    );
}

#[test]
fn a_front_matter_only_edit_is_reported_separately() {
    let f = common::repo_with_policy();
    let text = f.read("content/policies/ai.md");
    f.write(
        "content/policies/ai.md",
        text.replace("owner: AI Governance Lead", "owner: AI Governance Leed"),
    );
    f.commit("Fix owner", "2026-02-01T09:00:00+00:00");
    let run = f.build();
    run.success().stderr_has("AIMS-W031");
    assert!(!run.stderr().contains("AIMS-W030"));
    assert!(
        f.read("public/register.csv")
            .lines()
            .nth(1)
            .unwrap_or("")
            .ends_with(",no,yes")
    );
}

#[test]
fn an_uncommitted_body_edit_is_flagged() {
    let f = common::repo_with_policy();
    let text = f.read("content/policies/ai.md");
    f.write(
        "content/policies/ai.md",
        text.replace("First text.", "Edited, not committed."),
    );
    f.build()
        .success()
        .stderr_has("AIMS-W030")
        .stderr_has("uncommitted changes in the working tree");
}

#[test]
fn reviews_overdue_and_due_soon() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        &front("AIMS-POL-001", "policy", "approved", "")
            .replace("review_date: 2027-01-15", "review_date: 2026-11-20"),
        "",
    );
    f.doc(
        "b.md",
        &front("AIMS-POL-002", "policy", "approved", "")
            .replace("review_date: 2027-01-15", "review_date: 2026-12-20"),
        "",
    );
    f.doc("c.md", &front("AIMS-POL-003", "policy", "approved", ""), "");
    f.build().success();
    let reviews = f.read("public/reviews.html");
    let overdue = reviews
        .split("id=\"r-overdue\"")
        .nth(1)
        .and_then(|s| s.split("id=\"r-due-soon\"").next())
        .unwrap_or("");
    assert!(
        overdue.contains("AIMS-POL-001") && !overdue.contains("AIMS-POL-002"),
        "{overdue}"
    );
    assert!(
        f.read("public/doc/AIMS-POL-001.html")
            .contains("banner-overdue")
    );
    assert!(
        f.read("public/doc/AIMS-POL-002.html")
            .contains("banner-due-soon")
    );
    assert!(
        f.read("public/index.html")
            .contains("review review-overdue")
    );

    let run = f.run(&["reviews", "--today", "2026-12-01"]);
    run.fails_with(1);
    assert!(
        run.stdout().contains("overdue   2026-11-20  AIMS-POL-001"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stdout()
            .contains("1 overdue, 1 due within 30 days of 2026-12-01"),
        "{}",
        run.stdout()
    );

    let run = f.run(&["reviews", "--today", "2026-11-01", "--format", "json"]);
    run.success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("json");
    assert_eq!(json["today"], "2026-11-01");
    assert_eq!(json["overdue"].as_array().map(Vec::len), Some(0));
    assert_eq!(json["due_soon"][0]["id"], "AIMS-POL-001");
    assert_eq!(json["due_soon"][0]["days_overdue"], -19);
}

#[test]
fn the_changes_page_and_register_read_git() {
    let f = common::repo_with_policy();
    f.approved("procedures/p.md", "AIMS-PRO-001", "procedure", "Steps.\n");
    f.commit("Add the procedure", "2026-01-12T09:00:00+00:00");
    f.build().success();
    let changes = f.read("public/changes.html");
    let a = changes.find("Add the procedure").expect("newest");
    let b = changes.find("Add the AI policy").expect("older");
    assert!(a < b, "{changes}");
    let csv = f.read("public/register.csv");
    assert!(csv.starts_with("id,title,type,owner,version,status,approved_by,approval_date,review_date,review_status,classification,last_change_date,last_change_author,last_change_commit,changed_since_approval"));
    assert!(csv.contains("AIMS-PRO-001,Title of AIMS-PRO-001,procedure,AI Governance Lead,1.0,approved,Chief Executive Officer,2026-01-15,2027-01-15,ok,internal,2026-01-12,Ada Tester,"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&f.read("public/register.json")).expect("json");
    assert_eq!(json["documents"][1]["last_change_date"], "2026-01-12");
    assert!(
        f.read("public/register.html")
            .contains("assets/register.js")
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let f = common::repo_with_policy();
    f.approved(
        "b.md",
        "AIMS-PRO-001",
        "procedure",
        "```yaml\na: 1\n```\n\nSee clause 6.1.2 and [[AIMS-POL-001]].\n",
    );
    f.commit("More", "2026-01-11T09:00:00+00:00");
    f.run(&["build", "--today", "2026-12-01", "--dest", "one"])
        .success();
    f.run(&["build", "--today", "2026-12-01", "--dest", "two"])
        .success();
    let one = f.tree("one");
    let two = f.tree("two");
    assert!(!one.is_empty());
    assert_eq!(one, two);
}

#[test]
fn a_shallow_clone_is_warned_about_once() {
    let f = common::repo_with_policy();
    let text = f.read("content/policies/ai.md");
    f.write(
        "content/policies/ai.md",
        text.replace("version: \"1.0\"", "version: \"1.1\""),
    );
    f.commit("Second", "2026-01-11T09:00:00+00:00");
    let clone = tempfile::tempdir().expect("tmp");
    let url = format!("file://{}", f.path().display());
    common::git_in(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "c"],
        "2026-01-12T00:00:00+00:00",
    );
    let out = common::aims_in(&clone.path().join("c"), f.home())
        .args(["build", "--today", "2026-12-01"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("AIMS-W040").count(), 1, "{err}");
}

#[test]
fn outside_a_repository_the_build_still_succeeds() {
    let f = Fixture::new();
    f.approved("a.md", "AIMS-POL-001", "policy", "Text.\n");
    let run = f.build();
    run.success();
    assert_eq!(
        run.stderr().matches("AIMS-W041").count(),
        1,
        "{}",
        run.stderr()
    );
    assert!(
        f.read("public/doc/AIMS-POL-001.html")
            .contains("Revision history is unavailable")
    );
    assert!(
        f.read("public/changes.html")
            .contains("Change history is unavailable")
    );
}

#[test]
fn a_tag_is_built_as_a_version_with_a_switcher() {
    let f = common::repo_with_policy();
    f.write(
        "book.toml",
        "[book]\ntitle = \"Versioned\"\n[versions]\ntags = \"v*\"\n",
    );
    f.write(".gitignore", "public/\n.cache/\n");
    f.commit("Publish versions", "2026-01-11T09:00:00+00:00");
    f.git(&["tag", "v1.0"]);
    let text = f.read("content/policies/ai.md");
    f.write(
        "content/policies/ai.md",
        text.replace("version: \"1.0\"", "version: \"2.0\"")
            .replace("First text.", "Second edition text."),
    );
    f.commit("Version 2.0", "2026-03-01T09:00:00+00:00");
    f.git(&["tag", "other-tag"]);
    f.build().success();
    let current = f.read("public/doc/AIMS-POL-001.html");
    assert!(
        current.contains("Second edition text.") && current.contains("versions/v1.0/index.html"),
        "{current}"
    );
    assert!(
        !f.exists("public/versions/other-tag"),
        "only tags matching v*"
    );
    let old = f.read("public/versions/v1.0/doc/AIMS-POL-001.html");
    assert!(
        old.contains("First text.") && !old.contains("Second edition"),
        "{old}"
    );
    assert!(
        old.contains("Older version:") && old.contains("href=\"../../../index.html\""),
        "{old}"
    );
    assert!(old.contains("<dd>1.0</dd>"));
    // Its history ends at the tag, and the work tree was not touched.
    assert!(!old.contains("Version 2.0"), "{old}");
    assert_eq!(f.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_commit_named_in_versions_refs_is_published_without_a_tag() {
    let f = common::repo_with_policy();
    f.write(".gitignore", "public/\n.cache/\n");
    let first = f.commit("First edition", "2026-01-11T09:00:00+00:00");
    let text = f.read("content/policies/ai.md");
    f.write(
        "content/policies/ai.md",
        text.replace("version: \"1.0\"", "version: \"2.0\"")
            .replace("First text.", "Second edition text."),
    );
    f.write(
        "book.toml",
        format!(
            "[book]\ntitle = \"Versioned\"\n[versions]\nrefs = {{ \"2025 edition / first\" = \"{first}\", \"ghost\" = \"0123456789abcdef0123456789abcdef01234567\" }}\n"
        ),
    );
    f.commit("Version 2.0", "2026-03-01T09:00:00+00:00");
    // A commit outside the branch's history is not published either.
    f.git(&["checkout", "-q", "-b", "side", &first]);
    f.write("content/side.md", "x");
    let side = f.commit("Side work", "2026-03-02T09:00:00+00:00");
    f.git(&["checkout", "-q", "main"]);
    let toml = f.read("book.toml");
    f.write(
        "book.toml",
        toml.replace("\"ghost\"", &format!("\"side\" = \"{side}\", \"ghost\"")),
    );
    let run = f.build();
    run.success();
    let err = run.stderr();
    assert!(
        err.contains("version ghost was not published") && err.contains("not a commit"),
        "{err}"
    );
    assert!(
        err.contains("version side was not published") && err.contains("not in the history"),
        "{err}"
    );
    // The label becomes a safe folder name; the switcher shows the label.
    let old = f.read("public/versions/2025-edition-first/doc/AIMS-POL-001.html");
    assert!(
        old.contains("First text.") && old.contains("Older version:"),
        "{old}"
    );
    assert!(old.contains("2025 edition / first"), "{old}");
    let current = f.read("public/index.html");
    assert!(
        current.contains("versions/2025-edition-first/index.html"),
        "{current}"
    );
    assert!(!f.exists("public/versions/side") && !f.exists("public/versions/ghost"));
}
