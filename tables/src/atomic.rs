//! Writing files atomically and privately: a hidden temporary name in the
//! same directory, fsync, a fixed mode, rename. Every output of tailor goes
//! through here or through [`crate::TableWriter`], which uses the same rules.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{AtomicFile, Error, Result};

/// Mode of files with per-person data (genetic, clinical): 0640.
pub const PRIVATE: u32 = 0o640;
/// Mode of secrets (a pseudonymisation key): 0600.
pub const SECRET: u32 = 0o600;

/// `dir/.name.tmp-<pid>` for `dir/name`: hidden, in the same directory (so
/// the rename is atomic) and unique per process.
pub fn temporary_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_owned());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Sets `mode` on `path`, whatever the umask (no-op off Unix).
///
/// # Errors
/// [`Error::Io`] naming the file.
pub fn set_mode(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(
            |source| Error::Io {
                path: path.to_path_buf(),
                action: "setting permissions",
                source,
            },
        )?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Creates `path` for writing with `mode` from the start (never briefly
/// world-readable).
pub(crate) fn create(path: &Path, mode: u32) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    options.open(path)
}

/// Writes `bytes` to `path` with `mode` through a temporary file renamed
/// into place; on failure the temporary file is removed and `path` is
/// untouched.
///
/// # Errors
/// [`Error::Io`] naming the file and the step that failed.
pub fn write_file_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let mut file = AtomicFile::create(path, mode)?;
    file.write_all(bytes).map_err(|source| Error::Io {
        path: file.temporary().to_path_buf(),
        action: "writing",
        source,
    })?;
    file.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_with_mode_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        write_file_atomic(&path, b"secret", SECRET).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"secret");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, SECRET);
        }
        assert!(write_file_atomic(&dir.path().join("missing/key"), b"x", PRIVATE).is_err());
    }
}
