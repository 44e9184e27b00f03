//! Open indexed readers of one input, reused from gene to gene.

use std::path::Path;
use std::sync::Mutex;

use crate::indexed_reader::IndexedReader;
use crate::Result;

/// Idle indexed readers of one input. Opening a reader parses the whole
/// header (3,202 sample names in the 1000 Genomes panels) and loads the
/// index, which cost as much as reading a gene; so a gene borrows an open
/// reader, and at most one per thread is ever opened. Each holds one
/// header, without its sample names (see [`IndexedReader`]).
#[derive(Default)]
pub(crate) struct ReaderPool {
    idle: Mutex<Vec<IndexedReader>>,
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
    /// As [`IndexedReader::open`]; `read`'s errors.
    pub fn with<T>(
        &self,
        path: &Path,
        index: &Path,
        read: impl FnOnce(&mut IndexedReader) -> Result<T>,
    ) -> Result<T> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut reader = match idle {
            Some(reader) => reader,
            None => IndexedReader::open(path, index)?,
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
