//! Covariate balance between two arms: standardised mean differences.
//!
//! SMD = (mean₁ − mean₀) / sqrt((s₁² + s₀²) / 2), s² the unweighted sample
//! variances (n − 1) of each arm (Austin 2009). After weighting, the means
//! are weighted (Σ w x / Σ w) and the denominator stays the unweighted one,
//! so that the two numbers differ only by what weighting changed (Austin &
//! Stuart 2015; R `cobalt`'s default for the ATE). |SMD| < 0.1 is the
//! usual mark of balance.

/// SMD before and after weighting, or `None` when the pooled standard
/// deviation is zero or an arm has fewer than two rows.
pub fn standardised_difference(x: &[f64], treated: &[bool], w: &[f64]) -> Option<(f64, f64)> {
    let stats = |arm: bool| {
        let (mut n, mut sum, mut wsum, mut wx) = (0.0, 0.0, 0.0, 0.0);
        for ((&x, &t), &w) in x.iter().zip(treated).zip(w) {
            if t == arm {
                n += 1.0;
                sum += x;
                wsum += w;
                wx += w * x;
            }
        }
        let mean = sum / n;
        let ss: f64 = x
            .iter()
            .zip(treated)
            .filter(|(_, &t)| t == arm)
            .map(|(x, _)| (x - mean).powi(2))
            .sum();
        (n, mean, ss / (n - 1.0), wx / wsum)
    };
    let (n1, mean1, var1, wmean1) = stats(true);
    let (n0, mean0, var0, wmean0) = stats(false);
    let sd = ((var1 + var0) / 2.0).sqrt();
    if n1 < 2.0 || n0 < 2.0 || sd.is_nan() || sd <= 0.0 {
        return None;
    }
    Some(((mean1 - mean0) / sd, (wmean1 - wmean0) / sd))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smd_uses_the_unweighted_pooled_sd() {
        let x = [1., 2., 3., 2., 4., 6.];
        let t = [true, true, true, false, false, false];
        // means 2 and 4, variances 1 and 4: sd = sqrt(2.5).
        let w = [1., 1., 2., 1., 1., 1.];
        let (before, after) = standardised_difference(&x, &t, &w).unwrap();
        assert!((before - (-2.0 / 2.5_f64.sqrt())).abs() < 1e-12);
        // weighted mean of arm 1 = (1 + 2 + 6) / 4 = 2.25.
        assert!((after - (-1.75 / 2.5_f64.sqrt())).abs() < 1e-12);
    }

    #[test]
    fn constant_covariates_have_no_smd() {
        let t = [true, true, false, false];
        assert_eq!(standardised_difference(&[1.0; 4], &t, &[1.0; 4]), None);
    }
}
