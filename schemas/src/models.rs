//! The models table: one row per explicit model (`[[estimate.models]]`),
//! with the rows it used and excluded and its fit statistics.
//!
//! Written by `tailor estimate` when models are configured; the terms of
//! each model are in [`crate::model_terms`]. A row of the cohort is used
//! when it has the outcome (inside the transform's domain), a genotype for
//! every gene (or an `unknown` level, with `unknown_genotype = "level"`)
//! and, for every covariate whose missing policy is complete case (the
//! default), a value. Each excluded row is counted once, under the first
//! reason in this order: [`N_EXCLUDED_OUTCOME`], [`N_EXCLUDED_TRANSFORM`],
//! [`N_EXCLUDED_GENOTYPE`], [`N_EXCLUDED_COVARIATE`]; the last is also
//! broken down by covariate in [`EXCLUDED_BY_COVARIATE`]. Counts from 1
//! to the suppression threshold are null, with enough other counts of the
//! partition (used plus excluded) nulled that subtraction recovers none
//! ([`N_SUPPRESSED`] says whether any was).
//!
//! Fit statistics: OLS gives R², adjusted R², the Gaussian log-likelihood
//! and AIC = −2 log L + 2p (p coefficients, the intercept included; the
//! error variance not counted, as statsmodels does); logistic the
//! log-likelihood and AIC; Cox the Efron partial log-likelihood and
//! partial AIC = −2 log L + 2p (lifelines' `AIC_partial_`).
//!
//! Columns:

use std::sync::Arc;

use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use serde::{Deserialize, Serialize};

/// Version of this table's schema; bump on any column change.
pub const SCHEMA_VERSION: u32 = 1;
/// The table's name in metadata and file names (`models.parquet`).
pub const TABLE: &str = "models";

/// `Utf8`: the model's configured name.
pub const MODEL: &str = "model";
/// `Utf8`: `ols`, `logistic` or `cox` ([`ModelFamily`]).
pub const FAMILY: &str = "family";
/// `Utf8`: the outcome (a cohort outcome).
pub const OUTCOME: &str = "outcome";
/// `Utf8`: `none`, `log` or `sqrt` ([`OutcomeTransform`]): the outcome is
/// modelled on this scale.
pub const TRANSFORM: &str = "transform";
/// `Utf8`: `ok`, `firth` (logistic or Cox with separation: Firth's
/// penalised fit), `collinear_dropped` (aliased columns dropped, their
/// terms null), `not_estimable`, `not_converged`, `empty`, `too_few`,
/// `no_variation`, `no_events`
/// ([`ModelStatus`](crate::status::ModelStatus)).
pub const STATUS: &str = "status";
/// `Int64`: rows (episodes) the model was fitted on.
pub const N_USED: &str = "n_used";
/// `Int64`: rows without the outcome.
pub const N_EXCLUDED_OUTCOME: &str = "n_excluded_outcome";
/// `Int64`: rows whose outcome is outside the transform's domain (≤ 0 for
/// `log`, < 0 for `sqrt`).
pub const N_EXCLUDED_TRANSFORM: &str = "n_excluded_transform";
/// `Int64`: rows without a genotype group for some gene, with
/// `unknown_genotype = "exclude"`.
pub const N_EXCLUDED_GENOTYPE: &str = "n_excluded_genotype";
/// `Int64`: rows missing a complete-case covariate.
pub const N_EXCLUDED_COVARIATE: &str = "n_excluded_covariate";
/// `List<Struct<covariate: Utf8, n: Int64>>`: [`N_EXCLUDED_COVARIATE`]
/// by the first complete-case covariate missing (config order); `n` null
/// when suppressed.
pub const EXCLUDED_BY_COVARIATE: &str = "excluded_by_covariate";
/// `Boolean`: whether some count of the row is suppressed (null).
pub const N_SUPPRESSED: &str = "n_suppressed";
/// `Int64`: number of coefficients estimated (intercept included for OLS
/// and logistic; Cox has none).
pub const N_PARAMETERS: &str = "n_parameters";
/// `Float64`: R² (OLS; null otherwise).
pub const R2: &str = "r2";
/// `Float64`: adjusted R² = 1 − (1 − R²)(n − 1)/(n − p) (OLS).
pub const ADJ_R2: &str = "adj_r2";
/// `Float64`: maximised log-likelihood (partial for Cox, penalised for a
/// Firth fit).
pub const LOG_LIKELIHOOD: &str = "log_likelihood";
/// `Float64`: Akaike's information criterion (see above).
pub const AIC: &str = "aic";

/// The family of an explicit model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelFamily {
    /// Linear regression by ordinary least squares (continuous outcome).
    Ols,
    /// Logistic regression (binary outcome).
    Logistic,
    /// Cox proportional hazards with Efron ties (time to event).
    Cox,
}

impl ModelFamily {
    /// The value written to [`FAMILY`].
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ols => "ols",
            Self::Logistic => "logistic",
            Self::Cox => "cox",
        }
    }
}

/// The scale an OLS outcome is modelled on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeTransform {
    /// As measured.
    #[default]
    None,
    /// Natural log (values ≤ 0 excluded).
    Log,
    /// Square root (values < 0 excluded).
    Sqrt,
}

impl OutcomeTransform {
    /// The value written to [`TRANSFORM`].
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Log => "log",
            Self::Sqrt => "sqrt",
        }
    }

    /// `value` on the model's scale; `None` outside the domain.
    pub fn apply(self, value: f64) -> Option<f64> {
        match self {
            Self::None => Some(value),
            Self::Log => (value > 0.0).then(|| value.ln()),
            Self::Sqrt => (value >= 0.0).then(|| value.sqrt()),
        }
    }
}

/// The Arrow type of [`EXCLUDED_BY_COVARIATE`].
pub fn excluded_by_covariate_type() -> DataType {
    let fields = Fields::from(vec![
        Field::new("covariate", DataType::Utf8, false),
        Field::new("n", DataType::Int64, true),
    ]);
    DataType::List(Arc::new(Field::new(
        "item",
        DataType::Struct(fields),
        false,
    )))
}

/// The Arrow schema of the models table.
pub fn schema() -> SchemaRef {
    let utf8 = |name| Field::new(name, DataType::Utf8, false);
    let f64n = |name| Field::new(name, DataType::Float64, true);
    let i64n = |name| Field::new(name, DataType::Int64, true);
    Arc::new(Schema::new(vec![
        utf8(MODEL),
        utf8(FAMILY),
        utf8(OUTCOME),
        utf8(TRANSFORM),
        utf8(STATUS),
        i64n(N_USED),
        i64n(N_EXCLUDED_OUTCOME),
        i64n(N_EXCLUDED_TRANSFORM),
        i64n(N_EXCLUDED_GENOTYPE),
        i64n(N_EXCLUDED_COVARIATE),
        Field::new(EXCLUDED_BY_COVARIATE, excluded_by_covariate_type(), false),
        Field::new(N_SUPPRESSED, DataType::Boolean, false),
        Field::new(N_PARAMETERS, DataType::Int64, false),
        f64n(R2),
        f64n(ADJ_R2),
        f64n(LOG_LIKELIHOOD),
        f64n(AIC),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transforms_exclude_outside_their_domain() {
        assert_eq!(OutcomeTransform::Sqrt.apply(9.0), Some(3.0));
        assert_eq!(OutcomeTransform::Sqrt.apply(0.0), Some(0.0));
        assert_eq!(OutcomeTransform::Sqrt.apply(-1.0), None);
        assert_eq!(OutcomeTransform::Log.apply(0.0), None);
        assert_eq!(OutcomeTransform::None.apply(-2.0), Some(-2.0));
        assert_eq!(schema().fields().len(), 17);
    }
}
