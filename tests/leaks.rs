//! The leak matrix (SPEC section 7): a restricted document that touches every page a document
//! can reach — clauses, controls, `provides`, related documents, a unique owner, a secret file
//! name, a secret commit subject — built and exported with the intranet profile, from the working
//! tree, with `--since` and with `--rev`. Every file name, file, zip entry name and zip entry of
//! the output is scanned for the document's unique words; the same outputs with the auditor
//! profile must hold every one of them, so the scan cannot pass by looking at nothing.

mod common;

use common::{Fixture, front, zip_entries};

const BOOK: &str = "[book]\ntitle = \"Leak Manual\"\norganisation = \"Example Org\"\n[aims]\nscope-document = \"AIMS-POL-002\"\n[profiles.intranet]\nclassifications = [\"public\", \"internal\", \"confidential\"]\n[profiles.auditor]\nclassifications = [\"public\", \"internal\", \"confidential\", \"restricted\"]\n";

/// Words that exist only in the restricted document, its file name and its commits.
const SECRETS: &[&str] = &[
    "zanzibar",   // title
    "quokka",     // heading and body
    "wombatrix",  // owner (unique to it)
    "pangolin",   // file name
    "kumquat",    // a commit subject that touches only it
    "xylophonic", // a heading (and its anchor)
    "marmalade",  // body
    "narwhal",    // retention
    "gazpacho",   // a commit subject that touches it and a published document
];

fn soa() -> String {
    let mut soa = String::from("applicability:\n");
    for c in &aims_site::catalog::get().controls {
        soa.push_str(&format!(
            "  {}:\n    applicable: true\n    justification: \"Needed for our AI systems.\"\n    implementation: implemented\n",
            c.id
        ));
    }
    soa
}

fn secret_doc(extra_body: &str) -> String {
    let fm = front(
        "AIMS-REG-001",
        "register",
        "approved",
        "classification: restricted\nclauses: [\"6.1.2\", \"8.2\", \"9.2\"]\ncontrols: [A.6.2.4, A.2.2]\nprovides: [risk-assessment-results]\nrelated: [AIMS-POL-001, AIMS-PRO-001]\nsummary: \"The summary.\"\naudience: all-staff\nretention: \"Narwhal years\"\n",
    )
    .replace("Title of AIMS-REG-001", "Zanzibar Register")
    .replace("owner: AI Governance Lead", "owner: Wombatrix Overseer");
    format!(
        "{fm}# Quokka findings\n\n## Xylophonic review\n\nThe marmalade incident under clause 6.1.2 and A.6.2.4, see [[AIMS-POL-001]] and [the procedure](../procedures/risk.md).\n{extra_body}"
    )
}

/// The manual: published documents that link to the restricted one in every way, tagged v1.0
/// before the restricted document exists and v2.0 after its changes.
fn repo() -> Fixture {
    let f = Fixture::new();
    f.write("book.toml", BOOK);
    f.doc(
        "soa.md",
        &front("AIMS-SOA-001", "soa", "approved", &soa()),
        "# Statement of Applicability\n\nGenerated.\n",
    );
    f.doc(
        "policies/ai.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "clauses: [\"5.2\"]\ncontrols: [A.2.2]\n",
        ),
        "# Purpose\n\nOur commitment, see [[AIMS-PRO-001]].\n",
    );
    f.doc(
        "policies/scope.md",
        &front("AIMS-POL-002", "policy", "approved", "clauses: [\"4.3\"]\n"),
        "# Scope\n\nEvery AI system.\n",
    );
    f.doc(
        "procedures/risk.md",
        &front(
            "AIMS-PRO-001",
            "procedure",
            "approved",
            "clauses: [\"6.1.2\"]\n",
        ),
        "# Steps\n\n1. Identify risks.\n",
    );
    f.git_init();
    f.commit("First approved manual", "2026-02-01T10:00:00+00:00");
    f.git(&["tag", "v1.0"]);

    // The restricted document arrives in a commit of its own with a telling subject.
    f.write("content/registers/pangolin-ledger.md", secret_doc(""));
    f.commit("Add the kumquat ledger", "2026-03-01T10:00:00+00:00");
    // Published documents start referring to it: by id, by path, by related, by anchor.
    f.doc(
        "policies/ai.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "clauses: [\"5.2\"]\ncontrols: [A.2.2]\nrelated: [AIMS-REG-001]\n",
        ),
        "# Purpose\n\nOur commitment, see [[AIMS-PRO-001]], [[AIMS-REG-001]], [[AIMS-REG-001|the register]], [[AIMS-REG-001#quokka-findings]] and [the ledger](../registers/pangolin-ledger.md#quokka-findings).\n",
    );
    f.commit("Refer to the register", "2026-03-02T10:00:00+00:00");
    // A commit that changes a published document and the restricted one, naming the latter.
    f.doc(
        "procedures/risk.md",
        &front(
            "AIMS-PRO-001",
            "procedure",
            "approved",
            "clauses: [\"6.1.2\"]\n",
        )
        .replace("version: \"1.0\"", "version: \"1.1\""),
        "# Steps\n\n1. Identify risks.\n2. Record them in [[AIMS-REG-001]].\n",
    );
    f.write(
        "content/registers/pangolin-ledger.md",
        secret_doc("\nOne more row.\n"),
    );
    f.commit(
        "Record risks; gazpacho row in the register",
        "2026-03-03T10:00:00+00:00",
    );
    f.git(&["tag", "v2.0"]);
    f
}

/// Which secret words occur in `name` or `bytes` (case-insensitive).
fn secrets_in(name: &str, bytes: &[u8]) -> Vec<&'static str> {
    let text = format!("{name}\n{}", String::from_utf8_lossy(bytes)).to_lowercase();
    SECRETS
        .iter()
        .copied()
        .filter(|w| text.contains(w))
        .collect()
}

/// One way of producing output: its name and its files (site files, or zip entries).
type Output = (String, Vec<(String, Vec<u8>)>);

/// Builds and exports with `profile` in every way the matrix covers.
fn outputs(f: &Fixture, profile: &str) -> Vec<Output> {
    let out = tempfile::tempdir().expect("out");
    let mut all = Vec::new();
    let site = out.path().join("site");
    f.run(&[
        "build",
        "--profile",
        profile,
        "--today",
        "2026-12-01",
        "--dest",
        &site.to_string_lossy(),
    ])
    .success();
    all.push((
        format!("build --profile {profile}"),
        common::files_in(&site),
    ));
    let drafts = out.path().join("drafts");
    f.run(&[
        "build",
        "--drafts",
        "--profile",
        profile,
        "--today",
        "2026-12-01",
        "--dest",
        &drafts.to_string_lossy(),
    ])
    .success();
    all.push((
        format!("build --drafts --profile {profile}"),
        common::files_in(&drafts),
    ));
    for (n, extra) in [
        vec![],
        vec!["--since", "v1.0"],
        vec!["--rev", "v2.0"],
        vec!["--rev", "v2.0", "--since", "v1.0"],
    ]
    .into_iter()
    .enumerate()
    {
        let dir = out.path().join(format!("pack{n}"));
        std::fs::create_dir_all(&dir).expect("pack dir");
        let mut args = vec![
            "export",
            "--no-pdf",
            "--profile",
            profile,
            "--today",
            "2026-12-01",
            "-o",
        ];
        let dir_s = dir.to_string_lossy().into_owned();
        args.push(&dir_s);
        args.extend(extra.iter().copied());
        f.run(&args).success();
        let zip = common::the_zip(&dir);
        let zip_name = zip
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let mut entries = zip_entries(&zip);
        // The zip's own name is scanned too.
        entries.push((zip_name, Vec::new()));
        all.push((
            format!("export --profile {profile} {}", extra.join(" ")),
            entries,
        ));
    }
    all
}

#[test]
fn an_intranet_build_and_pack_leak_nothing_of_a_restricted_document() {
    let f = repo();
    let mut leaks = Vec::new();
    for (how, files) in outputs(&f, "intranet") {
        assert!(files.len() > 10, "{how}: only {} files", files.len());
        for (name, bytes) in &files {
            let found = secrets_in(name, bytes);
            if !found.is_empty() {
                leaks.push(format!("{how}: {found:?} in {name}"));
            }
        }
        // The restricted document has no page, and no file names it.
        assert!(
            !files.iter().any(|(n, _)| n.contains("AIMS-REG-001")),
            "{how}: a file named after the restricted document"
        );
        // The published pages that link to it show only its id.
        let page = files
            .iter()
            .find(|(n, _)| n.ends_with("doc/AIMS-POL-001.html"))
            .unwrap_or_else(|| panic!("{how}: no page for AIMS-POL-001"));
        let page = String::from_utf8_lossy(&page.1);
        assert!(!page.contains("href=\"AIMS-REG-001.html"), "{how}: {page}");
    }
    assert!(leaks.is_empty(), "leaks:\n{}", leaks.join("\n"));
}

#[test]
fn the_auditor_build_and_pack_hold_every_word_the_intranet_ones_must_not() {
    let f = repo();
    for (how, files) in outputs(&f, "auditor") {
        let mut seen: Vec<&str> = files.iter().flat_map(|(n, b)| secrets_in(n, b)).collect();
        seen.sort_unstable();
        seen.dedup();
        let mut all = SECRETS.to_vec();
        all.sort_unstable();
        assert_eq!(seen, all, "{how}: the scan would not see every secret");
    }
}
