//! Options of the join stage, built from the `[join]` section and the flags.

use std::fmt;

use crate::config::JoinConfig;
use crate::error::{ConfigProblem, Error, Result};

/// Fewest key bytes accepted for pseudonymisation.
pub const MIN_KEY_BYTES: usize = 32;
/// Longest repeating period of a key refused as a pattern (`abab...`,
/// `password` repeated).
pub const MAX_KEY_PERIOD: usize = 8;
/// Fewest distinct byte values a key must have (`openssl rand -hex 32`
/// gives about 16; 32 NUL bytes give 1).
pub const MIN_KEY_DISTINCT_BYTES: usize = 8;

/// The secret key of `--pseudonymise`. Its `Debug` output hides the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct PseudonymKey(Vec<u8>);

impl PseudonymKey {
    /// A key from its bytes (as read from the key file or variable, with a
    /// trailing newline removed by the caller).
    ///
    /// # Errors
    /// [`ConfigProblem::WeakKey`] for fewer than [`MIN_KEY_BYTES`] bytes;
    /// [`ConfigProblem::GuessableKey`] when the bytes are all one value,
    /// repeat with a period of at most [`MAX_KEY_PERIOD`], or take fewer
    /// than [`MIN_KEY_DISTINCT_BYTES`] distinct values.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self> {
        let bytes = bytes.into();
        let problem = if bytes.len() < MIN_KEY_BYTES {
            Some(ConfigProblem::WeakKey {
                length: bytes.len(),
            })
        } else {
            guessable(&bytes).map(|reason| ConfigProblem::GuessableKey { reason })
        };
        match problem {
            Some(problem) => Err(Error::Config { problem }),
            None => Ok(Self(bytes)),
        }
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

/// Why `bytes` would be easy to guess, if they would.
fn guessable(bytes: &[u8]) -> Option<&'static str> {
    let mut seen = [false; 256];
    for &b in bytes {
        seen[usize::from(b)] = true;
    }
    let distinct = seen.iter().filter(|s| **s).count();
    if distinct == 1 {
        return Some("every byte is the same");
    }
    let periodic = |p: usize| bytes.iter().skip(p).zip(bytes).all(|(a, b)| a == b);
    if (1..=MAX_KEY_PERIOD).any(periodic) {
        return Some("it repeats a pattern of at most 8 bytes");
    }
    if distinct < MIN_KEY_DISTINCT_BYTES {
        return Some("it has fewer than 8 distinct byte values");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keys_are_refused_and_keys_never_printed() {
        assert!(PseudonymKey::new(b"short".to_vec()).is_err());
        let key = PseudonymKey::new(b"a-long-enough-secret-key-of-32-bytes".to_vec()).unwrap();
        let shown = format!("{key:?}");
        assert!(!shown.contains("secret"));
        let options = Options::new(JoinConfig::new("p", "t")).pseudonymise(key);
        assert!(!format!("{options:?}").contains("secret"));
    }

    fn problem(bytes: &[u8]) -> Option<ConfigProblem> {
        match PseudonymKey::new(bytes.to_vec()) {
            Ok(_) => None,
            Err(Error::Config { problem }) => Some(problem),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn guessable_keys_are_refused() {
        assert_eq!(
            problem(&[b'x'; 31]),
            Some(ConfigProblem::WeakKey { length: 31 })
        );
        let same = Some(ConfigProblem::GuessableKey {
            reason: "every byte is the same",
        });
        assert_eq!(problem(&[0; 32]), same);
        assert_eq!(problem(&[b'a'; 64]), same);
        let pattern = Some(ConfigProblem::GuessableKey {
            reason: "it repeats a pattern of at most 8 bytes",
        });
        assert_eq!(problem(b"abababababababababababababababab"), pattern);
        assert_eq!(problem(&b"password".repeat(4)), pattern);
        assert_eq!(
            problem(b"aabbaabbaabbaabbaabbaabbaabbaabbc"),
            Some(ConfigProblem::GuessableKey {
                reason: "it has fewer than 8 distinct byte values"
            })
        );
        // openssl rand -hex 32
        let hex = b"9f1c2b7e54a0d3c6b8e1f2a4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3";
        assert_eq!(problem(hex), None);
        assert_eq!(problem(b"0123456789abcdef0123456789abcdef"), None);
    }
}
