//! CYP2D6 copy number on aligned reads (`tailor call` and `tailor ingest`):
//! the copy-number stage's call per file, from the reader the pileup then
//! genotypes CYP2D6 with at that copy number, and the evidence the star
//! stage structures the CYP2D6 call with. The stages
//! do not know each other; this module joins them.

use std::collections::HashMap;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, UInt32Type};
use arrow_array::{Array, RecordBatch};
use tailor_copy_number::CopyNumberCall;
use tailor_definitions::cyp2d_locus::CYP2D6_BODY;
use tailor_definitions::GeneDefinition;
use tailor_ingest::reads::{AlignmentFile, CopyNumbers};
use tailor_schemas::copy_number::HybridKind;
use tailor_schemas::genotypes;
use tailor_star::{CopyNumberEvidence, Cyp2d6Reads, HeterozygousSite};

use crate::exit::Failure;
use crate::messages;

/// The gene whose copy number is called.
pub const CYP2D6: &str = "CYP2D6";
/// The copy-number table's file name, beside calls.parquet.
pub const COPY_NUMBER_TABLE: &str = "copy_number.parquet";

/// An error of genotyping one aligned-reads file, with the exit code it
/// deserves (the ingest and copy-number stages' errors both end here).
pub struct ReadsFailure(pub Failure);

impl From<tailor_ingest::Error> for ReadsFailure {
    fn from(e: tailor_ingest::Error) -> Self {
        Self(super::ingest::failure(e))
    }
}

/// The definition positions of `cyp2d6` (CYP2D6, when it is called), as
/// [`copy_number_hook`] takes them.
pub fn positions(cyp2d6: Option<&GeneDefinition>) -> Option<Vec<u32>> {
    cyp2d6.map(|gene| gene.variants.iter().map(|v| v.position.get()).collect())
}

/// What the pileup genotyper runs on each open file before genotyping it,
/// from the same reader: with `cyp2d6` (the positions of CYP2D6's
/// definition, when it is called), the file's CYP2D6 copy-number call and
/// the copies to genotype CYP2D6 at: the called copy number (2 when it is
/// not callable), and past the gene body the copies its ends read when a
/// hybrid makes them differ (a *13's CYP2D7 5′ end leaves 2 of 3 copies
/// at exon 1: 20 reference reads and 1 alternate are homozygous there, not
/// an uncertain heterozygote of 3 copies); else nothing.
pub fn copy_number_hook(
    cyp2d6: Option<Vec<u32>>,
) -> impl Fn(&mut AlignmentFile) -> Result<(CopyNumbers, Option<CopyNumberCall>), ReadsFailure> + Sync
{
    let options = tailor_copy_number::Options::default();
    move |file| {
        let mut copies = CopyNumbers::default();
        let Some(positions) = &cyp2d6 else {
            return Ok((copies, None));
        };
        let call = tailor_copy_number::call_file(file, &options)
            .map_err(|e| ReadsFailure(copy_number_failure(e)))?;
        if let Some(n) = call.copy_number {
            copies.set_gene(CYP2D6, n);
            for &position in positions {
                if let Some(end) = end_copies(&call, position) {
                    copies.set_position(CYP2D6, position, end);
                }
            }
        }
        Ok((copies, Some(call)))
    }
}

/// The copies the CYP2D6 `position` reads when it lies at an end of the
/// gene (exon 9, or the 5′ end) whose copies differ from the body's, and
/// both are 2 or more: a genotype of one copy is written haploid, and the
/// matcher takes a gene's positions all diploid or all haploid (a
/// `*36+*10/*5` reads exon 9 from one copy, its body from two).
fn end_copies(call: &CopyNumberCall, position: u32) -> Option<u8> {
    let end = if position < CYP2D6_BODY.start {
        call.exon9_copies
    } else if position > CYP2D6_BODY.end {
        call.five_prime_copies
    } else {
        None
    };
    end.filter(|&n| n >= 2 && call.copy_number.is_some_and(|body| body >= 2))
}

/// The exit code a copy-number error deserves: 3 for an unreadable input,
/// else 1.
fn copy_number_failure(e: tailor_copy_number::Error) -> Failure {
    use tailor_copy_number::Error;
    match e {
        Error::Definitions(_) | Error::Table(_) | Error::Arrow(_) => {
            Failure::other(anyhow::Error::new(e).context("CYP2D6 copy number"))
        }
        Error::Alignment(ref a) if !a.is_invalid_input() => Failure::other(e),
        _ => Failure::invalid_input(e),
    }
}

/// Writes copy_number.parquet beside the table `beside` (calls or
/// genotypes), with the inputs' `identities` and the `shard`.
///
/// # Errors
/// Exit 1 when the table cannot be written.
pub fn write_copy_numbers(
    copy_numbers: &[CopyNumberCall],
    identities: Vec<tailor_tables::InputIdentity>,
    shard: Option<tailor_schemas::Shard>,
    beside: &Path,
) -> Result<(), Failure> {
    let path = beside.with_file_name(COPY_NUMBER_TABLE);
    let mut metadata = tailor_copy_number::table_metadata(&tailor_copy_number::Options::default());
    metadata.inputs = identities;
    if let Some(shard) = shard {
        metadata
            .extra
            .push((tailor_schemas::SHARD_KEY.to_owned(), shard.to_string()));
    }
    tailor_copy_number::write_table(&path, copy_numbers, &metadata)
        .map_err(|e| Failure::other(anyhow::Error::new(e).context(path.display().to_string())))?;
    messages::detail(&format!(
        "copy number: {} samples -> {}",
        copy_numbers.len(),
        path.display()
    ));
    Ok(())
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
pub fn cyp2d6_reads<'a>(
    calls: impl IntoIterator<Item = &'a CopyNumberCall>,
    mut heterozygous: HashMap<String, Vec<HeterozygousSite>>,
) -> HashMap<String, Cyp2d6Reads> {
    calls
        .into_iter()
        .map(|call| {
            let reads = Cyp2d6Reads {
                evidence: evidence(call),
                heterozygous: heterozygous.remove(&call.sample_id).unwrap_or_default(),
            };
            (call.sample_id.clone(), reads)
        })
        .collect()
}
