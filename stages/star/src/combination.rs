//! PharmCAT's `CombinationMatcher`: explain each sequence by a combination of
//! named alleles that do not overlap, plus partials (HGVS names of the
//! variants no allele explains).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::diplotype::HaplotypeMatch;
use crate::iupac;
use crate::match_data::{Haplotype, MatchData};
use crate::name_order::{compare_haplotype_names, COMBINATION_JOINER};

/// One match per sequence (or per viable combination of a sequence).
pub(crate) fn compute(data: &MatchData<'_>, find_partials: bool) -> Vec<HaplotypeMatch> {
    let mut out = Vec::new();
    let Some(reference) = data.haplotypes.iter().find(|h| h.reference) else {
        return out;
    };
    for (s, sequence) in data.permutations.iter().enumerate() {
        let alleles = &sequence.alleles;
        let variant_positions: Vec<usize> = (0..data.available.len())
            .filter(|&x| alleles[x] != data.reference_at(x))
            .collect();
        let covered: Vec<&Haplotype> = data
            .haplotypes
            .iter()
            .filter(|h| !h.reference && has_named_allele(alleles, h))
            .collect();
        if covered.len() <= 1 {
            let hap = covered.first().copied().unwrap_or(reference);
            let partials = partial_names(data, s, &variant_positions, &[hap], find_partials);
            if partials.is_empty() {
                out.push(HaplotypeMatch::named(hap, vec![s]));
            } else {
                out.push(combination_match(data, s, vec![hap], partials));
            }
        } else {
            for combo in viable_combinations(&covered) {
                let partials = partial_names(data, s, &variant_positions, &combo, find_partials);
                out.push(combination_match(data, s, combo, partials));
            }
        }
    }
    out
}

fn has_named_allele(alleles: &[&str], hap: &Haplotype) -> bool {
    hap.core
        .iter()
        .all(|&x| match (&hap.cells[x], alleles.get(x)) {
            (Some(expected), Some(sample)) => iupac::allele_matches(expected, sample),
            _ => false,
        })
}

fn overlaps(a: &Haplotype, b: &Haplotype) -> bool {
    b.core.iter().any(|p| a.core.contains(p))
}

fn viable_combinations<'h>(covered: &[&'h Haplotype]) -> Vec<Vec<&'h Haplotype>> {
    let mut sorted: Vec<&Haplotype> = covered.to_vec();
    sorted.sort_by(|a, b| {
        b.core
            .len()
            .cmp(&a.core.len())
            .then_with(|| a.name.cmp(&b.name))
    });
    sorted.dedup_by(|a, b| a.core.len() == b.core.len() && a.name == b.name);
    let mut combos: Vec<Vec<&Haplotype>> = Vec::new();
    for allele in sorted {
        let mut added = false;
        let mut overlap_count = 0;
        for combo in &mut combos {
            let mut overlapping = false;
            for existing in combo.iter() {
                if overlaps(existing, allele) {
                    overlapping = true;
                    if existing.core.len() != allele.core.len() {
                        overlap_count += 1;
                        break;
                    }
                }
            }
            if !overlapping {
                combo.push(allele);
                added = true;
            }
        }
        if !added && overlap_count == 0 {
            combos.push(vec![allele]);
        }
    }
    combos
}

/// HGVS names of variant positions no component explains, by position.
fn partial_names(
    data: &MatchData<'_>,
    sequence: usize,
    variant_positions: &[usize],
    components: &[&Haplotype],
    find_partials: bool,
) -> BTreeMap<u32, String> {
    let mut out = BTreeMap::new();
    if !find_partials {
        return out;
    }
    let alleles = &data.permutations[sequence].alleles;
    for &x in variant_positions {
        if components.iter().any(|h| h.core.contains(&x)) {
            continue;
        }
        let variant = &data.gene.variants[data.available[x]];
        out.insert(variant.position.get(), hgvs_for_allele(variant, alleles[x]));
    }
    out
}

/// PharmCAT's chromosomal HGVS name of `allele` at `variant`.
pub(crate) fn hgvs_for_allele(
    variant: &tailor_definitions::VariantDefinition,
    allele: &str,
) -> String {
    let pos = variant.position.get();
    if allele == "." {
        return format!("g.{pos}?");
    }
    if allele == variant.reference {
        return format!("g.{pos}=");
    }
    if let Some(i) = variant.alts.iter().position(|a| a == allele) {
        if let Some(name) = variant
            .hgvs
            .as_deref()
            .and_then(|h| h.split(';').map(str::trim).nth(i))
        {
            return name.to_owned();
        }
    }
    format!("g.{pos}{}>{allele}", variant.reference)
}

fn component_order(a: &Haplotype, b: &Haplotype) -> Ordering {
    b.reference
        .cmp(&a.reference)
        .then_with(|| compare_haplotype_names(&a.name, &b.name))
        .then_with(|| a.id.cmp(&b.id))
}

/// PharmCAT's `CombinationMatch` of `components` (sorted here) and
/// `partials` on one sequence.
pub(crate) fn combination_match(
    data: &MatchData<'_>,
    sequence: usize,
    mut components: Vec<&Haplotype>,
    partials: BTreeMap<u32, String>,
) -> HaplotypeMatch {
    components.sort_by(|a, b| component_order(a, b));
    let mut parts: Vec<&str> = Vec::new();
    let mut count = 0;
    for c in &components {
        if c.reference {
            continue;
        }
        if c.num_combinations > 1 {
            count += 2;
            parts.push(
                c.name
                    .strip_prefix('[')
                    .and_then(|n| n.strip_suffix(']'))
                    .unwrap_or(&c.name),
            );
        } else {
            count += 1;
            parts.push(&c.name);
        }
    }
    for name in partials.values() {
        parts.push(name);
        count += 1;
    }
    let joined = parts.join(COMBINATION_JOINER);
    let name = if count > 1 {
        format!("[{joined}]")
    } else {
        joined
    };
    let width = data.available.len();
    let cells: Vec<Option<String>> = (0..width)
        .map(|x| components.iter().find_map(|c| c.cells[x].clone()))
        .collect();
    let id = components
        .iter()
        .map(|c| c.id.as_str())
        .collect::<Vec<_>>()
        .join(COMBINATION_JOINER);
    let num_partials = i32::try_from(partials.len()).unwrap_or(i32::MAX);
    let haplotype = Haplotype::new(
        name.clone(),
        id,
        false,
        cells,
        None,
        num_partials,
        components.len(),
    );
    HaplotypeMatch {
        name,
        haplotype,
        combination: true,
        partial: !partials.is_empty(),
        components: components.iter().map(|c| c.name.clone()).collect(),
        partials,
        sequences: vec![sequence],
    }
}
