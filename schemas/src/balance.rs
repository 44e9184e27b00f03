//! The balance table: covariate balance of each weighted therapy
//! comparison, one row per gene x subgroup x therapy contrast x outcome x
//! covariate term.
//!
//! Written by `tailor estimate` when `weighting` is configured (IPW/AIPW
//! rows in subgroup_effects). For every covariate term of the propensity
//! model (a numeric covariate, or one level of a categorical covariate
//! against its reference level) the standardised mean difference between
//! the two arms, before and after inverse-probability weighting:
//! (mean₁ − mean₀) / sqrt((s₁² + s₀²)/2), s² the unweighted sample
//! variances of the arms; after weighting the means are weighted and the
//! denominator is unchanged (Austin & Stuart 2015). |SMD| < 0.1 is the
//! usual mark of balance. Rows are over the complete cases the weighted
//! estimates use. A row whose comparison involves a suppressed
//! subgroup_rates cell, or whose arm has 1..k complete cases, has null
//! SMDs and `suppressed` true.
//!
//! Columns:

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Version of this table's schema; bump on any column change.
pub const SCHEMA_VERSION: u32 = 1;
/// The table's name in metadata and file names (`balance.parquet`).
pub const TABLE: &str = "balance";

/// `Utf8`: HGNC gene symbol.
pub const GENE: &str = "gene";
/// `Utf8`: how subgroups are formed (as in subgroup_effects).
pub const GROUPING: &str = "grouping";
/// `Utf8`: the subgroup within which the therapies are compared.
pub const SUBGROUP: &str = "subgroup";
/// `Utf8`: the therapy (arm 1).
pub const THERAPY: &str = "therapy";
/// `Utf8`: the comparator therapy (arm 0).
pub const COMPARATOR: &str = "comparator";
/// `Utf8`: outcome name (its complete cases define the rows).
pub const OUTCOME: &str = "outcome";
/// `Utf8`: the covariate, or `covariate=level` for a level of a
/// categorical covariate.
pub const TERM: &str = "term";
/// `Float64`: standardised mean difference before weighting (null when the
/// pooled standard deviation is 0 or an arm has fewer than 2 rows).
pub const SMD_UNWEIGHTED: &str = "smd_unweighted";
/// `Float64`: standardised mean difference after weighting.
pub const SMD_WEIGHTED: &str = "smd_weighted";
/// `Boolean`: whether the row's numbers are suppressed (small cells).
pub const SUPPRESSED: &str = "suppressed";
/// `Utf8`: why (`derived_from_suppressed_cell`, `small_cell`)
/// ([`SuppressionReason`](crate::small_cells::SuppressionReason)); null when shown.
pub const SUPPRESSION_REASON: &str = "suppression_reason";

/// The Arrow schema of the balance table.
pub fn schema() -> SchemaRef {
    let utf8 = |name| Field::new(name, DataType::Utf8, false);
    let f64n = |name| Field::new(name, DataType::Float64, true);
    Arc::new(Schema::new(vec![
        utf8(GENE),
        utf8(GROUPING),
        utf8(SUBGROUP),
        utf8(THERAPY),
        utf8(COMPARATOR),
        utf8(OUTCOME),
        utf8(TERM),
        f64n(SMD_UNWEIGHTED),
        f64n(SMD_WEIGHTED),
        Field::new(SUPPRESSED, DataType::Boolean, false),
        Field::new(SUPPRESSION_REASON, DataType::Utf8, true),
    ]))
}
