//! The join stage's errors: each names the file, the line (or row) and
//! column where known, and what to do.

use std::path::PathBuf;

use crate::report::WarningKind;
use crate::value::ValueError;

/// Errors of the join stage.
///
/// Every variant is caused by the inputs or the configuration except
/// [`Error::Io`] on the output directory and [`Error::Tables`] when writing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened, read or written.
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
    /// Reading the calls table or writing the cohort table failed.
    #[error(transparent)]
    Tables(#[from] tailor_tables::Error),
    /// A clinical or mapping table has no bytes (or only a byte-order mark).
    #[error("{}: the file is empty; export the table with a header line and rows", path.display())]
    EmptyFile {
        /// The file.
        path: PathBuf,
    },
    /// A clinical or mapping table has a header but no rows.
    #[error("{}: only a header line, no rows; check the export", path.display())]
    HeaderOnly {
        /// The file.
        path: PathBuf,
    },
    /// A text table is not valid UTF-8.
    #[error(
        "{}:{line}: not valid UTF-8 (byte offset {byte}); re-save as UTF-8, e.g. \
         iconv -f latin1 -t utf-8",
        path.display()
    )]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line of the record.
        line: u64,
        /// Byte offset of the record in the (decompressed) file.
        byte: u64,
    },
    /// The CSV/TSV parser failed (e.g. an unterminated quote).
    #[error("{}:{line}: malformed delimited text; check quoting near this line", path.display())]
    Delimited {
        /// The file.
        path: PathBuf,
        /// 1-based line where the parser stopped.
        line: u64,
        /// The parser's error.
        #[source]
        source: csv::Error,
    },
    /// A Parquet clinical or mapping table could not be read.
    #[error("{}: not a readable Parquet table", path.display())]
    Parquet {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// A Parquet table's column has a type the join cannot read.
    #[error(
        "{}: column {column:?} has type {data_type}; store it as text, integer, float or boolean",
        path.display()
    )]
    UnsupportedType {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
        /// Its Arrow type, as text.
        data_type: String,
    },
    /// A row has more non-empty fields than the header names.
    #[error(
        "{}:{line}: {found} fields but the header has {expected}; \
         quote fields that contain the delimiter",
        path.display()
    )]
    RaggedRow {
        /// The file.
        path: PathBuf,
        /// 1-based line of the record.
        line: u64,
        /// Fields in the row.
        found: usize,
        /// Fields in the header.
        expected: usize,
    },
    /// A column name appears twice in a header.
    #[error("{}: column {column:?} appears twice in the header; rename one", path.display())]
    DuplicateColumn {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
    },
    /// A file lacks a column every file must have (the id column).
    #[error(
        "{}: no column {column:?} ({role}); columns are: {available}; \
         fix the name in [join]",
        path.display()
    )]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The configured column.
        column: String,
        /// Its role (`sample id`, `therapy`, ...).
        role: &'static str,
        /// The file's columns, comma-separated.
        available: String,
    },
    /// A configured column is in none of the clinical tables.
    #[error(
        "no clinical table has column {column:?} ({role}); first table {} has: {available}; \
         fix the name in [join]",
        first.display()
    )]
    ColumnNowhere {
        /// The configured column.
        column: String,
        /// Its role.
        role: &'static str,
        /// The first clinical table.
        first: PathBuf,
        /// Its columns, comma-separated.
        available: String,
    },
    /// A cell could not be read as its role requires.
    #[error(
        "{}:{line}: column {column:?}: value \"{}\": {reason}",
        path.display(),
        tailor_schemas::excerpt(value, tailor_schemas::EXCERPT_CHARS)
    )]
    BadValue {
        /// The file.
        path: PathBuf,
        /// 1-based line (text) or row (Parquet, after the header) of the record.
        line: u64,
        /// The column.
        column: String,
        /// The cell, trimmed (never from an id column; messages quote at
        /// most [`tailor_schemas::EXCERPT_CHARS`] characters of it).
        value: String,
        /// Why it was rejected, and the fix (in the message itself, not
        /// as a source, so that a printed error chain says it once).
        reason: ValueError,
    },
    /// The calls table lacks a column or has it with another type.
    #[error(
        "{}: calls table column {column:?} is missing or not {expected}; \
         regenerate it with tailor call",
        path.display()
    )]
    CallsColumn {
        /// The calls table.
        path: PathBuf,
        /// The column.
        column: &'static str,
        /// The expected Arrow type.
        expected: &'static str,
    },
    /// The calls table has two rows for one sample and gene.
    #[error(
        "{}: row {row}: a second row for the same sample and gene {gene}; \
         the calls table must have one row per sample x gene",
        path.display()
    )]
    DuplicateCall {
        /// The calls table.
        path: PathBuf,
        /// 1-based row number.
        row: u64,
        /// The gene.
        gene: String,
    },
    /// The sample map gives one VCF sample two different patient ids.
    #[error(
        "{}:{line}: this VCF sample is already mapped to another patient id; \
         each sample may map to one patient",
        path.display()
    )]
    SampleMapConflict {
        /// The mapping table.
        path: PathBuf,
        /// 1-based line of the second mapping.
        line: u64,
    },
    /// The configuration is inconsistent.
    #[error("[join] configuration: {problem}")]
    Config {
        /// What is wrong.
        #[source]
        problem: ConfigProblem,
    },
    /// `--strict`: a validation warning, turned into an error.
    #[error(
        "--strict: {kind}: {count}{}; see {} for every count",
        at.as_ref().map(|at| format!(" (first at {at})")).unwrap_or_default(),
        report.display()
    )]
    Strict {
        /// The first warning's kind.
        kind: WarningKind,
        /// How many rows or samples it concerns (small-cell rule applied).
        count: String,
        /// Where it first occurred (`file:line`, or the file), when known.
        at: Option<String>,
        /// The join report written before failing.
        report: PathBuf,
    },
}

impl Error {
    /// Whether the configuration is at fault (exit 2 in the pipeline).
    pub fn is_config(&self) -> bool {
        matches!(self, Self::Config { .. })
    }

    /// Whether the input files are at fault (exit 3 in the pipeline):
    /// everything but configuration problems, output-side I/O and writing.
    pub fn is_invalid_input(&self) -> bool {
        match self {
            Self::Config { .. } => false,
            Self::Io { action, .. } => {
                !action.starts_with("creating")
                    && !action.starts_with("writing")
                    && !action.starts_with("syncing")
                    && !action.starts_with("renaming")
                    && !action.starts_with("setting")
            }
            Self::Tables(e) => matches!(
                e,
                tailor_tables::Error::Parquet { .. } | tailor_tables::Error::WrongTable { .. }
            ),
            _ => true,
        }
    }
}

/// An inconsistent `[join]` configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigProblem {
    /// Two output columns would have the same name.
    #[error("two output columns would both be named {name:?}; rename an outcome or covariate")]
    DuplicateOutputColumn {
        /// The name.
        name: String,
    },
    /// The decimal separator is neither `.` nor `,`.
    #[error("decimal = {decimal:?}; use \".\" or \",\"")]
    BadDecimal {
        /// The configured separator.
        decimal: char,
    },
    /// The delimiter equals the decimal comma or is a quote.
    #[error("delimiter = {delimiter:?} cannot be used; use a tab, \";\" or \",\"")]
    BadDelimiter {
        /// The configured delimiter.
        delimiter: char,
    },
    /// `--pseudonymise` with a key shorter than 32 bytes.
    #[error(
        "the pseudonymisation key has {length} bytes, fewer than 32; \
         make one with: openssl rand -hex 32 > join.key"
    )]
    WeakKey {
        /// Its length in bytes.
        length: usize,
    },
    /// `--pseudonymise` with a key whose bytes are easy to guess.
    #[error(
        "the pseudonymisation key is easy to guess: {reason}; \
         make one with: openssl rand -hex 32 > join.key"
    )]
    GuessableKey {
        /// Why (all one byte, a short repeated pattern, few distinct bytes).
        reason: &'static str,
    },
    /// An outcome or covariate name is empty.
    #[error("an outcome or covariate has an empty name")]
    EmptyName,
    /// Bands to read as numbers on a covariate declared categorical.
    #[error(
        "covariate {name:?} is kind = \"categorical\" but has bands or band_values, \
         which read bands as numbers; drop one or the other"
    )]
    BandsOnCategorical {
        /// The covariate.
        name: String,
    },
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
