//! Atomic, streaming Parquet writer.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};

use crate::atomic::{create, set_mode, temporary_name, PRIVATE};
use crate::{Error, Result, TableMetadata};

/// A function called with a finished table's final path just before the
/// table is renamed into place.
pub type BeforeRename = fn(&Path);

static BEFORE_RENAME: OnceLock<BeforeRename> = OnceLock::new();

/// Registers `hook`, called with each finished table's final path just
/// before its rename (the first registration wins). Only the kill tests'
/// build of the `tailor` binary registers one (crate `tailor-test-hooks`,
/// feature `pause`), so that a test can kill the process mid-write
/// deterministically; an installed binary registers none. The hook is a
/// registration rather than a feature of this crate so that the tests'
/// build and `cargo install` compile this crate, and every stage on top of
/// it, alike.
pub fn set_before_rename(hook: BeforeRename) {
    let _ = BEFORE_RENAME.set(hook);
}

/// Rows per row group: large enough for good compression, small enough that
/// readers can skip by gene or sample.
const ROW_GROUP_ROWS: usize = 1 << 20;

/// Writes one Parquet table to a temporary file and renames it into place on
/// [`TableWriter::finish`]. Dropped unfinished, it removes the temporary file.
pub struct TableWriter {
    path: PathBuf,
    temporary: PathBuf,
    writer: Option<ArrowWriter<File>>,
}

impl TableWriter {
    /// Starts writing the table `path` with `schema` and `metadata`.
    ///
    /// # Errors
    /// [`Error::Io`] if the temporary file cannot be created.
    pub fn create(path: &Path, schema: SchemaRef, metadata: &TableMetadata) -> Result<Self> {
        Self::open(path, schema, metadata.key_values(), ROW_GROUP_ROWS)
    }

    /// Starts writing the table `path` as [`TableWriter::create`] does, but
    /// in row groups of at most `row_group_rows` rows. The writer holds the
    /// encoded pages of one row group in memory until the group is
    /// complete, so smaller groups bound its memory on large tables.
    ///
    /// # Errors
    /// [`Error::Io`] if the temporary file cannot be created.
    pub fn create_with_row_group_rows(
        path: &Path,
        schema: SchemaRef,
        metadata: &TableMetadata,
        row_group_rows: usize,
    ) -> Result<Self> {
        Self::open(path, schema, metadata.key_values(), row_group_rows)
    }

    /// Starts writing the table `path` with `schema` and these key-value
    /// entries as they are (as [`TableMetadata::key_values`] gives them):
    /// for `tailor merge`, which writes a shard's entries less its mark.
    ///
    /// # Errors
    /// [`Error::Io`] if the temporary file cannot be created.
    pub fn create_with_pairs(
        path: &Path,
        schema: SchemaRef,
        pairs: Vec<(String, String)>,
    ) -> Result<Self> {
        Self::open(path, schema, pairs, ROW_GROUP_ROWS)
    }

    fn open(
        path: &Path,
        schema: SchemaRef,
        pairs: Vec<(String, String)>,
        row_group_rows: usize,
    ) -> Result<Self> {
        let temporary = temporary_name(path);
        let file = create(&temporary, PRIVATE).map_err(|source| Error::Io {
            path: temporary.clone(),
            action: "creating",
            source,
        })?;
        // The same pairs on the Arrow schema too: pyarrow, polars and
        // DuckDB's Arrow readers show schema metadata, not the file's.
        let schema = Arc::new(
            schema
                .as_ref()
                .clone()
                .with_metadata(pairs.iter().cloned().collect()),
        );
        let key_values = pairs
            .into_iter()
            .map(|(key, value)| KeyValue::new(key, value))
            .collect();
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).unwrap_or_default()))
            .set_dictionary_enabled(true)
            .set_statistics_enabled(EnabledStatistics::Chunk)
            .set_max_row_group_size(row_group_rows.max(1))
            .set_key_value_metadata(Some(key_values))
            .build();
        let writer = ArrowWriter::try_new(file, schema, Some(properties)).map_err(|source| {
            Error::Parquet {
                path: temporary.clone(),
                source,
            }
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            temporary,
            writer: Some(writer),
        })
    }

    /// Appends a batch of rows.
    ///
    /// # Errors
    /// [`Error::Parquet`] if encoding or writing fails.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        let Some(writer) = self.writer.as_mut() else {
            return Ok(());
        };
        writer.write(batch).map_err(|source| Error::Parquet {
            path: self.temporary.clone(),
            source,
        })
    }

    /// Completes the file: footer, fsync, mode 0640, rename into place.
    ///
    /// # Errors
    /// [`Error::Parquet`] or [`Error::Io`]; the temporary file is removed.
    pub fn finish(mut self) -> Result<PathBuf> {
        let Some(writer) = self.writer.take() else {
            return Ok(self.path.clone());
        };
        let file = writer.into_inner().map_err(|source| Error::Parquet {
            path: self.temporary.clone(),
            source,
        })?;
        let io = |action| {
            let path = self.temporary.clone();
            move |source| Error::Io {
                path,
                action,
                source,
            }
        };
        file.sync_all().map_err(io("syncing"))?;
        drop(file);
        set_mode(&self.temporary, PRIVATE)?;
        if let Some(hook) = BEFORE_RENAME.get() {
            hook(&self.path);
        }
        std::fs::rename(&self.temporary, &self.path).map_err(io("renaming into place"))?;
        sync_parent(&self.path);
        Ok(self.path.clone())
    }
}

impl Drop for TableWriter {
    fn drop(&mut self) {
        if self.writer.is_some() || self.temporary.exists() {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent() {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(dir) = File::open(parent) {
            let _ = dir.sync_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::Int64Array;
    use arrow_schema::{DataType, Field, Schema};

    use super::*;

    fn schema() -> SchemaRef {
        Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false)]))
    }

    #[test]
    fn unfinished_writer_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let mut writer = TableWriter::create(&path, schema(), &TableMetadata::new("t", 1)).unwrap();
        let batch =
            RecordBatch::try_new(schema(), vec![Arc::new(Int64Array::from(vec![1]))]).unwrap();
        writer.write(&batch).unwrap();
        drop(writer);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn finished_table_is_not_world_readable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let writer = TableWriter::create(&path, schema(), &TableMetadata::new("t", 1)).unwrap();
        writer.finish().unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
}
