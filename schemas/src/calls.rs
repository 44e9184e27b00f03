//! The calls table: one row per sample x gene.
//!
//! Written by `tailor call`. `diplotype` is the first of `candidates`, which
//! lists every best-scoring diplotype in PharmCAT's order.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Version of this table's schema; bump on any column change.
pub const SCHEMA_VERSION: u32 = 1;
/// The table's name in metadata and file names (`calls.parquet`).
pub const TABLE: &str = "calls";

/// Sample name as in the VCF header (or the outside-call file).
pub const SAMPLE_ID: &str = "sample_id";
/// HGNC gene symbol.
pub const GENE: &str = "gene";
/// The called diplotype (`*1/*2`), null for a no call.
pub const DIPLOTYPE: &str = "diplotype";
/// First haplotype of `diplotype`.
pub const HAPLOTYPE_1: &str = "haplotype_1";
/// Second haplotype of `diplotype` (null when hemizygous).
pub const HAPLOTYPE_2: &str = "haplotype_2";
/// Every best-scoring diplotype, in PharmCAT's order.
pub const CANDIDATES: &str = "candidates";
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
/// Flags: `no_call`, `ambiguous`, `partial`, `unexplained_variant`, ...
pub const FLAGS: &str = "flags";
/// Where the call came from: `vcf`, `bam` or `outside`.
pub const SOURCE: &str = "source";
/// The allele definitions used.
pub const DEFINITIONS_VERSION: &str = "definitions_version";

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
        Field::new(MATCH_SCORE, DataType::Int32, true),
        Field::new(PHASED, DataType::Boolean, false),
        Field::new(MISSING_POSITIONS, position_list, false),
        Field::new(FUNCTION_1, DataType::Utf8, true),
        Field::new(FUNCTION_2, DataType::Utf8, true),
        Field::new(ACTIVITY_SCORE, DataType::Float64, true),
        Field::new(PHENOTYPE, DataType::Utf8, true),
        Field::new(FLAGS, string_list(), false),
        Field::new(SOURCE, DataType::Utf8, false),
        Field::new(DEFINITIONS_VERSION, DataType::Utf8, false),
    ]))
}
