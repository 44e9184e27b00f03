//! CYP2D6's 5′ definition positions beside a *13, as the matcher takes
//! them.
//!
//! A *13 is CYP2D7 from its 5′ end into intron 1 and CYP2D6 after: its
//! 5′ reads align to CYP2D7, so at CYP2D6's 5′ positions (exon 1 and
//! upstream, past the gene body the copy-number stage measures) the pileup
//! reads the other chromosome's full genes alone, and, from the few
//! fragments that cross the breakpoint, CYP2D7's base where the paralogs
//! differ. A `*10x2/*13` reads 100C>T as 33 of 33 alternate reads while
//! its other *10 positions are heterozygous, which no allele pair
//! explains (no match); a `*2x2/*13` reads CYP2D7's 31A from those
//! fragments, which makes `*1/*35` a candidate beside `*1/*2`.
//!
//! For matching, the genotype at each 5′ position is rewritten as the
//! full genes' allele opposite the reference: the *13's own 5′ alleles are
//! not CYP2D6 sequence and the call writes it `*13` whatever its SNVs
//! name. The full genes carry the one allele the reads show; of a
//! reference and a non-reference allele, the non-reference one, except
//! CYP2D7's base at a site where the paralogs differ opposite the
//! reference, which is the crossing fragments' (the full genes carry the
//! reference). Two non-reference alleles tell nothing and stay as read.
//! The genotypes table keeps what the reads show; only the matcher's input
//! is rewritten.
//!
//! A candidate of such a sample whose two haplotypes differ only past the
//! body (`*1/*43`: *43 is 77G>A in exon 1 alone) is the full genes' allele
//! on both chromosomes as far as the reads can tell: the *13's CYP2D6
//! part reads as the full genes', and its 5′ end is CYP2D7
//! ([`full_genes_pair`]; `*43x2/*13`).

use std::collections::HashMap;

use tailor_definitions::cyp2d_locus::{differing_sites, SiteKind, CYP2D6_BODY};
use tailor_definitions::{GeneDefinition, VariantDefinition};

use crate::cyp2d6_structure::CopyNumberEvidence;
use crate::iupac::allele_matches;
use crate::sample::SampleAllele;

/// Whether the copy numbers show a *13 alone: fewer copies at the 5′ end
/// than in the body, exon 9 as the body, no pattern left unresolved.
pub(crate) fn shows_star13(evidence: &CopyNumberEvidence) -> bool {
    match evidence.body {
        Some(body) => {
            !evidence.hybrid_unresolved
                && evidence.exon9.is_none_or(|e| e == body)
                && evidence.five_prime.is_some_and(|f| f < body)
        }
        None => false,
    }
}

/// Rewrites CYP2D6 genotypes beside a *13 for matching (module docs).
#[derive(Debug, Clone, Default)]
pub(crate) struct Star13Rewrite {
    /// CYP2D7's base (upper case) at each CYP2D6 SNV position where the
    /// paralogs differ.
    cyp2d7_bases: HashMap<u32, String>,
}

impl Star13Rewrite {
    /// From the embedded CYP2D6/CYP2D7 alignment; without it (never in a
    /// release build: it is compiled in and tested) no site counts as
    /// differing, and a *13's crossing fragments stay as read.
    pub(crate) fn new() -> Self {
        let cyp2d7_bases = differing_sites()
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.kind == SiteKind::Snv)
            .filter_map(|s| {
                let base = char::from(s.cyp2d7_base?).to_ascii_uppercase();
                Some((s.cyp2d6_position, base.to_string()))
            })
            .collect();
        Self { cyp2d7_bases }
    }

    /// `genotypes` (one per definition position of `variants`) with each
    /// 5′ position's genotype the full genes' allele opposite the
    /// reference.
    pub(crate) fn rewrite(
        &self,
        variants: &[VariantDefinition],
        genotypes: &[Option<SampleAllele>],
    ) -> Vec<Option<SampleAllele>> {
        variants
            .iter()
            .zip(genotypes)
            .map(|(variant, genotype)| {
                let position = variant.position.get();
                if position <= CYP2D6_BODY.end {
                    return genotype.clone();
                }
                let full = genotype
                    .as_ref()
                    .and_then(|g| self.full_genes_allele(variant, position, g));
                match full {
                    Some(allele) => Some(SampleAllele::diploid(
                        &variant.reference,
                        &allele,
                        false,
                        None,
                    )),
                    None => genotype.clone(),
                }
            })
            .collect()
    }

    /// The allele the full genes carry at `position`, given the reads'
    /// `genotype` there; `None` when it cannot be told (two non-reference
    /// alleles, a strand missing).
    fn full_genes_allele(
        &self,
        variant: &VariantDefinition,
        position: u32,
        genotype: &SampleAllele,
    ) -> Option<String> {
        let reference = variant.reference.as_str();
        let (a, b) = match (&genotype.allele_1, &genotype.allele_2) {
            (Some(a), Some(b)) => (a.as_str(), b.as_str()),
            (Some(a), None) if !genotype.second_missing => (a.as_str(), a.as_str()),
            _ => return None,
        };
        if a == b {
            return Some(a.to_owned());
        }
        let other = match (a == reference, b == reference) {
            (true, false) => b,
            (false, true) => a,
            _ => return None,
        };
        let crossing = self.cyp2d7_bases.get(&position).map(String::as_str) == Some(other);
        Some(if crossing { reference } else { other }.to_owned())
    }
}

/// The full genes' allele of a *13 sample's candidate
/// `haplotype_1/haplotype_2` whose haplotypes differ only past the gene
/// body (an ambiguity code counts as any base it allows), where one alone
/// carries non-reference alleles (module docs); `None` otherwise.
pub(crate) fn full_genes_pair<'a>(
    haplotype_1: &'a str,
    haplotype_2: &'a str,
    gene: &GeneDefinition,
) -> Option<&'a str> {
    let (first, second) = (
        gene.named_allele(haplotype_1)?,
        gene.named_allele(haplotype_2)?,
    );
    let mut carriers = [false; 2];
    for (i, variant) in gene.variants.iter().enumerate() {
        let reference = variant.reference.as_str();
        let cell = |alleles: &[Option<String>]| {
            alleles
                .get(i)
                .and_then(Option::as_deref)
                .unwrap_or(reference)
                .to_owned()
        };
        let (a, b) = (cell(&first.alleles), cell(&second.alleles));
        if variant.position.get() <= CYP2D6_BODY.end {
            // A code the other cell satisfies tells nothing apart (*1
            // reads `R` at 42,128,813).
            if !(allele_matches(&a, &b) || allele_matches(&b, &a)) {
                return None;
            }
        } else {
            carriers[0] |= !allele_matches(&a, reference);
            carriers[1] |= !allele_matches(&b, reference);
        }
    }
    match carriers {
        [true, false] => Some(haplotype_1),
        [false, true] => Some(haplotype_2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use tailor_definitions::Definitions;

    use super::*;

    fn evidence(body: u8, exon9: Option<u8>, five_prime: Option<u8>) -> CopyNumberEvidence {
        CopyNumberEvidence {
            body: Some(body),
            exon9,
            five_prime,
            hybrid_unresolved: false,
        }
    }

    #[test]
    fn a_star13_is_fewer_copies_at_the_five_prime_end_alone() {
        assert!(shows_star13(&evidence(3, None, Some(2))));
        assert!(!shows_star13(&evidence(3, None, Some(4))));
        assert!(!shows_star13(&evidence(3, Some(2), Some(2))));
        assert!(!shows_star13(&evidence(2, None, None)));
        let unresolved = CopyNumberEvidence {
            hybrid_unresolved: true,
            ..evidence(3, None, Some(2))
        };
        assert!(!shows_star13(&unresolved));
        assert!(!shows_star13(&CopyNumberEvidence::default()));
    }

    /// CYP2D6's definition positions, every one homozygous reference
    /// except `set` (position, allele 1, allele 2).
    fn genotypes(
        variants: &[VariantDefinition],
        set: &[(u32, &str, &str)],
    ) -> Vec<Option<SampleAllele>> {
        variants
            .iter()
            .map(|v| {
                let p = v.position.get();
                let (a, b) = set
                    .iter()
                    .find(|(q, _, _)| *q == p)
                    .map_or((v.reference.as_str(), v.reference.as_str()), |(_, a, b)| {
                        (*a, *b)
                    });
                Some(SampleAllele::diploid(a, b, false, None))
            })
            .collect()
    }

    #[test]
    fn five_prime_positions_read_the_full_genes_opposite_the_reference() {
        let definitions = Definitions::embedded().unwrap();
        let variants = &definitions.gene("CYP2D6").unwrap().variants;
        let rewrite = Star13Rewrite::new();
        // 100C>T (42,130,692 G>A) read A/A from the *10 full genes; 31G>A
        // (42,130,761 C>T, where CYP2D7 has T) read C/T from the crossing
        // fragments; 4180G>C (42,126,611, in the body) stays as read.
        let read = genotypes(
            variants,
            &[
                (42_130_692, "A", "A"),
                (42_130_761, "C", "T"),
                (42_126_611, "C", "G"),
            ],
        );
        let rewritten = rewrite.rewrite(variants, &read);
        let expected = genotypes(variants, &[(42_130_692, "G", "A"), (42_126_611, "C", "G")]);
        assert_eq!(rewritten, expected);
        // 31G>A read T/T: the full genes carry it (a *35x2/*13).
        let read = genotypes(variants, &[(42_130_761, "T", "T")]);
        let expected = genotypes(variants, &[(42_130_761, "C", "T")]);
        assert_eq!(rewrite.rewrite(variants, &read), expected);
        // A non-reference allele CYP2D7 does not carry: the full genes'.
        let read = genotypes(variants, &[(42_130_692, "G", "A")]);
        assert_eq!(rewrite.rewrite(variants, &read), read);
    }

    #[test]
    fn haplotypes_that_differ_past_the_body_alone_are_the_full_genes() {
        let definitions = Definitions::embedded().unwrap();
        let gene = definitions.gene("CYP2D6").unwrap();
        assert_eq!(full_genes_pair("*1", "*43", gene), Some("*43"));
        assert_eq!(full_genes_pair("*43", "*1", gene), Some("*43"));
        // *2 and *35 differ at 31G>A alone, but both carry *2's body.
        assert_eq!(full_genes_pair("*2", "*35", gene), Some("*35"));
        // *1 and *10 differ in the body (4180G>C): the balance tells.
        assert_eq!(full_genes_pair("*1", "*10", gene), None);
        assert_eq!(full_genes_pair("*1", "*1", gene), None);
        assert_eq!(full_genes_pair("*1", "*999", gene), None);
    }

    #[test]
    fn untold_five_prime_genotypes_stay_as_read() {
        let definitions = Definitions::embedded().unwrap();
        let variants = &definitions.gene("CYP2D6").unwrap().variants;
        let rewrite = Star13Rewrite::new();
        let i = variants
            .iter()
            .position(|v| v.position.get() == 42_130_692)
            .unwrap();
        let mut read = genotypes(variants, &[]);
        read[i] = Some(SampleAllele::half_missing("A", true, false));
        assert_eq!(rewrite.rewrite(variants, &read), read);
        read[i] = None;
        assert_eq!(rewrite.rewrite(variants, &read), read);
        read[i] = Some(SampleAllele::diploid("A", "T", false, None));
        assert_eq!(rewrite.rewrite(variants, &read), read);
    }
}
