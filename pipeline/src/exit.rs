//! Exit codes and the one place errors are printed. Success is 0.

use std::process::ExitCode;

/// Exit code: anything not covered below (I/O, a bug).
pub const FAILURE: u8 = 1;
/// Exit code: usage or configuration error (clap uses 2 as well).
pub const USAGE: u8 = 2;
/// Exit code: the input files are invalid.
pub const INVALID_INPUT: u8 = 3;

/// An error on its way out of `main`, with the exit code it deserves.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub code: u8,
    /// The error chain.
    pub error: anyhow::Error,
}

impl Failure {
    /// A usage or configuration error (exit 2).
    pub fn usage(error: impl Into<anyhow::Error>) -> Self {
        Self {
            code: USAGE,
            error: error.into(),
        }
    }

    /// Invalid input (exit 3).
    pub fn invalid_input(error: impl Into<anyhow::Error>) -> Self {
        Self {
            code: INVALID_INPUT,
            error: error.into(),
        }
    }

    /// Any other failure (exit 1).
    pub fn other(error: impl Into<anyhow::Error>) -> Self {
        Self {
            code: FAILURE,
            error: error.into(),
        }
    }

    /// Prints the error chain once and returns the exit code.
    pub fn report(self) -> ExitCode {
        crate::messages::error(&format!("{:#}", self.error));
        ExitCode::from(self.code)
    }
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        Self::other(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct() {
        let codes = [FAILURE, USAGE, INVALID_INPUT];
        assert_eq!(codes, [1, 2, 3]);
        assert_eq!(Failure::usage(anyhow::anyhow!("x")).code, USAGE);
        assert_eq!(
            Failure::invalid_input(anyhow::anyhow!("x")).code,
            INVALID_INPUT
        );
    }
}
