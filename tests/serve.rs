//! `aims-site serve` end to end: a real server on a free port, real file edits.

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Fixture, exchange, serve};

/// Generous: on a loaded 2-core machine with several servers and compilers running, a rebuild can
/// take seconds. Tests wait for the event; they never assert how long it took.
const WAIT: Duration = Duration::from_secs(60);

/// A raw HTTP request: (status, body). The path is sent exactly as given.
fn raw(addr: &str, request_line: &str) -> (u16, String) {
    exchange(
        addr,
        format!("{request_line}\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

fn get(addr: &str, path: &str) -> (u16, String) {
    raw(addr, &format!("GET {path} HTTP/1.1"))
}

/// Polls `path` until its body satisfies `ok`, for at most `limit`.
fn until(addr: &str, path: &str, limit: Duration, ok: impl Fn(u16, &str) -> bool) {
    let start = Instant::now();
    loop {
        let (status, body) = get(addr, path);
        if ok(status, &body) {
            return;
        }
        assert!(
            start.elapsed() < limit,
            "{path} not as expected after {limit:?}: {status} {body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn site() -> Fixture {
    let f = Fixture::new();
    f.approved("a.md", "AIMS-POL-001", "policy", "Original words.\n");
    f.approved(
        "b.md",
        "AIMS-PRO-001",
        "procedure",
        "See [[AIMS-POL-001]].\n",
    );
    f
}

#[test]
fn an_edit_is_served_and_pages_get_the_reload_script() {
    let f = site();
    let s = serve(&f);
    let (status, body) = get(&s.addr, "/doc/AIMS-POL-001.html");
    assert_eq!(status, 200);
    assert!(
        body.contains("Original words.") && body.contains("/__aims/live.js"),
        "{body}"
    );
    let text = f.read("content/a.md");
    f.write(
        "content/a.md",
        text.replace("Original words.", "Edited words."),
    );
    until(&s.addr, "/doc/AIMS-POL-001.html", WAIT, |_, b| {
        b.contains("Edited words.")
    });
    let (_, js) = get(&s.addr, "/__aims/live.js");
    assert!(js.contains("location.reload"));
    assert!(
        !f.exists("public"),
        "serve never writes the published output"
    );
}

#[test]
fn only_get_and_head_under_the_site() {
    let f = site();
    let s = serve(&f);
    // The site is served from `tmp/aims-site-serve-<pid>-<random>/site`: plant a secret one, two and three
    // levels above it, where each traversal below would land if it were followed.
    let site_dir = s.temp.join("site");
    assert!(
        site_dir.join("index.html").is_file(),
        "the served site is at {}",
        site_dir.display()
    );
    let levels = [s.temp.clone(), f.path().join("tmp"), f.path().to_path_buf()];
    for (n, dir) in levels.iter().enumerate() {
        assert_eq!(site_dir.ancestors().nth(n + 1), Some(dir.as_path()));
        std::fs::write(dir.join("secret.txt"), format!("top secret {n}")).expect("secret");
    }
    std::fs::write(site_dir.join("doc/secret.txt"), "top secret doc").expect("secret");
    // A control: the same file name inside the site is served, so a refused traversal is the
    // traversal being refused, not the file being absent.
    let (status, body) = get(&s.addr, "/doc/secret.txt");
    assert!(status == 200 && body == "top secret doc", "{status} {body}");
    for probe in [
        "/../secret.txt",
        "/../../secret.txt",
        "/../../../secret.txt",
        "/..%2fsecret.txt",
        "/..%2f..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e/%2e%2e/secret.txt",
        "/%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/%2E%2E%2F%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/doc/../../secret.txt",
        "/doc/..%2f..%2f..%2fsecret.txt",
        "/doc/..%5c..%5csecret.txt",
        "/doc\\..\\..\\secret.txt",
        "/./../secret.txt",
        "/%252e%252e/secret.txt",
        "//etc/passwd",
        "/%00",
    ] {
        let (status, body) = raw(&s.addr, &format!("GET {probe} HTTP/1.1"));
        assert!(matches!(status, 400 | 403 | 404), "{probe}: {status}");
        assert!(!body.contains("top secret"), "{probe} leaked: {body}");
        let (status, body) = raw(&s.addr, &format!("HEAD {probe} HTTP/1.1"));
        assert!(matches!(status, 400 | 403 | 404), "HEAD {probe}: {status}");
        assert!(!body.contains("top secret"), "HEAD {probe} leaked");
    }
    assert_eq!(raw(&s.addr, "POST /index.html HTTP/1.1").0, 405);
    assert_eq!(raw(&s.addr, "DELETE /index.html HTTP/1.1").0, 405);
    let (status, body) = raw(&s.addr, "HEAD /index.html HTTP/1.1");
    assert_eq!(status, 200);
    assert!(body.is_empty());
    assert_eq!(get(&s.addr, "/doc/").0, 404, "no directory listings");
    // A malformed request does not bring it down.
    let mut t = TcpStream::connect(&s.addr).expect("connect");
    let _ = t.write_all(b"\x00\x01garbage\r\n\r\n");
    drop(t);
    assert_eq!(get(&s.addr, "/index.html").0, 200);
}

/// With a relative `--root` the watcher still sees the edits (its events carry absolute paths).
#[test]
fn an_edit_shows_with_a_relative_root() {
    let f = site();
    let s = common::serve_with(&f, &["--root", "."]);
    let good = f.read("content/a.md");
    f.write(
        "content/a.md",
        good.replace("Original words.", "Words seen through a relative root."),
    );
    until(&s.addr, "/doc/AIMS-POL-001.html", WAIT, |_, b| {
        b.contains("Words seen through a relative root.")
    });
}

#[test]
fn a_bad_edit_shows_the_error_and_a_fix_restores_the_site() {
    let f = site();
    let s = serve(&f);
    let good = f.read("content/a.md");
    f.write(
        "content/a.md",
        good.replace("title: Title of AIMS-POL-001", "title: [unclosed"),
    );
    until(&s.addr, "/__aims/poll", WAIT, |_, b| {
        b.contains("\"ok\":false")
    });
    let (_, state) = get(&s.addr, "/__aims/poll");
    assert!(
        state.contains("AIMS-E004")
            && state.contains("\"file\":\"content/a.md\"")
            && state.contains("\"line\":4"),
        "{state}"
    );
    // Links to the broken document are not reported a second time.
    assert!(!state.contains("AIMS-E031"), "{state}");
    // The last good site is still served.
    let (status, body) = get(&s.addr, "/doc/AIMS-POL-001.html");
    assert_eq!(status, 200);
    assert!(body.contains("Original words."));
    f.write(
        "content/a.md",
        good.replace("Original words.", "Fixed words."),
    );
    until(&s.addr, "/doc/AIMS-POL-001.html", WAIT, |_, b| {
        b.contains("Fixed words.")
    });
    until(&s.addr, "/__aims/poll", WAIT, |_, b| {
        b.contains("\"ok\":true")
    });
}

#[test]
fn renames_deletes_and_a_save_storm_leave_it_serving() {
    let f = site();
    let s = serve(&f);
    // Rename: the page keeps its URL.
    std::fs::rename(
        f.path().join("content/b.md"),
        f.path().join("content/moved.md"),
    )
    .expect("rename");
    until(&s.addr, "/doc/AIMS-PRO-001.html", WAIT, |st, b| {
        st == 200 && b.contains("content/moved.md")
    });
    // Delete: the page goes away.
    f.remove("content/moved.md");
    until(&s.addr, "/doc/AIMS-PRO-001.html", WAIT, |st, _| st == 404);
    // A folder removed.
    f.approved("sub/c.md", "AIMS-REC-001", "record", "In a folder.\n");
    until(&s.addr, "/doc/AIMS-REC-001.html", WAIT, |st, _| st == 200);
    std::fs::remove_dir_all(f.path().join("content/sub")).expect("rmdir");
    until(&s.addr, "/doc/AIMS-REC-001.html", WAIT, |st, _| st == 404);
    // 100 saves within a second, some of them half-written.
    let text = f.read("content/a.md");
    for i in 0..100 {
        let full = text.replace("Original words.", &format!("Save number {i}."));
        let body = if i % 10 == 5 {
            full[..full.len() / 2].to_string()
        } else {
            full
        };
        f.write("content/a.md", body);
        std::thread::sleep(Duration::from_millis(10));
    }
    until(&s.addr, "/doc/AIMS-POL-001.html", WAIT, |st, b| {
        st == 200 && b.contains("Save number 99.")
    });
    // A broken and then repaired book.toml.
    f.write("book.toml", "[book\n");
    until(&s.addr, "/__aims/poll", WAIT, |_, b| {
        b.contains("\"ok\":false") && b.contains("AIMS-E050")
    });
    f.write("book.toml", "[book]\ntitle = \"Repaired manual\"\n");
    until(&s.addr, "/index.html", WAIT, |_, b| {
        b.contains("Repaired manual")
    });
}

#[cfg(unix)]
#[test]
fn ctrl_c_exits_cleanly_and_removes_the_temporary_site() {
    let f = site();
    let mut s = serve(&f);
    let pid = s.child.id();
    let temp = s.temp.clone();
    assert!(temp.exists(), "{}", temp.display());
    let _ = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status();
    let start = Instant::now();
    let status = loop {
        if let Ok(Some(st)) = s.child.try_wait() {
            break st;
        }
        assert!(start.elapsed() < WAIT, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
    assert!(!temp.exists(), "temporary site left behind");
}

/// A rebuild with the memo re-renders only pages whose inputs changed, and its output is the
/// same as a full build's.
#[test]
fn a_rebuild_re_renders_only_what_changed() {
    use aims_site::site::{BuildOptions, Project, build};
    let f = site();
    f.approved("c.md", "AIMS-REC-001", "record", "Unrelated.\n");
    let memo = std::sync::Arc::new(aims_site::render::context::RenderMemo::default());
    let dest = f.path().join("out");
    let opts = |memo: Option<std::sync::Arc<aims_site::render::context::RenderMemo>>,
                dest: &std::path::Path| BuildOptions {
        dest: Some(dest.to_path_buf()),
        today: "2026-12-01".parse().ok(),
        drafts: true,
        memo,
        ..Default::default()
    };
    // Parses are remembered too, as serve does: unchanged files are not parsed again.
    let parses = std::sync::Arc::new(aims_site::site::ModelMemo::default());
    let project = || {
        let mut p = Project::open(f.path()).expect("project");
        p.model_memo = Some(parses.clone());
        p
    };
    let first = build(&project(), &opts(Some(memo.clone()), &dest)).expect("first build");
    assert_eq!(first.reused, 0);
    // Changing a title changes the page of the document and of the one that links to it by id.
    let text = f.read("content/a.md");
    f.write(
        "content/a.md",
        text.replace("title: Title of AIMS-POL-001", "title: Renamed policy"),
    );
    use std::os::unix::fs::MetadataExt;
    let inode = |rel: &str| std::fs::metadata(f.path().join(rel)).expect("page").ino();
    let kept_before = inode("out/doc/AIMS-REC-001.html");
    let second = build(&project(), &opts(Some(memo.clone()), &dest)).expect("second build");
    assert_eq!(second.reused, 1, "only AIMS-REC-001 is unchanged");
    assert_eq!(
        inode("out/doc/AIMS-REC-001.html"),
        kept_before,
        "the unchanged page is kept (linked), not read back and written again"
    );
    assert!(
        f.read("out/doc/AIMS-PRO-001.html")
            .contains("Renamed policy")
    );
    // Nothing stale: the result equals a build from scratch.
    let fresh = f.path().join("fresh");
    build(
        &Project::open(f.path()).expect("project"),
        &opts(None, &fresh),
    )
    .expect("fresh build");
    assert_eq!(f.tree("out"), f.tree("fresh"));
    // Withdrawing a document changes how every kept page's print.html section links to it.
    let text = f.read("content/a.md");
    f.write(
        "content/a.md",
        text.replace("status: approved", "status: withdrawn"),
    );
    build(&project(), &opts(Some(memo.clone()), &dest)).expect("third build");
    let fresh = f.path().join("fresh2");
    build(
        &Project::open(f.path()).expect("project"),
        &opts(None, &fresh),
    )
    .expect("fresh build");
    assert_eq!(f.tree("out"), f.tree("fresh2"));
    assert!(
        f.read("out/print.html")
            .contains("href=\"doc/AIMS-POL-001.html")
    );
}

/// serve keeps the parsed Git log while HEAD stays put, and reads it again after a commit.
#[test]
fn the_remembered_git_log_follows_new_commits() {
    use aims_site::site::{BuildOptions, Project, build};
    let f = site();
    f.git_init();
    f.commit("First commit", "2026-01-10T09:00:00+00:00");
    let memo = std::sync::Arc::new(aims_site::git::LogMemo::default());
    let run = || {
        let mut project = Project::open(f.path()).expect("project");
        project.log_memo = Some(memo.clone());
        let opts = BuildOptions {
            dest: Some(f.path().join("out")),
            today: "2026-12-01".parse().ok(),
            ..Default::default()
        };
        build(&project, &opts).expect("build");
        f.read("out/doc/AIMS-POL-001.html")
    };
    assert!(run().contains("First commit"));
    let text = f.read("content/a.md");
    f.write(
        "content/a.md",
        text.replace("version: \"1.0\"", "version: \"1.1\"")
            .replace("Original words.", "New words."),
    );
    f.commit("Second commit", "2026-02-10T09:00:00+00:00");
    let page = run();
    assert!(
        page.contains("Second commit") && page.contains("First commit"),
        "{page}"
    );
}

#[test]
fn an_edited_catalog_of_the_organisation_is_served() {
    let f = site();
    f.write(
        "book.toml",
        "[book]\ntitle = \"Fixture manual\"\n\n[standards]\ncatalogs = [\"standards/own.toml\"]\n",
    );
    let catalog = "key = \"own\"\nstandard = \"Own controls\"\n\n[[objective]]\nid = \"OWN\"\ntitle = \"Ours\"\n\n[[control]]\nid = \"OWN-1\"\ntitle = \"First wording\"\nobjective = \"OWN\"\n";
    f.write("standards/own.toml", catalog);
    let s = serve(&f);
    until(&s.addr, "/standards/own/index.html", WAIT, |status, b| {
        status == 200 && b.contains("First wording")
    });
    f.write(
        "standards/own.toml",
        catalog.replace("First wording", "Second wording"),
    );
    until(&s.addr, "/standards/own/index.html", WAIT, |_, b| {
        b.contains("Second wording")
    });
}

#[test]
fn the_warnings_of_a_good_build_reach_open_pages() {
    let f = site();
    let s = serve(&f);
    let (status, json) = get(&s.addr, "/__aims/poll");
    assert_eq!(status, 200);
    let state: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(state["ok"], true);
    let list = state["warning_list"].as_array().expect("warning list");
    assert_eq!(state["warnings"].as_u64(), Some(list.len() as u64));
    // The fixture has no Statement of Applicability: the warning is in the list, as the
    // terminal shows it.
    assert!(
        list.iter().any(|w| w["code"] == "AIMS-W052"
            && w["text"]
                .as_str()
                .unwrap_or("")
                .contains("there is no Statement of Applicability")),
        "{json}"
    );
    let (_, js) = get(&s.addr, "/__aims/live.js");
    assert!(js.contains("aims-site-warnings") && js.contains("warning_list"));
}

#[test]
fn an_edited_document_page_is_published_ahead_of_the_rest_of_the_site() {
    let f = site();
    let s = serve(&f);
    let (_, json) = get(&s.addr, "/__aims/poll");
    let state: serde_json::Value = serde_json::from_str(&json).expect("json");
    let (build, early) = (state["build"].as_u64(), state["early"].as_u64());
    assert_eq!(
        state["early_paths"].as_array().map(Vec::len),
        Some(0),
        "the first build publishes nothing early"
    );
    let text = f.read("content/a.md");
    f.write(
        "content/a.md",
        text.replace("Original words.", "Early words."),
    );
    until(&s.addr, "/doc/AIMS-POL-001.html", WAIT, |_, b| {
        b.contains("Early words.")
    });
    // Once the rebuild is done, the state says which pages went out first: only the edited one.
    until(&s.addr, "/__aims/poll", WAIT, |_, b| {
        let v: serde_json::Value = serde_json::from_str(b).unwrap_or_default();
        v["build"].as_u64() > build
    });
    let (_, json) = get(&s.addr, "/__aims/poll");
    let state: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        state["early_paths"],
        serde_json::json!(["doc/AIMS-POL-001.html"]),
        "{json}"
    );
    assert!(state["early"].as_u64() > early);
    // A poll that names the early counter returns as soon as a page goes out early.
    let (_, js) = get(&s.addr, "/__aims/live.js");
    assert!(js.contains("&early=") && js.contains("early_paths"));
    let (status, page) = get(&s.addr, "/doc/AIMS-PRO-001.html");
    assert!(
        status == 200 && page.contains("See"),
        "the rest of the site is still served"
    );
}

#[test]
fn published_versions_are_built_once_per_preview() {
    let f = common::repo_with_policy();
    f.write(".gitignore", "public/\n.cache/\ntmp/\n");
    let first = f.commit("First edition", "2026-01-11T09:00:00+00:00");
    f.write(
        "book.toml",
        format!(
            "[book]\ntitle = \"Versioned\"\n[versions]\nrefs = {{ \"first\" = \"{first}\" }}\n"
        ),
    );
    f.commit("Publish the first edition", "2026-03-01T09:00:00+00:00");
    let s = serve(&f);
    let old = "/versions/first/doc/AIMS-POL-001.html";
    until(&s.addr, old, WAIT, |status, _| status == 200);
    // A file the build never writes: it survives only if the folder is kept, not built again.
    let probe = s.temp.join("site/versions/first/probe.txt");
    std::fs::write(&probe, "kept").expect("probe");
    let build = |b: &str| -> u64 {
        serde_json::from_str::<serde_json::Value>(b).unwrap_or_default()["build"]
            .as_u64()
            .unwrap_or(0)
    };
    let (_, json) = get(&s.addr, "/__aims/poll");
    let built = build(&json);
    let text = f.read("content/policies/ai.md");
    f.write(
        "content/policies/ai.md",
        format!("{text}\nA later sentence.\n"),
    );
    // The whole rebuild is done (the edited page alone is shown earlier).
    until(&s.addr, "/__aims/poll", WAIT, |_, b| build(b) > built);
    until(&s.addr, "/doc/AIMS-POL-001.html", WAIT, |_, b| {
        b.contains("A later sentence.")
    });
    let (status, page) = get(&s.addr, old);
    assert!(
        status == 200 && !page.contains("A later sentence."),
        "the old edition stays as it was"
    );
    assert!(probe.is_file(), "the published version was built again");
}
