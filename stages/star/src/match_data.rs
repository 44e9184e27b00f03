//! One sample's data for one gene, prepared for matching (PharmCAT's
//! `MatchData`): the positions the sample has, the named alleles reduced to
//! them, how the genotypes group into phase blocks, and (when a path needs
//! them) every haplotype sequence the genotypes allow.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::compiled::CompiledGene;
use crate::iupac;
use crate::SampleAllele;

/// Most branching points (unphased heterozygous positions, or phase sets)
/// expanded into sequences, `2^16` sequences per strand, on the paths that
/// still enumerate them: combinations (`--find-combinations`, or a partial
/// genotype with it), the combination steps of DPYD and RYR1 when phase
/// sets are used, and unphased DPYD/RYR1 data the strands do not settle
/// ([`crate::possible_alleles`]). Beyond it those paths give a no call
/// flagged `expansion_limit`. The default path pairs named alleles instead
/// ([`crate::allele_pairs`]) and has no limit, nor has the unphased
/// DPYD/RYR1 haplotype list when the strands settle it.
///
/// Combinations cannot drop the enumeration: each sequence can carry its
/// own partials, so the candidates alone number up to `2^(n-1)`. Measured
/// on CYP2D6 with 15 unphased heterozygous positions plus a half-missing
/// one (`--combinations`): 7.6 s and 32,768 candidates for one sample x
/// gene (12 + 1: 1.2 s, 4,096).
pub const MAX_BRANCH_POINTS: usize = 16;

/// A named allele reduced to the sample's available positions.
#[derive(Clone, Debug)]
pub(crate) struct Haplotype {
    pub name: String,
    pub id: String,
    pub reference: bool,
    /// Over the available positions.
    pub cells: Vec<Option<String>>,
    pub score: i32,
    /// Available-position indices holding an ambiguity code.
    pub wobbles: Vec<usize>,
    /// Available-position indices the (non-reference) allele defines.
    pub core: Vec<usize>,
    /// Number of named alleles combined in it (combinations).
    pub num_combinations: usize,
}

impl Haplotype {
    pub(crate) fn new(
        name: String,
        id: String,
        reference: bool,
        cells: Vec<Option<String>>,
        score: Option<i32>,
        num_partials: i32,
        num_combinations: usize,
    ) -> Self {
        let defined = cells.iter().filter(|c| c.is_some()).count();
        let wobbles = cells
            .iter()
            .enumerate()
            .filter(|(_, c)| c.as_deref().is_some_and(iupac::is_wobble))
            .map(|(i, _)| i)
            .collect();
        let core = if reference {
            Vec::new()
        } else {
            cells
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_some())
                .map(|(i, _)| i)
                .collect()
        };
        let score = score.unwrap_or(i32::try_from(defined).unwrap_or(i32::MAX) - num_partials);
        Self {
            name,
            id,
            reference,
            cells,
            score,
            wobbles,
            core,
            num_combinations,
        }
    }

    /// Whether the haplotype matches a sequence at every available position
    /// (a blank cell matches anything).
    pub(crate) fn matches(&self, sequence: &[&str]) -> bool {
        self.cells
            .iter()
            .zip(sequence)
            .all(|(cell, allele)| match cell {
                None => true,
                Some(expected) => iupac::allele_matches(expected, allele),
            })
    }

    /// Score against the sample: one less per wobble where every given
    /// sequence carries the reference base.
    pub(crate) fn score_for_sample(&self, data: &MatchData<'_>, sequences: &[usize]) -> i32 {
        let mut score = self.score;
        for &w in &self.wobbles {
            let reference = data.reference_at(w);
            if sequences
                .iter()
                .all(|&s| data.permutations[s].alleles[w] == reference)
            {
                score -= 1;
            }
        }
        score
    }
}

/// One haplotype sequence the sample's genotypes allow (kept in PharmCAT's
/// order: by the text `pos:allele;...`, which is built only to sort them).
#[derive(Clone, Debug)]
pub(crate) struct Sequence<'a> {
    pub alleles: Vec<&'a str>,
}

/// The matcher's view of one sample x gene.
pub(crate) struct MatchData<'a> {
    pub gene: &'a CompiledGene,
    /// Definition indices of the available positions.
    pub available: Vec<usize>,
    /// Definition indices of the missing positions.
    pub missing: Vec<usize>,
    pub samples: Vec<&'a SampleAllele>,
    /// Computed alleles per available position (undocumented read as
    /// reference where the gene says so; `.` for a missing strand).
    pub computed: Vec<(&'a str, Option<&'a str>)>,
    pub haplotypes: Cow<'a, [Haplotype]>,
    /// Sorted by `key`, so index order is PharmCAT's sequence order. Empty
    /// unless `expanded`.
    pub permutations: Vec<Sequence<'a>>,
    /// Whether `permutations` were generated: always when the genotypes
    /// allow at most two sequences, else only when [`Prepare::expand`].
    pub expanded: bool,
    /// Per available position, the index of its varying phase block (see
    /// [`MatchData::strand_allele`]), or `None` when the position's block
    /// reads the same on both strands.
    pub varying_block: Vec<Option<usize>>,
    /// Number of varying phase blocks: the genotypes allow
    /// `2^varying_blocks` sequences (one when haploid).
    pub varying_blocks: usize,
    pub haploid: bool,
    pub phased: bool,
    pub using_phase_sets: bool,
    pub effectively_phased: bool,
    pub undocumented_positions: Vec<usize>,
    pub undocumented_as_reference: bool,
}

/// Why a gene's data could not be prepared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PrepareError {
    /// Too many branching points to expand the unphased sequences.
    ExpansionLimit,
}

/// Options of one preparation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Prepare<'x> {
    pub assume_reference: bool,
    pub find_combinations: bool,
    /// Whether undocumented alleles are read as reference in this run.
    pub undocumented_as_reference: bool,
    pub exclude: &'x [&'x str],
    /// Whether to generate every sequence even when there are more than
    /// two (paths that match sequence by sequence).
    pub expand: bool,
}

impl<'a> MatchData<'a> {
    /// Organises `genotypes` (aligned with the gene's variants).
    pub(crate) fn new(
        gene: &'a CompiledGene,
        genotypes: &'a [Option<SampleAllele>],
        prepare: Prepare<'_>,
    ) -> Result<Self, PrepareError> {
        let mut available = Vec::new();
        let mut missing = Vec::new();
        let mut samples = Vec::new();
        let mut computed = Vec::new();
        let mut undocumented_positions = Vec::new();
        let mut undocumented_as_reference = false;
        let mut phased = true;
        let mut phase_sets: BTreeSet<Option<i64>> = BTreeSet::new();
        for (index, variant) in gene.variants.iter().enumerate() {
            let Some(sample) = genotypes.get(index).and_then(Option::as_ref) else {
                missing.push(index);
                continue;
            };
            let reference = variant.reference.as_str();
            let mut compute = |allele: &'a Option<String>, dot: bool| -> Option<&'a str> {
                match allele {
                    Some(a) if gene.is_undocumented(index, a) => {
                        if prepare.undocumented_as_reference {
                            undocumented_as_reference = true;
                            Some(reference)
                        } else {
                            Some(a.as_str())
                        }
                    }
                    Some(a) => Some(a.as_str()),
                    None if dot => Some("."),
                    None => None,
                }
            };
            let c1 = compute(&sample.allele_1, true).unwrap_or(".");
            let c2 = compute(&sample.allele_2, sample.second_missing);
            let undocumented = [&sample.allele_1, &sample.allele_2]
                .iter()
                .any(|a| a.as_deref().is_some_and(|a| gene.is_undocumented(index, a)));
            if undocumented {
                undocumented_positions.push(index);
            }
            if sample.phased {
                phase_sets.insert(sample.phase_set);
            } else {
                phased = false;
            }
            available.push(index);
            samples.push(sample);
            computed.push((c1, c2));
        }
        let blank_1 = samples.iter().all(|s| s.allele_1.is_none());
        let blank_2 = samples.iter().all(|s| s.allele_2.is_none());
        let haploid = !samples.is_empty() && (blank_1 || blank_2);
        let using_phase_sets = if phase_sets.contains(&None) {
            phase_sets.len() > 1
        } else {
            !phase_sets.is_empty()
        };
        let mut data = Self {
            gene,
            available,
            missing,
            samples,
            computed,
            haplotypes: Cow::Borrowed(&[]),
            permutations: Vec::new(),
            expanded: false,
            varying_block: Vec::new(),
            varying_blocks: 0,
            haploid,
            phased,
            using_phase_sets,
            effectively_phased: true,
            undocumented_positions,
            undocumented_as_reference,
        };
        if data.samples.is_empty() {
            return Ok(data);
        }
        data.marshall_haplotypes(prepare);
        data.assign_blocks();
        // As many sequences as 2^varying_blocks (one when haploid, none when
        // no strand has an allele): PharmCAT's "at most two sequences".
        data.effectively_phased = data.haploid || data.varying_blocks <= 1;
        if prepare.expand || data.effectively_phased {
            data.generate_permutations(blank_1, blank_2)?;
            data.expanded = true;
        }
        Ok(data)
    }

    /// The allele a sequence carries at available position `x` when the
    /// position's phase block reads strand 1 (`strand_1`) or strand 2, as
    /// the sequence expansion writes it (`null` for an absent second
    /// allele).
    pub(crate) fn strand_allele(&self, x: usize, strand_1: bool) -> &'a str {
        let (c1, c2) = self.computed[x];
        if strand_1 {
            c1
        } else {
            c2.unwrap_or("null")
        }
    }

    /// Groups the available positions into phase blocks, each read from
    /// strand 1 or strand 2 independently of the others: every sequence the
    /// genotypes allow is one choice of strand per block. Positions that
    /// are effectively phased (homozygous, or phased without a phase set)
    /// form one block, each phase set one block, and each unphased
    /// heterozygous position its own. A block that reads the same on both
    /// strands does not branch; the others are numbered in
    /// `varying_block`. Haploid data has a single sequence.
    fn assign_blocks(&mut self) {
        let mut block_of = Vec::with_capacity(self.samples.len());
        let mut sets: HashMap<i64, usize> = HashMap::new();
        let mut blocks = 1;
        for sample in &self.samples {
            let block = if self.haploid || sample.is_effectively_phased() {
                0
            } else if let Some(ps) = sample.phase_set {
                *sets.entry(ps).or_insert_with(|| {
                    blocks += 1;
                    blocks - 1
                })
            } else {
                blocks += 1;
                blocks - 1
            };
            block_of.push(block);
        }
        let mut varies = vec![false; blocks];
        for (x, &block) in block_of.iter().enumerate() {
            if self.strand_allele(x, true) != self.strand_allele(x, false) {
                varies[block] = true;
            }
        }
        if self.haploid {
            varies.fill(false);
        }
        let mut index = vec![None; blocks];
        let mut next = 0;
        for (block, v) in varies.iter().enumerate() {
            if *v {
                index[block] = Some(next);
                next += 1;
            }
        }
        self.varying_block = block_of.iter().map(|&b| index[b]).collect();
        self.varying_blocks = next;
    }

    /// The definition's reference allele at available position `x`.
    pub(crate) fn reference_at(&self, x: usize) -> &str {
        &self.gene.variants[self.available[x]].reference
    }

    /// Whether the sample is homozygous at available position `x`
    /// (PharmCAT compares the computed alleles; a haploid call is not).
    pub(crate) fn is_homozygous_at(&self, x: usize) -> bool {
        let (a, b) = self.computed[x];
        b == Some(a)
    }

    /// Whether any genotype has one strand missing (`./1`).
    pub(crate) fn has_partial_missing(&self) -> bool {
        self.samples.iter().any(|s| s.is_partial())
    }

    /// Required positions (exemptions) the sample is missing.
    pub(crate) fn missing_required(&self) -> Vec<usize> {
        self.missing
            .iter()
            .copied()
            .filter(|i| self.gene.required.contains(i))
            .collect()
    }

    fn marshall_haplotypes(&mut self, prepare: Prepare<'_>) {
        let gene = self.gene;
        let ugt1a1_filter = prepare.find_combinations && gene.gene.eq_ignore_ascii_case("UGT1A1");
        if self.missing.is_empty() && prepare.exclude.is_empty() && !ugt1a1_filter {
            // Every position available: the gene's precomputed haplotypes.
            self.haplotypes = Cow::Borrowed(gene.full_haplotypes(prepare.assume_reference));
            return;
        }
        self.haplotypes = Cow::Owned(marshall(
            gene,
            &self.available,
            !self.missing.is_empty(),
            prepare,
        ));
    }

    fn generate_permutations(&mut self, blank_1: bool, blank_2: bool) -> Result<(), PrepareError> {
        let mut branch_points = 0;
        let mut sets = BTreeSet::new();
        for s in &self.samples {
            if !s.is_effectively_phased() {
                match s.phase_set {
                    Some(ps) => {
                        sets.insert(ps);
                    }
                    None => branch_points += 1,
                }
            }
        }
        if !(blank_1 || blank_2) && branch_points + sets.len() > MAX_BRANCH_POINTS {
            return Err(PrepareError::ExpansionLimit);
        }
        let mut all: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
        for (first, haploid) in [(true, blank_2), (false, blank_1)] {
            if (first && blank_1) || (!first && blank_2) {
                continue;
            }
            let mut partial: Vec<(Vec<&'a str>, HashMap<i64, bool>)> =
                vec![(Vec::with_capacity(self.samples.len()), HashMap::new())];
            for (x, sample) in self.samples.iter().enumerate() {
                let (c1, c2) = self.computed[x];
                let pick = |strand_1: bool| if strand_1 { c1 } else { c2.unwrap_or("null") };
                if sample.is_effectively_phased() || haploid {
                    for (seq, _) in &mut partial {
                        seq.push(pick(first));
                    }
                    continue;
                }
                let mut next = Vec::with_capacity(partial.len() * 2);
                for (seq, chosen) in partial {
                    match sample.phase_set {
                        Some(ps) if chosen.contains_key(&ps) => {
                            let strand_1 = chosen.get(&ps).copied().unwrap_or(true);
                            let mut seq = seq;
                            seq.push(pick(strand_1));
                            next.push((seq, chosen));
                        }
                        ps => {
                            for strand_1 in [true, false] {
                                let mut s = seq.clone();
                                s.push(pick(strand_1));
                                let mut c = chosen.clone();
                                if let Some(ps) = ps {
                                    c.insert(ps, strand_1);
                                }
                                next.push((s, c));
                            }
                        }
                    }
                }
                partial = next;
            }
            for (seq, _) in partial {
                let key = self.sequence_key(&seq);
                all.entry(key).or_insert(seq);
            }
        }
        self.permutations = all
            .into_values()
            .map(|alleles| Sequence { alleles })
            .collect();
        Ok(())
    }

    fn sequence_key(&self, seq: &[&str]) -> String {
        let mut key = String::new();
        for (x, allele) in seq.iter().enumerate() {
            let pos = self.gene.variants[self.available[x]].position.get();
            key.push_str(&pos.to_string());
            key.push(':');
            key.push_str(allele);
            key.push(';');
        }
        key
    }
}

/// PharmCAT's `marshallHaplotypes` (+ `defaultMissingAllelesToReference`
/// when `assume_reference`): the named alleles reduced to the `available`
/// positions; with missing positions, an allele left with no defined
/// position drops out.
pub(crate) fn marshall(
    gene: &CompiledGene,
    available: &[usize],
    has_missing: bool,
    prepare: Prepare<'_>,
) -> Vec<Haplotype> {
    let ugt1a1 = gene.gene.eq_ignore_ascii_case("UGT1A1");
    let mut haplotypes = Vec::new();
    for allele in &gene.alleles {
        if prepare.find_combinations && ugt1a1 && allele.name.contains('+') {
            continue;
        }
        if prepare.exclude.contains(&allele.name.as_str()) {
            continue;
        }
        let cells: Vec<Option<String>> =
            available.iter().map(|&i| allele.cells[i].clone()).collect();
        let score = cells.iter().filter(|c| c.is_some()).count();
        if has_missing && score == 0 {
            continue;
        }
        let score = i32::try_from(score).unwrap_or(i32::MAX);
        let cells = if prepare.assume_reference && !allele.reference {
            cells
                .into_iter()
                .zip(available)
                .map(|(c, &i)| c.or_else(|| gene.reference_fill(i)))
                .collect()
        } else {
            cells
        };
        haplotypes.push(Haplotype::new(
            allele.name.clone(),
            allele.id.clone(),
            allele.reference,
            cells,
            Some(score),
            0,
            0,
        ));
    }
    haplotypes
}
