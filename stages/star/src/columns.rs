//! The columns the matcher reads from a genotypes batch.

use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, UInt32Type, UInt8Type};
use arrow_array::{Array, BooleanArray, ListArray, PrimitiveArray, RecordBatch, StringArray};
use tailor_schemas::genotypes as col;

use crate::error::{Error, Result};

/// The columns the matcher reads from a genotypes batch, type-checked.
pub(crate) struct Columns<'b> {
    pub sample: &'b StringArray,
    pub gene: &'b StringArray,
    pub allele_1: &'b StringArray,
    pub allele_2: &'b StringArray,
    pub pos: &'b PrimitiveArray<UInt32Type>,
    pub ploidy: &'b PrimitiveArray<UInt8Type>,
    pub phased: &'b BooleanArray,
    pub phase_set: &'b PrimitiveArray<Int64Type>,
    pub flags: &'b ListArray,
    /// The flags' strings (`None` if not strings: no row is partial).
    flag_values: Option<&'b StringArray>,
    /// How each genotype was made (schema version 2; `None` in version 1
    /// tables, which were all read from VCFs).
    source_kind: Option<&'b StringArray>,
}

impl<'b> Columns<'b> {
    /// The names of the columns read.
    pub const NAMES: [&'static str; 9] = [
        col::SAMPLE_ID,
        col::GENE,
        col::ALLELE_1,
        col::ALLELE_2,
        col::POS,
        col::PLOIDY,
        col::PHASED,
        col::PHASE_SET,
        col::FLAGS,
    ];

    /// The columns of `batch`; `path` names it in errors.
    pub fn new(path: &Path, batch: &'b RecordBatch) -> Result<Self> {
        let column = |name: &'static str, expected: &'static str| {
            batch.column_by_name(name).ok_or_else(|| Error::Column {
                path: path.to_path_buf(),
                column: name,
                expected,
            })
        };
        let wrong = |column: &'static str, expected: &'static str| Error::Column {
            path: path.to_path_buf(),
            column,
            expected,
        };
        let strings = |name: &'static str| {
            column(name, "Utf8")?
                .as_string_opt::<i32>()
                .ok_or_else(|| wrong(name, "Utf8"))
        };
        // In this order, so the first missing column is the one named.
        let mut columns = Self {
            sample: strings(col::SAMPLE_ID)?,
            gene: strings(col::GENE)?,
            allele_1: strings(col::ALLELE_1)?,
            allele_2: strings(col::ALLELE_2)?,
            pos: column(col::POS, "UInt32")?
                .as_primitive_opt()
                .ok_or_else(|| wrong(col::POS, "UInt32"))?,
            ploidy: column(col::PLOIDY, "UInt8")?
                .as_primitive_opt()
                .ok_or_else(|| wrong(col::PLOIDY, "UInt8"))?,
            phased: column(col::PHASED, "Boolean")?
                .as_boolean_opt()
                .ok_or_else(|| wrong(col::PHASED, "Boolean"))?,
            phase_set: column(col::PHASE_SET, "Int64")?
                .as_primitive_opt()
                .ok_or_else(|| wrong(col::PHASE_SET, "Int64"))?,
            flags: column(col::FLAGS, "List<Utf8>")?
                .as_list_opt::<i32>()
                .ok_or_else(|| wrong(col::FLAGS, "List<Utf8>"))?,
            flag_values: None,
            source_kind: match batch.column_by_name(col::SOURCE_KIND) {
                None => None,
                Some(a) => Some(
                    a.as_string_opt::<i32>()
                        .ok_or_else(|| wrong(col::SOURCE_KIND, "Utf8"))?,
                ),
            },
        };
        columns.flag_values = columns.flags.values().as_string_opt::<i32>();
        Ok(columns)
    }

    /// Whether `row` names a sample, a gene and a position (rows that do
    /// not are skipped).
    pub fn is_complete(&self, row: usize) -> bool {
        !(self.sample.is_null(row) || self.gene.is_null(row) || self.pos.is_null(row))
    }

    /// Whether `row`'s genotype was called from aligned reads.
    pub fn is_from_reads(&self, row: usize) -> bool {
        self.source_kind.is_some_and(|a| {
            !a.is_null(row)
                && col::GenotypeSource::parse(a.value(row)) == Some(col::GenotypeSource::Bam)
        })
    }

    /// Whether `row` is flagged `partial_call`.
    pub fn is_partial(&self, row: usize) -> bool {
        let Some(values) = self.flag_values else {
            return false;
        };
        let offsets = self.flags.value_offsets();
        let (start, end) = (offsets[row] as usize, offsets[row + 1] as usize);
        (start..end).any(|i| !values.is_null(i) && values.value(i) == col::flags::PARTIAL_CALL)
    }
}

/// The value of `row`, `None` when null.
pub(crate) fn value(a: &StringArray, row: usize) -> Option<&str> {
    (!a.is_null(row)).then(|| a.value(row))
}
