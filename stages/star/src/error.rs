//! Errors of the star stage.

use std::path::PathBuf;

/// Errors from calling star alleles.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A genotypes table could not be read or written.
    #[error(transparent)]
    Table(#[from] tailor_tables::Error),
    /// A genotypes table lacks a column or has it with another type.
    #[error("{}: column {column:?} missing or not {expected}; is this a tailor genotypes table?", path.display())]
    Column {
        /// The table.
        path: PathBuf,
        /// The column.
        column: &'static str,
        /// The Arrow type expected.
        expected: &'static str,
    },
    /// A file could not be read.
    #[error("{}: cannot read", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A malformed line in an outside-call file.
    #[error("{}:{line}: {kind}", path.display())]
    OutsideCall {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        kind: OutsideCallError,
    },
    /// No genotypes table was given.
    #[error("no input: give at least one genotypes table")]
    NoInput,
}

/// What is wrong with an outside-call line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OutsideCallError {
    /// Too few columns.
    #[error("expected gene and diplotype (with a leading sample_id column for cohorts), found {found} column(s)")]
    TooFewColumns {
        /// Columns found.
        found: usize,
    },
    /// No gene symbol.
    #[error("empty gene")]
    EmptyGene,
    /// Neither a diplotype nor a phenotype.
    #[error("gene {gene}: neither a diplotype nor a phenotype")]
    EmptyCall {
        /// The gene.
        gene: String,
    },
    /// The activity score is not a number.
    #[error("gene {gene}: activity score {value:?} is not a number")]
    BadActivityScore {
        /// The gene.
        gene: String,
        /// The value.
        value: String,
    },
    /// A file without sample_id column, but the cohort has several samples.
    #[error(
        "no sample_id column, but the input has {samples} samples; add a leading sample_id column"
    )]
    SampleRequired {
        /// Number of samples in the input.
        samples: usize,
    },
    /// The same sample and gene twice.
    #[error("gene {gene} given twice for sample {sample}")]
    Duplicate {
        /// The sample.
        sample: String,
        /// The gene.
        gene: String,
    },
}

impl Error {
    /// Whether the user's input is at fault (exit code 3), as opposed to
    /// the system (I/O).
    pub fn is_invalid_input(&self) -> bool {
        match self {
            Error::Table(e) => !matches!(e, tailor_tables::Error::Io { .. }),
            Error::Column { .. } | Error::OutsideCall { .. } | Error::NoInput => true,
            Error::Io { .. } => false,
        }
    }
}

/// Result with the star stage's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
