//! Errors of the estimate stage.

use std::path::PathBuf;

/// Errors of `tailor estimate`. Every variant a user can cause names the
/// file and what to change.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading the cohort or writing an output table failed.
    #[error(transparent)]
    Table(#[from] tailor_tables::Error),
    /// The cohort has no (or unreadable) role metadata.
    #[error("{}: no readable cohort roles under metadata key {key}; write the cohort with `tailor join`", path.display())]
    Roles {
        /// The cohort file.
        path: PathBuf,
        /// The metadata key.
        key: &'static str,
        /// The JSON error, if the entry exists but does not parse.
        #[source]
        source: Option<serde_json::Error>,
    },
    /// A column the roles name is missing or has the wrong type.
    #[error("{}: column {column:?} {problem}; expected {expected}", path.display())]
    Column {
        /// The cohort file.
        path: PathBuf,
        /// The column.
        column: String,
        /// What is wrong (`is missing`, `has type Int64`).
        problem: String,
        /// The expected Arrow type.
        expected: &'static str,
    },
    /// A configured name (covariate, gene, outcome, comparator) is not in the cohort.
    #[error("{}: [estimate] {setting} = {value:?} is not in the cohort; it has: {available}", path.display())]
    UnknownName {
        /// The cohort file.
        path: PathBuf,
        /// The setting (`comparator`, `covariates`, ...).
        setting: &'static str,
        /// The configured value.
        value: String,
        /// What the cohort has, comma-separated.
        available: String,
    },
    /// A configured value is out of range.
    #[error("[estimate] {setting} = {value} is invalid: {reason}")]
    InvalidOption {
        /// The setting.
        setting: &'static str,
        /// The value, as text.
        value: String,
        /// Why.
        reason: &'static str,
    },
    /// An explicit model's configuration is inconsistent.
    #[error("[[estimate.models]] {model:?}: {key}: {problem}")]
    InvalidModel {
        /// The model's name.
        model: String,
        /// The key at fault.
        key: &'static str,
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// An explicit model does not fit the cohort: a family for another kind
    /// of outcome, a categorical component of `any_of`, a missing policy or
    /// reference of the wrong kind for the covariate.
    #[error("{}: [[estimate.models]] {model:?}: {name:?}: {problem}", path.display())]
    ModelData {
        /// The cohort file.
        path: PathBuf,
        /// The model's name.
        model: String,
        /// The outcome or covariate.
        name: String,
        /// What does not fit and how to fix it.
        problem: &'static str,
    },
    /// Building an output batch failed (a bug, not bad input).
    #[error("building the {table} table")]
    Arrow {
        /// The table.
        table: &'static str,
        /// The Arrow error.
        #[source]
        source: arrow_schema::ArrowError,
    },
}

impl Error {
    /// Whether the user's input or configuration caused the error (exit
    /// code 3 in the binary).
    pub fn is_invalid_input(&self) -> bool {
        matches!(
            self,
            Self::Roles { .. }
                | Self::Column { .. }
                | Self::UnknownName { .. }
                | Self::InvalidOption { .. }
                | Self::InvalidModel { .. }
                | Self::ModelData { .. }
        ) || matches!(
            self,
            Self::Table(
                tailor_tables::Error::WrongTable { .. } | tailor_tables::Error::Parquet { .. }
            )
        )
    }
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
