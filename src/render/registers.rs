//! The document-control register (HTML, CSV, JSON), the reviews page and the changes page:
//! the views of the manual as controlled documentation rather than as text.

use std::collections::BTreeMap;

use serde::Serialize;

use jiff::civil::Date;

use super::chrome::{self, Frame};
use super::context::{
    Base, DocLink, DocRow, Input, Page, Shared, date_or_empty, doc_link, render_one,
    write_or_render,
};
use super::paging::{ListInfo, Pager, Pages};
use crate::link::facts::ReviewState;
use crate::link::{self, Manual};
use crate::model::Status;

/// One row of the register; also the CSV and JSON record (field order = CSV column order).
#[derive(Debug, Clone, Serialize)]
pub struct RegisterRow<'a> {
    pub id: &'a str,
    pub title: &'a str,
    #[serde(rename = "type")]
    pub doc_type: &'static str,
    pub owner: &'a str,
    pub version: &'a str,
    pub status: &'static str,
    pub approved_by: &'a str,
    #[serde(serialize_with = "date_or_empty")]
    pub approval_date: Option<Date>,
    #[serde(serialize_with = "date_or_empty")]
    pub review_date: Option<Date>,
    pub review_status: ReviewState,
    pub classification: &'static str,
    pub last_change_date: &'a str,
    pub last_change_author: &'a str,
    pub last_change_commit: &'a str,
    pub changed_since_approval: bool,
    pub front_matter_changed_since_approval: bool,
    /// The document's page, relative to the site root (JSON only).
    pub url: String,
    /// The custom fields book.toml declares (`[fields]`), by name; absent without any.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, crate::model::FieldValue>,
    /// With approval evidence on ([`EVIDENCE_COLUMNS`]): the approval commit (full id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval_commit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approver_identity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence_state: Option<&'static str>,
    /// With editorial changes allowed ([`EDITORIAL_COLUMNS`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub editorial_changes_since_approval: Option<usize>,
}

/// The columns added after [`CSV_COLUMNS`] when book.toml asks for approval evidence.
pub const EVIDENCE_COLUMNS: &[&str] = &["approval_commit", "approver_identity", "evidence_state"];

/// The column added last when book.toml allows editorial changes.
pub const EDITORIAL_COLUMNS: &[&str] = &["editorial_changes_since_approval"];

/// The register's columns for this build: [`CSV_COLUMNS`], then the evidence and editorial
/// columns book.toml turns on, then each custom field it declares.
pub fn columns<'a>(input: &'a Input<'_>) -> Vec<&'a str> {
    let settings = &input.manual.approval_settings;
    let mut out = CSV_COLUMNS.to_vec();
    if settings.enabled() {
        out.extend(EVIDENCE_COLUMNS);
    }
    if settings.editorial {
        out.extend(EDITORIAL_COLUMNS);
    }
    out.extend(input.site.fields.iter().map(|f| f.name.as_str()));
    out
}

/// The register's CSV columns, in order (documented in the README).
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "title",
    "type",
    "owner",
    "version",
    "status",
    "approved_by",
    "approval_date",
    "review_date",
    "review_status",
    "classification",
    "last_change_date",
    "last_change_author",
    "last_change_commit",
    "changed_since_approval",
    "front_matter_changed_since_approval",
];

/// Register rows for every included document, in id order.
pub fn rows<'a>(manual: &'a Manual) -> Vec<RegisterRow<'a>> {
    manual
        .included()
        .map(|i| {
            let d = &manual.entries[i].doc;
            let hist = manual.history.get(i);
            let last = match (&manual.repo, hist.and_then(|h| h.commits.first())) {
                (Some(repo), Some(&c)) => repo.commits.get(c),
                _ => None,
            };
            let since = hist.and_then(|h| h.since_approval.as_ref());
            let settings = &manual.approval_settings;
            let evidence = settings
                .enabled()
                .then(|| super::approval::view(manual, i))
                .map(Option::unwrap_or_default);
            RegisterRow {
                id: &d.id.value,
                title: &d.title,
                doc_type: d.doc_type.as_str(),
                owner: &d.owner,
                version: &d.version,
                status: d.status.as_str(),
                approved_by: d.approval.as_ref().map_or("", |a| a.by.as_str()),
                approval_date: d.approval.as_ref().map(|a| a.date),
                review_date: manual.next_review(i),
                review_status: manual.review_state(i),
                classification: d.classification.as_str(),
                last_change_date: last.map_or("", |c| c.date.as_str()),
                last_change_author: last.map_or("", |c| c.author.as_str()),
                last_change_commit: last.map_or("", |c| c.short.as_str()),
                changed_since_approval: since.is_some_and(|s| s.body_changed_in.is_some()),
                front_matter_changed_since_approval: since.is_some_and(|s| {
                    s.body_changed_in.is_none() && s.front_matter_changed_in.is_some()
                }),
                url: link::doc_url(&d.id.value),
                fields: d.fields.iter().cloned().collect(),
                approval_commit: evidence.as_ref().map(|e| e.commit_full.clone()),
                approver_identity: evidence.as_ref().map(|e| e.approver.clone()),
                evidence_state: evidence.as_ref().map(|e| e.state),
                editorial_changes_since_approval: settings
                    .editorial
                    .then(|| since.map_or(0, |s| s.editorial.len())),
            }
        })
        .collect()
}

/// One CSV field, quoted when it holds a comma, quote or line break (RFC 4180). A value that a
/// spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return, also after leading spaces or line breaks) gets a leading `'`, as OWASP recommends,
/// so that the cell shows as text.
pub fn csv_escape(value: &str) -> String {
    let formula = value.starts_with(['\t', '\r'])
        || value
            .trim_start_matches([' ', '\n', '\t', '\r'])
            .starts_with(['=', '+', '-', '@']);
    let value: std::borrow::Cow<'_, str> = if formula {
        format!("'{value}").into()
    } else {
        value.into()
    };
    if value.contains([',', '"', '\n', '\r', '\t']) || formula {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.into_owned()
    }
}

fn csv_field(out: &mut String, value: &str) {
    out.push_str(&csv_escape(value));
}

/// The register as CSV (RFC 4180, header row, CRLF line ends), with the columns of
/// [`columns`].
pub fn csv(rows: &[RegisterRow<'_>], input: &Input<'_>) -> String {
    let mut out = String::new();
    for (k, c) in columns(input).iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        csv_field(&mut out, c);
    }
    out.push_str("\r\n");
    for r in rows {
        let review = match r.review_status {
            ReviewState::None => "",
            ReviewState::Ok => "ok",
            ReviewState::DueSoon => "due-soon",
            ReviewState::Overdue => "overdue",
        };
        let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let (approval_date, review_date) = (date(r.approval_date), date(r.review_date));
        let fields: [&str; 16] = [
            r.id,
            r.title,
            r.doc_type,
            r.owner,
            r.version,
            r.status,
            r.approved_by,
            &approval_date,
            &review_date,
            review,
            r.classification,
            r.last_change_date,
            r.last_change_author,
            r.last_change_commit,
            if r.changed_since_approval {
                "yes"
            } else {
                "no"
            },
            if r.front_matter_changed_since_approval {
                "yes"
            } else {
                "no"
            },
        ];
        for (k, f) in fields.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            csv_field(&mut out, f);
        }
        // The evidence and editorial columns (each `None` when book.toml leaves it off).
        let editorial = r.editorial_changes_since_approval.map(|n| n.to_string());
        let extra = [
            r.approval_commit.as_deref(),
            r.approver_identity.as_deref(),
            r.evidence_state,
            editorial.as_deref(),
        ];
        for f in extra.into_iter().flatten() {
            out.push(',');
            csv_field(&mut out, f);
        }
        for f in &input.site.fields {
            out.push(',');
            let value = r
                .fields
                .get(&f.name)
                .map(|v| v.display())
                .unwrap_or_default();
            csv_field(&mut out, &value);
        }
        out.push_str("\r\n");
    }
    out
}

/// The register as JSON: `{ "columns": [...], "documents": [ {...}, ... ] }`.
pub fn json(rows: &[RegisterRow<'_>], input: &Input<'_>) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        generated: &'a str,
        commit: Option<&'a str>,
        profile: Option<&'a str>,
        columns: Vec<&'a str>,
        documents: &'a [RegisterRow<'a>],
    }
    let doc = Doc {
        generated: &input.site.build_date,
        commit: input.site.commit.as_deref(),
        profile: input.site.profile.as_deref(),
        columns: columns(input),
        documents: rows,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[derive(Serialize)]
pub struct RegisterPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    /// The rows of this page (all of them for a register of one page).
    pub rows: &'a [RegisterRow<'a>],
    /// For a register of more than one page.
    pub pager: Option<Pager>,
    /// Approval evidence columns are shown.
    pub evidence: bool,
    /// The editorial-changes column is shown.
    pub editorial: bool,
}

#[derive(Serialize)]
pub struct ReviewsPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub today: String,
    pub window_days: u32,
    pub overdue: Vec<ReviewEntry<'a>>,
    pub due_soon: Vec<ReviewEntry<'a>>,
    pub later: Vec<ReviewEntry<'a>>,
    pub unscheduled: Vec<ReviewEntry<'a>>,
    /// Approved assessments with a `next_due`, in date order (`review_date` is that date and
    /// `state` where it stands).
    pub assessments: Vec<ReviewEntry<'a>>,
    /// Each list's length in all and whether it starts on an earlier page or goes on to a later
    /// one (the lists above hold this page's rows).
    pub info: ReviewsInfo,
    /// For reviews of more than one page.
    pub pager: Option<Pager>,
}

/// Where each list of the reviews page stands on one page of it.
#[derive(Serialize, Default)]
pub struct ReviewsInfo {
    pub overdue: ListInfo,
    pub due_soon: ListInfo,
    pub later: ListInfo,
    pub assessments: ListInfo,
}

/// A row of the reviews page. Templates have read the review state as `state` here (user
/// overrides and the templates of published editions still do), so it keeps that name.
#[derive(Serialize, Clone)]
pub struct ReviewEntry<'a> {
    #[serde(flatten)]
    pub doc: DocRow<'a>,
    pub state: ReviewState,
}

/// Approved documents by review state, each list in date order.
pub fn reviews<'a>(input: &'a Input<'a>, base: Base<'a>) -> ReviewsPage<'a> {
    let manual = input.manual;
    let mut page = ReviewsPage {
        base,
        today: manual.facts.calendar.today.to_string(),
        window_days: manual.facts.calendar.warning_days,
        overdue: Vec::new(),
        due_soon: Vec::new(),
        later: Vec::new(),
        unscheduled: Vec::new(),
        assessments: Vec::new(),
        info: ReviewsInfo::default(),
        pager: None,
    };
    let mut items: Vec<DocRow<'a>> = manual
        .included()
        .filter(|&i| manual.entries[i].doc.status == Status::Approved)
        .map(|i| DocRow::new(manual, i))
        .collect();
    let mut assessments: Vec<ReviewEntry<'a>> = manual
        .included()
        .filter(|&i| manual.entries[i].doc.status == Status::Approved)
        .filter_map(|i| {
            let due = manual.entries[i].doc.next_due.as_ref()?.value;
            let mut doc = DocRow::new(manual, i);
            doc.review_date = Some(due);
            let state = manual
                .facts
                .systems
                .due
                .get(i)
                .copied()
                .unwrap_or(ReviewState::None);
            Some(ReviewEntry { doc, state })
        })
        .collect();
    assessments.sort_by(|a, b| {
        a.doc
            .review_date
            .cmp(&b.doc.review_date)
            .then_with(|| a.doc.id.cmp(b.doc.id))
    });
    page.assessments = assessments;
    items.sort_by(|a, b| {
        a.review_date
            .cmp(&b.review_date)
            .then_with(|| a.id.cmp(b.id))
    });
    for doc in items {
        let state = doc.review_state;
        let item = ReviewEntry { doc, state };
        match state {
            ReviewState::Overdue => page.overdue.push(item),
            ReviewState::DueSoon => page.due_soon.push(item),
            ReviewState::Ok => page.later.push(item),
            ReviewState::None => page.unscheduled.push(item),
        }
    }
    let whole = |list: &Vec<ReviewEntry<'a>>| ListInfo::new(list.len(), &(0..list.len()), true);
    page.info = ReviewsInfo {
        overdue: whole(&page.overdue),
        due_soon: whole(&page.due_soon),
        later: whole(&page.later),
        assessments: whole(&page.assessments),
    };
    page
}

/// How many rows the reviews page lists (overdue, due soon, scheduled, assessments).
fn review_rows(page: &ReviewsPage<'_>) -> [usize; 4] {
    [
        page.overdue.len(),
        page.due_soon.len(),
        page.later.len(),
        page.assessments.len(),
    ]
}

/// Page `k` of the reviews (`whole` holds every row), framed by `base`: each list cut to its
/// rows on that page.
fn reviews_page<'a>(
    whole: &ReviewsPage<'a>,
    base: Base<'a>,
    list: &Pages,
    k: usize,
) -> ReviewsPage<'a> {
    let lens = review_rows(whole);
    let mut ranges: [std::ops::Range<usize>; 4] = Default::default();
    for (g, r) in super::paging::slice_groups(&lens, &list.rows_of(k)) {
        ranges[g] = r;
    }
    let [o, d, l, a] = ranges;
    let cut = |v: &[ReviewEntry<'a>], r: &std::ops::Range<usize>| v[r.clone()].to_vec();
    ReviewsPage {
        base,
        today: whole.today.clone(),
        window_days: whole.window_days,
        info: ReviewsInfo {
            overdue: ListInfo::new(lens[0], &o, k == 0),
            due_soon: ListInfo::new(lens[1], &d, k == 0),
            later: ListInfo::new(lens[2], &l, k == 0),
            assessments: ListInfo::new(lens[3], &a, k == 0),
        },
        overdue: cut(&whole.overdue, &o),
        due_soon: cut(&whole.due_soon, &d),
        later: cut(&whole.later, &l),
        unscheduled: Vec::new(),
        assessments: cut(&whole.assessments, &a),
        pager: list.pager(k, "Pages of the reviews"),
    }
}

#[derive(Serialize)]
pub struct ChangeItem<'a> {
    commit: &'a crate::git::Commit,
    documents: Vec<DocLink<'a>>,
}

#[derive(Serialize)]
pub struct ChangesPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub available: bool,
    pub changes: Vec<ChangeItem<'a>>,
    pub limit: usize,
}

/// How many commits the changes page lists.
pub const CHANGES_LIMIT: usize = 100;

/// The latest commits that changed documents of this build, newest first. Commits that touched
/// only documents outside the build are not listed (their messages could name them).
pub fn changes<'a>(manual: &'a Manual, base: Base<'a>) -> ChangesPage<'a> {
    latest(manual, base, CHANGES_LIMIT)
}

/// The latest `limit` commits that changed documents of this build (see [`changes`]).
pub fn latest<'a>(manual: &'a Manual, base: Base<'a>, limit: usize) -> ChangesPage<'a> {
    let Some(repo) = &manual.repo else {
        return ChangesPage {
            base,
            available: false,
            changes: Vec::new(),
            limit,
        };
    };
    let changes = manual
        .facts
        .changes
        .iter()
        .take(limit)
        .filter_map(|c| {
            Some(ChangeItem {
                commit: repo.commits.get(c.commit)?,
                documents: c
                    .documents
                    .iter()
                    .map(|&i| doc_link(manual, i, ""))
                    .collect(),
            })
        })
        .collect();
    ChangesPage {
        base,
        available: true,
        changes,
        limit,
    }
}

/// This module's pages: the document-control register (HTML, CSV, JSON), the reviews and the
/// recent changes.
pub(crate) fn pages<'s>(shared: &'s Shared<'s>, rows: &'s [RegisterRow<'s>]) -> Vec<Page<'s>> {
    let (input, tera) = (shared.input, shared.tera);
    let list = Pages::new("register.html", rows.len(), input.per_page("register.html"));
    let mut pages: Vec<Page<'s>> = (0..list.count())
        .map(|k| {
            let list = list.clone();
            Page::new(list.path(k), move || {
                let page = RegisterPage {
                    base: shared.base(&list.title("Document-control register", k), "register"),
                    rows: &rows[list.rows_of(k)],
                    pager: list.pager(k, "Pages of the register"),
                    evidence: input.manual.approval_settings.enabled(),
                    editorial: input.manual.approval_settings.editorial,
                };
                write_or_render(
                    input,
                    tera,
                    ("register.html", &REGISTER_TEMPLATES),
                    &page,
                    write_register_page,
                )
            })
        })
        .collect();
    pages.extend(vec![
        Page::new("register.csv", move || Ok(csv(rows, input).into_bytes())),
        Page::new("register.json", move || Ok(json(rows, input).into_bytes())),
    ]);
    // The reviews' pages: how many is known once the lists are made (once, for every page).
    let whole = std::sync::Arc::new(reviews(input, shared.base("Reviews", "reviews")));
    let list = Pages::new(
        "reviews.html",
        review_rows(&whole).iter().sum(),
        input.per_page("reviews.html"),
    );
    for k in 0..list.count() {
        let (list, whole) = (list.clone(), whole.clone());
        pages.push(Page::new(list.path(k), move || {
            if list.count() == 1 {
                return render_one(tera, "reviews.html", &*whole);
            }
            let base = shared.base(&list.title("Reviews", k), "reviews");
            render_one(tera, "reviews.html", &reviews_page(&whole, base, &list, k))
        }));
    }
    pages.extend(vec![Page::new("changes.html", move || {
        render_one(
            tera,
            "changes.html",
            &changes(input.manual, shared.base("Recent changes", "changes")),
        )
    })]);
    pages
}

/// The templates [`write_register_page`] stands in for.
pub const REGISTER_TEMPLATES: [&str; 3] = ["register.html", "base.html", "pager.html"];

/// A page of the register as the built-in `register.html` (in `base.html`) renders it.
pub(crate) fn write_register_page(page: &RegisterPage<'_>, out: &mut Vec<u8>) {
    let base = &page.base;
    let root = base.root;
    chrome::page(out, &Frame::of(base, &["page register"]), base.site, |h| {
        h.raw("\n<h1>")
            .text(&base.page_title)
            .raw("</h1>\n<p>Every controlled document in this build with its control metadata and the facts read from Git. Also as <a href=\"")
            .text(root)
            .raw("register.csv\">CSV</a> and <a href=\"")
            .text(root)
            .raw("register.json\">JSON</a>.</p>\n");
        chrome::pager(h, page.pager.as_ref(), false);
        h.raw("<div class=\"register-tools\" hidden>\n  <label for=\"register-filter\">Filter</label>\n  <input id=\"register-filter\" type=\"search\" placeholder=\"id, title, owner, status…\" autocomplete=\"off\">\n  <span class=\"register-count\" aria-live=\"polite\"></span>");
        if let Some(p) = &page.pager {
            h.raw(" <span class=\"note\">Filters and sorts the ")
                .num((p.last_row + 1).saturating_sub(p.first_row))
                .raw(" rows of this page only; all ")
                .num(p.rows)
                .raw(" are in <a href=\"")
                .text(root)
                .raw("register.csv\">register.csv</a>.</span>");
        }
        h.raw("\n</div>\n<div class=\"table-scroll\">\n<table class=\"register-table\" id=\"register\"")
            .when(page.pager.is_some(), " data-noun=\"documents on this page\"")
            .raw(">\n<thead><tr>\n")
            .raw(TH_STATIC)
            .when(page.evidence, "<th scope=\"col\" data-sort=\"text\">Approval evidence</th>")
            .when(page.editorial, "<th scope=\"col\" data-sort=\"text\">Editorial changes</th>")
            .raw("\n</tr></thead>\n<tbody>\n");
        for r in page.rows {
            h.raw("<tr>\n  <td><a href=\"")
                .text(root)
                .text(&r.url)
                .raw("\">")
                .text(r.id)
                .raw("</a></td><td>")
                .text(r.title)
                .raw("</td><td>")
                .text(r.doc_type)
                .raw("</td><td>")
                .text(r.owner)
                .raw("</td><td>")
                .text(r.version)
                .raw("</td><td><span class=\"status status-")
                .text(r.status)
                .raw("\">")
                .text(r.status)
                .raw("</span></td><td>")
                .text(r.approved_by)
                .raw("</td><td>")
                .date(r.approval_date)
                .raw("</td><td class=\"review review-")
                .raw(r.review_status.as_str())
                .raw("\">")
                .date(r.review_date)
                .raw("</td><td>")
                .text(r.classification)
                .raw("</td><td>");
            if !r.last_change_date.is_empty() {
                h.text(r.last_change_date)
                    .raw(" · ")
                    .text(r.last_change_author)
                    .raw(" · <code>")
                    .text(r.last_change_commit)
                    .raw("</code>");
            }
            h.raw("</td><td>");
            if r.changed_since_approval {
                h.raw("<strong class=\"flag\">yes</strong>");
            } else if r.front_matter_changed_since_approval {
                h.raw("metadata only");
            } else {
                h.raw("no");
            }
            h.raw("</td>");
            if page.evidence {
                h.raw("<td>");
                if let Some(state) = r.evidence_state.filter(|s| !s.is_empty()) {
                    if let Some(c) = r.approval_commit.as_deref().filter(|c| !c.is_empty()) {
                        let short: String = c.chars().take(10).collect();
                        h.raw("<code>").text(&short).raw("</code> · ");
                    }
                    if let Some(who) = r.approver_identity.as_deref().filter(|w| !w.is_empty()) {
                        h.text(who).raw(" · ");
                    }
                    if state == "mismatch" || state == "missing" {
                        h.raw("<strong class=\"flag\">")
                            .text(state)
                            .raw("</strong>");
                    } else {
                        h.text(state);
                    }
                }
                h.raw("</td>");
            }
            if page.editorial {
                h.raw("<td>");
                if let Some(n) = r.editorial_changes_since_approval {
                    h.num(n);
                }
                h.raw("</td>");
            }
            h.raw("\n</tr>\n");
        }
        h.raw("\n</tbody>\n</table>\n</div>\n");
        chrome::pager(h, page.pager.as_ref(), true);
        h.raw("<script src=\"")
            .text(root)
            .raw("assets/register.js\"></script>\n");
    });
}

/// The register's column headings that are always there, as `register.html` writes them.
const TH_STATIC: &str = "  <th scope=\"col\" data-sort=\"text\">Id</th><th scope=\"col\" data-sort=\"text\">Title</th><th scope=\"col\" data-sort=\"text\">Type</th><th scope=\"col\" data-sort=\"text\">Owner</th><th scope=\"col\" data-sort=\"version\">Version</th><th scope=\"col\" data-sort=\"text\">Status</th><th scope=\"col\" data-sort=\"text\">Approved by</th><th scope=\"col\" data-sort=\"text\">Approved</th><th scope=\"col\" data-sort=\"text\">Next review</th><th scope=\"col\" data-sort=\"text\">Classification</th><th scope=\"col\" data-sort=\"text\">Last change</th><th scope=\"col\" data-sort=\"text\">Changed since approval</th>";

#[cfg(test)]
mod tests {
    use super::csv_escape;

    #[test]
    fn formula_cells_are_neutralised() {
        for (raw, cell) in [
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
            ("+1", "\"'+1\""),
            ("-2+3", "\"'-2+3\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("\t=1", "\"'\t=1\""),
            ("\r=1", "\"'\r=1\""),
            ("  =1", "\"'  =1\""),
            ("\n@x", "\"'\n@x\""),
        ] {
            assert_eq!(csv_escape(raw), cell, "{raw:?}");
        }
        for plain in [
            "AIMS-POL-001",
            "1.10",
            "Chief Executive Officer",
            "2026-01-19",
            "a=b",
        ] {
            assert_eq!(csv_escape(plain), plain);
        }
        assert_eq!(csv_escape("a, b"), "\"a, b\"");
    }
}
