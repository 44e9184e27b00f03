//! Errors of the report stage.

use std::path::PathBuf;

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A table could not be read.
    #[error(transparent)]
    Table(#[from] tailor_tables::Error),
    /// A table lacks a column the report needs, or has it with another type.
    #[error("{}: no {kind} column `{column}`; was it written by this version of tailor?", path.display())]
    Column {
        /// The table.
        path: PathBuf,
        /// The column.
        column: String,
        /// The Arrow type expected (`text`, `number`, `true/false`, `list of text`).
        kind: &'static str,
    },
    /// A text column holds a value outside its vocabulary.
    #[error("{}: column `{column}` row {row} holds {value:?}, not a value this version of tailor writes; rerun `tailor estimate`", path.display())]
    Value {
        /// The table.
        path: PathBuf,
        /// The column.
        column: String,
        /// The row within its batch.
        row: usize,
        /// The value found.
        value: String,
    },
    /// The join report could not be read.
    #[error("{}: not a readable join report ({source}); rerun `tailor join`", path.display())]
    JoinReport {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A plot could not be drawn.
    #[error("drawing the {what} plot: {message}")]
    Plot {
        /// Which plot.
        what: String,
        /// What went wrong.
        message: String,
    },
    /// The page template could not be rendered.
    #[error("rendering the report page")]
    Template(#[from] minijinja::Error),
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
