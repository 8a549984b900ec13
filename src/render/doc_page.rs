//! What a document's page shows (the views its template reads), and that page written
//! straight from them when the site uses the built-in templates: the same bytes as Tera
//! renders from `document.html`, `base.html` and `control_block.html`, at a fraction of the
//! cost (the template engine was a tenth of a build's time). A site with its own copy of any
//! of the three gets Tera, as before; `tests/document_page.rs` holds the two to the same bytes.

use serde::Serialize;

use super::chrome::{self, Frame, Html, set};
use super::context::{DocLink, RefLink, SiteInfo, ref_link, type_url};
use crate::link;
use crate::link::facts::ReviewState;
use crate::markdown::Heading;
use jiff::civil::Date;

#[derive(Serialize)]
pub(crate) struct MaybeLink<'a> {
    id: &'a str,
    title: &'a str,
    /// Empty when the document is not part of this build.
    url: String,
}

#[derive(Serialize)]
pub struct DocView<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(rename = "type")]
    doc_type: &'static str,
    type_label: &'static str,
    type_url: String,
    owner: &'a str,
    version: &'a str,
    status: &'static str,
    approval_by: Option<&'a str>,
    #[serde(serialize_with = "date_or_none")]
    approval_date: Option<Date>,
    /// The approval's evidence (only when book.toml asks for it).
    approval_evidence: Option<super::approval::ApprovalView>,
    #[serde(serialize_with = "date_or_none")]
    review_date: Option<Date>,
    review_cycle: Option<&'a str>,
    review_state: ReviewState,
    classification: &'static str,
    retention: Option<&'a str>,
    summary: Option<&'a str>,
    audience: &'a [String],
    /// Whether everyone must read it (`audience: all-staff`).
    for_everyone: bool,
    /// Where a reader confirms having read it (`[book] ack-url`), for documents for everyone.
    ack_url: Option<String>,
    /// Where its source is edited (`[book] edit-url-template`).
    edit_url: Option<String>,
    clauses: Vec<RefLink>,
    controls: Vec<RefLink>,
    /// The declared custom fields the document gives.
    fields: Vec<FieldView<'a>>,
    /// References to the other enabled standards, by standard.
    standards: Vec<super::standard_refs::DocStandard>,
    supersedes: Vec<MaybeLink<'a>>,
    related: Vec<MaybeLink<'a>>,
    /// The AI systems it names that are part of this build (linked to their pages).
    systems: Vec<MaybeLink<'a>>,
    /// What it is for them (`record_kind`), as labels.
    record_kinds: Vec<&'static str>,
    #[serde(serialize_with = "date_or_none")]
    next_due: Option<Date>,
    next_due_state: ReviewState,
    source: &'a str,
}

/// An optional date as `YYYY-MM-DD` or null.
fn date_or_none<S: serde::Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

impl<'a> DocView<'a> {
    /// The control block's view of entry `i`: fields borrowed from the document, its review
    /// state the one link computed.
    pub(crate) fn new(
        manual: &'a link::Manual,
        i: usize,
        site: &'a super::context::SiteInfo,
    ) -> DocView<'a> {
        let declared = &site.fields;
        let e = &manual.entries[i];
        let d = &e.doc;
        let maybe = |id: &'a str| -> MaybeLink<'a> {
            match manual.by_id.get(id) {
                Some(&t) if manual.is_included(t) => MaybeLink {
                    id,
                    title: &manual.entries[t].doc.title,
                    url: link::doc_url(id),
                },
                _ => MaybeLink {
                    id,
                    title: "",
                    url: String::new(),
                },
            }
        };
        DocView {
            id: &d.id.value,
            title: &d.title,
            doc_type: d.doc_type.as_str(),
            type_label: d.doc_type.plural(),
            type_url: type_url(d.doc_type),
            owner: &d.owner,
            version: &d.version,
            status: d.status.as_str(),
            approval_by: d.approval.as_ref().map(|a| a.by.as_str()),
            approval_date: d.approval.as_ref().map(|a| a.date),
            approval_evidence: super::approval::view(manual, i),
            review_date: manual.next_review(i),
            review_cycle: d.review_cycle.as_deref(),
            review_state: manual.review_state(i),
            classification: d.classification.as_str(),
            retention: d.retention.as_deref(),
            summary: d.summary.as_deref(),
            audience: &d.audience,
            for_everyone: d.for_everyone(),
            ack_url: super::context::ack_url(site, d),
            edit_url: site.edit_url_template.as_deref().map(|t| {
                crate::config::fill_url(t, &[("path", &e.src.display), ("id", &d.id.value)])
            }),
            clauses: d.clauses.iter().map(|c| ref_link(&c.value)).collect(),
            controls: d.controls.iter().map(|c| ref_link(&c.value)).collect(),
            standards: super::standard_refs::doc_standards(manual, d),
            fields: declared
                .iter()
                .filter_map(|f| {
                    let v = d.fields.iter().find(|(n, _)| *n == f.name)?;
                    Some(FieldView {
                        label: &f.label,
                        value: v.1.display(),
                    })
                })
                .collect(),
            supersedes: d.supersedes.iter().map(|s| maybe(&s.value)).collect(),
            related: d.related.iter().map(|s| maybe(&s.value)).collect(),
            // Systems outside the build are left out, not even named by id.
            systems: d
                .systems
                .iter()
                .filter_map(|s| {
                    let t = *manual.by_id.get(&s.value)?;
                    manual.facts.systems.system(t)?;
                    manual.is_included(t).then(|| MaybeLink {
                        id: &s.value,
                        title: &manual.entries[t].doc.title,
                        url: link::systems::system_url(&s.value),
                    })
                })
                .collect(),
            record_kinds: d.record_kinds.iter().map(|k| k.label()).collect(),
            next_due: d.next_due.as_ref().map(|n| n.value),
            next_due_state: manual
                .facts
                .systems
                .due
                .get(i)
                .copied()
                .unwrap_or(ReviewState::None),
            source: &e.src.display,
        }
    }
}

/// A custom field in the control block.
#[derive(Serialize)]
pub struct FieldView<'a> {
    label: &'a str,
    value: String,
}

#[derive(Serialize)]
pub struct Banner {
    pub(crate) kind: &'static str,
    pub(crate) label: &'static str,
    pub(crate) text: String,
    pub(crate) link_url: Option<String>,
    pub(crate) link_text: Option<String>,
}

/// A document page's context, except `site`: that is the same on every page and converted for
/// the template engine once (see [`render_with_site`]).
#[derive(Serialize)]
pub(crate) struct DocPage<'a> {
    pub(crate) root: &'static str,
    pub(crate) page_title: String,
    pub(crate) current: &'a str,
    pub(crate) doc: DocView<'a>,
    pub(crate) banners: Vec<Banner>,
    pub(crate) body: String,
    pub(crate) toc: &'a [Heading],
    pub(crate) backlinks: Vec<DocLink<'a>>,
    pub(crate) prev: Option<DocLink<'a>>,
    pub(crate) next: Option<DocLink<'a>>,
    pub(crate) history: Vec<HistoryEntry<'a>>,
    /// Whether Git history was available at all.
    pub(crate) has_history: bool,
    pub(crate) uncommitted: bool,
}

/// One row of the revision history.
#[derive(Serialize)]
pub(crate) struct HistoryEntry<'a> {
    #[serde(flatten)]
    pub(crate) commit: &'a crate::git::Commit,
    /// An editorial change since the approval (see [`crate::link::control::SinceApproval`]).
    pub(crate) editorial: bool,
}

/// The templates [`write`] stands in for: when a site's copies of all three are the built-in
/// ones, document pages are written by it.
pub const TEMPLATES: [&str; 3] = ["document.html", "base.html", "control_block.html"];

/// `page` as the built-in `document.html` (in `base.html`) renders it, appended to `out`.
pub(crate) fn write(page: &DocPage<'_>, site: &SiteInfo, out: &mut Vec<u8>) {
    let frame = Frame {
        root: page.root,
        current: page.current,
        title: &page.page_title,
        body_class: &["page document doc-status-", page.doc.status],
    };
    super::chrome::page(out, &frame, site, |h| main(h, page));
}

/// `document.html`'s `main` block.
fn main(h: &mut Html<'_>, page: &DocPage<'_>) {
    let root = page.root;
    let doc = &page.doc;
    h.raw("\n<article class=\"doc\" aria-labelledby=\"doc-title\">\n<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><ol><li><a href=\"")
        .text(root)
        .raw("index.html\">Home</a></li><li><a href=\"")
        .text(root)
        .text(&doc.type_url)
        .raw("\">")
        .text(doc.type_label)
        .raw("</a></li><li aria-current=\"page\">")
        .text(doc.id)
        .raw("</li></ol></nav>\n");
    if doc.doc_type == "ai-system" && doc.status != "withdrawn" {
        h.raw("<p class=\"no-print system-link\"><a href=\"")
            .text(root)
            .raw("system/")
            .text(doc.id)
            .raw(".html\">Facts and records checklist of this AI system</a></p>");
    }
    h.raw("\n<!--aims:print-->\n<header class=\"doc-header\">\n  <p class=\"doc-id\">")
        .text(doc.id)
        .raw("</p>\n  <h1 id=\"doc-title\">")
        .text(doc.title)
        .raw("</h1>\n</header>\n");
    if let Some(summary) = doc.summary.filter(|s| !s.is_empty()) {
        h.raw("<p class=\"doc-summary\"><strong>In short:</strong> ")
            .text(summary)
            .raw("</p>\n");
    }
    for b in &page.banners {
        h.raw("\n<div class=\"banner banner-")
            .text(b.kind)
            .raw("\" role=\"note\"><strong>")
            .text(b.label)
            .raw(":</strong> ")
            .text(&b.text);
        if let Some(url) = b.link_url.as_deref().filter(|u| !u.is_empty()) {
            h.raw(" <a href=\"")
                .text(url)
                .raw("\">")
                .text(b.link_text.as_deref().unwrap_or(""))
                .raw("</a>");
        }
        h.raw("</div>\n");
    }
    h.raw("\n<details class=\"control-details\">\n<summary class=\"control-strip\"><span class=\"visually-hidden\">Document control: </span>Version ")
        .text(doc.version)
        .raw(" · <span class=\"status status-")
        .text(doc.status)
        .raw("\">")
        .text(doc.status)
        .raw("</span> · ")
        .text(doc.owner);
    if doc.review_date.is_some() {
        h.raw(" · next review <span class=\"review review-")
            .raw(doc.review_state.as_str())
            .raw("\">")
            .date(doc.review_date)
            .raw("</span>");
    }
    h.raw(" · <span class=\"classification classification-")
        .text(doc.classification)
        .raw("\">")
        .text(doc.classification)
        .raw("</span><span class=\"strip-more\">all details</span></summary>\n");
    control_block(h, root, doc);
    h.raw("\n</details>\n");
    if page.toc.len() > 2 {
        h.raw("\n<nav class=\"toc\" aria-label=\"On this page\">\n<h2>On this page</h2>\n<ol>");
        for t in page.toc {
            h.raw("<li class=\"toc-level-")
                .num(usize::from(t.level))
                .raw("\"><a href=\"#")
                .text(&t.slug)
                .raw("\">")
                .text(&t.text)
                .raw("</a></li>");
        }
        h.raw("</ol>\n</nav>\n");
    }
    h.raw("\n<div class=\"doc-body\">\n")
        .raw(&page.body)
        .raw("\n</div>\n<!--/aims:print-->\n");
    if doc.for_everyone || set(doc.edit_url.as_deref()) {
        h.raw("<div class=\"doc-actions no-print\">\n");
        if doc.for_everyone {
            h.raw("<p>Every member of staff must read this document.");
            if let Some(ack) = doc.ack_url.as_deref().filter(|a| !a.is_empty()) {
                h.raw(" <a class=\"button ack\" href=\"")
                    .text(ack)
                    .raw("\">Confirm you have read version ")
                    .text(doc.version)
                    .raw("</a>");
            }
            h.raw("</p>");
        }
        h.raw("\n");
        if let Some(edit) = doc.edit_url.as_deref().filter(|e| !e.is_empty()) {
            h.raw("<p><a class=\"edit-link\" href=\"")
                .text(edit)
                .raw("\">Edit this page</a> (the source is <code>")
                .text(doc.source)
                .raw("</code>)</p>");
        }
        h.raw("\n</div>\n");
    }
    history(h, page);
    h.raw("\n<section class=\"backlinks\" aria-labelledby=\"backlinks-title\">\n<h2 id=\"backlinks-title\">Referenced by</h2>\n");
    if page.backlinks.is_empty() {
        h.raw("\n<p class=\"empty\">No other document in this build links here.</p>\n");
    } else {
        h.raw("\n<ul>");
        chrome::doc_items(h, root, &page.backlinks);
        h.raw("</ul>\n");
    }
    h.raw("\n</section>\n<nav class=\"prev-next\" aria-label=\"Previous and next ")
        .text(&doc.type_label.to_lowercase())
        .raw("\">\n");
    if let Some(p) = &page.prev {
        h.raw("<a rel=\"prev\" href=\"")
            .text(root)
            .text(&p.url)
            .raw("\">← ")
            .text(p.id)
            .raw(" ")
            .text(p.title)
            .raw("</a>");
    }
    h.raw("\n");
    if let Some(n) = &page.next {
        h.raw("<a rel=\"next\" href=\"")
            .text(root)
            .text(&n.url)
            .raw("\">")
            .text(n.id)
            .raw(" ")
            .text(n.title)
            .raw(" →</a>");
    }
    h.raw("\n</nav>\n</article>\n");
}

fn history(h: &mut Html<'_>, page: &DocPage<'_>) {
    h.raw("<section class=\"history\" aria-labelledby=\"history-title\">\n<h2 id=\"history-title\">Revision history</h2>\n");
    match (page.history.first(), page.history.last()) {
        (Some(newest), Some(oldest)) => {
            h.raw("\n<table class=\"history-table\">\n<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Author</th><th scope=\"col\">Commit</th><th scope=\"col\">Change</th></tr></thead>\n<tbody>\n")
                .when(page.uncommitted, "<tr class=\"uncommitted\"><td colspan=\"4\">Uncommitted changes in the working tree</td></tr>")
                .raw("\n");
            for c in &page.history {
                h.raw("<tr><td>")
                    .text(&c.commit.date)
                    .raw("</td><td>")
                    .text(&c.commit.author)
                    .raw("</td><td><code>")
                    .text(&c.commit.short)
                    .raw("</code></td><td>")
                    .text(&c.commit.subject)
                    .when(c.editorial, " <em class=\"editorial\">(editorial)</em>")
                    .raw("</td></tr>\n");
            }
            h.raw("\n</tbody>\n</table>\n<p class=\"history-summary\">First change ")
                .text(&oldest.commit.date)
                .raw(", last change ")
                .text(&newest.commit.date)
                .raw("; ")
                .num(page.history.len())
                .raw(" commit(s).</p>\n");
        }
        _ if page.has_history => {
            h.raw("\n<p class=\"empty\">Not committed yet.</p>\n");
        }
        _ => {
            h.raw("\n<p class=\"empty\">Revision history is unavailable (this build did not run in a Git repository).</p>\n");
        }
    }
    h.raw("\n</section>");
}

/// `control_block.html`.
fn control_block(h: &mut Html<'_>, root: &str, doc: &DocView<'_>) {
    h.raw("<section class=\"control-block\" aria-label=\"Document control of ")
        .text(doc.id)
        .raw("\">\n<h2 class=\"visually-hidden\">Document control</h2>\n<dl>\n  <div><dt>Document id</dt><dd>")
        .text(doc.id)
        .raw("</dd></div>\n  <div><dt>Type</dt><dd>")
        .text(doc.doc_type)
        .raw("</dd></div>\n  <div><dt>Version</dt><dd>")
        .text(doc.version)
        .raw("</dd></div>\n  <div><dt>Status</dt><dd><span class=\"status status-")
        .text(doc.status)
        .raw("\">")
        .text(doc.status)
        .raw("</span></dd></div>\n  <div><dt>Owner</dt><dd>")
        .text(doc.owner)
        .raw("</dd></div>\n  ");
    if let Some(by) = doc.approval_by.filter(|b| !b.is_empty()) {
        h.raw("<div><dt>Approved by</dt><dd>");
        match &doc.approval_evidence {
            Some(ev) => {
                h.text(by).raw(" on ").date(doc.approval_date).raw(" ");
                if ev.state == "mismatch" || ev.state == "missing" {
                    h.raw("<strong class=\"flag evidence evidence-")
                        .text(ev.state)
                        .raw("\">")
                        .text(&ev.summary)
                        .raw("</strong>");
                } else {
                    h.raw("<span class=\"evidence evidence-")
                        .text(ev.state)
                        .raw("\">")
                        .text(&ev.summary)
                        .raw("</span>");
                }
                if ev.editorial != 0 {
                    h.raw("; ")
                        .num(ev.editorial)
                        .raw(" editorial change(s) since");
                }
            }
            None => {
                h.text(by).raw(", ").date(doc.approval_date);
            }
        }
        h.raw("</dd></div>");
    }
    h.raw("\n  ");
    if doc.review_date.is_some() {
        h.raw("<div><dt>Next review</dt><dd class=\"review review-")
            .raw(doc.review_state.as_str())
            .raw("\">")
            .date(doc.review_date);
        if let Some(cycle) = doc.review_cycle.filter(|c| !c.is_empty()) {
            h.raw(" (").text(cycle).raw(" cycle)");
        }
        h.raw("</dd></div>");
    }
    h.raw("\n  <div><dt>Classification</dt><dd><span class=\"classification classification-")
        .text(doc.classification)
        .raw("\">")
        .text(doc.classification)
        .raw("</span></dd></div>\n  ");
    if !doc.audience.is_empty() {
        h.raw("<div><dt>Audience</dt><dd>");
        for (k, a) in doc.audience.iter().enumerate() {
            if a == "all-staff" {
                h.raw("all staff");
            } else {
                h.text(a);
            }
            h.when(k + 1 < doc.audience.len(), ", ");
        }
        h.raw("</dd></div>");
    }
    if let Some(r) = doc.retention.filter(|r| !r.is_empty()) {
        h.raw("<div><dt>Retention</dt><dd>")
            .text(r)
            .raw("</dd></div>");
    }
    h.raw("\n  ");
    ref_list(h, root, "Clauses", &doc.clauses);
    h.raw("\n  ");
    ref_list(h, root, "Annex A controls", &doc.controls);
    h.raw("\n");
    for f in &doc.fields {
        h.raw("  <div><dt>")
            .text(f.label)
            .raw("</dt><dd>")
            .text(&f.value)
            .raw("</dd></div>\n");
    }
    for s in &doc.standards {
        h.raw("  <div><dt>")
            .text(&s.standard)
            .raw("</dt><dd><ul class=\"refs\">");
        ref_items(h, root, &s.refs);
        h.raw("</ul></dd></div>\n");
    }
    h.raw("  ");
    maybe_list(h, root, "Supersedes", &doc.supersedes);
    h.raw("\n  ");
    maybe_list(h, root, "Related", &doc.related);
    h.raw("\n  ");
    if !doc.systems.is_empty() {
        h.raw("<div><dt>AI systems</dt><dd><ul class=\"refs\">");
        for d in &doc.systems {
            h.raw("<li><a href=\"")
                .text(root)
                .text(&d.url)
                .raw("\">")
                .text(d.title)
                .raw("</a></li>");
        }
        h.raw("</ul></dd></div>");
    }
    if !doc.record_kinds.is_empty() {
        h.raw("<div><dt>Record of</dt><dd>")
            .text(&doc.record_kinds.join("; "))
            .raw("</dd></div>");
    }
    if doc.next_due.is_some() {
        h.raw("<div><dt>Assessment due again</dt><dd class=\"assessment assessment-")
            .raw(doc.next_due_state.as_str())
            .raw("\">")
            .date(doc.next_due)
            .when(doc.next_due_state == ReviewState::Overdue, " (overdue)")
            .raw("</dd></div>");
    }
    h.raw("<div><dt>Source</dt><dd><code>")
        .text(doc.source)
        .raw("</code></dd></div>\n</dl>\n</section>\n");
}

fn ref_items(h: &mut Html<'_>, root: &str, refs: &[RefLink]) {
    for c in refs {
        h.raw("<li><a href=\"")
            .text(root)
            .text(&c.url)
            .raw("\" title=\"")
            .text(&c.title)
            .raw("\">")
            .text(&c.id)
            .raw("</a></li>");
    }
}

fn ref_list(h: &mut Html<'_>, root: &str, label: &str, refs: &[RefLink]) {
    if !refs.is_empty() {
        h.raw("<div><dt>")
            .raw(label)
            .raw("</dt><dd><ul class=\"refs\">");
        ref_items(h, root, refs);
        h.raw("</ul></dd></div>");
    }
}

fn maybe_list(h: &mut Html<'_>, root: &str, label: &str, docs: &[MaybeLink<'_>]) {
    if docs.is_empty() {
        return;
    }
    h.raw("<div><dt>")
        .raw(label)
        .raw("</dt><dd><ul class=\"refs\">");
    for d in docs {
        h.raw("<li>");
        if d.url.is_empty() {
            h.text(d.id);
        } else {
            h.raw("<a href=\"")
                .text(root)
                .text(&d.url)
                .raw("\">")
                .text(d.id)
                .raw("</a> ")
                .text(d.title);
        }
        h.raw("</li>");
    }
    h.raw("</ul></dd></div>");
}
