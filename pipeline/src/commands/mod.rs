//! One module per subcommand: arguments, conversion to stage options, run.

pub mod call;
pub mod clinical_header;
pub mod config_file;
pub mod cyp2d6_reads;
pub mod demo;
pub mod estimate;
pub mod ingest;
pub mod join;
pub mod join_key;
pub mod manifest;
pub mod merge;
pub mod preflight;
pub mod privacy;
pub mod reads;
pub mod report;
pub mod run;
pub mod run_stages;
pub mod selection;
pub mod simulate;

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::exit::Failure;
use crate::messages;

/// Creates the output directory (and parents), removes the temporary
/// files killed runs left in it, and returns the path of `file` inside it.
pub fn output_file(dir: &Path, file: &str) -> Result<PathBuf, Failure> {
    prepare_output_dir(dir)?;
    Ok(dir.join(file))
}

/// Creates `dir` (and parents) and removes the `.<name>.tmp-<pid>` files
/// of dead processes from it (one line on stderr when there were any).
pub fn prepare_output_dir(dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating output directory {}", dir.display()))
        .map_err(Failure::other)?;
    let removed = tailor_tables::remove_leftovers(dir).map_err(Failure::other)?;
    if !removed.is_empty() {
        let names: Vec<String> = removed
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        messages::info(&format!(
            "removed {} temporary file(s) a killed run left in {}: {}",
            removed.len(),
            dir.display(),
            names.join(", ")
        ));
    }
    Ok(())
}
