//! Tied CYP2D6 SNV candidates told apart by the reads' allele balance.
//!
//! Unphased genotypes can fit more than one diplotype with the same score.
//! Some candidates differ in name only (`*1/*10`, `*1/*101`: the same
//! alleles at every heterozygous position); others place the variants on
//! the chromosomes differently: `*10/*17` and `*2/*64` share every
//! genotype (2850C>T, 1023C>T and 100C>T heterozygous, the first two on
//! one chromosome or the last two). At 2 copies every heterozygous
//! position reads about half and half under either, so the reads cannot
//! choose. With more copies they can: a `*10/*17x2` reads 1023C>T and
//! 2850C>T in 2 of 3 copies and 100C>T in 1, which no split of `*2` and
//! `*64` copies gives. A candidate is dropped only when its best
//! assignment of copies fits the reads worse than the best candidate's by
//! [`EXCLUSION_LOG_RATIO`].

use crate::cyp2d6_structure::AlleleBalance;
use crate::duplicated_allele::{best_log_likelihood, DUPLICATION_LOG_RATIO};

/// Log-likelihood ratio by which a candidate must fit worse than the best
/// to be dropped: twice what names a duplicated allele, so that no single
/// position's depths drop one. A `*2x2/*10` whose 2850C>T read 16 of 41
/// (27 expected; about 1 in 5,000, seen among 200 simulated people) fit
/// the rare `*39x2/*65` better by 6.2.
const EXCLUSION_LOG_RATIO: f64 = 2.0 * DUPLICATION_LOG_RATIO;

/// How the candidates fit the reads.
#[derive(Debug, PartialEq)]
pub(crate) struct CandidateFits {
    /// The candidates the reads keep, as indices, in their order.
    pub(crate) kept: Vec<usize>,
    /// Each candidate's log-likelihood under its best assignment of
    /// copies, on the positions every candidate tells apart; `None`
    /// without such a position or with fewer than 3 copies.
    pub(crate) log_likelihoods: Vec<Option<f64>>,
}

/// How the candidates whose allele balances are `balances` (one per
/// candidate, already limited to the gene body's positions) fit `total`
/// copies. The candidates are compared on the positions every one of them
/// tells apart; with no such position, or fewer than 3 copies, every
/// candidate is kept.
pub(crate) fn fitting_candidates(balances: &[Vec<AlleleBalance>], total: u8) -> CandidateFits {
    let shared = |site: &AlleleBalance| {
        balances
            .iter()
            .all(|b| b.iter().any(|other| other.position == site.position))
    };
    let common: Vec<Vec<AlleleBalance>> = balances
        .iter()
        .map(|balance| balance.iter().filter(|s| shared(s)).copied().collect())
        .collect();
    let fits: Vec<Option<f64>> = common
        .iter()
        .map(|c| {
            (total >= 3)
                .then(|| best_log_likelihood(total, c))
                .flatten()
        })
        .collect();
    let best = fits.iter().flatten().copied().max_by(f64::total_cmp);
    let kept: Vec<usize> = (0..balances.len())
        .filter(|&i| match (fits[i], best) {
            (Some(fit), Some(best)) => best - fit < EXCLUSION_LOG_RATIO,
            _ => true,
        })
        .collect();
    CandidateFits {
        kept,
        log_likelihoods: fits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1023C>T, 2850C>T and 100C>T (GRCh38).
    const POSITIONS: [u32; 3] = [42_129_770, 42_127_941, 42_130_692];

    fn balance(reads: [(u32, u32); 3]) -> Vec<AlleleBalance> {
        POSITIONS
            .iter()
            .zip(reads)
            .map(|(&position, (haplotype_1, haplotype_2))| AlleleBalance {
                position,
                haplotype_1,
                haplotype_2,
            })
            .collect()
    }

    #[test]
    fn a_duplication_tells_tied_candidates_apart() {
        let fitting_candidates =
            |b: &[Vec<AlleleBalance>], total| fitting_candidates(b, total).kept;
        // *10/*17x2 at 3 copies: 1023C>T and 2850C>T read 40 of 60, 100C>T
        // 20 of 60. As *10/*17 (first haplotype's reads first) every
        // position reads 20 and 40; as *2/*64, 2850C>T (*2's) reads 40,
        // 1023C>T (*64's) 40 and 100C>T (*64's) 20: no split fits all.
        let star10_star17 = balance([(20, 40), (20, 40), (20, 40)]);
        let star2_star64 = balance([(20, 40), (40, 20), (40, 20)]);
        let both = [star2_star64.clone(), star10_star17.clone()];
        assert_eq!(fitting_candidates(&both, 3), [1]);
        // At 2 copies both read half and half: neither is dropped.
        let two = [
            balance([(22, 23), (23, 22), (22, 22)]),
            balance([(22, 23), (22, 23), (22, 22)]),
        ];
        assert_eq!(fitting_candidates(&two, 2), [0, 1]);
        // Reads that lean towards one (a *10/*17x2 whose 1023C>T read 18
        // of 33) drop neither.
        let leaning = [
            balance([(15, 18), (29, 12), (22, 12)]),
            balance([(15, 18), (12, 29), (12, 22)]),
        ];
        assert_eq!(fitting_candidates(&leaning, 3), [0, 1]);
        // Names that differ at no position fit alike.
        let named = [star10_star17.clone(), star10_star17.clone()];
        assert_eq!(fitting_candidates(&named, 3), [0, 1]);
        // One candidate, or no shared position: kept.
        assert_eq!(fitting_candidates(&[star10_star17], 3), [0]);
        assert_eq!(fitting_candidates(&[Vec::new(), star2_star64], 3), [0, 1]);
    }
}
