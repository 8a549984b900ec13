//! `aims-site export` end to end: the pack's contents, its manifest, reproducibility, profiles,
//! `--rev` and `--since`, and what it refuses. (The browser and PDF checks are in browser.rs.)

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Fixture, front, the_zip, zip_entries};
use sha2::{Digest, Sha256};

const BOOK: &str = "[book]\ntitle = \"Pack Manual\"\norganisation = \"Example Org\"\n[aims]\nscope-document = \"AIMS-POL-002\"\n[profiles.intranet]\nclassifications = [\"public\", \"internal\", \"confidential\"]\n[profiles.auditor]\nclassifications = [\"public\", \"internal\", \"confidential\", \"restricted\"]\n";

/// A small manual in a Git repository: two policies, a procedure, a restricted register and an
/// SoA, committed at fixed dates.
fn repo() -> Fixture {
    let f = Fixture::new();
    f.write("book.toml", BOOK);
    let mut soa = String::from("applicability:\n");
    for c in &aims_site::catalog::get().controls {
        soa.push_str(&format!(
            "  {}:\n    applicable: true\n    justification: \"Needed for our AI systems.\"\n    implementation: implemented\n",
            c.id
        ));
    }
    f.doc(
        "soa.md",
        &front("AIMS-SOA-001", "soa", "approved", &soa),
        "# Statement of Applicability\n\nThe table is generated.\n",
    );
    f.doc(
        "policies/ai.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "clauses: [\"5.2\"]\ncontrols: [A.2.2]\n",
        ),
        "# Purpose\n\nOur commitment to trustworthy AI, see [[AIMS-PRO-001]] and clause 6.1.2.\n",
    );
    f.doc(
        "policies/scope.md",
        &front("AIMS-POL-002", "policy", "approved", "clauses: [\"4.3\"]\n"),
        "# Scope\n\nEvery AI system we build or buy.\n",
    );
    f.doc(
        "procedures/risk.md",
        &front(
            "AIMS-PRO-001",
            "procedure",
            "approved",
            "clauses: [\"6.1.2\"]\n",
        ),
        "# Steps\n\n1. Identify risks.\n2. Record them in [[AIMS-REG-001]].\n",
    );
    f.doc(
        "registers/risks.md",
        &front(
            "AIMS-REG-001",
            "register",
            "approved",
            "classification: restricted\n",
        )
        .replace("Title of AIMS-REG-001", "Zanzibar Quokka Register"),
        "# Quokka findings\n\nThe xylophonic marmalade incident, see [[AIMS-POL-001]].\n",
    );
    f.git_init();
    f.commit("First approved manual", "2026-02-01T10:00:00+00:00");
    // A commit that changes a published and a restricted document, naming the restricted one.
    f.doc(
        "policies/scope.md",
        &front("AIMS-POL-002", "policy", "approved", "clauses: [\"4.3\"]\n"),
        "# Scope\n\nEvery AI system we build or buy.\n\nApplies to all sites.\n",
    );
    f.write(
        "content/registers/risks.md",
        f.read("content/registers/risks.md") + "\nOne more quokka.\n",
    );
    f.commit(
        "Scope wording; new row in the Zanzibar register",
        "2026-03-01T10:00:00+00:00",
    );
    f
}

fn export(f: &Fixture, out: &str, extra: &[&str]) -> std::path::PathBuf {
    std::fs::create_dir_all(f.path().join(out)).expect("out dir");
    let mut args = vec!["export", "--no-pdf", "--today", "2026-12-01", "-o", out];
    args.extend_from_slice(extra);
    f.run(&args).success();
    the_zip(&f.path().join(out))
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn by_name(zip: &Path) -> BTreeMap<String, Vec<u8>> {
    zip_entries(zip).into_iter().collect()
}

#[test]
fn the_pack_holds_the_site_the_manual_the_csvs_provenance_and_a_manifest() {
    let f = repo();
    let commit = f.git(&["rev-parse", "HEAD"]).trim().to_string();
    let zip = export(&f, "packs", &[]);
    let name = zip.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(
        name,
        format!("example-org-{}-2026-12-01.zip", &commit[..12]),
        "named from the organisation, commit and date"
    );
    let top = name.trim_end_matches(".zip");
    let entries = zip_entries(&zip);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are in path order");
    assert!(names.iter().all(|n| n.starts_with(&format!("{top}/"))));
    let files = by_name(&zip);
    let get = |rel: &str| -> String {
        String::from_utf8(
            files
                .get(&format!("{top}/{rel}"))
                .unwrap_or_else(|| panic!("{rel} missing from the pack: {names:?}"))
                .clone(),
        )
        .expect("utf-8")
    };
    for rel in [
        "index.html",
        "doc/AIMS-POL-001.html",
        "doc/AIMS-REG-001.html",
        "search.html",
        "assets/search-index.js",
        "soa.html",
        "register.html",
        "readiness.html",
    ] {
        assert!(!get(rel).is_empty(), "{rel}");
    }
    assert!(
        !names.iter().any(|n| n.ends_with(".aims-site-output")),
        "the output marker stays out of the pack"
    );

    // The printable manual: cover, contents, every approved document, then the appendices.
    let print = get("print.html");
    assert!(
        print.contains("Example Org"),
        "cover names the organisation"
    );
    assert!(print.contains(&commit[..12]), "cover names the commit");
    assert!(print.contains("2026-12-01"), "cover has the date");
    assert!(
        print.contains("AIMS-POL-002 Title of AIMS-POL-002"),
        "scope"
    );
    let mut at = 0;
    for marker in [
        "id=\"doc-AIMS-POL-001\"",
        "id=\"doc-AIMS-PRO-001\"",
        "id=\"appendix-soa\"",
        "id=\"appendix-register\"",
        "id=\"appendix-coverage\"",
        "id=\"appendix-readiness\"",
    ] {
        let pos = print[at..]
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} missing or out of order"));
        at += pos;
    }
    assert!(print.contains("class=\"control-block"), "control blocks");

    // CSVs: register, SoA, and the clause × document matrix.
    let register = get("register.csv");
    assert!(register.starts_with("id,title,type,owner,version,status"));
    assert_eq!(register.lines().count(), 6, "{register}");
    assert!(get("soa.csv").contains("A.2.2,"));
    let coverage = get("coverage.csv");
    let header: Vec<&str> = coverage.lines().next().unwrap().split(',').collect();
    assert_eq!(&header[..4], &["id", "kind", "title", "state"]);
    assert!(header.contains(&"AIMS-PRO-001"));
    let column = header.iter().position(|h| *h == "AIMS-PRO-001").unwrap();
    let policy = header.iter().position(|h| *h == "AIMS-POL-001").unwrap();
    let row_612: Vec<&str> = coverage
        .lines()
        .find(|l| l.starts_with("6.1.2,"))
        .expect("a row for 6.1.2")
        .split(',')
        .collect();
    assert_eq!(row_612[1], "clause");
    assert_eq!(row_612[column], "declared");
    assert_eq!(row_612[policy], "mentioned");
    assert!(coverage.lines().any(|l| l.starts_with("A.2.2,control,")));

    // Provenance and the auditor's README.
    let provenance: serde_json::Value =
        serde_json::from_str(&get("provenance.json")).expect("provenance is JSON");
    assert_eq!(provenance["commit"], commit.as_str());
    assert_eq!(provenance["date"], "2026-12-01");
    assert_eq!(provenance["profile"], "auditor", "auditor is the default");
    assert_eq!(provenance["source"], "working tree");
    assert_eq!(provenance["documents"], 5);
    assert_eq!(provenance["manual_pdf"], false);
    assert!(
        provenance["tool"]
            .as_str()
            .unwrap()
            .starts_with("aims-site ")
    );
    let readme = get("README.txt");
    assert!(readme.contains("sha256sum -c MANIFEST.sha256"));
    assert!(readme.contains(&commit));
    assert!(readme.contains("manual.pdf") && readme.contains("not produced"));

    // The manifest lists every other file with its SHA-256.
    let manifest = get("MANIFEST.sha256");
    let mut listed = Vec::new();
    for line in manifest.lines() {
        let (hash, rel) = line.split_once("  ").expect("hash, two spaces, path");
        let bytes = files
            .get(&format!("{top}/{rel}"))
            .unwrap_or_else(|| panic!("{rel} is in the manifest, not in the zip"));
        assert_eq!(hash, sha256_hex(bytes), "hash of {rel}");
        listed.push(format!("{top}/{rel}"));
    }
    let mut expected: Vec<String> = names
        .iter()
        .filter(|n| !n.ends_with("/MANIFEST.sha256"))
        .map(|n| n.to_string())
        .collect();
    expected.sort();
    assert_eq!(listed, expected, "every file but the manifest is listed");
}

#[test]
fn two_exports_of_the_same_commit_are_byte_identical() {
    let f = repo();
    let a = export(&f, "a", &[]);
    let b = export(&f, "b", &[]);
    assert_eq!(
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        "same commit and --today give the same zip"
    );
    // Every entry's timestamp is the export date at midnight, not the time it ran; every mode
    // is 0644.
    common::assert_zip_entries_stamped(&a, (2026, 12, 1));
}

#[test]
fn an_intranet_pack_holds_nothing_of_a_restricted_document() {
    let f = repo();
    let zip = export(&f, "packs", &["--profile", "intranet"]);
    let entries = zip_entries(&zip);
    assert!(
        !entries
            .iter()
            .any(|(n, _)| n.ends_with("doc/AIMS-REG-001.html"))
    );
    for (name, bytes) in &entries {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for secret in ["zanzibar", "quokka", "xylophonic", "marmalade"] {
            assert!(!text.contains(secret), "`{secret}` leaked into {name}");
        }
    }
    // The commit that also changed the restricted register is listed without its message.
    let scope = entries
        .iter()
        .find(|(n, _)| n.ends_with("/doc/AIMS-POL-002.html"))
        .expect("scope page");
    assert!(String::from_utf8_lossy(&scope.1).contains("message withheld"));
    let provenance = entries
        .iter()
        .find(|(n, _)| n.ends_with("/provenance.json"))
        .expect("provenance");
    let provenance: serde_json::Value = serde_json::from_slice(&provenance.1).unwrap();
    assert_eq!(provenance["profile"], "intranet");
    assert_eq!(
        provenance["classifications"],
        serde_json::json!(["public", "internal", "confidential"])
    );
    // The auditor pack (the default) has it.
    let full = export(&f, "full", &[]);
    assert!(
        zip_entries(&full)
            .iter()
            .any(|(n, _)| n.ends_with("doc/AIMS-REG-001.html"))
    );
}

/// Every file of a folder, relative path → bytes.
fn folder(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

#[test]
fn rev_exports_a_tag_from_git_objects_matching_a_build_of_that_tag() {
    let f = repo();
    f.git(&["tag", "v1.0"]);
    // Later work, committed and uncommitted, that the tagged pack must not show.
    f.doc(
        "policies/scope.md",
        &front("AIMS-POL-002", "policy", "approved", "clauses: [\"4.3\"]\n"),
        "# Scope\n\nEvery AI system, and the later wording.\n",
    );
    f.commit("Reword the scope", "2026-05-01T10:00:00+00:00");
    f.approved(
        "policies/new.md",
        "AIMS-POL-003",
        "policy",
        "# New\n\nUncommitted.\n",
    );
    // packs/ is the pack itself.
    let status = || {
        f.git(&["status", "--porcelain"])
            .lines()
            .filter(|l| !l.contains("packs/"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let status_before = status();
    let scope_before = f.read("content/policies/scope.md");

    let zip = export(&f, "packs", &["--rev", "v1.0"]);
    let name = zip.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(name, "example-org-v1.0-2026-12-01.zip");
    assert_eq!(status(), status_before);
    assert_eq!(f.read("content/policies/scope.md"), scope_before);

    // A build of a checkout of the tag, with the same profile and date.
    let checkout = tempfile::tempdir().unwrap();
    let wt = checkout.path().join("wt");
    f.git(&[
        "worktree",
        "add",
        "-q",
        "--detach",
        &wt.to_string_lossy(),
        "v1.0",
    ]);
    let out = checkout.path().join("site");
    let status = common::aims_in(&wt, f.home())
        .args([
            "build",
            "--profile",
            "auditor",
            "--today",
            "2026-12-01",
            "--dest",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let built = folder(&out);

    let unpacked = tempfile::tempdir().unwrap();
    common::unzip(&zip, unpacked.path());
    let pack = folder(&unpacked.path().join(name.trim_end_matches(".zip")));
    let pack_only = [
        "README.txt",
        "MANIFEST.sha256",
        "provenance.json",
        "coverage.csv",
    ];
    for (rel, bytes) in &built {
        if rel == ".aims-site-output" {
            continue;
        }
        let packed = pack
            .get(rel)
            .unwrap_or_else(|| panic!("{rel} is in the build of the tag, not in the pack"));
        assert!(
            packed == bytes,
            "{rel} differs between the pack and a build of the tag"
        );
    }
    for rel in pack.keys() {
        assert!(
            built.contains_key(rel) || pack_only.contains(&rel.as_str()),
            "{rel} is in the pack, not in the build of the tag"
        );
    }
    let scope = String::from_utf8_lossy(&pack["doc/AIMS-POL-002.html"]).into_owned();
    assert!(scope.contains("Every AI system we build or buy."));
    assert!(!pack.contains_key("doc/AIMS-POL-003.html"));
    let provenance: serde_json::Value = serde_json::from_slice(&pack["provenance.json"]).unwrap();
    assert_eq!(provenance["source"], "git objects");
    assert_eq!(provenance["rev"], "v1.0");
    assert_eq!(provenance["tags"], serde_json::json!(["v1.0"]));
}

#[test]
fn since_lists_the_documents_changed_after_a_tag_with_their_revisions() {
    let f = repo();
    f.git(&["tag", "v1.0"]);
    f.doc(
        "procedures/risk.md",
        &front(
            "AIMS-PRO-001",
            "procedure",
            "approved",
            "clauses: [\"6.1.2\"]\n",
        )
        .replace("version: \"1.0\"", "version: \"1.1\""),
        "# Steps\n\n1. Identify risks.\n2. Rate them.\n3. Record them in [[AIMS-REG-001]].\n",
    );
    f.commit(
        "Rate risks before recording them",
        "2026-06-01T10:00:00+00:00",
    );
    f.approved(
        "policies/data.md",
        "AIMS-POL-003",
        "policy",
        "# Data\n\nData for AI systems.\n",
    );
    f.commit("Add the data policy", "2026-07-01T10:00:00+00:00");

    let zip = export(&f, "packs", &["--since", "v1.0"]);
    let files = by_name(&zip);
    let find = |suffix: &str| -> String {
        let (_, bytes) = files
            .iter()
            .find(|(n, _)| n.ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix} missing"));
        String::from_utf8(bytes.clone()).unwrap()
    };
    let csv = find("/since.csv");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(rows.iter().any(|r| r.starts_with("AIMS-PRO-001,")
        && r.contains(",1.1,approved,changed,2026-06-01,Ada Tester,")
        && r.ends_with("Rate risks before recording them")));
    assert!(rows.iter().any(|r| r.starts_with("AIMS-POL-003,")
        && r.contains(",added,2026-07-01,")
        && r.ends_with("Add the data policy")));
    let html = find("/since.html");
    assert!(html.contains("Changed since v1.0"));
    assert!(html.contains("Rate risks before recording them"));
    assert!(
        !html.contains("AIMS-POL-002"),
        "unchanged documents are not listed"
    );
    let provenance: serde_json::Value = serde_json::from_str(&find("/provenance.json")).unwrap();
    assert_eq!(provenance["since"]["tag"], "v1.0");
    assert!(find("/README.txt").contains("since.html"));
}

#[test]
fn without_a_browser_the_pack_says_so_and_has_everything_else() {
    let f = repo();
    // A PATH with git and nothing else.
    let bin = tempfile::tempdir().unwrap();
    let git = std::process::Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .unwrap();
    let git = String::from_utf8_lossy(&git.stdout).trim().to_string();
    std::os::unix::fs::symlink(&git, bin.path().join("git")).unwrap();
    std::fs::create_dir_all(f.path().join("packs")).unwrap();
    let run = f.run_env(
        &["export", "--today", "2026-12-01", "-o", "packs"],
        &[("PATH", bin.path().as_os_str())],
    );
    run.success().stderr_has("no Chromium found");
    let files = by_name(&the_zip(&f.path().join("packs")));
    assert!(!files.keys().any(|n| n.ends_with("manual.pdf")));
    assert!(files.keys().any(|n| n.ends_with("/print.html")));
    let readme = files
        .iter()
        .find(|(n, _)| n.ends_with("/README.txt"))
        .unwrap();
    assert!(String::from_utf8_lossy(readme.1).contains("no Chromium was installed"));
}

#[test]
fn a_failing_browser_is_reported_and_the_pack_is_still_written() {
    let f = repo();
    let fake = f.path().join("fake-chrome.sh");
    std::fs::write(&fake, "#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::create_dir_all(f.path().join("packs")).unwrap();
    f.run(&[
        "export",
        "--today",
        "2026-12-01",
        "-o",
        "packs",
        "--chrome",
        &fake.to_string_lossy(),
    ])
    .success()
    .stderr_has("manual.pdf could not be rendered")
    .stderr_has("cannot open display");
    assert!(the_zip(&f.path().join("packs")).is_file());
}

#[test]
fn what_export_refuses() {
    let f = repo();
    f.run(&["export", "--no-pdf", "--rev", "v9.9"])
        .fails_with(2)
        .stderr_has("--rev v9.9: no such tag or commit");
    f.run(&["export", "--no-pdf", "--since", "nope"])
        .fails_with(2)
        .stderr_has("--since nope: no such tag or commit");
    f.run(&["export", "--no-pdf", "--profile", "nope"])
        .fails_with(2)
        .stderr_has("unknown profile `nope`");
    f.run(&["export", "--no-pdf", "-o", "content/pack.zip"])
        .fails_with(2)
        .stderr_has("refusing to write");
    assert!(!f.exists("content/pack.zip"));
    f.run(&["export", "--chrome", "/nonexistent/chrome"])
        .fails_with(2)
        .stderr_has("no such file");

    // Errors in the documents: exit 1, the findings, and no zip.
    f.write("content/bad.md", "---\nid: [unclosed\n---\n");
    std::fs::create_dir_all(f.path().join("packs")).unwrap();
    f.run(&["export", "--no-pdf", "-o", "packs"])
        .fails_with(1)
        .finding("AIMS-E004", "content/bad.md", 3, 1);
    assert_eq!(
        std::fs::read_dir(f.path().join("packs")).unwrap().count(),
        0
    );
}

fn provenance_of(zip: &Path) -> serde_json::Value {
    let files = by_name(zip);
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n.ends_with("/provenance.json"))
        .expect("provenance.json");
    serde_json::from_slice(bytes).expect("provenance is JSON")
}

#[test]
fn a_pack_of_uncommitted_work_is_warned_about_and_says_so() {
    let f = repo();
    let out = tempfile::tempdir().unwrap();
    let pack = |name: &str, extra: &[&str]| {
        let dir = out.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let dir_s = dir.to_string_lossy().into_owned();
        let mut args = vec!["export", "--no-pdf", "--today", "2026-12-01", "-o", &dir_s];
        args.extend_from_slice(extra);
        let run = f.run(&args);
        run.success();
        (run, the_zip(&dir))
    };
    // A clean working tree: no warning, and the pack says so.
    let (run, zip) = pack("clean", &[]);
    assert!(!run.stderr().contains("AIMS-W060"), "{}", run.stderr());
    assert_eq!(provenance_of(&zip)["uncommitted_changes"], false);

    f.write(
        "content/policies/scope.md",
        f.read("content/policies/scope.md") + "\nAn uncommitted sentence.\n",
    );
    let (run, zip) = pack("dirty", &[]);
    let w060: Vec<_> = run
        .findings()
        .into_iter()
        .filter(|(_, c, _)| c == "AIMS-W060")
        .collect();
    assert_eq!(w060.len(), 1, "{}", run.stderr());
    assert_eq!(w060[0].0, "warning");
    let provenance = provenance_of(&zip);
    assert_eq!(provenance["uncommitted_changes"], true, "{provenance}");
    assert_eq!(provenance["source"], "working tree");
    let files = by_name(&zip);
    let text = |suffix: &str| {
        files
            .iter()
            .find(|(n, _)| n.ends_with(suffix))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_else(|| panic!("{suffix} missing"))
    };
    assert!(text("/README.txt").contains("(with changes not yet committed)"));
    assert!(text("/doc/AIMS-POL-002.html").contains("An uncommitted sentence."));

    // The same commit from Git objects: no warning, nothing uncommitted in it.
    let (run, zip) = pack("rev", &["--rev", "HEAD"]);
    assert!(!run.stderr().contains("AIMS-W060"), "{}", run.stderr());
    let provenance = provenance_of(&zip);
    assert_eq!(provenance["uncommitted_changes"], false, "{provenance}");
    assert!(
        !by_name(&zip)
            .values()
            .any(|b| String::from_utf8_lossy(b).contains("An uncommitted sentence.")),
        "--rev HEAD packs the commit, not the working tree"
    );
}

#[test]
fn export_and_build_refuse_to_write_into_the_sources() {
    let f = repo();
    std::fs::create_dir_all(f.path().join("themes/default")).unwrap();
    std::fs::create_dir_all(f.path().join("templates")).unwrap();
    for dest in [
        "themes/pack.zip",
        "themes/default/pack.zip",
        "templates/pack.zip",
        "content/policies/pack.zip",
    ] {
        f.run(&["export", "--no-pdf", "--today", "2026-12-01", "-o", dest])
            .fails_with(2)
            .stderr_has("refusing to write");
        assert!(!f.exists(dest), "{dest} written");
    }
    // A folder given as -o inside themes/ is refused too.
    f.run(&["export", "--no-pdf", "-o", "themes/default"])
        .fails_with(2)
        .stderr_has("refusing to write");
    assert_eq!(
        std::fs::read_dir(f.path().join("themes/default"))
            .unwrap()
            .count(),
        0
    );
    for dest in ["themes", "themes/out", "templates/out"] {
        f.run(&["build", "--profile", "auditor", "--dest", dest])
            .fails_with(2)
            .stderr_has("refusing to write");
    }
    assert!(!f.exists("themes/out") && !f.exists("templates/out"));
}

#[test]
fn annotated_tags_work_like_lightweight_ones() {
    let f = repo();
    f.write("book.toml", format!("{BOOK}[versions]\ntags = \"v*\"\n"));
    f.commit("Publish versions", "2026-03-05T10:00:00+00:00");
    f.git(&["tag", "-a", "v1.0", "-m", "Release one, annotated"]);
    let tagged = f.git(&["rev-parse", "HEAD"]).trim().to_string();
    f.doc(
        "policies/scope.md",
        &front("AIMS-POL-002", "policy", "approved", "clauses: [\"4.3\"]\n")
            .replace("version: \"1.0\"", "version: \"1.1\""),
        "# Scope\n\nA later scope.\n",
    );
    f.commit("A later scope", "2026-04-01T10:00:00+00:00");

    // --rev: named after the tag, the tag's commit (not the tag object), the tag listed.
    let zip = export(&f, "rev", &["--rev", "v1.0"]);
    assert_eq!(
        zip.file_name().unwrap().to_string_lossy(),
        "example-org-v1.0-2026-12-01.zip"
    );
    let provenance = provenance_of(&zip);
    assert_eq!(provenance["commit"], tagged.as_str(), "{provenance}");
    assert_eq!(provenance["tags"], serde_json::json!(["v1.0"]));
    let files = by_name(&zip);
    let scope = files
        .iter()
        .find(|(n, _)| n.ends_with("/doc/AIMS-POL-002.html"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("scope");
    assert!(!scope.contains("A later scope."), "{scope}");

    // --since: the later change is listed.
    let zip = export(&f, "since", &["--since", "v1.0"]);
    let since = by_name(&zip)
        .into_iter()
        .find(|(n, _)| n.ends_with("/since.csv"))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .expect("since.csv");
    let rows: Vec<&str> = since.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{since}");
    assert!(rows[0].starts_with("AIMS-POL-002,") && rows[0].ends_with("A later scope"));

    // A build publishes it as a version.
    f.run(&["build", "--profile", "auditor", "--today", "2026-12-01"])
        .success();
    let old = f.read("public/versions/v1.0/doc/AIMS-POL-002.html");
    assert!(!old.contains("A later scope.") && old.contains("Every AI system we build or buy."));
    assert!(
        f.read("public/index.html")
            .contains("versions/v1.0/index.html")
    );
}
