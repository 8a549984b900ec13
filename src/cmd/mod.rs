//! One thin function per subcommand: parse nothing, print nothing, call the pipeline.

pub mod build;
pub mod check;
pub mod export;
pub mod import;
pub mod init;
pub mod new;
pub mod reviews;
pub mod serve;
