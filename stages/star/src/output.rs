//! Rows of the calls table and their Arrow batch.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int32Builder, ListBuilder, StringBuilder, UInt32Builder,
    UInt8Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field};
use tailor_schemas::calls::{self, CallSource};

/// One row of the calls table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallRow {
    /// Sample name.
    pub sample_id: String,
    /// Gene symbol.
    pub gene: String,
    /// First candidate (DPYD/RYR1: the lowest-function diplotype), `None`
    /// for a no call.
    pub diplotype: Option<String>,
    /// First haplotype of `diplotype`.
    pub haplotype_1: Option<String>,
    /// Second haplotype (`None` when haploid).
    pub haplotype_2: Option<String>,
    /// Candidates in PharmCAT's order.
    pub candidates: Vec<String>,
    /// DPYD/RYR1 unphased: the possible haplotypes.
    pub haplotype_matches: Vec<String>,
    /// Match score of `diplotype`.
    pub match_score: Option<i32>,
    /// Phased or effectively phased.
    pub phased: bool,
    /// Missing definition positions (1-based).
    pub missing_positions: Vec<u32>,
    /// Function of haplotype 1.
    pub function_1: Option<String>,
    /// Function of haplotype 2.
    pub function_2: Option<String>,
    /// Activity score.
    pub activity_score: Option<f64>,
    /// Phenotype.
    pub phenotype: Option<String>,
    /// CYP2D6 copies from reads, when measured.
    pub copy_number: Option<u8>,
    /// Flags ([`calls::flags`]).
    pub flags: Vec<&'static str>,
    /// Where the call came from.
    pub source: CallSource,
}

fn string_list(values: impl Iterator<Item = Vec<String>>) -> ArrayRef {
    let field = Field::new("item", DataType::Utf8, false);
    let mut b = ListBuilder::new(StringBuilder::new()).with_field(Arc::new(field));
    for v in values {
        for s in v {
            b.values().append_value(s);
        }
        b.append(true);
    }
    Arc::new(b.finish())
}

/// Builds the calls-table batch of `rows` (in the order given).
///
/// # Errors
/// An [`ArrowError`] if the columns do not fit [`calls::schema`] (a bug).
pub fn batch(rows: &[CallRow], definitions_version: &str) -> Result<RecordBatch, ArrowError> {
    fn strings<'r>(rows: &'r [CallRow], f: impl Fn(&'r CallRow) -> Option<&'r str>) -> ArrayRef {
        let mut b = StringBuilder::new();
        for r in rows {
            b.append_option(f(r));
        }
        Arc::new(b.finish())
    }
    let mut score = Int32Builder::new();
    let mut phased = BooleanBuilder::new();
    let mut activity = Float64Builder::new();
    let mut copy_number = UInt8Builder::new();
    let field = Field::new("item", DataType::UInt32, false);
    let mut missing = ListBuilder::new(UInt32Builder::new()).with_field(Arc::new(field));
    for r in rows {
        score.append_option(r.match_score);
        phased.append_value(r.phased);
        activity.append_option(r.activity_score);
        copy_number.append_option(r.copy_number);
        missing.values().append_slice(&r.missing_positions);
        missing.append(true);
    }
    let columns: Vec<ArrayRef> = vec![
        strings(rows, |r| Some(&r.sample_id)),
        strings(rows, |r| Some(&r.gene)),
        strings(rows, |r| r.diplotype.as_deref()),
        strings(rows, |r| r.haplotype_1.as_deref()),
        strings(rows, |r| r.haplotype_2.as_deref()),
        string_list(rows.iter().map(|r| r.candidates.clone())),
        string_list(rows.iter().map(|r| r.haplotype_matches.clone())),
        Arc::new(score.finish()),
        Arc::new(phased.finish()),
        Arc::new(missing.finish()),
        strings(rows, |r| r.function_1.as_deref()),
        strings(rows, |r| r.function_2.as_deref()),
        Arc::new(activity.finish()),
        strings(rows, |r| r.phenotype.as_deref()),
        Arc::new(copy_number.finish()),
        string_list(
            rows.iter()
                .map(|r| r.flags.iter().map(|f| (*f).to_owned()).collect()),
        ),
        strings(rows, |r| Some(r.source.as_str())),
        {
            let mut b = StringBuilder::new();
            for _ in rows {
                b.append_value(definitions_version);
            }
            Arc::new(b.finish())
        },
    ];
    RecordBatch::try_new(calls::schema(), columns)
}
