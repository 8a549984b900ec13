//! The full-text search index, built at build time and written as a script
//! (`assets/search-index.js`, so that it loads from file:// too). Compact by design: each
//! document keeps its fields, a short excerpt and its headings, and only its most frequent body
//! words enter the inverted index.

use rustc_hash::FxHashMap;
use serde::Serialize;

/// Body words per document that enter the index.
const BODY_TERMS: usize = 48;
const EXCERPT_CHARS: usize = 220;

fn is_stop(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "by"
            | "for"
            | "from"
            | "has"
            | "have"
            | "in"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "that"
            | "the"
            | "this"
            | "to"
            | "was"
            | "were"
            | "will"
            | "with"
            | "each"
            | "any"
            | "all"
            | "not"
            | "no"
            | "we"
            | "our"
            | "their"
            | "which"
            | "who"
            | "when"
            | "where"
            | "than"
            | "then"
            | "there"
            | "these"
            | "those"
            | "into"
            | "per"
    )
}

/// What [`each_word`] noticed about a word while reading it.
#[derive(Clone, Copy, Default)]
struct Shape {
    /// Holds `-` or `_`.
    dash: bool,
    /// Holds `.`.
    dot: bool,
    /// Holds an ASCII digit.
    digit: bool,
    /// Is ASCII digits only.
    all_digits: bool,
}

/// Calls `f` with each word of `text` (already lowercased): runs of letters and digits, joined
/// by single `.`, `-` or `_` between them (`ai-policy`, `6.1.2`, `a.6.2.4`). One pass: the word's
/// shape is noted on the way.
fn each_word<'a>(text: &'a str, mut f: impl FnMut(&'a str, Shape)) {
    let bytes = text.as_bytes();
    let word_at = |i: usize| -> (bool, usize) {
        // (is a letter or digit, its length in bytes); ASCII without decoding.
        let b = bytes[i];
        if b < 0x80 {
            return (b.is_ascii_alphanumeric(), 1);
        }
        match text[i..].chars().next() {
            Some(c) => (c.is_alphanumeric(), c.len_utf8()),
            None => (false, 1),
        }
    };
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        // Up to the next letter or digit.
        let b = bytes[i];
        if b < 0x80 {
            if !b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
        } else {
            let (alnum, len) = word_at(i);
            if !alnum {
                i += len;
                continue;
            }
        }
        let start = i;
        let mut shape = Shape {
            all_digits: true,
            ..Shape::default()
        };
        loop {
            // A run of letters and digits (ASCII without decoding)...
            while i < n {
                let b = bytes[i];
                if b.is_ascii_digit() {
                    shape.digit = true;
                    i += 1;
                } else if b.is_ascii_alphabetic() {
                    shape.all_digits = false;
                    i += 1;
                } else if b >= 0x80 {
                    let (alnum, len) = word_at(i);
                    if !alnum {
                        break;
                    }
                    shape.all_digits = false;
                    i += len;
                } else {
                    break;
                }
            }
            // ...which a single `.`, `-` or `_` joins to the next one.
            if i + 1 < n && matches!(bytes[i], b'.' | b'-' | b'_') && word_at(i + 1).0 {
                if bytes[i] == b'.' {
                    shape.dot = true;
                } else {
                    shape.dash = true;
                }
                shape.all_digits = false;
                i += 1;
                continue;
            }
            break;
        }
        f(&text[start..i], shape);
    }
}

/// The searchable words of a text: lowercased, stop words dropped; compounds (`ai-policy`,
/// `6.1.2`) kept whole and also split into their parts.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_token(&text.to_lowercase(), |t| out.push(t.to_string()));
    out
}

/// Like [`tokens`] on lowercased text, without allocating per word.
fn each_token<'a>(lower: &'a str, mut f: impl FnMut(&'a str)) {
    each_word(lower, |w, shape| {
        let compound = shape.dash || (shape.dot && !shape.digit);
        if compound {
            for part in w.split(['-', '_', '.']) {
                if part.chars().count() >= 2 && !is_stop(part) {
                    f(part);
                }
            }
        }
        if (w.len() >= 2 || shape.all_digits) && !is_stop(w) {
            f(w);
        }
    });
}

/// What one document contributes to the index.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub id: String,
    pub title: String,
    pub url: String,
    pub doc_type: String,
    pub owner: String,
    pub refs: String,
    pub excerpt: String,
    pub headings: Vec<String>,
    /// (term, weight)
    pub terms: Vec<(String, u32)>,
}

/// Prepares one document's entry (runs in parallel with the page render).
#[allow(clippy::too_many_arguments)]
pub fn doc_entry(
    id: &str,
    title: &str,
    url: String,
    doc_type: &str,
    owner: &str,
    refs: &[&str],
    headings: &[String],
    text: &str,
) -> SearchDoc {
    let mut weights: FxHashMap<String, u32> = FxHashMap::default();
    let lower = if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    };
    let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
    each_token(&lower, |t| *counts.entry(t).or_default() += 1);
    let mut body: Vec<(&str, u32)> = counts.into_iter().collect();
    let order = |a: &(&str, u32), b: &(&str, u32)| {
        b.1.cmp(&a.1)
            .then_with(|| b.0.len().cmp(&a.0.len()))
            .then_with(|| a.0.cmp(b.0))
    };
    // Only the most frequent words are kept: select them, then order just those.
    if body.len() > BODY_TERMS {
        body.select_nth_unstable_by(BODY_TERMS, order);
        body.truncate(BODY_TERMS);
    }
    body.sort_by(order);
    for (t, n) in body {
        *weights.entry(t.to_string()).or_default() += n.min(5);
    }
    let mut add = |text: &str, w: u32| {
        let lower = text.to_lowercase();
        each_token(&lower, |t| {
            if let Some(v) = weights.get_mut(t) {
                *v += w;
            } else {
                weights.insert(t.to_string(), w);
            }
        });
    };
    add(id, 20);
    add(title, 10);
    for h in headings {
        add(h, 4);
    }
    add(owner, 3);
    for r in refs {
        add(r, 6);
    }
    let mut terms: Vec<(String, u32)> = weights.into_iter().collect();
    terms.sort();
    let excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
    SearchDoc {
        id: id.to_string(),
        title: title.to_string(),
        url,
        doc_type: doc_type.to_string(),
        owner: owner.to_string(),
        refs: refs.join(" "),
        excerpt,
        headings: headings.to_vec(),
        terms,
    }
}

/// [id, title, url, type, owner, clauses and controls, excerpt, headings]
type IndexDoc<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a [String],
);

/// Terms and their postings, in term order, written as a JSON object.
struct SortedMap<'a>(Vec<(&'a str, Vec<u32>)>);

impl Serialize for SortedMap<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// The index as a script that sets `window.AIMS_SEARCH` to `{"docs": [...], "terms": {...}}`.
/// `docs` must be in a stable order. The two halves are independent and written side by side
/// (this runs after every page is rendered, when nothing else is left to do).
pub fn script(docs: &[SearchDoc]) -> String {
    let (docs_json, terms_json) = rayon::join(|| docs_json(docs), || terms_json(docs));
    let json = match (docs_json, terms_json) {
        (Ok(d), Ok(t)) => format!("{{\"docs\":{d},\"terms\":{t}}}"),
        _ => "{}".into(),
    };
    // `</script>` cannot occur in JSON produced by serde, but `<` is escaped anyway for safety.
    format!("window.AIMS_SEARCH={};\n", json.replace('<', "\\u003c"))
}

/// [id, title, url, type, owner, clauses and controls, excerpt, headings] per document.
fn docs_json(docs: &[SearchDoc]) -> serde_json::Result<String> {
    let rows: Vec<IndexDoc<'_>> = docs
        .iter()
        .map(|d| {
            (
                d.id.as_str(),
                d.title.as_str(),
                d.url.as_str(),
                d.doc_type.as_str(),
                d.owner.as_str(),
                d.refs.as_str(),
                d.excerpt.as_str(),
                d.headings.as_slice(),
            )
        })
        .collect();
    serde_json::to_string(&rows)
}

/// term → [doc, weight, doc, weight, ...]. Postings are gathered in a hash map and the terms
/// sorted once (a BTreeMap compared strings on each of the ~400,000 insertions).
fn terms_json(docs: &[SearchDoc]) -> serde_json::Result<String> {
    let mut postings: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for (n, d) in docs.iter().enumerate() {
        for (t, w) in &d.terms {
            let p = postings.entry(t.as_str()).or_default();
            p.push(n as u32);
            p.push(*w);
        }
    }
    let mut terms: Vec<(&str, Vec<u32>)> = postings.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    serde_json::to_string(&SortedMap(terms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_compounds_and_clause_numbers() {
        let t = tokens("The AI-policy covers clause 6.1.2 and A.6.2.4.");
        assert!(t.contains(&"ai-policy".to_string()) && t.contains(&"policy".to_string()));
        assert!(t.contains(&"6.1.2".to_string()));
        assert!(t.contains(&"a.6.2.4".to_string()));
        assert!(!t.contains(&"the".to_string()));
    }

    #[test]
    fn index_weights_titles_over_body() {
        let d = doc_entry(
            "AIMS-POL-001",
            "Quokka policy",
            "doc/x.html".into(),
            "policy",
            "CEO",
            &["5.2"],
            &[],
            "quokka quokka zebra",
        );
        let w = |t: &str| d.terms.iter().find(|x| x.0 == t).map(|x| x.1);
        assert!(w("quokka") > w("zebra"));
        assert_eq!(w("aims-pol-001"), Some(20));
        let js = script(&[d]);
        assert!(
            js.starts_with("window.AIMS_SEARCH={\"docs\":[[\"AIMS-POL-001\""),
            "{js}"
        );
    }
}
