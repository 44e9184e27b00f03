//! The integer copy-number model: a binomial on the CYP2D6 share of
//! fragments at the differing sites, and (with control coverage) a negative
//! binomial on the read count over CYP2D6+CYP2D7.
//!
//! For CYP2D6 at `c6` copies and CYP2D7 at `c7`, a fragment at a differing
//! site is CYP2D6's with probability `c6 / (c6 + c7)`, moved towards 1/2 by
//! [`SHARE_ERROR`] (sequencing errors and fragments whose bases mislead).
//! The read-equivalents over both genes (aligned bases / mean read length)
//! follow a negative binomial with mean `(c6 + c7) / 2` times the control
//! windows' rate and size [`DEPTH_SIZE`] (a 30x genome's 9 kb of CYP2D6 and
//! CYP2D7 then varies by about 8 % beyond Poisson, as between-window depth
//! does in whole-genome data). CYP2D6 copies have a flat prior over
//! 0-[`MAX_COPIES`]; CYP2D7 is 2 copies with prior [`CYP2D7_PRIOR`], or
//! exactly 2 without control coverage. The confidence is the posterior
//! probability of the most likely CYP2D6 copy number.

use statrs::function::gamma::ln_gamma;

use crate::locus_reads::Fragments;

/// Most CYP2D6 copies considered.
pub(crate) const MAX_COPIES: u8 = 6;
/// Probability that a fragment's bases point to the other gene.
const SHARE_ERROR: f64 = 0.02;
/// Prior of 0-4 CYP2D7 copies when depth can tell them apart.
const CYP2D7_PRIOR: [f64; 5] = [0.005, 0.02, 0.95, 0.02, 0.005];
/// Negative-binomial size of the read count over CYP2D6+CYP2D7.
const DEPTH_SIZE: f64 = 150.0;

/// Depth evidence: read-equivalents over CYP2D6+CYP2D7 and what one copy
/// of both genes would give at the control windows' depth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DepthCounts {
    /// Read-equivalents observed over both genes.
    pub observed: f64,
    /// Read-equivalents one copy (of either gene) adds.
    pub per_copy: f64,
}

/// The most likely CYP2D6 copy number and its posterior probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fit {
    /// Most likely CYP2D6 copies.
    pub cyp2d6: u8,
    /// Most likely CYP2D7 copies given `cyp2d6`.
    pub cyp2d7: u8,
    /// Posterior probability of `cyp2d6`.
    pub confidence: f64,
}

/// Log-likelihood of the fragment counts at `c6` and `c7` copies.
pub(crate) fn share_log_likelihood(fragments: Fragments, c6: u8, c7: u8) -> f64 {
    let total = f64::from(c6) + f64::from(c7);
    let p = if total == 0.0 {
        0.5
    } else {
        f64::from(c6) / total
    };
    let p = SHARE_ERROR + (1.0 - 2.0 * SHARE_ERROR) * p;
    f64::from(fragments.cyp2d6) * p.ln() + f64::from(fragments.cyp2d7) * (1.0 - p).ln()
}

/// Negative-binomial log-likelihood of the depth at `total` copies.
fn depth_log_likelihood(depth: DepthCounts, total: u8) -> f64 {
    // A deleted gene still collects some mismapped reads.
    let mean = (f64::from(total).max(0.05) * depth.per_copy).max(1e-9);
    let k = depth.observed.round();
    let r = DEPTH_SIZE;
    ln_gamma(k + r) - ln_gamma(r) - ln_gamma(k + 1.0)
        + r * (r / (r + mean)).ln()
        + k * (mean / (r + mean)).ln()
}

/// Fits CYP2D6's copy number from the body's fragments and, when there is
/// control coverage, the depth.
pub(crate) fn fit(fragments: Fragments, depth: Option<DepthCounts>) -> Fit {
    let cyp2d7_options: Vec<(u8, f64)> = match depth {
        Some(_) => (0u8..).zip(CYP2D7_PRIOR).collect(),
        None => vec![(2, 1.0)],
    };
    let mut joint = Vec::new();
    for c6 in 0..=MAX_COPIES {
        for &(c7, prior) in &cyp2d7_options {
            let mut ll = share_log_likelihood(fragments, c6, c7) + prior.ln();
            if let Some(depth) = depth {
                ll += depth_log_likelihood(depth, c6 + c7);
            }
            joint.push((c6, c7, ll));
        }
    }
    let top = joint.iter().map(|j| j.2).fold(f64::NEG_INFINITY, f64::max);
    let mut marginal = [0.0; MAX_COPIES as usize + 1];
    for &(c6, _, ll) in &joint {
        marginal[c6 as usize] += (ll - top).exp();
    }
    let total: f64 = marginal.iter().sum();
    let (best, mass) =
        marginal.iter().enumerate().fold(
            (0, 0.0),
            |acc, (c, &m)| if m > acc.1 { (c, m) } else { acc },
        );
    let cyp2d6 = best as u8;
    let cyp2d7 = joint
        .iter()
        .filter(|j| j.0 == cyp2d6)
        .max_by(|a, b| a.2.total_cmp(&b.2))
        .map_or(2, |j| j.1);
    Fit {
        cyp2d6,
        cyp2d7,
        confidence: mass / total,
    }
}

/// The CYP2D6 share corrected for [`SHARE_ERROR`].
pub(crate) fn corrected_share(share: f64) -> f64 {
    ((share - SHARE_ERROR) / (1.0 - 2.0 * SHARE_ERROR)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragments(cyp2d6: u32, cyp2d7: u32) -> Fragments {
        Fragments { cyp2d6, cyp2d7 }
    }

    #[test]
    fn shares_alone_against_two_cyp2d7_copies() {
        let f = fit(fragments(300, 300), None);
        assert_eq!((f.cyp2d6, f.cyp2d7), (2, 2));
        assert!(f.confidence > 0.999, "{f:?}");
        // 200 fragments at 1/2 leave 2 % for 3 copies: below the threshold.
        let f = fit(fragments(100, 100), None);
        assert!((0.95..0.99).contains(&f.confidence), "{f:?}");
        assert_eq!(fit(fragments(150, 100), None).cyp2d6, 3);
        assert_eq!(fit(fragments(50, 100), None).cyp2d6, 1);
        assert_eq!(fit(fragments(2, 100), None).cyp2d6, 0);
        // Ten fragments cannot tell 2 from 3 copies.
        assert!(fit(fragments(6, 4), None).confidence < 0.95);
    }

    #[test]
    fn depth_settles_the_cyp2d7_copies() {
        // One copy's worth is 100 read-equivalents; 4 copies observed and
        // a share of 1/2: CYP2D6 2 (and CYP2D7 2).
        let depth = DepthCounts {
            observed: 400.0,
            per_copy: 100.0,
        };
        let f = fit(fragments(120, 120), Some(depth));
        assert_eq!((f.cyp2d6, f.cyp2d7), (2, 2));
        let depth = DepthCounts {
            observed: 300.0,
            per_copy: 100.0,
        };
        assert_eq!(fit(fragments(40, 80), Some(depth)).cyp2d6, 1);
    }

    #[test]
    fn share_correction_undoes_the_error_model() {
        assert!((corrected_share(0.5) - 0.5).abs() < 1e-12);
        assert_eq!(corrected_share(0.01), 0.0);
        assert_eq!(corrected_share(0.99), 1.0);
    }
}
