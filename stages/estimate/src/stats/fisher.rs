//! Fisher's exact test for a 2x2 table, two-sided.
//!
//! Table `[[a, b], [c, d]]` (rows: arms; columns: event, no event). The
//! two-sided p-value sums the hypergeometric probabilities of every table
//! with the same margins that is no more likely than the observed one, with
//! scipy's relative tolerance of 1e-7 (`scipy.stats.fisher_exact`).

use statrs::function::factorial::ln_binomial;

/// Two-sided Fisher exact p-value of `[[a, b], [c, d]]`; 1 when a margin
/// is zero (scipy does the same).
pub fn fisher_exact(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let row1 = a + b;
    let row2 = c + d;
    let col1 = a + c;
    let n = row1 + row2;
    if row1 == 0 || row2 == 0 || col1 == 0 || col1 == n {
        return 1.0;
    }
    let ln_total = ln_binomial(n, col1);
    let ln_pmf = |x: u64| ln_binomial(row1, x) + ln_binomial(row2, col1 - x) - ln_total;
    let low = col1.saturating_sub(row2);
    let high = row1.min(col1);
    let observed = ln_pmf(a);
    let threshold = observed + (1.0 + 1e-7f64).ln();
    let mut p = 0.0;
    for x in low..=high {
        let lp = ln_pmf(x);
        if lp <= threshold {
            p += lp.exp();
        }
    }
    p.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_scipy() {
        // scipy.stats.fisher_exact([[15, 25], [8, 37]]).pvalue
        assert!((fisher_exact(15, 25, 8, 37) - REF_1).abs() < 1e-9);
        // scipy.stats.fisher_exact([[3, 0], [0, 3]]).pvalue
        assert!((fisher_exact(3, 0, 0, 3) - 0.1).abs() < 1e-12);
        assert_eq!(fisher_exact(0, 0, 4, 5), 1.0);
        assert_eq!(fisher_exact(4, 0, 5, 0), 1.0);
    }

    const REF_1: f64 = 0.0520583976943454;
}
