//! The organisation's own fields: `extra:` is free-form, but a key that book.toml declares
//! under `[fields]` is checked against its type (string, date, list, one-of) and kept for the
//! control block and the register. Undeclared keys stay as they are, unchecked and unshown.

use super::Ctx;
use crate::config::FieldKind;
use crate::diagnostic::suggest;
use crate::model::yaml::{Kind, Node};
use crate::model::{FieldValue, ModelOptions};

/// The declared fields `extra` gives, in declaration order, each checked.
pub(super) fn parse(
    cx: &mut Ctx<'_>,
    node: &Node,
    opts: &ModelOptions,
) -> Vec<(String, FieldValue)> {
    if !matches!(node.kind, Kind::Map(_)) {
        cx.error(
            "AIMS-E011",
            format!("`extra` must be a mapping, found {}", node.describe()),
            node.span.clone(),
            "write `extra: { name: value }`",
        );
        return Vec::new();
    }
    let given = cx.entries("extra", node, "write `extra: { name: value }`");
    let mut out = Vec::new();
    for (name, spec) in &opts.fields {
        let Some((_, _, v)) = given.iter().find(|(k, _, _)| k == name) else {
            continue;
        };
        let key = format!("extra.{name}");
        let value = match spec.kind {
            FieldKind::String => cx
                .scalar(&key, v, "a single value")
                .map(|s| FieldValue::Text(s.trim().to_string())),
            FieldKind::Date => cx.date(&key, v).map(|d| FieldValue::Text(d.to_string())),
            FieldKind::List => Some(FieldValue::List(
                cx.list(&key, v, "values")
                    .into_iter()
                    .map(|s| s.value)
                    .collect(),
            )),
            FieldKind::OneOf => cx
                .scalar(&key, v, &format!("one of: {}", spec.values.join(", ")))
                .and_then(|s| {
                    let s = s.trim();
                    if spec.values.iter().any(|x| x == s) {
                        return Some(FieldValue::Text(s.to_string()));
                    }
                    let accepted = spec.values.join(", ");
                    let help = match suggest(s, spec.values.iter().map(String::as_str), 1).first() {
                        Some(n) => format!(
                            "did you mean `{n}`? book.toml's [fields.{name}] accepts: {accepted}"
                        ),
                        None => format!("book.toml's [fields.{name}] accepts: {accepted}"),
                    };
                    cx.error(
                        "AIMS-E066",
                        format!("invalid {key} `{s}`"),
                        v.span.clone(),
                        help,
                    );
                    None
                }),
        };
        if let Some(value) = value {
            out.push((name.clone(), value));
        }
    }
    out
}
