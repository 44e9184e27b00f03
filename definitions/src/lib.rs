//! Pharmacogene allele definitions: which positions define which star alleles.
//!
//! The definitions are PharmCAT's allele definition tables (GRCh38), converted
//! once by `tools/convert_pharmcat.py` into tailor's own compact TSV files
//! (`data/`, format in `README.md`) and embedded in the binary, so tailor needs
//! neither a network nor PharmCAT at run time. [`Definitions::from_dir`] loads
//! another set, for a newer release or a test-only definition.
//!
//! The data are derived from ClinPGx/PharmGKB and PharmVar (CC BY-SA 4.0) and
//! CPIC (CC0); see `NOTICE` in this crate.
//!
//! ```
//! use tailor_definitions::Definitions;
//!
//! let definitions = Definitions::embedded().unwrap();
//! let ugt1a1 = definitions.gene("UGT1A1").unwrap();
//! assert_eq!(ugt1a1.chromosome, "chr2");
//! let star28 = ugt1a1.named_allele("*28").unwrap();
//! // *28 is the TA(8) repeat, written as VCF sequence over REF `CAT`.
//! assert_eq!(star28.alleles[1].as_deref(), Some("CATAT"));
//! ```

pub mod cyp2d_locus;
mod definitions;
mod embedded;
mod error;
mod exemptions;
mod gene;
mod haplotype_frequencies;
mod parse;
mod variant;

pub use definitions::Definitions;
pub use error::{Error, ParseErrorKind, Result};
pub use exemptions::{GeneExemptions, UnphasedPriority};
pub use gene::{GeneDefinition, NamedAllele};
pub use haplotype_frequencies::{
    embedded_frequencies, parse_frequencies, AlleleCount, GeneFrequencies,
};
pub use variant::VariantDefinition;
