//! Long lists continue on pages (`[build] rows-per-page`): the register, the lists of
//! documents, reviews, owners and each clause's documents; the SoA and readiness pages name a
//! dozen documents per row and link to the rest. A manual within one page is rendered as before.

mod common;

use std::collections::BTreeSet;

use common::{Fixture, print_pages, values};

/// A front-matter block with an owner of our choosing.
fn front(id: &str, doc_type: &str, status: &str, owner: &str, extra: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Title of {id}\ntype: {doc_type}\nowner: {owner}\nversion: \"1.0\"\nstatus: {status}\napproval:\n  by: Chief Executive Officer\n  date: 2026-01-15\nreview_date: 2027-01-{:02}\n{extra}---\n",
        id.len() % 28 + 1
    )
}

const PROCEDURES: usize = 16;
const RECORDS: usize = 6;
const WITHDRAWN: usize = 2;

/// Sixteen procedures that address clause 6.1.2 and implement A.6.2.4 (two owners), six records
/// that mention 6.1.2, two withdrawn policies; `rows` rows per page.
fn manual(rows: Option<usize>) -> Fixture {
    let f = Fixture::new();
    if let Some(rows) = rows {
        f.write(
            "book.toml",
            format!("[book]\ntitle = \"Fixture manual\"\norganisation = \"Fixture Org\"\n\n[build]\nrows-per-page = {rows}\n"),
        );
    }
    for k in 1..=PROCEDURES {
        let owner = if k % 3 == 0 { "Owner B" } else { "Owner A" };
        f.doc(
            &format!("pro-{k}.md"),
            &front(
                &format!("AIMS-PRO-{k:03}"),
                "procedure",
                "approved",
                owner,
                "clauses: [\"6.1.2\"]\ncontrols: [\"A.6.2.4\"]\n",
            ),
            "# Steps\n\nAssess the risks.\n",
        );
    }
    for k in 1..=RECORDS {
        f.doc(
            &format!("rec-{k}.md"),
            &front(
                &format!("AIMS-REC-{k:03}"),
                "record",
                "approved",
                "Owner C",
                "",
            ),
            "As clause 6.1.2 asks.\n",
        );
    }
    for k in 1..=WITHDRAWN {
        f.doc(
            &format!("pol-{k}.md"),
            &front(
                &format!("AIMS-POL-{k:03}"),
                "policy",
                "withdrawn",
                "Owner A",
                "",
            ),
            "Old.\n",
        );
    }
    f
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (1..=n).map(|k| format!("AIMS-{prefix}-{k:03}")).collect()
}

/// The pages of the list whose first page is `first` (`public/…`): the first, then `-2`, `-3`…
/// as long as they exist.
fn list_pages(f: &Fixture, first: &str) -> Vec<(String, String)> {
    let stem = first.strip_suffix(".html").expect("an html page");
    let mut pages = vec![(first.to_string(), f.read(first))];
    for k in 2.. {
        let path = format!("{stem}-{k}.html");
        if !f.exists(&path) {
            break;
        }
        pages.push((path.clone(), f.read(&path)));
    }
    pages
}

/// The pager of a page (its `<nav class="pager">`), once per place it is shown.
fn pagers(html: &str) -> Vec<&str> {
    html.split("<nav class=\"pager")
        .skip(1)
        .filter_map(|p| p.split("</nav>").next())
        .collect()
}

/// Checks the list whose first page is `first` (root `root`): `expected` pages, each document
/// of `docs` on exactly one of them, every pager link landing on a page of the list.
fn check_list(f: &Fixture, first: &str, root: &str, docs: &[String], expected: usize, title: &str) {
    let pages = list_pages(f, first);
    assert_eq!(
        pages.len(),
        expected,
        "{first}: {:?}",
        pages.iter().map(|p| &p.0).collect::<Vec<_>>()
    );
    let names: BTreeSet<String> = pages
        .iter()
        .map(|(p, _)| p.rsplit('/').next().unwrap_or(p).to_string())
        .collect();
    for id in docs {
        let href = format!("href=\"{root}doc/{id}.html\"");
        let on: Vec<&str> = pages
            .iter()
            .filter(|(_, html)| html.contains(&href))
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(on.len(), 1, "{id} is on {on:?} of {first}");
        let count: usize = pages.iter().map(|(_, h)| h.matches(&href).count()).sum();
        assert_eq!(count, 1, "{id} is listed {count} times in {first}");
    }
    for (k, (path, html)) in pages.iter().enumerate() {
        let navs = pagers(html);
        assert_eq!(navs.len(), 2, "{path}: a pager above and below the list");
        for nav in navs {
            assert!(nav.contains("aria-label=\"Pages of"), "{nav}");
            assert!(
                nav.contains(&format!("Page {} of {expected}", k + 1)),
                "{path}: {nav}"
            );
            let current: Vec<&str> = nav
                .split("<a ")
                .filter(|a| a.contains("aria-current=\"page\""))
                .collect();
            assert_eq!(current.len(), 1, "{nav}");
            let own = path.rsplit('/').next().unwrap_or(path);
            assert!(current[0].starts_with(&format!("href=\"{own}\"")), "{nav}");
            for href in values(nav, "href") {
                assert!(
                    names.contains(href),
                    "{path}: the pager links to {href}, not written"
                );
            }
        }
        let expected_title = if k == 0 {
            format!("<title>{title} · ")
        } else {
            format!("<title>{title} — page {} of {expected} · ", k + 1)
        };
        assert!(html.contains(&expected_title), "{path}: {expected_title}");
        // A page beyond the first sits beside the first: same root for the site's assets.
        assert!(html.contains(&format!("href=\"{root}assets/style.css\"")));
    }
}

#[test]
fn long_lists_continue_on_pages_that_hold_each_document_once() {
    let f = manual(Some(5));
    f.build().success();
    let (pro, rec, pol) = (
        ids("PRO", PROCEDURES),
        ids("REC", RECORDS),
        ids("POL", WITHDRAWN),
    );
    let current: Vec<String> = pro.iter().chain(&rec).cloned().collect();
    let all: Vec<String> = current.iter().chain(&pol).cloned().collect();
    // 24 documents in the register and the list of documents, 5 to a page.
    check_list(
        &f,
        "public/register.html",
        "",
        &all,
        5,
        "Document-control register",
    );
    check_list(&f, "public/documents.html", "", &all, 5, "All documents");
    check_list(
        &f,
        "public/type/procedure.html",
        "../",
        &pro,
        4,
        "Procedures",
    );
    // Reviews list the 22 approved documents; owners the current ones.
    check_list(&f, "public/reviews.html", "", &current, 5, "Reviews");
    check_list(&f, "public/owners.html", "", &current, 5, "Owners");
    // 16 documents address 6.1.2 and 6 mention it.
    check_list(
        &f,
        "public/clause/6.1.2.html",
        "../",
        &current,
        5,
        "6.1.2 AI risk assessment",
    );
    // A group that runs on to the next page says so, and keeps its heading there.
    let first = f.read("public/type/procedure.html");
    assert!(
        first.contains("Continues on the <a href=\"procedure-2.html\">next page</a>"),
        "{first}"
    );
    let second = f.read("public/type/procedure-2.html");
    assert!(
        second.contains("<h2 id=\"g-procedure\">Procedures (continued)</h2>"),
        "{second}"
    );
    let owners = f.read("public/owners-2.html");
    assert!(
        owners.contains("(continued) <span class=\"count\">("),
        "{owners}"
    );
    // The register's filter says it sees one page, and where the whole register is.
    let register = f.read("public/register-2.html");
    assert!(register.contains("data-noun=\"documents on this page\""));
    assert!(
        register.contains("all 24 are in <a href=\"register.csv\">register.csv</a>"),
        "{register}"
    );
    // The exports stay whole.
    let csv = f.read("public/register.csv");
    assert_eq!(csv.lines().count(), 1 + all.len());
}

#[test]
fn pages_beyond_the_last_do_not_outlive_a_rebuild() {
    let f = manual(Some(5));
    f.build().success();
    assert!(f.exists("public/register-5.html") && f.exists("public/clause/6.1.2-5.html"));
    for k in 6..=PROCEDURES {
        f.remove(&format!("content/pro-{k}.md"));
    }
    f.build().success();
    assert_eq!(list_pages(&f, "public/register.html").len(), 3);
    assert!(!f.exists("public/register-4.html") && !f.exists("public/register-5.html"));
    assert_eq!(list_pages(&f, "public/clause/6.1.2.html").len(), 3);
    assert!(!f.exists("public/clause/6.1.2-4.html"));
    assert_eq!(list_pages(&f, "public/type/procedure.html").len(), 1);
    assert!(!f.exists("public/type/procedure-2.html"));
}

#[test]
fn a_list_within_one_page_has_no_pager_and_no_other_page() {
    let f = manual(None);
    f.build().success();
    for page in [
        "register",
        "documents",
        "reviews",
        "owners",
        "type/procedure",
        "clause/6.1.2",
    ] {
        let html = f.read(&format!("public/{page}.html"));
        assert!(!html.contains("class=\"pager"), "{page}");
        assert!(
            !html.contains("(continued)") && !html.contains("Continues on"),
            "{page}"
        );
        assert!(!f.exists(&format!("public/{page}-2.html")), "{page}");
    }
    assert!(!f.read("public/register.html").contains("data-noun"));
}

#[test]
fn the_soa_and_readiness_name_a_dozen_documents_and_link_to_the_rest() {
    let f = manual(None);
    f.build().success();
    let soa = f.read("public/soa.html");
    let row = soa
        .split("<a href=\"clause/A.6.2.4.html\">A.6.2.4</a>")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .expect("the row of A.6.2.4");
    assert_eq!(row.matches("href=\"doc/AIMS-PRO-").count(), 12, "{row}");
    assert!(
        row.contains("; and <a href=\"clause/A.6.2.4.html\">4 more</a>"),
        "{row}"
    );
    // The control's page lists all sixteen.
    let page = f.read("public/clause/A.6.2.4.html");
    assert_eq!(page.matches("href=\"../doc/AIMS-PRO-").count(), PROCEDURES);
    let readiness = f.read("public/readiness.html");
    let row = readiness
        .split("AI risk assessment process")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .expect("the risk assessment process");
    assert_eq!(row.matches("href=\"doc/AIMS-PRO-").count(), 12, "{row}");
    assert!(
        row.contains(" and <a href=\"clause/6.1.2.html\">4 more</a>"),
        "{row}"
    );
    assert!(f.exists("public/clause/6.1.2.html"));
    // The exports keep every document.
    assert_eq!(
        f.read("public/soa.csv").matches("AIMS-PRO-").count(),
        PROCEDURES
    );
}

#[test]
fn a_list_template_of_a_site_from_before_pages_gets_its_whole_list() {
    let f = manual(Some(5));
    // A site's own register.html that predates pagination: it knows nothing of a pager.
    f.write(
        "templates/register.html",
        "{% extends \"base.html\" %}{% block main %}<ul>{% for r in rows %}<li><a href=\"{{ root }}{{ r.url }}\">{{ r.id }}</a></li>{% endfor %}</ul>{% endblock main %}",
    );
    f.build().success();
    assert!(!f.exists("public/register-2.html"));
    let register = f.read("public/register.html");
    assert_eq!(
        register.matches("href=\"doc/AIMS-").count(),
        24,
        "{register}"
    );
    // The built-in lists still have their pages.
    assert!(f.exists("public/documents-2.html"));
}

#[test]
fn the_appendices_of_a_long_print_continue_on_pages_within_the_part_size() {
    const PART_SIZE: usize = 30_000;
    const N: usize = 60;
    let f = Fixture::new();
    f.write(
        "book.toml",
        format!("[book]\ntitle = \"Fixture manual\"\norganisation = \"Fixture Org\"\n\n[print]\npart-size = {PART_SIZE}\n"),
    );
    let long = "A title long enough to fill the register quickly ".repeat(6);
    for k in 1..=N {
        let id = format!("AIMS-REC-{k:03}");
        f.doc(
            &format!("rec-{k}.md"),
            &front(
                &id,
                "record",
                "approved",
                "Owner C",
                "clauses: [\"6.1.2\"]\n",
            )
            .replace(
                &format!("title: Title of {id}"),
                &format!("title: {long}{k}"),
            ),
            "As clause 6.1.2 asks.\n",
        );
    }
    f.build().success();
    let pages = print_pages(&f);
    let appendices: Vec<&String> = pages
        .keys()
        .filter(|n| n.starts_with("print-appendices"))
        .collect();
    assert!(appendices.len() >= 3, "{appendices:?}");
    for (name, html) in &pages {
        assert!(html.len() <= PART_SIZE, "{name}: {} bytes", html.len());
    }
    // Every row of the register is on exactly one page of the appendices.
    for k in 1..=N {
        let row = format!("<th scope=\"row\">AIMS-REC-{k:03}</th>");
        let on = appendices
            .iter()
            .filter(|n| pages[**n].contains(&row))
            .count();
        assert_eq!(on, 1, "{row}");
    }
    // Every link between print pages lands on a page written, on the element it names; the
    // index leads to the page each appendix begins on.
    for (name, html) in &pages {
        for href in values(html, "href") {
            let (page, anchor) = match href.split_once('#') {
                Some(("", anchor)) => (name.as_str(), Some(anchor)),
                Some((page, anchor)) if page.starts_with("print") => (page, Some(anchor)),
                None if href.starts_with("print") => (href, None),
                _ => continue,
            };
            let target = pages
                .get(page)
                .unwrap_or_else(|| panic!("{name} links to {href}, not written"));
            if let Some(anchor) = anchor {
                assert!(
                    target.contains(&format!(" id=\"{anchor}\"")),
                    "{name} links to {href}, which {page} does not hold"
                );
            }
        }
    }
    let index = &pages["print.html"];
    assert!(index.contains("href=\"print-appendices.html#appendix-soa\""));
    let register_at = values(index, "href")
        .into_iter()
        .find(|h| h.ends_with("#appendix-register"))
        .expect("the index links to the register");
    assert!(
        pages[register_at.split('#').next().unwrap_or("")].contains("id=\"appendix-register\"")
    );
    // manual.pdf is printed from every page, the appendices' in order, last.
    let printed: Vec<String> = aims_site::export::pdf::print_pages(&f.path().join("public"))
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    assert_eq!(printed.len(), pages.len(), "{printed:?}");
    let tail: Vec<String> = (1..=appendices.len())
        .map(|k| match k {
            1 => "print-appendices.html".to_string(),
            k => format!("print-appendices-{k}.html"),
        })
        .collect();
    assert_eq!(printed[printed.len() - tail.len()..], tail[..]);
}
