//! Command-line definitions (clap) and nothing else.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "aims-site",
    version,
    about = "Turns a Git repository of ISO/IEC 42001 AIMS documents into a cross-linked static site"
)]
pub struct Cli {
    /// Project folder holding book.toml (default: the nearest one upwards from here)
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Print only errors
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more, including how long each stage took
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// When to use colours
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site
    Build(BuildArgs),
    /// Live preview: rebuild on change, pages reload by themselves, errors shown in the page
    Serve(ServeArgs),
    /// Check every document (drafts and all classifications included) without building
    Check(CheckArgs),
    /// List overdue and due-soon reviews; exit 1 when any review is overdue
    Reviews(ReviewsArgs),
    /// Start a new AIMS repository: book.toml, a starter for every required document, an SoA
    Init(InitArgs),
    /// Start a new draft document from the template of its type, with the next free id
    New(NewArgs),
    /// Write the Stage 1 pack for auditors: site, printable manual (and PDF), CSVs, provenance, manifest
    Export(ExportArgs),
    /// Bring existing Markdown documents in: work out their metadata, show it; write with --write
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files and folders to import (default: the content folder)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write the front-matter (without it, only show what would be written)
    #[arg(long)]
    pub write: bool,
    /// Write even over uncommitted changes in Git
    #[arg(long, requires = "write")]
    pub force: bool,
    /// Take a missing owner (last author) and approval date (the commit that set the status to
    /// approved) from Git
    #[arg(long)]
    pub from_git: bool,
    /// Keep the document-control block in the body after lifting it into front-matter
    #[arg(long)]
    pub keep_block: bool,
    /// pandoc, for Word files (default: the first `pandoc` on PATH)
    #[arg(long, value_name = "PATH")]
    pub pandoc: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The zip to write, or a folder to write it into (default: the current folder; the name
    /// comes from the organisation, tag or commit, and date)
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Export this tag (or commit) from Git objects; the working tree is not touched
    #[arg(long, value_name = "TAG")]
    pub rev: Option<String>,
    /// Also list the documents changed since this tag, with their revision entries
    #[arg(long, value_name = "TAG")]
    pub since: Option<String>,
    /// Build profile from book.toml's [profiles.NAME] (default: auditor, when defined)
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The date of the pack and of review states, YYYY-MM-DD (default: SOURCE_DATE_EPOCH or today)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<jiff::civil::Date>,
    /// The Chromium that renders manual.pdf (default: chromium or google-chrome on PATH)
    #[arg(long, value_name = "PATH", conflicts_with = "no_pdf")]
    pub chrome: Option<PathBuf>,
    /// Leave manual.pdf out
    #[arg(long)]
    pub no_pdf: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// policy, procedure, plan, record, register, soa, form, guideline or external
    #[arg(value_name = "TYPE")]
    pub doc_type: String,
    /// The document's title
    pub title: String,
    /// Use this id instead of the next free one
    #[arg(long)]
    pub id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics for people (coloured on a terminal)
    Human,
    /// One JSON document (schema in the README)
    Json,
    /// GitHub Actions annotations
    Github,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Also check external (http/https) links
    #[arg(long)]
    pub external: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Exit 1 on warnings too
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct ReviewsArgs {
    /// The date reviews are measured against, YYYY-MM-DD (default: SOURCE_DATE_EPOCH or today)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<jiff::civil::Date>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder (default: [build] output-dir, `public`)
    #[arg(long, short, value_name = "DIR")]
    pub dest: Option<PathBuf>,
    /// Build profile from book.toml's [profiles.NAME]: which classifications to include
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The date reviews are measured against, YYYY-MM-DD (default: SOURCE_DATE_EPOCH or today)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<jiff::civil::Date>,
    /// Include drafts and documents in review, marked as drafts
    #[arg(long)]
    pub drafts: bool,
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    s.parse::<jiff::civil::Date>()
        .map_err(|e| format!("expected a date as YYYY-MM-DD: {e}"))
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port (default: [serve] port, 3000; 0 picks a free one)
    #[arg(long, short)]
    pub port: Option<u16>,
    /// Address to listen on (default: [serve] bind, 127.0.0.1)
    #[arg(long)]
    pub bind: Option<String>,
    /// Open the preview in a browser
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create it (default: the current folder)
    #[arg(default_value = ".")]
    pub dir: std::path::PathBuf,
}
