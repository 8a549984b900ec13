//! Findings about the input: a stable code, a severity, file:line:column, the offending source
//! line, and what would be accepted. Rendered rustc-style for people, as JSON for machines.

use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Where a finding points: a file (relative to the project root), a 1-based line and column
/// (columns count characters), and the text of that line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// Length of the marked text, in characters (at least 1).
    #[serde(skip)]
    pub len: usize,
    /// The line, or for a long line the part of it around the marked text.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters of the line come before `source_line` (0: it starts the line).
    #[serde(skip)]
    pub shown_from: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Box<Location>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// A finding in a document that could not be read and that other files refer to: the cause
    /// of what is wrong there, so it is listed first.
    #[serde(skip)]
    pub root_cause: bool,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            location: None,
            help: None,
            notes: Vec::new(),
            root_cause: false,
        }
    }

    /// Points the finding at `range` (byte offsets) of `text`, the whole file shown as `file`.
    pub fn at(mut self, file: &str, text: &str, range: Range<usize>) -> Self {
        self.location = Some(Box::new(locate(file, text, range)));
        self
    }

    /// Points the finding at a file as a whole (no line to show).
    pub fn in_file(mut self, file: &str) -> Self {
        self.location = Some(Box::new(Location {
            file: file.to_string(),
            line: 1,
            column: 1,
            len: 0,
            source_line: None,
            shown_from: 0,
        }));
        self
    }

    pub fn with_location(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key: root causes first (see [`Diagnostic::root_cause`]), then by file, line and
    /// column, errors before warnings at the same place.
    pub fn sort_key(&self) -> (bool, String, usize, usize, Severity, &'static str) {
        match &self.location {
            Some(l) => (
                !self.root_cause,
                l.file.clone(),
                l.line,
                l.column,
                self.severity,
                self.code,
            ),
            None => (
                !self.root_cause,
                String::new(),
                0,
                0,
                self.severity,
                self.code,
            ),
        }
    }

    /// The file the finding points at, if any.
    pub fn file(&self) -> Option<&str> {
        self.location.as_deref().map(|l| l.file.as_str())
    }

    /// Renders the finding rustc-style; `color` adds ANSI styling.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(self.message.as_str()).id(self.code);
        let mut group = match &self.location {
            Some(loc) => match &loc.source_line {
                // Part of a long line: the location is named on its own, then the part shown
                // (its columns are the excerpt's, not the line's).
                Some(line) if loc.shown_from > 0 => {
                    let span = char_span(line, loc.column - loc.shown_from, loc.len);
                    title
                        .element(
                            annotate_snippets::Origin::path(loc.file.as_str())
                                .line(loc.line)
                                .char_column(loc.column),
                        )
                        .element(
                            Snippet::source(line.as_str())
                                .line_start(loc.line)
                                .annotation(AnnotationKind::Primary.span(span)),
                        )
                }
                Some(line) => {
                    let span = char_span(line, loc.column, loc.len);
                    title.element(
                        Snippet::source(line.as_str())
                            .line_start(loc.line)
                            .path(loc.file.as_str())
                            .annotation(AnnotationKind::Primary.span(span)),
                    )
                }
                None => title.element(
                    annotate_snippets::Origin::path(loc.file.as_str())
                        .line(loc.line)
                        .char_column(loc.column),
                ),
            },
            None => Group::with_title(title),
        };
        for note in &self.notes {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }

    /// One GitHub Actions workflow command, so the finding shows on the pull request's line.
    pub fn github(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut msg = self.message.clone();
        if let Some(h) = &self.help {
            msg.push_str(" (");
            msg.push_str(h);
            msg.push(')');
        }
        let msg = gh_escape_data(&msg);
        match &self.location {
            Some(l) => format!(
                "::{kind} file={},line={},col={},title={}::{msg}",
                gh_escape_prop(&l.file),
                l.line,
                l.column,
                self.code
            ),
            None => format!("::{kind} title={}::{msg}", self.code),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_escape_prop(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Byte range in `line` of `len` characters starting at the 1-based character `column`.
fn char_span(line: &str, column: usize, len: usize) -> Range<usize> {
    let mut idx = line.char_indices().map(|(i, _)| i).chain([line.len()]);
    let start = idx.nth(column.saturating_sub(1)).unwrap_or(line.len());
    let end = line[start..]
        .char_indices()
        .map(|(i, _)| start + i)
        .chain([line.len()])
        .nth(len.max(1))
        .unwrap_or(line.len());
    if start == end && start == line.len() && start > 0 {
        // Point at the end of the line: mark the last character instead of nothing.
        let prev = line[..start].char_indices().last().map_or(0, |(i, _)| i);
        return prev..start;
    }
    start..end
}

/// The longest line shown whole in a finding, in bytes; of a longer line only the part around
/// the marked text is kept, so that many findings on one long line stay small.
const MAX_SHOWN_LINE: usize = 240;

/// Line, column and line text for a byte range of `text`. For many findings in one file use a
/// [`Locator`]: this scans the text up to the range each time.
pub fn locate(file: &str, text: &str, range: Range<usize>) -> Location {
    Locator::new(file, text).locate(range)
}

/// Finds line, column and line text for many ranges of one file: the file's lines are indexed
/// once, on the first finding, so each further finding costs a binary search (and, on a line
/// that is not ASCII, counting the characters before it on its line).
pub struct Locator<'a> {
    file: &'a str,
    text: &'a str,
    /// Per line: where it starts, and whether it is all ASCII.
    lines: std::cell::OnceCell<Vec<(usize, bool)>>,
}

impl<'a> Locator<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Locator<'a> {
        Locator {
            file,
            text,
            lines: std::cell::OnceCell::new(),
        }
    }

    fn lines(&self) -> &[(usize, bool)] {
        self.lines.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut out = Vec::new();
            let mut start = 0;
            for nl in memchr::memchr_iter(b'\n', bytes).chain([bytes.len()]) {
                out.push((start, bytes[start..nl].is_ascii()));
                start = nl + 1;
            }
            out
        })
    }

    pub fn locate(&self, range: Range<usize>) -> Location {
        let text = self.text;
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let end = floor_char_boundary(text, range.end.clamp(start, text.len()));
        let lines = self.lines();
        let idx = lines
            .partition_point(|&(s, _)| s <= start)
            .saturating_sub(1);
        let (line_start, ascii) = lines.get(idx).copied().unwrap_or((0, false));
        let line_end = lines
            .get(idx + 1)
            .map_or(text.len(), |&(next, _)| next - 1)
            .max(start);
        let count = |s: &str| if ascii { s.len() } else { char_count(s) };
        let column = count(&text[line_start..start]) + 1;
        let len = count(&text[start..end.min(line_end)]).max(1);
        let (shown_start, shown_end) = if line_end - line_start > MAX_SHOWN_LINE {
            (
                floor_char_boundary(text, start.saturating_sub(80).max(line_start)),
                floor_char_boundary(text, (end.max(start) + 160).min(line_end)),
            )
        } else {
            (line_start, line_end)
        };
        let line = text[shown_start..shown_end].trim_end_matches('\r');
        Location {
            file: self.file.to_string(),
            line: idx + 1,
            column,
            len,
            source_line: Some(line.to_string()),
            shown_from: count(&text[line_start..shown_start]),
        }
    }
}

/// Characters in `s`, without decoding when it is ASCII.
fn char_count(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Text-edit distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidates closest to `word` (at most `max`), if any is reasonably close.
pub fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let lower = word.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .collect();
    scored.sort();
    let best = scored.first().map(|s| s.0);
    scored
        .into_iter()
        .filter(|s| Some(s.0) == best)
        .take(max)
        .map(|s| s.1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_reports_line_and_column() {
        let text = "---\nid: X\nstatus: aproved\n";
        let at = text.find("aproved").unwrap_or(0);
        let loc = locate("a.md", text, at..at + 7);
        assert_eq!((loc.line, loc.column, loc.len), (3, 9, 7));
        assert_eq!(loc.source_line.as_deref(), Some("status: aproved"));
    }

    #[test]
    fn a_finding_on_a_long_line_keeps_only_its_surroundings() {
        let text = format!(
            "---\n{}[x](#nowhere){}\n",
            "a".repeat(5000),
            "b".repeat(5000)
        );
        let at = text.find("[x]").unwrap_or(0);
        let loc = locate("a.md", &text, at..at + 14);
        assert_eq!((loc.line, loc.column, loc.len), (2, 5001, 14));
        let shown = loc.source_line.as_deref().unwrap_or("");
        assert!(
            shown.len() < 300 && shown.contains("[x](#nowhere)"),
            "{shown}"
        );
        let out = Diagnostic::error("AIMS-E032", "no heading")
            .with_location(loc)
            .render(false);
        assert!(out.contains("a.md:2:5001"), "{out}");
        assert!(
            out.contains("[x](#nowhere)") && out.contains("^^^^"),
            "{out}"
        );
    }

    #[test]
    fn the_locator_agrees_with_a_plain_scan() {
        let text = "---\nid: X\r\nstatus: aproved\nütf: ünï\n\nlast";
        let loc = Locator::new("a.md", text);
        for start in 0..text.len() {
            if !text.is_char_boundary(start) {
                continue;
            }
            let l = loc.locate(start..start + 1);
            let line = text[..start].matches('\n').count() + 1;
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(l.line, line, "{start}");
            assert_eq!(
                l.column,
                text[line_start..start].chars().count() + 1,
                "{start}"
            );
        }
        let at = text.find("ünï").unwrap_or(0);
        let l = loc.locate(at..at + "ünï".len());
        assert_eq!((l.line, l.column, l.len), (4, 6, 3));
        assert_eq!(l.source_line.as_deref(), Some("ütf: ünï"));
        let l = loc.locate(text.len()..text.len());
        assert_eq!((l.line, l.source_line.as_deref()), (6, Some("last")));
    }

    #[test]
    fn suggestions_pick_the_nearest() {
        assert_eq!(
            suggest("titel", ["title", "type", "owner"], 3),
            vec!["title"]
        );
        assert!(suggest("zzzzzz", ["title", "type"], 3).is_empty());
    }

    #[test]
    fn renders_rustc_style() {
        let text = "---\nstatus: aproved\n";
        let d = Diagnostic::error("AIMS-E012", "unknown status `aproved`")
            .at("content/a.md", text, 12..19)
            .help("expected one of: draft, in-review, approved, withdrawn");
        let out = d.render(false);
        assert!(
            out.contains("error[AIMS-E012]: unknown status `aproved`"),
            "{out}"
        );
        assert!(out.contains("content/a.md:2:9"), "{out}");
        assert!(out.contains("status: aproved"), "{out}");
        assert!(out.contains("^^^^^^^"), "{out}");
        assert!(out.contains("help: expected one of"), "{out}");
    }
}
