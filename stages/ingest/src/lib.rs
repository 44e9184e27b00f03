//! Reads a cohort's genotypes at every pharmacogene definition position.
//!
//! `ingest` turns one or more multi-sample VCF/BCF files into the genotypes
//! table (see [`tailor_schemas::genotypes`]): one row per sample x definition
//! position, with alleles written in the definition's representation. It
//! reads only the definition regions through each file's index, one task per
//! gene in parallel, streaming records; a file without an index is streamed
//! whole.
//!
//! ```no_run
//! use std::path::PathBuf;
//! use tailor_definitions::Definitions;
//! use tailor_ingest::{run, Options};
//!
//! let definitions = Definitions::embedded().unwrap();
//! let options = Options::default();
//! let inputs = vec![PathBuf::from("cohort.vcf.gz")];
//! let summary = run(&options, &definitions, &inputs, "out/genotypes.parquet".as_ref(), None).unwrap();
//! println!("{} samples, {} rows", summary.samples, summary.rows);
//! ```

mod accumulator;
mod allele;
mod batch;
mod bed;
mod container;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod gene_batches;
mod gene_input;
mod gene_reader;
mod genotype;
mod header_text;
mod htslib_view;
mod indexed_reader;
mod input;
mod input_gaps;
mod merge;
mod options;
mod reader_pool;
pub mod reads;
mod record_fields;
mod run;
mod sample_dictionary;
mod sex;
mod sites;
mod spill;
mod streaming;
mod warning;

pub use bed::read_bed;
pub use error::{Error, Result};
pub use gene_batches::{GeneBatches, BATCH_ROWS as GENOTYPES_BATCH_ROWS, DEFAULT_BLOCK_CALLS};
pub use options::{Options, Progress};
pub use run::{run, GenotypeReader, Summary};
pub use sex::read_sex_file;
pub use warning::Warning;

/// Turns off htslib's own messages on stderr; tailor reports errors itself,
/// naming the file and record.
pub fn silence_htslib() {
    // SAFETY: sets a global log level in htslib; no memory is touched.
    unsafe { rust_htslib::htslib::hts_set_log_level(rust_htslib::htslib::htsLogLevel_HTS_LOG_OFF) }
}
