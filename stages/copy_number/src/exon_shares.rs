//! The CYP2D6 share exon by exon, for targeted (exome, capture) data.
//!
//! Exome-like files cover the exons and little else, so the 5′ end (exon
//! 1), the body and the 3′ end (exon 9) pooled as in whole-genome data
//! leave out where a hybrid switches genes. Without a hybrid every exon
//! has the same CYP2D6 share, `c6 / (c6 + c7)`; exons whose shares differ
//! beyond chance (a likelihood-ratio test of one share against one per
//! exon) cannot exclude a hybrid, and the file is `hybrid_unresolved`.
//! Capture favours some exons of one paralog over the other, so on the
//! hiMoon exome-like files every sample departs, hybrid or not (HG01190
//! `*68+*4/*5`, NA18565 `*10/*36x2`, NA18945 `*1/*5`, NA19239 `*15/*17`):
//! the flag says a hybrid is not excluded, never that one is seen.
//!
//! Each exon is read at its best-covered differing site (within
//! [`EXON_PADDING`] of it): sites a read length apart share reads, so the
//! sites of one exon are not independent draws, while exons are.

use tailor_definitions::cyp2d_locus::CYP2D6_EXONS;

use crate::locus_reads::Fragments;

/// Bases either side of an exon whose sites count for it (exome reads
/// reach this far into the introns).
const EXON_PADDING: u32 = 100;
/// Fewest reads at an exon's site to use the exon.
const MIN_EXON_READS: u32 = 8;
/// Log-likelihood ratio (natural log) of one share per exon over one share
/// for all that shows the exons differ (chi-square 24 on up to 8 degrees
/// of freedom, p about 0.002).
const EXON_LOG_RATIO: f64 = 12.0;

/// Reads of CYP2D6's and CYP2D7's bases at each CYP2D6 exon's
/// best-covered site, from `(CYP2D6 position, [CYP2D6 reads, CYP2D7
/// reads])` per site; exons without such a site are left out.
pub(crate) fn exon_fragments(sites: impl Iterator<Item = (u32, [u32; 2])>) -> Vec<Fragments> {
    let mut best = [None::<[u32; 2]>; CYP2D6_EXONS.len()];
    for (position, reads) in sites {
        let exon = CYP2D6_EXONS.iter().position(|e| {
            (e.start.saturating_sub(EXON_PADDING)..=e.end + EXON_PADDING).contains(&position)
        });
        if let Some(slot) = exon.and_then(|i| best.get_mut(i)) {
            let total = |r: [u32; 2]| r[0] + r[1];
            if slot.is_none_or(|b| total(reads) > total(b)) {
                *slot = Some(reads);
            }
        }
    }
    best.into_iter()
        .flatten()
        .filter(|r| r[0] + r[1] >= MIN_EXON_READS)
        .map(|[cyp2d6, cyp2d7]| Fragments { cyp2d6, cyp2d7 })
        .collect()
}

/// Binomial log-likelihood of `k` of `n` at its own share.
fn own_share_log_likelihood(k: u32, n: u32) -> f64 {
    let term = |x: u32| {
        if x == 0 {
            0.0
        } else {
            f64::from(x) * (f64::from(x) / f64::from(n)).ln()
        }
    };
    term(k) + term(n - k)
}

/// Whether the exons' CYP2D6 shares differ beyond chance (see the module
/// notes); fewer than two exons tell nothing.
pub(crate) fn exon_shares_differ(exons: &[Fragments]) -> bool {
    if exons.len() < 2 {
        return false;
    }
    let separate: f64 = exons
        .iter()
        .map(|e| own_share_log_likelihood(e.cyp2d6, e.cyp2d6 + e.cyp2d7))
        .sum();
    let (k, n) = exons
        .iter()
        .fold((0, 0), |(k, n), e| (k + e.cyp2d6, n + e.cyp2d6 + e.cyp2d7));
    separate - own_share_log_likelihood(k, n) > EXON_LOG_RATIO
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(cyp2d6: u32, cyp2d7: u32) -> Fragments {
        Fragments { cyp2d6, cyp2d7 }
    }

    #[test]
    fn each_exon_at_its_best_covered_site() {
        // Exon 9 (42,126,499-42,126,752): two sites, the deeper kept; a
        // site in intron 4, far from any exon, and a shallow exon 1 site
        // are left out.
        let sites = [
            (42_126_625, [10, 20]),
            (42_126_660, [12, 30]),
            (42_128_600, [50, 50]),
            (42_130_700, [3, 2]),
        ];
        assert_eq!(exon_fragments(sites.into_iter()), [f(12, 30)]);
    }

    #[test]
    fn shares_that_differ_between_exons() {
        // HG01190 (`*68+*4/*5`, hiMoon exome-like) at its exons' best
        // sites, measured: LR 39.
        let hg01190 = [
            f(28, 10),
            f(69, 16),
            f(54, 46),
            f(23, 63),
            f(19, 3),
            f(6, 9),
            f(21, 10),
            f(10, 20),
        ];
        assert!(exon_shares_differ(&hg01190));
        // Binomial noise around one share.
        let even = [f(30, 32), f(25, 27), f(41, 36), f(18, 20)];
        assert!(!exon_shares_differ(&even));
        assert!(!exon_shares_differ(&[f(10, 90)]));
    }
}
