//! Orchestration: open inputs, read genes in parallel, write in order.

use std::ops::Range;
use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use tailor_definitions::Definitions;
use tailor_schemas::{genotypes, Region, SHARD_KEY};
use tailor_tables::{InputIdentity, TableMetadata, TableWriter};

use crate::gene_batches::{GeneBatches, DEFAULT_BLOCK_CALLS};
use crate::gene_reader::{read_indexed, read_streaming, GeneInput, GeneSites};
use crate::input::Input;
use crate::input_gaps::GapTally;
use crate::merge::Cohort;
use crate::sites::definition_sites;
use crate::spill::SpillStats;
use crate::{Error, Options, Progress, Result, Warning};

/// A REF disagreement at this many definition positions, and at more than
/// half of those with records, means the input is on another build.
const WRONG_BUILD_MISMATCHES: usize = 5;

/// What reading one gene gave: the caller's result for its rows, their
/// count and, per input, (definition positions with records,
/// positions whose REF disagreed).
struct GeneResult<T> {
    mapped: T,
    rows: usize,
    counts: Vec<(usize, usize)>,
    /// Over the indexed inputs: records decoded (summed), most calls held.
    stats: SpillStats,
}

/// What an ingest run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Number of inputs read.
    pub inputs: usize,
    /// Samples in the union of the inputs.
    pub samples: usize,
    /// Genes read.
    pub genes: usize,
    /// Rows written (samples x definition positions).
    pub rows: usize,
    /// Inputs without an index, read whole.
    pub streamed: Vec<PathBuf>,
    /// Definition positions dropped because the VCF REF disagreed.
    pub ref_mismatches: usize,
    /// Problems with the inputs that did not stop the run, one per kind
    /// and input.
    pub warnings: Vec<Warning>,
    /// Records of indexed inputs decoded, over every gene: each record
    /// overlapping a gene's definition positions once, whatever the
    /// cohort's size and the block size.
    pub records_decoded: usize,
    /// The most sample x site calls one gene's reading of an indexed input
    /// held in memory at once (the sites its current record can still
    /// change), before they went to the temporary file; blocks come on top.
    pub peak_calls_held: usize,
}

/// Inputs opened and checked, ready to be read gene by gene.
pub struct GenotypeReader<'a> {
    options: &'a Options,
    inputs: Vec<Input>,
    genes: Vec<GeneSites>,
    cohort: Cohort,
    /// Genes read at once (in parallel); `None`: every gene, longest first.
    genes_at_once: Option<usize>,
}

impl<'a> GenotypeReader<'a> {
    /// Opens every input and checks its header (samples, build, index).
    ///
    /// # Errors
    /// [`Error::NotVcf`], [`Error::NoSamples`], [`Error::DuplicateSample`],
    /// [`Error::WrongBuild`], [`Error::Io`], naming the file.
    pub fn open(
        options: &'a Options,
        definitions: &Definitions,
        paths: &[PathBuf],
    ) -> Result<Self> {
        let inputs = paths
            .iter()
            .map(|path| Input::open(path, options.hash_inputs))
            .collect::<Result<Vec<_>>>()?;
        let genes = definition_sites(definitions, &options.genes, options.regions.as_deref());
        let cohort = Cohort::new(&inputs, &options.samples)?;
        Ok(Self {
            options,
            inputs,
            genes,
            cohort,
            genes_at_once: None,
        })
    }

    /// Reads `n` genes at once (at least one), in parallel; with fewer
    /// genes than threads, the other threads read each gene's blocks of
    /// samples in parallel. One gene at a time keeps only one gene's
    /// blocks in memory, for a consumer that writes rows in gene order.
    pub fn genes_at_once(mut self, n: usize) -> Self {
        self.genes_at_once = Some(n.max(1));
        self
    }

    /// The inputs' identities, for provenance.
    pub fn identities(&self) -> Vec<InputIdentity> {
        self.inputs.iter().map(|i| i.identity.clone()).collect()
    }

    /// The cohort's sample names (the union over the inputs, in order of
    /// first appearance): every batch has one row per sample and definition
    /// position, in this sample order. Shared: a clone of the `Arc` holds
    /// the names without copying them.
    pub fn samples(&self) -> &Arc<[String]> {
        &self.cohort.samples
    }

    /// Reads the genotypes of every sample at every definition position,
    /// gene by gene. Each gene's rows (sample by sample, positions
    /// ascending) go to `map` as [`GeneBatches`], built as `map` iterates,
    /// on the worker thread that read the gene, genes in parallel: the
    /// caller's per-gene work runs alongside the reading. Each gene's
    /// records are parsed once, its calls kept in a temporary file, and its
    /// rows built a block of samples at a time ([`Options::block_calls`]),
    /// so memory holds a block of calls and a batch of rows per gene being
    /// read (one per thread), never a gene's calls for the whole cohort; an
    /// unindexed input is the exception: it is read once, whole, in memory. `map`'s results go to `sink` gene by gene in definition
    /// order (the order never depends on thread scheduling).
    ///
    /// # Errors
    /// Any [`Error`] naming the file and record (converted into `E`);
    /// `map`'s and `sink`'s errors are passed on.
    pub fn read<T, E>(
        &self,
        progress: Option<Progress<'_>>,
        map: impl Fn(&mut GeneBatches<'_>) -> std::result::Result<T, E> + Sync,
        mut sink: impl FnMut(T) -> std::result::Result<(), E>,
    ) -> std::result::Result<Summary, E>
    where
        T: Send,
        E: From<Error> + Send,
    {
        let (options, inputs, genes, cohort) =
            (self.options, &self.inputs, &self.genes, &self.cohort);
        // Unindexed inputs are read once, whole, for every gene.
        let mut streamed: Vec<Option<Vec<GeneInput>>> = Vec::with_capacity(inputs.len());
        for input in inputs {
            streamed.push(match input.index {
                Some(_) => None,
                None => Some(read_streaming(input, genes, options.pass_only)?),
            });
        }
        let mut summary = Summary {
            inputs: inputs.len(),
            samples: cohort.samples.len(),
            genes: genes.len(),
            streamed: inputs
                .iter()
                .filter(|i| i.index.is_none())
                .map(|i| i.path.clone())
                .collect(),
            ..Summary::default()
        };
        let mut mismatches = vec![(0usize, 0usize); inputs.len()];
        let gaps = GapTally::new(inputs.len(), genes.len());
        // The last gene each input is read for: its readers close after it.
        let last_use: Vec<Option<usize>> = inputs
            .iter()
            .map(|input| genes.iter().rposition(|g| input.has_contig(&g.chrom)))
            .collect();
        let threads = rayon::current_num_threads().max(1);
        // By default every gene is one task of a queue, longest first, so
        // the long genes (RYR1, G6PD, CYP2D6) start at once and the short
        // ones fill the other threads; results still reach `sink` in
        // definition order.
        let chunk = self.genes_at_once.unwrap_or(genes.len()).max(1);
        // Unindexed inputs are held whole: one block, read (cloned) once.
        let block_calls = match summary.streamed.is_empty() {
            true => options.block_calls.unwrap_or(DEFAULT_BLOCK_CALLS),
            false => usize::MAX,
        };
        // Threads not busy with other genes read a gene's blocks.
        let blocks = (block_calls, (threads / chunk).max(1));
        for (chunk_index, chunk_genes) in genes.chunks(chunk).enumerate() {
            let longest_first = longest_first(chunk_genes);
            let results = queue_in_order(
                &longest_first,
                threads,
                |j| -> std::result::Result<GeneResult<T>, E> {
                    let gene = &chunk_genes[j];
                    let g = chunk_index * chunk + j;
                    // Each indexed input's records of the gene are parsed
                    // once; blocks of samples are loaded from the spill.
                    let spilled = inputs
                        .iter()
                        .zip(&streamed)
                        .map(|(input, streamed)| match (streamed, &input.index) {
                            (Some(_), _) => Ok(None),
                            (None, Some(index)) => {
                                read_indexed(input, index, gene, options.pass_only).map(Some)
                            }
                            (None, None) => Err(unreachable_streamed(&input.path)),
                        })
                        .collect::<Result<Vec<_>>>()?;
                    let stats = spilled
                        .iter()
                        .flatten()
                        .fold(SpillStats::default(), |a, g| SpillStats {
                            records: a.records + g.stats.records,
                            peak_calls: a.peak_calls.max(g.stats.peak_calls),
                        });
                    let read_block = |samples: Range<usize>| {
                        let first = samples.start == 0;
                        let read = inputs
                            .iter()
                            .enumerate()
                            .zip(streamed.iter().zip(&spilled))
                            .map(|((i, input), read)| match read {
                                (Some(all), _) => Ok(all[g].clone()),
                                (None, Some(spilled)) => spilled
                                    .block(cohort.local_range(i, samples.clone()))
                                    .map_err(|source| Error::Spill {
                                        path: input.path.clone(),
                                        source,
                                    }),
                                (None, None) => Err(unreachable_streamed(&input.path)),
                            })
                            .collect::<Result<Vec<_>>>()?;
                        if first {
                            gaps.note(g, gene, &read);
                        }
                        Ok(read)
                    };
                    let mut batches =
                        GeneBatches::new(gene, inputs, cohort, options, &read_block, blocks);
                    let mapped = map(&mut batches)?;
                    // What `map` left unread still has to be checked.
                    for batch in batches.by_ref() {
                        batch?;
                    }
                    let counts = batches.counts().unwrap_or_default().to_vec();
                    let rows = cohort.samples.len() * gene.sites.len();
                    if let Some(progress) = progress {
                        progress(&gene.gene);
                    }
                    Ok(GeneResult {
                        mapped,
                        rows,
                        counts,
                        stats,
                    })
                },
            );
            for result in results? {
                let GeneResult {
                    mapped,
                    rows,
                    counts,
                    stats,
                } = result;
                summary.records_decoded += stats.records;
                summary.peak_calls_held = summary.peak_calls_held.max(stats.peak_calls);
                for (total, (sites, bad)) in mismatches.iter_mut().zip(counts) {
                    total.0 += sites;
                    total.1 += bad;
                }
                summary.rows += rows;
                sink(mapped)?;
            }
            let done = (chunk_index + 1) * chunk;
            for (input, last) in inputs.iter().zip(&last_use) {
                if last.is_some_and(|last| last < done) {
                    input.readers.clear();
                }
            }
        }
        for (input, (sites, bad)) in inputs.iter().zip(&mismatches) {
            summary.ref_mismatches += bad;
            if *bad >= WRONG_BUILD_MISMATCHES && bad * 2 > *sites {
                return Err(E::from(Error::WrongBuild {
                    path: input.path.clone(),
                    build: "another build than GRCh38".into(),
                    evidence: format!(
                        "REF disagrees with the definitions at {bad} of {sites} definition positions with records"
                    ),
                }));
            }
        }
        summary.warnings = input_warnings(inputs);
        summary.warnings.extend(gaps.warnings(
            inputs,
            genes,
            options.absent_as_reference || options.covered.is_some(),
        ));
        Ok(summary)
    }
}

/// The warnings about `inputs` gathered while reading them.
fn input_warnings(inputs: &[Input]) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for input in inputs {
        if !input.has_records {
            warnings.push(Warning::NoRecords {
                path: input.path.clone(),
            });
        }
        let undeclared = input.undeclared();
        if !undeclared.filters.is_empty() {
            warnings.push(Warning::UndeclaredFilter {
                path: input.path.clone(),
                filters: undeclared.filters.into_iter().collect(),
            });
        }
        if !undeclared.formats.is_empty() {
            warnings.push(Warning::UndeclaredFormat {
                path: input.path.clone(),
                formats: undeclared.formats.into_iter().collect(),
            });
        }
    }
    warnings
}

/// Reads genotypes and writes them to the Parquet table `output`.
///
/// The table is written to a temporary file and renamed into place only
/// when complete; on any error nothing is left at `output`.
///
/// # Errors
/// As [`GenotypeReader::open`] and [`GenotypeReader::read`], plus
/// [`Error::Table`] for write failures.
pub fn run(
    options: &Options,
    definitions: &Definitions,
    paths: &[PathBuf],
    output: &Path,
    progress: Option<Progress<'_>>,
) -> Result<Summary> {
    // One gene at a time, its blocks of samples read in parallel: each
    // batch is written as soon as it is built, in the table's order.
    let reader = GenotypeReader::open(options, definitions, paths)?.genes_at_once(1);
    let mut metadata = TableMetadata::new(genotypes::TABLE, genotypes::SCHEMA_VERSION);
    metadata.definitions_version = Some(definitions.version());
    metadata.parameters = parameters(options);
    metadata.inputs = reader.identities();
    if let Some(shard) = options.samples.shard {
        metadata
            .extra
            .push((SHARD_KEY.to_owned(), shard.to_string()));
    }
    let writer = Mutex::new(TableWriter::create(output, genotypes::schema(), &metadata)?);
    let summary = reader.read(
        progress,
        |batches| {
            for batch in batches {
                let batch = batch?;
                // A poisoned lock means a writing thread panicked, and
                // that panic ends the run anyway.
                writer
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .write(&batch)?;
            }
            Ok::<_, Error>(())
        },
        |()| Ok(()),
    )?;
    writer
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .finish()?;
    Ok(summary)
}

/// The indices of `genes`, longest (most definition positions) first; ties
/// in definition order.
fn longest_first(genes: &[GeneSites]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..genes.len()).collect();
    order.sort_by_key(|&g| std::cmp::Reverse(genes[g].sites.len()));
    order
}

/// Runs `task` for every index of `order` on up to `threads` threads, each
/// taking the next index of `order` when it is free, and returns the
/// results by index (`result[i]` is `task(i)`). After an error no new task
/// starts, and the error of the lowest index among the tasks that ran is
/// returned.
fn queue_in_order<R, E>(
    order: &[usize],
    threads: usize,
    task: impl Fn(usize) -> std::result::Result<R, E> + Sync,
) -> std::result::Result<Vec<R>, E>
where
    R: Send,
    E: Send,
{
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let slots: Vec<Mutex<Option<R>>> = order.iter().map(|_| Mutex::new(None)).collect();
    let first_error: Mutex<Option<(usize, E)>> = Mutex::new(None);
    let workers = threads.min(order.len()).max(1);
    (0..workers).into_par_iter().for_each(|_| {
        while !failed.load(Ordering::Relaxed) {
            let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) else {
                break;
            };
            match task(i) {
                Ok(result) => {
                    *slots[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(result)
                }
                Err(error) => {
                    failed.store(true, Ordering::Relaxed);
                    let mut first = first_error.lock().unwrap_or_else(PoisonError::into_inner);
                    if first.as_ref().is_none_or(|(j, _)| i < *j) {
                        *first = Some((i, error));
                    }
                }
            }
        }
    });
    if let Some((_, error)) = first_error
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        return Err(error);
    }
    // No task failed, so every one ran and filled its slot.
    Ok(slots
        .into_iter()
        .filter_map(|slot| slot.into_inner().unwrap_or_else(PoisonError::into_inner))
        .collect())
}

fn unreachable_streamed(path: &Path) -> Error {
    Error::NotVcf {
        path: path.to_path_buf(),
        reason: "internal: unindexed input was not streamed".into(),
    }
}

fn parameters(options: &Options) -> serde_json::Value {
    let mut parameters = serde_json::json!({
        "absent_as_reference": options.absent_as_reference,
        "covered_regions": options.covered.as_ref().map(Vec::len),
        "pass_only": options.pass_only,
        "samples_with_sex": options.sex.len(),
        "genes": options.genes,
        "hash_inputs": options.hash_inputs,
    });
    add_regions(&mut parameters, options.regions.as_deref());
    parameters
}

/// Records `-r/-R` regions in a table's parameters (only when given, so
/// tables read without them keep their metadata).
pub(crate) fn add_regions(parameters: &mut serde_json::Value, regions: Option<&[Region]>) {
    if let (Some(regions), Some(map)) = (regions, parameters.as_object_mut()) {
        let regions = regions
            .iter()
            .map(|r| serde_json::Value::String(r.to_string()))
            .collect();
        map.insert("regions".to_owned(), serde_json::Value::Array(regions));
    }
}
