//! Explicit models (`[[estimate.models]]`): an outcome (optionally
//! transformed) regressed on genotype groups of one or several genes
//! jointly, covariates (derived ones and per-covariate missing-value
//! policies included) and interactions, by OLS, logistic or Cox
//! regression. Written to `models.parquet` (one row per model) and
//! `model_terms.parquet` (every term); see `tailor_schemas::models` and
//! `tailor_schemas::model_terms`.
//!
//! - [`spec`]: the configuration and its checks;
//! - [`frame`]: the model's data read from the cohort, after
//!   [`missing`] policies and [`derived`] covariates;
//! - [`selection`]: the rows used and why others are not;
//! - [`terms`]: the model matrix, treatment-coded;
//! - [`fit`]: the fit and each term's inference;
//! - [`tables`]: the two batches, small cells suppressed.

mod derived;
mod fit;
mod frame;
pub(crate) mod missing;
mod selection;
pub mod spec;
mod tables;
mod terms;

use std::path::Path;

use tailor_schemas::models::ModelFamily;

use crate::{Error, Options, Result};
pub use tables::{models_batch, terms_batch, ModelResult};

/// Checks every model's configuration and the `[estimate] missing`
/// policies (no cohort needed).
///
/// # Errors
/// [`Error::InvalidOption`] for a `missing` policy of a covariate not in
/// `covariates`; [`Error::InvalidModel`] for a model whose configuration
/// is inconsistent or whose name is used twice.
pub fn check_models(options: &Options) -> Result<()> {
    if let Some(name) = options
        .missing
        .keys()
        .find(|name| !options.covariates.contains(name))
    {
        return Err(Error::InvalidOption {
            setting: "missing",
            value: format!("{{ {name} = ... }}"),
            reason: "names no covariate of [estimate] covariates; \
                     give a policy only to a covariate listed there",
        });
    }
    for (i, model) in options.models.iter().enumerate() {
        if let Err(problem) = model.check() {
            return Err(Error::InvalidModel {
                model: model.name.clone(),
                key: problem.key,
                problem: problem.problem,
            });
        }
        if options.models[..i].iter().any(|m| m.name == model.name) {
            return Err(Error::InvalidModel {
                model: model.name.clone(),
                key: "name",
                problem: format!(
                    "two models are named {:?}; give each its own name",
                    model.name
                ),
            });
        }
    }
    Ok(())
}

/// Fits every configured model on the cohort at `input`.
///
/// # Errors
/// As [`frame::read_frame`].
pub fn fit_models(options: &Options, input: &Path) -> Result<Vec<ModelResult>> {
    options
        .models
        .iter()
        .map(|spec| {
            let frame = frame::read_frame(options, spec, input)?;
            let selection = selection::select_rows(&frame);
            let rows = &selection.used;
            let intercept = spec.family != ModelFamily::Cox;
            let terms = terms::build_terms(&frame, rows, intercept, &spec.interactions);
            let y: Vec<f64> = rows
                .iter()
                .map(|&i| frame.outcome.y[i].unwrap_or(f64::NAN))
                .collect();
            let event: Vec<bool> = match spec.family {
                ModelFamily::Cox => rows.iter().map(|&i| frame.outcome.event[i]).collect(),
                _ => Vec::new(),
            };
            let fitted = fit::fit_model(spec.family, &terms, &y, &event, options.confidence_level);
            Ok(ModelResult {
                spec: spec.clone(),
                selection,
                terms,
                fitted,
            })
        })
        .collect()
}
