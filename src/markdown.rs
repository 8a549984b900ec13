//! Markdown scanning, below the stages that use it: one pass over a body finds its headings (and
//! their unique slugs), links (classified by destination) and clause and control mentions. The
//! link stage resolves what the scan found; render walks the same event stream (`events`), so
//! the n-th link of the scan is the n-th link of the render. Depends only on the catalog.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{
    CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};
use regex::Regex;

use crate::catalog::{self, Item};

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_SMART_PUNCTUATION
        // GitHub's alerts: `> [!NOTE]`, `> [!TIP]`, `> [!IMPORTANT]`, `> [!WARNING]`, `> [!CAUTION]`.
        | Options::ENABLE_GFM
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub slug: String,
}

/// What a link in a body points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file below the content folder (`/`-separated, relative to it), with an optional anchor.
    Path {
        path: String,
        anchor: Option<String>,
    },
    /// `[[ID]]` or `[[ID|text]]`.
    Id { id: String, anchor: Option<String> },
    /// `#anchor` on the same page.
    Anchor(String),
    /// An address with a scheme (`https:`, `mailto:`) or protocol-relative.
    External(String),
    /// A relative path that climbs out of the content folder.
    Outside(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub target: Target,
    /// The destination as written.
    pub raw: String,
    /// Byte range of the whole link in the file.
    pub span: Range<usize>,
    pub image: bool,
    /// `[[ID]]` without its own text: the render shows the target's title.
    pub bare_wikilink: bool,
}

/// A clause or control mentioned in prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Normalised id (`6.1.2`, `A.6.2.4`).
    pub id: String,
    /// Whether the catalog knows the id.
    pub known: bool,
    pub span: Range<usize>,
}

/// Markdown from another tool's dialect that this one renders differently from what was meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintKind {
    /// A pandoc grid table (`+----+----+` lines): shown as lines of text (smart punctuation
    /// even turns its rules into dashes).
    GridTable,
    /// A LaTeX command (`\pagebreak`, `\newpage`…): printed as written.
    Latex,
    /// A template placeholder (`{{.Name}}`, `{% if %}`): printed as written.
    Placeholder,
    /// A list item indented so far that it becomes a code block.
    IndentedList,
    /// An HTML comment: its text is hidden from readers.
    HtmlComment,
}

/// One place where the body will not render as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    pub kind: LintKind,
    /// File offsets.
    pub span: Range<usize>,
}

static GRID_RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\+(?:[-=:\u{2013}\u{2014}]+\+){1,}\s*$")
        .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
});
static LATEX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\\(?:pagebreak|newpage|clearpage|linebreak|noindent|vspace|hspace|tableofcontents|maketitle|textbf|textit|emph|underline|begin|end|includegraphics|hline)\b")
        .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
});
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{[^{}\n]{1,200}\}\}|\{%[^%\n]{1,200}%\}")
        .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
});
static LIST_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]*(?:[-*+]|\d{1,3}[.)]|[ivxIVX]{1,5}[.)]|[a-zA-Z][.)])[ \t]+\S")
        .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
});

/// The dialect problems in one piece of prose text at file offset `at` (`exact`: the text is
/// the file's bytes, so offsets inside it map back).
fn text_lints(text: &str, range: &Range<usize>, out: &mut Vec<Lint>) {
    // Most text holds none of the characters these start with.
    if memchr::memchr3(b'\\', b'{', b'+', text.as_bytes()).is_none() {
        return;
    }
    let exact = range.len() == text.len();
    let span = |r: Range<usize>| {
        if exact {
            range.start + r.start..range.start + r.end
        } else {
            range.clone()
        }
    };
    if GRID_RULE.is_match(text) {
        out.push(Lint {
            kind: LintKind::GridTable,
            span: range.clone(),
        });
    }
    if let Some(m) = LATEX.find(text) {
        out.push(Lint {
            kind: LintKind::Latex,
            span: span(m.range()),
        });
    }
    if let Some(m) = PLACEHOLDER.find(text) {
        out.push(Lint {
            kind: LintKind::Placeholder,
            span: span(m.range()),
        });
    }
}

/// What the link stage needs to know about a body.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub mentions: Vec<Mention>,
    pub has_raw_html: bool,
    /// Markdown that will not render as its writer meant (from another tool's dialect).
    pub lints: Vec<Lint>,
    /// Where the body starts in its file (the spans above are file offsets).
    pub base: usize,
    /// The heading slugs as a set, made on first use for bodies with many headings.
    slug_set: std::sync::OnceLock<std::collections::HashSet<String>>,
}

impl Scan {
    /// Whether `#slug` names a heading of this body; constant time for long bodies, so that
    /// thousands of anchors into a document with thousands of headings stay linear.
    pub fn has_anchor(&self, slug: &str) -> bool {
        if self.headings.len() <= 16 {
            return self.headings.iter().any(|h| h.slug == slug);
        }
        self.slug_set
            .get_or_init(|| self.headings.iter().map(|h| h.slug.clone()).collect())
            .contains(slug)
    }
}

static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:[Cc]lauses?\s+)(\d{1,2}(?:\.\d{1,2}){0,3})(?-u:\b)|§\s*(\d{1,2}(?:\.\d{1,2}){0,3})(?-u:\b)|(?-u:\b)(?:Annex\s+)?(A\.\d{1,2}(?:\.\d{1,2}){1,2})(?-u:\b)")
        .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
});

/// Finds clause and control mentions in a piece of prose: (normalised id, range in `text`).
pub fn find_mentions(text: &str) -> Vec<(String, Range<usize>)> {
    // Cheap pre-check: every mention holds "lause", "§" or "A." (most text holds none). The
    // searchers are built once: str::contains set one up on each of a million calls.
    static LAUSE: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("lause"));
    static SECTION: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("§"));
    static ANNEX: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("A."));
    let bytes = text.as_bytes();
    if LAUSE.find(bytes).is_none() && SECTION.find(bytes).is_none() && ANNEX.find(bytes).is_none() {
        return Vec::new();
    }
    // The id is read from the match itself rather than from capture groups (a plain search is
    // much cheaper): each alternative starts with its own character, and the id is what follows
    // the keyword and its white space.
    MENTION
        .find_iter(text)
        .filter_map(|m| {
            let whole = m.as_str();
            let id = match whole.chars().next()? {
                'C' | 'c' => catalog::normalize_clause(
                    whole
                        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                        .trim_start(),
                ),
                '§' => catalog::normalize_clause(whole['§'.len_utf8()..].trim_start()),
                'A' => catalog::normalize_control(
                    whole.strip_prefix("Annex").map_or(whole, str::trim_start),
                ),
                _ => return None,
            };
            Some((id, m.range()))
        })
        .collect()
}

/// Whether a mention names something in the catalog.
pub fn mention_known(id: &str) -> bool {
    catalog::get()
        .lookup(id)
        .is_some_and(|e| !matches!(e, Item::Objective(_)) || id.starts_with('A'))
}

/// A heading slug: lowercase letters and digits, runs of spaces, `-` and `_` become one `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c == ' ' || c == '-' || c == '_') && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "section".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The slugs of one body so far, to make each new one unique.
#[derive(Default)]
struct Slugs {
    taken: std::collections::HashSet<String>,
    /// Per slug, the next number to try as its suffix: each suffix is tried once per slug, so
    /// n identical headings cost O(n), not O(n²).
    next: std::collections::HashMap<String, usize>,
}

impl Slugs {
    /// Makes `slug` unique among the slugs taken by appending -1, -2, ...
    fn unique(&mut self, slug: String) -> String {
        if self.taken.insert(slug.clone()) {
            return slug;
        }
        let n = self.next.entry(slug.clone()).or_insert(1);
        loop {
            let candidate = format!("{slug}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

pub fn events(body: &str, base: usize) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
    TextMergeWithOffset::new(Parser::new_ext(body, options()).into_offset_iter())
        .map(move |(e, r)| (e, r.start + base..r.end + base))
}

/// Classifies a link destination written in the document at `doc_rel` (content-relative path).
pub fn classify(dest: &str, doc_rel: &str, link_type: LinkType) -> Target {
    if let LinkType::WikiLink { .. } = link_type {
        let (id, anchor) = split_anchor(dest);
        // Inside a table the pipe of `[[ID\\|text]]` is escaped; the backslash is not part of the id.
        return Target::Id {
            id: id.trim().trim_end_matches('\\').to_string(),
            anchor,
        };
    }
    if dest.starts_with("//") || has_scheme(dest) || matches!(link_type, LinkType::Email) {
        return Target::External(dest.to_string());
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return Target::Anchor(percent_decode(anchor));
    }
    let (path, anchor) = split_anchor(dest);
    let path = percent_decode(path.split('?').next().unwrap_or(""));
    match resolve_path(doc_rel, &path) {
        Some(p) => Target::Path { path: p, anchor },
        None => Target::Outside(dest.to_string()),
    }
}

fn split_anchor(dest: &str) -> (&str, Option<String>) {
    match dest.split_once('#') {
        Some((p, a)) if !a.is_empty() => (p, Some(percent_decode(a))),
        Some((p, _)) => (p, None),
        None => (dest, None),
    }
}

fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    colon > 1
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (hex(bytes.get(i + 1)), hex(bytes.get(i + 2)))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: Option<&u8>) -> Option<u8> {
    (*b? as char).to_digit(16).map(|d| d as u8)
}

/// Joins a relative link to the folder of `doc_rel`; `None` when it climbs above the content root.
pub fn resolve_path(doc_rel: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = doc_rel.split('/').collect();
        p.pop();
        p
    };
    for seg in link.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Reads headings, links and mentions from a body that starts at byte `base` of its file.
pub fn scan(body: &str, base: usize, doc_rel: &str) -> Scan {
    let mut scan = Scan {
        base,
        ..Scan::default()
    };
    let mut slugs = Slugs::default();
    let mut heading: Option<(u8, String)> = None;
    let mut link_depth = 0usize;
    let mut code_depth = 0usize;
    let mut wiki_text: Option<(usize, String)> = None;
    for (event, range) in events(body, base) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u8, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take() {
                    let text = text.trim().to_string();
                    let slug = slugs.unique(slugify(&text));
                    scan.headings.push(Heading { level, text, slug });
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                link_depth += 1;
                let bare = matches!(link_type, LinkType::WikiLink { has_pothole: false });
                if bare {
                    wiki_text = Some((scan.links.len(), String::new()));
                }
                scan.links.push(LinkRef {
                    target: classify(&dest_url, doc_rel, link_type),
                    raw: dest_url.to_string(),
                    span: range,
                    image: false,
                    bare_wikilink: bare,
                });
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                wiki_text = None;
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => {
                scan.links.push(LinkRef {
                    target: classify(&dest_url, doc_rel, link_type),
                    raw: dest_url.to_string(),
                    span: range,
                    image: true,
                    bare_wikilink: false,
                });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                code_depth += 1;
                // An indented block that opens with a list marker was meant as a nested item.
                if kind == CodeBlockKind::Indented
                    && let Some(text) = body.get(range.start - base..range.end - base)
                    && LIST_MARKER.is_match(text)
                {
                    scan.lints.push(Lint {
                        kind: LintKind::IndentedList,
                        span: range.start..range.start + text.find('\n').unwrap_or(text.len()),
                    });
                }
            }
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                scan.has_raw_html = true;
                if let Some(at) = memchr::memmem::find(html.as_bytes(), b"<!--") {
                    let start = range.start + at.min(range.len());
                    scan.lints.push(Lint {
                        kind: LintKind::HtmlComment,
                        span: start..(start + 4).min(range.end.max(start)),
                    });
                }
            }
            Event::Code(code) => {
                if let Some((_, t)) = heading.as_mut() {
                    t.push_str(&code);
                }
            }
            Event::Text(text) => {
                if let Some((_, t)) = heading.as_mut() {
                    t.push_str(&text);
                    continue;
                }
                if let Some((_, t)) = wiki_text.as_mut() {
                    t.push_str(&text);
                }
                if code_depth == 0 {
                    text_lints(&text, &range, &mut scan.lints);
                }
                if link_depth == 0 && code_depth == 0 {
                    for (id, r) in find_mentions(&text) {
                        let known = mention_known(&id);
                        // Offsets inside merged text map back to the file when the text is not escaped.
                        let span = if range.len() == text.len() {
                            range.start + r.start..range.start + r.end
                        } else {
                            range.clone()
                        };
                        scan.mentions.push(Mention { id, known, span });
                    }
                }
            }
            _ => {}
        }
    }
    scan
}

/// How the render shows one link, decided by the link stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A link to `href`; `title` replaces the text of a bare `[[ID]]`.
    Href { href: String, title: Option<String> },
    /// No link: only the text (a draft or a document outside the profile). `label` replaces the
    /// text of a bare `[[ID]]` (the id only, never the hidden document's title).
    Plain { label: Option<String> },
    /// Kept exactly as written (external links; broken links already reported).
    AsWritten,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialect_lints_skip_code_and_find_each_kind() {
        let kinds = |body: &str| -> Vec<LintKind> {
            scan(body, 0, "a.md").lints.iter().map(|l| l.kind).collect()
        };
        assert!(
            kinds("```\n\\pagebreak {{.Name}}\n+---+---+\n```\n\nUse `{{x}}` and 1 + 2.\n")
                .is_empty()
        );
        assert_eq!(kinds("A\n\n\\newpage\n"), [LintKind::Latex]);
        assert_eq!(kinds("Hi {% if x %}\n"), [LintKind::Placeholder]);
        assert_eq!(
            kinds("+-----+\n| a   |\n+=====+\n"),
            [LintKind::GridTable, LintKind::GridTable]
        );
        assert_eq!(
            kinds("- a\n\n          b. nested\n"),
            [LintKind::IndentedList]
        );
        assert!(kinds("- a\n\n      plain code\n").is_empty());
        let s = scan("x\n\n<!-- note -->\n", 100, "a.md");
        assert_eq!(s.lints[0].kind, LintKind::HtmlComment);
        assert_eq!(s.lints[0].span.start, 103);
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("3. Escalation and reporting"),
            "3-escalation-and-reporting"
        );
        assert_eq!(
            slugify("Roles & responsibilities"),
            "roles-responsibilities"
        );
        assert_eq!(slugify("  --Ünïcode_text--  "), "ünïcode-text");
    }

    #[test]
    fn mentions_in_every_form() {
        let text =
            "See Clause 6.1.2, clauses  7.5 and §\u{a0}9.2; Annex A.6.2.4, A.10.3 and A.2 (no).";
        let found: Vec<(String, &str)> = find_mentions(text)
            .into_iter()
            .map(|(id, r)| (id, &text[r]))
            .collect();
        assert_eq!(
            found,
            [
                ("6.1.2".to_string(), "Clause 6.1.2"),
                ("7.5".to_string(), "clauses  7.5"),
                ("9.2".to_string(), "§\u{a0}9.2"),
                ("A.6.2.4".to_string(), "Annex A.6.2.4"),
                ("A.10.3".to_string(), "A.10.3"),
            ]
        );
    }

    #[test]
    fn classifies_destinations() {
        let t = classify(
            "../procedures/x.md#scope",
            "policies/a.md",
            LinkType::Inline,
        );
        assert_eq!(
            t,
            Target::Path {
                path: "procedures/x.md".into(),
                anchor: Some("scope".into())
            }
        );
        assert_eq!(
            classify("https://e.org", "a.md", LinkType::Inline),
            Target::External("https://e.org".into())
        );
        assert_eq!(
            classify("../../x.md", "a/b.md", LinkType::Inline),
            Target::Outside("../../x.md".into())
        );
        assert_eq!(
            classify("AIMS-1", "a.md", LinkType::WikiLink { has_pothole: false }),
            Target::Id {
                id: "AIMS-1".into(),
                anchor: None
            }
        );
        assert_eq!(
            classify("my%20file.md", "d/a.md", LinkType::Inline),
            Target::Path {
                path: "d/my file.md".into(),
                anchor: None
            }
        );
    }

    #[test]
    fn scan_finds_headings_links_and_mentions() {
        let body = "# Scope\n\n## Scope\n\nSee [b](b.md#scope), [[AIMS-2]] and clause 6.1.2 and A.6.2.4.\n\n`clause 7.1` and [clause 8.1](x.md)\n\n```\nA.7.4\n```\n";
        let s = scan(body, 0, "a.md");
        assert_eq!(
            s.headings
                .iter()
                .map(|h| h.slug.as_str())
                .collect::<Vec<_>>(),
            ["scope", "scope-1"]
        );
        assert_eq!(s.links.len(), 3);
        let ids: Vec<&str> = s.mentions.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["6.1.2", "A.6.2.4"]);
        assert_eq!(&body[s.mentions[0].span.clone()], "clause 6.1.2");
    }
}
