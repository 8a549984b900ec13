//! A repository is untrusted input: each attack of the hardening issue, reproduced on a real
//! fixture repository, must leave everything outside the output untouched, publish nothing from
//! outside the project, and cost little.

mod common;

use common::{Fixture, Run, front};
use std::path::{Path, PathBuf};

/// A project in `proj/` with a folder `victim/` beside it holding a file that must survive.
struct Beside {
    dir: tempfile::TempDir,
}

impl Beside {
    fn new() -> Beside {
        let dir = tempfile::Builder::new()
            .prefix("aims-site-hostile")
            .tempdir()
            .expect("temp dir");
        let b = Beside { dir };
        b.write("proj/book.toml", "[book]\ntitle = \"Hostile\"\n");
        b.write(
            "proj/content/a.md",
            format!(
                "{}# A\n\nText.\n",
                front("AIMS-POL-001", "policy", "approved", "")
            ),
        );
        b.write("victim/keep.txt", "precious");
        common::git_in(
            &b.path("proj"),
            &["init", "-q", "-b", "main"],
            "2026-01-01T00:00:00+00:00",
        );
        common::git_in(&b.path("proj"), &["add", "-A"], "2026-01-15T10:00:00+00:00");
        common::git_in(
            &b.path("proj"),
            &["commit", "-q", "-m", "start"],
            "2026-01-15T10:00:00+00:00",
        );
        b
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    /// Runs the binary with `proj/` as the working folder.
    fn run(&self, args: &[&str]) -> Run {
        run_in(&self.path("proj"), args)
    }

    fn victim_intact(&self) {
        assert_eq!(
            std::fs::read_to_string(self.path("victim/keep.txt")).ok(),
            Some("precious".to_string()),
            "the folder beside the project was touched"
        );
        let names: Vec<String> = std::fs::read_dir(self.path("victim"))
            .expect("victim")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["keep.txt"]);
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let home = tempfile::tempdir().expect("home");
    Run(common::aims_in(dir, home.path())
        .args(args)
        .output()
        .expect("run aims-site"))
}

fn files_below(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walk(dir)
        .into_iter()
        .map(|p| {
            p.strip_prefix(dir)
                .expect("below")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

// 1. Output paths are resolved before they are checked.

#[test]
fn a_dest_that_climbs_out_through_a_missing_folder_is_refused() {
    let b = Beside::new();
    b.run(&["build", "--dest", "nx/../../victim"])
        .fails_with(2)
        .stderr_has("refusing to write");
    b.victim_intact();
    // book.toml's output-dir is checked the same way.
    b.write(
        "proj/book.toml",
        "[book]\ntitle = \"Hostile\"\n[build]\noutput-dir = \"q/../../victim\"\n",
    );
    b.run(&["build"]).fails_with(2);
    b.victim_intact();
}

#[test]
fn a_dest_that_names_the_project_root_leaves_it_in_place() {
    let b = Beside::new();
    b.run(&["build", "--dest", "ny/../../proj"])
        .fails_with(2)
        .stderr_has("project root");
    assert!(b.path("proj/.git").is_dir() && b.path("proj/content/a.md").is_file());
    assert!(
        !std::fs::read_dir(b.dir.path())
            .expect("dir")
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains("staging")),
        "nothing was moved aside"
    );
    b.run(&["build", "--dest", ".git/site"]).fails_with(2);
}

#[test]
fn an_export_into_the_content_folder_through_a_missing_folder_is_refused() {
    let b = Beside::new();
    b.run(&["export", "--no-pdf", "-o", "nz/../content/z.zip"])
        .fails_with(2)
        .stderr_has("refusing to write");
    assert!(!b.path("proj/content/z.zip").exists());
    assert!(!b.path("proj/nz").exists(), "no folder was made on the way");
}

#[test]
fn a_build_removes_staging_folders_that_killed_builds_left_behind() {
    let b = Beside::new();
    // A dead process's staging folder (marked) and a look-alike without our marker.
    b.write(
        "proj/.public.aims-site-staging-999999999/.aims-site-output",
        "x",
    );
    b.write("proj/.public.aims-site-staging-999999999/doc/a.html", "x");
    b.write("proj/.public.aims-site-staging-999999998/keep.txt", "mine");
    b.run(&["build", "--today", "2026-12-01"]).success();
    assert!(!b.path("proj/.public.aims-site-staging-999999999").exists());
    assert!(
        b.path("proj/.public.aims-site-staging-999999998/keep.txt")
            .exists()
    );
    assert!(b.path("proj/public/index.html").is_file());
}

// 2. A YAML alias bomb.

#[test]
fn a_yaml_alias_bomb_is_an_error_at_its_line_not_an_abort() {
    let f = Fixture::new();
    let mut bomb = String::from(
        "---\nid: AIMS-POL-001\ntitle: T\ntype: policy\nowner: O\nversion: \"1\"\nstatus: draft\n",
    );
    bomb.push_str("x0: &a [l, l, l, l, l, l, l, l, l]\n");
    for i in 1..9 {
        let p = if i == 1 {
            "a".to_string()
        } else {
            format!("a{}", i - 1)
        };
        bomb.push_str(&format!(
            "x{i}: &a{i} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        ));
    }
    bomb.push_str("---\nBody.\n");
    f.write("content/bomb.md", &bomb);
    let run = f.run(&["check"]);
    run.fails_with(1).stderr_has("aliases expand");
    assert!(
        run.stderr().contains("content/bomb.md:"),
        "{}",
        run.stderr()
    );
}

// 3. Nothing outside the project root is read into the output.

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_project_are_errors_at_their_path() {
    let b = Beside::new();
    std::os::unix::fs::symlink(b.path("victim/keep.txt"), b.path("proj/content/leak.txt"))
        .expect("link");
    std::os::unix::fs::symlink(b.path("victim"), b.path("proj/content/outside")).expect("link");
    std::os::unix::fs::symlink("../.git/config", b.path("proj/content/config.txt")).expect("link");
    let run = b.run(&["build", "--today", "2026-12-01"]);
    run.fails_with(1);
    for name in ["leak.txt", "outside", "config.txt"] {
        assert!(
            run.stderr()
                .lines()
                .any(|l| l.contains("AIMS-E043") && l.contains(name)),
            "{name}: {}",
            run.stderr()
        );
    }
    assert!(!b.path("proj/public").exists());
    // A link that stays inside the project is followed.
    std::fs::remove_file(b.path("proj/content/leak.txt")).expect("rm");
    std::fs::remove_file(b.path("proj/content/outside")).expect("rm");
    std::fs::remove_file(b.path("proj/content/config.txt")).expect("rm");
    b.write("proj/shared/diagram.png", "png");
    std::os::unix::fs::symlink("../shared/diagram.png", b.path("proj/content/diagram.png"))
        .expect("link");
    b.write(
        "proj/content/a.md",
        format!(
            "{}# A\n\n![d](diagram.png)\n",
            front("AIMS-POL-001", "policy", "approved", "")
        ),
    );
    b.run(&["build", "--today", "2026-12-01"]).success();
    assert_eq!(
        std::fs::read_to_string(b.path("proj/public/files/diagram.png")).ok(),
        Some("png".into())
    );
}

#[cfg(unix)]
#[test]
fn a_committed_symlink_to_a_system_file_is_refused_in_an_export_of_a_tag() {
    let b = Beside::new();
    std::os::unix::fs::symlink("/etc/passwd", b.path("proj/content/passwd.txt")).expect("link");
    common::git_in(&b.path("proj"), &["add", "-A"], "2026-02-01T10:00:00+00:00");
    common::git_in(
        &b.path("proj"),
        &["commit", "-q", "-m", "add a link"],
        "2026-02-01T10:00:00+00:00",
    );
    common::git_in(&b.path("proj"), &["tag", "v1"], "2026-02-01T10:00:00+00:00");
    std::fs::remove_file(b.path("proj/content/passwd.txt")).expect("rm");
    let run = b.run(&["export", "--no-pdf", "--rev", "v1", "-o", "../out"]);
    assert_ne!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().contains("AIMS-E043"), "{}", run.stderr());
    assert!(!b.path("out").exists() || files_below(&b.path("out")).is_empty());
}

#[test]
fn book_toml_paths_must_stay_inside_the_project() {
    for (toml, line) in [
        ("[book]\nlogo = \"/proc/self/environ\"\n", 2),
        ("[book]\nlogo = \"/dev/zero\"\n", 2),
        ("[book]\nlogo = \"../victim/keep.txt\"\n", 2),
        ("[book]\ntitle = \"x\"\nlogo = \"missing.png\"\n", 3),
        ("[build]\ncontent-dir = \"../victim\"\n", 2),
        ("[build]\ntheme = \"../../victim\"\n", 2),
    ] {
        let b = Beside::new();
        b.write("proj/book.toml", toml);
        let run = b.run(&["build", "--today", "2026-12-01"]);
        run.fails_with(1).finding("AIMS-E051", "book.toml", line, 0);
        b.victim_intact();
        assert!(!b.path("proj/public").exists(), "{toml}");
    }
    // A logo inside the project is published.
    let b = Beside::new();
    b.write("proj/img/logo.png", "logo");
    b.write("proj/book.toml", "[book]\nlogo = \"img/logo.png\"\n");
    b.run(&["build", "--today", "2026-12-01"]).success();
    assert!(b.path("proj/public/assets/logo-logo.png").is_file());
}

// 4. CSV cells cannot run as formulas.

#[test]
fn formula_cells_are_neutralised_in_every_csv() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "controls: [\"A.2.2\"]\n",
        )
        .replace(
            "title: Title of AIMS-POL-001",
            "title: \"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\"",
        )
        .replace("owner: AI Governance Lead", "owner: \"@SUM(1+1)\""),
        "# A\n",
    );
    f.git_init()
        .commit("+cmd|' /C calc'!A0", "2026-01-15T10:00:00+00:00");
    f.build().success();
    let register = f.read("public/register.csv");
    assert!(register.contains("\"'=HYPERLINK("), "{register}");
    assert!(register.contains("\"'@SUM(1+1)\""), "{register}");
    for line in register.lines().skip(1) {
        for cell in line.split(',') {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "raw formula cell {cell:?} in {line}"
            );
        }
    }
    let soa = f.read("public/soa.csv");
    assert!(!soa.lines().any(|l| l.starts_with('=')), "{soa}");
}

// 5. A profile publishes only what its documents use.

#[test]
fn a_restricted_documents_assets_stay_out_of_an_intranet_build() {
    let f = Fixture::new();
    f.write(
        "book.toml",
        "[book]\ntitle = \"x\"\n[profiles.intranet]\nclassifications = [\"public\", \"internal\"]\n",
    );
    f.doc(
        "secret.md",
        &front(
            "AIMS-REC-001",
            "record",
            "approved",
            "classification: restricted\n",
        ),
        "# Secret\n\n![plan](secret-plan.png)\n",
    );
    f.doc(
        "open.md",
        &front("AIMS-POL-001", "policy", "approved", ""),
        "# Open\n\n![chart](chart.png)\n",
    );
    f.write("content/secret-plan.png", "SECRETPIXELS");
    f.write("content/chart.png", "chart");
    f.write("content/unused.pdf", "nobody links me");
    f.write(
        "content/OTHER.MD",
        front(
            "AIMS-REC-002",
            "record",
            "approved",
            "classification: restricted\n",
        ) + "# Also secret\n",
    );
    f.git_init().commit("docs", "2026-01-15T10:00:00+00:00");
    f.run(&["build", "--today", "2026-12-01", "--profile", "intranet"])
        .success();
    let files = files_below(&f.path().join("public"));
    assert!(files.iter().any(|p| p == "files/chart.png"), "{files:?}");
    for leaked in ["secret-plan.png", "unused.pdf", "OTHER.MD", "AIMS-REC-002"] {
        assert!(
            !files.iter().any(|p| p.contains(leaked)),
            "{leaked} published: {files:?}"
        );
    }
    // An assets folder named public in book.toml is published whole.
    f.write(
        "book.toml",
        "[book]\ntitle = \"x\"\n[build]\npublic-assets = [\"downloads\"]\n",
    );
    f.write("content/downloads/form.pdf", "form");
    f.build().success();
    assert!(f.exists("public/files/downloads/form.pdf"));
    assert!(!f.exists("public/files/unused.pdf"));
}

// 6. Files a browser would run are not published from content/.

#[test]
fn html_and_svg_assets_are_not_published_and_links_to_them_are_findings() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        &front("AIMS-POL-001", "policy", "approved", ""),
        "# A\n\n[evil](evil.html) and ![x](evil.svg)\n",
    );
    f.write(
        "content/evil.html",
        "<script>alert(document.cookie)</script>",
    );
    f.write(
        "content/evil.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
    );
    f.git_init().commit("docs", "2026-01-15T10:00:00+00:00");
    let run = f.build();
    run.success().finding("AIMS-W011", "content/a.md", 15, 1);
    assert!(
        run.stderr().matches("AIMS-W011").count() >= 2,
        "{}",
        run.stderr()
    );
    let files = files_below(&f.path().join("public"));
    assert!(!files.iter().any(|p| p.contains("evil")), "{files:?}");
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(!page.contains("href=\"../files/evil.html\""), "{page}");
    // Allowed explicitly, SVG is published.
    f.write(
        "book.toml",
        "[book]\ntitle = \"x\"\n[build]\nactive-assets = [\"svg\"]\n",
    );
    f.build().success();
    assert!(f.exists("public/files/evil.svg"));
    assert!(!f.exists("public/files/evil.html"));
}

// 7. Adversarial input stays linear.

#[test]
fn twenty_thousand_identical_headings_and_broken_anchors_stay_cheap() {
    let f = Fixture::new();
    let mut body = String::from("# A\n\n");
    body.push_str(&"[x](#nowhere) ".repeat(20_000));
    body.push_str("\n\n");
    body.push_str(&"## Same\n\n".repeat(20_000));
    f.doc(
        "a.md",
        &front("AIMS-POL-001", "policy", "approved", ""),
        &body,
    );
    let started = std::time::Instant::now();
    let run = f.run(&["check"]);
    let took = started.elapsed();
    run.fails_with(1);
    let err = run.stderr();
    assert_eq!(err.matches("[AIMS-E032]").count(), 20_000);
    // Each finding shows the part of the long line around it, not the line: 20,000 copies of
    // a 280 KB line were gigabytes.
    assert!(err.len() < 40_000_000, "{} bytes of findings", err.len());
    // A bound far above the time this takes (about a second in a debug build), and far below
    // the quadratic cost it had (minutes in a debug build).
    assert!(took.as_secs() < 60, "took {took:?}");
}

// 8. Names that cannot be zip entries.

#[cfg(unix)]
#[test]
fn asset_names_that_are_unsafe_in_a_zip_are_errors_at_their_path() {
    for name in ["a\\..\\..\\evil.png", "line\nbreak.png", "c:evil.png"] {
        let f = Fixture::new();
        f.doc(
            "a.md",
            &front("AIMS-POL-001", "policy", "approved", ""),
            "# A\n",
        );
        f.write(&format!("content/{name}"), "x");
        let run = f.run(&["check"]);
        run.fails_with(1);
        assert!(
            run.stderr().contains("AIMS-E044"),
            "{name:?}: {}",
            run.stderr()
        );
    }
}

// 10. Safe defaults.

#[test]
fn without_a_profile_restricted_documents_are_left_out() {
    let f = Fixture::new();
    f.doc(
        "secret.md",
        &front(
            "AIMS-REC-001",
            "record",
            "approved",
            "classification: restricted\n",
        ),
        "# Secret\n\nThe codeword is pelican.\n",
    );
    f.doc(
        "open.md",
        &front("AIMS-POL-001", "policy", "approved", ""),
        "# Open\n",
    );
    f.git_init().commit("docs", "2026-01-15T10:00:00+00:00");
    f.build().success();
    assert!(f.exists("public/doc/AIMS-POL-001.html"));
    assert!(!f.exists("public/doc/AIMS-REC-001.html"));
    for (path, bytes) in f.tree("public") {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("pelican"),
            "leaked into {path}"
        );
    }
    f.run(&["build", "--today", "2026-12-01", "--profile", "all"])
        .success();
    assert!(f.exists("public/doc/AIMS-REC-001.html"));
}

#[test]
fn init_makes_the_intranet_profile_the_default() {
    let f = Fixture::new();
    f.run(&["init", "fresh"]).success();
    let toml = f.read("fresh/book.toml");
    assert!(toml.contains("profile = \"intranet\""), "{toml}");
}

// 9. serve: bounded requests, its own host only, a private folder that goes away.

#[cfg(unix)]
mod serve {
    use std::process::Command;
    use std::time::{Duration, Instant};

    use super::common::{Fixture, exchange, front, serve};

    fn send(addr: &str, head: &[u8]) -> u16 {
        exchange(addr, head).0
    }

    fn site() -> Fixture {
        let f = Fixture::new();
        f.doc(
            "a.md",
            &front("AIMS-POL-001", "policy", "approved", ""),
            "# A\n",
        );
        f
    }

    #[test]
    fn oversized_headers_and_foreign_hosts_are_refused() {
        let f = site();
        let s = serve(&f);
        let ok = format!(
            "GET /index.html HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            s.addr
        );
        assert_eq!(send(&s.addr, ok.as_bytes()), 200);
        let mut big =
            format!("GET /index.html HTTP/1.1\r\nHost: {}\r\nX-Big: ", s.addr).into_bytes();
        big.extend(std::iter::repeat_n(b'a', 1024 * 1024));
        big.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
        assert_eq!(send(&s.addr, &big), 431);
        let mut many = format!("GET /index.html HTTP/1.1\r\nHost: {}\r\n", s.addr);
        for i in 0..200 {
            many.push_str(&format!("X-{i}: 1\r\n"));
        }
        many.push_str("Connection: close\r\n\r\n");
        assert_eq!(send(&s.addr, many.as_bytes()), 431);
        let port = s.addr.rsplit(':').next().unwrap_or("");
        let rebound = format!(
            "GET /doc/AIMS-POL-001.html HTTP/1.1\r\nHost: attacker.example:{port}\r\nConnection: close\r\n\r\n"
        );
        assert_eq!(send(&s.addr, rebound.as_bytes()), 403);
        let localhost = format!(
            "GET /index.html HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
        );
        assert_eq!(send(&s.addr, localhost.as_bytes()), 200);
        // The preview marks pages of documents that are not public.
        let page = format!(
            "GET /doc/AIMS-POL-001.html HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            s.addr
        );
        let (status, body) = exchange(&s.addr, page.as_bytes());
        assert_eq!(status, 200);
        assert!(
            body.contains("banner-classification") && body.contains("classified internal"),
            "{body}"
        );
    }

    #[test]
    fn the_preview_folder_is_private_and_removed_on_sigterm() {
        use std::os::unix::fs::PermissionsExt;
        let f = site();
        let tmp = f.path().join("tmp");
        // A stale folder of a dead preview is cleaned up by the next one.
        std::fs::create_dir_all(tmp.join("aims-site-serve-999999999-old")).expect("mkdir");
        std::fs::write(
            tmp.join("aims-site-serve-999999999-old/.aims-site-output"),
            "x",
        )
        .expect("write");
        let mut s = serve(&f);
        let pid = s.child.id();
        let folders: Vec<std::path::PathBuf> = std::fs::read_dir(&tmp)
            .expect("tmp")
            .flatten()
            .map(|e| e.path())
            .collect();
        assert_eq!(folders.len(), 1, "{folders:?}");
        let folder = &folders[0];
        let name = folder
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        assert!(
            name.starts_with(&format!("aims-site-serve-{pid}-")),
            "{name}"
        );
        let mode = std::fs::metadata(folder)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700, "{mode:o}");
        assert!(folder.join("site/doc/AIMS-POL-001.html").is_file());
        let killed = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        while s.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(s.child.try_wait().ok().flatten().is_some(), "still running");
        assert!(!folder.exists(), "the preview's folder was left behind");
    }
}

#[test]
fn oversized_theme_files_are_refused() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        &front("AIMS-POL-001", "policy", "approved", ""),
        "# A\n",
    );
    f.write("templates/index.html", "x".repeat(1024 * 1024 + 1));
    f.build().fails_with(2).stderr_has("limit");
    f.remove("templates/index.html");
    f.write(
        "themes/big/static/huge.css",
        vec![b' '; 16 * 1024 * 1024 + 1],
    );
    f.write(
        "book.toml",
        "[book]\ntitle = \"x\"\n[build]\ntheme = \"big\"\n",
    );
    f.build().fails_with(2).stderr_has("limit");
    assert!(!f.exists("public"));
}
