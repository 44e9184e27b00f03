//! Reading the pseudonymisation key of `tailor join`: from the file
//! `[join] key_file` names or the variable `key_env` names, never from the
//! command line. A key file is read with a size cap (a key pointing at
//! `/dev/zero` or a large file is refused after [`MAX_KEY_FILE_BYTES`]
//! bytes), and one readable by group or others gets a warning. Weak and
//! guessable keys are refused by [`PseudonymKey::new`].

use std::io::Read;
use std::path::Path;

use anyhow::{anyhow, Context};
use tailor_join::{JoinConfig, PseudonymKey};

use crate::exit::Failure;
use crate::messages;

/// Largest key file read, in bytes.
pub const MAX_KEY_FILE_BYTES: u64 = 4096;

/// The pseudonymisation key from `key_file` or `key_env` (one trailing
/// line break removed).
///
/// # Errors
/// A usage failure (exit 2) when no key or both are configured, the file
/// cannot be read or is larger than [`MAX_KEY_FILE_BYTES`], the variable
/// is not set, or the key is short or guessable.
pub fn read_key(config: &JoinConfig) -> Result<PseudonymKey, Failure> {
    let (mut bytes, origin) = match (&config.key_file, &config.key_env) {
        (Some(_), Some(_)) => {
            return Err(Failure::usage(anyhow!(
                "[join] sets both key_file and key_env; keep one"
            )))
        }
        (Some(file), None) => (
            read_key_file(file)?,
            format!("the key file {}", file.display()),
        ),
        (None, Some(variable)) => match std::env::var_os(variable) {
            Some(value) => (
                value.into_encoded_bytes(),
                format!("the environment variable {variable}"),
            ),
            None => {
                return Err(Failure::usage(anyhow!(
                    "environment variable {variable} (key_env in [join]) is not set"
                )))
            }
        },
        (None, None) => {
            return Err(Failure::usage(anyhow!(
                "--pseudonymise needs a key: set key_file or key_env in [join] \
                 (make one with: openssl rand -hex 32 > join.key)"
            )))
        }
    };
    if bytes.ends_with(b"\n") {
        bytes.pop();
        if bytes.ends_with(b"\r") {
            bytes.pop();
        }
    }
    PseudonymKey::new(bytes)
        .with_context(|| format!("{origin}: refused"))
        .map_err(Failure::usage)
}

/// The bytes of key file `path`, at most [`MAX_KEY_FILE_BYTES`]; warns
/// when group or others may read it.
fn read_key_file(path: &Path) -> Result<Vec<u8>, Failure> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("reading the key file {}", path.display()))
        .map_err(Failure::usage)?;
    if let Ok(metadata) = file.metadata() {
        if metadata.is_dir() {
            return Err(Failure::usage(anyhow!(
                "the key file {} is a directory; key_file must name a file",
                path.display()
            )));
        }
        warn_if_shared(path, &metadata);
    }
    let mut bytes = Vec::new();
    file.take(MAX_KEY_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading the key file {}", path.display()))
        .map_err(Failure::usage)?;
    if bytes.len() as u64 > MAX_KEY_FILE_BYTES {
        return Err(Failure::usage(anyhow!(
            "the key file {} is larger than {MAX_KEY_FILE_BYTES} bytes; a key is one line \
             (make one with: openssl rand -hex 32 > join.key)",
            path.display()
        )));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn warn_if_shared(path: &Path, metadata: &std::fs::Metadata) {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode();
    if metadata.is_file() && mode & 0o077 != 0 {
        messages::warn(&format!(
            "the key file {} is readable by {} (mode {:o}); anyone who can read it can \
             recompute the pseudonyms: chmod 600 {}",
            path.display(),
            if mode & 0o007 != 0 {
                "everyone"
            } else {
                "its group"
            },
            mode & 0o777,
            path.display()
        ));
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_path: &Path, _metadata: &std::fs::Metadata) {}
