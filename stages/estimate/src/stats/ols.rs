//! Ordinary least squares with classical, HC3 or cluster-robust errors.
//!
//! β = (X'X)⁻¹X'y by Cholesky. Classical covariance σ²(X'X)⁻¹ with
//! σ² = RSS/(n-p), inference from Student's t with n-p df. HC3 (MacKinnon &
//! White 1985): (X'X)⁻¹ Σ x_i x_i' e_i²/(1-h_i)² (X'X)⁻¹; cluster-robust:
//! see [`super::cluster`]. With a robust covariance inference uses the
//! normal distribution (statsmodels' default `use_t=False`). The Gaussian
//! log-likelihood -n/2·(log(2π·RSS/n) + 1) feeds likelihood-ratio tests.

use nalgebra::{DMatrix, DVector};

use super::cluster::{cluster_meat, sandwich};
use super::design::Design;
use super::linalg::inverse_spd;
use super::logistic::ModelFit;
use super::ModelStatus;

/// Which covariance OLS reports (cluster-robust overrides both when the
/// design has clusters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OlsCovariance {
    /// σ²(X'X)⁻¹.
    Classical,
    /// HC3 heteroskedasticity-consistent.
    Hc3,
}

/// Fits `design` by OLS.
///
/// # Errors
/// [`ModelStatus::TooFew`] when n <= p; [`ModelStatus::NotEstimable`] when
/// X'X is singular; [`ModelStatus::NoVariation`] when the residuals are all 0
/// (a perfect fit: no error variance to estimate).
pub fn fit_ols(design: &Design, covariance: OlsCovariance) -> Result<ModelFit, ModelStatus> {
    let x = &design.x;
    let n = x.nrows();
    let p = x.ncols();
    if n == 0 {
        return Err(ModelStatus::Empty);
    }
    if n <= p {
        return Err(ModelStatus::TooFew);
    }
    let y = DVector::from_column_slice(&design.y);
    let xtx = x.tr_mul(x);
    let xtx_inv = inverse_spd(&xtx).ok_or(ModelStatus::NotEstimable)?;
    let beta = &xtx_inv * x.tr_mul(&y);
    let resid = &y - x * &beta;
    let rss = resid.norm_squared();
    if rss <= 1e-24 * y.norm_squared().max(1.0) {
        return Err(ModelStatus::NoVariation);
    }
    let nf = n as f64;
    let log_likelihood = -nf / 2.0 * ((2.0 * std::f64::consts::PI * rss / nf).ln() + 1.0);
    let classical = &xtx_inv * (rss / (nf - p as f64));
    let mut robust = false;
    let cov = if let Some(clusters) = &design.clusters {
        let mut scores = x.clone();
        for i in 0..n {
            for j in 0..p {
                scores[(i, j)] *= resid[i];
            }
        }
        let (meat, groups) = cluster_meat(&scores, clusters);
        match sandwich(&xtx_inv, &meat, groups, n, p, true) {
            Some(v) => {
                robust = true;
                v
            }
            None => classical,
        }
    } else if covariance == OlsCovariance::Hc3 {
        let mut meat = DMatrix::zeros(p, p);
        for i in 0..n {
            let xi = x.row(i);
            let h = (xi * &xtx_inv * xi.transpose())[(0, 0)];
            if 1.0 - h < 1e-10 {
                return Err(ModelStatus::TooFew);
            }
            let w = resid[i] * resid[i] / ((1.0 - h) * (1.0 - h));
            meat += xi.transpose() * xi * w;
        }
        robust = true;
        &xtx_inv * meat * &xtx_inv
    } else {
        classical
    };
    Ok(ModelFit {
        coef: beta,
        cov,
        log_likelihood,
        status: ModelStatus::Ok,
        robust,
        iterations: 1,
        ph_test_p: Vec::new(),
    })
}

/// OLS on covariate patterns: `x` has one row per pattern, with `count`
/// rows, `sum_y` = Σy and `sum_y2` = Σy² over them. Same estimates,
/// covariance (classical or HC3) and log-likelihood as [`fit_ols`] on the
/// rows.
///
/// # Errors
/// As [`fit_ols`].
pub fn fit_ols_patterns(
    x: &DMatrix<f64>,
    count: &[f64],
    sum_y: &[f64],
    sum_y2: &[f64],
    covariance: OlsCovariance,
) -> Result<ModelFit, ModelStatus> {
    let p = x.ncols();
    let n: f64 = count.iter().sum();
    if n == 0.0 {
        return Err(ModelStatus::Empty);
    }
    if n <= p as f64 {
        return Err(ModelStatus::TooFew);
    }
    let xtx = super::linalg::weighted_gram(x, count);
    let xtx_inv = inverse_spd(&xtx).ok_or(ModelStatus::NotEstimable)?;
    let beta = &xtx_inv * x.tr_mul(&DVector::from_column_slice(sum_y));
    let fitted = x * &beta;
    // Within-pattern residual sum of squares: Σ(y - μ)² = Σy² - 2μΣy + mμ².
    let sse: Vec<f64> = (0..x.nrows())
        .map(|k| {
            (sum_y2[k] - 2.0 * fitted[k] * sum_y[k] + count[k] * fitted[k] * fitted[k]).max(0.0)
        })
        .collect();
    let rss: f64 = sse.iter().sum();
    let total: f64 = sum_y2.iter().sum();
    if rss <= 1e-24 * total.max(1.0) {
        return Err(ModelStatus::NoVariation);
    }
    let log_likelihood = -n / 2.0 * ((2.0 * std::f64::consts::PI * rss / n).ln() + 1.0);
    let cov = match covariance {
        OlsCovariance::Classical => &xtx_inv * (rss / (n - p as f64)),
        OlsCovariance::Hc3 => {
            let mut meat = DMatrix::zeros(p, p);
            for (k, sse_k) in sse.iter().enumerate() {
                let xk = x.row(k);
                let h = (xk * &xtx_inv * xk.transpose())[(0, 0)];
                if 1.0 - h < 1e-10 {
                    return Err(ModelStatus::TooFew);
                }
                meat += xk.transpose() * xk * (sse_k / ((1.0 - h) * (1.0 - h)));
            }
            &xtx_inv * meat * &xtx_inv
        }
    };
    Ok(ModelFit {
        coef: beta,
        cov,
        log_likelihood,
        status: ModelStatus::Ok,
        robust: covariance == OlsCovariance::Hc3,
        iterations: 1,
        ph_test_p: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Design {
        let xs = [0.5, 1.2, -0.3, 2.2, 0.1, -1.5, 0.9, 1.8];
        let ys = [1.1, 2.0, 0.2, 3.9, 0.8, -1.0, 1.7, 2.5];
        let x = DMatrix::from_fn(xs.len(), 2, |i, j| if j == 0 { 1.0 } else { xs[i] });
        Design {
            x,
            y: ys.to_vec(),
            event: Vec::new(),
            clusters: None,
        }
    }

    #[test]
    fn matches_statsmodels_ols() {
        // sm.OLS(y, sm.add_constant(x)).fit(): params, bse, llf; cov_type="HC3" bse
        let fit = fit_ols(&toy(), OlsCovariance::Classical).expect("fits");
        let hc3 = fit_ols(&toy(), OlsCovariance::Hc3).expect("fits");
        let got = [
            fit.coef[0],
            fit.coef[1],
            fit.se(0),
            fit.se(1),
            fit.log_likelihood,
            hc3.se(0),
            hc3.se(1),
        ];
        for (g, w) in got.iter().zip(REF) {
            assert!((g - w).abs() < 1e-9, "{got:?}");
        }
    }

    #[test]
    fn patterns_equal_rows() {
        // two patterns (x = 0, x = 1) with repeated rows
        let xs = [0.0, 0.0, 0.0, 1.0, 1.0];
        let ys = [1.0, 2.0, 4.0, 3.0, 6.0];
        let x = DMatrix::from_fn(5, 2, |i, j| if j == 0 { 1.0 } else { xs[i] });
        let rows = Design {
            x,
            y: ys.to_vec(),
            event: Vec::new(),
            clusters: None,
        };
        let px = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 1.0, 1.0]);
        for cov in [OlsCovariance::Classical, OlsCovariance::Hc3] {
            let a = fit_ols(&rows, cov).expect("fits");
            let b =
                fit_ols_patterns(&px, &[3.0, 2.0], &[7.0, 9.0], &[21.0, 45.0], cov).expect("fits");
            for j in 0..2 {
                assert!((a.coef[j] - b.coef[j]).abs() < 1e-12);
                assert!((a.se(j) - b.se(j)).abs() < 1e-12);
            }
            assert!((a.log_likelihood - b.log_likelihood).abs() < 1e-12);
        }
    }

    #[test]
    fn degenerate() {
        let x = DMatrix::from_fn(2, 2, |i, j| if j == 0 { 1.0 } else { i as f64 });
        let d = Design {
            x,
            y: vec![1.0, 2.0],
            event: Vec::new(),
            clusters: None,
        };
        assert_eq!(
            fit_ols(&d, OlsCovariance::Classical).err(),
            Some(ModelStatus::TooFew)
        );
    }

    const REF: [f64; 7] = [
        0.6461538461538461,
        1.230769230769231,
        0.11877718484597335,
        0.09342836717341034,
        -0.41803622929137774,
        0.12949611884528073,
        0.18278058053628815,
    ];
}
