//! Entry points for the cargo-fuzz targets in `fuzz/` (not a stable API).
//!
//! Each function wraps one pure-Rust parser of this crate that reads bytes a
//! user supplies, returning plain values so a fuzz target can check the
//! parser's contract without reaching into private types.

use std::path::Path;

use crate::allele::{self, Projected};
use crate::container::Container;
use crate::genotype::{self, Merged, MergedCall, Slot};
use crate::header_text::HeaderInfo;
use crate::Result;

/// htslib's marker for the end of a shorter-than-maximum genotype vector.
pub const VECTOR_END: i32 = genotype::VECTOR_END;

/// What a header declares, as [`parse_header`] and [`read_header`] return it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderFacts {
    /// The header's bytes.
    pub text: Vec<u8>,
    /// Sample names of the `#CHROM` line, in order.
    pub samples: Vec<String>,
    /// Declared FILTER ids (`PASS` always), sorted.
    pub filters: Vec<Vec<u8>>,
    /// Declared FORMAT ids, sorted.
    pub formats: Vec<Vec<u8>>,
    /// `##contig` lines: ID and length, when given.
    pub contigs: Vec<(String, Option<u64>)>,
}

impl From<HeaderInfo> for HeaderFacts {
    fn from(info: HeaderInfo) -> Self {
        let mut filters: Vec<Vec<u8>> = info.filters.into_iter().collect();
        filters.sort();
        let mut formats: Vec<Vec<u8>> = info.formats.into_iter().collect();
        formats.sort();
        Self {
            text: info.text,
            samples: info.samples,
            filters,
            formats,
            contigs: info.contigs,
        }
    }
}

/// Parses header bytes (the `#` lines) as if read from `path`.
///
/// # Errors
/// As the header reader: `NotVcf`, `NoSamples`, `DuplicateSample`.
pub fn parse_header(path: &Path, text: &[u8]) -> Result<HeaderFacts> {
    crate::header_text::parse(path, text.to_vec()).map(HeaderFacts::from)
}

/// Reads the header of the file at `path` stored as text (`0`), raw BCF
/// (`1`), gzip (`2`) or BGZF (`3`); other values read it as text.
///
/// # Errors
/// As the header reader: `Io`, `NotVcf`, `NoSamples`, `DuplicateSample`.
pub fn read_header(path: &Path, container: u8) -> Result<HeaderFacts> {
    let container = match container {
        1 => Container::RawBcf,
        2 => Container::Gzip,
        3 => Container::Bgzf,
        _ => Container::Text,
    };
    HeaderInfo::read(path, container).map(HeaderFacts::from)
}

/// One sample's BCF-encoded GT values decoded: the allele index of each of
/// the first `ploidy` slots (`None` = missing), the ploidy, phasing.
pub fn decode_gt(values: &[i32]) -> ([Option<u16>; 2], u8, bool) {
    let call = genotype::decode(values);
    let slot = |s: Slot| match s {
        Slot::Allele(i) => Some(i),
        Slot::Missing => None,
    };
    (
        [slot(call.slots[0]), slot(call.slots[1])],
        call.ploidy,
        call.phased,
    )
}

/// A merged haplotype slot, as [`merge_calls`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergedSlot {
    /// No record has spoken.
    Unset,
    /// Reference.
    Reference,
    /// A non-reference allele (index into the position's allele table).
    Alternate(u16),
    /// Some record had `.` here.
    Missing,
    /// Two records claimed a non-reference allele here.
    Conflict,
}

/// Merges record calls at one position the way ingest does. Each call is
/// `(slots, ploidy, phased)`, a slot being `None` = missing, `Some(0)` =
/// reference, `Some(i)` = alternate `i`. Returns the merged slots, ploidy,
/// phasing and record count.
pub fn merge_calls(calls: &[([Option<u16>; 2], u8, bool)]) -> ([MergedSlot; 2], u8, bool, u8) {
    let mut merged = MergedCall::default();
    let to_merged = |s: Option<u16>| match s {
        None => Merged::Missing,
        Some(0) => Merged::Reference,
        Some(i) => Merged::Alternate(i),
    };
    for (slots, ploidy, phased) in calls {
        merged.add([to_merged(slots[0]), to_merged(slots[1])], *ploidy, *phased);
    }
    let out = |m: Merged| match m {
        Merged::Unset => MergedSlot::Unset,
        Merged::Reference => MergedSlot::Reference,
        Merged::Alternate(i) => MergedSlot::Alternate(i),
        Merged::Missing => MergedSlot::Missing,
        Merged::Conflict => MergedSlot::Conflict,
    };
    (
        [out(merged.slots[0]), out(merged.slots[1])],
        merged.ploidy,
        merged.phased,
        merged.records,
    )
}

/// Projects a record's `alt` (REF `record_ref`) onto a definition's
/// reference `definition_ref`; `None` when the REFs disagree.
pub fn project_allele(definition_ref: &str, record_ref: &str, alt: &str) -> Option<String> {
    match allele::project(definition_ref, record_ref, alt) {
        Projected::Allele(s) => Some(s),
        Projected::RefMismatch => None,
    }
}
