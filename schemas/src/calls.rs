//! The calls table: one row per sample x gene.
//!
//! Written by `tailor call`. `diplotype` is the first of `candidates`, which
//! lists every best-scoring diplotype in PharmCAT's order, except for DPYD
//! and RYR1, whose `diplotype` is the lowest-function one PharmCAT looks
//! recommendations up with (see [`DIPLOTYPE`]).

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Version of this table's schema; bump on any column change.
pub const SCHEMA_VERSION: u32 = 3;
/// The table's name in metadata and file names (`calls.parquet`).
pub const TABLE: &str = "calls";

/// Sample name as in the VCF header (or the outside-call file).
pub const SAMPLE_ID: &str = "sample_id";
/// HGNC gene symbol.
pub const GENE: &str = "gene";
/// The called diplotype (`*1/*2`), null for a no call. It is the first of
/// `candidates`, except for DPYD and RYR1, where it is the lowest-function
/// diplotype PharmCAT looks recommendations up with (flag
/// `lowest_function`): each haplotype reduced to its lowest-function named
/// allele, the lowest-function candidate kept, and for an unphased sample
/// the two lowest-function alleles of `haplotype_matches`.
pub const DIPLOTYPE: &str = "diplotype";
/// First haplotype of `diplotype`.
pub const HAPLOTYPE_1: &str = "haplotype_1";
/// Second haplotype of `diplotype` (null when hemizygous).
pub const HAPLOTYPE_2: &str = "haplotype_2";
/// Every best-scoring diplotype, in PharmCAT's order.
pub const CANDIDATES: &str = "candidates";
/// DPYD and RYR1 left unphased: every named allele that matches one of the
/// haplotypes the genotypes allow (PharmCAT's haplotype matches; an allele
/// on both strands listed twice, HapB3 last). Empty otherwise.
pub const HAPLOTYPE_MATCHES: &str = "haplotype_matches";
/// Match score of `diplotype` (PharmCAT's score).
pub const MATCH_SCORE: &str = "match_score";
/// Whether the sample's genotypes were phased (or effectively phased).
pub const PHASED: &str = "phased";
/// Definition positions missing for the sample (1-based).
pub const MISSING_POSITIONS: &str = "missing_positions";
/// Function of haplotype 1 (CPIC vocabulary).
pub const FUNCTION_1: &str = "function_1";
/// Function of haplotype 2 (CPIC vocabulary).
pub const FUNCTION_2: &str = "function_2";
/// Activity score of the diplotype, where CPIC defines one.
pub const ACTIVITY_SCORE: &str = "activity_score";
/// Phenotype (CPIC vocabulary, e.g. `Poor Metabolizer`).
pub const PHENOTYPE: &str = "phenotype";
/// CYP2D6 gene copies behind the call (from reads: the copy-number
/// table's `copy_number`), null when no copy number was measured (VCF
/// input, other genes, or not callable).
pub const COPY_NUMBER: &str = "copy_number";
/// Flags: `no_call`, `ambiguous`, `partial`, `unexplained_variant`, ...
pub const FLAGS: &str = "flags";
/// Where the call came from, a [`CallSource`]: `vcf` (genotypes read from
/// a VCF/BCF), `bam` (genotypes by pileup from BAM/CRAM reads; for CYP2D6,
/// with the structure its copy number shows) or `outside` (an outside
/// caller's diplotype).
pub const SOURCE: &str = "source";
/// The allele definitions used.
pub const DEFINITIONS_VERSION: &str = "definitions_version";

/// Where a call came from: the values of [`SOURCE`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CallSource {
    /// Matched from genotypes read from a VCF/BCF record.
    #[default]
    Vcf,
    /// Matched from genotypes called by pileup from aligned reads (BAM or
    /// CRAM); for CYP2D6, the structure the copy number shows.
    Bam,
    /// Taken from an outside caller's diplotype (`--outside-calls`).
    Outside,
}

impl CallSource {
    /// The value written in the table.
    pub fn as_str(self) -> &'static str {
        match self {
            CallSource::Vcf => "vcf",
            CallSource::Bam => "bam",
            CallSource::Outside => "outside",
        }
    }

    /// The source a table value names, if any.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "vcf" => Some(CallSource::Vcf),
            "bam" => Some(CallSource::Bam),
            "outside" => Some(CallSource::Outside),
            _ => None,
        }
    }

    /// Whether the call rests on more than SNV genotypes from a VCF: read
    /// depth (copy number) or an outside caller's structural call.
    pub fn beyond_snvs(self) -> bool {
        !matches!(self, CallSource::Vcf)
    }
}

/// Values of the `flags` column.
pub mod flags {
    /// No diplotype could be called; another flag says why.
    pub const NO_CALL: &str = "no_call";
    /// No definition position had a genotype for this sample. When no input
    /// has any record on the gene's definition positions (nor around them),
    /// every sample's row has it, and `ingest`/`call` warn once, naming the
    /// genes.
    pub const NO_DATA: &str = "no_data";
    /// A position the exemptions require (NAT2) is missing.
    pub const MISSING_REQUIRED_POSITION: &str = "missing_required_position";
    /// A genotype has one strand missing (`./1`); without `--combinations`
    /// PharmCAT makes no call.
    pub const PARTIAL_GENOTYPE: &str = "partial_genotype";
    /// No pair of named alleles explains the genotypes (e.g. a variant no
    /// definition has on that haplotype); `--combinations` may name it.
    pub const NO_MATCH: &str = "no_match";
    /// DPYD/RYR1 unphased, and no named allele matches any haplotype the
    /// genotypes allow: no call.
    pub const LOWEST_FUNCTION_UNPHASED: &str = "lowest_function_unphased";
    /// DPYD/RYR1: `diplotype` is the lowest-function diplotype inferred
    /// from `candidates` or `haplotype_matches`, not the first candidate.
    pub const LOWEST_FUNCTION: &str = "lowest_function";
    /// DPYD HapB3 called from the exonic variant (c.1236G>A) alone: the
    /// intronic c.1129-5923C>G position was not genotyped.
    pub const HAPB3_EXONIC_ONLY: &str = "hapb3_exonic_only";
    /// DPYD: the exonic HapB3 variant was seen where the intronic position
    /// is reference; read as reference (the intronic variant is causal).
    pub const HAPB3_INTRONIC_MISMATCH_EXONIC: &str = "hapb3_intronic_mismatch_exonic";
    /// No call because a path that still expands the genotypes into every
    /// haplotype sequence met more than 16 unphased heterozygous positions
    /// (plus phase sets): `--combinations` (or a half-missing genotype with
    /// it), DPYD/RYR1 with phase sets past the effectively-phased step, and
    /// the rare unphased DPYD/RYR1 genotypes whose haplotype list the
    /// allele strands do not settle (two carried alleles overlapping with
    /// cores of different lengths, or none restricted to one strand in at
    /// most one block). Default named-allele matching and the
    /// unphased DPYD/RYR1 haplotype list otherwise pair or list the
    /// compatible named alleles instead and never set it.
    pub const EXPANSION_LIMIT: &str = "expansion_limit";
    /// More than one candidate diplotype. CYP2D6 from reads (source
    /// `bam`): the candidates whose structure fits the reads' allele
    /// balance name different structures (`*2/*64` and `*10/*17` at 2
    /// copies, where no read tells them apart), and `diplotype` is the
    /// best-fitting one's; a candidate the reads single out, or the
    /// population prior calls (`frequency_prior`), is called without it.
    /// An ambiguous reads call has an activity score and
    /// phenotype only when every such candidate has the same.
    pub const AMBIGUOUS: &str = "ambiguous";
    /// Some definition positions were missing (see `missing_positions`).
    pub const MISSING_POSITIONS: &str = "missing_positions";
    /// A haplotype is a combination of named alleles (`[*6 + *28]`).
    pub const COMBINATION: &str = "combination";
    /// A haplotype names a partial: a variant no named allele explains.
    pub const PARTIAL: &str = "partial";
    /// An allele the definitions do not document was seen.
    pub const UNDOCUMENTED_VARIANT: &str = "undocumented_variant";
    /// Undocumented alleles were read as reference (CACNA1S, DPYD, G6PD,
    /// NUDT15, RYR1, TPMT, as PharmCAT does).
    pub const UNDOCUMENTED_AS_REFERENCE: &str = "undocumented_as_reference";
    /// NAT2's unphased priority pick replaced tied candidates.
    pub const UNPHASED_PRIORITY: &str = "unphased_priority";
    /// CYP2D6 called from SNVs and indels only: copy number (*5, xN) and
    /// hybrids are not seen.
    pub const SNV_ONLY: &str = "snv_only";
    /// CYP2D6 from SNVs alone, without read depth or an outside call: the
    /// candidates are kept, but no phenotype or activity score is given
    /// (copy number and hybrids, unseen, change both) unless
    /// `--cyp2d6-phenotype-from-snvs` is set.
    pub const PHENOTYPE_WITHHELD: &str = "phenotype_withheld";
    /// CYP2D6 structure: the CYP2D6 share changes along the gene but the
    /// evidence cannot name the hybrid: no diplotype.
    pub const HYBRID_UNRESOLVED: &str = "hybrid_unresolved";
    /// CYP2D6 structure: more copies than the two haplotypes, and the
    /// allele balance cannot say which allele is duplicated: no diplotype.
    pub const DUPLICATION_UNRESOLVED: &str = "duplication_unresolved";
    /// CYP2D6 from reads: the reads did not tell the candidates apart, and
    /// the call is the one whose posterior probability reaches 0.99 (99
    /// to 1 against all the others together), with the 1000 Genomes
    /// haplotype frequencies as the prior and the reads' log-likelihood
    /// counted at half (an allele absent from the panels counts half a
    /// haplotype); the others stay in `candidates`. `*2x2/*10` against
    /// `*39x2/*65`, or `*1/*10` against `*1/*101` where the position that
    /// tells `*10` from `*101` is missing.
    pub const FREQUENCY_PRIOR: &str = "frequency_prior";
    /// CYP2D6 structure: the copy number contradicts the SNV genotypes
    /// (e.g. one copy but two different alleles): no diplotype.
    pub const COPY_NUMBER_CONFLICT: &str = "copy_number_conflict";
    /// CYP2D6 structure: the reads could not give a copy number
    /// (exome, capture, amplicon, low depth or low confidence).
    pub const COPY_NUMBER_NOT_CALLABLE: &str = "copy_number_not_callable";
    /// The call came from an outside-call file.
    pub const OUTSIDE_CALL: &str = "outside_call";
    /// The outside-call line could not be used (unknown gene or allele,
    /// malformed diplotype, wrong column count, a bad activity score, or
    /// the sample and gene given twice): no diplotype, phenotype or
    /// activity score; `tailor call` warns naming the file and line.
    pub const OUTSIDE_CALL_INVALID: &str = "outside_call_invalid";
    /// G6PD phenotype needs the sample's sex, which is unknown.
    pub const SEX_UNKNOWN: &str = "sex_unknown";
    /// A diplotype without a phenotype: the gene has none in CPIC's tables
    /// (CYP4F2, IFNL3, VKORC1: subgroups fall back to diplotypes), or the
    /// diplotype has no entry in them.
    pub const NO_PHENOTYPE: &str = "no_phenotype";
}

/// The Arrow schema of the calls table.
pub fn schema() -> SchemaRef {
    let string_list = || DataType::List(Arc::new(Field::new("item", DataType::Utf8, false)));
    let position_list = DataType::List(Arc::new(Field::new("item", DataType::UInt32, false)));
    Arc::new(Schema::new(vec![
        Field::new(SAMPLE_ID, DataType::Utf8, false),
        Field::new(GENE, DataType::Utf8, false),
        Field::new(DIPLOTYPE, DataType::Utf8, true),
        Field::new(HAPLOTYPE_1, DataType::Utf8, true),
        Field::new(HAPLOTYPE_2, DataType::Utf8, true),
        Field::new(CANDIDATES, string_list(), false),
        Field::new(HAPLOTYPE_MATCHES, string_list(), false),
        Field::new(MATCH_SCORE, DataType::Int32, true),
        Field::new(PHASED, DataType::Boolean, false),
        Field::new(MISSING_POSITIONS, position_list, false),
        Field::new(FUNCTION_1, DataType::Utf8, true),
        Field::new(FUNCTION_2, DataType::Utf8, true),
        Field::new(ACTIVITY_SCORE, DataType::Float64, true),
        Field::new(PHENOTYPE, DataType::Utf8, true),
        Field::new(COPY_NUMBER, DataType::UInt8, true),
        Field::new(FLAGS, string_list(), false),
        Field::new(SOURCE, DataType::Utf8, false),
        Field::new(DEFINITIONS_VERSION, DataType::Utf8, false),
    ]))
}

#[cfg(test)]
mod tests {
    use super::CallSource;

    #[test]
    fn call_sources_round_trip_through_their_table_values() {
        for source in [CallSource::Vcf, CallSource::Bam, CallSource::Outside] {
            assert_eq!(CallSource::parse(source.as_str()), Some(source));
        }
        assert_eq!(CallSource::parse("BAM"), None);
        assert!(!CallSource::Vcf.beyond_snvs());
        assert!(CallSource::Bam.beyond_snvs() && CallSource::Outside.beyond_snvs());
    }
}
