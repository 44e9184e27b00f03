//! Aligned-reads input (`--bam`, `--samplesheet`), shared by `ingest` and
//! `call`.

use std::path::PathBuf;

use clap::Args;
use rayon::prelude::*;
use tailor_copy_number::CopyNumberCall;
use tailor_ingest::reads::{
    read_samplesheet, AlignedInput, AlignmentFile, Genotyped, ReadOptions,
    DEFAULT_MIN_BASE_QUALITY, DEFAULT_MIN_DEPTH, DEFAULT_MIN_MAPPING_QUALITY,
};
use tailor_schemas::SampleSexes;

use crate::exit::Failure;

/// How aligned reads (BAM/CRAM) are read; shared by `ingest` and `call`.
#[derive(Debug, Args)]
pub struct ReadsArgs {
    /// Indexed BAM/CRAM files, one sample each (instead of VCF/BCF)
    #[arg(
        long,
        num_args = 1..,
        value_name = "FILE",
        long_help = "Indexed BAM or CRAM files (.bai/.csi/.crai next to each), one \
                     sample per file: named by its read groups' SM, else by the file \
                     stem. Genotypes are called by pileup at every definition position; \
                     only the definition regions are read."
    )]
    pub bam: Vec<PathBuf>,
    /// CSV/TSV of sample_id, path and optional reference (CRAM FASTA)
    #[arg(long, value_name = "FILE")]
    pub samplesheet: Option<PathBuf>,
    /// FASTA reference for CRAM files (bgzipped or plain, with .fai)
    #[arg(long, value_name = "FASTA")]
    pub reference: Option<PathBuf>,
    /// Skip reads below this mapping quality
    #[arg(
        long,
        value_name = "MAPQ",
        default_value_t = DEFAULT_MIN_MAPPING_QUALITY,
        long_help = "Reads below this mapping quality are not counted. 20 (1 % chance \
                     of a wrong placement) keeps CYP2D7 reads out of CYP2D6 genotypes, \
                     as GATK's default does."
    )]
    pub min_mapping_quality: u8,
    /// Skip bases below this base quality
    #[arg(
        long,
        value_name = "BASEQ",
        default_value_t = DEFAULT_MIN_BASE_QUALITY,
        long_help = "Bases below this quality are not counted (bcftools mpileup's \
                     default, 13); the others are weighed by their quality."
    )]
    pub min_base_quality: u8,
    /// Positions with fewer usable reads are missing (flag low_depth)
    #[arg(
        long,
        value_name = "READS",
        default_value_t = DEFAULT_MIN_DEPTH,
        long_help = "A position with fewer usable reads is written missing (flag \
                     low_depth), never reference: at 8 reads a heterozygote shows only \
                     one allele with probability under 1 %."
    )]
    pub min_depth: u32,
}

impl ReadsArgs {
    /// Whether aligned reads were given.
    pub fn given(&self) -> bool {
        !self.bam.is_empty() || self.samplesheet.is_some()
    }

    /// The inputs: the samplesheet's lines, then `--bam` files.
    pub fn inputs(&self) -> Result<Vec<AlignedInput>, Failure> {
        let mut inputs = match &self.samplesheet {
            Some(sheet) => read_samplesheet(sheet).map_err(Failure::invalid_input)?,
            None => Vec::new(),
        };
        inputs.extend(self.bam.iter().cloned().map(AlignedInput::new));
        Ok(inputs)
    }

    /// The stage's options for these flags, `sex`, `genes` and
    /// `hash_inputs`.
    pub fn options(&self, sex: SampleSexes, genes: &[String], hash_inputs: bool) -> ReadOptions {
        ReadOptions {
            min_mapping_quality: self.min_mapping_quality,
            min_base_quality: self.min_base_quality,
            min_depth: self.min_depth,
            sex,
            genes: genes.to_vec(),
            reference: self.reference.clone(),
            hash_inputs,
            regions: None,
            shard: None,
        }
    }
}

/// The inputs `selection` keeps (`-s/-S`, `--shard`), in input order; each
/// file's sample is known once it is opened (samplesheet id, else `SM`,
/// else the file stem), so a selection opens each file's header first.
///
/// # Errors
/// Exit 3 for an unreadable file or a listed sample no input has.
pub fn select_inputs(
    inputs: Vec<AlignedInput>,
    selection: &tailor_schemas::SampleSelection,
    options: &ReadOptions,
) -> Result<Vec<AlignedInput>, Failure> {
    if selection.is_all() {
        return Ok(inputs);
    }
    tailor_ingest::silence_htslib();
    let samples = inputs
        .par_iter()
        .map(|input| {
            AlignmentFile::open(input, options.reference.as_deref())
                .map(|file| file.sample)
                .map_err(|e| super::ingest::failure(e.into()))
        })
        .collect::<Result<Vec<String>, Failure>>()?;
    let keep = selection
        .select(&samples)
        .map_err(|e| Failure::invalid_input(anyhow::anyhow!("aligned-reads inputs: {e}")))?;
    Ok(keep.into_iter().map(|i| inputs[i].clone()).collect())
}

/// Aligned reads as `tailor ingest` genotyped them: in `tailor run`, handed
/// to the call stage in memory, so that it calls from them instead of
/// reading the files again.
pub struct GenotypedReads {
    /// The inputs, in the order genotyped.
    pub inputs: Vec<AlignedInput>,
    /// How they were read.
    pub options: ReadOptions,
    /// Each file's genotypes, and its CYP2D6 copy-number call (`None` when
    /// CYP2D6 is not called).
    pub genotyped: Genotyped<Option<CopyNumberCall>>,
}

impl GenotypedReads {
    /// Whether these are `inputs` read with `options` (the sexes aside,
    /// which `tailor run` reads from one file for both stages).
    pub fn read_as(&self, inputs: &[AlignedInput], options: &ReadOptions) -> bool {
        let (a, b) = (&self.options, options);
        self.inputs == inputs
            && a.min_mapping_quality == b.min_mapping_quality
            && a.min_base_quality == b.min_base_quality
            && a.min_depth == b.min_depth
            && a.genes == b.genes
            && a.reference == b.reference
            && a.hash_inputs == b.hash_inputs
            && a.regions == b.regions
            && a.shard == b.shard
            && a.sex.len() == b.sex.len()
    }
}

impl std::fmt::Debug for GenotypedReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GenotypedReads")
            .field("inputs", &self.inputs.len())
            .field("samples", &self.genotyped.samples().len())
            .finish_non_exhaustive()
    }
}
