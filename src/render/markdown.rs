//! Markdown to HTML: renders a body once the link stage has resolved every link its scan
//! ([`crate::markdown`]) found, rewriting links and clause and control mentions, highlighting
//! code, and collecting the words for the search index.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use crate::catalog;
use crate::markdown::{Resolved, Scan, events, find_mentions, mention_known};

/// Everything the render asks of the rest of the site.
pub trait Resolver {
    /// The n-th link of the body.
    fn link(&self, index: usize) -> Resolved;
    /// Where a known clause or control mention points.
    fn mention_href(&self, id: &str) -> String;
    /// Highlighted HTML for a fenced code block.
    fn highlight(&self, code: &str, lang: &str) -> String;
}

/// How raw HTML inside Markdown is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HtmlMode {
    Escape,
    Keep,
}

/// Renders a body to HTML. `scan` must be the scan of the same body.
/// A rendered body: its HTML and its words as plain text (for the search index).
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub text: String,
    /// Where each heading (in the scan's order) starts in `text`: the sections of the search
    /// index run from one of these to the next.
    pub sections: Vec<usize>,
}

pub fn render(body: &str, scan: &Scan, resolver: &dyn Resolver, html: HtmlMode) -> Rendered {
    let mut out: Vec<Event<'_>> = Vec::with_capacity(256);
    let mut heading_index = 0usize;
    let mut link_index = 0usize;
    let mut link_stack: Vec<Resolved> = Vec::new();
    let mut skip_text_of_bare = false;
    let mut code: Option<(String, String)> = None;
    let mut in_heading = false;
    // The next of the scan's mentions not yet passed.
    let mut mention_at = 0usize;
    for (event, range) in events(body, 0) {
        if let Some((lang, buf)) = code.as_mut() {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let html = resolver.highlight(buf, lang);
                    out.push(Event::Html(CowStr::from(html)));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id: _,
                classes,
                attrs,
            }) => {
                in_heading = true;
                let slug = scan
                    .headings
                    .get(heading_index)
                    .map(|h| h.slug.clone())
                    .unwrap_or_default();
                heading_index += 1;
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(slug)),
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(l)) => {
                in_heading = false;
                out.push(Event::End(TagEnd::Heading(l)));
            }
            // A GitHub alert becomes an admonition with its label as a title.
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(kind);
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"admonition admonition-{class}\" role=\"note\"><p class=\"admonition-title\">{label}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let resolved = resolver.link(link_index);
                link_index += 1;
                let link = Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                };
                skip_text_of_bare |= push_link(&mut out, &resolved, link);
                link_stack.push(resolved);
            }
            Event::End(TagEnd::Link) => {
                skip_text_of_bare = false;
                if !matches!(link_stack.pop(), Some(Resolved::Plain { .. })) {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(image @ Tag::Image { .. }) => {
                let resolved = resolver.link(link_index);
                link_index += 1;
                out.push(Event::Start(with_source(image, resolved)));
            }
            Event::Text(text) => {
                if skip_text_of_bare {
                    continue;
                }
                if link_stack.is_empty() && !in_heading {
                    let found = mentions_in(&text, &range, scan, &mut mention_at);
                    push_with_mentions(&mut out, text, found, resolver);
                } else {
                    out.push(Event::Text(text));
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if html == HtmlMode::Escape => {
                out.push(Event::Text(h))
            }
            other => out.push(other),
        }
    }
    finish(out, body.len())
}

/// The mentions in a piece of prose at `range` of the body (ranges within `text`). The scan
/// walked the same events and found them already; its spans are exact when the text is as
/// written (not unescaped), otherwise the text is searched again.
/// A link as the link stage resolved it: to its page, as its label only, or as written.
/// Returns whether the text of a bare `[[ID]]` is to be skipped (its title or label replaces it).
fn push_link<'a>(out: &mut Vec<Event<'a>>, resolved: &Resolved, link: Tag<'a>) -> bool {
    let Tag::Link {
        link_type,
        dest_url,
        title,
        id,
    } = link
    else {
        return false;
    };
    let bare = matches!(link_type, LinkType::WikiLink { has_pothole: false });
    match resolved {
        Resolved::Href { href, title: t } => {
            out.push(Event::Start(Tag::Link {
                link_type: if matches!(link_type, LinkType::WikiLink { .. }) {
                    LinkType::Inline
                } else {
                    link_type
                },
                dest_url: CowStr::from(href.clone()),
                title,
                id,
            }));
            match t {
                Some(t) if bare => {
                    out.push(Event::Text(CowStr::from(t.clone())));
                    true
                }
                _ => false,
            }
        }
        Resolved::Plain { label } => match label {
            Some(l) if bare => {
                out.push(Event::Text(CowStr::from(l.clone())));
                true
            }
            _ => false,
        },
        Resolved::AsWritten => {
            out.push(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }));
            false
        }
    }
}

/// An image with the source the link stage resolved (as written when it resolved none).
fn with_source(image: Tag<'_>, resolved: Resolved) -> Tag<'_> {
    match (image, resolved) {
        (
            Tag::Image {
                link_type,
                title,
                id,
                ..
            },
            Resolved::Href { href, .. },
        ) => Tag::Image {
            link_type,
            dest_url: CowStr::from(href),
            title,
            id,
        },
        (image, _) => image,
    }
}

/// The rendered events as HTML, and their words as plain text with where each heading starts.
fn finish(out: Vec<Event<'_>>, body_len: usize) -> Rendered {
    let mut raw_text = String::with_capacity(body_len);
    let mut raw_sections = Vec::new();
    for e in &out {
        match e {
            Event::Text(t) | Event::Code(t) => raw_text.push_str(t),
            Event::Start(Tag::Heading { .. }) => raw_sections.push(raw_text.len()),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            )
            | Event::SoftBreak
            | Event::HardBreak
            | Event::Html(_) => raw_text.push(' '),
            _ => {}
        }
    }
    let (text, sections) = collapse_sections(&raw_text, &raw_sections);
    let mut html_out = String::with_capacity(body_len * 3 / 2);
    pulldown_cmark::html::push_html(&mut html_out, out.into_iter());
    Rendered {
        html: html_out,
        text,
        sections,
    }
}

/// [`collapse_whitespace`] of `raw`, cut at `cuts` (ascending offsets in `raw`), and where each
/// cut lands in the result. A heading always follows a space in `raw`, so the text is the same
/// as collapsing it whole.
fn collapse_sections(raw: &str, cuts: &[usize]) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(raw.len());
    let mut sections = Vec::with_capacity(cuts.len());
    let mut from = 0;
    let push = |text: &mut String, part: &str| {
        let part = collapse_whitespace(part);
        if !part.is_empty() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&part);
        }
    };
    for &cut in cuts {
        push(&mut text, raw.get(from..cut).unwrap_or(""));
        // The next part starts after the space that joins it.
        sections.push(if text.is_empty() { 0 } else { text.len() + 1 });
        from = cut;
    }
    push(&mut text, raw.get(from..).unwrap_or(""));
    for s in &mut sections {
        *s = (*s).min(text.len());
    }
    (text, sections)
}

fn mentions_in(
    text: &str,
    range: &Range<usize>,
    scan: &Scan,
    next: &mut usize,
) -> Vec<(String, Range<usize>)> {
    let (start, end) = (range.start + scan.base, range.end + scan.base);
    while scan
        .mentions
        .get(*next)
        .is_some_and(|m| m.span.start < start)
    {
        *next += 1;
    }
    if range.len() != text.len() {
        return find_mentions(text);
    }
    let mut found = Vec::new();
    while let Some(m) = scan.mentions.get(*next)
        && m.span.end <= end
    {
        found.push((m.id.clone(), m.span.start - start..m.span.end - start));
        *next += 1;
    }
    found
}

/// The words of `raw` (split at Unicode white space) joined by single spaces, as
/// `split_whitespace` would give them; ASCII is read without decoding.
/// An alert's class and title.
fn alert(kind: pulldown_cmark::BlockQuoteKind) -> (&'static str, &'static str) {
    use pulldown_cmark::BlockQuoteKind as K;
    match kind {
        K::Note => ("note", "Note"),
        K::Tip => ("tip", "Tip"),
        K::Important => ("important", "Important"),
        K::Warning => ("warning", "Warning"),
        K::Caution => ("caution", "Caution"),
    }
}

fn collapse_whitespace(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    let bytes = raw.as_bytes();
    let mut word: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (space, len) = if b < 0x80 {
            (matches!(b, b' ' | b'\t'..=b'\r'), 1)
        } else {
            match raw[i..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (false, 1),
            }
        };
        match (space, word) {
            (false, None) => word = Some(i),
            (true, Some(start)) => {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&raw[start..i]);
                word = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(start) = word {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&raw[start..]);
    }
    text
}

fn push_with_mentions<'a>(
    out: &mut Vec<Event<'a>>,
    text: CowStr<'a>,
    found: Vec<(String, Range<usize>)>,
    resolver: &dyn Resolver,
) {
    if found.iter().all(|(id, _)| !mention_known(id)) {
        out.push(Event::Text(text));
        return;
    }
    let mut last = 0;
    for (id, r) in found {
        if !mention_known(&id) {
            continue;
        }
        if r.start > last {
            out.push(Event::Text(CowStr::from(text[last..r.start].to_string())));
        }
        let title = catalog::get().title(&id).unwrap_or("");
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: CowStr::from(resolver.mention_href(&id)),
            title: CowStr::from(format!("{id} {title}")),
            id: CowStr::from(""),
        }));
        out.push(Event::Text(CowStr::from(text[r.clone()].to_string())));
        out.push(Event::End(TagEnd::Link));
        last = r.end;
    }
    if last < text.len() {
        out.push(Event::Text(CowStr::from(text[last..].to_string())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::scan;

    struct Fixed;
    impl Resolver for Fixed {
        fn link(&self, index: usize) -> Resolved {
            match index {
                0 => Resolved::Href {
                    href: "B.html#scope".into(),
                    title: None,
                },
                1 => Resolved::Href {
                    href: "C.html".into(),
                    title: Some("Risk <Policy>".into()),
                },
                _ => Resolved::Plain {
                    label: Some("AIMS-X".into()),
                },
            }
        }
        fn mention_href(&self, id: &str) -> String {
            format!("../clauses.html#{id}")
        }
        fn highlight(&self, code: &str, lang: &str) -> String {
            format!("<pre data-lang=\"{lang}\">{}</pre>", code.len())
        }
    }

    #[test]
    fn render_links_mentions_in_plain_and_unescaped_text() {
        let body = "Per clause 6.1.2 and A.6.2.4.\n\nTom &amp; Jerry per clause 7.1 \\* A.6.2.4\n\n[clause 8.1](x.md) and §6.1.2\n";
        let s = scan(body, 40, "a.md");
        let html = render(body, &s, &Fixed, HtmlMode::Escape).html;
        for id in ["6.1.2", "A.6.2.4", "7.1"] {
            assert!(
                html.contains(&format!("href=\"../clauses.html#{id}\"")),
                "{id}: {html}"
            );
        }
        assert_eq!(html.matches("<a ").count(), 6, "{html}");
    }

    #[test]
    fn github_alerts_become_admonitions() {
        let body = "> [!WARNING]\n> Do not *skip* the review.\n\n> [!NOTE]\n> Quiet.\n\n> A plain quote.\n";
        let s = scan(body, 0, "a.md");
        let html = render(body, &s, &Fixed, HtmlMode::Escape).html;
        assert!(
            html.contains("<div class=\"admonition admonition-warning\" role=\"note\"><p class=\"admonition-title\">Warning</p>"),
            "{html}"
        );
        assert!(
            html.contains("<em>skip</em>") && !html.contains("[!WARNING]"),
            "{html}"
        );
        assert!(html.contains("admonition-note"), "{html}");
        assert_eq!(html.matches("</div>").count(), 2, "{html}");
        assert!(
            html.contains("<blockquote>\n<p>A plain quote.</p>"),
            "{html}"
        );
    }

    #[test]
    fn whitespace_collapses_like_split_whitespace() {
        for raw in [
            "",
            "  ",
            "a",
            " a  b\tc\n\x0bd\x0c e\r",
            "x\u{a0}y\u{2003}z \u{3000}日本 é\u{85}",
            "end ",
        ] {
            let expected: Vec<&str> = raw.split_whitespace().collect();
            assert_eq!(collapse_whitespace(raw), expected.join(" "), "{raw:?}");
        }
    }

    #[test]
    fn render_rewrites_links_and_mentions() {
        let body = "# Scope\n\n[b](b.md#scope) [[AIMS-3]] [[AIMS-4|see]] per clause 6.1.2 <b>x</b>\n\n```yaml\na: 1\n```\n";
        let s = scan(body, 0, "a.md");
        let html = render(body, &s, &Fixed, HtmlMode::Escape).html;
        assert!(html.contains("<h1 id=\"scope\">Scope</h1>"), "{html}");
        assert!(html.contains("<a href=\"B.html#scope\">b</a>"), "{html}");
        assert!(
            html.contains("<a href=\"C.html\">Risk &lt;Policy&gt;</a>"),
            "{html}"
        );
        assert!(html.contains(" see "), "{html}");
        assert!(html.contains("<a href=\"../clauses.html#6.1.2\" title=\"6.1.2 AI risk assessment\">clause 6.1.2</a>"), "{html}");
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"), "{html}");
        assert!(html.contains("<pre data-lang=\"yaml\">5</pre>"), "{html}");
    }
}
