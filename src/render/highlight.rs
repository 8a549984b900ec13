//! Code highlighting, the only module that knows syntect: fenced code becomes HTML with CSS
//! classes, and one stylesheet (light and dark) is written for the whole site. Syntaxes and
//! themes are syntect's bundled ones, loaded once; nothing is fetched.
//!
//! Each token is resolved against both themes here, at build time, and gets one flat `<span>`
//! naming its colour in each (`l3 d5`, plus `lb`/`li`/`lu` and `db`/`di`/`du` for bold, italic
//! and underline). Spans that follow the grammar's scopes (`hl-source hl-shell hl-bash …`,
//! nested once per scope) made a fifth of every page with code; the flat form is about a
//! quarter of that and looks the same, since the themes' rules are applied as the browser
//! would have applied them.

use std::cell::RefCell;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use syntect::highlighting::{Color, FontStyle, Highlighter, Style, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Identifies the highlighter's output format, for caches of highlighted code.
pub const VERSION: &str = "syntect-5 flat l/d 2";

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

static THEMES: LazyLock<ThemeSet> = LazyLock::new(ThemeSet::load_defaults);

/// The light theme and the dark one (the site's dark mode).
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

/// One theme as classes: its text colours numbered in the order the theme names them (0 is
/// the theme's default), and the letter its classes start with.
struct Palette {
    highlighter: Highlighter<'static>,
    default: (u8, u8, u8),
    colors: Vec<(u8, u8, u8)>,
    letter: char,
}

impl Palette {
    fn new(theme: &str, letter: char) -> Option<Palette> {
        let theme = THEMES.themes.get(theme)?;
        let rgb = |c: Color| (c.r, c.g, c.b);
        let default = rgb(theme.settings.foreground.unwrap_or(Color::BLACK));
        let mut colors = Vec::new();
        for item in &theme.scopes {
            if let Some(c) = item.style.foreground.map(rgb)
                && c != default
                && !colors.contains(&c)
            {
                colors.push(c);
            }
        }
        Some(Palette {
            highlighter: Highlighter::new(theme),
            default,
            colors,
            letter,
        })
    }

    /// The colour's number: 0 for the default, else its place in `colors` plus one.
    fn number(&self, style: &Style) -> usize {
        let c = (style.foreground.r, style.foreground.g, style.foreground.b);
        self.colors
            .iter()
            .position(|x| *x == c)
            .map_or(0, |i| i + 1)
    }

    /// Appends the font classes of `style` (` lb`, ` li`, ` lu`).
    fn fonts(&self, style: &Style, out: &mut String) {
        for (bit, name) in FONTS {
            if style.font_style.contains(bit) {
                out.push(' ');
                out.push(self.letter);
                out.push(name);
            }
        }
    }
}

const FONTS: [(FontStyle, char); 3] = [
    (FontStyle::BOLD, 'b'),
    (FontStyle::ITALIC, 'i'),
    (FontStyle::UNDERLINE, 'u'),
];

static PALETTES: LazyLock<Option<(Palette, Palette)>> = LazyLock::new(|| {
    Some((
        Palette::new(LIGHT_THEME, 'l')?,
        Palette::new(DARK_THEME, 'd')?,
    ))
});

/// The classes of a token under `stack` (empty when both themes show it as plain text).
fn classes_for(stack: &[Scope]) -> String {
    let Some((light, dark)) = PALETTES.as_ref() else {
        return String::new();
    };
    let (l, d) = (
        light.highlighter.style_for_stack(stack),
        dark.highlighter.style_for_stack(stack),
    );
    let (ln, dn) = (light.number(&l), dark.number(&d));
    let mut out = String::new();
    if ln != 0 {
        out.push_str(&format!("l{ln}"));
    }
    light.fonts(&l, &mut out);
    // A light class needs a dark one to undo it in dark mode, even the default colour's.
    if !out.is_empty() || dn != 0 || !d.font_style.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!("d{dn}"));
        dark.fonts(&d, &mut out);
    }
    out.trim_start().to_string()
}

thread_local! {
    /// Classes per scope stack: resolving a stack against a theme is slow, and code has few.
    static CLASSES: RefCell<FxHashMap<Vec<Scope>, Box<str>>> = RefCell::default();
}

/// Past this many stacks, classes are resolved without being remembered.
const CLASS_MEMO: usize = 4096;

fn classes(stack: &[Scope], out: &mut String) {
    CLASSES.with(|memo| match memo.try_borrow_mut() {
        Ok(mut memo) => {
            if let Some(c) = memo.get(stack) {
                out.push_str(c);
            } else {
                let c = classes_for(stack);
                out.push_str(&c);
                if memo.len() < CLASS_MEMO {
                    memo.insert(stack.to_vec(), c.into_boxed_str());
                }
            }
        }
        Err(_) => out.push_str(&classes_for(stack)),
    });
}

/// One line as flat spans, one per run of text with the same classes; `stack` is the scopes
/// open at the line's start, and after it on return.
fn line_spans(line: &str, ops: &[(usize, ScopeStackOp)], stack: &mut ScopeStack) -> Option<String> {
    let mut runs = Runs {
        out: String::with_capacity(line.len() + ops.len() * 12),
        ..Runs::default()
    };
    let mut at = 0;
    for (i, op) in ops {
        if *i > at {
            runs.text(line.get(at..*i).unwrap_or(""), stack.as_slice());
            at = *i;
        }
        stack.apply(op).ok()?;
    }
    runs.text(line.get(at..).unwrap_or(""), stack.as_slice());
    runs.flush();
    Some(runs.out)
}

/// The spans of one line as they are made: the finished ones, and the run being extended.
#[derive(Default)]
struct Runs {
    out: String,
    run: String,
    run_class: String,
    class: String,
}

impl Runs {
    fn text(&mut self, piece: &str, stack: &[Scope]) {
        if piece.is_empty() {
            return;
        }
        // Blanks and the newline join the run they follow: no span just for them.
        if !piece.trim().is_empty() || self.run.is_empty() {
            self.class.clear();
            classes(stack, &mut self.class);
            if self.class != self.run_class {
                self.flush();
                std::mem::swap(&mut self.run_class, &mut self.class);
            }
        }
        pulldown_cmark_escape::escape_html_body_text(&mut self.run, piece).ok();
    }

    fn flush(&mut self) {
        if self.run.is_empty() {
            return;
        }
        if self.run_class.is_empty() {
            self.out.push_str(&self.run);
        } else {
            self.out.push_str("<span class=\"");
            self.out.push_str(&self.run_class);
            self.out.push_str("\">");
            self.out.push_str(&self.run);
            self.out.push_str("</span>");
        }
        self.run.clear();
    }
}

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

/// What highlighting one line in a given state gives: its HTML (whole spans), and the state
/// after it (an index into the syntax's states).
struct Step {
    html: Box<str>,
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
    // The state before the current line: `owned`, and its index in the memo when it has one
    // (then `owned` is only brought up to date when a line must be parsed).
    let mut owned: LineState = (ParseState::new(syntax), ScopeStack::new());
    let mut current = memo.as_mut().and_then(|(m, _)| m.intern(&owned));
    let mut stale = false;
    for line in LinesWithEndings::from(code) {
        if let (Some(i), Some((m, _))) = (current, memo.as_mut()) {
            if let Some(step) = m.lines.get(i).and_then(|l| l.get(line)) {
                html.push_str(&step.html);
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
        let spans = line_spans(line, &ops, scopes)?;
        html.push_str(&spans);
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
                        next,
                    },
                );
            }
            current = next;
        }
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

/// One theme's rules: a colour per number, and its font classes.
fn palette_rules(p: &Palette, with_default: bool) -> String {
    let mut css = String::new();
    let hex = |(r, g, b): (u8, u8, u8)| format!("#{r:02x}{g:02x}{b:02x}");
    if with_default {
        css.push_str(&format!(
            ".{}0 {{ color: {}; }}\n",
            p.letter,
            hex(p.default)
        ));
    }
    for (i, c) in p.colors.iter().enumerate() {
        css.push_str(&format!(
            ".{}{} {{ color: {}; }}\n",
            p.letter,
            i + 1,
            hex(*c)
        ));
    }
    css
}

fn font_rules(letter: char, on: bool) -> String {
    let rule = |name: char| match (name, on) {
        ('b', true) => "font-weight: bold",
        ('b', false) => "font-weight: normal",
        ('i', true) => "font-style: italic",
        ('i', false) => "font-style: normal",
        (_, true) => "text-decoration: underline",
        (_, false) => "text-decoration: none",
    };
    FONTS
        .iter()
        .map(|(_, name)| format!(".{letter}{name} {{ {}; }}\n", rule(*name)))
        .collect()
}

/// The highlighting stylesheet: the light theme's classes, and the dark theme's, applied by the
/// site's dark mode (chosen with the toggle, or following the system setting), which also undo
/// the light theme's fonts.
pub fn stylesheet() -> String {
    let mut css =
        String::from("/* Code highlighting (syntect): the light theme, then the dark one. */\n");
    let Some((light, dark)) = PALETTES.as_ref() else {
        return css;
    };
    css.push_str(&readable(&palette_rules(light, false), LIGHT_PANEL));
    css.push_str(&font_rules('l', true));
    let mut rules = readable(&palette_rules(dark, true), DARK_PANEL);
    rules.push_str(&font_rules('l', false));
    rules.push_str(&font_rules('d', true));
    let scoped = |prefix: &str, indent: &str| -> String {
        rules
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("{indent}{prefix} {l}\n"))
            .collect()
    };
    css.push_str("\n/* dark: chosen with the toggle */\n");
    css.push_str(&scoped(":root[data-theme=\"dark\"]", ""));
    css.push_str(
        "\n/* dark: following the system setting */\n@media (prefers-color-scheme: dark) {\n",
    );
    css.push_str(&scoped(":root:not([data-theme=\"light\"])", "  "));
    css.push_str("}\n");
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_languages() {
        let html = highlight("a: 1\n", "yaml");
        assert!(html.contains("<span class=\"l"), "{html}");
        let html = highlight("<x> & y\n", "no-such-language");
        assert!(html.contains("&lt;x&gt; &amp; y"), "{html}");
        assert!(!html.contains("<span"), "{html}");
    }

    /// The highlighter without the line memo.
    fn unmemoised(code: &str, lang: &str) -> String {
        let syntax = SYNTAXES.find_syntax_by_token(lang).expect("known language");
        classed_with(code, syntax, None).expect("highlights")
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
                assert!(html.contains("<span class="), "{html}");
            }
        }
    }

    /// Each token's classes are the style the themes give its scopes: a keyword is bold in the
    /// light theme, and a comment is italic, in colours of their own; plain text has no span;
    /// spans are never nested.
    #[test]
    fn tokens_carry_their_themes_styles() {
        let html = highlight("def f(x):\n    # note\n    return x\n", "python");
        let (light, dark) = PALETTES.as_ref().expect("themes");
        let stack = |scopes: &[&str]| -> Vec<Scope> {
            scopes
                .iter()
                .map(|s| Scope::new(s).expect("scope"))
                .collect()
        };
        let keyword = stack(&[
            "source.python",
            "meta.function.python",
            "storage.type.function.python",
        ]);
        let style = light.highlighter.style_for_stack(&keyword);
        assert!(style.font_style.contains(FontStyle::BOLD), "{style:?}");
        let class = classes_for(&keyword);
        assert!(class.contains(" lb") || class.starts_with("lb"), "{class}");
        // The page's `def` is such a keyword: bold in the light theme, in a colour of each.
        let def = regex::Regex::new(r#"<span class="(l\d+ lb d\d+)">def "#).expect("regex");
        assert!(def.is_match(&html), "{html}");
        let dark_style = dark.highlighter.style_for_stack(&keyword);
        assert!(
            class.contains(&format!("d{}", dark.number(&dark_style))),
            "{class}"
        );
        assert!(html.contains(" li"), "the comment is italic: {html}");
        // Flat: every span closes before the next opens.
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count()
        );
        let nested = regex::Regex::new(r"<span[^>]*>[^<]*<span").expect("regex");
        assert!(!nested.is_match(&html), "{html}");
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
        assert!(css.contains(".l1 "), "light rules");
        assert!(
            css.contains(":root[data-theme=\"dark\"] .d0 "),
            "dark rules"
        );
        assert!(css.contains(":root[data-theme=\"dark\"] .lb { font-weight: normal; }"));
        assert!(css.contains("data-theme=\"dark\""), "dark rules");
    }
}
