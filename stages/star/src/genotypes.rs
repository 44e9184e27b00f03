//! Reading genotypes tables into per-gene, per-sample matcher input.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, UInt32Type, UInt8Type};
use arrow_array::{Array, BooleanArray, ListArray, RecordBatch, StringArray};
use tailor_schemas::genotypes as col;
use tailor_tables::{read_table, InputIdentity, Table};

use crate::error::{Error, Result};
use crate::SampleAllele;

/// One genotype row, reduced to what the matcher needs.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub pos: u32,
    pub allele: Option<SampleAllele>,
}

/// Every table's rows, grouped by gene then sample.
#[derive(Debug, Default)]
pub(crate) struct Genotypes {
    /// Sample names in first-seen order.
    pub samples: Vec<String>,
    /// gene -> sample index -> rows.
    pub by_gene: BTreeMap<String, HashMap<usize, Vec<Row>>>,
    pub identities: Vec<InputIdentity>,
    pub definitions_versions: Vec<String>,
}

fn strings<'b>(
    path: &Path,
    batch: &'b RecordBatch,
    column: &'static str,
) -> Result<&'b StringArray> {
    batch
        .column_by_name(column)
        .and_then(|c| c.as_string_opt::<i32>())
        .ok_or_else(|| Error::Column {
            path: path.to_path_buf(),
            column,
            expected: "Utf8",
        })
}

fn missing(path: &Path, column: &'static str, expected: &'static str) -> Error {
    Error::Column {
        path: path.to_path_buf(),
        column,
        expected,
    }
}

impl Genotypes {
    /// Reads every table in `paths`.
    pub(crate) fn read(paths: &[PathBuf], wanted: &dyn Fn(&str) -> bool) -> Result<Self> {
        let mut out = Self::default();
        let mut sample_index: HashMap<String, usize> = HashMap::new();
        for path in paths {
            let table: Table = read_table(path)?;
            table.expect_table(path, col::TABLE)?;
            if let Some(v) = table.metadata(tailor_schemas::metadata_keys::DEFINITIONS_VERSION) {
                out.definitions_versions.push(v.to_owned());
            }
            out.identities.push(InputIdentity::hashed(path)?);
            for batch in &table.batches {
                out.add_batch(path, batch, &mut sample_index, wanted)?;
            }
        }
        Ok(out)
    }

    fn add_batch(
        &mut self,
        path: &Path,
        batch: &RecordBatch,
        sample_index: &mut HashMap<String, usize>,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Result<()> {
        let sample = strings(path, batch, col::SAMPLE_ID)?;
        let gene = strings(path, batch, col::GENE)?;
        let allele_1 = strings(path, batch, col::ALLELE_1)?;
        let allele_2 = strings(path, batch, col::ALLELE_2)?;
        let pos = batch
            .column_by_name(col::POS)
            .and_then(|c| c.as_primitive_opt::<UInt32Type>())
            .ok_or_else(|| missing(path, col::POS, "UInt32"))?;
        let ploidy = batch
            .column_by_name(col::PLOIDY)
            .and_then(|c| c.as_primitive_opt::<UInt8Type>())
            .ok_or_else(|| missing(path, col::PLOIDY, "UInt8"))?;
        let phased: &BooleanArray = batch
            .column_by_name(col::PHASED)
            .and_then(|c| c.as_boolean_opt())
            .ok_or_else(|| missing(path, col::PHASED, "Boolean"))?;
        let phase_set = batch
            .column_by_name(col::PHASE_SET)
            .and_then(|c| c.as_primitive_opt::<Int64Type>())
            .ok_or_else(|| missing(path, col::PHASE_SET, "Int64"))?;
        let flags: &ListArray = batch
            .column_by_name(col::FLAGS)
            .and_then(|c| c.as_list_opt::<i32>())
            .ok_or_else(|| missing(path, col::FLAGS, "List<Utf8>"))?;
        for row in 0..batch.num_rows() {
            if sample.is_null(row) || gene.is_null(row) || pos.is_null(row) {
                continue;
            }
            let name = sample.value(row);
            let s = match sample_index.get(name) {
                Some(&s) => s,
                None => {
                    let s = self.samples.len();
                    self.samples.push(name.to_owned());
                    sample_index.insert(name.to_owned(), s);
                    s
                }
            };
            if !wanted(gene.value(row)) {
                continue;
            }
            fn get(a: &StringArray, row: usize) -> Option<&str> {
                (!a.is_null(row)).then(|| a.value(row))
            }
            let (a1, a2) = (get(allele_1, row), get(allele_2, row));
            let partial = {
                let list = flags.value(row);
                list.as_string_opt::<i32>().is_some_and(|f| {
                    (0..f.len()).any(|i| !f.is_null(i) && f.value(i) == col::flags::PARTIAL_CALL)
                })
            };
            let is_phased = !phased.is_null(row) && phased.value(row);
            let ps = (!phase_set.is_null(row)).then(|| phase_set.value(row));
            let ploidy = if ploidy.is_null(row) {
                0
            } else {
                ploidy.value(row)
            };
            let allele = match (a1, a2) {
                _ if partial => {
                    // ingest writes both alleles null for `./1`: the called
                    // allele is unknown, so both strands read `.`; PharmCAT
                    // makes no call without combinations either way.
                    let called = a1.or(a2).unwrap_or(".");
                    Some(SampleAllele::half_missing(called, true, is_phased))
                }
                (Some(a), Some(b)) if ploidy >= 2 => {
                    Some(SampleAllele::diploid(a, b, is_phased, ps))
                }
                (Some(a), None) | (None, Some(a)) => Some(SampleAllele::haploid(a)),
                (Some(a), Some(_)) => Some(SampleAllele::haploid(a)),
                (None, None) => None,
            };
            self.by_gene
                .entry(gene.value(row).to_owned())
                .or_default()
                .entry(s)
                .or_default()
                .push(Row {
                    pos: pos.value(row),
                    allele,
                });
        }
        Ok(())
    }
}
