//! Fitting a model by its family with the stage's regression code, and
//! each term's inference: t (n − p df) for OLS, as statsmodels `OLS`
//! (non-robust); Wald z for logistic (statsmodels `Logit`) and Cox
//! (Efron ties; lifelines `CoxPHFitter`, statsmodels `PHReg`). A logistic
//! fit with separation or a Cox fit with monotone likelihood is Firth's
//! penalised fit (status `firth`), its intervals Wald from the penalised
//! information. Aliased columns are dropped in term order (status
//! `collinear_dropped`); their terms have no estimate.

use nalgebra::{DMatrix, DVector};
use tailor_schemas::models::ModelFamily;

use super::terms::Term;
use crate::stats::cox::fit_cox;
use crate::stats::design::Design;
use crate::stats::linalg::{independent_columns, select_columns};
use crate::stats::logistic::{fit_logistic, ModelFit};
use crate::stats::normal::{normal_two_sided_p, t_critical, t_two_sided_p, z_critical};
use crate::stats::ols::{fit_ols, OlsCovariance};
use crate::stats::ModelStatus;

/// Inference on one term.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TermEstimate {
    /// Coefficient.
    pub estimate: f64,
    /// Standard error.
    pub se: f64,
    /// Confidence interval.
    pub ci: (f64, f64),
    /// estimate / se.
    pub statistic: f64,
    /// Degrees of freedom of a t statistic; `None` for z.
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// A fitted model: per term its estimate (`None` when aliased or not
/// fitted) and the model's statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct FittedModel {
    /// `ok`, `firth`, `collinear_dropped`, or why there is no fit.
    pub status: ModelStatus,
    /// Estimate per term, in term order.
    pub estimates: Vec<Option<TermEstimate>>,
    /// Coefficients estimated.
    pub parameters: usize,
    /// R² (OLS).
    pub r2: Option<f64>,
    /// Adjusted R² (OLS).
    pub adj_r2: Option<f64>,
    /// Maximised log-likelihood.
    pub log_likelihood: Option<f64>,
    /// AIC = −2 log L + 2p.
    pub aic: Option<f64>,
}

impl FittedModel {
    fn failed(status: ModelStatus, terms: usize) -> Self {
        Self {
            status,
            estimates: vec![None; terms],
            parameters: 0,
            r2: None,
            adj_r2: None,
            log_likelihood: None,
            aic: None,
        }
    }
}

/// Fits `terms` (columns over the used rows) to outcome `y` (and `event`
/// for Cox) by `family`, with intervals at confidence `level`.
pub fn fit_model(
    family: ModelFamily,
    terms: &[Term],
    y: &[f64],
    event: &[bool],
    level: f64,
) -> FittedModel {
    let n = y.len();
    if n == 0 {
        return FittedModel::failed(ModelStatus::Empty, terms.len());
    }
    let all = DMatrix::from_fn(n, terms.len(), |i, j| terms[j].values[i]);
    let keep = independent_columns(&all);
    let x = select_columns(all, &keep);
    let design = Design {
        x,
        y: y.to_vec(),
        event: event.to_vec(),
        clusters: None,
    };
    let fitted = match family {
        ModelFamily::Ols => fit_ols(&design, OlsCovariance::Classical),
        ModelFamily::Logistic if y.iter().all(|&v| v == y[0]) => Err(ModelStatus::NoVariation),
        ModelFamily::Logistic => fit_logistic(&design),
        ModelFamily::Cox => fit_cox(&design),
    };
    let fit = match fitted {
        Ok(fit) => fit,
        Err(status) => return FittedModel::failed(status, terms.len()),
    };
    let p = keep.len();
    let df = (family == ModelFamily::Ols).then_some((n - p) as f64);
    let crit = match df {
        Some(df) => t_critical(level, df).unwrap_or(f64::NAN),
        None => z_critical(level),
    };
    let mut estimates = vec![None; terms.len()];
    for (k, &j) in keep.iter().enumerate() {
        estimates[j] = term_estimate(&fit, k, df, crit);
    }
    let status = if keep.len() < terms.len() && fit.status == ModelStatus::Ok {
        ModelStatus::CollinearDropped
    } else {
        fit.status
    };
    let (r2, adj_r2) = match family {
        ModelFamily::Ols => {
            let (r2, adj) = r_squared(&design, &fit.coef);
            (Some(r2), Some(adj))
        }
        _ => (None, None),
    };
    FittedModel {
        status,
        estimates,
        parameters: p,
        r2,
        adj_r2,
        log_likelihood: Some(fit.log_likelihood),
        aic: Some(-2.0 * fit.log_likelihood + 2.0 * p as f64),
    }
}

fn term_estimate(fit: &ModelFit, k: usize, df: Option<f64>, crit: f64) -> Option<TermEstimate> {
    let estimate = fit.coef[k];
    let se = fit.se(k);
    if !estimate.is_finite() || !se.is_finite() || se <= 0.0 {
        return None;
    }
    let statistic = estimate / se;
    let p_value = match df {
        Some(df) => t_two_sided_p(statistic, df)?,
        None => normal_two_sided_p(statistic),
    };
    Some(TermEstimate {
        estimate,
        se,
        ci: (estimate - crit * se, estimate + crit * se),
        statistic,
        df,
        p_value,
    })
}

/// R² = 1 − RSS/TSS (TSS about the mean: the model has an intercept) and
/// adjusted R² = 1 − (1 − R²)(n − 1)/(n − p).
fn r_squared(design: &Design, coef: &DVector<f64>) -> (f64, f64) {
    let y = DVector::from_column_slice(&design.y);
    let n = y.len() as f64;
    let p = design.p() as f64;
    let rss = (&y - &design.x * coef).norm_squared();
    let mean = y.mean();
    let tss: f64 = y.iter().map(|v| (v - mean) * (v - mean)).sum();
    let r2 = 1.0 - rss / tss;
    (r2, 1.0 - (1.0 - r2) * (n - 1.0) / (n - p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tailor_schemas::model_terms::TermKind;

    fn term(name: &str, values: &[f64]) -> Term {
        Term {
            name: name.into(),
            kind: TermKind::Covariate,
            variable: Some(name.into()),
            level: None,
            reference: None,
            values: values.to_vec(),
        }
    }

    #[test]
    fn ols_matches_statsmodels() {
        // sm.OLS(y, sm.add_constant(x)).fit(): params, bse, conf_int, pvalues,
        // rsquared, rsquared_adj, llf, aic
        let xs = [0.5, 1.2, -0.3, 2.2, 0.1, -1.5, 0.9, 1.8];
        let ys = [1.1, 2.0, 0.2, 3.9, 0.8, -1.0, 1.7, 2.5];
        let terms = [
            term("(intercept)", &[1.0; 8]),
            term("x", &xs),
            term("x2", &xs),
        ];
        let fit = fit_model(ModelFamily::Ols, &terms, &ys, &[], 0.95);
        assert_eq!(fit.status, ModelStatus::CollinearDropped);
        assert_eq!(fit.estimates[2], None);
        let b = fit.estimates[1].expect("estimated");
        assert!((b.estimate - 1.230769230769231).abs() < 1e-9);
        assert!((b.se - 0.09342836717341034).abs() < 1e-9);
        assert_eq!(b.df, Some(6.0));
        assert!((fit.log_likelihood.expect("ll") - -0.41803622929137774).abs() < 1e-9);
        let got = [
            fit.aic.expect("aic"),
            fit.r2.expect("r2"),
            fit.adj_r2.expect("adj"),
            b.p_value,
            b.ci.0,
            b.ci.1,
        ];
        let want = [
            4.8360724585827555,
            0.9665809768637532,
            0.9610111396743788,
            1.1812733957559102e-05,
            1.002158251899489,
            1.4593802096389732,
        ];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-9 * w.abs().max(1.0), "{got:?}");
        }
    }

    #[test]
    fn logistic_without_variation_is_reported() {
        let terms = [
            term("(intercept)", &[1.0; 4]),
            term("x", &[0.0, 1.0, 2.0, 3.0]),
        ];
        let fit = fit_model(ModelFamily::Logistic, &terms, &[1.0; 4], &[], 0.95);
        assert_eq!(
            (fit.status, fit.estimates[1]),
            (ModelStatus::NoVariation, None)
        );
    }
}
