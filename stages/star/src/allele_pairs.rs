//! Diplotypes of unphased genotypes without enumerating sequences.
//!
//! PharmCAT expands the genotypes into every haplotype sequence they allow
//! (`2^n` for `n` unphased heterozygous positions), matches each named
//! allele against each sequence, and pairs sequences that complement each
//! other. The answer depends only on which strand each phase block can give
//! an allele, so it is reached here directly:
//!
//! 1. For each named allele (reduced to the sample's positions), each phase
//!    block ([`MatchData::varying_block`]) gets the set of strands whose
//!    alleles it matches (IUPAC codes by [`iupac::allele_matches`]); an
//!    allele with an empty set anywhere is not compatible.
//! 2. Two compatible alleles explain the genotypes when every block lets one
//!    take strand 1 and the other strand 2: at every position the pair's
//!    alleles are the sample's genotype.
//! 3. The score is PharmCAT's best over all sequence pairs: each allele's
//!    score less one per wobble (IUPAC cell) that sees only the reference
//!    base. Blocks are independent, so the best pair takes, block by block,
//!    the strand choice that loses least.
//!
//! The candidates, scores and order equal the enumeration's
//! ([`crate::diplotype::compute`] on expanded data), which a test checks on
//! thousands of genotype vectors.

use std::cmp::Ordering;

use crate::diplotype::{DiplotypeMatch, HaplotypeMatch};
use crate::iupac;
use crate::match_data::{Haplotype, MatchData};
use crate::name_order::compare_haplotype_names;

/// Strand 1 of a block.
const STRAND_1: u8 = 1;
/// Strand 2 of a block.
const STRAND_2: u8 = 2;

/// Both strands of a block.
pub(crate) const BOTH_STRANDS: u8 = STRAND_1 | STRAND_2;

/// A named allele compatible with the genotypes.
pub(crate) struct Fit<'d> {
    /// The allele.
    pub haplotype: &'d Haplotype,
    /// Per varying block: the strands (`STRAND_1 | STRAND_2`) it matches.
    pub strands: Vec<u8>,
    /// Whether it matches both strands of every varying block (it then
    /// matches the complementary sequence too).
    pub both: bool,
}

/// The named alleles that match at least one sequence the genotypes allow,
/// in PharmCAT's haplotype-match order (names, then score), duplicates
/// dropped.
pub(crate) fn compatible_alleles<'d>(data: &'d MatchData<'_>) -> Vec<Fit<'d>> {
    let mut fits: Vec<Fit<'d>> = data
        .haplotypes
        .iter()
        .filter_map(|h| fit(data, h))
        .collect();
    fits.sort_by(|a, b| compare_fits(a, b));
    fits.dedup_by(|a, b| compare_fits(a, b) == Ordering::Equal);
    fits
}

/// Every pair of compatible named alleles that explains the genotypes, with
/// PharmCAT's score, unsorted. For data with more than two sequences
/// (not effectively phased, not haploid).
pub(crate) fn pair_named_alleles(data: &MatchData<'_>) -> Vec<DiplotypeMatch> {
    let fits = compatible_alleles(data);
    let mut out = Vec::new();
    for (i, a) in fits.iter().enumerate() {
        for b in &fits[i..] {
            let same = std::ptr::eq(a, b);
            if same && a.strands.iter().all(|&s| s != STRAND_1 | STRAND_2) {
                // Matches a single sequence: cannot be on both strands.
                continue;
            }
            if let Some(score) = pair_score(data, a, b, same) {
                let mut dm = DiplotypeMatch::new(
                    HaplotypeMatch::named(a.haplotype, Vec::new()),
                    Some(HaplotypeMatch::named(b.haplotype, Vec::new())),
                );
                dm.score = score;
                out.push(dm);
            }
        }
    }
    out
}

fn compare_fits(a: &Fit<'_>, b: &Fit<'_>) -> Ordering {
    compare_haplotype_names(&a.haplotype.name, &b.haplotype.name)
        .then_with(|| a.haplotype.score.cmp(&b.haplotype.score))
}

/// The strands `haplotype` matches per varying block, or `None` when some
/// position has no allele it matches.
fn fit<'d>(data: &MatchData<'_>, haplotype: &'d Haplotype) -> Option<Fit<'d>> {
    let mut strands = vec![STRAND_1 | STRAND_2; data.varying_blocks];
    for (x, cell) in haplotype.cells.iter().enumerate() {
        let Some(expected) = cell else { continue };
        let on_1 = iupac::allele_matches(expected, data.strand_allele(x, true));
        match data.varying_block[x] {
            None => {
                if !on_1 {
                    return None;
                }
            }
            Some(block) => {
                let on_2 = iupac::allele_matches(expected, data.strand_allele(x, false));
                let allowed = &mut strands[block];
                *allowed &= (u8::from(on_1) * STRAND_1) | (u8::from(on_2) * STRAND_2);
                if *allowed == 0 {
                    return None;
                }
            }
        }
    }
    let both = strands.iter().all(|&s| s == STRAND_1 | STRAND_2);
    Some(Fit {
        haplotype,
        strands,
        both,
    })
}

/// Whether strand `strand_a` of a block can go to `a` and the other strand
/// to `b`.
fn allows(a: u8, b: u8, strand_a: u8) -> bool {
    let strand_b = (STRAND_1 | STRAND_2) ^ strand_a;
    (a & strand_a) != 0 && (b & strand_b) != 0
}

/// PharmCAT's score of the diplotype `a`/`b`: the best over the sequence
/// pairs that explain the genotypes, or `None` when there is none.
///
/// An allele's wobble loses a point when every sequence the allele is
/// scored on carries the reference base there. Scored on the pair's two
/// sequences (an allele that matches both, `Fit::both`, of a heterozygous
/// diplotype), that happens only where the two sequences agree on the
/// reference; scored on its own sequence, it depends on the strand its
/// block gives it, chosen per block to lose least.
fn pair_score(data: &MatchData<'_>, a: &Fit<'_>, b: &Fit<'_>, same: bool) -> Option<i32> {
    let mut choices = Vec::with_capacity(data.varying_blocks);
    for (&sa, &sb) in a.strands.iter().zip(&b.strands) {
        let options = [allows(sa, sb, STRAND_1), allows(sa, sb, STRAND_2)];
        if options == [false, false] {
            return None;
        }
        choices.push(options);
    }
    // Loss per varying block for a taking strand 1 / strand 2.
    let mut loss: Vec<[i32; 2]> = vec![[0, 0]; data.varying_blocks];
    let mut fixed = 0;
    for (fit, first) in [(a, true), (b, false)] {
        let on_both = !same && fit.both;
        for &w in &fit.haplotype.wobbles {
            let reference = data.reference_at(w);
            let on_1 = data.strand_allele(w, true) == reference;
            let on_2 = data.strand_allele(w, false) == reference;
            match data.varying_block[w] {
                Some(block) if on_1 != on_2 || !on_both => {
                    if on_both {
                        // Scored on both sequences, which differ here.
                        continue;
                    }
                    // a takes strand 1 (index 0): b takes strand 2.
                    let (if_a_1, if_a_2) = if first { (on_1, on_2) } else { (on_2, on_1) };
                    loss[block][0] += i32::from(if_a_1);
                    loss[block][1] += i32::from(if_a_2);
                }
                _ => fixed += i32::from(on_1),
            }
        }
    }
    let variable: i32 = loss
        .iter()
        .zip(&choices)
        .map(|(l, c)| match c {
            [true, true] => l[0].min(l[1]),
            [true, false] => l[0],
            _ => l[1],
        })
        .sum();
    let score = a.haplotype.score + b.haplotype.score - fixed - variable;
    Some(score.max(0))
}
