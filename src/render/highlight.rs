//! Code highlighting, the only module that knows syntect: fenced code becomes HTML with CSS
//! classes, and one stylesheet (light and dark) is written for the whole site. Syntaxes and
//! themes are syntect's bundled ones, loaded once; nothing is fetched.

use std::sync::LazyLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
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
    let mut out = String::with_capacity(code.len() * 2 + 64);
    let lang_attr = escape_attr(lang);
    match syntax {
        Some(syntax) => {
            let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, ss, STYLE);
            for line in LinesWithEndings::from(code) {
                if generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_err()
                {
                    return plain(code, &lang_attr);
                }
            }
            out.push_str("<pre class=\"code\" data-lang=\"");
            out.push_str(&lang_attr);
            out.push_str("\"><code>");
            out.push_str(&generator.finalize());
            out.push_str("</code></pre>\n");
            out
        }
        None => plain(code, &lang_attr),
    }
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

    #[test]
    fn every_colour_is_readable() {
        let css = stylesheet();
        let re = regex::Regex::new(r"color: #([0-9a-f]{6})").expect("regex");
        let (light, dark) = css.split_once("/* dark").expect("two parts");
        for (part, bg) in [(light, LIGHT_PANEL), (dark, DARK_PANEL)] {
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
