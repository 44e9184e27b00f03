//! Linear-algebra helpers on nalgebra: SPD inverse, aliased-column detection.

use nalgebra::{DMatrix, DVector};

/// Inverse of a symmetric positive-definite matrix by Cholesky; `None` when
/// the matrix is not numerically positive definite.
pub fn inverse_spd(a: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let chol = a.clone().cholesky()?;
    let inv = chol.inverse();
    if inv.iter().all(|v| v.is_finite()) {
        Some(inv)
    } else {
        None
    }
}

/// Columns of `x` that are linearly independent of the columns before them
/// (Gram-Schmidt with re-orthogonalisation, relative tolerance 1e-9 on
/// the residual norm): the columns R's `lm` would keep. A constant-zero
/// column is dropped.
pub fn independent_columns(x: &DMatrix<f64>) -> Vec<usize> {
    let mut basis: Vec<DVector<f64>> = Vec::new();
    let mut keep = Vec::new();
    for j in 0..x.ncols() {
        let column = x.column(j).into_owned();
        let norm = column.norm();
        if norm == 0.0 || !norm.is_finite() {
            continue;
        }
        let mut r = column;
        for _ in 0..2 {
            for q in &basis {
                let proj = q.dot(&r);
                r.axpy(-proj, q, 1.0);
            }
        }
        let rn = r.norm();
        if rn > 1e-9 * norm {
            basis.push(r / rn);
            keep.push(j);
        }
    }
    keep
}

/// `x` restricted to the columns `keep`.
pub fn select_columns(x: &DMatrix<f64>, keep: &[usize]) -> DMatrix<f64> {
    DMatrix::from_fn(x.nrows(), keep.len(), |i, j| x[(i, keep[j])])
}

/// X' diag(w) X for an n x p `x` and weights `w` (length n), summed column
/// pair by column pair: no n x p copy of `x` (two copies per call, one per
/// IRLS iteration, were the largest allocations of `tailor estimate` on a
/// large cohort), and exactly symmetric.
pub fn weighted_gram(x: &DMatrix<f64>, w: &[f64]) -> DMatrix<f64> {
    let p = x.ncols();
    let mut gram = DMatrix::zeros(p, p);
    for a in 0..p {
        for b in 0..=a {
            let sum: f64 = x
                .column(a)
                .iter()
                .zip(x.column(b).iter())
                .zip(w)
                .map(|((xa, xb), wi)| xa * (xb * wi))
                .sum();
            gram[(a, b)] = sum;
            gram[(b, a)] = sum;
        }
    }
    gram
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_gram_equals_the_matrix_product() {
        let x = DMatrix::from_row_slice(
            5,
            3,
            &[
                1.0, 0.5, -2.0, //
                1.0, 1.5, 0.25, //
                1.0, -3.0, 4.0, //
                1.0, 0.0, 1.0, //
                1.0, 2.0, -1.5,
            ],
        );
        let w = [0.2, 1.0, 0.7, 3.0, 0.05];
        let product = x.transpose() * DMatrix::from_diagonal(&DVector::from_row_slice(&w)) * &x;
        let gram = weighted_gram(&x, &w);
        assert_eq!(gram, gram.transpose());
        assert!((gram - product).abs().max() < 1e-12);
    }

    #[test]
    fn drops_aliased_columns() {
        let x = DMatrix::from_row_slice(
            4,
            4,
            &[
                1.0, 0.0, 2.0, 1.0, //
                1.0, 1.0, 4.0, 0.0, //
                1.0, 0.0, 2.0, 1.0, //
                1.0, 1.0, 4.0, 3.0,
            ],
        );
        // column 2 = 2 * (col0 + col1)
        assert_eq!(independent_columns(&x), vec![0, 1, 3]);
        let zero = DMatrix::<f64>::zeros(3, 1);
        assert!(independent_columns(&zero).is_empty());
    }

    #[test]
    fn inverts_spd_only() {
        let a = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 2.0]);
        let inv = inverse_spd(&a).expect("spd");
        assert!((inv[(0, 0)] - 2.0 / 3.0).abs() < 1e-12);
        let singular = DMatrix::from_row_slice(2, 2, &[1.0, 1.0, 1.0, 1.0]);
        assert!(inverse_spd(&singular).is_none());
    }
}
