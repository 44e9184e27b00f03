//! The genotype model: the most likely multiset of alleles at a position of
//! `copies` copies, given each read's allele and base quality.
//!
//! A read from a copy carrying allele `a` shows `a` with probability
//! `1 - e` and each of the other candidate alleles with `e / (k - 1)`,
//! where `e` is its base-quality error rate and `k` the number of
//! candidates. A genotype (allele dosages summing to `copies`) gives a read
//! the mixture of those, weighted by dosage, so at 3 copies a heterozygote
//! is scored at allele fractions 1/3 and 2/3. The prior is bcftools call's
//! (-m) heterozygosity: each non-reference allele a genotype carries costs
//! a factor [`NON_REFERENCE_PRIOR`], a genotype without REF another half,
//! so two stray reads among thirty (a chimeric or paralogous read) do not
//! make a heterozygote. The genotype quality is the Phred-scaled posterior
//! probability that the best genotype is wrong, capped at 99.

/// The highest genotype quality written.
const MAX_QUALITY: f64 = 99.0;

/// Prior weight of each non-reference allele a genotype carries (bcftools
/// call's default substitution rate, `-P 1.1e-3`).
const NON_REFERENCE_PRIOR: f64 = 1.1e-3;

/// Base qualities above this are treated as this: even a Q60 base is
/// wrong more often than 1e-6 once library and alignment errors count.
const MAX_BASE_QUALITY: u8 = 40;

/// The most likely genotype.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Called {
    /// Dosage of each candidate allele (same order as the candidates),
    /// summing to the copies.
    pub dosages: Vec<u8>,
    /// Phred-scaled probability that another genotype is the true one.
    pub quality: i32,
}

/// Every way to give `copies` copies to `alleles` alleles.
fn dosage_vectors(alleles: usize, copies: u8) -> Vec<Vec<u8>> {
    if alleles == 0 {
        return Vec::new();
    }
    if alleles == 1 {
        return vec![vec![copies]];
    }
    let mut out = Vec::new();
    for first in 0..=copies {
        for mut rest in dosage_vectors(alleles - 1, copies - first) {
            rest.insert(0, first);
            out.push(rest);
        }
    }
    out
}

/// The log prior of a genotype: candidate 0 is REF.
fn log_prior(dosages: &[u8]) -> f64 {
    let alternates = dosages.iter().skip(1).filter(|&&d| d > 0).count();
    let no_reference = dosages.first().is_some_and(|&d| d == 0);
    alternates as f64 * NON_REFERENCE_PRIOR.ln() - if no_reference { 2f64.ln() } else { 0.0 }
}

/// The most likely genotype of `copies` copies (at least 1) over
/// `candidates` alleles, from `reads`: each read's candidate index and
/// base quality.
pub(crate) fn call(candidates: usize, copies: u8, reads: &[(usize, u8)]) -> Option<Called> {
    if candidates == 0 || copies == 0 {
        return None;
    }
    let others = (candidates - 1).max(1) as f64;
    let genotypes = dosage_vectors(candidates, copies);
    let log_likelihoods: Vec<f64> = genotypes
        .iter()
        .map(|dosages| {
            reads
                .iter()
                .map(|&(allele, quality)| {
                    let error = 10f64.powf(-f64::from(quality.min(MAX_BASE_QUALITY)) / 10.0);
                    let p: f64 = dosages
                        .iter()
                        .enumerate()
                        .map(|(a, &d)| {
                            let shows = if a == allele {
                                1.0 - error
                            } else {
                                error / others
                            };
                            f64::from(d) / f64::from(copies) * shows
                        })
                        .sum();
                    p.max(f64::MIN_POSITIVE).ln()
                })
                .sum::<f64>()
                + log_prior(dosages)
        })
        .collect();
    let (best, &best_ll) = log_likelihoods
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))?;
    let total: f64 = log_likelihoods.iter().map(|ll| (ll - best_ll).exp()).sum();
    let wrong = 1.0 - 1.0 / total;
    let quality = if wrong <= 0.0 {
        MAX_QUALITY
    } else {
        (-10.0 * wrong.log10()).min(MAX_QUALITY)
    };
    Some(Called {
        dosages: genotypes[best].clone(),
        quality: quality.round() as i32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(reference: usize, alternate: usize) -> Vec<(usize, u8)> {
        let mut r = vec![(0, 30); reference];
        r.extend(vec![(1, 30); alternate]);
        r
    }

    #[test]
    fn calls_by_allele_balance_at_the_copy_number() {
        // (copies, reference reads, alternate reads, dosages)
        let cases: [(u8, usize, usize, [u8; 2]); 6] = [
            (2, 20, 0, [2, 0]),
            (2, 10, 10, [1, 1]),
            (2, 1, 19, [0, 2]),
            (3, 20, 10, [2, 1]),
            (3, 10, 20, [1, 2]),
            // At 2 copies the same reads are a heterozygote.
            (2, 10, 20, [1, 1]),
        ];
        for (copies, r, a, want) in cases {
            let called = call(2, copies, &reads(r, a)).map(|c| c.dosages);
            assert_eq!(called, Some(want.to_vec()), "{copies} copies, {r}/{a}");
        }
        assert_eq!(call(2, 2, &reads(20, 20)).map(|c| c.quality), Some(99));
    }

    #[test]
    fn haploid_and_ambiguous() {
        assert_eq!(
            call(2, 1, &reads(0, 8)).map(|c| c.dosages),
            Some(vec![0, 1])
        );
        let even = call(2, 2, &reads(1, 1)).map(|c| c.quality).unwrap_or(99);
        assert!(
            even < 10,
            "two reads cannot make a confident genotype: {even}"
        );
        assert_eq!(call(0, 2, &[]), None);
    }

    #[test]
    fn two_stray_reads_of_thirty_stay_reference() {
        let reads: Vec<(usize, u8)> = [(0, 40); 24].into_iter().chain([(1, 40); 2]).collect();
        assert_eq!(call(2, 2, &reads).map(|c| c.dosages), Some(vec![2, 0]));
    }

    #[test]
    fn dosages_cover_every_genotype() {
        assert_eq!(
            dosage_vectors(2, 2),
            vec![vec![0, 2], vec![1, 1], vec![2, 0]]
        );
        assert_eq!(dosage_vectors(3, 4).len(), 15);
    }
}
