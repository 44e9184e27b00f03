//! The simulate stage's errors: each names the file or the embedded table
//! and what to do.

use std::path::PathBuf;

/// Errors of the simulate stage.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An output file could not be created, written or renamed.
    #[error("{}: {action}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Writing a file atomically failed (names the file and the step).
    #[error(transparent)]
    Table(#[from] tailor_tables::Error),
    /// htslib could not write the VCF or build its index.
    #[error("{}: {action}", path.display())]
    Htslib {
        /// The file.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The underlying error, when rust-htslib gave one.
        #[source]
        source: Option<rust_htslib::errors::Error>,
    },
    /// No gene of the frequency table has definitions, so nothing can be simulated.
    #[error("no gene of the haplotype frequency table has allele definitions; check the definitions directory")]
    NoGenes,
    /// A definition contig is not one of the GRCh38 chromosomes tailor knows.
    #[error("gene {gene}: contig {chrom:?} has no known GRCh38 length")]
    UnknownContig {
        /// The gene.
        gene: String,
        /// The contig.
        chrom: String,
    },
    /// A `--bam` option is out of range (the message names it and the range).
    #[error("{0}")]
    ReadOption(&'static str),
    /// The embedded CYP2D locus tables or a haplotype frequency table
    /// could not be read.
    #[error(transparent)]
    Definitions(#[from] tailor_definitions::Error),
    /// The requested cohort is empty.
    #[error("--samples must be at least 1")]
    NoSamples,
}

impl Error {
    /// Maps a rust-htslib error to [`Error::Htslib`] naming `path` and `action`.
    pub(crate) fn htslib(
        path: &std::path::Path,
        action: &'static str,
    ) -> impl FnOnce(rust_htslib::errors::Error) -> Self {
        let path = path.to_owned();
        move |source| Self::Htslib {
            path,
            action,
            source: Some(source),
        }
    }
}

/// A result with the simulate stage's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
