//! The full-text search index, built at build time and written as scripts (so that it loads
//! from file:// too, through `<script>` tags): every word of every published document, each
//! mapped to the section (the nearest heading above it) where it first occurs.
//!
//! - `assets/search-index.js`: the number of documents and the shards' keys (no list of
//!   documents, so it stays small however large the manual).
//! - `assets/search/t-KEY.js`: the terms whose first characters are KEY (two, or more where two
//!   would make a shard over [`SHARD_BYTES`]), with their postings; the client loads only the
//!   shards of the words typed. Each posting's weight carries two flags (see [`FIELD`], [`ID`]),
//!   so that ranking needs no list of documents.
//! - `assets/search/d-B.js`: the fields (id, title, url, type, owner, clauses) and sections
//!   (anchor, heading, text) of documents 8B to 8B+7, for the results shown and their snippets;
//!   loaded for the results shown only.
//!
//! No file grows with the number of documents beyond the postings of one term (a word in every
//! document has a posting per document).

use rustc_hash::FxHashMap;

/// Longest term indexed, in bytes: longer runs of letters (a pasted key, a hostile 1 MB word)
/// are left out; the parts of a compound still enter.
const MAX_TERM_BYTES: usize = 40;
/// Text of one document read for the index (bytes); the rest of a huge document is not indexed.
const MAX_INDEXED_TEXT: usize = 256 * 1024;
/// Distinct terms of one document that enter the index (in reading order).
const MAX_DOC_TERMS: usize = 8_000;
/// Section text kept for snippets per document (bytes, shared by its sections in order).
const MAX_SNIPPET_TEXT: usize = 64 * 1024;
/// Documents whose sections share one `assets/search/d-B.js`.
const DOCS_PER_FILE: usize = 8;
/// A shard larger than this (bytes of JSON) is cut by one more character of its terms.
const SHARD_BYTES: usize = 256 * 1024;
/// Characters of a shard key at most: a longer key would not split a shard much further.
const MAX_KEY: usize = 6;
/// Weight flag: the term is in the document's id, title, or clauses and controls.
pub const FIELD: u32 = 1;
/// Weight flag: the term is the document's whole id.
pub const ID: u32 = 2;
/// Each posting's weight is `weight << FLAG_BITS | flags`.
const FLAG_BITS: u32 = 2;

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
    pub terms: Terms,
    /// `[[anchor, heading, text], ...]` for `assets/search/d-N.js`, section 0 first (no anchor).
    pub sections_json: String,
    /// `[id, title, url, type, owner, clauses]` for the same file, made here (beside the page's
    /// render) rather than while the index is locked.
    pub fields_json: String,
}

/// A document's terms in one string: (term, weight, section) each. Section 0 is
/// the text before the first heading, section k the one under heading k (in the scan's order).
#[derive(Debug, Clone, Default)]
pub struct Terms {
    text: String,
    /// (end in `text`, weight, section); each term starts where the one before ends.
    items: Vec<(u32, u32, u32)>,
}

impl Terms {
    fn push(&mut self, term: &str, weight: u32, section: u32) {
        self.text.push_str(term);
        self.items.push((self.text.len() as u32, weight, section));
    }

    /// (term, weight, section) each.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32, u32)> + '_ {
        let mut start = 0usize;
        self.items.iter().map(move |&(end, w, sec)| {
            let t = self.text.get(start..end as usize).unwrap_or("");
            start = end as usize;
            (t, w, sec)
        })
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// One document's fields and body for [`doc_entry`].
pub struct DocFields<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
    pub doc_type: &'a str,
    pub owner: &'a str,
    pub refs: &'a [&'a str],
    pub headings: &'a [crate::markdown::Heading],
    /// The body as plain text, and where each heading starts in it.
    pub text: &'a str,
    pub sections: &'a [usize],
}

/// A prefix of `s` of at most `max` bytes, cut at a character boundary.
fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The body's sections as (start, end) byte ranges of `text`: before the first heading, then
/// one per heading.
fn section_ranges(text: &str, starts: &[usize]) -> Vec<(usize, usize)> {
    let mut bounds: Vec<usize> = Vec::with_capacity(starts.len() + 2);
    bounds.push(0);
    for &s in starts {
        let s = s.min(text.len());
        // Offsets are ascending; a stray one (never made by the renderer) cannot go back.
        bounds.push(s.max(bounds.last().copied().unwrap_or(0)));
    }
    bounds.push(text.len());
    bounds
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let a = (a..=text.len())
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(text.len());
            let b = (b..=text.len())
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(text.len());
            (a, b.max(a))
        })
        .collect()
}

/// Prepares one document's entry (runs in parallel with the page render).
pub fn doc_entry(f: DocFields<'_>) -> SearchDoc {
    let text = clip(f.text, MAX_INDEXED_TEXT);
    let ranges = section_ranges(text, f.sections);
    // Lowercased once: ASCII keeps its offsets; other text is lowercased section by section.
    let ascii = text.is_ascii().then(|| text.to_ascii_lowercase());
    let lowered: Vec<std::borrow::Cow<'_, str>> = ranges
        .iter()
        .map(|&(a, b)| match &ascii {
            Some(lower) => std::borrow::Cow::Borrowed(&lower[a..b]),
            None => std::borrow::Cow::Owned(text[a..b].to_lowercase()),
        })
        .collect();
    // term → (body count, field weight, first section, flags); sized for a text's distinct
    // words (about one in eight of its bytes starts one), so it seldom grows.
    let mut terms_of: FxHashMap<&str, (u32, u32, u32, u32)> = FxHashMap::with_capacity_and_hasher(
        (text.len() / 8).min(MAX_DOC_TERMS),
        Default::default(),
    );
    for (k, part) in lowered.iter().enumerate() {
        each_token(part, |t| {
            if t.len() > MAX_TERM_BYTES {
                return;
            }
            if let Some(v) = terms_of.get_mut(t) {
                v.0 += 1;
            } else if terms_of.len() < MAX_DOC_TERMS {
                terms_of.insert(t, (1, 0, k as u32, 0));
            }
        });
    }
    // The fields, lowercased, with their weights and flags: id, title, headings, owner, clauses.
    let fields: Vec<(String, u32, u32)> = [(f.id, 20, FIELD), (f.title, 10, FIELD)]
        .into_iter()
        .chain(f.headings.iter().map(|h| (clip(&h.text, 4096), 4, 0)))
        .chain([(f.owner, 3, 0)])
        .chain(f.refs.iter().map(|r| (*r, 6, FIELD)))
        .map(|(t, w, flag)| (t.to_lowercase(), w, flag))
        .collect();
    for (text, w, flag) in &fields {
        each_token(text, |t| {
            if t.len() <= MAX_TERM_BYTES {
                let e = terms_of.entry(t).or_insert((0, 0, 0, 0));
                e.1 += w;
                e.3 |= flag;
            }
        });
    }
    if let Some((id, _, _)) = fields.first()
        && let Some(e) = terms_of.get_mut(id.as_str())
    {
        e.3 |= ID;
    }
    // A term's weight: its body count (up to 5) and its fields' weights. The order of a
    // document's terms does not show in the index (each term's postings are sorted there).
    let mut terms = Terms {
        text: String::with_capacity(terms_of.keys().map(|t| t.len()).sum()),
        items: Vec::with_capacity(terms_of.len()),
    };
    for (t, (n, w, sec, flags)) in terms_of {
        terms.push(t, (n.min(5) + w) << FLAG_BITS | flags, sec);
    }
    let refs = f.refs.join(" ");
    let fields = [f.id, f.title, &f.url, f.doc_type, f.owner, &refs];
    SearchDoc {
        terms,
        sections_json: sections_json(text, &ranges, f.headings),
        fields_json: lt_escaped(serde_json::to_string(&fields).unwrap_or_else(|_| "[]".into())),
    }
}

/// `[[anchor, heading, text], ...]`: section 0 (before any heading) has neither anchor nor
/// heading; the text of all sections together keeps to [`MAX_SNIPPET_TEXT`].
fn sections_json(
    text: &str,
    ranges: &[(usize, usize)],
    headings: &[crate::markdown::Heading],
) -> String {
    let mut budget = MAX_SNIPPET_TEXT;
    let rows: Vec<(&str, &str, &str)> = ranges
        .iter()
        .enumerate()
        .map(|(k, &(a, b))| {
            let part = clip(&text[a..b], budget);
            budget -= part.len();
            let (slug, heading) = match k.checked_sub(1).and_then(|h| headings.get(h)) {
                Some(h) => (h.slug.as_str(), clip(&h.text, 512)),
                None => ("", ""),
            };
            // The section's text opens with its heading, which the results show apart.
            let part = part.trim();
            let body = match part.strip_prefix(heading.trim()) {
                Some(rest) if !heading.trim().is_empty() => rest.trim_start(),
                _ => part,
            };
            (slug, heading, body)
        })
        .collect();
    lt_escaped(serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into()))
}

/// JSON with `<` written `\u003c`, so that no `</script>` can occur in it (serde never writes
/// one, but a script is safer without); most text has none, and is passed through.
fn lt_escaped(json: String) -> String {
    if memchr::memchr(b'<', json.as_bytes()).is_some() {
        json.replace('<', "\\u003c")
    } else {
        json
    }
}

/// The search files as they fill, one document at a time from the render's threads, so that
/// little is left for the end: the postings, and the sections of documents whose text file
/// still waits for others ([`DOCS_PER_FILE`] documents to a file: few files to write, and
/// little to load for the results shown).
pub struct IndexBuilder {
    total: usize,
    state: std::sync::Mutex<Filling>,
}

struct Filling {
    /// Which documents are in, by number.
    seen: Vec<bool>,
    /// term → [doc, weight, section] in the order documents arrive.
    postings: FxHashMap<String, Vec<[u32; 3]>>,
    /// Sections (JSON) of documents whose file is not yet written.
    texts: Vec<Option<String>>,
    /// Documents still to come, per text file.
    pending: Vec<usize>,
}

impl IndexBuilder {
    /// For documents numbered `0..total`.
    pub fn new(total: usize) -> IndexBuilder {
        let pending = (0..total.div_ceil(DOCS_PER_FILE))
            .map(|b| DOCS_PER_FILE.min(total - b * DOCS_PER_FILE))
            .collect();
        IndexBuilder {
            total,
            state: std::sync::Mutex::new(Filling {
                seen: vec![false; total],
                postings: FxHashMap::default(),
                texts: vec![None; total],
                pending,
            }),
        }
    }

    /// Adds document `n`; gives its text file (path, script) to write once all of it is in.
    pub fn add(&self, n: usize, doc: SearchDoc) -> Option<(String, String)> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let s = &mut *state;
        if n >= self.total || s.seen[n] {
            return None;
        }
        s.seen[n] = true;
        for (t, w, sec) in doc.terms.iter() {
            // Most terms are known already: only a new one is copied.
            match s.postings.get_mut(t) {
                Some(p) => p.push([n as u32, w, sec]),
                None => {
                    s.postings.insert(t.to_string(), vec![[n as u32, w, sec]]);
                }
            }
        }
        s.texts[n] = Some(format!("{},{}", doc.sections_json, doc.fields_json));
        let b = n / DOCS_PER_FILE;
        s.pending[b] -= 1;
        if s.pending[b] > 0 {
            return None;
        }
        let texts = take_texts(&mut s.texts, b);
        drop(state);
        Some(text_script(b, texts))
    }

    /// The rest of the files: (path under the output, contents), the index's head first,
    /// then text files left incomplete (none when every document was added), then the shards.
    pub fn finish(self) -> Vec<(String, String)> {
        let mut s = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        let shards = shards(std::mem::take(&mut s.postings));
        let keys: Vec<&str> = shards.iter().map(|(k, _)| k.as_str()).collect();
        let head = match serde_json::to_string(&keys) {
            Ok(k) => format!(
                "{{\"count\":{},\"shards\":{k},\"per\":{DOCS_PER_FILE}}}",
                self.total
            ),
            _ => "{}".into(),
        };
        let mut out = vec![(
            "assets/search-index.js".to_string(),
            format!("window.AIMS_SEARCH={};\n", lt_escaped(head)),
        )];
        for b in 0..s.pending.len() {
            if s.pending[b] > 0 {
                out.push(text_script(b, take_texts(&mut s.texts, b)));
            }
        }
        out.extend(shards.into_iter().map(|(key, json)| {
            (
                format!("assets/search/t-{key}.js"),
                format!("AIMS_SEARCH_SHARD(\"{key}\",{});\n", lt_escaped(json)),
            )
        }));
        out
    }
}

/// The shard a term belongs to: its first two characters, each ASCII letter or digit kept and
/// anything else written `_` (search.js computes the same).
pub fn shard_key(term: &str) -> String {
    key_of(term, 2)
}

/// The first `n` characters of `term` as a shard key.
fn key_of(term: &str, n: usize) -> String {
    term.chars()
        .take(n)
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The sections of text file `b`'s documents, taken out of `texts`.
fn take_texts(texts: &mut [Option<String>], b: usize) -> Vec<String> {
    let end = texts.len().min((b + 1) * DOCS_PER_FILE);
    texts[b * DOCS_PER_FILE..end]
        .iter_mut()
        .map(|t| t.take().unwrap_or_else(|| "[]".into()))
        .collect()
}

/// `assets/search/d-B.js`: one `AIMS_SEARCH_DOC(n, sections, fields)` call per document.
fn text_script(b: usize, texts: Vec<String>) -> (String, String) {
    let mut js = String::with_capacity(texts.iter().map(|t| t.len() + 32).sum());
    for (k, t) in texts.into_iter().enumerate() {
        js.push_str("AIMS_SEARCH_DOC(");
        js.push_str(&(b * DOCS_PER_FILE + k).to_string());
        js.push(',');
        js.push_str(&t);
        js.push_str(");\n");
    }
    (format!("assets/search/d-{b}.js"), js)
}

/// The whole index for `docs` (numbered in order), as the build writes it.
#[cfg(test)]
pub fn scripts(docs: Vec<SearchDoc>) -> Vec<(String, String)> {
    let index = IndexBuilder::new(docs.len());
    let mut out: Vec<(String, String)> = docs
        .into_iter()
        .enumerate()
        .filter_map(|(n, d)| index.add(n, d))
        .collect();
    out.extend(index.finish());
    out
}

/// A term and its postings: [document, weight, section] each.
type Postings = (String, Vec<[u32; 3]>);

/// Each shard's key and its JSON: term → [doc gap, weight, section, ...], documents ascending,
/// each given as the gap from the previous one (the first as its number). Shards are made in
/// parallel.
fn shards(postings: FxHashMap<String, Vec<[u32; 3]>>) -> Vec<(String, String)> {
    use rayon::prelude::*;
    // Keys map characters to `_`, so one shard's terms need not be neighbours in term order.
    let mut groups: std::collections::BTreeMap<String, Vec<Postings>> = Default::default();
    for (term, p) in postings {
        groups.entry(shard_key(&term)).or_default().push((term, p));
    }
    let groups: Vec<(String, Vec<Postings>)> = groups.into_iter().collect();
    let mut out: Vec<(String, String)> = groups
        .into_par_iter()
        .flat_map_iter(|(key, terms)| split_shard(key, terms, 2))
        .collect();
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    out
}

/// One shard, or, when its JSON would pass [`SHARD_BYTES`], its terms of `depth` characters or
/// fewer under `key` and the others in shards keyed by one more character (and so on, up to
/// [`MAX_KEY`] characters). A single term's postings are never cut.
fn split_shard(key: String, mut terms: Vec<Postings>, depth: usize) -> Vec<(String, String)> {
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let json = shard_json(&mut terms);
    if json.len() <= SHARD_BYTES || depth >= MAX_KEY {
        return vec![(key, json)];
    }
    let mut here: Vec<Postings> = Vec::new();
    let mut deeper: std::collections::BTreeMap<String, Vec<Postings>> = Default::default();
    for t in terms {
        if t.0.chars().count() <= depth {
            here.push(t);
        } else {
            deeper.entry(key_of(&t.0, depth + 1)).or_default().push(t);
        }
    }
    let mut out = Vec::new();
    if !here.is_empty() {
        out.push((key, shard_json(&mut here)));
    }
    for (k, ts) in deeper {
        out.extend(split_shard(k, ts, depth + 1));
    }
    out
}

/// One shard's `{"term":[gap, weight, section, ...], ...}` (terms in order).
fn shard_json(terms: &mut [Postings]) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(terms.len() * 32);
    out.push(b'{');
    let mut flat: Vec<u32> = Vec::new();
    for (i, (term, p)) in terms.iter_mut().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        p.sort_unstable();
        flat.clear();
        let mut last = 0;
        for &[doc, w, sec] in p.iter() {
            flat.extend([doc - last, w, sec]);
            last = doc;
        }
        // Writing to a Vec cannot fail; a term is a string.
        let _ = serde_json::to_writer(&mut out, term);
        out.push(b':');
        let _ = serde_json::to_writer(&mut out, &flat);
    }
    out.push(b'}');
    String::from_utf8(out).unwrap_or_default()
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

    fn heading(text: &str, slug: &str) -> crate::markdown::Heading {
        crate::markdown::Heading {
            level: 2,
            text: text.into(),
            slug: slug.into(),
        }
    }

    fn entry(
        title: &str,
        headings: &[crate::markdown::Heading],
        text: &str,
        sections: &[usize],
    ) -> SearchDoc {
        doc_entry(DocFields {
            id: "AIMS-POL-001",
            title,
            url: "doc/AIMS-POL-001.html".into(),
            doc_type: "policy",
            owner: "CEO",
            refs: &["5.2"],
            headings,
            text,
            sections,
        })
    }

    #[test]
    fn index_weights_titles_over_body() {
        let d = entry("Quokka policy", &[], "quokka quokka zebra", &[]);
        let w = |t: &str| d.terms.iter().find(|x| x.0 == t).map(|x| x.1);
        assert!(w("quokka") > w("zebra"));
        // Weight 20, in the fields, the whole id.
        assert_eq!(w("aims-pol-001"), Some(20 << FLAG_BITS | FIELD | ID));
        // Part of the id: in the fields, not the whole id; the title's word too; a body word
        // and the owner's are neither; a clause reference is in the fields.
        assert_eq!(w("pol"), Some(20 << FLAG_BITS | FIELD));
        assert_eq!(w("quokka").map(|w| w & 3), Some(FIELD));
        assert_eq!(w("zebra"), Some(1 << FLAG_BITS));
        assert_eq!(w("ceo"), Some(3 << FLAG_BITS));
        assert_eq!(w("5.2"), Some(6 << FLAG_BITS | FIELD));
        let files = scripts(vec![d]);
        let file = |name: &str| files.iter().find(|f| f.0 == name).map(|f| f.1.as_str());
        // The head names no document; the text file carries the fields.
        assert_eq!(
            file("assets/search-index.js").unwrap_or_default(),
            "window.AIMS_SEARCH={\"count\":1,\"shards\":[\"00\",\"5_\",\"ai\",\"ce\",\"po\",\"qu\",\"ze\"],\"per\":8};\n"
        );
        assert!(
            file("assets/search/d-0.js").is_some_and(|t| t.starts_with("AIMS_SEARCH_DOC(0,[")
                && t.ends_with(",[\"AIMS-POL-001\",\"Quokka policy\",\"doc/AIMS-POL-001.html\",\"policy\",\"CEO\",\"5.2\"]);\n")),
            "{files:?}"
        );
    }

    /// A shard that would be large is cut by one more character of its terms, and again where
    /// needed, so that no file grows with the manual beyond one term's postings; short terms stay
    /// under the shorter key.
    #[test]
    fn large_shards_are_cut_by_longer_keys() {
        let docs: Vec<SearchDoc> = (0..400)
            .map(|n| {
                let body: String = (0..60)
                    .map(|k| format!("re{}{n}x{k} ", ["a", "b", "c"][k % 3]))
                    .chain(["re ".to_string()])
                    .collect();
                entry("Policy", &[], &body, &[])
            })
            .collect();
        let files = scripts(docs);
        let shards: Vec<&(String, String)> = files
            .iter()
            .filter(|f| f.0.starts_with("assets/search/t-"))
            .collect();
        let names: Vec<&str> = shards.iter().map(|f| f.0.as_str()).collect();
        assert!(names.contains(&"assets/search/t-re.js"), "{names:?}");
        assert!(names.contains(&"assets/search/t-rea.js"), "{names:?}");
        for (name, script) in &shards {
            assert!(script.len() <= SHARD_BYTES + 64, "{name}: {}", script.len());
        }
        // The short term stays under "re", and "re" lists only it.
        let re = files
            .iter()
            .find(|f| f.0 == "assets/search/t-re.js")
            .expect("re");
        assert!(
            re.1.starts_with("AIMS_SEARCH_SHARD(\"re\",{\"re\":["),
            "{:.80}",
            re.1
        );
        assert!(!re.1.contains("\"rea"), "{:.200}", re.1);
        // The head lists every shard written.
        let head = files
            .iter()
            .find(|f| f.0 == "assets/search-index.js")
            .expect("head");
        for name in &names {
            let key = name
                .trim_start_matches("assets/search/t-")
                .trim_end_matches(".js");
            assert!(
                head.1.contains(&format!("\"{key}\"")),
                "{key} not in {}",
                head.1
            );
        }
    }

    #[test]
    fn every_body_word_is_indexed_with_its_section() {
        let text = "Intro words. Scope all systems. Records the xylophone is rare.";
        let scope = text.find("Scope").unwrap();
        let records = text.find("Records").unwrap();
        let headings = [heading("Scope", "scope"), heading("Records", "records")];
        let d = entry("Policy", &headings, text, &[scope, records]);
        let term = |t: &str| d.terms.iter().find(|x| x.0 == t);
        assert_eq!(term("xylophone").map(|x| x.2), Some(2));
        assert_eq!(term("intro").map(|x| x.2), Some(0));
        assert_eq!(term("systems").map(|x| x.2), Some(1));
        assert!(
            d.sections_json
                .contains("[\"records\",\"Records\",\"the xylophone is rare.\"]"),
            "{}",
            d.sections_json
        );
        let files = scripts(vec![d]);
        let shard = files
            .iter()
            .find(|f| f.0 == "assets/search/t-xy.js")
            .expect("xy shard");
        assert_eq!(
            shard.1,
            "AIMS_SEARCH_SHARD(\"xy\",{\"xylophone\":[0,4,2]});\n"
        );
    }

    #[test]
    fn hostile_words_and_sizes_are_capped() {
        let mut text = "a".repeat(1 << 20);
        text.push_str(" tail");
        let d = entry("Huge", &[], &text, &[]);
        assert!(d.terms.iter().all(|t| t.0.len() <= MAX_TERM_BYTES));
        assert!(d.terms.iter().any(|t| t.0 == "huge"));
        assert!(
            !d.terms.iter().any(|t| t.0 == "tail"),
            "text past the cap is not read"
        );
        assert!(d.sections_json.len() <= MAX_SNIPPET_TEXT + 64);
        // Many distinct words: the number of terms is capped.
        let many: String = (0..20_000).map(|i| format!("w{i} ")).collect();
        let d = entry("Many", &[], &many, &[]);
        assert!(d.terms.len() <= MAX_DOC_TERMS + 16, "{}", d.terms.len());
    }

    #[test]
    fn shard_keys_group_terms_by_their_first_two_characters() {
        assert_eq!(shard_key("xylophone"), "xy");
        assert_eq!(shard_key("a.6.2.4"), "a_");
        assert_eq!(shard_key("été"), "_t");
        assert_eq!(shard_key("5"), "5");
    }
}
