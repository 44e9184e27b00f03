//! Combining the inputs' calls for one gene into genotype rows.

use std::ops::Range;
use std::sync::Arc;

use tailor_schemas::genotypes::flags;
use tailor_schemas::{Region, SampleSelection, Sex};

use crate::batch::{GenotypeBatch, Row};
use crate::gene_reader::{GeneInput, GeneSites, SampleCall, SiteCalls};
use crate::genotype::Merged;
use crate::input::Input;
use crate::{Error, Options, Result};

/// Marks a cohort sample an input does not have in [`Cohort::local`].
const NOT_IN_INPUT: u32 = u32::MAX;

/// The union of samples over all inputs.
#[derive(Debug)]
pub(crate) struct Cohort {
    /// Sample names, in order of first appearance: one input's own names
    /// (shared, not copied) when the cohort is all of them.
    pub samples: Arc<[String]>,
    /// Per input, per cohort sample: the sample's index in that input, or
    /// [`NOT_IN_INPUT`] (4 bytes a sample and input).
    local: Vec<Vec<u32>>,
}

impl Cohort {
    /// The union of the inputs' samples, less those `selection` leaves out.
    pub fn new(inputs: &[Input], selection: &SampleSelection) -> Result<Self> {
        let mut samples: Arc<[String]> = match inputs {
            [input] => Arc::clone(&input.samples),
            _ => union(inputs).into(),
        };
        if !selection.is_all() {
            let keep = selection
                .select(&samples)
                .map_err(|unknown| Error::UnknownSample {
                    paths: inputs.iter().map(|i| i.path.clone()).collect(),
                    unknown,
                })?;
            samples = keep.into_iter().map(|i| samples[i].clone()).collect();
        }
        let position: std::collections::HashMap<&str, usize> = samples
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i))
            .collect();
        let local = inputs
            .iter()
            .map(|input| {
                let mut map = vec![NOT_IN_INPUT; samples.len()];
                for (i, sample) in input.samples.iter().enumerate() {
                    if let (Some(&global), Ok(i)) =
                        (position.get(sample.as_str()), u32::try_from(i))
                    {
                        map[global] = i;
                    }
                }
                map
            })
            .collect();
        Ok(Self { samples, local })
    }

    /// The index in input `input` of cohort sample `s`, if it has it.
    pub fn local(&self, input: usize, s: usize) -> Option<usize> {
        self.local
            .get(input)?
            .get(s)
            .filter(|&&i| i != NOT_IN_INPUT)
            .map(|&i| i as usize)
    }

    /// The samples of input `input` that the cohort samples `samples`
    /// include, as the smallest range of the input's sample indices.
    pub fn local_range(&self, input: usize, samples: Range<usize>) -> Range<usize> {
        let local = self.local.get(input).map_or(&[][..], Vec::as_slice);
        let locals = local
            .get(samples)
            .unwrap_or_default()
            .iter()
            .filter(|&&i| i != NOT_IN_INPUT);
        match (locals.clone().min(), locals.max()) {
            (Some(&first), Some(&last)) => first as usize..last as usize + 1,
            _ => 0..0,
        }
    }
}

/// The inputs' sample names, each once, in order of first appearance.
fn union(inputs: &[Input]) -> Vec<String> {
    let mut samples: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for input in inputs {
        for sample in input.samples.iter() {
            if seen.insert(sample.as_str()) {
                samples.push(sample.clone());
            }
        }
    }
    samples
}

/// Writes the rows of one gene for the cohort samples `samples` (every
/// sample x site) into `batch`; `reads` hold at least these samples' calls.
pub(crate) fn emit_samples(
    gene: &GeneSites,
    inputs: &[Input],
    reads: &[GeneInput],
    cohort: &Cohort,
    options: &Options,
    samples: Range<usize>,
    batch: &mut GenotypeBatch,
) -> Result<()> {
    let on_x = gene.chrom.trim_start_matches("chr") == "X";
    // Inputs without records or coverage on the gene say nothing about it:
    // the per-row lookups below skip them (most per-gene files of a cohort
    // split by gene or chromosome).
    let active: Vec<usize> = (0..reads.len())
        .filter(|&i| reads[i].says_anything())
        .collect();
    let mut row_flags: Vec<&'static str> = Vec::with_capacity(8);
    for s in samples {
        let sample = &cohort.samples[s];
        let male = on_x && options.sex.get(sample) == Some(Sex::Male);
        let (typical_ploidy, all_phased) = sample_shape(reads, &active, cohort, s, male);
        for (k, site) in gene.sites.iter().enumerate() {
            let provider = provider(gene, inputs, reads, &active, cohort, s, k)?;
            row_flags.clear();
            let mut row = Row {
                sample_id: sample,
                gene: &gene.gene,
                chrom: &gene.chrom,
                pos: site.pos.get(),
                reference: &site.reference,
                ..Row::default()
            };
            let Some((i, local)) = provider else {
                let covered = is_covered(reads, &active, cohort, s, &gene.chrom, site.pos, options);
                row_flags.push(flags::ABSENT);
                // A deletion from an earlier position may remove this base:
                // never assume reference under it.
                let overlapped = carries_overlapping_indel(reads, &active, cohort, s, k);
                if overlapped {
                    row_flags.push(flags::UNNORMALISED_INDEL);
                }
                if options.absent_as_reference && covered && !overlapped {
                    row_flags.push(flags::ASSUMED_REFERENCE);
                    row.allele_1 = Some(&site.reference);
                    row.allele_2 = (typical_ploidy == 2).then_some(site.reference.as_str());
                    row.ploidy = typical_ploidy;
                    row.phased = all_phased;
                } else if options.absent_as_reference {
                    row_flags.push(flags::OUTSIDE_COVERAGE);
                }
                row.flags = &row_flags;
                batch.push(&row);
                continue;
            };
            let calls = &reads[i].sites[k];
            let call = reads[i].call(k, local).copied().unwrap_or_default();
            fill_called(
                &mut row,
                &mut row_flags,
                site_documented(gene, k),
                calls,
                &call,
                male,
            );
            row.source = Some(inputs[i].identity.path.as_str());
            row.flags = &row_flags;
            batch.push(&row);
        }
    }
    Ok(())
}

fn site_documented(gene: &GeneSites, k: usize) -> &[String] {
    &gene.sites[k].documented
}

/// The sample's usual ploidy in this gene and whether all its calls are phased.
fn sample_shape(
    reads: &[GeneInput],
    active: &[usize],
    cohort: &Cohort,
    s: usize,
    male: bool,
) -> (u8, bool) {
    let mut ploidy = None;
    let mut phased = true;
    for &i in active {
        let read = &reads[i];
        let Some(local) = cohort.local(i, s) else {
            continue;
        };
        for k in 0..read.sites.len() {
            if let Some(call) = read.call(k, local).filter(|c| c.merged.records > 0) {
                ploidy.get_or_insert(call.merged.ploidy);
                phased &= call.merged.phased;
            }
        }
    }
    let ploidy = if male { 1 } else { ploidy.unwrap_or(2) };
    (ploidy, phased)
}

/// Whether the sample carries an indel that starts before site `k` and
/// overlaps it, in any (active) input.
fn carries_overlapping_indel(
    reads: &[GeneInput],
    active: &[usize],
    cohort: &Cohort,
    s: usize,
    k: usize,
) -> bool {
    active.iter().any(|&i| {
        cohort
            .local(i, s)
            .and_then(|local| reads[i].call(k, local))
            .is_some_and(|call| call.unnormalised_indel)
    })
}

/// The input whose records give this sample's genotype at site `k`.
fn provider(
    gene: &GeneSites,
    inputs: &[Input],
    reads: &[GeneInput],
    active: &[usize],
    cohort: &Cohort,
    s: usize,
    k: usize,
) -> Result<Option<(usize, usize)>> {
    let mut found: Option<(usize, usize)> = None;
    for &i in active {
        let read = &reads[i];
        let Some(local) = cohort.local(i, s) else {
            continue;
        };
        let site = &read.sites[k];
        let has = site.ref_mismatch || read.call(k, local).is_some_and(|c| c.merged.records > 0);
        if !has {
            continue;
        }
        if let Some((first, _)) = found {
            return Err(Error::DuplicateGenotype {
                sample: cohort.samples[s].clone(),
                chrom: gene.chrom.clone(),
                pos: gene.sites[k].pos.get(),
                first: inputs[first].path.clone(),
                second: inputs[i].path.clone(),
            });
        }
        found = Some((i, local));
    }
    Ok(found)
}

fn is_covered(
    reads: &[GeneInput],
    active: &[usize],
    cohort: &Cohort,
    s: usize,
    chrom: &str,
    pos: tailor_schemas::Position,
    options: &Options,
) -> bool {
    if let Some(regions) = &options.covered {
        return regions.iter().any(|r: &Region| {
            tailor_genome::contig::aliases(chrom).contains(&r.chrom)
                && r.start <= pos
                && pos <= r.end
        });
    }
    active
        .iter()
        .any(|&i| cohort.local(i, s).is_some() && reads[i].coverage.covers(pos))
}

/// Fills the row for a sample with a genotype from the records at a site.
fn fill_called<'a>(
    row: &mut Row<'a>,
    row_flags: &mut Vec<&'static str>,
    documented: &[String],
    calls: &'a SiteCalls,
    call: &SampleCall,
    male: bool,
) {
    let meta = calls.records.get(usize::from(call.record));
    if let Some(meta) = meta {
        row.vcf_ref = Some(&meta.vcf_ref);
        row.vcf_alt = Some(&meta.vcf_alt);
        row.quality = meta.quality;
        row.filter = Some(&meta.filter);
    }
    row.depth = call.depth.get();
    row.genotype_quality = call.genotype_quality.get();
    if call.non_pass {
        row_flags.push(flags::NON_PASS);
    }
    if call.merged.records > 1 {
        row_flags.push(flags::MERGED_RECORDS);
    }
    if call.unnormalised_indel {
        row_flags.push(flags::UNNORMALISED_INDEL);
    }
    row.ploidy = call.merged.ploidy;
    if calls.ref_mismatch {
        row_flags.push(flags::REF_MISMATCH);
        return;
    }
    let slots = &call.merged.slots[..usize::from(call.merged.ploidy.min(2))];
    if slots.contains(&Merged::Conflict) {
        row_flags.push(flags::CONFLICT);
        return;
    }
    let missing = slots
        .iter()
        .filter(|s| matches!(s, Merged::Missing | Merged::Unset))
        .count();
    if missing == slots.len() {
        row_flags.push(flags::NO_CALL);
        return;
    }
    let allele = |slot: &Merged| -> Option<&'a str> {
        match slot {
            Merged::Reference => calls.alleles.first().map(String::as_str),
            Merged::Alternate(i) => calls.alleles.get(usize::from(*i)).map(String::as_str),
            _ => None,
        }
    };
    if missing > 0 {
        // `./1`: keep the called allele in its slot (PharmCAT's combination
        // mode names such a haplotype); the genotype stays incomplete.
        row_flags.push(flags::PARTIAL_CALL);
        row.allele_1 = slots.first().and_then(allele);
        row.allele_2 = slots.get(1).and_then(allele);
        return;
    }
    let first = slots.first().and_then(allele);
    let mut second = slots.get(1).and_then(allele);
    if male && row.ploidy == 2 {
        if first == second {
            second = None;
            row.ploidy = 1;
            row_flags.push(flags::MADE_HAPLOID);
        } else {
            row_flags.push(flags::HETEROZYGOUS_HAPLOID);
            return;
        }
    }
    let undocumented = [first, second]
        .iter()
        .flatten()
        .any(|a| !documented.iter().any(|d| d.eq_ignore_ascii_case(a)));
    if undocumented {
        row_flags.push(flags::UNDOCUMENTED_ALLELE);
    }
    row.allele_1 = first;
    row.allele_2 = second;
    row.phased = call.merged.phased || row.ploidy == 1;
    row.phase_set = match row.phased {
        true => call.phase_set.get().map(i64::from),
        false => None,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_of_cohort_samples_is_the_smallest_range_of_each_input() {
        let cohort = Cohort {
            samples: ["A", "B", "C", "D"].map(String::from).into(),
            // Input 0 has every sample in cohort order; input 1 has C and
            // A, in that order; input 2 only D.
            local: vec![
                vec![0, 1, 2, 3],
                vec![1, NOT_IN_INPUT, 0, NOT_IN_INPUT],
                vec![NOT_IN_INPUT, NOT_IN_INPUT, NOT_IN_INPUT, 0],
            ],
        };
        assert_eq!(cohort.local(1, 0), Some(1));
        assert_eq!(cohort.local(1, 1), None);
        assert_eq!(cohort.local(3, 0), None);
        assert_eq!(cohort.local_range(0, 1..3), 1..3);
        assert_eq!(cohort.local_range(1, 0..3), 0..2);
        assert_eq!(cohort.local_range(1, 1..2), 0..0);
        assert_eq!(cohort.local_range(2, 0..2), 0..0);
        assert_eq!(cohort.local_range(2, 2..4), 0..1);
        assert_eq!(cohort.local_range(3, 0..4), 0..0);
    }
}
