//! Code highlighting, the only module that knows syntect: fenced code becomes HTML with CSS
//! classes, and one stylesheet (light and dark) is written for the whole site. Syntaxes and
//! themes are syntect's bundled ones, loaded once; nothing is fetched.

use std::cell::RefCell;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Identifies the highlighter's output format, for caches of highlighted code.
pub const VERSION: &str = "syntect-5 classed hl- 1";

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Highlights `code` written in `lang` (a fence's info word). Unknown languages are plain text.
pub fn highlight(code: &str, lang: &str) -> String {
    let lang = lang.trim();
    let ss = &*SYNTAXES;
    let syntax = (!lang.is_empty())
        .then(|| ss.find_syntax_by_token(&alias(lang).to_ascii_lowercase()))
        .flatten();
    let lang_attr = escape_attr(lang);
    match syntax.and_then(|syntax| classed(code, syntax)) {
        Some(spans) => {
            let mut out = String::with_capacity(spans.len() + lang_attr.len() + 64);
            out.push_str("<pre class=\"code\" data-lang=\"");
            out.push_str(&lang_attr);
            out.push_str("\"><code>");
            out.push_str(&spans);
            out.push_str("</code></pre>\n");
            out
        }
        None => plain(code, &lang_attr),
    }
}

/// The parser's state between two lines: where the grammar is, and which scopes are open.
type LineState = (ParseState, ScopeStack);

/// What highlighting one line in a given state gives: its HTML, the change in open `<span>`s,
/// and the state after it (an index into the syntax's states).
struct Step {
    html: Box<str>,
    delta: isize,
    next: usize,
}

/// Lines already highlighted, per syntax. The same line in the same state always highlights
/// the same way, and the code blocks of a manual repeat many lines (field names, boilerplate),
/// so each distinct line is parsed once per thread (syntect's parser state cannot move between
/// threads). Bounded: past the limits, lines are simply parsed again.
#[derive(Default)]
struct SyntaxMemo {
    /// The distinct states seen at the start of a line.
    states: Vec<LineState>,
    /// Per state (same index), the lines seen in it.
    lines: Vec<FxHashMap<Box<str>, Step>>,
}

const MEMO_STATES: usize = 256;
const MEMO_BYTES: usize = 16 << 20;
const MEMO_LINE: usize = 400;

#[derive(Default)]
struct Memo {
    syntaxes: FxHashMap<&'static str, SyntaxMemo>,
    bytes: usize,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::default();
}

impl SyntaxMemo {
    /// The index of `state`, added when new and there is room.
    fn intern(&mut self, state: &LineState) -> Option<usize> {
        if let Some(i) = self.states.iter().position(|s| s == state) {
            return Some(i);
        }
        if self.states.len() >= MEMO_STATES {
            return None;
        }
        self.states.push(state.clone());
        self.lines.push(FxHashMap::default());
        Some(self.states.len() - 1)
    }
}

/// The classed `<span>`s of `code` (without the `<pre>`), or `None` when syntect fails on it.
fn classed(code: &str, syntax: &'static SyntaxReference) -> Option<String> {
    MEMO.with(|memo| match memo.try_borrow_mut() {
        Ok(mut memo) => {
            let Memo { syntaxes, bytes } = &mut *memo;
            let memo = syntaxes.entry(syntax.name.as_str()).or_default();
            classed_with(code, syntax, Some((memo, bytes)))
        }
        Err(_) => classed_with(code, syntax, None),
    })
}

fn classed_with(
    code: &str,
    syntax: &'static SyntaxReference,
    mut memo: Option<(&mut SyntaxMemo, &mut usize)>,
) -> Option<String> {
    let ss: &SyntaxSet = &SYNTAXES;
    let mut html = String::with_capacity(code.len() * 3);
    let mut open_spans: isize = 0;
    // The state before the current line: `owned`, and its index in the memo when it has one
    // (then `owned` is only brought up to date when a line must be parsed).
    let mut owned: LineState = (ParseState::new(syntax), ScopeStack::new());
    let mut current = memo.as_mut().and_then(|(m, _)| m.intern(&owned));
    let mut stale = false;
    for line in LinesWithEndings::from(code) {
        if let (Some(i), Some((m, _))) = (current, memo.as_mut()) {
            if let Some(step) = m.lines.get(i).and_then(|l| l.get(line)) {
                html.push_str(&step.html);
                open_spans += step.delta;
                current = Some(step.next);
                stale = true;
                continue;
            }
            if stale && let Some(state) = m.states.get(i) {
                owned = state.clone();
            }
        }
        let (parse_state, scopes) = &mut owned;
        let ops = parse_state.parse_line(line, ss).ok()?;
        let (spans, delta) = line_tokens_to_classed_spans(line, &ops, STYLE, scopes).ok()?;
        html.push_str(&spans);
        open_spans += delta;
        stale = false;
        let before = current;
        current = None;
        if let Some((m, bytes)) = memo.as_mut() {
            let next = m.intern(&owned);
            if let (Some(before), Some(next)) = (before, next)
                && line.len() <= MEMO_LINE
                && **bytes + line.len() + spans.len() <= MEMO_BYTES
                && let Some(lines) = m.lines.get_mut(before)
            {
                **bytes += line.len() + spans.len();
                lines.insert(
                    line.into(),
                    Step {
                        html: spans.into_boxed_str(),
                        delta,
                        next,
                    },
                );
            }
            current = next;
        }
    }
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

fn plain(code: &str, lang_attr: &str) -> String {
    let mut out = String::with_capacity(code.len() + 64);
    out.push_str("<pre class=\"code\"");
    if !lang_attr.is_empty() {
        out.push_str(" data-lang=\"");
        out.push_str(lang_attr);
        out.push('"');
    }
    out.push_str("><code>");
    pulldown_cmark_escape::escape_html_body_text(&mut out, code).ok();
    out.push_str("</code></pre>\n");
    out
}

/// Fence words that syntect's bundled set names differently.
fn alias(lang: &str) -> &str {
    match lang {
        "toml" | "ini" | "cfg" => "ini",
        "shell" | "console" | "zsh" => "bash",
        "jsonc" | "json5" => "json",
        "yml" => "yaml",
        "py" => "python",
        "js" | "mjs" => "javascript",
        "ts" => "typescript",
        other => other,
    }
}

fn escape_attr(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.' | '#'))
        .collect()
}

/// The code background of the default theme (`--panel`), light and dark.
const LIGHT_PANEL: (u8, u8, u8) = (0xf4, 0xf6, 0xf8);
const DARK_PANEL: (u8, u8, u8) = (0x1d, 0x22, 0x28);

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// A theme's stylesheet made readable on `bg`: the theme's own backgrounds are dropped (the site
/// sets the code background) and every text colour is moved towards black or white until it
/// reaches a contrast of 4.6:1 (WCAG 2.1 AA asks for 4.5:1).
fn readable(css: &str, bg: (u8, u8, u8)) -> String {
    static COLOR: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?m)^\s*background-color:[^;]*;\n?|color:\s*#([0-9a-fA-F]{6})")
            .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
    });
    let toward: f64 = if luminance(bg) > 0.5 { 0.0 } else { 255.0 };
    COLOR
        .replace_all(css, |c: &regex::Captures<'_>| {
            let Some(hex) = c.get(1) else {
                return String::new();
            };
            let v = u32::from_str_radix(hex.as_str(), 16).unwrap_or(0);
            let mut rgb = ((v >> 16) as u8, (v >> 8) as u8, v as u8);
            let orig = (f64::from(rgb.0), f64::from(rgb.1), f64::from(rgb.2));
            let mut t = 0.0;
            while contrast(rgb, bg) < 4.6 && t < 1.0 {
                t += 0.05;
                let mix = |o: f64| (o + (toward - o) * t).round().clamp(0.0, 255.0) as u8;
                rgb = (mix(orig.0), mix(orig.1), mix(orig.2));
            }
            format!("color: #{:02x}{:02x}{:02x}", rgb.0, rgb.1, rgb.2)
        })
        .into_owned()
}

/// The highlighting stylesheet: a light theme, and a dark one applied by the site's dark mode.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let mut css = String::from("/* Code highlighting (syntect): light, then dark. */\n");
    if let Some(light) = themes.themes.get("InspiredGitHub")
        && let Ok(s) = css_for_theme_with_class_style(light, STYLE)
    {
        css.push_str(&readable(&s, LIGHT_PANEL));
    }
    if let Some(dark) = themes.themes.get("base16-ocean.dark")
        && let Ok(s) = css_for_theme_with_class_style(dark, STYLE)
    {
        let s = readable(&s, DARK_PANEL);
        let mut forced = String::new();
        let mut auto = String::new();
        for rule in s.split_inclusive('}') {
            let rule = rule.trim_start();
            let Some((sel, body)) = rule.split_once('{') else {
                continue;
            };
            let sel = sel.rsplit("*/").next().unwrap_or(sel);
            let sels: Vec<&str> = sel
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            if sels.is_empty() {
                continue;
            }
            let scope = |prefix: &str| {
                sels.iter()
                    .map(|s| format!("{prefix} {s}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            forced.push_str(&format!(
                "{} {{{body}\n",
                scope(":root[data-theme=\"dark\"]")
            ));
            auto.push_str(&format!(
                "  {} {{{body}\n",
                scope(":root:not([data-theme=\"light\"])")
            ));
        }
        css.push_str("\n/* dark: chosen with the toggle */\n");
        css.push_str(&forced);
        css.push_str(
            "\n/* dark: following the system setting */\n@media (prefers-color-scheme: dark) {\n",
        );
        css.push_str(&auto);
        css.push_str("}\n");
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_languages() {
        let html = highlight("a: 1\n", "yaml");
        assert!(html.contains("hl-"), "{html}");
        let html = highlight("<x> & y\n", "no-such-language");
        assert!(html.contains("&lt;x&gt; &amp; y"), "{html}");
        assert!(!html.contains("hl-"), "{html}");
    }

    /// The highlighter without the line memo, as syntect's own generator does it.
    fn unmemoised(code: &str, lang: &str) -> String {
        let ss = &*SYNTAXES;
        let syntax = ss.find_syntax_by_token(lang).expect("known language");
        let mut generator =
            syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, ss, STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .expect("parses");
        }
        generator.finalize()
    }

    #[test]
    fn remembered_lines_highlight_as_fresh_ones() {
        // The same lines inside and outside a string, and whole blocks seen twice.
        let python = "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\nreturn True\n";
        let yaml = "model:\n  name: a\nthresholds:\n  name: a\n  - |\n    name: a\nmodel:\n";
        for _ in 0..3 {
            for (code, lang) in [(python, "python"), (yaml, "yaml"), ("x = 1\n", "python")] {
                let fresh = unmemoised(code, lang);
                let html = highlight(code, lang);
                assert!(html.contains(&fresh), "{lang}: {html} vs {fresh}");
                assert!(html.contains("hl-"), "{html}");
            }
        }
    }

    #[test]
    fn every_colour_is_readable() {
        let css = stylesheet();
        let re = regex::Regex::new(r"color: #([0-9a-f]{6})").expect("regex");
        let (light, dark) = css.split_once("/* dark").expect("two parts");
        for (part, bg) in [(light, LIGHT_PANEL), (dark, DARK_PANEL)] {
            // Each part has colours to check: a regex that matches nothing proves nothing.
            assert!(
                re.captures_iter(part).count() >= 5,
                "too few colours found in {part}"
            );
            for c in re.captures_iter(part) {
                let v = u32::from_str_radix(&c[1], 16).unwrap_or(0);
                let rgb = ((v >> 16) as u8, (v >> 8) as u8, v as u8);
                assert!(contrast(rgb, bg) >= 4.5, "#{} on {bg:?}", &c[1]);
            }
        }
        assert!(!css.contains("background-color"));
    }

    #[test]
    fn stylesheet_has_light_and_dark() {
        let css = stylesheet();
        assert!(css.contains(".hl-"), "light rules");
        assert!(css.contains("data-theme=\"dark\""), "dark rules");
    }
}
