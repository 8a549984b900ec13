//! Browser checks in headless Chromium (Debian's `chromium`, driven by playwright-core from
//! tests/browser/). In CI (`CI` set) a missing browser fails these tests; elsewhere they say
//! they are skipped.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{Fixture, front};

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Chromium as the export finds it: `$CHROMIUM`, else the first of `chromium`,
/// `chromium-browser`, `google-chrome` on PATH (as .ci/run installs it).
fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
    .find(|p| p.is_file())
}

/// What the browser tests need and is missing (empty when they can run). The driver is pinned in
/// package-lock.json and installed once per run of this file, never by several tests at once.
fn missing() -> &'static [String] {
    static MISSING: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    MISSING.get_or_init(|| {
        let modules = browser_dir().join("node_modules/playwright-core");
        if !modules.exists() && Command::new("npm").arg("--version").output().is_ok() {
            let _ = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(browser_dir())
                .status();
        }
        let mut missing = Vec::new();
        if find_chromium().is_none() {
            missing.push(
                "Chromium (`chromium`, `chromium-browser` or `google-chrome` on PATH, or $CHROMIUM): apt-get install chromium".to_string(),
            );
        }
        if Command::new("node").arg("--version").output().is_err() {
            missing.push("node".to_string());
        }
        if !modules.exists() {
            missing.push("playwright-core: `npm ci` in tests/browser".to_string());
        }
        if !browser_dir().join("node_modules/axe-core").exists() {
            missing.push("axe-core: `npm ci` in tests/browser".to_string());
        }
        if !Command::new("pdftotext")
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
        {
            missing.push("pdftotext: apt-get install poppler-utils".to_string());
        }
        missing
    })
}

/// Whether the browser tests can run; panics in CI (`CI` set) when they cannot. Outside CI a
/// test returns early, and [`browser_tests_skipped_only_outside_ci`] says so loudly.
fn browser_ready() -> bool {
    let missing = missing();
    if !missing.is_empty() {
        assert!(
            std::env::var_os("CI").is_none(),
            "browser tests need: {}",
            missing.join("; ")
        );
    }
    missing.is_empty()
}

/// Fails in CI when anything the browser tests need is missing; elsewhere writes a warning that
/// the test runner shows (straight to stderr, past the runner's capture).
#[test]
fn browser_tests_skipped_only_outside_ci() {
    use std::io::Write;
    let missing = missing();
    if missing.is_empty() {
        return;
    }
    let list = missing.join("\n  - ");
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set, and the browser tests cannot run; missing:\n  - {list}"
    );
    let _ = writeln!(
        std::io::stderr().lock(),
        "\nwarning: the browser tests in tests/browser.rs were SKIPPED (they pass without running); missing:\n  - {list}\n  (install them as .ci/run does; with CI set they fail instead)\n"
    );
}

/// One browser at a time: two Chromiums on two cores make timings flaky.
static BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs a browser script; its output is shown when it fails.
fn node(script: &str, args: &[&str]) {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let chromium = find_chromium().expect("chromium");
    let out = Command::new("node")
        .current_dir(browser_dir())
        .env("CHROMIUM", chromium)
        .arg(script)
        .args(args)
        .output()
        .expect("run node");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{script} failed:\n{text}");
}

#[test]
fn serve_reloads_the_open_page_after_an_edit() {
    if !browser_ready() {
        return;
    }
    let f = Fixture::new();
    let filler: String = (1..=40)
        .map(|i| format!("Paragraph {i} of filler text.\n\n"))
        .collect();
    f.approved(
        "a.md",
        "AIMS-POL-001",
        "policy",
        &format!("{filler}The original sentence.\n\n{filler}"),
    );
    let mut child = f
        .cmd()
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("address");
    let addr = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or("")
        .to_string();
    let file = f.path().join("content/a.md");
    let result = std::panic::catch_unwind(|| {
        node(
            "reload.mjs",
            &[
                &format!("{addr}doc/AIMS-POL-001.html"),
                &file.to_string_lossy(),
                "The original sentence.",
                "The edited sentence.",
            ],
        )
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// A small but complete site: policies, a procedure, a restricted register, an SoA.
fn staff_site() -> Fixture {
    let f = Fixture::new();
    f.write(
        "book.toml",
        "[book]\ntitle = \"Browser Manual\"\norganisation = \"Example Org\"\n[aims]\nscope-document = \"AIMS-POL-002\"\n",
    );
    let mut soa = String::from("applicability:\n");
    for c in &aims_site::catalog::get().controls {
        soa.push_str(&format!("  {}:\n    applicable: true\n    justification: \"Needed for our AI systems.\"\n    implementation: planned\n", c.id));
    }
    f.doc(
        "soa.md",
        &front("AIMS-SOA-001", "soa", "approved", &soa),
        "# Statement of Applicability\n\nSee the table.\n",
    );
    f.doc(
        "policies/ai.md",
        &front("AIMS-POL-001", "policy", "approved", "clauses: [\"5.2\"]\ncontrols: [A.2.2]\n"),
        "# Purpose\n\nOur commitment to trustworthy AI, including the zephyrine principle.\n\n## Scope\n\nAll AI systems, see [[AIMS-PRO-001]].\n\n```yaml\nmodel: credit\nthreshold: 0.2\n```\n\n| Role | Duty |\n|---|---|\n| Owner | Approves |\n",
    );
    f.doc(
        "policies/scope.md",
        &front("AIMS-POL-002", "policy", "approved", "clauses: [\"4.3\"]\n"),
        "# Scope of the AIMS\n\nEverything.\n",
    );
    f.doc(
        "procedures/risk.md",
        &front(
            "AIMS-PRO-001",
            "procedure",
            "approved",
            "clauses: [\"6.1.2\"]\n",
        ),
        "# Steps\n\n1. Identify risks per clause 6.1.2.\n2. Record them.\n\n## Register\n\n| Risk | Description of the risk and its causes | Owner | Likelihood | Impact | Treatment decided by the risk owner | Residual rating | Last assessed |\n|---|---|---|---|---|---|---|---|\n| R-01 | Route planning favours drivers with the longest shifts, against the working-time rules | Head of Operations Planning | likely | major | retrain with rest-time constraints and review monthly | medium | 2026-11-10 |\n\n## Retention of records\n\nThe assessments are kept for ten years in the vellichor archive.\n",
    );
    // Two AI systems for the inventory: one with its risk assessment, one out of scope.
    let system = |id: &str, name: &str, scope: &str| {
        front(
            id,
            "ai-system",
            "approved",
            &format!("roles: [provider]\nsourcing: built\nstage: deployment\nintended_use: \"Plans routes.\"\nrisk_level: medium\neu_ai_act: minimal\nin_scope: {scope}\n"),
        )
        .replace(&format!("Title of {id}"), name)
    };
    f.doc(
        "systems/route.md",
        &system("SYS-ROUTE", "Route Planner", "true"),
        "Plans routes.\n",
    );
    f.doc(
        "systems/chat.md",
        &system("SYS-CHAT", "Chat Helper", "false"),
        "Drafts text.\n",
    );
    f.doc(
        "records/route-risk.md",
        &front(
            "AIMS-REC-001",
            "record",
            "approved",
            "systems: [SYS-ROUTE]\nrecord_kind: [risk-assessment, impact-assessment]\nnext_due: 2027-06-01\n",
        ),
        "# Route Planner risks\n\nAssessed.\n",
    );
    f
}

#[test]
fn staff_site_search_theme_phone_width_and_accessibility() {
    if !browser_ready() {
        return;
    }
    let f = staff_site();
    f.build().success();
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    node(
        "site.mjs",
        &[
            &f.path().join("public").to_string_lossy(),
            "zephyrine",
            "AIMS-POL-001",
            &shots.to_string_lossy(),
            // print.html: by type (policy, procedure, record, soa, ai-system), then by id.
            "AIMS-POL-001,AIMS-POL-002,AIMS-PRO-001,AIMS-REC-001,AIMS-SOA-001,SYS-CHAT,SYS-ROUTE",
            // A word only deep in AIMS-PRO-001's body, under "Retention of records".
            "vellichor",
            "AIMS-PRO-001",
            "retention-of-records",
        ],
    );
}

/// The search's tiers decide where weights alone would not: a document whose title holds a
/// word the query completes beats one with the exact word in a heading and all through its body;
/// the document whose id is typed beats one whose title names that id twice.
#[test]
fn search_ranks_the_typed_id_then_field_matches_first() {
    if !browser_ready() {
        return;
    }
    let f = Fixture::new();
    f.write("book.toml", "[book]\ntitle = \"Ranking\"\n");
    let titled = |id: &str, title: &str| {
        front(id, "guideline", "approved", "").replace(&format!("Title of {id}"), title)
    };
    f.doc(
        "guidelines/a.md",
        &titled("AIMS-GDL-001", "Quokkas in the field"),
        "# Purpose\n\nShort.\n",
    );
    f.doc(
        "guidelines/b.md",
        &titled("AIMS-GDL-002", "Other notes"),
        "# Purpose\n\nquokka quokka quokka quokka quokka quokka\n\n## Quokka\n\nMore.\n",
    );
    f.doc(
        "guidelines/c.md",
        &titled("AIMS-GDL-003", "Plain guideline"),
        "# Purpose\n\nShort.\n",
    );
    f.doc(
        "guidelines/d.md",
        &titled("AIMS-GDL-004", "AIMS-GDL-003 versus AIMS-GDL-003"),
        "# Purpose\n\nSee AIMS-GDL-003, AIMS-GDL-003, AIMS-GDL-003, AIMS-GDL-003 and AIMS-GDL-003.\n",
    );
    f.build().success();
    node(
        "search-rank.mjs",
        &[
            &f.path().join("public").to_string_lossy(),
            "quokka=AIMS-GDL-001",
            "aims-gdl-003=AIMS-GDL-003",
        ],
    );
}

#[test]
fn the_export_pack_opens_from_disk_and_its_pdf_has_every_title() {
    if !browser_ready() {
        return;
    }
    let f = staff_site();
    f.git_init();
    f.commit("The manual", "2026-02-01T10:00:00+00:00");
    let chromium = find_chromium().expect("chromium");
    let chromium = chromium.to_string_lossy();
    let export = |out: &str| {
        std::fs::create_dir_all(f.path().join(out)).expect("out dir");
        f.run(&[
            "export",
            "--today",
            "2026-12-01",
            "-o",
            out,
            "--chrome",
            &chromium,
        ])
        .success();
        common::the_zip(&f.path().join(out))
    };
    let (first, second) = {
        let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
        (export("a"), export("b"))
    };
    let (a, b) = (
        std::fs::read(&first).expect("first zip"),
        std::fs::read(&second).expect("second zip"),
    );
    if a != b {
        // Say where they differ, so that a failure in CI can be understood from its log.
        let (ea, eb) = (common::zip_entries(&first), common::zip_entries(&second));
        let differing: Vec<String> = ea
            .iter()
            .zip(&eb)
            .filter(|(x, y)| x != y)
            .map(|((name, x), (_, y))| {
                let at = x
                    .iter()
                    .zip(y)
                    .position(|(p, q)| p != q)
                    .unwrap_or(x.len().min(y.len()));
                let show = |v: &[u8]| {
                    String::from_utf8_lossy(&v[at.saturating_sub(80)..(at + 80).min(v.len())])
                        .into_owned()
                };
                format!(
                    "{name} ({} and {} bytes) differs at {at}:\n{:?}\n{:?}",
                    x.len(),
                    y.len(),
                    show(x),
                    show(y)
                )
            })
            .collect();
        panic!(
            "two exports with manual.pdf differ:\n{}",
            differing.join("\n")
        );
    }

    let unpacked = tempfile::tempdir().expect("temp dir");
    common::unzip(&first, unpacked.path());
    let name = first.file_stem().unwrap().to_string_lossy().into_owned();
    let pack = unpacked.path().join(&name);
    let ids = [
        "AIMS-POL-001",
        "AIMS-POL-002",
        "AIMS-PRO-001",
        "AIMS-SOA-001",
    ];
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    node(
        "pack.mjs",
        &[
            &pack.to_string_lossy(),
            "zephyrine",
            "AIMS-POL-001",
            &ids.join(","),
            &shots.to_string_lossy(),
        ],
    );

    let pdf = pack.join("manual.pdf");
    assert!(pdf.is_file(), "manual.pdf is in the pack");
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for id in ids {
        let title = format!("Title of {id}");
        assert!(text.contains(&title), "{title} not in manual.pdf:\n{text}");
    }
    for appendix in [
        "Statement of Applicability",
        "Document-control register",
        "Clause coverage",
        "Stage 1 readiness",
    ] {
        assert!(text.contains(appendix), "{appendix} not in manual.pdf");
    }
    // The contents give each document's page, and the document begins on that page.
    let pages: Vec<&str> = text.split('\u{c}').collect();
    for id in ids {
        let page: usize = pages
            .iter()
            .flat_map(|p| p.lines())
            .filter(|l| l.contains(&format!("{id} Title of {id}")))
            .find_map(|l| l.split_whitespace().last().and_then(|n| n.parse().ok()))
            .unwrap_or_else(|| panic!("{id} has no page number in the contents:\n{text}"));
        assert!(
            pages
                .get(page - 1)
                .is_some_and(|p| p.lines().any(|l| l.trim() == id)),
            "{id} is not on page {page}"
        );
    }
    // No column of the appendices is cut at the page edge: every header of the register's and
    // the SoA's tables is in the PDF's text (wrapped headers are joined again).
    let raw = Command::new("pdftotext")
        .arg("-raw")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let words = String::from_utf8_lossy(&raw.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let print = std::fs::read_to_string(pack.join("print.html")).expect("print.html");
    assert!(
        words.contains("Last assessed") && words.contains("Residual rating"),
        "the last columns of a wide table in a document are cut from manual.pdf"
    );
    for section in ["appendix-register", "appendix-soa"] {
        let start = print
            .find(&format!("id=\"{section}\""))
            .unwrap_or_else(|| panic!("no {section} in print.html"));
        let part = &print[start..];
        let part = &part[..part.find("</table>").unwrap_or(part.len())];
        let headers: Vec<&str> = part
            .split("<th scope=\"col\"")
            .skip(1)
            .filter_map(|h| h.split_once('>').map(|(_, rest)| rest))
            .filter_map(|h| h.split('<').next())
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .collect();
        assert!(headers.len() >= 5, "{section}: {headers:?}");
        for h in headers {
            assert!(
                words.contains(h),
                "column `{h}` of {section} is not in manual.pdf"
            );
        }
    }
    // Bookmarks: the PDF has an outline made from the headings.
    let xml = Command::new("pdftohtml")
        .args(["-xml", "-stdout", "-i", "-q"])
        .arg(&pdf)
        .output()
        .expect("pdftohtml");
    let xml = String::from_utf8_lossy(&xml.stdout);
    assert!(
        xml.contains("<outline") && xml.matches("<item").count() >= ids.len(),
        "manual.pdf has no bookmarks for its documents"
    );
    // Page numbers and the running header on the pages.
    let pages = text.matches('\u{c}').count().max(1);
    assert!(
        text.contains(&format!("Page 1 of {pages}")),
        "no page numbers:\n{text}"
    );
    assert!(
        text.matches("Example Org").count() >= pages,
        "the running header is not on every page"
    );
    assert!(
        text.matches("Uncontrolled when printed").count() >= pages,
        "the print notice is not at the foot of every page"
    );
}

/// Screenshots of the bundled example (home, a document, the SoA, the register) at 390 and
/// 1400 px, kept in target/screenshots/ for people to look at; none of the pages may scroll
/// sideways.
#[test]
fn screenshots_of_the_example_at_phone_and_desktop_widths() {
    if !browser_ready() {
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dest = tempfile::tempdir().expect("tmp");
    let home = tempfile::tempdir().expect("home");
    let status = common::aims_in(repo, home.path())
        .args(["build", "--quiet", "--today", "2026-12-01", "--dest"])
        .arg(dest.path().join("site"))
        .status()
        .expect("build the example");
    assert!(status.success());
    let out = repo.join("target/screenshots");
    node(
        "screenshots.mjs",
        &[
            &dest.path().join("site").to_string_lossy(),
            &out.to_string_lossy(),
        ],
    );
    for name in ["home", "document", "soa", "register"] {
        for width in [390, 1400] {
            assert!(out.join(format!("{name}-{width}.png")).is_file());
        }
    }
}

/// A register of five pages: its filter says it sees the page it is on, its pager leads from
/// page to page, and axe-core finds nothing on the pager.
#[test]
fn a_register_of_several_pages_filters_its_page_and_says_so() {
    if !browser_ready() {
        return;
    }
    let f = Fixture::new();
    f.write(
        "book.toml",
        "[book]\ntitle = \"Fixture manual\"\norganisation = \"Fixture Org\"\n\n[build]\nrows-per-page = 5\n",
    );
    for k in 1..=24 {
        let id = format!("AIMS-PRO-{k:03}");
        f.doc(
            &format!("p{k}.md"),
            &front(&id, "procedure", "approved", ""),
            "Steps.\n",
        );
    }
    f.build().success();
    assert!(f.exists("public/register-5.html"));
    node("pages.mjs", &[&f.path().join("public").to_string_lossy()]);
}
