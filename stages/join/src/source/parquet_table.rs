//! Parquet clinical tables: text, integer, float, boolean and dictionary
//! columns, read batch by batch through a column projection.

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;

use super::{io, Cell, ColumnView, Pass};
use crate::error::{Error, Result};
use crate::value::NaTokens;

/// A Parquet table with its schema read.
pub(crate) struct ParquetTable {
    path: PathBuf,
    builder: ParquetRecordBatchReaderBuilder<File>,
    columns: Vec<String>,
    na: NaTokens,
}

impl ParquetTable {
    pub(crate) fn open(path: &Path, na: NaTokens) -> Result<Self> {
        let file = File::open(path).map_err(io(path, "opening"))?;
        let builder =
            ParquetRecordBatchReaderBuilder::try_new(file).map_err(|source| Error::Parquet {
                path: path.to_path_buf(),
                source,
            })?;
        let columns = builder
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().trim().to_owned())
            .collect();
        Ok(Self {
            path: path.to_path_buf(),
            builder,
            columns,
            na,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn columns(&self) -> &[String] {
        &self.columns
    }

    pub(crate) fn for_each_row(
        self,
        wanted: &[usize],
        f: &mut dyn FnMut(u64, &[Cell<'_>]) -> Result<()>,
    ) -> Result<Pass> {
        let schema = self.builder.schema().clone();
        for &index in wanted {
            let field = schema.field(index);
            if !readable(field.data_type()) {
                return Err(Error::UnsupportedType {
                    path: self.path.clone(),
                    column: field.name().clone(),
                    data_type: field.data_type().to_string(),
                });
            }
        }
        let mut roots: Vec<usize> = wanted.to_vec();
        roots.sort_unstable();
        roots.dedup();
        let mask = ProjectionMask::roots(self.builder.parquet_schema(), roots.iter().copied());
        let parquet = |source| Error::Parquet {
            path: self.path.clone(),
            source,
        };
        let reader = self
            .builder
            .with_projection(mask)
            .with_batch_size(1 << 14)
            .build()
            .map_err(parquet)?;
        // Position of each wanted column in the projected batch.
        let positions: Vec<usize> = wanted
            .iter()
            .map(|w| roots.iter().position(|r| r == w).unwrap_or_default())
            .collect();
        let mut pass = Pass::default();
        for batch in reader {
            let batch: RecordBatch = batch.map_err(|source| Error::Parquet {
                path: self.path.clone(),
                source: source.into(),
            })?;
            let views: Vec<ColumnView<'_>> = positions
                .iter()
                .map(|&p| ColumnView::new(batch.column(p).as_ref()))
                .collect();
            let mut cells = Vec::with_capacity(views.len());
            for row in 0..batch.num_rows() {
                cells.clear();
                cells.extend(views.iter().map(|v| v.cell(row, &self.na)));
                if cells.iter().all(|c| matches!(c, Cell::Na(_))) {
                    pass.blank_rows += 1;
                    continue;
                }
                pass.rows += 1;
                f(pass.rows + pass.blank_rows, &cells)?;
            }
        }
        Ok(pass)
    }
}

fn readable(data_type: &DataType) -> bool {
    match data_type {
        DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float32
        | DataType::Float64
        | DataType::Null => true,
        DataType::Dictionary(_, values) => readable(values),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::types::Int32Type as Key;
    use arrow_array::{
        Array, BooleanArray, DictionaryArray, Float64Array, Int64Array, StringArray,
    };
    use arrow_schema::{Field, Schema};

    use super::*;

    #[test]
    fn reads_typed_columns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.parquet");
        let drug: DictionaryArray<Key> = vec![Some("a"), None, Some("NA")].into_iter().collect();
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, false),
            Field::new("drug", drug.data_type().clone(), true),
            Field::new("age", DataType::Float64, true),
            Field::new("event", DataType::Boolean, true),
            Field::new("note", DataType::Utf8, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from(vec![1, 2, 3])),
                Arc::new(drug),
                Arc::new(Float64Array::from(vec![Some(61.5), Some(f64::NAN), None])),
                Arc::new(BooleanArray::from(vec![Some(true), None, Some(false)])),
                Arc::new(StringArray::from(vec![Some(" x "), None, None])),
            ],
        )
        .unwrap();
        let file = File::create(&path).unwrap();
        let mut writer = parquet::arrow::ArrowWriter::try_new(file, schema, None).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();

        let na = NaTokens::new(&["NA".into()]);
        let table = ParquetTable::open(&path, na).unwrap();
        assert_eq!(table.columns(), ["id", "drug", "age", "event", "note"]);
        let mut seen = Vec::new();
        table
            .for_each_row(&[4, 0, 1, 2, 3], &mut |line, cells| {
                seen.push((line, format!("{cells:?}")));
                Ok(())
            })
            .unwrap();
        assert_eq!(seen.len(), 3);
        assert_eq!(
            seen[0].1,
            "[Text(\"x\"), Integer(1), Text(\"a\"), Number(61.5), Bool(true)]"
        );
        // Typed nulls and NaN are missing as nulls; the text "NA" by its token.
        assert_eq!(
            seen[1].1,
            "[Na(Null), Integer(2), Na(Null), Na(Null), Na(Null)]"
        );
        assert_eq!(seen[2].0, 3);
        assert_eq!(
            seen[2].1,
            "[Na(Null), Integer(3), Na(Token(0)), Na(Null), Bool(false)]"
        );
    }
}
