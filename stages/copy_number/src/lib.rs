//! The copy-number stage: CYP2D6 copy number and CYP2D6/CYP2D7 hybrids from
//! one indexed BAM/CRAM.
//!
//! [`call`] reads the CYP2D6/CYP2D7 locus (chr22:42,120,000-42,149,000) and
//! the three control windows of [`tailor_definitions::cyp2d_locus`]:
//!
//! - the CYP2D6 share of fragments at the 196 sites where CYP2D6 and CYP2D7
//!   differ by a base, read at both the CYP2D6 site and its CYP2D7 partner
//!   (a read shows its own gene's base wherever it was placed);
//! - with reads in the control windows (whole-genome data), the
//!   CYP2D6+CYP2D7 copy number from depth over both genes divided by the
//!   control depth; without them (a locus extract), CYP2D7 is taken as 2
//!   copies (flag `cyp2d7_assumed_two_copies`);
//! - the share at the 5′ end (exon 1) and the 3′ end (exon 9) against the
//!   body: hybrids (*36, *68/*4N, *13);
//! - exome, capture and amplicon coverage (exons far deeper than introns,
//!   flanks far shallower than the genes, or CYP2D6 depth no genome gives
//!   against the flank) is `not_callable`, with at most `hybrid_unresolved`
//!   (when the share changes between the ends and the body, or between
//!   exons: `exon_shares.rs`).
//!
//! The integer copy number has a posterior probability (an overdispersed
//! binomial on the shares, a normal on depth; see `model.rs`); below
//! [`Options::min_confidence`] it is withheld. Long reads (HiFi) are read
//! the same way: each read votes once however many sites it crosses.
//!
//! ```no_run
//! use tailor_copy_number::{call, Options};
//! use tailor_genome::AlignedInput;
//!
//! let input = AlignedInput::new("NA18505.bam".into());
//! let result = call(&input, None, &Options::default()).unwrap();
//! println!("{} CYP2D6 copies: {:?}", result.sample_id, result.copy_number);
//! ```

mod call;
mod control_depth;
mod coverage;
mod error;
mod exon_shares;
mod hybrid;
mod locus_reads;
mod model;
mod options;
mod table;

pub use call::{call, call_file, CopyNumberCall};
pub use error::{Error, Result};
pub use locus_reads::Fragments;
pub use options::Options;
pub use table::{batch, table_metadata, write_table};
