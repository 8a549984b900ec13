//! Turns a document's front-matter tree into a typed [`Document`], reporting every problem it
//! finds (missing and unknown fields, wrong types, bad values, impossible dates) in one pass.

use std::collections::HashSet;
use std::ops::Range;

use jiff::civil::Date;

mod fields;
mod soa;
mod system;

pub use system::{LINK_FIELDS, SYSTEM_FIELDS};
mod standards;

use super::yaml::{self, Kind, Node};
use super::*;
use crate::catalog::{self, Item};
use crate::diagnostic::{Diagnostic, suggest};
use crate::load::SourceFile;

pub const FIELDS: &[&str] = &[
    "id",
    "title",
    "type",
    "owner",
    "version",
    "status",
    "approval",
    "review_date",
    "review_cycle",
    "clauses",
    "controls",
    "classification",
    "retention",
    "summary",
    "audience",
    "supersedes",
    "related",
    "applicability",
    "provides",
    "extra",
    "standards",
    "standard",
];

const REQUIRED: &[&str] = &["id", "title", "type", "owner", "version", "status"];

struct Ctx<'a> {
    locator: crate::diagnostic::Locator<'a>,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn error(
        &mut self,
        code: &'static str,
        msg: impl Into<String>,
        span: Range<usize>,
        help: impl Into<String>,
    ) {
        let d = Diagnostic::error(code, msg)
            .with_location(self.locator.locate(span))
            .help(help);
        self.diags.push(d);
    }

    fn warning(
        &mut self,
        code: &'static str,
        msg: impl Into<String>,
        span: Range<usize>,
        help: impl Into<String>,
    ) {
        let d = Diagnostic::warning(code, msg)
            .with_location(self.locator.locate(span))
            .help(help);
        self.diags.push(d);
    }

    /// A single (non-empty) value, or an error saying what was found instead.
    fn scalar<'n>(&mut self, key: &str, node: &'n Node, what: &str) -> Option<&'n str> {
        if node.is_null() {
            self.error(
                "AIMS-E010",
                format!("`{key}` has no value"),
                node.span.clone(),
                format!("write {what}"),
            );
            return None;
        }
        match node.as_scalar() {
            Some(s) => Some(s),
            None => {
                self.error(
                    "AIMS-E011",
                    format!("`{key}` must be a single value, found {}", node.describe()),
                    node.span.clone(),
                    format!("write {what}"),
                );
                None
            }
        }
    }

    fn keyword<T: Copy>(
        &mut self,
        key: &str,
        node: &Node,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Option<T> {
        let accepted = format!("one of: {}", names.join(", "));
        let s = self.scalar(key, node, &accepted)?;
        match parse(s.trim()) {
            Some(v) => Some(v),
            None => {
                let near = suggest(s, names.iter().copied(), 1);
                let help = match near.first() {
                    Some(n) => format!("did you mean `{n}`? expected {accepted}"),
                    None => format!("expected {accepted}"),
                };
                self.error(
                    "AIMS-E012",
                    format!("invalid {key} `{s}`"),
                    node.span.clone(),
                    help,
                );
                None
            }
        }
    }

    fn date(&mut self, key: &str, node: &Node) -> Option<Date> {
        let s = self.scalar(key, node, "a date as YYYY-MM-DD")?.trim();
        let b = s.as_bytes();
        let shaped = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shaped {
            self.error(
                "AIMS-E013",
                format!("`{key}` is not a date: `{s}`"),
                node.span.clone(),
                "write an ISO 8601 calendar date, YYYY-MM-DD (e.g. 2026-03-14)",
            );
            return None;
        }
        let num = |r: Range<usize>| s[r].parse::<i16>().unwrap_or(0);
        let (y, m, d) = (num(0..4), num(5..7) as i8, num(8..10) as i8);
        match Date::new(y, m, d) {
            Ok(date) => Some(date),
            Err(_) => {
                let help = if (1..=12).contains(&m) {
                    let days = Date::new(y, m, 1).map(|f| f.days_in_month()).unwrap_or(31);
                    format!("that month has {days} days; write a real date as YYYY-MM-DD")
                } else {
                    "months run from 01 to 12; write a real date as YYYY-MM-DD".to_string()
                };
                self.error(
                    "AIMS-E013",
                    format!("impossible date `{s}` in `{key}`"),
                    node.span.clone(),
                    help,
                );
                None
            }
        }
    }

    /// One value or a list of values.
    fn list(&mut self, key: &str, node: &Node, what: &str) -> Vec<Spanned<String>> {
        match &node.kind {
            Kind::Scalar { .. } if node.is_null() => Vec::new(),
            Kind::Scalar { text, .. } => {
                vec![Spanned::new(text.trim().to_string(), node.span.clone())]
            }
            Kind::Seq(items) => items
                .iter()
                .filter_map(|n| {
                    let s = self.scalar(key, n, what)?;
                    Some(Spanned::new(s.trim().to_string(), n.span.clone()))
                })
                .collect(),
            Kind::Map(_) => {
                self.error(
                    "AIMS-E011",
                    format!("`{key}` must be a list, found a mapping"),
                    node.span.clone(),
                    format!("write a list of {what}, e.g. [\"a\", \"b\"]"),
                );
                Vec::new()
            }
        }
    }

    /// The entries of a mapping; duplicate keys are reported.
    fn entries<'n>(
        &mut self,
        key: &str,
        node: &'n Node,
        what: &str,
    ) -> Vec<(&'n str, &'n Node, &'n Node)> {
        let Kind::Map(items) = &node.kind else {
            self.error(
                "AIMS-E011",
                format!("`{key}` must be a mapping, found {}", node.describe()),
                node.span.clone(),
                what.to_string(),
            );
            return Vec::new();
        };
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (k, v) in items {
            let Some(name) = k.as_scalar() else {
                self.error(
                    "AIMS-E011",
                    "a key must be a plain name",
                    k.span.clone(),
                    what.to_string(),
                );
                continue;
            };
            if !seen.insert(name) {
                self.error(
                    "AIMS-E018",
                    format!("`{name}` is given twice"),
                    k.span.clone(),
                    "keep one of the two entries",
                );
                continue;
            }
            out.push((name, k, v));
        }
        out
    }
}

/// The front-matter's top-level entries (name, key node, value node), in the order written.
struct Fields<'n>(Vec<(&'n str, &'n Node, &'n Node)>);

impl<'n> Fields<'n> {
    /// The key and value of field `name`.
    fn get(&self, name: &str) -> Option<(&'n Node, &'n Node)> {
        self.0
            .iter()
            .find(|(k, _, _)| *k == name)
            .map(|(_, k, v)| (*k, *v))
    }
}

/// Parses and validates one document. Returns the document when its required fields could be
/// read (even if other fields had problems), and every finding.
pub fn parse_document(
    src: &SourceFile,
    opts: &ModelOptions,
) -> (Option<Document>, Vec<Diagnostic>) {
    let mut cx = Ctx {
        locator: crate::diagnostic::Locator::new(&src.display, &src.text),
        diags: Vec::new(),
    };
    let Some(root) = front_matter_root(&mut cx, src) else {
        return (None, cx.diags);
    };
    let fields = Fields(cx.entries(
        "front-matter",
        &root,
        "write the front-matter as `key: value` lines",
    ));
    if fields.0.is_empty() && !matches!(root.kind, Kind::Map(_)) {
        return (None, cx.diags);
    }
    let get = |name: &str| fields.get(name);
    check_names(&mut cx, &fields);

    let id = get("id").and_then(|(_, v)| parse_id(&mut cx, v));
    let title = get("title").and_then(|(_, v)| {
        cx.scalar("title", v, "the document's title")
            .map(|s| s.trim().to_string())
    });
    let doc_type =
        get("type").and_then(|(_, v)| cx.keyword("type", v, DocType::parse, DocType::NAMES));
    let owner = get("owner").and_then(|(_, v)| {
        cx.scalar("owner", v, "the accountable role or person")
            .map(|s| s.trim().to_string())
    });
    let version = get("version").and_then(|(_, v)| {
        cx.scalar("version", v, "a version such as \"1.0\"")
            .map(|s| s.trim().to_string())
    });
    let status =
        get("status").and_then(|(_, v)| cx.keyword("status", v, Status::parse, Status::NAMES));
    let classification = get("classification")
        .and_then(|(_, v)| {
            cx.keyword(
                "classification",
                v,
                Classification::parse,
                Classification::NAMES,
            )
        })
        .unwrap_or(opts.default_classification);
    let retention = get("retention").and_then(|(_, v)| {
        cx.scalar("retention", v, "a retention rule")
            .map(str::to_string)
    });

    let summary = get("summary").and_then(|(_, v)| {
        cx.scalar(
            "summary",
            v,
            "a sentence or two on what every reader must know",
        )
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
    });
    let audience = get("audience")
        .map(|(_, v)| parse_audience(&mut cx, v))
        .unwrap_or_default();

    let approval = get("approval").and_then(|(_, v)| parse_approval(&mut cx, v));
    let (review_date, review_cycle) = parse_review(&mut cx, &fields, opts, approval.as_ref());
    if status == Some(Status::Approved) {
        check_approved(&mut cx, &fields, opts, approval.is_some());
    }
    let CatalogRefs {
        clauses,
        controls,
        provides,
    } = parse_catalog_refs(&mut cx, &fields);
    let supersedes = get("supersedes")
        .map(|(_, v)| cx.list("supersedes", v, "document ids"))
        .unwrap_or_default();
    let related = get("related")
        .map(|(_, v)| cx.list("related", v, "document ids"))
        .unwrap_or_default();

    let custom_fields = match get("extra") {
        Some((_, v)) if !opts.fields.is_empty() => fields::parse(&mut cx, v, opts),
        _ => Vec::new(),
    };
    let standards = get("standards")
        .map(|(_, v)| standards::parse(&mut cx, v, opts))
        .unwrap_or_default();
    let soa = parse_soa_fields(&mut cx, &fields, opts, doc_type);
    let links = system::parse_links(&mut cx, &fields.0, doc_type);
    let system = system::parse_system(&mut cx, &fields.0, doc_type);

    let doc = match (id, title, doc_type, owner, version, status) {
        (Some(id), Some(title), Some(doc_type), Some(owner), Some(version), Some(status)) => {
            Some(Document {
                id,
                title,
                doc_type,
                owner,
                version,
                version_span: get("version").map_or(0..3, |(_, v)| v.span.clone()),
                status,
                approval,
                review_date,
                review_cycle,
                clauses,
                controls,
                classification,
                retention,
                summary,
                audience,
                supersedes,
                related,
                applicability: soa.applicability,
                applicability_span: soa.applicability_span,
                provides,
                systems: links.systems,
                record_kinds: links.record_kinds,
                next_due: links.next_due,
                system,
                standards,
                soa_standard: soa.standard,
                fields: custom_fields,
            })
        }
        _ => None,
    };
    (doc, cx.diags)
}

/// The document's id, when it is a valid one.
fn parse_id(cx: &mut Ctx<'_>, v: &Node) -> Option<Spanned<String>> {
    let s = cx
        .scalar("id", v, "a document id such as AIMS-POL-001")?
        .trim()
        .to_string();
    if valid_id(&s) {
        Some(Spanned::new(s, v.span.clone()))
    } else {
        cx.error(
            "AIMS-E016",
            format!("invalid document id `{s}`"),
            v.span.clone(),
            "use letters, digits, `-`, `_` and `.`, starting with a letter or digit (e.g. AIMS-POL-001)",
        );
        None
    }
}

/// The front-matter's YAML as a tree; `None` (with the finding) when it is empty or not YAML.
fn front_matter_root(cx: &mut Ctx<'_>, src: &SourceFile) -> Option<Node> {
    let yaml_text = &src.text[src.split.yaml.clone()];
    match yaml::parse(yaml_text, src.split.yaml.start) {
        Ok(Some(root)) => Some(root),
        Ok(None) => {
            cx.error(
                "AIMS-E010",
                "front-matter is empty",
                0..3,
                format!("give at least the required fields: {}", REQUIRED.join(", ")),
            );
            None
        }
        Err(e) => {
            cx.error(
                "AIMS-E004",
                format!("front-matter is not valid YAML: {}", e.message),
                e.offset..e.offset + 1,
                "fix the YAML syntax: `key: value` lines; quote values that contain `: ` or start with `[`, `{`, `*`, `&`, `!`, `%`, `@`",
            );
            None
        }
    }
}

/// Unknown field names (with what was probably meant) and missing required fields.
fn check_names(cx: &mut Ctx<'_>, fields: &Fields<'_>) {
    for (name, key, _) in &fields.0 {
        if !FIELDS.contains(name) && !SYSTEM_FIELDS.contains(name) && !LINK_FIELDS.contains(name) {
            let known: Vec<&str> = FIELDS
                .iter()
                .chain(LINK_FIELDS)
                .chain(SYSTEM_FIELDS)
                .copied()
                .collect();
            let near = standards::field_alias(name)
                .or_else(|| suggest(name, known.iter().copied(), 1).first().copied());
            let help = match near {
                Some(n) => format!("did you mean `{n}`? known fields: {}", known.join(", ")),
                None => format!("known fields: {}", known.join(", ")),
            };
            cx.warning(
                "AIMS-W001",
                format!("unknown field `{name}`"),
                key.span.clone(),
                help,
            );
        }
    }
    let header = 0..3;
    for name in REQUIRED {
        if fields.get(name).is_none() {
            cx.error(
                "AIMS-E010",
                format!("missing required field `{name}`"),
                header.clone(),
                format!(
                    "add `{name}: ...` to the front-matter; required fields: {}",
                    REQUIRED.join(", ")
                ),
            );
        }
    }
}

/// The review date (given, or the approval date plus the review cycle, the document's or the
/// manual's default) and the review cycle as written.
fn parse_review(
    cx: &mut Ctx<'_>,
    fields: &Fields<'_>,
    opts: &ModelOptions,
    approval: Option<&Approval>,
) -> (Option<Date>, Option<String>) {
    let review_date_field = fields
        .get("review_date")
        .and_then(|(_, v)| cx.date("review_date", v));
    let review_cycle = fields.get("review_cycle").and_then(|(_, v)| {
        let s = cx.scalar("review_cycle", v, "an interval such as `12 months`")?;
        match ReviewCycle::parse(s) {
            Some(c) => Some((s.to_string(), c)),
            None => {
                cx.error(
                    "AIMS-E033",
                    format!("invalid review cycle `{s}`"),
                    v.span.clone(),
                    "write a number and a unit, e.g. `12 months`, `1 year`, `26 weeks`",
                );
                None
            }
        }
    });
    let cycle = review_cycle
        .as_ref()
        .map(|c| c.1)
        .or(opts.default_review_cycle);
    let review_date = review_date_field.or_else(|| cycle?.after(approval?.date));

    (review_date, review_cycle.map(|c| c.0))
}

/// What an approved document must have: an approval, and a review date or cycle.
fn check_approved(cx: &mut Ctx<'_>, fields: &Fields<'_>, opts: &ModelOptions, has_approval: bool) {
    let (status_key, _) = fields
        .get("status")
        .map_or((0..3, 0..3), |(k, v)| (k.span.clone(), v.span.clone()));
    if !has_approval && fields.get("approval").is_none() {
        cx.error(
            "AIMS-E014",
            "an approved document needs an `approval`",
            status_key.clone(),
            "add `approval: { by: <role or name>, date: YYYY-MM-DD }`, or set `status: draft`",
        );
    }
    if fields.get("review_date").is_none()
        && fields.get("review_cycle").is_none()
        && opts.default_review_cycle.is_none()
    {
        cx.error(
                "AIMS-E015",
                "an approved document needs a `review_date` or a `review_cycle`",
                status_key,
                "add `review_date: YYYY-MM-DD` or `review_cycle: 12 months`, or set `[aims] default-review-cycle` in book.toml",
            );
    }
}

/// The ISO/IEC 42001 clauses, controls and required-information keys the document names,
/// each checked against the catalog.
fn parse_catalog_refs(cx: &mut Ctx<'_>, fields: &Fields<'_>) -> CatalogRefs {
    let catalog = catalog::get();
    let clauses = fields
        .get("clauses")
        .map(|(_, v)| cx.list("clauses", v, "clause ids"))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| {
            let norm = catalog::normalize_clause(&c.value);
            match catalog.lookup(&norm) {
                Some(Item::Clause(_)) => Some(Spanned::new(norm, c.span)),
                _ => {
                    let help = if norm.starts_with(['A', 'a']) {
                        format!("`{norm}` is an Annex A reference: list it under `controls`")
                    } else {
                        nearest_help(
                            &norm,
                            catalog.clauses.iter().map(|c| c.id.as_str()),
                            "clauses 4 to 10",
                        )
                    };
                    cx.error(
                        "AIMS-E020",
                        format!("unknown clause `{}`", c.value),
                        c.span,
                        help,
                    );
                    None
                }
            }
        })
        .collect();
    let controls = fields
        .get("controls")
        .map(|(_, v)| cx.list("controls", v, "Annex A control ids"))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| check_control(cx, c))
        .collect();
    let provides = fields
        .get("provides")
        .map(|(_, v)| cx.list("provides", v, "keys of required documented information"))
        .unwrap_or_default()
        .into_iter()
        .filter(|p| {
            if catalog.required_item(&p.value).is_some() {
                return true;
            }
            let keys: Vec<&str> = catalog.required.iter().map(|r| r.key.as_str()).collect();
            let near = suggest(&p.value, keys.iter().copied(), 1);
            let help = match near.first() {
                Some(n) => format!("did you mean `{n}`? known items: {}", keys.join(", ")),
                None => format!("known items: {}", keys.join(", ")),
            };
            cx.error(
                "AIMS-E025",
                format!("unknown required-information item `{}`", p.value),
                p.span.clone(),
                help,
            );
            false
        })
        .collect();
    CatalogRefs {
        clauses,
        controls,
        provides,
    }
}

/// A document's references into the ISO/IEC 42001 catalog.
struct CatalogRefs {
    clauses: Vec<Spanned<String>>,
    controls: Vec<Spanned<String>>,
    provides: Vec<Spanned<String>>,
}

/// A Statement of Applicability's fields: the standard it decides for and its decisions.
struct SoaFields {
    standard: Option<Spanned<String>>,
    applicability: Vec<Applicability>,
    applicability_span: Option<std::ops::Range<usize>>,
}

/// `standard` and `applicability`, read on a Statement of Applicability (a warning elsewhere).
fn parse_soa_fields(
    cx: &mut Ctx<'_>,
    fields: &Fields<'_>,
    opts: &ModelOptions,
    doc_type: Option<DocType>,
) -> SoaFields {
    let mut soa_catalog = None;
    let mut soa_standard = None;
    if let Some((key, v)) = fields.get("standard") {
        if doc_type.is_some() && doc_type != Some(DocType::Soa) {
            cx.warning(
                "AIMS-W003",
                "`standard` is only read on a Statement of Applicability",
                key.span.clone(),
                "map this document to other standards with `standards: { iso27001: [...] }`, or set `type: soa`",
            );
        } else if let Some((key, cat)) = standards::parse_soa_standard(cx, v, opts) {
            soa_standard = Some(key);
            soa_catalog = Some(cat);
        }
    }

    // Organisation-defined controls join the ISO/IEC 42001 SoA (never another standard's).
    let extensions: Vec<&'static crate::catalog::Catalog> = match soa_catalog {
        Some(_) => Vec::new(),
        None => opts
            .standards
            .iter()
            .copied()
            .filter(|c| c.extends.as_deref() == Some(catalog::BASE))
            .collect(),
    };
    let mut applicability = Vec::new();
    let mut applicability_span = None;
    if let Some((key, v)) = fields.get("applicability") {
        applicability_span = Some(key.span.clone());
        if doc_type.is_some() && doc_type != Some(DocType::Soa) {
            cx.warning(
                "AIMS-W003",
                "`applicability` is only read on the Statement of Applicability",
                key.span.clone(),
                "set `type: soa` on this document, or remove the field",
            );
        }
        applicability = soa::parse_applicability(cx, v, soa_catalog, &extensions);
    }
    if doc_type == Some(DocType::Soa) {
        soa::check_soa_complete(
            cx,
            &applicability,
            applicability_span.clone().unwrap_or(0..3),
            soa_catalog,
            &extensions,
        );
    }

    SoaFields {
        standard: soa_standard,
        applicability,
        applicability_span,
    }
}

/// `audience`: one group or a list (`all-staff`, `drivers`…); `all staff`, `everyone` and
/// `all` read as [`crate::model::ALL_STAFF`].
fn parse_audience(cx: &mut Ctx<'_>, node: &Node) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in cx.list("audience", node, "groups of readers, e.g. [all-staff]") {
        let lower = item.value.trim().to_lowercase().replace('_', "-");
        let group = match lower.as_str() {
            "all-staff" | "all staff" | "everyone" | "all" | "staff" => {
                crate::model::ALL_STAFF.to_string()
            }
            _ => lower,
        };
        if !group.is_empty() && !out.contains(&group) {
            out.push(group);
        }
    }
    out
}

pub fn valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && s.len() <= 64
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn parse_approval(cx: &mut Ctx<'_>, node: &Node) -> Option<Approval> {
    let entries = cx.entries(
        "approval",
        node,
        "write `approval: { by: <role or name>, date: YYYY-MM-DD }`",
    );
    if entries.is_empty() {
        return None;
    }
    let mut by = None;
    let mut date = None;
    for (name, key, v) in &entries {
        match *name {
            "by" => {
                by = cx
                    .scalar("approval.by", v, "who approved it")
                    .map(|s| s.trim().to_string())
            }
            "date" => date = cx.date("approval.date", v),
            other => cx.warning(
                "AIMS-W001",
                format!("unknown field `approval.{other}`"),
                key.span.clone(),
                "`approval` accepts: by, date",
            ),
        }
    }
    for (field, present) in [
        ("by", entries.iter().any(|e| e.0 == "by")),
        ("date", entries.iter().any(|e| e.0 == "date")),
    ] {
        if !present {
            cx.error(
                "AIMS-E010",
                format!("`approval` is missing `{field}`"),
                node.span.clone(),
                "write `approval: { by: <role or name>, date: YYYY-MM-DD }`",
            );
        }
    }
    Some(Approval {
        by: by?,
        date: date?,
    })
}

fn nearest_help<'a>(word: &str, ids: impl Iterator<Item = &'a str>, what: &str) -> String {
    let ids: Vec<&str> = ids.collect();
    let mut near = suggest(word, ids.iter().copied(), 8);
    let last = |s: &str| {
        s.rsplit('.')
            .next()
            .and_then(|n| n.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let target = last(word);
    near.sort_by_key(|c| ((last(c) - target).abs(), c.len()));
    let best = near.first().map(|c| (last(c) - target).abs());
    near.retain(|c| Some((last(c) - target).abs()) == best);
    near.truncate(2);
    match near.as_slice() {
        [] => format!("use an id from {what} of ISO/IEC 42001"),
        [one] => format!("did you mean {one}?"),
        [a, b, ..] => format!("did you mean {a} or {b}?"),
    }
}

fn check_control(cx: &mut Ctx<'_>, c: Spanned<String>) -> Option<Spanned<String>> {
    let catalog = catalog::get();
    let norm = catalog::normalize_control(&c.value);
    match catalog.lookup(&norm) {
        Some(Item::Control(_)) => Some(Spanned::new(norm, c.span)),
        Some(Item::Objective(_)) => {
            let children: Vec<&str> = catalog
                .controls
                .iter()
                .filter(|x| x.objective == norm)
                .map(|x| x.id.as_str())
                .collect();
            cx.error(
                "AIMS-E021",
                format!("`{norm}` is an Annex A objective, not a control"),
                c.span,
                format!("name the controls it holds: {}", children.join(", ")),
            );
            None
        }
        _ => {
            let help = nearest_help(
                &norm,
                catalog.controls.iter().map(|c| c.id.as_str()),
                "the Annex A controls",
            );
            cx.error(
                "AIMS-E021",
                format!("unknown Annex A control `{}`", c.value),
                c.span,
                help,
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{SourceFile, split_front_matter};

    fn parse(text: &str) -> (Option<Document>, Vec<Diagnostic>) {
        let split = split_front_matter("a.md", text).expect("front-matter");
        let src = SourceFile {
            display: "a.md".into(),
            rel: "a.md".into(),
            text: text.into(),
            split,
        };
        parse_document(&src, &ModelOptions::default())
    }

    const GOOD: &str = "---\nid: AIMS-POL-001\ntitle: AI policy\ntype: policy\nowner: CEO\nversion: 1.10\nstatus: approved\napproval: { by: Board, date: 2026-01-15 }\nreview_cycle: 12 months\nclauses: [\"5.2\"]\ncontrols: [a.2.2]\n---\nBody\n";

    #[test]
    fn a_valid_document() {
        let (doc, diags) = parse(GOOD);
        assert!(diags.is_empty(), "{diags:?}");
        let doc = doc.expect("document");
        assert_eq!(doc.version, "1.10");
        assert_eq!(
            doc.review_date.map(|d| d.to_string()),
            Some("2027-01-15".to_string())
        );
        assert_eq!(doc.controls[0].value, "A.2.2");
    }

    #[test]
    fn every_problem_in_one_pass() {
        let text = "---\nid: AIMS-POL-001\ntitel: X\ntype: polcy\nversion: 1\nstatus: approved\napproval: { by: B, date: 2026-02-30 }\nreview_date: 2027-01-01\ncontrols: [A.6.2.9]\n---\n";
        let (doc, diags) = parse(text);
        assert!(doc.is_none());
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        for code in [
            "AIMS-W001",
            "AIMS-E010",
            "AIMS-E012",
            "AIMS-E013",
            "AIMS-E021",
        ] {
            assert!(codes.contains(&code), "{code} missing from {codes:?}");
        }
        let ctl = diags
            .iter()
            .find(|d| d.code == "AIMS-E021")
            .expect("control finding");
        assert_eq!(ctl.help.as_deref(), Some("did you mean A.6.2.8?"));
        assert_eq!(
            ctl.location.as_ref().map(|l| (l.line, l.column)),
            Some((9, 12))
        );
    }
}
