//! The copy-number table ([`tailor_schemas::copy_number`]) as Arrow and
//! Parquet.

use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{
    Float64Builder, ListBuilder, StringBuilder, UInt32Builder, UInt8Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field};
use tailor_schemas::copy_number;
use tailor_tables::{TableMetadata, TableWriter};

use crate::call::CopyNumberCall;
use crate::error::Result;
use crate::options::Options;

/// The copy-number table's batch of `calls` (gene CYP2D6, in the order
/// given).
///
/// # Errors
/// An Arrow error if the columns do not fit the schema (a bug).
pub fn batch(calls: &[CopyNumberCall]) -> Result<RecordBatch> {
    let strings = |f: &dyn Fn(&CopyNumberCall) -> String| -> ArrayRef {
        let mut b = StringBuilder::new();
        for c in calls {
            b.append_value(f(c));
        }
        Arc::new(b.finish())
    };
    let reals = |f: &dyn Fn(&CopyNumberCall) -> Option<f64>| -> ArrayRef {
        let mut b = Float64Builder::new();
        for c in calls {
            b.append_option(f(c));
        }
        Arc::new(b.finish())
    };
    let counts = |f: &dyn Fn(&CopyNumberCall) -> u32| -> ArrayRef {
        let mut b = UInt32Builder::new();
        for c in calls {
            b.append_value(f(c));
        }
        Arc::new(b.finish())
    };
    let mut copy_numbers = UInt8Builder::new();
    let item = Field::new("item", DataType::Utf8, false);
    let mut flags = ListBuilder::new(StringBuilder::new()).with_field(Arc::new(item));
    for c in calls {
        copy_numbers.append_option(c.copy_number);
        for flag in &c.flags {
            flags.values().append_value(flag.as_str());
        }
        flags.append(true);
    }
    let columns: Vec<ArrayRef> = vec![
        strings(&|c| c.sample_id.clone()),
        strings(&|_| "CYP2D6".to_owned()),
        reals(&|c| c.estimate),
        Arc::new(copy_numbers.finish()),
        reals(&|c| c.confidence),
        strings(&|c| c.method.as_str().to_owned()),
        strings(&|c| c.coverage.as_str().to_owned()),
        reals(&|c| c.total_copy_number),
        reals(&|c| c.normalised_depth),
        reals(&|c| Some(c.cyp2d6_depth)),
        reals(&|c| Some(c.cyp2d7_depth)),
        reals(&|c| c.body.share()),
        reals(&|c| c.share_5prime),
        reals(&|c| c.share_3prime),
        counts(&|c| c.body.cyp2d6),
        counts(&|c| c.body.cyp2d7),
        Arc::new(flags.finish()),
        strings(&|c| c.source.clone()),
    ];
    Ok(RecordBatch::try_new(copy_number::schema(), columns)?)
}

/// Writes `calls` to `path` atomically with `metadata` (see
/// [`table_metadata`]).
///
/// # Errors
/// The table could not be written.
pub fn write_table(path: &Path, calls: &[CopyNumberCall], metadata: &TableMetadata) -> Result<()> {
    let mut writer = TableWriter::create(path, copy_number::schema(), metadata)?;
    writer.write(&batch(calls)?)?;
    writer.finish()?;
    Ok(())
}

/// The metadata of a copy-number table made with `options`: its
/// thresholds go into the parameters (add the inputs' identities).
pub fn table_metadata(options: &Options) -> TableMetadata {
    let mut metadata = TableMetadata::new(copy_number::TABLE, copy_number::SCHEMA_VERSION);
    metadata.parameters = serde_json::json!({
        "min_mapping_quality": options.min_mapping_quality,
        "min_base_quality": options.min_base_quality,
        "min_confidence": options.min_confidence,
        "min_fragments": options.min_fragments,
    });
    metadata
}
