//! The genome tailor reads against, and the genomic files it opens.
//!
//! Shared by the stages that read alignments or variant files, so that each
//! check is written once:
//!
//! - [`contig`]: GRCh38 and GRCh37 contig lengths (a header's build) and the
//!   two spellings of a contig (`chr22`, `22`);
//! - [`bgzf`]: whether a BGZF file ends with its end-of-file block (a file
//!   cut short may still read fine over its first regions);
//! - [`AlignmentFile`]: one indexed BAM/CRAM, opened once and checked
//!   (index, CRAM reference, GRCh38, one sample), read through its index by
//!   region; [`files_opened`] counts the opens.
//!
//! ```no_run
//! use tailor_genome::{AlignedInput, AlignmentFile};
//!
//! let input = AlignedInput::new("NA18505.bam".into());
//! let mut file = AlignmentFile::open(&input, None).unwrap();
//! let tid = file.tid("chr22").unwrap();
//! file.reader().fetch((tid, 42_126_000, 42_131_000)).unwrap();
//! println!("{}", file.sample);
//! ```

mod alignment_file;
pub mod bgzf;
pub mod contig;
mod error;

pub use alignment_file::{files_opened, AlignedInput, AlignmentFile};
pub use error::{Error, Result};
