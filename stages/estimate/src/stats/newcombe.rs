//! Newcombe's hybrid score interval for a difference of two proportions
//! (Newcombe 1998, method 10): built from the two Wilson intervals.
//!
//! With d = p1 - p2 and Wilson bounds (l1, u1), (l2, u2):
//! low = d - sqrt((p1-l1)² + (u2-p2)²), high = d + sqrt((u1-p1)² + (p2-l2)²).
//! Same as statsmodels `confint_proportions_2indep(method="newcomb",
//! compare="diff")`.

use super::{wilson::wilson, Interval};

/// Risk difference `x1/n1 - x2/n2` and its Newcombe interval; `None` when
/// an arm is empty.
pub fn newcombe(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> Option<(f64, Interval)> {
    let w1 = wilson(x1, n1, z)?;
    let w2 = wilson(x2, n2, z)?;
    let p1 = x1 as f64 / n1 as f64;
    let p2 = x2 as f64 / n2 as f64;
    let d = p1 - p2;
    let low = d - ((p1 - w1.low).powi(2) + (w2.high - p2).powi(2)).sqrt();
    let high = d + ((w1.high - p1).powi(2) + (p2 - w2.low).powi(2)).sqrt();
    Some((d, Interval { low, high }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::normal::z_critical;

    #[test]
    fn matches_statsmodels() {
        // confint_proportions_2indep(15, 40, 8, 45, method="newcomb", compare="diff")
        let (d, ci) = newcombe(15, 40, 8, 45, z_critical(0.95)).unwrap_or((
            0.0,
            Interval {
                low: 0.0,
                high: 0.0,
            },
        ));
        assert!((d - 0.19722222222222222).abs() < 1e-12);
        assert!((ci.low - 0.0075020978330069266).abs() < 1e-9, "{ci:?}");
        assert!((ci.high - 0.37363461279429355).abs() < 1e-9, "{ci:?}");
    }

    #[test]
    fn empty_arm() {
        assert!(newcombe(1, 0, 1, 3, 1.96).is_none());
    }
}
