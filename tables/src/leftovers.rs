//! Temporary files a killed run left behind: `.<name>.tmp-<pid>` (see
//! [`crate::temporary_name`]) whose process is gone. A process killed with
//! SIGKILL cannot remove its own; the next run on the same folder does.
//!
//! A file is removed only when its name has exactly that shape and its
//! process id is not alive on this machine (checked in `/proc`). Where
//! `/proc` is not available nothing is removed. Two hosts writing into one
//! shared folder at the same time (a cluster file system) must use
//! separate output folders: a process id alive on another host looks dead
//! here.

use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// Removes the temporary files of dead tailor processes from `dir` (not
/// recursively); returns the paths removed, sorted. A missing `dir` has
/// none.
///
/// # Errors
/// [`Error::Io`] when `dir` exists but cannot be listed, or a leftover
/// cannot be removed.
pub fn remove_leftovers(dir: &Path) -> Result<Vec<PathBuf>> {
    let io = |path: &Path, action: &'static str| {
        let path = path.to_path_buf();
        move |source| Error::Io {
            path,
            action,
            source,
        }
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(dir, "listing leftover temporary files in")(e)),
    };
    let mut removed = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io(dir, "listing leftover temporary files in"))?;
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(leftover_pid) else {
            continue;
        };
        if is_alive(pid) || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&path, "removing leftover temporary file")(e)),
        }
    }
    removed.sort();
    Ok(removed)
}

/// The process id of a temporary file name `.<name>.tmp-<pid>`.
fn leftover_pid(file_name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?;
    let (name, pid) = rest.rsplit_once(".tmp-")?;
    if name.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` may be alive: true for this process, for any
/// process listed in `/proc`, and for every process when `/proc` cannot
/// tell.
fn is_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    pid == std::process::id() || !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_temporary_names() {
        assert_eq!(leftover_pid(".calls.parquet.tmp-4242"), Some(4242));
        assert_eq!(leftover_pid(".a.tmp-b.tmp-7"), Some(7));
        assert_eq!(leftover_pid("calls.parquet.tmp-4242"), None);
        assert_eq!(leftover_pid(".calls.parquet.tmp-"), None);
        assert_eq!(leftover_pid(".calls.parquet.tmp-12a"), None);
        assert_eq!(leftover_pid("..tmp-12"), None);
        assert_eq!(leftover_pid(".x.tmp-99999999999"), None);
    }

    #[test]
    fn removes_only_dead_processes_files() {
        let dir = tempfile::tempdir().unwrap();
        // A process that has exited: its id is free (reuse within the test
        // is possible in principle, so only remove-if-dead is asserted).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let own = std::process::id();
        for name in [
            format!(".calls.parquet.tmp-{dead}"),
            format!(".cohort.parquet.tmp-{own}"),
            "notes.txt".to_owned(),
        ] {
            std::fs::write(dir.path().join(name), b"").unwrap();
        }
        let removed = remove_leftovers(dir.path()).unwrap();
        if !is_alive(dead) {
            assert_eq!(
                removed,
                vec![dir.path().join(format!(".calls.parquet.tmp-{dead}"))]
            );
        }
        assert!(dir
            .path()
            .join(format!(".cohort.parquet.tmp-{own}"))
            .exists());
        assert!(dir.path().join("notes.txt").exists());
        assert!(remove_leftovers(&dir.path().join("missing"))
            .unwrap()
            .is_empty());
    }
}
