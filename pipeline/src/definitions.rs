//! Loading allele definitions: embedded, or `--definitions DIR`.

use std::path::Path;

use anyhow::Context;
use tailor_definitions::Definitions;

use crate::exit::Failure;

/// The definitions in `dir`, or the embedded ones. An unusable directory is
/// a usage error (exit 2).
pub fn load(dir: Option<&Path>) -> Result<Definitions, Failure> {
    match dir {
        None => Definitions::embedded()
            .context("loading the embedded allele definitions")
            .map_err(Failure::other),
        Some(dir) => Definitions::from_dir(dir)
            .with_context(|| format!("--definitions {}", dir.display()))
            .map_err(Failure::usage),
    }
}
