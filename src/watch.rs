//! What a file change means for `serve`, and how a burst of changes becomes one rebuild. Pure
//! logic, unit-tested; the watcher itself lives in `serve`.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// What a changed path asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A document or asset below the content folder.
    Content,
    /// A template or theme file.
    Templates,
    /// book.toml: everything is reread.
    Config,
    /// Not ours to react to: editor temp files, `.git`, the output folder, anything else.
    Ignored,
}

/// Classifies one changed path of the project at `root`.
pub fn classify(path: &Path, root: &Path, content: &Path, output: &Path) -> Change {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if path
        .components()
        .any(|c| matches!(c, Component::Normal(n) if n == ".git"))
    {
        return Change::Ignored;
    }
    if path.starts_with(output) {
        return Change::Ignored;
    }
    if path == root.join(crate::config::FILE_NAME) {
        return Change::Config;
    }
    if crate::load::is_ignored(&name) || name.ends_with(".swo") || name == "4913" {
        return Change::Ignored;
    }
    if path.starts_with(content) {
        return Change::Content;
    }
    if path.starts_with(root.join("templates")) || path.starts_with(root.join("themes")) {
        return Change::Templates;
    }
    Change::Ignored
}

/// How long the project must be quiet before a burst of changes is rebuilt. An editor's save
/// (a temporary file, a rename, the write) fires its events within a few milliseconds; waiting
/// longer only delays the page.
pub const QUIET: Duration = Duration::from_millis(30);

/// Waits for a change, then gathers every change that follows until the project has been quiet
/// for `quiet` (or `longest` has passed since the first), so that a burst of saves makes one
/// rebuild. Returns `None` when the sender is gone.
pub fn next_batch(
    rx: &Receiver<PathBuf>,
    quiet: Duration,
    longest: Duration,
) -> Option<Vec<PathBuf>> {
    let first = rx.recv().ok()?;
    let start = Instant::now();
    let mut batch = vec![first];
    loop {
        let left = longest.saturating_sub(start.elapsed());
        if left.is_zero() {
            break;
        }
        match rx.recv_timeout(quiet.min(left)) {
            Ok(p) => batch.push(p),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    batch.sort();
    batch.dedup();
    Some(batch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    #[test]
    fn classifies_paths() {
        let root = Path::new("/p");
        let content = Path::new("/p/content");
        let out = Path::new("/tmp/site");
        let c = |p: &str| classify(Path::new(p), root, content, out);
        assert_eq!(c("/p/content/a.md"), Change::Content);
        assert_eq!(c("/p/content/img/x.png"), Change::Content);
        assert_eq!(c("/p/book.toml"), Change::Config);
        assert_eq!(c("/p/templates/base.html"), Change::Templates);
        assert_eq!(c("/p/themes/dark/static/style.css"), Change::Templates);
        assert_eq!(c("/p/content/.a.md.swp"), Change::Ignored);
        assert_eq!(c("/p/content/a.md~"), Change::Ignored);
        assert_eq!(c("/p/content/#a.md#"), Change::Ignored);
        assert_eq!(c("/p/content/4913"), Change::Ignored);
        assert_eq!(c("/p/.git/index"), Change::Ignored);
        assert_eq!(c("/tmp/site/index.html"), Change::Ignored);
        assert_eq!(c("/p/README.md"), Change::Ignored);
    }

    #[test]
    fn a_burst_becomes_one_batch() {
        // A quiet time far longer than any pause a loaded machine can put between two sends; the
        // batch ends when the sender is done (the channel closes), not on a timer.
        let (tx, rx) = channel();
        let sender = std::thread::spawn(move || {
            for i in 0..100 {
                let _ = tx.send(PathBuf::from(format!("/p/content/{}.md", i % 3)));
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        let batch =
            next_batch(&rx, Duration::from_secs(30), Duration::from_secs(120)).expect("batch");
        let _ = sender.join();
        assert_eq!(batch.len(), 3, "{batch:?}");
        assert!(rx.try_recv().is_err(), "nothing left after the burst");
    }

    #[test]
    fn a_batch_ends_after_the_longest_wait() {
        // Changes keep coming, each well within the quiet time: only `longest` can end the batch,
        // and then changes are still arriving after it ended.
        let (tx, rx) = channel();
        // About a minute of changes, 20 ms apart (a broken `longest` fails, rather than hangs).
        let sender = std::thread::spawn(move || {
            for _ in 0..3000 {
                if tx.send(PathBuf::from("/p/content/a.md")).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let batch =
            next_batch(&rx, Duration::from_secs(30), Duration::from_millis(300)).expect("batch");
        assert_eq!(batch.len(), 1, "one path, however often it changed");
        assert!(
            rx.recv_timeout(Duration::from_secs(30)).is_ok(),
            "the batch ended while changes were still coming"
        );
        drop(rx);
        let _ = sender.join();
    }
}
