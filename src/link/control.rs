//! Git facts per document: revision history, and approval integrity — whether an approved
//! document's body (or only its front-matter) changed in a commit after the one that last changed
//! its `version` or `approval`.

use std::ops::Range;

use rayon::prelude::*;

use crate::git::{Blobs, Change, Repo, blob_id};
use crate::load::split_front_matter;
use crate::model::Status;
use crate::model::yaml::{self, Kind};

/// Where a change happened: a commit (index into [`Repo::commits`]) or the working tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Commit(usize),
    WorkingTree,
}

/// Approval integrity of one approved document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SinceApproval {
    /// The change that last set `version` or `approval` (`None`: before the history begins).
    pub approved_in: Option<At>,
    /// The newest later change to the body.
    pub body_changed_in: Option<At>,
    /// The newest later change to other front-matter fields only.
    pub front_matter_changed_in: Option<At>,
    /// Later commits that changed the body as editorial changes (trailer `Change-type:
    /// editorial`, front-matter values unchanged), newest first; only when book.toml allows
    /// editorial changes.
    pub editorial: Vec<usize>,
}

/// How the history pass reads changes after an approval (from book.toml's `[control]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rules {
    /// A commit that sets `status` to approved is an approval point too (approval evidence on).
    pub status_marks_approval: bool,
    /// Commits with `Change-type: editorial` that change only the body are editorial changes.
    pub editorial: bool,
}

/// Git facts about one document.
#[derive(Debug, Clone, Default)]
pub struct DocHistory {
    /// Commits that changed the document, newest first (indices into [`Repo::commits`]).
    pub commits: Vec<usize>,
    /// The working tree differs from the last commit.
    pub uncommitted: bool,
    /// Set for approved documents.
    pub since_approval: Option<SinceApproval>,
}

/// What the comparison of two versions of a document needs.
struct Fields<'a> {
    control: (String, String),
    approved: bool,
    rest: String,
    /// The other fields' values, formatting aside (keys sorted, scalars unquoted).
    values: String,
    body: &'a str,
}

/// A node's value without its formatting: scalars as their text, maps with sorted keys.
fn normalised(node: &yaml::Node, out: &mut String) {
    match &node.kind {
        Kind::Scalar { text, .. } => {
            out.push('\u{2}');
            out.push_str(text);
            out.push('\u{3}');
        }
        Kind::Seq(items) => {
            out.push('[');
            for i in items {
                normalised(i, out);
            }
            out.push(']');
        }
        Kind::Map(items) => {
            let mut pairs: Vec<(String, String)> = items
                .iter()
                .map(|(k, v)| {
                    let (mut ks, mut vs) = (String::new(), String::new());
                    normalised(k, &mut ks);
                    normalised(v, &mut vs);
                    (ks, vs)
                })
                .collect();
            pairs.sort();
            out.push('{');
            for (k, v) in pairs {
                out.push_str(&k);
                out.push(':');
                out.push_str(&v);
            }
            out.push('}');
        }
    }
}

fn fields(text: &str) -> Option<Fields<'_>> {
    let split = split_front_matter("", text).ok()?;
    let root = yaml::parse(&text[split.yaml.clone()], split.yaml.start).ok()??;
    let Kind::Map(items) = &root.kind else {
        return None;
    };
    let src = |r: &Range<usize>| text[r.clone()].trim().to_string();
    let mut version = String::new();
    let mut approval = String::new();
    let mut approved = false;
    let mut rest = String::new();
    let mut values: Vec<String> = Vec::new();
    for (k, v) in items {
        match k.as_scalar() {
            Some("version") => version = src(&v.span),
            Some("approval") => approval = src(&v.span),
            key => {
                if key == Some("status") {
                    approved = v.as_scalar() == Some("approved");
                }
                rest.push_str(&src(&k.span));
                rest.push('\u{1f}');
                rest.push_str(&src(&v.span));
                rest.push('\u{1e}');
                let mut value = String::new();
                normalised(k, &mut value);
                value.push('=');
                normalised(v, &mut value);
                values.push(value);
            }
        }
    }
    values.sort();
    Some(Fields {
        control: (version, approval),
        approved,
        rest,
        values: values.concat(),
        body: text[split.body].trim_end(),
    })
}

/// One document's input to the pass: its text, its path at HEAD, and its status.
pub struct DocInput<'a> {
    pub text: &'a str,
    pub path: String,
    pub status: Status,
}

/// Computes every document's Git facts. Old versions are read in rounds through one
/// `git cat-file --batch`; most documents are settled in the first round.
/// The cache key of comparing two versions (blob ids) of a document.
pub fn pair_key(old: &str, new: &str) -> crate::cache::Key {
    // The salt names the verdict's format ([`Verdict`]'s flags): a cache written by an earlier
    // format is never taken for comparisons already made.
    crate::cache::key(&[b"verdict-flags-1", old.as_bytes(), new.as_bytes()])
}

/// What comparing two versions found: a set of the flags below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Verdict(u8);

impl Verdict {
    /// `version` or `approval` changed, or a version could not be read.
    const CONTROL: u8 = 1;
    /// `status` became approved.
    const TO_APPROVED: u8 = 2;
    const BODY: u8 = 4;
    /// Another front-matter field's value changed.
    const VALUES: u8 = 8;
    /// Another front-matter field's text changed (its formatting, or its value).
    const TEXT: u8 = 16;
    /// Set in every cached byte, so that bytes of the cache's earlier format are not read.
    const STORED: u8 = 0x80;

    fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }

    fn byte(self) -> u8 {
        self.0 | Self::STORED
    }

    fn from_byte(b: &[u8]) -> Option<Verdict> {
        match b {
            [v] if v & Self::STORED != 0 => Some(Verdict(v & !Self::STORED)),
            _ => None,
        }
    }

    /// Whether this change is the approval point under `rules`.
    fn is_approval(self, rules: Rules) -> bool {
        self.has(Self::CONTROL) || (rules.status_marks_approval && self.has(Self::TO_APPROVED))
    }
}

fn compare(older: Option<&str>, newer: Option<&str>) -> Verdict {
    match (older.and_then(fields), newer.and_then(fields)) {
        (Some(o), Some(n)) => {
            let mut v = 0;
            if o.control != n.control {
                v |= Verdict::CONTROL;
            }
            if n.approved && !o.approved {
                v |= Verdict::TO_APPROVED;
            }
            if o.body != n.body {
                v |= Verdict::BODY;
            }
            if o.values != n.values {
                v |= Verdict::VALUES;
            }
            if o.rest != n.rest {
                v |= Verdict::TEXT;
            }
            Verdict(v)
        }
        // An unreadable version: treat it as the approval point rather than guess.
        _ => Verdict(Verdict::CONTROL),
    }
}

/// Each document's commits and whether the working tree differs from its last commit.
fn plain_histories(docs: &[DocInput<'_>], changes: &[&Vec<Change>]) -> Vec<DocHistory> {
    docs.par_iter()
        .zip(changes)
        .map(|(d, ch)| {
            let head_blob = ch.first().map(|c| c.new_blob.as_str());
            let uncommitted = match head_blob {
                Some(b) if b.len() == 40 => blob_id(d.text.as_bytes()) != b,
                Some(_) => false,
                None => true,
            };
            DocHistory {
                commits: ch.iter().map(|c| c.commit).collect(),
                uncommitted,
                since_approval: None,
            }
        })
        .collect()
}

/// Applies one round's verdicts, in order: a pending document settles when its approval point
/// is found (or its history ends), or moves one change further back with what changed noted.
fn apply_round(
    pending: Vec<(usize, usize, SinceApproval)>,
    verdicts: Vec<Verdict>,
    changes: &[&Vec<Change>],
    out: &mut [DocHistory],
    repo: &Repo,
    rules: Rules,
) -> Vec<(usize, usize, SinceApproval)> {
    let mut next = Vec::with_capacity(pending.len());
    for ((i, pos, mut state), verdict) in pending.into_iter().zip(verdicts) {
        let ch = changes[i];
        let at = match pos {
            usize::MAX => At::WorkingTree,
            p => match ch.get(p) {
                None => {
                    out[i].since_approval = Some(state);
                    continue;
                }
                Some(c) if c.status == 'A' => {
                    state.approved_in = Some(At::Commit(c.commit));
                    out[i].since_approval = Some(state);
                    continue;
                }
                Some(c) => At::Commit(c.commit),
            },
        };
        if verdict.is_approval(rules) {
            state.approved_in = Some(at);
            out[i].since_approval = Some(state);
            continue;
        }
        // Editorial: the commit says so, book.toml allows it, and no front-matter value
        // changed (formatting aside).
        let editorial = match at {
            At::Commit(c)
                if rules.editorial
                    && !verdict.has(Verdict::VALUES)
                    && (verdict.has(Verdict::BODY) || verdict.has(Verdict::TEXT)) =>
            {
                is_editorial(repo.commits.get(c)).then_some(c)
            }
            _ => None,
        };
        if let Some(c) = editorial {
            state.editorial.push(c);
        } else if verdict.has(Verdict::BODY) {
            state.body_changed_in.get_or_insert(at);
        } else if verdict.has(Verdict::TEXT) && state.body_changed_in.is_none() {
            state.front_matter_changed_in.get_or_insert(at);
        }
        let next_pos = if pos == usize::MAX { 0 } else { pos + 1 };
        next.push((i, next_pos, state));
    }
    next
}

pub fn histories(
    repo: &mut Repo,
    docs: &[DocInput<'_>],
    cache: &crate::cache::Store,
    rules: Rules,
) -> Vec<DocHistory> {
    let empty: Vec<Change> = Vec::new();
    let changes: Vec<&Vec<Change>> = docs
        .iter()
        .map(|d| repo.files.get(&d.path).unwrap_or(&empty))
        .collect();
    let mut out = plain_histories(docs, &changes);

    // Position in each approved document's change list (usize::MAX: the working tree step).
    let mut pending: Vec<(usize, usize, SinceApproval)> = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        if d.status != Status::Approved {
            continue;
        }
        let start = if out[i].uncommitted && !changes[i].is_empty() {
            usize::MAX
        } else {
            0
        };
        pending.push((i, start, SinceApproval::default()));
    }
    let mut blobs = match repo.blobs.take() {
        Some(b) => Some(b),
        None if pending.is_empty() => None,
        None => Blobs::open(&repo.toplevel),
    };
    // The blob ids compared at a position: (older, newer); the working-tree step compares HEAD
    // with the file as it is now.
    let worktree_ids: Vec<Option<String>> = docs
        .iter()
        .zip(&out)
        .map(|(d, h)| h.uncommitted.then(|| blob_id(d.text.as_bytes())))
        .collect();
    let pair = |i: usize, pos: usize| -> Option<(String, String)> {
        let ch = changes[i];
        match pos {
            usize::MAX => Some((ch.first()?.new_blob.clone(), worktree_ids[i].clone()?)),
            p => {
                let c = ch.get(p)?;
                Some((c.old_blob.clone(), c.new_blob.clone()))
            }
        }
    };
    while !pending.is_empty() {
        // Which blobs this round needs (comparisons already cached need none).
        let mut wanted: Vec<String> = Vec::new();
        for (i, pos, _) in &pending {
            let Some((old, new)) = pair(*i, *pos) else {
                continue;
            };
            let added =
                *pos != usize::MAX && changes[*i].get(*pos).is_some_and(|c| c.status == 'A');
            if added || cache.contains(&pair_key(&old, &new)) {
                continue;
            }
            wanted.push(old);
            // The newest committed version equals the working tree unless that was edited.
            if *pos != usize::MAX && (*pos > 0 || out[*i].uncommitted) {
                wanted.push(new);
            }
        }
        if let Some(b) = blobs.as_mut() {
            let ids: Vec<&str> = wanted.iter().map(String::as_str).collect();
            b.fetch(&ids);
        }
        // The comparisons of this round are independent (each reads two versions of one
        // document): they run in parallel, and are applied in order afterwards.
        let verdicts: Vec<Verdict> = pending
            .par_iter()
            .map(|&(i, pos, _)| {
                let Some((old, new)) = pair(i, pos) else {
                    return Verdict(Verdict::CONTROL);
                };
                if pos != usize::MAX && changes[i].get(pos).is_none_or(|c| c.status == 'A') {
                    // Settled without a comparison below.
                    return Verdict(Verdict::CONTROL);
                }
                let key = pair_key(&old, &new);
                if let Some(v) = cache.get(&key).as_deref().and_then(Verdict::from_byte) {
                    return v;
                }
                let b = blobs.as_ref();
                let older = b.and_then(|b| b.get(&old));
                let newer = if pos == usize::MAX || (pos == 0 && !out[i].uncommitted) {
                    Some(docs[i].text)
                } else {
                    b.and_then(|b| b.get(&new))
                };
                let v = compare(older, newer);
                if older.is_some() && newer.is_some() {
                    cache.put(key, vec![v.byte()]);
                }
                v
            })
            .collect();
        pending = apply_round(pending, verdicts, &changes, &mut out, repo, rules);
    }
    out
}

/// Whether a commit carries the trailer `Change-type: editorial`.
fn is_editorial(commit: Option<&crate::git::Commit>) -> bool {
    commit.and_then(|c| c.details.as_deref()).is_some_and(|d| {
        d.trailer("Change-type")
            .any(|v| v.eq_ignore_ascii_case("editorial"))
    })
}
