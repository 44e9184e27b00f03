//! Reading the calls table (one row per sample x gene) into a compact index:
//! per gene, per sample, the id of a distinct call.
//!
//! Phenotype, diplotype, activity score, flags and source are copied as the
//! star stage wrote them; what they hold for ambiguous calls and no calls is
//! the calls table's contract (see [`tailor_schemas::calls`]), except that
//! a single-variant gene's diplotype reads as a genotype (`C/T`, see
//! [`tailor_schemas::single_variant`]).

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;
use tailor_schemas::single_variant::{Genotype, SingleVariant};
use tailor_schemas::{calls, metadata_keys};
use tailor_tables::SampleIndex;

use crate::error::{Error, Result};
use crate::source::{io, ColumnView};
use crate::string_table::StringTable;

/// The flag the star stage writes for a no call.
pub(crate) const NO_CALL_FLAG: &str = calls::flags::NO_CALL;
/// The flag the star stage writes for an ambiguous call.
pub(crate) const AMBIGUOUS_FLAG: &str = calls::flags::AMBIGUOUS;

/// One distinct call, as copied into the gene's wide columns.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Call {
    pub phenotype: Option<Box<str>>,
    pub diplotype: Option<Box<str>>,
    pub activity_score: Option<f64>,
    pub flags: Vec<Box<str>>,
    pub source: Option<Box<str>>,
}

impl Call {
    /// A no call: flagged so, or without a diplotype.
    pub(crate) fn is_no_call(&self) -> bool {
        self.diplotype.is_none() || self.flags.iter().any(|f| &**f == NO_CALL_FLAG)
    }

    /// Flagged ambiguous.
    pub(crate) fn is_ambiguous(&self) -> bool {
        self.flags.iter().any(|f| &**f == AMBIGUOUS_FLAG)
    }
}

/// The calls table, indexed.
#[derive(Debug, Default)]
pub(crate) struct Calls {
    /// Sample names, by sample index.
    pub samples: StringTable,
    /// 1-based row of each sample's first call.
    pub first_row: Vec<u64>,
    /// Genes, by gene index (first-seen order).
    pub genes: Vec<Box<str>>,
    /// Per gene, per sample: index into `distinct` plus one (0: no row),
    /// a byte a sample while a gene has fewer than 255 distinct calls.
    pub by_gene: Vec<SampleIndex>,
    /// The distinct calls.
    pub distinct: Vec<Call>,
    /// The definitions version the calls were made with.
    pub definitions_version: Option<String>,
    pub rows: u64,
    /// Per gene index, the variant of a single-variant gene.
    pub single_variants: Vec<Option<SingleVariant>>,
}

impl Calls {
    /// The call of `sample` for gene index `gene`, if the table has one.
    pub(crate) fn call(&self, gene: usize, sample: u32) -> Option<&Call> {
        let id = self.by_gene.get(gene)?.get(sample as usize);
        id.checked_sub(1)
            .and_then(|i| self.distinct.get(i as usize))
    }
}

/// Reads the calls table at `path`.
pub(crate) fn read_calls(path: &Path) -> Result<Calls> {
    let file = File::open(path).map_err(io(path, "opening"))?;
    let parquet = |source| {
        Error::Tables(tailor_tables::Error::Parquet {
            path: path.to_path_buf(),
            source,
        })
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(parquet)?;
    let key_values: Vec<(String, String)> = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .map(|pairs| {
            pairs
                .iter()
                .filter_map(|kv| Some((kv.key.clone(), kv.value.clone()?)))
                .collect()
        })
        .unwrap_or_default();
    let metadata = |key: &str| {
        key_values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    match metadata(metadata_keys::TABLE) {
        Some(t) if t == calls::TABLE => {}
        found => {
            return Err(Error::Tables(tailor_tables::Error::WrongTable {
                path: path.to_path_buf(),
                expected: calls::TABLE.to_owned(),
                found,
            }))
        }
    }
    let wanted = [
        calls::SAMPLE_ID,
        calls::GENE,
        calls::DIPLOTYPE,
        calls::PHENOTYPE,
        calls::ACTIVITY_SCORE,
        calls::FLAGS,
        calls::SOURCE,
    ];
    let schema = builder.schema().clone();
    let mut roots = Vec::new();
    for name in wanted {
        let (index, field) = schema.column_with_name(name).ok_or(Error::CallsColumn {
            path: path.to_path_buf(),
            column: name,
            expected: expected_type(name),
        })?;
        if !type_ok(name, field.data_type()) {
            return Err(Error::CallsColumn {
                path: path.to_path_buf(),
                column: name,
                expected: expected_type(name),
            });
        }
        roots.push(index);
    }
    let mut sorted = roots.clone();
    sorted.sort_unstable();
    let mask = ProjectionMask::roots(builder.parquet_schema(), sorted.iter().copied());
    let reader = builder
        .with_projection(mask)
        .with_batch_size(1 << 15)
        .build()
        .map_err(parquet)?;
    let positions: Vec<usize> = roots
        .iter()
        .map(|r| sorted.iter().position(|s| s == r).unwrap_or_default())
        .collect();

    let mut index = Indexer::default();
    let mut out = Calls {
        definitions_version: metadata(metadata_keys::DEFINITIONS_VERSION),
        ..Calls::default()
    };
    for batch in reader {
        let batch: RecordBatch = batch.map_err(|source| parquet(source.into()))?;
        let column = |i: usize| batch.column(positions[i]).as_ref();
        let view = |i: usize| ColumnView::new(column(i));
        let (sample, gene, diplotype, phenotype, source) =
            (view(0), view(1), view(2), view(3), view(6));
        let activity = column(4).as_primitive::<Float64Type>();
        let flags = column(5);
        for row in 0..batch.num_rows() {
            out.rows += 1;
            let (Some(sample_name), Some(gene_name)) = (sample.text(row), gene.text(row)) else {
                continue;
            };
            let sample_index = index.sample(&mut out, sample_name.trim());
            let gene_index = index.gene(&mut out, gene_name.trim());
            let key = CallKey {
                phenotype: index.string(phenotype.text(row)),
                diplotype: index.string(diplotype.text(row)),
                activity_bits: if activity.is_null(row) {
                    None
                } else {
                    Some(activity.value(row).to_bits())
                },
                flags: index.flags(flags, row),
                source: index.string(source.text(row)),
            };
            let id = index.call(&mut out, key);
            let slot = &mut out.by_gene[gene_index];
            if slot.get(sample_index as usize) != 0 {
                return Err(Error::DuplicateCall {
                    path: path.to_path_buf(),
                    row: out.rows,
                    gene: gene_name.to_owned(),
                });
            }
            slot.set(sample_index as usize, id);
        }
    }
    drop(index);
    relabel_single_variants(&mut out);
    out.samples.shrink_to_fit();
    out.first_row.shrink_to_fit();
    for gene in &mut out.by_gene {
        gene.shrink_to_fit();
    }
    Ok(out)
}

/// Shows single-variant diplotypes as genotypes (`C/T`) and notes each
/// single-variant gene's rsID and, when a call names it, reference allele.
fn relabel_single_variants(calls: &mut Calls) {
    let genotypes: Vec<Option<Genotype>> = calls
        .distinct
        .iter()
        .map(|c| c.diplotype.as_deref().and_then(Genotype::parse))
        .collect();
    for (call, genotype) in calls.distinct.iter_mut().zip(&genotypes) {
        if let Some(genotype) = genotype {
            call.diplotype = Some(genotype.label.as_str().into());
        }
    }
    calls.single_variants = calls
        .by_gene
        .iter()
        .map(|ids| {
            let mut found: Option<SingleVariant> = None;
            for id in ids.iter() {
                let Some(Some(genotype)) =
                    id.checked_sub(1).and_then(|i| genotypes.get(i as usize))
                else {
                    continue;
                };
                let variant = found.get_or_insert_with(|| genotype.variant.clone());
                if variant.reference.is_none() {
                    variant.reference.clone_from(&genotype.variant.reference);
                }
                if variant.reference.is_some() {
                    break;
                }
            }
            found
        })
        .collect();
}

/// Interning of samples, genes, strings and distinct calls while reading:
/// no allocation per row once the values have been seen.
#[derive(Default)]
struct Indexer {
    samples: HashMap<Box<str>, u32>,
    genes: HashMap<Box<str>, usize>,
    /// Text values, ids from 1 (0: null).
    strings: HashMap<Box<str>, u32>,
    string_values: Vec<Box<str>>,
    /// Flag lists, as lists of string ids.
    flag_lists: HashMap<Vec<u32>, u32>,
    flag_values: Vec<Vec<u32>>,
    buffer: Vec<u32>,
    calls: HashMap<CallKey, u32>,
}

/// A call as ids: phenotype, diplotype, activity score bits, flag list, source.
#[derive(Clone, Copy, Hash, PartialEq, Eq)]
struct CallKey {
    phenotype: u32,
    diplotype: u32,
    activity_bits: Option<u64>,
    flags: u32,
    source: u32,
}

impl Indexer {
    fn sample(&mut self, out: &mut Calls, name: &str) -> u32 {
        if let Some(&i) = self.samples.get(name) {
            return i;
        }
        let i = u32::try_from(out.samples.len()).unwrap_or(u32::MAX);
        self.samples.insert(name.into(), i);
        out.samples.push(Some(name));
        out.first_row.push(out.rows);
        for gene in &mut out.by_gene {
            gene.push_zero();
        }
        i
    }

    fn gene(&mut self, out: &mut Calls, name: &str) -> usize {
        if let Some(&i) = self.genes.get(name) {
            return i;
        }
        let i = out.genes.len();
        self.genes.insert(name.into(), i);
        out.genes.push(name.into());
        out.by_gene.push(SampleIndex::zeros(out.samples.len()));
        i
    }

    fn string(&mut self, text: Option<&str>) -> u32 {
        let Some(text) = text else {
            return 0;
        };
        if let Some(&id) = self.strings.get(text) {
            return id;
        }
        self.string_values.push(text.into());
        let id = u32::try_from(self.string_values.len()).unwrap_or(u32::MAX);
        self.strings.insert(text.into(), id);
        id
    }

    fn text(&self, id: u32) -> Option<Box<str>> {
        let index = usize::try_from(id.checked_sub(1)?).ok()?;
        self.string_values.get(index).cloned()
    }

    /// The id of the flag list at `row` of `array` (a list of text).
    fn flags(&mut self, array: &dyn Array, row: usize) -> u32 {
        let mut buffer = std::mem::take(&mut self.buffer);
        buffer.clear();
        if !array.is_null(row) {
            let values = match array.data_type() {
                DataType::List(_) => Some(array.as_list::<i32>().value(row)),
                DataType::LargeList(_) => Some(array.as_list::<i64>().value(row)),
                _ => None,
            };
            if let Some(values) = values {
                let view = ColumnView::new(values.as_ref());
                for i in 0..values.len() {
                    let id = self.string(view.text(i));
                    if id != 0 {
                        buffer.push(id);
                    }
                }
            }
        }
        let id = match self.flag_lists.get(buffer.as_slice()) {
            Some(&id) => id,
            None => {
                self.flag_values.push(buffer.clone());
                let id = u32::try_from(self.flag_values.len() - 1).unwrap_or(u32::MAX);
                self.flag_lists.insert(buffer.clone(), id);
                id
            }
        };
        self.buffer = buffer;
        id
    }

    fn call(&mut self, out: &mut Calls, key: CallKey) -> u32 {
        if let Some(&id) = self.calls.get(&key) {
            return id;
        }
        let flags = self
            .flag_values
            .get(key.flags as usize)
            .map(|ids| ids.iter().filter_map(|&id| self.text(id)).collect())
            .unwrap_or_default();
        out.distinct.push(Call {
            phenotype: self.text(key.phenotype),
            diplotype: self.text(key.diplotype),
            activity_score: key.activity_bits.map(f64::from_bits),
            flags,
            source: self.text(key.source),
        });
        let id = u32::try_from(out.distinct.len()).unwrap_or(u32::MAX);
        self.calls.insert(key, id);
        id
    }
}

fn expected_type(name: &str) -> &'static str {
    match name {
        calls::ACTIVITY_SCORE => "Float64",
        calls::FLAGS => "List<Utf8>",
        _ => "Utf8",
    }
}

fn type_ok(name: &str, data_type: &DataType) -> bool {
    match name {
        calls::ACTIVITY_SCORE => data_type == &DataType::Float64,
        calls::FLAGS => match data_type {
            DataType::List(item) | DataType::LargeList(item) => is_text(item.data_type()),
            _ => false,
        },
        _ => is_text(data_type),
    }
}

fn is_text(data_type: &DataType) -> bool {
    match data_type {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, values) => is_text(values),
        _ => false,
    }
}
