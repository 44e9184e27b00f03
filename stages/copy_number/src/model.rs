//! The integer copy-number model: a binomial on the CYP2D6 share of
//! fragments at the differing sites, and (with control coverage) the
//! CYP2D6+CYP2D7 copies that depth gives.
//!
//! For CYP2D6 at `c6` copies and CYP2D7 at `c7`, a fragment at a differing
//! site is CYP2D6's with probability `c6 / (c6 + c7)`, moved towards 1/2 by
//! [`SHARE_ERROR`] (sequencing errors and fragments whose bases mislead).
//! Fragments are not quite independent draws (a fragment's sites are
//! re-split by the median site share, and sites close together share
//! fragments): on 60 simulated people the body's share varied 2.1 times
//! as much as a binomial's, the ends' (whose sites cluster in exon 9 and
//! exon 1, so one fragment covers most of them) 1.0 and 1.5 times, so the
//! binomial log-likelihood is divided by [`BODY_DISPERSION`] or
//! [`END_DISPERSION`] (a quasi-likelihood).
//!
//! Depth: CYP2D6+CYP2D7 depth over the control windows' gives the total
//! copies as a real number; it is normal around `c6 + c7`, with the
//! sampling variance of read counts ([`depth_relative_variance`]): a mean
//! depth `d` over `L` bases built from fragments of `b` bases each is
//! `b / L` times a Poisson count, so its relative variance is
//! `b / (d L)`, for the locus at `c6 + c7` copies and for the control
//! windows at 2. A floor of [`DEPTH_EXTRA_CV`] stands for what real genomes
//! add (GC and mappability). A fixed 5 % of the total, used before,
//! exceeded the spread of simulated 30x genomes (3.8 % at 2 copies, 2.1 %
//! at 6) and withheld 6 of 409 simulated non-hybrid copy numbers (seeds 11,
//! 23, 5 and 7) between 3 and 4 or 4 and 5 copies. CYP2D6 copies have a flat
//! prior over 0-[`MAX_COPIES`]; CYP2D7 is 2 copies with prior
//! [`CYP2D7_PRIOR`], or exactly 2 without control coverage. The confidence
//! is the posterior probability of the most likely CYP2D6 copy number.

use tailor_definitions::cyp2d_locus::{CONTROL_WINDOWS, CYP2D6_GENE, CYP2D7_GENE};

use crate::locus_reads::Fragments;

/// Most CYP2D6 copies considered.
pub(crate) const MAX_COPIES: u8 = 6;
/// Probability that a fragment's bases point to the other gene.
const SHARE_ERROR: f64 = 0.02;
/// How many times a binomial's variance the body's fragment share has.
const BODY_DISPERSION: f64 = 2.5;
/// How many times a binomial's variance an end's fragment share has.
pub(crate) const END_DISPERSION: f64 = 1.5;
/// Prior of 0-4 CYP2D7 copies when depth can tell them apart.
const CYP2D7_PRIOR: [f64; 5] = [0.005, 0.02, 0.95, 0.02, 0.005];
/// Coefficient of variation of the depth's total copies beyond read
/// sampling (GC and mappability in real genomes; simulated ones have none).
const DEPTH_EXTRA_CV: f64 = 0.02;
/// Prior probability that an end of the gene has another CYP2D6 copy
/// number than the body (a hybrid there).
pub(crate) const END_HYBRID_PRIOR: f64 = 0.02;

/// Depth evidence: CYP2D6+CYP2D7 copies from depth over the control
/// windows' (2 x locus depth / control depth), and what its sampling
/// variance depends on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DepthCopies {
    /// CYP2D6+CYP2D7 copies from depth.
    pub copies: f64,
    /// Mean depth of the control windows (two copies).
    pub control_depth: f64,
    /// Mean aligned read length (bases).
    pub read_length: f64,
}

/// Relative variance of the depth's total copies at `total` copies: read
/// sampling over the two genes and over a control window, plus
/// [`DEPTH_EXTRA_CV`] squared.
///
/// A fragment (read pair) lays about twice the read length of bases; a
/// long read counted the same way gets twice its variance (conservative).
/// At 30x and 6 copies this is 4.0 % (simulated genomes: 2.1 %).
fn depth_relative_variance(depth: DepthCopies, total: f64) -> f64 {
    let fragment_bases = 2.0 * depth.read_length.max(1.0);
    let per_copy = (depth.control_depth / 2.0).max(f64::MIN_POSITIVE);
    let gene_length = f64::from(CYP2D6_GENE.len() + CYP2D7_GENE.len()) / 2.0;
    // Two genes' mean depths summed: each of about `gene_length` bases.
    let locus = fragment_bases / (total * per_copy * gene_length);
    let control = fragment_bases / (2.0 * per_copy * f64::from(CONTROL_WINDOWS[0].len()));
    locus + control + DEPTH_EXTRA_CV * DEPTH_EXTRA_CV
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

/// Binomial log-likelihood of the fragment counts at `c6` and `c7`
/// copies (divide by a dispersion for the quasi-likelihood).
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

/// Normal log-likelihood (up to a constant) of the depth's copies at
/// `total` copies.
fn depth_log_likelihood(depth: DepthCopies, total: u8) -> f64 {
    // A deleted pair of genes still collects some mismapped reads.
    let expected = f64::from(total).max(0.25);
    let sd = expected * depth_relative_variance(depth, expected).sqrt();
    let z = (depth.copies - expected) / sd;
    -0.5 * z * z - sd.ln()
}

/// Log-likelihood of one end's fragments at the body's `c6` and `c7`
/// copies: the same copies with probability 1 - [`END_HYBRID_PRIOR`], else
/// the best other CYP2D6 copies at the same total (a hybrid). Ends without
/// a hybrid are evidence on the body's copy number too: NA18505's body
/// share (0.55) sits between 2 and 3 copies, its ends (0.51) at 2.
fn end_log_likelihood(end: Fragments, c6: u8, c7: u8) -> f64 {
    let total = c6 + c7;
    let at = |c: u8| share_log_likelihood(end, c, total - c) / END_DISPERSION;
    let other = (0..=total.min(MAX_COPIES))
        .filter(|&c| c != c6)
        .map(at)
        .fold(f64::NEG_INFINITY, f64::max);
    let same = at(c6) + (1.0 - END_HYBRID_PRIOR).ln();
    let other = other + END_HYBRID_PRIOR.ln();
    let top = same.max(other);
    top + ((same - top).exp() + (other - top).exp()).ln()
}

/// Fits CYP2D6's copy number from the fragments of the gene's regions
/// (3′ end, body, 5′ end) and, when there is control coverage, the depth.
pub(crate) fn fit(regions: &[Fragments; 3], depth: Option<DepthCopies>) -> Fit {
    let [three_prime, body, five_prime] = *regions;
    let cyp2d7_options: Vec<(u8, f64)> = match depth {
        Some(_) => (0u8..).zip(CYP2D7_PRIOR).collect(),
        None => vec![(2, 1.0)],
    };
    let mut joint = Vec::new();
    for c6 in 0..=MAX_COPIES {
        for &(c7, prior) in &cyp2d7_options {
            let mut ll = share_log_likelihood(body, c6, c7) / BODY_DISPERSION
                + end_log_likelihood(three_prime, c6, c7)
                + end_log_likelihood(five_prime, c6, c7)
                + prior.ln();
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

    /// The body's fragments, no fragments at the ends.
    fn fragments(cyp2d6: u32, cyp2d7: u32) -> [Fragments; 3] {
        let none = Fragments::default();
        [none, Fragments { cyp2d6, cyp2d7 }, none]
    }

    #[test]
    fn shares_alone_against_two_cyp2d7_copies() {
        let f = fit(&fragments(600, 600), None);
        assert_eq!((f.cyp2d6, f.cyp2d7), (2, 2));
        assert!(f.confidence > 0.99, "{f:?}");
        // 200 fragments at 1/2, a fifth of the information of 500 binomial
        // draws: 3 copies not excluded.
        let f = fit(&fragments(100, 100), None);
        assert!(f.confidence < 0.95, "{f:?}");
        assert_eq!(fit(&fragments(150, 100), None).cyp2d6, 3);
        assert_eq!(fit(&fragments(50, 100), None).cyp2d6, 1);
        assert_eq!(fit(&fragments(2, 100), None).cyp2d6, 0);
        // Ten fragments cannot tell 2 from 3 copies.
        assert!(fit(&fragments(6, 4), None).confidence < 0.95);
    }

    /// Depth evidence of a 30x genome with 150-base reads.
    fn depth(copies: f64) -> DepthCopies {
        DepthCopies {
            copies,
            control_depth: 30.0,
            read_length: 150.0,
        }
    }

    #[test]
    fn depth_variance_follows_read_sampling() {
        let cv = |d: DepthCopies, total: f64| depth_relative_variance(d, total).sqrt();
        // 30x, 6 copies: 4.0 %; fewer copies, fewer reads, more spread.
        assert!((cv(depth(6.0), 6.0) - 0.040).abs() < 0.001);
        assert!(cv(depth(2.0), 2.0) > cv(depth(6.0), 6.0));
        // 10x spreads more; a deep genome keeps the floor.
        let shallow = DepthCopies {
            control_depth: 10.0,
            ..depth(6.0)
        };
        assert!(cv(shallow, 6.0) > 0.06);
        let deep = DepthCopies {
            control_depth: 1e6,
            ..depth(6.0)
        };
        assert!((cv(deep, 6.0) - DEPTH_EXTRA_CV).abs() < 1e-3);
        // 15 kb long reads at 30x: depth barely tells 6 copies from 7.
        let long = DepthCopies {
            read_length: 15_000.0,
            ..depth(6.0)
        };
        assert!(cv(long, 6.0) > 0.3);
    }

    #[test]
    fn depth_settles_the_cyp2d7_copies() {
        // 4 copies from depth and a share of 1/2: CYP2D6 2 (and CYP2D7 2).
        let f = fit(&fragments(300, 300), Some(depth(4.1)));
        assert_eq!((f.cyp2d6, f.cyp2d7), (2, 2));
        assert!(f.confidence > 0.99, "{f:?}");
        assert_eq!(fit(&fragments(100, 200), Some(depth(3.0))).cyp2d6, 1);
        // A share of 0.67 is 4 of 6 but close to 5 of 7 (0.71): depth at
        // 6.1 decides for 4 (*1x2/*10x2 on simulated reads).
        let f = fit(&fragments(660, 320), Some(depth(6.1)));
        assert_eq!((f.cyp2d6, f.cyp2d7), (4, 2));
        assert!(f.confidence > 0.95, "{f:?}");
        // *68+*4/*5: 1 CYP2D6 and 3 CYP2D7 copies in the body.
        let f = fit(&fragments(170, 460), Some(depth(4.0)));
        assert_eq!((f.cyp2d6, f.cyp2d7), (1, 3));
    }

    #[test]
    fn share_correction_undoes_the_error_model() {
        assert!((corrected_share(0.5) - 0.5).abs() < 1e-12);
        assert_eq!(corrected_share(0.01), 0.0);
        assert_eq!(corrected_share(0.99), 1.0);
    }
}
