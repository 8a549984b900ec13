//! The standard: SoA merge and checks, readiness, clause pages and mentions.

mod common;

use common::{Fixture, front};

/// A Statement of Applicability listing every control; `except` are left out, `excluded` are
/// not applicable, and `no_justification` have none.
fn soa(except: &[&str], excluded: &[&str], no_justification: &[&str]) -> String {
    let mut extra = String::from("applicability:\n");
    for c in &aims_site::catalog::get().controls {
        let id = c.id.as_str();
        if except.contains(&id) {
            continue;
        }
        let applicable = !excluded.contains(&id);
        extra.push_str(&format!("  {id}:\n    applicable: {applicable}\n"));
        if !no_justification.contains(&id) {
            extra.push_str(&format!("    justification: \"Reason for {id}.\"\n"));
        }
        let status = if applicable {
            "planned"
        } else {
            "not-implemented"
        };
        extra.push_str(&format!("    implementation: {status}\n"));
    }
    front("AIMS-SOA-001", "soa", "approved", &extra)
}

#[test]
fn a_complete_soa_builds_its_page_csv_and_json() {
    let f = Fixture::new();
    f.doc("soa.md", &soa(&[], &["A.7.3"], &[]), "The SoA.\n");
    f.doc(
        "p.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "controls: [A.2.2, A.2.3]\nowner2: x\n",
        )
        .replace("owner2: x\n", ""),
        "Policy.\n",
    );
    f.build().success();
    // An excluded control says so, with its justification, rather than "not addressed".
    let control = f.read("public/clause/A.7.3.html");
    assert!(
        control.contains("<strong>Excluded:</strong> the Statement of Applicability excludes A.7.3 Acquisition of data: Reason for A.7.3.")
            && !control.contains("Not addressed"),
        "{control}"
    );
    // A clause nobody lists is named with its title, not only its number.
    assert!(
        f.read("public/clause/9.html").contains(
            "no document of this build lists 9 Performance evaluation in its front-matter"
        ),
        "bare number"
    );
    let page = f.read("public/soa.html");
    assert!(page.contains("37 applicable, 1 excluded"), "{page}");
    let row = page.split("A.2.2</a>").nth(1).unwrap_or("");
    assert!(
        row.contains("Reason for A.2.2.")
            && row.contains("AIMS-POL-001")
            && row.contains("AI Governance Lead"),
        "{row}"
    );
    let csv = f.read("public/soa.csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "control,title,objective,applicability,justification,implementation,implementing_documents,owners"
        )
    );
    assert_eq!(
        lines.next(),
        Some(
            "A.2.2,AI policy,A.2,applicable,Reason for A.2.2.,planned,AIMS-POL-001,AI Governance Lead"
        )
    );
    assert!(
        csv.contains("A.7.3,Acquisition of data,A.7,excluded,Reason for A.7.3.,not-implemented,,"),
        "{csv}"
    );
    let json: serde_json::Value = serde_json::from_str(&f.read("public/soa.json")).expect("json");
    assert_eq!(json["document"], "AIMS-SOA-001");
    assert_eq!(json["controls"].as_array().map(Vec::len), Some(38));
}

#[test]
fn an_incomplete_soa_names_each_gap_at_its_line() {
    let f = Fixture::new();
    f.doc("soa.md", &soa(&["A.5.4", "A.10.4"], &[], &["A.2.3"]), "");
    let run = f.build();
    run.fails_with(1)
        .stderr_has("AIMS-E024")
        .stderr_has("does not list 2 Annex A control(s): A.5.4, A.10.4")
        .finding("AIMS-E023", "content/soa.md", 17, 3)
        .stderr_has("control A.2.3 has no justification for its inclusion");
}

#[test]
fn soa_consistency_warnings() {
    let f = Fixture::new();
    let text = soa(&[], &["A.7.3"], &[]).replace("  A.2.2:\n    applicable: true\n    justification: \"Reason for A.2.2.\"\n    implementation: planned", "  A.2.2:\n    applicable: true\n    justification: \"Reason for A.2.2.\"\n    implementation: implemented");
    f.doc("soa.md", &text, "");
    f.doc(
        "p.md",
        &front("AIMS-POL-001", "policy", "approved", "controls: [A.7.3]\n"),
        "",
    );
    f.build()
        .success()
        .finding("AIMS-W050", "content/p.md", 12, 12)
        .stderr_has("AIMS-POL-001 implements A.7.3, which the Statement of Applicability excludes")
        .stderr_has("AIMS-W051")
        .stderr_has("A.2.2 is marked implemented, but no document lists it");
}

#[test]
fn without_an_soa_the_build_says_so_once() {
    let f = Fixture::new();
    f.approved("p.md", "AIMS-POL-001", "policy", "");
    let run = f.build();
    run.success();
    assert_eq!(
        run.stderr().matches("AIMS-W052").count(),
        1,
        "{}",
        run.stderr()
    );
    assert!(
        f.read("public/soa.html")
            .contains("this build has no Statement of Applicability")
    );
}

#[test]
fn readiness_reports_a_missing_ai_policy() {
    let f = Fixture::new();
    f.doc(
        "scope.md",
        &front("AIMS-POL-002", "policy", "approved", "clauses: [\"4.3\"]\n"),
        "",
    );
    f.doc(
        "draft.md",
        &front(
            "AIMS-PRO-001",
            "procedure",
            "draft",
            "provides: [risk-assessment-process]\n",
        ),
        "",
    );
    f.build().success();
    let page = f.read("public/readiness.html");
    let row = |item: &str| {
        page.split(item)
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .unwrap_or("")
            .to_string()
    };
    assert!(
        row("<th scope=\"row\">AI policy").contains("state-missing"),
        "{page}"
    );
    assert!(
        row("<th scope=\"row\">Scope of the AIMS").contains("state-ready"),
        "{page}"
    );
    let process = row("<th scope=\"row\">AI risk assessment process");
    assert!(
        process.contains("state-draft") && process.contains("AIMS-PRO-001 (draft)"),
        "{process}"
    );
    let home = f.read("public/index.html");
    assert!(home.contains("AI policy (clause 5.2)"), "{home}");
}

#[test]
fn an_unknown_provides_key_is_an_error_with_a_suggestion() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "provides: [ai-polcy]\n",
        ),
        "",
    );
    f.build()
        .fails_with(1)
        .finding("AIMS-E025", "content/a.md", 12, 12)
        .stderr_has("did you mean `ai-policy`?");
}

#[test]
fn clause_pages_list_declaring_and_mentioning_documents() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        &front(
            "AIMS-POL-001",
            "policy",
            "approved",
            "clauses: [\"6.1.2\"]\n",
        ),
        "Text.\n",
    );
    f.approved(
        "b.md",
        "AIMS-PRO-001",
        "procedure",
        "We follow clause 6.1.2 and § 8.2.\n",
    );
    f.build().success();
    let page = f.read("public/clause/6.1.2.html");
    let addressed = page
        .split("<h2>Addressed by</h2>")
        .nth(1)
        .and_then(|s| s.split("<h2>").next())
        .unwrap_or("");
    assert!(
        addressed.contains("AIMS-POL-001") && !addressed.contains("AIMS-PRO-001"),
        "{addressed}"
    );
    let mentioned = page.split("<h2>Mentioned in</h2>").nth(1).unwrap_or("");
    assert!(mentioned.contains("AIMS-PRO-001"), "{mentioned}");
    assert!(f.read("public/clause/8.2.html").contains("Not addressed"));
    let index = f.read("public/clauses.html");
    assert!(
        index.contains("id=\"c-5.2\" class=\"clause depth-1 uncovered\""),
        "{index}"
    );
}

#[test]
fn mentions_link_in_prose_only() {
    let f = Fixture::new();
    f.approved(
        "a.md",
        "AIMS-POL-001",
        "policy",
        "# Clause 9.1 heading\n\nProse: clause 9.1, § 8.4, A.6.2.4, Annex A.7.4.\n\n`clause 7.2` in code, [clause 7.3](#clause-91-heading) in a link.\n\n```\nA.5.2\n```\n\nUnknown: clause 12.4 stays text.\n",
    );
    let run = f.build();
    run.success().finding("AIMS-W020", "content/a.md", 23, 10);
    let page = f.read("public/doc/AIMS-POL-001.html");
    let body = page.split("class=\"doc-body\"").nth(1).unwrap_or("");
    for (id, text) in [
        ("9.1", "clause 9.1"),
        ("8.4", "§ 8.4"),
        ("A.6.2.4", "A.6.2.4"),
        ("A.7.4", "Annex A.7.4"),
    ] {
        assert!(
            body.contains(&format!("href=\"../clause/{id}.html\"")),
            "{id} not linked: {body}"
        );
        assert!(body.contains(&format!(">{text}</a>")), "{text}: {body}");
    }
    assert!(
        body.contains("<h1 id=\"clause-91-heading\">Clause 9.1 heading</h1>"),
        "{body}"
    );
    assert!(body.contains("<code>clause 7.2</code>"));
    assert!(
        body.contains("<a href=\"#clause-91-heading\">clause 7.3</a>"),
        "{body}"
    );
    assert!(
        !body.contains("clause/7.2.html")
            && !body.contains("clause/A.5.2.html")
            && !body.contains("clause/12.4")
    );
}
