//! The named alleles an unphased DPYD or RYR1 sample may carry: the
//! haplotype list of PharmCAT's lowest-function path, without enumerating
//! sequences when the genotypes allow it.
//!
//! PharmCAT lists every named allele that matches one of the sequences the
//! genotypes allow, and lists an allele twice when some combination
//! diplotype (each sequence explained by the non-overlapping named alleles
//! it carries, paired with its complement) has it on both haplotypes. Both
//! follow from each allele's strands per phase block
//! ([`allele_pairs::compatible_alleles`]):
//!
//! - an allele matches some sequence when every block has a strand it
//!   matches;
//! - a sequence and its complement take opposite strands in every block, so
//!   a non-reference allele is on both haplotypes exactly when it matches
//!   both strands of every block. That holds as long as the combination
//!   step keeps every allele a sequence carries, which it does unless two
//!   carried alleles overlap with cores of different lengths (it then keeps
//!   the longer one);
//! - `Reference` explains a sequence that carries no other allele. It is on
//!   both haplotypes when no other allele matches any sequence, and never
//!   when some allele matches a sequence restricted in one block at most
//!   (it is then on one of each complementary pair).
//!
//! Data outside those cases (overlapping cores of different lengths, or
//! only alleles restricted in several blocks) gets `None`, and the caller
//! enumerates the sequences as PharmCAT does.

use std::collections::{BTreeSet, HashMap};

use crate::allele_pairs::{self, BOTH_STRANDS};
use crate::diplotype::{compare_permutations, DiplotypeMatch};
use crate::match_data::MatchData;

/// The name of the reference allele.
pub(crate) const REFERENCE: &str = "Reference";

/// What the lowest-function haplotype list is built from.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PossibleAlleles {
    /// Named alleles matching some sequence, in PharmCAT's haplotype-match
    /// order.
    pub names: Vec<String>,
    /// Names on both haplotypes of some combination diplotype.
    pub homozygous: BTreeSet<String>,
}

/// From expanded combination data and its combination diplotypes (PharmCAT's
/// way).
pub(crate) fn enumerated(combo: &MatchData<'_>, matches: &[DiplotypeMatch]) -> PossibleAlleles {
    let mut homozygous = BTreeSet::new();
    for dm in matches {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for hap in std::iter::once(&dm.haplotype_1).chain(&dm.haplotype_2) {
            for name in &hap.components {
                if !hap.partial || name != REFERENCE {
                    *counts.entry(name.as_str()).or_default() += 1;
                }
            }
        }
        homozygous.extend(
            counts
                .into_iter()
                .filter(|(_, n)| *n > 1)
                .map(|(k, _)| k.to_owned()),
        );
    }
    let names = compare_permutations(combo)
        .into_iter()
        .map(|m| m.name)
        .collect();
    PossibleAlleles { names, homozygous }
}

/// From the strands each allele matches, for unexpanded combination data
/// (more than two sequences); `None` outside the cases the module
/// describes.
pub(crate) fn from_strands(data: &MatchData<'_>) -> Option<PossibleAlleles> {
    let fits = allele_pairs::compatible_alleles(data);
    let others: Vec<_> = fits.iter().filter(|f| !f.haplotype.reference).collect();
    for (i, a) in others.iter().enumerate() {
        for b in &others[i + 1..] {
            let (ca, cb) = (&a.haplotype.core, &b.haplotype.core);
            if ca.len() != cb.len() && ca.iter().any(|x| cb.contains(x)) {
                return None;
            }
        }
    }
    let mut homozygous: BTreeSet<String> = others
        .iter()
        .filter(|f| f.both)
        .map(|f| f.haplotype.name.clone())
        .collect();
    let restricted = |strands: &[u8]| strands.iter().filter(|&&s| s != BOTH_STRANDS).count();
    if others.is_empty() {
        homozygous.insert(REFERENCE.to_owned());
    } else if !others.iter().any(|f| restricted(&f.strands) <= 1) {
        return None;
    }
    if !data.haplotypes.iter().any(|h| h.reference) {
        // No sequence is explained without the reference allele.
        homozygous.clear();
    }
    let names = fits.iter().map(|f| f.haplotype.name.clone()).collect();
    Some(PossibleAlleles { names, homozygous })
}
