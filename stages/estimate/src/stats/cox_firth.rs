//! Cox regression with Firth's penalised partial likelihood (Heinze &
//! Schemper 2001, R package `coxphf`): finite estimates under monotone
//! likelihood, when every event of a covariate pattern happens first (an
//! arm with no events, or all events in one arm) and the hazard ratio runs
//! to 0 or infinity.
//!
//! The fit maximises l*(β) = l(β) + ½ log|I(β)|, l the Efron partial
//! log-likelihood and I its observed information (see `efron`), by
//! Newton-Raphson on the modified score
//! U*(β)_r = U(β)_r + ½ tr(I(β)⁻¹ ∂I(β)/∂β_r), stepping
//! β += I(β)⁻¹ U*(β) from β = 0 and halving a step while l* falls, until
//! the largest step is below 1e-10 (or, with coefficients so far out that
//! the step stalls at rounding noise, l* has stopped rising for 5
//! iterations with steps below 1e-5; at most 200 iterations): coxphf's
//! algorithm, with Efron's ties where coxphf uses Breslow's (the two agree
//! when no events are tied). One safeguard: I underestimates the curvature
//! of l* (by half with a single event), so a full step can overshoot the
//! maximum by as much as it started short of it and cycle; when the
//! directional derivative U*'step changes sign across an accepted step,
//! the secant estimate of the maximum along the step is taken instead. The
//! covariance reported is I(β̂)⁻¹, as coxphf's.
//!
//! Inference on coefficient j ([`penalised_effect`]) is coxphf's default:
//!
//! - the confidence interval is the profile penalised likelihood set
//!   {b : 2 [l*(β̂) − max_{β_-j} l*(b, β_-j)] ≤ χ²₁,₁₋α} (the penalty
//!   always that of the full model), its ends found with
//!   [`super::profile`] to 1e-10; Wald intervals are far off under
//!   monotone likelihood;
//! - the p-value is the penalised likelihood-ratio test
//!   2 [l*(β̂) − max_{β_-j} l*(0, β_-j)] ~ χ²₁.
//!
//! Each profile maximisation starts from the previous point of its search
//! (else from β̂). If a bound is not found (the profile stays above the
//! threshold within 2³⁰ steps of z·SE, or a maximisation fails), the
//! effect is [`ModelStatus::NotConverged`] rather than a half-open
//! interval.
//!
//! Patient clusters are ignored: Lin & Wei's robust covariance is built on
//! the unpenalised score, which is not zero at the penalised estimate, and
//! coxphf has no robust option. A Firth fit is therefore never
//! cluster-robust; its inference treats episodes as independent.

use nalgebra::{DMatrix, DVector};

use super::design::Design;
use super::efron::{check_design, evaluate, order_desc};
use super::linalg::inverse_spd;
use super::logistic::ModelFit;
use super::normal::chi2_sf;
use super::profile::profile_bound;
use super::{Effect, Interval, ModelStatus};

/// Newton iterations before giving up.
const MAX_ITER: usize = 200;
/// Step halvings per iteration.
const MAX_HALVINGS: usize = 30;
/// Convergence: largest Newton step.
const TOLERANCE: f64 = 1e-10;
/// Convergence at the rounding floor: iterations in a row that raise l* by
/// no more than rounding (1e-14 relative), with a step below
/// [`FLOOR_STEP`].
const STALLED: usize = 5;
/// See [`STALLED`].
const FLOOR_STEP: f64 = 1e-5;

/// A Cox model's data, sorted once, for penalised fits.
struct PenalisedCox<'a> {
    design: &'a Design,
    order: Vec<usize>,
}

/// l*(β), with what the next Newton step needs.
struct Point {
    beta: DVector<f64>,
    objective: f64,
    information: DMatrix<f64>,
    information_inv: DMatrix<f64>,
}

/// The penalised maximum over the free coefficients.
struct Maximum {
    point: Point,
    iterations: usize,
}

impl<'a> PenalisedCox<'a> {
    fn new(design: &'a Design) -> Self {
        Self {
            design,
            order: order_desc(&design.y),
        }
    }

    /// l*(β) and I(β)⁻¹; `None` when I(β) is not positive definite or l*
    /// is not finite.
    fn point(&self, beta: DVector<f64>) -> Option<Point> {
        let d = self.design;
        let e = evaluate(&d.x, &d.y, &d.event, &self.order, &beta, None);
        let chol = e.information.clone().cholesky()?;
        let log_det: f64 = chol.l().diagonal().iter().map(|v| 2.0 * v.ln()).sum();
        let objective = e.log_likelihood + 0.5 * log_det;
        let information_inv = chol.inverse();
        (objective.is_finite() && information_inv.iter().all(|v| v.is_finite())).then_some(Point {
            beta,
            objective,
            information: e.information,
            information_inv,
        })
    }

    /// The modified score U*(β) at `point`.
    fn score(&self, point: &Point) -> DVector<f64> {
        let d = self.design;
        let e = evaluate(
            &d.x,
            &d.y,
            &d.event,
            &self.order,
            &point.beta,
            Some(&point.information_inv),
        );
        match e.trace {
            Some(trace) => e.gradient + trace * 0.5,
            None => e.gradient,
        }
    }

    /// Maximises l* over every coefficient but `fixed` (held at its value
    /// in `start`). Converged when the Newton step is below 1e-10, or when
    /// l* has stopped rising beyond rounding for 5 iterations with steps
    /// below 1e-5: with coefficients far out (HRs of e^30 and more, in
    /// near-monotone directions) the step stalls at the rounding noise of
    /// U*/I while l* is flat to working precision. `None` when the
    /// iterations do not converge.
    fn maximise(&self, start: Point, fixed: Option<usize>) -> Option<Maximum> {
        let p = start.beta.len();
        let free: Vec<usize> = (0..p).filter(|&j| Some(j) != fixed).collect();
        let mut current = start;
        if free.is_empty() {
            return Some(Maximum {
                point: current,
                iterations: 0,
            });
        }
        let mut u = self.score(&current);
        let (mut best, mut stalled) = (current.objective, 0);
        for iteration in 1..=MAX_ITER {
            let sub = DMatrix::from_fn(free.len(), free.len(), |a, b| {
                current.information[(free[a], free[b])]
            });
            let u_free = DVector::from_fn(free.len(), |a, _| u[free[a]]);
            let step_free = inverse_spd(&sub)? * u_free;
            let step_size = step_free.amax();
            if step_size < TOLERANCE || (stalled >= STALLED && step_size < FLOOR_STEP) {
                return Some(Maximum {
                    point: current,
                    iterations: iteration,
                });
            }
            let mut step = DVector::zeros(p);
            for (a, &j) in free.iter().enumerate() {
                step[j] = step_free[a];
            }
            (current, u) = self.line_search(&current, &u, &step)?;
            if current.objective > best + 1e-14 * best.abs().max(1.0) {
                (best, stalled) = (current.objective, 0);
            } else {
                stalled += 1;
            }
        }
        None
    }

    /// The next point along `step` from `current` (score `u`), with its
    /// score: the first of β + step, β + step/2, ... whose l* is not below
    /// l*(β); if that point is past the maximum along the step (the
    /// directional derivative U*'step has changed sign), the secant
    /// estimate of that maximum instead, when its l* is not below l*(β)
    /// either (near the maximum both are equal to rounding). The
    /// information underestimates the curvature of l* (with one event and
    /// two arms exactly by half), so a plain Newton step can land as far
    /// past the maximum as it started before it and cycle there.
    fn line_search(
        &self,
        current: &Point,
        u: &DVector<f64>,
        step: &DVector<f64>,
    ) -> Option<(Point, DVector<f64>)> {
        let floor = current.objective - 1e-12 * current.objective.abs().max(1.0);
        let slope = u.dot(step);
        let mut scale = 1.0;
        for _ in 0..MAX_HALVINGS {
            if let Some(next) = self.point(&current.beta + step * scale) {
                if next.objective >= floor {
                    let u_next = self.score(&next);
                    let slope_next = u_next.dot(step);
                    if slope > 0.0 && slope_next < 0.0 {
                        let secant = scale * slope / (slope - slope_next);
                        if let Some(mid) = self.point(&current.beta + step * secant) {
                            if mid.objective >= floor {
                                let u_mid = self.score(&mid);
                                return Some((mid, u_mid));
                            }
                        }
                    }
                    return Some((next, u_next));
                }
            }
            scale *= 0.5;
        }
        None
    }

    /// max over β_-j of l*(b, β_-j) and where it is reached, from each of
    /// `starts` in turn (β_j replaced by b) until one converges. −∞ when
    /// I(β) is degenerate at every start (l* is −∞ to working precision
    /// that far out); `None` when no maximisation from a valid start
    /// converges.
    fn profile(&self, starts: &[&DVector<f64>], j: usize, b: f64) -> Option<(f64, DVector<f64>)> {
        let mut valid = false;
        for start in starts {
            let mut beta = (*start).clone();
            beta[j] = b;
            if let Some(point) = self.point(beta) {
                valid = true;
                if let Some(max) = self.maximise(point, Some(j)) {
                    return Some((max.point.objective, max.point.beta));
                }
            }
        }
        let start = starts.first()?;
        (!valid).then(|| (f64::NEG_INFINITY, (*start).clone()))
    }
}

/// Fits `design` (as [`super::cox::fit_cox`]) by Firth's penalised
/// partial likelihood; `log_likelihood` is l*(β̂). Clusters are ignored
/// (`robust` is false) and no proportional-hazards test is computed.
///
/// # Errors
/// [`ModelStatus::Empty`], [`ModelStatus::NoEvents`],
/// [`ModelStatus::NotEstimable`] (I(0) singular: aliased columns),
/// [`ModelStatus::NotConverged`].
pub fn fit_cox_firth(design: &Design) -> Result<ModelFit, ModelStatus> {
    check_design(design)?;
    let model = PenalisedCox::new(design);
    let start = model
        .point(DVector::zeros(design.x.ncols()))
        .ok_or(ModelStatus::NotEstimable)?;
    let max = model
        .maximise(start, None)
        .ok_or(ModelStatus::NotConverged)?;
    Ok(ModelFit {
        coef: max.point.beta,
        cov: max.point.information_inv,
        log_likelihood: max.point.objective,
        status: ModelStatus::Firth,
        robust: false,
        iterations: max.iterations,
        ph_test_p: Vec::new(),
    })
}

/// The hazard ratio of coefficient `j` of a Firth fit of `design`:
/// exp(β̂_j), the profile penalised likelihood interval at the level whose
/// normal critical value is `z` (χ²₁ quantile z²), the penalised LRT
/// p-value, and the SE sqrt(I(β̂)⁻¹_jj) (coxphf's `se(coef)`; not the basis
/// of the interval).
///
/// # Errors
/// [`ModelStatus::NotEstimable`] for a bad `j`, [`ModelStatus::NotConverged`]
/// when a profile maximisation or a bound search fails.
pub fn penalised_effect(
    design: &Design,
    fit: &ModelFit,
    j: usize,
    z: f64,
) -> Result<Effect, ModelStatus> {
    if j >= fit.coef.len() {
        return Err(ModelStatus::NotEstimable);
    }
    let model = PenalisedCox::new(design);
    let beta = &fit.coef;
    let se = fit.se(j);
    let threshold = z * z;
    let step = if se.is_finite() && se > 0.0 {
        z * se
    } else {
        1.0
    };
    let bound = |direction: f64| {
        // From the last profile point of this search, else the estimate.
        let mut warm = beta.clone();
        let mut profile = |b: f64| {
            let (objective, at) = model.profile(&[&warm, beta], j, b)?;
            warm = at;
            Some(objective)
        };
        profile_bound(
            beta[j],
            direction * step,
            fit.log_likelihood,
            threshold,
            &mut profile,
        )
    };
    let (low, high) = match (bound(-1.0), bound(1.0)) {
        (Some(low), Some(high)) => (low, high),
        _ => return Err(ModelStatus::NotConverged),
    };
    let (null, _) = model
        .profile(&[beta], j, 0.0)
        .ok_or(ModelStatus::NotConverged)?;
    let p_value =
        chi2_sf(2.0 * (fit.log_likelihood - null), 1.0).ok_or(ModelStatus::NotConverged)?;
    Ok(Effect {
        estimate: beta[j].exp(),
        ci: Interval {
            low: low.exp(),
            high: high.exp(),
        },
        se: Some(se),
        p_value: Some(p_value),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(x: &[&[f64]], time: &[f64], event: &[bool]) -> Design {
        let p = x[0].len();
        Design {
            x: DMatrix::from_fn(x.len(), p, |i, j| x[i][j]),
            y: time.to_vec(),
            event: event.to_vec(),
            clusters: None,
        }
    }

    /// One event, in the treated arm, when 58 patients per arm are at
    /// risk: the ML hazard ratio is infinite. With u the probability that
    /// the event is the treated one, l* = 1.5 log u + 0.5 log(1 − u) + c,
    /// so û = 3/4 and the penalised HR is exactly 3. Published coxphf 1.13
    /// output for this configuration (TOFACOV 28-day mortality, 58 vs 58,
    /// one death on tofacitinib; alainamstutz/JAKi-IPDMA, tofacov.md,
    /// `summary(coxphf(Surv(death_time, death_reached) ~ trt))`):
    /// coef 1.098612, se(coef) 2.309401, exp(coef) 3, 95% CI 0.1600409 to
    /// 437.7607, Chisq 0.5232481, p 0.4694594.
    #[test]
    fn single_event_matches_published_coxphf() {
        let n = 116;
        let x: Vec<[f64; 1]> = (0..n).map(|i| [if i < 58 { 1.0 } else { 0.0 }]).collect();
        let rows: Vec<&[f64]> = x.iter().map(|r| &r[..]).collect();
        let time: Vec<f64> = (0..n).map(|i| if i == 0 { 5.0 } else { 28.0 }).collect();
        let event: Vec<bool> = (0..n).map(|i| i == 0).collect();
        let d = design(&rows, &time, &event);
        let fit = crate::stats::cox::fit_cox(&d).expect("fits");
        assert_eq!(fit.status, ModelStatus::Firth);
        assert!((fit.coef[0] - 3.0_f64.ln()).abs() < 1e-9, "{}", fit.coef[0]);
        let e = penalised_effect(&d, &fit, 0, 1.959963984540054).expect("effect");
        let rel = |got: f64, want: f64| ((got - want) / want).abs();
        assert!(rel(e.estimate, 3.0) < 1e-9);
        assert!(rel(e.se.unwrap_or(0.0), 2.309401) < 1e-6);
        assert!(rel(e.ci.low, 0.1600409) < 1e-6, "{}", e.ci.low);
        assert!(rel(e.ci.high, 437.7607) < 1e-6, "{}", e.ci.high);
        assert!(rel(e.p_value.unwrap_or(0.0), 0.4694594) < 1e-6);
    }

    /// Regression (demo, NUDT15 Indeterminate, bleeding): one event in the
    /// treated arm with 18 treated and 12 untreated at risk. The Newton
    /// step overshoots by 2 (curvature of l* twice the information), and
    /// near the maximum the overshot point and the start have equal l* to
    /// rounding: the fit cycled ±1e-9 around the maximum until the
    /// iteration limit. The secant point is now taken whenever l* does not
    /// fall. û = 3/4, so the hazard ratio is 3 · 12 / 18 = 2.
    #[test]
    fn single_event_unbalanced_arms_converges() {
        let n = 30;
        let rows: Vec<[f64; 1]> = (0..n).map(|i| [if i < 18 { 1.0 } else { 0.0 }]).collect();
        let rows: Vec<&[f64]> = rows.iter().map(|r| &r[..]).collect();
        let time: Vec<f64> = (0..n)
            .map(|i| match i {
                0 => 5.0,
                18 => 16.0,
                _ => 365.0,
            })
            .collect();
        let event: Vec<bool> = (0..n).map(|i| i == 0).collect();
        let d = design(&rows, &time, &event);
        let fit = fit_cox_firth(&d).expect("converges");
        assert!((fit.coef[0] - 2.0_f64.ln()).abs() < 1e-9, "{}", fit.coef[0]);
        let e = penalised_effect(&d, &fit, 0, 1.959963984540054).expect("effect");
        // l*(u) = 1.5 log u + 0.5 log(1 - u), u = 18e^b / (18e^b + 12):
        // scipy brentq on 2 (l*(log 2) - l*(b)) = chi2.ppf(0.95, 1), and
        // chi2.sf(2 (l*(log 2) - l*(0)), 1).
        let want = [0.10669390141192692, 291.8404647548041, 0.655183733178385];
        let got = [e.ci.low, e.ci.high, e.p_value.unwrap_or(0.0)];
        for (g, w) in got.iter().zip(want) {
            assert!(((g - w) / w).abs() < 1e-9, "{g} vs {w}");
        }
    }

    /// Every event in the treated arm, treated failing first (monotone
    /// likelihood): the ML fit runs off, Firth gives a finite HR > 1 whose
    /// profile interval contains it, and the modified score is ~0 there.
    #[test]
    fn monotone_likelihood_gives_finite_hazard_ratio() {
        let treated = [1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let rows: Vec<[f64; 1]> = treated.iter().map(|&t| [t]).collect();
        let rows: Vec<&[f64]> = rows.iter().map(|r| &r[..]).collect();
        let time = [1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];
        let event = [
            true, true, true, false, false, false, false, false, false, false,
        ];
        let d = design(&rows, &time, &event);
        let fit = crate::stats::cox::fit_cox(&d).expect("fits");
        assert_eq!(fit.status, ModelStatus::Firth);
        assert!(!fit.robust && fit.ph_test_p.is_empty());
        let model = PenalisedCox::new(&d);
        let point = model.point(fit.coef.clone()).expect("valid");
        assert!(model.score(&point).amax() < 1e-8);
        let e = penalised_effect(&d, &fit, 0, 1.959963984540054).expect("effect");
        assert!(e.estimate.is_finite() && e.estimate > 1.0, "{}", e.estimate);
        assert!(e.ci.low < e.estimate && e.estimate < e.ci.high);
        assert!(e.ci.high.is_finite());
        let p = e.p_value.expect("p");
        assert!(p > 0.0 && p < 1.0);
        // The penalised LRT at the bounds is the chi-square quantile.
        for bound in [e.ci.low.ln(), e.ci.high.ln()] {
            let (at, _) = model.profile(&[&fit.coef], 0, bound).expect("profile");
            let stat = 2.0 * (fit.log_likelihood - at);
            assert!((stat - 3.841458820694124).abs() < 1e-8, "{stat}");
        }
    }

    /// Forced Firth on an adjusted model: the penalised score is ~0 in every
    /// coefficient, and the profile maximum with the first coefficient fixed
    /// at its estimate is the full maximum.
    #[test]
    fn forced_firth_fit_is_stationary() {
        let data: [(f64, f64, f64, bool); 12] = [
            (1.0, 0.5, 1.0, true),
            (1.0, -0.2, 2.0, true),
            (0.0, 1.1, 3.0, true),
            (1.0, 0.3, 3.0, true),
            (0.0, -0.8, 4.0, false),
            (0.0, 0.9, 5.0, true),
            (0.0, 0.1, 6.0, false),
            (1.0, -1.4, 7.0, false),
            (0.0, 0.4, 8.0, true),
            (0.0, -0.6, 9.0, false),
            (1.0, 0.0, 9.0, false),
            (0.0, 1.3, 10.0, false),
        ];
        let rows: Vec<[f64; 2]> = data.iter().map(|r| [r.0, r.1]).collect();
        let rows: Vec<&[f64]> = rows.iter().map(|r| &r[..]).collect();
        let time: Vec<f64> = data.iter().map(|r| r.2).collect();
        let event: Vec<bool> = data.iter().map(|r| r.3).collect();
        let d = design(&rows, &time, &event);
        let fit = fit_cox_firth(&d).expect("fits");
        let model = PenalisedCox::new(&d);
        let point = model.point(fit.coef.clone()).expect("valid");
        assert!(model.score(&point).amax() < 1e-8);
        let (at, beta) = model
            .profile(&[&fit.coef], 0, fit.coef[0])
            .expect("profile");
        assert!((at - fit.log_likelihood).abs() < 1e-10);
        assert!((beta - &fit.coef).amax() < 1e-8);
    }
}
