//! Reproducible output under changed conditions (SPEC section 7): the same commit, options and
//! `--today` give byte-identical sites and export zips with the cache off, cold or warm, in two
//! time zones, under umask 077 and from a clone at another path; every zip entry carries the
//! export date at midnight and mode 0644.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Fixture;

/// A manual whose output exercises the caches (highlighted code, approval comparisons) and the
/// dates (commits close to midnight, in other offsets than UTC).
fn repo() -> Fixture {
    let f = Fixture::new();
    f.write(
        "book.toml",
        "[book]\ntitle = \"Repro\"\norganisation = \"Repro Org\"\n[profiles.auditor]\nclassifications = [\"public\", \"internal\", \"confidential\", \"restricted\"]\n",
    );
    f.approved(
        "policies/ai.md",
        "AIMS-POL-001",
        "policy",
        "# Purpose\n\n```yaml\nmodel: credit\nthreshold: 0.2\n```\n\n```python\ndef f(x):\n    return x * 2\n```\n\nSee clause 6.1.2 and [[AIMS-PRO-001]].\n",
    );
    f.approved(
        "procedures/risk.md",
        "AIMS-PRO-001",
        "procedure",
        "# Steps\n\n```rust\nfn main() {}\n```\n",
    );
    f.git_init();
    f.commit("First", "2026-01-31T23:30:00+00:00");
    // A body edit after approval (an approval comparison for the cache), committed just after
    // midnight in a zone east of UTC: the previous day in UTC.
    let text = f.read("content/policies/ai.md");
    f.write(
        "content/policies/ai.md",
        text.replace("See clause", "Also see clause"),
    );
    f.commit("Tweak", "2026-03-01T00:30:00+05:00");
    f
}

/// One condition: extra environment, whether to run under umask 077, and the project root.
struct Condition {
    name: &'static str,
    env: Vec<(&'static str, String)>,
    umask_077: bool,
    root: PathBuf,
}

/// Runs the binary under a condition, through the harness's isolation.
fn run(f: &Fixture, c: &Condition, args: &[&str]) {
    let mut cmd = if c.umask_077 {
        let mut sh = Command::new("sh");
        common::isolate(&mut sh, f.home());
        sh.arg("-c")
            .arg("umask 077 && exec \"$0\" \"$@\"")
            .arg(assert_cmd::cargo::cargo_bin("aims-site"));
        sh.current_dir(&c.root);
        sh
    } else {
        common::aims_in(&c.root, f.home())
    };
    cmd.args(args);
    for (k, v) in &c.env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{} {args:?}: {}",
        c.name,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What one condition made: the site's files, the zip's name and the zip's bytes.
type Made = (BTreeMap<String, Vec<u8>>, String, Vec<u8>);

/// A site and a zip made under `c`.
fn make(f: &Fixture, c: &Condition, out: &Path) -> Made {
    let site = out.join("site");
    let packs = out.join("packs");
    std::fs::create_dir_all(&packs).expect("packs");
    run(
        f,
        c,
        &[
            "build",
            "--profile",
            "auditor",
            "--today",
            "2026-12-01",
            "--dest",
            &site.to_string_lossy(),
        ],
    );
    run(
        f,
        c,
        &[
            "export",
            "--no-pdf",
            "--profile",
            "auditor",
            "--today",
            "2026-12-01",
            "-o",
            &packs.to_string_lossy(),
        ],
    );
    let zip = common::the_zip(&packs);
    common::assert_zip_entries_stamped(&zip, (2026, 12, 1));
    let name = zip
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    (
        common::files_in(&site).into_iter().collect(),
        name,
        std::fs::read(&zip).expect("zip"),
    )
}

#[test]
fn sites_and_packs_are_byte_identical_under_changed_conditions() {
    let f = repo();
    let clone_dir = tempfile::tempdir().expect("clone dir");
    let clone = clone_dir.path().join("elsewhere").join("manual-copy");
    std::fs::create_dir_all(clone.parent().expect("parent")).expect("mkdir");
    common::git_in(
        clone_dir.path(),
        &[
            "clone",
            "-q",
            &f.path().to_string_lossy(),
            &clone.to_string_lossy(),
        ],
        "2026-03-02T00:00:00+00:00",
    );
    let cache = tempfile::tempdir().expect("cache");
    let cache_dir = cache.path().to_string_lossy().into_owned();
    let root = f.path().to_path_buf();
    let plain = |name, env: Vec<(&'static str, String)>| Condition {
        name,
        env,
        umask_077: false,
        root: root.clone(),
    };
    let conditions = [
        plain("cache off", vec![("AIMS_SITE_CACHE_DIR", "off".into())]),
        plain(
            "cache cold",
            vec![("AIMS_SITE_CACHE_DIR", cache_dir.clone())],
        ),
        plain(
            "cache warm",
            vec![("AIMS_SITE_CACHE_DIR", cache_dir.clone())],
        ),
        plain("default cache under HOME", vec![]),
        plain("TZ 14 hours east", vec![("TZ", "XST-14".into())]),
        plain("TZ 12 hours west", vec![("TZ", "YST+12".into())]),
        plain(
            "TZ Pacific/Kiritimati",
            vec![("TZ", "Pacific/Kiritimati".into())],
        ),
        Condition {
            name: "umask 077",
            env: vec![],
            umask_077: true,
            root: root.clone(),
        },
        Condition {
            name: "a clone at another path",
            env: vec![],
            umask_077: false,
            root: clone.clone(),
        },
    ];
    let mut first: Option<(&str, Made)> = None;
    for c in &conditions {
        let out = tempfile::tempdir().expect("out");
        let (site, name, zip) = make(&f, c, out.path());
        if c.name == "cache cold" {
            assert!(
                walkdir::WalkDir::new(cache.path())
                    .into_iter()
                    .flatten()
                    .any(|e| e.file_type().is_file()),
                "the cache was not used: nothing in {cache_dir}"
            );
        }
        match &first {
            None => {
                assert!(site.len() > 10, "{}: {} files", c.name, site.len());
                first = Some((c.name, (site, name, zip)));
            }
            Some((base, (site0, name0, zip0))) => {
                let names = |s: &BTreeMap<String, Vec<u8>>| s.keys().cloned().collect::<Vec<_>>();
                assert_eq!(
                    names(&site),
                    names(site0),
                    "{} vs {base}: file list",
                    c.name
                );
                for (rel, bytes) in &site {
                    assert!(
                        bytes == &site0[rel],
                        "{rel} differs between `{}` and `{base}`",
                        c.name
                    );
                }
                assert_eq!(&name, name0, "{} vs {base}: zip name", c.name);
                assert!(
                    &zip == zip0,
                    "the zip differs between `{}` and `{base}`",
                    c.name
                );
            }
        }
    }
    // The commit at 23:30 UTC stays on its day, whatever the time zone.
    let (_, (site, ..)) = first.expect("a site");
    let page = String::from_utf8_lossy(&site["doc/AIMS-POL-001.html"]).into_owned();
    assert!(page.contains("2026-01-31"), "{page}");
}

/// With umask 077 the site's files are the user's alone, but the zip's entries still say 0644.
#[cfg(unix)]
#[test]
fn umask_077_changes_file_modes_not_the_pack() {
    use std::os::unix::fs::PermissionsExt;
    let f = repo();
    let out = tempfile::tempdir().expect("out");
    let c = Condition {
        name: "umask 077",
        env: vec![],
        umask_077: true,
        root: f.path().to_path_buf(),
    };
    let _ = make(&f, &c, out.path());
    let mode = std::fs::metadata(out.path().join("site/index.html"))
        .expect("index")
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "umask 077 did apply: {mode:o}");
    // (make() checked every zip entry for mode 0644.)
}
