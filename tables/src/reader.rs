//! Reading a whole table back, with its metadata.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
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
        match self.metadata(metadata_keys::TABLE) {
            Some(found) if found == expected => Ok(()),
            found => Err(Error::WrongTable {
                path: path.to_path_buf(),
                expected: expected.to_owned(),
                found: found.map(str::to_owned),
            }),
        }
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
    let key_values = builder
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
    let schema = arrow_array::RecordBatchReader::schema(&reader);
    let batches = reader
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|source| Error::Arrow {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(Table {
        schema,
        batches,
        key_values,
    })
}
