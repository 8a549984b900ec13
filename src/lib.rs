//! aims-site: turns a Git repository of ISO/IEC 42001 AIMS documents into a cross-linked static site.
//!
//! The pipeline, one module per stage: [`load`] (walk, read, split front-matter) → [`model`]
//! (typed, validated documents; no I/O) → [`link`] (ids, cross-references, backlinks, clause
//! index) → [`render`] (Markdown, highlighting, templates) → [`output`] (atomic, marked output
//! directory). [`site`] drives the stages; [`cmd`] holds one thin function per subcommand.

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
pub mod model;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
pub mod theme;
pub mod watch;

pub use diagnostic::{Diagnostic, Severity};
pub use error::{Error, Result};
