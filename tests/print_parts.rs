//! print.html in parts: a manual whose print outgrows `[print] part-size` gets an index page,
//! a page per part and a page of appendices; a smaller one keeps the single page.

mod common;

use std::collections::BTreeSet;

use common::{Fixture, front, print_pages, values};

/// Nine documents of three types, each body a few KB, linking across types.
fn manual(part_size: Option<usize>) -> Fixture {
    let f = Fixture::new();
    if let Some(size) = part_size {
        f.write(
            "book.toml",
            format!("[book]\ntitle = \"Fixture manual\"\norganisation = \"Fixture Org\"\n\n[print]\npart-size = {size}\n"),
        );
    }
    let filler = "Words that make the body long enough to fill a part. ".repeat(40);
    for (folder, prefix, doc_type, n) in [
        ("policies", "POL", "policy", 3),
        ("procedures", "PRO", "procedure", 4),
        ("records", "REC", "record", 2),
    ] {
        for k in 1..=n {
            let id = format!("AIMS-{prefix}-00{k}");
            let body = format!(
                "# Purpose\n\n{filler}\n\nSee [[AIMS-PRO-003]], [the steps](../procedures/pro-3.md#steps) and [the policy's purpose](../policies/pol-1.md#purpose).\n\n## Steps\n\n{filler}\n"
            );
            f.doc(
                &format!("{folder}/{}-{k}.md", prefix.to_lowercase()),
                &front(&id, doc_type, "approved", ""),
                &body,
            );
        }
    }
    f
}

const IDS: [&str; 9] = [
    "AIMS-POL-001",
    "AIMS-POL-002",
    "AIMS-POL-003",
    "AIMS-PRO-001",
    "AIMS-PRO-002",
    "AIMS-PRO-003",
    "AIMS-PRO-004",
    "AIMS-REC-001",
    "AIMS-REC-002",
];

#[test]
fn a_manual_past_the_part_size_is_printed_in_parts() {
    let f = manual(Some(20_000));
    f.build().success();
    let pages = print_pages(&f);
    let index = &pages["print.html"];
    assert!(
        !index.contains("class=\"print-doc\""),
        "the index holds no document"
    );
    // The index links to every part and to the appendices, and every part it links to exists.
    let linked: BTreeSet<&str> = values(index, "href")
        .into_iter()
        .filter(|h| h.starts_with("print-"))
        .map(|h| h.split('#').next().unwrap_or(h))
        .collect();
    let written: BTreeSet<&str> = pages
        .keys()
        .map(String::as_str)
        .filter(|n| *n != "print.html")
        .collect();
    // The index links to every part and to the page each appendix begins on; the pages the
    // long appendices continue on are reached through the appendices' pager.
    assert!(linked.is_subset(&written), "{linked:?} {written:?}");
    let pager: BTreeSet<&str> = values(&pages["print-appendices.html"], "href")
        .into_iter()
        .filter(|h| h.starts_with("print-appendices"))
        .collect();
    let reached: BTreeSet<&str> = linked.union(&pager).copied().collect();
    assert_eq!(
        reached, written,
        "the index and the appendices' pager link to exactly the pages written"
    );
    assert!(written.contains("print-appendices.html"));
    assert!(
        written.len() >= 5,
        "policies, procedures and records each split: {written:?}"
    );
    assert!(pages["print-appendices.html"].contains("id=\"appendix-register\""));
    assert!(!index.contains("id=\"appendix-register\""));

    // Every document is in exactly one part, each part holds documents of one type.
    for id in IDS {
        let holders: Vec<&String> = pages
            .iter()
            .filter(|(_, html)| {
                html.contains(&format!("<article class=\"print-doc\" id=\"doc-{id}\""))
            })
            .map(|(name, _)| name)
            .collect();
        assert_eq!(holders.len(), 1, "{id} is in {holders:?}");
    }

    // Every link within the print lands on an element of the page it names.
    let mut across = 0;
    for (name, html) in &pages {
        for href in values(html, "href") {
            let (page, anchor) = match href.split_once('#') {
                Some(("", anchor)) => (name.as_str(), anchor),
                Some((page, anchor)) if page.starts_with("print") => (page, anchor),
                _ => continue,
            };
            if page != name {
                across += 1;
            }
            let target = pages
                .get(page)
                .unwrap_or_else(|| panic!("{name} links to {href}: no such page"));
            assert!(
                target.contains(&format!(" id=\"{anchor}\"")),
                "{name} links to {href}, which {page} does not hold"
            );
        }
    }
    assert!(across > 10, "links between parts were followed: {across}");
    // The links from the policies' part to a procedure's section lead to that part's page.
    let first = &pages["print-1.html"];
    assert!(first.contains("#doc-AIMS-PRO-003\""), "{first}");
    assert!(!first.contains("href=\"#doc-AIMS-PRO-003\""));
}

#[test]
fn a_manual_within_the_part_size_keeps_one_print_page_and_parts_do_not_linger() {
    let f = manual(Some(20_000));
    f.build().success();
    assert!(f.exists("public/print-1.html"));
    // The default part size (5 MB) holds this manual whole.
    let f2 = manual(None);
    f2.build().success();
    let pages = print_pages(&f2);
    assert_eq!(pages.keys().collect::<Vec<_>>(), ["print.html"]);
    let whole = &pages["print.html"];
    for id in IDS {
        assert!(whole.contains(&format!("<article class=\"print-doc\" id=\"doc-{id}\"")));
    }
    assert!(whole.contains("href=\"#doc-AIMS-PRO-003\""));
    assert!(whole.contains("id=\"appendix-register\""));
    // A rebuild of the first manual with the default size leaves no part behind.
    f.write(
        "book.toml",
        "[book]\ntitle = \"Fixture manual\"\norganisation = \"Fixture Org\"\n",
    );
    f.build().success();
    assert_eq!(print_pages(&f).keys().collect::<Vec<_>>(), ["print.html"]);
}

#[test]
fn an_export_of_a_manual_in_parts_needs_pdfunite_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let f = manual(Some(20_000));
    f.git_init();
    f.commit("The manual", "2026-02-01T10:00:00+00:00");
    // A PATH with git and a browser that is never reached, but no pdfunite.
    let bin = tempfile::tempdir().expect("bin dir");
    let git = which("git").expect("git on PATH");
    std::os::unix::fs::symlink(git, bin.path().join("git")).expect("link git");
    let chrome = bin.path().join("chromium");
    std::fs::write(&chrome, "#!/bin/sh\nexit 1\n").expect("fake chromium");
    std::fs::set_permissions(&chrome, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::create_dir_all(f.path().join("out")).expect("out dir");
    let run = f.run_env(
        &["export", "--today", "2026-12-01", "-o", "out"],
        &[("PATH", bin.path().as_os_str())],
    );
    run.fails_with(2);
    let err = run.stderr();
    assert!(
        err.contains("pdfunite is not installed")
            && err.contains("poppler-utils")
            && err.contains("--no-pdf"),
        "{err}"
    );
    // Without the PDF the pack is made, with the parts.
    f.run_env(
        &["export", "--today", "2026-12-01", "-o", "out", "--no-pdf"],
        &[("PATH", bin.path().as_os_str())],
    )
    .success();
    let names: Vec<String> = common::zip_entries(&common::the_zip(&f.path().join("out")))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(
        names.iter().any(|n| n.ends_with("/print-1.html")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.ends_with("/print-appendices.html")));
}

/// The first `name` on PATH.
fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

#[test]
fn a_print_template_of_ones_own_that_knows_no_parts_keeps_the_single_page() {
    let f = manual(Some(20_000));
    let built_in = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/print.html"),
    )
    .expect("the built-in print.html");
    // An older copy: the whole page only.
    let older = built_in.replace("parts", "pieces");
    assert!(!older.contains("parts"));
    f.write("templates/print.html", older);
    f.build().success();
    let pages = print_pages(&f);
    assert_eq!(pages.keys().collect::<Vec<_>>(), ["print.html"]);
    assert!(pages["print.html"].contains("id=\"doc-AIMS-REC-002\""));
}

/// Nine short policies, and `withdrawn` withdrawn ones (in the register appendix, not printed).
fn short_manual(part_size: usize, withdrawn: usize) -> Fixture {
    let f = Fixture::new();
    f.write(
        "book.toml",
        format!("[book]\ntitle = \"Fixture manual\"\norganisation = \"Fixture Org\"\n\n[print]\npart-size = {part_size}\n"),
    );
    for k in 1..=9 {
        let id = format!("AIMS-POL-00{k}");
        f.doc(
            &format!("policies/p{k}.md"),
            &front(&id, "policy", "approved", ""),
            "# Purpose\n\nShort. See [[AIMS-POL-001]].\n",
        );
    }
    for k in 0..withdrawn {
        let id = format!("AIMS-REC-{k:03}");
        f.doc(
            &format!("old/r{k}.md"),
            &front(&id, "record", "withdrawn", ""),
            "Old.\n",
        );
    }
    f
}

#[test]
fn the_decision_rests_on_the_page_written_not_on_the_estimate() {
    // The sections are estimated above half the limit (the parts' pages are made early), but
    // the page fits: it is written whole, as with the default limit.
    let fits = short_manual(45_000, 0);
    fits.build().success();
    let whole = fits.read("public/print.html");
    assert!(whole.len() < 45_000, "{}", whole.len());
    assert_eq!(print_pages(&fits).len(), 1);
    let default = short_manual(5_000_000, 0);
    default.build().success();
    assert_eq!(whole, default.read("public/print.html"));
    // The sections are estimated well within the limit, but the appendices (a long register)
    // take the page past it: it is written in parts, their pages made after the render.
    let long = short_manual(60_000, 150);
    long.build().success();
    let pages = print_pages(&long);
    assert!(pages.contains_key("print-1.html"), "{:?}", pages.keys());
    assert!(
        pages
            .iter()
            .any(|(name, html)| name.starts_with("print-appendices")
                && html.contains("AIMS-REC-149"))
    );
    assert!(pages["print-1.html"].contains("id=\"doc-AIMS-POL-009\""));
}
