//! A read position in one shard's batches, and the runs of rows the merge
//! takes from it.

use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::RecordBatch;

use crate::shard_merge::ShardMergeError;
use crate::TableBatches;

/// A shard's batches with a read position.
pub(crate) struct Cursor {
    /// The shard's file.
    pub(crate) path: PathBuf,
    batches: TableBatches,
    batch: Option<RecordBatch>,
    offset: usize,
}

impl Cursor {
    pub(crate) fn new(batches: TableBatches) -> Result<Self, ShardMergeError> {
        let mut cursor = Self {
            path: batches.path().to_path_buf(),
            batches,
            batch: None,
            offset: 0,
        };
        cursor.advance()?;
        Ok(cursor)
    }

    /// Moves to the next row, reading the next non-empty batch when needed.
    fn advance(&mut self) -> Result<(), ShardMergeError> {
        while self
            .batch
            .as_ref()
            .is_none_or(|b| self.offset >= b.num_rows())
        {
            match self.batches.next() {
                Some(batch) => {
                    self.batch = Some(batch?);
                    self.offset = 0;
                }
                None => {
                    self.batch = None;
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// The current row's text in `column`, or `None` at the end.
    pub(crate) fn text(&self, column: &str) -> Result<Option<String>, ShardMergeError> {
        let Some(batch) = &self.batch else {
            return Ok(None);
        };
        let values = text_column(batch, column, &self.path)?;
        Ok(Some(values.value(self.offset).to_owned()))
    }

    /// The rows from the current one while `column` has `value` (every
    /// row when `None`), within the current batch (call again for the next
    /// batch); `None` when none.
    pub(crate) fn take_while(
        &mut self,
        equal: Option<(&str, &str)>,
    ) -> Result<Option<RecordBatch>, ShardMergeError> {
        let Some(batch) = &self.batch else {
            return Ok(None);
        };
        let start = self.offset;
        let end = match equal {
            None => batch.num_rows(),
            Some((column, value)) => {
                let values = text_column(batch, column, &self.path)?;
                (start..batch.num_rows())
                    .find(|&i| values.value(i) != value)
                    .unwrap_or(batch.num_rows())
            }
        };
        if end == start {
            return Ok(None);
        }
        let slice = batch.slice(start, end - start);
        self.offset = end;
        self.advance()?;
        Ok(Some(slice))
    }
}

/// Column `column` of `batch` (a shard's, from `path`) as text.
pub(crate) fn text_column<'a>(
    batch: &'a RecordBatch,
    column: &str,
    path: &Path,
) -> Result<&'a arrow_array::StringArray, ShardMergeError> {
    batch
        .column_by_name(column)
        .and_then(|c| c.as_string_opt::<i32>())
        .ok_or_else(|| ShardMergeError::Column {
            path: path.to_path_buf(),
            column: column.to_owned(),
        })
}
