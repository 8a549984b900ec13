//! The live-preview server: builds into a folder of its own (never the published output), serves
//! it on one port (a small HTTP layer of its own, see `http`), rebuilds when files change, and lets open pages reload
//! themselves through a long-polled build counter. A failed rebuild keeps the last good site
//! and shows the diagnostics over every page.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::site::{self, BuildOptions, Project};

pub mod http;

use http::{Request, Response};

/// What open pages are told about the latest build.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildState {
    /// Increases with every finished build, good or bad.
    pub build: u64,
    pub ok: bool,
    /// A site has been built at least once (else every page is the error page).
    pub has_site: bool,
    pub errors: Vec<Finding>,
    pub warnings: usize,
    /// The first [`SHOWN_WARNINGS`] warnings of the last good build, for the page's bar.
    pub warning_list: Vec<Finding>,
    /// Increases with every document page published ahead of its build (see [`Shared::early`]).
    pub early: u64,
    /// The pages published ahead of the build in progress (or just finished): an open page
    /// among them reloads at once, and not again when its build is done.
    pub early_paths: Vec<String>,
}

/// The most pages a rebuild publishes ahead of itself (a bigger change waits for the build).
const MAX_EARLY: usize = 64;

/// How many warnings open pages are sent (the terminal gets them all).
pub const SHOWN_WARNINGS: usize = 50;

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub text: String,
}

impl Finding {
    fn from(d: &Diagnostic) -> Finding {
        let loc = d.location.as_deref();
        Finding {
            code: d.code,
            message: d.message.clone(),
            file: loc.map(|l| l.file.clone()).unwrap_or_default(),
            line: loc.map_or(0, |l| l.line),
            column: loc.map_or(0, |l| l.column),
            text: d.render(false),
        }
    }
}

/// Shared between the builder and the request handlers.
#[derive(Default)]
pub struct Shared {
    state: Mutex<BuildState>,
    changed: Condvar,
    /// Pages of the last good build, so a rebuild re-renders only what changed.
    memo: Arc<crate::render::context::RenderMemo>,
    /// The parsed Git log, reused while HEAD does not move.
    log: Arc<crate::git::LogMemo>,
    /// Each file's parse, reused while its text is the same.
    model: Arc<crate::site::ModelMemo>,
    /// Each file's text, reused while its metadata is the same.
    load: Arc<crate::load::LoadMemo>,
}

impl Shared {
    pub fn snapshot(&self) -> BuildState {
        self.state.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn publish(&self, f: impl FnOnce(&mut BuildState)) {
        if let Ok(mut s) = self.state.lock() {
            f(&mut s);
            s.build += 1;
        }
        self.changed.notify_all();
    }

    /// Publishes a document page rendered by the build in progress, before the rest of the
    /// site: written into the served folder (a whole file, renamed into place), then open pages
    /// are told. Returns false when the page was not published (too many, or not writable).
    fn early(&self, site: &Path, rel: &str, bytes: &[u8]) -> bool {
        let full = site.join(rel);
        let (Some(dir), Some(name)) = (full.parent(), full.file_name()) else {
            return false;
        };
        let Ok(mut state) = self.state.lock() else {
            return false;
        };
        if state.early_paths.len() >= MAX_EARLY || !dir.is_dir() {
            return false;
        }
        let tmp = dir.join(format!(".{}.early", name.to_string_lossy()));
        if std::fs::write(&tmp, bytes).is_err() || std::fs::rename(&tmp, &full).is_err() {
            let _ = std::fs::remove_file(&tmp);
            return false;
        }
        state.early += 1;
        state.early_paths.push(rel.to_string());
        drop(state);
        self.changed.notify_all();
        true
    }

    /// Forgets the pages published ahead of the last build (a new one starts).
    fn start_build(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.early_paths.clear();
        }
    }

    /// Waits until the build counter differs from `since`, or (when given) the early counter
    /// from `early` (at most `timeout`).
    fn wait(&self, since: u64, early: Option<u64>, timeout: Duration) -> BuildState {
        let Ok(guard) = self.state.lock() else {
            return BuildState::default();
        };
        match self.changed.wait_timeout_while(guard, timeout, |s| {
            s.build == since && early.is_none_or(|e| s.early == e)
        }) {
            Ok((s, _)) => s.clone(),
            Err(_) => BuildState::default(),
        }
    }
}

/// Builds once into `site_dir` and records the outcome: (documents, document pages reused).
pub fn rebuild(
    root: &Path,
    site_dir: &Path,
    shared: &Arc<Shared>,
    changed: &[PathBuf],
) -> std::result::Result<Rebuilt, String> {
    let started = std::time::Instant::now();
    // Once a site is served, the document pages a change re-renders are shown before the rest
    // of the site is rebuilt.
    shared.start_build();
    let early = shared.snapshot().has_site.then(|| {
        let (shared, site) = (shared.clone(), site_dir.to_path_buf());
        site::EarlyPages(Arc::new(move |rel: &str, bytes: &[u8]| {
            shared.early(&site, rel, bytes);
        }) as Arc<site::PageReceiver>)
    });
    let outcome = Project::open(root).and_then(|mut project| {
        project.log_memo = Some(shared.log.clone());
        project.model_memo = Some(shared.model.clone());
        project.load_memo = Some(shared.load.clone());
        // The saved documents render first: their pages are the ones being looked at.
        let content = project.content_dir();
        let first: Vec<String> = changed
            .iter()
            .filter_map(|p| p.strip_prefix(&content).ok())
            .map(|p| crate::fs::display_rel(p, Path::new("")))
            .collect();
        let opts = BuildOptions {
            dest: Some(site_dir.to_path_buf()),
            profile: None,
            today: None,
            drafts: true,
            preview: true,
            memo: Some(shared.memo.clone()),
            early,
            first,
            ..Default::default()
        };
        site::build(&project, &opts)
    });
    match outcome {
        Ok(report) => {
            shared.publish(|s| {
                s.ok = true;
                s.has_site = true;
                s.errors.clear();
                s.warnings = report.warnings.len();
                s.warning_list = report
                    .warnings
                    .iter()
                    .take(SHOWN_WARNINGS)
                    .map(Finding::from)
                    .collect();
            });
            let _ = started;
            Ok(Rebuilt {
                documents: report.documents,
                reused: report.reused,
                timings: report.timings,
                warnings: report.warnings.iter().map(|d| d.render(false)).collect(),
            })
        }
        Err(e) => {
            let findings: Vec<Finding> = match &e {
                Error::Invalid(diags) => diags
                    .iter()
                    .filter(|d| d.is_error())
                    .map(Finding::from)
                    .collect(),
                other => vec![Finding {
                    code: "AIMS-E000",
                    message: other.to_string(),
                    file: String::new(),
                    line: 0,
                    column: 0,
                    text: format!("error: {other}"),
                }],
            };
            let text = findings
                .iter()
                .map(|f| f.text.clone())
                .collect::<Vec<_>>()
                .join("\n");
            shared.publish(|s| {
                s.ok = false;
                s.errors = findings;
            });
            Err(text)
        }
    }
}

/// Maps a request path onto a file below `site`: percent-decoded, with `..`, `.`, backslashes,
/// NUL and absolute forms refused (403) and missing files 404. Folders serve their index.html.
pub fn resolve(site: &Path, url: &str) -> std::result::Result<PathBuf, u16> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Err(400);
    }
    let decoded = percent_decode(path).ok_or(400u16)?;
    if decoded.contains(['\\', '\0']) || decoded.starts_with("//") {
        return Err(403);
    }
    let mut rel = PathBuf::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return Err(403),
            s if s.contains(':') => return Err(403),
            s => rel.push(s),
        }
    }
    let mut full = site.join(&rel);
    if full.is_dir() {
        full = full.join("index.html");
    }
    if !full.is_file() {
        return Err(404);
    }
    let canon = std::fs::canonicalize(&full).map_err(|_| 404u16)?;
    let base = std::fs::canonicalize(site).map_err(|_| 404u16)?;
    if !canon.starts_with(&base) {
        return Err(403);
    }
    Ok(canon)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            let h = hex(*b.get(i + 1)?)?;
            let l = hex(*b.get(i + 2)?)?;
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

const LIVE_JS: &str = include_str!("live.js");
const LIVE_TAG: &str = "<script src=\"/__aims/live.js\"></script>";

fn error_page(status: u16, state: &BuildState) -> Vec<u8> {
    let mut body = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>aims-site preview</title></head><body>",
    );
    if state.has_site || state.ok {
        body.push_str(&format!(
            "<h1>{status}</h1><p>Nothing to show at this address.</p>"
        ));
    } else {
        body.push_str("<h1>The site could not be built</h1><p>Fix the problems below; this page reloads by itself.</p>");
    }
    body.push_str(LIVE_TAG);
    body.push_str("</body></html>");
    body.into_bytes()
}

const HTML: &str = "text/html; charset=utf-8";

/// Answers one request (the HTTP layer has checked its size and host).
pub fn handle(req: &Request, site: &Path, shared: &Shared) -> Response {
    if req.method != "GET" && req.method != "HEAD" {
        return Response::text(405, "method not allowed").header("Allow", "GET, HEAD");
    }
    let url = req.url.as_str();
    if url == "/__aims/live.js" {
        return Response::new(
            200,
            "text/javascript; charset=utf-8",
            LIVE_JS.as_bytes().to_vec(),
        );
    }
    if let Some(q) = url.strip_prefix("/__aims/poll") {
        let param = |name: &str| {
            q.trim_start_matches('?')
                .split('&')
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
                .and_then(|v| v.parse::<i64>().ok())
        };
        let since = param("since").unwrap_or(-1);
        let early = param("early").and_then(|e| u64::try_from(e).ok());
        let state = if since < 0 {
            shared.snapshot()
        } else {
            shared.wait(since as u64, early, Duration::from_secs(25))
        };
        let json = serde_json::to_vec(&state).unwrap_or_default();
        return Response::new(200, "application/json", json);
    }
    let state = shared.snapshot();
    match resolve(site, url) {
        Ok(path) => {
            let Ok(mut bytes) = std::fs::read(&path) else {
                return Response::new(404, HTML, error_page(404, &state));
            };
            let ctype = content_type(&path);
            if ctype.starts_with("text/html") {
                let text = String::from_utf8_lossy(&bytes);
                let injected = match text.rfind("</body>") {
                    Some(i) => format!("{}{LIVE_TAG}{}", &text[..i], &text[i..]),
                    None => format!("{text}{LIVE_TAG}"),
                };
                bytes = injected.into_bytes();
            }
            Response::new(200, ctype, bytes)
        }
        Err(404) if !state.has_site => Response::new(503, HTML, error_page(503, &state)),
        Err(code) => Response::new(code, HTML, error_page(code, &state)),
    }
}

/// Options of `aims-site serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: String,
    pub port: u16,
    pub open: bool,
    /// Each rebuild also says how long each stage took (`--verbose`).
    pub verbose: bool,
}

/// What a successful rebuild did.
pub struct Rebuilt {
    pub documents: usize,
    /// Document pages reused from the previous build.
    pub reused: usize,
    pub timings: site::Timings,
    /// Every warning of the build, as the terminal shows it.
    pub warnings: Vec<String>,
}

/// The warnings of a build for the terminal: all of them when they differ from the last ones
/// printed (`last`), else a one-line reminder, so that a save does not repeat a screenful.
fn print_warnings(warnings: &[String], last: &mut Vec<String>) {
    if warnings == last.as_slice() {
        if !warnings.is_empty() {
            eprintln!("({} warning(s), as before)", warnings.len());
        }
        return;
    }
    for w in warnings {
        eprintln!("{w}");
    }
    if !warnings.is_empty() {
        eprintln!(
            "{} warning(s); the preview shows them in a bar at the foot of each page",
            warnings.len()
        );
    }
    *last = warnings.to_vec();
}

/// A running preview: where it listens and where it builds.
pub struct Preview {
    pub addr: String,
    pub site_dir: PathBuf,
}

pub fn is_loopback(bind: &str) -> bool {
    bind == "localhost" || bind.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Starts the preview and serves until the process ends. `on_ready` is told the address.
pub fn run(
    project: &Project,
    opts: &ServeOptions,
    on_ready: &dyn Fn(&Preview, Option<&str>),
) -> Result<()> {
    // Absolute: the watcher reports absolute paths, and a relative `--root` would match none.
    let root = crate::fs::canonicalize(&project.root)?;
    let content = root.join(&project.config.build.content_dir);
    // A private folder (0700, a fresh random name) that holds every document, drafts and
    // restricted ones included: removed on exit, Ctrl-C and SIGTERM, and by the next preview
    // when this process was killed.
    let temp = crate::output::private_dir(&std::env::temp_dir(), "aims-site-serve-")?;
    let temp_dir = temp.path().to_path_buf();
    let site_dir = temp_dir.join("site");
    let listener = std::net::TcpListener::bind((opts.bind.as_str(), opts.port))
        .map_err(|e| Error::Usage(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port)))?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::Usage(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port)))?;
    let preview = Preview {
        addr: format!("http://{local}/"),
        site_dir: site_dir.clone(),
    };

    // Ctrl-C and SIGTERM: remove the temporary site and leave.
    let cleanup = temp_dir.clone();
    let _ = ctrlc::set_handler(move || {
        let _ = std::fs::remove_dir_all(&cleanup);
        std::process::exit(0);
    });

    // Watcher → debounced rebuilds.
    let (tx, rx) = std::sync::mpsc::channel::<PathBuf>();
    let watch_root = root.clone();
    let watch_content = content.clone();
    let watch_out = site_dir.clone();
    // The organisation's catalogs and crosswalks (book.toml's `[standards]`): as book.toml.
    let standard_files: Vec<PathBuf> = project
        .catalog_files
        .iter()
        .chain(&project.crosswalk_files)
        .map(|(_, real)| real.clone())
        .collect();
    let watch_standards = standard_files.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            // Reading files (our own builds do) is not a change.
            if matches!(
                event.kind,
                notify::EventKind::Access(_) | notify::EventKind::Other
            ) {
                return;
            }
            for p in event.paths {
                if watch_standards.contains(&p)
                    || crate::watch::classify(&p, &watch_root, &watch_content, &watch_out)
                        != crate::watch::Change::Ignored
                {
                    let _ = tx.send(p);
                }
            }
        }
    })
    .map_err(|e| Error::Usage(format!("cannot watch files: {e}")))?;
    use notify::Watcher;
    let _ = watcher.watch(&root, notify::RecursiveMode::NonRecursive);
    for dir in [content.clone(), root.join("templates"), root.join("themes")] {
        if dir.is_dir() {
            let _ = watcher.watch(&dir, notify::RecursiveMode::Recursive);
        }
    }
    for file in &standard_files {
        if let Some(dir) = file.parent().filter(|d| !d.starts_with(&content)) {
            let _ = watcher.watch(dir, notify::RecursiveMode::NonRecursive);
        }
    }
    // The watcher runs before the first build, so nothing saved from now on is missed.
    let shared = Arc::new(Shared::default());
    let first = rebuild(&root, &site_dir, &shared, &[]);
    let mut shown_warnings = Vec::new();
    if let Ok(r) = &first {
        print_warnings(&r.warnings, &mut shown_warnings);
    }
    on_ready(&preview, first.as_ref().err().map(String::as_str));
    let builder_shared = shared.clone();
    let builder_site = site_dir.clone();
    let verbose = opts.verbose;
    std::thread::spawn(move || {
        let _watcher = watcher;
        while let Some(batch) =
            crate::watch::next_batch(&rx, crate::watch::QUIET, Duration::from_secs(2))
        {
            let started = std::time::Instant::now();
            match rebuild(&root, &builder_site, &builder_shared, &batch) {
                Ok(r) => {
                    let stages = if verbose {
                        let parts: Vec<String> = r
                            .timings
                            .0
                            .iter()
                            .map(|(stage, t)| format!("{stage} {:.1}", t.as_secs_f64() * 1000.0))
                            .collect();
                        format!(" [ms: {}]", parts.join(", "))
                    } else {
                        String::new()
                    };
                    eprintln!(
                        "rebuilt {} documents in {} ms ({} change(s); {} page(s) re-rendered){stages}",
                        r.documents,
                        started.elapsed().as_millis(),
                        batch.len(),
                        r.documents.saturating_sub(r.reused)
                    );
                    print_warnings(&r.warnings, &mut shown_warnings);
                }
                Err(text) => eprintln!("{text}\nbuild failed; still serving the last good site"),
            }
        }
    });

    let handler = Arc::new(move |req: &Request| handle(req, &site_dir, &shared));
    http::serve(listener, http::Hosts { port: local.port() }, handler);
    drop(temp);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused_in_every_encoding() {
        let dir = std::env::temp_dir().join(format!("aims-serve-test-{}", std::process::id()));
        let site = dir.join("site");
        std::fs::create_dir_all(site.join("doc")).expect("mkdir");
        std::fs::write(site.join("index.html"), "home").expect("write");
        std::fs::write(site.join("doc/a b.html"), "doc").expect("write");
        std::fs::write(dir.join("secret.txt"), "secret").expect("write");
        assert!(resolve(&site, "/").is_ok());
        assert!(resolve(&site, "/doc/a%20b.html?x=1").is_ok());
        assert_eq!(resolve(&site, "/nope.html"), Err(404));
        for probe in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/doc/..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/doc\\..\\..\\secret.txt",
            "//etc/passwd",
            "/C:/Windows",
            "/%00",
        ] {
            let r = resolve(&site, probe);
            assert!(matches!(r, Err(400 | 403 | 404)), "{probe}: {r:?}");
        }
        assert_eq!(resolve(&site, "relative"), Err(400));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn loopback_addresses() {
        assert!(is_loopback("127.0.0.1") && is_loopback("::1") && is_loopback("localhost"));
        assert!(!is_loopback("0.0.0.0"));
    }
}
