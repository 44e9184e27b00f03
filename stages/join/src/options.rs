//! Options of the join stage, built from the `[join]` section and the flags.

use std::fmt;

use crate::config::JoinConfig;
use crate::error::{ConfigProblem, Error, Result};

/// Fewest key bytes accepted for pseudonymisation.
pub const MIN_KEY_BYTES: usize = 16;

/// The secret key of `--pseudonymise`. Its `Debug` output hides the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct PseudonymKey(Vec<u8>);

impl PseudonymKey {
    /// A key from its bytes (as read from the key file or variable, with a
    /// trailing newline removed by the caller).
    ///
    /// # Errors
    /// [`ConfigProblem::WeakKey`] for fewer than [`MIN_KEY_BYTES`] bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self> {
        let bytes = bytes.into();
        if bytes.len() < MIN_KEY_BYTES {
            return Err(Error::Config {
                problem: ConfigProblem::WeakKey {
                    length: bytes.len(),
                },
            });
        }
        Ok(Self(bytes))
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PseudonymKey({} bytes)", self.0.len())
    }
}

/// Options of [`crate::run`].
///
/// ```
/// use tailor_join::{JoinConfig, Options, PseudonymKey};
///
/// let key = PseudonymKey::new(b"0123456789abcdef0123456789abcdef".to_vec()).unwrap();
/// let options = Options::new(JoinConfig::new("patient", "drug"))
///     .pseudonymise(key)
///     .strict(true);
/// assert!(options.is_strict());
/// ```
#[derive(Clone, Debug)]
pub struct Options {
    pub(crate) config: JoinConfig,
    pub(crate) key: Option<PseudonymKey>,
    pub(crate) strict: bool,
}

impl Options {
    /// Options from the `[join]` section (with paths already resolved),
    /// without pseudonymisation, not strict.
    pub fn new(config: JoinConfig) -> Self {
        Self {
            config,
            key: None,
            strict: false,
        }
    }

    /// Replace patient ids by HMAC-SHA256 pseudonyms under `key`.
    pub fn pseudonymise(mut self, key: PseudonymKey) -> Self {
        self.key = Some(key);
        self
    }

    /// Turn validation warnings into errors.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &JoinConfig {
        &self.config
    }

    /// Whether warnings are errors.
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// Whether patient ids are pseudonymised.
    pub fn is_pseudonymised(&self) -> bool {
        self.key.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keys_are_refused_and_keys_never_printed() {
        assert!(PseudonymKey::new(b"short".to_vec()).is_err());
        let key = PseudonymKey::new(b"a-long-enough-secret-key".to_vec()).unwrap();
        let shown = format!("{key:?}");
        assert!(!shown.contains("secret"));
        let options = Options::new(JoinConfig::new("p", "t")).pseudonymise(key);
        assert!(!format!("{options:?}").contains("secret"));
    }
}
