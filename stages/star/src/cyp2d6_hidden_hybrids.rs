//! Hybrid pairs that leave no trace in the share profile: a `*13` on one
//! chromosome and a `*68+*4` on the other.
//!
//! A `*68` is CYP2D6's 5′ end on CYP2D7's body and a `*13` CYP2D7's 5′
//! end on CYP2D6's body. Both switch genes in intron 1, so together they
//! move one 5′ end from CYP2D7 to CYP2D6 and one body back: the CYP2D6
//! copies are 2 at the 5′ end, the body and exon 9 alike, as in a genome
//! without a hybrid. Their SNVs read as `*4` (the `*68+*4` tandem's full
//! gene) beside an allele with the `*68`'s 5′ end, which carries `*4`'s
//! exon 1, and the `*13`'s body. Where the breakpoints fall in the 650
//! bases of intron 1 where CYP2D6 and CYP2D7 do not differ, no short read
//! tells the two apart (two simulated `*13/*68+*4` of 200 were called
//! `*4/*10`), so such a call is left `hybrid_unresolved`.

use tailor_definitions::GeneDefinition;

use crate::cyp2d6_structure::{CopyNumberEvidence, BODY_END};
use crate::iupac::{allele_matches, is_wobble};

/// The `*68+*4` tandem's full gene.
const STAR4: &str = "*4";

/// Whether the flat profile of `evidence` and the SNV haplotypes
/// `haplotype_1/haplotype_2` read the same as `*13/*68+*4`: 2 body copies,
/// no hybrid at either end, one haplotype `*4` and the other with alleles
/// `*4`'s definition allows (its suballeles' ambiguity codes) at every
/// definition position of the 5′ end, at least one of them a variant
/// (`*10`'s 100C>T). An other allele with the reference exon 1 (`*4/*1`)
/// would need a `*4` suballele without 100C>T in the tandem, and `*4/*4`
/// has the activity of `*13/*68+*4` (0): both are left named.
pub(crate) fn could_be_star13_with_star68(
    haplotype_1: &str,
    haplotype_2: &str,
    evidence: &CopyNumberEvidence,
    gene: &GeneDefinition,
) -> bool {
    let flat =
        evidence.body == Some(2) && evidence.exon9.is_none() && evidence.five_prime.is_none();
    let other = match (haplotype_1, haplotype_2) {
        (STAR4, other) | (other, STAR4) => other,
        _ => return false,
    };
    let (Some(star4), Some(other)) = (gene.named_allele(STAR4), gene.named_allele(other)) else {
        return false;
    };
    let cells = gene
        .variants
        .iter()
        .enumerate()
        .filter(|(_, v)| v.position.get() > BODY_END)
        .map(|(i, v)| {
            let cell = |alleles: &[Option<String>]| alleles.get(i).cloned().flatten();
            (
                v.reference.as_str(),
                cell(&star4.alleles),
                cell(&other.alleles),
            )
        });
    let mut carries_star4_exon1 = false;
    for (reference, star4, other) in cells {
        let star4 = star4.as_deref().unwrap_or(reference);
        let Some(other) = other else {
            if star4 != reference && !allele_matches(star4, reference) {
                return false;
            }
            continue;
        };
        if other != star4 && !allele_matches(star4, &other) {
            return false;
        }
        carries_star4_exon1 |= other != reference && !is_wobble(&other);
    }
    flat && carries_star4_exon1
}

#[cfg(test)]
mod tests {
    use tailor_definitions::Definitions;

    use super::*;

    fn two_copies() -> CopyNumberEvidence {
        CopyNumberEvidence {
            body: Some(2),
            ..CopyNumberEvidence::default()
        }
    }

    #[test]
    fn star4_beside_an_allele_with_its_exon_1() {
        let definitions = Definitions::embedded().unwrap();
        let gene = definitions.gene("CYP2D6").unwrap();
        // *10 carries *4's 100C>T: *4/*10 reads as *13/*68+*4.
        assert!(could_be_star13_with_star68(
            "*4",
            "*10",
            &two_copies(),
            gene
        ));
        assert!(could_be_star13_with_star68(
            "*10",
            "*4",
            &two_copies(),
            gene
        ));
        // *1 has exon 1's reference base, *4/*4 no other allele, *1/*10 no *4.
        assert!(!could_be_star13_with_star68(
            "*4",
            "*4",
            &two_copies(),
            gene
        ));
        assert!(!could_be_star13_with_star68(
            "*4",
            "*1",
            &two_copies(),
            gene
        ));
        assert!(!could_be_star13_with_star68(
            "*1",
            "*10",
            &two_copies(),
            gene
        ));
        // Three copies, or a hybrid seen at an end: another structure.
        let three = CopyNumberEvidence {
            body: Some(3),
            ..CopyNumberEvidence::default()
        };
        assert!(!could_be_star13_with_star68("*4", "*10", &three, gene));
        let five_prime = CopyNumberEvidence {
            five_prime: Some(3),
            ..two_copies()
        };
        assert!(!could_be_star13_with_star68("*4", "*10", &five_prime, gene));
    }
}
