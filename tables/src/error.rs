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
    #[error("{}: expected a tailor {expected} table, found {}", path.display(), found_table(found.as_deref()))]
    WrongTable {
        /// The file.
        path: PathBuf,
        /// The table name expected.
        expected: String,
        /// The table name found (None: not written by tailor).
        found: Option<String>,
    },
}

/// What a file's `tailor.table` entry says it is, as a reader reads it.
fn found_table(found: Option<&str>) -> String {
    match found {
        Some(table) => format!("a tailor {table} table"),
        None => "a Parquet file tailor did not write (no tailor.table entry)".to_owned(),
    }
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn a_wrong_table_reads_as_words_not_a_rust_value() {
        let wrong = |found: Option<&str>| {
            Error::WrongTable {
                path: "x.parquet".into(),
                expected: "cohort".into(),
                found: found.map(str::to_owned),
            }
            .to_string()
        };
        assert_eq!(
            wrong(Some("calls")),
            "x.parquet: expected a tailor cohort table, found a tailor calls table"
        );
        assert!(wrong(None)
            .ends_with("found a Parquet file tailor did not write (no tailor.table entry)"));
    }
}
