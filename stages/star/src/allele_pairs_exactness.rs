//! Exactness of [`crate::allele_pairs`] against the enumeration it replaced.
//!
//! Genotype vectors are built from the embedded definitions: a seeded sample
//! of the unphased pairs of CYP2D6 named alleles, plus seeded random pairs
//! for genes with many positions; some lose positions (missing), some are
//! partly phased with phase sets. For each one, the candidates of the pairing
//! path (data left unexpanded) must equal those of PharmCAT's enumeration
//! of every sequence (the same data expanded), scores and order included,
//! with and without the top-candidate cut. Vectors with more than
//! [`ORACLE_BLOCKS`] varying blocks are left out: the enumeration is the slow
//! part.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tailor_definitions::{Definitions, GeneDefinition};

use crate::compiled::CompiledGene;
use crate::diplotype::{compute, Compute, DiplotypeMatch};
use crate::iupac;
use crate::match_data::{MatchData, Prepare};
use crate::SampleAllele;

/// Largest number of varying phase blocks the oracle enumerates (2^12
/// sequences).
const ORACLE_BLOCKS: usize = 12;

/// splitmix64: a seeded generator, so every run checks the same vectors.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
    }
}

pub(crate) fn compile(definitions: &Definitions, gene: &str) -> (GeneDefinition, CompiledGene) {
    let definition = definitions.gene(gene).unwrap().clone();
    let exemptions = definitions.exemptions(gene);
    let priorities = !exemptions.unphased_priorities.is_empty();
    let compiled = CompiledGene::new(&definition, &exemptions, priorities).unwrap();
    (definition, compiled)
}

/// The sequence a named allele stands for at position `i` (blank cells are
/// the reference; an IUPAC code becomes one of its bases).
pub(crate) fn strand(
    definition: &GeneDefinition,
    allele: usize,
    i: usize,
    rng: &mut Rng,
) -> String {
    let variant = &definition.variants[i];
    match &definition.named_alleles[allele].alleles[i] {
        None => variant.reference.clone(),
        Some(cell) => match iupac::bases(cell) {
            Some(bases) if bases.len() > 1 => char::from(bases[rng.below(bases.len())]).to_string(),
            _ => cell.clone(),
        },
    }
}

/// One sample carrying alleles `a` and `b`, unphased; with `rng` deciding
/// some missing positions and some phase sets.
pub(crate) fn genotypes(
    definition: &GeneDefinition,
    a: usize,
    b: usize,
    rng: &mut Rng,
) -> Vec<Option<SampleAllele>> {
    let n = definition.variants.len();
    let variation = rng.below(8);
    let mut out: Vec<Option<SampleAllele>> = (0..n)
        .map(|i| {
            let (x, y) = (strand(definition, a, i, rng), strand(definition, b, i, rng));
            // One case in 8: heterozygous positions phased in two phase sets.
            let phased = variation == 0 && x != y && rng.below(2) == 0;
            let ps = i64::try_from(rng.below(2)).unwrap();
            Some(SampleAllele::diploid(&x, &y, phased, Some(ps)))
        })
        .collect();
    // Two cases in 8: one to three positions missing.
    if variation <= 2 && variation > 0 {
        for _ in 0..=rng.below(3) {
            out[rng.below(n)] = None;
        }
    }
    // One case in 8: a strand gets another documented allele at one or two
    // positions (often no named allele explains it).
    if variation == 3 {
        for _ in 0..=rng.below(2) {
            let i = rng.below(n);
            let variant = &definition.variants[i];
            let mut choices = variant.alts.clone();
            choices.push(variant.reference.clone());
            let pick = choices[rng.below(choices.len())].clone();
            let keep = strand(definition, a, i, rng);
            out[i] = Some(SampleAllele::diploid(&keep, &pick, false, None));
        }
    }
    // One case in 8: an undocumented allele at one position.
    if variation == 4 {
        let i = rng.below(n);
        let keep = strand(definition, b, i, rng);
        out[i] = Some(SampleAllele::diploid("TTTTTTTTTTTT", &keep, false, None));
    }
    out
}

fn prepared<'a>(
    gene: &'a CompiledGene,
    genotypes: &'a [Option<SampleAllele>],
    expand: bool,
) -> Option<MatchData<'a>> {
    MatchData::new(
        gene,
        genotypes,
        Prepare {
            assume_reference: true,
            find_combinations: false,
            undocumented_as_reference: gene.undocumented_as_reference,
            exclude: &[],
            expand,
        },
    )
    .ok()
}

fn summary(matches: &[DiplotypeMatch]) -> Vec<(String, i32)> {
    matches.iter().map(|m| (m.name(), m.score)).collect()
}

#[derive(Default, Debug)]
struct Tally {
    /// Vectors whose pairing-path candidates were compared to the oracle.
    compared: usize,
    /// Vectors with at most two sequences (enumerated either way).
    effectively_phased: usize,
    /// Vectors too large for the oracle.
    too_large: usize,
    /// Compared vectors with at least one candidate.
    called: usize,
    /// Compared vectors with no candidate.
    no_call: usize,
}

/// Compares the two paths on one vector.
fn check(gene: &CompiledGene, genotypes: &[Option<SampleAllele>], tally: &mut Tally, what: &str) {
    let Some(lazy) = prepared(gene, genotypes, false) else {
        panic!("{what}: unexpanded data cannot fail");
    };
    if lazy.samples.is_empty() || !lazy.missing_required().is_empty() {
        return;
    }
    if lazy.expanded {
        tally.effectively_phased += 1;
        return;
    }
    if lazy.varying_blocks > ORACLE_BLOCKS {
        tally.too_large += 1;
        return;
    }
    let full = prepared(gene, genotypes, true).expect("within the expansion limit");
    assert!(full.expanded);
    for top_candidate_only in [true, false] {
        let how = Compute {
            find_combinations: false,
            find_partials: false,
            top_candidate_only,
        };
        let paired = summary(&compute(&lazy, how));
        let enumerated = summary(&compute(&full, how));
        assert_eq!(
            paired, enumerated,
            "{what} (top_candidate_only {top_candidate_only})"
        );
        if top_candidate_only && !paired.is_empty() {
            tally.called += 1;
        } else if top_candidate_only {
            tally.no_call += 1;
        }
    }
    tally.compared += 1;
}

#[test]
fn pairing_equals_enumeration_on_cyp2d6_allele_pairs() {
    let definitions = Definitions::embedded().unwrap();
    let (definition, gene) = compile(&definitions, "CYP2D6");
    let alleles: Vec<usize> = (0..definition.named_alleles.len()).collect();
    let pairs: Vec<(usize, usize)> = alleles
        .iter()
        .enumerate()
        .flat_map(|(i, &a)| alleles[i..].iter().map(move |&b| (a, b)))
        .collect();
    assert!(pairs.len() > 10_000, "{} CYP2D6 pairs", pairs.len());
    let mut rng = Rng(20_261_202);
    let mut tally = Tally::default();
    for _ in 0..3_000 {
        let (a, b) = pairs[rng.below(pairs.len())];
        let g = genotypes(&definition, a, b, &mut rng);
        let what = format!(
            "CYP2D6 {}/{}",
            definition.named_alleles[a].name, definition.named_alleles[b].name
        );
        check(&gene, &g, &mut tally, &what);
    }
    eprintln!("CYP2D6: {tally:?}");
    assert!(tally.compared >= 1_500, "{tally:?}");
    assert!(tally.called >= 1_000, "{tally:?}");
    assert!(tally.no_call >= 100, "{tally:?}");
}

#[test]
fn pairing_equals_enumeration_on_random_pairs_of_other_genes() {
    let definitions = Definitions::embedded().unwrap();
    let mut rng = Rng(7);
    for name in [
        "CYP2C19", "DPYD", "NAT2", "UGT1A1", "CFTR", "CYP2C9", "SLCO1B1",
    ] {
        let (definition, gene) = compile(&definitions, name);
        let alleles = definition.named_alleles.len();
        let mut tally = Tally::default();
        for _ in 0..400 {
            let (a, b) = (rng.below(alleles), rng.below(alleles));
            let g = genotypes(&definition, a, b, &mut rng);
            let what = format!(
                "{name} {}/{}",
                definition.named_alleles[a].name, definition.named_alleles[b].name
            );
            check(&gene, &g, &mut tally, &what);
        }
        eprintln!("{name}: {tally:?}");
        assert!(tally.compared >= 100, "{name}: {tally:?}");
    }
}

/// Issue 10, item 11: pairs of CYP2D6 alleles with more than 16 unphased
/// heterozygous positions (an `expansion_limit` no call before) are called,
/// and the pair that made the genotypes is among the candidates.
#[test]
fn issue_10_many_unphased_heterozygous_positions_are_called() {
    use crate::matcher::{match_gene, MatchOptions};
    let definitions = Definitions::embedded().unwrap();
    let (definition, gene) = compile(&definitions, "CYP2D6");
    let callable: Vec<usize> = (0..definition.named_alleles.len())
        .filter(|&i| {
            let name = &definition.named_alleles[i].name;
            gene.alleles.iter().any(|a| &a.name == name)
        })
        .collect();
    let all_matches = MatchOptions {
        top_candidate_only: false,
        find_combinations: false,
    };
    let mut rng = Rng(11);
    let mut large = 0;
    for (i, &a) in callable.iter().enumerate() {
        for &b in &callable[i..] {
            let g: Vec<Option<SampleAllele>> = (0..definition.variants.len())
                .map(|v| {
                    let (x, y) = (
                        strand(&definition, a, v, &mut rng),
                        strand(&definition, b, v, &mut rng),
                    );
                    Some(SampleAllele::diploid(&x, &y, false, None))
                })
                .collect();
            let heterozygous = g
                .iter()
                .flatten()
                .filter(|s| s.allele_1 != s.allele_2)
                .count();
            if heterozygous <= crate::MAX_BRANCH_POINTS {
                continue;
            }
            large += 1;
            let call = match_gene(&gene, &g, all_matches);
            let (na, nb) = (
                &definition.named_alleles[a].name,
                &definition.named_alleles[b].name,
            );
            let names = call.names();
            assert!(
                names.contains(&format!("{na}/{nb}").as_str())
                    || names.contains(&format!("{nb}/{na}").as_str()),
                "{na}/{nb} ({heterozygous} heterozygous): {names:?} {:?}",
                call.no_call
            );
        }
    }
    eprintln!("{large} CYP2D6 pairs with more than 16 heterozygous positions");
    assert!(large >= 50, "{large}");
}
