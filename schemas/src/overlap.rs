//! The overlap table: propensity scores and weights of each weighted
//! therapy comparison, one row per gene x subgroup x therapy contrast x
//! outcome.
//!
//! Written by `tailor estimate` when `weighting` is configured. The
//! propensity score is the probability of the therapy (against the
//! comparator) from a logistic regression on the configured covariates,
//! fitted within the subgroup on the outcome's complete cases. Weights are
//! 1/e (therapy) and 1/(1 − e) (comparator), truncated at the percentiles
//! of the pooled weights named in the `tailor.parameters` entry
//! `weight_truncation`. Overlap is poor when one arm's scores reach where
//! the other arm has none, and the effective sample size (Kish,
//! (Σw)²/Σw²) shows what the weighted estimate rests on. When the
//! covariates separate the arms (the propensity fit shows separation)
//! `status` is `no_overlap` and no weighted estimate is made. A row whose
//! comparison involves a suppressed subgroup_rates cell, or whose arm has
//! 1..k complete cases, has every number null and `suppressed` true.
//!
//! Columns:

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Version of this table's schema; bump on any column change.
pub const SCHEMA_VERSION: u32 = 1;
/// The table's name in metadata and file names (`overlap.parquet`).
pub const TABLE: &str = "overlap";

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
/// `Utf8`: `ok`, or why there is no propensity model (`no_overlap`,
/// `not_estimable`, `not_converged`; ([`ModelStatus`](crate::status::ModelStatus))).
pub const STATUS: &str = "status";
/// `Int64`: complete cases in the therapy arm.
pub const N_THERAPY: &str = "n_therapy";
/// `Int64`: complete cases in the comparator arm.
pub const N_COMPARATOR: &str = "n_comparator";
/// `Float64`: smallest propensity score in the therapy arm.
pub const PS_MIN_THERAPY: &str = "ps_min_therapy";
/// `Float64`: largest propensity score in the therapy arm.
pub const PS_MAX_THERAPY: &str = "ps_max_therapy";
/// `Float64`: smallest propensity score in the comparator arm.
pub const PS_MIN_COMPARATOR: &str = "ps_min_comparator";
/// `Float64`: largest propensity score in the comparator arm.
pub const PS_MAX_COMPARATOR: &str = "ps_max_comparator";
/// `Float64`: the weight at the lower truncation percentile (smaller
/// weights were raised to it).
pub const WEIGHT_LOW: &str = "weight_low";
/// `Float64`: the weight at the upper truncation percentile (larger
/// weights were lowered to it).
pub const WEIGHT_HIGH: &str = "weight_high";
/// `Int64`: weights changed by truncation (set by the percentiles and the
/// number of rows, up to ties: not a count of patients with a trait).
pub const WEIGHTS_TRUNCATED: &str = "weights_truncated";
/// `Float64`: Kish effective sample size of the weighted therapy arm.
pub const ESS_THERAPY: &str = "ess_therapy";
/// `Float64`: Kish effective sample size of the weighted comparator arm.
pub const ESS_COMPARATOR: &str = "ess_comparator";
/// `Boolean`: whether the row's numbers are suppressed (small cells).
pub const SUPPRESSED: &str = "suppressed";
/// `Utf8`: why (`derived_from_suppressed_cell`, `small_cell`)
/// ([`SuppressionReason`](crate::small_cells::SuppressionReason)); null when shown.
pub const SUPPRESSION_REASON: &str = "suppression_reason";

/// The Arrow schema of the overlap table.
pub fn schema() -> SchemaRef {
    let utf8 = |name| Field::new(name, DataType::Utf8, false);
    let f64n = |name| Field::new(name, DataType::Float64, true);
    let i64n = |name| Field::new(name, DataType::Int64, true);
    Arc::new(Schema::new(vec![
        utf8(GENE),
        utf8(GROUPING),
        utf8(SUBGROUP),
        utf8(THERAPY),
        utf8(COMPARATOR),
        utf8(OUTCOME),
        Field::new(STATUS, DataType::Utf8, true),
        i64n(N_THERAPY),
        i64n(N_COMPARATOR),
        f64n(PS_MIN_THERAPY),
        f64n(PS_MAX_THERAPY),
        f64n(PS_MIN_COMPARATOR),
        f64n(PS_MAX_COMPARATOR),
        f64n(WEIGHT_LOW),
        f64n(WEIGHT_HIGH),
        i64n(WEIGHTS_TRUNCATED),
        f64n(ESS_THERAPY),
        f64n(ESS_COMPARATOR),
        Field::new(SUPPRESSED, DataType::Boolean, false),
        Field::new(SUPPRESSION_REASON, DataType::Utf8, true),
    ]))
}
