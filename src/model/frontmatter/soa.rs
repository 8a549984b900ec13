//! The Statement of Applicability's `applicability` map: one entry per Annex A control with
//! applicability, justification and implementation status (clause 6.1.3), and the check that
//! every control is listed.

use std::collections::HashSet;
use std::ops::Range;

use super::{Ctx, check_control};
use crate::catalog::{self, Catalog};
use crate::model::yaml::{Kind, Node};
use crate::model::{Applicability, Implementation, Spanned};

/// The `applicability` map of the SoA of ISO/IEC 42001, or of `other` (`standard:`).
pub(super) fn parse_applicability(
    cx: &mut Ctx<'_>,
    node: &Node,
    other: Option<&Catalog>,
    extensions: &[&'static Catalog],
) -> Vec<Applicability> {
    let mut out: Vec<Applicability> = Vec::new();
    let entries = cx.entries(
        "applicability",
        node,
        "write one entry per Annex A control: `A.2.2: { applicable: true, justification: \"...\", implementation: implemented }`",
    );
    for (name, key, v) in entries {
        let written = Spanned::new(name.to_string(), key.span.clone());
        let own = extensions.iter().find_map(|c| match c.resolve(name) {
            Some((id, catalog::Item::Control(_))) => Some(id.to_string()),
            _ => None,
        });
        let control = match (other, own) {
            (Some(cat), _) => super::standards::check_ref(cx, cat, written, true),
            (None, Some(id)) => Some(Spanned::new(id, written.span)),
            (None, None) => check_control(cx, written),
        };
        let Some(control) = control else {
            continue;
        };
        if let Some(prev) = out.iter().find(|a| a.control.value == control.value) {
            let line = cx.locator.locate(prev.control.span.clone()).line;
            cx.error(
                "AIMS-E018",
                format!(
                    "control {} is listed twice in the Statement of Applicability",
                    control.value
                ),
                control.span.clone(),
                format!("keep one entry; the first is on line {line}"),
            );
            continue;
        }
        let mut row = Applicability {
            control,
            applicable: None,
            justification: None,
            implementation: None,
        };
        for (field, fkey, fv) in cx.entries(
            name,
            v,
            "write `{ applicable: true|false, justification: \"...\", implementation: ... }`",
        ) {
            match field {
                "applicable" => {
                    row.applicable = cx.keyword(
                        &format!("{name}.applicable"),
                        fv,
                        parse_bool,
                        &["true", "false"],
                    );
                }
                "justification" => {
                    row.justification = cx
                        .scalar(
                            &format!("{name}.justification"),
                            fv,
                            "why the control is included or excluded",
                        )
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty());
                }
                "implementation" => {
                    row.implementation = cx.keyword(
                        &format!("{name}.implementation"),
                        fv,
                        Implementation::parse,
                        Implementation::NAMES,
                    );
                }
                other => cx.warning(
                    "AIMS-W001",
                    format!("unknown field `{other}` for control {name}"),
                    fkey.span.clone(),
                    "each control accepts: applicable, justification, implementation",
                ),
            }
        }
        if matches!(v.kind, Kind::Map(_)) {
            if row.applicable.is_none() && !has_key(v, "applicable") {
                cx.error(
                    "AIMS-E022",
                    format!(
                        "control {} does not say whether it is applicable",
                        row.control.value
                    ),
                    row.control.span.clone(),
                    "add `applicable: true` or `applicable: false`",
                );
            }
            if row.justification.is_none() {
                let what = if row.applicable == Some(false) {
                    "exclusion"
                } else {
                    "inclusion"
                };
                cx.error(
                    "AIMS-E023",
                    format!("control {} has no justification for its {what}", row.control.value),
                    row.control.span.clone(),
                    "clause 6.1.3 asks for a justification of every inclusion and every exclusion: add `justification: \"...\"`",
                );
            }
        }
        out.push(row);
    }
    out
}

fn has_key(node: &Node, key: &str) -> bool {
    matches!(&node.kind, Kind::Map(items) if items.iter().any(|(k, _)| k.as_scalar() == Some(key)))
}

pub(super) fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" | "yes" | "Yes" => Some(true),
        "false" | "False" | "FALSE" | "no" | "No" => Some(false),
        _ => None,
    }
}

pub(super) fn check_soa_complete(
    cx: &mut Ctx<'_>,
    rows: &[Applicability],
    span: Range<usize>,
    other: Option<&'static Catalog>,
    extensions: &[&'static Catalog],
) {
    let listed: HashSet<&str> = rows.iter().map(|r| r.control.value.as_str()).collect();
    let missing: Vec<&str> = std::iter::once(other.unwrap_or_else(catalog::get))
        .chain(extensions.iter().copied())
        .flat_map(|c| c.controls.iter().map(|c| c.id.as_str()))
        .filter(|id| !listed.contains(id))
        .collect();
    if !missing.is_empty() {
        let what = match other {
            Some(cat) => format!(
                "of {} does not list {} control(s)",
                cat.standard,
                missing.len()
            ),
            None if extensions.is_empty() => {
                format!("does not list {} Annex A control(s)", missing.len())
            }
            None => format!(
                "does not list {} Annex A or organisation-defined control(s)",
                missing.len()
            ),
        };
        cx.error(
            "AIMS-E024",
            format!(
                "the Statement of Applicability {what}: {}",
                missing.join(", ")
            ),
            span,
            if extensions.is_empty() {
                "every Annex A control appears exactly once, applicable or excluded, with a justification"
            } else {
                "every Annex A control and every control of the catalogs that extend ISO/IEC 42001 appears exactly once, applicable or excluded, with a justification"
            },
        );
    }
}
