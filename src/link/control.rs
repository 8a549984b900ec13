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
    rest: String,
    body: &'a str,
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
    let mut rest = String::new();
    for (k, v) in items {
        match k.as_scalar() {
            Some("version") => version = src(&v.span),
            Some("approval") => approval = src(&v.span),
            _ => {
                rest.push_str(&src(&k.span));
                rest.push('\u{1f}');
                rest.push_str(&src(&v.span));
                rest.push('\u{1e}');
            }
        }
    }
    Some(Fields {
        control: (version, approval),
        rest,
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
pub fn histories(repo: &mut Repo, docs: &[DocInput<'_>]) -> Vec<DocHistory> {
    let empty: Vec<Change> = Vec::new();
    let changes: Vec<&Vec<Change>> = docs
        .iter()
        .map(|d| repo.files.get(&d.path).unwrap_or(&empty))
        .collect();
    let mut out: Vec<DocHistory> = docs
        .par_iter()
        .zip(&changes)
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
        .collect();

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
    while !pending.is_empty() {
        // Which blobs this round needs.
        let mut wanted: Vec<&str> = Vec::new();
        for (i, pos, _) in &pending {
            match *pos {
                usize::MAX => wanted.push(&changes[*i][0].new_blob),
                p => {
                    if let Some(c) = changes[*i].get(p)
                        && c.status != 'A'
                    {
                        wanted.push(&c.old_blob);
                        if p > 0 || out[*i].uncommitted {
                            wanted.push(&c.new_blob);
                        }
                    }
                }
            }
        }
        if let Some(b) = blobs.as_mut() {
            b.fetch(&wanted);
        }
        let mut next = Vec::with_capacity(pending.len());
        for (i, pos, mut state) in pending {
            let ch = changes[i];
            let (older, newer, at): (Option<&str>, Option<&str>, At) = match pos {
                usize::MAX => (
                    blobs.as_ref().and_then(|b| b.get(&ch[0].new_blob)),
                    Some(docs[i].text),
                    At::WorkingTree,
                ),
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
                    Some(c) => {
                        let newer = if p == 0 && !out[i].uncommitted {
                            Some(docs[i].text)
                        } else {
                            blobs.as_ref().and_then(|b| b.get(&c.new_blob))
                        };
                        (
                            blobs.as_ref().and_then(|b| b.get(&c.old_blob)),
                            newer,
                            At::Commit(c.commit),
                        )
                    }
                },
            };
            match (older.and_then(fields), newer.and_then(fields)) {
                (Some(o), Some(n)) => {
                    if o.control != n.control {
                        state.approved_in = Some(at);
                        out[i].since_approval = Some(state);
                        continue;
                    }
                    if o.body != n.body {
                        state.body_changed_in.get_or_insert(at);
                    } else if o.rest != n.rest {
                        state.front_matter_changed_in.get_or_insert(at);
                    }
                }
                // An unreadable version: treat it as the approval point rather than guess.
                _ => {
                    state.approved_in = Some(at);
                    out[i].since_approval = Some(state);
                    continue;
                }
            }
            let next_pos = if pos == usize::MAX { 0 } else { pos + 1 };
            next.push((i, next_pos, state));
        }
        pending = next;
    }
    out
}
