//! `aims-site check`: findings by code and position, the JSON schema, GitHub annotations,
//! external links against a local server, and the link cache.

mod common;

#[cfg(feature = "external-links")]
use std::collections::HashMap;
#[cfg(feature = "external-links")]
use std::sync::{Arc, Mutex};

use common::{Fixture, front};

fn fixture_with_findings() -> Fixture {
    let f = Fixture::new();
    f.approved("a.md", "AIMS-POL-001", "policy", "[gone](nope.md)\n");
    // A draft is not built by default, but check looks at it too.
    f.doc(
        "b.md",
        &front("AIMS-PRO-001", "procedure", "draft", "colour: blue\n"),
        "[[AIMS-NONE]]\n",
    );
    f
}

#[test]
fn check_reports_every_finding_including_drafts() {
    let f = fixture_with_findings();
    let run = f.run(&["check"]);
    run.fails_with(1)
        .finding("AIMS-E030", "content/a.md", 13, 1)
        .finding("AIMS-W001", "content/b.md", 8, 1)
        .finding("AIMS-E031", "content/b.md", 10, 1)
        .stderr_has("checked 2 documents: 2 error(s)");
    assert!(!f.exists("public"), "check writes no site");
}

#[test]
fn exit_codes_and_strict() {
    let f = Fixture::new();
    f.doc(
        "a.md",
        &front("AIMS-POL-001", "policy", "approved", "colour: blue\n"),
        "Fine.\n",
    );
    f.run(&["check"]).success().stderr_has("AIMS-W001");
    f.run(&["check", "--strict"]).fails_with(1);
    f.write("book.toml", "[book\n");
    f.run(&["check"]).fails_with(1).stderr_has("AIMS-E050");
    f.run(&["check", "--format", "xml"]).fails_with(2);
}

#[test]
fn json_output_follows_the_documented_schema() {
    let f = fixture_with_findings();
    let run = f.run(&["check", "--format", "json"]);
    run.fails_with(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout()).expect("valid JSON on stdout");
    assert_eq!(v["version"], 1);
    assert!(
        v["tool"]
            .as_str()
            .is_some_and(|t| t.starts_with("aims-site "))
    );
    assert_eq!(v["summary"]["errors"], 2);
    assert!(v["summary"]["warnings"].as_u64().is_some());
    assert_eq!(v["summary"]["documents"], 2);
    let findings = v["findings"].as_array().expect("findings");
    assert!(findings.len() >= 3);
    let code = regex::Regex::new(r"^AIMS-[EW]\d{3}$").expect("regex");
    for x in findings {
        let sev = x["severity"].as_str().expect("severity");
        assert!(sev == "error" || sev == "warning", "{x}");
        assert!(code.is_match(x["code"].as_str().expect("code")), "{x}");
        assert!(x["message"].as_str().is_some_and(|m| !m.is_empty()), "{x}");
        if let Some(file) = x.get("file") {
            assert!(file.as_str().is_some());
            assert!(x["line"].as_u64().is_some_and(|l| l >= 1), "{x}");
            assert!(x["column"].as_u64().is_some_and(|c| c >= 1), "{x}");
        }
    }
    let broken = findings
        .iter()
        .find(|x| x["code"] == "AIMS-E030")
        .expect("E030");
    assert_eq!(
        (
            broken["file"].as_str(),
            broken["line"].as_u64(),
            broken["column"].as_u64()
        ),
        (Some("content/a.md"), Some(13), Some(1))
    );
    assert!(broken["help"].as_str().is_some());
}

#[test]
fn github_format_annotates_lines() {
    let f = fixture_with_findings();
    let run = f.run(&["check", "--format", "github"]);
    run.fails_with(1);
    let line = regex::Regex::new(
        r"^::(error|warning) (file=[^,]+,line=\d+,col=\d+,)?title=AIMS-[EW]\d{3}::.+$",
    )
    .expect("regex");
    let out = run.stdout();
    assert!(!out.trim().is_empty());
    for l in out.lines() {
        assert!(line.is_match(l), "bad annotation: {l}");
    }
    assert!(
        out.contains("::error file=content/a.md,line=13,col=1,title=AIMS-E030::broken link"),
        "{out}"
    );
}

/// A local HTTP server: /ok 200, /missing 404, /moved 301 → /ok, /slow answers after 3 s.
#[cfg(feature = "external-links")]
struct Server {
    addr: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

#[cfg(feature = "external-links")]
fn server() -> Server {
    let http = tiny_http::Server::http("127.0.0.1:0").expect("bind");
    let addr = format!("http://{}", http.server_addr().to_ip().expect("ip"));
    let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let counter = hits.clone();
    let base = addr.clone();
    std::thread::spawn(move || {
        for req in http.incoming_requests() {
            let path = req.url().to_string();
            *counter
                .lock()
                .expect("lock")
                .entry(path.clone())
                .or_default() += 1;
            let base = base.clone();
            std::thread::spawn(move || {
                let resp = match path.as_str() {
                    "/ok" => tiny_http::Response::from_string("fine").with_status_code(200),
                    "/moved" => tiny_http::Response::from_string("")
                        .with_status_code(301)
                        .with_header(
                            tiny_http::Header::from_bytes("Location", format!("{base}/ok"))
                                .expect("header"),
                        ),
                    "/slow" => {
                        std::thread::sleep(std::time::Duration::from_secs(3));
                        tiny_http::Response::from_string("late").with_status_code(200)
                    }
                    _ => tiny_http::Response::from_string("no").with_status_code(404),
                };
                let _ = req.respond(resp);
            });
        }
    });
    Server { addr, hits }
}

#[cfg(feature = "external-links")]
#[test]
fn external_links_are_checked_against_a_local_server_and_cached() {
    let s = server();
    let f = Fixture::new();
    f.write(
        "book.toml",
        "[check]\ntimeout = 1\nretries = 0\nexclude = [\"/skipped\"]\n",
    );
    f.approved(
        "a.md",
        "AIMS-POL-001",
        "policy",
        &format!(
            "[ok]({a}/ok) [missing]({a}/missing) [moved]({a}/moved) [slow]({a}/slow) [skipped]({a}/skipped)\n",
            a = s.addr
        ),
    );
    // Without --external nothing is fetched.
    f.run(&["check"]).success();
    assert!(s.hits.lock().expect("lock").is_empty());

    let run = f.run(&["check", "--external"]);
    run.fails_with(1)
        .stderr_has("checked 1 documents and 5 external link(s)");
    let err = run.stderr();
    assert!(
        err.contains(&format!("external link `{}/missing` failed", s.addr)),
        "{err}"
    );
    assert!(
        err.contains(&format!("external link `{}/slow` failed", s.addr)),
        "{err}"
    );
    assert!(!err.contains(&format!("`{}/ok` failed", s.addr)), "{err}");
    assert!(
        !err.contains(&format!("`{}/moved` failed", s.addr)),
        "{err}"
    );
    assert!(!err.contains("/skipped` failed"), "{err}");
    assert_eq!(err.matches("AIMS-E080").count(), 2, "{err}");
    // Counts, not exact numbers: how often the client asks (a HEAD first, a retry) is its own
    // business; what matters is which links were asked for at all, and which again.
    let first: HashMap<String, usize> = s.hits.lock().expect("lock").clone();
    let hits = |m: &HashMap<String, usize>, p: &str| m.get(p).copied().unwrap_or(0);
    for p in ["/ok", "/missing", "/moved", "/slow"] {
        assert!(hits(&first, p) >= 1, "{p} was not fetched: {first:?}");
    }
    assert!(
        hits(&first, "/ok") >= 2,
        "/ok directly and via the redirect: {first:?}"
    );
    assert!(!first.contains_key("/skipped"));

    // A second run asks again only for what failed; good links come from the cache.
    f.run(&["check", "--external"]).fails_with(1);
    let second = s.hits.lock().expect("lock").clone();
    assert_eq!(hits(&second, "/ok"), hits(&first, "/ok"), "{second:?}");
    assert_eq!(
        hits(&second, "/moved"),
        hits(&first, "/moved"),
        "{second:?}"
    );
    assert!(
        hits(&second, "/missing") > hits(&first, "/missing"),
        "{second:?}"
    );
}

/// Built without `external-links` (no HTTP client): `--external` checks nothing and says so.
#[cfg(not(feature = "external-links"))]
#[test]
fn without_the_external_links_feature_external_links_are_reported_not_checked() {
    let f = Fixture::new();
    f.approved(
        "a.md",
        "AIMS-POL-001",
        "policy",
        "[site](http://127.0.0.1:9/gone)\n",
    );
    f.run(&["check", "--external"])
        .success()
        .stderr_has("AIMS-W081")
        .stderr_has("1 external link(s) not checked");
}

#[test]
fn check_passes_on_a_clean_fixture() {
    let f = Fixture::new();
    f.approved(
        "a.md",
        "AIMS-POL-001",
        "policy",
        "Fine, see [[AIMS-POL-001]].\n",
    );
    f.run(&["check", "--format", "json"]).success();
}
