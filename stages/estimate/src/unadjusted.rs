//! Unadjusted comparisons of two arms (therapy vs comparator within a
//! subgroup, or subgroup vs reference within a therapy).
//!
//! Binary: risk difference (Newcombe hybrid score CI), risk ratio (log
//! Wald CI), odds ratio (Woolf CI); all three report Fisher's exact
//! two-sided p, which tests their common null of equal risks. Continuous:
//! Welch mean difference. Time to event: Cox hazard ratio (Efron ties) with
//! the arm indicator as the only covariate, Wald CI and p; when an arm has
//! no events (monotone likelihood), Firth's penalised Cox with the profile
//! penalised likelihood CI and penalised LRT p (`cox_firth`, status
//! `firth`; see [`crate::stats::cox_firth`]).

use nalgebra::DMatrix;
use tailor_schemas::subgroup_effects::{EffectModel, Measure, PMethod};

use crate::cohort::{Outcome, OutcomeValues};
use crate::stats::cox::fit_cox;
use crate::stats::cox_firth::penalised_effect;
use crate::stats::describe::summarise;
use crate::stats::design::Design;
use crate::stats::fisher::fisher_exact;
use crate::stats::newcombe::newcombe;
use crate::stats::normal::normal_two_sided_p;
use crate::stats::odds_ratio::odds_ratio;
use crate::stats::risk_ratio::risk_ratio;
use crate::stats::welch::welch;
use crate::stats::{Effect, Interval, ModelStatus};

/// One unadjusted estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// What is estimated.
    pub measure: Measure,
    /// Method of the estimate and CI.
    pub model: EffectModel,
    /// Method of the p-value.
    pub p_method: PMethod,
    /// The estimate, or why there is none.
    pub result: Result<Effect, ModelStatus>,
    /// Status when `result` is Ok: `Ok`, or `Firth` for a penalised Cox fit.
    pub ok_status: ModelStatus,
}

fn binary_counts(v: &[Option<bool>], rows: &[usize]) -> (u64, u64) {
    let events = rows.iter().filter(|&&i| v[i] == Some(true)).count() as u64;
    (events, rows.len() as u64 - events)
}

/// The unadjusted estimates of arm 1 (`a`) against arm 2 (`b`).
pub fn compare_arms(
    outcome: &Outcome,
    a: &[usize],
    b: &[usize],
    z: f64,
    level: f64,
) -> Vec<Estimate> {
    let empty = a.is_empty() || b.is_empty();
    match &outcome.values {
        OutcomeValues::Binary(v) => {
            let (x1, y1) = binary_counts(v, a);
            let (x2, y2) = binary_counts(v, b);
            let p = fisher_exact(x1, y1, x2, y2);
            let status = if empty {
                Err(ModelStatus::Empty)
            } else {
                Ok(())
            };
            let rd = status.and_then(|()| {
                newcombe(x1, x1 + y1, x2, x2 + y2, z)
                    .map(|(d, ci)| Effect {
                        estimate: d,
                        ci,
                        se: None,
                        p_value: Some(p),
                    })
                    .ok_or(ModelStatus::Empty)
            });
            let with_p = |e: Option<Effect>| {
                status.and_then(|()| {
                    e.map(|e| Effect {
                        p_value: Some(p),
                        ..e
                    })
                    .ok_or(ModelStatus::Empty)
                })
            };
            vec![
                Estimate {
                    measure: Measure::RiskDifference,
                    model: EffectModel::NewcombeHybridScore,
                    p_method: PMethod::FisherExact,
                    result: rd,
                    ok_status: ModelStatus::Ok,
                },
                Estimate {
                    measure: Measure::RiskRatio,
                    model: EffectModel::LogWaldHaldane,
                    p_method: PMethod::FisherExact,
                    result: with_p(risk_ratio(x1, y1, x2, y2, z)),
                    ok_status: ModelStatus::Ok,
                },
                Estimate {
                    measure: Measure::OddsRatio,
                    model: EffectModel::WoolfHaldane,
                    p_method: PMethod::FisherExact,
                    result: with_p(odds_ratio(x1, y1, x2, y2, z)),
                    ok_status: ModelStatus::Ok,
                },
            ]
        }
        OutcomeValues::Continuous(v) => {
            let values = |rows: &[usize]| rows.iter().filter_map(|&i| v[i]).collect::<Vec<f64>>();
            let result = match (summarise(&values(a)), summarise(&values(b))) {
                (Some(sa), Some(sb)) => welch(&sa, &sb, level).map(|(e, _df)| e),
                _ => Err(ModelStatus::Empty),
            };
            vec![Estimate {
                measure: Measure::MeanDifference,
                model: EffectModel::Welch,
                p_method: PMethod::WelchT,
                result,
                ok_status: ModelStatus::Ok,
            }]
        }
        OutcomeValues::TimeToEvent { time, event } => {
            let fit = if empty {
                Err(ModelStatus::Empty)
            } else {
                let rows: Vec<usize> = a.iter().chain(b).copied().collect();
                let x = DMatrix::from_fn(rows.len(), 1, |i, _| if i < a.len() { 1.0 } else { 0.0 });
                let design = Design {
                    x,
                    y: rows.iter().map(|&i| time[i].unwrap_or(0.0)).collect(),
                    event: rows.iter().map(|&i| event[i] == Some(true)).collect(),
                    clusters: None,
                };
                fit_cox(&design).map(|fit| (design, fit))
            };
            let firth = matches!(&fit, Ok((_, f)) if f.status == ModelStatus::Firth);
            let result = fit.and_then(|(design, fit)| {
                if firth {
                    penalised_effect(&design, &fit, 0, z)
                } else {
                    Ok(ratio_effect(fit.coef[0], fit.se(0), z))
                }
            });
            vec![Estimate {
                measure: Measure::HazardRatio,
                model: if firth {
                    EffectModel::CoxFirth
                } else {
                    EffectModel::CoxEfron
                },
                p_method: if firth {
                    PMethod::PenalisedLrt
                } else {
                    PMethod::Wald
                },
                result,
                ok_status: if firth {
                    ModelStatus::Firth
                } else {
                    ModelStatus::Ok
                },
            }]
        }
    }
}

/// A ratio effect from a log-scale coefficient and SE: Wald CI and p.
pub fn ratio_effect(beta: f64, se: f64, z: f64) -> Effect {
    Effect {
        estimate: beta.exp(),
        ci: Interval {
            low: (beta - z * se).exp(),
            high: (beta + z * se).exp(),
        },
        se: Some(se),
        p_value: Some(normal_two_sided_p(beta / se)),
    }
}
