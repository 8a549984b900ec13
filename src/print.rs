//! Writes the print of the manual into the staging folder: `print.html` whole, as long as it
//! stays within `[print] part-size`; past that, an index page, one page per part of the plan
//! (`print-1.html`, …) and `print-appendices.html` (with `print-appendices-2.html`, … when the
//! appendices are long). Sections are held in memory only until the
//! page is known to outgrow the limit (at most the limit's worth of them), then they go
//! straight into their parts' pages.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::output::{Ordered, Staging};
use crate::render::print::{
    PartFrames, PartPlan, PrintSink, appendix_page, part_page, point_at_parts,
};

/// The print page's writer (a [`PrintSink`]).
pub struct PrintWriter<'s> {
    staging: &'s Staging,
    limit: usize,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    plan: Arc<PartPlan>,
    /// The whole page's head and tail.
    frame: Option<(Vec<u8>, Vec<u8>)>,
    /// Sections held while the page may still be written whole, by position.
    held: BTreeMap<usize, Vec<u8>>,
    /// The whole page's size so far.
    bytes: usize,
    /// Set once the page outgrew the limit: each part's page.
    parts: Option<Vec<Ordered>>,
    /// The pages of the manual in parts, once they came.
    frames: Option<PartFrames>,
}

impl<'s> PrintWriter<'s> {
    /// A writer into `staging` that keeps print.html whole up to `limit` bytes.
    pub fn new(staging: &'s Staging, limit: usize) -> PrintWriter<'s> {
        PrintWriter {
            staging,
            limit,
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, State>> {
        self.state.lock().map_err(|_| {
            Error::io(
                "cannot write",
                self.staging.path().join("print.html"),
                std::io::Error::other("an earlier write failed"),
            )
        })
    }

    /// Past the limit: the parts' pages are started with the sections held so far.
    fn grow(&self, state: &mut State) -> Result<()> {
        if state.parts.is_some() || state.bytes <= self.limit {
            return Ok(());
        }
        let parts = (0..state.plan.parts.len())
            .map(|k| self.staging.ordered(&part_page(k)))
            .collect::<Result<Vec<_>>>()?;
        if let Some(frames) = &state.frames {
            for (ordered, (head, tail)) in parts.iter().zip(&frames.parts) {
                ordered.frame(head, tail)?;
            }
        }
        state.parts = Some(parts);
        for (p, bytes) in std::mem::take(&mut state.held) {
            route(state, p, &bytes)?;
        }
        Ok(())
    }

    /// Writes what is left: print.html whole, or the parts' pages, the index and the
    /// appendices. `count` is the number of sections.
    pub fn finish(self, count: usize) -> Result<()> {
        let staging = self.staging;
        let state = self.state.into_inner().map_err(|_| {
            Error::io(
                "cannot write",
                staging.path().join("print.html"),
                std::io::Error::other("an earlier write failed"),
            )
        })?;
        let incomplete = |rel: &str| {
            Error::io(
                "cannot write",
                staging.path().join(rel),
                std::io::Error::other("parts of the page are missing"),
            )
        };
        if let Some(parts) = state.parts {
            let frames = state.frames.ok_or_else(|| incomplete("print.html"))?;
            for (ordered, part) in parts.into_iter().zip(&state.plan.parts) {
                ordered.finish(part.len)?;
            }
            staging.write("print.html", &frames.index)?;
            for (k, page) in frames.appendices.iter().enumerate() {
                staging.write(&appendix_page(k), page)?;
            }
            return Ok(());
        }
        let (head, tail) = state.frame.ok_or_else(|| incomplete("print.html"))?;
        let whole = staging.ordered("print.html")?;
        whole.frame(&head, &tail)?;
        for (p, bytes) in state.held {
            whole.part(p, bytes)?;
        }
        whole.finish(count)
    }
}

/// Writes section `p` into its part's page, its links to other parts pointed at their pages.
fn route(state: &State, p: usize, bytes: &[u8]) -> Result<()> {
    let (Some(parts), Some((k, n))) = (&state.parts, state.plan.place(p)) else {
        return Err(Error::Usage(format!(
            "print.html: section {p} is in no part of the plan"
        )));
    };
    parts[k].part(n, point_at_parts(bytes, k, &state.plan))
}

impl PrintSink for PrintWriter<'_> {
    fn plan(&self, plan: Arc<PartPlan>) -> Result<()> {
        self.lock()?.plan = plan;
        Ok(())
    }

    fn frame(&self, head: &[u8], tail: &[u8]) -> Result<()> {
        let mut state = self.lock()?;
        state.bytes += head.len() + tail.len();
        state.frame = Some((head.to_vec(), tail.to_vec()));
        self.grow(&mut state)
    }

    fn section(&self, position: usize, bytes: Vec<u8>) -> Result<()> {
        let mut state = self.lock()?;
        state.bytes += bytes.len();
        if state.parts.is_some() {
            return route(&state, position, &bytes);
        }
        state.held.insert(position, bytes);
        self.grow(&mut state)
    }

    fn needs_frame(&self) -> bool {
        self.lock()
            .is_ok_and(|s| s.parts.is_none() && s.frame.is_none())
    }

    fn needs_parts(&self) -> bool {
        self.lock()
            .is_ok_and(|s| s.parts.is_some() && s.frames.is_none())
    }

    fn parts(&self, frames: PartFrames) -> Result<()> {
        let mut state = self.lock()?;
        if let Some(parts) = &state.parts {
            for (ordered, (head, tail)) in parts.iter().zip(&frames.parts) {
                ordered.frame(head, tail)?;
            }
        }
        state.frames = Some(frames);
        Ok(())
    }
}
