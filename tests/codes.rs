//! One case per diagnostic code the README documents: a fixture that makes the code, the
//! command, the exit code, and where the finding points. A code added to the README without a
//! case here, or emitted by the source without being documented, fails the suite.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{Fixture, front};

/// How a case is run.
#[derive(Clone, Copy)]
enum Cmd {
    Build,
    Check,
    CheckExternal,
    Export,
}

struct Case {
    code: &'static str,
    /// Writes the fixture; returns the folder to run in (the fixture, or a clone of it).
    setup: fn(&Fixture) -> PathBuf,
    cmd: Cmd,
    exit: i32,
    /// The start of the finding's `file:line:col`, e.g. `content/a.md:12:` ("" for a finding
    /// about the project as a whole).
    at: &'static str,
}

fn root(f: &Fixture) -> PathBuf {
    f.path().to_path_buf()
}

fn doc(f: &Fixture, extra: &str, body: &str) -> PathBuf {
    f.doc(
        "a.md",
        &front("AIMS-POL-001", "policy", "approved", extra),
        body,
    );
    root(f)
}

/// A Statement of Applicability listing every control, edited by `edit`.
fn soa(f: &Fixture, rel: &str, id: &str, edit: impl Fn(&str, String) -> Option<String>) {
    let mut extra = String::from("applicability:\n");
    for c in &aims_site::catalog::get().controls {
        let entry = format!(
            "  {}:\n    applicable: true\n    justification: \"Reason.\"\n    implementation: planned\n",
            c.id
        );
        if let Some(e) = edit(&c.id, entry) {
            extra.push_str(&e);
        }
    }
    f.doc(rel, &front(id, "soa", "approved", &extra), "The SoA.\n");
}

/// An approved, in-scope AI system record `SYS-A` (its own fields on lines 12 to 18: roles,
/// sourcing, stage, intended_use, risk_level, eu_ai_act, in_scope), edited by `edit`.
fn system(f: &Fixture, edit: impl Fn(String) -> String) -> PathBuf {
    let fm = front(
        "SYS-A",
        "ai-system",
        "approved",
        "roles: [provider]\nsourcing: built\nstage: deployment\nintended_use: Plans.\nrisk_level: low\neu_ai_act: minimal\nin_scope: true\n",
    );
    f.doc("s.md", &edit(fm), "A system.\n");
    root(f)
}

/// A record of `SYS-A` with `extra` front-matter (from line 12, or line 8 for a draft).
fn system_record(f: &Fixture, status: &str, extra: &str) {
    f.doc(
        "r.md",
        &front(
            "AIMS-REC-001",
            "record",
            status,
            &format!("systems: [SYS-A]\n{extra}"),
        ),
        "The record.\n",
    );
}

/// book.toml with ISO/IEC 27001 enabled, and its SoA deciding every control as `rel` with `id`;
/// `mapped` is added to its front-matter.
fn soa27001(f: &Fixture, rel: &str, id: &str, excluded: &str) {
    f.write(
        "book.toml",
        "[book]\ntitle = \"T\"\n\n[standards]\niso27001 = true\n",
    );
    let mut extra = String::from("standard: iso27001\napplicability:\n");
    for c in &aims_site::catalog::builtin("iso27001")
        .expect("built in")
        .controls
    {
        let applicable = c.id != excluded;
        extra.push_str(&format!(
            "  {}: {{ applicable: {applicable}, justification: \"Reason.\" }}\n",
            c.id
        ));
    }
    f.doc(rel, &front(id, "soa", "approved", &extra), "The SoA.\n");
}

fn committed(f: &Fixture) {
    f.git_init();
    f.commit("Add the policy", "2026-01-10T09:00:00+00:00");
}

/// A project under `approval-evidence = "<mode>"` whose Chief Executive Officer is
/// ana@example.org, with the policy of [`doc`] committed with `message` (signed by a throwaway
/// SSH key that no one allowed when `signed`).
fn evidence(f: &Fixture, mode: &str, message: &str, signed: bool) -> PathBuf {
    f.write(
        "book.toml",
        format!("[book]\ntitle = \"x\"\n[approvers]\n\"Chief Executive Officer\" = [\"ana@example.org\"]\n[control]\napproval-evidence = \"{mode}\"\nallowed-signers = \"allowed_signers\"\n"),
    );
    f.write("allowed_signers", "# nobody yet\n");
    doc(f, "", "First text.\n");
    f.git_init();
    common::git_in(f.path(), &["add", "-A"], "2026-01-10T09:00:00+00:00");
    let key = f.home().join("key");
    let signing = format!("user.signingkey={}", key.display());
    let mut args = vec!["commit", "-q", "-m", message];
    if signed {
        let made = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "throwaway", "-f"])
            .arg(&key)
            .status()
            .expect("ssh-keygen");
        assert!(made.success());
        args = vec![
            "-c",
            "gpg.format=ssh",
            "-c",
            &signing,
            "commit",
            "-q",
            "-S",
            "-m",
            message,
        ];
    }
    common::git_in(f.path(), &args, "2026-01-10T09:00:00+00:00");
    root(f)
}

fn c(
    code: &'static str,
    setup: fn(&Fixture) -> PathBuf,
    cmd: Cmd,
    exit: i32,
    at: &'static str,
) -> Case {
    Case {
        code,
        setup,
        cmd,
        exit,
        at,
    }
}

fn cases() -> Vec<Case> {
    use Cmd::*;
    #[allow(unused_mut)]
    let mut cases = vec![
        c(
            "AIMS-E001",
            |f| {
                let mut bytes = front("AIMS-POL-001", "policy", "approved", "").into_bytes();
                bytes.extend_from_slice(b"caf\xe9\n");
                f.write("content/a.md", bytes);
                root(f)
            },
            Build,
            1,
            "content/a.md:13:4",
        ),
        c(
            "AIMS-E002",
            |f| {
                f.write("content/a.md", "# Just a heading\n");
                root(f)
            },
            Build,
            1,
            "content/a.md:1:1",
        ),
        c(
            "AIMS-E003",
            |f| {
                f.write("content/a.md", "---\nid: AIMS-POL-002\n");
                root(f)
            },
            Build,
            1,
            "content/a.md:1:1",
        ),
        c(
            "AIMS-E004",
            |f| {
                f.write("content/a.md", "---\nid: [unclosed\n---\n");
                root(f)
            },
            Build,
            1,
            "content/a.md:3:1",
        ),
        c(
            "AIMS-E010",
            |f| {
                f.write("content/a.md", "---\nid: AIMS-POL-001\ntitle: T\ntype: policy\nversion: \"1\"\nstatus: draft\n---\n");
                root(f)
            },
            Build,
            1,
            "content/a.md:1:1",
        ),
        c(
            "AIMS-E011",
            |f| {
                f.write("content/a.md", "---\nid: AIMS-POL-001\ntitle: [a, b]\ntype: policy\nowner: O\nversion: \"1\"\nstatus: draft\n---\n");
                root(f)
            },
            Build,
            1,
            "content/a.md:3:8",
        ),
        c(
            "AIMS-E012",
            |f| {
                f.doc("a.md", &front("AIMS-POL-001", "policy", "aproved", ""), "");
                root(f)
            },
            Check,
            1,
            "content/a.md:7:9",
        ),
        c(
            "AIMS-E013",
            |f| {
                f.doc(
                    "a.md",
                    &front("AIMS-POL-001", "policy", "approved", "")
                        .replace("date: 2026-01-15", "date: 2026-02-30"),
                    "",
                );
                root(f)
            },
            Build,
            1,
            "content/a.md:10:9",
        ),
        c(
            "AIMS-E014",
            |f| {
                f.write("content/a.md", "---\nid: AIMS-POL-001\ntitle: T\ntype: policy\nowner: O\nversion: \"1\"\nstatus: approved\nreview_date: 2027-01-01\n---\n");
                root(f)
            },
            Build,
            1,
            "content/a.md:7:1",
        ),
        c(
            "AIMS-E015",
            |f| {
                f.write("content/a.md", "---\nid: AIMS-POL-001\ntitle: T\ntype: policy\nowner: O\nversion: \"1\"\nstatus: approved\napproval: { by: CEO, date: 2026-01-01 }\n---\n");
                root(f)
            },
            Build,
            1,
            "content/a.md:7:1",
        ),
        c(
            "AIMS-E016",
            |f| {
                f.doc("a.md", &front("AIMS POL 001", "policy", "approved", ""), "");
                root(f)
            },
            Build,
            1,
            "content/a.md:2:5",
        ),
        c(
            "AIMS-E017",
            |f| {
                f.approved("a.md", "AIMS-POL-001", "policy", "");
                f.approved("sub/b.md", "AIMS-POL-001", "policy", "");
                root(f)
            },
            Build,
            1,
            "content/sub/b.md:2:5",
        ),
        c(
            "AIMS-E018",
            |f| {
                f.doc(
                    "a.md",
                    &front("AIMS-POL-001", "policy", "approved", "title: Again\n"),
                    "",
                );
                root(f)
            },
            Build,
            1,
            "content/a.md:12:1",
        ),
        c(
            "AIMS-E020",
            |f| doc(f, "clauses: [\"6.1.9\"]\n", ""),
            Build,
            1,
            "content/a.md:12:11",
        ),
        c(
            "AIMS-E021",
            |f| doc(f, "controls: [A.6.2.9]\n", ""),
            Build,
            1,
            "content/a.md:12:12",
        ),
        c(
            "AIMS-E022",
            |f| {
                soa(f, "soa.md", "AIMS-SOA-001", |id, e| {
                    Some(if id == "A.2.2" {
                        e.replace("    applicable: true\n", "")
                    } else {
                        e
                    })
                });
                root(f)
            },
            Build,
            1,
            "content/soa.md:",
        ),
        c(
            "AIMS-E023",
            |f| {
                soa(f, "soa.md", "AIMS-SOA-001", |id, e| {
                    Some(if id == "A.2.3" {
                        e.replace("    justification: \"Reason.\"\n", "")
                    } else {
                        e
                    })
                });
                root(f)
            },
            Build,
            1,
            "content/soa.md:",
        ),
        c(
            "AIMS-E024",
            |f| {
                soa(f, "soa.md", "AIMS-SOA-001", |id, e| {
                    (id != "A.5.4").then_some(e)
                });
                root(f)
            },
            Build,
            1,
            "content/soa.md:",
        ),
        c(
            "AIMS-E025",
            |f| doc(f, "provides: [ai-polcy]\n", ""),
            Build,
            1,
            "content/a.md:12:12",
        ),
        c(
            "AIMS-E030",
            |f| doc(f, "", "[gone](nope.md)\n"),
            Build,
            1,
            "content/a.md:13:1",
        ),
        c(
            "AIMS-E031",
            |f| doc(f, "", "[[AIMS-NOPE-1]]\n"),
            Build,
            1,
            "content/a.md:13:1",
        ),
        c(
            "AIMS-E032",
            |f| doc(f, "", "[z](#missing)\n"),
            Build,
            1,
            "content/a.md:13:1",
        ),
        c(
            "AIMS-E033",
            |f| {
                f.doc(
                    "a.md",
                    &front("AIMS-POL-001", "policy", "approved", "")
                        .replace("review_date: 2027-01-15", "review_cycle: often"),
                    "",
                );
                root(f)
            },
            Build,
            1,
            "content/a.md:11:15",
        ),
        c(
            "AIMS-E040",
            |f| {
                f.write("book.toml", "[build]\nmax-file-size = 1000\n");
                doc(f, "", &"x".repeat(5000))
            },
            Build,
            1,
            "content/a.md:",
        ),
        c(
            "AIMS-E041",
            |f| {
                f.approved("a/doc.md", "AIMS-POL-001", "policy", "");
                std::os::unix::fs::symlink("..", f.path().join("content/a/loop")).expect("symlink");
                root(f)
            },
            Build,
            1,
            "content/a/loop:",
        ),
        // A link to nowhere cannot be read, whoever runs the test (root reads any mode).
        c(
            "AIMS-E042",
            |f| {
                f.approved("a.md", "AIMS-POL-001", "policy", "");
                std::os::unix::fs::symlink("no-such-file.md", f.path().join("content/gone.md"))
                    .expect("symlink");
                root(f)
            },
            Build,
            1,
            "content/gone.md:",
        ),
        c(
            "AIMS-E043",
            |f| {
                f.approved("a.md", "AIMS-POL-001", "policy", "");
                std::os::unix::fs::symlink("/etc/hostname", f.path().join("content/host.txt"))
                    .expect("symlink");
                root(f)
            },
            Build,
            1,
            "content/host.txt:",
        ),
        c(
            "AIMS-E044",
            |f| {
                f.write("content/back\\slash.png", "x");
                doc(f, "", "")
            },
            Build,
            1,
            "content/back\\slash.png:",
        ),
        c(
            "AIMS-E050",
            |f| {
                f.write("book.toml", "[aims]\nreview-warning-days = \"soon\"\n");
                doc(f, "", "")
            },
            Build,
            1,
            "book.toml:2:23",
        ),
        c(
            "AIMS-E051",
            |f| {
                f.write(
                    "book.toml",
                    "[book]\ntitle = \"x\"\nlogo = \"../outside.png\"\n",
                );
                doc(f, "", "")
            },
            Build,
            1,
            "book.toml:3:1",
        ),
        c(
            "AIMS-E070",
            |f| {
                f.write("templates/document.html", "{% if %}");
                doc(f, "", "")
            },
            Build,
            1,
            "templates/document.html",
        ),
        c(
            "AIMS-E080",
            |f| {
                // A port nothing listens on.
                let port = std::net::TcpListener::bind("127.0.0.1:0")
                    .expect("bind")
                    .local_addr()
                    .expect("addr")
                    .port();
                f.write("book.toml", "[check]\ntimeout = 5\nretries = 0\n");
                doc(f, "", &format!("[dead](http://127.0.0.1:{port}/gone)\n"))
            },
            CheckExternal,
            1,
            "content/a.md:13:1",
        ),
        c(
            "AIMS-W001",
            |f| doc(f, "colour: blue\n", ""),
            Check,
            0,
            "content/a.md:12:1",
        ),
        c(
            "AIMS-W002",
            |f| {
                f.write(
                    "book.toml",
                    "[book]\ntitle = \"T\"\n\n[build]\noutput-dri = \"site\"\n",
                );
                doc(f, "", "")
            },
            Build,
            0,
            "book.toml:5:1",
        ),
        c(
            "AIMS-W003",
            |f| {
                doc(
                    f,
                    "applicability:\n  A.2.2:\n    applicable: true\n    justification: \"x\"\n",
                    "",
                )
            },
            Build,
            0,
            "content/a.md:12:1",
        ),
        c(
            "AIMS-W010",
            |f| {
                f.doc("b.md", &front("AIMS-POL-002", "policy", "draft", ""), "");
                doc(f, "", "See [[AIMS-POL-002]].\n")
            },
            Build,
            0,
            "content/a.md:13:5",
        ),
        c(
            "AIMS-W011",
            |f| {
                f.write("content/page.html", "<script></script>");
                doc(f, "", "See [the page](page.html).\n")
            },
            Build,
            0,
            "content/a.md:13:5",
        ),
        c(
            "AIMS-W020",
            |f| doc(f, "", "Unknown: clause 12.4 here.\n"),
            Build,
            0,
            "content/a.md:13:10",
        ),
        c(
            "AIMS-W030",
            |f| {
                doc(f, "", "First text.\n");
                committed(f);
                f.write(
                    "content/a.md",
                    f.read("content/a.md").replace("First text.", "Changed."),
                );
                f.commit("Tweak", "2026-02-01T09:00:00+00:00");
                root(f)
            },
            Build,
            0,
            "content/a.md:6:10",
        ),
        c(
            "AIMS-W031",
            |f| {
                doc(f, "", "First text.\n");
                committed(f);
                f.write(
                    "content/a.md",
                    f.read("content/a.md")
                        .replace("owner: AI Governance Lead", "owner: Someone Else"),
                );
                f.commit("Owner", "2026-02-01T09:00:00+00:00");
                root(f)
            },
            Build,
            0,
            "content/a.md:6:10",
        ),
        c(
            "AIMS-W040",
            |f| {
                doc(f, "", "First text.\n");
                committed(f);
                f.write(
                    "content/a.md",
                    f.read("content/a.md")
                        .replace("version: \"1.0\"", "version: \"1.1\""),
                );
                f.commit("Second", "2026-02-01T09:00:00+00:00");
                let url = format!("file://{}", f.path().display());
                common::git_in(
                    f.path(),
                    &["clone", "-q", "--depth", "1", &url, "shallow"],
                    "2026-02-02T00:00:00+00:00",
                );
                f.path().join("shallow")
            },
            Build,
            0,
            "",
        ),
        c("AIMS-W041", |f| doc(f, "", ""), Build, 0, ""),
        c(
            "AIMS-W042",
            |f| {
                f.write(
                    "book.toml",
                    "[book]\ntitle = \"x\"\n[versions]\nrefs = { ghost = \"0123456789abcdef0123456789abcdef01234567\" }\n",
                );
                doc(f, "", "");
                committed(f);
                root(f)
            },
            Build,
            0,
            "",
        ),
        c(
            "AIMS-W050",
            |f| {
                soa(f, "soa.md", "AIMS-SOA-001", |id, e| {
                    Some(if id == "A.7.3" {
                        e.replace("applicable: true", "applicable: false")
                    } else {
                        e
                    })
                });
                f.doc(
                    "p.md",
                    &front("AIMS-POL-001", "policy", "approved", "controls: [A.7.3]\n"),
                    "",
                );
                root(f)
            },
            Build,
            0,
            "content/p.md:12:12",
        ),
        c(
            "AIMS-W051",
            |f| {
                soa(f, "soa.md", "AIMS-SOA-001", |id, e| {
                    Some(if id == "A.2.2" {
                        e.replace("planned", "implemented")
                    } else {
                        e
                    })
                });
                root(f)
            },
            Build,
            0,
            "content/soa.md:",
        ),
        c("AIMS-W052", |f| doc(f, "", ""), Build, 0, ""),
        c(
            "AIMS-W053",
            |f| {
                soa(f, "soa.md", "AIMS-SOA-001", |_, e| Some(e));
                soa(f, "soa2.md", "AIMS-SOA-002", |_, e| Some(e));
                root(f)
            },
            Build,
            0,
            "content/soa2.md:2:5",
        ),
        c(
            "AIMS-W054",
            |f| doc(f, "", "+---+---+\n| a | b |\n+---+---+\n"),
            Build,
            0,
            "content/a.md:13:1",
        ),
        c(
            "AIMS-W055",
            |f| doc(f, "", "Text.\n\n\\pagebreak\n"),
            Build,
            0,
            "content/a.md:15:1",
        ),
        c(
            "AIMS-W056",
            |f| doc(f, "", "Dear {{.Name}},\n"),
            Build,
            0,
            "content/a.md:13:6",
        ),
        c(
            "AIMS-W057",
            |f| doc(f, "", "1. Step\n\n        i. Sub-step\n"),
            Build,
            0,
            "content/a.md:15:",
        ),
        c(
            "AIMS-W058",
            |f| doc(f, "", "Visible.\n\n<!-- hidden note -->\n"),
            Build,
            0,
            "content/a.md:15:1",
        ),
        c(
            "AIMS-E071",
            |f| system(f, |s| s.replace("in_scope: true\n", "")),
            Build,
            1,
            "content/s.md:1:1",
        ),
        c(
            "AIMS-E072",
            |f| {
                system(f, |s| {
                    s.replace("eu_ai_act: minimal", "eu_ai_act: high-risk")
                })
            },
            Build,
            1,
            "content/s.md:17:12",
        ),
        c(
            "AIMS-E073",
            |f| {
                system(f, |s| {
                    s.replace(
                        "sourcing: built",
                        "sourcing: bought\nsupplier: AIMS-EXT-009",
                    )
                })
            },
            Build,
            1,
            "content/s.md:14:11",
        ),
        c(
            "AIMS-E074",
            |f| doc(f, "systems: [SYS-NONE]\n", ""),
            Build,
            1,
            "content/a.md:12:11",
        ),
        c(
            "AIMS-E075",
            |f| doc(f, "systems: [AIMS-POL-001]\n", ""),
            Build,
            1,
            "content/a.md:12:11",
        ),
        c(
            "AIMS-W071",
            |f| doc(f, "risk_level: high\n", ""),
            Build,
            0,
            "content/a.md:12:1",
        ),
        c(
            "AIMS-W072",
            |f| system(f, |s| s),
            Build,
            0,
            "content/s.md:2:5",
        ),
        c(
            "AIMS-W073",
            |f| {
                system_record(
                    f,
                    "approved",
                    "record_kind: risk-assessment\nnext_due: 2026-01-01\n",
                );
                system(f, |s| s)
            },
            Build,
            0,
            "content/r.md:14:11",
        ),
        c(
            "AIMS-W074",
            |f| {
                system_record(f, "draft", "record_kind: risk-assessment\n");
                system(f, |s| s)
            },
            Build,
            0,
            "content/s.md:2:5",
        ),
        c(
            "AIMS-W075",
            |f| doc(f, "record_kind: model-card\n", ""),
            Build,
            0,
            "content/a.md:12:1",
        ),
        c(
            "AIMS-E061",
            |f| doc(f, "standards: { iso2700: [\"A.5.1\"] }\n", ""),
            Build,
            1,
            "content/a.md:12:14",
        ),
        c(
            "AIMS-E062",
            |f| doc(f, "standards: { eu-ai-act: [\"Art. 9\"] }\n", ""),
            Build,
            1,
            "content/a.md:12:14",
        ),
        c(
            "AIMS-E063",
            |f| {
                soa27001(f, "soa.md", "ISMS-SOA-001", "");
                doc(f, "standards:\n  iso27001: [A.5.99]\n", "")
            },
            Build,
            1,
            "content/a.md:13:14",
        ),
        c(
            "AIMS-E064",
            |f| doc(f, "standards: { iso42001: [\"5.2\"] }\n", ""),
            Build,
            1,
            "content/a.md:12:14",
        ),
        c(
            "AIMS-E065",
            |f| {
                f.write("book.toml", "[standards]\niso42001 = false\n");
                doc(f, "", "")
            },
            Build,
            1,
            "book.toml:2:1",
        ),
        c(
            "AIMS-E066",
            |f| {
                f.write(
                    "book.toml",
                    "[fields.tier]\ntype = \"one-of\"\nvalues = [\"low\", \"high\"]\n",
                );
                doc(f, "extra: { tier: hgh }\n", "")
            },
            Build,
            1,
            "content/a.md:12:",
        ),
        c(
            "AIMS-E067",
            |f| {
                f.write("book.toml", "[fields.tier]\ntype = \"one-of\"\n");
                doc(f, "", "")
            },
            Build,
            1,
            "book.toml:1:9",
        ),
        c(
            "AIMS-E068",
            |f| {
                f.write("book.toml", "[standards]\ncatalogs = [\"own.toml\"]\n");
                f.write("own.toml", "key = \"own\"\nstandard = \"Own\"\n[[control]]\nid = \"O-1\"\ntitle = \"One\"\nobjective = \"O\"\n");
                doc(f, "", "")
            },
            Build,
            1,
            "own.toml:6:13",
        ),
        c(
            "AIMS-E069",
            |f| {
                f.write("book.toml", "[standards]\ncatalogs = [\"own.toml\"]\n");
                f.write("own.toml", "key = \"own\"\nstandard = \"Own\"\n[[clause]]\nid = \"1\"\n[[clause]]\nid = \"1\"\n");
                doc(f, "", "")
            },
            Build,
            1,
            "own.toml:6:6",
        ),
        c(
            "AIMS-E060",
            |f| {
                f.write(
                    "book.toml",
                    "[standards]\niso27001 = true\ncrosswalks = [\"cw.toml\"]\n",
                );
                f.write("cw.toml", "from = \"iso42001\"\nto = \"iso27001\"\n[[pair]]\nfrom = \"A.8.4\"\nto = \"A.5.99\"\n");
                doc(f, "", "")
            },
            Build,
            1,
            "cw.toml:5:6",
        ),
        c(
            "AIMS-W061",
            |f| {
                f.write("book.toml", "[standards]\niso27001 = true\n");
                doc(f, "", "")
            },
            Build,
            0,
            "",
        ),
        c(
            "AIMS-W062",
            |f| {
                soa27001(f, "soa.md", "ISMS-SOA-001", "");
                soa27001(f, "soa2.md", "ISMS-SOA-002", "");
                root(f)
            },
            Build,
            0,
            "content/soa2.md:2:5",
        ),
        c(
            "AIMS-W063",
            |f| {
                soa27001(f, "soa.md", "ISMS-SOA-001", "A.7.4");
                doc(f, "standards: { iso27001: [A.7.4] }\n", "")
            },
            Build,
            0,
            "content/a.md:12:25",
        ),
        c(
            "AIMS-W060",
            |f| {
                doc(f, "", "First text.\n");
                committed(f);
                f.approved("b.md", "AIMS-POL-002", "policy", "Not committed.\n");
                root(f)
            },
            Export,
            0,
            "",
        ),
    ];
    cases.extend([
        c(
            "AIMS-E090",
            |f| {
                f.write(
                    "book.toml",
                    "[book]\ntitle = \"x\"\n\n[approvers]\n\"Chief Executive Officer\" = [\"Ana Ruiz\"]\n",
                );
                doc(f, "", "")
            },
            Build,
            1,
            "book.toml:5:1",
        ),
        c(
            "AIMS-W090",
            |f| {
                evidence(
                    f,
                    "trailer",
                    "Approve\n\nApproved-by: Bob <bob@example.org>\n",
                    false,
                )
            },
            Build,
            0,
            "content/a.md:6:10",
        ),
        c(
            "AIMS-W091",
            |f| {
                evidence(
                    f,
                    "signed",
                    "Approve\n\nApproved-by: Ana <ana@example.org>\n",
                    false,
                )
            },
            Build,
            0,
            "content/a.md:6:10",
        ),
        c(
            "AIMS-W092",
            |f| {
                evidence(
                    f,
                    "signed",
                    "Approve\n\nApproved-by: Ana <ana@example.org>\n",
                    true,
                )
            },
            Build,
            0,
            "content/a.md:6:10",
        ),
        c(
            "AIMS-W093",
            |f| {
                let dir = evidence(
                    f,
                    "trailer",
                    "Approve\n\nApproved-by: Ana <ana@example.org>\n",
                    false,
                );
                f.write(
                    "book.toml",
                    "[book]\ntitle = \"x\"\n[approvers]\nBoard = [\"ana@example.org\"]\n[control]\napproval-evidence = \"trailer\"\n",
                );
                dir
            },
            Build,
            0,
            "content/a.md:6:10",
        ),
        c(
            "AIMS-W094",
            |f| {
                let dir = evidence(
                    f,
                    "trailer",
                    "Approve\n\nApproved-by: Ana <ana@example.org>\n",
                    false,
                );
                f.approved("b.md", "AIMS-POL-002", "policy", "Not committed.\n");
                dir
            },
            Build,
            0,
            "content/b.md:6:10",
        ),
    ]);
    #[cfg(not(feature = "external-links"))]
    cases.push(c(
        "AIMS-W081",
        |f| doc(f, "", "[x](https://example.org/)\n"),
        CheckExternal,
        0,
        "",
    ));
    cases
}

fn readme_codes() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let re = regex::Regex::new(r"(?m)^\| (AIMS-[EW]\d{3}) \|").expect("regex");
    re.captures_iter(&readme)
        .map(|c| c[1].to_string())
        .collect()
}

#[test]
fn every_documented_code_has_a_case_and_each_case_makes_its_code() {
    let documented = readme_codes();
    assert!(documented.len() > 40, "{documented:?}");
    let cases = cases();
    let mut tested: BTreeSet<String> = cases.iter().map(|c| c.code.to_string()).collect();
    // AIMS-W081 needs a binary built without the `external-links` feature: its case runs only in
    // such a build (`cargo test --no-default-features`).
    if cfg!(feature = "external-links") {
        tested.insert("AIMS-W081".to_string());
    }
    assert_eq!(
        documented, tested,
        "README codes (left) and cases (right) differ"
    );
    let mut failures = Vec::new();
    for case in &cases {
        let f = Fixture::new();
        let dir = (case.setup)(&f);
        let out = tempfile::tempdir().expect("out");
        let out_s = out.path().to_string_lossy().into_owned();
        let args: Vec<&str> = match case.cmd {
            Cmd::Build => vec!["build", "--today", "2026-12-01", "--dest", &out_s],
            Cmd::Check => vec!["check"],
            Cmd::CheckExternal => vec!["check", "--external"],
            Cmd::Export => vec!["export", "--no-pdf", "--today", "2026-12-01", "-o", &out_s],
        };
        let run = common::Run(
            common::aims_in(&dir, f.home())
                .args(&args)
                .output()
                .expect("run"),
        );
        let findings = run.findings();
        // Lines and columns are 1-based wherever a finding has a location.
        for (_, code, at) in &findings {
            let mut parts = at.rsplitn(3, ':');
            let one_based =
                |n: Option<&str>| n.is_some_and(|n| n.parse::<usize>().is_ok_and(|n| n >= 1));
            let (col, line) = (parts.next(), parts.next());
            let well_placed = at.is_empty() || (one_based(col) && one_based(line));
            if !well_placed {
                failures.push(format!(
                    "{}: {code} at `{at}`: line and column start at 1",
                    case.code
                ));
            }
        }
        let hit = findings
            .iter()
            .any(|(_, code, at)| code == case.code && at.starts_with(case.at));
        if run.code() != case.exit || !hit || run.stderr().contains("panicked") {
            failures.push(format!(
                "{} (expected exit {} and a finding at `{}`): exit {}, findings {findings:?}\n{}",
                case.code,
                case.exit,
                case.at,
                run.code(),
                run.stderr()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_code_the_source_emits_is_documented() {
    let documented = readme_codes();
    // Known and not in the README's table: AIMS-E000 is serve's page for a rebuild that could
    // not run at all (an I/O error, not a finding about the input).
    let undocumented_known = ["AIMS-E000"];
    let re = regex::Regex::new(r#""(AIMS-[EW]\d{3})""#).expect("regex");
    let mut emitted = BTreeSet::new();
    for e in walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
        let e = e.expect("walk");
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(e.path()).expect("read");
            emitted.extend(re.captures_iter(&text).map(|c| c[1].to_string()));
        }
    }
    let missing: Vec<&String> = emitted
        .iter()
        .filter(|c| !documented.contains(*c) && !undocumented_known.contains(&c.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "emitted but not in the README: {missing:?}"
    );
    for known in undocumented_known {
        assert!(
            !documented.contains(known),
            "{known} is documented now: take it off the list"
        );
    }
}
