//! PharmCAT's `NamedAlleleMatcher` for one sample x gene: the default path,
//! combinations, and the lowest-function path of DPYD and RYR1.

use crate::compiled::CompiledGene;
use crate::diplotype::{compute, Compute, DiplotypeMatch};
use crate::match_data::{MatchData, Prepare, PrepareError};
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
    /// DPYD/RYR1 unphased with no exact or phased-combination call.
    LowestFunctionUnphased,
    /// Too many unphased heterozygous positions to expand.
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
    let undocumented_as_reference =
        gene.undocumented_as_reference && (gene.lowest_function || !options.find_combinations);
    let caller = Caller {
        gene,
        genotypes,
        options,
        undocumented_as_reference,
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
}

struct Outcome<'a> {
    data: Option<MatchData<'a>>,
    matches: Vec<DiplotypeMatch>,
    no_call: Option<NoCallReason>,
}

impl<'a> Caller<'a> {
    fn prepare(
        &self,
        assume_reference: bool,
        find_combinations: bool,
    ) -> Result<MatchData<'a>, PrepareError> {
        MatchData::new(
            self.gene,
            self.genotypes,
            Prepare {
                assume_reference,
                find_combinations,
                undocumented_as_reference: self.undocumented_as_reference,
                exclude: &[],
            },
        )
    }

    fn fail(data: Option<MatchData<'a>>, reason: NoCallReason) -> Outcome<'a> {
        Outcome {
            data,
            matches: Vec::new(),
            no_call: Some(reason),
        }
    }

    fn done(data: MatchData<'a>, matches: Vec<DiplotypeMatch>) -> Outcome<'a> {
        let no_call = matches.is_empty().then_some(NoCallReason::NoMatch);
        Outcome {
            data: Some(data),
            matches,
            no_call,
        }
    }

    /// Prepares the first data set and applies the common no-call checks.
    fn initial(&self) -> Result<MatchData<'a>, Box<Outcome<'a>>> {
        let data = match self.prepare(true, false) {
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
        let data = match self.prepare(false, true) {
            Ok(d) => d,
            Err(_) => return Self::fail(None, NoCallReason::ExpansionLimit),
        };
        if data.samples.is_empty() {
            return Self::fail(Some(data), NoCallReason::NoData);
        }
        let matches = compute(&data, all(true, true));
        Self::done(data, matches)
    }

    fn lowest_function(&self) -> Outcome<'a> {
        let original = match self.initial() {
            Ok(d) => d,
            Err(outcome) => return *outcome,
        };
        if original.effectively_phased {
            let matches = compute(&original, all(false, false));
            if !matches.is_empty() {
                return Self::done(original, matches);
            }
        }
        let phased_enough = original.effectively_phased || original.using_phase_sets;
        if phased_enough {
            if let Ok(data) = self.prepare(false, true) {
                let matches = compute(&data, all(true, true));
                if !matches.is_empty() {
                    return Self::done(data, matches);
                }
            }
        }
        let Ok(combo) = self.prepare(false, true) else {
            return Self::fail(Some(original), NoCallReason::ExpansionLimit);
        };
        let matches = compute(&combo, all(true, false));
        if !matches.is_empty() && (phased_enough || combo.using_phase_sets) {
            return Self::done(combo, matches);
        }
        Self::fail(Some(original), NoCallReason::LowestFunctionUnphased)
    }

    fn finish(&self, outcome: Outcome<'a>) -> GeneMatch {
        let Outcome {
            data,
            matches,
            no_call,
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
            no_call: if diplotypes.is_empty() {
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
        }
    }
}

fn all(find_combinations: bool, find_partials: bool) -> Compute {
    Compute {
        find_combinations,
        find_partials,
        top_candidate_only: false,
    }
}
