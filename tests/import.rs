//! `aims-site import`: metadata from front-matter aliases, body blocks, headings and names; a
//! dry run by default; `--write` idempotent and careful with uncommitted work; the result builds.

mod common;

use std::collections::BTreeMap;

use common::Fixture;
use sha2::{Digest, Sha256};

/// Every file of the fixture outside `.git`, as (relative path, SHA-256).
fn hashes(f: &Fixture) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![f.path().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let p = e.path();
            if p.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(f.path())
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(&p).expect("read");
                out.insert(rel, Sha256::digest(&bytes).to_vec());
            }
        }
    }
    out
}

/// The front-matter of a file (between the `---` lines).
fn front(text: &str) -> &str {
    let rest = text.strip_prefix("---\n").expect("front-matter written");
    &rest[..rest.find("\n---\n").expect("closed") + 1]
}

#[test]
fn front_matter_aliases_become_our_fields() {
    let f = Fixture::new();
    f.write(
        "content/policies/acceptable-use.md",
        "---\nname: Acceptable Use Policy\nauthor: CISO\nrevision: 1.10\nstatus: Approved\napproved_by: Chief Executive\napproved_on: 14 March 2026\nnext_review: 2027-03-14\nconfidentiality: Confidential\nacronym: AUP\nsatisfies:\n  TSC: [CC1.1]\n  ISO42001: [A.2.2, \"6.2\"]\nmajorRevisions:\n  - date: 2025-01-01\n    comment: first issue\ncost_centre: 42\n---\n\n# Acceptable Use Policy\n\nBody text.\n",
    );
    f.write(
        "content/records/audit.md",
        "---\ntitle: Internal audit report\nowner: Internal Auditor\nversion: \"2\"\nstatus: approved\napproval_date: 2026-02-01\napprover: Audit Committee\nreview: 14.02.2027\nlast_reviewed: 2026/01/31\ndate: 2026-01-15\n---\nBody.\n",
    );
    // Front-matter that lost its opening `---`.
    f.write(
        "content/plans/objectives.md",
        "title: AI objectives\nowner: AI Governance Lead\nversion: 0.3\nstatus: in review\n---\n\nThe objectives.\n",
    );
    f.run(&["import", "--write"]).success();
    let aup = f.read("content/policies/acceptable-use.md");
    assert_eq!(
        front(&aup),
        "id: AUP\ntitle: Acceptable Use Policy\ntype: policy\nowner: CISO\nversion: \"1.10\"\nstatus: approved\napproval:\n  by: Chief Executive\n  date: 2026-03-14\nreview_date: 2027-03-14\nclauses: [\"6.2\"]\ncontrols: [\"A.2.2\"]\nclassification: confidential\nextra:\n  satisfies:\n    TSC: [CC1.1]\n    ISO42001: [A.2.2, \"6.2\"]\n  majorRevisions:\n    - date: 2025-01-01\n      comment: first issue\n  cost_centre: 42\n",
        "{aup}"
    );
    assert!(
        aup.ends_with("---\n\n# Acceptable Use Policy\n\nBody text.\n"),
        "{aup}"
    );
    let audit = f.read("content/records/audit.md");
    assert_eq!(
        front(&audit),
        "id: AIMS-REC-001\ntitle: Internal audit report\ntype: record\nowner: Internal Auditor\nversion: \"2\"\nstatus: approved\napproval:\n  by: Audit Committee\n  date: 2026-02-01\nreview_date: 2027-02-14\nextra:\n  last_reviewed: 2026-01-31\n  date: 2026-01-15\n",
        "{audit}"
    );
    let plan = f.read("content/plans/objectives.md");
    assert!(
        plan.starts_with("---\nid: AIMS-PLN-001\ntitle: AI objectives\ntype: plan\nowner: AI Governance Lead\nversion: \"0.3\"\nstatus: in-review\n---\n\nThe objectives.\n"),
        "{plan}"
    );
    // What was written is valid: check finds no error in it.
    f.run(&["check"]).stderr_has("0 error(s)");
}

#[test]
fn a_body_block_as_bullets_and_as_a_table_is_lifted_and_removed() {
    let f = Fixture::new();
    f.write(
        "content/a.md",
        "# AI Risk Management Procedure\n\n## Document Control\n\n- **Document ID:** AIMS-PRO-007\n- **Version:** 1.1\n- **Status:** Approved\n- **Owner:** Risk Manager\n- **Approved by:** CEO\n- **Approval date:** 2026-01-10\n- **Next review:** 2027-01-10\n- **Date:** 2026-01-09\n\n## Purpose\n\nText.\n",
    );
    f.write(
        "content/b.md",
        "# Supplier register\n\n| Field | Value |\n|---|---|\n| Doc ID | AIMS-REG-003 |\n| Revision | 2.0 |\n| Document owner | Procurement Lead |\n| Status | Draft |\n| Classification | Restricted |\n\n| Supplier | Since |\n|---|---|\n| X | 2020 |\n",
    );
    f.write(
        "content/c.md",
        "# Kept block policy\n\n- **Document ID:** AIMS-POL-002\n- **Version:** 3\n- **Owner:** CISO\n\nText.\n",
    );
    let run = f.run(&["import", "--write", "content/a.md", "content/b.md"]);
    run.success();
    assert!(
        run.stdout().contains("body block `Document ID` (line 5)"),
        "{}",
        run.stdout()
    );
    assert_eq!(
        f.read("content/a.md"),
        "---\nid: AIMS-PRO-007\ntitle: AI Risk Management Procedure\ntype: procedure\nowner: Risk Manager\nversion: \"1.1\"\nstatus: approved\napproval:\n  by: CEO\n  date: 2026-01-10\nreview_date: 2027-01-10\nextra:\n  date: 2026-01-09\n---\n# AI Risk Management Procedure\n\n## Purpose\n\nText.\n"
    );
    assert_eq!(
        f.read("content/b.md"),
        "---\nid: AIMS-REG-003\ntitle: Supplier register\ntype: register\nowner: Procurement Lead\nversion: \"2.0\"\nstatus: draft\nclassification: restricted\n---\n# Supplier register\n\n| Supplier | Since |\n|---|---|\n| X | 2020 |\n"
    );
    // --keep-block lifts the values and leaves the block where it was.
    f.run(&["import", "--write", "--keep-block", "content/c.md"])
        .success();
    let c = f.read("content/c.md");
    assert!(
        c.contains("id: AIMS-POL-002\n")
            && c.contains("owner: CISO\n")
            && c.ends_with("---\n# Kept block policy\n\n- **Document ID:** AIMS-POL-002\n- **Version:** 3\n- **Owner:** CISO\n\nText.\n"),
        "{c}"
    );
}

#[test]
fn a_file_without_metadata_is_a_draft_with_questions() {
    let f = Fixture::new();
    f.write("content/notes.md", "Some notes without any metadata.\n");
    // Says approved, but nobody is named as approver: a draft, never guessed approved.
    f.write(
        "content/claimed.md",
        "# Claimed policy\n\n- **Status:** Approved\n- **Version:** 1.0\n- **Owner:** CISO\n- **Approval date:** 2026-02-30\n",
    );
    let run = f.run(&["import", "--write"]);
    run.success();
    let out = run.stdout();
    let notes = f.read("content/notes.md");
    assert!(
        notes.contains("status: draft\n")
            && notes.contains("owner: Unassigned\n")
            && notes.contains("title: Notes\n")
            && notes.ends_with("---\nSome notes without any metadata.\n"),
        "{notes}"
    );
    assert!(
        out.contains("? no owner found")
            && out.contains("? no status found")
            && out.contains("? no version found"),
        "{out}"
    );
    let claimed = f.read("content/claimed.md");
    assert!(
        claimed.contains("status: draft\n") && !claimed.contains("approval:"),
        "{claimed}"
    );
    assert!(
        out.contains("content/claimed.md:6: `Approval date: 2026-02-30` is not a date")
            && out.contains("content/claimed.md:3: the status says approved, but there is no evidence of who approved it or the approval date"),
        "{out}"
    );
    assert!(
        out.contains("2 imported as draft with open questions"),
        "{out}"
    );
}

#[test]
fn type_and_clauses_are_inferred_from_folder_and_file_names() {
    let f = Fixture::new();
    let meta = "- **Version:** 1\n- **Owner:** CISO\n- **Status:** Draft\n";
    f.write(
        "content/06-planning/ai-objectives-plan.md",
        format!("Intro.\n\n{meta}"),
    );
    f.write(
        "content/templates/Clause 8 Operation/change-request.md",
        meta,
    );
    f.write("content/04-procedures/overview.md", meta);
    f.write(
        "content/x/thing.md",
        format!("# Thing\n\n{meta}\n## 6.1.2 AI risk assessment\n\n## 4. Responsibilities\n"),
    );
    let run = f.run(&["import"]);
    run.success();
    let out = run.stdout();
    for expected in [
        "plan                             inferred from the file name",
        "6                                inferred from the folder `06-planning`",
        "form                             inferred from the folder `templates`",
        "8                                inferred from the folder `Clause 8 Operation`",
        "procedure                        inferred from the folder `04-procedures`",
        "6.1.2                            inferred from the heading on line 7",
    ] {
        assert!(out.contains(expected), "{expected:?} not in:\n{out}");
    }
    // A numbered folder or heading whose words are not the clause's is no clause.
    let overview = out
        .split("content/04-procedures/overview.md")
        .nth(1)
        .expect("overview reported");
    let overview = &overview[..overview.find("\n\n").unwrap_or(overview.len())];
    assert!(overview.contains("clauses        -"), "{overview}");
    assert!(
        !out.contains("inferred from the heading on line 9"),
        "{out}"
    );
}

#[test]
fn a_dry_run_changes_nothing() {
    let f = Fixture::new();
    f.remove("book.toml");
    f.write(
        "content/a.md",
        "# A policy\n\n- **Version:** 1\n- **Owner:** X\n",
    );
    f.write("content/b.md", "name: B\nauthor: Y\n---\nText\n");
    let before = hashes(&f);
    let run = f.run(&["import"]);
    run.success();
    assert!(
        run.stdout().contains("dry run: nothing was changed")
            && run.stdout().contains("book.toml: would be created"),
        "{}",
        run.stdout()
    );
    assert_eq!(hashes(&f), before);
    // And --write does change them (and creates book.toml as init would).
    f.run(&["import", "--write"]).success();
    let after = hashes(&f);
    assert_ne!(after.get("content/a.md"), before.get("content/a.md"));
    assert!(f.read("book.toml").contains("content-dir = \"content\""));
}

#[test]
fn writing_twice_changes_nothing_the_second_time() {
    let f = Fixture::new();
    f.write(
        "content/a.md",
        "# A policy\n\n| Version | 1.1 |\n|---|---|\n| Status | Approved |\n| Owner | X |\n\nBody\n",
    );
    f.write(
        "content/b.md",
        "---\nname: B procedure\nauthor: [Y, Z]\nrevision: 2\nstatus: draft\ncustom: {a: 1}\n---\nText\n",
    );
    f.write("content/c.md", "Just text.\n");
    f.run(&["import", "--write", "--keep-block"]).success();
    let first = hashes(&f);
    let run = f.run(&["import", "--write", "--keep-block"]);
    run.success();
    assert!(
        run.stdout()
            .contains("0 written, 3 already in aims-site form (unchanged)"),
        "{}",
        run.stdout()
    );
    assert_eq!(hashes(&f), first);
}

#[test]
fn uncommitted_changes_are_refused_unless_forced() {
    let f = Fixture::new();
    f.git_init();
    f.write(
        "content/a.md",
        "# A policy\n\n- **Version:** 1\n- **Owner:** X\n",
    );
    f.write("content/b.md", "# B policy\n");
    f.commit("Add policies", "2026-01-10T10:00:00+00:00");
    f.write(
        "content/a.md",
        "# A policy\n\n- **Version:** 2\n- **Owner:** X\n",
    );
    let before = hashes(&f);
    let run = f.run(&["import", "--write"]);
    run.fails_with(2)
        .stderr_has("uncommitted changes")
        .stderr_has("content/a.md");
    assert_eq!(hashes(&f), before, "nothing written");
    f.run(&["import", "--write", "--force"]).success();
    assert!(f.read("content/a.md").contains("version: \"2\"\n"));
    assert!(f.read("content/b.md").starts_with("---\n"));
}

#[test]
fn from_git_takes_owner_and_approval_date_from_history() {
    let f = Fixture::new();
    f.git_init();
    f.write(
        "content/a.md",
        "# A policy\n\n- **Version:** 1\n- **Status:** Draft\n- **Approved by:** CEO\n",
    );
    f.commit("Draft A", "2026-01-10T10:00:00+00:00");
    f.write("content/a.md", "# A policy\n\n- **Version:** 1\n- **Status:** Approved\n- **Approved by:** CEO\n- **Next review:** 2027-02-20\n");
    f.commit("Approve A", "2026-02-20T10:00:00+00:00");
    // Without --from-git: no owner, no approval date, so a draft.
    let run = f.run(&["import"]);
    assert!(
        run.stdout().contains("? no owner found"),
        "{}",
        run.stdout()
    );
    let run = f.run(&["import", "--write", "--from-git"]);
    run.success();
    assert!(
        run.stdout().contains("git: last author")
            && run.stdout().contains("set the status to approved"),
        "{}",
        run.stdout()
    );
    let a = f.read("content/a.md");
    assert!(
        a.contains("owner: Ada Tester\n")
            && a.contains("status: approved\n")
            && a.contains("approval:\n  by: CEO\n  date: 2026-02-20\n"),
        "{a}"
    );
}

/// About ten documents in the styles people bring, with a Git history: after `import --write`
/// the manual builds, every document has its page, and the pages show the history.
#[test]
fn an_imported_manual_builds_with_its_history() {
    let f = Fixture::new();
    f.remove("book.toml");
    f.git_init();
    f.write(
        "content/policies/ai-policy.md",
        "---\nname: AI Policy\nauthor: AI Governance Lead\nrevision: 2.0\nstatus: approved\napproved_by: Board\napproved_on: 2026-01-05\nnext_review: 2027-01-05\nacronym: AIMS-POL-001\nsatisfies:\n  ISO42001: [\"5.2\"]\n---\n\n# AI Policy\n\nOur policy. See clause 5.2.\n",
    );
    f.write(
        "content/policies/acceptable-use.md",
        "# Acceptable use of AI\n\n## Document control\n\n- **Document ID:** AIMS-POL-002\n- **Version:** 1.0\n- **Status:** Approved\n- **Owner:** CISO\n- **Approved by:** CEO\n- **Approval date:** 2026-01-10\n- **Next review:** 10 January 2027\n\n## Rules\n\nBe careful.\n",
    );
    f.commit(
        "Add AI policy and acceptable use",
        "2026-01-10T10:00:00+00:00",
    );
    f.write(
        "content/procedures/incident-response.md",
        "# Incident response procedure\n\n| Doc ID | AIMS-PRO-001 |\n|---|---|\n| Version | 0.9 |\n| Owner | Security Lead |\n| Status | Draft |\n\n## Steps\n\n1. Report.\n",
    );
    f.write(
        "content/Clause 8 Operation/change-management-procedure.md",
        "# Change management\n\nHow changes to AI systems are made.\n",
    );
    f.write(
        "content/06-planning/ai-objectives.md",
        "title: AI objectives plan\nowner: AI Governance Lead\nversion: 1.2\nstatus: in review\n---\n\n# AI objectives\n\n## 6.2 AI objectives and planning to achieve them\n",
    );
    f.commit("Add procedures and plans", "2026-02-01T10:00:00+00:00");
    f.write(
        "content/registers/ai-risk-register.md",
        "# AI risk register\n\n| Doc ID | Version | Owner | Status |\n|---|---|---|---|\n| AIMS-REG-001 | 3 | Risk Manager | Draft |\n\n| Risk | Level |\n|---|---|\n| Bias | High |\n",
    );
    f.write(
        "content/records/management-review-minutes-2026.md",
        "# Management review minutes\n\n**Version:** 1  \n**Owner:** CEO  \n**Status:** Final\n\nMinutes.\n",
    );
    f.write(
        "content/templates/impact-assessment-template.md",
        "---\ntitle: AI system impact assessment template\nowner: AI Governance Lead\nstatus: draft\nversion: \"0.1\"\n---\n\nFill in.\n",
    );
    f.write(
        "content/guidelines/prompting.md",
        "# Prompting guidance\n\n- **Document ID:** AIMS-GDL-001\n- **Owner:** Data Science Lead\n- **Version:** 1.0\n",
    );
    f.write(
        "content/reports/internal-audit-report.md",
        "---\ntitle: Internal audit report 2026\nauthor: [Internal Auditor, QA]\ndate: 2026-03-01\nversion: 1\nstatus: draft\n---\n\n# Internal audit report 2026\n\nFindings.\n",
    );
    f.commit(
        "Add registers, records and templates",
        "2026-03-01T10:00:00+00:00",
    );
    f.write(
        "content/policies/acceptable-use.md",
        f.read("content/policies/acceptable-use.md")
            .replace("Be careful.", "Be careful and kind."),
    );
    f.commit("Revise acceptable use", "2026-04-01T10:00:00+00:00");

    f.run(&["import", "--write"]).success();
    let run = f.run(&["build", "--drafts", "--today", "2026-12-01"]);
    run.success().stderr_has("built 10 documents");
    let mut ids = Vec::new();
    for (rel, _) in f.tree("content") {
        let text = f.read(&format!("content/{rel}"));
        let id = front(&text)
            .lines()
            .find_map(|l| l.strip_prefix("id: "))
            .expect("an id")
            .to_string();
        assert!(
            f.exists(&format!("public/doc/{id}.html")),
            "no page for {rel} ({id})"
        );
        ids.push(id);
    }
    assert_eq!(ids.len(), 10);
    let page = f.read("public/doc/AIMS-POL-002.html");
    assert!(
        page.contains("Revise acceptable use") && page.contains("Add AI policy and acceptable use"),
        "history missing from the page"
    );
    let page = f.read("public/doc/AIMS-PRO-001.html");
    assert!(page.contains("Add procedures and plans"), "history missing");
    // The approved ones stay approved; the one with an unknown status is a draft.
    assert!(
        f.read("content/policies/acceptable-use.md")
            .contains("status: approved\n")
    );
    assert!(
        f.read("content/records/management-review-minutes-2026.md")
            .contains("status: draft\n")
    );
}

#[test]
fn other_dialects_warn_in_build_and_import_converts_what_it_can() {
    let f = Fixture::new();
    f.write(
        "content/roles.md",
        "---\nid: AIMS-PRO-009\ntitle: Roles procedure\ntype: procedure\nowner: CISO\nversion: \"1.0\"\nstatus: draft\n---\n\n# Roles procedure\n\n+------+---------+\n| Role | Duty    |\n+======+=========+\n| DPO  | Advises |\n+------+---------+\n\n\\pagebreak\n\nDear {{.Name}},\n\n1. Step\n\n        i. Sub-step\n\n<!-- hidden -->\n",
    );
    // As written, each construct is a warning at its line.
    let run = f.run(&["build", "--drafts"]);
    run.success();
    for (code, at) in [
        ("AIMS-W054", "content/roles.md:12:1"),
        ("AIMS-W055", "content/roles.md:18:1"),
        ("AIMS-W056", "content/roles.md:20:6"),
        ("AIMS-W057", "content/roles.md:24:"),
        ("AIMS-W058", "content/roles.md:26:1"),
    ] {
        assert!(
            common::parse_findings(&run.stderr())
                .iter()
                .any(|(_, c, loc)| c == code && loc.starts_with(at)),
            "{code} at {at}:\n{}",
            run.stderr()
        );
    }
    // The import rewrites the table and drops the page break; it reports the rest is left.
    let import = f.run(&["import", "--write", "--force"]);
    import.success();
    assert!(
        import.stdout().contains("rewritten as a pipe table")
            && import.stdout().contains("page break"),
        "{}",
        import.stdout()
    );
    let text = f.read("content/roles.md");
    assert!(
        text.contains("| Role | Duty |\n|---|---|\n| DPO | Advises |\n")
            && !text.contains("\\pagebreak"),
        "{text}"
    );
    let run = f.run(&["build", "--drafts"]);
    run.success();
    let codes: Vec<String> = common::parse_findings(&run.stderr())
        .into_iter()
        .map(|(_, c, _)| c)
        .collect();
    assert!(
        !codes.iter().any(|c| c == "AIMS-W054" || c == "AIMS-W055"),
        "{codes:?}"
    );
    assert!(codes.iter().any(|c| c == "AIMS-W056"), "{codes:?}");
}

/// pandoc, or `None` outside CI when it is not installed (in CI its absence fails the test).
fn pandoc() -> Option<std::path::PathBuf> {
    let found = std::process::Command::new("pandoc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("pandoc".into());
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "pandoc is missing (apt-get install pandoc); .ci/run installs it"
    );
    eprintln!("skipped: pandoc is not installed");
    None
}

#[test]
fn a_word_file_is_converted_with_pandoc_and_imported() {
    let Some(_) = pandoc() else { return };
    let f = Fixture::new();
    // A Word document as people write them: a document-control table under the title.
    f.write(
        "source/AI Policy.md",
        "# AI Policy\n\n## Document Control\n\n| Field | Value |\n|---|---|\n| Document ID | AIMS-POL-007 |\n| Version | 2.1 |\n| Status | Approved |\n| Owner | Chief Technology Officer |\n| Approved by | Executive Committee |\n| Approval date | 2026-03-02 |\n| Next review | 2027-03-02 |\n\n## Purpose\n\nThe organisation uses AI responsibly.\n",
    );
    std::fs::create_dir_all(f.path().join("content/policies")).expect("mkdir");
    let made = std::process::Command::new("pandoc")
        .current_dir(f.path())
        .args([
            "-o",
            "content/policies/AI Policy.docx",
            "source/AI Policy.md",
        ])
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "pandoc made the Word file");
    std::fs::remove_dir_all(f.path().join("source")).expect("rm source");
    // A dry run converts to show the report, and writes nothing.
    let before = hashes(&f);
    let dry = f.run(&["import"]);
    dry.success();
    assert!(
        dry.stdout()
            .contains("content/policies/AI Policy.md: would write")
            && dry
                .stdout()
                .contains("converted from content/policies/AI Policy.docx with pandoc"),
        "{}",
        dry.stdout()
    );
    assert_eq!(hashes(&f), before);
    f.run(&["import", "--write"]).success();
    let text = f.read("content/policies/AI Policy.md");
    let fm = front(&text);
    for field in [
        "id: AIMS-POL-007",
        "version: \"2.1\"",
        "status: approved",
        "owner: Chief Technology Officer",
        "by: Executive Committee",
        "date: 2026-03-02",
        "review_date: 2027-03-02",
    ] {
        assert!(fm.contains(field), "{field} not in:\n{fm}");
    }
    assert!(
        text.contains("The organisation uses AI responsibly.") && !text.contains("| Version |"),
        "{text}"
    );
    f.build().success();
    assert!(
        f.read("public/doc/AIMS-POL-007.html")
            .contains("uses AI responsibly")
    );
    // A second run leaves it: the Word file has its Markdown now.
    let again = f.run(&["import", "--write"]);
    again.success();
    assert!(
        again.stdout().contains("already converted"),
        "{}",
        again.stdout()
    );
}

#[test]
fn without_pandoc_word_files_are_named_and_markdown_still_imported() {
    let f = Fixture::new();
    f.write("content/a.docx", "not really a Word file");
    f.write("content/b.md", "# B procedure\n\nText.\n");
    let run = f.run(&["import", "--pandoc", "/nonexistent/pandoc"]);
    run.success();
    assert!(
        run.stdout()
            .contains("1 Word file(s) not converted: pandoc was not found")
            && run.stdout().contains("content/b.md: would write"),
        "{}",
        run.stdout()
    );
}

/// Fifty documents in the styles other tools leave behind, with a Git history: after
/// `import --write` the manual builds, every document has a page under the id it gave itself,
/// and the pages show the history Git already had.
#[test]
fn fifty_documents_of_mixed_styles_import_and_build_with_their_history() {
    let f = Fixture::new();
    f.remove("book.toml");
    f.git_init();
    let kinds = [
        ("policies", "POL", "policy"),
        ("procedures", "PRO", "procedure"),
        ("plans", "PLN", "plan"),
        ("records", "REC", "record"),
        ("guidelines", "GDL", "guideline"),
    ];
    let mut expected = Vec::new();
    for n in 0..50usize {
        let (folder, code, word) = kinds[n % kinds.len()];
        let id = format!("CFS-{code}-{:03}", n + 1);
        let title = format!("Topic {n} {word}");
        let other = format!("CFS-{code}-{:03}", (n + kinds.len()) % 50 + 1);
        let body = format!("## Purpose\n\nWhat topic {n} is about; see {other} for more.\n");
        let text = match n % 5 {
            // Another tool's front-matter names.
            0 => format!(
                "---\nname: {title}\nauthor: Quality Manager\nrevision: 1.{n}\nstatus: approved\napproved_by: Managing Director\napproved_on: 2026-02-{:02}\nnext_review: 2027-02-{:02}\nacronym: {id}\n---\n\n# {title}\n\n{body}",
                n % 28 + 1,
                n % 28 + 1
            ),
            // A bullet block under a heading.
            1 => format!(
                "# {title}\n\n## Document control\n\n- **Document ID:** {id}\n- **Version:** 2.0\n- **Status:** Approved\n- **Owner:** Operations Lead\n- **Approved by:** Managing Director\n- **Approval date:** 3 March 2026\n- **Next review:** 3 March 2027\n\n{body}"
            ),
            // A two-column table.
            2 => format!(
                "# {title}\n\n| Doc ID | {id} |\n|---|---|\n| Version | 0.4 |\n| Owner | Data Lead |\n| Status | Draft |\n\n{body}"
            ),
            // Bold lines, a status that is not ours, a grid table and a page break.
            3 => format!(
                "# {title}\n\n**Reference:** {id}  \n**Version:** 1  \n**Owner:** HR Lead  \n**Status:** Final\n\n{body}\n+------+------+\n| Step | Who  |\n+======+======+\n| 1    | HR   |\n+------+------+\n\n\\pagebreak\n"
            ),
            // Our own front-matter already.
            _ => format!(
                "---\nid: {id}\ntitle: {title}\ntype: {word}\nowner: Compliance Lead\nversion: \"1.0\"\nstatus: draft\n---\n\n{body}"
            ),
        };
        f.write(&format!("content/{folder}/topic-{n:02}.md"), text);
        expected.push((format!("content/{folder}/topic-{n:02}.md"), id));
        if n % 10 == 9 {
            f.commit(
                &format!("Add topics up to {n}"),
                &format!("2026-0{}-15T10:00:00+00:00", n / 10 + 1),
            );
        }
    }
    let edited = f
        .read("content/policies/topic-00.md")
        .replace("more.", "more, and ask.");
    f.write("content/policies/topic-00.md", edited);
    f.commit("Clarify topic 0", "2026-06-20T10:00:00+00:00");

    let import = f.run(&["import", "--write"]);
    import.success();
    let run = f.run(&["build", "--drafts", "--today", "2026-12-01"]);
    run.success().stderr_has("built 50 documents");
    let codes: Vec<String> = common::parse_findings(&run.stderr())
        .into_iter()
        .map(|(_, c, _)| c)
        .collect();
    assert!(
        !codes.iter().any(|c| c == "AIMS-W054" || c == "AIMS-W055"),
        "grid tables and page breaks were converted: {codes:?}"
    );
    for (rel, id) in &expected {
        let text = f.read(rel);
        assert!(
            front(&text).contains(&format!("id: {id}\n")),
            "{rel} lost its id {id}"
        );
        let page = f.read(&format!("public/doc/{id}.html"));
        assert!(page.contains("What topic"), "{id}: no body on its page");
    }
    let page = f.read("public/doc/CFS-POL-001.html");
    assert!(
        page.contains("Clarify topic 0") && page.contains("Add topics up to 9"),
        "the page lost the history Git had"
    );
    // The body keeps its mention of another document by id.
    assert!(page.contains("CFS-POL-006"), "{page}");
}

#[test]
fn files_outside_the_content_folder_of_an_existing_book_toml_are_named() {
    let f = Fixture::new();
    f.write("docs/a.md", "# A policy\n\nText.\n");
    let before = f.read("book.toml");
    let run = f.run(&["import", "docs", "--write"]);
    run.success();
    assert!(
        run.stdout()
            .contains("1 file(s) lie outside the content folder content of book.toml")
            && run.stdout().contains("content-dir = \"docs\""),
        "{}",
        run.stdout()
    );
    assert_eq!(f.read("book.toml"), before, "book.toml is never rewritten");
}
