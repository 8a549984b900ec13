//! The AI systems of the build: the inventory (HTML, CSV, JSON), one page per system with its
//! facts and the checklist of its records, and the dashboard's columns by system state. Only
//! projects [`crate::link::systems`]: systems and records outside the build are never named.

use serde::Serialize;

use super::context::{Base, Input, Page, Shared, render_one};
use super::registers::csv_escape;
use crate::link::systems::{RecordState, SystemFacts, SystemState, system_url};
use crate::link::{self, Manual};
use crate::model::Sourcing;

/// One row of the inventory; also the CSV and JSON record (field order = CSV column order).
#[derive(Debug, Clone, Serialize)]
pub struct InventoryRow {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub roles: Vec<&'static str>,
    pub sourcing: &'static str,
    /// The supplier's document id, when it is part of this build.
    pub supplier: String,
    pub stage: &'static str,
    pub risk_level: &'static str,
    pub eu_ai_act: &'static str,
    pub annex_iii: String,
    pub jurisdictions: Vec<String>,
    pub in_scope: bool,
    pub state: SystemState,
    /// Required records that are missing or drafts only.
    #[serde(rename = "missing_records")]
    pub missing: Vec<&'static str>,
    /// Required records past their due date.
    #[serde(rename = "overdue_records")]
    pub overdue: Vec<&'static str>,
    pub intended_use: String,
    pub record_status: &'static str,
    /// The system's page, relative to the site root.
    pub url: String,
    /// The system record's document page.
    pub record_url: String,
    /// The supplier's document page (with `supplier`).
    pub supplier_url: String,
}

/// The inventory's CSV columns, in order (documented in the README).
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "name",
    "owner",
    "roles",
    "sourcing",
    "supplier",
    "stage",
    "risk_level",
    "eu_ai_act",
    "annex_iii",
    "jurisdictions",
    "in_scope",
    "state",
    "missing_records",
    "overdue_records",
    "intended_use",
];

/// The systems of this build, in id order.
pub fn included(manual: &Manual) -> impl Iterator<Item = &SystemFacts> {
    manual
        .facts
        .systems
        .systems
        .iter()
        .filter(|s| manual.is_included(s.entry))
}

fn row(manual: &Manual, s: &SystemFacts) -> Option<InventoryRow> {
    let d = &manual.entries[s.entry].doc;
    let sys = d.system.as_deref()?;
    let supplier = s.supplier.filter(|&i| manual.is_included(i));
    let kinds = |pred: fn(RecordState) -> bool| {
        s.checklist
            .iter()
            .filter(|c| c.required && pred(c.state))
            .map(|c| c.kind.as_str())
            .collect::<Vec<_>>()
    };
    Some(InventoryRow {
        id: d.id.value.clone(),
        name: d.title.clone(),
        owner: d.owner.clone(),
        roles: sys.roles.iter().map(|r| r.as_str()).collect(),
        sourcing: sys.sourcing.as_str(),
        supplier: supplier
            .map(|i| manual.entries[i].doc.id.value.clone())
            .unwrap_or_default(),
        stage: sys.stage.as_str(),
        risk_level: sys.risk_level.as_str(),
        eu_ai_act: sys.eu_ai_act.as_str(),
        annex_iii: sys.annex_iii.clone().unwrap_or_default(),
        jurisdictions: sys.jurisdictions.clone(),
        in_scope: sys.in_scope,
        state: s.state,
        missing: kinds(|st| matches!(st, RecordState::Missing | RecordState::Draft)),
        overdue: kinds(|st| st == RecordState::Overdue),
        intended_use: sys.intended_use.clone(),
        record_status: d.status.as_str(),
        url: system_url(&d.id.value),
        record_url: link::doc_url(&d.id.value),
        supplier_url: supplier
            .map(|i| link::doc_url(&manual.entries[i].doc.id.value))
            .unwrap_or_default(),
    })
}

/// The inventory rows of this build.
pub fn rows(manual: &Manual) -> Vec<InventoryRow> {
    included(manual).filter_map(|s| row(manual, s)).collect()
}

/// The inventory as CSV (RFC 4180, header row, CRLF line ends); lists are joined with `; `.
pub fn csv(rows: &[InventoryRow]) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    for r in rows {
        let fields: [String; 16] = [
            r.id.clone(),
            r.name.clone(),
            r.owner.clone(),
            r.roles.join("; "),
            r.sourcing.to_string(),
            r.supplier.clone(),
            r.stage.to_string(),
            r.risk_level.to_string(),
            r.eu_ai_act.to_string(),
            r.annex_iii.clone(),
            r.jurisdictions.join("; "),
            if r.in_scope { "yes" } else { "no" }.to_string(),
            r.state.as_str().to_string(),
            r.missing.join("; "),
            r.overdue.join("; "),
            r.intended_use.clone(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_escape(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The inventory as JSON: `{ "columns": [...], "systems": [ {...}, ... ] }`.
pub fn json(rows: &[InventoryRow], input: &Input<'_>) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        generated: &'a str,
        commit: Option<&'a str>,
        profile: Option<&'a str>,
        columns: &'a [&'a str],
        systems: &'a [InventoryRow],
    }
    let doc = Doc {
        generated: &input.site.build_date,
        commit: input.site.commit.as_deref(),
        profile: input.site.profile.as_deref(),
        columns: CSV_COLUMNS,
        systems: rows,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[derive(Serialize)]
pub struct StateCount {
    pub state: SystemState,
    pub label: &'static str,
    pub count: usize,
}

fn counts(rows: &[InventoryRow]) -> Vec<StateCount> {
    SystemState::ALL
        .iter()
        .map(|&state| StateCount {
            state,
            label: state.label(),
            count: rows.iter().filter(|r| r.state == state).count(),
        })
        .collect()
}

#[derive(Serialize)]
pub struct InventoryPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub rows: &'a [InventoryRow],
    pub counts: Vec<StateCount>,
}

/// A record on a system's checklist.
#[derive(Debug, Clone, Serialize)]
pub struct RecordLink {
    pub id: String,
    pub title: String,
    pub url: String,
    pub status: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistView {
    pub kind: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub state: RecordState,
    pub state_label: &'static str,
    pub due: String,
    /// The records of this build.
    pub records: Vec<RecordLink>,
    /// How many of its records are outside this build (not named).
    pub hidden: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

#[derive(Serialize)]
pub struct SystemPage<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub system: InventoryRow,
    pub facts: Vec<Fact>,
    pub checklist: Vec<ChecklistView>,
    /// The required records missing (or drafts only) and overdue, in words.
    pub missing: Vec<&'static str>,
    pub overdue: Vec<&'static str>,
    /// Other documents of this build that name the system.
    pub others: Vec<RecordLink>,
}

fn record_link(manual: &Manual, i: usize, root: &str) -> RecordLink {
    let d = &manual.entries[i].doc;
    RecordLink {
        id: d.id.value.clone(),
        title: d.title.clone(),
        url: format!("{root}{}", link::doc_url(&d.id.value)),
        status: d.status.as_str(),
    }
}

/// The checklist of a system as this build shows it: records outside the build are counted,
/// not named.
pub fn checklist(manual: &Manual, s: &SystemFacts, root: &str) -> Vec<ChecklistView> {
    s.checklist
        .iter()
        .map(|c| ChecklistView {
            kind: c.kind.as_str(),
            label: c.kind.label(),
            required: c.required,
            state: c.state,
            state_label: c.state.label(),
            due: c.due.map(|d| d.to_string()).unwrap_or_default(),
            records: c
                .records
                .iter()
                .filter(|&&r| manual.is_included(r))
                .map(|&r| record_link(manual, r, root))
                .collect(),
            hidden: c
                .records
                .iter()
                .filter(|&&r| !manual.is_included(r))
                .count(),
        })
        .collect()
}

fn system_page<'a>(manual: &Manual, s: &SystemFacts, base: Base<'a>) -> Option<SystemPage<'a>> {
    let mut system = row(manual, s)?;
    let root = "../";
    system.record_url = format!("{root}{}", system.record_url);
    if !system.supplier_url.is_empty() {
        system.supplier_url = format!("{root}{}", system.supplier_url);
    }
    let sys = manual.entries[s.entry].doc.system.as_deref()?;
    let list = |v: &[String]| {
        if v.is_empty() {
            "not stated".to_string()
        } else {
            v.join("; ")
        }
    };
    let mut facts = vec![
        Fact {
            label: "Our role (ISO/IEC 22989)",
            value: sys
                .roles
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join(", "),
        },
        Fact {
            label: "Built or bought",
            value: sys.sourcing.as_str().to_string(),
        },
        Fact {
            label: "Life-cycle stage",
            value: sys.stage.label().to_string(),
        },
        Fact {
            label: "Intended use",
            value: sys.intended_use.clone(),
        },
        Fact {
            label: "Foreseeable misuse",
            value: list(&sys.foreseeable_misuse),
        },
        Fact {
            label: "Affected parties",
            value: list(&sys.affected_parties),
        },
        Fact {
            label: "Data sources",
            value: list(&sys.data_sources),
        },
        Fact {
            label: "Human oversight",
            value: if sys.human_oversight.is_empty() {
                "not stated".to_string()
            } else {
                sys.human_oversight.clone()
            },
        },
        Fact {
            label: "Risk level",
            value: sys.risk_level.as_str().to_string(),
        },
        Fact {
            label: "Jurisdictions",
            value: list(&sys.jurisdictions),
        },
        Fact {
            label: "EU AI Act",
            value: match &sys.annex_iii {
                Some(p) => format!("{}, Annex III point {p}", sys.eu_ai_act.label()),
                None => sys.eu_ai_act.label().to_string(),
            },
        },
        Fact {
            label: "In the AIMS's scope",
            value: if sys.in_scope { "yes" } else { "no" }.to_string(),
        },
    ];
    if sys.sourcing == Sourcing::Bought && system.supplier.is_empty() {
        facts.push(Fact {
            label: "Supplier",
            value: if sys.supplier.is_some() {
                "named in a document outside this build".to_string()
            } else {
                "not named".to_string()
            },
        });
    }
    let on_checklist: std::collections::HashSet<usize> = s
        .checklist
        .iter()
        .flat_map(|c| c.records.iter().copied())
        .collect();
    let nouns = |pred: fn(RecordState) -> bool| {
        s.checklist
            .iter()
            .filter(|c| c.required && pred(c.state))
            .map(|c| c.kind.noun())
            .collect::<Vec<_>>()
    };
    Some(SystemPage {
        base,
        facts,
        missing: nouns(|st| matches!(st, RecordState::Missing | RecordState::Draft)),
        overdue: nouns(|st| st == RecordState::Overdue),
        checklist: checklist(manual, s, root),
        others: s
            .records
            .iter()
            .filter(|&&r| !on_checklist.contains(&r) && manual.is_included(r))
            .map(|&r| record_link(manual, r, root))
            .collect(),
        system,
    })
}

/// The dashboard's AI systems: one column per state, each listing its systems.
#[derive(Debug, Clone, Serialize)]
pub struct DashboardColumn {
    pub state: SystemState,
    pub label: &'static str,
    pub systems: Vec<RecordLink>,
}

pub fn dashboard(manual: &Manual) -> Vec<DashboardColumn> {
    let rows = rows(manual);
    if rows.is_empty() {
        return Vec::new();
    }
    SystemState::ALL
        .iter()
        .map(|&state| DashboardColumn {
            state,
            label: state.label(),
            systems: rows
                .iter()
                .filter(|r| r.state == state)
                .map(|r| RecordLink {
                    id: r.id.clone(),
                    title: r.name.clone(),
                    url: r.url.clone(),
                    status: r.record_status,
                })
                .collect(),
        })
        .collect()
}

/// This module's pages: the inventory (HTML, CSV, JSON) and one page per system.
pub(crate) fn pages<'s>(shared: &'s Shared<'s>, rows: &'s [InventoryRow]) -> Vec<Page<'s>> {
    let (input, tera) = (shared.input, shared.tera);
    let mut pages = vec![
        Page::new("inventory.html", move || {
            let page = InventoryPage {
                base: shared.base("AI system inventory", "inventory"),
                rows,
                counts: counts(rows),
            };
            render_one(tera, "inventory.html", &page)
        }),
        Page::new("inventory.csv", move || Ok(csv(rows).into_bytes())),
        Page::new("inventory.json", move || Ok(json(rows, input).into_bytes())),
    ];
    for s in included(input.manual) {
        let id = &input.manual.entries[s.entry].doc.id.value;
        pages.push(Page::new(system_url(id), move || {
            let manual = input.manual;
            let d = &manual.entries[s.entry].doc;
            let base = Base {
                site: &input.site,
                root: "../",
                page_title: d.title.clone(),
                current: "inventory",
            };
            match system_page(manual, s, base) {
                Some(page) => render_one(tera, "system.html", &page),
                None => Ok(Vec::new()),
            }
        }));
    }
    pages
}
