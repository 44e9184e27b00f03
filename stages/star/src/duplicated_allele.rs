//! Which allele a CYP2D6 duplication copies: the copies of each SNV
//! haplotype among the gene's copies, from the allele depths at the
//! heterozygous positions where the two haplotypes differ.
//!
//! At `n` copies with `c` of haplotype 1, a read at such a position shows
//! haplotype 1's allele with probability `c / n` (1/3 or 2/3 at 3 copies;
//! 1/4, 2/4 or 3/4 at 4), moved towards the other allele by
//! [`ALLELE_ERROR`]. The evidence of every position is pooled into one
//! joint log-likelihood per assignment `c`, not decided position by
//! position: two positions at 28/17 and 27/16 name a duplication that
//! neither names alone. Positions closer than a read length share their
//! reads, so each position's log-likelihood is weighted by one over the
//! number of positions within [`SHARED_READ_SPAN`] of it (itself
//! included): a cluster of positions counts about as one.

use crate::cyp2d6_structure::AlleleBalance;

/// Probability that a read shows the other haplotype's allele: the
/// pileup counts bases of quality 13 or more (at most 5 % wrong; Illumina
/// bases are mostly Q30), and a wrong base is the other allele in a third
/// of cases at most. 1 % covers that and the simulated error rate.
const ALLELE_ERROR: f64 = 0.01;
/// Positions this close (bases) share reads of 150 bases.
const SHARED_READ_SPAN: u32 = 150;
/// Log-likelihood ratio (natural log) by which the best assignment must
/// beat the second to be named (about 1 in 400); below it the
/// duplication is `duplication_unresolved`.
pub(crate) const DUPLICATION_LOG_RATIO: f64 = 6.0;

/// Joint log-likelihood of `balance` with `first` of `total` copies on
/// haplotype 1.
fn log_likelihood(first: u8, total: u8, balance: &[AlleleBalance]) -> f64 {
    let share = f64::from(first) / f64::from(total);
    let p = ALLELE_ERROR + (1.0 - 2.0 * ALLELE_ERROR) * share;
    balance
        .iter()
        .map(|site| {
            let neighbours = balance
                .iter()
                .filter(|other| other.position.abs_diff(site.position) < SHARED_READ_SPAN)
                .count();
            let ll =
                f64::from(site.haplotype_1) * p.ln() + f64::from(site.haplotype_2) * (1.0 - p).ln();
            ll / neighbours as f64
        })
        .sum()
}

/// Every assignment of copies to haplotype 1 among `total` (each
/// haplotype keeps at least one) with its joint log-likelihood; none
/// without evidence.
fn fits(total: u8, balance: &[AlleleBalance]) -> Vec<(u8, f64)> {
    if balance.is_empty() {
        return Vec::new();
    }
    (1..total)
        .map(|c| (c, log_likelihood(c, total, balance)))
        .collect()
}

/// The joint log-likelihood of `balance` under its best assignment of
/// copies among `total`; `None` without evidence or with fewer than 2
/// copies.
pub(crate) fn best_log_likelihood(total: u8, balance: &[AlleleBalance]) -> Option<f64> {
    fits(total, balance)
        .into_iter()
        .map(|(_, ll)| ll)
        .max_by(f64::total_cmp)
}

/// The best assignment of copies to haplotype 1 among `total` (each
/// haplotype keeps at least one) and its log-likelihood ratio over the
/// second best; `None` with no evidence or a single possible assignment.
pub(crate) fn copies_of_first(total: u8, balance: &[AlleleBalance]) -> Option<(u8, f64)> {
    let mut fits = fits(total, balance);
    fits.sort_by(|a, b| b.1.total_cmp(&a.1));
    match fits.as_slice() {
        [(best, _)] => Some((*best, f64::INFINITY)),
        [(best, top), (_, next), ..] => Some((*best, top - next)),
        [] => None,
    }
}

/// Copies of haplotype 1 among `total` when the allele depths name them
/// (the best assignment beats the second by [`DUPLICATION_LOG_RATIO`]).
pub(crate) fn duplicated_copies(total: u8, balance: &[AlleleBalance]) -> Option<u8> {
    copies_of_first(total, balance)
        .and_then(|(best, ratio)| (ratio >= DUPLICATION_LOG_RATIO).then_some(best))
}

/// Copies of haplotype 1 among `total` when the allele depths name one of
/// the `allowed` assignments (those a hybrid's arrangement leaves
/// possible): the best of them beats the second best of them by
/// [`DUPLICATION_LOG_RATIO`]. `None` with fewer than two allowed or
/// without evidence. An assignment no arrangement allows is no rival: a
/// `*4x2/*36+*10` reads `*4` in 2 or 1 of 4 copies, never 3.
pub(crate) fn duplicated_copies_among(
    total: u8,
    allowed: &[u8],
    balance: &[AlleleBalance],
) -> Option<u8> {
    let mut fits: Vec<(u8, f64)> = fits(total, balance)
        .into_iter()
        .filter(|(c, _)| allowed.contains(c))
        .collect();
    fits.sort_by(|a, b| b.1.total_cmp(&a.1));
    match fits.as_slice() {
        [(best, top), (_, next), ..] => (top - next >= DUPLICATION_LOG_RATIO).then_some(*best),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(position: u32, haplotype_1: u32, haplotype_2: u32) -> AlleleBalance {
        AlleleBalance {
            position,
            haplotype_1,
            haplotype_2,
        }
    }

    #[test]
    fn pooled_positions_name_what_one_cannot() {
        // 28/17 alone: 2/3 beats 1/3 by 11 x ln 2 = 7.6, but 20/14 by 4.2.
        assert_eq!(duplicated_copies(3, &[site(1_000, 20, 14)]), None);
        let two = [site(1_000, 20, 14), site(2_000, 21, 13)];
        assert_eq!(duplicated_copies(3, &two), Some(2));
        // The same reads counted twice (positions 10 bases apart) are
        // not twice the evidence.
        let close = [site(1_000, 20, 14), site(1_010, 20, 14)];
        assert_eq!(duplicated_copies(3, &close), None);
        // 4 copies: 2 and 2, 3 and 1.
        let even = [
            site(1_000, 30, 31),
            site(2_000, 29, 30),
            site(3_000, 33, 28),
        ];
        assert_eq!(duplicated_copies(4, &even), Some(2));
        let three = [site(1_000, 45, 15), site(2_000, 44, 16)];
        assert_eq!(duplicated_copies(4, &three), Some(3));
        assert_eq!(duplicated_copies(3, &[]), None);
    }

    #[test]
    fn only_allowed_assignments_compete() {
        // 37 of 68 reads: 2 of 4 copies beats 3 of 4 by about 6.5 and 1
        // of 4 by about 13.
        let one = [site(1_000, 37, 31)];
        assert_eq!(duplicated_copies(4, &one), Some(2));
        let (_, ratio) = copies_of_first(4, &one).unwrap();
        assert!(ratio < 7.0, "{ratio}");
        assert_eq!(duplicated_copies_among(4, &[1, 2], &one), Some(2));
        // 40 of 68: 2 beats 3 by less than 6, but 1 by far more.
        let close = [site(1_000, 40, 28)];
        assert_eq!(duplicated_copies(4, &close), None);
        assert_eq!(duplicated_copies_among(4, &[1, 2], &close), Some(2));
        // One allowed assignment, or none with evidence: nothing named.
        assert_eq!(duplicated_copies_among(4, &[2], &close), None);
        assert_eq!(duplicated_copies_among(4, &[1, 2], &[]), None);
    }

    #[test]
    fn the_ratio_is_reported() {
        let (best, ratio) = copies_of_first(3, &[site(1_000, 40, 20)]).unwrap();
        assert_eq!(best, 2);
        assert!(
            (ratio - 20.0 * 2f64.ln() * (1.0 - 0.0)).abs() < 1.5,
            "{ratio}"
        );
    }
}
