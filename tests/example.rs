//! The bundled example manual (book.toml and content/ at the repository root): it builds with no
//! error and no warning, `check` passes on it, its SoA is complete and every clause 4–10 is
//! addressed.

mod common;

use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn aims(args: &[&str], home: &Path) -> std::process::Output {
    common::aims_in(repo(), home)
        .args(["--root", &repo().to_string_lossy()])
        .args(args)
        .output()
        .expect("run aims-site")
}

/// Warnings allowed on the example: only the one about a shallow clone, which depends on how the
/// repository was cloned, not on the example.
fn unexpected_warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            l.starts_with("warning[") && !l.starts_with("warning[AIMS-W040]") && !is_labelled_gap(l)
        })
        .collect()
}

/// RouteWise's missing impact assessment and technical documentation: deliberate, labelled gaps
/// of the example (see the README), reported as a system without its records.
fn is_labelled_gap(line: &str) -> bool {
    line.starts_with("warning[AIMS-W072]: AI system SYS-ROUTEWISE (RouteWise) has no ")
        && (line.ends_with(" impact assessment") || line.ends_with(" technical documentation"))
}

#[test]
fn the_example_builds_with_no_error_and_no_warning() {
    let out_dir = tempfile::tempdir().expect("tmp");
    let dest = out_dir.path().join("site");
    // The auditor's view: every classification (a build without a profile leaves the restricted
    // records out, and with them the readiness items only they provide).
    let out = aims(
        &[
            "build",
            "--today",
            "2026-12-01",
            "--profile",
            "auditor",
            "--dest",
            &dest.to_string_lossy(),
        ],
        out_dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(unexpected_warnings(&err).is_empty(), "{err}");
    // The deliberate gaps of RouteWise, and nothing else, are reported.
    let gaps: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("warning[AIMS-W072]"))
        .collect();
    assert_eq!(
        gaps,
        [
            "warning[AIMS-W072]: AI system SYS-ROUTEWISE (RouteWise) has no impact assessment",
            "warning[AIMS-W072]: AI system SYS-ROUTEWISE (RouteWise) has no technical documentation",
        ],
        "{err}"
    );

    let soa = std::fs::read_to_string(dest.join("soa.html")).expect("soa.html");
    assert!(
        !soa.contains(">not listed<"),
        "every Annex A control is in the SoA"
    );
    // Every control is included (the exclusions of A.7.3 and A.10.4 did not survive the audit of
    // issue 21; tests/standard.rs shows exclusions); the example's gaps are partly implemented
    // controls.
    assert!(
        soa.contains("39 applicable, 0 excluded") && soa.contains("partial"),
        "every control applicable (38 of Annex A, CFS-1 of Corvina's), some only partly implemented"
    );
    // The organisation-defined control is a row of the SoA, implemented by the life cycle
    // procedure, linked to its entry in Corvina's catalog.
    assert!(soa.contains("href=\"standards/corvina/index.html#c-CFS-1\""));
    let csv = std::fs::read_to_string(dest.join("soa.csv")).expect("soa.csv");
    assert!(
        csv.lines()
            .last()
            .is_some_and(|l| l.starts_with("CFS-1,Works council consulted")
                && l.contains(",implemented,AIMS-PRO-009,")),
        "{csv}"
    );
    // The organisation's crosswalk: an ISO/IEC 42001 control page names its ISO/IEC 27001 pair.
    let a84 = std::fs::read_to_string(dest.join("clause/A.8.4.html")).expect("A.8.4 page");
    assert!(a84.contains("Also addresses in ISO/IEC 27001:2022") && a84.contains("#c-A.5.24"));
    let clauses = std::fs::read_to_string(dest.join("clauses.html")).expect("clauses.html");
    for line in clauses
        .lines()
        .filter(|l| l.contains("class=\"clause ") && !l.contains("c-A."))
    {
        assert!(!line.contains("uncovered"), "clause not addressed: {line}");
    }
    let readiness = std::fs::read_to_string(dest.join("readiness.html")).expect("readiness.html");
    // Every item is provided; the two impact assessment items are not ready while RouteWise has
    // none, and say so.
    assert!(
        readiness.contains("18 of 20 items are ready"),
        "{readiness}"
    );
    let missing: Vec<&str> = readiness
        .split("<tr class=")
        .filter(|r| r.starts_with("\"readiness-missing\""))
        .collect();
    assert_eq!(missing.len(), 2, "{readiness}");
    for row in missing {
        assert!(row.contains("impact assessment"), "{row}");
        assert!(
            row.contains("Not yet for every AI system in scope: <a href=\"system/SYS-ROUTEWISE.html\">RouteWise</a>."),
            "{row}"
        );
        assert!(
            row.contains("AIMS-REC-001"),
            "the assessments stay listed: {row}"
        );
    }
    // The inventory: five systems, RouteWise missing its two records, the others complete.
    let csv = std::fs::read_to_string(dest.join("inventory.csv")).expect("inventory.csv");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 5, "{csv}");
    for row in &rows {
        if row.starts_with("SYS-ROUTEWISE,") {
            assert!(
                row.contains(",high-risk,4(b),EU; UK,yes,missing,impact-assessment; technical-documentation,,"),
                "{row}"
            );
        } else {
            assert!(row.contains(",yes,complete,,,"), "{row}");
        }
    }
    let help = rows
        .iter()
        .find(|r| r.starts_with("SYS-HELPDESK-ASSISTANT,"))
        .expect("the HelpDesk Assistant");
    assert!(
        help.contains(",bought,AIMS-EXT-002,"),
        "the bought system names its supplier: {help}"
    );
    let route =
        std::fs::read_to_string(dest.join("system/SYS-ROUTEWISE.html")).expect("RouteWise page");
    assert!(
        route.contains("Records missing:</strong> impact assessment, technical documentation.")
    );
    let dock =
        std::fs::read_to_string(dest.join("system/SYS-DOCKSIGHT.html")).expect("DockSight page");
    assert!(
        dock.contains("record-state-in-date\">in date</span></td><td>2028-03-02</td><td><a href=\"../doc/AIMS-REC-001.html\""),
        "{dock}"
    );
    // The deliberate states are there.
    let reviews = std::fs::read_to_string(dest.join("reviews.html")).expect("reviews.html");
    assert!(reviews.contains("review-overdue") && reviews.contains("review-due-soon"));
    assert_eq!(
        reviews.matches("class=\"review review-overdue\"").count(),
        3,
        "three overdue reviews"
    );
    assert_eq!(
        reviews.matches("class=\"review review-due-soon\"").count(),
        2,
        "two reviews due soon"
    );
    // Drafts are left out of the default build; the withdrawn guidance stays readable.
    assert!(
        !dest.join("doc/AIMS-PLN-003.html").exists()
            && !dest.join("doc/AIMS-GDL-003.html").exists()
    );
    let withdrawn =
        std::fs::read_to_string(dest.join("doc/AIMS-GDL-001.html")).expect("withdrawn page");
    assert!(withdrawn.contains("banner-withdrawn") && withdrawn.contains("AIMS-POL-004"));
    // A withdrawn document is not reviewed any more: no next review on its page or in the
    // register.
    assert!(
        !withdrawn.contains("Next review"),
        "withdrawn page shows a review"
    );
    let register = std::fs::read_to_string(dest.join("register.csv")).expect("register.csv");
    let row = register
        .lines()
        .find(|l| l.starts_with("AIMS-GDL-001,"))
        .expect("withdrawn row");
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(
        (cells[5], cells[8]),
        ("withdrawn", ""),
        "status and review_date: {row}"
    );
}

/// The example's approvals carry evidence (`[control] approval-evidence = "trailer"`): the
/// policies' approval commits are signed with the example's keys and verified against
/// `.aims/allowed_signers`, every other approval names its approver in an `Approved-by:` trailer,
/// and the control procedure has one editorial change since its approval. In a shallow clone
/// every state is `unknown`.
#[test]
fn the_examples_approvals_carry_evidence() {
    let home = tempfile::tempdir().expect("tmp");
    let out = aims(&["check", "--format", "json"], home.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let approvals = report["approvals"].as_array().expect("approvals listed");
    let state = |id: &str| {
        approvals
            .iter()
            .find(|a| a["id"] == id)
            .map(|a| a["evidence_state"].as_str().unwrap_or("").to_string())
            .unwrap_or_else(|| panic!("{id} has no approval"))
    };
    let shallow = std::process::Command::new("git")
        .current_dir(repo())
        .args(["rev-parse", "--is-shallow-repository"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "true")
        .unwrap_or(false);
    assert!(approvals.len() > 40, "{approvals:?}");
    if shallow {
        assert!(approvals.iter().all(|a| a["evidence_state"] == "unknown"));
        return;
    }
    for policy in [
        "AIMS-POL-001",
        "AIMS-POL-002",
        "AIMS-POL-003",
        "AIMS-POL-004",
        "AIMS-POL-005",
    ] {
        assert_eq!(state(policy), "verified", "{policy}");
    }
    let trailer = approvals
        .iter()
        .filter(|a| a["evidence_state"] == "trailer")
        .count();
    assert_eq!(trailer + 5, approvals.len(), "{approvals:?}");
    let control = approvals
        .iter()
        .find(|a| a["id"] == "AIMS-PRO-001")
        .expect("the control procedure");
    assert_eq!(control["editorial_changes_since_approval"], 1);
    assert_eq!(control["approver_identity"], "marit.vos@corvina.example");
}

#[test]
fn check_passes_on_the_example() {
    let home = tempfile::tempdir().expect("tmp");
    let out = aims(&["check"], home.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn the_intranet_profile_of_the_example_leaves_out_restricted_documents() {
    let out_dir = tempfile::tempdir().expect("tmp");
    let dest = out_dir.path().join("site");
    let out = aims(
        &[
            "build",
            "--today",
            "2026-12-01",
            "--profile",
            "intranet",
            "--dest",
            &dest.to_string_lossy(),
        ],
        out_dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let register = std::fs::read_to_string(dest.join("register.csv")).expect("register");
    assert!(!register.contains(",restricted,"), "{register}");
}

/// Consistency of the example's content, the way an auditor would read it (issue 21). Every rule is
/// checked over all `content/**/*.md` files, reading the front-matter with a few line patterns (the
/// example's front-matter is plain block YAML).
///
/// (a) Nothing cites the future: in an approved document, no date written in the body
///     (`YYYY-MM-DD`, `D Month YYYY`, `Month YYYY`, `Qn YYYY`; a period counts from its first day)
///     is later than the document's approval date, unless it is forward-looking: the table column
///     it stands in has a header with a planning word (due, planned, next, …), or its own table
///     cell or sentence has one. Drafts and withdrawn documents are skipped (a withdrawal notice is
///     necessarily later than the approval). With a full Git history, no approved document (nor
///     an SoA justification) mentions a risk, finding, corrective action or document id that was
///     first defined (see (b)) in a commit dated after the document's approval date.
/// (b) Every risk id (`R-NN`), audit finding (`IA-YYYY-NN`), corrective action (`CA-YYYY-NN`) and
///     document id (`AIMS-XXX-NNN`) mentioned in a body or an SoA justification is defined: risks as
///     rows of the risk register, findings as headings of an audit report, corrective actions as
///     rows of the corrective action log, documents as a document's `id`.
/// (c) Every SoA justification names a risk (`R-NN`) or a requirement: a clause of the standard
///     (`clause 6.1.4`), an article of law (`Art. 35`), an item of a contract (`schedule 7 item
///     7.2`) or a numbered requirement of one of our policies (`AIMS-POL-004 rule 4`, `… section 2`,
///     `… commitment 5`).
/// (d) Every AI system of the inventory (section 2 of AIMS-REG-003) names risks of the register
///     that concern it and an approved impact assessment record whose title names it, or is marked
///     "deliberate gap" there and explained in a `> [!WARNING]` alert headed
///     `**Deliberate gap (example):**` in the inventory and in the SoA. Every document with such a note is listed in the README.
mod consistency {
    use regex::Regex;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};
    use std::process::Command;
    use std::sync::OnceLock;

    type Date = (u32, u32, u32);

    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    /// Words that make a date a plan rather than a citation.
    const FORWARD: &str =
        r"(?i)\b(due|planned|scheduled|next|until|deadline|target|will|expected)\b";

    const GAP_NOTE: &str = "> [!WARNING]\n> **Deliberate gap (example):**";

    struct Doc {
        path: PathBuf,
        rel: String,
        id: String,
        title: String,
        kind: String,
        status: String,
        approval: Option<Date>,
        front: String,
        body: String,
    }

    fn field(front: &str, name: &str) -> String {
        let re = Regex::new(&format!(r"(?m)^{name}:[ \t]*(.*)$")).unwrap();
        re.captures(front)
            .map(|c| c[1].trim().trim_matches('"').to_string())
            .unwrap_or_default()
    }

    fn parse_date(s: &str) -> Option<Date> {
        let mut it = s.split('-').map(|p| p.parse::<u32>().ok());
        Some((it.next()??, it.next()??, it.next()??))
    }

    fn load() -> Vec<Doc> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).expect("read content dir") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "md") {
                    out.push(path);
                }
            }
        }
        let root = super::repo();
        let mut paths = Vec::new();
        walk(&root.join("content"), &mut paths);
        paths.sort();
        let approval = Regex::new(r"(?m)^approval:\s*\n\s+by:.*\n\s+date:\s*(\S+)").unwrap();
        paths
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path).expect("read document");
                let rest = text.strip_prefix("---\n").expect("front-matter");
                let end = rest.find("\n---\n").expect("front-matter closed");
                let front = rest[..end].to_string();
                let body = rest[end + 5..].to_string();
                let rel = path
                    .strip_prefix(root)
                    .expect("under the repository")
                    .to_string_lossy()
                    .into_owned();
                Doc {
                    id: field(&front, "id"),
                    title: field(&front, "title"),
                    kind: field(&front, "type"),
                    status: field(&front, "status"),
                    approval: approval.captures(&front).and_then(|c| parse_date(&c[1])),
                    path,
                    rel,
                    front,
                    body,
                }
            })
            .collect()
    }

    /// The cells of a Markdown table row (`\|` inside a link does not split a cell).
    fn cells(line: &str) -> Vec<String> {
        let line = line.trim().replace("\\|", "\u{1}");
        let inner = line.trim_start_matches('|').trim_end_matches('|');
        inner
            .split('|')
            .map(|c| c.replace('\u{1}', "|").trim().to_string())
            .collect()
    }

    fn is_table(line: &str) -> bool {
        line.trim_start().starts_with('|')
    }

    struct DatePatterns {
        iso: Regex,
        dmy: Regex,
        my: Regex,
        quarter: Regex,
        forward: Regex,
    }

    /// The date patterns, compiled once.
    fn patterns() -> &'static DatePatterns {
        static PATTERNS: OnceLock<DatePatterns> = OnceLock::new();
        PATTERNS.get_or_init(|| {
            let months = MONTHS.join("|");
            DatePatterns {
                iso: Regex::new(r"(\d{4})-(\d{2})-(\d{2})").unwrap(),
                dmy: Regex::new(&format!(r"\b(\d{{1,2}}) ({months}) (\d{{4}})\b")).unwrap(),
                my: Regex::new(&format!(r"\b({months}) (\d{{4}})\b")).unwrap(),
                quarter: Regex::new(r"\bQ([1-4]) (\d{4})\b").unwrap(),
                forward: Regex::new(FORWARD).unwrap(),
            }
        })
    }

    /// Every dated mention in `text` with its byte offset.
    fn dates(text: &str) -> Vec<(usize, Date, String)> {
        let DatePatterns {
            iso,
            dmy,
            my,
            quarter,
            ..
        } = patterns();
        let month = |m: &str| MONTHS.iter().position(|x| *x == m).unwrap() as u32 + 1;
        let num = |s: &str| s.parse::<u32>().unwrap();
        let mut out = Vec::new();
        for c in iso.captures_iter(text) {
            let m = c.get(0).unwrap();
            // Part of an identifier (`RTM-2026-11-04-017`, `eta-trips-2026-08-16`): not a citation.
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            if before.is_some_and(|ch| ch.is_alphanumeric() || ch == '-')
                || after.is_some_and(|ch| ch.is_alphanumeric() || ch == '-')
            {
                continue;
            }
            out.push((
                m.start(),
                (num(&c[1]), num(&c[2]), num(&c[3])),
                c[0].to_string(),
            ));
        }
        for c in dmy.captures_iter(text) {
            let d = (num(&c[3]), month(&c[2]), num(&c[1]));
            out.push((c.get(0).unwrap().start(), d, c[0].to_string()));
        }
        for c in my.captures_iter(text) {
            let d = (num(&c[2]), month(&c[1]), 1);
            out.push((c.get(0).unwrap().start(), d, c[0].to_string()));
        }
        for c in quarter.captures_iter(text) {
            let d = (num(&c[2]), (num(&c[1]) - 1) * 3 + 1, 1);
            out.push((c.get(0).unwrap().start(), d, c[0].to_string()));
        }
        out
    }

    /// The sentence around byte `at` of a paragraph.
    fn sentence(par: &str, at: usize) -> &str {
        let start = par[..at].rfind(". ").map_or(0, |i| i + 2);
        let end = par[at..].find(". ").map_or(par.len(), |i| at + i);
        &par[start..end]
    }

    /// Dates later than the approval date that are not forward-looking, as `(date text, context)`.
    fn future_citations(body: &str, approved: Date) -> Vec<(String, String)> {
        let forward = &patterns().forward;
        let lines: Vec<&str> = body.lines().collect();
        let mut found = Vec::new();
        let mut header: Option<Vec<String>> = None;
        let mut par = String::new();
        let flush = |par: &mut String, found: &mut Vec<(String, String)>| {
            for (at, date, text) in dates(par) {
                if date > approved && !forward.is_match(sentence(par, at)) {
                    found.push((text, sentence(par, at).to_string()));
                }
            }
            par.clear();
        };
        for (i, line) in lines.iter().enumerate() {
            if is_table(line) {
                flush(&mut par, &mut found);
                let next_is_rule = lines
                    .get(i + 1)
                    .is_some_and(|n| is_table(n) && n.contains("---"));
                if next_is_rule {
                    header = Some(cells(line));
                }
                let row = cells(line);
                for (col, cell) in row.iter().enumerate() {
                    let head = header
                        .as_ref()
                        .and_then(|h| h.get(col))
                        .map_or("", String::as_str);
                    for (_, date, text) in dates(cell) {
                        if date > approved && !forward.is_match(head) && !forward.is_match(cell) {
                            found.push((text, line.to_string()));
                        }
                    }
                }
            } else if line.trim().is_empty() || line.starts_with('#') {
                header = None;
                flush(&mut par, &mut found);
                par.push_str(line);
                flush(&mut par, &mut found);
            } else {
                let text = line.trim_start_matches('>').trim();
                if text.starts_with("- ") || text.starts_with(|c: char| c.is_ascii_digit()) {
                    flush(&mut par, &mut found);
                }
                par.push(' ');
                par.push_str(text);
            }
        }
        flush(&mut par, &mut found);
        found
    }

    /// The date each id was first defined in the history of `content/` (a document's `id:` line, an
    /// audit report's finding heading, a row of the risk register or of the corrective action log),
    /// when the repository has a full history.
    fn definition_dates() -> Option<BTreeMap<String, Date>> {
        let git = |args: &[&str]| {
            Command::new("git")
                .current_dir(super::repo())
                .args(args)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        };
        if git(&["rev-parse", "--is-shallow-repository"])?.trim() != "false" {
            return None;
        }
        let log = git(&[
            "log",
            "-p",
            "--reverse",
            "--no-renames",
            "--format=%x00%ad",
            "--date=short",
            "--",
            "content",
        ])?;
        let definition = Regex::new(concat!(
            r"^\+(?:id:\s*(AIMS-[A-Z]{3}-\d{3})\s*$",
            r"|#{2,4} (IA-\d{4}-\d{2})\b",
            r"|\| (R-\d{2}|CA-\d{4}-\d{2}) \|)",
        ))
        .unwrap();
        let mut first = BTreeMap::new();
        for commit in log.split('\0').filter(|c| !c.trim().is_empty()) {
            let mut lines = commit.lines();
            let date = parse_date(lines.next()?.trim())?;
            for line in lines {
                if let Some(c) = definition.captures(line) {
                    let id = (1..=4).find_map(|i| c.get(i)).unwrap().as_str();
                    first.entry(id.to_string()).or_insert(date);
                }
            }
        }
        Some(first)
    }

    fn soa_justifications(docs: &[Doc]) -> Vec<(String, String)> {
        let re =
            Regex::new(r#"(?m)^  (A\.[0-9.]+):\s*\n(?:    .*\n)*?    justification:\s*"(.*)"\s*$"#)
                .unwrap();
        docs.iter()
            // The ISO/IEC 42001 SoA (the ISO/IEC 27001 one has `standard: iso27001`).
            .filter(|d| d.kind == "soa" && !d.front.contains("\nstandard:"))
            .flat_map(|d| {
                re.captures_iter(&d.front)
                    .map(|c| (c[1].to_string(), c[2].to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn doc<'a>(docs: &'a [Doc], id: &str) -> &'a Doc {
        docs.iter()
            .find(|d| d.id == id)
            .unwrap_or_else(|| panic!("{id} exists"))
    }

    /// The rows of the table that follows `heading` in `body`, as header and rows.
    fn table_after(body: &str, heading: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let start = body
            .find(heading)
            .unwrap_or_else(|| panic!("heading {heading}"));
        let mut rows = body[start..]
            .lines()
            .skip_while(|l| !is_table(l))
            .take_while(|l| is_table(l))
            .map(cells);
        let header = rows.next().expect("table header");
        let rows = rows.skip(1).collect();
        (header, rows)
    }

    fn risk_rows(docs: &[Doc]) -> BTreeMap<String, String> {
        let register = doc(docs, "AIMS-REG-001");
        let (header, rows) = table_after(&register.body, "## 2. Current risks");
        let system = header.iter().position(|h| h == "System").expect("System");
        rows.into_iter()
            .map(|r| (r[0].clone(), r[system].to_lowercase()))
            .collect()
    }

    #[test]
    fn no_document_cites_the_future() {
        let docs = load();
        let mut problems = Vec::new();
        for d in docs.iter().filter(|d| d.status == "approved") {
            let approved = d
                .approval
                .expect("approved documents have an approval date");
            for (date, context) in future_citations(&d.body, approved) {
                problems.push(format!(
                    "{} ({}, approved {approved:?}) cites {date}: {context}",
                    d.id, d.rel
                ));
            }
        }
        match definition_dates() {
            Some(defined) => {
                let id_re =
                    Regex::new(r"\b(R-\d{2}|IA-\d{4}-\d{2}|CA-\d{4}-\d{2}|AIMS-[A-Z]{3}-\d{3})\b")
                        .unwrap();
                let justifications = soa_justifications(&docs);
                for d in docs.iter().filter(|d| d.status == "approved") {
                    let approved = d.approval.unwrap();
                    let mut text = d.body.clone();
                    if d.kind == "soa" {
                        for (_, j) in &justifications {
                            text.push('\n');
                            text.push_str(j);
                        }
                    }
                    for m in id_re.find_iter(&text) {
                        if let Some(date) = defined.get(m.as_str()).filter(|b| **b > approved) {
                            problems.push(format!(
                                "{} (approved {approved:?}) mentions {}, first defined {date:?}",
                                d.id,
                                m.as_str()
                            ));
                        }
                    }
                }
            }
            None => eprintln!("no full Git history: the age of mentioned ids is not checked"),
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn every_mentioned_id_is_defined() {
        let docs = load();
        let ids: BTreeSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        let risks = risk_rows(&docs);
        let finding_def = Regex::new(r"(?m)^#{2,4} (IA-\d{4}-\d{2})\b").unwrap();
        let findings: BTreeSet<String> = docs
            .iter()
            .filter(|d| d.kind == "record")
            .flat_map(|d| {
                finding_def
                    .captures_iter(&d.body)
                    .map(|c| c[1].to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        let (_, ca_rows) = table_after(&doc(&docs, "AIMS-REG-002").body, "| Id |");
        let actions: BTreeSet<String> = ca_rows.into_iter().map(|r| r[0].clone()).collect();
        assert!(!findings.is_empty() && !actions.is_empty() && !risks.is_empty());

        let kinds = [
            (Regex::new(r"\bR-\d{2}\b").unwrap(), "risk"),
            (Regex::new(r"\bIA-\d{4}-\d{2}\b").unwrap(), "audit finding"),
            (
                Regex::new(r"\bCA-\d{4}-\d{2}\b").unwrap(),
                "corrective action",
            ),
            (Regex::new(r"\bAIMS-[A-Z]{3}-\d{3}\b").unwrap(), "document"),
        ];
        let defined = |kind: &str, id: &str| match kind {
            "risk" => risks.contains_key(id),
            "audit finding" => findings.contains(id),
            "corrective action" => actions.contains(id),
            _ => ids.contains(id),
        };
        let justifications = soa_justifications(&docs);
        let mut texts: Vec<(String, &str)> = docs
            .iter()
            .map(|d| (d.id.clone(), d.body.as_str()))
            .collect();
        for (control, j) in &justifications {
            texts.push((format!("SoA {control}"), j.as_str()));
        }
        let mut problems = BTreeSet::new();
        for (source, text) in texts {
            for (re, kind) in &kinds {
                for m in re.find_iter(text) {
                    if !defined(kind, m.as_str()) {
                        problems.insert(format!("{source}: unknown {kind} {}", m.as_str()));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn every_soa_justification_names_a_risk_or_a_requirement() {
        let docs = load();
        let justifications = soa_justifications(&docs);
        assert_eq!(
            justifications.len(),
            38,
            "one justification per Annex A control"
        );
        let named = Regex::new(concat!(
            r"\bR-\d{2}\b",
            r"|(?i:\bclause) \d+(\.\d+)*",
            r"|\bArt\. \d+",
            r"|\bschedule \d+ items? \d+\.\d+",
            r"|\bAIMS-POL-\d{3} (rule|section|commitment|principle) \d+",
        ))
        .unwrap();
        let vague: Vec<_> = justifications
            .iter()
            .filter(|(_, j)| !named.is_match(j))
            .collect();
        assert!(
            vague.is_empty(),
            "justifications without a risk or requirement: {vague:#?}"
        );
    }

    #[test]
    fn every_ai_system_has_its_assessments_or_a_labelled_gap() {
        let docs = load();
        let risks = risk_rows(&docs);
        let inventory = doc(&docs, "AIMS-REG-003");
        let soa = docs
            .iter()
            .find(|d| d.kind == "soa" && !d.front.contains("\nstandard:"))
            .expect("the ISO/IEC 42001 SoA");
        let readme = std::fs::read_to_string(super::repo().join("README.md")).expect("README.md");
        let (_, resources) = table_after(&inventory.body, "## 1. Systems and resources");
        let (header, rows) = table_after(&inventory.body, "## 2. Classification and assessments");
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("column {name}"))
        };
        let (risk_col, impact_col) = (col("Risk assessment"), col("Impact assessment"));
        let in_scope: BTreeSet<&str> = resources.iter().map(|r| r[0].as_str()).collect();
        let assessed: BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            in_scope, assessed,
            "every system of section 1 is in section 2"
        );

        let risk_id = Regex::new(r"\bR-\d{2}\b").unwrap();
        let doc_ref = Regex::new(r"\[\[(AIMS-[A-Z]{3}-\d{3})").unwrap();
        let gap_notes = |d: &Doc| -> String {
            d.body
                .split("\n\n")
                .filter(|p| p.trim_start().starts_with(GAP_NOTE))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut problems = Vec::new();
        for row in &rows {
            let system = row[0].as_str();
            let name = system.to_lowercase();
            let ids: Vec<&str> = risk_id
                .find_iter(&row[risk_col])
                .map(|m| m.as_str())
                .collect();
            if ids.is_empty() {
                problems.push(format!("{system}: no risk assessment"));
            }
            for id in ids {
                match risks.get(id) {
                    Some(s) if name.contains(s.as_str()) || s.contains(&name) => {}
                    Some(s) => problems.push(format!("{system}: {id} concerns {s}")),
                    None => problems.push(format!("{system}: {id} not in the register")),
                }
            }
            let impact = &row[impact_col];
            if impact.to_lowercase().contains("deliberate gap") {
                for d in [inventory, soa] {
                    if !gap_notes(d).contains(system) {
                        problems.push(format!("{system}: no deliberate-gap note in {}", d.id));
                    }
                }
                continue;
            }
            let records: Vec<&Doc> = doc_ref
                .captures_iter(impact)
                .filter_map(|c| docs.iter().find(|d| d.id == c[1]))
                .filter(|d| {
                    d.kind == "record"
                        && d.status == "approved"
                        && d.title.contains("Impact Assessment")
                        && d.title.to_lowercase().contains(&name)
                })
                .collect();
            if records.is_empty() {
                problems.push(format!("{system}: no impact assessment record ({impact})"));
            }
        }
        for d in docs.iter().filter(|d| d.body.contains(GAP_NOTE)) {
            if !readme.contains(&d.id) {
                problems.push(format!(
                    "{} ({}) has a deliberate-gap note but the README does not list it",
                    d.id,
                    d.path.display()
                ));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// (e) Every AI system of the inventory has its record (`type: ai-system`, titled like its row
    ///     of section 1), and the documents its row of section 2 cites name it: its impact
    ///     assessment with `systems` and `record_kind: impact-assessment`, the risk register with
    ///     `record_kind: risk-assessment`; a system marked "deliberate gap" there has the gap note
    ///     in its own record instead. A bought system names its supplier's document.
    #[test]
    fn every_ai_system_record_matches_the_inventory_and_is_named_by_its_assessments() {
        let docs = load();
        let inventory = doc(&docs, "AIMS-REG-003");
        let (_, resources) = table_after(&inventory.body, "## 1. Systems and resources");
        let (header, rows) = table_after(&inventory.body, "## 2. Classification and assessments");
        let impact_col = header
            .iter()
            .position(|h| h == "Impact assessment")
            .expect("impact column");
        let records: Vec<&Doc> = docs.iter().filter(|d| d.kind == "ai-system").collect();
        let list = |front: &str, name: &str| -> Vec<String> {
            field(front, name)
                .trim_matches(['[', ']'])
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let names = |d: &Doc, kind: &str, system: &str| {
            d.status == "approved"
                && list(&d.front, "systems").iter().any(|s| s == system)
                && list(&d.front, "record_kind").iter().any(|k| k == kind)
        };
        let doc_ref = Regex::new(r"\[\[(AIMS-[A-Z]{3}-\d{3})").unwrap();
        let mut problems = Vec::new();
        assert_eq!(
            records.len(),
            resources.len(),
            "one record per inventory row"
        );
        for row in &resources {
            let name = row[0].to_lowercase();
            let Some(record) = records.iter().find(|d| d.title.to_lowercase() == name) else {
                problems.push(format!("{}: no ai-system record", row[0]));
                continue;
            };
            if !docs.iter().any(|d| names(d, "risk-assessment", &record.id)) {
                problems.push(format!("{}: no risk assessment names it", record.id));
            }
            let assessed = rows
                .iter()
                .find(|r| r[0] == row[0])
                .map(|r| r[impact_col].clone())
                .unwrap_or_default();
            if assessed.to_lowercase().contains("deliberate gap") {
                if !record.body.contains(GAP_NOTE) {
                    problems.push(format!(
                        "{}: the gap is not labelled in its record",
                        record.id
                    ));
                }
                continue;
            }
            for c in doc_ref.captures_iter(&assessed) {
                let cited = doc(&docs, &c[1]);
                if !names(cited, "impact-assessment", &record.id) {
                    problems.push(format!(
                        "{}: its impact assessment {} does not name it",
                        record.id, cited.id
                    ));
                }
            }
            if row[3].starts_with("bought") && row[0] == "HelpDesk Assistant" {
                let supplier = field(&record.front, "supplier");
                if !docs
                    .iter()
                    .any(|d| d.id == supplier && d.kind == "external")
                {
                    problems.push(format!("{}: no supplier document ({supplier})", record.id));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

/// Every relative `href` and `src` in the built example resolves to a file of the site (and a
/// fragment to an id on that page): no page links to a page that is not there.
#[test]
fn every_link_in_the_built_site_resolves() {
    use std::collections::{HashMap, HashSet};
    use std::path::PathBuf;

    let out_dir = tempfile::tempdir().expect("tmp");
    let dest = out_dir.path().join("site");
    let out = aims(
        &[
            "build",
            "--today",
            "2026-12-01",
            "--profile",
            "auditor",
            "--dest",
            &dest.to_string_lossy(),
        ],
        out_dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let attr = regex::Regex::new(r#"\s(?:href|src)="([^"]*)""#).expect("regex");
    let id_attr = regex::Regex::new(r#"\sid="([^"]*)""#).expect("regex");
    let pages: Vec<(PathBuf, String)> = common::files_in(&dest)
        .into_iter()
        // Published editions were built with the templates of their own revision (the
        // example's templates/ folder overrides the built-in ones), so they keep that revision's
        // links; only this build's pages are checked.
        .filter(|(rel, _)| rel.ends_with(".html") && !rel.starts_with("versions/"))
        .map(|(rel, bytes)| {
            (
                dest.join(&rel),
                String::from_utf8(bytes).expect("utf-8 page"),
            )
        })
        .collect();
    let ids: HashMap<PathBuf, HashSet<String>> = pages
        .iter()
        .map(|(path, html)| {
            let set = id_attr
                .captures_iter(html)
                .map(|c| c[1].to_string())
                .collect();
            (path.clone(), set)
        })
        .collect();
    let mut broken = Vec::new();
    for (path, html) in &pages {
        let dir = path.parent().expect("a folder");
        for cap in attr.captures_iter(html) {
            let target = cap[1].replace("&amp;", "&");
            if target.is_empty()
                || target.contains("://")
                || target.starts_with("mailto:")
                || target.starts_with("data:")
                || target.starts_with("javascript:")
            {
                continue;
            }
            let (file, fragment) = match target.split_once('#') {
                Some((f, frag)) => (f, Some(frag)),
                None => (target.as_str(), None),
            };
            let file = file.split('?').next().unwrap_or(file);
            let resolved = if file.is_empty() {
                path.clone()
            } else {
                let mut p = dir.to_path_buf();
                for part in file.split('/') {
                    match part {
                        "." | "" => {}
                        ".." => {
                            p.pop();
                        }
                        name => p.push(name),
                    }
                }
                p
            };
            let rel = path
                .strip_prefix(&dest)
                .unwrap_or(path)
                .display()
                .to_string();
            if !resolved.starts_with(&dest) || !resolved.is_file() {
                broken.push(format!("{rel}: {target}"));
                continue;
            }
            if let (Some(frag), Some(set)) = (fragment, ids.get(&resolved))
                && !frag.is_empty()
                && !set.contains(frag)
            {
                broken.push(format!("{rel}: {target} (no id `{frag}`)"));
            }
        }
    }
    broken.sort();
    broken.dedup();
    assert!(
        broken.is_empty(),
        "{} broken links, e.g.:\n{}",
        broken.len(),
        broken
            .iter()
            .step_by(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
