//! The statistical core: small, tested building blocks, one method per file.
//!
//! Every function here is pure (numbers in, numbers out), never panics on any
//! input and reports degenerate data through `Option` or a [`ModelStatus`]
//! rather than a silent NaN. Reference values in the unit tests were computed
//! with scipy 1.x / statsmodels 0.14 / lifelines 0.30 and are asserted to
//! 1e-9; `tests/python/test_estimate_stats.py` re-checks the whole stage
//! against those libraries live. Firth's penalised Cox ([`cox_firth`]),
//! which none of them has, is checked against published coxphf output and,
//! live, against the independent numpy/scipy implementation in
//! `tests/python/firth_cox.py` (`tests/python/test_estimate_cox_firth.py`).

pub mod aipw;
pub mod balance;
pub mod bh;
pub mod cluster;
pub mod cox;
pub mod cox_firth;
pub mod describe;
pub mod design;
mod efron;
pub mod fisher;
pub mod ipw;
pub mod kaplan_meier;
pub mod linalg;
pub mod logistic;
pub mod lrt;
pub mod newcombe;
pub mod normal;
pub mod odds_ratio;
pub mod ols;
pub mod profile;
pub mod propensity;
pub mod risk_ratio;
pub mod welch;
pub mod wilson;

pub use tailor_schemas::status::ModelStatus;

/// A two-sided confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// An effect with its 95% (or configured) CI and two-sided p-value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Effect {
    /// Point estimate on the natural scale (difference or ratio).
    pub estimate: f64,
    /// Confidence interval on the natural scale.
    pub ci: Interval,
    /// Standard error on the scale the CI was built (log scale for ratios).
    pub se: Option<f64>,
    /// Two-sided p-value, when the method gives one.
    pub p_value: Option<f64>,
}

impl Effect {
    /// A ratio estimated on the log scale: `exp(log_estimate)` with the
    /// Wald interval `exp(log_estimate +- z * se)`.
    pub fn from_log(log_estimate: f64, se: f64, z: f64) -> Self {
        Self {
            estimate: log_estimate.exp(),
            ci: Interval {
                low: (log_estimate - z * se).exp(),
                high: (log_estimate + z * se).exp(),
            },
            se: Some(se),
            p_value: None,
        }
    }
}
