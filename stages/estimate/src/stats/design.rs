//! A regression design: the model matrix, the outcome and patient clusters.

use nalgebra::DMatrix;

/// Inputs of a regression fit.
#[derive(Clone, Debug)]
pub struct Design {
    /// n x p model matrix (intercept, when wanted, is an explicit column).
    pub x: DMatrix<f64>,
    /// Outcome: 0/1 for logistic, values for OLS, follow-up time for Cox.
    pub y: Vec<f64>,
    /// Event indicator (Cox only; empty otherwise).
    pub event: Vec<bool>,
    /// Patient cluster of each row, when patients have several episodes:
    /// the fit then reports cluster-robust (sandwich) standard errors.
    pub clusters: Option<Vec<u32>>,
}

impl Design {
    /// Number of rows.
    pub fn n(&self) -> usize {
        self.x.nrows()
    }

    /// Number of columns.
    pub fn p(&self) -> usize {
        self.x.ncols()
    }
}
