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

/// Share of a column's sum of squares that must remain once the kept
/// columns before it are projected out, for the column to be kept: 1e-9,
/// a residual norm of about 3e-5 of the column's norm. R's `lm` drops a
/// column whose QR residual norm is under 1e-7 of its norm; computed from
/// X'X, as here, a residual's square cannot be resolved that finely (its
/// rounding error is about 1e-16 of the sum of squares, times the
/// conditioning of the kept columns), so the threshold sits well above it.
/// Dummy and interaction columns of a cohort are either exactly aliased or
/// far from it, so the two rules keep the same columns on them.
const ALIASED: f64 = 1e-9;

/// Columns of `x` that are linearly independent of the kept columns before
/// them (see [`ALIASED`]): the columns R's `lm` would keep. A constant-zero
/// column is dropped.
///
/// Works on X'X (p x p) with a Cholesky factor of the kept columns grown
/// one column at a time, so it holds no n x p copy of `x`: a cohort of
/// 500,000 patients and 30 columns would need 120 MB for one.
pub fn independent_columns(x: &DMatrix<f64>) -> Vec<usize> {
    let gram = x.tr_mul(x);
    let mut keep: Vec<usize> = Vec::new();
    // Row k of the lower Cholesky factor of the kept columns' X'X.
    let mut factor: Vec<Vec<f64>> = Vec::new();
    for j in 0..x.ncols() {
        let sum_of_squares = gram[(j, j)];
        if sum_of_squares == 0.0 || !sum_of_squares.is_finite() {
            continue;
        }
        // Solve L r = (X'X)[kept, j] by forward substitution.
        let mut row: Vec<f64> = Vec::with_capacity(keep.len() + 1);
        for (k, &c) in keep.iter().enumerate() {
            let partial: f64 = factor[k][..k].iter().zip(&row).map(|(l, r)| l * r).sum();
            row.push((gram[(c, j)] - partial) / factor[k][k]);
        }
        let residual = sum_of_squares - row.iter().map(|r| r * r).sum::<f64>();
        if residual > ALIASED * sum_of_squares {
            row.push(residual.sqrt());
            factor.push(row);
            keep.push(j);
        }
    }
    keep
}

/// `x` restricted to the columns `keep` (ascending), consuming it: no copy
/// when every column is kept, and the columns are removed in place
/// otherwise.
pub fn select_columns(x: DMatrix<f64>, keep: &[usize]) -> DMatrix<f64> {
    if keep.len() == x.ncols() {
        return x;
    }
    let dropped: Vec<usize> = (0..x.ncols()).filter(|c| !keep.contains(c)).collect();
    x.remove_columns_at(&dropped)
}

/// X[:, keep] * coef without building X[:, keep]: the product of `x` with
/// `coef` placed at the kept columns and zero elsewhere.
pub fn predict_kept(x: &DMatrix<f64>, keep: &[usize], coef: &DVector<f64>) -> DVector<f64> {
    let mut padded = DVector::zeros(x.ncols());
    for (&c, &b) in keep.iter().zip(coef.iter()) {
        padded[c] = b;
    }
    x * padded
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
    fn aliased_columns_of_any_scale_are_dropped() {
        // Column 2 = 1e6 * column 1 - 3e-4 * column 0; column 3 is a
        // near-copy of column 1 that differs in one row by 1e-3 of its norm.
        let rows = 50;
        let x = DMatrix::from_fn(rows, 4, |i, j| {
            let t = i as f64;
            let c0 = 1.0;
            let c1 = (t * 0.37).sin() * 1e-3;
            match j {
                0 => c0,
                1 => c1,
                2 => 1e6 * c1 - 3e-4 * c0,
                _ => {
                    c1 + if i == 7 {
                        1e-3 * 1e-3 * (rows as f64).sqrt()
                    } else {
                        0.0
                    }
                }
            }
        });
        assert_eq!(independent_columns(&x), vec![0, 1, 3]);
    }

    #[test]
    fn prediction_on_kept_columns_equals_the_product_of_the_kept_matrix() {
        let x = DMatrix::from_fn(6, 4, |i, j| ((i * 4 + j) as f64 * 0.73).cos());
        let keep = [0, 2, 3];
        let coef = DVector::from_row_slice(&[0.5, -1.25, 2.0]);
        let expected = select_columns(x.clone(), &keep) * &coef;
        assert!((predict_kept(&x, &keep, &coef) - expected).abs().max() < 1e-12);
        assert_eq!(select_columns(x.clone(), &[0, 1, 2, 3]), x);
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
