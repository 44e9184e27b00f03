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

/// What a genotype row holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Missing,
    Diploid,
    Haploid,
    /// `./1`: one strand missing.
    Partial,
}

/// One genotype row, reduced to what the matcher needs; alleles are
/// indices into [`Genotypes::alleles`] (interned: a cohort repeats a few
/// allele strings millions of times).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Row {
    pub pos: u32,
    kind: Kind,
    allele_1: u32,
    allele_2: u32,
    phased: bool,
    phase_set: Option<i64>,
}

impl Row {
    /// The matcher's view of this row (`None`: missing).
    pub(crate) fn sample(&self, alleles: &[String]) -> Option<SampleAllele> {
        let get = |i: u32| alleles.get(i as usize).map_or(".", String::as_str);
        match self.kind {
            Kind::Missing => None,
            Kind::Diploid => Some(SampleAllele::diploid(
                get(self.allele_1),
                get(self.allele_2),
                self.phased,
                self.phase_set,
            )),
            Kind::Haploid => Some(SampleAllele::haploid(get(self.allele_1))),
            // `./1` keeps its called allele in its own slot, so the
            // missing strand stays the one the VCF says.
            Kind::Partial => Some(match get(self.allele_1) {
                "." => SampleAllele::half_missing(get(self.allele_2), false, self.phased),
                called => SampleAllele::half_missing(called, true, self.phased),
            }),
        }
    }
}

/// Every table's rows, grouped by gene then sample.
#[derive(Debug, Default)]
pub(crate) struct Genotypes {
    /// Sample names in first-seen order.
    pub samples: Vec<String>,
    /// gene -> sample index -> rows.
    pub by_gene: BTreeMap<String, HashMap<usize, Vec<Row>>>,
    pub identities: Vec<InputIdentity>,
    /// Interned allele strings.
    pub alleles: Vec<String>,
    allele_ids: HashMap<String, u32>,
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
            // ingest writes `./1` with the called allele in its slot and
            // the other null.
            let (kind, first, second) = match (a1, a2) {
                _ if partial => (Kind::Partial, a1.unwrap_or("."), a2.unwrap_or(".")),
                (Some(a), Some(b)) if ploidy >= 2 => (Kind::Diploid, a, b),
                (Some(a), _) | (None, Some(a)) => (Kind::Haploid, a, "."),
                (None, None) => (Kind::Missing, ".", "."),
            };
            let record = Row {
                pos: pos.value(row),
                kind,
                allele_1: self.intern(first),
                allele_2: self.intern(second),
                phased: is_phased,
                phase_set: ps,
            };
            let name = gene.value(row);
            if !self.by_gene.contains_key(name) {
                self.by_gene.insert(name.to_owned(), HashMap::new());
            }
            if let Some(by_sample) = self.by_gene.get_mut(name) {
                by_sample.entry(s).or_default().push(record);
            }
        }
        Ok(())
    }

    fn intern(&mut self, allele: &str) -> u32 {
        if let Some(&id) = self.allele_ids.get(allele) {
            return id;
        }
        let id = u32::try_from(self.alleles.len()).unwrap_or(u32::MAX);
        self.alleles.push(allele.to_ascii_uppercase());
        self.allele_ids.insert(allele.to_owned(), id);
        id
    }
}
