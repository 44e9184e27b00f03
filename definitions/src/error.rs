//! Errors from loading definition files.

use std::path::PathBuf;

/// Errors from loading allele definitions.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A definitions directory or file could not be read.
    #[error("{}: cannot read allele definitions", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A line of a definition file is malformed.
    #[error("{}: line {line}: {kind}", file.display())]
    Parse {
        /// The file (a bare name for embedded definitions).
        file: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong (in the message, not as a source, so that a
        /// printed error chain says it once).
        kind: ParseErrorKind,
    },
    /// A directory holds no `<GENE>.tsv` definition file.
    #[error("{}: no gene definition files (<GENE>.tsv) found; convert PharmCAT tables with definitions/tools/convert_pharmcat.py", dir.display())]
    NoGenes {
        /// The directory.
        dir: PathBuf,
    },
    /// A line of a haplotype frequency table is malformed.
    #[error("{table}: line {line}: {problem}; expected gene, allele, count, frequency, function separated by tabs")]
    Frequencies {
        /// The table (`embedded haplotype_frequencies.tsv` or a path).
        table: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        problem: String,
    },
    /// Two files define the same gene.
    #[error("{}: gene {gene} is defined twice", file.display())]
    DuplicateGene {
        /// The second file.
        file: PathBuf,
        /// The gene symbol.
        gene: String,
    },
}

/// What is wrong with a line of a definition file.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The first line is not the format marker this version reads.
    #[error("not a tailor definition file (expected first line {expected:?})")]
    BadMarker {
        /// The expected first line.
        expected: &'static str,
    },
    /// A required `##key=value` header line is absent.
    #[error("header line ##{key}= is missing")]
    MissingHeader {
        /// The key.
        key: &'static str,
    },
    /// A record has the wrong number of columns.
    #[error("{record} record has {found} columns, expected {expected}")]
    ColumnCount {
        /// The record type.
        record: String,
        /// Columns found.
        found: usize,
        /// Columns expected.
        expected: usize,
    },
    /// An unknown record type in the first column.
    #[error("unknown record type {0:?}")]
    UnknownRecord(String),
    /// A position that is not a positive integer.
    #[error("invalid position {0:?}")]
    BadPosition(String),
    /// A sparse allele cell (`index:allele`) that does not parse or points
    /// past the gene's variants.
    #[error("invalid allele cell {0:?}")]
    BadAlleleCell(String),
    /// An allele flag this version does not know.
    #[error("unknown allele flag {0:?}")]
    UnknownFlag(String),
    /// A `cpic_to_vcf` pair without `=`.
    #[error("invalid cpic_to_vcf pair {0:?}")]
    BadMapping(String),
    /// A line of an embedded locus file does not have the expected shape.
    #[error("malformed line: {what}")]
    Malformed {
        /// What is wrong.
        what: &'static str,
    },
    /// A record refers to a gene with no definition file.
    #[error("exemption for gene {0} which has no definitions")]
    UnknownGene(String),
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
