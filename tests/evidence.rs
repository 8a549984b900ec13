//! Approval evidence (README "Approval evidence"): the approval commit's trailers and signature
//! checked against book.toml's `[approvers]` under `[control] approval-evidence`, and editorial
//! changes after an approval. Fixture repositories are signed with throwaway SSH keys made by
//! ssh-keygen in the test (`gpg.format=ssh`, `user.signingkey`, an allowed-signers file kept in
//! the repository).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Fixture, Run};

const FILE: &str = "content/policies/ai.md";
const ANA: &str = "ana.ruiz@corvina.example";

/// A throwaway ed25519 key pair in `dir`: (private key path, public key line).
fn keypair(dir: &Path, name: &str) -> (PathBuf, String) {
    let key = dir.join(name);
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&key)
        .output()
        .expect("ssh-keygen runs");
    assert!(
        out.status.success(),
        "ssh-keygen: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = std::fs::read_to_string(key.with_extension("pub")).expect("public key");
    (key, public.trim().to_string())
}

/// Commits everything; `signing_key` signs the commit (SSH).
fn commit(f: &Fixture, message: &str, date: &str, signing_key: Option<&Path>) -> String {
    common::git_in(f.path(), &["add", "-A"], date);
    let key;
    let mut args: Vec<&str> = Vec::new();
    if let Some(k) = signing_key {
        key = format!("user.signingkey={}", k.display());
        args.extend(["-c", "gpg.format=ssh", "-c", &key, "commit", "-q", "-S"]);
    } else {
        args.extend(["commit", "-q"]);
    }
    args.extend(["-m", message]);
    common::git_in(f.path(), &args, date);
    common::git_in(f.path(), &["rev-parse", "HEAD"], date)
        .trim()
        .to_string()
}

fn edit(f: &Fixture, rel: &str, pairs: &[(&str, &str)]) {
    let mut text = f.read(rel);
    for (from, to) in pairs {
        assert!(text.contains(from), "{from:?} not in {rel}");
        text = text.replace(from, to);
    }
    f.write(rel, text);
}

/// A project asking for `mode`, whose Chief Executive Officer is Ana (`ana_key`'s public key in
/// the allowed-signers file), with one approved policy not committed yet.
fn project(mode: &str, ana_key: &str, extra: &str) -> Fixture {
    let f = Fixture::new();
    f.git_init();
    f.write(
        "book.toml",
        format!(
            "[book]\ntitle = \"Fixture manual\"\n\n[approvers]\n\"Chief Executive Officer\" = [\"{ANA}\"]\n\n[control]\napproval-evidence = \"{mode}\"\nallowed-signers = \".aims/allowed_signers\"\n{extra}"
        ),
    );
    f.write(".aims/allowed_signers", format!("{ANA} {ana_key}\n"));
    f.approved(
        "policies/ai.md",
        "AIMS-POL-001",
        "policy",
        "# Purpose\n\nFirst text.\n",
    );
    f
}

fn approval_message() -> String {
    format!("Approve the AI policy\n\nApproved-by: Ana Ruiz <{ANA}>\n")
}

/// The codes of the findings of a run that belong to approval evidence and integrity.
fn codes(run: &Run) -> Vec<String> {
    run.findings()
        .into_iter()
        .map(|(_, c, _)| c)
        .filter(|c| c.starts_with("AIMS-W09") || c.starts_with("AIMS-E09") || c == "AIMS-W030")
        .collect()
}

/// The register's columns of the first document, by name.
fn register_row(f: &Fixture) -> Vec<(String, String)> {
    let csv = f.read("public/register.csv");
    let mut lines = csv.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::to_string)
        .collect();
    let row: Vec<String> = lines
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::to_string)
        .collect();
    header.into_iter().zip(row).collect()
}

fn cell(row: &[(String, String)], column: &str) -> String {
    row.iter()
        .find(|(k, _)| k == column)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no column {column} in {row:?}"))
}

#[test]
fn a_signed_approval_by_an_allowed_key_is_verified_everywhere() {
    let keys = tempfile::tempdir().expect("temp");
    let (ana, ana_pub) = keypair(keys.path(), "ana");
    let f = project("signed", &ana_pub, "");
    let id = commit(
        &f,
        &approval_message(),
        "2026-01-15T09:00:00+00:00",
        Some(&ana),
    );
    let run = f.build();
    run.success();
    assert!(codes(&run).is_empty(), "{}", run.stderr());
    let row = register_row(&f);
    assert_eq!(cell(&row, "approval_commit"), id);
    assert_eq!(cell(&row, "approver_identity"), ANA);
    assert_eq!(cell(&row, "evidence_state"), "verified");
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(
        page.contains(&format!(
            "Chief Executive Officer on 2026-01-15 <span class=\"evidence evidence-verified\">in commit {}, signed by {ANA}, verified</span>",
            &id[..10]
        )),
        "{page}"
    );
    let json = f.read("public/register.json");
    assert!(json.contains("\"evidence_state\": \"verified\""), "{json}");
    let check = f.run(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&check.stdout()).expect("json");
    assert_eq!(report["approvals"][0]["id"], "AIMS-POL-001");
    assert_eq!(report["approvals"][0]["evidence_state"], "verified");
    assert_eq!(report["approvals"][0]["approval_commit"], id.as_str());
}

#[test]
fn a_signature_by_a_key_not_allowed_for_the_role_is_a_finding() {
    let keys = tempfile::tempdir().expect("temp");
    let (_, ana_pub) = keypair(keys.path(), "ana");
    let (mallory, _) = keypair(keys.path(), "mallory");
    let f = project("signed", &ana_pub, "");
    commit(
        &f,
        &approval_message(),
        "2026-01-15T09:00:00+00:00",
        Some(&mallory),
    );
    let run = f.build();
    run.success();
    assert_eq!(codes(&run), ["AIMS-W092"], "{}", run.stderr());
    run.finding("AIMS-W092", FILE, 6, 10)
        .stderr_has("AIMS-POL-001's approval commit")
        .stderr_has(&format!("expected: {ANA}"));
    assert_eq!(cell(&register_row(&f), "evidence_state"), "mismatch");
}

#[test]
fn an_unsigned_approval_under_signed_is_a_finding() {
    let keys = tempfile::tempdir().expect("temp");
    let (_, ana_pub) = keypair(keys.path(), "ana");
    let f = project("signed", &ana_pub, "");
    let id = commit(&f, &approval_message(), "2026-01-15T09:00:00+00:00", None);
    let run = f.build();
    run.success();
    assert_eq!(codes(&run), ["AIMS-W091"], "{}", run.stderr());
    run.stderr_has(&format!("approval commit {} is not signed", &id[..10]));
    // The same commit satisfies "trailer": the trailer names an allowed identity.
    let g = project("trailer", &ana_pub, "");
    commit(&g, &approval_message(), "2026-01-15T09:00:00+00:00", None);
    let run = g.build();
    assert!(codes(&run).is_empty(), "{}", run.stderr());
    let row = register_row(&g);
    assert_eq!(cell(&row, "evidence_state"), "trailer");
    assert_eq!(cell(&row, "approver_identity"), ANA);
}

#[test]
fn a_trailer_naming_an_identity_not_allowed_is_a_finding() {
    let keys = tempfile::tempdir().expect("temp");
    let (_, ana_pub) = keypair(keys.path(), "ana");
    let f = project("trailer", &ana_pub, "");
    commit(
        &f,
        "Approve\n\nApproved-by: Bob Stone <bob@corvina.example>\n",
        "2026-01-15T09:00:00+00:00",
        None,
    );
    let run = f.build();
    run.success();
    assert_eq!(codes(&run), ["AIMS-W090"], "{}", run.stderr());
    run.finding("AIMS-W090", FILE, 6, 10)
        .stderr_has("names bob@corvina.example as approver")
        .stderr_has("`Chief Executive Officer` (expected: ana.ruiz@corvina.example)");
    let row = register_row(&f);
    assert_eq!(cell(&row, "evidence_state"), "mismatch");
    assert_eq!(cell(&row, "approver_identity"), "bob@corvina.example");
}

#[test]
fn the_register_csv_has_the_evidence_columns_only_when_asked_for() {
    let keys = tempfile::tempdir().expect("temp");
    let (_, ana_pub) = keypair(keys.path(), "ana");
    let f = project("trailer", &ana_pub, "editorial-changes = true\n");
    commit(&f, &approval_message(), "2026-01-15T09:00:00+00:00", None);
    f.build().success();
    let csv = f.read("public/register.csv");
    let header = csv.lines().next().unwrap_or("");
    assert!(
        header.ends_with(
            ",changed_since_approval,front_matter_changed_since_approval,approval_commit,approver_identity,evidence_state,editorial_changes_since_approval"
        ),
        "{header}"
    );
    // Every row has as many cells as the header.
    for line in csv.lines() {
        assert_eq!(line.split(',').count(), 20, "{line}");
    }
    let register = f.read("public/register.html");
    assert!(register.contains(">Approval evidence</th>"), "{register}");
    // Without [control], the columns are the documented sixteen.
    f.write("book.toml", "[book]\ntitle = \"Fixture manual\"\n");
    f.build().success();
    let csv = f.read("public/register.csv");
    assert_eq!(csv.lines().next().map(|h| h.split(',').count()), Some(16));
    assert!(!f.read("public/register.html").contains("Approval evidence"));
}

#[test]
fn an_editorial_commit_after_approval_is_no_change_since_approval() {
    let keys = tempfile::tempdir().expect("temp");
    let (_, ana_pub) = keypair(keys.path(), "ana");
    let f = project("trailer", &ana_pub, "editorial-changes = true\n");
    commit(&f, &approval_message(), "2026-01-15T09:00:00+00:00", None);
    edit(&f, FILE, &[("First text.", "First text, spelt right.")]);
    let editorial = commit(
        &f,
        "Fix a typo\n\nChange-type: editorial\n",
        "2026-02-01T09:00:00+00:00",
        None,
    );
    let run = f.build();
    run.success();
    assert!(codes(&run).is_empty(), "{}", run.stderr());
    let row = register_row(&f);
    assert_eq!(cell(&row, "changed_since_approval"), "no");
    assert_eq!(cell(&row, "editorial_changes_since_approval"), "1");
    let page = f.read("public/doc/AIMS-POL-001.html");
    assert!(
        page.contains(&format!(
            "<code>{}</code></td><td>Fix a typo <em class=\"editorial\">(editorial)</em>",
            &editorial[..10]
        )),
        "{page}"
    );
    // Not allowed in book.toml: the same history is a change since approval.
    f.write(
        "book.toml",
        f.read("book.toml")
            .replace("editorial-changes = true", "editorial-changes = false"),
    );
    let run = f.build();
    assert_eq!(codes(&run), ["AIMS-W030"], "{}", run.stderr());
    assert!(
        !f.read("public/doc/AIMS-POL-001.html")
            .contains("(editorial)")
    );
}

#[test]
fn an_editorial_trailer_on_a_commit_that_changes_front_matter_is_not_editorial() {
    let keys = tempfile::tempdir().expect("temp");
    let (_, ana_pub) = keypair(keys.path(), "ana");
    let f = project("trailer", &ana_pub, "editorial-changes = true\n");
    commit(&f, &approval_message(), "2026-01-15T09:00:00+00:00", None);
    // A version bump with the trailer: it is the approval commit, not an editorial change.
    edit(
        &f,
        FILE,
        &[
            ("version: \"1.0\"", "version: \"1.1\""),
            ("First text.", "Second text."),
        ],
    );
    let bump = commit(
        &f,
        &format!("Version 1.1\n\nChange-type: editorial\nApproved-by: Ana Ruiz <{ANA}>\n"),
        "2026-02-01T09:00:00+00:00",
        None,
    );
    let run = f.build();
    assert!(codes(&run).is_empty(), "{}", run.stderr());
    let row = register_row(&f);
    assert_eq!(cell(&row, "approval_commit"), bump);
    assert_eq!(cell(&row, "editorial_changes_since_approval"), "0");
    assert!(
        !f.read("public/doc/AIMS-POL-001.html")
            .contains("(editorial)")
    );
    // A body edit that also changes a front-matter value (the owner) is not editorial either.
    edit(
        &f,
        FILE,
        &[
            ("owner: AI Governance Lead", "owner: Someone Else"),
            ("Second text.", "Third text."),
        ],
    );
    commit(
        &f,
        "Reword\n\nChange-type: editorial\n",
        "2026-03-01T09:00:00+00:00",
        None,
    );
    let run = f.build();
    assert_eq!(codes(&run), ["AIMS-W030"], "{}", run.stderr());
    assert_eq!(
        cell(&register_row(&f), "editorial_changes_since_approval"),
        "0"
    );
}

#[test]
fn an_editorial_commit_may_reformat_the_front_matter() {
    let keys = tempfile::tempdir().expect("temp");
    let (_, ana_pub) = keypair(keys.path(), "ana");
    let f = project("trailer", &ana_pub, "editorial-changes = true\n");
    commit(&f, &approval_message(), "2026-01-15T09:00:00+00:00", None);
    // Quoting a value changes its text, not its value.
    edit(
        &f,
        FILE,
        &[("owner: AI Governance Lead", "owner: \"AI Governance Lead\"")],
    );
    commit(
        &f,
        "Quote the owner\n\nChange-type: editorial\n",
        "2026-02-01T09:00:00+00:00",
        None,
    );
    let run = f.build();
    let all: Vec<String> = run.findings().into_iter().map(|(_, c, _)| c).collect();
    assert!(!all.iter().any(|c| c == "AIMS-W031"), "{}", run.stderr());
    assert_eq!(
        cell(&register_row(&f), "editorial_changes_since_approval"),
        "1"
    );
}

#[test]
fn a_shallow_clone_says_unknown_never_verified() {
    let keys = tempfile::tempdir().expect("temp");
    let (ana, ana_pub) = keypair(keys.path(), "ana");
    let f = project("signed", &ana_pub, "");
    commit(
        &f,
        &approval_message(),
        "2026-01-15T09:00:00+00:00",
        Some(&ana),
    );
    f.write("content/other.md", "---\nid: AIMS-REC-001\ntitle: Other\ntype: record\nowner: X\nversion: \"1\"\nstatus: draft\n---\nText.\n");
    commit(&f, "Another", "2026-02-01T09:00:00+00:00", None);
    let url = format!("file://{}", f.path().display());
    common::git_in(
        f.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
        "2026-02-02T00:00:00+00:00",
    );
    let run = common::aims_in(&f.path().join("shallow"), f.home())
        .args(["build", "--today", "2026-12-01"])
        .output()
        .expect("run");
    let run = Run(run);
    run.success();
    let csv = std::fs::read_to_string(f.path().join("shallow/public/register.csv")).expect("csv");
    let header: Vec<&str> = csv.lines().next().unwrap_or("").split(',').collect();
    let state = header
        .iter()
        .position(|h| *h == "evidence_state")
        .expect("evidence column");
    let row = csv
        .lines()
        .find(|l| l.starts_with("AIMS-POL-001,"))
        .expect("the policy's row");
    assert_eq!(row.split(',').nth(state), Some("unknown"), "{csv}");
    assert!(!csv.contains("verified"), "{csv}");
    let page = std::fs::read_to_string(f.path().join("shallow/public/doc/AIMS-POL-001.html"))
        .expect("page");
    assert!(page.contains("evidence unknown"), "{page}");
    assert!(!page.contains("verified"), "{page}");
}

#[test]
fn the_pack_lists_each_approval_and_says_how_to_verify_it() {
    let keys = tempfile::tempdir().expect("temp");
    let (ana, ana_pub) = keypair(keys.path(), "ana");
    let f = project("signed", &ana_pub, "");
    let id = commit(
        &f,
        &approval_message(),
        "2026-01-15T09:00:00+00:00",
        Some(&ana),
    );
    std::fs::create_dir_all(f.path().join("out")).expect("out dir");
    f.run(&["export", "--no-pdf", "--today", "2026-12-01", "-o", "out"])
        .success();
    let entries = common::zip_entries(&common::the_zip(&f.path().join("out")));
    let text = |suffix: &str| {
        entries
            .iter()
            .find(|(n, _)| n.ends_with(suffix))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_else(|| panic!("no {suffix} in the pack"))
    };
    let approvals = text("approvals.csv");
    let mut lines = approvals.lines();
    assert!(
        lines.next().is_some_and(
            |h| h.starts_with("id,title,version,approved_by,approval_date,approval_commit")
        ),
        "{approvals}"
    );
    let row = lines.next().expect("one row");
    assert!(row.starts_with("AIMS-POL-001,"), "{row}");
    assert!(row.contains(&id), "{row}");
    assert!(row.contains(",good,"), "{row}");
    assert!(row.ends_with(",verified,0"), "{row}");
    assert_eq!(lines.next(), None);
    let readme = text("README.txt");
    assert!(readme.contains("approvals.csv"), "{readme}");
    assert!(
        readme.contains(
            "git -c gpg.ssh.allowedSignersFile=.aims/allowed_signers verify-commit -v <approval_commit>"
        ),
        "{readme}"
    );
}

#[test]
fn an_uncommitted_approval_and_an_unknown_role_are_findings() {
    let keys = tempfile::tempdir().expect("temp");
    let (_, ana_pub) = keypair(keys.path(), "ana");
    let f = project("trailer", &ana_pub, "");
    f.write(
        "content/b.md",
        common::front("AIMS-POL-002", "policy", "approved", "")
            .replace("Chief Executive Officer", "Board")
            + "Text.\n",
    );
    f.write(
        "content/c.md",
        common::front("AIMS-POL-003", "policy", "approved", "") + "Text.\n",
    );
    commit(&f, &approval_message(), "2026-01-15T09:00:00+00:00", None);
    f.write(
        "content/d.md",
        common::front("AIMS-POL-004", "policy", "approved", "") + "Text.\n",
    );
    let run = f.build();
    run.success();
    run.finding("AIMS-W093", "content/b.md", 6, 10)
        .stderr_has("`Board`, who approved AIMS-POL-002, is not a role of [approvers]");
    run.finding("AIMS-W094", "content/d.md", 6, 10);
    assert!(
        !codes(&run).iter().any(|c| c == "AIMS-W090"),
        "{}",
        run.stderr()
    );
}

/// Runs `program` with `GNUPGHOME` set, isolated like every other command of the tests.
fn with_gnupg(program: &str, dir: &Path, gnupg: &Path, args: &[&str], date: &str) -> String {
    let mut cmd = Command::new(program);
    common::isolate(&mut cmd, dir);
    let out = cmd
        .current_dir(dir)
        .env("GNUPGHOME", gnupg)
        .env("GIT_AUTHOR_NAME", "Ana Ruiz")
        .env("GIT_AUTHOR_EMAIL", ANA)
        .env("GIT_COMMITTER_NAME", "Ana Ruiz")
        .env("GIT_COMMITTER_EMAIL", ANA)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_gpg_signature_by_a_listed_fingerprint_is_verified() {
    let keys = tempfile::tempdir().expect("temp");
    let gnupg = keys.path().join("gnupg");
    std::fs::create_dir(&gnupg).expect("gnupg home");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&gnupg, std::fs::Permissions::from_mode(0o700)).expect("mode");
    }
    let date = "2026-01-15T09:00:00+00:00";
    // The key's user id names another address: only its fingerprint is listed for the role.
    with_gnupg(
        "gpg",
        keys.path(),
        &gnupg,
        &[
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--quick-gen-key",
            "Ana Ruiz <ana.home@example.org>",
            "ed25519",
            "sign",
            "never",
        ],
        date,
    );
    let listing = with_gnupg(
        "gpg",
        keys.path(),
        &gnupg,
        &["--batch", "--list-keys", "--with-colons"],
        date,
    );
    let fingerprint = listing
        .lines()
        .find_map(|l| l.strip_prefix("fpr:::::::::"))
        .and_then(|l| l.split(':').next())
        .expect("a fingerprint")
        .to_string();
    let f = Fixture::new();
    f.git_init();
    f.write(
        "book.toml",
        format!(
            "[book]\ntitle = \"Fixture manual\"\n\n[approvers]\n\"Chief Executive Officer\" = [\"{ANA}\", \"{fingerprint}\"]\n\n[control]\napproval-evidence = \"signed\"\n"
        ),
    );
    f.approved("policies/ai.md", "AIMS-POL-001", "policy", "Text.\n");
    common::git_in(f.path(), &["add", "-A"], date);
    let signing = format!("user.signingkey={fingerprint}");
    let message = approval_message();
    with_gnupg(
        "git",
        f.path(),
        &gnupg,
        &["-c", &signing, "commit", "-q", "-S", "-m", &message],
        date,
    );
    let mut cmd = f.cmd();
    let run = Run(cmd
        .env("GNUPGHOME", &gnupg)
        .args(["build", "--today", "2026-12-01"])
        .output()
        .expect("run"));
    run.success();
    assert!(codes(&run).is_empty(), "{}", run.stderr());
    let row = register_row(&f);
    assert_eq!(cell(&row, "evidence_state"), "verified");
    // A listed address alone does not verify a key whose user id names another one.
    f.write(
        "book.toml",
        f.read("book.toml")
            .replace(&format!(", \"{fingerprint}\""), ""),
    );
    let mut cmd = f.cmd();
    let run = Run(cmd
        .env("GNUPGHOME", &gnupg)
        .args(["build", "--today", "2026-12-01"])
        .output()
        .expect("run"));
    assert_eq!(codes(&run), ["AIMS-W092"], "{}", run.stderr());
    let _ = Command::new("gpgconf")
        .env("GNUPGHOME", &gnupg)
        .args(["--kill", "gpg-agent"])
        .status();
}

#[test]
fn a_verification_is_remembered_only_for_the_same_allowed_signers_file() {
    let keys = tempfile::tempdir().expect("temp");
    let (ana, ana_pub) = keypair(keys.path(), "ana");
    let (_, other_pub) = keypair(keys.path(), "other");
    let f = project("signed", &ana_pub, "");
    commit(
        &f,
        &approval_message(),
        "2026-01-15T09:00:00+00:00",
        Some(&ana),
    );
    let run = f.build();
    assert!(codes(&run).is_empty(), "{}", run.stderr());
    // The second build reads the verification from the build cache: Git, here unable to run
    // ssh-keygen, is not asked again.
    let no_ssh_keygen: [(&str, &std::ffi::OsStr); 3] = [
        ("GIT_CONFIG_COUNT", "1".as_ref()),
        ("GIT_CONFIG_KEY_0", "gpg.ssh.program".as_ref()),
        ("GIT_CONFIG_VALUE_0", "/bin/false".as_ref()),
    ];
    let run = f.run_env(&["build", "--today", "2026-12-01"], &no_ssh_keygen);
    assert!(codes(&run).is_empty(), "{}", run.stderr());
    assert_eq!(cell(&register_row(&f), "evidence_state"), "verified");
    // Ana's key taken out of the file: the cached verification no longer applies.
    f.write(".aims/allowed_signers", format!("{ANA} {other_pub}\n"));
    let run = f.build();
    assert_eq!(codes(&run), ["AIMS-W092"], "{}", run.stderr());
    assert_eq!(cell(&register_row(&f), "evidence_state"), "mismatch");
}
