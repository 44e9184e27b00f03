//! Options of the ingest stage.

use tailor_schemas::{Region, SampleSelection, SampleSexes};

/// A progress callback: called with a gene's symbol when it is done.
pub type Progress<'a> = &'a (dyn Fn(&str) + Sync);

/// How to read genotypes.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Treat a definition position with no record as homozygous reference,
    /// but only inside the span the input covers for that gene (between its
    /// first and last record on the contig, or inside `covered`). Right for
    /// joint-called WGS cohorts and reference panels, which list every
    /// variant site; wrong for a VCF of variants only near targets.
    pub absent_as_reference: bool,
    /// Regions known to be covered (from `--covered BED`); when given, they
    /// replace the record-span rule for `absent_as_reference`.
    pub covered: Option<Vec<Region>>,
    /// Drop genotypes from records whose FILTER is not PASS (written missing,
    /// flagged `non_pass`). By default they are kept and flagged.
    pub pass_only: bool,
    /// Sex per sample, for haploid calling of chrX genes (G6PD) in males
    /// whose VCF codes chrX as diploid.
    pub sex: SampleSexes,
    /// Only these genes (all when empty).
    pub genes: Vec<String>,
    /// Only the definition positions inside these regions (`-r/-R`); genes
    /// left with none are not read. `None`: every position.
    pub regions: Option<Vec<Region>>,
    /// Only these samples (`-s/-S`, `--shard K/N`), in input order; the
    /// table is marked with its shard ([`tailor_schemas::SHARD_KEY`]).
    pub samples: SampleSelection,
    /// Hash whole input files (SHA-256) for provenance instead of their
    /// header and index only.
    pub hash_inputs: bool,
    /// Sample x site calls loaded per block of samples (from the gene's
    /// temporary file: its records are parsed once); `None`:
    /// [`crate::DEFAULT_BLOCK_CALLS`]. The rows written never depend on
    /// it; memory does.
    pub block_calls: Option<usize>,
}
