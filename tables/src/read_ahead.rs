//! Decoding a table's batches on a thread of their own, ahead of the
//! consumer: Parquet decoding (decompression, dictionaries, string
//! offsets) overlaps with whatever the consumer does with each batch.

use std::sync::mpsc::{sync_channel, Receiver};
use std::thread::JoinHandle;

use arrow_array::RecordBatch;

use crate::{Result, TableBatches};

/// The batches of a [`TableBatches`], decoded by a thread of their own at
/// most `ahead` batches before the consumer takes them (memory: `ahead`
/// decoded batches besides the consumer's). In order, errors included; a
/// panic while decoding is raised again on the consumer's thread.
/// Dropping it stops the thread after the batch it is decoding.
pub struct ReadAhead {
    /// `None` once the stream ended.
    batches: Option<Receiver<Result<RecordBatch>>>,
    /// The decoding thread, joined when the stream ends or is dropped.
    decoder: Option<JoinHandle<()>>,
}

impl ReadAhead {
    /// Starts decoding `batches` on a new thread, at most `ahead` (at
    /// least 1) batches ahead.
    pub fn new(batches: TableBatches, ahead: usize) -> Self {
        let (send, receive) = sync_channel(ahead.max(1));
        let decoder = std::thread::spawn(move || {
            for batch in batches {
                let failed = batch.is_err();
                // A closed channel: the consumer is gone.
                if send.send(batch).is_err() || failed {
                    return;
                }
            }
        });
        Self {
            batches: Some(receive),
            decoder: Some(decoder),
        }
    }

    /// Joins the decoding thread, raising its panic here if it panicked.
    fn join(&mut self) {
        self.batches = None;
        if let Some(decoder) = self.decoder.take() {
            if let Err(panic) = decoder.join() {
                std::panic::resume_unwind(panic);
            }
        }
    }
}

impl Iterator for ReadAhead {
    type Item = Result<RecordBatch>;

    fn next(&mut self) -> Option<Self::Item> {
        let next = self.batches.as_ref()?.recv().ok();
        if next.is_none() {
            self.join();
        }
        next
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        // Closing the channel first makes the thread's next send fail.
        self.batches = None;
        if let Some(decoder) = self.decoder.take() {
            // A panic is not raised again while dropping (it could be
            // during another unwind); the stream was abandoned anyway.
            let _ = decoder.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, UInt32Array};
    use arrow_schema::{DataType, Field, Schema};

    use super::*;
    use crate::{TableMetadata, TableWriter};

    /// A one-column table of `rows` rows written in batches of `batch`.
    fn table(dir: &std::path::Path, rows: u32, batch: u32) -> std::path::PathBuf {
        let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::UInt32, false)]));
        let path = dir.join("t.parquet");
        let metadata = TableMetadata::new("test", 1);
        let mut writer = TableWriter::create(&path, schema.clone(), &metadata).unwrap();
        for start in (0..rows).step_by(batch as usize) {
            let values: ArrayRef = Arc::new(UInt32Array::from_iter_values(
                start..(start + batch).min(rows),
            ));
            writer
                .write(&RecordBatch::try_new(schema.clone(), vec![values]).unwrap())
                .unwrap();
        }
        writer.finish().unwrap();
        path
    }

    fn values(batches: impl Iterator<Item = Result<RecordBatch>>) -> Vec<u32> {
        batches
            .flat_map(|b| {
                let b = b.unwrap();
                let column = b.column(0).as_any().downcast_ref::<UInt32Array>().unwrap();
                column.values().to_vec()
            })
            .collect()
    }

    #[test]
    fn batches_read_ahead_are_the_batches_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = table(dir.path(), 200_000, 30_000);
        let direct = values(TableBatches::open(&path, None).unwrap());
        assert_eq!(direct, (0..200_000).collect::<Vec<u32>>());
        for ahead in [1, 2, 8] {
            let batches = ReadAhead::new(TableBatches::open(&path, None).unwrap(), ahead);
            assert_eq!(values(batches), direct);
        }
        // Dropped before the end: the thread stops, nothing hangs.
        let mut batches = ReadAhead::new(TableBatches::open(&path, None).unwrap(), 1);
        assert!(batches.next().is_some());
        drop(batches);
    }
}
