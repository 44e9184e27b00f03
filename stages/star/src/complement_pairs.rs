//! PharmCAT's pairing of haplotype matches on complementary sequences,
//! by looking each sequence's complement up instead of testing every pair
//! of matches: linear in the matches where PharmCAT's loop is quadratic
//! (with `--combinations` every sequence can carry its own combination
//! name, `2^n` of them, and the quadratic loop took 45 s at 12 unphased
//! heterozygous positions).

use std::collections::{BTreeMap, HashMap};

use crate::diplotype::{DiplotypeMatch, HaplotypeMatch};
use crate::match_data::MatchData;
use crate::name_order::compare_haplotype_names;

/// The complement of each sequence (the sequence with the other allele at
/// every heterozygous position), when the data has it.
fn complements(data: &MatchData<'_>) -> Vec<Option<usize>> {
    let index: HashMap<&[&str], usize> = data
        .permutations
        .iter()
        .enumerate()
        .map(|(s, seq)| (seq.alleles.as_slice(), s))
        .collect();
    data.permutations
        .iter()
        .map(|seq| {
            let other: Vec<&str> = seq
                .alleles
                .iter()
                .enumerate()
                .map(|(x, &a)| {
                    if data.is_homozygous_at(x) {
                        a
                    } else {
                        let (first, second) =
                            (data.strand_allele(x, true), data.strand_allele(x, false));
                        if a == first {
                            second
                        } else {
                            first
                        }
                    }
                })
                .collect();
            index.get(other.as_slice()).copied()
        })
        .collect()
}

/// Every pair of matches on complementary sequences, as PharmCAT's
/// `DiplotypeMatcher` pairs them (names in order; a name paired with
/// itself only across two of its matches, or the one combination pair
/// PharmCAT keeps), unsorted.
pub(crate) fn heterozygous_pairs(
    data: &MatchData<'_>,
    matches: &[HaplotypeMatch],
    find_combinations: bool,
) -> Vec<DiplotypeMatch> {
    let mut names: Vec<&str> = matches.iter().map(|m| m.name.as_str()).collect();
    names.sort_by(|a, b| compare_haplotype_names(a, b).then_with(|| a.cmp(b)));
    names.dedup();
    let rank: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut on_sequence: Vec<Vec<usize>> = vec![Vec::new(); data.permutations.len()];
    for (i, m) in matches.iter().enumerate() {
        groups.entry(m.name.as_str()).or_default().push(i);
        for &s in &m.sequences {
            if let Some(list) = on_sequence.get_mut(s) {
                list.push(i);
            }
        }
    }
    let same_name_allowed = |i1: usize, i2: usize| -> bool {
        let group = groups
            .get(matches[i1].name.as_str())
            .map_or(&[][..], Vec::as_slice);
        match group {
            [only] => matches[*only].sequences.len() > 1,
            [first, second] if find_combinations && matches[*first].combination => {
                (i1, i2) == (*second, *first)
            }
            _ => true,
        }
    };
    let complement = complements(data);
    let mut found: BTreeMap<(usize, usize), Vec<(usize, usize)>> = BTreeMap::new();
    for (i1, m1) in matches.iter().enumerate() {
        let r1 = rank.get(m1.name.as_str()).copied().unwrap_or(0);
        for &s1 in &m1.sequences {
            let Some(s2) = complement.get(s1).copied().flatten() else {
                continue;
            };
            for &i2 in &on_sequence[s2] {
                let r2 = rank.get(matches[i2].name.as_str()).copied().unwrap_or(0);
                let keep = r1 < r2 || (r1 == r2 && same_name_allowed(i1, i2));
                if keep {
                    found.entry((i1, i2)).or_default().push((s1, s2));
                }
            }
        }
    }
    found
        .into_iter()
        .map(|((i1, i2), pairs)| {
            let mut dm = DiplotypeMatch::new(matches[i1].clone(), Some(matches[i2].clone()));
            dm.pairs = pairs;
            dm
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use tailor_definitions::Definitions;

    use super::*;
    use crate::allele_pairs_exactness::{compile, genotypes, Rng};
    use crate::combination;
    use crate::diplotype::{compare_permutations, heterozygous_pairs_quadratic, sort_dedup};
    use crate::match_data::Prepare;

    type Row = (String, Vec<usize>, Vec<usize>, Vec<(usize, usize)>);

    fn rows(pairs: &[DiplotypeMatch]) -> Vec<Row> {
        let mut out: Vec<Row> = pairs
            .iter()
            .map(|d| {
                let h2 = d.haplotype_2.as_ref().map(|h| h.sequences.clone());
                (
                    d.name(),
                    d.haplotype_1.sequences.clone(),
                    h2.unwrap_or_default(),
                    d.pairs.clone(),
                )
            })
            .collect();
        out.sort();
        out
    }

    /// Seeded vectors of six genes, matched exactly, as combinations and
    /// with partials: the lookup gives the quadratic loop's pairs.
    #[test]
    fn complement_lookup_equals_the_quadratic_pairing() {
        let definitions = Definitions::embedded().unwrap();
        let mut rng = Rng(2026);
        let mut compared = 0;
        for name in ["CYP2D6", "CYP2C19", "DPYD", "NAT2", "UGT1A1", "RYR1"] {
            let (definition, gene) = compile(&definitions, name);
            let alleles = definition.named_alleles.len();
            for _ in 0..150 {
                let (a, b) = (rng.below(alleles), rng.below(alleles));
                let g = genotypes(&definition, a, b, &mut rng);
                let prepare = Prepare {
                    assume_reference: false,
                    find_combinations: true,
                    undocumented_as_reference: false,
                    exclude: &[],
                    expand: true,
                };
                let Ok(data) = MatchData::new(&gene, &g, prepare) else {
                    continue;
                };
                if data.permutations.len() < 2 || data.varying_blocks > 9 {
                    continue;
                }
                for (combinations, partials) in [(false, false), (true, false), (true, true)] {
                    let matches = if combinations {
                        let mut m = combination::compute(&data, partials);
                        sort_dedup(&mut m, HaplotypeMatch::compare);
                        m
                    } else {
                        compare_permutations(&data)
                    };
                    let fast = heterozygous_pairs(&data, &matches, combinations);
                    let slow = heterozygous_pairs_quadratic(&data, &matches, combinations);
                    assert_eq!(rows(&fast), rows(&slow), "{name} {g:?}");
                }
                compared += 1;
            }
        }
        assert!(compared >= 500, "{compared}");
    }
}
