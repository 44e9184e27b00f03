//! The estimate stage: which genotype subgroups benefit from which therapies.
//!
//! [`run`] reads a cohort table (`tailor join`'s output: one row per patient
//! x therapy episode, with outcomes, covariates and per-gene phenotype /
//! diplotype columns) and writes two tables into the output directory:
//!
//! - `subgroup_rates.parquet`: per gene x subgroup x therapy x outcome,
//!   n, events, person-time, proportion with Wilson CI, mean/SD/median,
//!   Kaplan-Meier survival at a horizon;
//! - `subgroup_effects.parquet`: per gene x contrast x subgroup x outcome,
//!   unadjusted (Newcombe risk difference, risk ratio, Woolf odds ratio,
//!   Fisher p; Welch; Cox) and covariate-adjusted (logistic with Firth
//!   fallback, OLS with optional HC3, Cox with Efron ties and a Firth
//!   fallback for monotone likelihood; cluster-robust when patients have
//!   several episodes) effects, the therapy x subgroup
//!   interaction test with its Benjamini-Hochberg q-value in the
//!   confirmatory (CPIC A/B) or exploratory family, and a verdict.
//!
//! With `[[estimate.models]]` configured it also writes
//! `models.parquet` and `model_terms.parquet`: explicit OLS, logistic or
//! Cox models of an outcome on genotype groups of one or several genes,
//! covariates (derived ones and per-covariate missing-value policies
//! included) and interactions (see [`ModelSpec`]).
//!
//! Small cells are suppressed (with complementary suppression) by default.
//! The columns are documented in `tailor_schemas::subgroup_rates` and
//! `tailor_schemas::subgroup_effects`; the statistical methods in
//! [`stats`].
//!
//! ```no_run
//! use std::path::Path;
//! let options = tailor_estimate::Options::builder().comparator("ticagrelor").build();
//! let summary = tailor_estimate::run(&options, Path::new("cohort.parquet"), Path::new("out"))?;
//! assert_eq!(summary.outputs.len(), 2);
//! # Ok::<(), tailor_estimate::Error>(())
//! ```

mod analysis;
mod codes;
mod cohort;
mod column_view;
mod covariate_missing;
mod cpic;
mod diagnostics;
mod error;
mod gene_subgroups;
mod levels;
mod model;
mod models;
mod options;
mod output;
mod patients;
mod patterns;
mod rates;
mod rows;
mod run;
mod subgroup;
mod subgroup_merge;
mod subgroup_order;
mod suppression;
mod unadjusted;
mod verdict;
mod weighted;

pub mod stats;

pub use cpic::{confirmatory_pairs, CpicPair, Family};
pub use error::{Error, Result};
pub use models::check_models;
pub use models::spec::{DerivedCovariate, MissingPolicy, ModelSpec, UnknownGenotype};
pub use options::{Grouping, Options, OptionsBuilder, VerdictEstimator, Weighting};
pub use run::{run, Summary, WARNING_KEY};
