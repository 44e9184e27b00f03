//! Open indexed readers of one input, reused from gene to gene.

use std::path::Path;
use std::sync::Mutex;

use rust_htslib::bcf;

use crate::{Error, Result};

/// Idle indexed readers of one input. Opening a reader parses the whole
/// header (3,202 sample names in the 1000 Genomes panels) and loads the
/// index, which cost as much as reading a gene; so a gene borrows an open
/// reader, and at most one per thread is ever opened.
#[derive(Default)]
pub(crate) struct ReaderPool {
    idle: Mutex<Vec<bcf::IndexedReader>>,
}

impl std::fmt::Debug for ReaderPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let idle = self.idle.lock().map_or(0, |idle| idle.len());
        f.debug_struct("ReaderPool").field("idle", &idle).finish()
    }
}

impl ReaderPool {
    /// Runs `read` with an idle reader of `path` (opened if none is idle),
    /// and keeps the reader for the next gene unless `read` failed.
    ///
    /// # Errors
    /// [`Error::BadIndex`] if the file cannot be opened through `index`;
    /// `read`'s errors.
    pub fn with<T>(
        &self,
        path: &Path,
        index: &Path,
        read: impl FnOnce(&mut bcf::IndexedReader) -> Result<T>,
    ) -> Result<T> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut reader = match idle {
            Some(reader) => reader,
            None => bcf::IndexedReader::from_path(path).map_err(|e| Error::BadIndex {
                path: path.to_path_buf(),
                index: index.to_path_buf(),
                reason: e.to_string(),
            })?,
        };
        let result = read(&mut reader)?;
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(reader);
        }
        Ok(result)
    }

    /// Closes the idle readers (the input is not read again).
    pub fn clear(&self) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }
}
