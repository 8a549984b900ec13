//! One document's page: its control block, banners, rendered body and history; its section of
//! print.html; and the memo that lets `serve` reuse unchanged pages.

use std::sync::LazyLock;

use super::context::{Input, doc_link, render_with_site};
use super::doc_page::{Banner, DocPage, DocView, HistoryEntry};
use super::highlight;
use super::markdown::{self, HtmlMode, Resolver};
use crate::config::RawHtml;
use crate::diagnostic::Diagnostic;
use crate::link;
use crate::link::facts::ReviewState;
use crate::markdown::{Heading, Resolved};
use crate::model::Status;

pub(crate) struct DocResolver<'a> {
    resolved: &'a [Resolved],
    highlights: &'a crate::cache::Store,
}

impl Resolver for DocResolver<'_> {
    fn link(&self, index: usize) -> Resolved {
        self.resolved
            .get(index)
            .cloned()
            .unwrap_or(Resolved::AsWritten)
    }

    fn mention_href(&self, id: &str) -> String {
        format!("../{}", link::clause_url(id))
    }

    fn highlight(&self, code: &str, lang: &str) -> String {
        let key = crate::cache::key(&[
            highlight::VERSION.as_bytes(),
            lang.as_bytes(),
            code.as_bytes(),
        ]);
        if let Some(html) = self
            .highlights
            .get(&key)
            .and_then(|b| String::from_utf8(b).ok())
        {
            return html;
        }
        let html = highlight::highlight(code, lang);
        self.highlights.put(key, html.clone().into_bytes());
        html
    }
}

pub(crate) static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["class", "id", "title", "data-lang", "role"]);
    b.add_tags([
        "details",
        "summary",
        "figure",
        "figcaption",
        "mark",
        "kbd",
        "abbr",
        "input",
    ]);
    b.add_tag_attributes("input", ["type", "checked", "disabled"]);
    b.link_rel(None);
    b
});

pub(crate) fn render_document(
    input: &Input<'_>,
    tera: &tera::Tera,
    site: &tera::Value,
    i: usize,
    (prev, next): (Option<usize>, Option<usize>),
    shared_key: &crate::cache::Key,
) -> Result<DocOutput, Diagnostic> {
    let manual = input.manual;
    let e = &manual.entries[i];
    let d = &e.doc;
    let root = "../";
    let mut page = DocPage {
        root,
        page_title: format!("{} {}", d.id.value, d.title),
        current: "",
        doc: DocView::new(manual, i, &input.site),
        banners: banners(input, i),
        body: String::new(),
        toc: &e.scan.headings,
        backlinks: manual.backlinks[i]
            .iter()
            .map(|&b| doc_link(manual, b, ""))
            .collect(),
        prev: prev.map(|p| doc_link(manual, p, "")),
        next: next.map(|n| doc_link(manual, n, "")),
        history: match (&manual.repo, manual.history.get(i)) {
            (Some(repo), Some(h)) => h
                .commits
                .iter()
                .filter_map(|&c| {
                    Some(HistoryEntry {
                        commit: repo.commits.get(c)?,
                        editorial: h
                            .since_approval
                            .as_ref()
                            .is_some_and(|s| s.editorial.contains(&c)),
                    })
                })
                .collect(),
            _ => Vec::new(),
        },
        has_history: manual.repo.is_some(),
        uncommitted: manual.history.get(i).is_some_and(|h| h.uncommitted),
    };

    // Documents with a section of their own in print.html.
    let printed = |id: &str| {
        manual.by_id.get(id).is_some_and(|&j| {
            manual.is_included(j) && manual.entries[j].doc.status != Status::Withdrawn
        })
    };
    // Unchanged inputs since the last build (in serve): reuse that build's page.
    let path = link::doc_url(&d.id.value);
    let key = input.memo.map(|_| {
        let context = serde_json::to_vec(&page).unwrap_or_default();
        let resolved = format!("{:?}", manual.resolved[i]);
        crate::cache::key(&[
            &context,
            e.src.text.as_bytes(),
            resolved.as_bytes(),
            &input.theme_key,
            &[input.raw_html as u8],
            shared_key,
        ])
    });
    // The page is kept as the previous output has it: neither read back nor rewritten.
    if let (Some(memo), Some(key)) = (input.memo, key)
        && let Some(memoized) = memo.lookup(&path, &key)
        && input.previous.is_some_and(|previous| previous.has(&path))
    {
        let (search, print) = (
            memoized.search.clone(),
            memoized.print.as_ref().map(|p| p.to_vec()),
        );
        memo.keep(&path, memoized);
        memo.reused
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Ok(DocOutput {
            path,
            bytes: None,
            search,
            print,
        });
    }
    let (body, search, skip_title) = render_body(input, i);
    if skip_title {
        page.toc = &e.scan.headings[1..];
    }
    // The page around the body is a few kilobytes, more with a long history.
    let size = body.len() + 16 * 1024 + page.history.len() * 160;
    page.body = body;
    let bytes = if input.built_in(&super::doc_page::TEMPLATES) {
        let mut bytes = Vec::with_capacity(size);
        super::doc_page::write(&page, &input.site, &mut bytes);
        bytes
    } else {
        render_with_site(tera, "document.html", &page, site, size)?
    };
    // The body alone serves print.html when a user template has no print markers.
    let print = (d.status != Status::Withdrawn)
        .then(|| print_section(&d.id.value, &bytes, &page.body, &printed));
    if let (Some(memo), Some(key)) = (input.memo, key) {
        memo.keep(
            &path,
            super::context::Memoized {
                key,
                search: search.clone(),
                print: print.clone().map(std::sync::Arc::new),
            },
        );
    }
    Ok(DocOutput {
        path,
        bytes: Some(bytes),
        search,
        print,
    })
}

/// The banners above a document: draft, withdrawn (with its successor), changed since approval,
/// not public (in a preview), review overdue or due soon.
fn banners(input: &Input<'_>, i: usize) -> Vec<Banner> {
    let manual = input.manual;
    let d = &manual.entries[i].doc;
    let root = "../";
    let mut banners = Vec::new();
    match d.status {
        Status::Draft | Status::InReview => banners.push(Banner {
            kind: "draft",
            label: "Draft",
            text: format!(
                "This document is {} and not approved; it is not in force.",
                d.status
            ),
            link_url: None,
            link_text: None,
        }),
        Status::Withdrawn => {
            let by = manual.superseded_by[i]
                .first()
                .map(|&s| doc_link(manual, s, root));
            banners.push(Banner {
                kind: "withdrawn",
                label: "Withdrawn",
                text: "This document is obsolete and kept for retention only.".to_string(),
                link_url: by.as_ref().map(|b| format!("{}.html", b.id)),
                link_text: by.map(|b| format!("Superseded by {} {}", b.id, b.title)),
            });
        }
        Status::Approved => {}
    }
    if let Some(since) = manual
        .history
        .get(i)
        .and_then(|h| h.since_approval.as_ref())
        && let Some(repo) = &manual.repo
    {
        let at = |a: crate::link::control::At| match a {
            crate::link::control::At::WorkingTree => "uncommitted changes".to_string(),
            crate::link::control::At::Commit(c) => {
                let c = &repo.commits[c];
                format!("commit {} on {} by {}", c.short, c.date, c.author)
            }
        };
        if let Some(b) = since.body_changed_in {
            banners.push(Banner {
                kind: "changed",
                label: "Changed since approval",
                text: format!(
                    "The text was edited after version {} was approved ({}), without a new version or approval.",
                    d.version,
                    at(b)
                ),
                link_url: None,
                link_text: None,
            });
        } else if let Some(f) = since.front_matter_changed_in {
            banners.push(Banner {
                kind: "metadata-changed",
                label: "Metadata changed since approval",
                text: format!("Document-control fields were edited after approval ({}); the text is unchanged.", at(f)),
                link_url: None,
                link_text: None,
            });
        }
    }
    if input.preview && d.classification != crate::model::Classification::Public {
        banners.push(Banner {
            kind: "classification",
            label: "Not public",
            text: format!(
                "This document is classified {}; this preview shows it, a published site follows its profile.",
                d.classification.as_str()
            ),
            link_url: None,
            link_text: None,
        });
    }
    match manual.review_state(i) {
        ReviewState::Overdue => banners.push(Banner {
            kind: "overdue",
            label: "Review overdue",
            text: format!(
                "The scheduled review on {} has not been recorded.",
                d.review_date.map(|r| r.to_string()).unwrap_or_default()
            ),
            link_url: None,
            link_text: None,
        }),
        ReviewState::DueSoon => banners.push(Banner {
            kind: "due-soon",
            label: "Review due soon",
            text: format!(
                "The next review is due on {}.",
                d.review_date.map(|r| r.to_string()).unwrap_or_default()
            ),
            link_url: None,
            link_text: None,
        }),
        _ => {}
    }
    banners
}

/// Entry `i`'s body as HTML (links resolved, code highlighted, raw HTML as book.toml says, a
/// first heading that repeats the title dropped), its search entry, and whether that heading
/// was dropped.
fn render_body(input: &Input<'_>, i: usize) -> (String, super::search::SearchDoc, bool) {
    let manual = input.manual;
    let e = &manual.entries[i];
    let d = &e.doc;
    let body_src = &e.src.text[e.src.split.body.clone()];
    let mode = match input.raw_html {
        RawHtml::Escape => HtmlMode::Escape,
        RawHtml::Sanitize | RawHtml::Allow => HtmlMode::Keep,
    };
    let resolver = DocResolver {
        resolved: &manual.resolved[i],
        highlights: input.highlights,
    };
    let rendered = markdown::render(body_src, &e.scan, &resolver, mode);
    let mut body = rendered.html;
    if input.raw_html == RawHtml::Sanitize && e.scan.has_raw_html {
        body = SANITIZER.clean(&body).to_string();
    }
    let skip_title = title_heading(&e.scan.headings, &d.title);
    if skip_title {
        body = drop_title_heading(body);
    }
    let refs: Vec<&str> = d
        .clauses
        .iter()
        .chain(&d.controls)
        .map(|c| c.value.as_str())
        .collect();
    let search = super::search::doc_entry(super::search::DocFields {
        id: &d.id.value,
        title: &d.title,
        url: link::doc_url(&d.id.value),
        doc_type: d.doc_type.as_str(),
        owner: &d.owner,
        refs: &refs,
        headings: &e.scan.headings,
        text: &rendered.text,
        sections: &rendered.sections,
    });
    (body, search, skip_title)
}

/// A document's section of print.html: the part of its page between `<!--aims:print-->` and
/// `<!--/aims:print-->` (heading, banners, control block, body), ids and links rewritten.
/// `printed` says whether a document has its own section in print.html; links to one that has
/// not (a withdrawn document) go to its page instead.
pub(crate) fn print_section(
    id: &str,
    page: &[u8],
    fallback_body: &str,
    printed: &dyn Fn(&str) -> bool,
) -> Vec<u8> {
    // Rendered pages are UTF-8 (checking is much cheaper than the lossy conversion's walk).
    let text = match std::str::from_utf8(page) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(page),
    };
    // memchr's vectorised search: str::find walked each page twice.
    let find = |marker: &str| memchr::memmem::find(text.as_bytes(), marker.as_bytes());
    let inner = match (find("<!--aims:print-->"), find("<!--/aims:print-->")) {
        (Some(a), Some(b)) if a < b => &text[a + "<!--aims:print-->".len()..b],
        _ => fallback_body,
    };
    // The control block folds behind its one-line strip on screen; on paper it is open.
    let inner = inner.replacen(
        "<details class=\"control-details\">",
        "<details class=\"control-details\" open>",
        1,
    );
    let mut out = String::with_capacity(inner.len() + 384);
    out.push_str("<article class=\"print-doc\" id=\"doc-");
    out.push_str(id);
    out.push_str("\">");
    print_body_into(&mut out, id, &inner, printed);
    out.push_str("</article>\n");
    out.into_bytes()
}

/// One document's page, its search entry and its section of the print page.
pub(crate) struct DocOutput {
    pub(crate) path: String,
    /// `None`: the previous output's page is kept as it is.
    pub(crate) bytes: Option<Vec<u8>>,
    pub(crate) search: super::search::SearchDoc,
    pub(crate) print: Option<Vec<u8>>,
}

/// Whether the body opens with a level-1 heading that repeats the document's title (the page
/// shows the title already).
fn title_heading(headings: &[Heading], title: &str) -> bool {
    headings
        .first()
        .is_some_and(|h| h.level == 1 && h.text.trim() == title.trim())
}

/// The body without its opening `<h1 id="…">…</h1>`; an empty element keeps the id, so links to
/// that anchor still land at the top. Bodies that do not open with the heading stay as they are.
fn drop_title_heading(body: String) -> String {
    let Some(rest) = body.strip_prefix("<h1 id=\"") else {
        return body;
    };
    let (Some(id_end), Some(close)) = (rest.find('"'), rest.find("</h1>")) else {
        return body;
    };
    if id_end > close {
        return body;
    }
    let after = rest[close + "</h1>".len()..].trim_start_matches('\n');
    format!("<span id=\"{}\"></span>\n{after}", &rest[..id_end])
}

/// A document body as it reads inside print.html: heading ids prefixed with the document id so
/// they stay unique, links to other documents turned into links within the page. Only our own
/// markup is rewritten: `id="..."` and `href="..."` attributes, which the render writes itself.
pub fn print_body(id: &str, body: &str, printed: &dyn Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(body.len() + 256);
    print_body_into(&mut out, id, body, printed);
    out
}

/// [`print_body`], appended to `out`.
fn print_body_into(out: &mut String, id: &str, body: &str, printed: &dyn Fn(&str) -> bool) {
    let finder = memchr::memmem::Finder::new("=\"");
    let mut last = 0;
    for at in finder.find_iter(body.as_bytes()) {
        let attr_start = body[..at]
            .rfind(|c: char| !c.is_ascii_alphanumeric())
            .map_or(0, |p| p + 1);
        let attr = &body[attr_start..at];
        if (attr != "href" && attr != "id") || at < last {
            continue;
        }
        let value_start = at + 2;
        let Some(len) = body[value_start..].find('"') else {
            break;
        };
        let v = &body[value_start..value_start + len];
        // The new value in pieces, written straight into `out`.
        let replaced: Option<[&str; 4]> = if attr == "id" {
            Some([id, "--", v, ""])
        } else if let Some(anchor) = v.strip_prefix('#') {
            Some(["#", id, "--", anchor])
        } else if let Some(rest) = v.strip_prefix("../") {
            Some([rest, "", "", ""])
        } else if let Some((doc, anchor)) = v.split_once(".html")
            && !doc.contains(['/', ':'])
            && crate::model::frontmatter::valid_id(doc)
        {
            Some(match anchor.strip_prefix('#') {
                _ if !printed(doc) => ["doc/", doc, ".html", anchor],
                Some(a) => ["#", doc, "--", a],
                None => ["#doc-", doc, "", ""],
            })
        } else {
            None
        };
        if let Some(pieces) = replaced {
            out.push_str(&body[last..value_start]);
            for p in pieces {
                out.push_str(p);
            }
            last = value_start + len;
        }
    }
    out.push_str(&body[last..]);
}

#[cfg(test)]
mod print_tests {
    use super::{drop_title_heading, print_body};

    #[test]
    fn a_heading_repeating_the_title_is_dropped_but_its_anchor_kept() {
        let body =
            "<h1 id=\"ai-policy\">AI Policy</h1>\n<h2 id=\"purpose\">Purpose</h2>\n".to_string();
        assert_eq!(
            drop_title_heading(body),
            "<span id=\"ai-policy\"></span>\n<h2 id=\"purpose\">Purpose</h2>\n"
        );
        let other = "<p>Intro</p>\n<h1 id=\"a\">A</h1>\n".to_string();
        assert_eq!(drop_title_heading(other.clone()), other);
    }

    #[test]
    fn print_body_rewrites_ids_and_links() {
        let html = r##"<h1 id="purpose">P</h1><a href="AIMS-PRO-001.html#steps">s</a> <a href="AIMS-PRO-001.html">p</a> <a href="../clause/6.1.2.html">c</a> <a href="#purpose">t</a> <a href="https://e.org/a.html">e</a> <a href="AIMS-GDL-001.html#scope">w</a> <span class="x">k</span>"##;
        let out = print_body("AIMS-POL-001", html, &|doc| doc != "AIMS-GDL-001");
        assert!(out.contains(r#"<h1 id="AIMS-POL-001--purpose">"#), "{out}");
        assert!(out.contains(r##"href="#AIMS-PRO-001--steps""##), "{out}");
        assert!(out.contains(r##"href="#doc-AIMS-PRO-001""##), "{out}");
        assert!(out.contains(r#"href="clause/6.1.2.html""#), "{out}");
        assert!(out.contains(r##"href="#AIMS-POL-001--purpose""##), "{out}");
        assert!(out.contains(r#"href="https://e.org/a.html""#), "{out}");
        assert!(out.contains(r#"class="x""#), "{out}");
        // A document without a section of its own (withdrawn) is linked at its page.
        assert!(
            out.contains(r##"href="doc/AIMS-GDL-001.html#scope""##),
            "{out}"
        );
    }
}
