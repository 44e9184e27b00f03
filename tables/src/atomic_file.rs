//! A file written as a stream, atomically: [`write_file_atomic`]'s rules
//! for output too large to build in memory first.
//!
//! [`write_file_atomic`]: crate::write_file_atomic

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::atomic::{create, set_mode, temporary_name};
use crate::{Error, Result};

/// A file being written to a hidden temporary name in its directory, with
/// its final mode from the start; [`AtomicFile::finish`] fsyncs it and
/// renames it into place. Dropped unfinished, it removes the temporary
/// file, so a failed run leaves nothing that looks complete.
pub struct AtomicFile {
    path: PathBuf,
    temporary: PathBuf,
    mode: u32,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Starts writing `path` with `mode`.
    ///
    /// # Errors
    /// [`Error::Io`] if the temporary file cannot be created.
    pub fn create(path: &Path, mode: u32) -> Result<Self> {
        let temporary = temporary_name(path);
        let file = create(&temporary, mode).map_err(|source| Error::Io {
            path: temporary.clone(),
            action: "creating",
            source,
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            temporary,
            mode,
            writer: Some(BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// The temporary file being written (for error messages).
    pub fn temporary(&self) -> &Path {
        &self.temporary
    }

    /// Flushes, fsyncs, sets the mode and renames the file into place.
    ///
    /// # Errors
    /// [`Error::Io`] naming the step that failed; the temporary file is
    /// removed.
    pub fn finish(mut self) -> Result<()> {
        let io = |action: &'static str, temporary: &Path| {
            let temporary = temporary.to_path_buf();
            move |source| Error::Io {
                path: temporary,
                action,
                source,
            }
        };
        let Some(writer) = self.writer.take() else {
            return Ok(());
        };
        let file = writer
            .into_inner()
            .map_err(|e| io("writing", &self.temporary)(e.into_error()))?;
        file.sync_all().map_err(io("syncing", &self.temporary))?;
        drop(file);
        set_mode(&self.temporary, self.mode)?;
        std::fs::rename(&self.temporary, &self.path)
            .map_err(io("renaming into place", &self.temporary))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.writer.as_mut() {
            Some(writer) => writer.write(buf),
            None => Ok(0),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.writer.as_mut() {
            Some(writer) => writer.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() || self.temporary.exists() {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}
