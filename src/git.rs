//! Git as the document-control system: one `git log` over the content folder, parsed as a
//! stream, gives every document's revision history (renames followed); one `git cat-file
//! --batch` process reads the few old versions needed to tell whether an approved document's
//! body changed after its last approval. Never one process per file.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One commit that touched the content folder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Commit {
    pub id: String,
    pub short: String,
    /// Author date, `YYYY-MM-DD` (the author's own calendar day).
    pub date: String,
    pub author: String,
    pub subject: String,
    /// The rest is read only when the history pass is asked for details (approval evidence or
    /// editorial changes are on in book.toml); empty otherwise.
    #[serde(skip)]
    pub details: Option<Box<Details>>,
}

/// Who made a commit and the trailers that matter to document control, as the commit says
/// (attacker-controlled text: each field is capped, see [`MAX_FIELD`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    pub author_email: String,
    pub committer: String,
    pub committer_email: String,
    /// `Approved-by` and `Change-type` trailers as (key as written, value), at most
    /// [`MAX_TRAILERS`].
    pub trailers: Vec<(String, String)>,
}

impl Details {
    /// The values of the trailers named `key` (case-insensitive, as Git matches them).
    pub fn trailer<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.trailers
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
}

/// The most trailers kept per commit.
pub const MAX_TRAILERS: usize = 16;
/// The most characters kept of one name, address or trailer read from a commit.
pub const MAX_FIELD: usize = 256;

fn capped(s: &str) -> String {
    s.trim().chars().take(MAX_FIELD).collect()
}

/// Parses the `%(trailers)` field (trailers separated by 0x1d).
fn parse_trailers(field: &str) -> Vec<(String, String)> {
    field
        .split('\x1d')
        .filter_map(|t| {
            let (k, v) = t.split_once(':')?;
            Some((capped(k), capped(v)))
        })
        .filter(|(k, _)| !k.is_empty())
        .take(MAX_TRAILERS)
        .collect()
}

/// One change to one file in one commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Index into [`Repo::commits`].
    pub commit: usize,
    /// `A`dded, `M`odified, `R`enamed, `C`opied, `T`ype change.
    pub status: char,
    pub old_blob: String,
    pub new_blob: String,
}

/// What the history pass found.
#[derive(Debug, Default)]
pub struct Repo {
    pub toplevel: PathBuf,
    /// The content folder's path inside the repository, `/`-separated (empty at the top).
    pub prefix: String,
    pub head: Option<String>,
    pub tags: Vec<String>,
    pub shallow: bool,
    /// Newest first.
    pub commits: Vec<Commit>,
    /// Path relative to the repository top (as it is at HEAD) → its changes, newest first.
    pub files: HashMap<String, Vec<Change>>,
    /// A blob reader, already holding the versions the approval check needs first.
    pub blobs: Option<Blobs>,
}

/// Why no history could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    NoGit(String),
    NotARepository,
    NoCommits,
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unavailable::NoGit(e) => write!(f, "git could not be run ({e})"),
            Unavailable::NotARepository => f.write_str("the project is not in a Git repository"),
            Unavailable::NoCommits => f.write_str("the repository has no commits yet"),
        }
    }
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .args([
            "-c",
            "log.showSignature=false",
            "-c",
            "core.quotepath=false",
            "-c",
            "color.ui=false",
        ]);
    c
}

fn run(dir: &Path, args: &[&str]) -> Result<String, Unavailable> {
    let out = git(dir)
        .args(args)
        .output()
        .map_err(|e| Unavailable::NoGit(e.to_string()))?;
    if !out.status.success() {
        return Err(Unavailable::NotARepository);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The last parsed log, kept by `serve`: while HEAD does not move, a rebuild does not run
/// `git log` again.
#[derive(Default)]
pub struct LogMemo(std::sync::Mutex<Option<(PathBuf, String, Parsed)>>);

impl std::fmt::Debug for LogMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LogMemo")
    }
}

/// Reads the history of everything below `content_dir` in one `git log`. `approved` tells,
/// once the documents are parsed, which of them (paths relative to `content_dir`) are approved:
/// only their old versions are read ahead. With `details`, each commit's
/// [`Details`] (e-mail addresses, committer, trailers) are read in the same pass.
pub fn read(
    content_dir: &Path,
    rev: &str,
    known: &(dyn Fn(&str, &str) -> bool + Sync),
    approved: std::sync::mpsc::Receiver<Vec<String>>,
    memo: Option<&LogMemo>,
    details: bool,
) -> Result<Repo, Unavailable> {
    let old = OldVersions {
        known,
        approved,
        stream_up_to: STREAM_PACK_BYTES,
    };
    read_with(content_dir, rev, old, memo, details)
}

/// Which old versions [`read`] reads ahead, and how.
struct OldVersions<'a> {
    known: &'a (dyn Fn(&str, &str) -> bool + Sync),
    approved: std::sync::mpsc::Receiver<Vec<String>>,
    /// Packs up to this many bytes are read while the log streams in.
    stream_up_to: u64,
}

fn read_with(
    content_dir: &Path,
    rev: &str,
    old: OldVersions<'_>,
    memo: Option<&LogMemo>,
    details: bool,
) -> Result<Repo, Unavailable> {
    let OldVersions {
        known,
        approved,
        stream_up_to,
    } = old;
    let info = run(
        content_dir,
        &[
            "rev-parse",
            "--is-shallow-repository",
            "--show-toplevel",
            "--git-common-dir",
        ],
    )?;
    let mut lines = info.lines();
    let shallow = lines.next() == Some("true");
    let toplevel = PathBuf::from(lines.next().ok_or(Unavailable::NotARepository)?);
    // Relative to the folder git ran in, unless absolute.
    let git_dir = content_dir.join(lines.next().unwrap_or(".git"));
    let head = run(
        content_dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| Unavailable::NoCommits)?;
    let head = head.trim().to_string();
    let tags = run(
        content_dir,
        &["tag", "--points-at", rev, "--sort=-creatordate"],
    )
    .unwrap_or_default()
    .lines()
    .map(str::to_string)
    .collect();

    let remembered = memo.and_then(|m| {
        let guard = m.0.lock().ok()?;
        let (dir, h, parsed) = guard.as_ref()?;
        let same_details = parsed
            .0
            .first()
            .is_none_or(|c| c.details.is_some() == details);
        (dir == content_dir && *h == head && same_details).then(|| parsed.clone())
    });
    let prefix = content_prefix(&toplevel, content_dir);
    let mut filter = ApprovedFilter {
        prefix: &prefix,
        channel: Some(approved),
        approved: None,
    };
    let mut blobs = Blobs::open(&toplevel);
    // The version before each approved document's newest change: the approval check needs
    // these first. In a small repository they are asked for while the log streams in (each
    // file's newest change as soon as it is read), so that both git processes work side by
    // side; the order does not matter while Git's cache of delta bases holds the pack. A large
    // pack is read in its own order instead, once the log is complete (see
    // [`versions_before_newest`]).
    let stream = pack_bytes(&git_dir) <= stream_up_to;
    let (commits, files) = match remembered {
        Some(parsed) => parsed,
        None => {
            let mut ahead = blobs.as_mut().filter(|_| stream).map(Blobs::read_ahead);
            let scope = LogScope {
                toplevel: &toplevel,
                prefix: &prefix,
            };
            let parsed = run_log(
                content_dir,
                scope,
                rev,
                details,
                &mut |path: &str, c: &Change| {
                    if let Some(a) = ahead.as_mut()
                        && c.status != 'A'
                        && !known(&c.old_blob, &c.new_blob)
                    {
                        filter.offer(path, &c.old_blob, &mut |id| a.request(id));
                    }
                },
            );
            if let Some(a) = ahead {
                a.finish();
            }
            let parsed = parsed?;
            if let Some(m) = memo
                && let Ok(mut guard) = m.0.lock()
            {
                *guard = Some((content_dir.to_path_buf(), head.clone(), parsed.clone()));
            }
            parsed
        }
    };
    // What the stream did not ask for (or all of it): once the parse has said which documents
    // are approved, only theirs (versions already read are not asked for again).
    filter.wait();
    if let Some(b) = blobs.as_mut() {
        let mut ahead = b.read_ahead();
        for id in versions_before_newest(&files, &filter, known) {
            ahead.request(id);
        }
        ahead.finish();
    }
    Ok(Repo {
        toplevel,
        prefix,
        head: Some(head),
        tags,
        shallow,
        commits,
        files,
        blobs,
    })
}

type Parsed = (Vec<Commit>, HashMap<String, Vec<Change>>);

/// The folder's path inside the repository, `/`-separated (empty at the top).
fn content_prefix(toplevel: &Path, dir: &Path) -> String {
    let top = std::fs::canonicalize(toplevel).unwrap_or_else(|_| toplevel.to_path_buf());
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    crate::fs::display_rel(&dir, &top)
}

/// Which files' old versions are read: those of the approved documents, once the parse has
/// said which they are.
struct ApprovedFilter<'a> {
    prefix: &'a str,
    channel: Option<std::sync::mpsc::Receiver<Vec<String>>>,
    /// Repository paths of the approved documents, once known.
    approved: Option<HashSet<String>>,
}

impl ApprovedFilter<'_> {
    /// Waits until the parse says which documents are approved (or gives up without a list).
    fn wait(&mut self) {
        if let Some(rx) = self.channel.take()
            && let Ok(list) = rx.recv()
        {
            self.set(list);
        }
    }

    fn set(&mut self, list: Vec<String>) {
        self.approved = Some(
            list.into_iter()
                .map(|rel| {
                    if self.prefix.is_empty() {
                        rel
                    } else {
                        format!("{}/{rel}", self.prefix)
                    }
                })
                .collect(),
        );
    }

    /// Whether the versions of the file at repository path `path` are wanted: those of
    /// approved documents, or every file's while (or when) the parse gives no list.
    fn wants(&self, path: &str) -> bool {
        self.approved.as_ref().is_none_or(|a| a.contains(path))
    }

    /// Requests `blob` of the file at `path` while the log streams in: every file's until the
    /// approved documents are known (the reader must not wait for the parse), then only theirs.
    fn offer(&mut self, path: &str, blob: &str, request: &mut dyn FnMut(&str)) {
        if let Some(rx) = &self.channel {
            match rx.try_recv() {
                Ok(list) => {
                    self.set(list);
                    self.channel = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.channel = None,
            }
        }
        if self.wants(path) {
            request(blob);
        }
    }
}

/// Packs up to this size are read in any order: Git's cache of delta bases (96 MiB unless
/// configured) holds them. On the 5,000-document corpus (a 22 MiB pack) `git cat-file` read
/// the 3,186 versions in 0.31 s in the log's order and 0.30 s in the pack's; on the
/// 50,000-document one (156 MiB) in 4.8 s against 1.7 s.
const STREAM_PACK_BYTES: u64 = 64 << 20;

/// The size of the repository's packs (0 when they cannot be listed).
fn pack_bytes(git_dir: &Path) -> u64 {
    std::fs::read_dir(git_dir.join("objects").join("pack"))
        .map(|dir| {
            dir.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "pack"))
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// The version before each wanted file's newest change (unless `known` has compared that
/// change already), in the order Git's pack most likely holds them: by the commit that brought
/// each version, newest first. Asked for in the log's order instead (by each file's newest
/// change), nearly every version of a large pack cost its delta chain rebuilt: on the
/// 50,000-document corpus `git cat-file` took 4.8 s for the 10,043 versions, against 1.7 s in
/// this order.
fn versions_before_newest<'a>(
    files: &'a HashMap<String, Vec<Change>>,
    filter: &ApprovedFilter<'_>,
    known: &(dyn Fn(&str, &str) -> bool + Sync),
) -> Vec<&'a str> {
    let mut wanted: Vec<(usize, &str)> = files
        .iter()
        .filter(|(path, _)| filter.wants(path))
        .filter_map(|(_, ch)| {
            let newest = ch.first()?;
            if newest.status == 'A' || known(&newest.old_blob, &newest.new_blob) {
                return None;
            }
            // The change before it made that version (when the history has it).
            let made = ch
                .get(1)
                .filter(|c| c.new_blob == newest.old_blob)
                .map_or(newest.commit, |c| c.commit);
            Some((made, newest.old_blob.as_str()))
        })
        .collect();
    // Commits are numbered newest first; equal versions are asked for once.
    wanted.sort_unstable();
    wanted.dedup_by(|a, b| a.1 == b.1);
    wanted.into_iter().map(|(_, id)| id).collect()
}

/// Where the content folder sits in its repository.
#[derive(Clone, Copy)]
struct LogScope<'a> {
    toplevel: &'a Path,
    /// The folder's path inside the repository, `/`-separated (empty at the top).
    prefix: &'a str,
}

/// The one `git log` over the content folder, parsed as it streams in; `first` is told each
/// file's newest change as soon as it is read.
///
/// A history without merges is read from the repository's top with `--relative`, not with the
/// folder as a pathspec: a pathspec makes Git compare each commit with its parent twice (once to
/// simplify history, once for the output), a third of the log's time on a large tree. Without
/// merges there is nothing to simplify, and the commits that change nothing in the folder, which
/// the pathspec would have left out, are dropped by the parser. A history with merges keeps the
/// pathspec, so that Git's simplification decides which side of a merge a change came from.
fn run_log(
    content_dir: &Path,
    scope: LogScope<'_>,
    rev: &str,
    details: bool,
    first: &mut dyn FnMut(&str, &Change),
) -> Result<Parsed, Unavailable> {
    let relative = !has_merges(content_dir, rev);
    log_with(content_dir, scope, rev, details, relative, first)
}

/// Whether any merge commit is reachable from `rev` (reads commits only, no trees).
fn has_merges(dir: &Path, rev: &str) -> bool {
    run(dir, &["rev-list", "--merges", "--max-count=1", rev, "--"])
        .map_or(true, |out| !out.trim().is_empty())
}

/// [`run_log`] with the way of reading chosen: `linear` from the top with `--relative`, or
/// with a pathspec.
fn log_with(
    content_dir: &Path,
    scope: LogScope<'_>,
    rev: &str,
    details: bool,
    linear: bool,
    first: &mut dyn FnMut(&str, &Change),
) -> Result<Parsed, Unavailable> {
    // The log reads trees, not blobs, but large trees are stored as deltas of each other:
    // Git's cache of delta bases at 16 MiB made the 50,000-document log 2.5 times slower (17 s
    // against 6 s); at 48 MiB it is as fast as at Git's default 96 MiB and peaks at 160 MiB
    // instead of 215 MiB (70 MiB for 5,000 documents).
    // With details, the fields Git writes itself come before the subject and the trailers
    // (which the commit's author wrote).
    let format = if details {
        DETAILED_FORMAT
    } else {
        "--format=%x1e%H%x1f%ad%x1f%an%x1f%s"
    };
    let mut command = git(if linear { scope.toplevel } else { content_dir });
    command.args([
        "-c",
        "core.deltaBaseCacheLimit=48m",
        "log",
        rev,
        "--no-merges",
        "--raw",
        "-z",
        "--no-abbrev",
        "-M",
        "--no-color",
        format,
        "--date=format:%Y-%m-%d",
    ]);
    let mut parser = LogParser::default();
    if !linear {
        command.args(["--", "."]);
    } else if !scope.prefix.is_empty() {
        command.arg(format!("--relative={}/", scope.prefix));
        parser.rebase = format!("{}/", scope.prefix);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Unavailable::NoGit(e.to_string()))?;
    if let Some(out) = child.stdout.take() {
        let mut out = BufReader::with_capacity(1 << 16, out);
        let mut record = Vec::new();
        loop {
            record.clear();
            let n = out
                .read_until(0x1e, &mut record)
                .map_err(|e| Unavailable::NoGit(e.to_string()))?;
            if n == 0 {
                break;
            }
            if record.last() == Some(&0x1e) {
                record.pop();
            }
            parser.record(&record, first);
        }
    }
    let status = child
        .wait()
        .map_err(|e| Unavailable::NoGit(e.to_string()))?;
    if !status.success() {
        return Err(Unavailable::NotARepository);
    }
    Ok((parser.commits, parser.files))
}

/// The log format with a commit's [`Details`].
const DETAILED_FORMAT: &str = "--format=%x1e%H%x1f%ad%x1f%an%x1f%x1d%ae%x1f%cn%x1f%ce%x1f%s%x1f%(trailers:key=Approved-by,key=Change-type,unfold,separator=%x1d)";

/// Parses `git log --raw -z` output (newest first), following renames back in time so that each
/// file's changes are filed under the path it has at HEAD.
pub fn parse_log(raw: &[u8]) -> (Vec<Commit>, HashMap<String, Vec<Change>>) {
    let mut parser = LogParser::default();
    for record in raw.split(|&b| b == 0x1e) {
        parser.record(record, &mut |_, _| {});
    }
    (parser.commits, parser.files)
}

/// The state of [`parse_log`] between two commits.
#[derive(Default)]
struct LogParser {
    commits: Vec<Commit>,
    files: HashMap<String, Vec<Change>>,
    /// A path as it was at the commit being read → the path it has at HEAD.
    alias: HashMap<String, String>,
    /// Paths deleted later in history (newer commits): their older changes belong to no HEAD file.
    gone: HashSet<String>,
    /// What goes before each path Git writes, to make it relative to the repository's top (the
    /// content folder and a slash, when the log was read with `--relative`).
    rebase: String,
}

impl LogParser {
    /// Reads one commit (the text between two record separators); `first` is told each
    /// file's first (newest) change.
    fn record(&mut self, record: &[u8], first: &mut dyn FnMut(&str, &Change)) {
        if record.is_empty() {
            return;
        }
        let mut parts = record.split(|&b| b == 0);
        let header = String::from_utf8_lossy(parts.next().unwrap_or_default());
        let mut h = header.split('\x1f');
        let id = h.next().unwrap_or("").to_string();
        let date = h.next().unwrap_or("").to_string();
        let author = h.next().unwrap_or("").to_string();
        // The detailed format marks its next field with 0x1d (see DETAILED_FORMAT).
        let rest = h.next().unwrap_or("");
        let (details, subject) = match rest.strip_prefix('\x1d') {
            Some(author_email) => {
                let committer = h.next().unwrap_or("");
                let committer_email = h.next().unwrap_or("");
                let subject = h.next().unwrap_or("").trim_end().to_string();
                let trailers = h.collect::<Vec<_>>().join("\x1f");
                let details = Details {
                    author_email: capped(author_email),
                    committer: capped(committer),
                    committer_email: capped(committer_email),
                    trailers: parse_trailers(&trailers),
                };
                (Some(Box::new(details)), subject)
            }
            None => (None, rest.trim_end().to_string()),
        };
        let commit = Commit {
            short: id.chars().take(10).collect(),
            id,
            date,
            author,
            subject,
            details,
        };
        // A commit is kept once it shows a change: one that changes nothing in the folder (read
        // with `--relative`) is left out, as a pathspec would have left it out.
        let index = self.commits.len();
        let mut commit = Some(commit);
        let rebase = &self.rebase;
        let mut tokens = parts.map(|t| String::from_utf8_lossy(t).into_owned());
        let path = |tokens: &mut dyn Iterator<Item = String>| {
            let p = tokens.next().unwrap_or_default();
            if rebase.is_empty() {
                p
            } else {
                format!("{rebase}{p}")
            }
        };
        while let Some(meta) = tokens.next() {
            let meta = meta.trim_start_matches('\n');
            let Some(meta) = meta.strip_prefix(':') else {
                continue;
            };
            let fields: Vec<&str> = meta.split(' ').collect();
            if fields.len() < 5 {
                continue;
            }
            if let Some(c) = commit.take() {
                self.commits.push(c);
            }
            let status = fields[4].chars().next().unwrap_or('M');
            let old_blob = fields[2].to_string();
            let new_blob = fields[3].to_string();
            let (old_path, new_path) = if matches!(status, 'R' | 'C') {
                let old = path(&mut tokens);
                (Some(old), path(&mut tokens))
            } else {
                (None, path(&mut tokens))
            };
            if status == 'D' {
                self.gone.insert(new_path);
                continue;
            }
            let current = match self.alias.get(&new_path) {
                Some(c) => Some(c.clone()),
                None if self.gone.contains(&new_path) => None,
                None => Some(new_path.clone()),
            };
            let Some(current) = current else { continue };
            let changes = self.files.entry(current.clone()).or_default();
            changes.push(Change {
                commit: index,
                status,
                old_blob,
                new_blob,
            });
            if let [newest] = changes.as_slice() {
                first(&current, newest);
            }
            self.alias.remove(&new_path);
            match (status, old_path) {
                ('R', Some(old)) => {
                    self.gone.remove(&old);
                    self.alias.insert(old, current);
                }
                ('A', _) => {
                    // Older commits with this path belong to a file deleted before it was re-added.
                    self.gone.insert(new_path);
                }
                _ => {
                    self.alias.insert(new_path, current);
                }
            }
        }
    }
}

/// What Git's own verification says about one commit's signature (`%G?`, `%GS`, `%GF`, `%GP`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature {
    /// `G` good, `B` bad, `U` good but the key's validity is unknown (for SSH: a key not in
    /// the allowed-signers file), `X`/`Y` expired signature or key, `R` revoked key, `E`
    /// cannot be checked, `N` no signature.
    pub status: char,
    /// The signer Git names: for SSH the principal of the allowed-signers file, for GPG the
    /// key's user id.
    pub signer: String,
    /// The signing key's fingerprint (`SHA256:…` for SSH, hex for GPG).
    pub fingerprint: String,
    /// For GPG, the primary key's fingerprint when a subkey signed.
    pub primary: String,
}

/// Verifies the signatures of `ids` (full commit ids) with `git log --no-walk --stdin`, SSH
/// signatures against `allowed_signers` when given. Git runs ssh-keygen or gpg itself, once or
/// twice per signed commit, which dominates the time: the ids are shared out among one such
/// process per core. Nothing is asked of a network service (GPG keys are looked up in the local
/// keyring only).
pub fn signatures(
    dir: &Path,
    ids: &[&str],
    allowed_signers: Option<&Path>,
) -> Result<HashMap<String, Signature>, Unavailable> {
    /// Fewer ids than this per process are not worth another one.
    const PER_PROCESS: usize = 32;
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let processes = cores.min(ids.len().div_ceil(PER_PROCESS)).max(1);
    let chunk = ids.len().div_ceil(processes);
    let results: Vec<Result<HashMap<String, Signature>, Unavailable>> = std::thread::scope(|s| {
        let handles: Vec<_> = ids
            .chunks(chunk)
            .map(|part| s.spawn(move || verify(dir, part, allowed_signers)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Unavailable::NoGit("the verifier failed".into())))
            })
            .collect()
    });
    let mut out = HashMap::with_capacity(ids.len());
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

/// One `git log --no-walk --stdin` verifying the signatures of `ids`.
fn verify(
    dir: &Path,
    ids: &[&str],
    allowed_signers: Option<&Path>,
) -> Result<HashMap<String, Signature>, Unavailable> {
    let mut cmd = git(dir);
    if let Some(file) = allowed_signers {
        cmd.arg("-c").arg(format!(
            "gpg.ssh.allowedSignersFile={}",
            file.to_string_lossy()
        ));
    }
    let mut child = cmd
        .args([
            "log",
            "--no-walk=unsorted",
            "--stdin",
            "--format=%H%x1f%G?%x1f%GS%x1f%GF%x1f%GP%x1e",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Unavailable::NoGit(e.to_string()))?;
    let request: String = ids.iter().map(|id| format!("{id}\n")).collect();
    let stdin = child.stdin.take();
    // Written from another thread: a full pipe on either side cannot deadlock.
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(request.as_bytes());
        }
    });
    let mut out = Vec::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout
            .read_to_end(&mut out)
            .map_err(|e| Unavailable::NoGit(e.to_string()))?;
    }
    let _ = writer.join();
    let status = child
        .wait()
        .map_err(|e| Unavailable::NoGit(e.to_string()))?;
    if !status.success() {
        return Err(Unavailable::NotARepository);
    }
    Ok(parse_signatures(&String::from_utf8_lossy(&out)))
}

fn parse_signatures(text: &str) -> HashMap<String, Signature> {
    text.split('\x1e')
        .filter_map(|record| {
            let mut f = record.trim_start_matches('\n').split('\x1f');
            let id = f.next()?.to_string();
            if id.is_empty() {
                return None;
            }
            let status = f.next()?.chars().next().unwrap_or('N');
            let sig = Signature {
                status,
                signer: capped(f.next().unwrap_or("")),
                fingerprint: capped(f.next().unwrap_or("")),
                primary: capped(f.next().unwrap_or("")),
            };
            Some((id, sig))
        })
        .collect()
}

/// Tags matching a glob (`v*`), newest first.
pub fn tags(dir: &Path, glob: &str) -> Vec<String> {
    run(dir, &["tag", "--list", glob, "--sort=-creatordate"])
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .filter(|t| !t.is_empty())
        .collect()
}

/// Writes the files of `paths` (relative to the repository top) as they are at `rev` into
/// `dest`, from Git objects: the work tree is not touched.
pub fn export_tree(dir: &Path, rev: &str, paths: &[&str], dest: &Path) -> Result<(), String> {
    let toplevel = run(dir, &["rev-parse", "--show-toplevel"]).map_err(|e| e.to_string())?;
    let toplevel = toplevel.trim();
    std::fs::create_dir_all(dest).map_err(|e| e.to_string())?;
    let mut archive = git(Path::new(toplevel))
        .args(["archive", "--format=tar", rev, "--"])
        .args(paths)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let out = archive.stdout.take().ok_or("no output from git archive")?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dest)
        .stdin(out)
        .output()
        .map_err(|e| format!("tar: {e}"))?;
    let status = archive.wait().map_err(|e| e.to_string())?;
    if !status.success() || !tar.status.success() {
        return Err(format!(
            "cannot read {rev} from Git: {}",
            String::from_utf8_lossy(&tar.stderr).trim()
        ));
    }
    Ok(())
}

/// Paths (relative to the repository top) that exist at `rev`, out of `candidates`.
pub fn existing_paths(dir: &Path, rev: &str, candidates: &[String]) -> Vec<String> {
    candidates
        .iter()
        .filter(|p| run(dir, &["cat-file", "-e", &format!("{rev}:{p}")]).is_ok())
        .cloned()
        .collect()
}

/// The repository top folder of `dir`.
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    run(dir, &["rev-parse", "--show-toplevel"])
        .ok()
        .map(|s| PathBuf::from(s.trim()))
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The SHA-1 Git gives a blob with these bytes.
pub fn blob_id(bytes: &[u8]) -> String {
    // RustCrypto's SHA-1 uses the CPU's SHA instructions where there are any: every document
    // is hashed on each build.
    use sha1::Digest;
    let mut h = sha1::Sha1::new();
    h.update(format!("blob {}\0", bytes.len()).as_bytes());
    h.update(bytes);
    let digest = h.finalize();
    let mut hex = String::with_capacity(40);
    for b in digest {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    hex
}

/// Reads blobs through one long-lived `git cat-file --batch`.
pub struct Blobs {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    /// Lent to the reading thread of a [`ReadAhead`] while it runs.
    stdout: Option<BufReader<std::process::ChildStdout>>,
    cache: HashMap<String, Option<String>>,
}

/// Blobs requested one at a time while a reader thread takes in the answers, so that the
/// requests can be made as they become known (see [`Blobs::read_ahead`]).
pub struct ReadAhead<'a> {
    blobs: &'a mut Blobs,
    /// Each id is sent to the reader before it is requested, so the reader always knows what
    /// comes next.
    ids: Option<std::sync::mpsc::Sender<String>>,
    reader: Option<std::thread::JoinHandle<(BufReader<std::process::ChildStdout>, BlobMap)>>,
    requested: HashSet<String>,
}

type BlobMap = HashMap<String, Option<String>>;

impl ReadAhead<'_> {
    /// Requests one blob (once; ids already read are skipped).
    pub fn request(&mut self, id: &str) {
        if self.blobs.cache.contains_key(id) || !self.requested.insert(id.to_string()) {
            return;
        }
        let sent = self
            .ids
            .as_ref()
            .is_some_and(|tx| tx.send(id.to_string()).is_ok());
        let written = sent
            && self
                .blobs
                .stdin
                .as_mut()
                .is_some_and(|stdin| stdin.write_all(format!("{id}\n").as_bytes()).is_ok());
        if !written {
            // The process is gone: stop asking; what was read is kept.
            self.ids = None;
            self.blobs.stdin = None;
        }
    }

    /// Waits for every requested blob and puts them in the cache.
    pub fn finish(mut self) {
        if let Some(stdin) = self.blobs.stdin.as_mut()
            && stdin.flush().is_err()
        {
            self.blobs.stdin = None;
        }
        self.ids = None;
        if let Some(Ok((stdout, read))) = self.reader.take().map(std::thread::JoinHandle::join) {
            self.blobs.stdout = Some(stdout);
            self.blobs.cache.extend(read);
        }
    }
}

impl Blobs {
    pub fn open(dir: &Path) -> Option<Blobs> {
        let mut child = git(dir)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let stdin = child.stdin.take()?;
        let stdout = BufReader::new(child.stdout.take()?);
        Some(Blobs {
            child,
            stdin: Some(stdin),
            stdout: Some(stdout),
            cache: HashMap::new(),
        })
    }

    /// Starts reading blobs requested one by one (see [`ReadAhead`]).
    pub fn read_ahead(&mut self) -> ReadAhead<'_> {
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let reader = self.stdout.take().map(|mut stdout| {
            std::thread::spawn(move || {
                let mut read = BlobMap::new();
                for id in rx {
                    let value = read_blob(&mut stdout);
                    read.insert(id, value);
                }
                (stdout, read)
            })
        });
        ReadAhead {
            ids: reader.is_some().then_some(tx),
            reader,
            blobs: self,
            requested: HashSet::new(),
        }
    }

    /// Fetches blobs (as text) into the cache; ids already cached are skipped.
    pub fn fetch(&mut self, ids: &[&str]) {
        let wanted: Vec<String> = ids
            .iter()
            .filter(|id| !self.cache.contains_key(**id))
            .map(|s| s.to_string())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if wanted.is_empty() {
            return;
        }
        let Some(mut stdin) = self.stdin.take() else {
            return;
        };
        let request: String = wanted.iter().map(|id| format!("{id}\n")).collect();
        // Write from another thread so that a full pipe on either side cannot deadlock.
        let writer = std::thread::spawn(move || {
            let ok = stdin
                .write_all(request.as_bytes())
                .and_then(|()| stdin.flush())
                .is_ok();
            (stdin, ok)
        });
        for id in &wanted {
            let value = self.read_one();
            self.cache.insert(id.clone(), value);
        }
        if let Ok((stdin, true)) = writer.join() {
            self.stdin = Some(stdin);
        }
    }

    fn read_one(&mut self) -> Option<String> {
        read_blob(self.stdout.as_mut()?)
    }

    pub fn get(&self, id: &str) -> Option<&str> {
        self.cache.get(id).and_then(|b| b.as_deref())
    }
}

/// Reads one answer of `git cat-file --batch`: the blob as text, `None` when missing or not UTF-8.
fn read_blob(stdout: &mut BufReader<std::process::ChildStdout>) -> Option<String> {
    let mut header = String::new();
    stdout.read_line(&mut header).ok()?;
    let mut fields = header.split_whitespace();
    let _id = fields.next()?;
    let kind = fields.next()?;
    if kind == "missing" {
        return None;
    }
    let size: usize = fields.next()?.parse().ok()?;
    let mut buf = vec![0; size + 1];
    stdout.read_exact(&mut buf).ok()?;
    buf.pop();
    String::from_utf8(buf).ok()
}

impl std::fmt::Debug for Blobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Blobs({} cached)", self.cache.len())
    }
}

impl Drop for Blobs {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// The full id of the commit `rev` names, if it names one.
pub fn resolve_commit(dir: &Path, rev: &str) -> Option<String> {
    run(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .ok()
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
}

/// Tags pointing at `rev`, newest first (as the site's footer shows them).
pub fn tags_at(dir: &Path, rev: &str) -> Vec<String> {
    run(dir, &["tag", "--points-at", rev, "--sort=-creatordate"])
        .unwrap_or_default()
        .lines()
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether commit `ancestor` is in the history of `rev`.
pub fn is_ancestor(dir: &Path, ancestor: &str, rev: &str) -> bool {
    run(dir, &["merge-base", "--is-ancestor", ancestor, rev]).is_ok()
}

/// The committer time of `rev`, in seconds (0 when it cannot be read).
pub fn commit_time(dir: &Path, rev: &str) -> i64 {
    run(dir, &["log", "-1", "--format=%ct", rev, "--"])
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

/// Full ids of the commits reachable from `to` but not from `from` (`from..to`).
pub fn commits_between(dir: &Path, from: &str, to: &str) -> Result<HashSet<String>, Unavailable> {
    Ok(run(dir, &["rev-list", &format!("{from}..{to}")])?
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

/// Whether files below `dir` differ from HEAD (uncommitted or untracked changes).
pub fn has_local_changes(dir: &Path) -> bool {
    run(
        dir,
        &[
            "status",
            "--porcelain",
            "--untracked-files=normal",
            "--",
            ".",
        ],
    )
    .map(|s| !s.trim().is_empty())
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, entries: &[(&str, &str, &[&str])]) -> Vec<u8> {
        let mut out = format!(
            "\x1e{id}\x1f2026-01-0{}\x1fA\x1fsubject {id}\0\n",
            id.len() % 9
        )
        .into_bytes();
        for (status, blob, paths) in entries {
            out.extend_from_slice(format!(":100644 100644 {blob}0 {blob}1 {status}\0").as_bytes());
            for p in *paths {
                out.extend_from_slice(p.as_bytes());
                out.push(0);
            }
        }
        out
    }

    /// A repository in `dir` built by `script` (shell, fixed dates and author).
    fn repo(script: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("set -e; git init -q -b main .; {script}"))
            .current_dir(dir.path())
            .env("GIT_AUTHOR_NAME", "Ana")
            .env("GIT_AUTHOR_EMAIL", "ana@example.org")
            .env("GIT_COMMITTER_NAME", "Ana")
            .env("GIT_COMMITTER_EMAIL", "ana@example.org")
            .env("GIT_AUTHOR_DATE", "2026-01-02T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-02T10:00:00Z")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .expect("sh runs");
        assert!(status.success(), "{script}");
        dir
    }

    fn log_both_ways(dir: &Path, content: &str) -> (Parsed, Parsed) {
        let content_dir = dir.join(content);
        let top = std::fs::canonicalize(dir).expect("top");
        let scope = LogScope {
            toplevel: &top,
            prefix: content,
        };
        let read = |linear| {
            log_with(&content_dir, scope, "HEAD", true, linear, &mut |_, _| {}).expect("log reads")
        };
        (read(true), read(false))
    }

    /// Without merges the log is read from the top with `--relative`; it must say exactly what
    /// the pathspec says: the same commits (none that changes only files outside the folder, nor
    /// an empty one), the same files under the same paths, renames followed.
    #[test]
    fn a_linear_history_reads_the_same_from_the_top() {
        let dir = repo(
            "mkdir -p content/sub; echo a > content/a.md; echo r > README; git add -A; git commit -qm one; \
             echo b >> content/a.md; git commit -qam two; \
             echo r2 >> README; git commit -qam outside; \
             git commit -q --allow-empty -m empty; \
             git mv content/a.md content/sub/b.md; git commit -qm moved; \
             echo c > content/c.md; git add -A; git commit -qm three; \
             git rm -q content/c.md; git commit -qm gone; \
             git mv README content/readme.md; git commit -qm 'in from outside'",
        );
        assert!(!has_merges(dir.path(), "HEAD"));
        let (top, pathspec) = log_both_ways(dir.path(), "content");
        assert_eq!(top, pathspec);
        let subjects: Vec<&str> = top.0.iter().map(|c| c.subject.as_str()).collect();
        assert_eq!(
            subjects,
            ["in from outside", "gone", "three", "moved", "two", "one"]
        );
        assert_eq!(top.1["content/sub/b.md"].len(), 3, "{:?}", top.1);
        assert!(top.1.contains_key("content/readme.md"));
        assert!(!top.1.contains_key("README"));
        // A content folder at the top of the repository: no pathspec and no prefix.
        let dir = repo(
            "echo a > a.md; git add -A; git commit -qm one; git commit -q --allow-empty -m empty; \
             echo b >> a.md; git commit -qam two",
        );
        let (top, pathspec) = log_both_ways(dir.path(), "");
        assert_eq!(top, pathspec);
        assert_eq!(top.0.len(), 2);
    }

    #[test]
    fn old_versions_read_with_the_log_or_after_it_are_the_same() {
        let dir = repo(
            "mkdir content; for f in a b c d; do printf '%s\\n' $f 1 2 3 4 5 > content/$f.md; done; \
             git add -A; \
             git commit -qm one; echo a2 >> content/a.md; echo c2 >> content/c.md; \
             git commit -qam two; git mv content/b.md content/e.md; echo b2 >> content/e.md; \
             git commit -qam three; echo a3 >> content/a.md; git commit -qam four; git gc -q",
        );
        assert!(pack_bytes(&dir.path().join(".git")) > 0);
        let content = dir.path().join("content");
        let read_ahead = |stream_up_to: u64| {
            let (tx, approved) = std::sync::mpsc::channel();
            tx.send(vec!["a.md".to_string(), "e.md".to_string()])
                .expect("send");
            let old = OldVersions {
                known: &|_, _| false,
                approved,
                stream_up_to,
            };
            let repo = read_with(&content, "HEAD", old, None, false).expect("reads");
            let mut read: Vec<(String, Option<String>)> = repo
                .blobs
                .as_ref()
                .map(|b| b.cache.clone().into_iter().collect())
                .unwrap_or_default();
            read.sort();
            (repo.commits.len(), repo.files, read)
        };
        // Read with the log (the pack is small) and after it (as a large one is).
        let (streamed, after) = (read_ahead(u64::MAX), read_ahead(0));
        assert_eq!(streamed, after);
        // The versions before the newest change of the approved documents: a.md's second and
        // e.md's first (as b.md); c.md is not approved, d.md was never changed.
        let texts: Vec<Option<&str>> = after.2.iter().map(|(_, t)| t.as_deref()).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts.contains(&Some("a\n1\n2\n3\n4\n5\na2\n")), "{texts:?}");
        assert!(texts.contains(&Some("b\n1\n2\n3\n4\n5\n")), "{texts:?}");
    }

    #[test]
    fn a_history_with_merges_keeps_the_pathspec() {
        let dir = repo(
            "echo a > a.md; git add -A; git commit -qm one; git checkout -qb side; \
             echo b > b.md; git add -A; git commit -qm side; git checkout -q main; \
             echo c > c.md; git add -A; git commit -qm main; git merge -q --no-edit side",
        );
        assert!(has_merges(dir.path(), "HEAD"));
    }

    #[test]
    fn follows_renames_back_in_time() {
        let mut raw = Vec::new();
        raw.extend(record("c3", &[("M", "b", &["new/a.md"])]));
        raw.extend(record("c2", &[("R100", "b", &["old/a.md", "new/a.md"])]));
        raw.extend(record(
            "c1",
            &[("A", "b", &["old/a.md"]), ("A", "c", &["gone.md"])],
        ));
        let (commits, files) = parse_log(&raw);
        assert_eq!(commits.len(), 3);
        let changes: Vec<usize> = files["new/a.md"].iter().map(|c| c.commit).collect();
        assert_eq!(changes, [0, 1, 2]);
        assert!(!files.contains_key("old/a.md"));
    }

    #[test]
    fn a_deleted_then_recreated_path_starts_a_new_history() {
        let mut raw = Vec::new();
        raw.extend(record("c3", &[("A", "b", &["a.md"])]));
        raw.extend(record("c2", &[("D", "b", &["a.md"])]));
        raw.extend(record("c1", &[("A", "b", &["a.md"])]));
        let (_, files) = parse_log(&raw);
        assert_eq!(files["a.md"].len(), 1);
    }

    /// One file's change, as it follows a commit's header.
    const CHANGE: &str = ":100644 100644 aaaa bbbb M\0a.md\0";

    #[test]
    fn details_and_trailers_are_read_and_capped() {
        let long = "x".repeat(1000);
        let trailers: String = (0..40)
            .map(|n| format!("Approved-by: P{n} <p{n}@example.org>\x1d"))
            .collect();
        let raw = format!(
            "\x1eabc\x1f2026-01-02\x1fAna\x1f\x1dana@example.org\x1fCo Mitter\x1fco@example.org\x1fSubject\x1fChange-type: editorial\x1dApproved-by: {long}\x1d{trailers}\n\0{CHANGE}"
        );
        let (commits, _) = parse_log(raw.as_bytes());
        let d = commits[0].details.as_deref().expect("details");
        assert_eq!(commits[0].subject, "Subject");
        assert_eq!(d.author_email, "ana@example.org");
        assert_eq!(d.committer, "Co Mitter");
        assert_eq!(d.trailers.len(), MAX_TRAILERS);
        assert_eq!(d.trailer("change-type").collect::<Vec<_>>(), ["editorial"]);
        assert!(
            d.trailers
                .iter()
                .all(|(_, v)| v.chars().count() <= MAX_FIELD)
        );
        // Without details the subject is the fourth field, as before.
        let raw = format!("\x1eabc\x1f2026-01-02\x1fAna\x1fPlain subject\0{CHANGE}");
        let (commits, _) = parse_log(raw.as_bytes());
        assert_eq!(commits[0].subject, "Plain subject");
        assert!(commits[0].details.is_none());
    }

    #[test]
    fn signature_records_are_parsed() {
        let sigs = parse_signatures(
            "aaa\x1fG\x1fana@example.org\x1fSHA256:xyz\x1f\x1e\nbbb\x1fN\x1f\x1f\x1f\x1e\n",
        );
        assert_eq!(sigs["aaa"].status, 'G');
        assert_eq!(sigs["aaa"].signer, "ana@example.org");
        assert_eq!(sigs["aaa"].fingerprint, "SHA256:xyz");
        assert_eq!(sigs["bbb"].status, 'N');
        assert_eq!(sigs.len(), 2);
    }

    #[test]
    fn blob_ids_match_git() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            blob_id(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }

    #[test]
    fn old_versions_are_asked_for_until_the_approved_documents_are_known() {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut filter = ApprovedFilter {
            prefix: "content",
            channel: Some(rx),
            approved: None,
        };
        let mut asked = Vec::new();
        filter.offer("content/a.md", "1", &mut |b| asked.push(b.to_string()));
        tx.send(vec!["b.md".to_string()]).expect("send");
        filter.offer("content/c.md", "3", &mut |b| asked.push(b.to_string()));
        filter.offer("content/b.md", "2", &mut |b| asked.push(b.to_string()));
        assert_eq!(asked, ["1", "2"]);
    }

    #[test]
    fn old_versions_are_read_for_approved_documents_in_the_order_they_were_made() {
        let change = |commit: usize, status: char, old: &str, new: &str| Change {
            commit,
            status,
            old_blob: old.to_string(),
            new_blob: new.to_string(),
        };
        let files: HashMap<String, Vec<Change>> = [
            // Its old version was made in commit 5, b's in commit 2 (numbered newest first).
            (
                "content/a.md",
                vec![change(0, 'M', "a1", "a2"), change(5, 'A', "", "a1")],
            ),
            (
                "content/b.md",
                vec![change(1, 'M', "b1", "b2"), change(2, 'M', "b0", "b1")],
            ),
            // Added in its newest change: there is no version before.
            ("content/c.md", vec![change(3, 'A', "", "c1")]),
            // Not approved.
            ("content/d.md", vec![change(0, 'M', "d1", "d2")]),
            // Compared on an earlier build.
            ("content/e.md", vec![change(0, 'M', "e1", "e2")]),
            // Its history before the change is not in the log (a shallow clone): by the change.
            ("content/f.md", vec![change(4, 'M', "f1", "f2")]),
        ]
        .into_iter()
        .map(|(p, c)| (p.to_string(), c))
        .collect();
        let known = |old: &str, _: &str| old == "e1";
        let (tx, rx) = std::sync::mpsc::channel();
        let mut filter = ApprovedFilter {
            prefix: "content",
            channel: Some(rx),
            approved: None,
        };
        let approved = ["a.md", "b.md", "c.md", "e.md", "f.md"];
        tx.send(approved.map(String::from).to_vec()).expect("send");
        filter.wait();
        assert_eq!(
            versions_before_newest(&files, &filter, &known),
            ["b1", "f1", "a1"]
        );
        // Without a list (the parse failed), every file's.
        let (tx, rx) = std::sync::mpsc::channel::<Vec<String>>();
        drop(tx);
        let mut filter = ApprovedFilter {
            prefix: "content",
            channel: Some(rx),
            approved: None,
        };
        filter.wait();
        assert_eq!(
            versions_before_newest(&files, &filter, &known),
            ["d1", "b1", "f1", "a1"]
        );
    }
}
