//! Building the cohort table's Arrow batches (schema from
//! [`tailor_schemas::cohort::schema`]) and writing them.

use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, SchemaRef};
use tailor_tables::{TableMetadata, TableWriter};

use crate::calls::Calls;
use crate::clinical::Value;
use crate::error::Result;

/// Rows per written batch.
const BATCH_ROWS: usize = 1 << 16;

/// One row of the cohort table.
#[derive(Clone, Debug)]
pub(crate) struct CohortRow {
    /// Output id (pseudonym or trimmed id).
    pub patient_id: String,
    pub episode: Option<Box<str>>,
    pub values: Vec<Value>,
    /// Sample index in the calls table.
    pub sample: u32,
}

/// How each slot is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColumnType {
    Utf8,
    Float64,
    Boolean,
}

impl ColumnType {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "Utf8",
            Self::Float64 => "Float64",
            Self::Boolean => "Boolean",
        }
    }
}

/// Writes `rows` (already sorted) to `path`.
pub(crate) fn write_cohort(
    path: &Path,
    schema: SchemaRef,
    metadata: &TableMetadata,
    rows: &[CohortRow],
    types: &[ColumnType],
    calls: &Calls,
    genes: &[Option<usize>],
) -> Result<()> {
    let mut writer = TableWriter::create(path, schema.clone(), metadata)?;
    for chunk in rows.chunks(BATCH_ROWS) {
        let batch = build_batch(path, schema.clone(), chunk, types, calls, genes)?;
        writer.write(&batch)?;
    }
    writer.finish()?;
    Ok(())
}

fn build_batch(
    path: &Path,
    schema: SchemaRef,
    rows: &[CohortRow],
    types: &[ColumnType],
    calls: &Calls,
    genes: &[Option<usize>],
) -> Result<RecordBatch> {
    let n = rows.len();
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    let mut ids = StringBuilder::with_capacity(n, n * 64);
    let mut episodes = StringBuilder::with_capacity(n, n * 8);
    for row in rows {
        ids.append_value(&row.patient_id);
        episodes.append_option(row.episode.as_deref());
    }
    columns.push(Arc::new(ids.finish()));
    columns.push(Arc::new(episodes.finish()));
    for (slot, column_type) in types.iter().enumerate() {
        let values = rows
            .iter()
            .map(|r| r.values.get(slot).unwrap_or(&Value::Na));
        columns.push(match column_type {
            ColumnType::Utf8 => {
                let mut b = StringBuilder::with_capacity(n, n * 8);
                for v in values {
                    b.append_option(match v {
                        Value::Text(t) => Some(t.as_ref()),
                        _ => None,
                    });
                }
                Arc::new(b.finish())
            }
            ColumnType::Float64 => {
                let mut b = Float64Builder::with_capacity(n);
                for v in values {
                    b.append_option(match v {
                        Value::Number(x) => Some(*x),
                        _ => None,
                    });
                }
                Arc::new(b.finish())
            }
            ColumnType::Boolean => {
                let mut b = BooleanBuilder::with_capacity(n);
                for v in values {
                    b.append_option(match v {
                        Value::Bool(x) => Some(*x),
                        _ => None,
                    });
                }
                Arc::new(b.finish())
            }
        });
    }
    for gene in genes {
        let mut phenotype = StringBuilder::new();
        let mut diplotype = StringBuilder::new();
        let mut activity = Float64Builder::with_capacity(n);
        let mut flags = ListBuilder::new(StringBuilder::new()).with_field(Field::new(
            "item",
            DataType::Utf8,
            false,
        ));
        let mut source = StringBuilder::new();
        for row in rows {
            match gene.and_then(|g| calls.call(g, row.sample)) {
                Some(call) => {
                    phenotype.append_option(call.phenotype.as_deref());
                    diplotype.append_option(call.diplotype.as_deref());
                    activity.append_option(call.activity_score);
                    for flag in &call.flags {
                        flags.values().append_value(flag);
                    }
                    flags.append(true);
                    source.append_option(call.source.as_deref());
                }
                None => {
                    phenotype.append_null();
                    diplotype.append_null();
                    activity.append_null();
                    flags.append(false);
                    source.append_null();
                }
            }
        }
        columns.push(Arc::new(phenotype.finish()));
        columns.push(Arc::new(diplotype.finish()));
        columns.push(Arc::new(activity.finish()));
        columns.push(Arc::new(flags.finish()));
        columns.push(Arc::new(source.finish()));
    }
    RecordBatch::try_new(schema, columns).map_err(|source| {
        tailor_tables::Error::Arrow {
            path: path.to_path_buf(),
            source,
        }
        .into()
    })
}
