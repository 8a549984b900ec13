//! References to standards other than ISO/IEC 42001: the `standards:` map (catalog key → ids),
//! each id checked against its catalog with the nearest ids as a suggestion, and `standard:`,
//! which makes a Statement of Applicability the SoA of another standard.

use std::ops::Range;

use super::Ctx;
use crate::catalog::{self, Catalog, Item};
use crate::diagnostic::suggest;
use crate::model::yaml::Node;
use crate::model::{ModelOptions, Spanned, StandardRefs};

const EXAMPLE: &str =
    "write `standards: { iso27001: [\"6.1.3\", \"A.5.15\"], eu-ai-act: [\"Art. 9\"] }`";

/// The `standards:` map of a document.
pub(super) fn parse(cx: &mut Ctx<'_>, node: &Node, opts: &ModelOptions) -> Vec<StandardRefs> {
    let mut out = Vec::new();
    for (name, key, v) in cx.entries("standards", node, EXAMPLE) {
        let Some(cat) = enabled(cx, name, key.span.clone(), opts) else {
            continue;
        };
        if cat.key == catalog::BASE {
            cx.error(
                "AIMS-E064",
                "ISO/IEC 42001 references are not listed under `standards`",
                key.span.clone(),
                "list ISO/IEC 42001 clauses under `clauses` and its Annex A controls under `controls`",
            );
            continue;
        }
        let what = format!("{} ids", cat.standard);
        let mut ids: Vec<Spanned<String>> = Vec::new();
        for raw in cx.list(&format!("standards.{name}"), v, &what) {
            if let Some(id) = check_ref(cx, cat, raw, false)
                && !ids.iter().any(|x| x.value == id.value)
            {
                ids.push(id);
            }
        }
        out.push(StandardRefs {
            key: cat.key.clone(),
            ids,
        });
    }
    out
}

/// The catalog `name` stands for when the manual enables it; otherwise reports why not.
fn enabled(
    cx: &mut Ctx<'_>,
    name: &str,
    span: Range<usize>,
    opts: &ModelOptions,
) -> Option<&'static Catalog> {
    if name == catalog::BASE {
        return Some(catalog::get());
    }
    if let Some(cat) = opts.standards.iter().find(|c| c.key == name) {
        return Some(cat);
    }
    if let Some(cat) = catalog::builtin(name) {
        cx.error(
            "AIMS-E062",
            format!("{} (`{name}`) is not enabled for this manual", cat.standard),
            span,
            format!("add `{name} = true` under `[standards]` in book.toml to map documents to it"),
        );
        return None;
    }
    let known: Vec<&str> = catalog::builtin_keys().collect();
    let near = suggest(name, known.iter().copied(), 1);
    let help = match near.first() {
        Some(n) => format!("did you mean `{n}`? known standards: {}", known.join(", ")),
        None => format!("known standards: {}", known.join(", ")),
    };
    cx.error(
        "AIMS-E061",
        format!("unknown standard `{name}`"),
        span,
        help,
    );
    None
}

/// A reference checked against `cat`: the catalog's id, or an error at the reference with the
/// nearest ids. With `control_only`, only a control is accepted (a Statement of Applicability).
pub(super) fn check_ref(
    cx: &mut Ctx<'_>,
    cat: &Catalog,
    raw: Spanned<String>,
    control_only: bool,
) -> Option<Spanned<String>> {
    match cat.resolve(&raw.value) {
        Some((id, Item::Objective(_))) => {
            let children: Vec<&str> = cat
                .controls
                .iter()
                .filter(|x| x.objective == id)
                .map(|x| x.id.as_str())
                .collect();
            let shown = children.len().min(12);
            let more = if children.len() > shown { ", …" } else { "" };
            cx.error(
                "AIMS-E063",
                format!(
                    "`{id}` is a group of {} controls, not a control",
                    cat.standard
                ),
                raw.span,
                format!(
                    "name the controls it holds: {}{more}",
                    children[..shown].join(", ")
                ),
            );
            None
        }
        Some((id, Item::Clause(_))) if control_only => {
            cx.error(
                "AIMS-E063",
                format!("`{id}` is a clause of {}, not a control", cat.standard),
                raw.span,
                "the Statement of Applicability lists controls only",
            );
            None
        }
        Some((id, _)) => Some(Spanned::new(id.to_string(), raw.span)),
        None => {
            let candidates: Vec<&str> = if control_only {
                cat.controls.iter().map(|c| c.id.as_str()).collect()
            } else {
                cat.ids().collect()
            };
            let help = match nearest(&raw.value, &candidates).as_slice() {
                [] => format!("use an id of {} such as `{}`", cat.standard, example(cat)),
                [one] => format!("did you mean {one}?"),
                [a, b, ..] => format!("did you mean {a} or {b}?"),
            };
            cx.error(
                "AIMS-E063",
                format!("unknown {} id `{}`", cat.standard, raw.value),
                raw.span,
                help,
            );
            None
        }
    }
}

/// An id of the catalog to show as an example: its first control, else its first clause with
/// a parent (a clause people map to).
fn example(cat: &Catalog) -> &str {
    cat.controls
        .first()
        .map(|c| c.id.as_str())
        .or_else(|| {
            cat.clauses
                .iter()
                .find(|c| c.parent.is_some())
                .map(|c| c.id.as_str())
        })
        .unwrap_or("")
}

/// Up to two ids nearest to `word`: the closest by spelling, among them those whose last
/// number is closest (`7.5.4` → `7.5.3`, not `7.4`).
fn nearest<'a>(word: &str, ids: &[&'a str]) -> Vec<&'a str> {
    let canonical = catalog::canonical(word);
    let by_canonical: Vec<String> = ids.iter().map(|id| catalog::canonical(id)).collect();
    let picked = suggest(&canonical, by_canonical.iter().map(String::as_str), 8);
    let mut near: Vec<&'a str> = ids
        .iter()
        .zip(&by_canonical)
        .filter(|(_, c)| picked.contains(&c.as_str()))
        .map(|(id, _)| *id)
        .collect();
    let last = |s: &str| {
        s.rsplit(['.', ' '])
            .next()
            .and_then(|n| n.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let target = last(word.trim());
    near.sort_by_key(|c| ((last(c) - target).abs(), c.len()));
    let best = near.first().map(|c| (last(c) - target).abs());
    near.retain(|c| Some((last(c) - target).abs()) == best);
    near.truncate(2);
    near
}

/// `standard:` on a Statement of Applicability: the enabled catalog whose controls it decides.
pub(super) fn parse_soa_standard(
    cx: &mut Ctx<'_>,
    node: &Node,
    opts: &ModelOptions,
) -> Option<(Spanned<String>, &'static Catalog)> {
    let name = cx.scalar(
        "standard",
        node,
        "the key of an enabled standard, e.g. iso27001",
    )?;
    let name = name.trim();
    let cat = enabled(cx, name, node.span.clone(), opts)?;
    if cat.key == catalog::BASE {
        return None;
    }
    if !cat.soa {
        cx.error(
            "AIMS-E064",
            format!("{} has no Statement of Applicability", cat.standard),
            node.span.clone(),
            "only a standard with a control set has one (iso27001, iso27701); remove `standard:` or set another type",
        );
        return None;
    }
    Some((Spanned::new(cat.key.clone(), node.span.clone()), cat))
}

/// The field other tools call `name`: what an unknown top-level field most likely stands for,
/// when spelling alone would not find it (`approved_on` → `approval.date`, `iso27001` →
/// `standards`).
pub(super) fn field_alias(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase().replace('-', "_");
    let alias = match lower.as_str() {
        "name" | "doc_title" | "document_title" => "title",
        "approved_on" | "approval_date" | "approved_date" | "date_approved" => "approval.date",
        "approved_by" | "approver" => "approval.by",
        "next_review" | "next_review_date" | "review_by" | "review_due" | "due_date" => {
            "review_date"
        }
        "review_frequency" | "review_interval" | "review_period" => "review_cycle",
        "author" | "document_owner" | "responsible" => "owner",
        "revision" | "rev" => "version",
        "state" | "lifecycle" => "status",
        "doc_type" | "document_type" | "category" | "kind" => "type",
        "iso_clauses" | "clause" => "clauses",
        "annex_a" | "control" | "iso_controls" => "controls",
        "frameworks" | "framework" | "mappings" | "compliance" => "standards",
        _ if catalog::builtin(&lower.replace('_', "-")).is_some()
            || catalog::builtin(&lower).is_some() =>
        {
            "standards"
        }
        _ => return None,
    };
    Some(alias)
}
