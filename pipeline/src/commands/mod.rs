//! One module per subcommand: arguments, conversion to stage options, run.

pub mod call;
pub mod demo;
pub mod estimate;
pub mod ingest;
pub mod join;
pub mod run;
pub mod simulate;

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::exit::Failure;

/// Creates the output directory (and parents) and returns the path of
/// `file` inside it.
pub fn output_file(dir: &Path, file: &str) -> Result<PathBuf, Failure> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating output directory {}", dir.display()))
        .map_err(Failure::other)?;
    Ok(dir.join(file))
}
