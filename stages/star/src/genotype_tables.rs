//! Calling from genotypes tables read as streams of batches: memory holds
//! one batch and each gene's compact genotypes, never the table.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use tailor_schemas::genotypes as col;
use tailor_tables::{InputIdentity, ReadAhead, TableBatches};

use crate::caller::{Caller, GeneCaller, GeneCalls};
use crate::columns::Columns;
use crate::error::{Error, Result};

/// Batches decoded ahead of the one being added, with more than one
/// thread: adding a batch takes longer than decoding the next, so one
/// keeps the decoder busy (two were no faster on 20,000 people).
const READ_AHEAD: usize = 1;

/// Opens `path` as a genotypes table, reading `columns`.
fn open(path: &Path, columns: &[&str]) -> Result<TableBatches> {
    let batches = TableBatches::open(path, Some(columns))?;
    batches.expect_table(col::TABLE)?;
    Ok(batches)
}

/// The cohort of the tables `paths`: every sample with a complete row (a
/// sample, a gene and a position), in order of first appearance. Reads
/// only those three columns.
///
/// # Errors
/// [`Error::Table`] for an unreadable or foreign table, [`Error::Column`]
/// for a missing column.
pub(crate) fn read_samples(paths: &[PathBuf]) -> Result<Vec<String>> {
    let mut samples: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for path in paths {
        for batch in open(path, &[col::SAMPLE_ID, col::GENE, col::POS])? {
            let batch = batch?;
            let missing = |column: &'static str, expected: &'static str| Error::Column {
                path: path.clone(),
                column,
                expected,
            };
            let sample = batch
                .column_by_name(col::SAMPLE_ID)
                .and_then(|c| c.as_string_opt::<i32>())
                .ok_or_else(|| missing(col::SAMPLE_ID, "Utf8"))?;
            let gene = batch
                .column_by_name(col::GENE)
                .ok_or_else(|| missing(col::GENE, "Utf8"))?;
            let pos = batch
                .column_by_name(col::POS)
                .ok_or_else(|| missing(col::POS, "UInt32"))?;
            let mut last: Option<&str> = None;
            for row in 0..batch.num_rows() {
                if sample.is_null(row) || gene.is_null(row) || pos.is_null(row) {
                    continue;
                }
                let name = sample.value(row);
                if last != Some(name) {
                    if !seen.contains(name) {
                        seen.insert(name.to_owned());
                        samples.push(name.to_owned());
                    }
                    last = Some(name);
                }
            }
        }
    }
    Ok(samples)
}

/// Calls every gene of the tables `paths` for `caller`'s cohort, reading
/// each table batch by batch: a batch's rows go to the callers of their
/// genes (one per gene, all open at once) and the batch is dropped.
/// Returns the genes' calls (in gene order) and the tables' identities.
///
/// # Errors
/// As [`read_samples`]; [`Error::Io`] if a table cannot be hashed.
pub(crate) fn call_tables(
    caller: &Caller<'_>,
    paths: &[PathBuf],
) -> Result<(Vec<GeneCalls>, Vec<InputIdentity>)> {
    let mut genes: BTreeMap<String, Option<GeneCaller<'_>>> = BTreeMap::new();
    let mut identities = Vec::with_capacity(paths.len());
    for path in paths {
        let batches = open(path, &Columns::NAMES)?;
        identities.push(InputIdentity::hashed(path)?);
        // With a second thread, decoding the next batches (a third of the
        // work) overlaps with sorting this one's rows into the genes.
        let batches: Box<dyn Iterator<Item = _>> = if rayon::current_num_threads() > 1 {
            Box::new(ReadAhead::new(batches, READ_AHEAD))
        } else {
            Box::new(batches)
        };
        for batch in batches {
            add_batch(caller, &mut genes, path, &batch?)?;
        }
    }
    let calls = genes
        .into_values()
        .flatten()
        .map(GeneCaller::finish)
        .collect();
    Ok((calls, identities))
}

/// Hands each run of one gene's rows in `batch` (ingest writes a gene's
/// rows together) to that gene's caller, as a zero-copy slice.
fn add_batch<'c>(
    caller: &'c Caller<'_>,
    genes: &mut BTreeMap<String, Option<GeneCaller<'c>>>,
    path: &Path,
    batch: &RecordBatch,
) -> Result<()> {
    let c = Columns::new(path, batch)?;
    let mut runs: Vec<(&str, usize, usize)> = Vec::new();
    for row in (0..batch.num_rows()).filter(|&row| c.is_complete(row)) {
        let gene = c.gene.value(row);
        match runs.last_mut() {
            Some((last, _, end)) if *last == gene && *end == row => *end += 1,
            _ => runs.push((gene, row, row + 1)),
        }
    }
    for (gene, start, end) in runs {
        if !genes.contains_key(gene) {
            genes.insert(gene.to_owned(), caller.gene(gene));
        }
        if let Some(Some(gene_caller)) = genes.get_mut(gene) {
            gene_caller.add_from(path, &batch.slice(start, end - start))?;
        }
    }
    Ok(())
}
