//! Cox proportional-hazards regression with Efron's (1977) tie handling.
//!
//! Newton-Raphson on the Efron partial log-likelihood from β = 0, halving
//! steps that lower it, until the largest step is below 1e-10 (at most 100
//! iterations). Standard errors from the inverse observed information; Wald
//! CIs and p-values on the log-hazard scale. Same estimator as lifelines'
//! `CoxPHFitter` and statsmodels `PHReg(ties="efron")`.
//!
//! Proportional hazards: each fit carries, per coefficient, the p-value of
//! the scaled-Schoenfeld-residual test against the Kaplan-Meier time
//! transform (`ph_test`; lifelines' `proportional_hazard_test(...,
//! time_transform="km")`, R's `cox.zph(transform="km")` one-term test).
//!
//! Monotone likelihood (e.g. every event in one arm: the hazard ratio is 0
//! or infinite) shows as a coefficient running past |β| > 20 or no
//! convergence; the model is then refitted by Firth's penalised partial
//! likelihood ([`super::cox_firth`]), which has finite estimates. With
//! `clusters` (patients with several episodes) the covariance is Lin &
//! Wei's (1989) robust sandwich V M V, V the inverse information and M the
//! sum over patients of the outer products of their summed score
//! residuals (`score_residuals`), without a small-sample factor: the
//! estimator of statsmodels `PHReg(...).fit(groups=...)`.

use nalgebra::{DMatrix, DVector};

use super::cluster::cluster_meat;
use super::cox_firth::fit_cox_firth;
use super::design::Design;
use super::efron::{check_design, evaluate, order_desc, shifted_eta};
use super::linalg::inverse_spd;
use super::logistic::ModelFit;
use super::ModelStatus;

/// Fits a Cox model: `design.x` without intercept, `design.y` the follow-up
/// times, `design.event` the event indicators. When the maximum-likelihood
/// fit does not converge (monotone likelihood), refits with Firth's
/// penalised partial likelihood ([`fit_cox_firth`]; status
/// [`ModelStatus::Firth`]).
///
/// # Errors
/// [`ModelStatus::Empty`], [`ModelStatus::NoEvents`],
/// [`ModelStatus::NotEstimable`] (singular information),
/// [`ModelStatus::NotConverged`] (when even the Firth fit does not).
pub fn fit_cox(design: &Design) -> Result<ModelFit, ModelStatus> {
    match fit_cox_ml(design) {
        Err(ModelStatus::NotConverged) => fit_cox_firth(design),
        other => other,
    }
}

/// The maximum-likelihood fit; [`ModelStatus::NotConverged`] on monotone
/// likelihood.
fn fit_cox_ml(design: &Design) -> Result<ModelFit, ModelStatus> {
    check_design(design)?;
    let x = &design.x;
    let p = x.ncols();
    let order = order_desc(&design.y);
    let mut beta = DVector::zeros(p);
    let mut current = evaluate(x, &design.y, &design.event, &order, &beta, None);
    let mut converged = false;
    let mut iterations = 0;
    for iter in 0..100 {
        iterations = iter + 1;
        let inv = inverse_spd(&current.information).ok_or(ModelStatus::NotEstimable)?;
        let step = &inv * &current.gradient;
        let mut scale = 1.0;
        let mut accepted = None;
        for _ in 0..30 {
            let candidate = &beta + &step * scale;
            let next = evaluate(x, &design.y, &design.event, &order, &candidate, None);
            if next.log_likelihood.is_finite()
                && next.log_likelihood
                    >= current.log_likelihood - 1e-12 * current.log_likelihood.abs().max(1.0)
            {
                accepted = Some((candidate, next));
                break;
            }
            scale *= 0.5;
        }
        let Some((candidate, next)) = accepted else {
            break;
        };
        let change = (&candidate - &beta).amax();
        beta = candidate;
        current = next;
        if beta.amax() > 20.0 {
            break;
        }
        if change < 1e-10 {
            converged = true;
            break;
        }
    }
    if !converged {
        return Err(ModelStatus::NotConverged);
    }
    let cov = inverse_spd(&current.information).ok_or(ModelStatus::NotEstimable)?;
    let ph_test_p = ph_test(x, &design.y, &design.event, &order, &beta, &cov);
    let (cov, robust) = match &design.clusters {
        Some(clusters) => {
            let scores = score_residuals(x, &design.y, &design.event, &order, &beta);
            let (meat, groups) = cluster_meat(&scores, clusters);
            if groups >= 2 {
                (&cov * meat * &cov, true)
            } else {
                (cov, false)
            }
        }
        None => (cov, false),
    };
    Ok(ModelFit {
        coef: beta,
        cov,
        log_likelihood: current.log_likelihood,
        status: ModelStatus::Ok,
        robust,
        iterations,
        ph_test_p,
    })
}

/// Schoenfeld residuals with Efron's tie handling (lifelines'
/// `compute_residuals(kind="schoenfeld")`): for an event row at a time
/// with d events, x_i minus (1/d) Σ_{l<d} a1_l / a0_l, the Efron-weighted
/// covariate mean of the risk set. D x p: row k for the k-th of
/// `event_rows` (the event rows, ascending), so a cohort with few events
/// holds no n x p matrix of zeros.
fn schoenfeld(
    x: &DMatrix<f64>,
    times: &[f64],
    order: &[usize],
    beta: &DVector<f64>,
    event_rows: &[usize],
) -> DMatrix<f64> {
    let p = x.ncols();
    let (eta, c) = shifted_eta(x, beta);
    let mut resid = DMatrix::<f64>::zeros(event_rows.len(), p);
    let mut s0 = 0.0;
    let mut s1 = DVector::<f64>::zeros(p);
    let mut i = 0;
    while i < order.len() {
        let t = times[order[i]];
        let start = i;
        let mut d = 0usize;
        let mut d0 = 0.0;
        let mut d1 = DVector::<f64>::zeros(p);
        while i < order.len() && times[order[i]] == t {
            let r = order[i];
            let w = (eta[r] - c).exp();
            let xr = x.row(r).transpose();
            s0 += w;
            s1.axpy(w, &xr, 1.0);
            if event_rows.binary_search(&r).is_ok() {
                d += 1;
                d0 += w;
                d1.axpy(w, &xr, 1.0);
            }
            i += 1;
        }
        if d == 0 {
            continue;
        }
        let mut mean = DVector::<f64>::zeros(p);
        for l in 0..d {
            let f = l as f64 / d as f64;
            mean += (&s1 - &d1 * f) / ((s0 - f * d0) * d as f64);
        }
        for &r in &order[start..i] {
            if let Ok(k) = event_rows.binary_search(&r) {
                for j in 0..p {
                    resid[(k, j)] = x[(r, j)] - mean[j];
                }
            }
        }
    }
    resid
}

/// Score residuals (Lin & Wei 1989) per row, n x p, as statsmodels'
/// `PHReg.score_residuals`: Σ over distinct event times t_j ≤ T_r of
/// (x_r − x̄_j)(dN_r(t_j) − e^{η_r} d_j / S0_j), with x̄_j = S1_j / S0_j the
/// risk-set mean (Breslow increments, also under Efron's ties).
fn score_residuals(
    x: &DMatrix<f64>,
    times: &[f64],
    events: &[bool],
    order: &[usize],
    beta: &DVector<f64>,
) -> DMatrix<f64> {
    let (n, p) = (x.nrows(), x.ncols());
    let (eta, c) = shifted_eta(x, beta);
    let w: Vec<f64> = eta.iter().map(|e| (e - c).exp()).collect();
    // Distinct times, descending: risk-set sums, hazard increments, means.
    let mut s0 = 0.0;
    let mut s1 = DVector::<f64>::zeros(p);
    let mut steps: Vec<(usize, usize, f64, DVector<f64>)> = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let t = times[order[i]];
        let start = i;
        let mut d = 0usize;
        while i < order.len() && times[order[i]] == t {
            let r = order[i];
            s0 += w[r];
            s1.axpy(w[r], &x.row(r).transpose(), 1.0);
            d += usize::from(events[r]);
            i += 1;
        }
        let dchaz = if d > 0 { d as f64 / s0 } else { 0.0 };
        let mean = if d > 0 { &s1 / s0 } else { DVector::zeros(p) };
        steps.push((start, i, dchaz, mean));
    }
    // Ascending: A = Σ dchaz_j, B = Σ dchaz_j x̄_j over t_j ≤ t.
    let mut resid = DMatrix::<f64>::zeros(n, p);
    let mut a = 0.0;
    let mut b = DVector::<f64>::zeros(p);
    for (start, end, dchaz, mean) in steps.iter().rev() {
        a += dchaz;
        b.axpy(*dchaz, mean, 1.0);
        for &r in &order[*start..*end] {
            for j in 0..p {
                let mut v = -w[r] * (x[(r, j)] * a - b[j]);
                if events[r] {
                    v += x[(r, j)] - mean[j];
                }
                resid[(r, j)] = v;
            }
        }
    }
    resid
}

/// Kaplan-Meier survival S(t) of all rows at each row's own time
/// (including the drop at t).
fn km_at_times(times: &[f64], events: &[bool], order: &[usize]) -> Vec<f64> {
    let n = order.len();
    let mut surv = vec![1.0; times.len()];
    let mut s = 1.0;
    let mut at_risk = n;
    let mut i = n;
    // `order` is descending: walk it backwards for ascending times.
    while i > 0 {
        let t = times[order[i - 1]];
        let end = i;
        let mut d = 0usize;
        while i > 0 && times[order[i - 1]] == t {
            d += usize::from(events[order[i - 1]]);
            i -= 1;
        }
        s *= 1.0 - d as f64 / at_risk as f64;
        for &r in &order[i..end] {
            surv[r] = s;
        }
        at_risk -= end - i;
    }
    surv
}

/// Test of proportional hazards per coefficient j (Grambsch & Therneau
/// 1994, the one-covariate form lifelines' `proportional_hazard_test`
/// computes): scaled Schoenfeld residuals r*_k = D · V r_k over the D
/// event rows (V the inverse information), time transform g = the
/// Kaplan-Meier survival at the event time (R's `cox.zph` default, `km`;
/// the sign of g does not matter), and
/// T_j = (Σ_k (g_k − ḡ) r*_kj)² / (D · V_jj · Σ_k (g_k − ḡ)²) ~ χ²(1).
/// NaN where undefined (one distinct event time, zero variance).
fn ph_test(
    x: &DMatrix<f64>,
    times: &[f64],
    events: &[bool],
    order: &[usize],
    beta: &DVector<f64>,
    cov: &DMatrix<f64>,
) -> Vec<f64> {
    let p = x.ncols();
    let rows: Vec<usize> = (0..x.nrows()).filter(|&i| events[i]).collect();
    let d = rows.len() as f64;
    if rows.is_empty() {
        return vec![f64::NAN; p];
    }
    let r = schoenfeld(x, times, order, beta, &rows);
    let km = km_at_times(times, events, order);
    let g_mean = rows.iter().map(|&i| km[i]).sum::<f64>() / d;
    let ss: f64 = rows.iter().map(|&i| (km[i] - g_mean).powi(2)).sum();
    let mut sum = DVector::<f64>::zeros(p);
    for (k, &i) in rows.iter().enumerate() {
        let g = km[i] - g_mean;
        let scaled = (r.row(k) * cov) * d;
        sum.axpy(g, &scaled.transpose(), 1.0);
    }
    (0..p)
        .map(|j| {
            let t = sum[j] * sum[j] / (d * cov[(j, j)] * ss);
            if t.is_finite() {
                super::normal::chi2_sf(t, 1.0).unwrap_or(f64::NAN)
            } else {
                f64::NAN
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_lifelines_efron() {
        let t = [2.0, 3.0, 3.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0, 3.0, 5.0];
        let e = [
            true, true, false, true, false, true, true, false, true, false, true, true,
        ];
        let xs = [1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0];
        let x = DMatrix::from_fn(t.len(), 1, |i, _| xs[i]);
        let d = Design {
            x,
            y: t.to_vec(),
            event: e.to_vec(),
            clusters: None,
        };
        let fit = fit_cox(&d).expect("fits");
        // PHReg(t, x, status=e, ties="efron").fit(): params, bse, llf
        // (lifelines CoxPHFitter agrees to 4e-11: its convergence tolerance)
        for (g, w) in [fit.coef[0], fit.se(0), fit.log_likelihood].iter().zip(REF) {
            assert!((g - w).abs() < 1e-9, "{g} vs {w}");
        }
    }

    #[test]
    fn degenerate() {
        let x = DMatrix::from_fn(3, 1, |i, _| i as f64);
        let d = Design {
            x: x.clone(),
            y: vec![1.0, 2.0, 3.0],
            event: vec![false; 3],
            clusters: None,
        };
        assert_eq!(fit_cox(&d).err(), Some(ModelStatus::NoEvents));
        // every event in the exposed arm, exposed fail first: monotone likelihood
        let x = DMatrix::from_fn(4, 1, |i, _| if i < 2 { 1.0 } else { 0.0 });
        let d = Design {
            x,
            y: vec![1.0, 2.0, 3.0, 4.0],
            event: vec![true, true, false, false],
            clusters: None,
        };
        assert_eq!(fit_cox_ml(&d).err(), Some(ModelStatus::NotConverged));
        let firth = fit_cox(&d).expect("Firth fit");
        assert_eq!(firth.status, ModelStatus::Firth);
        assert!(firth.coef[0] > 0.0 && firth.coef[0].is_finite());
    }

    const REF: [f64; 3] = [0.2355759383490326, 0.7115014780287588, -14.844925313218104];
}
