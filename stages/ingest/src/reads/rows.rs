//! From a site's pileup to its row of the genotypes table.

use tailor_schemas::genotypes::flags;

use super::likelihood::call;
use super::pileup::SitePileup;

/// A heterozygote whose reads fit its dosages worse than this (two-sided
/// binomial test of the allele fraction against dosage / copies) is not
/// trusted: reads of a paralog or a copy not accounted for (at 2 copies,
/// 40 of 187 reads is neither 0, 1/2 nor 1). Real heterozygotes at 15
/// reads and 4 alternates score about 0.06.
const MIN_BALANCE_P: f64 = 1e-6;

/// A homozygous call stands only if a heterozygote would show as few
/// other-allele reads with at most this probability (one-sided binomial at
/// the heterozygote's minor dosage, 1/copies); otherwise the genotype is
/// missing (flag `low_genotype_quality`). It takes 10 concordant reads at 2
/// copies. The genotype likelihood's prior favours the reference, so at 8x
/// a heterozygote read as 8 + 2 is called homozygous with a quality of 4 to
/// 33; a quality threshold alone cannot separate those from real
/// homozygotes with two reads of another copy (HiFi NA20129: 24 + 2 at a
/// quality of 28).
const MAX_HETEROZYGOTE_P: f64 = 1e-3;

/// Non-reference alleles considered besides REF: the two with most reads
/// (three alleles at one position is already rare; the flag says so).
const CANDIDATE_ALTERNATES: usize = 2;

/// A sample's genotype at one site, as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SiteGenotype {
    /// The two alleles (the second `None` when haploid), or none when
    /// missing.
    pub alleles: Option<(String, Option<String>)>,
    /// Alleles written: 2, 1 (haploid) or 0 (missing).
    pub ploidy: u8,
    /// Usable reads.
    pub depth: i32,
    /// Reads per documented allele, then undocumented ones.
    pub allele_depths: Vec<i32>,
    /// Genotype quality (Phred), when called.
    pub quality: Option<i32>,
    /// Row flags.
    pub flags: Vec<&'static str>,
}

/// The genotype of `pileup` at `copies` copies, missing below `min_depth`
/// reads.
pub(crate) fn genotype(pileup: &SitePileup, copies: u8, min_depth: u32) -> SiteGenotype {
    let depth = i32::try_from(pileup.reads.len()).unwrap_or(i32::MAX);
    let mut row = SiteGenotype {
        depth,
        allele_depths: pileup.allele_depths(),
        ..SiteGenotype::default()
    };
    if pileup.reads.len() < min_depth as usize || copies == 0 {
        row.flags.push(if copies == 0 {
            flags::NO_CALL
        } else {
            flags::LOW_DEPTH
        });
        return row;
    }
    let mut counts = vec![0usize; pileup.alleles.len()];
    for &(allele, _) in &pileup.reads {
        counts[allele] += 1;
    }
    let mut alternates: Vec<usize> = (1..counts.len()).filter(|&a| counts[a] > 0).collect();
    alternates.sort_by_key(|&a| (std::cmp::Reverse(counts[a]), a));
    alternates.truncate(CANDIDATE_ALTERNATES);
    let candidates: Vec<usize> = std::iter::once(0).chain(alternates).collect();
    let reads: Vec<(usize, u8)> = pileup
        .reads
        .iter()
        .filter_map(|&(allele, q)| Some((candidates.iter().position(|&c| c == allele)?, q)))
        .collect();
    let Some(called) = call(candidates.len(), copies, &reads) else {
        row.flags.push(flags::NO_CALL);
        return row;
    };
    row.quality = Some(called.quality);
    // Alleles carried, most copies first (REF first on a tie).
    let mut carried: Vec<(u8, usize)> = called
        .dosages
        .iter()
        .zip(&candidates)
        .filter(|(d, _)| **d > 0)
        .map(|(&d, &a)| (d, a))
        .collect();
    carried.sort_by_key(|&(d, a)| (std::cmp::Reverse(d), a));
    if carried.len() > 2 {
        row.flags.push(flags::MULTIALLELIC);
    }
    if let ([(_, a)], 2..) = (carried.as_slice(), copies) {
        let usable: usize = candidates.iter().map(|&c| counts[c]).sum();
        let others = usable - counts[*a];
        if lower_tail(others, usable, 1.0 / f64::from(copies)) > MAX_HETEROZYGOTE_P {
            row.flags.push(flags::LOW_GENOTYPE_QUALITY);
            return row;
        }
    }
    if let [(d, a), (_, b), ..] = carried.as_slice() {
        let p = balance_p(
            counts[*a],
            counts[*a] + counts[*b],
            f64::from(*d) / f64::from(copies),
        );
        if p < MIN_BALANCE_P {
            row.flags.push(flags::ALLELE_IMBALANCE);
            return row;
        }
    }
    let name = |a: usize| pileup.alleles[a].clone();
    if carried.iter().any(|&(_, a)| a >= pileup.documented) {
        row.flags.push(flags::UNDOCUMENTED_ALLELE);
    }
    row.alleles = match (copies, carried.as_slice()) {
        (1, [(_, a), ..]) => {
            row.ploidy = 1;
            Some((name(*a), None))
        }
        (_, [(_, a)]) => {
            row.ploidy = 2;
            Some((name(*a), Some(name(*a))))
        }
        (_, [(_, a), (_, b), ..]) => {
            row.ploidy = 2;
            let (first, second) = ((*a).min(*b), (*a).max(*b));
            Some((name(first), Some(name(second))))
        }
        _ => None,
    };
    row
}

/// Binomial probability of exactly `i` successes in `n` trials at `p`.
fn binomial(i: usize, n: usize, p: f64) -> f64 {
    let ln_choose: f64 = (1..=i)
        .map(|j| ((n - i + j) as f64).ln() - (j as f64).ln())
        .sum();
    (ln_choose + i as f64 * p.ln() + (n - i) as f64 * (1.0 - p).ln()).exp()
}

/// Probability of at most `k` successes in `n` trials at `p`.
fn lower_tail(k: usize, n: usize, p: f64) -> f64 {
    (0..=k).map(|i| binomial(i, n, p)).sum::<f64>().min(1.0)
}

/// Two-sided binomial p-value of `k` successes in `n` trials at `p`
/// (doubling the smaller tail, capped at 1).
fn balance_p(k: usize, n: usize, p: f64) -> f64 {
    let below = lower_tail(k, n, p);
    let above: f64 = (k..=n).map(|i| binomial(i, n, p)).sum();
    (2.0 * below.min(above)).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pileup(reads: &[(usize, usize)]) -> SitePileup {
        SitePileup {
            alleles: vec!["C".into(), "CA".into(), "G".into()],
            documented: 2,
            reads: reads
                .iter()
                .flat_map(|&(allele, n)| std::iter::repeat_n((allele, 30u8), n))
                .collect(),
        }
    }

    #[test]
    fn heterozygous_insertion_and_depths() {
        let row = genotype(&pileup(&[(0, 9), (1, 11)]), 2, 8);
        assert_eq!(row.alleles, Some(("C".into(), Some("CA".into()))));
        assert_eq!(row.allele_depths, vec![9, 11, 0]);
        assert_eq!(row.depth, 20);
        assert!(row.flags.is_empty());
    }

    #[test]
    fn an_allele_fraction_no_dosage_explains_is_missing() {
        let row = genotype(&pileup(&[(0, 147), (1, 40)]), 2, 8);
        assert_eq!(row.alleles, None);
        assert_eq!(row.flags, vec![flags::ALLELE_IMBALANCE]);
        // The same reads at 4 copies are one copy of four.
        let row = genotype(&pileup(&[(0, 147), (1, 40)]), 4, 8);
        assert_eq!(row.alleles, Some(("C".into(), Some("CA".into()))));
        assert!((balance_p(4, 15, 0.5) - 0.1185).abs() < 1e-3);
    }

    #[test]
    fn below_min_depth_is_missing_never_reference() {
        let row = genotype(&pileup(&[(0, 7)]), 2, 8);
        assert_eq!(row.alleles, None);
        assert_eq!(row.flags, vec![flags::LOW_DEPTH]);
        assert_eq!(row.allele_depths, vec![7, 0, 0]);
    }

    #[test]
    fn haploid_and_undocumented() {
        let row = genotype(&pileup(&[(2, 10)]), 1, 8);
        assert_eq!(row.alleles, Some(("G".into(), None)));
        assert_eq!(row.ploidy, 1);
        assert_eq!(row.flags, vec![flags::UNDOCUMENTED_ALLELE]);
        assert_eq!(row.allele_depths, vec![0, 0, 10]);
    }
}
