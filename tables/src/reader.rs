//! Reading a table back, whole or as a stream of batches, with its
//! metadata.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use tailor_schemas::metadata_keys;

use crate::{Error, Result};

/// A table read into memory: schema, batches and key-value metadata.
#[derive(Clone, Debug)]
pub struct Table {
    /// The Arrow schema.
    pub schema: SchemaRef,
    /// The rows.
    pub batches: Vec<RecordBatch>,
    /// Key-value metadata.
    pub key_values: BTreeMap<String, String>,
}

impl Table {
    /// Total number of rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// A metadata value.
    pub fn metadata(&self, key: &str) -> Option<&str> {
        self.key_values.get(key).map(String::as_str)
    }

    /// Checks that this is a tailor `expected` table.
    ///
    /// # Errors
    /// [`Error::WrongTable`] naming `path` otherwise.
    pub fn expect_table(&self, path: &Path, expected: &str) -> Result<()> {
        check_table(path, &self.key_values, expected)
    }
}

/// [`Error::WrongTable`] naming `path` unless its metadata says it is a
/// tailor `expected` table.
fn check_table(path: &Path, key_values: &BTreeMap<String, String>, expected: &str) -> Result<()> {
    match key_values.get(metadata_keys::TABLE) {
        Some(found) if found == expected => Ok(()),
        found => Err(Error::WrongTable {
            path: path.to_path_buf(),
            expected: expected.to_owned(),
            found: found.cloned(),
        }),
    }
}

/// Reads a whole Parquet table.
///
/// # Errors
/// [`Error::Io`] if the file cannot be opened, [`Error::Parquet`] or
/// [`Error::Arrow`] if it is not a readable Parquet file.
pub fn read_table(path: &Path) -> Result<Table> {
    read(path, None)
}

/// Reads only the named top-level columns of a Parquet table (names it
/// lacks are left out): decoding the others is skipped.
///
/// # Errors
/// As [`read_table`].
pub fn read_table_columns(path: &Path, columns: &[&str]) -> Result<Table> {
    read(path, Some(columns))
}

fn read(path: &Path, columns: Option<&[&str]>) -> Result<Table> {
    let batches = TableBatches::open(path, columns)?;
    let schema = batches.schema();
    let key_values = batches.key_values.clone();
    let batches = batches.collect::<Result<Vec<_>>>()?;
    Ok(Table {
        schema,
        batches,
        key_values,
    })
}

/// A Parquet table read as a stream of record batches (of at most 65,536
/// rows, a row group's pages at a time): memory holds one batch, not the
/// table.
pub struct TableBatches {
    path: PathBuf,
    key_values: BTreeMap<String, String>,
    /// The file's key-value entries in the order they were written.
    ordered: Vec<(String, String)>,
    reader: ParquetRecordBatchReader,
}

impl TableBatches {
    /// Opens `path`, reading only the named top-level columns (names it
    /// lacks are left out), or every column when `columns` is `None`.
    ///
    /// # Errors
    /// As [`read_table`].
    pub fn open(path: &Path, columns: Option<&[&str]>) -> Result<Self> {
        let file = File::open(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            action: "opening",
            source,
        })?;
        let parquet = |source| Error::Parquet {
            path: path.to_path_buf(),
            source,
        };
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(parquet)?;
        let ordered: Vec<(String, String)> = builder
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .map(|pairs| {
                pairs
                    .iter()
                    .filter_map(|kv| Some((kv.key.clone(), kv.value.clone()?)))
                    .collect()
            })
            .unwrap_or_default();
        let key_values = ordered.iter().cloned().collect();
        let builder = match columns {
            Some(columns) => {
                let roots = builder
                    .schema()
                    .fields()
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| columns.contains(&f.name().as_str()))
                    .map(|(i, _)| i);
                let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
                builder.with_projection(mask)
            }
            None => builder,
        };
        let reader = builder.with_batch_size(1 << 16).build().map_err(parquet)?;
        Ok(Self {
            path: path.to_path_buf(),
            key_values,
            ordered,
            reader,
        })
    }

    /// The Arrow schema of the batches (the columns read).
    pub fn schema(&self) -> SchemaRef {
        arrow_array::RecordBatchReader::schema(&self.reader)
    }

    /// Checks that this is a tailor `expected` table.
    ///
    /// # Errors
    /// [`Error::WrongTable`] naming the file otherwise.
    pub fn expect_table(&self, expected: &str) -> Result<()> {
        check_table(&self.path, &self.key_values, expected)
    }

    /// The file's key-value metadata.
    pub fn key_values(&self) -> &BTreeMap<String, String> {
        &self.key_values
    }

    /// The value of the file's key-value entry `key`.
    pub fn metadata(&self, key: &str) -> Option<&str> {
        self.key_values.get(key).map(String::as_str)
    }

    /// The file's key-value entries in the order they were written
    /// (tailor's, then the Arrow schema parquet adds).
    pub fn key_value_pairs(&self) -> &[(String, String)] {
        &self.ordered
    }

    /// The file the batches come from.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Iterator for TableBatches {
    type Item = Result<RecordBatch>;

    fn next(&mut self) -> Option<Self::Item> {
        let path = &self.path;
        self.reader.next().map(|batch| {
            batch.map_err(|source| Error::Arrow {
                path: path.clone(),
                source,
            })
        })
    }
}
