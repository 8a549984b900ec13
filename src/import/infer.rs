//! What words and numbers say: types from the title, file and folder names, clauses from numbered
//! folders and headings, statuses, classifications and dates as people write them, and new ids
//! in the manual's scheme.

use std::collections::HashSet;
use std::path::Path;

use jiff::civil::Date;

use super::{Decided, Source};
use crate::catalog;
use crate::model::{Classification, DocType, Status};

/// The 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A value without surrounding quotes, backticks and bold markers.
pub fn clean(v: &str) -> String {
    let v = v.trim();
    let v = v
        .strip_prefix("**")
        .and_then(|x| x.strip_suffix("**"))
        .unwrap_or(v);
    let v = v.trim_matches('`').trim();
    v.to_string()
}

/// Values that say "nothing here yet".
pub fn is_placeholder(v: &str) -> bool {
    matches!(
        v.trim().to_lowercase().as_str(),
        "" | "-" | "—" | "–" | "tbd" | "tbc" | "n/a" | "na" | "?" | "none" | "todo" | "~" | "null"
    )
}

/// `Next Review Date` → `next_review_date`.
pub fn snake(label: &str) -> String {
    let mut out = String::new();
    for c in label.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() { "field".into() } else { out }
}

/// An acronym that can serve as an id: upper-case letters, digits, `-`, `_`, `.`, with a letter.
pub fn looks_like_id(v: &str) -> bool {
    crate::model::frontmatter::valid_id(v)
        && v.len() >= 2
        && v.chars().any(|c| c.is_ascii_uppercase())
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

fn word_type(word: &str) -> Option<DocType> {
    Some(match word {
        "policy" | "policies" => DocType::Policy,
        "procedure" | "procedures" => DocType::Procedure,
        "plan" | "plans" => DocType::Plan,
        "record" | "records" | "minutes" | "report" | "reports" => DocType::Record,
        "register" | "registers" => DocType::Register,
        "template" | "templates" | "form" | "forms" | "checklist" | "checklists" => DocType::Form,
        "guideline" | "guidelines" | "guidance" => DocType::Guideline,
        "soa" => DocType::Soa,
        _ => return None,
    })
}

/// The type a text names: "statement of applicability", else its last type word ("Policy review
/// minutes" is minutes, a record).
pub fn doc_type_word(text: &str) -> Option<DocType> {
    let lower = text.to_lowercase();
    if let Some(t) = DocType::parse(lower.trim()) {
        return Some(t);
    }
    if lower.contains("statement of applicability") {
        return Some(DocType::Soa);
    }
    lower
        .split(|c: char| !c.is_alphanumeric())
        .rev()
        .find_map(word_type)
}

/// The type from the title, else the file name, else the folders (nearest first).
pub fn doc_type(title: Option<&str>, rel: &str) -> Option<Decided> {
    let decided = |t: DocType, why: String| Decided {
        value: t.as_str().into(),
        source: Source::Inferred(why),
    };
    if let Some(t) = title.and_then(doc_type_word) {
        return Some(decided(t, "the title".into()));
    }
    let mut parts: Vec<&str> = rel.split('/').collect();
    let file = parts.pop().unwrap_or("");
    if let Some(t) = doc_type_word(stem(file)) {
        return Some(decided(t, "the file name".into()));
    }
    parts
        .iter()
        .rev()
        .find_map(|f| doc_type_word(f).map(|t| decided(t, format!("the folder `{f}`"))))
}

fn stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(s, _)| s)
}

pub fn status(v: &str) -> Option<Status> {
    let l = v.trim().to_lowercase().replace(['_', '-'], " ");
    Some(match l.as_str() {
        "approved" => Status::Approved,
        "draft" | "wip" | "work in progress" | "new" => Status::Draft,
        "in review" | "review" | "under review" | "for review" | "pending approval"
        | "awaiting approval" => Status::InReview,
        "withdrawn" | "obsolete" | "superseded" | "retired" | "archived" => Status::Withdrawn,
        _ => return None,
    })
}

pub fn classification(v: &str) -> Option<Classification> {
    let l = v.to_lowercase();
    if l.contains("restricted") || l.contains("secret") || l.contains("strictly confidential") {
        Some(Classification::Restricted)
    } else if l.contains("confidential") {
        Some(Classification::Confidential)
    } else if l.contains("internal") {
        Some(Classification::Internal)
    } else if l.contains("public") {
        Some(Classification::Public)
    } else {
        None
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month(word: &str) -> Option<i8> {
    let w = word.to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| w.starts_with(m))
        .and_then(|i| i8::try_from(i + 1).ok())
}

fn ymd(y: i64, m: i64, d: i64) -> Result<String, String> {
    let (Ok(y), Ok(m), Ok(d)) = (i16::try_from(y), i8::try_from(m), i8::try_from(d)) else {
        return Err("a number out of range".into());
    };
    Date::new(y, m, d)
        .map(|d| d.to_string())
        .map_err(|_| format!("{y:04}-{m:02}-{d:02} does not exist"))
}

/// A date as people write it, as YYYY-MM-DD: `2026-03-14` (also with a time), `2026/03/14`,
/// `14.03.2026`, `14/03/2026` (day first unless the day cannot be a month), `14 March 2026`,
/// `March 14, 2026`. Ambiguous and impossible dates are errors saying why.
pub fn date(v: &str) -> Result<String, String> {
    let v = v.trim();
    let head = v.split(['T', ' ']).next().unwrap_or(v);
    let nums: Vec<&str> = head.split(['-', '/', '.']).collect();
    let parse = |s: &str| s.parse::<i64>().ok();
    if nums.len() == 3
        && nums
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    {
        let (a, b, c) = (parse(nums[0]), parse(nums[1]), parse(nums[2]));
        if let (Some(a), Some(b), Some(c)) = (a, b, c) {
            if nums[0].len() == 4 {
                return ymd(a, b, c);
            }
            if nums[2].len() == 4 {
                return match (a > 12, b > 12) {
                    (true, _) => ymd(c, b, a),
                    (false, true) => ymd(c, a, b),
                    (false, false) if a == b => ymd(c, a, b),
                    _ => Err(format!(
                        "day and month cannot be told apart; write {c:04}-{b:02}-{a:02} or {c:04}-{a:02}-{b:02}"
                    )),
                };
            }
        }
    }
    // Words: `14 March 2026`, `March 14, 2026`, `14th Mar 2026`.
    let words: Vec<&str> = v
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() == 3 {
        let num = |w: &str| {
            w.trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .parse::<i64>()
                .ok()
        };
        if let (Some(d), Some(m), Some(y)) = (num(words[0]), month(words[1]), num(words[2])) {
            return ymd(y, i64::from(m), d);
        }
        if let (Some(m), Some(d), Some(y)) = (month(words[0]), num(words[1]), num(words[2])) {
            return ymd(y, i64::from(m), d);
        }
    }
    Err("expected a date such as 2026-03-14".into())
}

/// The text of the first `# heading` outside code, and its file line.
pub fn first_heading(body: &str, first_line: usize) -> Option<(String, usize)> {
    let mut fenced = false;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        if let Some(rest) = t.strip_prefix("# ") {
            let text = rest.trim().trim_end_matches('#').trim();
            let text = text.replace("**", "");
            if !text.is_empty() {
                return Some((text, first_line + i));
            }
        }
    }
    None
}

/// `03-ai-risk-policy.md` → `Ai risk policy`.
pub fn title_from_file(rel: &str) -> Option<String> {
    let file = rel.rsplit('/').next().unwrap_or(rel);
    let s = stem(file).trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
    let words: Vec<&str> = s.split(['-', '_', ' ']).filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return None;
    }
    let joined = words.join(" ");
    let mut chars = joined.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
}

fn significant(text: &str) -> HashSet<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            w.len() >= 4 && !matches!(*w, "with" | "from" | "that" | "this" | "other" | "their")
        })
        .map(str::to_string)
        .collect()
}

/// A clause number that the words beside it confirm: the text says "clause", or shares a word
/// with the clause's title in the catalog (so `4. Responsibilities` in a policy is no clause 4).
fn confirmed_clause(number: &str, said_clause: bool, words: &str) -> Option<String> {
    let id = number.trim_end_matches('.').to_string();
    let title = catalog::get().clause(&id)?.title.clone();
    let overlap = !significant(&title).is_disjoint(&significant(words));
    (said_clause || overlap).then_some(id)
}

/// Splits `Clause 6 Planning`, `06-planning`, `6.1.2 AI risk assessment` into (number, says
/// "clause", the rest).
fn numbered(text: &str) -> Option<(String, bool, String)> {
    let t = text.trim();
    let lower = t.to_lowercase();
    let (said, rest) = match lower.strip_prefix("clause") {
        Some(r) => (
            true,
            t[t.len() - r.len()..].trim_start_matches([' ', '-', '_']),
        ),
        None => (false, t),
    };
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let number = &rest[..end];
    if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let words = rest[end..].trim_start_matches([' ', '-', '_', ')']);
    let number = number
        .split('.')
        .filter(|p| !p.is_empty())
        .map(|p| p.trim_start_matches('0'))
        .map(|p| if p.is_empty() { "0" } else { p })
        .collect::<Vec<_>>()
        .join(".");
    Some((number, said, words.replace(['-', '_'], " ")))
}

/// Clauses from the folders of `rel` (`06-planning/`, `Clause 6 Planning/`), with why.
pub fn clauses_from_folders(rel: &str) -> Vec<(String, String)> {
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    parts
        .iter()
        .filter_map(|f| {
            let (n, said, words) = numbered(f)?;
            confirmed_clause(&n, said, &words).map(|id| (id, format!("the folder `{f}`")))
        })
        .collect()
}

/// Clauses from headings that start with a clause number (`## 6.1.2 AI risk assessment`).
pub fn clauses_from_headings(body: &str, first_line: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut fenced = false;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced || !t.starts_with('#') {
            continue;
        }
        let text = t.trim_start_matches('#').trim();
        if let Some((n, said, words)) = numbered(text)
            && let Some(id) = confirmed_clause(&n, said, &words)
        {
            out.push((id, format!("the heading on line {}", first_line + i)));
        }
    }
    out
}

/// ISO/IEC 42001 Annex A controls mentioned in the prose (`A.6.2.4`, `Annex A.7.4`), outside
/// fenced code, each once, with the line that first mentions it. A document that mentions
/// ISO/IEC 27001 gets none: its `A.5.2` could be that standard's control.
pub fn controls_from_prose(body: &str, first_line: usize) -> Vec<(String, String)> {
    static MENTION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\b(?:Annex\s+)?A\.\d{1,2}(?:\.\d{1,2}){1,2}\b")
            .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
    });
    if body.contains("27001") {
        return Vec::new();
    }
    let catalog = crate::catalog::get();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut fenced = false;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for m in MENTION.find_iter(line) {
            let id = crate::catalog::normalize_control(m.as_str());
            if catalog.control(&id).is_some() && !out.iter().any(|(c, _)| *c == id) {
                out.push((id, format!("mentioned on line {}", first_line + i)));
            }
        }
    }
    out
}

/// The ids in the front-matter of the Markdown files under `dir` (a cheap scan: `id:` lines).
pub fn ids_under(dir: &Path) -> HashSet<String> {
    let mut out = HashSet::new();
    if !dir.is_dir() {
        return out;
    }
    let walker = walkdir::WalkDir::new(dir).into_iter().filter_entry(|e| {
        e.depth() == 0 || !crate::load::is_ignored(&e.file_name().to_string_lossy())
    });
    for entry in walker.flatten() {
        if !entry.file_type().is_file()
            || !crate::load::is_document(&entry.file_name().to_string_lossy())
        {
            continue;
        }
        let Ok(bytes) = crate::fs::read_capped(entry.path(), 4 * 1024 * 1024) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let Ok(split) = crate::load::split_front_matter("", &text) else {
            continue;
        };
        for line in text[split.yaml].lines() {
            if let Some(v) = line.strip_prefix("id:") {
                out.insert(v.trim().trim_matches(['"', '\'']).to_string());
            }
        }
    }
    out
}

/// `AIMS` of `AIMS-POL-001`: the most common first part of the ids in use shaped like that.
pub fn scheme_prefix(ids: &HashSet<String>) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for id in ids {
        let parts: Vec<&str> = id.split('-').collect();
        if parts.len() == 3
            && parts[0]
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && !parts[0].is_empty()
            && parts[1].len() >= 2
            && parts[1].chars().all(|c| c.is_ascii_uppercase())
            && !parts[2].is_empty()
            && parts[2].chars().all(|c| c.is_ascii_digit())
        {
            *counts.entry(parts[0]).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map_or_else(|| "AIMS".to_string(), |(p, _)| p.to_string())
}

/// The next free id of `doc_type` in the scheme `org`.
pub fn next_id(org: &str, doc_type: DocType, used: &HashSet<String>) -> String {
    let prefix = format!("{org}-{}-", doc_type.prefix());
    let mut n = used
        .iter()
        .filter_map(|id| id.strip_prefix(&prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    loop {
        let id = format!("{prefix}{n:03}");
        if !used.contains(&id) {
            return id;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_people_write_them() {
        assert_eq!(date("2026-03-14").as_deref(), Ok("2026-03-14"));
        assert_eq!(date("2026-03-14T10:00:00Z").as_deref(), Ok("2026-03-14"));
        assert_eq!(date("2026/3/4").as_deref(), Ok("2026-03-04"));
        assert_eq!(date("14.03.2026").as_deref(), Ok("2026-03-14"));
        assert_eq!(date("03/14/2026").as_deref(), Ok("2026-03-14"));
        assert_eq!(date("14 March 2026").as_deref(), Ok("2026-03-14"));
        assert_eq!(date("March 14, 2026").as_deref(), Ok("2026-03-14"));
        assert!(date("04/03/2026").is_err(), "ambiguous");
        assert!(date("2026-02-30").is_err());
        assert!(date("next spring").is_err());
    }

    #[test]
    fn controls_from_prose_skip_code_and_other_standards() {
        let body = "Per Annex A.6.2.4 and a.7.4 (sic) and A.6.2.4 again.\n```\nA.9.2\n```\nA.99.1 is none.\n";
        let found = controls_from_prose(body, 10);
        assert_eq!(
            found,
            [("A.6.2.4".to_string(), "mentioned on line 10".to_string())]
        );
        assert!(controls_from_prose("ISO/IEC 27001 A.5.2 roles\n", 1).is_empty());
    }

    #[test]
    fn types_and_clauses_from_names() {
        assert_eq!(
            doc_type_word("Policy review minutes"),
            Some(DocType::Record)
        );
        assert_eq!(
            doc_type_word("Statement of Applicability"),
            Some(DocType::Soa)
        );
        assert_eq!(doc_type_word("Onboarding checklist"), Some(DocType::Form));
        assert_eq!(doc_type_word("About us"), None);
        let c = clauses_from_folders("06-planning/Clause 8 Operation/x.md");
        let ids: Vec<&str> = c.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["6", "8"]);
        assert!(clauses_from_folders("04-procedures/x.md").is_empty());
        let h = clauses_from_headings("## 6.1.2 AI risk assessment\n## 4. Responsibilities\n", 3);
        assert_eq!(
            h,
            [("6.1.2".to_string(), "the heading on line 3".to_string())]
        );
    }

    #[test]
    fn ids_follow_the_scheme() {
        let used: HashSet<String> = ["ACME-POL-001", "ACME-POL-002", "AIMS-PRO-001"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(scheme_prefix(&used), "ACME");
        assert_eq!(next_id("ACME", DocType::Policy, &used), "ACME-POL-003");
        assert_eq!(next_id("ACME", DocType::Record, &used), "ACME-REC-001");
    }
}
