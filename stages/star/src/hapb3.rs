//! DPYD's HapB3 rule (PharmCAT's `DpydHapB3Matcher`).
//!
//! HapB3 is defined by two variants: the intronic c.1129-5923C>G
//! (rs75017182), which is causal, and the exonic c.1236G>A (rs56038477),
//! which tags it. A strand with the intronic variant is HapB3 when it also
//! has the exonic one and the intronic-only allele `c.1129-5923C>G` when it
//! does not; a strand with the exonic variant alone is HapB3 only when the
//! intronic position was not genotyped (warning `hapb3_exonic_only`), and is
//! reference when the intronic position says reference (warning
//! `hapb3_intronic_mismatch_exonic`). The other DPYD alleles are matched
//! without the two HapB3 alleles, and HapB3 is then merged into each
//! haplotype.

use std::collections::BTreeMap;

use crate::combination::combination_match;
use crate::diplotype::{sort_dedup, DiplotypeMatch, HaplotypeMatch};
use crate::match_data::MatchData;
use crate::name_order::is_combination;
use crate::{CompiledGene, SampleAllele};

/// The HapB3 allele (both variants).
pub(crate) const HAPB3: &str = "c.1129-5923C>G, c.1236G>A (HapB3)";
/// The intronic variant alone.
pub(crate) const HAPB3_INTRONIC: &str = "c.1129-5923C>G";
/// The two alleles matched separately from the other DPYD alleles.
pub(crate) const HAPB3_ALLELES: [&str; 2] = [HAPB3, HAPB3_INTRONIC];
const EXONIC_RSID: &str = "rs56038477";
const INTRONIC_RSID: &str = "rs75017182";
const REFERENCE: &str = "Reference";

/// A HapB3 warning (PharmCAT's messages of the same meaning).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HapB3Warning {
    /// HapB3 was called from the exonic variant alone: the intronic
    /// position was not genotyped.
    ExonicOnly,
    /// The exonic variant was seen on a strand whose intronic position is
    /// reference: read as reference.
    IntronicMismatchExonic,
}

/// One sample's HapB3 evidence for DPYD.
///
/// "Other variants" are looked for among DPYD's positions only. PharmCAT
/// looks at every position it read from the VCF, all genes included; the
/// two only part when a sample's one DPYD variant is HapB3 and another gene
/// has a variant, where PharmCAT reaches the same diplotype through its
/// combination path instead (the HapB3 scenario test gives the same calls
/// either way).
pub(crate) struct HapB3<'a> {
    gene: &'a CompiledGene,
    exonic: usize,
    intronic: usize,
    /// HapB3's allele at the exonic and intronic positions.
    hapb3_exonic: &'a str,
    hapb3_intronic: &'a str,
    genotypes: &'a [Option<SampleAllele>],
    /// Whether the sample has a variant at either HapB3 position.
    pub has_variants: bool,
    /// Whether the sample has a variant at any other DPYD position.
    pub has_other_variants: bool,
    warnings: Vec<HapB3Warning>,
    called_hapb3: usize,
    called_intronic: usize,
}

/// Whether a genotype is anything but homozygous reference (PharmCAT
/// strips `0`, `/` and `|` from the GT and looks for what is left).
fn has_variant(sample: &SampleAllele, reference: &str) -> bool {
    sample.is_partial()
        || [&sample.allele_1, &sample.allele_2]
            .iter()
            .any(|a| a.as_deref().is_some_and(|a| a != reference))
}

impl<'a> HapB3<'a> {
    /// The HapB3 evidence of `genotypes`, or `None` when the definitions
    /// lack either HapB3 variant or allele (custom definitions).
    pub(crate) fn new(
        gene: &'a CompiledGene,
        genotypes: &'a [Option<SampleAllele>],
    ) -> Option<Self> {
        let by_rsid = |rsid: &str| {
            gene.variants
                .iter()
                .position(|v| v.rsid.as_deref() == Some(rsid))
        };
        let (exonic, intronic) = (by_rsid(EXONIC_RSID)?, by_rsid(INTRONIC_RSID)?);
        let hapb3 = gene.alleles.iter().find(|a| a.name == HAPB3)?;
        gene.alleles.iter().find(|a| a.name == HAPB3_INTRONIC)?;
        let hapb3_exonic = hapb3.cells.get(exonic)?.as_deref()?;
        let hapb3_intronic = hapb3.cells.get(intronic)?.as_deref()?;
        let variant_at = |i: usize| {
            genotypes
                .get(i)
                .and_then(Option::as_ref)
                .is_some_and(|s| has_variant(s, &gene.variants[i].reference))
        };
        let has_variants = variant_at(exonic) || variant_at(intronic);
        let has_other_variants = (0..gene.variants.len())
            .filter(|&i| i != exonic && i != intronic)
            .any(variant_at);
        Some(Self {
            gene,
            exonic,
            intronic,
            hapb3_exonic,
            hapb3_intronic,
            genotypes,
            has_variants,
            has_other_variants,
            warnings: Vec::new(),
            called_hapb3: 0,
            called_intronic: 0,
        })
    }

    /// The warnings raised so far, sorted and unique.
    pub(crate) fn warnings(&self) -> Vec<HapB3Warning> {
        let mut w = self.warnings.clone();
        w.sort();
        w.dedup();
        w
    }

    fn warn(&mut self, warning: HapB3Warning) {
        self.warnings.push(warning);
    }

    /// How many HapB3 and intronic-HapB3 alleles the unphased call found.
    pub(crate) fn called(&self) -> usize {
        self.called_hapb3 + self.called_intronic
    }

    /// The unphased haplotype list's HapB3 entries: HapB3 then intronic.
    pub(crate) fn haplotype_names(&self) -> Vec<String> {
        let mut out = vec![HAPB3.to_owned(); self.called_hapb3];
        out.extend(std::iter::repeat_n(
            HAPB3_INTRONIC.to_owned(),
            self.called_intronic,
        ));
        out
    }

    /// Strand calls at one HapB3 position: `Some(true)` carries HapB3's
    /// allele, `Some(false)` does not, `None` is a missing phased strand.
    fn strands(sample: &SampleAllele, allele: &str) -> Vec<Option<bool>> {
        let mut out = Vec::new();
        match &sample.allele_1 {
            None if sample.phased => out.push(None),
            None => {}
            Some(a) => out.push(Some(a == allele)),
        }
        if let Some(a) = &sample.allele_2 {
            out.push(Some(a == allele));
        }
        out
    }

    /// PharmCAT's `callHapB3HaplotypeMatches`, for unphased data: counts the
    /// HapB3 and intronic-HapB3 alleles from the two positions alone.
    pub(crate) fn call_unphased(&mut self, data: &MatchData<'_>) {
        let sample = |i: usize| self.genotypes.get(i).and_then(Option::as_ref);
        let (exon, intron) = (sample(self.exonic), sample(self.intronic));
        let mut phased = data.effectively_phased;
        if !phased && data.using_phase_sets {
            let set = |s: Option<&SampleAllele>| s.filter(|s| s.phased).and_then(|s| s.phase_set);
            phased = set(exon).is_some() && set(exon) == set(intron);
        }
        let ones = |c: &[Option<bool>]| c.iter().filter(|s| **s == Some(true)).count();
        let called = |c: &[Option<bool>]| c.iter().filter(|s| s.is_some()).count();
        let (mut hapb3, mut intronic) = (0, 0);
        match (exon, intron) {
            (None, None) => {}
            (Some(exon), None) => {
                let calls = Self::strands(exon, self.hapb3_exonic);
                hapb3 = ones(&calls);
                if called(&calls) == 2 {
                    self.warn(HapB3Warning::ExonicOnly);
                }
            }
            (None, Some(intron)) => {
                intronic = ones(&Self::strands(intron, self.hapb3_intronic));
            }
            (Some(exon), Some(intron)) => {
                let i_calls = Self::strands(intron, self.hapb3_intronic);
                let e_calls = Self::strands(exon, self.hapb3_exonic);
                let (i_n, e_n) = (called(&i_calls), called(&e_calls));
                if i_n == 0 {
                    hapb3 = ones(&e_calls);
                    if e_n != 0 {
                        self.warn(HapB3Warning::IntronicMismatchExonic);
                    }
                } else if e_n == 0 {
                    intronic = ones(&i_calls);
                } else if phased {
                    for strand in 0..2 {
                        let i = i_calls.get(strand).copied().flatten();
                        let e = e_calls.get(strand).copied().flatten();
                        match i {
                            Some(false) if e != Some(false) => {
                                self.warn(HapB3Warning::IntronicMismatchExonic);
                            }
                            Some(true) if e == Some(true) => hapb3 += 1,
                            Some(true) => intronic += 1,
                            _ => {}
                        }
                    }
                } else if i_n == 2 && e_n == 2 {
                    let (i_ones, e_ones) = (ones(&i_calls), ones(&e_calls));
                    if i_ones == e_ones {
                        hapb3 = i_ones;
                    } else if i_ones > e_ones {
                        intronic = 1;
                        if e_ones == 1 {
                            hapb3 = 1;
                        } else if i_ones == 2 {
                            intronic = 2;
                        }
                    } else {
                        // The intronic call trumps the exonic one.
                        if i_ones == 1 {
                            hapb3 = 1;
                        }
                        self.warn(HapB3Warning::IntronicMismatchExonic);
                    }
                }
            }
        }
        self.called_hapb3 = hapb3;
        self.called_intronic = intronic;
    }

    /// The HapB3 allele a phased sequence carries, if any (PharmCAT's
    /// `callPhasedHapB3`), with its warnings.
    fn phased_allele(&mut self, data: &MatchData<'_>, sequence: usize) -> Option<&'static str> {
        let allele_at = |definition_index: usize| {
            let x = data.available.iter().position(|&i| i == definition_index)?;
            let allele = data.permutations[sequence].alleles[x];
            (allele != ".").then_some(allele)
        };
        let variants = &self.gene.variants;
        let intron = allele_at(self.intronic);
        let has_exon = allele_at(self.exonic).is_some_and(|a| a != variants[self.exonic].reference);
        match intron {
            Some(a) if a != variants[self.intronic].reference => {
                Some(if has_exon { HAPB3 } else { HAPB3_INTRONIC })
            }
            Some(_) => {
                if has_exon {
                    self.warn(HapB3Warning::IntronicMismatchExonic);
                }
                None
            }
            None if has_exon => {
                self.warn(HapB3Warning::ExonicOnly);
                Some(HAPB3)
            }
            None => None,
        }
    }

    /// Adds the strand's HapB3 allele to `base` (PharmCAT's `buildMatch`):
    /// a reference base becomes the HapB3 allele, anything else a
    /// combination with it.
    fn add_to(
        data: &MatchData<'_>,
        hapb3: &str,
        base: &HaplotypeMatch,
        sequence: usize,
    ) -> HaplotypeMatch {
        let find = |name: &str| data.haplotypes.iter().find(|h| h.name == name);
        let Some(allele) = find(hapb3) else {
            return base.clone();
        };
        if !base.combination && base.name == REFERENCE {
            return HaplotypeMatch::named(allele, Vec::new());
        }
        let mut components = vec![allele];
        components.extend(base.components.iter().filter_map(|c| find(c)));
        let mut merged = combination_match(data, sequence, components, BTreeMap::new());
        merged.combination = is_combination(&merged.name);
        merged
    }

    /// Merges each strand's HapB3 call into `matches` (PharmCAT's
    /// `mergePhasedHapB3Call`). `data` holds every DPYD allele.
    pub(crate) fn merge_phased(
        &mut self,
        data: &MatchData<'_>,
        matches: Vec<DiplotypeMatch>,
    ) -> Vec<DiplotypeMatch> {
        if !self.has_variants {
            return matches;
        }
        let mut out = Vec::with_capacity(matches.len());
        for dm in matches {
            let mut strand = |m: &HaplotypeMatch| {
                let sequence = m.sequences.first().copied().unwrap_or(0);
                match self.phased_allele(data, sequence) {
                    Some(hapb3) => Self::add_to(data, hapb3, m, sequence),
                    None => m.clone(),
                }
            };
            let h1 = strand(&dm.haplotype_1);
            let h2 = dm.haplotype_2.as_ref().map(&mut strand);
            out.push(DiplotypeMatch::new(h1, h2));
        }
        sort_dedup(&mut out, DiplotypeMatch::compare);
        out
    }

    /// The diplotype of a sample whose only DPYD variants are HapB3's
    /// (PharmCAT's `addPhasedHapB3CallToRef`).
    pub(crate) fn reference_with_hapb3(&mut self, data: &MatchData<'_>) -> Vec<DiplotypeMatch> {
        let Some(reference) = data.haplotypes.iter().find(|h| h.reference) else {
            return Vec::new();
        };
        let mut haplotypes = Vec::new();
        for sequence in 0..data.permutations.len() {
            let name = self.phased_allele(data, sequence);
            let allele = name
                .and_then(|n| data.haplotypes.iter().find(|h| h.name == n))
                .unwrap_or(reference);
            haplotypes.push(HaplotypeMatch::named(allele, Vec::new()));
        }
        let first = haplotypes.first().cloned();
        let second = if haplotypes.len() == 2 {
            haplotypes.pop()
        } else {
            first.clone()
        };
        first
            .map(|h1| vec![DiplotypeMatch::new(h1, second)])
            .unwrap_or_default()
    }

    /// Drops the partials that name a HapB3 variant: those are explained by
    /// the HapB3 merge (PharmCAT's `fixPartials`).
    pub(crate) fn fix_partials(
        &self,
        data: &MatchData<'_>,
        matches: Vec<DiplotypeMatch>,
    ) -> Vec<DiplotypeMatch> {
        let positions = [
            self.gene.variants[self.exonic].position.get(),
            self.gene.variants[self.intronic].position.get(),
        ];
        let fix = |m: &HaplotypeMatch| -> HaplotypeMatch {
            if !m.partials.keys().any(|p| positions.contains(p)) {
                return m.clone();
            }
            let mut partials = m.partials.clone();
            partials.retain(|p, _| !positions.contains(p));
            let sequence = m.sequences.first().copied().unwrap_or(0);
            let components: Vec<_> = m
                .components
                .iter()
                .filter_map(|c| data.haplotypes.iter().find(|h| &h.name == c))
                .collect();
            if partials.is_empty() {
                if let [only] = components.as_slice() {
                    if only.reference {
                        return HaplotypeMatch::named(only, vec![sequence]);
                    }
                }
            }
            let mut fixed = combination_match(data, sequence, components, partials);
            fixed.combination = is_combination(&fixed.name) || fixed.partial;
            fixed
        };
        let mut out: Vec<DiplotypeMatch> = matches
            .iter()
            .map(|dm| DiplotypeMatch::new(fix(&dm.haplotype_1), dm.haplotype_2.as_ref().map(fix)))
            .collect();
        sort_dedup(&mut out, DiplotypeMatch::compare);
        out
    }
}
