//! The full-text search index, built at build time and written as a script
//! (`assets/search-index.js`, so that it loads from file:// too). Compact by design: each
//! document keeps its fields, a short excerpt and its headings, and only its most frequent body
//! words enter the inverted index.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// Body words per document that enter the index.
const BODY_TERMS: usize = 48;
const EXCERPT_CHARS: usize = 220;

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{L}\p{N}]+(?:[.\-_][\p{L}\p{N}]+)*")
        .unwrap_or_else(|e| panic!("built-in pattern: {e}"))
});

const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with",
    "each", "any", "all", "not", "no", "we", "our", "their", "which", "who", "when", "where",
    "than", "then", "there", "these", "those", "into", "per",
];

/// The searchable words of a text: lowercased, stop words dropped; compounds (`ai-policy`,
/// `6.1.2`) kept whole and also split into their parts.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for m in TOKEN.find_iter(text) {
        let w = m.as_str().to_lowercase();
        if w.contains(['-', '_']) || (w.contains('.') && !w.chars().any(|c| c.is_ascii_digit())) {
            for part in w.split(['-', '_', '.']) {
                if part.chars().count() >= 2 && !STOP.contains(&part) {
                    out.push(part.to_string());
                }
            }
        }
        if (w.chars().count() >= 2 || w.chars().all(|c| c.is_ascii_digit()))
            && !STOP.contains(&w.as_str())
        {
            out.push(w);
        }
    }
    out
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
    let mut weights: HashMap<String, u32> = HashMap::new();
    let mut body: HashMap<String, u32> = HashMap::new();
    for t in tokens(text) {
        *body.entry(t).or_default() += 1;
    }
    let mut body: Vec<(String, u32)> = body.into_iter().collect();
    body.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| b.0.len().cmp(&a.0.len()))
            .then_with(|| a.0.cmp(&b.0))
    });
    for (t, n) in body.into_iter().take(BODY_TERMS) {
        *weights.entry(t).or_default() += n.min(5);
    }
    let mut add = |text: &str, w: u32| {
        for t in tokens(text) {
            *weights.entry(t).or_default() += w;
        }
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

#[derive(Serialize)]
struct Index<'a> {
    /// [id, title, url, type, owner, clauses and controls, excerpt, headings]
    docs: Vec<IndexDoc<'a>>,
    /// term → [doc, weight, doc, weight, ...]
    terms: BTreeMap<&'a str, Vec<u32>>,
}

/// The index as a script that sets `window.AIMS_SEARCH`. `docs` must be in a stable order.
pub fn script(docs: &[SearchDoc]) -> String {
    let mut terms: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (n, d) in docs.iter().enumerate() {
        for (t, w) in &d.terms {
            let p = terms.entry(t.as_str()).or_default();
            p.push(n as u32);
            p.push(*w);
        }
    }
    let index = Index {
        docs: docs
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
            .collect(),
        terms,
    };
    let json = serde_json::to_string(&index).unwrap_or_else(|_| "{}".into());
    // `</script>` cannot occur in JSON produced by serde, but `<` is escaped anyway for safety.
    format!("window.AIMS_SEARCH={};\n", json.replace('<', "\\u003c"))
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
