//! `aims-site new TYPE "Title"`: a new draft document from the template of its type, with the
//! next free id, in the folder where documents of that type already live.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Terminal;
use crate::cli::NewArgs;
use crate::error::{Error, Result};
use crate::model::{DocType, Status};
use crate::site::{self, Project};

/// What `new` wrote.
#[derive(Debug)]
pub struct Created {
    pub id: String,
    pub path: PathBuf,
}

pub fn run(project: &Project, args: &NewArgs) -> Result<Created> {
    let doc_type = DocType::parse(&args.doc_type).ok_or_else(|| {
        Error::Usage(format!(
            "unknown document type `{}`; one of: {}",
            args.doc_type,
            DocType::NAMES.join(", ")
        ))
    })?;
    let selection = crate::link::Selection {
        classifications: crate::model::Classification::ALL.iter().copied().collect(),
        drafts: true,
    };
    let analysis = site::analyse(project, &selection, None)?;
    let entries = &analysis.manual.entries;
    let ids: Vec<&str> = entries.iter().map(|e| e.doc.id.value.as_str()).collect();
    let same_type: Vec<&crate::link::Entry> = entries
        .iter()
        .filter(|e| e.doc.doc_type == doc_type)
        .collect();
    let id = match &args.id {
        Some(id) => {
            if !crate::model::frontmatter::valid_id(id) {
                return Err(Error::Usage(format!("`{id}` is not a valid document id")));
            }
            if ids.iter().any(|x| x.eq_ignore_ascii_case(id)) {
                return Err(Error::Usage(format!("the id `{id}` is taken")));
            }
            id.clone()
        }
        None if doc_type == DocType::AiSystem => system_id(&args.title, &ids),
        None => next_id(
            doc_type,
            &same_type
                .iter()
                .map(|e| e.doc.id.value.as_str())
                .collect::<Vec<_>>(),
            &ids,
        ),
    };
    // The folder where most documents of this type are, else content/<type folder>/.
    let mut folders: BTreeMap<String, usize> = BTreeMap::new();
    for e in &same_type {
        let dir = e
            .src
            .rel
            .rsplit_once('/')
            .map_or("", |(d, _)| d)
            .to_string();
        *folders.entry(dir).or_default() += 1;
    }
    let folder = folders
        .into_iter()
        .max_by_key(|(d, n)| (*n, std::cmp::Reverse(d.clone())))
        .map(|(d, _)| d)
        .unwrap_or_else(|| doc_type.plural().to_lowercase().replace(' ', "-"));
    let slug = crate::markdown::slugify(&args.title);
    let dir = project.content_dir().join(&folder);
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(Error::Usage(format!(
            "{} exists already; nothing was written",
            path.display()
        )));
    }
    let owner = same_type
        .first()
        .map(|e| e.doc.owner.clone())
        .unwrap_or_else(|| "AI Governance Lead".to_string());
    crate::fs::write(
        &path,
        template_text(
            doc_type,
            &id,
            &args.title,
            &owner,
            &project.config.build.default_classification.to_string(),
        ),
    )?;
    Ok(Created { id, path })
}

/// The next id: the most common `<prefix><number>` pattern among documents of the type, one
/// higher than the highest; else `AIMS-<TYPE>-001` (with the organisation's prefix if any).
pub fn next_id(doc_type: DocType, same_type: &[&str], all: &[&str]) -> String {
    let split = |id: &str| -> Option<(String, usize, u64)> {
        let digits = id.chars().rev().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let (prefix, num) = id.split_at(id.len() - digits);
        Some((prefix.to_string(), digits, num.parse().ok()?))
    };
    let mut patterns: BTreeMap<(String, usize), (usize, u64)> = BTreeMap::new();
    for id in same_type {
        if let Some((p, w, n)) = split(id) {
            let e = patterns.entry((p, w)).or_default();
            e.0 += 1;
            e.1 = e.1.max(n);
        }
    }
    let taken = |c: &str| all.iter().any(|x| x.eq_ignore_ascii_case(c));
    if let Some(((prefix, width), (_, max))) =
        patterns.into_iter().max_by_key(|(_, (count, _))| *count)
    {
        let mut n = max + 1;
        loop {
            let candidate = format!("{prefix}{n:0width$}");
            if !taken(&candidate) {
                return candidate;
            }
            n += 1;
        }
    }
    // No document of this type yet: reuse the organisation's leading part (`AIMS-` of AIMS-POL-001).
    let org = all
        .iter()
        .filter_map(|id| id.split_once('-').map(|(o, _)| o))
        .next()
        .unwrap_or("AIMS");
    let mut n = 1;
    loop {
        let candidate = format!("{org}-{}-{n:03}", doc_type.prefix());
        if !taken(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

fn sections(doc_type: DocType) -> &'static [(&'static str, &'static str)] {
    match doc_type {
        DocType::Policy => &[
            (
                "Purpose",
                "What this policy is for and which commitment of top management it expresses.",
            ),
            (
                "Scope",
                "The AI systems, organisational units and activities it covers.",
            ),
            ("Policy statements", "The commitments, each one testable."),
            (
                "Roles and responsibilities",
                "Who owns, applies and monitors this policy.",
            ),
            ("Review", "When and how this policy is reviewed."),
        ],
        DocType::Procedure => &[
            ("Purpose", "What this procedure achieves."),
            ("Scope", "Where it applies and where it does not."),
            ("Roles", "Who does what."),
            (
                "Steps",
                "1. The first step, with its owner.\n2. The next step.",
            ),
            (
                "Records",
                "The records this procedure produces and where they are kept.",
            ),
        ],
        DocType::Plan => &[
            (
                "Objectives",
                "What the plan achieves, with measures and dates.",
            ),
            (
                "Actions",
                "| Action | Owner | Due | Status |\n|---|---|---|---|\n|  |  |  |  |",
            ),
            ("Resources", "People, budget and tools."),
            ("Evaluation", "How results are evaluated (clause 9.1)."),
        ],
        DocType::Record | DocType::Register => &[
            ("Summary", "What this record documents."),
            (
                "Entries",
                "| Date | Entry | By |\n|---|---|---|\n|  |  |  |",
            ),
        ],
        DocType::Form => &[
            ("Instructions", "How to fill in this form."),
            ("Fields", "| Field | Value |\n|---|---|\n|  |  |"),
        ],
        DocType::Guideline => &[
            ("Purpose", "What this guidance helps with."),
            ("Guidance", "The advice, with examples."),
        ],
        DocType::External => &[
            (
                "Source",
                "Who issued this document, its version and where the original is kept.",
            ),
            (
                "Relevance",
                "Why it matters to the AIMS and which documents apply it.",
            ),
        ],
        DocType::AiSystem => &[
            (
                "Description",
                "What the system does, who uses it and where it runs.",
            ),
            (
                "Records",
                "Its risk assessment, impact assessment and life-cycle records name it with `systems: [<this id>]`; the system's page in the site lists them and what is missing.",
            ),
        ],
        DocType::Soa => &[(
            "Statement of Applicability",
            "Applicability and justification of every Annex A control are in the front-matter above.",
        )],
    }
}

/// The front-matter of a new AI system record: every field with a starting value and the values
/// it accepts.
pub const SYSTEM_STARTER: &str = "roles: [customer]            # provider | producer | customer | partner | subject (ISO/IEC 22989), several allowed
sourcing: built              # built | bought (then supplier: <id of the supplier's document>)
stage: inception             # inception | design-and-development | verification-and-validation | deployment | operation-and-monitoring | re-evaluation | retirement
intended_use: \"What the system is for, and for whom.\"
foreseeable_misuse: []
affected_parties: []
data_sources: []
human_oversight: \"Who checks its outputs, and how.\"
risk_level: medium           # low | medium | high
jurisdictions: [EU]
eu_ai_act: minimal           # prohibited | high-risk (with annex_iii: 4(b)) | limited | minimal | general-purpose | not-applicable
in_scope: true
";

/// The id of a new AI system record without `--id`: `SYS-` and its name (`SYS-ROUTEWISE`).
fn system_id(title: &str, ids: &[&str]) -> String {
    let mut base: String = crate::markdown::slugify(title)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_uppercase();
    base.truncate(40);
    let base = format!("SYS-{}", base.trim_matches('-'));
    let base = if base == "SYS-" {
        "SYS-SYSTEM".to_string()
    } else {
        base
    };
    let taken = |c: &str| ids.iter().any(|x| x.eq_ignore_ascii_case(c));
    let mut id = base.clone();
    let mut n = 2;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// The text of a new draft document of `doc_type`.
pub fn template_text(
    doc_type: DocType,
    id: &str,
    title: &str,
    owner: &str,
    classification: &str,
) -> String {
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = format!(
        "---\nid: {id}\ntitle: \"{}\"\ntype: {}\nowner: \"{}\"\nversion: \"0.1\"\nstatus: {}\nclassification: {classification}\nclauses: []\ncontrols: []\n",
        esc(title),
        doc_type.as_str(),
        esc(owner),
        Status::Draft.as_str()
    );
    if doc_type == DocType::Soa {
        out.push_str("applicability:\n");
        for c in &crate::catalog::get().controls {
            out.push_str(&format!(
                "  {}:  # {}\n    applicable: true\n    justification: \"Why {} is included (or, with applicable: false, excluded).\"\n    implementation: planned\n",
                c.id, c.title, c.id
            ));
        }
    }
    if doc_type == DocType::AiSystem {
        out.push_str(SYSTEM_STARTER);
    }
    out.push_str("---\n\n");
    for (heading, text) in sections(doc_type) {
        out.push_str(&format!("## {heading}\n\n{text}\n\n"));
    }
    out
}

/// Where `new` writes, for messages: relative to the project root.
pub fn shown(project: &Project, path: &Path) -> String {
    crate::fs::display_rel(path, &project.root)
}

/// `aims-site new` for the terminal.
pub fn execute(project: &Project, args: &NewArgs, term: &Terminal) -> ExitCode {
    match run(project, args) {
        Ok(created) => {
            println!(
                "created {} as {}",
                created.id,
                shown(project, &created.path)
            );
            ExitCode::SUCCESS
        }
        Err(Error::Invalid(diags)) => {
            term.diagnostics(&diags);
            eprintln!("error: fix the documents' errors first; nothing was written");
            ExitCode::from(1)
        }
        Err(e) => term.fail(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_ids() {
        assert_eq!(
            next_id(
                DocType::Policy,
                &["AIMS-POL-001", "AIMS-POL-007"],
                &["AIMS-POL-001", "AIMS-POL-007"]
            ),
            "AIMS-POL-008"
        );
        assert_eq!(
            next_id(DocType::Record, &[], &["ACME-POL-001"]),
            "ACME-REC-001"
        );
        assert_eq!(next_id(DocType::Form, &[], &[]), "AIMS-FRM-001");
    }
}
