//! Risk ratio with a log-scale Wald interval (Katz et al. 1978).
//!
//! RR = (a/n1) / (c/n2), SE(log RR) = sqrt(1/a - 1/n1 + 1/c - 1/n2) with
//! n1 = a + b, n2 = c + d. Only when a cell is 0, 0.5 is added to every
//! cell (Haldane-Anscombe, as for the odds ratio); without zeros this is
//! statsmodels `Table2x2.riskratio_confint()`.

use super::{odds_ratio::corrected_cells, Effect};

/// Risk ratio of arm 1 (`a` events, `b` non-events) to arm 2 (`c`, `d`);
/// `None` when an arm is empty.
pub fn risk_ratio(a: u64, b: u64, c: u64, d: u64, z: f64) -> Option<Effect> {
    if a + b == 0 || c + d == 0 {
        return None;
    }
    let [a, b, c, d] = corrected_cells(a, b, c, d);
    let n1 = a + b;
    let n2 = c + d;
    let log_rr = ((a / n1) / (c / n2)).ln();
    let se = (1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n2).max(0.0).sqrt();
    Some(Effect::from_log(log_rr, se, z))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::normal::z_critical;

    #[test]
    fn matches_statsmodels() {
        // Table2x2([[15, 25], [8, 37]]).riskratio, .riskratio_confint()
        let e = risk_ratio(15, 25, 8, 37, z_critical(0.95)).expect("defined");
        assert!((e.estimate - 2.109375).abs() < 1e-12);
        assert!((e.ci.low - REF[0]).abs() < 1e-9, "{e:?}");
        assert!((e.ci.high - REF[1]).abs() < 1e-9, "{e:?}");
        assert!(risk_ratio(1, 1, 0, 0, 1.96).is_none());
    }

    const REF: [f64; 2] = [1.0014918837477302, 4.442834697745582];
}
