//! Options of the star stage.

use std::collections::HashMap;
use std::path::PathBuf;

use tailor_schemas::SampleSexes;

use crate::cyp2d6_reads::Cyp2d6Reads;
use crate::MatchOptions;

/// What [`crate::run`] does.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// PharmCAT's matcher switches (top candidates only, combinations).
    pub matching: MatchOptions,
    /// Sex per sample (G6PD phenotype; unknown -> `Indeterminate`).
    pub sex: SampleSexes,
    /// Outside calls (PharmCAT format, optional leading sample_id column):
    /// they replace the matcher's call for their genes.
    pub outside_calls: Option<PathBuf>,
    /// Only these genes (all when empty).
    pub genes: Vec<String>,
    /// Give CYP2D6 rows called from SNVs alone a phenotype and activity
    /// score (`--cyp2d6-phenotype-from-snvs`). Off by default: without
    /// copy number the *5 deletion, duplications and hybrids are unseen and
    /// the phenotype can be wrong (HG01190, `*68+*4/*5`, a poor
    /// metabolizer, reads `*4/*41` Intermediate from SNVs).
    pub cyp2d6_phenotype_from_snvs: bool,
    /// Per sample, CYP2D6 copy number and allele depths from its reads:
    /// its CYP2D6 row is then the structured call (source `bam`).
    pub cyp2d6_reads: HashMap<String, Cyp2d6Reads>,
    /// The shard of the cohort these samples are (`--shard K/N`), recorded
    /// in the table's metadata for `tailor merge`.
    pub shard: Option<tailor_schemas::Shard>,
}

impl Options {
    /// Marks the calls table as shard `shard` of the cohort.
    pub fn shard(mut self, shard: Option<tailor_schemas::Shard>) -> Self {
        self.shard = shard;
        self
    }

    /// Defaults: top candidates only, no combinations.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets whether every matching diplotype is listed (`--all-matches`).
    pub fn all_matches(mut self, yes: bool) -> Self {
        self.matching.top_candidate_only = !yes;
        self
    }

    /// Sets whether combinations and partials are called (`--combinations`).
    pub fn combinations(mut self, yes: bool) -> Self {
        self.matching.find_combinations = yes;
        self
    }

    /// Sets the sex of each sample (a clone of the run's map shares it).
    pub fn sex(mut self, sex: SampleSexes) -> Self {
        self.sex = sex;
        self
    }

    /// Sets the outside-call file.
    pub fn outside_calls(mut self, path: Option<PathBuf>) -> Self {
        self.outside_calls = path;
        self
    }

    /// Sets whether CYP2D6 rows called from SNVs alone get a phenotype.
    pub fn cyp2d6_phenotype_from_snvs(mut self, yes: bool) -> Self {
        self.cyp2d6_phenotype_from_snvs = yes;
        self
    }

    /// Restricts the genes called.
    pub fn genes(mut self, genes: Vec<String>) -> Self {
        self.genes = genes;
        self
    }

    /// Sets the CYP2D6 evidence from reads, per sample.
    pub fn cyp2d6_reads(mut self, reads: HashMap<String, Cyp2d6Reads>) -> Self {
        self.cyp2d6_reads = reads;
        self
    }
}
