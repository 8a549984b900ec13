//! Approval evidence: who made each approved document's approval commit, which `Approved-by:`
//! trailers it carries, whether Git verifies its signature, and whether that matches the
//! identities book.toml's `[approvers]` allows for the role named in `approval.by`
//! (`[control] approval-evidence`). Computed once, after the history pass; render and the
//! commands only read it.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use super::control::{At, DocHistory, Rules};
use crate::config::ApprovalEvidence;
use crate::config::identity::{Identity, email_of, parse_identity};
use crate::diagnostic::Diagnostic;
use crate::git::{Commit, Repo, Signature};
use crate::model::Status;

/// What book.toml asks of approvals.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub evidence: ApprovalEvidence,
    /// Role → identities allowed to approve for it.
    pub approvers: BTreeMap<String, Vec<String>>,
    /// The allowed-signers file for SSH signatures, resolved inside the project root.
    pub allowed_signers: Option<PathBuf>,
    /// The allowed-signers file's bytes as read for this build (empty without one): SSH
    /// verifications are cached under it, so that a changed file verifies again.
    pub allowed_signers_text: Vec<u8>,
    pub editorial: bool,
}

impl Settings {
    /// Whether approval evidence is read at all (otherwise nothing of this module shows).
    pub fn enabled(&self) -> bool {
        self.evidence != ApprovalEvidence::None
    }

    /// Whether the history pass reads each commit's details (addresses, trailers).
    pub fn details(&self) -> bool {
        self.enabled() || self.editorial
    }

    pub fn rules(&self) -> Rules {
        Rules {
            status_marks_approval: self.enabled(),
            editorial: self.editorial,
        }
    }
}

/// How well an approval is evidenced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// A valid signature by an identity allowed for the role (and, under "signed", an allowed
    /// approver named in the commit).
    Verified,
    /// An `Approved-by:` trailer (or the author) of an identity allowed for the role; no
    /// verified signature.
    Trailer,
    /// The commit names or is signed by someone not allowed for the role, or lacks what
    /// book.toml asks for.
    Mismatch,
    /// The commit carries no approver at all.
    Missing,
    /// Cannot be told: a shallow clone, or an approval not committed yet.
    Unknown,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Verified => "verified",
            State::Trailer => "trailer",
            State::Mismatch => "mismatch",
            State::Missing => "missing",
            State::Unknown => "unknown",
        }
    }
}

/// The evidence of one approved document's approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The approval commit (index into [`Repo::commits`]).
    pub commit: Option<usize>,
    /// The identity that approved: the signer when verified, else the allowed `Approved-by:`
    /// trailer or author, else whoever the commit names.
    pub approver: String,
    /// The signature's signer and key, when the commit is signed and Git could verify it.
    pub signed_by: Option<String>,
    pub signature: Option<Signature>,
    pub state: State,
    /// Editorial commits since the approval.
    pub editorial: usize,
}

/// Who the role's identities are, for messages: the list as written.
fn expected(list: &[String]) -> String {
    if list.is_empty() {
        "nobody (the role has no identities in [approvers])".to_string()
    } else {
        list.join(", ")
    }
}

/// One approved document's input.
pub struct DocInput<'a> {
    pub id: &'a str,
    pub role: &'a str,
    pub status: Status,
    pub display: &'a str,
    pub text: &'a str,
    pub span: std::ops::Range<usize>,
}

/// Computes the evidence of every approved document (`None` for the others, and for all when
/// approval evidence is off). Reads the signatures of the approval commits in one Git process.
/// The commit a document's approval was made in, when it is committed.
fn approval_commit_of(h: &DocHistory) -> Option<usize> {
    match h.since_approval.as_ref()?.approved_in? {
        At::Commit(c) => Some(c),
        At::WorkingTree => None,
    }
}

/// The signatures of the approval commits of approved documents, as Git verifies them (none in
/// a shallow clone); a failure to read them is reported once.
fn approval_signatures(
    settings: &Settings,
    repo: &Repo,
    docs: &[DocInput<'_>],
    history: &[DocHistory],
    cache: &crate::cache::Store,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<String, Signature> {
    let mut wanted: Vec<&str> = docs
        .iter()
        .zip(history)
        .filter(|(d, _)| d.status == Status::Approved)
        .filter_map(|(_, h)| approval_commit_of(h))
        .filter_map(|c| repo.commits.get(c).map(|c| c.id.as_str()))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    if repo.shallow {
        HashMap::new()
    } else {
        match cached_signatures(settings, repo, &wanted, cache) {
            Ok(s) => s,
            Err(why) => {
                diags.push(
                    Diagnostic::warning(
                        "AIMS-W094",
                        format!("the signatures of the approval commits could not be read: {why}"),
                    )
                    .help("run the build where git can verify signatures (git and ssh-keygen or gpg installed)"),
                );
                HashMap::new()
            }
        }
    }
}

/// The finding for one problem with a document's approval commit (`short`: its short id;
/// `list`: the identities allowed for the role).
fn problem_finding(
    problem: &Problem,
    d: &DocInput<'_>,
    short: &str,
    list: &[String],
) -> Diagnostic {
    let (code, message) = match problem {
        Problem::NoAllowedApprover(named) => (
            "AIMS-W090",
            format!(
                "{}'s approval commit {} names {} as approver, not an identity allowed for `{}` (expected: {})",
                d.id,
                short,
                named,
                d.role,
                expected(list)
            ),
        ),
        Problem::Unsigned => (
            "AIMS-W091",
            format!(
                "{}'s approval commit {} is not signed; book.toml asks for a signature by an identity allowed for `{}` (expected: {})",
                d.id,
                short,
                d.role,
                expected(list)
            ),
        ),
        Problem::WrongSigner(signer) => (
            "AIMS-W092",
            format!(
                "{}'s approval commit {} is signed by {}, not by an identity allowed for `{}` (expected: {})",
                d.id,
                short,
                signer,
                d.role,
                expected(list)
            ),
        ),
    };
    let help = match problem {
        Problem::NoAllowedApprover(_) => {
            "approve in a commit with the trailer `Approved-by: Name <address>` of an identity listed for the role (or list the approver's identity under [approvers])"
        }
        Problem::Unsigned | Problem::WrongSigner(_) => {
            "sign the approval commit (`git commit -S`) with a key listed for the role, in the allowed-signers file for SSH keys; check it with `git verify-commit <commit>`"
        }
    };
    Diagnostic::warning(code, message)
        .at(d.display, d.text, d.span.clone())
        .help(help)
}

pub fn evidence(
    settings: &Settings,
    repo: &Repo,
    docs: &[DocInput<'_>],
    history: &[DocHistory],
    cache: &crate::cache::Store,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Option<Evidence>> {
    if !settings.enabled() {
        return vec![None; docs.len()];
    }
    let signatures = approval_signatures(settings, repo, docs, history, cache, diags);
    let identities: BTreeMap<&str, Vec<Identity>> = settings
        .approvers
        .iter()
        .map(|(role, list)| {
            (
                role.as_str(),
                list.iter().filter_map(|s| parse_identity(s)).collect(),
            )
        })
        .collect();
    docs.iter()
        .zip(history)
        .map(|(d, h)| {
            if d.status != Status::Approved {
                return None;
            }
            let editorial = h.since_approval.as_ref().map_or(0, |s| s.editorial.len());
            let commit = approval_commit_of(h);
            let unknown = |commit| Evidence {
                commit,
                approver: String::new(),
                signed_by: None,
                signature: None,
                state: State::Unknown,
                editorial,
            };
            if repo.shallow {
                return Some(unknown(commit));
            }
            let Some(c) = commit.and_then(|c| repo.commits.get(c).map(|x| (c, x))) else {
                diags.push(
                    Diagnostic::warning(
                        "AIMS-W094",
                        format!("{}'s approval is not committed yet: it has no approval commit to carry evidence", d.id),
                    )
                    .at(d.display, d.text, d.span.clone())
                    .help("commit the approval (with an `Approved-by:` trailer, signed when book.toml asks for \"signed\")"),
                );
                return Some(unknown(None));
            };
            let Some(allowed) = identities.get(d.role) else {
                diags.push(
                    Diagnostic::warning(
                        "AIMS-W093",
                        format!("`{}`, who approved {}, is not a role of [approvers] in book.toml", d.role, d.id),
                    )
                    .at(d.display, d.text, d.span.clone())
                    .help(format!(
                        "add the role with its identities, e.g. [approvers] \"{}\" = [\"name@example.org\"]; known roles: {}",
                        d.role,
                        settings.approvers.keys().cloned().collect::<Vec<_>>().join(", ")
                    )),
                );
                let (mut e, _) = judge(settings.evidence, c.1, signatures.get(&c.1.id), &[]);
                e.commit = Some(c.0);
                e.editorial = editorial;
                e.state = State::Mismatch;
                return Some(e);
            };
            let (mut e, problems) = judge(settings.evidence, c.1, signatures.get(&c.1.id), allowed);
            e.commit = Some(c.0);
            e.editorial = editorial;
            let list = settings.approvers.get(d.role).map(Vec::as_slice).unwrap_or_default();
            for problem in &problems {
                diags.push(problem_finding(problem, d, &c.1.short, list));
            }
            Some(e)
        })
        .collect()
}

/// The key of a cached verification: the commit and the allowed-signers file it was verified
/// against.
fn signature_key(settings: &Settings, id: &str) -> crate::cache::Key {
    crate::cache::key(&[
        b"ssh-signature-1",
        id.as_bytes(),
        &settings.allowed_signers_text,
    ])
}

/// The signatures of `ids`: SSH verifications from the cache where an earlier build made them
/// against the same allowed-signers file (a commit's signature and Git's judgement of it, made at
/// the commit's time, do not change), the rest from Git. GPG results are never cached: trust and
/// revocation live in the keyring. Unsigned results are not either (a missing ssh-keygen could
/// read as unsigned).
fn cached_signatures(
    settings: &Settings,
    repo: &Repo,
    ids: &[&str],
    cache: &crate::cache::Store,
) -> Result<HashMap<String, Signature>, crate::git::Unavailable> {
    let mut out = HashMap::with_capacity(ids.len());
    let mut missing = Vec::new();
    for &id in ids {
        match cache
            .get(&signature_key(settings, id))
            .and_then(|b| decode_signature(&b))
        {
            Some(sig) => {
                out.insert(id.to_string(), sig);
            }
            None => missing.push(id),
        }
    }
    let read = crate::git::signatures(
        &repo.toplevel,
        &missing,
        settings.allowed_signers.as_deref(),
    )?;
    for (id, sig) in read {
        if matches!(sig.status, 'G' | 'U' | 'B') && sig.fingerprint.starts_with("SHA256:") {
            cache.put(signature_key(settings, &id), encode_signature(&sig));
        }
        out.insert(id, sig);
    }
    Ok(out)
}

fn encode_signature(sig: &Signature) -> Vec<u8> {
    format!(
        "{}\x1f{}\x1f{}\x1f{}",
        sig.status, sig.signer, sig.fingerprint, sig.primary
    )
    .into_bytes()
}

fn decode_signature(bytes: &[u8]) -> Option<Signature> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut f = text.split('\x1f');
    let status = f.next()?.chars().next()?;
    Some(Signature {
        status,
        signer: f.next()?.to_string(),
        fingerprint: f.next()?.to_string(),
        primary: f.next()?.to_string(),
    })
}

/// What an approval commit lacks.
enum Problem {
    /// Names this approver (or nobody) and no allowed one.
    NoAllowedApprover(String),
    Unsigned,
    /// Signed, but not validly by an allowed identity.
    WrongSigner(String),
}

/// The identities the commit names: its `Approved-by:` trailers' addresses, then its author's.
fn named(commit: &Commit) -> (Vec<String>, Option<String>) {
    let Some(d) = commit.details.as_deref() else {
        return (Vec::new(), None);
    };
    let trailers = d.trailer("Approved-by").filter_map(email_of).collect();
    (trailers, email_of(&d.author_email))
}

fn allows_email(allowed: &[Identity], email: &str) -> bool {
    allowed
        .iter()
        .any(|i| matches!(i, Identity::Email(e) if e == email))
}

/// Whether the signature is valid and by an identity of `allowed`: the principal Git matched
/// in the allowed-signers file (or the GPG user id's address), or the key's fingerprint.
fn signed_by_allowed(sig: &Signature, allowed: &[Identity]) -> bool {
    let principal = email_of(&sig.signer);
    let by_principal = sig.status == 'G' && principal.is_some_and(|p| allows_email(allowed, &p));
    // `U`: a good signature whose key Git has no trust for (an SSH key outside the
    // allowed-signers file, a GPG key not certified): the key listed under [approvers] is the
    // trust.
    let good = matches!(sig.status, 'G' | 'U');
    let by_key = good
        && allowed.iter().any(|i| match i {
            Identity::SshKey(fp) => *fp == sig.fingerprint,
            Identity::Gpg(fp) => {
                let own = sig.fingerprint.to_ascii_uppercase();
                let primary = sig.primary.to_ascii_uppercase();
                (!own.is_empty() && (own == *fp || own.ends_with(fp.as_str())))
                    || (!primary.is_empty() && (primary == *fp || primary.ends_with(fp.as_str())))
            }
            Identity::Email(_) => false,
        });
    by_principal || by_key
}

fn signer_label(sig: &Signature) -> String {
    match (sig.signer.is_empty(), sig.fingerprint.is_empty()) {
        (false, _) => sig.signer.clone(),
        (true, false) => format!("key {}", sig.fingerprint),
        (true, true) => "an unknown key".to_string(),
    }
}

/// The evidence of one approval commit against the role's identities, and what it lacks
/// under `mode`.
fn judge(
    mode: ApprovalEvidence,
    commit: &Commit,
    sig: Option<&Signature>,
    allowed: &[Identity],
) -> (Evidence, Vec<Problem>) {
    let (trailers, author) = named(commit);
    let allowed_trailer = trailers.iter().find(|t| allows_email(allowed, t)).cloned();
    let allowed_author = author.clone().filter(|a| allows_email(allowed, a));
    let claimed = allowed_trailer.or(allowed_author);
    let sig = sig.filter(|s| s.status != 'N');
    let verified = sig.filter(|s| signed_by_allowed(s, allowed));
    let mut problems = Vec::new();
    if claimed.is_none() {
        let who = if trailers.is_empty() {
            match &author {
                Some(a) => format!("nobody in an Approved-by trailer and is authored by {a}"),
                None => "nobody".to_string(),
            }
        } else {
            trailers.join(", ")
        };
        problems.push(Problem::NoAllowedApprover(who));
    }
    if mode == ApprovalEvidence::Signed {
        match sig {
            None => problems.push(Problem::Unsigned),
            Some(s) if verified.is_none() => {
                let label = if matches!(s.status, 'G' | 'U') {
                    signer_label(s)
                } else {
                    format!(
                        "{} (Git cannot verify the signature: status {})",
                        signer_label(s),
                        s.status
                    )
                };
                problems.push(Problem::WrongSigner(label));
            }
            Some(_) => {}
        }
    }
    let state = match (problems.is_empty(), verified.is_some()) {
        (true, true) => State::Verified,
        (true, false) => State::Trailer,
        (false, _) if trailers.is_empty() && claimed.is_none() && sig.is_none() => State::Missing,
        (false, _) => State::Mismatch,
    };
    let approver = verified
        .map(|s| email_of(&s.signer).unwrap_or_else(|| signer_label(s)))
        .or(claimed)
        .or_else(|| trailers.first().cloned())
        .or(author)
        .unwrap_or_default();
    let evidence = Evidence {
        commit: None,
        approver,
        signed_by: verified.map(signer_label),
        signature: sig.cloned(),
        state,
        editorial: 0,
    };
    (evidence, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_from_trailer_values() {
        assert_eq!(
            email_of("Ana Ruiz <Ana@X.example>").as_deref(),
            Some("ana@x.example")
        );
        assert_eq!(email_of("ana@x.example").as_deref(), Some("ana@x.example"));
        assert_eq!(email_of("Ana Ruiz"), None);
    }
}
