//! How aligned reads are genotyped.

use std::path::PathBuf;

use tailor_schemas::SampleSexes;

/// Default minimum mapping quality. CYP2D6 and CYP2D7 (and other paralogs)
/// share long stretches; aligners give reads there MAPQ 0-3, and a read
/// that may belong to the pseudogene would make a CYP2D6 genotype of
/// CYP2D7 bases. 20 (a 1 % chance the placement is wrong) is the threshold
/// GATK's HaplotypeCaller and the NYGC 1000 Genomes calls use.
pub const DEFAULT_MIN_MAPPING_QUALITY: u8 = 20;

/// Default minimum base quality: 13, bcftools mpileup's default. Illumina
/// writes Q2 (and older pipelines Q<10) for bases it does not trust; at 13
/// a base is wrong at most 5 % of the time, and the likelihood model weighs
/// the rest by their quality.
pub const DEFAULT_MIN_BASE_QUALITY: u8 = 13;

/// Default minimum depth: 8 usable reads. With fewer, a heterozygote is too
/// often seen on one allele only (at 8 reads both alleles are missed with
/// probability 2 x 0.5^8, under 1 %), so a position below it is written
/// missing (flag `low_depth`), never reference.
pub const DEFAULT_MIN_DEPTH: u32 = 8;

/// Options of genotyping from aligned reads.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Reads with a lower mapping quality are skipped.
    pub min_mapping_quality: u8,
    /// Bases (every base of an allele's span) with a lower quality are not
    /// counted.
    pub min_base_quality: u8,
    /// Positions with fewer usable reads are missing (flag `low_depth`).
    pub min_depth: u32,
    /// Sex per sample: males are haploid on chrX.
    pub sex: SampleSexes,
    /// Only these genes (all when empty).
    pub genes: Vec<String>,
    /// FASTA reference for CRAM inputs without one of their own.
    pub reference: Option<PathBuf>,
    /// Hash whole input files (SHA-256) for provenance.
    pub hash_inputs: bool,
    /// Only the definition positions inside these regions (`-r/-R`).
    pub regions: Option<Vec<tailor_schemas::Region>>,
    /// The shard of the cohort the inputs are (`--shard K/N`; the caller
    /// chose the inputs), recorded in the table's metadata.
    pub shard: Option<tailor_schemas::Shard>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            min_mapping_quality: DEFAULT_MIN_MAPPING_QUALITY,
            min_base_quality: DEFAULT_MIN_BASE_QUALITY,
            min_depth: DEFAULT_MIN_DEPTH,
            sex: SampleSexes::default(),
            genes: Vec::new(),
            reference: None,
            hash_inputs: false,
            regions: None,
            shard: None,
        }
    }
}
