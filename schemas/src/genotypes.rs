//! The genotypes table: one row per sample x definition position.
//!
//! Written by `tailor ingest`, read by `tailor call`. Alleles are in the
//! definition's representation: the sample's sequence over the definition's
//! REF span, so the UGT1A1 TA-repeat position (REF `CAT` at chr2:233760233)
//! reads `CATAT` for a VCF record `C>CAT`. Missing genotypes are null.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Version of this table's schema; bump on any column change.
pub const SCHEMA_VERSION: u32 = 2;
/// The table's name in metadata and file names (`genotypes.parquet`).
pub const TABLE: &str = "genotypes";

/// Sample name as in the VCF header.
pub const SAMPLE_ID: &str = "sample_id";
/// HGNC gene symbol of the definition (e.g. `CYP2C19`).
pub const GENE: &str = "gene";
/// Contig as the definitions spell it (e.g. `chr10`), whatever the VCF used.
pub const CHROM: &str = "chrom";
/// 1-based position of the definition.
pub const POS: &str = "pos";
/// The definition's reference allele at `pos`.
pub const REF: &str = "ref";
/// First allele (null when missing), in the definition's representation.
/// Only a row flagged `partial_call` has one allele null and one not.
pub const ALLELE_1: &str = "allele_1";
/// Second allele (null when missing or haploid).
pub const ALLELE_2: &str = "allele_2";
/// Number of alleles called: 2 diploid, 1 haploid, 0 no genotype.
pub const PLOIDY: &str = "ploidy";
/// Whether the genotype is phased (`|`).
pub const PHASED: &str = "phased";
/// FORMAT/PS phase set, when present.
pub const PHASE_SET: &str = "phase_set";
/// REF of the VCF record used (null when no record).
pub const VCF_REF: &str = "vcf_ref";
/// ALT alleles of the VCF record(s) used, comma-separated.
pub const VCF_ALT: &str = "vcf_alt";
/// FORMAT/DP read depth.
pub const DEPTH: &str = "depth";
/// FORMAT/GQ genotype quality (Phred).
pub const GENOTYPE_QUALITY: &str = "genotype_quality";
/// Record QUAL (Phred).
pub const QUALITY: &str = "quality";
/// FILTER column: `PASS`, `.` or the failed filters joined by `;`. A value
/// the VCF header does not declare is not PASS; it is written by name, or as
/// `undeclared` when read through an index (htslib cannot name it there),
/// and ingest warns once per file.
pub const FILTER: &str = "filter";
/// Flags, see [`flags`].
pub const FLAGS: &str = "flags";
/// Input file the genotype came from, as given on the command line.
pub const SOURCE: &str = "source";
/// Reads supporting each allele, for genotypes called from aligned reads:
/// the definition's REF, then each allele the definitions document at this
/// position in definition order, then the reads that match none of them.
/// Null for genotypes read from a VCF. Added in schema version 2.
pub const ALLELE_DEPTHS: &str = "allele_depths";
/// How the genotype was made, a [`GenotypeSource`]: `vcf` (read from a
/// VCF/BCF record) or `bam` (called by pileup from BAM/CRAM reads). Added
/// in schema version 2.
pub const SOURCE_KIND: &str = "source_kind";

/// How a genotype was made: the values of [`SOURCE_KIND`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GenotypeSource {
    /// Read from a VCF/BCF record.
    Vcf,
    /// Called by pileup from aligned reads (BAM/CRAM).
    Bam,
}

impl GenotypeSource {
    /// The value written in the table.
    pub fn as_str(self) -> &'static str {
        match self {
            GenotypeSource::Vcf => "vcf",
            GenotypeSource::Bam => "bam",
        }
    }

    /// The source a table value names, if any.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "vcf" => Some(GenotypeSource::Vcf),
            "bam" => Some(GenotypeSource::Bam),
            _ => None,
        }
    }
}

/// Values of the `flags` column.
pub mod flags {
    /// No record at this position in the input; the genotype is missing.
    pub const ABSENT: &str = "absent";
    /// No record, but inside the covered span with `--absent-as-reference`:
    /// written as homozygous reference.
    pub const ASSUMED_REFERENCE: &str = "assumed_reference";
    /// No record and outside the span the input covers for this gene, so not
    /// assumed reference even with `--absent-as-reference`.
    pub const OUTSIDE_COVERAGE: &str = "outside_coverage";
    /// The genotype was missing (`./.` or `.`).
    pub const NO_CALL: &str = "no_call";
    /// One allele called, one missing (`./1`): the called allele is kept in
    /// its slot, the other is null; the genotype is incomplete.
    pub const PARTIAL_CALL: &str = "partial_call";
    /// FILTER is not PASS (kept unless `--pass-only`).
    pub const NON_PASS: &str = "non_pass";
    /// An allele the definitions do not list at this position.
    pub const UNDOCUMENTED_ALLELE: &str = "undocumented_allele";
    /// The VCF REF disagrees with the definition: position dropped (null).
    pub const REF_MISMATCH: &str = "ref_mismatch";
    /// Two records claim a non-reference allele on one haplotype: missing.
    pub const CONFLICT: &str = "conflict";
    /// Several records at this position were merged.
    pub const MERGED_RECORDS: &str = "merged_records";
    /// An indel record overlaps this position but does not start at it
    /// (not left-aligned); normalise with `bcftools norm -f REF.fa`.
    pub const UNNORMALISED_INDEL: &str = "unnormalised_indel";
    /// A diploid chrX genotype made haploid because `--sex` says male.
    pub const MADE_HAPLOID: &str = "made_haploid";
    /// A male's heterozygous chrX genotype: cannot be haploid, so missing.
    pub const HETEROZYGOUS_HAPLOID: &str = "heterozygous_haploid";
    /// Aligned reads: fewer usable reads than the minimum depth cover the
    /// position (`depth` says how many); the genotype is missing, never
    /// assumed reference.
    pub const LOW_DEPTH: &str = "low_depth";
    /// Aligned reads: the reads' allele fraction fits no dosage at the
    /// position's copy number (e.g. 40 of 187 reads at 2 copies: reads of a
    /// paralog, or an extra copy); the genotype is missing.
    pub const ALLELE_IMBALANCE: &str = "allele_imbalance";
    /// Aligned reads: the reads look homozygous but are too few to exclude
    /// a heterozygote (e.g. 8 reference and 2 alternate reads, or 9
    /// reference reads alone: a heterozygote shows so few alternates with
    /// probability above 1 in 1,000); the genotype is missing, never a
    /// guess.
    pub const LOW_GENOTYPE_QUALITY: &str = "low_genotype_quality";
    /// Aligned reads: three or more alleles are supported; only the two with
    /// most reads are written.
    pub const MULTIALLELIC: &str = "multiallelic";
}

/// The Arrow schema of the genotypes table.
pub fn schema() -> SchemaRef {
    let flag_item = Field::new("item", DataType::Utf8, false);
    Arc::new(Schema::new(vec![
        Field::new(SAMPLE_ID, DataType::Utf8, false),
        Field::new(GENE, DataType::Utf8, false),
        Field::new(CHROM, DataType::Utf8, false),
        Field::new(POS, DataType::UInt32, false),
        Field::new(REF, DataType::Utf8, false),
        Field::new(ALLELE_1, DataType::Utf8, true),
        Field::new(ALLELE_2, DataType::Utf8, true),
        Field::new(PLOIDY, DataType::UInt8, false),
        Field::new(PHASED, DataType::Boolean, false),
        Field::new(PHASE_SET, DataType::Int64, true),
        Field::new(VCF_REF, DataType::Utf8, true),
        Field::new(VCF_ALT, DataType::Utf8, true),
        Field::new(DEPTH, DataType::Int32, true),
        Field::new(GENOTYPE_QUALITY, DataType::Int32, true),
        Field::new(QUALITY, DataType::Float32, true),
        Field::new(FILTER, DataType::Utf8, true),
        Field::new(FLAGS, DataType::List(Arc::new(flag_item)), false),
        Field::new(SOURCE, DataType::Utf8, true),
        Field::new(
            ALLELE_DEPTHS,
            DataType::List(Arc::new(Field::new("item", DataType::Int32, false))),
            true,
        ),
        Field::new(SOURCE_KIND, DataType::Utf8, false),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_are_unique() {
        let schema = schema();
        let mut names: Vec<_> = schema.fields().iter().map(|f| f.name().clone()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), schema.fields().len());
    }

    #[test]
    fn sources_round_trip() {
        for source in [GenotypeSource::Vcf, GenotypeSource::Bam] {
            assert_eq!(GenotypeSource::parse(source.as_str()), Some(source));
        }
        assert_eq!(GenotypeSource::parse("outside"), None);
    }
}
