//! aims-site: turns a Git repository of ISO/IEC 42001 AIMS documents into a cross-linked static site.
//!
//! The pipeline, one module per stage: [`load`] (walk, read, split front-matter) → [`model`]
//! (typed, validated documents; no I/O) → [`markdown`] (one scan of each body, used by link
//! and render) → [`link`] (ids, cross-references, backlinks, clause index, and every derived
//! fact: review states, SoA, coverage, readiness) → [`render`] (Markdown, highlighting,
//! templates; projects facts, derives none) → [`output`] (atomic, marked output directory).
//! [`site`] drives the stages; [`cmd`] holds one thin function per subcommand.

pub mod cache;
pub mod catalog;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod export;
pub mod fs;
pub mod git;
pub mod import;
pub mod link;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod print;
pub mod render;
pub mod serve;
pub mod site;
pub mod theme;
pub mod vocab;
pub mod watch;

pub use diagnostic::{Diagnostic, Severity};
pub use error::{Error, Result};
