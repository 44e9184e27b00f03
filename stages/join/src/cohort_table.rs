//! Building the cohort table's Arrow batches (schema from
//! [`tailor_schemas::cohort::schema`]) and writing them.

use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, SchemaRef};
use tailor_tables::{TableMetadata, TableWriter};

use crate::calls::Calls;
use crate::clinical_rows::ClinicalRows;
use crate::cohort::{Cohort, OutputId};
use crate::column::Value;
use crate::error::Result;

/// Rows per built batch: a batch's Arrow arrays (every gene's text columns,
/// about 2 KB a row) would be the largest allocation, so batches stay
/// small: the Parquet writer's own 1,024-row mini-batch, so the file's
/// bytes do not depend on it.
const BATCH_ROWS: usize = 1 << 10;

/// Rows per row group: the writer holds one group's encoded pages.
const ROW_GROUP_ROWS: usize = 1 << 14;

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

/// What the cohort table is built from.
pub(crate) struct CohortSource<'a> {
    pub cohort: &'a Cohort,
    pub rows: &'a ClinicalRows,
    /// How each slot is written.
    pub types: &'a [ColumnType],
    pub calls: &'a Calls,
    /// Per output gene, its index in the calls table.
    pub genes: &'a [Option<usize>],
}

/// Writes the cohort's rows, in output order, to `path`, a batch of
/// [`BATCH_ROWS`] rows at a time.
pub(crate) fn write_cohort(
    path: &Path,
    schema: SchemaRef,
    metadata: &TableMetadata,
    source: &CohortSource<'_>,
) -> Result<()> {
    let mut writer =
        TableWriter::create_with_row_group_rows(path, schema.clone(), metadata, ROW_GROUP_ROWS)?;
    let rows = source.cohort.len();
    for start in (0..rows).step_by(BATCH_ROWS) {
        let end = (start + BATCH_ROWS).min(rows);
        let batch = build_batch(path, schema.clone(), source, start, end)?;
        writer.write(&batch)?;
    }
    writer.finish()?;
    Ok(())
}

/// Appends an output id as text (a pseudonym as 64 lowercase hex digits).
fn append_id(builder: &mut StringBuilder, id: Option<OutputId<'_>>) {
    match id {
        None => builder.append_null(),
        Some(OutputId::Plain(text)) => builder.append_value(text),
        Some(OutputId::Pseudonym(bytes)) => {
            let mut hex_digits = [0u8; 64];
            // 32 bytes always fit 64 hex digits.
            let _ = hex::encode_to_slice(bytes, &mut hex_digits);
            builder.append_value(std::str::from_utf8(&hex_digits).unwrap_or_default());
        }
    }
}

/// The batch of the rows at output positions `start..end`.
fn build_batch(
    path: &Path,
    schema: SchemaRef,
    source: &CohortSource<'_>,
    start: usize,
    end: usize,
) -> Result<RecordBatch> {
    let CohortSource {
        cohort,
        rows: clinical,
        types,
        calls,
        genes,
    } = *source;
    let n = end - start;
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    let mut ids = StringBuilder::with_capacity(n, n * 64);
    let mut episodes = StringBuilder::with_capacity(n, n * 8);
    for (id, episode) in cohort.chunk_ids(clinical, start, end) {
        append_id(&mut ids, id);
        append_id(&mut episodes, episode);
    }
    columns.push(Arc::new(ids.finish()));
    columns.push(Arc::new(episodes.finish()));
    for (slot, column_type) in types.iter().enumerate() {
        let values = cohort
            .chunk(start, end)
            .map(|e| clinical.value(e.row as usize, slot));
        columns.push(match column_type {
            ColumnType::Utf8 => {
                let mut b = StringBuilder::with_capacity(n, n * 8);
                for v in values {
                    b.append_option(match v {
                        Value::Text(code) => Some(clinical.text(code)),
                        _ => None,
                    });
                }
                Arc::new(b.finish())
            }
            ColumnType::Float64 => {
                let mut b = Float64Builder::with_capacity(n);
                for v in values {
                    b.append_option(match v {
                        Value::Number(x) => Some(x),
                        _ => None,
                    });
                }
                Arc::new(b.finish())
            }
            ColumnType::Boolean => {
                let mut b = BooleanBuilder::with_capacity(n);
                for v in values {
                    b.append_option(match v {
                        Value::Bool(x) => Some(x),
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
        for entry in cohort.chunk(start, end) {
            match gene.and_then(|g| calls.call(g, entry.sample)) {
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
