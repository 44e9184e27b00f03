//! Wilson score interval for a binomial proportion (Wilson 1927).
//!
//! centre = (p + z²/2n) / (1 + z²/n),
//! half   = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²).
//! Same as statsmodels `proportion_confint(method="wilson")`.

use super::Interval;

/// Wilson CI for `events` out of `n` with critical value `z`; `None` when
/// `n == 0` or `events > n`.
pub fn wilson(events: u64, n: u64, z: f64) -> Option<Interval> {
    if n == 0 || events > n {
        return None;
    }
    let nf = n as f64;
    let p = events as f64 / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Some(Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::normal::z_critical;

    #[test]
    fn matches_statsmodels() {
        // statsmodels.stats.proportion.proportion_confint(7, 30, method="wilson")
        let ci = wilson(7, 30, z_critical(0.95)).unwrap_or(Interval {
            low: 0.0,
            high: 0.0,
        });
        assert!((ci.low - 0.11792388144489496).abs() < 1e-9, "{ci:?}");
        assert!((ci.high - 0.40928326158122175).abs() < 1e-9, "{ci:?}");
    }

    #[test]
    fn degenerate() {
        assert!(wilson(0, 0, 1.96).is_none());
        assert!(wilson(3, 2, 1.96).is_none());
        let all = wilson(5, 5, 1.96).unwrap_or(Interval {
            low: 0.0,
            high: 0.0,
        });
        assert_eq!(all.high, 1.0);
        assert!(all.low > 0.0);
    }
}
