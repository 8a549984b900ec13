//! One file's metadata, in the order of the sources: front-matter under other names (also
//! without its opening `---`), the document-control block in the body, the first heading, then
//! what the title, file and folder names say.

use std::ops::Range;

use super::{Decided, FileReport, Meta, Outcome, Question, Source, block, emit, infer};
use crate::catalog::{self, Item};
use crate::model::frontmatter::{FIELDS, valid_id};
use crate::model::yaml::{self, Kind, Node};

/// The fields every document must have; a front-matter with all of them under our names (and
/// no other name) is already ours and is left as it is.
const REQUIRED: &[&str] = &["id", "title", "type", "owner", "version", "status"];

/// What one file is, as far as the report goes.
pub struct FileCtx<'a> {
    /// Relative to the project root.
    pub display: &'a str,
    /// Relative to the content folder (folder names are read from it).
    pub rel: &'a str,
    pub keep_block: bool,
}

/// Where a value goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Id,
    /// comply's `acronym`: the id when it looks like one.
    Acronym,
    Title,
    Type,
    Owner,
    Version,
    Status,
    /// Our own `approval: { by, date }`.
    Approval,
    ApprovedBy,
    ApprovalDate,
    ReviewDate,
    Classification,
    Clauses,
    Controls,
    /// comply's `satisfies`: clauses and controls when they are ISO/IEC 42001 ones.
    Satisfies,
    /// One of our fields that import carries over as written.
    Kept,
    /// Our `extra:` map: its entries are merged.
    ExtraMap,
    /// A date kept under `extra:` with this name, normalised.
    ExtraDate(String),
    /// Kept under `extra:` with this name.
    Extra(String),
}

/// The target of a front-matter key.
pub fn key_target(key: &str) -> Target {
    let k = key.trim().to_ascii_lowercase().replace('-', "_");
    match k.as_str() {
        "id" => Target::Id,
        "acronym" => Target::Acronym,
        "title" | "name" => Target::Title,
        "type" => Target::Type,
        "owner" | "author" | "authors" => Target::Owner,
        "version" | "revision" => Target::Version,
        "status" => Target::Status,
        "approval" => Target::Approval,
        "approved_by" | "approver" => Target::ApprovedBy,
        "approved_on" | "approval_date" | "approved_date" => Target::ApprovalDate,
        "review_date" | "next_review" | "review" | "next_review_date" => Target::ReviewDate,
        "last_reviewed" => Target::ExtraDate("last_reviewed".into()),
        "date" => Target::ExtraDate("date".into()),
        "classification" | "confidentiality" => Target::Classification,
        "clauses" => Target::Clauses,
        "controls" => Target::Controls,
        "satisfies" => Target::Satisfies,
        "extra" => Target::ExtraMap,
        _ if FIELDS.contains(&key) => Target::Kept,
        _ => Target::Extra(key.to_string()),
    }
}

/// The target of a label of a document-control block, `None` for labels it does not know.
pub fn label_target(label: &str) -> Option<Target> {
    let l = label
        .trim()
        .trim_end_matches(':')
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Some(match l.as_str() {
        "document id" | "doc id" | "doc. id" | "document no" | "document no." | "doc no"
        | "document number" | "reference" | "document reference" | "ref" | "id" => Target::Id,
        "title" | "document title" | "document name" => Target::Title,
        "type" | "document type" => Target::Type,
        "version" | "revision" | "version number" | "rev" => Target::Version,
        "owner" | "document owner" | "author" | "process owner" | "policy owner" => Target::Owner,
        "approved by" | "approver" | "approval authority" => Target::ApprovedBy,
        "approval date" | "date approved" | "approved on" | "date of approval" => {
            Target::ApprovalDate
        }
        "effective date" | "effective from" => Target::ExtraDate("effective_date".into()),
        "next review" | "review date" | "next review date" | "review by" => Target::ReviewDate,
        "last reviewed" | "last review" => Target::ExtraDate("last_reviewed".into()),
        "status" | "document status" => Target::Status,
        "classification"
        | "confidentiality"
        | "security classification"
        | "information classification" => Target::Classification,
        "date" | "issue date" | "last updated" | "date issued" => {
            Target::ExtraDate(infer::snake(&l))
        }
        _ => return None,
    })
}

/// What is being gathered for one file.
#[derive(Default)]
pub struct State {
    pub meta: Meta,
    pub questions: Vec<Question>,
    pub notes: Vec<String>,
}

impl State {
    fn question(&mut self, line: usize, text: String) {
        self.questions.push(Question {
            line: Some(line),
            text,
        });
    }

    fn extra(&mut self, name: &str, lines: String) {
        if !self.meta.extra.iter().any(|(k, _)| k == name) {
            self.meta.extra.push((name.to_string(), lines));
        }
    }

    fn extra_scalar(&mut self, name: &str, value: &str) {
        self.extra(name, format!("{name}: {}\n", emit::yaml_str(value)));
    }

    fn set(&mut self, field: &str, value: String, source: Source) {
        let slot = match field {
            "id" => &mut self.meta.id,
            "title" => &mut self.meta.title,
            "type" => &mut self.meta.doc_type,
            "owner" => &mut self.meta.owner,
            "version" => &mut self.meta.version,
            "status" => &mut self.meta.status,
            "approval by" => &mut self.meta.approval_by,
            "approval date" => &mut self.meta.approval_date,
            "review date" => &mut self.meta.review_date,
            _ => &mut self.meta.classification,
        };
        match slot {
            None => *slot = Some(Decided { value, source }),
            Some(d) if d.value != value => self.notes.push(format!(
                "{field}: {source} says `{value}`; `{}` from {} kept",
                d.value, d.source
            )),
            Some(_) => {}
        }
    }

    fn reference(&mut self, raw: &str, source: &Source, line: usize, strict: bool) -> bool {
        let clause = catalog::normalize_clause(raw);
        let control = catalog::normalize_control(raw);
        let c = catalog::get();
        let (list, id) = if matches!(c.lookup(&clause), Some(Item::Clause(_))) {
            (&mut self.meta.clauses, clause)
        } else if matches!(c.lookup(&control), Some(Item::Control(_))) {
            (&mut self.meta.controls, control)
        } else {
            if strict {
                self.question(
                    line,
                    format!("`{raw}` is not an ISO/IEC 42001 clause or Annex A control: left out"),
                );
            }
            return false;
        };
        if !list.iter().any(|d| d.value == id) {
            list.push(Decided {
                value: id,
                source: source.clone(),
            });
        }
        true
    }

    /// Takes one value for `target`, normalised; a value that cannot be read becomes a question
    /// and is kept under `extra:` so that nothing is lost.
    pub fn assign(
        &mut self,
        target: &Target,
        label: &str,
        value: &str,
        source: Source,
        line: usize,
    ) {
        let value = infer::clean(value);
        if infer::is_placeholder(&value) {
            return;
        }
        match target {
            Target::Id => {
                if valid_id(&value) {
                    self.set("id", value, source);
                } else {
                    self.question(line, format!("`{value}` is not a valid document id (letters, digits, `-`, `_`, `.`): a new id was generated"));
                    self.extra_scalar("original_id", &value);
                }
            }
            Target::Acronym => {
                if infer::looks_like_id(&value) {
                    self.set("id", value, source);
                } else {
                    self.extra_scalar("acronym", &value);
                }
            }
            Target::Title => self.set("title", value, source),
            Target::Type => match infer::doc_type_word(&value) {
                Some(t) => self.set("type", t.as_str().into(), source),
                None => {
                    self.notes.push(format!(
                        "{source}: `{value}` is not one of our types; the type is inferred instead"
                    ));
                    self.extra_scalar("original_type", &value);
                }
            },
            Target::Owner => self.set("owner", value, source),
            Target::Version => self.set("version", value, source),
            Target::Status => match infer::status(&value) {
                Some(s) => self.set("status", s.as_str().into(), source),
                None => {
                    self.question(line, format!("status `{value}` is not one of draft, in-review, approved, withdrawn: imported as draft"));
                    self.set("status", value, source);
                }
            },
            Target::ApprovedBy => self.set("approval by", value, source),
            Target::ApprovalDate | Target::ReviewDate | Target::ExtraDate(_) => {
                match infer::date(&value) {
                    Ok(d) => match target {
                        Target::ApprovalDate => self.set("approval date", d, source),
                        Target::ReviewDate => self.set("review date", d, source),
                        Target::ExtraDate(name) => self.extra(name, format!("{name}: {d}\n")),
                        _ => {}
                    },
                    Err(why) => {
                        self.question(
                            line,
                            format!(
                                "`{label}: {value}` is not a date ({why}); kept under `extra:`"
                            ),
                        );
                        let name = match target {
                            Target::ExtraDate(name) => name.clone(),
                            _ => infer::snake(label),
                        };
                        self.extra_scalar(&name, &value);
                    }
                }
            }
            Target::Classification => match infer::classification(&value) {
                Some(c) => self.set("classification", c.as_str().into(), source),
                None => {
                    self.question(line, format!("classification `{value}` is not one of public, internal, confidential, restricted: left out (the default applies)"));
                    self.extra_scalar("original_classification", &value);
                }
            },
            Target::Clauses | Target::Controls | Target::Satisfies => {
                for part in value.split([',', ';']) {
                    let part = part.trim();
                    if !part.is_empty() {
                        let strict = !matches!(target, Target::Satisfies);
                        if !self.reference(part, &source, line, strict) && !strict {
                            self.extra_scalar("satisfies", &value);
                        }
                    }
                }
            }
            Target::Extra(name) => self.extra_scalar(name, &value),
            Target::Approval | Target::Kept | Target::ExtraMap => {}
        }
    }
}

/// The front-matter found at the top of a file.
pub struct Front {
    pub root: Node,
    /// Byte range of the YAML in the file.
    pub yaml: Range<usize>,
    /// Whether it opened with `---`.
    pub fenced: bool,
}

/// The front-matter (if any) and where the body starts; `Err` when the file cannot be read
/// safely (the message names the line).
pub fn front_matter(display: &str, text: &str) -> Result<(Option<Front>, usize), String> {
    let first = text.lines().next().unwrap_or("").trim_end();
    if first == "---" {
        let split = crate::load::split_front_matter(display, text).map_err(|_| {
            "line 1: front-matter is not closed: add a line holding only `---` after the fields"
                .to_string()
        })?;
        return match yaml::parse(&text[split.yaml.clone()], split.yaml.start) {
            Ok(Some(root)) if matches!(root.kind, Kind::Map(_)) => Ok((
                Some(Front {
                    root,
                    yaml: split.yaml,
                    fenced: true,
                }),
                split.body.start,
            )),
            Ok(None) => Ok((None, split.body.start)),
            Ok(Some(_)) => Err(format!(
                "line {}: the front-matter is not a list of `key: value` fields",
                infer::line_of(text, split.yaml.start)
            )),
            Err(e) => Err(format!(
                "line {}: front-matter is not valid YAML: {}",
                infer::line_of(text, e.offset),
                e.message
            )),
        };
    }
    // Front-matter that lost its opening `---`: `key: value` lines up to a `---` line.
    let looks_like_key = first.split_once(':').is_some_and(|(k, _)| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
    });
    if !looks_like_key {
        return Ok((None, 0));
    }
    let mut pos = 0;
    for _ in 0..200 {
        let Some(nl) = text[pos..].find('\n') else {
            break;
        };
        let end = pos + nl + 1;
        if text[pos..end].trim_end() == "---" {
            if let Ok(Some(root)) = yaml::parse(&text[..pos], 0)
                && let Kind::Map(items) = &root.kind
                && items.iter().any(|(k, _)| {
                    k.as_scalar().is_some_and(|k| {
                        !matches!(key_target(k), Target::Extra(_)) || FIELDS.contains(&k)
                    })
                })
            {
                return Ok((
                    Some(Front {
                        root,
                        yaml: 0..pos,
                        fenced: false,
                    }),
                    end,
                ));
            }
            return Ok((None, 0));
        }
        pos = end;
    }
    Ok((None, 0))
}

/// The YAML lines of the `i`-th top-level field, as written.
fn raw_field(text: &str, front: &Front, items: &[(Node, Node)], i: usize) -> String {
    let start = line_start(text, items[i].0.span.start);
    let end = items
        .get(i + 1)
        .map_or(front.yaml.end, |(k, _)| line_start(text, k.span.start));
    let mut s = text[start..end.max(start)].to_string();
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

fn line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The scalar strings of a node: itself, a list's items, a mapping's values (flattened).
fn strings(node: &Node) -> Vec<String> {
    match &node.kind {
        Kind::Scalar { text, .. } => vec![text.clone()],
        Kind::Seq(items) => items.iter().flat_map(strings).collect(),
        Kind::Map(items) => items.iter().flat_map(|(_, v)| strings(v)).collect(),
    }
}

/// Reads the front-matter's fields into `st`; true when it is already ours (every field under
/// our names, the required ones present).
pub fn read_front(st: &mut State, text: &str, front: &Front) -> bool {
    let Kind::Map(items) = &front.root.kind else {
        return false;
    };
    let mut ours = front.fenced;
    for name in REQUIRED {
        ours &= items.iter().any(|(k, _)| k.as_scalar() == Some(name));
    }
    for (i, (k, v)) in items.iter().enumerate() {
        let key = k.as_scalar().unwrap_or("").to_string();
        let line = infer::line_of(text, k.span.start);
        ours &= FIELDS.contains(&key.as_str());
        let source = Source::FrontMatter {
            key: key.clone(),
            line,
        };
        let target = key_target(&key);
        match &target {
            Target::Kept => st
                .meta
                .kept
                .push((key.clone(), raw_field(text, front, items, i))),
            Target::Extra(name) => {
                let raw = raw_field(text, front, items, i);
                st.extra(name, raw);
            }
            Target::ExtraMap => {
                // Already ours: its entries are the lines below `extra:`, one level in.
                let raw = raw_field(text, front, items, i);
                let inner: String = raw
                    .lines()
                    .skip(1)
                    .map(|l| format!("{}\n", l.strip_prefix("  ").unwrap_or(l)))
                    .collect();
                let names: Vec<&str> = match &v.kind {
                    Kind::Map(m) => m.iter().filter_map(|(k, _)| k.as_scalar()).collect(),
                    _ => Vec::new(),
                };
                if !inner.trim().is_empty() {
                    st.extra(&names.join(", "), inner);
                }
            }
            Target::Approval => {
                if let Kind::Map(fields) = &v.kind {
                    for (fk, fv) in fields {
                        let fline = infer::line_of(text, fk.span.start);
                        let t = match fk.as_scalar() {
                            Some("by") => Target::ApprovedBy,
                            Some("date") => Target::ApprovalDate,
                            _ => continue,
                        };
                        if let Some(s) = fv.as_scalar() {
                            st.assign(
                                &t,
                                &format!("approval.{}", fk.as_scalar().unwrap_or("")),
                                s,
                                Source::FrontMatter {
                                    key: format!("approval.{}", fk.as_scalar().unwrap_or("")),
                                    line: fline,
                                },
                                fline,
                            );
                        }
                    }
                } else {
                    st.question(line, "`approval` should be `{ by: <name or role>, date: YYYY-MM-DD }`: kept under `extra:`".into());
                    st.extra("approval", raw_field(text, front, items, i));
                }
            }
            Target::Clauses | Target::Controls | Target::Satisfies => {
                let mut unknown = false;
                for s in strings(v) {
                    let strict = !matches!(target, Target::Satisfies);
                    if !st.reference(&s, &source, line, strict) {
                        unknown = true;
                    }
                }
                if unknown && matches!(target, Target::Satisfies) {
                    st.extra("satisfies", raw_field(text, front, items, i));
                }
            }
            _ => {
                let value = match &v.kind {
                    Kind::Scalar { text, .. } => text.clone(),
                    Kind::Seq(_) if matches!(target, Target::Owner | Target::ApprovedBy) => {
                        strings(v).join(", ")
                    }
                    _ => {
                        st.question(
                            line,
                            format!(
                                "`{key}` should be a single value, found {}: kept under `extra:`",
                                v.describe()
                            ),
                        );
                        st.extra(&key, raw_field(text, front, items, i));
                        continue;
                    }
                };
                st.assign(&target, &key, &value, source, line);
            }
        }
    }
    ours
}

/// Works out one file: its metadata with sources, its questions, and (in `outcome`, as
/// `Write`) the body to keep; the caller completes the metadata and puts the front-matter on.
pub fn analyse(ctx: &FileCtx<'_>, text: &str) -> FileReport {
    let mut st = State::default();
    let mut report = FileReport {
        path: Default::default(),
        display: ctx.display.to_string(),
        meta: Meta::default(),
        final_status: None,
        block_lines: None,
        questions: Vec::new(),
        notes: Vec::new(),
        outcome: Outcome::Unchanged,
    };
    let (front, body_start) = match front_matter(ctx.display, text) {
        Ok(x) => x,
        Err(why) => {
            report.outcome = Outcome::Skipped(why);
            return report;
        }
    };
    let ours = front.as_ref().is_some_and(|f| read_front(&mut st, text, f));
    if ours {
        report.meta = st.meta;
        let body = &text[body_start..];
        let (converted, notes) = super::dialect::convert(body);
        if converted != body {
            report.notes.extend(notes);
            report.outcome = Outcome::Converted(format!("{}{converted}", &text[..body_start]));
        }
        return report;
    }
    if front.as_ref().is_some_and(|f| !f.fenced) {
        st.notes
            .push("front-matter without its opening `---` line: read as front-matter".into());
    }
    let body = &text[body_start..];
    let body_line = infer::line_of(text, body_start);
    let found = block::find(body, body_line);
    if let Some(b) = &found {
        for item in &b.items {
            let source = Source::Block {
                label: item.label.clone(),
                line: item.line,
            };
            let target = label_target(&item.label)
                .unwrap_or_else(|| Target::Extra(infer::snake(&item.label)));
            st.assign(&target, &item.label, &item.value, source, item.line);
        }
        report.block_lines = Some((b.first_line, b.last_line));
        if ctx.keep_block {
            st.notes
                .push("--keep-block: the document-control block stays in the body".into());
        }
    }
    let heading = infer::first_heading(body, body_line);
    if let Some((title, line)) = &heading
        && st.meta.title.is_none()
    {
        st.meta.title = Some(Decided {
            value: title.clone(),
            source: Source::Heading { line: *line },
        });
    }
    if st.meta.title.is_none()
        && let Some(t) = infer::title_from_file(ctx.rel)
    {
        st.meta.title = Some(Decided {
            value: t,
            source: Source::Inferred("the file name".into()),
        });
    }
    if st.meta.doc_type.is_none() {
        // A title made from the file name says nothing the file name does not.
        let title = st
            .meta
            .title
            .as_ref()
            .filter(|t| !matches!(t.source, Source::Inferred(_)));
        st.meta.doc_type = infer::doc_type(title.map(|t| t.value.as_str()), ctx.rel);
    }
    for (clause, why) in infer::clauses_from_folders(ctx.rel)
        .into_iter()
        .chain(infer::clauses_from_headings(body, body_line))
    {
        if !st.meta.clauses.iter().any(|d| d.value == clause) {
            st.meta.clauses.push(Decided {
                value: clause,
                source: Source::Inferred(why),
            });
        }
    }
    for (control, why) in infer::controls_from_prose(body, body_line) {
        if !st.meta.controls.iter().any(|d| d.value == control) {
            st.meta.controls.push(Decided {
                value: control,
                source: Source::Inferred(why),
            });
        }
    }
    let new_body = match &found {
        Some(b) if !ctx.keep_block => block::remove(body, b),
        _ => body.to_string(),
    };
    report.meta = st.meta;
    report.questions = st.questions;
    report.notes = st.notes;
    report.outcome = Outcome::Write(new_body);
    report
}
