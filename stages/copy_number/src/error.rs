//! Errors of the copy-number stage.

use std::path::PathBuf;

/// Errors from estimating copy number; each names the file and the fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The alignment file cannot be opened or fails a check (index, CRAM
    /// reference, GRCh38).
    #[error(transparent)]
    Alignment(#[from] tailor_genome::Error),
    /// The header names no chromosome 22 (`chr22` or `22`).
    #[error("{}: no chr22 (or 22) in the header; CYP2D6 copy number needs reads aligned to GRCh38 chr22", path.display())]
    NoChromosome22 {
        /// The alignment file.
        path: PathBuf,
    },
    /// Reading a region or a record failed.
    #[error("{}: {region} cannot be read: the file may be truncated or corrupt; check it with `samtools quickcheck -v`", path.display())]
    Read {
        /// The alignment file.
        path: PathBuf,
        /// The region being read (`chr22:42120000-42150000`).
        region: String,
        /// What htslib said.
        #[source]
        source: rust_htslib::errors::Error,
    },
    /// The embedded CYP2D locus data could not be parsed (a bug).
    #[error(transparent)]
    Definitions(#[from] tailor_definitions::Error),
    /// The table could not be written.
    #[error(transparent)]
    Table(#[from] tailor_tables::Error),
    /// The table's columns do not fit the schema (a bug).
    #[error("copy-number table: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
}

/// Result of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
