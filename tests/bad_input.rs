//! SPEC section 7: bad input gives a clear error naming file, line and column, never a panic,
//! and every finding is reported in one run.

mod common;

use common::{Fixture, front};

#[test]
fn malformed_yaml() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        "---\nid: AIMS-POL-001\ntitle: \"unclosed\ntype: policy\n---\n",
        "",
    );
    f.build()
        .fails_with(1)
        .stderr_has("AIMS-E004")
        .stderr_has("content/a.md:");
}

#[test]
fn wrong_types() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        "---\nid: AIMS-POL-001\ntitle: [a, b]\ntype: policy\nowner: O\nversion: \"1\"\nstatus: draft\nclauses: {x: 1}\n---\n",
        "",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E011", "content/a.md", 3, 8)
        .stderr_has("`title` must be a single value, found a list")
        .finding("AIMS-E011", "content/a.md", 8, 10);
}

#[test]
fn missing_fields_and_unknown_fields() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        "---\nid: AIMS-POL-001\ntitel: Policy\ntype: policy\nversion: \"1\"\nstatus: draft\n---\n",
        "",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E010", "content/a.md", 1, 1)
        .stderr_has("missing required field `title`")
        .stderr_has("missing required field `owner`")
        .finding("AIMS-W001", "content/a.md", 3, 1)
        .stderr_has("did you mean `title`?");
}

#[test]
fn invalid_keywords_say_what_is_accepted() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "aproved",
            "classification: secret\n",
        ),
        "",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E012", "content/a.md", 7, 9)
        .stderr_has(
            "did you mean `approved`? expected one of: draft, in-review, approved, withdrawn",
        )
        .finding("AIMS-E012", "content/a.md", 8, 17)
        .stderr_has("expected one of: public, internal, confidential, restricted");
}

#[test]
fn duplicate_ids_name_both_places() {
    let f = Fixture::new();
    f.approved("a.md", "AIMS-POL-001", "policy", "");
    f.approved("sub/b.md", "AIMS-POL-001", "policy", "");
    f.build()
        .fails_with(1)
        .finding("AIMS-E017", "content/sub/b.md", 2, 5)
        .stderr_has("already the id of content/a.md:2:5");
}

#[test]
fn ids_differing_only_in_case_collide() {
    let f = Fixture::new();
    f.approved("a.md", "AIMS-POL-001", "policy", "");
    f.approved("b.md", "aims-pol-001", "policy", "");
    f.build().fails_with(1).stderr_has("AIMS-E017");
}

#[test]
fn unknown_clause_and_control_suggest_the_nearest() {
    let f = Fixture::new();
    f.approved("a.md", "AIMS-POL-001", "policy", "");
    f.write(
        "content/a.md",
        front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "clauses: [\"6.1.9\", \"A.5.2\"]\ncontrols: [A.6.2.9, A.6]\n",
        ),
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E020", "content/a.md", 12, 11)
        .stderr_has("unknown clause `6.1.9`")
        .stderr_has("list it under `controls`")
        .finding("AIMS-E021", "content/a.md", 13, 12)
        .stderr_has("did you mean A.6.2.8?")
        .stderr_has("`A.6` is an Annex A objective, not a control");
}

#[test]
fn impossible_and_malformed_dates() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        &front("AIMS-POL-001", "policy", "approved", "")
            .replace("date: 2026-01-15", "date: 2026-02-30")
            .replace("review_date: 2027-01-15", "review_date: 15/01/2027"),
        "",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E013", "content/a.md", 10, 9)
        .stderr_has("impossible date `2026-02-30`")
        .stderr_has("that month has 28 days")
        .finding("AIMS-E013", "content/a.md", 11, 14);
}

#[test]
fn approved_without_approval_or_review() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        "---\nid: AIMS-POL-001\ntitle: T\ntype: policy\nowner: O\nversion: \"1\"\nstatus: approved\n---\n",
        "",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E014", "content/a.md", 7, 1)
        .finding("AIMS-E015", "content/a.md", 7, 1);
    // A default review cycle in book.toml fills the review date in.
    f.write(
        "book.toml",
        "[aims]\ndefault-review-cycle = \"12 months\"\n",
    );
    f.build().fails_with(1).stderr_has("AIMS-E014");
    let r = f.build();
    assert!(!r.stderr().contains("AIMS-E015"), "{}", r.stderr());
}

#[test]
fn broken_links() {
    let f = Fixture::new();
    f.approved(
        "a.md",
        "AIMS-POL-001",
        "policy",
        "Line one.\n\n[x](nope.md) [y](../../out.md) [z](#missing)\n",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E030", "content/a.md", 15, 1)
        .finding("AIMS-E030", "content/a.md", 15, 14)
        .finding("AIMS-E032", "content/a.md", 15, 32);
}

#[test]
fn non_utf8_file() {
    let f = Fixture::new();
    let mut bytes = front("AIMS-POL-001", "policy", "approved", "").into_bytes();
    bytes.extend_from_slice(b"caf\xe9 au lait\n");
    f.write("content/a.md", bytes);
    f.build()
        .fails_with(1)
        .finding("AIMS-E001", "content/a.md", 13, 4)
        .stderr_has("not valid UTF-8");
}

#[test]
fn huge_file() {
    let f = Fixture::new();
    f.write("book.toml", "[build]\nmax-file-size = 1000\n");
    f.approved("a.md", "AIMS-POL-001", "policy", &"x".repeat(5000));
    f.build()
        .fails_with(1)
        .stderr_has("AIMS-E040")
        .stderr_has("content/a.md");
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    let f = Fixture::new();
    f.approved("a/doc.md", "AIMS-POL-001", "policy", "");
    std::os::unix::fs::symlink("..", f.path().join("content/a/loop")).expect("symlink");
    f.build()
        .fails_with(1)
        .stderr_has("AIMS-E041")
        .stderr_has("symbolic link loop");
}

#[test]
fn missing_and_unclosed_front_matter() {
    let f = Fixture::new();
    f.write("content/a.md", "# Just a heading\n");
    f.write("content/b.md", "---\nid: AIMS-POL-002\n");
    f.build()
        .fails_with(1)
        .finding("AIMS-E002", "content/a.md", 1, 1)
        .finding("AIMS-E003", "content/b.md", 1, 1);
}

#[test]
fn every_finding_in_one_run_sorted_by_file_and_line() {
    let f = Fixture::new();
    f.doc("b.md", &front("AIMS-POL-002", "polcy", "approved", ""), "");
    f.doc(
        "a.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "classification: secrett\n",
        ),
        "[[NOPE]]\n",
    );
    let run = f.build();
    run.fails_with(1);
    let err = run.stderr();
    let a = err.find("content/a.md:12").expect("a.md finding");
    let a2 = err.find("content/a.md:14").expect("a.md link finding");
    let b = err.find("content/b.md:4").expect("b.md finding");
    assert!(a < a2 && a2 < b, "{err}");
    assert!(err.contains("3 error(s)"), "{err}");
}

#[test]
fn book_toml_unknown_key_is_a_warning_and_bad_value_an_error() {
    let f = Fixture::new();
    f.approved("a.md", "AIMS-POL-001", "policy", "");
    f.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n\n[build]\noutput-dri = \"site\"\n",
    );
    f.build()
        .success()
        .finding("AIMS-W002", "book.toml", 5, 1)
        .stderr_has("unknown key `build.output-dri`")
        .stderr_has("did you mean `output-dir`?");
    f.write("book.toml", "[aims]\nreview-warning-days = \"soon\"\n");
    f.build()
        .fails_with(1)
        .finding("AIMS-E050", "book.toml", 2, 23);
    f.write("book.toml", "[book\n");
    f.build()
        .fails_with(1)
        .stderr_has("AIMS-E050")
        .stderr_has("book.toml:1:");
}

#[test]
fn unknown_related_and_supersedes_ids() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "related: [AIMS-POL-00]\nsupersedes: OLD-1\n",
        ),
        "",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E031", "content/a.md", 12, 11)
        .finding("AIMS-E031", "content/a.md", 13, 13);
}

#[test]
fn a_diagnostic_shows_the_line_and_a_caret() {
    let f = Fixture::new();
    f.doc("a.md", &front("AIMS-POL-001", "policy", "aproved", ""), "");
    let err = f.build().stderr();
    assert!(
        err.contains("error[AIMS-E012]: invalid status `aproved`"),
        "{err}"
    );
    assert!(err.contains("--> content/a.md:7:9"), "{err}");
    assert!(err.contains("7 | status: aproved"), "{err}");
    assert!(err.contains("^^^^^^^"), "{err}");
}

/// A typo that makes a document unreadable is reported once, first, as the root cause; the
/// references to that document from other files are folded under it instead of being reported
/// as unknown ids with a wrong "did you mean".
#[test]
fn a_document_that_cannot_be_read_is_the_root_cause_reported_first() {
    let f = common::Fixture::new();
    f.doc(
        "z-policy.md",
        &common::front("AIMS-POL-001", "policy", "aproved", ""),
        "Text.\n",
    );
    f.doc(
        "a.md",
        &common::front(
            "AIMS-PRO-001",
            "procedure",
            "draft",
            "related: [AIMS-POL-001]\n",
        ),
        "See [[AIMS-POL-001]].\n",
    );
    f.doc(
        "b.md",
        &common::front(
            "AIMS-PRO-002",
            "procedure",
            "draft",
            "supersedes: AIMS-POL-001\n",
        ),
        "Text.\n",
    );
    let run = f.build();
    run.fails_with(1);
    let errors: Vec<_> = run
        .findings()
        .into_iter()
        .filter(|(sev, _, _)| sev == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr());
    assert_eq!(errors[0].1, "AIMS-E012");
    let stderr = run.stderr();
    assert!(
        stderr
            .trim_start()
            .starts_with("error[AIMS-E012]: invalid status `aproved`"),
        "the root cause comes first: {stderr}"
    );
    assert!(stderr.contains(
        "referenced by content/a.md:8:11 (related), content/b.md:8:13 (supersedes): those references resolve once this document can be read"
    ), "{stderr}");
    assert!(!stderr.contains("did you mean `AIMS-PRO-001`"), "{stderr}");
}
