//! The model_terms table: every term of every explicit model
//! (`[[estimate.models]]`), the intercept and covariates included.
//!
//! Written by `tailor estimate` beside [`crate::models`]. Categorical
//! terms (genotype groups, categorical covariates, a covariate's missing
//! indicator) use treatment coding: one 0/1 column per level other than
//! the reference, named `VARIABLE=LEVEL` (`CYP2C9=*1/*3`, `race=Asian`,
//! `VKORC1=unknown`); a numeric covariate is one column named as the
//! covariate (`age_decades`; a derived `any_of` covariate is 1 when any of
//! its covariates is non-zero); an interaction is the product of its two
//! terms' columns, named `A:B`. Estimates are on the model's scale: the
//! change in the (transformed) outcome for OLS, the log odds ratio for
//! logistic, the log hazard ratio for Cox. OLS inference uses Student's t
//! with n − p degrees of freedom (statsmodels `OLS`, non-robust); logistic
//! and Cox use the normal distribution (Wald z).
//!
//! A 0/1 column whose ones or zeros number 1 to the suppression threshold
//! among the model's rows (a small cell) has its numbers and count null
//! and `suppressed` true: its estimate would rest on those few people.
//!
//! Columns:

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Version of this table's schema; bump on any column change.
pub const SCHEMA_VERSION: u32 = 1;
/// The table's name in metadata and file names (`model_terms.parquet`).
pub const TABLE: &str = "model_terms";

/// `Utf8`: the model's configured name (as in `models`).
pub const MODEL: &str = "model";
/// `Utf8`: the term's name (`(intercept)`, `CYP2C9=*1/*3`, `height`,
/// `CYP2C9=*1/*3:amiodarone`).
pub const TERM: &str = "term";
/// `Utf8`: `intercept`, `genotype`, `covariate` or `interaction`
/// ([`TermKind`]).
pub const KIND: &str = "kind";
/// `Utf8`: the gene or covariate the term codes (`A:B` for an
/// interaction); null for the intercept.
pub const VARIABLE: &str = "variable";
/// `Utf8`: the level of a categorical term (`*1/*3`, `unknown`,
/// `missing`); null for numeric terms.
pub const LEVEL: &str = "level";
/// `Utf8`: the reference level the term is compared with; null for
/// numeric terms.
pub const REFERENCE: &str = "reference";
/// `Float64`: the coefficient (null when aliased or suppressed).
pub const ESTIMATE: &str = "estimate";
/// `Float64`: its standard error.
pub const SE: &str = "se";
/// `Float64`: lower bound of the confidence interval (configured level).
pub const CI_LOW: &str = "ci_low";
/// `Float64`: upper bound of the confidence interval.
pub const CI_HIGH: &str = "ci_high";
/// `Float64`: estimate / SE, a t statistic (OLS) or z statistic.
pub const STATISTIC: &str = "statistic";
/// `Utf8`: `t` or `z`: the distribution of [`STATISTIC`].
pub const STATISTIC_KIND: &str = "statistic_kind";
/// `Float64`: degrees of freedom of a t statistic (null for z).
pub const DF: &str = "df";
/// `Float64`: two-sided p-value.
pub const P_VALUE: &str = "p_value";
/// `Int64`: rows where a 0/1 term's column is 1 (a level's or cell's
/// count); null for other terms and when suppressed.
pub const N_LEVEL: &str = "n_level";
/// `Boolean`: whether the numbers are suppressed (small cell).
pub const SUPPRESSED: &str = "suppressed";
/// `Utf8`: why (`small_cell`, a
/// [`SuppressionReason`](crate::small_cells::SuppressionReason)); null when
/// shown.
pub const SUPPRESSION_REASON: &str = "suppression_reason";

/// What a term codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermKind {
    /// The intercept (OLS and logistic).
    Intercept,
    /// A genotype group of a gene.
    Genotype,
    /// A covariate (numeric, a categorical level, a missing indicator).
    Covariate,
    /// The product of two terms.
    Interaction,
}

impl TermKind {
    /// The value written to [`KIND`].
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intercept => "intercept",
            Self::Genotype => "genotype",
            Self::Covariate => "covariate",
            Self::Interaction => "interaction",
        }
    }
}

/// The Arrow schema of the model_terms table.
pub fn schema() -> SchemaRef {
    let utf8 = |name| Field::new(name, DataType::Utf8, false);
    let utf8n = |name| Field::new(name, DataType::Utf8, true);
    let f64n = |name| Field::new(name, DataType::Float64, true);
    Arc::new(Schema::new(vec![
        utf8(MODEL),
        utf8(TERM),
        utf8(KIND),
        utf8n(VARIABLE),
        utf8n(LEVEL),
        utf8n(REFERENCE),
        f64n(ESTIMATE),
        f64n(SE),
        f64n(CI_LOW),
        f64n(CI_HIGH),
        f64n(STATISTIC),
        utf8(STATISTIC_KIND),
        f64n(DF),
        f64n(P_VALUE),
        Field::new(N_LEVEL, DataType::Int64, true),
        Field::new(SUPPRESSED, DataType::Boolean, false),
        utf8n(SUPPRESSION_REASON),
    ]))
}
