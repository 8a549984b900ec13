//! AI systems as records (issue 18): the `type: ai-system` record and its checks, the documents
//! that name systems, each system's required records, the overdue assessment in `reviews`, the
//! inventory (page, CSV, JSON), the system pages, readiness held to every system in scope, and a
//! restricted system left out of a lower-profile build without a trace.

mod common;

use common::{Fixture, front};

const BOOK: &str = "[book]\ntitle = \"Systems Manual\"\n[profiles.intranet]\nclassifications = [\"public\", \"internal\", \"confidential\"]\n[profiles.auditor]\nclassifications = [\"public\", \"internal\", \"confidential\", \"restricted\"]\n[systems]\nrequired = [\"risk-assessment\", \"impact-assessment\"]\nhigh-risk = [\"technical-documentation\"]\n";

/// The front-matter of an approved AI system record (its own fields from line 12 on: roles,
/// sourcing, stage, intended_use, risk_level, eu_ai_act, in_scope, then `extra`).
fn system(id: &str, name: &str, extra: &str) -> String {
    front(
        id,
        "ai-system",
        "approved",
        &format!(
            "roles: [provider]\nsourcing: built\nstage: operation-and-monitoring\nintended_use: \"Plans the work.\"\nrisk_level: medium\neu_ai_act: minimal\nin_scope: true\n{extra}"
        ),
    )
    .replace(&format!("Title of {id}"), name)
}

/// An approved record of `kind` for `systems`, due again on `next_due`.
fn record(id: &str, systems: &str, kind: &str, next_due: &str) -> String {
    front(
        id,
        "record",
        "approved",
        &format!("systems: [{systems}]\nrecord_kind: {kind}\nnext_due: {next_due}\n"),
    )
}

fn fixture() -> Fixture {
    let f = Fixture::new();
    f.write("book.toml", BOOK);
    f
}

/// One system with both assessments in date.
fn complete(f: &Fixture) {
    f.doc(
        "systems/dock.md",
        &system("SYS-DOCK", "DockSight", ""),
        "Flags damaged pallets.\n",
    );
    f.doc(
        "records/dock-risk.md",
        &record("AIMS-REC-001", "SYS-DOCK", "risk-assessment", "2027-06-01"),
        "Risks.\n",
    );
    f.doc(
        "records/dock-impact.md",
        &record(
            "AIMS-REC-002",
            "SYS-DOCK",
            "impact-assessment",
            "2028-03-02",
        ),
        "Impacts.\n",
    );
}

#[test]
fn a_system_without_a_risk_assessment_is_named_with_what_it_lacks() {
    let f = fixture();
    complete(&f);
    f.doc(
        "systems/route.md",
        &system("SYS-ROUTE", "RouteWise", ""),
        "Plans routes.\n",
    );
    f.doc(
        "records/route-impact.md",
        &record(
            "AIMS-REC-003",
            "SYS-ROUTE",
            "impact-assessment",
            "2027-09-01",
        ),
        "Impacts.\n",
    );
    let run = f.build();
    run.success()
        .finding("AIMS-W072", "content/systems/route.md", 2, 5)
        .stderr_has("AI system SYS-ROUTE (RouteWise) has no risk assessment");
    // The complete system draws no finding.
    assert!(
        !run.stderr().contains("SYS-DOCK (DockSight) has no"),
        "{}",
        run.stderr()
    );
    let page = f.read("public/system/SYS-ROUTE.html");
    assert!(
        page.contains("Records missing:</strong> risk assessment"),
        "{page}"
    );
    assert!(page.contains("record-state-missing\">missing"), "{page}");
    let dock = f.read("public/system/SYS-DOCK.html");
    assert!(dock.contains("record-state-in-date\">in date"), "{dock}");
    assert!(dock.contains("href=\"../doc/AIMS-REC-002.html\""), "{dock}");
}

#[test]
fn an_impact_assessment_past_next_due_is_overdue_in_reviews_and_on_the_system_page() {
    let f = fixture();
    complete(&f);
    // Reviewed until 2027, but the assessment itself was due again on 2026-10-01.
    f.doc(
        "records/dock-impact.md",
        &record(
            "AIMS-REC-002",
            "SYS-DOCK",
            "impact-assessment",
            "2026-10-01",
        ),
        "Impacts.\n",
    );
    let reviews = f.run(&["reviews", "--today", "2026-12-01"]);
    reviews.fails_with(1);
    let out = reviews.stdout();
    assert!(
        out.contains("assessment overdue 2026-10-01  AIMS-REC-002"),
        "{out}"
    );
    assert!(out.contains("61 day(s) overdue"), "{out}");
    let json = f.run(&["reviews", "--today", "2026-12-01", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout()).expect("json");
    assert_eq!(v["assessments_overdue"][0]["id"], "AIMS-REC-002");
    assert_eq!(v["overdue"].as_array().map(Vec::len), Some(0));
    // A month earlier it is not overdue yet.
    f.run(&["reviews", "--today", "2026-09-01"]).success();

    let run = f.build();
    run.success()
        .finding("AIMS-W073", "content/records/dock-impact.md", 14, 11);
    let page = f.read("public/system/SYS-DOCK.html");
    assert!(
        page.contains("Records overdue:</strong> impact assessment"),
        "{page}"
    );
    assert!(
        page.contains(
            "<span class=\"state record-state-overdue\">overdue</span></td><td>2026-10-01</td>"
        ),
        "{page}"
    );
    let home = f.read("public/index.html");
    assert!(
        home.contains("system-column system-overdue alert"),
        "{home}"
    );
}

#[test]
fn an_unknown_system_id_is_an_error_at_its_place_with_a_suggestion() {
    let f = fixture();
    complete(&f);
    f.doc(
        "records/test.md",
        &front(
            "AIMS-REC-009",
            "record",
            "approved",
            "systems: [SYS-DOCK, SYS-DOK]\nrecord_kind: test-report\n",
        ),
        "Tests.\n",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E074", "content/records/test.md", 12, 21)
        .stderr_has("unknown AI system `SYS-DOK` in `systems`")
        .stderr_has("did you mean `SYS-DOCK`?");
    // Naming a document that is not a system record is an error too.
    f.doc(
        "records/test.md",
        &front(
            "AIMS-REC-009",
            "record",
            "approved",
            "systems: [AIMS-REC-001]\nrecord_kind: test-report\n",
        ),
        "Tests.\n",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E075", "content/records/test.md", 12, 11);
}

#[test]
fn an_out_of_scope_system_is_listed_but_needs_no_records() {
    let f = fixture();
    complete(&f);
    f.doc(
        "systems/chat.md",
        &system("SYS-CHAT", "Chat assistants", "").replace("in_scope: true", "in_scope: false"),
        "Drafting help.\n",
    );
    let run = f.build();
    run.success();
    assert!(
        !run.findings().iter().any(|(_, c, _)| c == "AIMS-W072"),
        "{}",
        run.stderr()
    );
    let csv = f.read("public/inventory.csv");
    assert!(
        csv.lines().any(
            |l| l.starts_with("SYS-CHAT,Chat assistants,") && l.contains(",no,out-of-scope,,,")
        ),
        "{csv}"
    );
    let page = f.read("public/system/SYS-CHAT.html");
    assert!(page.contains("<strong>Out of scope:</strong>"), "{page}");
    // Readiness: the out-of-scope system does not hold the impact assessments back.
    let readiness = f.read("public/readiness.html");
    assert!(
        !readiness.contains("Not yet for every AI system"),
        "{readiness}"
    );
}

#[test]
fn readiness_counts_an_item_only_when_every_system_in_scope_has_it() {
    let f = fixture();
    complete(&f);
    f.doc(
        "systems/route.md",
        &system("SYS-ROUTE", "RouteWise", ""),
        "Plans routes.\n",
    );
    f.doc(
        "records/route-risk.md",
        &record("AIMS-REC-004", "SYS-ROUTE", "risk-assessment", "2027-09-01"),
        "Risks.\n",
    );
    f.build().success();
    let readiness = f.read("public/readiness.html");
    let row = readiness
        .split("<tr class=")
        .find(|r| r.contains("Results of all AI system impact assessments"))
        .expect("the impact assessment row");
    assert!(row.starts_with("\"readiness-missing\""), "{row}");
    assert!(
        row.contains(
            "Not yet for every AI system in scope: <a href=\"system/SYS-ROUTE.html\">RouteWise</a>"
        ),
        "{row}"
    );
    let risk = readiness
        .split("<tr class=")
        .find(|r| r.contains("Results of all AI risk assessments"))
        .expect("the risk assessment row");
    assert!(risk.starts_with("\"readiness-ready\""), "{risk}");
}

#[test]
fn inventory_csv_has_its_columns_and_a_row_per_system() {
    let f = fixture();
    complete(&f);
    f.doc(
        "external/supplier.md",
        &front("AIMS-EXT-001", "external", "approved", ""),
        "Supplier statement.\n",
    );
    f.doc(
        "systems/help.md",
        &system(
            "SYS-HELP",
            "HelpDesk Assistant",
            "supplier: AIMS-EXT-001\njurisdictions: [EU, UK]\n",
        )
        .replace("sourcing: built", "sourcing: bought")
        .replace("roles: [provider]", "roles: [customer, subject]")
        .replace(
            "intended_use: \"Plans the work.\"",
            "intended_use: \"=drafts, replies\"",
        )
        .replace(
            "eu_ai_act: minimal",
            "eu_ai_act: high-risk\nannex_iii: 5 (b)",
        ),
        "Drafts replies.\n",
    );
    f.doc(
        "records/help.md",
        &record(
            "AIMS-REC-005",
            "SYS-HELP",
            "[risk-assessment, impact-assessment]",
            "2027-11-25",
        ),
        "Both assessments.\n",
    );
    f.build().success();
    let csv = f.read("public/inventory.csv");
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next(),
        Some(
            "id,name,owner,roles,sourcing,supplier,stage,risk_level,eu_ai_act,annex_iii,jurisdictions,in_scope,state,missing_records,overdue_records,intended_use"
        )
    );
    assert_eq!(
        lines.next(),
        Some(
            "SYS-DOCK,DockSight,AI Governance Lead,provider,built,,operation-and-monitoring,medium,minimal,,,yes,complete,,,Plans the work."
        )
    );
    // Lists are joined with "; ", formulas neutralised, commas quoted.
    assert_eq!(
        lines.next(),
        Some(
            "SYS-HELP,HelpDesk Assistant,AI Governance Lead,customer; subject,bought,AIMS-EXT-001,operation-and-monitoring,medium,high-risk,5(b),EU; UK,yes,missing,technical-documentation,,\"'=drafts, replies\""
        )
    );
    assert_eq!(lines.next(), Some(""));
    assert_eq!(lines.next(), None);
    let json: serde_json::Value =
        serde_json::from_str(&f.read("public/inventory.json")).expect("json");
    assert_eq!(json["systems"][1]["supplier"], "AIMS-EXT-001");
    assert_eq!(
        json["systems"][1]["missing_records"][0],
        "technical-documentation"
    );
    // The page is the register's sortable, filterable table, and the supplier is linked.
    let html = f.read("public/inventory.html");
    assert!(
        html.contains("<table class=\"register-table\" id=\"register\" data-noun=\"systems\">")
    );
    assert!(html.contains("assets/register.js"));
    assert!(
        html.contains("bought (<a href=\"doc/AIMS-EXT-001.html\">AIMS-EXT-001</a>)"),
        "{html}"
    );
    let print = f.read("public/print.html");
    assert!(print.contains("id=\"appendix-inventory\""), "{print}");
    assert!(print.contains("SYS-HELP HelpDesk Assistant"), "{print}");
}

#[test]
fn system_records_are_checked_where_they_are_written() {
    let f = fixture();
    f.doc(
        "systems/bad.md",
        &system("SYS-BAD", "Bad", "")
            .replace(
                "sourcing: built",
                "sourcing: bought\nsupplier: AIMS-EXT-001",
            )
            .replace("stage: operation-and-monitoring", "stage: deploymnet")
            .replace(
                "eu_ai_act: minimal",
                "eu_ai_act: high-risk\nannex_iii: 2(a)",
            )
            .replace("in_scope: true\n", ""),
        "Body.\n",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E071", "content/systems/bad.md", 1, 1)
        .finding("AIMS-E012", "content/systems/bad.md", 15, 8)
        .finding("AIMS-E072", "content/systems/bad.md", 19, 12)
        .stderr_has("did you mean `deployment`?");
    // A supplier must be a document of the manual.
    f.doc(
        "systems/bad.md",
        &system("SYS-BAD", "Bad", "").replace(
            "sourcing: built",
            "sourcing: bought\nsupplier: AIMS-EXT-009",
        ),
        "Body.\n",
    );
    f.doc(
        "external/supplier.md",
        &front("AIMS-EXT-001", "external", "approved", ""),
        "A statement.\n",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E073", "content/systems/bad.md", 14, 11)
        .stderr_has("did you mean `AIMS-EXT-001`?");
}

#[test]
fn a_restricted_system_leaves_no_trace_in_an_intranet_build() {
    let f = fixture();
    complete(&f);
    f.doc(
        "systems/secret.md",
        &system(
            "SYS-QUOKKA",
            "Zanzibar Scorer",
            "classification: restricted\ndata_sources: [marmalade feeds]\n",
        )
        .replace("owner: AI Governance Lead", "owner: Wombatrix Overseer"),
        "Scores pangolins.\n",
    );
    // A confidential record names both systems: it is published, the restricted one is not.
    f.doc(
        "records/shared-risk.md",
        &front(
            "AIMS-REC-010",
            "record",
            "approved",
            "classification: confidential\nsystems: [SYS-DOCK, SYS-QUOKKA]\nrecord_kind: risk-assessment\nnext_due: 2027-05-01\n",
        ),
        "Risks of both.\n",
    );
    f.git_init();
    f.commit("Add the systems", "2026-02-01T10:00:00+00:00");
    let secrets = ["quokka", "zanzibar", "wombatrix", "marmalade", "pangolin"];
    let scan = |profile: &str| -> Vec<String> {
        let out = tempfile::tempdir().expect("out");
        f.run(&[
            "build",
            "--profile",
            profile,
            "--today",
            "2026-12-01",
            "--dest",
            &out.path().to_string_lossy(),
        ])
        .success();
        let mut files = common::files_in(out.path());
        assert!(files.iter().any(|(n, _)| n == "inventory.csv"));
        // The Stage 1 pack of the same profile, entry names and contents.
        let pack = tempfile::tempdir().expect("pack");
        f.run(&[
            "export",
            "--no-pdf",
            "--profile",
            profile,
            "--today",
            "2026-12-01",
            "-o",
            &pack.path().to_string_lossy(),
        ])
        .success();
        files.extend(common::zip_entries(&common::the_zip(pack.path())));
        let mut seen: Vec<String> = files
            .iter()
            .flat_map(|(n, b)| {
                let text = format!("{n}\n{}", String::from_utf8_lossy(b)).to_lowercase();
                secrets
                    .iter()
                    .filter(|s| text.contains(**s))
                    .map(|s| format!("{s} in {n}"))
                    .collect::<Vec<_>>()
            })
            .collect();
        seen.sort();
        seen
    };
    let leaks = scan("intranet");
    assert!(leaks.is_empty(), "leaks: {leaks:?}");
    // The auditor build holds every word, so the scan sees what it looks for.
    let seen = scan("auditor");
    for s in secrets {
        assert!(
            seen.iter().any(|x| x.starts_with(s)),
            "{s} not in the auditor build: {seen:?}"
        );
    }
}

#[test]
fn new_ai_system_writes_a_starter_record_that_checks() {
    let f = fixture();
    complete(&f);
    f.run(&["new", "ai-system", "Route Wise"]).success();
    // Beside the other system records.
    let text = f.read("content/systems/route-wise.md");
    assert!(text.contains("id: SYS-ROUTE-WISE\n"), "{text}");
    assert!(text.contains("type: ai-system\n"), "{text}");
    assert!(text.contains("in_scope: true"), "{text}");
    // A draft with no errors; its missing records are reported.
    let run = f.run(&["check"]);
    run.success()
        .finding("AIMS-W072", "content/systems/route-wise.md", 2, 5);
}

#[test]
fn the_stage_1_pack_holds_the_inventory_and_each_system_checklist() {
    let f = fixture();
    complete(&f);
    f.git_init();
    f.commit("The manual", "2026-02-01T10:00:00+00:00");
    let out = tempfile::tempdir().expect("out");
    f.run(&[
        "export",
        "--no-pdf",
        "--today",
        "2026-12-01",
        "-o",
        &out.path().to_string_lossy(),
    ])
    .success();
    let entries = common::zip_entries(&common::the_zip(out.path()));
    let file = |suffix: &str| {
        entries
            .iter()
            .find(|(n, _)| n.ends_with(suffix))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_else(|| panic!("no {suffix} in the pack"))
    };
    assert!(file("/inventory.csv").starts_with("id,name,owner,roles,"));
    assert!(file("/inventory.json").contains("\"SYS-DOCK\""));
    assert!(file("/inventory.html").contains("href=\"system/SYS-DOCK.html\""));
    let page = file("/system/SYS-DOCK.html");
    assert!(page.contains("AI risk assessment (6.1.2, 8.2)"), "{page}");
    assert!(file("/print.html").contains("id=\"appendix-inventory\""));
    assert!(file("/README.txt").contains("inventory.csv"));
}
