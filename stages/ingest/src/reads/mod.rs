//! Genotypes from aligned reads (BAM/CRAM) by pileup, at the same definition
//! sites the VCF reader reads (see `crate::sites`).
//!
//! Each input is one sample: [`AlignedInput`] names the file, optionally the
//! sample and the CRAM reference (from `--bam` or a samplesheet). Only the
//! definition regions are read, through the file's index. At each site
//! every usable read's sequence over the definition's REF span is rebuilt
//! from its CIGAR and bases (`observe`), so insertions and deletions are
//! read in the definition's representation; the genotype is the most likely
//! one under a base-quality error model at the position's copy number
//! (`likelihood`; 2 unless a [`CopyNumbers`] says otherwise).
//!
//! Each file is opened once: a hook given the open file (e.g. a
//! copy-number caller reading its locus) returns the copies to genotype
//! at.
//!
//! ```no_run
//! use tailor_definitions::Definitions;
//! use tailor_ingest::reads::{AlignedInput, AlignedReads, CopyNumbers, ReadOptions};
//!
//! let definitions = Definitions::embedded().unwrap();
//! let options = ReadOptions::default();
//! let reads = AlignedReads::new(&options, &definitions);
//! let inputs = [AlignedInput::new("NA19239.bam".into())];
//! let genotyped = reads
//!     .genotype(&inputs, |_file| Ok::<_, tailor_ingest::Error>((CopyNumbers::default(), ())))
//!     .unwrap();
//! reads
//!     .batches(&genotyped, |gene, batch| {
//!         println!("{gene}: {} rows", batch.num_rows());
//!         Ok::<_, tailor_ingest::Error>(())
//!     })
//!     .unwrap();
//! ```

mod copy_number;
mod likelihood;
mod observe;
mod options;
mod pileup;
mod rows;
mod run;
mod samplesheet;

pub use copy_number::CopyNumbers;
pub use options::{
    ReadOptions, DEFAULT_MIN_BASE_QUALITY, DEFAULT_MIN_DEPTH, DEFAULT_MIN_MAPPING_QUALITY,
};
pub use run::{run, AlignedReads, Genotyped};
pub use samplesheet::read_samplesheet;
pub use tailor_genome::{AlignedInput, AlignmentFile};
