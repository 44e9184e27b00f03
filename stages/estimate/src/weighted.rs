//! Confounding control for one therapy comparison within one subgroup:
//! propensity scores, IPW and AIPW estimates, covariate balance and
//! overlap (the methods are in [`crate::stats::propensity`],
//! [`crate::stats::ipw`], [`crate::stats::aipw`] and
//! [`crate::stats::balance`]).
//!
//! The propensity model is a logistic regression of the arm on an
//! intercept and the configured covariates (categorical ones dummy-coded
//! as in the regression models), fitted on the subgroup's complete cases
//! of the two arms. AIPW's outcome models are fitted in each arm on the
//! same terms: logistic for a binary outcome (Firth's penalty when an
//! arm's outcome is separated, so predictions stay finite), OLS for a
//! continuous one. Time-to-event outcomes are not weighted here.

use tailor_schemas::cohort::OutcomeKind;
use tailor_schemas::subgroup_effects::Measure;

use crate::cohort::{Cohort, CovariateValues, Outcome, OutcomeValues};
use crate::model::{covariate_design, Column};
use crate::options::Weighting;
use crate::stats::aipw::{aipw_difference, aipw_ratio, arm_predictions, contributions};
use crate::stats::balance::standardised_difference;
use crate::stats::design::Design;
use crate::stats::ipw::{ipw_difference, ipw_means, ipw_ratio};
use crate::stats::propensity::{ate_weights, effective_sample_size, propensity_scores, Weights};
use crate::stats::{Effect, ModelStatus};

/// What the weighting of every comparison shares.
#[derive(Clone, Copy, Debug)]
pub struct Settings<'a> {
    /// The estimators to compute.
    pub estimators: &'a [Weighting],
    /// Truncation percentiles of the weights.
    pub truncation: [f64; 2],
    /// Normal critical value of the confidence level.
    pub z: f64,
}

/// One weighted estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightedEffect {
    /// IPW or AIPW.
    pub estimator: Weighting,
    /// `risk_difference`, `risk_ratio` or `mean_difference`.
    pub measure: Measure,
    /// The estimate, or why there is none.
    pub result: Result<Effect, ModelStatus>,
}

/// Balance of one covariate term between the arms.
#[derive(Clone, Debug, PartialEq)]
pub struct BalanceTerm {
    /// The covariate, or `covariate=level` for a level of a categorical one.
    pub term: String,
    /// Standardised mean difference before weighting.
    pub before: Option<f64>,
    /// After weighting.
    pub after: Option<f64>,
}

/// The propensity scores' overlap and the weights of one comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Overlap {
    /// Complete cases in the therapy arm.
    pub n_therapy: u64,
    /// Complete cases in the comparator arm.
    pub n_comparator: u64,
    /// Whether the propensity model could be fitted (`no_overlap` when
    /// the covariates separate the arms).
    pub status: ModelStatus,
    /// Propensity range (min, max) in the therapy arm.
    pub therapy_range: Option<(f64, f64)>,
    /// Propensity range (min, max) in the comparator arm.
    pub comparator_range: Option<(f64, f64)>,
    /// Weights at the truncation percentiles.
    pub bounds: Option<(f64, f64)>,
    /// Weights truncated.
    pub truncated: u64,
    /// Kish effective sample size per arm (therapy, comparator).
    pub effective: Option<(f64, f64)>,
}

/// Everything weighting one comparison gives.
#[derive(Clone, Debug, PartialEq)]
pub struct Weighted {
    /// The estimates, in the order of [`Settings::estimators`].
    pub effects: Vec<WeightedEffect>,
    /// Balance per covariate term (empty without a propensity model).
    pub balance: Vec<BalanceTerm>,
    /// Overlap diagnostics.
    pub overlap: Overlap,
}

/// The measures each estimator reports for `kind`.
fn measures(kind: OutcomeKind) -> &'static [Measure] {
    match kind {
        OutcomeKind::Binary => &[Measure::RiskDifference, Measure::RiskRatio],
        _ => &[Measure::MeanDifference],
    }
}

fn outcome_values(outcome: &Outcome, rows: &[usize]) -> Vec<f64> {
    match &outcome.values {
        OutcomeValues::Binary(v) => rows
            .iter()
            .map(|&i| if v[i] == Some(true) { 1.0 } else { 0.0 })
            .collect(),
        OutcomeValues::Continuous(v) => rows.iter().map(|&i| v[i].unwrap_or(0.0)).collect(),
        OutcomeValues::TimeToEvent { .. } => Vec::new(),
    }
}

/// The term name of a covariate column.
fn term_name(cohort: &Cohort, names: &[String], column: Column) -> String {
    match column {
        Column::Level(c, level) => match &cohort.covariates[c].values {
            CovariateValues::Categorical { levels, .. } => {
                format!("{}={}", names[c], levels[level as usize])
            }
            CovariateValues::Numeric(_) => names[c].clone(),
        },
        Column::Numeric(c) => names[c].clone(),
        _ => String::new(),
    }
}

fn range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((v.min(lo), v.max(hi))),
    })
}

/// Weighs therapy rows `a` against comparator rows `b` (complete cases of
/// one subgroup) for `outcome` (binary or continuous).
pub fn weigh(
    cohort: &Cohort,
    names: &[String],
    outcome: &Outcome,
    a: &[usize],
    b: &[usize],
    settings: Settings<'_>,
) -> Weighted {
    let kind = outcome.role.kind;
    let rows: Vec<usize> = a.iter().chain(b).copied().collect();
    let treated: Vec<bool> = (0..rows.len()).map(|j| j < a.len()).collect();
    let mut overlap = Overlap {
        n_therapy: a.len() as u64,
        n_comparator: b.len() as u64,
        status: ModelStatus::Ok,
        therapy_range: None,
        comparator_range: None,
        bounds: None,
        truncated: 0,
        effective: None,
    };
    let failed = |status: ModelStatus, overlap: Overlap| Weighted {
        effects: settings
            .estimators
            .iter()
            .flat_map(|&estimator| {
                measures(kind).iter().map(move |&measure| WeightedEffect {
                    estimator,
                    measure,
                    result: Err(status),
                })
            })
            .collect(),
        balance: Vec::new(),
        overlap: Overlap { status, ..overlap },
    };
    if a.is_empty() || b.is_empty() {
        return failed(ModelStatus::Empty, overlap);
    }
    let (columns, x) = covariate_design(cohort, &rows);
    let design = Design {
        x,
        y: treated.iter().map(|&t| if t { 1.0 } else { 0.0 }).collect(),
        event: Vec::new(),
        clusters: None,
    };
    let scores = match propensity_scores(&design) {
        Ok(scores) => scores,
        Err(status) => return failed(status, overlap),
    };
    let Weights {
        weights,
        bounds,
        truncated,
    } = ate_weights(&scores, &treated, settings.truncation);
    let of_arm = |values: &[f64], flag: bool| -> Vec<f64> {
        values
            .iter()
            .zip(&treated)
            .filter(|(_, &t)| t == flag)
            .map(|(v, _)| *v)
            .collect()
    };
    overlap.therapy_range = range(of_arm(&scores, true).into_iter());
    overlap.comparator_range = range(of_arm(&scores, false).into_iter());
    overlap.bounds = Some(bounds);
    overlap.truncated = truncated as u64;
    overlap.effective = Some((
        effective_sample_size(&of_arm(&weights, true)),
        effective_sample_size(&of_arm(&weights, false)),
    ));

    let balance = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| **c != Column::Intercept)
        .map(|(k, &column)| {
            let values: Vec<f64> = design.x.column(k).iter().copied().collect();
            let smd = standardised_difference(&values, &treated, &weights);
            BalanceTerm {
                term: term_name(cohort, names, column),
                before: smd.map(|s| s.0),
                after: smd.map(|s| s.1),
            }
        })
        .collect();

    let y = outcome_values(outcome, &rows);
    let z = settings.z;
    let mut effects = Vec::new();
    for &estimator in settings.estimators {
        match estimator {
            Weighting::Ipw => {
                let means = ipw_means(&design.x, &treated, &y, &scores, &weights);
                for &measure in measures(kind) {
                    let result = means.and_then(|m| {
                        if measure == Measure::RiskRatio {
                            ipw_ratio(&m, z)
                        } else {
                            ipw_difference(&m, z)
                        }
                    });
                    effects.push(WeightedEffect {
                        estimator,
                        measure,
                        result,
                    });
                }
            }
            Weighting::Aipw => {
                let binary = kind == OutcomeKind::Binary;
                let predicted =
                    arm_predictions(&design.x, &y, &treated, true, binary).and_then(|m1| {
                        Ok((m1, arm_predictions(&design.x, &y, &treated, false, binary)?))
                    });
                for &measure in measures(kind) {
                    let result = predicted.as_ref().map_err(|&s| s).and_then(|(m1, m0)| {
                        let c = contributions(&y, &treated, &weights, m1, m0);
                        if measure == Measure::RiskRatio {
                            aipw_ratio(&c, z)
                        } else {
                            aipw_difference(&c, z)
                        }
                    });
                    effects.push(WeightedEffect {
                        estimator,
                        measure,
                        result,
                    });
                }
            }
        }
    }
    Weighted {
        effects,
        balance,
        overlap,
    }
}
