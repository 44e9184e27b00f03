//! Likelihood-ratio test of nested models.

use super::normal::chi2_sf;

/// LR statistic 2(ll_full - ll_reduced) and its chi-square p-value with
/// `df` degrees of freedom; `None` when `df == 0` or a log-likelihood is
/// not finite. A slightly negative statistic from rounding is read as 0.
pub fn likelihood_ratio_test(ll_full: f64, ll_reduced: f64, df: usize) -> Option<(f64, f64)> {
    if df == 0 || !ll_full.is_finite() || !ll_reduced.is_finite() {
        return None;
    }
    let stat = (2.0 * (ll_full - ll_reduced)).max(0.0);
    Some((stat, chi2_sf(stat, df as f64)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi2_tail() {
        let (s, p) = likelihood_ratio_test(-10.0, -11.92, 1).expect("valid");
        assert!((s - 3.84).abs() < 1e-12);
        assert!((p - 0.05004352124870519).abs() < 1e-9);
        assert!(likelihood_ratio_test(-1.0, -2.0, 0).is_none());
        assert!(likelihood_ratio_test(f64::NAN, -2.0, 1).is_none());
    }
}
