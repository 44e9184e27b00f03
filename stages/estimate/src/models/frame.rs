//! A model's data: the cohort read for its outcome, covariates and genes
//! (through the stage's own readers), turned into variables after the
//! missing-value policies and derived covariates, and the outcome on the
//! model's scale.

use std::path::Path;

use tailor_schemas::cohort::OutcomeKind;
use tailor_schemas::model_terms::TermKind;
use tailor_schemas::models::ModelFamily;

use super::derived::any_of;
use super::missing::{categorical, numeric};
use super::spec::{MissingPolicy, ModelSpec, UnknownGenotype};
use crate::cohort::{read_cohort, Cohort, CovariateValues, OutcomeValues};
use crate::gene_subgroups::read_subgroups;
use crate::{Error, Options, Result};

/// The level a row without a genotype group gets with
/// `unknown_genotype = "level"`.
pub const UNKNOWN_LEVEL: &str = "unknown";

/// One gene or covariate of a model, row by row.
#[derive(Clone, Debug)]
pub enum Variable {
    /// A number (and, under the indicator policy, whether it was missing).
    Numeric {
        /// The covariate's name.
        name: String,
        /// Value per row (`None`: the row is excluded).
        values: Vec<Option<f64>>,
        /// Under the indicator policy, whether each row's value was missing.
        missing: Option<Vec<bool>>,
    },
    /// Levels of a gene's genotype groups or a categorical covariate.
    Categorical {
        /// The gene or covariate.
        name: String,
        /// `Genotype` or `Covariate`.
        kind: TermKind,
        /// Level code per row (`None`: the row is excluded).
        codes: Vec<Option<u32>>,
        /// Level names.
        levels: Vec<String>,
        /// The preferred reference level (configured or default), if any.
        reference: Option<String>,
    },
}

impl Variable {
    /// The gene or covariate name.
    pub fn name(&self) -> &str {
        match self {
            Self::Numeric { name, .. } | Self::Categorical { name, .. } => name,
        }
    }

    /// Whether row `i` has a value.
    pub fn present(&self, i: usize) -> bool {
        match self {
            Self::Numeric { values, .. } => values[i].is_some(),
            Self::Categorical { codes, .. } => codes[i].is_some(),
        }
    }
}

/// The outcome of a model on its scale.
#[derive(Clone, Debug)]
pub struct ModelOutcome {
    /// Value per row on the model's scale (follow-up time for Cox, 0/1
    /// for logistic); `None` when missing.
    pub y: Vec<Option<f64>>,
    /// Whether the raw value was present but outside the transform's
    /// domain.
    pub out_of_domain: Vec<bool>,
    /// Event indicator per row (Cox only; empty otherwise).
    pub event: Vec<bool>,
}

/// A model's data: the number of rows, outcome and variables (genes
/// first, then covariates, in configured order).
#[derive(Clone, Debug)]
pub struct Frame {
    /// Rows of the cohort.
    pub rows: usize,
    /// The outcome.
    pub outcome: ModelOutcome,
    /// The genes' variables, in configured order.
    pub genes: Vec<Variable>,
    /// The covariates' variables, in configured order.
    pub covariates: Vec<Variable>,
}

/// Reading a model's data from one cohort file.
struct Reading<'a> {
    path: &'a Path,
    model: &'a ModelSpec,
}

impl Reading<'_> {
    fn invalid(&self, name: &str, problem: &'static str) -> Error {
        Error::ModelData {
            path: self.path.to_path_buf(),
            model: self.model.name.clone(),
            name: name.to_owned(),
            problem,
        }
    }
}

/// The cohort covariates `model` reads: its covariates that are not
/// derived, and the derived ones' components, each once.
fn raw_covariates(model: &ModelSpec) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in &model.covariates {
        let parts = match model.derived.get(name) {
            Some(derived) => derived.any_of.clone(),
            None => vec![name.clone()],
        };
        for part in parts {
            if !names.contains(&part) {
                names.push(part);
            }
        }
    }
    names
}

/// Reads the data of `model` from the cohort at `input`.
///
/// # Errors
/// As [`read_cohort`] and [`read_subgroups`] (an outcome, covariate or gene
/// the cohort lacks); [`Error::InvalidOption`] when the family does not fit
/// the outcome's kind, a derived covariate has a categorical component, or
/// a missing policy does not fit the covariate's kind.
pub fn read_frame(options: &Options, model: &ModelSpec, input: &Path) -> Result<Frame> {
    let mut read_options = options.clone();
    read_options.outcomes = vec![model.outcome.clone()];
    read_options.covariates = raw_covariates(model);
    read_options.genes = model.genes.clone();
    if let Some(grouping) = model.grouping {
        read_options.grouping = grouping;
    }
    for gene in &model.genes {
        if let Some(reference) = model.reference.get(gene) {
            read_options
                .reference_subgroups
                .insert(gene.clone(), reference.clone());
        }
    }
    let (cohort, _roles) = read_cohort(input, &read_options)?;
    let groups = read_subgroups(input, &model.genes, &read_options)?;
    let reading = Reading { path: input, model };
    let outcome = model_outcome(&reading, &cohort)?;
    let genes = groups
        .into_iter()
        .map(|g| {
            let mut levels = g.labels.clone();
            let unknown = match model.unknown_genotype {
                UnknownGenotype::Exclude => None,
                UnknownGenotype::Level => {
                    levels.push(UNKNOWN_LEVEL.to_owned());
                    Some((levels.len() - 1) as u32)
                }
            };
            Variable::Categorical {
                kind: TermKind::Genotype,
                codes: g.of_row.iter().map(|c| c.or(unknown)).collect(),
                reference: g.reference.map(|r| g.labels[r as usize].clone()),
                levels,
                name: g.gene,
            }
        })
        .collect();
    let raw = &read_options.covariates;
    let covariates = model
        .covariates
        .iter()
        .map(|name| covariate(&reading, &cohort, raw, name))
        .collect::<Result<_>>()?;
    Ok(Frame {
        rows: cohort.rows,
        outcome,
        genes,
        covariates,
    })
}

fn policy<'m>(model: &'m ModelSpec, name: &str) -> &'m MissingPolicy {
    static COMPLETE_CASE: MissingPolicy = MissingPolicy::CompleteCase;
    model.missing.get(name).unwrap_or(&COMPLETE_CASE)
}

/// The variable of covariate `name`: a derived one from its components
/// (each after its numeric fill), else the cohort's column `raw[i]`, then
/// its missing policy.
fn covariate(
    reading: &Reading<'_>,
    cohort: &Cohort,
    raw: &[String],
    name: &str,
) -> Result<Variable> {
    let model = reading.model;
    let column = |part: &str| {
        let index = raw.iter().position(|r| r == part).unwrap_or(0);
        &cohort.covariates[index].values
    };
    let numeric_values = match model.derived.get(name) {
        Some(derived) => {
            let mut parts = Vec::new();
            for part in &derived.any_of {
                let CovariateValues::Numeric(values) = column(part) else {
                    return Err(
                        reading.invalid(part, "any_of needs numeric covariates (0/1 or doses)")
                    );
                };
                let filled = match policy(model, part) {
                    MissingPolicy::Fill(fill) => {
                        values.iter().map(|v| Some(v.unwrap_or(*fill))).collect()
                    }
                    _ => values.clone(),
                };
                parts.push(filled);
            }
            let slices: Vec<&[Option<f64>]> = parts.iter().map(Vec::as_slice).collect();
            any_of(&slices, cohort.rows)
        }
        None => match column(name) {
            CovariateValues::Numeric(values) => values.clone(),
            CovariateValues::Categorical {
                codes,
                levels,
                reference,
            } => {
                let resolved = categorical(codes, levels, policy(model, name)).ok_or_else(|| {
                    reading.invalid(name, "a categorical covariate takes \"indicator\", \"complete_case\" or a level as its missing policy, not a number")
                })?;
                let configured = model.reference.get(name).cloned();
                return Ok(Variable::Categorical {
                    name: name.to_owned(),
                    kind: TermKind::Covariate,
                    codes: resolved.codes,
                    levels: resolved.levels,
                    reference: configured.or_else(|| reference.map(|r| levels[r as usize].clone())),
                });
            }
        },
    };
    let resolved = numeric(&numeric_values, policy(model, name)).ok_or_else(|| {
        reading.invalid(name, "a numeric covariate takes \"indicator\", \"complete_case\" or a number as its missing policy, not a level")
    })?;
    if model.reference.contains_key(name) {
        return Err(reading.invalid(
            name,
            "a reference level applies to genes and categorical covariates only",
        ));
    }
    Ok(Variable::Numeric {
        name: name.to_owned(),
        values: resolved.values,
        missing: resolved.missing,
    })
}

/// The outcome on the model's scale, after checking the family fits its kind.
fn model_outcome(reading: &Reading<'_>, cohort: &Cohort) -> Result<ModelOutcome> {
    let model = reading.model;
    let Some(outcome) = cohort.outcomes.first() else {
        return Err(reading.invalid(&model.outcome, "the outcome is not in the cohort"));
    };
    let rows = cohort.rows;
    let expected = match model.family {
        ModelFamily::Ols => OutcomeKind::Continuous,
        ModelFamily::Logistic => OutcomeKind::Binary,
        ModelFamily::Cox => OutcomeKind::TimeToEvent,
    };
    if outcome.role.kind != expected {
        return Err(reading.invalid(&model.outcome,
            "the family does not fit the outcome: ols needs a continuous outcome, logistic a binary one, cox a time to event",
        ));
    }
    Ok(match &outcome.values {
        OutcomeValues::Continuous(values) => {
            let y: Vec<Option<f64>> = values
                .iter()
                .map(|v| v.and_then(|v| model.transform.apply(v)))
                .collect();
            let out_of_domain = values
                .iter()
                .zip(&y)
                .map(|(v, t)| v.is_some() && t.is_none())
                .collect();
            ModelOutcome {
                y,
                out_of_domain,
                event: Vec::new(),
            }
        }
        OutcomeValues::Binary(values) => ModelOutcome {
            y: values
                .iter()
                .map(|v| v.map(|b| if b { 1.0 } else { 0.0 }))
                .collect(),
            out_of_domain: vec![false; rows],
            event: Vec::new(),
        },
        OutcomeValues::TimeToEvent { time, event } => ModelOutcome {
            y: time
                .iter()
                .zip(event)
                .map(|(t, e)| t.filter(|_| e.is_some()))
                .collect(),
            out_of_domain: vec![false; rows],
            event: event.iter().map(|e| e.unwrap_or(false)).collect(),
        },
    })
}
