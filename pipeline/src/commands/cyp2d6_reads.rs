//! CYP2D6 copy number in `tailor call` on aligned reads: the copy-number
//! stage's call per sample, the copies the pileup genotypes CYP2D6 at, and
//! the evidence the star stage structures the CYP2D6 call with. The stages
//! do not know each other; this module joins them.

use std::collections::HashMap;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, UInt32Type};
use arrow_array::{Array, RecordBatch};
use rayon::prelude::*;
use tailor_copy_number::CopyNumberCall;
use tailor_definitions::GeneDefinition;
use tailor_ingest::reads::{AlignedInput, CopyNumbers};
use tailor_schemas::copy_number::HybridKind;
use tailor_schemas::genotypes;
use tailor_star::{CopyNumberEvidence, Cyp2d6Reads, HeterozygousSite};

use crate::exit::Failure;

/// The gene whose copy number is called.
pub const CYP2D6: &str = "CYP2D6";
/// The copy-number table's file name, beside calls.parquet.
pub const COPY_NUMBER_TABLE: &str = "copy_number.parquet";

/// Calls the CYP2D6 copy number of every input (in parallel, one file's
/// reads at a time per thread), each named `samples[i]` as the genotypes
/// are.
///
/// # Errors
/// Exit 3 for a file the copy-number stage cannot read (naming it).
pub fn copy_number_calls(
    inputs: &[AlignedInput],
    samples: &[String],
    reference: Option<&Path>,
) -> Result<Vec<CopyNumberCall>, Failure> {
    let options = tailor_copy_number::Options::default();
    inputs
        .par_iter()
        .zip(samples)
        .map(|(input, sample)| {
            let reference = input.reference.as_deref().or(reference);
            let mut call = tailor_copy_number::call(&input.path, reference, &options)
                .map_err(copy_number_failure)?;
            call.sample_id.clone_from(sample);
            Ok(call)
        })
        .collect()
}

/// The exit code a copy-number error deserves: 3 for an unreadable input,
/// else 1.
fn copy_number_failure(e: tailor_copy_number::Error) -> Failure {
    use tailor_copy_number::Error;
    match e {
        Error::Definitions(_) | Error::Table(_) | Error::Arrow(_) => {
            Failure::other(anyhow::Error::new(e).context("CYP2D6 copy number"))
        }
        _ => Failure::invalid_input(e),
    }
}

/// The copies each sample's CYP2D6 positions are genotyped at: the called
/// copy number, or 2 (the default) when it is not callable.
pub fn genotyping_copies(calls: &[CopyNumberCall]) -> Vec<CopyNumbers> {
    calls
        .iter()
        .map(|call| {
            let mut copies = CopyNumbers::default();
            if let Some(n) = call.copy_number {
                copies.set_gene(CYP2D6, n);
            }
            copies
        })
        .collect()
}

/// The structure the star stage needs from a copy-number call.
pub fn evidence(call: &CopyNumberCall) -> CopyNumberEvidence {
    CopyNumberEvidence {
        body: call.copy_number,
        exon9: call.exon9_copies,
        five_prime: call.five_prime_copies,
        hybrid_unresolved: call.hybrids.contains(&HybridKind::Unresolved),
    }
}

/// Per sample of `batch` (CYP2D6 genotypes rows from reads), its
/// heterozygous positions with the reads of each allele. An allele's reads
/// are its entry in `allele_depths` (the definition's REF, then its ALTs in
/// order); a position whose allele is undocumented is left out.
pub fn heterozygous_sites(
    batch: &RecordBatch,
    gene: &GeneDefinition,
) -> HashMap<String, Vec<HeterozygousSite>> {
    let mut sites: HashMap<String, Vec<HeterozygousSite>> = HashMap::new();
    let column = |name: &str| batch.column_by_name(name);
    let (Some(samples), Some(positions), Some(first), Some(second), Some(depths)) = (
        column(genotypes::SAMPLE_ID).and_then(|c| c.as_string_opt::<i32>()),
        column(genotypes::POS).and_then(|c| c.as_primitive_opt::<UInt32Type>()),
        column(genotypes::ALLELE_1).and_then(|c| c.as_string_opt::<i32>()),
        column(genotypes::ALLELE_2).and_then(|c| c.as_string_opt::<i32>()),
        column(genotypes::ALLELE_DEPTHS).and_then(|c| c.as_list_opt::<i32>()),
    ) else {
        return sites;
    };
    for row in 0..batch.num_rows() {
        if first.is_null(row) || second.is_null(row) || depths.is_null(row) {
            continue;
        }
        let (a, b) = (first.value(row), second.value(row));
        let position = positions.value(row);
        let Some(variant) = gene.variants.iter().find(|v| v.position.get() == position) else {
            continue;
        };
        let row_depths = depths.value(row);
        let Some(row_depths) = row_depths.as_primitive_opt::<Int32Type>() else {
            continue;
        };
        let reads_of = |allele: &str| {
            let i = std::iter::once(&variant.reference)
                .chain(&variant.alts)
                .position(|x| x == allele)
                .filter(|&i| i < row_depths.len())?;
            u32::try_from(row_depths.value(i)).ok()
        };
        if a == b {
            continue;
        }
        if let (Some(n_a), Some(n_b)) = (reads_of(a), reads_of(b)) {
            sites
                .entry(samples.value(row).to_owned())
                .or_default()
                .push(HeterozygousSite {
                    position,
                    alleles: [(a.to_owned(), n_a), (b.to_owned(), n_b)],
                });
        }
    }
    sites
}

/// Every sample's CYP2D6 evidence: its copy-number call and heterozygous
/// sites.
pub fn cyp2d6_reads(
    calls: &[CopyNumberCall],
    mut heterozygous: HashMap<String, Vec<HeterozygousSite>>,
) -> HashMap<String, Cyp2d6Reads> {
    calls
        .iter()
        .map(|call| {
            let reads = Cyp2d6Reads {
                evidence: evidence(call),
                heterozygous: heterozygous.remove(&call.sample_id).unwrap_or_default(),
            };
            (call.sample_id.clone(), reads)
        })
        .collect()
}
