//! Errors from reading and writing tables.

use std::path::PathBuf;

/// Errors from reading and writing tailor's tables.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be created, read, written, synced or renamed.
    #[error("{}: {action}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done (`creating`, `renaming into place`, ...).
        action: &'static str,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Parquet encoding or decoding failed.
    #[error("{}: not a readable Parquet table", path.display())]
    Parquet {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// Arrow failed to assemble the rows.
    #[error("{}: invalid rows", path.display())]
    Arrow {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: arrow_schema::ArrowError,
    },
    /// A table is not the one expected (wrong `tailor.table` metadata).
    #[error("{}: expected a tailor {expected} table, found {found:?}", path.display())]
    WrongTable {
        /// The file.
        path: PathBuf,
        /// The table name expected.
        expected: String,
        /// The table name found (None: not written by tailor).
        found: Option<String>,
    },
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
