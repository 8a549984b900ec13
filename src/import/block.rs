//! The document-control block near the top of a body: a list of `- **Label:** value` lines (or
//! bold `**Label:** value` lines) or a two-column table (`| Version | 1.1 |`, also one header
//! row of labels over one row of values), found and cut out of the body.

use super::metadata::label_target;

/// One `label: value` of the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub value: String,
    /// File line.
    pub line: usize,
}

/// A block found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Byte range in the body to remove (with a "Document control" heading above it, and the
    /// blank lines after it).
    pub range: std::ops::Range<usize>,
    pub items: Vec<Item>,
    pub first_line: usize,
    pub last_line: usize,
}

/// How far into the body a block is looked for, in lines.
const WINDOW: usize = 80;
/// How many known labels make a block.
const MIN_KNOWN: usize = 2;

struct Line<'a> {
    text: &'a str,
    start: usize,
}

fn lines(body: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < body.len() {
        let end = body[pos..].find('\n').map_or(body.len(), |i| pos + i + 1);
        out.push(Line {
            text: body[pos..end].trim_end_matches(['\n', '\r']),
            start: pos,
        });
        pos = end;
    }
    out
}

fn strip_bold(s: &str) -> &str {
    let s = s.trim();
    for m in ["**", "__"] {
        if let Some(inner) = s.strip_prefix(m).and_then(|x| x.strip_suffix(m)) {
            return inner.trim();
        }
    }
    s
}

/// A `- **Label:** value`, `**Label**: value` or `- Label: value` line.
fn item(line: &str) -> Option<(String, String)> {
    let t = line.trim();
    let (bullet, rest) = match t.strip_prefix(['-', '*', '+']) {
        Some(r) if r.starts_with(' ') => (true, r.trim_start()),
        _ => (false, t),
    };
    for m in ["**", "__"] {
        if let Some(r) = rest.strip_prefix(m)
            && let Some(close) = r.find(m)
        {
            let label = r[..close].trim().trim_end_matches(':').trim();
            let after = r[close + m.len()..].trim_start();
            let had_colon = r[..close].trim_end().ends_with(':') || after.starts_with(':');
            let value = after.strip_prefix(':').unwrap_or(after).trim();
            if label.is_empty() || !had_colon || label.len() > 48 {
                return None;
            }
            return Some((label.to_string(), clean_value(value)));
        }
    }
    if bullet && let Some((label, value)) = rest.split_once(':') {
        let label = label.trim();
        if label_target(label).is_some() && !value.trim().is_empty() {
            return Some((label.to_string(), clean_value(value)));
        }
    }
    None
}

fn clean_value(v: &str) -> String {
    let v = v
        .trim()
        .trim_end_matches("<br>")
        .trim_end_matches('\\')
        .trim();
    strip_bold(v).to_string()
}

fn cells(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    let inner = t.strip_prefix('|')?;
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(
        inner
            .split('|')
            .map(|c| strip_bold(c).trim_end_matches(':').trim().to_string())
            .collect(),
    )
}

fn is_separator(row: &[String]) -> bool {
    row.iter().all(|c| {
        let c = c.trim();
        !c.is_empty() && c.trim_matches(':').chars().all(|ch| ch == '-')
    })
}

fn known(label: &str) -> bool {
    label_target(label).is_some()
}

/// The items of a table given as (file line, cells) rows.
fn table_items(rows: &[(usize, Vec<String>)]) -> Option<Vec<Item>> {
    let data: Vec<&(usize, Vec<String>)> = rows.iter().filter(|(_, r)| !is_separator(r)).collect();
    // Two columns: label | value, the header row included when it is a label.
    if data.iter().all(|(_, r)| r.len() == 2) {
        let items: Vec<Item> = data
            .iter()
            .filter(|(_, r)| {
                known(&r[0])
                    || !matches!(
                        r[0].to_lowercase().as_str(),
                        "field" | "item" | "property" | "attribute" | ""
                    )
            })
            .map(|(line, r)| Item {
                label: r[0].clone(),
                value: r[1].clone(),
                line: *line,
            })
            .collect();
        if items.iter().filter(|i| known(&i.label)).count() >= MIN_KNOWN {
            return Some(items);
        }
    }
    // One row of labels over one row of values.
    if rows.len() == 3 && is_separator(&rows[1].1) {
        let (_, head) = &rows[0];
        let (line, values) = &rows[2];
        if head.len() == values.len() && head.iter().filter(|h| known(h)).count() >= MIN_KNOWN {
            return Some(
                head.iter()
                    .zip(values)
                    .map(|(h, v)| Item {
                        label: h.clone(),
                        value: v.clone(),
                        line: *line,
                    })
                    .collect(),
            );
        }
    }
    None
}

/// A heading (or a bold line) that names a document-control block.
fn is_block_heading(line: &str) -> bool {
    let t = line.trim();
    let text = if let Some(h) = t.strip_prefix('#') {
        h.trim_start_matches('#').trim()
    } else if t.starts_with("**") || t.starts_with("__") {
        strip_bold(t)
    } else {
        return false;
    };
    let l = text.to_lowercase();
    [
        "document control",
        "document information",
        "document details",
        "document metadata",
        "document properties",
        "control information",
    ]
    .iter()
    .any(|k| l.contains(k))
}

/// Finds the first document-control block in the first lines of `body`, whose first line is
/// line `first_line` of the file.
pub fn find(body: &str, first_line: usize) -> Option<Block> {
    let all = lines(body);
    let mut fence: Option<&str> = None;
    let mut i = 0;
    while i < all.len().min(WINDOW) {
        let t = all[i].text.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            i += 1;
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            i += 1;
            continue;
        }
        let run = if t.starts_with('|') {
            let mut rows = Vec::new();
            let mut j = i;
            while j < all.len() {
                match cells(all[j].text) {
                    Some(c) => rows.push((first_line + j, c)),
                    None => break,
                }
                j += 1;
            }
            table_items(&rows).map(|items| (items, j))
        } else if item(all[i].text).is_some() {
            let mut items = Vec::new();
            let mut j = i;
            let mut end = i;
            while j < all.len() {
                if let Some((label, value)) = item(all[j].text) {
                    items.push(Item {
                        label,
                        value,
                        line: first_line + j,
                    });
                    end = j + 1;
                } else if !all[j].text.trim().is_empty() {
                    break;
                }
                j += 1;
            }
            (items.iter().filter(|it| known(&it.label)).count() >= MIN_KNOWN)
                .then_some((items, end))
        } else {
            None
        };
        if let Some((items, end)) = run {
            // A "Document control" heading right above belongs to the block.
            let mut start = i;
            let mut k = i;
            while k > 0 && all[k - 1].text.trim().is_empty() {
                k -= 1;
            }
            if k > 0 && is_block_heading(all[k - 1].text) {
                start = k - 1;
            }
            let mut stop = end;
            while stop < all.len() && all[stop].text.trim().is_empty() {
                stop += 1;
            }
            let range_end = if stop < all.len() {
                all[stop].start
            } else {
                body.len()
            };
            return Some(Block {
                range: all[start].start..range_end,
                items,
                first_line: first_line + start,
                last_line: first_line + end.saturating_sub(1).max(start),
            });
        }
        i += 1;
    }
    None
}

/// The body without the block; one blank line where it was.
pub fn remove(body: &str, block: &Block) -> String {
    let before = &body[..block.range.start];
    let after = &body[block.range.end..];
    if before.trim().is_empty() {
        return after.to_string();
    }
    if after.is_empty() {
        return before.trim_end().to_string() + "\n";
    }
    format!("{}\n\n{after}", before.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_with_a_heading_are_found_and_removed() {
        let body = "# AI Policy\n\n## Document Control\n\n- **Document ID:** AIMS-POL-009\n- **Version:** 1.1\n- **Note:** x\n\n## Purpose\n\nText.\n";
        let b = find(body, 5).expect("a block");
        assert_eq!(b.items.len(), 3);
        assert_eq!(b.items[0].value, "AIMS-POL-009");
        assert_eq!(b.items[0].line, 9);
        assert_eq!(b.first_line, 7);
        assert_eq!(remove(body, &b), "# AI Policy\n\n## Purpose\n\nText.\n");
    }

    #[test]
    fn tables_two_column_and_horizontal() {
        let body = "| Version | 1.1 |\n|---|---|\n| Status | Approved |\n\nText\n";
        let b = find(body, 1).expect("a block");
        assert_eq!(b.items[1].value, "Approved");
        let body = "Intro\n\n| Doc ID | Version | Owner |\n|---|---|---|\n| X-1 | 2 | CISO |\n";
        let b = find(body, 1).expect("a block");
        assert_eq!(b.items[2].value, "CISO");
        assert_eq!(remove(body, &b), "Intro\n");
        // A revision history (many rows) is no block.
        let body = "| Version | Date |\n|---|---|\n| 1 | a |\n| 2 | b |\n";
        assert!(find(body, 1).is_none());
    }

    #[test]
    fn ordinary_lists_are_no_block() {
        let body = "- **Purpose:** why\n- **Scope:** what\n\n```\n- **Version:** 1\n- **Status:** x\n```\n";
        assert!(find(body, 1).is_none());
    }
}
