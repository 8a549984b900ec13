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

/// The highlighting stylesheet: a light theme, and a dark one applied by the site's dark mode.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let mut css = String::from("/* Code highlighting (syntect): light, then dark. */\n");
    if let Some(light) = themes.themes.get("InspiredGitHub")
        && let Ok(s) = css_for_theme_with_class_style(light, STYLE)
    {
        css.push_str(&s);
    }
    if let Some(dark) = themes.themes.get("base16-ocean.dark")
        && let Ok(s) = css_for_theme_with_class_style(dark, STYLE)
    {
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
    fn stylesheet_has_light_and_dark() {
        let css = stylesheet();
        assert!(css.contains(".hl-"), "light rules");
        assert!(css.contains("data-theme=\"dark\""), "dark rules");
    }
}
