//! The copy-number table: one row per sample x gene (today CYP2D6 only).
//!
//! Written from aligned reads (BAM/CRAM) by the copy-number stage. The
//! CYP2D6 copy number comes from the CYP2D6 share of fragments at the sites
//! where CYP2D6 and CYP2D7 differ, scaled by the CYP2D6+CYP2D7 copy number
//! from depth normalised by control windows (whole-genome data), or by
//! CYP2D7 at 2 copies when the file covers only the locus (flag
//! `cyp2d7_assumed_two_copies`). Exome, capture and amplicon coverage gives
//! no copy number (`method` `not_callable`). `copy_number` is null whenever
//! `confidence` is below the threshold recorded in the file's parameters.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Version of this table's schema; bump on any column change.
pub const SCHEMA_VERSION: u32 = 1;
/// The table's name in metadata and file names (`copy_number.parquet`).
pub const TABLE: &str = "copy_number";

/// Sample name (read group `SM`, else the file stem).
pub const SAMPLE_ID: &str = "sample_id";
/// HGNC gene symbol (`CYP2D6`).
pub const GENE: &str = "gene";
/// Real-valued copy number of the gene body (exons 2-8), null when not
/// callable.
pub const ESTIMATE: &str = "estimate";
/// Integer copy number of the gene body (null when `not_callable` or below
/// the confidence threshold).
pub const COPY_NUMBER: &str = "copy_number";
/// Posterior probability of the most likely integer copy number (uniform
/// prior over 0-6 copies), null when not callable.
pub const CONFIDENCE: &str = "confidence";
/// How the copy number was estimated, see [`methods`].
pub const METHOD: &str = "method";
/// The coverage pattern the reads show, see [`coverage`].
pub const COVERAGE: &str = "coverage";
/// CYP2D6+CYP2D7 copy number from depth over both genes divided by the
/// control windows' depth per copy (whole-genome data only).
pub const TOTAL_COPY_NUMBER: &str = "total_copy_number";
/// Mean depth over CYP2D6+CYP2D7 divided by the control windows' mean depth
/// (null without control coverage).
pub const NORMALISED_DEPTH: &str = "normalised_depth";
/// Mean depth over the CYP2D6 transcript span.
pub const CYP2D6_DEPTH: &str = "cyp2d6_depth";
/// Mean depth over the CYP2D7 transcript span.
pub const CYP2D7_DEPTH: &str = "cyp2d7_depth";
/// CYP2D6 share of the fragments at differing sites of the gene body
/// (exons 2-8 and introns).
pub const CYP2D6_SHARE: &str = "cyp2d6_share";
/// CYP2D6 share at the 5′ end: exon 1 and upstream (high coordinates; the
/// gene is on the minus strand).
pub const CYP2D6_SHARE_5PRIME: &str = "cyp2d6_share_5prime";
/// CYP2D6 share at the 3′ end: exon 9 and downstream.
pub const CYP2D6_SHARE_3PRIME: &str = "cyp2d6_share_3prime";
/// Fragments whose bases at the body's differing sites are CYP2D6's.
pub const CYP2D6_FRAGMENTS: &str = "cyp2d6_fragments";
/// Fragments whose bases at the body's differing sites are CYP2D7's.
pub const CYP2D7_FRAGMENTS: &str = "cyp2d7_fragments";
/// The alignment file, as given.
pub const SOURCE: &str = "source";
/// What the call rests on or lacks ([`flags`]).
pub const FLAGS: &str = "flags";

/// Values of the `method` column.
pub mod methods {
    /// CYP2D6 share at the differing sites times the CYP2D6+CYP2D7 copy
    /// number from depth normalised by the control windows.
    pub const CONTROL_NORMALISED: &str = "control_normalised";
    /// CYP2D6 share at the differing sites with CYP2D7 taken as 2 copies
    /// (the file has no reads in the control windows).
    pub const CYP2D7_REFERENCE: &str = "cyp2d7_reference";
    /// No copy number: the coverage cannot support one.
    pub const NOT_CALLABLE: &str = "not_callable";
}

/// Values of the `coverage` column.
pub mod coverage {
    /// Reads over the locus and the control windows, evenly.
    pub const WHOLE_GENOME: &str = "whole_genome";
    /// Even coverage over the locus, no reads in the control windows (a
    /// locus extract of whole-genome data).
    pub const LOCUS_ONLY: &str = "locus_only";
    /// Exome, capture or amplicon: exons far deeper than introns, flanks far
    /// shallower than the genes, or CYP2D6/CYP2D7 depth ratios no genome
    /// gives.
    pub const TARGETED: &str = "targeted";
    /// Too few reads over the locus to say.
    pub const INSUFFICIENT: &str = "insufficient";
}

/// Values of the `flags` column.
pub mod flags {
    /// No reads in the control windows: CYP2D7 taken as 2 copies.
    pub const CYP2D7_ASSUMED_TWO_COPIES: &str = "cyp2d7_assumed_two_copies";
    /// Exome, capture or amplicon coverage: no copy number or structure.
    pub const TARGETED_COVERAGE: &str = "targeted_coverage";
    /// The most likely integer copy number is below the confidence
    /// threshold: no copy number.
    pub const LOW_CONFIDENCE: &str = "low_confidence";
    /// Too few fragments at the differing sites for a copy number.
    pub const LOW_COVERAGE: &str = "low_coverage";
    /// Fewer CYP2D6 copies at exon 9 than in the body: CYP2D7-derived exon 9
    /// (the *36 pattern).
    pub const HYBRID_CYP2D7_EXON9: &str = "hybrid_cyp2d7_exon9";
    /// More CYP2D6 copies at the 5′ end than in the body: CYP2D6 exon 1
    /// fused to CYP2D7 (the *68 and *4N pattern).
    pub const HYBRID_CYP2D6_5PRIME: &str = "hybrid_cyp2d6_5prime";
    /// Fewer CYP2D6 copies at the 5′ end than at the 3′ end: CYP2D7 5′
    /// fused to CYP2D6 3′ (the *13 pattern).
    pub const HYBRID_CYP2D7_5PRIME: &str = "hybrid_cyp2d7_5prime";
    /// The CYP2D6 share changes along the gene, but the data cannot say
    /// which hybrid (targeted coverage, or a pattern none of the above).
    pub const HYBRID_UNRESOLVED: &str = "hybrid_unresolved";
    /// Long reads (mean aligned length over 1 kb, e.g. PacBio HiFi).
    pub const LONG_READS: &str = "long_reads";
}

/// How the copy number was estimated (column `method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CopyNumberMethod {
    /// See [`methods::CONTROL_NORMALISED`].
    ControlNormalised,
    /// See [`methods::CYP2D7_REFERENCE`].
    Cyp2d7Reference,
    /// See [`methods::NOT_CALLABLE`].
    NotCallable,
}

impl CopyNumberMethod {
    /// The column value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ControlNormalised => methods::CONTROL_NORMALISED,
            Self::Cyp2d7Reference => methods::CYP2D7_REFERENCE,
            Self::NotCallable => methods::NOT_CALLABLE,
        }
    }
}

/// The coverage pattern of an alignment file (column `coverage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoverageKind {
    /// See [`coverage::WHOLE_GENOME`].
    WholeGenome,
    /// See [`coverage::LOCUS_ONLY`].
    LocusOnly,
    /// See [`coverage::TARGETED`].
    Targeted,
    /// See [`coverage::INSUFFICIENT`].
    Insufficient,
}

impl CoverageKind {
    /// The column value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WholeGenome => coverage::WHOLE_GENOME,
            Self::LocusOnly => coverage::LOCUS_ONLY,
            Self::Targeted => coverage::TARGETED,
            Self::Insufficient => coverage::INSUFFICIENT,
        }
    }
}

/// A CYP2D6/CYP2D7 hybrid pattern seen in the CYP2D6 share along the gene.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HybridKind {
    /// See [`flags::HYBRID_CYP2D7_EXON9`] (*36).
    Cyp2d7Exon9,
    /// See [`flags::HYBRID_CYP2D6_5PRIME`] (*68, *4N).
    Cyp2d6FivePrime,
    /// See [`flags::HYBRID_CYP2D7_5PRIME`] (*13).
    Cyp2d7FivePrime,
    /// See [`flags::HYBRID_UNRESOLVED`].
    Unresolved,
}

/// A value of the copy-number table's `flags` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CopyNumberFlag {
    /// See [`flags::CYP2D7_ASSUMED_TWO_COPIES`].
    Cyp2d7AssumedTwoCopies,
    /// See [`flags::TARGETED_COVERAGE`].
    TargetedCoverage,
    /// See [`flags::LOW_CONFIDENCE`].
    LowConfidence,
    /// See [`flags::LOW_COVERAGE`].
    LowCoverage,
    /// A hybrid pattern.
    Hybrid(HybridKind),
    /// See [`flags::LONG_READS`].
    LongReads,
}

impl CopyNumberFlag {
    /// The column value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cyp2d7AssumedTwoCopies => flags::CYP2D7_ASSUMED_TWO_COPIES,
            Self::TargetedCoverage => flags::TARGETED_COVERAGE,
            Self::LowConfidence => flags::LOW_CONFIDENCE,
            Self::LowCoverage => flags::LOW_COVERAGE,
            Self::Hybrid(HybridKind::Cyp2d7Exon9) => flags::HYBRID_CYP2D7_EXON9,
            Self::Hybrid(HybridKind::Cyp2d6FivePrime) => flags::HYBRID_CYP2D6_5PRIME,
            Self::Hybrid(HybridKind::Cyp2d7FivePrime) => flags::HYBRID_CYP2D7_5PRIME,
            Self::Hybrid(HybridKind::Unresolved) => flags::HYBRID_UNRESOLVED,
            Self::LongReads => flags::LONG_READS,
        }
    }
}

/// The Arrow schema of the copy-number table.
pub fn schema() -> SchemaRef {
    let flag_list = DataType::List(Arc::new(Field::new("item", DataType::Utf8, false)));
    let real = |name: &str| Field::new(name, DataType::Float64, true);
    Arc::new(Schema::new(vec![
        Field::new(SAMPLE_ID, DataType::Utf8, false),
        Field::new(GENE, DataType::Utf8, false),
        real(ESTIMATE),
        Field::new(COPY_NUMBER, DataType::UInt8, true),
        real(CONFIDENCE),
        Field::new(METHOD, DataType::Utf8, false),
        Field::new(COVERAGE, DataType::Utf8, false),
        real(TOTAL_COPY_NUMBER),
        real(NORMALISED_DEPTH),
        real(CYP2D6_DEPTH),
        real(CYP2D7_DEPTH),
        real(CYP2D6_SHARE),
        real(CYP2D6_SHARE_5PRIME),
        real(CYP2D6_SHARE_3PRIME),
        Field::new(CYP2D6_FRAGMENTS, DataType::UInt32, false),
        Field::new(CYP2D7_FRAGMENTS, DataType::UInt32, false),
        Field::new(FLAGS, flag_list, false),
        Field::new(SOURCE, DataType::Utf8, false),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_values_are_the_documented_ones() {
        let kinds = [
            HybridKind::Cyp2d7Exon9,
            HybridKind::Cyp2d6FivePrime,
            HybridKind::Cyp2d7FivePrime,
            HybridKind::Unresolved,
        ];
        let mut values: Vec<&str> = kinds
            .iter()
            .map(|&k| CopyNumberFlag::Hybrid(k).as_str())
            .chain(
                [
                    CopyNumberFlag::Cyp2d7AssumedTwoCopies,
                    CopyNumberFlag::TargetedCoverage,
                    CopyNumberFlag::LowConfidence,
                    CopyNumberFlag::LowCoverage,
                    CopyNumberFlag::LongReads,
                ]
                .map(CopyNumberFlag::as_str),
            )
            .collect();
        values.sort_unstable();
        values.dedup();
        assert_eq!(values.len(), 9);
        assert_eq!(CopyNumberMethod::NotCallable.as_str(), "not_callable");
        assert_eq!(CoverageKind::LocusOnly.as_str(), "locus_only");
        let schema = schema();
        assert_eq!(schema.fields().len(), 18);
        assert!(schema
            .field_with_name(COPY_NUMBER)
            .is_ok_and(|f| f.is_nullable()));
    }
}
