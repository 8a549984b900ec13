//! Our front-matter as text: the fields of the README's "Writing documents", in one stable order,
//! each value quoted only when YAML would read it as something else.

use super::{Decided, Meta};
use crate::model::Status;

/// A YAML scalar for `s`: plain when that reads back as the same string, else double-quoted
/// (JSON string syntax, which YAML reads the same way).
pub fn yaml_str(s: &str) -> String {
    let plain_chars = s
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-' | '/' | '(' | ')' | ','));
    let first_ok = s.chars().next().is_some_and(char::is_alphanumeric);
    let keyword = matches!(
        s.to_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n" | "~"
    );
    let numeric = s.parse::<f64>().is_ok()
        || s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '_');
    if plain_chars && first_ok && !keyword && !numeric && !s.ends_with(' ') {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.replace('"', "'")))
    }
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.replace('"', "'")))
}

fn value(d: &Option<Decided>) -> &str {
    d.as_ref().map_or("", |d| d.value.as_str())
}

fn list(items: &[Decided]) -> String {
    let v: Vec<String> = items.iter().map(|d| quoted(&d.value)).collect();
    format!("[{}]", v.join(", "))
}

/// The `---` block for `meta` with `status`.
pub fn front_matter(meta: &Meta, status: Status) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!("id: {}\n", yaml_str(value(&meta.id))));
    out.push_str(&format!("title: {}\n", yaml_str(value(&meta.title))));
    out.push_str(&format!("type: {}\n", value(&meta.doc_type)));
    out.push_str(&format!("owner: {}\n", yaml_str(value(&meta.owner))));
    out.push_str(&format!("version: {}\n", quoted(value(&meta.version))));
    out.push_str(&format!("status: {status}\n"));
    let mut extra = meta.extra.clone();
    match (&meta.approval_by, &meta.approval_date) {
        (Some(by), Some(date)) => out.push_str(&format!(
            "approval:\n  by: {}\n  date: {}\n",
            yaml_str(&by.value),
            date.value
        )),
        // Half an approval is no approval: kept under `extra:` so nothing is lost.
        (Some(by), None) => extra.push((
            "approved_by".into(),
            format!("approved_by: {}\n", yaml_str(&by.value)),
        )),
        (None, Some(date)) => extra.push((
            "approval_date".into(),
            format!("approval_date: {}\n", date.value),
        )),
        (None, None) => {}
    }
    if let Some(r) = &meta.review_date {
        out.push_str(&format!("review_date: {}\n", r.value));
    }
    if !meta.clauses.is_empty() {
        out.push_str(&format!("clauses: {}\n", list(&meta.clauses)));
    }
    if !meta.controls.is_empty() {
        out.push_str(&format!("controls: {}\n", list(&meta.controls)));
    }
    if let Some(c) = &meta.classification {
        out.push_str(&format!("classification: {}\n", c.value));
    }
    for (_, lines) in &meta.kept {
        out.push_str(lines);
    }
    if !extra.is_empty() {
        out.push_str("extra:\n");
        for (_, lines) in &extra {
            for line in lines.lines() {
                if line.trim().is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("  {line}\n"));
                }
            }
        }
    }
    out.push_str("---\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(yaml_str("AI Governance Lead"), "AI Governance Lead");
        assert_eq!(yaml_str("1.10"), "\"1.10\"");
        assert_eq!(yaml_str("yes"), "\"yes\"");
        assert_eq!(yaml_str("Policy: AI"), "\"Policy: AI\"");
        assert_eq!(yaml_str("#1 rule"), "\"#1 rule\"");
        assert_eq!(yaml_str("2026-01-01"), "\"2026-01-01\"");
    }
}
