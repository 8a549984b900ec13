//! manual.pdf: print.html rendered by a locally installed Chromium (headless, no network, a
//! fresh profile). The page numbers and running headers come from the print stylesheet's `@page`
//! rules; the timestamps Chromium writes are set to the export date so that the file is
//! reproducible.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Names a Chromium goes by on PATH, in the order they are tried.
pub const BROWSER_NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
];

/// How long one rendering may take before it is given up: a base, plus time for each MB of
/// print.html (measured here: about 17 s per MB, 204 s for 1,000 documents on 3,460 pages).
fn timeout(html_bytes: usize) -> Duration {
    Duration::from_secs(120 + 60 * (html_bytes as u64).div_ceil(1 << 20))
}

/// The first Chromium found on `path_var` (a PATH value).
pub fn find_browser(path_var: Option<OsString>) -> Option<PathBuf> {
    let path_var = path_var?;
    for dir in std::env::split_paths(&path_var) {
        for name in BROWSER_NAMES {
            let candidate = dir.join(name);
            if is_executable(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

fn is_executable(p: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(p) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// Renders `html` to `pdf` with `browser`; `profile` is an empty folder for the browser's
/// profile. `date` (YYYYMMDD) replaces the creation and modification times in the PDF.
pub fn render(
    browser: &Path,
    html: &Path,
    pdf: &Path,
    profile: &Path,
    date: &str,
) -> Result<(), String> {
    // Links to other pages of the site would become links to this machine's temporary folder in
    // the PDF: the browser prints a copy of the page where only links within the page and to
    // the web stay links.
    let text = std::fs::read_to_string(html).map_err(|e| format!("{}: {e}", html.display()))?;
    // Named after the page: the parts of a manual printed in parts render side by side.
    let name = html
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let copy = html.with_file_name(format!(".{name}.for-pdf.html"));
    let printed = unlink_site_pages(&text);
    std::fs::write(&copy, &printed).map_err(|e| format!("{}: {e}", copy.display()))?;
    let mut result = render_page(browser, &copy, pdf, profile, date, timeout(text.len()));
    if result.is_ok() {
        result = number_contents(browser, &copy, &printed, pdf, profile, date);
    }
    let _ = std::fs::remove_file(&copy);
    result
}

/// Chromium (156) prints no `target-counter()`, so the contents get their page numbers in a
/// second pass: the first PDF's text (pdftotext) says on which page each document begins, the
/// numbers are written into the contents, and the page is printed again. The numbers are kept
/// only when the second PDF puts every document on the page its number says; without
/// pdftotext, or when a document cannot be found, the first PDF stays as it is.
fn number_contents(
    browser: &Path,
    copy: &Path,
    printed: &str,
    pdf: &Path,
    profile: &Path,
    date: &str,
) -> Result<(), String> {
    let ids = contents_ids(printed);
    let Some(pages) = (!ids.is_empty())
        .then(|| document_pages(pdf, &ids))
        .flatten()
    else {
        return Ok(());
    };
    let numbered = with_page_numbers(printed, &ids, &pages);
    let second = pdf.with_extension("numbered.pdf");
    std::fs::write(copy, &numbered).map_err(|e| format!("{}: {e}", copy.display()))?;
    let outcome = render_page(
        browser,
        copy,
        &second,
        profile,
        date,
        timeout(numbered.len()),
    );
    let agrees = outcome.is_ok() && document_pages(&second, &ids).as_ref() == Some(&pages);
    if agrees {
        std::fs::rename(&second, pdf).map_err(|e| format!("{}: {e}", pdf.display()))?;
    } else {
        let _ = std::fs::remove_file(&second);
    }
    Ok(())
}

/// The documents the contents of a printed page list, in order (`href="#doc-ID"` in the
/// `print-toc` navigation).
fn contents_ids(html: &str) -> Vec<String> {
    let Some(start) = html.find("<nav class=\"print-toc\"") else {
        return Vec::new();
    };
    let toc = &html[start..];
    let toc = &toc[..toc.find("</nav>").unwrap_or(toc.len())];
    toc.split("href=\"#doc-")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The page (1 = first) on which each of `ids` begins in `pdf`: the first page after the
/// previous document's on which the id stands on a line of its own, as a section's header
/// prints it. `None` when pdftotext is missing or fails, or a document is not found.
fn document_pages(pdf: &Path, ids: &[String]) -> Option<Vec<usize>> {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let mut found = Vec::with_capacity(ids.len());
    let mut from = 0;
    for id in ids {
        let p = (from..pages.len()).find(|&p| pages[p].lines().any(|l| l.trim() == id))?;
        found.push(p + 1);
        from = p;
    }
    Some(found)
}

/// `html` with each contents entry of `ids` followed by its page number.
fn with_page_numbers(html: &str, ids: &[String], pages: &[usize]) -> String {
    let mut out = String::with_capacity(html.len() + ids.len() * 40);
    let mut rest = html;
    for (id, page) in ids.iter().zip(pages) {
        let marker = format!("href=\"#doc-{id}\"");
        let Some(at) = rest.find(&marker) else {
            break;
        };
        let Some(end) = rest[at..].find("</li>").map(|e| at + e) else {
            break;
        };
        out.push_str(&rest[..end]);
        out.push_str(&format!("<span class=\"toc-page\">{page}</span>"));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The pages manual.pdf is printed from, in order: print.html alone, or — for a manual printed
/// in parts — the index, each part and the appendices' pages.
pub fn print_pages(pack_dir: &Path) -> Vec<PathBuf> {
    let mut pages = vec![pack_dir.join("print.html")];
    let appendices = pack_dir.join(crate::render::print::APPENDICES_PAGE);
    if appendices.is_file() {
        pages.extend(
            (0..)
                .map(|k| pack_dir.join(crate::render::print::part_page(k)))
                .take_while(|p| p.is_file()),
        );
        pages.extend(
            (0..)
                .map(|k| pack_dir.join(crate::render::print::appendix_page(k)))
                .take_while(|p| p.is_file()),
        );
    }
    pages
}

/// pdfunite (poppler-utils) on `path_var` (a PATH value).
pub fn find_pdfunite(path_var: Option<OsString>) -> Option<PathBuf> {
    std::env::split_paths(&path_var?)
        .map(|dir| dir.join("pdfunite"))
        .find(|p| is_executable(p))
}

/// Renders each of `pages` to a PDF of its own (two browsers at a time on a machine with two
/// cores or more), then joins them into `pdf` with `unite`. Each part keeps its own bookmarks
/// and page numbers; links between parts are not links in the PDF.
pub fn render_parts(
    browser: &Path,
    unite: &Path,
    pages: &[PathBuf],
    pdf: &Path,
    work: &Path,
    date: &str,
) -> Result<(), String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dir = work.join("pdf-parts");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let outputs: Vec<PathBuf> = (0..pages.len())
        .map(|k| dir.join(format!("{k:05}.pdf")))
        .collect();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    let next = AtomicUsize::new(0);
    let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (next, outputs, dir) = (&next, &outputs, &dir);
                scope.spawn(move || -> Result<(), String> {
                    let profile = dir.join(format!("profile-{w}"));
                    std::fs::create_dir_all(&profile)
                        .map_err(|e| format!("{}: {e}", profile.display()))?;
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let (Some(page), Some(out)) = (pages.get(k), outputs.get(k)) else {
                            return Ok(());
                        };
                        if let Err(e) = render(browser, page, out, &profile, date) {
                            next.store(pages.len(), Ordering::Relaxed);
                            return Err(e);
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a PDF worker failed".into()))
            })
            .collect()
    });
    results.into_iter().collect::<Result<Vec<()>, String>>()?;
    let out = Command::new(unite)
        .args(&outputs)
        .arg(pdf)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", unite.display()))?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        return Err(format!("{} failed: {}", unite.display(), why.trim()));
    }
    let mut bytes = std::fs::read(pdf).map_err(|e| format!("{}: {e}", pdf.display()))?;
    fix_dates(&mut bytes, date);
    std::fs::write(pdf, bytes).map_err(|e| format!("{}: {e}", pdf.display()))
}

/// The `href="…"` of `<a>` elements that lead to other files of the site becomes `data-href`;
/// anchors within the page and http(s) and mailto links stay, and so do stylesheets.
pub fn unlink_site_pages(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(" href=\"") {
        let value_start = at + " href=\"".len();
        let Some(len) = rest[value_start..].find('"') else {
            break;
        };
        let value = &rest[value_start..value_start + len];
        let in_anchor = rest[..at]
            .rfind('<')
            .is_some_and(|tag| rest[tag..].starts_with("<a "));
        let keep = !in_anchor
            || value.starts_with('#')
            || value.starts_with("http://")
            || value.starts_with("https://")
            || value.starts_with("mailto:");
        out.push_str(&rest[..at]);
        out.push_str(if keep { " href=\"" } else { " data-href=\"" });
        out.push_str(value);
        out.push('"');
        rest = &rest[value_start + len + 1..];
    }
    out.push_str(rest);
    out
}

fn render_page(
    browser: &Path,
    html: &Path,
    pdf: &Path,
    profile: &Path,
    date: &str,
    limit: Duration,
) -> Result<(), String> {
    let html = std::fs::canonicalize(html).map_err(|e| format!("{}: {e}", html.display()))?;
    let url = file_url(&html);
    // The sandbox needs privileges a root user (in a container, in CI) does not have; only then
    // does it run without.
    let first = run(browser, &url, pdf, profile, false, limit)?;
    let outcome = if !first.0 && first.1.contains("--no-sandbox") {
        run(browser, &url, pdf, profile, true, limit)?
    } else {
        first
    };
    if !outcome.0 || !pdf.is_file() {
        let last = outcome
            .1
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no output");
        return Err(format!("{} failed: {last}", browser.display()));
    }
    let mut bytes = std::fs::read(pdf).map_err(|e| format!("{}: {e}", pdf.display()))?;
    fix_dates(&mut bytes, date);
    std::fs::write(pdf, bytes).map_err(|e| format!("{}: {e}", pdf.display()))
}

/// Runs the browser once; (succeeded, what it printed on stderr).
fn run(
    browser: &Path,
    url: &str,
    pdf: &Path,
    profile: &Path,
    no_sandbox: bool,
    limit: Duration,
) -> Result<(bool, String), String> {
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-quic",
        "--no-pdf-header-footer",
        // PDF bookmarks from the headings (Chromium 125 and later).
        "--generate-pdf-document-outline",
        "--hide-scrollbars",
    ]);
    if no_sandbox {
        cmd.arg("--no-sandbox");
    }
    cmd.arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        // Dates in the PDF are written in the local zone; UTC keeps their length fixed.
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", browser.display()))?;
    let mut stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(s) = stderr.as_mut() {
            let _ = std::io::Read::read_to_string(s, &mut text);
        }
        text
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{} did not finish within {} s",
                    browser.display(),
                    limit.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(format!("{}: {e}", browser.display())),
        }
    };
    let text = reader.join().unwrap_or_default();
    Ok((status.success(), text))
}

/// A `file://` URL for an absolute path, with every byte outside the unreserved set escaped.
fn file_url(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Sets the digits of `/CreationDate (D:…)` and `/ModDate (D:…)` to `date` at midnight. The
/// length of the file does not change, so its cross-reference offsets stay right.
pub fn fix_dates(bytes: &mut [u8], date: &str) {
    let stamp = format!("{date}000000");
    for key in [&b"/CreationDate (D:"[..], &b"/ModDate (D:"[..]] {
        let mut from = 0;
        while let Some(at) = memchr::memmem::find(&bytes[from..], key) {
            let start = from + at + key.len();
            let digits = bytes[start..]
                .iter()
                .take(stamp.len())
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits == stamp.len() {
                bytes[start..start + digits].copy_from_slice(stamp.as_bytes());
            }
            from = start;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_contents_get_their_page_numbers_before_each_entry_ends() {
        let html = "<nav class=\"print-toc\"><ol>\n<li><a href=\"#doc-A-1\">A-1 One</a> <span class=\"count\">policy</span></li>\n<li><a href=\"#doc-B-2\">B-2 Two</a></li>\n</ol></nav><a href=\"#doc-A-1\">again</a>";
        let ids = contents_ids(html);
        assert_eq!(ids, ["A-1", "B-2"]);
        let numbered = with_page_numbers(html, &ids, &[3, 7]);
        assert!(numbered.contains(
            "A-1 One</a> <span class=\"count\">policy</span><span class=\"toc-page\">3</span></li>"
        ));
        assert!(numbered.contains("B-2 Two</a><span class=\"toc-page\">7</span></li>"));
        assert!(numbered.ends_with("<a href=\"#doc-A-1\">again</a>"));
        assert!(contents_ids("<p>no contents</p>").is_empty());
    }

    use super::*;

    #[test]
    fn dates_are_replaced_in_place() {
        let mut pdf =
            b"<< /CreationDate (D:20261123083113+00'00')\n/ModDate (D:20261123083114+00'00') >>"
                .to_vec();
        let len = pdf.len();
        fix_dates(&mut pdf, "20261201");
        assert_eq!(pdf.len(), len);
        let text = String::from_utf8(pdf).unwrap();
        assert!(
            text.contains("/CreationDate (D:20261201000000+00'00')"),
            "{text}"
        );
        assert!(
            text.contains("/ModDate (D:20261201000000+00'00')"),
            "{text}"
        );
    }

    #[test]
    fn the_browser_is_found_on_path_and_nowhere_else() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(find_browser(Some(dir.path().as_os_str().to_owned())), None);
        assert_eq!(find_browser(None), None);
        let exe = dir.path().join("chromium-browser");
        std::fs::write(&exe, "#!/bin/sh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Not executable: not a browser.
            assert_eq!(find_browser(Some(dir.path().as_os_str().to_owned())), None);
            std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        assert_eq!(
            find_browser(Some(dir.path().as_os_str().to_owned())),
            Some(exe)
        );
    }

    #[test]
    fn links_to_other_site_pages_are_unlinked_for_the_pdf() {
        let html = r##"<link rel="stylesheet" href="assets/style.css"><a href="#doc-A">a</a> <a class="x" href="clause/6.1.2.html">c</a> <a href="https://example.org/">w</a> <a href="mailto:a@b.c">m</a>"##;
        let out = unlink_site_pages(html);
        assert_eq!(
            out,
            r##"<link rel="stylesheet" href="assets/style.css"><a href="#doc-A">a</a> <a class="x" data-href="clause/6.1.2.html">c</a> <a href="https://example.org/">w</a> <a href="mailto:a@b.c">m</a>"##
        );
    }

    #[test]
    fn file_urls_escape_what_they_must() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/print.html")),
            "file:///tmp/a%20b/print.html"
        );
    }
}
