//! Population allele frequencies as the prior over CYP2D6 candidates the
//! reads cannot tell apart.
//!
//! Unphased genotypes leave tied candidates (`*2x2/*10` against
//! `*39x2/*65`: the same genotypes, the variants placed on the chromosomes
//! differently; `*2/*10` against `*2/*101` when the one position that
//! tells `*10` from `*101` is missing). The reads' allele balance weighs
//! them (`cyp2d6_candidates.rs`), but one informative position at 30x
//! gives a log-likelihood ratio of about 10, too little for a call on its
//! own. Two people carrying `*2` and `*10` (17 % and 13 % of the 1000
//! Genomes haplotypes) are far more likely than two carrying `*39` and
//! `*65` (0.2 % and 0.03 %): Bayes' rule with the haplotype frequencies as
//! the prior gives each candidate its posterior probability, and one that
//! reaches [`POSTERIOR_TO_CALL`] is called, flagged `frequency_prior`, the
//! others still listed as candidates.
//!
//! The prior is the two haplotypes' frequencies in the 1000 Genomes
//! panels as a whole (`tailor_definitions::embedded_frequencies`, 3,202
//! people, all five super-populations); an allele the panels do not carry
//! counts half a haplotype (Jeffreys' prior for a proportion, so that it
//! is rare but possible). A candidate's prior is the product of its
//! haplotypes' (independent under Hardy-Weinberg equilibrium; one
//! haplotype opposite a `*5` deletion, whose frequency every candidate
//! shares); a duplication's placement has no prior of its own.

use std::collections::HashMap;

use tailor_definitions::GeneFrequencies;

/// Posterior probability at which a candidate the reads do not single
/// out is called: 99 to 1 against all the others together (Phred 20, the
/// confidence genotype callers conventionally call at).
const POSTERIOR_TO_CALL: f64 = 0.99;

/// Dispersion of the reads' allele balance: their log-likelihood counts
/// half (a quasi-likelihood with twice the binomial variance, for mapping
/// and amplification bias), so that on a flat prior the reads alone must
/// fit one candidate better by twice the log odds the call needs.
const DISPERSION: f64 = 2.0;

/// Haplotypes an allele absent from the panels counts as.
const ABSENT_COUNT: f64 = 0.5;

/// Log prior probabilities of one gene's named alleles.
#[derive(Debug, Clone, Default)]
pub(crate) struct AllelePrior {
    /// Allele -> haplotypes carrying it in the panels.
    counts: HashMap<String, u64>,
    /// Haplotypes counted.
    total: f64,
}

impl AllelePrior {
    /// The prior of `frequencies` (one gene's counts); empty (every
    /// allele alike) without them.
    pub(crate) fn new(frequencies: Option<&GeneFrequencies>) -> Self {
        let counts: HashMap<String, u64> = frequencies
            .map(|gene| {
                gene.alleles
                    .iter()
                    .map(|a| (a.allele.clone(), a.count))
                    .collect()
            })
            .unwrap_or_default();
        let total = counts.values().sum::<u64>() as f64;
        Self { counts, total }
    }

    /// Natural log of the prior probability of the haplotype `allele`.
    fn log_prior(&self, allele: &str) -> f64 {
        let count = self.counts.get(allele).map_or(ABSENT_COUNT, |&c| c as f64);
        (count / (self.total + ABSENT_COUNT)).ln()
    }

    /// The posterior probability of each candidate, given as its
    /// haplotypes (two, or one opposite a deletion), whose reads fit with
    /// log-likelihood `log_likelihoods[i]` (`None`: no evidence, which
    /// counts as equal fit; minus infinity: impossible), divided by
    /// [`DISPERSION`].
    pub(crate) fn posterior(
        &self,
        candidates: &[Vec<&str>],
        log_likelihoods: &[Option<f64>],
    ) -> Vec<f64> {
        let log_weights: Vec<f64> = candidates
            .iter()
            .zip(log_likelihoods)
            .map(|(haplotypes, ll)| {
                let prior: f64 = haplotypes.iter().map(|h| self.log_prior(h)).sum();
                prior + ll.unwrap_or(0.0) / DISPERSION
            })
            .collect();
        let top = log_weights
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        if top == f64::NEG_INFINITY {
            // No candidate possible: none has any probability.
            return vec![0.0; log_weights.len()];
        }
        let weights: Vec<f64> = log_weights.iter().map(|w| (w - top).exp()).collect();
        let sum: f64 = weights.iter().sum();
        weights.iter().map(|w| w / sum).collect()
    }

    /// The index of the candidate whose posterior reaches
    /// [`POSTERIOR_TO_CALL`], if one does.
    pub(crate) fn called(
        &self,
        candidates: &[Vec<&str>],
        log_likelihoods: &[Option<f64>],
    ) -> Option<usize> {
        self.posterior(candidates, log_likelihoods)
            .iter()
            .position(|&p| p >= POSTERIOR_TO_CALL)
    }
}

#[cfg(test)]
mod tests {
    use tailor_definitions::embedded_frequencies;

    use super::*;

    fn cyp2d6() -> AllelePrior {
        let frequencies = embedded_frequencies().unwrap();
        AllelePrior::new(frequencies.iter().find(|g| g.gene == "CYP2D6"))
    }

    #[test]
    fn common_alleles_outweigh_rare_ones_the_reads_cannot_exclude() {
        let prior = cyp2d6();
        // Same reads: *2 (1,065 of 6,298 haplotypes) and *10 (820) against
        // *39 (11) and *65 (2): (1065 * 820) / (11 * 2) = 39,700 to 1.
        let pairs = [vec!["*2", "*10"], vec!["*39", "*65"]];
        let p = prior.posterior(&pairs, &[None, None]);
        assert!((p[0] - 39_697.0 / 39_698.0).abs() < 1e-5, "{p:?}");
        assert_eq!(prior.called(&pairs, &[None, None]), Some(0));
        // Reads that favour the rare pair by e^34 (e^17 once the
        // dispersion halves it) win; by e^24, neither reaches 99 %.
        let favoured = [Some(-34.0), Some(0.0)];
        assert_eq!(prior.called(&pairs, &favoured), Some(1));
        assert_eq!(prior.called(&pairs, &[Some(-24.0), Some(0.0)]), None);
        // On a flat prior the reads need e^9.2 (99 to 1, halved).
        let flat = AllelePrior::default();
        assert_eq!(flat.called(&pairs, &[Some(-9.5), Some(0.0)]), Some(1));
        assert_eq!(flat.called(&pairs, &[Some(-8.9), Some(0.0)]), None);
        // One copy opposite a *5, the *4 position missing: *4 (595) or
        // *10 (820), 58 % for *10, not a call.
        let pairs = [vec!["*4"], vec!["*10"]];
        let p = prior.posterior(&pairs, &[None, None]);
        assert!((p[1] - 820.0 / 1415.0).abs() < 1e-9, "{p:?}");
        assert_eq!(prior.called(&pairs, &[None, None]), None);
    }

    #[test]
    fn an_allele_the_panels_lack_counts_half_a_haplotype() {
        let prior = cyp2d6();
        let pairs = [vec!["*1", "*10"], vec!["*1", "*101"]];
        let p = prior.posterior(&pairs, &[None, None]);
        assert!((p[1] - 0.5 / 820.5).abs() < 1e-9, "{p:?}");
        // Without frequencies every allele is alike.
        let flat = AllelePrior::new(None);
        assert_eq!(flat.posterior(&pairs, &[None, None]), [0.5, 0.5]);
        // An impossible candidate has none.
        let impossible = Some(f64::NEG_INFINITY);
        assert_eq!(flat.posterior(&pairs, &[impossible, None]), [0.0, 1.0]);
        assert_eq!(flat.posterior(&pairs, &[impossible; 2]), [0.0, 0.0]);
    }
}
