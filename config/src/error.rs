//! Errors of reading `tailor.toml`: each names the file and, where it
//! has one, the line.

use std::path::PathBuf;

/// An error reading or checking `tailor.toml`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read.
    #[error("reading {}", path.display())]
    Read {
        /// The configuration file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not TOML.
    #[error("{}: not valid TOML", path.display())]
    Syntax {
        /// The configuration file.
        path: PathBuf,
        /// The TOML parser's message (with the line).
        #[source]
        source: Box<toml::de::Error>,
    },
    /// An unknown section or key.
    #[error("{}{}: {problem}", path.display(), at_line(*line))]
    Unknown {
        /// The configuration file.
        path: PathBuf,
        /// The line it is on, when found.
        line: Option<usize>,
        /// What is unknown, the nearest valid name and the valid names.
        problem: String,
    },
    /// A section whose values do not have the types its keys need, or
    /// that lacks a required key.
    #[error("{}{}: [{section}]", path.display(), at_line(*line))]
    Section {
        /// The configuration file.
        path: PathBuf,
        /// The section's header line, when found.
        line: Option<usize>,
        /// The section.
        section: String,
        /// The deserialiser's message.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// `[run]` is missing or names no inputs.
    #[error("{}: {problem}", path.display())]
    Incomplete {
        /// The configuration file.
        path: PathBuf,
        /// What is missing and how to add it.
        problem: &'static str,
    },
}

/// `", line N"` or nothing.
fn at_line(line: Option<usize>) -> String {
    line.map(|n| format!(", line {n}")).unwrap_or_default()
}

/// The result of reading `tailor.toml`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
