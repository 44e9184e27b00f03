//! PharmCAT's `NamedAlleleMatcher` for one sample x gene: the default path,
//! combinations, and the lowest-function path of DPYD and RYR1.

use crate::compiled::CompiledGene;
use crate::diplotype::{compute, Compute, DiplotypeMatch};
use crate::hapb3::{HapB3, HapB3Warning, HAPB3_ALLELES};
use crate::match_data::{MatchData, Prepare, PrepareError};
use crate::possible_alleles::{self, PossibleAlleles, REFERENCE};
use crate::SampleAllele;

/// Matching options (PharmCAT's matcher switches).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatchOptions {
    /// Keep only the best-scoring diplotypes (`--all-matches` turns it off).
    pub top_candidate_only: bool,
    /// Explain unmatched haplotypes as combinations and partials.
    pub find_combinations: bool,
}

impl Default for MatchOptions {
    fn default() -> Self {
        Self {
            top_candidate_only: true,
            find_combinations: false,
        }
    }
}

/// Why a gene got no diplotype.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoCallReason {
    /// No definition position has a genotype.
    NoData,
    /// A required position (exemptions) is missing.
    MissingRequiredPosition,
    /// A genotype has one strand missing (`./1`) and combinations are off.
    PartialGenotype,
    /// No pair of named alleles explains the genotypes.
    NoMatch,
    /// DPYD/RYR1 unphased, and no named allele matches any haplotype the
    /// genotypes allow.
    LowestFunctionUnphased,
    /// Too many unphased heterozygous positions to expand into sequences on
    /// a path that matches sequence by sequence (combinations, partial
    /// genotypes with them, DPYD/RYR1 with phase sets, unphased DPYD/RYR1
    /// data the allele strands do not settle); the default path has no
    /// such limit.
    ExpansionLimit,
}

/// One candidate diplotype.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diplotype {
    /// `*1/*2` (or the single haplotype when haploid).
    pub name: String,
    /// First haplotype.
    pub haplotype_1: String,
    /// Second haplotype (`None` when haploid).
    pub haplotype_2: Option<String>,
    /// PharmCAT's match score.
    pub score: i32,
    /// Whether either haplotype is a combination (`[*6 + *28]`).
    pub combination: bool,
    /// Whether either haplotype names a partial (an unexplained variant).
    pub partial: bool,
    /// Named alleles haplotype 1 is made of (its own name unless a
    /// combination; partials are not named alleles and are left out).
    pub components_1: Vec<String>,
    /// Named alleles of haplotype 2 (`None` when haploid).
    pub components_2: Option<Vec<String>>,
}

/// The matcher's result for one sample x gene.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneMatch {
    /// Candidate diplotypes in PharmCAT's order (empty: no call).
    pub diplotypes: Vec<Diplotype>,
    /// Why there is no call, when `diplotypes` is empty.
    pub no_call: Option<NoCallReason>,
    /// Whether every genotype was phased.
    pub phased: bool,
    /// Whether the genotypes allow at most two sequences.
    pub effectively_phased: bool,
    /// 1-based definition positions missing for the sample.
    pub missing_positions: Vec<u32>,
    /// Positions whose sample allele the definitions do not document.
    pub undocumented_positions: Vec<u32>,
    /// Whether undocumented alleles were read as reference.
    pub undocumented_as_reference: bool,
    /// Whether an unphased-priority pick (NAT2) replaced the candidates.
    pub priority_pick: bool,
    /// DPYD/RYR1 left unphased: the named alleles the sample may carry,
    /// PharmCAT's haplotype matches (a homozygous allele twice, HapB3 last);
    /// `diplotypes` is then empty.
    pub haplotype_matches: Vec<String>,
    /// Whether the gene follows the lowest-function path (DPYD, RYR1).
    pub lowest_function: bool,
    /// DPYD HapB3 warnings.
    pub hapb3_warnings: Vec<HapB3Warning>,
}

impl GeneMatch {
    /// The candidate names, PharmCAT's diplotype list.
    pub fn names(&self) -> Vec<&str> {
        self.diplotypes.iter().map(|d| d.name.as_str()).collect()
    }
}

/// Calls one gene for one sample.
///
/// `genotypes` is aligned with [`CompiledGene::variants`]; `None` is a
/// missing position.
pub fn match_gene(
    gene: &CompiledGene,
    genotypes: &[Option<SampleAllele>],
    options: MatchOptions,
) -> GeneMatch {
    match_gene_with(gene, genotypes, options, false)
}

/// [`match_gene`] with DPYD and RYR1's unphased step enumerating every
/// sequence as PharmCAT does (within [`crate::MAX_BRANCH_POINTS`]): the
/// oracle of the exactness test.
#[cfg(test)]
pub(crate) fn match_gene_by_enumeration(
    gene: &CompiledGene,
    genotypes: &[Option<SampleAllele>],
    options: MatchOptions,
) -> GeneMatch {
    match_gene_with(gene, genotypes, options, true)
}

fn match_gene_with(
    gene: &CompiledGene,
    genotypes: &[Option<SampleAllele>],
    options: MatchOptions,
    enumerate_lowest_function: bool,
) -> GeneMatch {
    let undocumented_as_reference =
        gene.undocumented_as_reference && (gene.lowest_function || !options.find_combinations);
    let caller = Caller {
        gene,
        genotypes,
        options,
        undocumented_as_reference,
        enumerate_lowest_function,
    };
    let outcome = if gene.lowest_function {
        caller.lowest_function()
    } else {
        caller.assuming_reference()
    };
    caller.finish(outcome)
}

struct Caller<'a> {
    gene: &'a CompiledGene,
    genotypes: &'a [Option<SampleAllele>],
    options: MatchOptions,
    undocumented_as_reference: bool,
    /// Whether the lowest-function path enumerates every sequence, as
    /// PharmCAT does (the oracle of the exactness tests).
    enumerate_lowest_function: bool,
}

struct Outcome<'a> {
    data: Option<MatchData<'a>>,
    matches: Vec<DiplotypeMatch>,
    /// Lowest-function haplotype list (unphased DPYD/RYR1).
    haplotypes: Vec<String>,
    no_call: Option<NoCallReason>,
    hapb3: Vec<HapB3Warning>,
}

/// Where the lowest-function path ended.
enum Step {
    Diplotypes(Vec<DiplotypeMatch>),
    Haplotypes(Vec<String>),
}

impl<'a> Caller<'a> {
    /// Prepares data whose sequences are all generated (paths that match
    /// sequence by sequence).
    fn prepare(
        &self,
        assume_reference: bool,
        find_combinations: bool,
        exclude: &[&str],
    ) -> Result<MatchData<'a>, PrepareError> {
        self.prepare_data(assume_reference, find_combinations, exclude, true)
    }

    fn prepare_data(
        &self,
        assume_reference: bool,
        find_combinations: bool,
        exclude: &[&str],
        expand: bool,
    ) -> Result<MatchData<'a>, PrepareError> {
        MatchData::new(
            self.gene,
            self.genotypes,
            Prepare {
                assume_reference,
                find_combinations,
                undocumented_as_reference: self.undocumented_as_reference,
                exclude,
                expand,
            },
        )
    }

    fn fail(data: Option<MatchData<'a>>, reason: NoCallReason) -> Outcome<'a> {
        Outcome {
            data,
            matches: Vec::new(),
            haplotypes: Vec::new(),
            no_call: Some(reason),
            hapb3: Vec::new(),
        }
    }

    fn done(data: MatchData<'a>, matches: Vec<DiplotypeMatch>) -> Outcome<'a> {
        let no_call = matches.is_empty().then_some(NoCallReason::NoMatch);
        Outcome {
            data: Some(data),
            matches,
            haplotypes: Vec::new(),
            no_call,
            hapb3: Vec::new(),
        }
    }

    /// Prepares the first data set and applies the common no-call checks.
    fn initial(&self) -> Result<MatchData<'a>, Box<Outcome<'a>>> {
        // The default path pairs named alleles without the sequences; steps
        // that need them prepare their own data.
        let expand = self.gene.lowest_function && self.enumerate_lowest_function;
        let data = match self.prepare_data(true, false, &[], expand) {
            Ok(d) => d,
            Err(PrepareError::ExpansionLimit) => {
                return Err(Box::new(Self::fail(None, NoCallReason::ExpansionLimit)))
            }
        };
        if data.samples.is_empty() {
            return Err(Box::new(Self::fail(Some(data), NoCallReason::NoData)));
        }
        if !data.missing_required().is_empty() {
            let reason = NoCallReason::MissingRequiredPosition;
            return Err(Box::new(Self::fail(Some(data), reason)));
        }
        Ok(data)
    }

    fn assuming_reference(&self) -> Outcome<'a> {
        let data = match self.initial() {
            Ok(d) => d,
            Err(outcome) => return *outcome,
        };
        if data.has_partial_missing() {
            if self.options.find_combinations {
                return self.combination();
            }
            return Self::fail(Some(data), NoCallReason::PartialGenotype);
        }
        let matches = compute(
            &data,
            Compute {
                find_combinations: false,
                find_partials: false,
                top_candidate_only: self.options.top_candidate_only,
            },
        );
        if matches.is_empty() && self.options.find_combinations {
            return self.combination();
        }
        Self::done(data, matches)
    }

    fn combination(&self) -> Outcome<'a> {
        let data = match self.prepare(false, true, &[]) {
            Ok(d) => d,
            Err(_) => return Self::fail(None, NoCallReason::ExpansionLimit),
        };
        if data.samples.is_empty() {
            return Self::fail(Some(data), NoCallReason::NoData);
        }
        let matches = compute(&data, all(true, true));
        Self::done(data, matches)
    }

    /// PharmCAT's lowest-function path (DPYD, RYR1): exact diplotypes when
    /// effectively phased, then combinations when phased, else the list of
    /// haplotypes the sample may carry. DPYD's HapB3 is matched apart and
    /// merged back ([`HapB3`]).
    fn lowest_function(&self) -> Outcome<'a> {
        let original = match self.initial() {
            Ok(d) => d,
            Err(outcome) => return *outcome,
        };
        let mut hapb3 = if self.gene.gene == "DPYD" {
            HapB3::new(self.gene, self.genotypes)
        } else {
            None
        };
        let step = self.lowest_function_steps(&original, hapb3.as_mut());
        let hapb3_warnings = hapb3.map(|h| h.warnings()).unwrap_or_default();
        let mut outcome = match step {
            Ok(Step::Diplotypes(matches)) => Self::done(original, matches),
            Ok(Step::Haplotypes(names)) if !names.is_empty() => Outcome {
                data: Some(original),
                matches: Vec::new(),
                haplotypes: names,
                no_call: None,
                hapb3: Vec::new(),
            },
            Ok(Step::Haplotypes(_)) => {
                Self::fail(Some(original), NoCallReason::LowestFunctionUnphased)
            }
            Err(PrepareError::ExpansionLimit) => {
                Self::fail(Some(original), NoCallReason::ExpansionLimit)
            }
        };
        outcome.hapb3 = hapb3_warnings;
        outcome
    }

    fn lowest_function_steps(
        &self,
        original: &MatchData<'a>,
        mut hapb3: Option<&mut HapB3<'a>>,
    ) -> Result<Step, PrepareError> {
        let with_hapb3 = hapb3.as_ref().is_some_and(|h| h.has_variants);
        let without_hapb3: &[&str] = if with_hapb3 { &HAPB3_ALLELES } else { &[] };
        if original.effectively_phased {
            let working;
            let data = if with_hapb3 {
                working = self.prepare(true, false, without_hapb3)?;
                &working
            } else {
                original
            };
            let matches = compute(data, all(false, false));
            if let Some(h) = hapb3.as_deref_mut().filter(|h| h.has_variants) {
                let merger = self.prepare(false, false, &[])?;
                if !matches.is_empty() {
                    return Ok(Step::Diplotypes(h.merge_phased(&merger, matches)));
                }
                if !h.has_other_variants {
                    return Ok(Step::Diplotypes(h.reference_with_hapb3(&merger)));
                }
            }
            if !matches.is_empty() {
                return Ok(Step::Diplotypes(matches));
            }
        }
        let phased_enough = original.effectively_phased || original.using_phase_sets;
        if phased_enough {
            let combo = self.prepare(false, true, without_hapb3)?;
            let matches = compute(&combo, all(true, true));
            if let Some(h) = hapb3.as_deref_mut().filter(|h| h.has_variants) {
                let merger = self.prepare(false, false, &[])?;
                if !matches.is_empty() {
                    let fixed = h.fix_partials(&merger, matches);
                    return Ok(Step::Diplotypes(h.merge_phased(&merger, fixed)));
                }
                if !h.has_other_variants {
                    return Ok(Step::Diplotypes(h.reference_with_hapb3(&merger)));
                }
            }
            if !matches.is_empty() {
                return Ok(Step::Diplotypes(matches));
            }
        }
        // DPYD's remaining steps never match HapB3 as an ordinary allele.
        let exclude: &[&str] = if hapb3.is_some() { &HAPB3_ALLELES } else { &[] };
        if !phased_enough && !self.enumerate_lowest_function {
            // Unphased: the haplotype list from the strands each allele
            // matches, without the sequences when possible.
            let lazy = self.prepare_data(false, true, exclude, false)?;
            if let Some(possible) = possible_alleles::from_strands(&lazy) {
                return Ok(Step::Haplotypes(haplotype_list(original, possible, hapb3)));
            }
        }
        let combo = self.prepare(false, true, exclude)?;
        let matches = compute(&combo, all(true, false));
        if !matches.is_empty() && phased_enough {
            if let Some(h) = hapb3.as_deref_mut().filter(|h| h.has_variants) {
                let merger = self.prepare(false, true, &[])?;
                return Ok(Step::Diplotypes(h.merge_phased(&merger, matches)));
            }
            return Ok(Step::Diplotypes(matches));
        }
        let possible = possible_alleles::enumerated(&combo, &matches);
        Ok(Step::Haplotypes(haplotype_list(original, possible, hapb3)))
    }

    fn finish(&self, outcome: Outcome<'a>) -> GeneMatch {
        let Outcome {
            data,
            matches,
            haplotypes,
            no_call,
            hapb3,
        } = outcome;
        let position = |i: &usize| self.gene.variants[*i].position.get();
        let (phased, effectively_phased, missing, undocumented, as_reference) = match &data {
            Some(d) => (
                d.phased && !d.samples.is_empty(),
                d.effectively_phased,
                d.missing.iter().map(position).collect(),
                d.undocumented_positions.iter().map(position).collect(),
                d.undocumented_as_reference,
            ),
            None => (
                false,
                false,
                self.genotypes
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| g.is_none())
                    .map(|(i, _)| position(&i))
                    .collect(),
                Vec::new(),
                false,
            ),
        };
        let mut diplotypes: Vec<Diplotype> = matches
            .iter()
            .map(|m| Diplotype {
                name: m.name(),
                haplotype_1: m.haplotype_1.name.clone(),
                haplotype_2: m.haplotype_2.as_ref().map(|h| h.name.clone()),
                score: m.score,
                combination: m.haplotype_1.combination
                    || m.haplotype_2.as_ref().is_some_and(|h| h.combination),
                partial: m.haplotype_1.partial || m.haplotype_2.as_ref().is_some_and(|h| h.partial),
                components_1: m.haplotype_1.components.clone(),
                components_2: m.haplotype_2.as_ref().map(|h| h.components.clone()),
            })
            .collect();
        let mut priority_pick = false;
        if diplotypes.len() > 1 && !effectively_phased {
            for priority in &self.gene.exemptions.unphased_priorities {
                let all_present = priority
                    .diplotypes
                    .iter()
                    .all(|p| diplotypes.iter().any(|d| &d.name == p));
                if all_present {
                    if let Some(pick) = diplotypes.iter().find(|d| d.name == priority.pick) {
                        diplotypes = vec![pick.clone()];
                        priority_pick = true;
                    }
                    break;
                }
            }
        }
        for d in &mut diplotypes {
            for (sub, core) in &self.gene.suballeles {
                if d.name.contains(sub.as_str()) {
                    d.name = d.name.replace(sub.as_str(), core);
                    d.haplotype_1 = d.haplotype_1.replace(sub.as_str(), core);
                    if let Some(h) = &mut d.haplotype_2 {
                        *h = h.replace(sub.as_str(), core);
                    }
                }
            }
        }
        GeneMatch {
            no_call: if diplotypes.is_empty() && haplotypes.is_empty() {
                no_call.or(Some(NoCallReason::NoMatch))
            } else {
                None
            },
            diplotypes,
            phased,
            effectively_phased,
            missing_positions: missing,
            undocumented_positions: undocumented,
            undocumented_as_reference: as_reference,
            priority_pick,
            haplotype_matches: haplotypes,
            lowest_function: self.gene.lowest_function,
            hapb3_warnings: hapb3,
        }
    }
}

/// PharmCAT's `callHaplotypesForLowestFunctionGene`: every named allele that
/// matches one of the sample's possible haplotypes; an allele that appears
/// on both strands of some unphased combination diplotype is listed twice;
/// `Reference` is dropped when more than two alleles are listed; DPYD's
/// HapB3 calls come last.
fn haplotype_list(
    original: &MatchData<'_>,
    possible: PossibleAlleles,
    hapb3: Option<&mut HapB3<'_>>,
) -> Vec<String> {
    let mut hapb3_called = 0;
    let mut hapb3_names = Vec::new();
    if let Some(h) = hapb3 {
        h.call_unphased(original);
        hapb3_called = h.called();
        hapb3_names = h.haplotype_names();
    }
    let PossibleAlleles {
        mut names,
        mut homozygous,
    } = possible;
    if hapb3_called > 0 {
        homozygous.remove(REFERENCE);
    }
    if names.len() + hapb3_called > 2 {
        names.retain(|m| m != REFERENCE);
    }
    let mut out = Vec::new();
    for name in names {
        let twice = homozygous.remove(&name);
        if twice {
            out.push(name.clone());
        }
        out.push(name);
    }
    out.extend(hapb3_names);
    out
}

fn all(find_combinations: bool, find_partials: bool) -> Compute {
    Compute {
        find_combinations,
        find_partials,
        top_candidate_only: false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use tailor_definitions::{
        Definitions, GeneDefinition, GeneExemptions, NamedAllele, VariantDefinition,
    };
    use tailor_schemas::Position;

    use super::*;

    fn variant(pos: u32, reference: &str, alt: &str, cpic: (&str, &str)) -> VariantDefinition {
        VariantDefinition {
            position: Position::new(pos.into()).unwrap(),
            rsid: None,
            reference: reference.into(),
            alts: vec![alt.into()],
            cpic_position: Position::new(u64::from(pos) + 2).unwrap(),
            cpic_alleles: vec![cpic.0.into(), cpic.1.into()],
            cpic_to_vcf: vec![
                (cpic.0.into(), reference.into()),
                (cpic.1.into(), alt.into()),
            ],
            hgvs: Some(format!("g.{pos}{reference}>{alt}")),
        }
    }

    fn allele(name: &str, reference: bool, cells: [Option<&str>; 4]) -> NamedAllele {
        NamedAllele {
            name: name.into(),
            id: None,
            reference,
            structural_variant: false,
            hidden_core: false,
            alleles: cells.iter().map(|c| c.map(str::to_owned)).collect(),
        }
    }

    /// Positions 100 (C>T), 200 (TA repeat: VCF CAT>CATAT, CPIC TA(7)>TA(8)),
    /// 300 (G>A), 400 (A>G).
    fn toy(gene: &str) -> CompiledGene {
        let definition = GeneDefinition {
            gene: gene.into(),
            chromosome: "chr1".into(),
            genome_build: "GRCh38".into(),
            version: "test".into(),
            source: "test".into(),
            release: "test".into(),
            variants: vec![
                variant(100, "C", "T", ("C", "T")),
                variant(200, "CAT", "CATAT", ("TA(7)", "TA(8)")),
                variant(300, "G", "A", ("G", "A")),
                variant(400, "A", "G", ("A", "G")),
            ],
            named_alleles: vec![
                allele("*1", true, [Some("C"), Some("CAT"), Some("G"), Some("A")]),
                allele("*2", false, [Some("T"), None, None, None]),
                allele("*3", false, [None, Some("CATAT"), None, None]),
                allele("*4", false, [None, None, Some("A"), Some("G")]),
                allele("*5", false, [None, None, Some("R"), None]),
            ],
            suballeles: Vec::new(),
        };
        CompiledGene::new(&definition, &GeneExemptions::none(gene), false).unwrap()
    }

    fn het(a: &str, b: &str) -> Option<SampleAllele> {
        Some(SampleAllele::diploid(a, b, false, None))
    }

    fn hom(a: &str) -> Option<SampleAllele> {
        Some(SampleAllele::diploid(a, a, false, None))
    }

    fn phased(a: &str, b: &str, ps: i64) -> Option<SampleAllele> {
        Some(SampleAllele::diploid(a, b, true, Some(ps)))
    }

    #[test]
    fn an_indel_in_vcf_representation_matches_its_cpic_allele() {
        let gene = toy("TOY");
        let call = match_gene(
            &gene,
            &[hom("C"), het("CAT", "CATAT"), hom("G"), hom("A")],
            MatchOptions::default(),
        );
        assert_eq!(call.names(), ["*1/*3"]);
        assert!(call.effectively_phased);
    }

    #[test]
    fn iupac_wobble_scores_less_when_the_sample_is_reference() {
        let gene = toy("TOY");
        // Homozygous reference: *5 (R at 300) matches too, but its wobble
        // scores nothing on a reference base; all matches are listed.
        let all = MatchOptions {
            top_candidate_only: false,
            find_combinations: false,
        };
        let call = match_gene(&gene, &[hom("C"), hom("CAT"), hom("G"), hom("A")], all);
        assert_eq!(call.names(), ["*1/*1", "*1/*5", "*5/*5"]);
        assert_eq!(call.diplotypes[0].score, 8);
        // *5 defines one position, a wobble the sample has as reference: 0.
        assert_eq!(call.diplotypes[1].score, 4);
        let top = match_gene(
            &gene,
            &[hom("C"), hom("CAT"), hom("G"), hom("A")],
            MatchOptions::default(),
        );
        assert_eq!(top.names(), ["*1/*1"]);
    }

    #[test]
    fn unphased_heterozygous_positions_pair_named_alleles() {
        // Three unphased heterozygous positions: eight sequences, matched
        // by pairing named alleles (issue 10, item 11).
        let gene = toy("TOY");
        let genotypes = [het("C", "T"), hom("CAT"), het("G", "A"), het("A", "G")];
        let call = match_gene(&gene, &genotypes, MatchOptions::default());
        assert_eq!(call.names(), ["*2/*4"]);
        assert_eq!(call.diplotypes[0].score, 3);
        assert!(!call.effectively_phased);
        assert_eq!(call.no_call, None);
    }

    #[test]
    fn an_unphased_wobble_takes_the_strand_that_scores() {
        // *5's R at 300 takes the A strand (no loss), *2 the G strand.
        let gene = toy("TOY");
        let genotypes = [het("C", "T"), hom("CAT"), het("G", "A"), hom("A")];
        let call = match_gene(&gene, &genotypes, MatchOptions::default());
        assert_eq!(call.names(), ["*2/*5"]);
        assert_eq!(call.diplotypes[0].score, 2);
        assert!(!call.effectively_phased);
    }

    #[test]
    fn two_phase_sets_expand_independently() {
        let gene = toy("TOY");
        let genotypes = [
            phased("C", "T", 1),
            phased("CAT", "CAT", 1),
            phased("G", "A", 2),
            phased("A", "G", 2),
        ];
        let call = match_gene(&gene, &genotypes, MatchOptions::default());
        assert_eq!(call.names(), ["*2/*4"]);
        assert!(call.phased);
        assert!(!call.effectively_phased);
    }

    #[test]
    fn a_missing_position_makes_its_allele_uncallable() {
        let gene = toy("TOY");
        let call = match_gene(
            &gene,
            &[None, hom("CAT"), hom("G"), hom("A")],
            MatchOptions::default(),
        );
        // *2 is defined only at 100: it drops out, so nothing can say *2.
        assert_eq!(call.names(), ["*1/*1"]);
        assert_eq!(call.missing_positions, [100]);
    }

    #[test]
    fn a_novel_variant_at_a_definition_position_is_no_call_or_reference() {
        let genotypes = [hom("C"), hom("CAT"), het("G", "C"), hom("A")];
        let call = match_gene(&toy("TOY"), &genotypes, MatchOptions::default());
        assert!(call.diplotypes.is_empty());
        assert_eq!(call.no_call, Some(NoCallReason::NoMatch));
        assert_eq!(call.undocumented_positions, [300]);
        // TPMT is one of PharmCAT's undocumented-as-reference genes.
        let call = match_gene(&toy("TPMT"), &genotypes, MatchOptions::default());
        assert_eq!(call.names(), ["*1/*1"]);
        assert!(call.undocumented_as_reference);
    }

    #[test]
    fn half_missing_genotype_is_no_call_without_combinations() {
        let genotypes = [
            hom("C"),
            hom("CAT"),
            Some(SampleAllele::half_missing("A", true, false)),
            hom("A"),
        ];
        let call = match_gene(&toy("TOY"), &genotypes, MatchOptions::default());
        assert_eq!(call.no_call, Some(NoCallReason::PartialGenotype));
    }

    #[test]
    fn haploid_g6pd_calls_one_allele() {
        let definitions = Definitions::embedded().unwrap();
        let g6pd = definitions.gene("G6PD").unwrap();
        let gene = CompiledGene::new(g6pd, &definitions.exemptions("G6PD"), false).unwrap();
        let target = g6pd.named_allele("A- 202A_376G").unwrap();
        let genotypes: Vec<Option<SampleAllele>> = g6pd
            .variants
            .iter()
            .zip(&target.alleles)
            .map(|(v, a)| Some(SampleAllele::haploid(a.as_deref().unwrap_or(&v.reference))))
            .collect();
        let call = match_gene(&gene, &genotypes, MatchOptions::default());
        assert_eq!(call.names(), ["A- 202A_376G"]);
        assert_eq!(call.diplotypes[0].haplotype_2, None);
    }
}
