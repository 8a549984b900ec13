//! Approval integrity at its edges: what counts as the approval commit, what counts as a change
//! after it, and how merges, renames and uncommitted edits are read (README "Git as document
//! control": AIMS-W030 for the body, AIMS-W031 for the front-matter).

mod common;

use common::{Fixture, Run};

const FILE: &str = "content/policies/ai.md";

fn edit(f: &Fixture, rel: &str, pairs: &[(&str, &str)]) {
    let mut text = f.read(rel);
    for (from, to) in pairs {
        assert!(text.contains(from), "{from:?} not in {rel}");
        text = text.replace(from, to);
    }
    f.write(rel, text);
}

/// The codes of the approval findings of a build, and the register's two columns
/// (changed_since_approval, front_matter_changed_since_approval) of the first document.
fn approval_state(f: &Fixture) -> (Run, Vec<String>, String) {
    let run = f.build();
    run.success();
    let codes = run
        .findings()
        .into_iter()
        .map(|(_, c, _)| c)
        .filter(|c| c == "AIMS-W030" || c == "AIMS-W031")
        .collect();
    let csv = f.read("public/register.csv");
    let row = csv.lines().nth(1).unwrap_or("").to_string();
    let cols: Vec<&str> = row.rsplitn(3, ',').take(2).collect();
    (run, codes, format!("{},{}", cols[1], cols[0]))
}

#[test]
fn an_edit_and_a_version_bump_in_one_commit_is_an_approval() {
    let f = common::repo_with_policy();
    edit(
        &f,
        FILE,
        &[
            ("version: \"1.0\"", "version: \"1.1\""),
            ("date: 2026-01-15", "date: 2026-02-01"),
            ("First text.", "Second text."),
        ],
    );
    f.commit("Version 1.1", "2026-02-01T09:00:00+00:00");
    let (run, codes, cols) = approval_state(&f);
    assert!(codes.is_empty(), "{}", run.stderr());
    assert_eq!(cols, "no,no");
    // A version bump alone (without a new approval) counts as well: it is the commit that last
    // changed `version`.
    edit(
        &f,
        FILE,
        &[
            ("version: \"1.1\"", "version: \"1.2\""),
            ("Second text.", "Third text."),
        ],
    );
    f.commit("Version 1.2", "2026-03-01T09:00:00+00:00");
    let (run, codes, cols) = approval_state(&f);
    assert!(codes.is_empty(), "{}", run.stderr());
    assert_eq!(cols, "no,no");
}

#[test]
fn an_approval_only_change_is_a_new_approval_point() {
    let f = common::repo_with_policy();
    edit(&f, FILE, &[("First text.", "Reworded text.")]);
    f.commit("Reword", "2026-02-01T09:00:00+00:00");
    let (run, codes, cols) = approval_state(&f);
    assert_eq!(codes, ["AIMS-W030"], "{}", run.stderr());
    assert_eq!(cols, "yes,no");
    // Re-approving the reworded text (approval changed, version and body unchanged) clears it.
    edit(&f, FILE, &[("date: 2026-01-15", "date: 2026-02-15")]);
    f.commit("Re-approve the wording", "2026-02-15T09:00:00+00:00");
    let (run, codes, cols) = approval_state(&f);
    assert!(codes.is_empty(), "{}", run.stderr());
    assert_eq!(cols, "no,no");
    // Approved by someone else: an approval change too.
    edit(&f, FILE, &[("Reworded text.", "Reworded again.")]);
    f.commit("Reword again", "2026-03-01T09:00:00+00:00");
    edit(
        &f,
        FILE,
        &[("by: Chief Executive Officer", "by: Chief Risk Officer")],
    );
    f.commit("Approved by the CRO", "2026-03-02T09:00:00+00:00");
    let (run, codes, _) = approval_state(&f);
    assert!(codes.is_empty(), "{}", run.stderr());
}

#[test]
fn an_uncommitted_front_matter_change_is_w031_not_w030() {
    let f = common::repo_with_policy();
    edit(
        &f,
        FILE,
        &[("owner: AI Governance Lead", "owner: Head of AI Governance")],
    );
    let (run, codes, cols) = approval_state(&f);
    assert_eq!(codes, ["AIMS-W031"], "{}", run.stderr());
    assert_eq!(cols, "no,yes");
    run.stderr_has("uncommitted");
    // An uncommitted body edit on top: the body change is what is reported (W031 is for
    // front-matter-only changes).
    edit(&f, FILE, &[("First text.", "Edited, not committed.")]);
    let (run, codes, cols) = approval_state(&f);
    assert_eq!(codes, ["AIMS-W030"], "{}", run.stderr());
    // The register's second column, like W031, is for front-matter-only changes.
    assert_eq!(cols, "yes,no");
}

#[test]
fn an_edit_arriving_through_a_merge_is_flagged_with_the_commit_that_made_it() {
    let f = common::repo_with_policy();
    f.git(&["checkout", "-q", "-b", "feature"]);
    edit(&f, FILE, &[("First text.", "Text from the branch.")]);
    f.commit("Branch wording", "2026-02-01T09:00:00+00:00");
    f.git(&["checkout", "-q", "main"]);
    f.approved("policies/other.md", "AIMS-POL-002", "policy", "Other.\n");
    f.commit("Another policy", "2026-02-02T09:00:00+00:00");
    common::git_in(
        f.path(),
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge the feature branch",
            "feature",
        ],
        "2026-02-03T09:00:00+00:00",
    );
    assert!(f.read(FILE).contains("Text from the branch."));
    let (run, codes, cols) = approval_state(&f);
    assert_eq!(codes, ["AIMS-W030"], "{}", run.stderr());
    assert_eq!(cols, "yes,no");
    run.stderr_has("Branch wording");
    // The merge commit itself is not in the document's history; the branch commit is.
    let page = f.read("public/doc/AIMS-POL-001.html");
    let history = page.split("id=\"history-title\"").nth(1).unwrap_or("");
    assert!(history.contains("Branch wording"), "{history}");
    assert!(!history.contains("Merge the feature branch"), "{history}");

    // A branch that re-approves with its edit is merged clean.
    f.git(&["checkout", "-q", "-b", "approve"]);
    edit(
        &f,
        FILE,
        &[
            ("version: \"1.0\"", "version: \"1.1\""),
            ("date: 2026-01-15", "date: 2026-03-01"),
        ],
    );
    f.commit("Approve 1.1", "2026-03-01T09:00:00+00:00");
    f.git(&["checkout", "-q", "main"]);
    common::git_in(
        f.path(),
        &["merge", "-q", "--no-ff", "-m", "Merge approval", "approve"],
        "2026-03-02T09:00:00+00:00",
    );
    let (run, codes, cols) = approval_state(&f);
    assert!(codes.is_empty(), "{}", run.stderr());
    assert_eq!(cols, "no,no");
}

#[test]
fn a_rename_with_an_edit_keeps_the_history_and_is_flagged() {
    let f = common::repo_with_policy();
    // Enough text that git still sees a rename after a one-line edit.
    edit(
        &f,
        FILE,
        &[(
            "First text.",
            "First text.\n\nLine two.\n\nLine three.\n\nLine four.\n\nLine five.",
        )],
    );
    edit(&f, FILE, &[("version: \"1.0\"", "version: \"1.1\"")]);
    f.commit("Version 1.1 with more text", "2026-01-20T09:00:00+00:00");
    std::fs::create_dir_all(f.path().join("content/archive")).expect("mkdir");
    f.git(&["mv", FILE, "content/archive/ai-policy.md"]);
    edit(
        &f,
        "content/archive/ai-policy.md",
        &[("Line three.", "Line three, quietly changed.")],
    );
    f.commit("Move and tweak", "2026-02-01T09:00:00+00:00");
    let run = f.build();
    run.success()
        .finding("AIMS-W030", "content/archive/ai-policy.md", 6, 10)
        .stderr_has("Move and tweak");
    let page = f.read("public/doc/AIMS-POL-001.html");
    for subject in [
        "Move and tweak",
        "Version 1.1 with more text",
        "Add the AI policy",
    ] {
        assert!(page.contains(subject), "{subject} not in the history");
    }
    // A rename alone after approval changes nothing.
    let f = common::repo_with_policy();
    f.git(&["mv", FILE, "content/moved.md"]);
    f.commit("Move only", "2026-02-01T09:00:00+00:00");
    let (run, codes, cols) = approval_state(&f);
    assert!(codes.is_empty(), "{}", run.stderr());
    assert_eq!(cols, "no,no");
}
