//! Atomic, streaming Parquet writer.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;

use crate::atomic::{create, set_mode, temporary_name, PRIVATE};
use crate::row_groups::RowGroupEncoder;
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
///
/// A batch's columns are encoded in parallel on rayon's pool (its thread
/// count is the stages' `--threads`); the file is the one `parquet`'s
/// `ArrowWriter` would write.
pub struct TableWriter {
    path: PathBuf,
    temporary: PathBuf,
    writer: Option<SerializedFileWriter<File>>,
    row_groups: RowGroupEncoder,
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
        // `ArrowWriter` builds the file's Parquet schema and stores the
        // Arrow schema in its metadata; its column encoding is replaced.
        let (writer, factory) = arrow_writer(file, &schema, pairs, row_group_rows)
            .and_then(ArrowWriter::into_serialized_writer)
            .map_err(|source| Error::Parquet {
                path: temporary.clone(),
                source,
            })?;
        let row_groups = RowGroupEncoder::new(&writer, factory, schema, row_group_rows);
        Ok(Self {
            path: path.to_path_buf(),
            temporary,
            writer: Some(writer),
            row_groups,
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
        self.row_groups
            .write(writer, batch)
            .map_err(|source| Error::Parquet {
                path: self.temporary.clone(),
                source,
            })
    }

    /// Completes the file: footer, fsync, mode 0640, rename into place.
    ///
    /// # Errors
    /// [`Error::Parquet`] or [`Error::Io`]; the temporary file is removed.
    pub fn finish(mut self) -> Result<PathBuf> {
        let Some(mut writer) = self.writer.take() else {
            return Ok(self.path.clone());
        };
        let file = self
            .row_groups
            .flush(&mut writer)
            .and_then(|()| writer.into_inner())
            .map_err(|source| Error::Parquet {
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

/// The `ArrowWriter` of a table of `schema` with the key-value `pairs`, in
/// row groups of at most `row_group_rows` rows.
fn arrow_writer<W: Write + Send>(
    sink: W,
    schema: &SchemaRef,
    pairs: Vec<(String, String)>,
    row_group_rows: usize,
) -> parquet::errors::Result<ArrowWriter<W>> {
    // The same pairs on the Arrow schema too: pyarrow, polars and DuckDB's
    // Arrow readers show schema metadata, not the file's.
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
    ArrowWriter::try_new(sink, schema, Some(properties))
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

    use arrow_array::types::Int32Type;
    use arrow_array::{BooleanArray, Int64Array, ListArray, StringArray, StructArray};
    use arrow_schema::{DataType, Field, Fields, Schema};
    use parquet::file::reader::FileReader;

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

    /// Strings with nulls and repeats (dictionary pages), integers, a list
    /// column and a struct (one field, two file columns), in batches that
    /// straddle row groups of 7 rows.
    fn straddling_batches() -> (SchemaRef, Vec<RecordBatch>) {
        let schema = Arc::new(Schema::new(vec![
            Field::new("sample_id", DataType::Utf8, true),
            Field::new("pos", DataType::Int64, false),
            Field::new(
                "allele_depths",
                DataType::List(Arc::new(Field::new("item", DataType::Int32, true))),
                true,
            ),
            Field::new("call", DataType::Struct(call_fields()), false),
            Field::new("phased", DataType::Boolean, false),
        ]));
        let batch = |from: i64, rows: i64| {
            let ids: StringArray = (from..from + rows)
                .map(|i| (i % 3 != 0).then(|| format!("S{}", i % 5)))
                .collect();
            let depths = ListArray::from_iter_primitive::<Int32Type, _, _>(
                (from..from + rows).map(|i| (i % 4 != 0).then(|| vec![Some(i as i32), None])),
            );
            RecordBatch::try_new(
                schema.clone(),
                vec![
                    Arc::new(ids),
                    Arc::new(Int64Array::from_iter_values(from..from + rows)),
                    Arc::new(depths),
                    Arc::new(StructArray::new(
                        call_fields(),
                        vec![
                            Arc::new(StringArray::from_iter_values(
                                (from..from + rows).map(|i| ["*1", "*2", "*17"][i as usize % 3]),
                            )),
                            Arc::new(Int64Array::from_iter_values(
                                (from..from + rows).map(|i| i * i),
                            )),
                        ],
                        None,
                    )),
                    Arc::new(BooleanArray::from_iter(
                        (from..from + rows).map(|i| Some(i % 2 == 0)),
                    )),
                ],
            )
            .unwrap()
        };
        let sizes = [3, 10, 0, 8, 1, 7];
        let mut from = 0;
        let batches = sizes
            .iter()
            .map(|&rows| {
                let b = batch(from, rows);
                from += rows;
                b
            })
            .collect();
        (schema, batches)
    }

    fn call_fields() -> Fields {
        Fields::from(vec![
            Field::new("allele", DataType::Utf8, false),
            Field::new("depth", DataType::Int64, false),
        ])
    }

    #[test]
    fn columns_encoded_on_one_or_more_threads_write_the_file_arrow_writer_writes() {
        let (schema, batches) = straddling_batches();
        let metadata = TableMetadata::new("t", 1);
        let mut expected = arrow_writer(Vec::new(), &schema, metadata.key_values(), 7).unwrap();
        for batch in &batches {
            expected.write(batch).unwrap();
        }
        let expected = expected.into_inner().unwrap();
        for threads in [1, 3] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.parquet");
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let mut writer =
                    TableWriter::create_with_row_group_rows(&path, schema.clone(), &metadata, 7)
                        .unwrap();
                for batch in &batches {
                    writer.write(batch).unwrap();
                }
                writer.finish().unwrap();
            });
            let written = std::fs::read(&path).unwrap();
            assert!(written == expected, "{threads} threads");
            let reader =
                parquet::file::reader::SerializedFileReader::new(File::open(&path).unwrap())
                    .unwrap();
            let groups: Vec<i64> = reader
                .metadata()
                .row_groups()
                .iter()
                .map(|g| g.num_rows())
                .collect();
            assert_eq!(groups, [7, 7, 7, 7, 1]);
        }
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
