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
    let mut text = Collapsed::with_capacity(body_len);
    let mut sections = Vec::new();
    for e in &out {
        match e {
            Event::Text(t) | Event::Code(t) => text.push(t),
            Event::Start(Tag::Heading { .. }) => sections.push(text.cut()),
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
            | Event::Html(_) => text.space(),
            _ => {}
        }
    }
    let text = text.text;
    for s in &mut sections {
        *s = (*s).min(text.len());
    }
    let mut html_out = String::with_capacity(body_len * 3 / 2);
    pulldown_cmark::html::push_html(&mut html_out, out.into_iter());
    Rendered {
        html: html_out,
        text,
        sections,
    }
}

/// The words of the text pushed (split at Unicode white space, as `split_whitespace` splits)
/// joined by single spaces, made as the text comes in.
struct Collapsed {
    text: String,
    /// White space came after the last word: the next word is preceded by a space.
    pending: bool,
}

impl Collapsed {
    fn with_capacity(n: usize) -> Collapsed {
        Collapsed {
            text: String::with_capacity(n),
            pending: false,
        }
    }

    /// A break between words.
    fn space(&mut self) {
        self.pending = true;
    }

    /// A section starts here: where its first word will be. The words before and after a cut
    /// are always apart.
    fn cut(&mut self) -> usize {
        self.pending = true;
        if self.text.is_empty() {
            0
        } else {
            self.text.len() + 1
        }
    }

    fn push(&mut self, piece: &str) {
        if piece.is_ascii() {
            self.push_ascii(piece);
            return;
        }
        let bytes = piece.as_bytes();
        let n = bytes.len();
        // (is white space, its length); ASCII is read without decoding.
        let at = |i: usize| -> (bool, usize) {
            let b = bytes[i];
            if b < 0x80 {
                return (matches!(b, b' ' | b'\t'..=b'\r'), 1);
            }
            match piece[i..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (false, 1),
            }
        };
        let mut i = 0;
        while i < n {
            let (space, len) = at(i);
            if space {
                self.pending = true;
                i += len;
                continue;
            }
            // A run of words each followed by one plain space is copied as it is.
            let start = i;
            while i < n {
                let (space, len) = at(i);
                if !space {
                    i += len;
                } else if bytes[i] == b' ' && i + 1 < n && !at(i + 1).0 {
                    i += 1;
                } else {
                    break;
                }
            }
            if self.pending && !self.text.is_empty() {
                self.text.push(' ');
            }
            self.pending = false;
            self.text.push_str(&piece[start..i]);
        }
    }

    /// [`Collapsed::push`] of ASCII text: a byte above the space is never white space.
    fn push_ascii(&mut self, piece: &str) {
        let bytes = piece.as_bytes();
        let n = bytes.len();
        let space = |b: u8| matches!(b, b' ' | b'\t'..=b'\r');
        let mut i = 0;
        while i < n {
            if space(bytes[i]) {
                self.pending = true;
                i += 1;
                continue;
            }
            let start = i;
            loop {
                i = next_low(bytes, i);
                match bytes.get(i) {
                    None => break,
                    // A control character other than white space is part of a word.
                    Some(&b) if !space(b) => i += 1,
                    // One plain space before another word: the run goes on.
                    Some(b' ') if bytes.get(i + 1).is_some_and(|&c| !space(c)) => i += 1,
                    Some(_) => break,
                }
            }
            if self.pending && !self.text.is_empty() {
                self.text.push(' ');
            }
            self.pending = false;
            self.text.push_str(&piece[start..i]);
        }
    }
}

/// The first place from `i` in ASCII `bytes` whose byte is a space or a control character (or
/// the end), eight bytes at a time: in a word `x` of bytes below 0x80, `(x - 0x21…) & !x &
/// 0x80…` marks the bytes below 0x21, the lowest mark exactly.
fn next_low(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([0x21; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    while let Some(chunk) = bytes.get(i..i + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let x = u64::from_le_bytes(word);
        let low = x.wrapping_sub(ONES) & !x & HIGH;
        if low != 0 {
            return i + (low.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|&b| b > b' ') {
        i += 1;
    }
    i.min(bytes.len())
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
    fn the_next_space_or_control_character_is_found() {
        let text = b"abcdefgh ijklmnopqrstu\x01vw\tx";
        for from in 0..=text.len() {
            let expected = (from..text.len())
                .find(|&i| text[i] <= b' ')
                .unwrap_or(text.len());
            assert_eq!(next_low(text, from), expected, "from {from}");
        }
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
            "a longer line of words\x01with a control character\t\tand  two  spaces at once ",
        ] {
            let expected: Vec<&str> = raw.split_whitespace().collect();
            let mut whole = Collapsed::with_capacity(0);
            whole.push(raw);
            assert_eq!(whole.text, expected.join(" "), "{raw:?}");
            // Pushed in pieces cut anywhere (at character boundaries), the same words.
            for cut in (0..=raw.len()).filter(|&c| raw.is_char_boundary(c)) {
                let mut pieces = Collapsed::with_capacity(0);
                pieces.push(&raw[..cut]);
                pieces.push(&raw[cut..]);
                assert_eq!(pieces.text, expected.join(" "), "{raw:?} cut at {cut}");
            }
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
