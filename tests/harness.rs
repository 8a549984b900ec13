//! The harness itself: `finding()` must tie a code to its own location, and runs must not see
//! the caller's environment.

mod common;

use std::os::unix::process::ExitStatusExt;
use std::process::Output;

use common::{Fixture, Run};

fn run_with(stderr: &str) -> Run {
    Run(Output {
        status: std::process::ExitStatus::from_raw(0),
        stdout: Vec::new(),
        stderr: stderr.as_bytes().to_vec(),
    })
}

const TWO: &str = "error[AIMS-E030]: broken link: `nope.md` does not exist
  --> content/a.md:13:1
   |
13 | [gone](nope.md) and [[AIMS-NOPE-9]]
   | ^^^^^^^^^^^^^^^
   = help: check the path
error[AIMS-E031]: unknown document id `AIMS-NOPE-9`
  --> content/a.md:13:24
   |
13 | [gone](nope.md) and [[AIMS-NOPE-9]]
   |                       ^^^^^^^^^^^
warning[AIMS-W052]: there is no Statement of Applicability
error: 2 error(s), 1 warning(s); nothing was written
";

#[test]
fn finding_ties_each_code_to_its_own_location() {
    let run = run_with(TWO);
    assert_eq!(
        run.findings(),
        [
            (
                "error".into(),
                "AIMS-E030".into(),
                "content/a.md:13:1".into()
            ),
            (
                "error".into(),
                "AIMS-E031".into(),
                "content/a.md:13:24".into()
            ),
            ("warning".into(), "AIMS-W052".into(), String::new()),
        ]
    );
    run.finding("AIMS-E030", "content/a.md", 13, 1)
        .finding("AIMS-E031", "content/a.md", 13, 24)
        .finding("AIMS-E031", "content/a.md", 13, 0);
    // Each code is in the output and each location is too, but not together: both must fail.
    for (code, col) in [("AIMS-E030", 24), ("AIMS-E031", 1)] {
        let crossed = std::panic::catch_unwind(|| {
            run_with(TWO).finding(code, "content/a.md", 13, col);
        });
        assert!(
            crossed.is_err(),
            "{code} matched the other finding's column {col}"
        );
    }
    // A finding without a location has none to match.
    assert!(
        std::panic::catch_unwind(|| {
            run_with(TWO).finding("AIMS-W052", "content/a.md", 13, 0);
        })
        .is_err()
    );
}

#[test]
fn a_quoted_report_inside_a_message_is_not_the_location() {
    let run = run_with(
        "error[AIMS-E070]: template error: error: Found `%}`
                   --> document.html:1:7
                    |
                  1 | {% if %}
--> templates/document.html:1:1
 = help: fix the template
",
    );
    assert_eq!(
        run.findings(),
        [(
            "error".into(),
            "AIMS-E070".into(),
            "templates/document.html:1:1".into()
        )]
    );
}

/// Runs `env` and a build through the harness and checks that nothing of the caller's
/// environment reaches them. On its own it checks the test runner's environment; the test below
/// runs it again with a hostile one.
#[test]
fn harness_runs_see_none_of_the_callers_environment() {
    let f = Fixture::new();
    let mut env = std::process::Command::new("env");
    common::isolate(&mut env, f.home());
    let shown = String::from_utf8(env.output().expect("env").stdout).expect("utf-8");
    for line in shown.lines() {
        let key = line.split('=').next().unwrap_or("");
        let allowed_git = key == "GIT_CONFIG_NOSYSTEM" || key == "GIT_CONFIG_GLOBAL";
        assert!(
            !(key.starts_with("XDG_")
                || key.starts_with("AIMS_SITE")
                || key == "SOURCE_DATE_EPOCH"
                || (key.starts_with("GIT_") && !allowed_git)),
            "{line} reaches the binary"
        );
    }
    assert!(
        shown.contains(&format!("HOME={}\n", f.home().display())),
        "{shown}"
    );
    assert!(shown.contains("TZ=UTC\n"), "{shown}");
    // A build reads the fixture's own repository and measures against --today.
    f.git_init();
    f.approved("a.md", "AIMS-POL-001", "policy", "Text.\n");
    f.commit("In the fixture", "2026-01-10T09:00:00+00:00");
    f.build().success();
    assert!(
        f.read("public/doc/AIMS-POL-001.html")
            .contains("In the fixture")
    );
    let reviews = f.run(&["reviews", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&reviews.stdout()).expect("json");
    assert_ne!(
        json["today"], "2001-09-09",
        "SOURCE_DATE_EPOCH reached the binary"
    );
}

/// The test above, run again by this test binary with GIT_DIR, XDG folders, the cache folder,
/// TZ and SOURCE_DATE_EPOCH all set as a caller's shell (or a git hook) might set them.
#[test]
fn a_hostile_environment_does_not_reach_the_binary() {
    let elsewhere = tempfile::tempdir().expect("tmp");
    common::git_in(
        elsewhere.path(),
        &["init", "-q", "-b", "main"],
        "2026-01-01T00:00:00+00:00",
    );
    let out = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "harness_runs_see_none_of_the_callers_environment",
            "--test-threads=1",
        ])
        .env("GIT_DIR", elsewhere.path().join(".git"))
        .env("GIT_WORK_TREE", elsewhere.path())
        .env("GIT_INDEX_FILE", elsewhere.path().join("index"))
        .env("XDG_CACHE_HOME", elsewhere.path())
        .env("XDG_CONFIG_HOME", elsewhere.path())
        .env("AIMS_SITE_CACHE_DIR", elsewhere.path().join("cache"))
        .env("TZ", "Pacific/Kiritimati")
        .env("SOURCE_DATE_EPOCH", "1000000000")
        .output()
        .expect("run the test binary");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success() && text.contains("1 passed"), "{text}");
    assert!(
        !elsewhere.path().join("cache").exists(),
        "the cache went to AIMS_SITE_CACHE_DIR"
    );
}
