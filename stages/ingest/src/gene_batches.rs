//! One gene's genotypes table rows as batches, a block of samples at a time.

use std::ops::Range;

use arrow_array::RecordBatch;

use crate::batch::GenotypeBatch;
use crate::gene_reader::{GeneInput, GeneSites};
use crate::input::Input;
use crate::merge::{emit_samples, Cohort};
use crate::{Error, Options, Result};

/// Rows per batch to aim for: a batch holds whole samples, so it has at
/// most this many rows or one sample's (every definition position).
const BATCH_ROWS: usize = 1 << 16;

/// The rows of one gene (every cohort sample x definition position), as
/// batches of the genotypes schema built on demand, a block of samples at
/// a time in cohort order: a gene's rows are never all in memory at once
/// (RYR1 has a million in the 1000 Genomes panels). An error (such as two
/// inputs giving the same sample's genotype) ends the iteration.
pub struct GeneBatches<'a> {
    gene: &'a GeneSites,
    inputs: &'a [Input],
    reads: &'a [GeneInput],
    cohort: &'a Cohort,
    options: &'a Options,
    /// Samples not yet emitted.
    samples: Range<usize>,
    batch: GenotypeBatch,
}

impl<'a> GeneBatches<'a> {
    /// The batches of `gene` from the inputs' `reads`.
    pub(crate) fn new(
        gene: &'a GeneSites,
        inputs: &'a [Input],
        reads: &'a [GeneInput],
        cohort: &'a Cohort,
        options: &'a Options,
    ) -> Self {
        Self {
            gene,
            inputs,
            reads,
            cohort,
            options,
            samples: 0..cohort.samples.len(),
            batch: GenotypeBatch::with_capacity(0),
        }
    }

    /// The gene's HGNC symbol.
    pub fn gene(&self) -> &str {
        &self.gene.gene
    }

    /// Samples per batch: as many as fit in [`BATCH_ROWS`], at least one.
    fn block(&self) -> usize {
        (BATCH_ROWS / self.gene.sites.len().max(1)).max(1)
    }
}

impl Iterator for GeneBatches<'_> {
    type Item = Result<RecordBatch>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.samples.is_empty() {
            return None;
        }
        let start = self.samples.start;
        let end = self.samples.end.min(start + self.block());
        self.samples.start = end;
        let rows = (end - start) * self.gene.sites.len();
        self.batch = GenotypeBatch::with_capacity(rows);
        let (gene, inputs, reads) = (self.gene, self.inputs, self.reads);
        let emitted = emit_samples(
            gene,
            inputs,
            reads,
            self.cohort,
            self.options,
            start..end,
            &mut self.batch,
        );
        if let Err(e) = emitted {
            self.samples = end..end;
            return Some(Err(e));
        }
        Some(self.batch.finish().map_err(Error::from))
    }
}
