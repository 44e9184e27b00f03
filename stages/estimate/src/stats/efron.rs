//! The Efron (1977) partial log-likelihood of a Cox model, its score, its
//! observed information and, for Firth's penalty, the traces
//! tr(V ∂I/∂β_r) of the information's derivatives against a matrix V.
//!
//! At each distinct time with d tied events D and risk set R, with
//! S_k = Σ_{i∈R} w_i x_i^{⊗k}, D_k the same over D, w_i = exp(x_i'β) and
//! for l = 0..d-1, f = l/d: a_k = S_k − f D_k. Then
//!
//! - l(β) = Σ_{i∈D} x_i'β − Σ_l log a_0,
//! - U(β) = Σ_{i∈D} x_i − Σ_l a_1 / a_0,
//! - I(β) = Σ_l [a_2 / a_0 − a_1 a_1' / a_0²],
//! - ∂I_jk/∂β_r = Σ_l [a_3,jkr / a_0 − a_2,jk a_1,r / a_0²
//!   − (a_2,jr a_1,k + a_1,j a_2,kr) / a_0² + 2 a_1,j a_1,k a_1,r / a_0³],
//!
//! so that, with q_i = x_i'V x_i for a symmetric V,
//! tr(V ∂I/∂β_r) = Σ_l [Σ w q x_r / a_0 − (Σ w q) a_1,r / a_0²
//! − 2 (a_2 V a_1)_r / a_0² + 2 (a_1'V a_1) a_1,r / a_0³] (the weighted sums
//! over the risk set less f times the same over D): no third-order
//! tensor, O(n p²) per pass.

use nalgebra::{DMatrix, DVector};

use super::design::Design;
use super::ModelStatus;

/// The partial likelihood and its derivatives at one β.
pub(super) struct Evaluation {
    /// l(β).
    pub log_likelihood: f64,
    /// U(β).
    pub gradient: DVector<f64>,
    /// I(β), the observed information.
    pub information: DMatrix<f64>,
    /// tr(V ∂I/∂β_r) per r, when a V was given.
    pub trace: Option<DVector<f64>>,
}

/// Checks a Cox design before fitting: rows and columns, matching lengths,
/// at least one event.
///
/// # Errors
/// [`ModelStatus::Empty`], [`ModelStatus::NotEstimable`] (lengths differ),
/// [`ModelStatus::NoEvents`].
pub(super) fn check_design(design: &Design) -> Result<(), ModelStatus> {
    let n = design.x.nrows();
    if n == 0 || design.x.ncols() == 0 {
        return Err(ModelStatus::Empty);
    }
    if design.event.len() != n || design.y.len() != n {
        return Err(ModelStatus::NotEstimable);
    }
    if !design.event.iter().any(|&e| e) {
        return Err(ModelStatus::NoEvents);
    }
    Ok(())
}

/// Rows sorted by time, descending; groups of equal times.
pub(super) fn order_desc(times: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..times.len()).collect();
    order.sort_by(|&a, &b| times[b].total_cmp(&times[a]));
    order
}

/// Weighted sums of x_i'V x_i (scalar) and of x_i'V x_i · x_i (vector).
struct TraceSums {
    q: f64,
    qx: DVector<f64>,
}

impl TraceSums {
    fn new(p: usize) -> Self {
        Self {
            q: 0.0,
            qx: DVector::zeros(p),
        }
    }

    fn add(&mut self, w: f64, v: &DMatrix<f64>, xr: &DVector<f64>) {
        let q = (xr.transpose() * v * xr)[(0, 0)];
        self.q += w * q;
        self.qx.axpy(w * q, xr, 1.0);
    }
}

/// The linear predictor x·β and its largest finite value `c` (0 when none):
/// risk weights are computed as e^(η − c), which cannot overflow and
/// cancels in every ratio of risk-set sums.
pub(super) fn shifted_eta(x: &DMatrix<f64>, beta: &DVector<f64>) -> (DVector<f64>, f64) {
    let eta = x * beta;
    let c = eta.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (eta, if c.is_finite() { c } else { 0.0 })
}

/// Evaluates the partial likelihood at `beta` (rows in `order`, from
/// [`order_desc`]); with `v`, also the traces tr(V ∂I/∂β_r).
pub(super) fn evaluate(
    x: &DMatrix<f64>,
    times: &[f64],
    events: &[bool],
    order: &[usize],
    beta: &DVector<f64>,
    v: Option<&DMatrix<f64>>,
) -> Evaluation {
    let p = x.ncols();
    let (eta, c) = shifted_eta(x, beta);
    let mut s0 = 0.0;
    let mut s1 = DVector::<f64>::zeros(p);
    let mut s2 = DMatrix::<f64>::zeros(p, p);
    let mut ll = 0.0;
    let mut grad = DVector::<f64>::zeros(p);
    let mut info = DMatrix::<f64>::zeros(p, p);
    let mut risk = TraceSums::new(p);
    let mut trace = DVector::<f64>::zeros(p);
    let mut i = 0;
    while i < order.len() {
        let t = times[order[i]];
        let start = i;
        while i < order.len() && times[order[i]] == t {
            let r = order[i];
            let w = (eta[r] - c).exp();
            let xr = x.row(r).transpose();
            s0 += w;
            s1.axpy(w, &xr, 1.0);
            s2.ger(w, &xr, &xr, 1.0);
            if let Some(v) = v {
                risk.add(w, v, &xr);
            }
            i += 1;
        }
        let mut d = 0usize;
        let mut d0 = 0.0;
        let mut d1 = DVector::<f64>::zeros(p);
        let mut d2 = DMatrix::<f64>::zeros(p, p);
        let mut tied = TraceSums::new(p);
        for &r in &order[start..i] {
            if events[r] {
                let w = (eta[r] - c).exp();
                let xr = x.row(r).transpose();
                d += 1;
                d0 += w;
                d1.axpy(w, &xr, 1.0);
                d2.ger(w, &xr, &xr, 1.0);
                if let Some(v) = v {
                    tied.add(w, v, &xr);
                }
                ll += eta[r];
                grad += &xr;
            }
        }
        for l in 0..d {
            let f = l as f64 / d as f64;
            let a0 = s0 - f * d0;
            let a1 = &s1 - &d1 * f;
            let a2 = &s2 - &d2 * f;
            if let Some(v) = v {
                let va1 = v * &a1;
                let aq = risk.q - f * tied.q;
                let aqx = &risk.qx - &tied.qx * f;
                trace.axpy(1.0 / a0, &aqx, 1.0);
                trace.axpy(
                    -aq / (a0 * a0) + 2.0 * a1.dot(&va1) / (a0 * a0 * a0),
                    &a1,
                    1.0,
                );
                trace.axpy(-2.0 / (a0 * a0), &(&a2 * &va1), 1.0);
            }
            ll -= c + a0.ln();
            grad.axpy(-1.0 / a0, &a1, 1.0);
            info += a2 / a0 - (&a1 * a1.transpose()) / (a0 * a0);
        }
    }
    Evaluation {
        log_likelihood: ll,
        gradient: grad,
        information: info,
        trace: v.map(|_| trace),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The traces against V equal Σ_jk V_jk ∂I_jk/∂β_r by central
    /// differences of the information (Efron ties included).
    #[test]
    fn trace_matches_numerical_derivative_of_information() {
        let t = [2.0, 3.0, 3.0, 3.0, 5.0, 6.0, 7.0, 7.0, 9.0, 10.0];
        let e = [
            true, true, true, false, true, false, true, true, false, true,
        ];
        let x = DMatrix::from_row_slice(
            10,
            2,
            &[
                1.0, 0.3, 0.0, -1.2, 1.0, 0.8, 1.0, 0.1, 0.0, 2.0, 0.0, -0.4, 1.0, 1.1, 0.0, 0.2,
                1.0, -0.7, 0.0, 0.5,
            ],
        );
        let order = order_desc(&t);
        let beta = DVector::from_vec(vec![0.4, -0.3]);
        let v = DMatrix::from_row_slice(2, 2, &[1.3, 0.2, 0.2, 0.7]);
        let got = evaluate(&x, &t, &e, &order, &beta, Some(&v))
            .trace
            .expect("trace");
        let h = 1e-6;
        for r in 0..2 {
            let mut up = beta.clone();
            let mut down = beta.clone();
            up[r] += h;
            down[r] -= h;
            let d = (evaluate(&x, &t, &e, &order, &up, None).information
                - evaluate(&x, &t, &e, &order, &down, None).information)
                / (2.0 * h);
            let want = v.component_mul(&d).sum();
            assert!((got[r] - want).abs() < 1e-8, "{r}: {} vs {want}", got[r]);
        }
    }
}
