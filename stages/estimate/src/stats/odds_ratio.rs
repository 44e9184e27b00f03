//! Odds ratio with Woolf's (log-scale Wald) interval.
//!
//! OR = ad / bc, SE(log OR) = sqrt(1/a + 1/b + 1/c + 1/d). Only when a cell
//! is 0, 0.5 is added to every cell (Haldane-Anscombe); statsmodels
//! `Table2x2` equals this without zeros (its `shift_zeros` replaces only the
//! zero cells, which is not the classical correction). The p-value reported
//! beside it is Fisher's exact test (see [`super::fisher`]).

use super::Effect;

/// Applies the 0.5 correction to all four cells when one of them is 0.
pub fn corrected_cells(a: u64, b: u64, c: u64, d: u64) -> [f64; 4] {
    let shift = if a == 0 || b == 0 || c == 0 || d == 0 {
        0.5
    } else {
        0.0
    };
    [
        a as f64 + shift,
        b as f64 + shift,
        c as f64 + shift,
        d as f64 + shift,
    ]
}

/// Woolf odds ratio of `[[a, b], [c, d]]` (arm 1 events, non-events; arm 2
/// events, non-events); `None` when an arm is empty.
pub fn odds_ratio(a: u64, b: u64, c: u64, d: u64, z: f64) -> Option<Effect> {
    if a + b == 0 || c + d == 0 {
        return None;
    }
    let [a, b, c, d] = corrected_cells(a, b, c, d);
    let log_or = (a * d / (b * c)).ln();
    let se = (1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt();
    Some(Effect::from_log(log_or, se, z))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::normal::z_critical;

    #[test]
    fn matches_statsmodels() {
        // Table2x2([[15, 25], [8, 37]]).oddsratio, .oddsratio_confint()
        let e = odds_ratio(15, 25, 8, 37, z_critical(0.95)).expect("defined");
        assert!((e.estimate - 2.775).abs() < 1e-12);
        assert!((e.ci.low - REF[0]).abs() < 1e-9, "{e:?}");
        assert!((e.ci.high - REF[1]).abs() < 1e-9, "{e:?}");
        // a zero cell: 0.5 added to all four cells (statsmodels shift_zeros
        // replaces only the zero cells; ours is the classical Haldane-Anscombe)
        let e = odds_ratio(0, 10, 5, 5, z_critical(0.95)).expect("defined");
        assert!((e.estimate - REF[2]).abs() < 1e-9);
        assert!((e.ci.low - REF[3]).abs() < 1e-9);
        assert!(odds_ratio(0, 0, 1, 1, 1.96).is_none());
    }

    const REF: [f64; 4] = [
        1.024059921565224,
        7.519701570031161,
        0.047619047619047616,
        0.0022030720739671297,
    ];
}
