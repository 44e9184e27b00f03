//! Writing a small file atomically and privately (0640): a hidden temporary
//! name in the same directory, fsync, rename.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Writes `bytes` to `path` through a temporary file renamed into place.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_owned());
    let temporary: PathBuf = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let io = |action: &'static str| {
        let temporary = temporary.clone();
        move |source| Error::Io {
            path: temporary,
            action,
            source,
        }
    };
    let result = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o640);
        }
        let mut file = options.open(&temporary).map_err(io("creating"))?;
        file.write_all(bytes).map_err(io("writing"))?;
        file.sync_all().map_err(io("syncing"))?;
        drop(file);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o640))
                .map_err(io("setting permissions"))?;
        }
        std::fs::rename(&temporary, path).map_err(io("renaming into place"))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_private_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        write_private(&path, b"{}").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        assert!(write_private(&dir.path().join("missing/r.json"), b"{}").is_err());
    }
}
