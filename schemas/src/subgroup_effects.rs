//! The subgroup_effects table: one row per gene x subgroup x contrast x outcome.
//!
//! Written by `tailor estimate`.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Version of this table's schema; bump on any column change.
pub const SCHEMA_VERSION: u32 = 1;
/// The table's name in metadata and file names (`subgroup_effects.parquet`).
pub const TABLE: &str = "subgroup_effects";

/// HGNC gene symbol.
pub const GENE: &str = "gene";
/// The subgroup.
pub const SUBGROUP: &str = "subgroup";
/// The contrast, e.g. `clopidogrel vs ticagrelor`.
pub const CONTRAST: &str = "contrast";
/// Outcome name.
pub const OUTCOME: &str = "outcome";
/// Effect measure: `risk_difference`, `risk_ratio`, `odds_ratio`,
/// `mean_difference` or `hazard_ratio`.
pub const MEASURE: &str = "measure";
/// The effect estimate.
pub const EFFECT: &str = "effect";
/// Lower 95% confidence bound.
pub const CI_LOW: &str = "ci_low";
/// Upper 95% confidence bound.
pub const CI_HIGH: &str = "ci_high";
/// Two-sided p-value of the effect.
pub const P_VALUE: &str = "p_value";
/// Likelihood-ratio p-value of the therapy x subgroup interaction.
pub const INTERACTION_P: &str = "interaction_p";
/// Benjamini-Hochberg q-value of the interaction within `family`.
pub const INTERACTION_Q: &str = "interaction_q";
/// Multiplicity family: `confirmatory` (CPIC A/B) or `exploratory`.
pub const FAMILY: &str = "family";
/// Whether the effect is covariate-adjusted.
pub const ADJUSTED: &str = "adjusted";
/// Covariates of the adjusted model, comma-separated.
pub const COVARIATES: &str = "covariates";
/// Model status: `ok`, `separation`, `collinear`, `not_converged`, ...
pub const STATUS: &str = "status";
/// Whether the row's numbers are suppressed (small cells).
pub const SUPPRESSED: &str = "suppressed";
/// Why the row is suppressed.
pub const SUPPRESSION_REASON: &str = "suppression_reason";
/// `favours_therapy`, `favours_comparator`, `inconclusive`, or for
/// subgroup-vs-reference rows `higher`, `lower`, `similar`.
pub const VERDICT: &str = "verdict";

/// The Arrow schema of the subgroup_effects table.
pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new(GENE, DataType::Utf8, false),
        Field::new(SUBGROUP, DataType::Utf8, false),
        Field::new(CONTRAST, DataType::Utf8, false),
        Field::new(OUTCOME, DataType::Utf8, false),
        Field::new(MEASURE, DataType::Utf8, false),
        Field::new(EFFECT, DataType::Float64, true),
        Field::new(CI_LOW, DataType::Float64, true),
        Field::new(CI_HIGH, DataType::Float64, true),
        Field::new(P_VALUE, DataType::Float64, true),
        Field::new(INTERACTION_P, DataType::Float64, true),
        Field::new(INTERACTION_Q, DataType::Float64, true),
        Field::new(FAMILY, DataType::Utf8, false),
        Field::new(ADJUSTED, DataType::Boolean, false),
        Field::new(COVARIATES, DataType::Utf8, true),
        Field::new(STATUS, DataType::Utf8, false),
        Field::new(SUPPRESSED, DataType::Boolean, false),
        Field::new(SUPPRESSION_REASON, DataType::Utf8, true),
        Field::new(VERDICT, DataType::Utf8, false),
    ]))
}
