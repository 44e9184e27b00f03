//! Covariate-adjusted regression and the therapy x subgroup interaction test.
//!
//! Therapy contrast T vs C within a gene, complete cases (outcome and every
//! covariate observed), rows of subgroups s = 1..K:
//!
//! - full model: intercept (not for Cox), subgroup dummies (reference
//!   subgroup omitted), one therapy term per subgroup `1[T]·1[s=k]` (its
//!   coefficient is the adjusted log-OR / mean difference / log-HR of T vs
//!   C within subgroup k), covariates (numeric as given; categorical
//!   dummy-coded against the configured reference level, else the most
//!   frequent level);
//! - reduced model: the same with a single therapy term `1[T]`.
//!
//! The interaction test compares them by likelihood ratio (df = difference
//! in rank). Logistic and Cox models use Firth's penalised likelihood for
//! both models when either shows separation or monotone likelihood (a
//! penalised LRT of the two penalised maxima). When patients contribute
//! several episodes, logistic, linear and Cox models report cluster-robust
//! errors, and the interaction is tested by a cluster-robust Wald test of
//! the equality of the per-subgroup therapy terms instead of the LRT (which
//! assumes independent rows) — except a Firth Cox pair, which has no
//! robust covariance (see `stats::cox_firth`) and keeps the penalised LRT.
//!
//! Aliased columns (perfect collinearity) are dropped in column order, so
//! covariates go first; a therapy term that is dropped makes that
//! subgroup's effect `not_estimable`.

use nalgebra::{DMatrix, DVector};
use tailor_schemas::cohort::OutcomeKind;
use tailor_schemas::subgroup_effects::InteractionMethod;

use crate::cohort::{Cohort, CovariateValues, Outcome, OutcomeValues};
use crate::levels::reference_level;
use crate::patterns::group_rows;
use crate::stats::cluster::has_repeats;
use crate::stats::cox::fit_cox;
use crate::stats::cox_firth::{fit_cox_firth, penalised_effect};
use crate::stats::design::Design;
use crate::stats::linalg::{independent_columns, inverse_spd, select_columns};
use crate::stats::logistic::{fit_logistic, fit_logistic_firth, fit_logistic_grouped, ModelFit};
use crate::stats::lrt::likelihood_ratio_test;
use crate::stats::normal::{chi2_sf, normal_two_sided_p, t_two_sided_p};
use crate::stats::ols::{fit_ols, fit_ols_patterns, OlsCovariance};
use crate::stats::{Effect, Interval, ModelStatus};

/// A model column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// The intercept.
    Intercept,
    /// Indicator of subgroup k.
    Subgroup(u32),
    /// Indicator of the therapy (arm 1).
    Therapy,
    /// Indicator of the therapy within subgroup k.
    TherapyIn(u32),
    /// Numeric covariate (index into the cohort's covariates).
    Numeric(usize),
    /// Level of a categorical covariate.
    Level(usize, u32),
}

/// The rows of a model and, per row, its subgroup and arm.
pub struct ModelRows<'a> {
    /// Row indices into the cohort.
    pub rows: &'a [usize],
    /// Subgroup of each row.
    pub subgroup: &'a [u32],
    /// Whether each row is in arm 1 (the therapy).
    pub treated: &'a [bool],
}

fn covariate_columns(cohort: &Cohort, rows: &[usize]) -> Vec<Column> {
    let mut columns = Vec::new();
    for (c, covariate) in cohort.covariates.iter().enumerate() {
        match &covariate.values {
            CovariateValues::Numeric(_) => columns.push(Column::Numeric(c)),
            CovariateValues::Categorical {
                codes,
                levels,
                reference,
            } => {
                let (reference, counts) = reference_level(codes, levels.len(), rows, *reference);
                for level in 0..levels.len() as u32 {
                    if Some(level) != reference && counts[level as usize] > 0 {
                        columns.push(Column::Level(c, level));
                    }
                }
            }
        }
    }
    columns
}

fn indicator(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

fn value(cohort: &Cohort, m: &ModelRows<'_>, column: Column, j: usize) -> f64 {
    match column {
        Column::Subgroup(k) => indicator(m.subgroup[j] == k),
        Column::Therapy => indicator(m.treated[j]),
        Column::TherapyIn(k) => indicator(m.treated[j] && m.subgroup[j] == k),
        other => row_value(cohort, other, m.rows[j]),
    }
}

/// The value of an intercept or covariate `column` in cohort row `i` (0
/// for the structural columns, which depend on the model's rows).
pub(crate) fn row_value(cohort: &Cohort, column: Column, i: usize) -> f64 {
    match column {
        Column::Intercept => 1.0,
        Column::Numeric(c) => match &cohort.covariates[c].values {
            CovariateValues::Numeric(v) => v[i].unwrap_or(0.0),
            CovariateValues::Categorical { .. } => 0.0,
        },
        Column::Level(c, level) => match &cohort.covariates[c].values {
            CovariateValues::Categorical { codes, .. } => indicator(codes[i] == Some(level)),
            CovariateValues::Numeric(_) => 0.0,
        },
        Column::Subgroup(_) | Column::Therapy | Column::TherapyIn(_) => 0.0,
    }
}

/// The intercept and covariate columns over cohort `rows` (categorical
/// levels as in the regression models), aliased columns dropped, with the
/// matrix.
pub(crate) fn covariate_design(cohort: &Cohort, rows: &[usize]) -> (Vec<Column>, DMatrix<f64>) {
    let mut all = vec![Column::Intercept];
    all.extend(covariate_columns(cohort, rows));
    let x = DMatrix::from_fn(rows.len(), all.len(), |j, c| {
        row_value(cohort, all[c], rows[j])
    });
    let keep = independent_columns(&x);
    let x = select_columns(x, &keep);
    (keep.iter().map(|&c| all[c]).collect(), x)
}

/// A fitted model with its kept columns.
#[derive(Clone, Debug)]
pub struct Fitted {
    /// The fit.
    pub fit: ModelFit,
    /// The columns kept after dropping aliased ones.
    pub columns: Vec<Column>,
    /// Whether a covariate column was dropped as aliased.
    pub dropped_covariate: bool,
    /// Rows minus columns (residual df of OLS).
    pub residual_df: f64,
    /// The design of a Firth Cox fit, for its profile-likelihood inference.
    pub penalised: Option<Design>,
}

impl Fitted {
    /// The effect of `column` (exponentiated for logistic and Cox; for a
    /// Firth Cox fit with the profile penalised likelihood CI and the
    /// penalised LRT p-value).
    pub fn effect(&self, column: Column, kind: OutcomeKind, z: f64) -> Result<Effect, ModelStatus> {
        let j = self
            .columns
            .iter()
            .position(|c| *c == column)
            .ok_or(ModelStatus::NotEstimable)?;
        if let Some(design) = &self.penalised {
            return penalised_effect(design, &self.fit, j, z);
        }
        let beta = self.fit.coef[j];
        let se = self.fit.se(j);
        if !beta.is_finite() || !se.is_finite() || se <= 0.0 {
            return Err(ModelStatus::NotEstimable);
        }
        Ok(match kind {
            OutcomeKind::Continuous => {
                let p = if self.fit.robust {
                    normal_two_sided_p(beta / se)
                } else {
                    t_two_sided_p(beta / se, self.residual_df).unwrap_or(f64::NAN)
                };
                let crit = if self.fit.robust {
                    z
                } else {
                    crate::stats::normal::t_critical(level_of(z), self.residual_df)
                        .unwrap_or(f64::NAN)
                };
                Effect {
                    estimate: beta,
                    ci: Interval {
                        low: beta - crit * se,
                        high: beta + crit * se,
                    },
                    se: Some(se),
                    p_value: Some(p),
                }
            }
            _ => crate::unadjusted::ratio_effect(beta, se, z),
        })
    }

    /// Whether the fit treats episodes as independent although some patient
    /// has several: a Firth Cox fit over such rows (it has no robust
    /// covariance).
    pub fn ignores_repeats(&self) -> bool {
        self.penalised
            .as_ref()
            .is_some_and(|d| d.clusters.is_some())
    }

    /// The proportional-hazards test p-value of `column` (Cox fits only).
    pub fn ph_test_p(&self, column: Column) -> Option<f64> {
        let j = self.columns.iter().position(|c| *c == column)?;
        self.fit.ph_test_p.get(j).copied().filter(|p| p.is_finite())
    }

    /// The status to report for estimates from this fit.
    pub fn status(&self) -> ModelStatus {
        if self.fit.status == ModelStatus::Ok && self.dropped_covariate {
            ModelStatus::CollinearDropped
        } else {
            self.fit.status
        }
    }
}

/// Confidence level whose two-sided normal critical value is `z`.
fn level_of(z: f64) -> f64 {
    1.0 - crate::stats::normal::normal_two_sided_p(z)
}

/// How a model is fitted.
#[derive(Clone, Copy, Debug)]
pub struct FitSpec {
    /// Outcome kind: logistic, OLS or Cox.
    pub kind: OutcomeKind,
    /// HC3 errors for OLS.
    pub hc3: bool,
    /// Force Firth, logistic or Cox (for a penalised LRT pair).
    pub firth: bool,
}

/// Builds and fits the model with `columns` (covariate columns are
/// appended) over `m`.
///
/// # Errors
/// The model status when nothing can be estimated.
pub fn fit_model(
    cohort: &Cohort,
    outcome: &Outcome,
    m: &ModelRows<'_>,
    columns: &[Column],
    spec: FitSpec,
) -> Result<Fitted, ModelStatus> {
    let n = m.rows.len();
    if n == 0 {
        return Err(ModelStatus::Empty);
    }
    let mut all: Vec<Column> = columns.to_vec();
    let structural = all.len();
    all.extend(covariate_columns(cohort, m.rows));
    let clusters = {
        let ids: Vec<u32> = m.rows.iter().map(|&i| cohort.patient[i]).collect();
        has_repeats(&ids).then_some(ids)
    };
    let (y, event): (Vec<f64>, Vec<bool>) = match &outcome.values {
        OutcomeValues::Binary(v) => (
            m.rows
                .iter()
                .map(|&i| if v[i] == Some(true) { 1.0 } else { 0.0 })
                .collect(),
            Vec::new(),
        ),
        OutcomeValues::Continuous(v) => (
            m.rows.iter().map(|&i| v[i].unwrap_or(0.0)).collect(),
            Vec::new(),
        ),
        OutcomeValues::TimeToEvent { time, event } => (
            m.rows.iter().map(|&i| time[i].unwrap_or(0.0)).collect(),
            m.rows.iter().map(|&i| event[i] == Some(true)).collect(),
        ),
    };
    let patterns = match spec.kind {
        OutcomeKind::Binary | OutcomeKind::Continuous if clusters.is_none() => {
            group_rows(cohort, m, &y)
        }
        _ => None,
    };
    // The model matrix over patterns has the same column space as over rows.
    let x = match &patterns {
        Some(p) => DMatrix::from_fn(p.first.len(), all.len(), |k, c| {
            value(cohort, m, all[c], p.first[k])
        }),
        None => DMatrix::from_fn(n, all.len(), |j, c| value(cohort, m, all[c], j)),
    };
    let keep = independent_columns(&x);
    let dropped_covariate =
        keep.len() < all.len() && (structural..all.len()).any(|c| !keep.contains(&c));
    let x = select_columns(x, &keep);
    let kept: Vec<Column> = keep.iter().map(|&c| all[c]).collect();
    let ols_cov = if spec.hc3 {
        OlsCovariance::Hc3
    } else {
        OlsCovariance::Classical
    };
    let mut penalised = None;
    let fit = match (&patterns, spec.kind) {
        (Some(p), OutcomeKind::Binary) => {
            let d = Design {
                x,
                y: p.sum_y.clone(),
                event: Vec::new(),
                clusters: None,
            };
            fit_logistic_grouped(&d, Some(&p.count), spec.firth)?
        }
        (Some(p), _) => fit_ols_patterns(&x, &p.count, &p.sum_y, &p.sum_y2, ols_cov)?,
        (None, kind) => {
            let design = Design {
                x,
                y,
                event,
                clusters,
            };
            let fit = match kind {
                OutcomeKind::Binary if spec.firth => fit_logistic_firth(&design)?,
                OutcomeKind::Binary => fit_logistic(&design)?,
                OutcomeKind::Continuous => fit_ols(&design, ols_cov)?,
                OutcomeKind::TimeToEvent if spec.firth => fit_cox_firth(&design)?,
                OutcomeKind::TimeToEvent => fit_cox(&design)?,
            };
            if kind == OutcomeKind::TimeToEvent && fit.status == ModelStatus::Firth {
                penalised = Some(design);
            }
            fit
        }
    };
    Ok(Fitted {
        fit,
        residual_df: n as f64 - kept.len() as f64,
        columns: kept,
        dropped_covariate,
        penalised,
    })
}

/// Result of the interaction test.
#[derive(Clone, Debug, PartialEq)]
pub struct Interaction {
    /// p-value.
    pub p_value: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// `lrt`, `penalised_lrt` or `wald_cluster_robust`.
    pub method: InteractionMethod,
}

/// The interaction model pair for therapy x subgroup.
pub struct InteractionFit {
    /// Full model (per-subgroup therapy terms), for the adjusted effects.
    pub full: Result<Fitted, ModelStatus>,
    /// The test, or why there is none.
    pub test: Result<Interaction, ModelStatus>,
}

/// The intercept (but for Cox) and an indicator of every subgroup in
/// `present` but `reference`.
pub fn subgroup_columns(kind: OutcomeKind, present: &[u32], reference: u32) -> Vec<Column> {
    let mut columns = Vec::new();
    if kind != OutcomeKind::TimeToEvent {
        columns.push(Column::Intercept);
    }
    columns.extend(
        present
            .iter()
            .filter(|&&k| k != reference)
            .map(|&k| Column::Subgroup(k)),
    );
    columns
}

/// Fits the full and reduced models over `m` (subgroups `present`,
/// `reference` omitted from the dummies) and tests the interaction.
pub fn interaction(
    cohort: &Cohort,
    outcome: &Outcome,
    m: &ModelRows<'_>,
    present: &[u32],
    reference: u32,
    kind: OutcomeKind,
    hc3: bool,
) -> InteractionFit {
    let base = subgroup_columns(kind, present, reference);
    let mut full_cols = base.clone();
    full_cols.extend(present.iter().map(|&k| Column::TherapyIn(k)));
    let mut reduced_cols = base;
    reduced_cols.push(Column::Therapy);
    let spec = FitSpec {
        kind,
        hc3,
        firth: false,
    };
    let mut full = fit_model(cohort, outcome, m, &full_cols, spec);
    let mut reduced = fit_model(cohort, outcome, m, &reduced_cols, spec);
    let firth = matches!(kind, OutcomeKind::Binary | OutcomeKind::TimeToEvent)
        && [&full, &reduced]
            .iter()
            .any(|f| matches!(f, Ok(f) if f.fit.status == ModelStatus::Firth));
    if firth {
        let spec = FitSpec {
            firth: true,
            ..spec
        };
        full = fit_model(cohort, outcome, m, &full_cols, spec);
        reduced = fit_model(cohort, outcome, m, &reduced_cols, spec);
    }
    let test = match (&full, &reduced) {
        (Ok(f), Ok(r)) => {
            if f.fit.robust {
                robust_wald(f)
            } else {
                let df = f.columns.len().saturating_sub(r.columns.len());
                likelihood_ratio_test(f.fit.log_likelihood, r.fit.log_likelihood, df)
                    .map(|(_, p)| Interaction {
                        p_value: p,
                        df,
                        method: if firth {
                            InteractionMethod::PenalisedLrt
                        } else {
                            InteractionMethod::Lrt
                        },
                    })
                    .ok_or(ModelStatus::NotEstimable)
            }
        }
        (Err(e), _) | (_, Err(e)) => Err(*e),
    };
    InteractionFit { full, test }
}

/// Wald test that every kept per-subgroup therapy term is equal, with the
/// (cluster-robust) covariance of the fit.
fn robust_wald(f: &Fitted) -> Result<Interaction, ModelStatus> {
    let terms: Vec<usize> = f
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, Column::TherapyIn(_)))
        .map(|(j, _)| j)
        .collect();
    if terms.len() < 2 {
        return Err(ModelStatus::NotEstimable);
    }
    let q = terms.len() - 1;
    let p = f.columns.len();
    let l = DMatrix::from_fn(q, p, |r, c| {
        if c == terms[0] {
            1.0
        } else if c == terms[r + 1] {
            -1.0
        } else {
            0.0
        }
    });
    let lb: DVector<f64> = &l * &f.fit.coef;
    let lvl = &l * &f.fit.cov * l.transpose();
    let inv = inverse_spd(&lvl).ok_or(ModelStatus::NotEstimable)?;
    let w = (lb.transpose() * inv * &lb)[(0, 0)];
    let p_value = chi2_sf(w, q as f64).ok_or(ModelStatus::NotEstimable)?;
    Ok(Interaction {
        p_value,
        df: q,
        method: InteractionMethod::WaldClusterRobust,
    })
}
