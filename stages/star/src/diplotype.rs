//! Haplotype and diplotype matches, and PharmCAT's `DiplotypeMatcher`:
//! pair the haplotypes that explain the sample's sequences, score and order
//! the pairs.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::allele_pairs;
use crate::combination;
use crate::complement_pairs;
use crate::match_data::{Haplotype, MatchData};
use crate::name_order::compare_haplotype_names;

/// A haplotype (named allele, combination or partial) matched on one strand.
#[derive(Clone, Debug)]
pub(crate) struct HaplotypeMatch {
    pub name: String,
    pub haplotype: Haplotype,
    /// A combination or partial (PharmCAT's `CombinationMatch`).
    pub combination: bool,
    /// Whether it names a partial (an unexplained variant).
    pub partial: bool,
    /// Names of the named alleles it is made of, in PharmCAT's component
    /// order (its own name when it is a single named allele).
    pub components: Vec<String>,
    /// HGVS names of its partials, by 1-based position.
    pub partials: BTreeMap<u32, String>,
    /// Indices into [`MatchData::permutations`], ascending (empty when
    /// paired without sequences, [`crate::allele_pairs`]).
    pub sequences: Vec<usize>,
}

impl HaplotypeMatch {
    /// A single named allele matched on `sequences`.
    pub(crate) fn named(haplotype: &Haplotype, sequences: Vec<usize>) -> Self {
        Self {
            name: haplotype.name.clone(),
            haplotype: haplotype.clone(),
            combination: false,
            partial: false,
            components: vec![haplotype.name.clone()],
            partials: BTreeMap::new(),
            sequences,
        }
    }

    pub(crate) fn compare(&self, other: &Self) -> Ordering {
        compare_haplotype_names(&self.name, &other.name)
            .then_with(|| {
                if !self.combination && !other.combination {
                    self.haplotype.score.cmp(&other.haplotype.score)
                } else {
                    Ordering::Equal
                }
            })
            .then_with(|| self.sequences.len().cmp(&other.sequences.len()))
            .then_with(|| self.sequences.cmp(&other.sequences))
    }
}

/// Two haplotype matches (one when haploid) and their score.
#[derive(Clone, Debug)]
pub(crate) struct DiplotypeMatch {
    pub haplotype_1: HaplotypeMatch,
    pub haplotype_2: Option<HaplotypeMatch>,
    pub score: i32,
    /// (sequence of the first match given, sequence of the second).
    pub pairs: Vec<(usize, usize)>,
}

impl DiplotypeMatch {
    /// Pairs two matches (haplotypes in PharmCAT's order), scored as the sum
    /// of their haplotypes' scores.
    pub(crate) fn new(a: HaplotypeMatch, b: Option<HaplotypeMatch>) -> Self {
        match b {
            Some(b) => {
                let score = a.haplotype.score + b.haplotype.score;
                let (h1, h2) = if b.compare(&a) == Ordering::Less {
                    (b, a)
                } else {
                    (a, b)
                };
                Self {
                    haplotype_1: h1,
                    haplotype_2: Some(h2),
                    score,
                    pairs: Vec::new(),
                }
            }
            None => Self {
                score: a.haplotype.score,
                haplotype_1: a,
                haplotype_2: None,
                pairs: Vec::new(),
            },
        }
    }

    /// `*1/*2`, or the one name when haploid.
    pub(crate) fn name(&self) -> String {
        match &self.haplotype_2 {
            Some(h2) => format!("{}/{}", self.haplotype_1.name, h2.name),
            None => self.haplotype_1.name.clone(),
        }
    }

    /// PharmCAT's diplotype order: best score first, then by haplotypes.
    pub(crate) fn compare(&self, other: &Self) -> Ordering {
        other
            .score
            .cmp(&self.score)
            .then_with(|| self.haplotype_1.compare(&other.haplotype_1))
            .then_with(|| match (&self.haplotype_2, &other.haplotype_2) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(a), Some(b)) => a.compare(b),
            })
    }
}

/// Sorts and drops duplicates (what a Java `TreeSet` does).
pub(crate) fn sort_dedup<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    items.sort_by(&cmp);
    items.dedup_by(|a, b| cmp(a, b) == Ordering::Equal);
}

/// Matches every haplotype against every sequence (exact matching).
pub(crate) fn compare_permutations(data: &MatchData<'_>) -> Vec<HaplotypeMatch> {
    let mut out: Vec<HaplotypeMatch> = data
        .haplotypes
        .iter()
        .filter_map(|h| {
            let sequences: Vec<usize> = data
                .permutations
                .iter()
                .enumerate()
                .filter(|(_, s)| h.matches(&s.alleles))
                .map(|(i, _)| i)
                .collect();
            (!sequences.is_empty()).then(|| HaplotypeMatch::named(h, sequences))
        })
        .collect();
    sort_dedup(&mut out, HaplotypeMatch::compare);
    out
}

/// What to compute.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Compute {
    pub find_combinations: bool,
    pub find_partials: bool,
    pub top_candidate_only: bool,
}

/// PharmCAT's `DiplotypeMatcher.compute`. Named-allele matching on data
/// whose sequences were not generated (more than two of them) pairs the
/// compatible named alleles instead ([`allele_pairs`]), with the same
/// result.
pub(crate) fn compute(data: &MatchData<'_>, what: Compute) -> Vec<DiplotypeMatch> {
    if !data.expanded && !what.find_combinations {
        let pairs = allele_pairs::pair_named_alleles(data);
        return order(data, pairs, what);
    }
    if data.permutations.is_empty() {
        return Vec::new();
    }
    let matches = if what.find_combinations {
        let mut m = combination::compute(data, what.find_partials);
        sort_dedup(&mut m, HaplotypeMatch::compare);
        m
    } else {
        let m = compare_permutations(data);
        if m.is_empty() {
            return Vec::new();
        }
        m
    };
    let mut pairs = if data.permutations.len() == 1 {
        homozygous_pairs(data, &matches)
    } else {
        complement_pairs::heterozygous_pairs(data, &matches, what.find_combinations)
    };
    if !what.find_combinations {
        for dm in &mut pairs {
            let best = dm
                .pairs
                .iter()
                .map(|&pair| score_for_pair(data, dm, pair))
                .fold(0, i32::max);
            dm.score = best;
        }
    }
    order(data, pairs, what)
}

/// Sorts the candidates in PharmCAT's order and keeps the best-scoring
/// ones when asked (not for a gene with unphased priorities, when unphased).
fn order(
    data: &MatchData<'_>,
    mut pairs: Vec<DiplotypeMatch>,
    what: Compute,
) -> Vec<DiplotypeMatch> {
    sort_dedup(&mut pairs, DiplotypeMatch::compare);
    let priority_mode = !data.effectively_phased && data.gene.unphased_priority_mode;
    if what.top_candidate_only && !priority_mode && pairs.len() > 1 {
        let top = pairs[0].score;
        pairs.retain(|d| d.score == top);
    }
    pairs
}

fn homozygous_pairs(data: &MatchData<'_>, matches: &[HaplotypeMatch]) -> Vec<DiplotypeMatch> {
    if let [only] = matches {
        let mut dm = if data.haploid {
            DiplotypeMatch::new(only.clone(), None)
        } else {
            DiplotypeMatch::new(only.clone(), Some(only.clone()))
        };
        dm.pairs.push((0, 0));
        return vec![dm];
    }
    let mut out = Vec::new();
    for (i, a) in matches.iter().enumerate() {
        for b in &matches[i..] {
            let mut dm = DiplotypeMatch::new(a.clone(), Some(b.clone()));
            dm.pairs.push((0, 0));
            out.push(dm);
        }
    }
    out
}

/// PharmCAT's quadratic pairing, the oracle of
/// [`complement_pairs::heterozygous_pairs`].
#[cfg(test)]
pub(crate) fn heterozygous_pairs_quadratic(
    data: &MatchData<'_>,
    matches: &[HaplotypeMatch],
    find_combinations: bool,
) -> Vec<DiplotypeMatch> {
    let mut by_name: BTreeMap<&str, Vec<&HaplotypeMatch>> = BTreeMap::new();
    for m in matches {
        by_name.entry(m.name.as_str()).or_default().push(m);
    }
    let mut names: Vec<&str> = by_name.keys().copied().collect();
    names.sort_by(|a, b| compare_haplotype_names(a, b));
    let mut out = Vec::new();
    for (i, &name_1) in names.iter().enumerate() {
        for &name_2 in &names[i..] {
            let mut hm1s: Vec<&HaplotypeMatch> = by_name.get(name_1).cloned().unwrap_or_default();
            let mut hm2s: Vec<&HaplotypeMatch> = by_name.get(name_2).cloned().unwrap_or_default();
            if name_1 == name_2 {
                if hm1s.len() == 1 {
                    if hm1s[0].sequences.len() == 1 {
                        continue;
                    }
                } else if find_combinations && hm1s[0].combination && hm1s.len() == 2 {
                    hm2s = vec![hm1s[0]];
                    hm1s = vec![hm1s[1]];
                }
            }
            for m1 in &hm1s {
                for m2 in &hm2s {
                    let mut seq_pairs = Vec::new();
                    for &s1 in &m1.sequences {
                        for &s2 in &m2.sequences {
                            if is_viable_complement(data, s1, s2) {
                                seq_pairs.push((s1, s2));
                            }
                        }
                    }
                    if !seq_pairs.is_empty() {
                        let mut dm = DiplotypeMatch::new((*m1).clone(), Some((*m2).clone()));
                        // As PharmCAT: pairs keep the (m1, m2) orientation
                        // even when the diplotype sorts m2 first.
                        dm.pairs = seq_pairs;
                        out.push(dm);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
fn is_viable_complement(data: &MatchData<'_>, s1: usize, s2: usize) -> bool {
    let (a, b) = (
        &data.permutations[s1].alleles,
        &data.permutations[s2].alleles,
    );
    (0..data.available.len()).all(|x| {
        if data.is_homozygous_at(x) {
            a[x] == b[x]
        } else {
            a[x] != b[x]
        }
    })
}

fn sequences_for(m: &HaplotypeMatch, pair: &[usize]) -> Vec<usize> {
    if m.sequences.len() == 1 {
        return m.sequences.clone();
    }
    let mut out: Vec<usize> = m
        .sequences
        .iter()
        .copied()
        .filter(|s| pair.contains(s))
        .collect();
    out.dedup();
    out
}

fn score_for_pair(data: &MatchData<'_>, dm: &DiplotypeMatch, (s1, s2): (usize, usize)) -> i32 {
    let m1 = &dm.haplotype_1;
    let Some(m2) = &dm.haplotype_2 else {
        return m1
            .haplotype
            .score_for_sample(data, &sequences_for(m1, &[s1]));
    };
    let homozygous = m1.name == m2.name;
    let (m1_seqs, m2_seqs) = if homozygous {
        (sequences_for(m1, &[s1]), sequences_for(m2, &[s2]))
    } else {
        (sequences_for(m1, &[s1, s2]), sequences_for(m2, &[s1, s2]))
    };
    m1.haplotype.score_for_sample(data, &m1_seqs) + m2.haplotype.score_for_sample(data, &m2_seqs)
}
