//! One gene's genotypes table rows as batches, read and built a block of
//! samples at a time.

use std::collections::VecDeque;
use std::ops::Range;

use arrow_array::RecordBatch;
use rayon::prelude::*;

use crate::batch::GenotypeBatch;
use crate::gene_reader::{GeneInput, GeneSites};
use crate::input::Input;
use crate::merge::{emit_samples, Cohort};
use crate::{Error, Options, Result};

/// Rows per batch to aim for: a batch holds whole samples, so it has at
/// most this many rows or one sample's (every definition position).
/// `tailor merge` writes merged shards in the same batches.
pub const BATCH_ROWS: usize = 1 << 16;

/// Sample x site calls held per read block by default (28 bytes each in
/// memory, about 29 MB): a gene's records are parsed once and its calls
/// kept in a temporary file (`spill`), from which each block is loaded, so
/// memory holds this many calls per gene being read whatever the cohort's
/// size, and a smaller block costs no extra parsing.
pub const DEFAULT_BLOCK_CALLS: usize = 1 << 20;

/// Reads one gene's calls from every input (in input order) for a block of
/// cohort samples.
pub(crate) type BlockReader<'a> = dyn Fn(Range<usize>) -> Result<Vec<GeneInput>> + Sync + 'a;

/// The rows of one gene (every cohort sample x definition position), as
/// batches of the genotypes schema built on demand, in cohort sample
/// order. The inputs are read a block of samples at a time (several blocks
/// in parallel when [`GeneBatches`] is given more than one to prefetch),
/// so neither a gene's rows nor its calls are ever all in memory (RYR1 has
/// a million rows in the 1000 Genomes panels, 150 million at 500,000
/// samples). An error (such as two inputs giving the same sample's
/// genotype) ends the iteration.
pub struct GeneBatches<'a> {
    gene: &'a GeneSites,
    inputs: &'a [Input],
    cohort: &'a Cohort,
    options: &'a Options,
    read: &'a BlockReader<'a>,
    /// Samples per read block (whole batches).
    read_block: usize,
    /// Read blocks read at once, in parallel.
    prefetch: usize,
    /// Samples not yet read.
    unread: Range<usize>,
    /// Blocks read and not yet emitted, in order: the samples left, the reads.
    blocks: VecDeque<(Range<usize>, Vec<GeneInput>)>,
    /// Per input, (definition positions with records, positions whose REF
    /// disagreed), once read.
    counts: Option<Vec<(usize, usize)>>,
    failed: bool,
}

impl<'a> GeneBatches<'a> {
    /// The batches of `gene`, whose calls `read` reads for a block of
    /// samples holding about `block_calls` sample x site calls; `prefetch`
    /// blocks are read at once.
    pub(crate) fn new(
        gene: &'a GeneSites,
        inputs: &'a [Input],
        cohort: &'a Cohort,
        options: &'a Options,
        read: &'a BlockReader<'a>,
        (block_calls, prefetch): (usize, usize),
    ) -> Self {
        let batch = batch_samples(gene);
        let wanted = (block_calls / gene.sites.len().max(1)).clamp(1, cohort.samples.len().max(1));
        // A whole number of batches, so batches do not depend on the block
        // (unless a block is smaller than a batch: then a batch is a block).
        let read_block = match wanted >= batch {
            true => wanted.div_ceil(batch) * batch,
            false => wanted,
        };
        Self {
            gene,
            inputs,
            cohort,
            options,
            read,
            read_block,
            prefetch: prefetch.max(1),
            unread: 0..cohort.samples.len(),
            blocks: VecDeque::new(),
            counts: None,
            failed: false,
        }
    }

    /// The gene's HGNC symbol.
    pub fn gene(&self) -> &str {
        &self.gene.gene
    }

    /// Per input, (definition positions with records, positions whose REF
    /// disagreed with the definition): known once a block was read.
    pub(crate) fn counts(&self) -> Option<&[(usize, usize)]> {
        self.counts.as_deref()
    }

    /// Reads the next blocks (`prefetch` at once); at least one read
    /// happens even for a cohort without samples, so the inputs are checked.
    fn fill(&mut self) -> Result<()> {
        let mut ranges = Vec::with_capacity(self.prefetch);
        while ranges.len() < self.prefetch && !self.unread.is_empty() {
            let start = self.unread.start;
            let end = self.unread.end.min(start + self.read_block);
            self.unread.start = end;
            ranges.push(start..end);
        }
        if ranges.is_empty() {
            ranges.push(0..0);
        }
        let read = self.read;
        let reads: Vec<Result<Vec<GeneInput>>> = if ranges.len() == 1 {
            ranges.iter().map(|r| read(r.clone())).collect()
        } else {
            ranges.par_iter().map(|r| read(r.clone())).collect()
        };
        for (range, reads) in ranges.into_iter().zip(reads) {
            let reads = reads?;
            if self.counts.is_none() {
                self.counts = Some(reads.iter().map(mismatch_counts).collect());
            }
            self.blocks.push_back((range, reads));
        }
        Ok(())
    }

    /// The batch of the next samples of the first block read.
    fn emit(&mut self) -> Option<Result<RecordBatch>> {
        let batch_samples = batch_samples(self.gene);
        let (samples, reads) = self.blocks.front_mut()?;
        let start = samples.start;
        let end = samples.end.min(start + batch_samples);
        samples.start = end;
        let mut batch = GenotypeBatch::with_capacity((end - start) * self.gene.sites.len());
        let emitted = emit_samples(
            self.gene,
            self.inputs,
            reads,
            self.cohort,
            self.options,
            start..end,
            &mut batch,
        );
        if samples.start >= samples.end {
            self.blocks.pop_front();
        }
        Some(emitted.and_then(|()| batch.finish().map_err(Error::from)))
    }
}

impl Iterator for GeneBatches<'_> {
    type Item = Result<RecordBatch>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        self.blocks.retain(|(samples, _)| !samples.is_empty());
        if self.blocks.is_empty() {
            if self.unread.is_empty() && self.counts.is_some() {
                return None;
            }
            if let Err(e) = self.fill() {
                self.failed = true;
                return Some(Err(e));
            }
            self.blocks.retain(|(samples, _)| !samples.is_empty());
        }
        let item = self.emit()?;
        self.failed = item.is_err();
        Some(item)
    }
}

/// Samples per batch: as many as fit in [`BATCH_ROWS`], at least one.
fn batch_samples(gene: &GeneSites) -> usize {
    (BATCH_ROWS / gene.sites.len().max(1)).max(1)
}

/// (Definition positions with records, positions whose REF disagreed).
fn mismatch_counts(read: &GeneInput) -> (usize, usize) {
    let with_records = read
        .sites
        .iter()
        .filter(|s| !s.records.is_empty() || s.ref_mismatch)
        .count();
    let bad = read.sites.iter().filter(|s| s.ref_mismatch).count();
    (with_records, bad)
}
