//! Calling a cohort gene by gene, from genotypes batches in memory.

use std::path::Path;
use std::sync::Arc;

use arrow_array::RecordBatch;
use rayon::prelude::*;
use tailor_definitions::Definitions;

use crate::cyp2d6_star13::{shows_star13, Star13Rewrite};
use crate::error::Result;
use crate::genotypes::{GeneGenotypes, Genotypes};
use crate::sample::SampleAllele;
use crate::sample_set::SampleSet;
use crate::{match_gene, CompiledGene, GeneMatch, MatchOptions, Options};
use tailor_tables::SampleIndex;

/// The gene whose 5′ positions a *13 leaves to the other chromosome.
const CYP2D6: &str = "CYP2D6";

/// What errors name batches by when they come from memory, not a file.
const IN_MEMORY: &str = "genotypes batch (in memory)";

/// Calls star alleles for a fixed cohort, one gene at a time, from
/// genotypes batches (the [`tailor_schemas::genotypes`] schema), e.g. as
/// `tailor_ingest` hands them over without writing a table. Genes can be
/// called in parallel ([`Caller`] is `Sync`), each from batches added one at
/// a time ([`Caller::gene`]); [`Caller::write`] then writes the calls table.
///
/// ```no_run
/// use tailor_definitions::Definitions;
/// use tailor_star::{Caller, Options};
/// # fn batches() -> Vec<(String, arrow_array::RecordBatch)> { Vec::new() }
///
/// let definitions = Definitions::embedded().unwrap();
/// let options = Options::new();
/// let caller = Caller::new(&options, &definitions, vec!["HG00096".to_owned()]);
/// let mut genes = Vec::new();
/// for (gene, batch) in batches() {
///     genes.extend(caller.call_gene(&gene, &[batch]).unwrap());
/// }
/// caller.write(genes, Vec::new(), "out/calls.parquet".as_ref()).unwrap();
/// ```
pub struct Caller<'a> {
    /// How to call.
    pub(crate) options: &'a Options,
    /// The allele definitions.
    pub(crate) definitions: &'a Definitions,
    /// The embedded definitions, whose unphased priorities apply to
    /// definitions loaded from elsewhere too.
    builtin: Option<Definitions>,
    /// The samples called.
    pub(crate) cohort: Genotypes,
}

/// One gene's calls for every sample of a [`Caller`]'s cohort: a match per
/// distinct genotype vector and, per sample, which one it got.
#[derive(Clone, Debug)]
pub struct GeneCalls {
    /// HGNC symbol.
    pub(crate) gene: String,
    /// The matcher's result per distinct genotype vector.
    pub(crate) results: Vec<GeneMatch>,
    /// Per sample (cohort order), the index of its result.
    pub(crate) which: SampleIndex,
    /// The samples whose genotypes were called from aligned reads (their
    /// rows' source is `bam`).
    pub(crate) from_reads: SampleSet,
}

impl<'a> Caller<'a> {
    /// A caller for the cohort `samples` (every sample gets a row per gene
    /// called, a no call when it has no genotypes). An `Arc<[String]>` is
    /// kept as it is (shared with whoever else holds the names) when its
    /// names are distinct.
    pub fn new(
        options: &'a Options,
        definitions: &'a Definitions,
        samples: impl Into<Arc<[String]>>,
    ) -> Self {
        Self {
            options,
            definitions,
            builtin: Definitions::embedded().ok(),
            cohort: Genotypes::new(samples.into()),
        }
    }

    /// Calls `gene` for every sample from its rows in `batches`: as
    /// [`Caller::gene`], [`GeneCaller::add`] for each batch, and
    /// [`GeneCaller::finish`]. `None` when the gene is not called.
    ///
    /// # Errors
    /// [`crate::Error::Column`] if a batch lacks a genotypes column.
    pub fn call_gene(&self, gene: &str, batches: &[RecordBatch]) -> Result<Option<GeneCalls>> {
        let Some(mut caller) = self.gene(gene) else {
            return Ok(None);
        };
        for batch in batches {
            caller.add(batch)?;
        }
        Ok(Some(caller.finish()))
    }

    /// Starts calling `gene`, whose rows are then added batch by batch.
    /// `None` when the gene is not called: not among [`Options::genes`] or
    /// not defined.
    pub fn gene(&self, gene: &str) -> Option<GeneCaller<'_>> {
        let options = self.options;
        if !(options.genes.is_empty() || options.genes.iter().any(|g| g == gene)) {
            return None;
        }
        let definition = self.definitions.gene(gene)?;
        let priorities = self
            .builtin
            .as_ref()
            .is_some_and(|b| !b.exemptions(gene).unphased_priorities.is_empty());
        let compiled =
            CompiledGene::new(definition, &self.definitions.exemptions(gene), priorities)?;
        let star13 = if gene == CYP2D6 {
            self.cohort_star13_samples()
        } else {
            Vec::new()
        };
        let positions: Vec<u32> = compiled
            .variants()
            .iter()
            .map(|v| v.position.get())
            .collect();
        Some(GeneCaller {
            cohort: &self.cohort,
            matching: options.matching,
            genotypes: GeneGenotypes::new(&positions, self.cohort.samples.len()),
            compiled,
            gene: definition.gene.clone(),
            star13,
        })
    }

    /// The cohort's samples (indices) whose CYP2D6 copy numbers from reads
    /// show a *13 ([`shows_star13`]).
    fn cohort_star13_samples(&self) -> Vec<usize> {
        let mut samples: Vec<usize> = self
            .options
            .cyp2d6_reads
            .iter()
            .filter(|(_, reads)| shows_star13(&reads.evidence))
            .filter_map(|(name, _)| self.cohort.index_of(name))
            .collect();
        samples.sort_unstable();
        samples
    }
}

/// One gene being called: its rows are added batch by batch (in compact
/// form: a batch can be dropped once added), then matched.
pub struct GeneCaller<'c> {
    cohort: &'c Genotypes,
    matching: MatchOptions,
    compiled: CompiledGene,
    genotypes: GeneGenotypes,
    gene: String,
    /// CYP2D6 samples whose 5′ positions are matched as beside a *13
    /// (`cyp2d6_star13.rs`).
    star13: Vec<usize>,
}

impl GeneCaller<'_> {
    /// Adds the gene's rows in `batch` (rows of other genes, and of samples
    /// outside the cohort, are ignored). A sample's first non-missing row at
    /// a position is used.
    ///
    /// # Errors
    /// [`crate::Error::Column`] if the batch lacks a genotypes column.
    pub fn add(&mut self, batch: &RecordBatch) -> Result<()> {
        self.add_from(Path::new(IN_MEMORY), batch)
    }

    /// [`GeneCaller::add`] for a batch read from the table `path` (named in
    /// errors).
    pub(crate) fn add_from(&mut self, path: &Path, batch: &RecordBatch) -> Result<()> {
        self.genotypes
            .add_batch(path, batch, &self.gene, self.cohort)
    }

    /// Matches every sample. Samples with the same genotypes are matched
    /// once: the cost is one match per distinct genotype vector (a few
    /// hundred per gene in a cohort of thousands), the matches in parallel.
    pub fn finish(mut self) -> GeneCalls {
        // Matching is a pure function of the genotypes: samples with the
        // same genotypes at every position (most of a cohort, for most
        // genes) are matched once.
        let from_reads = self.genotypes.take_from_reads();
        let (mut vectors, mut which) = self.genotypes.distinct(self.cohort.samples.len());
        rewrite_star13(&self.compiled, &self.star13, &mut vectors, &mut which);
        let results = vectors
            .par_iter()
            .map(|v| match_gene(&self.compiled, v, self.matching))
            .collect();
        GeneCalls {
            gene: self.gene,
            results,
            which,
            from_reads,
        }
    }
}

/// Gives each *13 sample its genotype vector rewritten for matching
/// (`cyp2d6_star13.rs`), a vector of its own when that changes it.
fn rewrite_star13(
    compiled: &CompiledGene,
    star13: &[usize],
    vectors: &mut Vec<Vec<Option<SampleAllele>>>,
    which: &mut SampleIndex,
) {
    if star13.is_empty() {
        return;
    }
    let rewrite = Star13Rewrite::new();
    for &s in star13 {
        let Some(read) = vectors.get(which.get(s) as usize) else {
            continue;
        };
        let rewritten = rewrite.rewrite(compiled.variants(), read);
        if rewritten != *read {
            vectors.push(rewritten);
            which.set(s, u32::try_from(vectors.len() - 1).unwrap_or(u32::MAX));
        }
    }
}
