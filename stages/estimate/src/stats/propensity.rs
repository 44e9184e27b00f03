//! Propensity scores and inverse-probability weights for a two-arm
//! comparison (therapy = arm 1, comparator = arm 0).
//!
//! The propensity score e(x) = P(therapy | covariates) comes from a
//! maximum-likelihood logistic regression of the arm on an intercept and
//! the covariates ([`super::logistic::fit_logistic`]). When that fit shows
//! separation (the covariates predict the arm perfectly, so some patients
//! have no counterpart in the other arm) there is no overlap to weight
//! across: the comparison gets [`ModelStatus::NoOverlap`] rather than a
//! Firth-shrunk score that would hide the problem.
//!
//! Weights estimate the average treatment effect in the subgroup: 1/e for
//! arm 1, 1/(1-e) for arm 0. Extreme weights are truncated (winsorised) at
//! stated percentiles of the pooled weights (Lee, Lessler & Stuart 2011;
//! Cole & Hernán 2008 recommend reporting how many were truncated).
//! Percentiles interpolate linearly between order statistics (numpy's
//! default `percentile`).

use nalgebra::DVector;

use super::design::Design;
use super::logistic::fit_logistic;
use super::ModelStatus;

/// Propensity scores of the rows of `design` (`design.y` is 1 for arm 1,
/// 0 for arm 0; `design.x` holds the intercept and covariates).
///
/// # Errors
/// [`ModelStatus::NoOverlap`] when the arms are separated by the
/// covariates; the logistic fit's status when it cannot be estimated.
pub fn propensity_scores(design: &Design) -> Result<Vec<f64>, ModelStatus> {
    let fit = fit_logistic(design)?;
    if fit.status != ModelStatus::Ok {
        return Err(ModelStatus::NoOverlap);
    }
    let eta: DVector<f64> = &design.x * &fit.coef;
    Ok(eta.iter().map(|&e| 1.0 / (1.0 + (-e).exp())).collect())
}

/// The `q`-th percentile (0-100) of `sorted` (ascending, not empty), by
/// linear interpolation between order statistics.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q / 100.0;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Inverse-probability weights after truncation.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    /// One weight per row.
    pub weights: Vec<f64>,
    /// The weights at the lower and upper truncation percentiles.
    pub bounds: (f64, f64),
    /// Rows whose weight was truncated.
    pub truncated: usize,
}

/// Average-treatment-effect weights, 1/e for arm 1 and 1/(1-e) for arm 0,
/// truncated at the `truncation` percentiles (`[lower, upper]`, 0-100) of
/// the pooled weights; `[0, 100]` truncates nothing.
pub fn ate_weights(scores: &[f64], treated: &[bool], truncation: [f64; 2]) -> Weights {
    let raw: Vec<f64> = scores
        .iter()
        .zip(treated)
        .map(|(&e, &t)| if t { 1.0 / e } else { 1.0 / (1.0 - e) })
        .collect();
    if raw.is_empty() {
        return Weights {
            weights: raw,
            bounds: (f64::NAN, f64::NAN),
            truncated: 0,
        };
    }
    let mut sorted = raw.clone();
    sorted.sort_by(f64::total_cmp);
    let bounds = (
        percentile(&sorted, truncation[0]),
        percentile(&sorted, truncation[1]),
    );
    let mut truncated = 0;
    let weights = raw
        .into_iter()
        .map(|w| {
            let clamped = w.clamp(bounds.0, bounds.1);
            if clamped != w {
                truncated += 1;
            }
            clamped
        })
        .collect();
    Weights {
        weights,
        bounds,
        truncated,
    }
}

/// Kish's effective sample size (Σw)² / Σw².
pub fn effective_sample_size(weights: &[f64]) -> f64 {
    let sum: f64 = weights.iter().sum();
    let squares: f64 = weights.iter().map(|w| w * w).sum();
    if squares > 0.0 {
        sum * sum / squares
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use nalgebra::DMatrix;

    use super::*;

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 4.0, 8.0];
        // numpy.percentile([1,2,4,8], [0, 10, 50, 99, 100])
        assert_eq!(percentile(&v, 0.0), 1.0);
        assert!((percentile(&v, 10.0) - 1.3).abs() < 1e-12);
        assert!((percentile(&v, 50.0) - 3.0).abs() < 1e-12);
        assert!((percentile(&v, 99.0) - 7.88).abs() < 1e-12);
        assert_eq!(percentile(&v, 100.0), 8.0);
    }

    #[test]
    fn weights_are_inverse_probabilities_truncated_at_percentiles() {
        let scores = [0.5, 0.25, 0.8, 0.1, 0.9];
        let treated = [true, true, false, false, true];
        let none = ate_weights(&scores, &treated, [0.0, 100.0]);
        let expect = [2.0, 4.0, 5.0, 1.0 / 0.9, 1.0 / 0.9];
        for (w, e) in none.weights.iter().zip(expect) {
            assert!((w - e).abs() < 1e-12);
        }
        assert_eq!(none.truncated, 0);
        // Pooled sorted: 1.111, 1.111, 2, 4, 5; 75th percentile = 4.
        let cut = ate_weights(&scores, &treated, [0.0, 75.0]);
        assert_eq!(cut.bounds.1, 4.0);
        assert_eq!(cut.weights[2], 4.0);
        assert_eq!(cut.truncated, 1);
    }

    #[test]
    fn effective_sample_size_is_kish() {
        assert_eq!(effective_sample_size(&[1.0, 1.0, 1.0, 1.0]), 4.0);
        assert!((effective_sample_size(&[1.0, 3.0]) - 1.6).abs() < 1e-12);
        assert_eq!(effective_sample_size(&[]), 0.0);
    }

    #[test]
    fn separated_arms_have_no_overlap() {
        // The covariate splits the arms perfectly.
        let x = DMatrix::from_row_slice(6, 2, &[1., 1., 1., 2., 1., 3., 1., 4., 1., 5., 1., 6.]);
        let design = Design {
            x,
            y: vec![0., 0., 0., 1., 1., 1.],
            event: Vec::new(),
            clusters: None,
        };
        assert_eq!(propensity_scores(&design), Err(ModelStatus::NoOverlap));
    }

    #[test]
    fn scores_are_the_fitted_probabilities() {
        // Intercept only: every score is the share in arm 1.
        let design = Design {
            x: DMatrix::from_element(4, 1, 1.0),
            y: vec![1., 0., 0., 0.],
            event: Vec::new(),
            clusters: None,
        };
        let scores = propensity_scores(&design).unwrap();
        for e in scores {
            assert!((e - 0.25).abs() < 1e-9);
        }
    }
}
