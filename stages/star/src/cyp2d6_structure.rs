//! CYP2D6 structure: the SNV-based diplotype joined with the copy number
//! and hybrids seen in the reads, in PharmVar notation (`*1/*5`,
//! `*1x2/*4`, `*4x2/*5`, `*10/*36x2`, `*68+*4/*5`), with CPIC's activity
//! score for duplications (each allele's activity value times its copies).
//!
//! The copy-number evidence comes from the copy-number stage as plain
//! numbers (no stage depends on another): CYP2D6 copies of the gene body,
//! of exon 9 and of the 5′ end. Fewer at exon 9 are *36 copies (they carry
//! *10's SNVs, so the SNV call reads *10), more at the 5′ end are *68
//! copies (in tandem with *4), fewer at the 5′ end are *13. Which allele a
//! duplication copies comes from the allele balance at heterozygous
//! positions that tell the two haplotypes apart: at 3 copies the duplicated
//! allele reads 2/3.

use tailor_definitions::cyp2d_locus::CYP2D6_BODY;
use tailor_schemas::calls::flags;

use crate::duplicated_allele::{duplicated_copies, duplicated_copies_among};
use crate::phenotype::PhenotypeTables;
use crate::structured_haplotype::StructuredHaplotype;

/// First CYP2D6 position (GRCh38) of the gene body, where every copy the
/// body's copy number counts is CYP2D6 sequence: past a *36's CYP2D7 exon
/// 9 (exon 8 starts here).
const BODY_START: u32 = CYP2D6_BODY.start;
/// Last CYP2D6 position of the gene body: short of a *68's CYP2D6 and a
/// *13's CYP2D7 5′ end (exon 1 and the end of intron 1).
pub(crate) const BODY_END: u32 = CYP2D6_BODY.end;

/// CYP2D6 copy numbers from the reads (see `tailor_copy_number`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CopyNumberEvidence {
    /// Copies of the gene body (exons 2-8); `None` when not callable.
    pub body: Option<u8>,
    /// Copies at exon 9 when they differ from the body's (*36).
    pub exon9: Option<u8>,
    /// Copies at the 5′ end when they differ from the body's (*68, *13).
    pub five_prime: Option<u8>,
    /// The share changes along the gene in a way no pattern names.
    pub hybrid_unresolved: bool,
}

/// Reads supporting each haplotype's allele at one heterozygous position
/// that tells the two haplotypes apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlleleBalance {
    /// The position (1-based).
    pub position: u32,
    /// Reads with haplotype 1's allele.
    pub haplotype_1: u32,
    /// Reads with haplotype 2's allele.
    pub haplotype_2: u32,
}

/// A CYP2D6 call with structure.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuredCall {
    /// `*1x2/*4`, or `None` when the evidence cannot name one.
    pub diplotype: Option<String>,
    /// Activity score per CPIC.
    pub activity_score: Option<f64>,
    /// Phenotype from the activity score.
    pub phenotype: Option<String>,
    /// CYP2D6 copies (gene body), when known.
    pub copy_number: Option<u8>,
    /// Flags for the calls table ([`flags`]).
    pub flags: Vec<&'static str>,
}

/// Joins the SNV-based diplotype `haplotype_1/haplotype_2` with the copy
/// numbers and the allele balance into a structured call.
pub fn structure_cyp2d6(
    haplotype_1: &str,
    haplotype_2: &str,
    evidence: &CopyNumberEvidence,
    balance: &[AlleleBalance],
    tables: &PhenotypeTables,
) -> StructuredCall {
    let mut call = StructuredCall {
        diplotype: None,
        activity_score: None,
        phenotype: None,
        copy_number: evidence.body,
        flags: Vec::new(),
    };
    let Some(body) = evidence.body else {
        call.flags.push(flags::COPY_NUMBER_NOT_CALLABLE);
        return call;
    };
    if evidence.hybrid_unresolved {
        call.flags.push(flags::HYBRID_UNRESOLVED);
        return call;
    }
    match arrange(haplotype_1, haplotype_2, body, evidence, balance) {
        Ok([first, second]) => {
            let score = first
                .activity(tables)
                .zip(second.activity(tables))
                .map(|(a, b)| a + b);
            call.diplotype = Some(format!("{}/{}", first.name(), second.name()));
            call.activity_score = score;
            call.phenotype = score.and_then(|s| tables.phenotype_of_activity("CYP2D6", s));
            if call.phenotype.is_none() {
                call.flags.push(flags::NO_PHENOTYPE);
            }
        }
        Err(flag) => call.flags.push(flag),
    }
    call
}

/// The two arrangements, or the flag saying why there are none. Where an
/// end of the gene shows a hybrid, a structure that cannot be named is
/// `hybrid_unresolved` (never a call without the hybrid); both ends
/// differing at once (*36+*10/*68+*4) is not named either.
fn arrange(
    haplotype_1: &str,
    haplotype_2: &str,
    body: u8,
    evidence: &CopyNumberEvidence,
    balance: &[AlleleBalance],
) -> Result<[StructuredHaplotype; 2], &'static str> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let exon9 = evidence.exon9.unwrap_or(body);
    let five_prime = evidence.five_prime.unwrap_or(body);
    let hybrid = |_| flags::HYBRID_UNRESOLVED;
    let body_balance = body_balance(evidence, balance);
    let balance = body_balance.as_slice();
    match (exon9.cmp(&body), five_prime.cmp(&body)) {
        (Equal, Equal) => duplicated(haplotype_1, haplotype_2, body, balance),
        (Less, Equal) => with_cyp2d6_36(haplotype_1, haplotype_2, exon9, body - exon9, balance),
        (Equal, Greater) => duplicated(haplotype_1, haplotype_2, body, balance)
            .and_then(|genes| with_cyp2d6_68(genes, five_prime - body))
            .map_err(hybrid),
        (Equal, Less) => with_cyp2d6_13(
            haplotype_1,
            haplotype_2,
            five_prime,
            body - five_prime,
            balance,
        )
        .map_err(hybrid),
        _ => Err(flags::HYBRID_UNRESOLVED),
    }
}

/// CYP2D6/CYP2D7 hybrids a star-allele name can carry (*13 CYP2D7-2D6;
/// *36, *68 and *83 CYP2D6-2D7; Pratt et al., J Mol Diagn 23:1047, 2021,
/// table 4).
const HYBRID_ALLELES: [&str; 4] = ["*13", "*36", "*68", "*83"];

/// Whether `allele` names a hybrid that the copy numbers along the gene
/// do not show: a *36 or *83 without fewer copies at exon 9 than in the
/// body, a *68 without more at the 5′ end, a *13 without fewer there.
pub(crate) fn unseen_hybrid(allele: &str, evidence: &CopyNumberEvidence) -> bool {
    let Some(body) = evidence.body else {
        return HYBRID_ALLELES.contains(&allele);
    };
    let exon9 = evidence.exon9.unwrap_or(body);
    let five_prime = evidence.five_prime.unwrap_or(body);
    match allele {
        "*36" | "*83" => exon9 >= body,
        "*68" => five_prime <= body,
        "*13" => five_prime >= body,
        _ => false,
    }
}

/// The positions of `balance` that read every copy the body's copy number
/// counts. A hybrid's copies show in the pileup only where they are
/// CYP2D6 sequence: an end of the gene whose copies differ from the body's
/// is left out (at 4180G>C a *36+*10/*1x2 reads the *10 in 1 of 3 copies,
/// not 2 of 4).
pub(crate) fn body_balance(
    evidence: &CopyNumberEvidence,
    balance: &[AlleleBalance],
) -> Vec<AlleleBalance> {
    let Some(body) = evidence.body else {
        return balance.to_vec();
    };
    let exon9 = evidence.exon9.unwrap_or(body);
    let five_prime = evidence.five_prime.unwrap_or(body);
    let kept = |position: u32| {
        (exon9 == body || position >= BODY_START) && (five_prime == body || position <= BODY_END)
    };
    balance
        .iter()
        .filter(|b| kept(b.position))
        .copied()
        .collect()
}

/// Full genes only: `copies` of them over the two haplotypes (0 is
/// `*5/*5`, 1 is hemizygous over `*5`).
fn duplicated(
    haplotype_1: &str,
    haplotype_2: &str,
    copies: u8,
    balance: &[AlleleBalance],
) -> Result<[StructuredHaplotype; 2], &'static str> {
    let single = StructuredHaplotype::single;
    let same = haplotype_1 == haplotype_2;
    match copies {
        0 => Ok([single("*5", 1), single("*5", 1)]),
        1 if same => Ok([single(haplotype_1, 1), single("*5", 1)]),
        1 => Err(flags::COPY_NUMBER_CONFLICT),
        2 => Ok([single(haplotype_1, 1), single(haplotype_2, 1)]),
        n if same => Ok([single(haplotype_1, n - 1), single(haplotype_2, 1)]),
        n => {
            let first = duplicated_copies(n, balance).ok_or(flags::DUPLICATION_UNRESOLVED)?;
            Ok([single(haplotype_1, first), single(haplotype_2, n - first)])
        }
    }
}

/// `hybrids` *36 copies (CYP2D7 exon 9, *10's SNVs) with `genes` full
/// genes: `*10/*36x2` for one full gene, `*36+*10/*1` for two, and with
/// more full genes the other allele duplicated (`*36+*10/*1x2`) when the
/// allele balance says so, or `*36+*10/*10x2` when both are *10: the *10 side reads `1 + hybrids` of the body's
/// copies (the *36 carries *10's SNVs).
fn with_cyp2d6_36(
    haplotype_1: &str,
    haplotype_2: &str,
    genes: u8,
    hybrids: u8,
    balance: &[AlleleBalance],
) -> Result<[StructuredHaplotype; 2], &'static str> {
    let single = StructuredHaplotype::single;
    let (ten, other, ten_first) = match (haplotype_1, haplotype_2) {
        ("*10", other) => ("*10", other, true),
        (other, "*10") => ("*10", other, false),
        _ => return Err(flags::HYBRID_UNRESOLVED),
    };
    match genes {
        1 if other == ten => Ok([single(ten, 1), single("*36", hybrids)]),
        1 => Err(flags::COPY_NUMBER_CONFLICT),
        _ if other != ten => {
            let ten_copies = 1 + hybrids;
            let body = genes + hybrids;
            let expected = if ten_first {
                ten_copies
            } else {
                body - ten_copies
            };
            // The other allele holds 1 to genes - 1 copies (the *10 side
            // keeps one full gene or more); the named arrangement gives it
            // every full gene but one, and the balance must name it among
            // those. With two full genes it needs no balance, but one that
            // names another split contradicts it: a *4x2/*36+*10 whose
            // exon 9 read 2 copies of 4 was called *36x2+*10/*4 while *4
            // read 2 of the 4 body copies, not 1.
            let allowed: Vec<u8> = (1..genes)
                .map(|o| if ten_first { body - o } else { o })
                .collect();
            let named = match duplicated_copies_among(body, &allowed, balance) {
                Some(first) => first == expected,
                None => {
                    genes == 2 && duplicated_copies(body, balance).is_none_or(|f| f == expected)
                }
            };
            if named {
                Ok([
                    single(ten, 1).after("*36", hybrids),
                    single(other, genes - 1),
                ])
            } else {
                Err(flags::HYBRID_UNRESOLVED)
            }
        }
        // *10 on both chromosomes: every arrangement of the full genes
        // holds the same copies (`*36+*10/*10x2` is `*36+*10x2/*10`).
        _ => Ok([single(ten, 1).after("*36", hybrids), single(ten, genes - 1)]),
    }
}

/// `hybrids` *68 copies (CYP2D6 exon 1 on CYP2D7) in tandem upstream of a
/// *4 gene: `*68+*4/*5`.
fn with_cyp2d6_68(
    genes: [StructuredHaplotype; 2],
    hybrids: u8,
) -> Result<[StructuredHaplotype; 2], &'static str> {
    let [first, second] = genes;
    if first.parts == [("*4".to_owned(), 1)] {
        Ok([first.after("*68", hybrids), second])
    } else if second.parts == [("*4".to_owned(), 1)] {
        Ok([second.after("*68", hybrids), first])
    } else {
        Err(flags::HYBRID_UNRESOLVED)
    }
}

/// `hybrids` *13 copies (CYP2D7 5′ on CYP2D6 3′) with `genes` full genes:
/// the *13 replaces the genes on one chromosome, so the full genes are on
/// the other. Its CYP2D6 part is read by the SNVs too, so with one allele
/// called the full genes carry it (`*1x2/*13`); with two alleles and two
/// or more full genes, the allele balance says which: the full genes'
/// allele reads `genes` of the body's copies, the *13's one
/// (`*2x2/*13` when *2 reads 2 of 3). With one full gene both read 1 of 2,
/// and which the *13 carries is not told.
fn with_cyp2d6_13(
    haplotype_1: &str,
    haplotype_2: &str,
    genes: u8,
    hybrids: u8,
    balance: &[AlleleBalance],
) -> Result<[StructuredHaplotype; 2], &'static str> {
    let single = StructuredHaplotype::single;
    if hybrids != 1 {
        return Err(flags::HYBRID_UNRESOLVED);
    }
    if haplotype_1 == haplotype_2 && genes >= 1 {
        return Ok([single(haplotype_1, genes), single("*13", 1)]);
    }
    if haplotype_1 != haplotype_2 && genes >= 2 {
        // Haplotype 1 is on every full gene or on the *13 alone.
        let first = duplicated_copies_among(genes + 1, &[1, genes], balance)
            .ok_or(flags::HYBRID_UNRESOLVED)?;
        return match first {
            c if c == genes => Ok([single(haplotype_1, genes), single("*13", 1)]),
            1 => Ok([single(haplotype_2, genes), single("*13", 1)]),
            _ => Err(flags::HYBRID_UNRESOLVED),
        };
    }
    match duplicated(haplotype_1, haplotype_2, genes, balance)? {
        [first, second] if second.parts[0].0 == "*5" => Ok([first, single("*13", 1)]),
        _ => Err(flags::HYBRID_UNRESOLVED),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(body: u8) -> CopyNumberEvidence {
        CopyNumberEvidence {
            body: Some(body),
            ..CopyNumberEvidence::default()
        }
    }

    fn call(
        h1: &str,
        h2: &str,
        e: CopyNumberEvidence,
        balance: &[AlleleBalance],
    ) -> StructuredCall {
        structure_cyp2d6(h1, h2, &e, balance, &PhenotypeTables::embedded())
    }

    fn balance(haplotype_1: u32, haplotype_2: u32) -> Vec<AlleleBalance> {
        vec![AlleleBalance {
            position: 42_128_945,
            haplotype_1,
            haplotype_2,
        }]
    }

    #[test]
    fn deletion_hemizygous_over_star5() {
        // NA18945: every core position reference, one copy.
        let c = call("*1", "*1", evidence(1), &[]);
        assert_eq!(c.diplotype.as_deref(), Some("*1/*5"));
        assert_eq!(c.activity_score, Some(1.0));
        assert_eq!(c.phenotype.as_deref(), Some("Intermediate Metabolizer"));
        let c = call("*4", "*4", evidence(0), &[]);
        assert_eq!(c.diplotype.as_deref(), Some("*5/*5"));
        assert_eq!(c.phenotype.as_deref(), Some("Poor Metabolizer"));
        // One copy but two different alleles: no call.
        let c = call("*1", "*4", evidence(1), &[]);
        assert_eq!(
            (c.diplotype, c.flags),
            (None, vec![flags::COPY_NUMBER_CONFLICT])
        );
    }

    #[test]
    fn duplicated_allele_from_the_allele_balance() {
        // 3 copies, *1 reads 2/3: *1x2/*4, activity 1 x 2 + 0 = 2.0.
        let c = call("*1", "*4", evidence(3), &balance(40, 20));
        assert_eq!(c.diplotype.as_deref(), Some("*1x2/*4"));
        assert_eq!(c.activity_score, Some(2.0));
        assert_eq!(c.phenotype.as_deref(), Some("Normal Metabolizer"));
        // *4 reads 2/3: *1/*4x2, activity 1.0.
        let c = call("*1", "*4", evidence(3), &balance(20, 40));
        assert_eq!(c.diplotype.as_deref(), Some("*1/*4x2"));
        assert_eq!(c.activity_score, Some(1.0));
        // 1/2: cannot say which.
        let c = call("*1", "*4", evidence(3), &balance(30, 30));
        assert_eq!(c.diplotype, None);
        assert_eq!(c.flags, [flags::DUPLICATION_UNRESOLVED]);
        // Homozygous duplication needs no balance: *2x2/*2 is 3.0, ultrarapid.
        let c = call("*2", "*2", evidence(3), &[]);
        assert_eq!(c.diplotype.as_deref(), Some("*2x2/*2"));
        assert_eq!(c.phenotype.as_deref(), Some("Ultrarapid Metabolizer"));
    }

    #[test]
    fn two_copies_of_one_allele_over_a_deletion() {
        // NA20129 (pangu): *4x2/*5 reads as *4/*4 at 2 copies; with the
        // *5 in evidence it is written *4/*4 (the tandem cannot be told
        // from two chromosomes by copy number alone), activity 0.
        let c = call("*4", "*4", evidence(2), &[]);
        assert_eq!(c.diplotype.as_deref(), Some("*4/*4"));
        assert_eq!(c.activity_score, Some(0.0));
        // 3 copies of *4 over a deletion is impossible to tell from
        // *4x2/*4; the homozygous rule writes the latter.
        let c = call("*4", "*4", evidence(3), &[]);
        assert_eq!(c.diplotype.as_deref(), Some("*4x2/*4"));
    }

    #[test]
    fn star36_from_fewer_exon9_copies() {
        // NA18565 *10/*36x2: SNVs read *10/*10, 3 body copies, 1 at exon 9.
        let e = CopyNumberEvidence {
            exon9: Some(1),
            ..evidence(3)
        };
        let c = call("*10", "*10", e, &[]);
        assert_eq!(c.diplotype.as_deref(), Some("*10/*36x2"));
        assert_eq!(c.activity_score, Some(0.25));
        assert_eq!(c.phenotype.as_deref(), Some("Intermediate Metabolizer"));
        // *36+*10/*1: 3 body copies, 2 at exon 9.
        let e = CopyNumberEvidence {
            exon9: Some(2),
            ..evidence(3)
        };
        let c = call("*1", "*10", e, &[]);
        assert_eq!(c.diplotype.as_deref(), Some("*36+*10/*1"));
        assert_eq!(c.activity_score, Some(1.25));
        assert_eq!(c.phenotype.as_deref(), Some("Normal Metabolizer"));
        // *36x2+*10/*4 has *10's SNVs in 3 of 4 body copies: a *4 reading
        // 2 of 4 (a *4x2/*36+*10 whose exon 9 read low) leaves it
        // unresolved; reading 1 of 4 confirms it.
        let e = CopyNumberEvidence {
            exon9: Some(2),
            ..evidence(4)
        };
        let c = call("*10", "*4", e, &balance(30, 30));
        assert_eq!(
            (c.diplotype, c.flags),
            (None, vec![flags::HYBRID_UNRESOLVED])
        );
        let c = call("*10", "*4", e, &balance(45, 15));
        assert_eq!(c.diplotype.as_deref(), Some("*36x2+*10/*4"));
        // *4x2/*36+*10: 4 body copies, 3 at exon 9. *4 reading 40 of 68
        // fits 2 copies better than 3 by 3.2, short of the naming ratio,
        // but 3 *4 copies would leave the *36 no *10: among the
        // arrangements possible (*4 in 1 or 2 copies) 2 wins by 16. The
        // *10 reading 40 of 68 instead may be *36+*10x2/*4: not named.
        let e = CopyNumberEvidence {
            exon9: Some(3),
            ..evidence(4)
        };
        let c = call("*4", "*10", e, &balance(40, 28));
        assert_eq!(c.diplotype.as_deref(), Some("*36+*10/*4x2"));
        assert_eq!(c.activity_score, Some(0.25));
        let c = call("*10", "*4", e, &balance(40, 28));
        assert_eq!(c.flags, [flags::HYBRID_UNRESOLVED]);
        // *10x2/*36+*10: SNVs read *10/*10, 4 body copies, 3 at exon 9;
        // every arrangement holds three *10 genes and one *36.
        let e = CopyNumberEvidence {
            exon9: Some(3),
            ..evidence(4)
        };
        let c = call("*10", "*10", e, &[]);
        assert_eq!(c.diplotype.as_deref(), Some("*36+*10/*10x2"));
        assert_eq!(c.activity_score, Some(0.75));
    }

    #[test]
    fn hybrids_the_copy_numbers_do_not_show() {
        let flat = evidence(3);
        let exon9 = CopyNumberEvidence {
            exon9: Some(2),
            ..evidence(3)
        };
        assert!(unseen_hybrid("*36", &flat) && !unseen_hybrid("*36", &exon9));
        assert!(unseen_hybrid("*68", &exon9) && unseen_hybrid("*13", &exon9));
        let more = CopyNumberEvidence {
            five_prime: Some(4),
            ..evidence(3)
        };
        assert!(!unseen_hybrid("*68", &more) && unseen_hybrid("*13", &more));
        assert!(!unseen_hybrid("*10", &flat));
    }

    #[test]
    fn star68_from_more_five_prime_copies() {
        // HG01190 *68+*4/*5: SNVs read *4/*4 (hemizygous), 1 body copy,
        // 2 at the 5′ end.
        let e = CopyNumberEvidence {
            five_prime: Some(2),
            ..evidence(1)
        };
        let c = call("*4", "*4", e, &[]);
        assert_eq!(c.diplotype.as_deref(), Some("*68+*4/*5"));
        assert_eq!(c.activity_score, Some(0.0));
        assert_eq!(c.phenotype.as_deref(), Some("Poor Metabolizer"));
        // A 5′ excess without a *4 to carry it cannot be named.
        let c = call("*1", "*1", e, &[]);
        assert_eq!(
            (c.diplotype, c.flags),
            (None, vec![flags::HYBRID_UNRESOLVED])
        );
    }

    #[test]
    fn star13_from_fewer_five_prime_copies() {
        // (5′ copies, body copies, diplotype, activity score): *1/*13, and
        // *1x2/*13 with the one allele the SNVs call.
        for (five_prime, body, diplotype, score) in [(1, 2, "*1/*13", 1.0), (2, 3, "*1x2/*13", 2.0)]
        {
            let e = CopyNumberEvidence {
                five_prime: Some(five_prime),
                ..evidence(body)
            };
            let c = call("*1", "*1", e, &[]);
            assert_eq!(c.diplotype.as_deref(), Some(diplotype));
            assert_eq!(c.activity_score, Some(score));
        }
        // Two alleles and a duplication: the allele reading 2 of the 3
        // body copies is the duplicated one, the other the *13's CYP2D6
        // part; at 1/2 it is not told.
        let e = CopyNumberEvidence {
            five_prime: Some(2),
            ..evidence(3)
        };
        let c = call("*1", "*2", e, &balance(20, 40));
        assert_eq!(c.diplotype.as_deref(), Some("*2x2/*13"));
        let c = call("*1", "*2", e, &balance(40, 20));
        assert_eq!(c.diplotype.as_deref(), Some("*1x2/*13"));
        let c = call("*1", "*2", e, &balance(30, 30));
        assert_eq!(
            (c.diplotype, c.flags),
            (None, vec![flags::HYBRID_UNRESOLVED])
        );
    }

    #[test]
    fn no_confident_call_without_a_copy_number_or_with_an_unnamed_hybrid() {
        let c = call("*4", "*41", CopyNumberEvidence::default(), &[]);
        assert_eq!(
            (c.diplotype, c.flags),
            (None, vec![flags::COPY_NUMBER_NOT_CALLABLE])
        );
        let e = CopyNumberEvidence {
            hybrid_unresolved: true,
            ..evidence(2)
        };
        let c = call("*4", "*41", e, &[]);
        assert_eq!((c.diplotype, c.phenotype), (None, None));
        assert_eq!(c.flags, [flags::HYBRID_UNRESOLVED]);
    }
}
