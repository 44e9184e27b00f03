//! Building genotype rows into Arrow record batches.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float32Builder, Int32Builder, Int64Builder, ListBuilder, StringBuilder,
    UInt32Builder, UInt8Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field};
use tailor_schemas::genotypes::{self, GenotypeSource};

/// One row of the genotypes table, borrowed from the reader's state.
#[derive(Debug)]
pub(crate) struct Row<'a> {
    pub sample_id: &'a str,
    pub gene: &'a str,
    pub chrom: &'a str,
    pub pos: u32,
    pub reference: &'a str,
    pub allele_1: Option<&'a str>,
    pub allele_2: Option<&'a str>,
    pub ploidy: u8,
    pub phased: bool,
    pub phase_set: Option<i64>,
    pub vcf_ref: Option<&'a str>,
    pub vcf_alt: Option<&'a str>,
    pub depth: Option<i32>,
    pub genotype_quality: Option<i32>,
    pub quality: Option<f32>,
    pub filter: Option<&'a str>,
    pub flags: &'a [&'static str],
    pub source: Option<&'a str>,
    pub allele_depths: Option<&'a [i32]>,
    pub source_kind: GenotypeSource,
}

impl Default for Row<'_> {
    fn default() -> Self {
        Self {
            sample_id: "",
            gene: "",
            chrom: "",
            pos: 0,
            reference: "",
            allele_1: None,
            allele_2: None,
            ploidy: 0,
            phased: false,
            phase_set: None,
            vcf_ref: None,
            vcf_alt: None,
            depth: None,
            genotype_quality: None,
            quality: None,
            filter: None,
            flags: &[],
            source: None,
            allele_depths: None,
            source_kind: GenotypeSource::Vcf,
        }
    }
}

/// Column builders for the genotypes table.
pub(crate) struct GenotypeBatch {
    sample_id: StringBuilder,
    gene: StringBuilder,
    chrom: StringBuilder,
    pos: UInt32Builder,
    reference: StringBuilder,
    allele_1: StringBuilder,
    allele_2: StringBuilder,
    ploidy: UInt8Builder,
    phased: BooleanBuilder,
    phase_set: Int64Builder,
    vcf_ref: StringBuilder,
    vcf_alt: StringBuilder,
    depth: Int32Builder,
    genotype_quality: Int32Builder,
    quality: Float32Builder,
    filter: StringBuilder,
    flags: ListBuilder<StringBuilder>,
    source: StringBuilder,
    allele_depths: ListBuilder<Int32Builder>,
    source_kind: StringBuilder,
}

impl GenotypeBatch {
    /// Builders sized for `rows` rows.
    pub fn with_capacity(rows: usize) -> Self {
        let strings = || StringBuilder::with_capacity(rows, rows * 4);
        Self {
            sample_id: strings(),
            gene: strings(),
            chrom: strings(),
            pos: UInt32Builder::with_capacity(rows),
            reference: strings(),
            allele_1: strings(),
            allele_2: strings(),
            ploidy: UInt8Builder::with_capacity(rows),
            phased: BooleanBuilder::with_capacity(rows),
            phase_set: Int64Builder::with_capacity(rows),
            vcf_ref: strings(),
            vcf_alt: strings(),
            depth: Int32Builder::with_capacity(rows),
            genotype_quality: Int32Builder::with_capacity(rows),
            quality: Float32Builder::with_capacity(rows),
            filter: strings(),
            flags: ListBuilder::new(StringBuilder::new()).with_field(Arc::new(Field::new(
                "item",
                DataType::Utf8,
                false,
            ))),
            source: strings(),
            allele_depths: ListBuilder::new(Int32Builder::new()).with_field(Arc::new(Field::new(
                "item",
                DataType::Int32,
                false,
            ))),
            source_kind: strings(),
        }
    }

    /// Appends a row.
    pub fn push(&mut self, row: &Row<'_>) {
        self.sample_id.append_value(row.sample_id);
        self.gene.append_value(row.gene);
        self.chrom.append_value(row.chrom);
        self.pos.append_value(row.pos);
        self.reference.append_value(row.reference);
        self.allele_1.append_option(row.allele_1);
        self.allele_2.append_option(row.allele_2);
        self.ploidy.append_value(row.ploidy);
        self.phased.append_value(row.phased);
        self.phase_set.append_option(row.phase_set);
        self.vcf_ref.append_option(row.vcf_ref);
        self.vcf_alt.append_option(row.vcf_alt);
        self.depth.append_option(row.depth);
        self.genotype_quality.append_option(row.genotype_quality);
        self.quality.append_option(row.quality);
        self.filter.append_option(row.filter);
        for flag in row.flags {
            self.flags.values().append_value(flag);
        }
        self.flags.append(true);
        self.source.append_option(row.source);
        match row.allele_depths {
            Some(depths) => {
                self.allele_depths.values().append_slice(depths);
                self.allele_depths.append(true);
            }
            None => self.allele_depths.append(false),
        }
        self.source_kind.append_value(row.source_kind.as_str());
    }

    /// The rows as a batch with the genotypes schema; the builders are reset.
    pub fn finish(&mut self) -> Result<RecordBatch, ArrowError> {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.sample_id.finish()),
            Arc::new(self.gene.finish()),
            Arc::new(self.chrom.finish()),
            Arc::new(self.pos.finish()),
            Arc::new(self.reference.finish()),
            Arc::new(self.allele_1.finish()),
            Arc::new(self.allele_2.finish()),
            Arc::new(self.ploidy.finish()),
            Arc::new(self.phased.finish()),
            Arc::new(self.phase_set.finish()),
            Arc::new(self.vcf_ref.finish()),
            Arc::new(self.vcf_alt.finish()),
            Arc::new(self.depth.finish()),
            Arc::new(self.genotype_quality.finish()),
            Arc::new(self.quality.finish()),
            Arc::new(self.filter.finish()),
            Arc::new(self.flags.finish()),
            Arc::new(self.source.finish()),
            Arc::new(self.allele_depths.finish()),
            Arc::new(self.source_kind.finish()),
        ];
        RecordBatch::try_new(genotypes::schema(), columns)
    }
}
