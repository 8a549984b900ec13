//! The bundled example manual (book.toml and content/ at the repository root): it builds with no
//! error and no warning, `check` passes on it, its SoA is complete and every clause 4–10 is
//! addressed.

mod common;

use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn aims(args: &[&str], home: &Path) -> std::process::Output {
    common::aims_in(repo(), home)
        .args(["--root", &repo().to_string_lossy()])
        .args(args)
        .output()
        .expect("run aims-site")
}

/// Warnings allowed on the example: only the one about a shallow clone, which depends on how the
/// repository was cloned, not on the example.
fn unexpected_warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("warning[") && !l.starts_with("warning[AIMS-W040]"))
        .collect()
}

#[test]
fn the_example_builds_with_no_error_and_no_warning() {
    let out_dir = tempfile::tempdir().expect("tmp");
    let dest = out_dir.path().join("site");
    let out = aims(
        &[
            "build",
            "--today",
            "2026-12-01",
            "--dest",
            &dest.to_string_lossy(),
        ],
        out_dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(unexpected_warnings(&err).is_empty(), "{err}");

    let soa = std::fs::read_to_string(dest.join("soa.html")).expect("soa.html");
    assert!(
        !soa.contains(">not listed<"),
        "every Annex A control is in the SoA"
    );
    assert!(
        soa.contains("excluded"),
        "the example has justified exclusions"
    );
    let clauses = std::fs::read_to_string(dest.join("clauses.html")).expect("clauses.html");
    for line in clauses
        .lines()
        .filter(|l| l.contains("class=\"clause ") && !l.contains("c-A."))
    {
        assert!(!line.contains("uncovered"), "clause not addressed: {line}");
    }
    let readiness = std::fs::read_to_string(dest.join("readiness.html")).expect("readiness.html");
    assert!(
        !readiness.contains("state-missing"),
        "every required item is provided"
    );
    // The deliberate states are there.
    let reviews = std::fs::read_to_string(dest.join("reviews.html")).expect("reviews.html");
    assert!(reviews.contains("review-overdue") && reviews.contains("review-due-soon"));
    assert_eq!(
        reviews.matches("class=\"review review-overdue\"").count(),
        3,
        "three overdue reviews"
    );
    assert_eq!(
        reviews.matches("class=\"review review-due-soon\"").count(),
        2,
        "two reviews due soon"
    );
    // Drafts are left out of the default build; the withdrawn guidance stays readable.
    assert!(
        !dest.join("doc/AIMS-PLN-003.html").exists()
            && !dest.join("doc/AIMS-GDL-003.html").exists()
    );
    let withdrawn =
        std::fs::read_to_string(dest.join("doc/AIMS-GDL-001.html")).expect("withdrawn page");
    assert!(withdrawn.contains("banner-withdrawn") && withdrawn.contains("AIMS-POL-004"));
}

#[test]
fn check_passes_on_the_example() {
    let home = tempfile::tempdir().expect("tmp");
    let out = aims(&["check"], home.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn the_intranet_profile_of_the_example_leaves_out_restricted_documents() {
    let out_dir = tempfile::tempdir().expect("tmp");
    let dest = out_dir.path().join("site");
    let out = aims(
        &[
            "build",
            "--today",
            "2026-12-01",
            "--profile",
            "intranet",
            "--dest",
            &dest.to_string_lossy(),
        ],
        out_dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let register = std::fs::read_to_string(dest.join("register.csv")).expect("register");
    assert!(!register.contains(",restricted,"), "{register}");
}
