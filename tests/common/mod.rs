//! One harness for the integration tests: tiny fixture projects in temporary folders, built with
//! the real binary. Git repositories are real (`git init`) with fixed authors and dates.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;

pub struct Fixture {
    dir: tempfile::TempDir,
    /// HOME for every run: outside the project, so the build cache (`~/.cache/aims-site`) and
    /// any dotfile stay out of the fixture's tree and out of the user's home.
    home: tempfile::TempDir,
}

/// Removes from `cmd` everything of the caller's environment that could change what the binary
/// or git does (git's own variables such as `GIT_DIR`, XDG folders, the cache folder, the time
/// zone, `SOURCE_DATE_EPOCH`, colour forcing, CI), then sets `HOME` to `home`, no colour, UTC,
/// and git without the system or user configuration. Tests add what they vary on top.
pub fn isolate<'a>(cmd: &'a mut Command, home: &Path) -> &'a mut Command {
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if k.starts_with("GIT_")
            || k.starts_with("XDG_")
            || k.starts_with("AIMS_SITE")
            || k.starts_with("CARGO_")
            || matches!(
                k.as_ref(),
                "TZ" | "SOURCE_DATE_EPOCH"
                    | "CI"
                    | "CLICOLOR"
                    | "CLICOLOR_FORCE"
                    | "NO_COLOR"
                    | "TMPDIR"
                    | "EMAIL"
                    | "CHROMIUM"
            )
        {
            cmd.env_remove(&key);
        }
    }
    cmd.env("HOME", home)
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
}

/// The binary, isolated with [`isolate`], run in `dir`. Every test that starts the binary goes
/// through this (or through [`Fixture::cmd`]).
pub fn aims_in(dir: &Path, home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("aims-site").expect("binary");
    isolate(&mut cmd, home);
    cmd.current_dir(dir);
    cmd
}

/// A valid front-matter block for tests; `extra` lines are appended.
pub fn front(id: &str, doc_type: &str, status: &str, extra: &str) -> String {
    let approval = if status == "approved" || status == "withdrawn" {
        "approval:\n  by: Chief Executive Officer\n  date: 2026-01-15\nreview_date: 2027-01-15\n"
    } else {
        ""
    };
    format!(
        "---\nid: {id}\ntitle: Title of {id}\ntype: {doc_type}\nowner: AI Governance Lead\nversion: \"1.0\"\nstatus: {status}\n{approval}{extra}---\n"
    )
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::Builder::new()
            .prefix("aims-site-test")
            .tempdir()
            .expect("temp dir");
        let home = tempfile::Builder::new()
            .prefix("aims-site-home")
            .tempdir()
            .expect("temp home");
        let f = Fixture { dir, home };
        f.write(
            "book.toml",
            "[book]\ntitle = \"Fixture manual\"\norganisation = \"Fixture Org\"\n",
        );
        std::fs::create_dir_all(f.path().join("content")).expect("content dir");
        f
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The HOME the binary runs with.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// The isolated binary in the fixture's root, not yet run (for servers and hand-made runs).
    pub fn cmd(&self) -> Command {
        aims_in(self.path(), self.home())
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, text).expect("write");
        self
    }

    /// Writes a document under content/.
    pub fn doc(&self, rel: &str, front_matter: &str, body: &str) -> &Self {
        self.write(&format!("content/{rel}"), format!("{front_matter}{body}"))
    }

    /// A valid approved document with a body.
    pub fn approved(&self, rel: &str, id: &str, doc_type: &str, body: &str) -> &Self {
        self.doc(rel, &front(id, doc_type, "approved", ""), body)
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path().join(rel)).expect("remove");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join(rel).exists()
    }

    /// Runs the binary with a fixed date and no colour, in the fixture's root.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    /// [`Fixture::run`] with extra environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Run {
        let mut cmd = self.cmd();
        cmd.args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run(cmd.output().expect("run aims-site"))
    }

    pub fn build(&self) -> Run {
        self.run(&["build", "--today", "2026-12-01"])
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args, "2026-01-15T10:00:00+00:00")
    }

    /// Commits everything at a fixed date.
    pub fn commit(&self, message: &str, date: &str) -> String {
        git_in(self.path(), &["add", "-A"], date);
        git_in(self.path(), &["commit", "-q", "-m", message], date);
        git_in(self.path(), &["rev-parse", "HEAD"], date)
            .trim()
            .to_string()
    }

    pub fn git_init(&self) -> &Self {
        git_in(
            self.path(),
            &["init", "-q", "-b", "main"],
            "2026-01-01T00:00:00+00:00",
        );
        self
    }

    /// Every file of the output folder, as (relative path, bytes), sorted.
    pub fn tree(&self, dir: &str) -> Vec<(String, Vec<u8>)> {
        let root = self.path().join(dir);
        let mut out = Vec::new();
        for e in walkdir(&root) {
            let rel = e
                .strip_prefix(&root)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(&e).expect("read")));
        }
        out.sort();
        out
    }
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

pub fn git_in(dir: &Path, args: &[&str], date: &str) -> String {
    let mut cmd = Command::new("git");
    isolate(&mut cmd, dir);
    let out = cmd
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Ada Tester")
        .env("GIT_AUTHOR_EMAIL", "ada@example.org")
        .env("GIT_COMMITTER_NAME", "Ada Tester")
        .env("GIT_COMMITTER_EMAIL", "ada@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The outcome of one run of the binary.
pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(
            self.code(),
            0,
            "expected success; stderr:\n{}",
            self.stderr()
        );
        assert!(!self.stderr().contains("panicked"), "{}", self.stderr());
        self
    }

    #[track_caller]
    pub fn fails_with(&self, code: i32) -> &Self {
        assert_eq!(
            self.code(),
            code,
            "expected exit {code}; stderr:\n{}",
            self.stderr()
        );
        assert!(!self.stderr().contains("panicked"), "{}", self.stderr());
        self
    }

    /// The findings printed on stderr, as (severity, code, `file:line:col` or "" when the
    /// finding has no location), in the order printed.
    pub fn findings(&self) -> Vec<(String, String, String)> {
        parse_findings(&self.stderr())
    }

    /// Asserts one finding with `code` pointing at `file:line:col` (col may be 0 to accept any
    /// column): the code and the location belong to the same diagnostic.
    #[track_caller]
    pub fn finding(&self, code: &str, file: &str, line: usize, col: usize) -> &Self {
        let all = self.findings();
        let at_line = format!("{file}:{line}:");
        let found = all.iter().any(|(_, c, at)| {
            c == code
                && if col > 0 {
                    *at == format!("{file}:{line}:{col}")
                } else {
                    at.starts_with(&at_line)
                }
        });
        assert!(
            found,
            "no {code} at {file}:{line}:{col}; findings: {all:?}\nstderr:\n{}",
            self.stderr()
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Self {
        assert!(
            self.stderr().contains(text),
            "{text:?} not in:\n{}",
            self.stderr()
        );
        self
    }
}

/// Splits rustc-style output into findings: a header `error[CODE]: …` or `warning[CODE]: …`,
/// and the finding's own ` --> file:line:col` line before the next header (the least indented
/// one: a message may quote another tool's report with its own `-->` lines, indented).
pub fn parse_findings(stderr: &str) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    let mut indent = usize::MAX;
    for line in stderr.lines() {
        let header = ["error[", "warning["]
            .iter()
            .find(|p| line.starts_with(**p))
            .and_then(|p| {
                let rest = &line[p.len()..];
                let code = rest.split(']').next()?;
                Some((p.trim_end_matches('[').to_string(), code.to_string()))
            });
        if let Some((severity, code)) = header {
            out.push((severity, code, String::new()));
            indent = usize::MAX;
            continue;
        }
        let trimmed = line.trim_start();
        let depth = line.len() - trimmed.len();
        if let Some(at) = trimmed.strip_prefix("--> ")
            && depth < indent
            && let Some(last) = out.last_mut()
        {
            last.2 = at.trim().to_string();
            indent = depth;
        }
    }
    out
}

/// The entries of a zip file, as (name, bytes), in the zip's own order.
pub fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).expect("a zip file");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("zip entry");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read zip entry");
        out.push((entry.name().expect("entry name").to_string(), bytes));
    }
    out
}

/// Asserts that every entry of a zip carries the promised timestamp (`date` at midnight) and
/// mode 0644, and that the entries are in path order.
#[track_caller]
pub fn assert_zip_entries_stamped(path: &Path, date: (u16, u8, u8)) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).expect("a zip file");
    assert!(!zip.is_empty(), "an empty zip");
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let entry = zip.by_index(i).expect("zip entry");
        let name = entry.name().expect("entry name").to_string();
        let t = entry
            .last_modified()
            .unwrap_or_else(|| panic!("{name} has no timestamp"));
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (date.0, date.1, date.2, 0, 0, 0),
            "timestamp of {name}"
        );
        let mode = entry
            .unix_mode()
            .unwrap_or_else(|| panic!("{name} has no mode"));
        assert_eq!(mode & 0o7777, 0o644, "mode of {name}: {mode:o}");
        names.push(name);
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries in path order");
}

/// Unpacks a zip into `dest`.
pub fn unzip(path: &Path, dest: &Path) {
    for (name, bytes) in zip_entries(path) {
        let p = dest.join(&name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, bytes).expect("write");
    }
}

/// The one `.zip` file in a folder.
pub fn the_zip(dir: &Path) -> PathBuf {
    let zips: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
        .collect();
    assert_eq!(
        zips.len(),
        1,
        "expected one zip in {}: {zips:?}",
        dir.display()
    );
    zips[0].clone()
}

/// A running `aims-site serve`, stopped when dropped.
pub struct Served {
    pub child: std::process::Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The server's private folder (`$TMPDIR/aims-site-serve-<pid>-<random>`, the site in
    /// `site/`).
    pub temp: PathBuf,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve` on a free port through the harness, with its temporary folder inside the
/// fixture (`tmp/`), so the folders around the served site are known to the test.
pub fn serve(f: &Fixture) -> Served {
    serve_with(f, &[])
}

/// [`serve`] with global options before the command (e.g. `--root`).
pub fn serve_with(f: &Fixture, global: &[&str]) -> Served {
    use std::io::BufRead;
    let tmp = f.path().join("tmp");
    std::fs::create_dir_all(&tmp).expect("tmp dir");
    let mut child = f
        .cmd()
        .args(global)
        .args(["serve", "--port", "0"])
        .env("TMPDIR", &tmp)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("address line");
    let addr = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim_end_matches('/')
        .trim_start_matches("http://")
        .to_string();
    let prefix = format!("aims-site-serve-{}-", child.id());
    let temp = std::fs::read_dir(&tmp)
        .expect("tmp dir")
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .unwrap_or_else(|| panic!("no {prefix}* folder in {}", tmp.display()));
    Served { child, addr, temp }
}

/// Sends `request` to `addr` exactly as given and reads the answer to its end: (status, body);
/// status 0 when nothing came back.
pub fn exchange(addr: &str, request: &[u8]) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .expect("timeout");
    // The server may answer and close before it has read everything.
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Every file below `dir` (links not followed), as (path relative to it, bytes), sorted by path.
pub fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir(dir)
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(dir)
                .expect("below the folder")
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(&p).expect("read");
            (rel, bytes)
        })
        .collect();
    out.sort();
    out
}

/// A repository with one approved policy (`content/policies/ai.md`, AIMS-POL-001, body "First
/// text."), committed on 2026-01-10.
pub fn repo_with_policy() -> Fixture {
    let f = Fixture::new();
    f.git_init();
    f.approved(
        "policies/ai.md",
        "AIMS-POL-001",
        "policy",
        "# Purpose\n\nFirst text.\n",
    );
    f.commit("Add the AI policy", "2026-01-10T09:00:00+00:00");
    f
}

/// Every value of attribute `attr` in `html`, in order (`values(page, "href")`).
pub fn values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let open = format!(" {attr}=\"");
    html.match_indices(&open)
        .filter_map(|(at, _)| {
            let rest = &html[at + open.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The print pages of a build: print.html and every print-*.html, by name.
pub fn print_pages(f: &Fixture) -> std::collections::BTreeMap<String, String> {
    let mut pages = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(f.path().join("public")).expect("public") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.starts_with("print") && name.ends_with(".html") {
            pages.insert(name.clone(), f.read(&format!("public/{name}")));
        }
    }
    pages
}
