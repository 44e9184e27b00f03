//! Augmented inverse-probability-weighted (doubly robust) estimates.
//!
//! With outcome-model predictions m1(x), m0(x) (a model fitted in each arm)
//! and inverse-probability weights w (1/e in arm 1, 1/(1−e) in arm 0,
//! truncated as for IPW), each row contributes
//!
//! φ1 = m1(x) + T·w·(y − m1(x)),  φ0 = m0(x) + (1−T)·w·(y − m0(x)),
//!
//! and μ_a = mean(φ_a) (Robins, Rotnitzky & Zhao 1994; Bang & Robins 2005).
//! The estimate is consistent when either the propensity or the outcome
//! model is right. Standard errors come from the influence function:
//! for the difference, IF = φ1 − φ0 − (μ1 − μ0); for the ratio on the log
//! scale, IF = (φ1 − μ1)/μ1 − (φ0 − μ0)/μ0; SE = sqrt(Σ IF²) / n
//! (Lunceford & Davidian 2004, eq. 21).

use nalgebra::DMatrix;

use super::design::Design;
use super::ipw::{log_wald, wald};
use super::linalg::{independent_columns, predict_kept, select_columns};
use super::logistic::fit_logistic;
use super::ols::{fit_ols, OlsCovariance};
use super::{Effect, ModelStatus};

/// Predictions for every row of `x` from an outcome model fitted on the
/// rows of arm `arm` only: logistic (Firth's penalty when the arm's
/// outcome is separated) when `binary`, else OLS. Columns aliased within
/// the arm are dropped before fitting.
///
/// # Errors
/// The fit's status when the arm's model cannot be estimated.
pub fn arm_predictions(
    x: &DMatrix<f64>,
    y: &[f64],
    treated: &[bool],
    arm: bool,
    binary: bool,
) -> Result<Vec<f64>, ModelStatus> {
    let rows: Vec<usize> = (0..y.len()).filter(|&i| treated[i] == arm).collect();
    if rows.is_empty() {
        return Err(ModelStatus::Empty);
    }
    let sub = x.select_rows(&rows);
    let keep = independent_columns(&sub);
    let design = Design {
        x: select_columns(sub, &keep),
        y: rows.iter().map(|&i| y[i]).collect(),
        event: Vec::new(),
        clusters: None,
    };
    let fit = if binary {
        fit_logistic(&design)?
    } else {
        fit_ols(&design, OlsCovariance::Classical)?
    };
    let eta = predict_kept(x, &keep, &fit.coef);
    Ok(if binary {
        eta.iter().map(|&e| 1.0 / (1.0 + (-e).exp())).collect()
    } else {
        eta.iter().copied().collect()
    })
}

/// Per-row contributions φ1 and φ0.
#[derive(Clone, Debug, PartialEq)]
pub struct Contributions {
    /// φ1 per row.
    pub treated: Vec<f64>,
    /// φ0 per row.
    pub control: Vec<f64>,
}

/// The contributions of rows with outcome `y`, arm `treated`, weight `w`
/// (for the row's own arm) and predictions `m1`, `m0`.
pub fn contributions(
    y: &[f64],
    treated: &[bool],
    w: &[f64],
    m1: &[f64],
    m0: &[f64],
) -> Contributions {
    let n = y.len();
    let mut out = Contributions {
        treated: Vec::with_capacity(n),
        control: Vec::with_capacity(n),
    };
    for i in 0..n {
        let (r1, r0) = if treated[i] {
            (w[i] * (y[i] - m1[i]), 0.0)
        } else {
            (0.0, w[i] * (y[i] - m0[i]))
        };
        out.treated.push(m1[i] + r1);
        out.control.push(m0[i] + r0);
    }
    out
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// μ1 − μ0 with its influence-function standard error.
///
/// # Errors
/// [`ModelStatus::Empty`] without rows, [`ModelStatus::NotEstimable`] when
/// the standard error is zero.
pub fn aipw_difference(c: &Contributions, z: f64) -> Result<Effect, ModelStatus> {
    let n = c.treated.len();
    if n == 0 {
        return Err(ModelStatus::Empty);
    }
    let delta = mean(&c.treated) - mean(&c.control);
    let ss: f64 = c
        .treated
        .iter()
        .zip(&c.control)
        .map(|(a, b)| (a - b - delta).powi(2))
        .sum();
    wald(delta, ss.sqrt() / n as f64, z)
}

/// μ1 / μ0 on the log scale with its influence-function standard error.
///
/// # Errors
/// As [`aipw_difference`]; [`ModelStatus::NotEstimable`] when a mean is
/// not positive.
pub fn aipw_ratio(c: &Contributions, z: f64) -> Result<Effect, ModelStatus> {
    let n = c.treated.len();
    if n == 0 {
        return Err(ModelStatus::Empty);
    }
    let (mu1, mu0) = (mean(&c.treated), mean(&c.control));
    if !(mu1 > 0.0 && mu0 > 0.0) {
        return Err(ModelStatus::NotEstimable);
    }
    let ss: f64 = c
        .treated
        .iter()
        .zip(&c.control)
        .map(|(a, b)| ((a - mu1) / mu1 - (b - mu0) / mu0).powi(2))
        .sum();
    log_wald((mu1 / mu0).ln(), ss.sqrt() / n as f64, z)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Z: f64 = 1.959963984540054;

    #[test]
    fn perfect_outcome_models_give_their_own_contrast() {
        // Predictions equal the outcomes: residuals vanish, φ = m.
        let y = [2., 4., 1., 3.];
        let t = [true, true, false, false];
        let m1 = [2., 4., 3., 5.];
        let m0 = [0., 2., 1., 3.];
        let c = contributions(&y, &t, &[9.0; 4], &m1, &m0);
        assert_eq!(c.treated, m1.to_vec());
        assert_eq!(c.control, m0.to_vec());
        let e = aipw_difference(&c, Z).unwrap_err();
        // Every row's difference is 2: no spread, so no standard error.
        assert_eq!(e, ModelStatus::NotEstimable);
    }

    #[test]
    fn contributions_follow_the_formula() {
        let y = [1., 0., 1.];
        let t = [true, false, false];
        let w = [2., 4., 1.5];
        let m1 = [0.5, 0.25, 0.75];
        let m0 = [0.2, 0.4, 0.6];
        let c = contributions(&y, &t, &w, &m1, &m0);
        assert_eq!(c.treated, vec![0.5 + 2.0 * 0.5, 0.25, 0.75]);
        assert_eq!(c.control, vec![0.2, 0.4 + 4.0 * -0.4, 0.6 + 1.5 * 0.4]);
        let d = aipw_difference(&c, Z).unwrap();
        let phi: Vec<f64> = (0..3).map(|i| c.treated[i] - c.control[i]).collect();
        let delta = phi.iter().sum::<f64>() / 3.0;
        assert!((d.estimate - delta).abs() < 1e-12);
        let se = phi.iter().map(|p| (p - delta).powi(2)).sum::<f64>().sqrt() / 3.0;
        assert!((d.se.unwrap() - se).abs() < 1e-12);
    }
}
