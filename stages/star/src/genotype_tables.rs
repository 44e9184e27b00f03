//! Reading genotypes tables whole, split into each gene's rows.

use std::collections::BTreeMap;
use std::path::PathBuf;

use arrow_array::RecordBatch;
use tailor_schemas::genotypes as col;
use tailor_tables::{read_table_columns, InputIdentity, Table};

use crate::columns::Columns;
use crate::error::Result;
use crate::genotypes::Genotypes;

/// Genotypes tables read whole: the cohort, and each gene's rows.
pub(crate) struct GenotypeTables {
    /// Samples in first-seen order over all tables.
    pub samples: Vec<String>,
    /// The tables' identities, for provenance.
    pub identities: Vec<InputIdentity>,
    /// gene -> its rows (slices of the tables' batches, in table order).
    pub by_gene: BTreeMap<String, Vec<RecordBatch>>,
}

impl GenotypeTables {
    /// Reads every table in `paths`.
    pub(crate) fn read(paths: &[PathBuf]) -> Result<Self> {
        let mut cohort = Genotypes::default();
        let mut identities = Vec::new();
        let mut by_gene: BTreeMap<String, Vec<RecordBatch>> = BTreeMap::new();
        for path in paths {
            let table: Table = read_table_columns(path, &Columns::NAMES)?;
            table.expect_table(path, col::TABLE)?;
            identities.push(InputIdentity::hashed(path)?);
            for batch in &table.batches {
                let c = Columns::new(path, batch)?;
                // Runs of rows of one gene (ingest writes a gene's rows
                // together), each handed on as a zero-copy slice.
                let mut runs: Vec<(&str, usize, usize)> = Vec::new();
                let mut last_sample: Option<&str> = None;
                for row in (0..batch.num_rows()).filter(|&row| c.is_complete(row)) {
                    let name = c.sample.value(row);
                    if last_sample != Some(name) {
                        cohort.sample_index(name);
                        last_sample = Some(name);
                    }
                    let gene = c.gene.value(row);
                    match runs.last_mut() {
                        Some((last, _, end)) if *last == gene && *end == row => *end += 1,
                        _ => runs.push((gene, row, row + 1)),
                    }
                }
                for (gene, start, end) in runs {
                    by_gene
                        .entry(gene.to_owned())
                        .or_default()
                        .push(batch.slice(start, end - start));
                }
            }
        }
        Ok(Self {
            samples: cohort.samples,
            identities,
            by_gene,
        })
    }
}
