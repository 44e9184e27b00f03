//! The subgroup_rates table: one row per gene x subgroup x therapy x outcome.
//!
//! Written by `tailor estimate`. Counts of 1 to the suppression threshold are
//! null, with `suppressed` set and a reason.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Version of this table's schema; bump on any column change.
pub const SCHEMA_VERSION: u32 = 1;
/// The table's name in metadata and file names (`subgroup_rates.parquet`).
pub const TABLE: &str = "subgroup_rates";

/// HGNC gene symbol.
pub const GENE: &str = "gene";
/// How subgroups are formed: `phenotype`, `diplotype`, `activity_score`, ...
pub const GROUPING: &str = "grouping";
/// The subgroup (e.g. `Poor Metabolizer`).
pub const SUBGROUP: &str = "subgroup";
/// Therapy.
pub const THERAPY: &str = "therapy";
/// Outcome name, as configured.
pub const OUTCOME: &str = "outcome";
/// Number of patients (null when suppressed).
pub const N: &str = "n";
/// Number of events for a binary or time-to-event outcome.
pub const EVENTS: &str = "events";
/// Event rate, or mean for a continuous outcome.
pub const ESTIMATE: &str = "estimate";
/// Lower 95% confidence bound of `estimate`.
pub const CI_LOW: &str = "ci_low";
/// Upper 95% confidence bound of `estimate`.
pub const CI_HIGH: &str = "ci_high";
/// Whether the row's numbers are suppressed (small cells).
pub const SUPPRESSED: &str = "suppressed";
/// Why the row is suppressed.
pub const SUPPRESSION_REASON: &str = "suppression_reason";

/// The Arrow schema of the subgroup_rates table.
pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new(GENE, DataType::Utf8, false),
        Field::new(GROUPING, DataType::Utf8, false),
        Field::new(SUBGROUP, DataType::Utf8, false),
        Field::new(THERAPY, DataType::Utf8, false),
        Field::new(OUTCOME, DataType::Utf8, false),
        Field::new(N, DataType::Int64, true),
        Field::new(EVENTS, DataType::Int64, true),
        Field::new(ESTIMATE, DataType::Float64, true),
        Field::new(CI_LOW, DataType::Float64, true),
        Field::new(CI_HIGH, DataType::Float64, true),
        Field::new(SUPPRESSED, DataType::Boolean, false),
        Field::new(SUPPRESSION_REASON, DataType::Utf8, true),
    ]))
}
