//! The simulate stage: a pharmacogenomic cohort to run tailor on.
//!
//! [`run`] draws people from the haplotype frequencies embedded in
//! `tailor_definitions` (named alleles
//! per gene, counted once from the 1000 Genomes Project phased panels by
//! tailor's own `call` stage; `tools/haplotype_frequencies.sh`) and writes,
//! into an output directory:
//!
//! - `cohort.vcf.gz` and its tabix index: a phased multi-sample VCF
//!   (GRCh38) with a record at every definition position of every gene;
//!   each person has two haplotypes per gene (one on chrX for males), each
//!   a named allele written with the alleles its definition gives (blank
//!   cells are the reference, IUPAC cells one non-reference base);
//! - `truth.tsv`: the simulated diplotypes, to check `tailor call` against;
//! - `clinical.csv`: clopidogrel vs ticagrelor after an acute coronary
//!   syndrome, with a planted CYP2C19 x clopidogrel effect (see
//!   [`MACE_LOG_OR_PER_LOF`] and the `clinical` module) and no other gene effect;
//! - `sex.tsv`, `join.key` (a pseudonymisation key, mode 0600) and
//!   `tailor.toml` for `tailor run`.
//!
//! The same [`Options`] give byte-identical files. Per-person files are
//! mode 0640 and every file is written to a temporary name and renamed.
//!
//! # Limits
//!
//! Structural-variant alleles (CYP2D6 *5, duplications, hybrids) are not
//! simulated, nor alleles with a definition cell that is neither a VCF
//! sequence nor a one-letter IUPAC code; [`Summary::skipped`] lists them.
//! The frequencies are those of the 1000 Genomes panels as a whole, not of
//! one population, and haplotypes are drawn independently (no linkage
//! between genes, Hardy-Weinberg within a gene).
//!
//! ```no_run
//! use tailor_definitions::Definitions;
//! let definitions = Definitions::embedded()?;
//! let options = tailor_simulate::Options::new().samples(500).seed(7);
//! let summary = tailor_simulate::run(&options, &definitions, "sim".as_ref())?;
//! assert_eq!(summary.samples, 500);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod clinical;
mod cohort;
mod config;
mod error;
mod hts_index;
mod options;
mod panel;
mod reads;
mod run;
mod vcf;

pub use clinical::MACE_LOG_OR_PER_LOF;
pub use cohort::sample_id;
pub use config::file_names;
pub use error::{Error, Result};
pub use options::{Options, DEFAULT_SAMPLES, DEFAULT_SEED};
pub use panel::{SkipReason, SkippedAllele};
pub use reads::{
    read_file_names, HybridKind, ReadOptions, ReadsSummary, StructureFrequencies,
    StructureFrequenciesError, GENOTYPES_HEADER, TRUTH_HEADER,
};
pub use run::{run, run_with, Files, Summary};
pub use tailor_definitions::{
    embedded_frequencies, parse_frequencies, AlleleCount, GeneFrequencies,
};
