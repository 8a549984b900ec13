//! The views only the Stage 1 pack carries: the clause-coverage matrix (clause or control ×
//! document, as CSV) and the documents changed since an earlier tag, with their revision entries
//! (HTML and CSV), for surveillance audits.

use serde::Serialize;

use super::context::{Base, Input, Page, Shared, Since, render_one};
use super::registers::csv_escape;
use crate::catalog;
use crate::git::Commit;
use crate::link::approval::State;
use crate::link::{self, Manual};

/// The clause-coverage matrix: one row per clause and Annex A control, one column per document
/// of the build; a cell says whether the document declares the entry (front-matter `clauses` or
/// `controls`) or mentions it in its text.
pub fn coverage_csv(manual: &Manual) -> String {
    let cat = catalog::get();
    let docs: Vec<usize> = manual.included().collect();
    // Column of each document, for the lists of the coverage map.
    let mut column = vec![usize::MAX; manual.entries.len()];
    for (k, &i) in docs.iter().enumerate() {
        column[i] = k;
    }
    let mut out = String::from("id,kind,title,state");
    for &i in &docs {
        out.push(',');
        out.push_str(&csv_escape(&manual.entries[i].doc.id.value));
    }
    out.push_str("\r\n");
    let rows = cat
        .clauses
        .iter()
        .map(|c| ("clause", c.id.as_str(), c.title.as_str()))
        .chain(
            cat.controls
                .iter()
                .map(|c| ("control", c.id.as_str(), c.title.as_str())),
        );
    let mut cells: Vec<&str> = vec![""; docs.len()];
    for (kind, id, title) in rows {
        cells.iter_mut().for_each(|c| *c = "");
        if let Some(cov) = manual.coverage.get(id) {
            for &i in &cov.mentioned {
                if let Some(c) = cells.get_mut(column[i]) {
                    *c = "mentioned";
                }
            }
            for &i in &cov.declared {
                if let Some(c) = cells.get_mut(column[i]) {
                    *c = "declared";
                }
            }
        }
        let state = if manual.excluded_in_soa(id) {
            "excluded"
        } else if manual.is_covered(id) {
            "covered"
        } else {
            "not addressed"
        };
        out.push_str(&format!(
            "{},{kind},{},{state}",
            csv_escape(id),
            csv_escape(title)
        ));
        for c in &cells {
            out.push(',');
            out.push_str(c);
        }
        out.push_str("\r\n");
    }
    out
}

/// approvals.csv of the Stage 1 pack: one row per approved document of the build, with its
/// approval commit and the evidence found in it.
pub fn approvals_csv(manual: &Manual) -> String {
    let mut out = String::from(
        "id,title,version,approved_by,approval_date,approval_commit,author,committer,approved_by_trailers,approver_identity,signature_status,signer,signing_key,evidence_state,editorial_changes_since_approval\r\n",
    );
    for i in manual.included() {
        let Some(Some(e)) = manual.approvals.get(i) else {
            continue;
        };
        let d = &manual.entries[i].doc;
        let commit = e.commit.and_then(|c| manual.repo.as_ref()?.commits.get(c));
        let details = commit.and_then(|c| c.details.as_deref());
        let who = |name: &str, email: &str| {
            if email.is_empty() {
                name.to_string()
            } else {
                format!("{name} <{email}>")
            }
        };
        let author = match (commit, details) {
            (Some(c), Some(dt)) => who(&c.author, &dt.author_email),
            (Some(c), None) => c.author.clone(),
            _ => String::new(),
        };
        let committer = details
            .map(|dt| who(&dt.committer, &dt.committer_email))
            .unwrap_or_default();
        let trailers = details
            .map(|dt| dt.trailer("Approved-by").collect::<Vec<_>>().join("; "))
            .unwrap_or_default();
        let sig = e.signature.as_ref();
        let status = match sig.map(|s| s.status) {
            None => "none",
            Some('G') => "good",
            Some('U') => "good, key not in the allowed signers",
            Some('B') => "bad",
            Some('X') => "good, expired signature",
            Some('Y') => "good, expired key",
            Some('R') => "revoked key",
            Some('E') => "cannot be checked",
            Some(_) => "unknown",
        };
        let fields = [
            d.id.value.as_str(),
            &d.title,
            &d.version,
            d.approval.as_ref().map_or("", |a| a.by.as_str()),
            &d.approval
                .as_ref()
                .map(|a| a.date.to_string())
                .unwrap_or_default(),
            commit.map_or("", |c| c.id.as_str()),
            &author,
            &committer,
            &trailers,
            &e.approver,
            if e.state == State::Unknown {
                "unknown"
            } else {
                status
            },
            sig.map_or("", |s| s.signer.as_str()),
            sig.map_or("", |s| s.fingerprint.as_str()),
            e.state.as_str(),
            &e.editorial.to_string(),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_escape(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[derive(Serialize)]
pub struct SinceDoc<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
    pub version: &'a str,
    pub status: &'static str,
    /// "added" (first committed after the tag) or "changed".
    pub change: &'static str,
    /// The working tree holds edits not committed yet.
    pub uncommitted: bool,
    /// Revision entries after the tag, newest first.
    pub entries: Vec<&'a Commit>,
}

#[derive(Serialize)]
pub struct SincePage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub tag: &'a str,
    pub tag_commit: String,
    pub available: bool,
    pub documents: Vec<SinceDoc<'a>>,
}

/// Documents of the build changed after the tag, in id order.
pub fn since_docs<'a>(manual: &'a Manual, since: &Since) -> Vec<SinceDoc<'a>> {
    let Some(repo) = &manual.repo else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in manual.included() {
        let Some(h) = manual.history.get(i) else {
            continue;
        };
        let entries: Vec<&Commit> = h
            .commits
            .iter()
            .filter_map(|&c| repo.commits.get(c))
            .filter(|c| since.commits.contains(&c.id))
            .collect();
        if entries.is_empty() && !h.uncommitted {
            continue;
        }
        // Added after the tag: its oldest commit is one of them.
        let added = h
            .commits
            .last()
            .and_then(|&c| repo.commits.get(c))
            .is_none_or(|c| since.commits.contains(&c.id));
        let d = &manual.entries[i].doc;
        out.push(SinceDoc {
            id: &d.id.value,
            title: &d.title,
            url: link::doc_url(&d.id.value),
            version: &d.version,
            status: d.status.as_str(),
            change: if added { "added" } else { "changed" },
            uncommitted: h.uncommitted,
            entries,
        });
    }
    out
}

pub fn since_page<'a>(input: &'a Input<'_>, since: &'a Since, base: Base<'a>) -> SincePage<'a> {
    SincePage {
        base,
        tag: &since.tag,
        tag_commit: since.commit.chars().take(12).collect(),
        available: input.manual.repo.is_some(),
        documents: since_docs(input.manual, since),
    }
}

/// The changes since the tag as CSV (RFC 4180, CRLF line ends, like the register): one row per revision entry (a document with only
/// uncommitted edits has one row without a commit).
pub fn since_csv(manual: &Manual, since: &Since) -> String {
    let mut out = String::from("id,title,version,status,change,date,author,commit,subject\r\n");
    for d in since_docs(manual, since) {
        let head = format!(
            "{},{},{},{},{}",
            csv_escape(d.id),
            csv_escape(d.title),
            csv_escape(d.version),
            d.status,
            d.change
        );
        if d.uncommitted {
            out.push_str(&format!("{head},,,,(uncommitted changes)\r\n"));
        }
        for c in &d.entries {
            out.push_str(&format!(
                "{head},{},{},{},{}\r\n",
                c.date,
                csv_escape(&c.author),
                c.id,
                csv_escape(&c.subject)
            ));
        }
    }
    out
}

/// The pages only the Stage 1 pack carries: coverage, and what changed since a tag.
pub(crate) fn pages<'s>(shared: &'s Shared<'s>) -> Vec<Page<'s>> {
    let (input, tera) = (shared.input, shared.tera);
    let manual = input.manual;
    let Some(pack) = input.pack else {
        return Vec::new();
    };
    let mut pages = vec![Page::new("coverage.csv", move || {
        Ok(coverage_csv(manual).into_bytes())
    })];
    if manual.approval_settings.enabled() {
        pages.push(Page::new("approvals.csv", move || {
            Ok(approvals_csv(manual).into_bytes())
        }));
    }
    if let Some(since) = &pack.since {
        pages.push(Page::new("since.html", move || {
            let title = format!("Changed since {}", since.tag);
            render_one(
                tera,
                "since.html",
                &since_page(input, since, shared.base(&title, "since")),
            )
        }));
        pages.push(Page::new("since.csv", move || {
            Ok(since_csv(manual, since).into_bytes())
        }));
    }
    pages
}
