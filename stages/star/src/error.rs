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
    /// The embedded haplotype frequency table could not be read (a build
    /// defect).
    #[error(transparent)]
    Frequencies(#[from] tailor_definitions::Error),
    /// A file could not be read.
    #[error("{}: cannot read", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An outside-call file without the sample_id column the input needs
    /// (a bad line is not an error: see [`crate::OutsideCalls::problems`]).
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

/// What is wrong with an outside-call line. No variant names a sample:
/// messages name the file and line instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OutsideCallError {
    /// Too few columns.
    #[error("expected gene and diplotype (with a leading sample_id column for cohorts), found {found} column(s)")]
    TooFewColumns {
        /// Columns found.
        found: usize,
    },
    /// More columns than sample_id, gene, diplotype, phenotype and
    /// activity score.
    #[error("expected at most [sample_id,] gene, diplotype, phenotype and activity score, found {found} columns")]
    TooManyColumns {
        /// Columns found.
        found: usize,
    },
    /// No gene symbol.
    #[error("empty gene")]
    EmptyGene,
    /// An empty sample_id cell.
    #[error("empty sample_id")]
    EmptySample,
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
    /// A gene neither the allele definitions nor the phenotype tables know.
    #[error("unknown gene {gene:?}; use an HGNC symbol tailor knows (e.g. CYP2C19)")]
    UnknownGene {
        /// The gene as given.
        gene: String,
    },
    /// An allele the gene's definitions and phenotype table do not name.
    #[error("gene {gene}: unknown allele {allele:?}; use the PharmVar/CPIC name (e.g. *2)")]
    UnknownAllele {
        /// The gene.
        gene: String,
        /// The allele as given.
        allele: String,
    },
    /// A diplotype that is not one or two haplotypes separated by `/`.
    #[error("gene {gene}: malformed diplotype {diplotype:?}; write two haplotypes as *1/*2 (one when haploid)")]
    MalformedDiplotype {
        /// The gene.
        gene: String,
        /// The diplotype as given.
        diplotype: String,
    },
    /// A file without sample_id column where the input needs one: several
    /// samples, or no genotype input at all (`samples` is 0).
    #[error(
        "no sample_id column, but {}; add a header line sample_id<TAB>gene<TAB>diplotype and a leading sample_id column",
        match samples { 0 => "no genotype input names the samples".to_owned(), n => format!("the input has {n} samples") }
    )]
    SampleRequired {
        /// Number of samples in the genotype input (0: none given).
        samples: usize,
    },
    /// The same sample and gene twice: neither line is used.
    #[error("gene {gene} given again for the sample of line {first_line}; neither line is used")]
    Duplicate {
        /// The gene.
        gene: String,
        /// The line that gave it first.
        first_line: usize,
    },
}

impl Error {
    /// Whether the user's input is at fault (exit code 3), as opposed to
    /// the system (I/O).
    pub fn is_invalid_input(&self) -> bool {
        match self {
            Error::Table(e) => !matches!(e, tailor_tables::Error::Io { .. }),
            Error::Column { .. } | Error::OutsideCall { .. } | Error::NoInput => true,
            Error::Io { .. } | Error::Frequencies(_) => false,
        }
    }
}

/// Result with the star stage's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
