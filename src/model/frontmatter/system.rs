//! The front-matter of AI systems: the typed facts of a `type: ai-system` record, and the fields
//! any document uses to say which systems it concerns (`systems`), what it is for them
//! (`record_kind`) and when its assessment is due again (`next_due`).

use jiff::civil::Date;

use super::Ctx;
use super::soa::parse_bool;
use crate::model::yaml::{Kind, Node};
use crate::model::{
    AiRole, AiSystem, DocType, EuAiAct, LifecycleStage, RecordKind, RiskLevel, Sourcing, Spanned,
};
use crate::vocab::annex_iii_point;

/// The fields only a `type: ai-system` record reads.
pub const SYSTEM_FIELDS: &[&str] = &[
    "roles",
    "sourcing",
    "supplier",
    "stage",
    "intended_use",
    "foreseeable_misuse",
    "affected_parties",
    "data_sources",
    "human_oversight",
    "risk_level",
    "jurisdictions",
    "eu_ai_act",
    "annex_iii",
    "in_scope",
];

/// The fields an AI system record cannot do without.
const SYSTEM_REQUIRED: &[&str] = &[
    "roles",
    "sourcing",
    "stage",
    "intended_use",
    "risk_level",
    "eu_ai_act",
    "in_scope",
];

/// The fields any document may carry about the systems it concerns.
pub const LINK_FIELDS: &[&str] = &["systems", "record_kind", "next_due"];

type Fields<'n> = [(&'n str, &'n Node, &'n Node)];

fn get<'n>(fields: &Fields<'n>, name: &str) -> Option<(&'n Node, &'n Node)> {
    fields
        .iter()
        .find(|(k, _, _)| *k == name)
        .map(|(_, k, v)| (*k, *v))
}

/// What a document says about the systems it concerns.
pub(super) struct SystemLinks {
    pub systems: Vec<Spanned<String>>,
    pub record_kinds: Vec<RecordKind>,
    pub next_due: Option<Spanned<Date>>,
}

pub(super) fn parse_links(
    cx: &mut Ctx<'_>,
    fields: &Fields<'_>,
    doc_type: Option<DocType>,
) -> SystemLinks {
    let systems: Vec<Spanned<String>> = get(fields, "systems")
        .map(|(_, v)| cx.list("systems", v, "ids of AI system records"))
        .unwrap_or_default();
    let mut record_kinds = Vec::new();
    if let Some((_, v)) = get(fields, "record_kind") {
        for k in cx.list("record_kind", v, "record kinds") {
            let node = scalar_node(&k);
            if let Some(kind) =
                cx.keyword("record_kind", &node, RecordKind::parse, RecordKind::NAMES)
                && !record_kinds.contains(&kind)
            {
                record_kinds.push(kind);
            }
        }
    }
    let next_due = get(fields, "next_due")
        .and_then(|(_, v)| Some(Spanned::new(cx.date("next_due", v)?, v.span.clone())));
    if systems.is_empty() && doc_type != Some(DocType::AiSystem) {
        for name in ["record_kind", "next_due"] {
            if let Some((key, _)) = get(fields, name) {
                cx.warning(
                    "AIMS-W075",
                    format!("`{name}` is only read on a document that names its AI systems"),
                    key.span.clone(),
                    "add `systems: [<id of the AI system record>]`, or remove the field",
                );
            }
        }
    }
    SystemLinks {
        systems,
        record_kinds,
        next_due,
    }
}

/// The facts of an AI system record; on any other document, its AI-system fields are reported.
pub(super) fn parse_system(
    cx: &mut Ctx<'_>,
    fields: &Fields<'_>,
    doc_type: Option<DocType>,
) -> Option<Box<AiSystem>> {
    if doc_type != Some(DocType::AiSystem) {
        if doc_type.is_some() {
            warn_misplaced(cx, fields);
        }
        return None;
    }
    let mut complete = check_required(cx, fields);
    let text = |cx: &mut Ctx<'_>, name: &str, what: &str| -> Option<String> {
        let (_, v) = get(fields, name)?;
        cx.scalar(name, v, what).map(|s| s.trim().to_string())
    };
    let texts = |cx: &mut Ctx<'_>, name: &str, what: &str| -> Vec<String> {
        get(fields, name)
            .map(|(_, v)| cx.list(name, v, what))
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.value)
            .filter(|s| !s.is_empty())
            .collect()
    };

    let roles = parse_roles(cx, fields, &mut complete);
    let sourcing = get(fields, "sourcing")
        .and_then(|(_, v)| cx.keyword("sourcing", v, Sourcing::parse, Sourcing::NAMES));
    let supplier = get(fields, "supplier").and_then(|(_, v)| {
        let s = cx.scalar("supplier", v, "the id of the supplier's document")?;
        Some(Spanned::new(s.trim().to_string(), v.span.clone()))
    });
    let stage = get(fields, "stage")
        .and_then(|(_, v)| cx.keyword("stage", v, LifecycleStage::parse, LifecycleStage::NAMES));
    let intended_use = text(cx, "intended_use", "what the system is for");
    let human_oversight = text(cx, "human_oversight", "how people oversee the system");
    let foreseeable_misuse = texts(cx, "foreseeable_misuse", "foreseeable misuses");
    let affected_parties = texts(cx, "affected_parties", "the parties it affects");
    let data_sources = texts(cx, "data_sources", "the data it uses");
    let jurisdictions = texts(cx, "jurisdictions", "jurisdictions such as EU, UK");
    let risk_level = get(fields, "risk_level")
        .and_then(|(_, v)| cx.keyword("risk_level", v, RiskLevel::parse, RiskLevel::NAMES));
    let (eu_ai_act, annex_iii) = parse_eu_ai_act(cx, fields);
    let in_scope = get(fields, "in_scope")
        .and_then(|(_, v)| cx.keyword("in_scope", v, parse_bool, &["true", "false"]));

    if !complete {
        return None;
    }
    Some(Box::new(AiSystem {
        roles,
        sourcing: sourcing?,
        supplier,
        stage: stage?,
        intended_use: intended_use?,
        foreseeable_misuse,
        affected_parties,
        data_sources,
        human_oversight: human_oversight.unwrap_or_default(),
        risk_level: risk_level?,
        jurisdictions,
        eu_ai_act: eu_ai_act?,
        annex_iii,
        in_scope: in_scope?,
    }))
}

/// AI-system fields on a document that is not an AI system record: each is reported.
fn warn_misplaced(cx: &mut Ctx<'_>, fields: &Fields<'_>) {
    for (name, key, _) in fields {
        if SYSTEM_FIELDS.contains(name) {
            cx.warning(
                "AIMS-W071",
                format!("`{name}` is only read on an AI system record"),
                key.span.clone(),
                "set `type: ai-system` on the system's own record, or name the system with `systems: [<id>]`",
            );
        }
    }
}

/// Whether every required field of an AI system record is there (each missing one reported).
fn check_required(cx: &mut Ctx<'_>, fields: &Fields<'_>) -> bool {
    let mut complete = true;
    for name in SYSTEM_REQUIRED {
        if get(fields, name).is_none() {
            complete = false;
            cx.error(
                "AIMS-E071",
                format!("an AI system record needs `{name}`"),
                0..3,
                format!(
                    "add `{name}: ...`; an AI system record gives: {}",
                    SYSTEM_REQUIRED.join(", ")
                ),
            );
        }
    }
    complete
}

/// The organisation's roles for the system (at least one; `complete` is cleared when none).
fn parse_roles(cx: &mut Ctx<'_>, fields: &Fields<'_>, complete: &mut bool) -> Vec<AiRole> {
    let mut roles = Vec::new();
    if let Some((_, v)) = get(fields, "roles") {
        let listed = cx.list("roles", v, "roles such as provider, customer");
        if listed.is_empty() {
            *complete = false;
            cx.error(
                "AIMS-E071",
                "an AI system record needs at least one role",
                v.span.clone(),
                format!(
                    "name the organisation's roles for it: {}",
                    AiRole::NAMES.join(", ")
                ),
            );
        }
        for r in listed {
            let node = scalar_node(&r);
            if let Some(role) = cx.keyword("roles", &node, AiRole::parse, AiRole::NAMES)
                && !roles.contains(&role)
            {
                roles.push(role);
            }
        }
    }
    roles
}

/// The EU AI Act class and, for a high-risk system, its Annex III point (checked together).
fn parse_eu_ai_act(cx: &mut Ctx<'_>, fields: &Fields<'_>) -> (Option<EuAiAct>, Option<String>) {
    let eu_ai_act = get(fields, "eu_ai_act")
        .and_then(|(_, v)| cx.keyword("eu_ai_act", v, EuAiAct::parse, EuAiAct::NAMES));
    let annex_iii = get(fields, "annex_iii").and_then(|(_, v)| {
        let s = cx.scalar("annex_iii", v, "a point of Annex III such as 4(b)")?;
        match annex_iii_point(s) {
            Some(p) => Some(p),
            None => {
                cx.error(
                    "AIMS-E072",
                    format!("`{}` is not a point of Annex III of the EU AI Act", s.trim()),
                    v.span.clone(),
                    "write a point of Annex III: 1 to 8, with its letter where it has one, e.g. 4(b); point 2 has no letters",
                );
                None
            }
        }
    });
    match (eu_ai_act, get(fields, "annex_iii")) {
        (Some(EuAiAct::HighRisk), None) => {
            let span = get(fields, "eu_ai_act").map_or(0..3, |(_, v)| v.span.clone());
            cx.error(
                "AIMS-E072",
                "a high-risk AI system needs the Annex III point it falls under",
                span,
                "add `annex_iii: 4(b)` (the point of Annex III of the EU AI Act)",
            );
        }
        (Some(class), Some((key, _))) if class != EuAiAct::HighRisk => {
            cx.error(
                "AIMS-E072",
                format!("`annex_iii` is given, but the system is classified `{class}`"),
                key.span.clone(),
                "an Annex III point goes with `eu_ai_act: high-risk`; correct the class or remove `annex_iii`",
            );
        }
        _ => {}
    }
    (eu_ai_act, annex_iii)
}

fn scalar_node(s: &Spanned<String>) -> Node {
    Node {
        kind: Kind::Scalar {
            text: s.value.clone(),
            plain: true,
        },
        span: s.span.clone(),
    }
}
