//! How an approval's evidence reads wherever the approval is shown: the control block, the
//! register, the pack's approvals.csv and its README. Only projects the facts link computed
//! ([`crate::link::approval`]).

use serde::Serialize;

use crate::config::ApprovalEvidence;
use crate::link::Manual;
use crate::link::approval::State;

/// One approved document's evidence, as the pages show it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ApprovalView {
    /// The approval commit, abbreviated (empty when there is none).
    pub commit: String,
    pub commit_full: String,
    pub approver: String,
    /// Who signed, when Git verified a signature by an allowed identity.
    pub signed_by: Option<String>,
    pub state: &'static str,
    /// "in commit 3f2a9c1e04, signed by ana.ruiz@corvina.example, verified"
    pub summary: String,
    pub editorial: usize,
}

/// The evidence of entry `i`, when approval evidence is on and it is approved.
pub fn view(manual: &Manual, i: usize) -> Option<ApprovalView> {
    let e = manual.approvals.get(i)?.as_ref()?;
    let commit = e.commit.and_then(|c| manual.repo.as_ref()?.commits.get(c));
    let short = commit.map(|c| c.short.clone()).unwrap_or_default();
    let state = e.state.as_str();
    let summary = match (commit, e.state) {
        (None, _) if manual.repo.as_ref().is_some_and(|r| r.shallow) => {
            "evidence unknown: the history is a shallow clone".to_string()
        }
        (None, _) => "evidence unknown: the approval is not committed yet".to_string(),
        (Some(_), State::Unknown) => {
            format!("in commit {short}, evidence unknown: the history is a shallow clone")
        }
        (Some(_), State::Verified) => format!(
            "in commit {short}, signed by {}, verified",
            e.signed_by.as_deref().unwrap_or(&e.approver)
        ),
        (Some(_), State::Trailer) => {
            format!("in commit {short}, approver {}, not signed", e.approver)
        }
        (Some(_), State::Missing) => format!("in commit {short}, which names no approver"),
        (Some(_), State::Mismatch) if e.approver.is_empty() => {
            format!("in commit {short}, evidence does not match the role")
        }
        (Some(_), State::Mismatch) => format!(
            "in commit {short}, approver {}, evidence does not match the role",
            e.approver
        ),
    };
    Some(ApprovalView {
        commit: short,
        commit_full: commit.map(|c| c.id.clone()).unwrap_or_default(),
        approver: e.approver.clone(),
        signed_by: e.signed_by.clone(),
        state,
        summary,
        editorial: e.editorial,
    })
}

/// One approved document's approval, as `check --format json` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ApprovalRecord {
    pub id: String,
    pub approved_by: String,
    pub approval_date: String,
    pub approval_commit: String,
    pub approver_identity: String,
    pub signed_by: Option<String>,
    pub evidence_state: &'static str,
    pub editorial_changes_since_approval: usize,
}

/// The approvals of every approved document (all of them, whatever the profile), when approval
/// evidence is on; empty otherwise.
pub fn records(manual: &Manual) -> Vec<ApprovalRecord> {
    (0..manual.entries.len())
        .filter_map(|i| {
            let v = view(manual, i)?;
            let d = &manual.entries[i].doc;
            Some(ApprovalRecord {
                id: d.id.value.clone(),
                approved_by: d
                    .approval
                    .as_ref()
                    .map(|a| a.by.clone())
                    .unwrap_or_default(),
                approval_date: d
                    .approval
                    .as_ref()
                    .map(|a| a.date.to_string())
                    .unwrap_or_default(),
                approval_commit: v.commit_full,
                approver_identity: v.approver,
                signed_by: v.signed_by,
                evidence_state: v.state,
                editorial_changes_since_approval: v.editorial,
            })
        })
        .collect()
}

/// The pack README's section on approvals: what approvals.csv holds and how an auditor checks
/// each signature with plain `git`. Empty when approval evidence is off.
pub fn readme_section(config: &crate::config::Config) -> String {
    let mode = match config.control.approval_evidence {
        ApprovalEvidence::None => return String::new(),
        ApprovalEvidence::Trailer => "trailer",
        ApprovalEvidence::Signed => "signed",
    };
    let mut s = String::from(
        "\nApprovals\n---------\n\
         approvals.csv has one row per approved document: its approval commit (the commit that\n\
         last changed its version, its approval or its status to approved), who authored and\n\
         committed it, its Approved-by trailers, the identity that approved, the signature as\n\
         Git verified it, and the evidence state: verified (signed by an identity allowed for\n\
         the role), trailer (named by an allowed Approved-by trailer or author, not signed),\n\
         mismatch, missing, or unknown (a shallow clone or an uncommitted approval).\n",
    );
    s.push_str(&format!(
        "This manual asks for approval evidence \"{mode}\"; the identities allowed for each role\n\
         are listed under [approvers] in its book.toml.\n\n\
         To check an approval yourself, in a full clone of the repository (not a shallow one),\n\
         from the folder holding book.toml:\n\n"
    ));
    match &config.control.allowed_signers {
        Some(file) => s.push_str(&format!(
            "    git -c gpg.ssh.allowedSignersFile={file} verify-commit -v <approval_commit>\n\n\
             SSH signatures are checked against {file}, kept in the repository (each line: an\n\
             approver's address and public key). For GPG signatures, import the approvers' public\n\
             keys first (gpg --import).\n"
        )),
        None => s.push_str(
            "    git verify-commit -v <approval_commit>\n\n\
             For GPG signatures, import the approvers' public keys first (gpg --import); for SSH\n\
             signatures, name an allowed-signers file with -c gpg.ssh.allowedSignersFile=<file>.\n",
        ),
    }
    s.push_str(
        "`git show -s --format='%an <%ae>%n%(trailers:key=Approved-by)' <approval_commit>` shows\n\
         the author and the Approved-by trailers each row was read from.\n",
    );
    s
}
