//! A document's body as its page shows it: Markdown to HTML with links resolved, code
//! highlighted and raw HTML as book.toml says, and its search entry. Bodies depend on the link
//! stage only, not on Git: a build renders them while the history pass runs ([`Bodies`]).

use std::collections::HashMap;
use std::sync::LazyLock;

use super::highlight;
use super::markdown::{self, HtmlMode, Resolver};
use crate::config::RawHtml;
use crate::link;
use crate::markdown::{Heading, Resolved};

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

/// A document's body as its page shows it: see [`render_body`].
pub struct Body {
    pub(crate) html: String,
    pub(crate) search: super::search::SearchDoc,
    /// The body's first heading repeats the title and was dropped.
    pub(crate) skip_title: bool,
}

/// Bodies rendered ahead, by entry, while the build waits for the history pass: the body of a
/// page is all link's work and none of Git's. Each is taken by its page's render.
#[derive(Default)]
pub struct Bodies(std::sync::Mutex<HashMap<usize, Body>>);

impl Bodies {
    /// Renders the included documents' bodies, one after the other, until `stop` is set (the
    /// history is read) or all are done. Runs on the one thread that would otherwise wait.
    pub fn render_ahead(
        &self,
        manual: &link::Manual,
        raw_html: RawHtml,
        highlights: &crate::cache::Store,
        stop: &std::sync::atomic::AtomicBool,
    ) -> usize {
        let mut count = 0;
        for i in manual.included() {
            if stop.load(std::sync::atomic::Ordering::Acquire) {
                break;
            }
            let body = render_body(manual, raw_html, highlights, i);
            if let Ok(mut bodies) = self.0.lock() {
                bodies.insert(i, body);
                count += 1;
            }
        }
        count
    }

    pub(crate) fn take(&self, i: usize) -> Option<Body> {
        self.0.lock().ok()?.remove(&i)
    }
}

/// Entry `i`'s body as HTML (links resolved, code highlighted, raw HTML as book.toml says, a
/// first heading that repeats the title dropped), its search entry, and whether that heading
/// was dropped.
pub(crate) fn render_body(
    manual: &link::Manual,
    raw_html: RawHtml,
    highlights: &crate::cache::Store,
    i: usize,
) -> Body {
    let e = &manual.entries[i];
    let d = &e.doc;
    let body_src = &e.src.text[e.src.split.body.clone()];
    let mode = match raw_html {
        RawHtml::Escape => HtmlMode::Escape,
        RawHtml::Sanitize | RawHtml::Allow => HtmlMode::Keep,
    };
    let resolver = DocResolver {
        resolved: &manual.resolved[i],
        highlights,
    };
    let rendered = markdown::render(body_src, &e.scan, &resolver, mode);
    let mut body = rendered.html;
    if raw_html == RawHtml::Sanitize && e.scan.has_raw_html {
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
    Body {
        html: body,
        search,
        skip_title,
    }
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
pub(crate) fn drop_title_heading(body: String) -> String {
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
