//! Normal, t and chi-square quantiles and tail probabilities (statrs).

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};

/// Two-sided critical value z_{1-alpha/2} of the standard normal for a
/// `level` confidence interval (0.95 -> 1.959963984540054).
pub fn z_critical(level: f64) -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(n) => n.inverse_cdf(1.0 - (1.0 - level) / 2.0),
        Err(_) => f64::NAN,
    }
}

/// Two-sided p-value of a standard-normal statistic `z`.
pub fn normal_two_sided_p(z: f64) -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(n) => (2.0 * n.sf(z.abs())).min(1.0),
        Err(_) => f64::NAN,
    }
}

/// Two-sided critical value of Student's t with `df` degrees of freedom.
pub fn t_critical(level: f64, df: f64) -> Option<f64> {
    let t = StudentsT::new(0.0, 1.0, df).ok()?;
    Some(t.inverse_cdf(1.0 - (1.0 - level) / 2.0))
}

/// Two-sided p-value of a t statistic with `df` degrees of freedom.
pub fn t_two_sided_p(t: f64, df: f64) -> Option<f64> {
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    Some((2.0 * dist.sf(t.abs())).min(1.0))
}

/// Upper tail P(X >= x) of a chi-square with `df` degrees of freedom.
pub fn chi2_sf(x: f64, df: f64) -> Option<f64> {
    let dist = ChiSquared::new(df).ok()?;
    Some(dist.sf(x.max(0.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_scipy() {
        assert!((z_critical(0.95) - 1.959963984540054).abs() < 1e-12);
        // scipy.stats.t.ppf(0.975, 7)
        assert!((t_critical(0.95, 7.0).unwrap_or(0.0) - 2.364624251592784).abs() < 1e-9);
        // scipy.stats.chi2.sf(3.84, 1)
        assert!((chi2_sf(3.84, 1.0).unwrap_or(0.0) - 0.05004352124870519).abs() < 1e-12);
    }
}
