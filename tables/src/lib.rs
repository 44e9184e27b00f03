//! tailor's shared Parquet writer and reader.
//!
//! Every table tailor writes goes through [`TableWriter`]: zstd compression,
//! dictionary-encoded strings, bounded row groups, key-value metadata naming
//! the tool, schema and definitions versions, the parameters and each input's
//! identity ([`InputIdentity`]), and an atomic write: the rows go to a hidden
//! temporary file in the output directory, which is fsynced, made 0640 and
//! renamed over the final name only when complete. A killed job never leaves
//! a file that looks complete.
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{Int64Array, RecordBatch};
//! use arrow_schema::{DataType, Field, Schema};
//! use tailor_tables::{read_table, TableMetadata, TableWriter};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("toy.parquet");
//! let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false)]));
//! let metadata = TableMetadata::new("toy", 1);
//! let mut writer = TableWriter::create(&path, schema.clone(), &metadata).unwrap();
//! let batch = RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from(vec![1, 2]))]).unwrap();
//! writer.write(&batch).unwrap();
//! writer.finish().unwrap();
//! let table = read_table(&path).unwrap();
//! assert_eq!(table.num_rows(), 2);
//! assert_eq!(table.metadata("tailor.table"), Some("toy"));
//! ```

mod atomic;
mod atomic_file;
mod error;
mod identity;
mod leftovers;
mod metadata;
mod read_ahead;
mod reader;
mod row_groups;
mod sample_index;
mod shard_cursor;
mod shard_merge;
mod writer;

pub use atomic::{set_mode, temporary_name, write_file_atomic, PRIVATE, SECRET};
pub use atomic_file::AtomicFile;
pub use error::{Error, Result};
pub use identity::InputIdentity;
pub use leftovers::remove_leftovers;
pub use metadata::TableMetadata;
pub use read_ahead::ReadAhead;
pub use reader::{read_table, read_table_columns, Table, TableBatches};
pub use sample_index::SampleIndex;
pub use shard_merge::{merge_shards, ShardMergeError, ShardOrder};
pub use writer::{set_before_rename, BeforeRename, TableWriter};
