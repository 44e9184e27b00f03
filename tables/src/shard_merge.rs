//! Rows of several shards of one table, streamed into one table in the
//! order and batch sizes the unsharded run writes (the Parquet writer's
//! pages depend on how rows arrive, so equal bytes need equal batches).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use arrow_schema::SchemaRef;

use crate::shard_cursor::{text_column, Cursor};
use crate::{Error, Result, TableBatches, TableWriter};

/// How the shards' rows are ordered in the merged table, and batched.
#[derive(Clone, Copy, Debug)]
pub enum ShardOrder<'a> {
    /// Runs of equal `group` values (genotypes: a gene) in the first
    /// shard's order, each run the shards' rows in shard order; a run is
    /// written in batches of as many whole samples as fit in
    /// `batch_rows`, or whole when `batch_rows` is `None`.
    Grouped {
        /// The grouping column (`gene`).
        group: &'a str,
        /// Rows per batch to aim for.
        batch_rows: Option<usize>,
    },
    /// The shards' rows merged by `key` ascending (calls: sample id, each
    /// shard sorted), in batches of exactly `batch_rows` (the last shorter).
    Sorted {
        /// The sort column.
        key: &'a str,
        /// Rows per batch.
        batch_rows: usize,
    },
    /// The shards' rows one after another, in one batch.
    Concatenated,
}

/// A merge that cannot give the unsharded table.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShardMergeError {
    /// Two shards have rows of the same sample.
    #[error(
        "{} and {} have rows of the same sample: shards overlap; make every shard \
         with the same -s/-S and one --shard .../N", first.display(), second.display()
    )]
    Overlap {
        /// The earlier shard.
        first: PathBuf,
        /// The later one.
        second: PathBuf,
    },
    /// A shard's groups (genes) are not the others'.
    #[error(
        "{}: its genes differ from {}'s ({found:?} where {expected:?} was next); \
         make every shard with the same --genes/-r/-R", path.display(), reference.display()
    )]
    Groups {
        /// The shard.
        path: PathBuf,
        /// The shard whose order is followed.
        reference: PathBuf,
        /// The group expected next.
        expected: String,
        /// What the shard has there.
        found: String,
    },
    /// A column is missing or not text.
    #[error("{}: no text column {column:?}", path.display())]
    Column {
        /// The shard.
        path: PathBuf,
        /// The column.
        column: String,
    },
    /// Reading or writing failed.
    #[error(transparent)]
    Table(#[from] Error),
}

/// Writes the rows of `shards` (opened, in shard order) into `output` with
/// `schema` and the key-value entries `pairs`, ordered and batched as
/// `order` says; `sample` is the sample column, checked for overlaps.
/// Returns the rows written. On error nothing is left at `output`.
///
/// # Errors
/// [`ShardMergeError`] naming the shard.
pub fn merge_shards(
    shards: Vec<TableBatches>,
    output: &Path,
    schema: SchemaRef,
    pairs: Vec<(String, String)>,
    order: ShardOrder<'_>,
    sample: &str,
) -> Result<usize, ShardMergeError> {
    let mut cursors = shards
        .into_iter()
        .map(Cursor::new)
        .collect::<Result<Vec<_>, _>>()?;
    let mut writer = TableWriter::create_with_pairs(output, schema, pairs)?;
    let mut out = Output {
        writer: &mut writer,
        pending: Vec::new(),
        pending_rows: 0,
        rows: 0,
        owners: HashMap::new(),
        sample,
    };
    match order {
        ShardOrder::Grouped { group, batch_rows } => {
            merge_grouped(&mut cursors, &mut out, group, batch_rows)?
        }
        ShardOrder::Sorted { key, batch_rows } => {
            merge_sorted(&mut cursors, &mut out, key, batch_rows)?
        }
        ShardOrder::Concatenated => {
            for (s, cursor) in cursors.iter_mut().enumerate() {
                while let Some(slice) = cursor.take_while(None)? {
                    out.push(slice, s, &cursor.path)?;
                }
            }
            out.flush(usize::MAX, true)?;
        }
    }
    let rows = out.rows;
    writer.finish()?;
    Ok(rows)
}

/// Per group: every shard's rows of it, in shard order, in batches of
/// whole samples.
fn merge_grouped(
    cursors: &mut [Cursor],
    out: &mut Output<'_>,
    group: &str,
    batch_rows: Option<usize>,
) -> Result<(), ShardMergeError> {
    loop {
        let mut next = None;
        for cursor in cursors.iter_mut() {
            if let Some(value) = cursor.text(group)? {
                next = Some((value, cursor.path.clone()));
                break;
            }
        }
        let Some((value, reference)) = next else {
            return Ok(());
        };
        let mut chunk = usize::MAX;
        for (s, cursor) in cursors.iter_mut().enumerate() {
            if let Some(found) = cursor.text(group)? {
                if found != value {
                    return Err(ShardMergeError::Groups {
                        path: cursor.path.clone(),
                        reference,
                        expected: value,
                        found,
                    });
                }
            }
            while let Some(slice) = cursor.take_while(Some((group, &value)))? {
                if chunk == usize::MAX {
                    if let Some(rows) = batch_rows {
                        let sites = leading_run(&slice, out.sample);
                        chunk = (rows / sites.max(1)).max(1) * sites.max(1);
                    }
                }
                out.push(slice, s, &cursor.path)?;
                out.flush(chunk, false)?;
            }
        }
        out.flush(chunk, true)?;
    }
}

/// Every shard's rows merged by `key` (each shard sorted by it), in
/// batches of `batch_rows`.
fn merge_sorted(
    cursors: &mut [Cursor],
    out: &mut Output<'_>,
    key: &str,
    batch_rows: usize,
) -> Result<(), ShardMergeError> {
    loop {
        let mut least: Option<(usize, String)> = None;
        for (s, cursor) in cursors.iter_mut().enumerate() {
            if let Some(value) = cursor.text(key)? {
                if least.as_ref().is_none_or(|(_, v)| value < *v) {
                    least = Some((s, value));
                }
            }
        }
        let Some((s, value)) = least else {
            out.flush(batch_rows, true)?;
            return Ok(());
        };
        let cursor = &mut cursors[s];
        while let Some(slice) = cursor.take_while(Some((key, &value)))? {
            out.push(slice, s, &cursor.path)?;
        }
        out.flush(batch_rows, false)?;
    }
}

/// Rows of the leading run of equal `column` values in `batch` (a sample's
/// definition positions).
fn leading_run(batch: &RecordBatch, column: &str) -> usize {
    let Some(values) = batch
        .column_by_name(column)
        .and_then(|c| c.as_string_opt::<i32>())
    else {
        return 1;
    };
    if values.is_empty() {
        return 1;
    }
    let first = values.value(0);
    (0..values.len())
        .take_while(|&i| values.value(i) == first)
        .count()
}

/// The merged table being written: rows not yet written, in order.
struct Output<'a> {
    writer: &'a mut TableWriter,
    pending: Vec<RecordBatch>,
    pending_rows: usize,
    rows: usize,
    /// Which shard each sample's rows came from.
    owners: HashMap<String, (usize, PathBuf)>,
    sample: &'a str,
}

impl Output<'_> {
    /// Queues `slice`, shard `shard`'s rows; checks no other shard had its
    /// samples.
    fn push(
        &mut self,
        slice: RecordBatch,
        shard: usize,
        path: &Path,
    ) -> Result<(), ShardMergeError> {
        let samples = text_column(&slice, self.sample, path)?;
        let mut last: Option<&str> = None;
        for i in 0..samples.len() {
            let name = samples.value(i);
            if samples.is_null(i) || last == Some(name) {
                continue;
            }
            last = Some(name);
            match self.owners.get(name) {
                Some((owner, first)) if *owner != shard => {
                    return Err(ShardMergeError::Overlap {
                        first: first.clone(),
                        second: path.to_path_buf(),
                    })
                }
                Some(_) => {}
                None => {
                    self.owners
                        .insert(name.to_owned(), (shard, path.to_path_buf()));
                }
            }
        }
        self.pending_rows += slice.num_rows();
        self.pending.push(slice);
        Ok(())
    }

    /// Writes batches of exactly `rows` while that many are queued, and
    /// with `all` the rest as one last batch.
    fn flush(&mut self, rows: usize, all: bool) -> Result<(), ShardMergeError> {
        while self.pending_rows >= rows || (all && self.pending_rows > 0) {
            let take = rows.min(self.pending_rows);
            let Some(schema) = self.pending.first().map(RecordBatch::schema) else {
                return Ok(());
            };
            let mut parts = Vec::new();
            let mut needed = take;
            while needed > 0 && !self.pending.is_empty() {
                let head = self.pending.remove(0);
                if head.num_rows() <= needed {
                    needed -= head.num_rows();
                    parts.push(head);
                } else {
                    parts.push(head.slice(0, needed));
                    self.pending
                        .insert(0, head.slice(needed, head.num_rows() - needed));
                    needed = 0;
                }
            }
            let batch =
                arrow_select::concat::concat_batches(&schema, &parts).map_err(|source| {
                    Error::Arrow {
                        path: PathBuf::from("merged table"),
                        source,
                    }
                })?;
            self.writer.write(&batch)?;
            self.pending_rows -= take;
            self.rows += take;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::StringArray;
    use arrow_schema::{DataType, Field, Schema};

    use super::*;
    use crate::{read_table, TableMetadata};

    fn schema() -> SchemaRef {
        Arc::new(Schema::new(vec![
            Field::new("sample_id", DataType::Utf8, false),
            Field::new("gene", DataType::Utf8, false),
        ]))
    }

    /// Writes a shard of (sample, gene) rows and opens it.
    fn shard(dir: &Path, name: &str, rows: &[(&str, &str)]) -> TableBatches {
        let path = dir.join(name);
        let mut writer = TableWriter::create(&path, schema(), &TableMetadata::new("t", 1)).unwrap();
        let column = |i: usize| -> Arc<dyn Array> {
            Arc::new(StringArray::from_iter_values(rows.iter().map(|r| {
                if i == 0 {
                    r.0
                } else {
                    r.1
                }
            })))
        };
        writer
            .write(&RecordBatch::try_new(schema(), vec![column(0), column(1)]).unwrap())
            .unwrap();
        writer.finish().unwrap();
        TableBatches::open(&path, None).unwrap()
    }

    fn rows(path: &Path) -> Vec<(String, String)> {
        let table = read_table(path).unwrap();
        let mut rows = Vec::new();
        for batch in &table.batches {
            let sample = text_column(batch, "sample_id", path).unwrap();
            let gene = text_column(batch, "gene", path).unwrap();
            for i in 0..batch.num_rows() {
                rows.push((sample.value(i).to_owned(), gene.value(i).to_owned()));
            }
        }
        rows
    }

    /// Shard `first` with `rows`, and a second shard of sample B.
    fn two_shards(dir: &Path, first: &str, rows: &[(&str, &str)]) -> Vec<TableBatches> {
        let second = format!("{first}b");
        vec![
            shard(dir, first, rows),
            shard(dir, &second, &[("B", "G1"), ("B", "G2")]),
        ]
    }

    #[test]
    fn sorted_shards_interleave_by_sample_and_grouped_ones_concatenate_per_gene() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("merged.parquet");
        let by_sample = [("A", "G1"), ("A", "G2"), ("C", "G1"), ("C", "G2")];
        let shards = two_shards(dir.path(), "1", &by_sample);
        let order = ShardOrder::Sorted {
            key: "sample_id",
            batch_rows: 3,
        };
        assert_eq!(
            merge_shards(shards, &out, schema(), Vec::new(), order, "sample_id").unwrap(),
            6
        );
        let samples: Vec<String> = rows(&out).into_iter().map(|r| r.0).collect();
        assert_eq!(samples, ["A", "A", "B", "B", "C", "C"]);

        let by_gene = [("A", "G1"), ("C", "G1"), ("A", "G2"), ("C", "G2")];
        let shards = two_shards(dir.path(), "3", &by_gene);
        let order = ShardOrder::Grouped {
            group: "gene",
            batch_rows: Some(2),
        };
        merge_shards(shards, &out, schema(), Vec::new(), order, "sample_id").unwrap();
        let merged: Vec<String> = rows(&out)
            .into_iter()
            .map(|r| format!("{}{}", r.0, r.1))
            .collect();
        assert_eq!(merged, ["AG1", "CG1", "BG1", "AG2", "CG2", "BG2"]);
    }

    #[test]
    fn overlapping_shards_name_both_files_and_leave_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("merged.parquet");
        let shards = vec![
            shard(dir.path(), "1", &[("A", "G1")]),
            shard(dir.path(), "2", &[("A", "G1")]),
        ];
        let error = merge_shards(
            shards,
            &out,
            schema(),
            Vec::new(),
            ShardOrder::Concatenated,
            "sample_id",
        )
        .unwrap_err();
        assert!(matches!(error, ShardMergeError::Overlap { .. }), "{error}");
        assert!(error.to_string().contains("/1 and ") && !error.to_string().contains("\"A\""));
        assert!(!out.exists());
    }
}
