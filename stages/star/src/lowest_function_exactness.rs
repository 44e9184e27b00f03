//! Exactness of the unphased DPYD/RYR1 haplotype list
//! ([`crate::possible_alleles::from_strands`]) against the enumeration it
//! replaced.
//!
//! Seeded genotype vectors of DPYD and RYR1: a random pair of named alleles,
//! unphased, plus zero to five extra random heterozygous positions; some
//! lose positions, some carry an undocumented allele, some phase part of
//! their heterozygous positions without a phase set, some carry HapB3. For
//! each vector within the old expansion limit, the whole call
//! ([`crate::GeneMatch`]: haplotype matches, candidates, flags, no-call
//! reason) and the lowest-function diplotype must equal those of
//! PharmCAT's enumeration of every sequence, order included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tailor_definitions::{Definitions, GeneDefinition};

use crate::allele_pairs_exactness::{compile, strand, Rng};
use crate::compiled::CompiledGene;
use crate::hapb3::HAPB3_ALLELES;
use crate::lowest_function::lowest_function_diplotype;
use crate::match_data::{MatchData, Prepare};
use crate::matcher::{match_gene, match_gene_by_enumeration, MatchOptions, NoCallReason};
use crate::phenotype::PhenotypeTables;
use crate::possible_alleles;
use crate::SampleAllele;

/// A random vector: alleles `a` and `b` unphased, plus `extra` random
/// heterozygous positions and one variation in five.
fn genotypes(
    definition: &GeneDefinition,
    a: usize,
    b: usize,
    extra: usize,
    rng: &mut Rng,
) -> Vec<Option<SampleAllele>> {
    let n = definition.variants.len();
    let mut pairs: Vec<(String, String)> = (0..n)
        .map(|i| (strand(definition, a, i, rng), strand(definition, b, i, rng)))
        .collect();
    for _ in 0..extra {
        let i = rng.below(n);
        let variant = &definition.variants[i];
        let alt = variant.alts[rng.below(variant.alts.len())].clone();
        pairs[i].1 = alt;
    }
    let variation = rng.below(5);
    let mut out: Vec<Option<SampleAllele>> = pairs
        .iter()
        .map(|(x, y)| {
            // One case in 5: some heterozygous positions phased, no set.
            let phased = variation == 0 && x != y && rng.below(2) == 0;
            Some(SampleAllele::diploid(x, y, phased, None))
        })
        .collect();
    match variation {
        // One to three positions missing.
        1 => {
            for _ in 0..=rng.below(3) {
                out[rng.below(n)] = None;
            }
        }
        // An undocumented allele.
        2 => {
            let i = rng.below(n);
            out[i] = Some(SampleAllele::diploid(&pairs[i].0, "TTTTTTTTT", false, None));
        }
        _ => {}
    }
    out
}

#[derive(Default, Debug)]
struct Tally {
    /// Vectors whose calls were compared.
    compared: usize,
    /// Compared calls ending in a haplotype list.
    lists: usize,
    /// Lists naming an allele twice.
    twice: usize,
    /// Unphased vectors the strands could not settle (enumerated).
    enumerated: usize,
    /// Vectors beyond the old expansion limit.
    too_large: usize,
}

/// Whether the strands settle the haplotype list of this vector.
fn settled_by_strands(gene: &CompiledGene, genotypes: &[Option<SampleAllele>]) -> bool {
    let exclude: &[&str] = if gene.gene == "DPYD" {
        &HAPB3_ALLELES
    } else {
        &[]
    };
    let prepare = Prepare {
        assume_reference: false,
        find_combinations: true,
        undocumented_as_reference: gene.undocumented_as_reference,
        exclude,
        expand: false,
    };
    let data = MatchData::new(gene, genotypes, prepare).unwrap();
    data.expanded || possible_alleles::from_strands(&data).is_some()
}

fn check(gene: &CompiledGene, g: &[Option<SampleAllele>], tally: &mut Tally, what: &str) {
    let tables = PhenotypeTables::embedded();
    let options = MatchOptions::default();
    let old = match_gene_by_enumeration(gene, g, options);
    if old.no_call == Some(NoCallReason::ExpansionLimit) {
        tally.too_large += 1;
        return;
    }
    let new = match_gene(gene, g, options);
    assert_eq!(new, old, "{what}");
    assert_eq!(
        lowest_function_diplotype(&gene.gene, &new, &tables),
        lowest_function_diplotype(&gene.gene, &old, &tables),
        "{what}"
    );
    tally.compared += 1;
    if !new.haplotype_matches.is_empty() {
        tally.lists += 1;
        let mut names = new.haplotype_matches.clone();
        names.sort();
        names.dedup();
        if names.len() < new.haplotype_matches.len() {
            tally.twice += 1;
        }
        if !settled_by_strands(gene, g) {
            tally.enumerated += 1;
        }
    }
}

fn run(gene_name: &str, seed: u64, vectors: usize) -> Tally {
    let definitions = Definitions::embedded().unwrap();
    let (definition, gene) = compile(&definitions, gene_name);
    let alleles = definition.named_alleles.len();
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    for _ in 0..vectors {
        let (a, b) = (rng.below(alleles), rng.below(alleles));
        let extra = rng.below(6);
        let g = genotypes(&definition, a, b, extra, &mut rng);
        let what = format!(
            "{gene_name} {}/{} +{extra}: {g:?}",
            definition.named_alleles[a].name, definition.named_alleles[b].name
        );
        check(&gene, &g, &mut tally, &what);
    }
    eprintln!("{gene_name}: {tally:?}");
    tally
}

#[test]
fn dpyd_unphased_calls_equal_the_enumeration() {
    let tally = run("DPYD", 20_261_202, 3_000);
    assert!(tally.compared >= 2_500, "{tally:?}");
    assert!(tally.lists >= 1_000, "{tally:?}");
    assert!(tally.twice >= 50, "{tally:?}");
}

#[test]
fn ryr1_unphased_calls_equal_the_enumeration() {
    let tally = run("RYR1", 10, 3_000);
    assert!(tally.compared >= 2_500, "{tally:?}");
    assert!(tally.lists >= 1_000, "{tally:?}");
}

/// Issue 10, item 11: unphased DPYD and RYR1 samples with more than 16
/// heterozygous positions (an `expansion_limit` no call before) are
/// called: each position is heterozygous for a one-position named allele,
/// and the list names every named allele those alternate alleles make up,
/// once each, in PharmCAT's name order.
#[test]
fn issue_10_many_unphased_heterozygous_dpyd_and_ryr1_positions_are_called() {
    use crate::name_order::compare_haplotype_names;
    let definitions = Definitions::embedded().unwrap();
    let tables = PhenotypeTables::embedded();
    for (name, seed) in [("DPYD", 3), ("RYR1", 4)] {
        let (definition, gene) = compile(&definitions, name);
        let single: Vec<(usize, String)> = definition
            .named_alleles
            .iter()
            .filter(|a| !a.reference && !HAPB3_ALLELES.contains(&a.name.as_str()))
            .filter_map(|a| {
                let cells: Vec<(usize, &String)> = a
                    .alleles
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| c.as_ref().map(|c| (i, c)))
                    .collect();
                match cells.as_slice() {
                    [(i, c)] if definition.variants[*i].alts.contains(c) => {
                        Some((*i, (*c).clone()))
                    }
                    _ => None,
                }
            })
            .collect();
        let mut rng = Rng(seed);
        for heterozygous in [17, 20, 24] {
            // Distinct positions, one alternate allele each.
            let mut chosen: Vec<(usize, String)> = Vec::new();
            while chosen.len() < heterozygous {
                let (i, alt) = &single[rng.below(single.len())];
                if !chosen.iter().any(|(j, _)| j == i) {
                    chosen.push((*i, alt.clone()));
                }
            }
            let g: Vec<Option<SampleAllele>> = definition
                .variants
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let alt = chosen.iter().find(|(j, _)| *j == i).map(|(_, a)| a);
                    let second = alt.unwrap_or(&v.reference);
                    Some(SampleAllele::diploid(&v.reference, second, false, None))
                })
                .collect();
            // Named alleles whose every defined cell is a chosen allele.
            let mut expected: Vec<&str> = definition
                .named_alleles
                .iter()
                .filter(|a| !a.reference && !HAPB3_ALLELES.contains(&a.name.as_str()))
                .filter(|a| {
                    a.alleles.iter().enumerate().all(|(i, c)| {
                        c.as_ref()
                            .is_none_or(|c| chosen.iter().any(|(j, alt)| *j == i && alt == c))
                    })
                })
                .map(|a| a.name.as_str())
                .collect();
            expected.sort_by(|a, b| compare_haplotype_names(a, b));
            let call = match_gene(&gene, &g, MatchOptions::default());
            assert_eq!(call.no_call, None, "{name} {heterozygous}");
            assert!(!call.effectively_phased);
            assert!(call.diplotypes.is_empty());
            assert_eq!(call.haplotype_matches, expected, "{name} {heterozygous}");
            assert!(call.haplotype_matches.len() >= heterozygous);
            let lowest = lowest_function_diplotype(name, &call, &tables).unwrap();
            assert!(expected.contains(&lowest.haplotype_1.as_str()));
            let second = lowest.haplotype_2.unwrap();
            assert!(expected.contains(&second.as_str()));
            let old = match_gene_by_enumeration(&gene, &g, MatchOptions::default());
            assert_eq!(old.no_call, Some(NoCallReason::ExpansionLimit));
        }
    }
}

/// Where `expansion_limit` still applies: combinations (here a half-missing
/// genotype with `--combinations`) and DPYD with 17 phase sets; unphased
/// DPYD with 17 heterozygous positions is called, `--combinations` or not.
/// Unphased homozygous reference at every position of `definition`.
fn all_reference(definition: &GeneDefinition) -> Vec<Option<SampleAllele>> {
    definition
        .variants
        .iter()
        .map(|v| {
            Some(SampleAllele::diploid(
                &v.reference,
                &v.reference,
                false,
                None,
            ))
        })
        .collect()
}

#[test]
fn expansion_limit_still_applies_to_combinations_and_phase_sets() {
    let definitions = Definitions::embedded().unwrap();
    let combinations = MatchOptions {
        top_candidate_only: true,
        find_combinations: true,
    };
    let (cyp2d6, gene) = compile(&definitions, "CYP2D6");
    let mut g = all_reference(&cyp2d6);
    for (i, v) in cyp2d6.variants.iter().enumerate().take(17) {
        g[i] = Some(SampleAllele::diploid(&v.reference, &v.alts[0], false, None));
    }
    g[17] = Some(SampleAllele::half_missing(
        &cyp2d6.variants[17].reference,
        true,
        false,
    ));
    let call = match_gene(&gene, &g, combinations);
    assert_eq!(call.no_call, Some(NoCallReason::ExpansionLimit));
    let (dpyd, gene) = compile(&definitions, "DPYD");
    let het_at = |i: usize, phase_set: Option<i64>| {
        let v = &dpyd.variants[i];
        Some(SampleAllele::diploid(
            &v.reference,
            &v.alts[0],
            phase_set.is_some(),
            phase_set,
        ))
    };
    let reference = all_reference(&dpyd);
    let hapb3 = |i: usize| {
        let name = &dpyd.variants[i].hgvs;
        name.as_deref()
            .is_some_and(|h| h.contains("1129-5923") || h.contains("1236G"))
    };
    let positions: Vec<usize> = (0..dpyd.variants.len())
        .filter(|&i| !hapb3(i))
        .take(17)
        .collect();
    let mut phase_sets = reference.clone();
    let mut unphased = reference;
    for (set, &i) in positions.iter().enumerate() {
        phase_sets[i] = het_at(i, Some(i64::try_from(set).unwrap()));
        unphased[i] = het_at(i, None);
    }
    let call = match_gene(&gene, &phase_sets, MatchOptions::default());
    assert_eq!(call.no_call, Some(NoCallReason::ExpansionLimit));
    for options in [MatchOptions::default(), combinations] {
        let call = match_gene(&gene, &unphased, options);
        assert_eq!(call.no_call, None);
        assert!(call.haplotype_matches.len() >= 17, "{call:?}");
    }
}
