//! The typed `[run]`, `[ingest]` and `[call]` sections. Paths are as
//! written; [`crate::Config::resolve`] makes them relative to the file.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// `[run]`: the inputs and where the tables go.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSection {
    /// VCF/BCF inputs.
    #[serde(default)]
    pub inputs: Vec<PathBuf>,
    /// BAM/CRAM inputs, one sample each (instead of VCF/BCF).
    #[serde(default)]
    pub bam: Vec<PathBuf>,
    /// Samplesheet of BAM/CRAM inputs (sample_id, path, reference).
    #[serde(default)]
    pub samplesheet: Option<PathBuf>,
    /// FASTA reference for CRAM inputs.
    #[serde(default)]
    pub reference: Option<PathBuf>,
    /// Clinical tables (CSV, TSV, either maybe gzipped, or Parquet);
    /// `tailor run` needs one at least.
    #[serde(default)]
    pub clinical: Vec<PathBuf>,
    /// Output directory (shareable when pseudonymised); `tailor run`
    /// needs it.
    #[serde(default)]
    pub output: PathBuf,
    /// Folder for the tables keyed by raw sample ids when pseudonymised
    /// (default `<output>.identified`).
    #[serde(default)]
    pub identified: Option<PathBuf>,
    /// TSV of sample and sex, for chrX.
    #[serde(default)]
    pub sex: Option<PathBuf>,
    /// Allele definitions directory (default: the embedded ones).
    #[serde(default)]
    pub definitions: Option<PathBuf>,
    /// Only these genes (HGNC symbols; empty: every gene).
    #[serde(default)]
    pub genes: Vec<String>,
    /// Pseudonymise patient ids in join.
    #[serde(default)]
    pub pseudonymise: bool,
}

impl RunSection {
    /// Whether the inputs are aligned reads (BAM/CRAM) rather than VCF/BCF.
    pub fn reads(&self) -> bool {
        !self.bam.is_empty() || self.samplesheet.is_some()
    }

    /// Whether any genotype input is named (VCF/BCF or BAM/CRAM); without
    /// one, `tailor run` calls from `[call] outside_calls` alone.
    pub fn has_genotypes(&self) -> bool {
        !self.inputs.is_empty() || self.reads()
    }
}

/// `[ingest]`: how genotypes are read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestSection {
    /// Read absent positions as reference, inside the input's span.
    pub absent_as_reference: bool,
    /// BED (0-based) of regions the input covers.
    pub covered: Option<PathBuf>,
    /// Drop genotypes of records whose FILTER is not PASS.
    pub pass_only: bool,
    /// Hash whole input files for provenance.
    pub hash_inputs: bool,
    /// Minimum mapping quality of a read (BAM/CRAM).
    pub min_mapping_quality: Option<u8>,
    /// Minimum base quality (BAM/CRAM).
    pub min_base_quality: Option<u8>,
    /// Minimum depth of a genotype (BAM/CRAM).
    pub min_depth: Option<u32>,
}

/// `[call]`: how diplotypes are called.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CallSection {
    /// Call unexplained haplotypes as combinations or partials.
    pub combinations: bool,
    /// Every matching diplotype, not only the top-scoring ones.
    pub all_matches: bool,
    /// TSV of calls made outside tailor (e.g. CYP2D6 copy number).
    pub outside_calls: Option<PathBuf>,
    /// Give CYP2D6 calls made from SNVs alone a phenotype.
    pub cyp2d6_phenotype_from_snvs: bool,
}
