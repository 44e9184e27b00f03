//! A CYP2D6 row of the calls table restructured with the evidence of one
//! sample's reads: the SNV-based call joined with the copy number and
//! hybrids ([`structure_cyp2d6`]), the duplicated allele told from the
//! allele depths at heterozygous positions where the two SNV haplotypes
//! differ.

use std::collections::HashMap;

use tailor_definitions::{embedded_frequencies, Definitions, GeneDefinition};
use tailor_schemas::calls::{flags, CallSource};

use crate::cyp2d6_candidates::fitting_candidates;
use crate::cyp2d6_hidden_hybrids::could_be_star13_with_star68;
use crate::cyp2d6_prior::AllelePrior;
use crate::cyp2d6_star13::{full_genes_pair, shows_star13};
use crate::cyp2d6_structure::{
    body_balance, structure_cyp2d6, unseen_hybrid, AlleleBalance, CopyNumberEvidence,
    StructuredCall,
};
use crate::iupac::{allele_matches, is_wobble};
use crate::output::CallRow;
use crate::phenotype::PhenotypeTables;

/// Flags of an SNV-only CYP2D6 row that a measured copy number answers.
const SNV_ONLY_FLAGS: [&str; 3] = [
    flags::SNV_ONLY,
    flags::PHENOTYPE_WITHHELD,
    flags::NO_PHENOTYPE,
];

/// CYP2D6 evidence from one sample's reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cyp2d6Reads {
    /// Copy numbers along the gene (see `tailor_copy_number`).
    pub evidence: CopyNumberEvidence,
    /// The heterozygous definition positions and their reads.
    pub heterozygous: Vec<HeterozygousSite>,
}

/// A heterozygous CYP2D6 definition position and the reads of its two
/// alleles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeterozygousSite {
    /// 1-based position.
    pub position: u32,
    /// The two alleles called, each with its reads.
    pub alleles: [(String, u32); 2],
}

/// The gene rewritten from reads.
const CYP2D6: &str = "CYP2D6";

/// Rewrites the CYP2D6 rows of the samples with reads evidence.
pub(crate) struct Cyp2d6FromReads<'a> {
    reads: &'a HashMap<String, Cyp2d6Reads>,
    gene: Option<&'a GeneDefinition>,
    tables: PhenotypeTables,
    prior: AllelePrior,
}

impl<'a> Cyp2d6FromReads<'a> {
    /// For the evidence `reads` (per sample), CYP2D6's definition in
    /// `definitions` and its embedded haplotype frequencies.
    ///
    /// # Errors
    ///
    /// Only if the embedded frequency table were malformed (a build
    /// defect).
    pub(crate) fn new(
        reads: &'a HashMap<String, Cyp2d6Reads>,
        definitions: &'a Definitions,
    ) -> crate::error::Result<Self> {
        let frequencies = embedded_frequencies()?;
        Ok(Self {
            reads,
            gene: definitions.gene(CYP2D6),
            tables: PhenotypeTables::embedded(),
            prior: AllelePrior::new(frequencies.iter().find(|g| g.gene == CYP2D6)),
        })
    }

    /// Rewrites `row` with [`restructure`] when it is a CYP2D6 row of a
    /// sample with reads evidence; other rows stay as they are.
    pub(crate) fn restructure(&self, row: &mut CallRow) {
        if row.gene != CYP2D6 {
            return;
        }
        if let (Some(gene), Some(reads)) = (self.gene, self.reads.get(&row.sample_id)) {
            restructure(row, reads, gene, &self.tables, &self.prior);
        }
    }
}

/// Rewrites the CYP2D6 `row` with the structure `reads` show: diplotype in
/// PharmVar notation, activity score, phenotype, copy number and flags
/// (source `bam`). A flat profile whose SNVs also read as `*13/*68+*4`
/// is `hybrid_unresolved` (`cyp2d6_hidden_hybrids.rs`). Tied SNV
/// candidates are structured each, and the reads' allele balance drops
/// those it clearly contradicts (`cyp2d6_candidates.rs`: a `*10/*17x2`
/// was written `*2x2/*64`, PharmCAT's first of the two). A kept
/// candidate whose posterior with the population frequencies as the prior
/// reaches 0.99 is the call, flagged `frequency_prior`
/// (`cyp2d6_prior.rs`). When the kept ones name different structures and
/// the copies are more than 2, which allele is duplicated is not told: no
/// diplotype, `ambiguous` and `duplication_unresolved`; at 2 copies
/// PharmCAT's first kept one is the call, `ambiguous` (no read tells
/// `*10/*17` from `*2/*64`). Without a callable copy number the SNV call
/// stays, with flag
/// `copy_number_not_callable` (and `hybrid_unresolved` when the shares
/// along the gene show one) and no phenotype.
pub(crate) fn restructure(
    row: &mut CallRow,
    reads: &Cyp2d6Reads,
    gene: &GeneDefinition,
    tables: &PhenotypeTables,
    prior: &AllelePrior,
) {
    row.source = CallSource::Bam;
    let Some(body) = reads.evidence.body else {
        row.activity_score = None;
        row.phenotype = None;
        row.flags.push(flags::COPY_NUMBER_NOT_CALLABLE);
        if reads.evidence.hybrid_unresolved {
            row.flags.push(flags::HYBRID_UNRESOLVED);
        }
        return;
    };
    let mut pairs = candidate_pairs(row);
    if shows_star13(&reads.evidence) {
        for (a, b) in &mut pairs {
            if let Some(full) = full_genes_pair(a, b, gene) {
                let full = full.to_owned();
                (*a, *b) = (full.clone(), full);
            }
        }
    }
    if pairs.is_empty() {
        // No SNV call: only the absence of every copy is a call.
        if body == 0 {
            pairs.push(("*5".to_owned(), "*5".to_owned()));
        } else {
            // The copy number stays, and a hybrid the reads show is
            // flagged (a *13 leaves its CYP2D6 5′ positions at a dosage no
            // allele pair matches).
            row.copy_number = Some(body);
            if shows_hybrid(&reads.evidence) {
                row.flags.push(flags::HYBRID_UNRESOLVED);
            }
            return;
        }
    }
    let evidence_of = |haplotype_1: &str, haplotype_2: &str| CopyNumberEvidence {
        hybrid_unresolved: reads.evidence.hybrid_unresolved
            || could_be_star13_with_star68(haplotype_1, haplotype_2, &reads.evidence, gene),
        ..reads.evidence
    };
    let balances: Vec<Vec<AlleleBalance>> = pairs
        .iter()
        .map(|(a, b)| allele_balance(a, b, &reads.heterozygous, gene))
        .collect();
    let body_balances: Vec<Vec<AlleleBalance>> = pairs
        .iter()
        .zip(&balances)
        .map(|((a, b), balance)| body_balance(&evidence_of(a, b), balance))
        .collect();
    let fits = fitting_candidates(&body_balances, body);
    // The panels' counts, called from SNVs, know no hybrid: a candidate
    // naming one the copy numbers do not show is never outweighed (a
    // *36+*10/*68+*4 whose exon 9 read no *36 ties *4/*10 with *4/*36).
    let hybrid_hint = fits.kept.iter().any(|&i| {
        let (a, b) = &pairs[i];
        unseen_hybrid(a, &reads.evidence) || unseen_hybrid(b, &reads.evidence)
    });
    let (kept, by_prior) = if hybrid_hint {
        (fits.kept, false)
    } else {
        called_by_prior(fits.kept, &fits.log_likelihoods, &pairs, body, prior)
    };
    let calls: Vec<StructuredCall> = kept
        .into_iter()
        .map(|i| {
            let (a, b) = &pairs[i];
            structure_cyp2d6(a, b, &evidence_of(a, b), &balances[i], tables)
        })
        .collect();
    let Some((call, ambiguous)) = one_call(calls, body <= 2, shows_hybrid(&reads.evidence)) else {
        return;
    };
    if call.diplotype.as_deref() != row.diplotype.as_deref() {
        row.function_1 = None;
        row.function_2 = None;
    }
    let (first, second) = match call.diplotype.as_deref().and_then(|d| d.split_once('/')) {
        Some((a, b)) => (Some(a.to_owned()), Some(b.to_owned())),
        None => (None, None),
    };
    let mut row_flags = std::mem::take(&mut row.flags);
    row_flags.retain(|f| !SNV_ONLY_FLAGS.contains(f) && (ambiguous || *f != flags::AMBIGUOUS));
    if ambiguous && !row_flags.contains(&flags::AMBIGUOUS) {
        row_flags.push(flags::AMBIGUOUS);
    }
    row_flags.extend(call.flags);
    if by_prior {
        row_flags.push(flags::FREQUENCY_PRIOR);
    }
    *row = CallRow {
        haplotype_1: first,
        haplotype_2: second,
        diplotype: call.diplotype,
        activity_score: call.activity_score,
        phenotype: call.phenotype,
        copy_number: call.copy_number,
        flags: row_flags,
        ..std::mem::take(row)
    };
}

/// The `kept` candidates narrowed to the one whose posterior with `prior`
/// reaches the call threshold, given their reads' `log_likelihoods` (by
/// candidate index) and the `body` copies, and whether the prior did it.
/// At one copy a candidate is one haplotype opposite the deletion.
fn called_by_prior(
    kept: Vec<usize>,
    log_likelihoods: &[Option<f64>],
    pairs: &[(String, String)],
    body: u8,
    prior: &AllelePrior,
) -> (Vec<usize>, bool) {
    if kept.len() < 2 {
        return (kept, false);
    }
    let haplotypes: Vec<Vec<&str>> = kept
        .iter()
        .map(|&i| {
            let (a, b) = (pairs[i].0.as_str(), pairs[i].1.as_str());
            if body == 1 && a == b {
                vec![a]
            } else {
                vec![a, b]
            }
        })
        .collect();
    // Two different haplotypes cannot be one copy: no weight.
    let fits: Vec<Option<f64>> = kept
        .iter()
        .zip(&haplotypes)
        .map(|(&i, h)| match (body, h.len()) {
            (1, 2) => Some(f64::NEG_INFINITY),
            _ => log_likelihoods[i],
        })
        .collect();
    match prior.called(&haplotypes, &fits) {
        Some(j) => (vec![kept[j]], true),
        None => (kept, false),
    }
}

/// The haplotype pairs of `row`'s candidates (a hemizygous candidate, one
/// name, as that name twice), or of its haplotypes when it lists none.
fn candidate_pairs(row: &CallRow) -> Vec<(String, String)> {
    let pair = |name: &str| match name.split_once('/') {
        Some((a, b)) => (a.to_owned(), b.to_owned()),
        None => (name.to_owned(), name.to_owned()),
    };
    if !row.candidates.is_empty() {
        return row.candidates.iter().map(|c| pair(c)).collect();
    }
    match (&row.haplotype_1, &row.haplotype_2) {
        (Some(a), Some(b)) => vec![(a.clone(), b.clone())],
        (Some(a), None) => vec![(a.clone(), a.clone())],
        _ => Vec::new(),
    }
}

/// The call the kept candidates' structured `calls` make (PharmCAT's
/// order), and whether it stays ambiguous. When they all name the same
/// structure, or there are 2 copies at most (`two_copies`: no copy to
/// place, as PharmCAT's own ties), the first is the call, ambiguous if
/// others name another structure or several name none; an ambiguous call
/// keeps its activity score and phenotype only when every kept candidate
/// has the same. Otherwise the duplicated allele is not named, even when
/// the candidates differ in name only (`*2x2/*13` or `*35x2/*13` when
/// 31G>A, the one position telling `*2` from `*35`, is missing): no
/// diplotype, flagged `duplication_unresolved` (and `hybrid_unresolved`
/// when the copy numbers show a hybrid, `hybrid`).
fn one_call(
    calls: Vec<StructuredCall>,
    two_copies: bool,
    hybrid: bool,
) -> Option<(StructuredCall, bool)> {
    let agree = calls.windows(2).all(|w| w[0].diplotype == w[1].diplotype);
    let same_function = calls
        .windows(2)
        .all(|w| w[0].phenotype == w[1].phenotype && w[0].activity_score == w[1].activity_score);
    let several = calls.len() > 1;
    let mut calls = calls.into_iter();
    let mut first = calls.next()?;
    let copy_number = first.copy_number;
    if agree || two_copies {
        let ambiguous = several && !(agree && first.diplotype.is_some());
        // An ambiguous call carries a phenotype only when every kept
        // candidate has it (as estimate's subgrouping expects): a *5/*10
        // whose *4 position is missing ties with *4/*5, a Poor Metabolizer.
        if ambiguous && !same_function {
            first.activity_score = None;
            first.phenotype = None;
        }
        return Some((first, ambiguous));
    }
    let seen = [
        Some(flags::DUPLICATION_UNRESOLVED),
        hybrid.then_some(flags::HYBRID_UNRESOLVED),
    ];
    let mut kept: Vec<&'static str> = Vec::new();
    let all = std::iter::once(first).chain(calls).flat_map(|c| c.flags);
    for flag in all.chain(seen.into_iter().flatten()) {
        if !kept.contains(&flag) && flag != flags::NO_PHENOTYPE {
            kept.push(flag);
        }
    }
    let call = StructuredCall {
        diplotype: None,
        activity_score: None,
        phenotype: None,
        copy_number,
        flags: kept,
    };
    Some((call, true))
}

/// Whether the copy numbers along the gene show a hybrid of any kind.
fn shows_hybrid(evidence: &CopyNumberEvidence) -> bool {
    evidence.hybrid_unresolved || evidence.exon9.is_some() || evidence.five_prime.is_some()
}

/// The reads of each haplotype's allele at the heterozygous positions where
/// the named alleles `haplotype_1` and `haplotype_2` differ (an unnamed
/// cell is the reference). An ambiguity code opposite a definite allele
/// tells as much: the haplotype with the code carries the site's other
/// allele, if the code allows it (*1/*6 at 4180G>C, where *6 reads `S`).
/// Two codes tell nothing.
fn allele_balance(
    haplotype_1: &str,
    haplotype_2: &str,
    sites: &[HeterozygousSite],
    gene: &GeneDefinition,
) -> Vec<AlleleBalance> {
    let (Some(first), Some(second)) = (
        gene.named_allele(haplotype_1),
        gene.named_allele(haplotype_2),
    ) else {
        return Vec::new();
    };
    sites
        .iter()
        .filter_map(|site| {
            let i = gene
                .variants
                .iter()
                .position(|v| v.position.get() == site.position)?;
            let reference = &gene.variants[i].reference;
            let cell = |alleles: &[Option<String>]| -> Option<String> {
                Some(alleles.get(i)?.as_ref().unwrap_or(reference).clone())
            };
            let (a, b) = (cell(&first.alleles)?, cell(&second.alleles)?);
            let (x, y) = site_alleles(&a, &b, site)?;
            Some(AlleleBalance {
                position: site.position,
                haplotype_1: site.alleles[x].1,
                haplotype_2: site.alleles[y].1,
            })
        })
        .collect()
}

/// Which of `site`'s two alleles each haplotype carries, given their
/// definition cells `a` and `b`: two different definite alleles, or a
/// definite allele and an ambiguity code that allows the other one.
fn site_alleles(a: &str, b: &str, site: &HeterozygousSite) -> Option<(usize, usize)> {
    let definite = |cell: &str| site.alleles.iter().position(|(allele, _)| allele == cell);
    let other_allowed = |code: &str, x: usize| {
        (is_wobble(code) && allele_matches(code, &site.alleles[1 - x].0)).then_some(1 - x)
    };
    match (definite(a), definite(b)) {
        (Some(x), Some(y)) => (x != y).then_some((x, y)),
        (Some(x), None) => other_allowed(b, x).map(|y| (x, y)),
        (None, Some(y)) => other_allowed(a, y).map(|x| (x, y)),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use tailor_definitions::Definitions;

    use super::*;

    fn cyp2d6_row(haplotype_1: &str, haplotype_2: &str) -> CallRow {
        CallRow {
            sample_id: "S1".into(),
            gene: "CYP2D6".into(),
            diplotype: Some(format!("{haplotype_1}/{haplotype_2}")),
            haplotype_1: Some(haplotype_1.into()),
            haplotype_2: Some(haplotype_2.into()),
            flags: vec![flags::SNV_ONLY, flags::PHENOTYPE_WITHHELD],
            source: CallSource::Vcf,
            ..CallRow::default()
        }
    }

    /// *4's splice defect, 1847G>A (GRCh38 chr22:42,128,945 C>T).
    const STAR4_SPLICE: u32 = 42_128_945;

    #[test]
    fn duplicated_allele_from_the_reads_at_a_differing_position() {
        let definitions = Definitions::embedded().unwrap();
        let gene = definitions.gene("CYP2D6").unwrap();
        let tables = PhenotypeTables::embedded();
        let flat = AllelePrior::default();
        let reads = |reference: u32, alternate: u32| Cyp2d6Reads {
            evidence: CopyNumberEvidence {
                body: Some(3),
                ..CopyNumberEvidence::default()
            },
            heterozygous: vec![HeterozygousSite {
                position: STAR4_SPLICE,
                alleles: [("C".into(), reference), ("T".into(), alternate)],
            }],
        };
        let mut row = cyp2d6_row("*1", "*4");
        restructure(&mut row, &reads(40, 20), gene, &tables, &flat);
        assert_eq!(row.diplotype.as_deref(), Some("*1x2/*4"));
        assert_eq!(row.haplotype_1.as_deref(), Some("*1x2"));
        assert_eq!(row.activity_score, Some(2.0));
        assert_eq!(row.copy_number, Some(3));
        assert_eq!(
            (row.source, row.flags.as_slice()),
            (CallSource::Bam, &[][..])
        );
        let mut row = cyp2d6_row("*1", "*4");
        restructure(&mut row, &reads(20, 40), gene, &tables, &flat);
        assert_eq!(row.diplotype.as_deref(), Some("*1/*4x2"));
    }

    #[test]
    fn tied_candidates_told_apart_by_a_duplication_or_left_ambiguous() {
        let definitions = Definitions::embedded().unwrap();
        let gene = definitions.gene("CYP2D6").unwrap();
        let tables = PhenotypeTables::embedded();
        let flat = AllelePrior::default();
        // *10/*17 and *2/*64 share every genotype; PharmCAT's order puts
        // *2/*64 first. (position, reference reads, alternate reads) at
        // 1023C>T, 2850C>T and 100C>T.
        let reads = |body: u8, depths: [(u32, u32, u32); 3]| Cyp2d6Reads {
            evidence: CopyNumberEvidence {
                body: Some(body),
                ..CopyNumberEvidence::default()
            },
            heterozygous: depths
                .iter()
                .map(|&(position, reference, alternate)| HeterozygousSite {
                    position,
                    alleles: [("G".into(), reference), ("A".into(), alternate)],
                })
                .collect(),
        };
        let tied = || CallRow {
            candidates: vec!["*2/*64".into(), "*10/*17".into()],
            flags: vec![flags::AMBIGUOUS, flags::SNV_ONLY, flags::PHENOTYPE_WITHHELD],
            ..cyp2d6_row("*2", "*64")
        };
        let called = |body: u8, depths: [(u32, u32, u32); 3]| {
            let mut row = tied();
            restructure(&mut row, &reads(body, depths), gene, &tables, &flat);
            row
        };
        // *10/*17x2: 1023C>T and 2850C>T in 2 of 3 copies, 100C>T in 1.
        let row = called(
            3,
            [
                (42_129_770, 40, 80),
                (42_127_941, 41, 79),
                (42_130_692, 81, 39),
            ],
        );
        assert_eq!(row.diplotype.as_deref(), Some("*10/*17x2"));
        assert_eq!(row.activity_score, Some(1.25));
        assert!(row.flags.is_empty(), "{:?}", row.flags);
        // At 30x one position against *2x2/*64 (1023C>T at 27 of 45, a
        // log-likelihood ratio of 9 ln 2 = 6.2) neither drops it nor, on a
        // flat prior, reaches 99 %: which allele is duplicated is not told.
        let row = called(
            3,
            [
                (42_129_770, 18, 27),
                (42_127_941, 16, 29),
                (42_130_692, 31, 14),
            ],
        );
        assert_eq!((row.diplotype, row.copy_number), (None, Some(3)));
        assert_eq!(row.flags, [flags::AMBIGUOUS, flags::DUPLICATION_UNRESOLVED]);
        // At 2 copies the reads cannot choose: PharmCAT's first, ambiguous.
        let row = called(
            2,
            [
                (42_129_770, 15, 15),
                (42_127_941, 16, 14),
                (42_130_692, 15, 15),
            ],
        );
        assert_eq!(row.diplotype.as_deref(), Some("*2/*64"));
        assert_eq!(row.flags, [flags::AMBIGUOUS, flags::NO_PHENOTYPE]);
    }

    #[test]
    fn the_population_prior_calls_what_the_reads_leave_tied() {
        let definitions = Definitions::embedded().unwrap();
        let gene = definitions.gene("CYP2D6").unwrap();
        let tables = PhenotypeTables::embedded();
        let frequencies = embedded_frequencies().unwrap();
        let prior = AllelePrior::new(frequencies.iter().find(|g| g.gene == "CYP2D6"));
        // *10/*17 and *2/*64 as in the test above: *10 and *17 carry 820
        // and 384 of 6,298 panel haplotypes, *2 1,065 and *64 none (half
        // a haplotype), so *10/*17 is 591 times as likely before the reads.
        let tied = CallRow {
            candidates: vec!["*2/*64".into(), "*10/*17".into()],
            flags: vec![flags::AMBIGUOUS, flags::SNV_ONLY, flags::PHENOTYPE_WITHHELD],
            ..cyp2d6_row("*2", "*64")
        };
        let site = |position, reference, alternate| HeterozygousSite {
            position,
            alleles: [("G".into(), reference), ("A".into(), alternate)],
        };
        let called = |body: u8, depths: [(u32, u32); 3]| {
            let reads = Cyp2d6Reads {
                evidence: CopyNumberEvidence {
                    body: Some(body),
                    ..CopyNumberEvidence::default()
                },
                heterozygous: [42_129_770, 42_127_941, 42_130_692]
                    .into_iter()
                    .zip(depths)
                    .map(|(position, (r, a))| site(position, r, a))
                    .collect(),
            };
            let mut row = tied.clone();
            restructure(&mut row, &reads, gene, &tables, &prior);
            row
        };
        // The 30x *10/*17x2 that the reads alone leave unresolved.
        let row = called(3, [(15, 30), (16, 29), (31, 14)]);
        assert_eq!(row.diplotype.as_deref(), Some("*10/*17x2"));
        assert_eq!(row.activity_score, Some(1.25));
        assert_eq!(row.phenotype.as_deref(), Some("Normal Metabolizer"));
        assert_eq!(row.flags, [flags::FREQUENCY_PRIOR]);
        assert_eq!(row.candidates, tied.candidates);
        // At 2 copies the prior alone: 591 to 1 is past 99 to 1.
        let row = called(2, [(15, 15), (16, 14), (15, 15)]);
        assert_eq!(row.diplotype.as_deref(), Some("*10/*17"));
        assert_eq!(row.activity_score, Some(0.75));
        assert_eq!(row.flags, [flags::FREQUENCY_PRIOR]);
        // Reads that fit *2x2/*64 by far more than the prior's 591 to 1
        // (1023C>T in 1 of 3 copies, 2850C>T in 2, 100C>T in 1).
        let row = called(3, [(60, 30), (30, 60), (60, 30)]);
        assert_eq!(row.diplotype.as_deref(), Some("*2x2/*64"));
        assert_eq!(row.flags, [flags::NO_PHENOTYPE]);
        // A candidate naming a hybrid the copy numbers do not show (*36
        // with as many copies at exon 9 as in the body) is not outweighed
        // by counts that know no hybrids: *1/*10 against *1/*36 at 2
        // copies stays PharmCAT's first, ambiguous.
        let hybrid = |body: u8, exon9: Option<u8>| {
            let mut row = CallRow {
                candidates: vec!["*1/*10".into(), "*1/*36".into()],
                flags: vec![flags::AMBIGUOUS, flags::SNV_ONLY, flags::PHENOTYPE_WITHHELD],
                ..cyp2d6_row("*1", "*10")
            };
            let reads = Cyp2d6Reads {
                evidence: CopyNumberEvidence {
                    body: Some(body),
                    exon9,
                    ..CopyNumberEvidence::default()
                },
                heterozygous: Vec::new(),
            };
            restructure(&mut row, &reads, gene, &tables, &prior);
            row
        };
        let row = hybrid(2, None);
        assert_eq!(row.diplotype.as_deref(), Some("*1/*10"));
        assert!(row.flags.contains(&flags::AMBIGUOUS), "{:?}", row.flags);
        // 3 copies, one fewer at exon 9: the *36 is seen, and *1/*10 (the
        // *36 carries *10's SNVs) is the call, *36+*10/*1.
        let row = hybrid(3, Some(2));
        assert_eq!(row.diplotype.as_deref(), Some("*36+*10/*1"));
        assert_eq!(row.flags, [flags::FREQUENCY_PRIOR]);
    }

    #[test]
    fn an_ambiguous_call_keeps_a_phenotype_only_its_candidates_share() {
        let definitions = Definitions::embedded().unwrap();
        let gene = definitions.gene("CYP2D6").unwrap();
        let tables = PhenotypeTables::embedded();
        let flat = AllelePrior::default();
        // One copy (a *5 deletion), *4's splice position missing: the
        // hemizygous *4 and *10 tie; *4/*5 is a Poor Metabolizer (activity
        // 0), *5/*10 an Intermediate one (0.25).
        let reads = Cyp2d6Reads {
            evidence: CopyNumberEvidence {
                body: Some(1),
                ..CopyNumberEvidence::default()
            },
            heterozygous: Vec::new(),
        };
        // The hemizygous candidates `*4` and `other`, restructured.
        let called = |other: &str| {
            let mut row = CallRow {
                candidates: vec!["*4".into(), other.into()],
                flags: vec![flags::AMBIGUOUS, flags::SNV_ONLY, flags::PHENOTYPE_WITHHELD],
                ..cyp2d6_row("*4", "*4")
            };
            restructure(&mut row, &reads, gene, &tables, &flat);
            row
        };
        let row = called("*10");
        assert_eq!(row.diplotype.as_deref(), Some("*4/*5"));
        assert_eq!(row.copy_number, Some(1));
        assert_eq!((row.activity_score, row.phenotype), (None, None));
        assert!(row.flags.contains(&flags::AMBIGUOUS), "{:?}", row.flags);
        // Candidates of one function keep it: *4 and *6 (both no function)
        // give a Poor Metabolizer.
        let row = called("*6");
        assert_eq!(row.diplotype.as_deref(), Some("*4/*5"));
        assert_eq!(row.activity_score, Some(0.0));
        assert_eq!(row.phenotype.as_deref(), Some("Poor Metabolizer"));
    }

    #[test]
    fn an_ambiguity_code_opposite_a_definite_allele_is_the_other_allele() {
        let definitions = Definitions::embedded().unwrap();
        let gene = definitions.gene("CYP2D6").unwrap();
        // 4180G>C (chr22:42,126,611 C>G): *1 reads C, *6 `S` (C or G), so
        // at a heterozygous C/G the *6 carries the G.
        let site = HeterozygousSite {
            position: 42_126_611,
            alleles: [("C".into(), 40), ("G".into(), 20)],
        };
        let balance = allele_balance("*1", "*6", std::slice::from_ref(&site), gene);
        assert_eq!(
            balance,
            [AlleleBalance {
                position: 42_126_611,
                haplotype_1: 40,
                haplotype_2: 20
            }]
        );
        assert_eq!(
            allele_balance("*6", "*1", std::slice::from_ref(&site), gene)[0].haplotype_1,
            20
        );
        // Two codes (*4 `S`, *6 `S`) tell nothing; nor do equal alleles.
        assert!(allele_balance("*4", "*6", std::slice::from_ref(&site), gene).is_empty());
        assert!(allele_balance("*2", "*10", &[site], gene).is_empty());
    }

    #[test]
    fn a_hybrid_without_an_snv_call_is_flagged() {
        let definitions = Definitions::embedded().unwrap();
        let gene = definitions.gene("CYP2D6").unwrap();
        let mut row = CallRow {
            sample_id: "S1".into(),
            gene: "CYP2D6".into(),
            flags: vec![flags::NO_CALL],
            source: CallSource::Vcf,
            ..CallRow::default()
        };
        // *10/*13: 2 copies in the body, 1 at the 5′ end.
        let reads = Cyp2d6Reads {
            evidence: CopyNumberEvidence {
                body: Some(2),
                five_prime: Some(1),
                ..CopyNumberEvidence::default()
            },
            heterozygous: Vec::new(),
        };
        restructure(
            &mut row,
            &reads,
            gene,
            &PhenotypeTables::embedded(),
            &AllelePrior::default(),
        );
        assert_eq!((row.diplotype, row.copy_number), (None, Some(2)));
        assert_eq!(row.flags, [flags::NO_CALL, flags::HYBRID_UNRESOLVED]);
    }

    #[test]
    fn not_callable_keeps_the_snv_call_without_a_phenotype() {
        let definitions = Definitions::embedded().unwrap();
        let gene = definitions.gene("CYP2D6").unwrap();
        let mut row = cyp2d6_row("*15", "*17");
        restructure(
            &mut row,
            &Cyp2d6Reads::default(),
            gene,
            &PhenotypeTables::embedded(),
            &AllelePrior::default(),
        );
        assert_eq!(row.diplotype.as_deref(), Some("*15/*17"));
        assert_eq!((row.phenotype, row.copy_number), (None, None));
        assert_eq!(
            row.flags,
            [
                flags::SNV_ONLY,
                flags::PHENOTYPE_WITHHELD,
                flags::COPY_NUMBER_NOT_CALLABLE
            ]
        );
    }
}
