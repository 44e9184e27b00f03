//! A CYP2D6 row of the calls table restructured with the evidence of one
//! sample's reads: the SNV-based call joined with the copy number and
//! hybrids ([`structure_cyp2d6`]), the duplicated allele told from the
//! allele depths at heterozygous positions where the two SNV haplotypes
//! differ.

use std::collections::HashMap;

use tailor_definitions::{Definitions, GeneDefinition};
use tailor_schemas::calls::{flags, CallSource};

use crate::cyp2d6_hidden_hybrids::could_be_star13_with_star68;
use crate::cyp2d6_structure::{structure_cyp2d6, AlleleBalance, CopyNumberEvidence};
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
}

impl<'a> Cyp2d6FromReads<'a> {
    /// For the evidence `reads` (per sample) and CYP2D6's definition in
    /// `definitions`.
    pub(crate) fn new(
        reads: &'a HashMap<String, Cyp2d6Reads>,
        definitions: &'a Definitions,
    ) -> Self {
        Self {
            reads,
            gene: definitions.gene(CYP2D6),
            tables: PhenotypeTables::embedded(),
        }
    }

    /// Rewrites `row` with [`restructure`] when it is a CYP2D6 row of a
    /// sample with reads evidence; other rows stay as they are.
    pub(crate) fn restructure(&self, row: &mut CallRow) {
        if row.gene != CYP2D6 {
            return;
        }
        if let (Some(gene), Some(reads)) = (self.gene, self.reads.get(&row.sample_id)) {
            restructure(row, reads, gene, &self.tables);
        }
    }
}

/// Rewrites the CYP2D6 `row` with the structure `reads` show: diplotype in
/// PharmVar notation, activity score, phenotype, copy number and flags
/// (source `bam`). A flat profile whose SNVs also read as `*13/*68+*4`
/// is `hybrid_unresolved` (`cyp2d6_hidden_hybrids.rs`). Without a callable copy number the SNV call stays, with
/// flag `copy_number_not_callable` (and `hybrid_unresolved` when the
/// shares along the gene show one) and no phenotype.
pub(crate) fn restructure(
    row: &mut CallRow,
    reads: &Cyp2d6Reads,
    gene: &GeneDefinition,
    tables: &PhenotypeTables,
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
    let (haplotype_1, haplotype_2) = match (&row.haplotype_1, &row.haplotype_2) {
        (Some(a), Some(b)) => (a.clone(), b.clone()),
        // Hemizygous genotypes (one copy) name one haplotype.
        (Some(a), None) => (a.clone(), a.clone()),
        // No SNV call: only the absence of every copy is a call.
        _ if body == 0 => ("*5".to_owned(), "*5".to_owned()),
        // No SNV call: the copy number stays, and a hybrid the reads show
        // is flagged (a *13 leaves its CYP2D6 5′ positions at a dosage no
        // allele pair matches).
        _ => {
            row.copy_number = Some(body);
            if shows_hybrid(&reads.evidence) {
                row.flags.push(flags::HYBRID_UNRESOLVED);
            }
            return;
        }
    };
    let balance = allele_balance(&haplotype_1, &haplotype_2, &reads.heterozygous, gene);
    let evidence = CopyNumberEvidence {
        hybrid_unresolved: reads.evidence.hybrid_unresolved
            || could_be_star13_with_star68(&haplotype_1, &haplotype_2, &reads.evidence, gene),
        ..reads.evidence
    };
    let call = structure_cyp2d6(&haplotype_1, &haplotype_2, &evidence, &balance, tables);
    if call.diplotype.as_deref() != row.diplotype.as_deref() {
        row.function_1 = None;
        row.function_2 = None;
    }
    let (first, second) = match call.diplotype.as_deref().and_then(|d| d.split_once('/')) {
        Some((a, b)) => (Some(a.to_owned()), Some(b.to_owned())),
        None => (None, None),
    };
    let mut flags = std::mem::take(&mut row.flags);
    flags.retain(|f| !SNV_ONLY_FLAGS.contains(f));
    flags.extend(call.flags);
    *row = CallRow {
        haplotype_1: first,
        haplotype_2: second,
        diplotype: call.diplotype,
        activity_score: call.activity_score,
        phenotype: call.phenotype,
        copy_number: call.copy_number,
        flags,
        ..std::mem::take(row)
    };
}

/// Whether the copy numbers along the gene show a hybrid of any kind.
fn shows_hybrid(evidence: &CopyNumberEvidence) -> bool {
    evidence.hybrid_unresolved || evidence.exon9.is_some() || evidence.five_prime.is_some()
}

/// The reads of each haplotype's allele at the heterozygous positions where
/// the named alleles `haplotype_1` and `haplotype_2` differ (an unnamed
/// cell is the reference; IUPAC cells tell nothing).
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
            let allele_of = |cells: &[Option<String>]| {
                let cell = cells.get(i)?.as_ref().unwrap_or(reference);
                site.alleles
                    .iter()
                    .find(|(a, _)| a == cell)
                    .map(|(_, n)| *n)
            };
            let (a, b) = (allele_of(&first.alleles)?, allele_of(&second.alleles)?);
            let differ = first.alleles[i].as_ref().unwrap_or(reference)
                != second.alleles[i].as_ref().unwrap_or(reference);
            differ.then_some(AlleleBalance {
                position: site.position,
                haplotype_1: a,
                haplotype_2: b,
            })
        })
        .collect()
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
        restructure(&mut row, &reads(40, 20), gene, &tables);
        assert_eq!(row.diplotype.as_deref(), Some("*1x2/*4"));
        assert_eq!(row.haplotype_1.as_deref(), Some("*1x2"));
        assert_eq!(row.activity_score, Some(2.0));
        assert_eq!(row.copy_number, Some(3));
        assert_eq!(
            (row.source, row.flags.as_slice()),
            (CallSource::Bam, &[][..])
        );
        let mut row = cyp2d6_row("*1", "*4");
        restructure(&mut row, &reads(20, 40), gene, &tables);
        assert_eq!(row.diplotype.as_deref(), Some("*1/*4x2"));
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
        restructure(&mut row, &reads, gene, &PhenotypeTables::embedded());
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
