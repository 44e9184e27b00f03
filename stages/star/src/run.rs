//! The stage: genotypes tables in, calls table out; writing the calls.

use std::path::{Path, PathBuf};

use tailor_definitions::Definitions;
use tailor_schemas::calls::{self, flags, CallSource};
use tailor_tables::{InputIdentity, TableMetadata, TableWriter};

use crate::call_writer::write_rows;
use crate::caller::{Caller, GeneCalls};
use crate::cyp2d6_reads::Cyp2d6FromReads;
use crate::error::{Error, Result};
use crate::genotype_tables::{call_tables, read_samples};
use crate::output::batch;
use crate::outside::{read_outside_calls, OutsideCallProblem, OutsideCalls};
use crate::Options;

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Samples with a row (the cohort's, and those only the outside calls
    /// name).
    pub samples: usize,
    /// Genes called.
    pub genes: usize,
    /// Rows written (sample x gene).
    pub rows: usize,
    /// Rows with a diplotype.
    pub called: usize,
    /// Rows with more than one candidate.
    pub ambiguous: usize,
    /// Rows whose unphased expansion (combinations, DPYD/RYR1) hit
    /// [`crate::MAX_BRANCH_POINTS`].
    pub expansion_limited: usize,
    /// Rows taken from the outside-call file.
    pub outside: usize,
    /// Of those, rows whose outside call could not be used (flag
    /// `outside_call_invalid`).
    pub outside_invalid: usize,
    /// The outside-call file's lines that could not be used, in line
    /// order (each a warning to print, naming the file and line).
    pub outside_problems: Vec<OutsideCallProblem>,
}

/// Calls every gene for every sample of the genotypes tables `inputs` and
/// writes `output` (the calls table, atomically). With no `inputs` but
/// [`Options::outside_calls`], the table is the outside calls alone: a row
/// per sample and gene of the file.
///
/// # Errors
/// [`Error::NoInput`] without inputs or outside calls; [`Error::Table`] or
/// [`Error::Column`] for an unreadable or foreign table;
/// [`Error::OutsideCall`] for an outside-call file without the sample_id
/// column the input needs.
pub fn run(
    options: &Options,
    definitions: &Definitions,
    inputs: &[PathBuf],
    output: &Path,
) -> Result<Summary> {
    if inputs.is_empty() && options.outside_calls.is_none() {
        return Err(Error::NoInput);
    }
    let caller = Caller::new(options, definitions, read_samples(inputs)?);
    let (genes, identities) = call_tables(&caller, inputs)?;
    caller.write(genes, identities, output)
}

fn parameters(options: &Options) -> serde_json::Value {
    let outside = options
        .outside_calls
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    serde_json::json!({
        "top_candidate_only": options.matching.top_candidate_only,
        "find_combinations": options.matching.find_combinations,
        "outside_calls": outside,
        "genes": options.genes,
        "samples_with_sex": options.sex.len(),
        "cyp2d6_phenotype_from_snvs": options.cyp2d6_phenotype_from_snvs,
        "cyp2d6_samples_from_reads": options.cyp2d6_reads.len(),
    })
}

impl Caller<'_> {
    /// Writes the calls table `output` (atomically) from every gene's calls:
    /// one row per sample x gene, sorted by sample then gene, with the
    /// outside calls of [`Options::outside_calls`] in place of the matcher's.
    /// `inputs` are recorded as the table's provenance.
    ///
    /// # Errors
    /// [`Error::OutsideCall`] for an outside-call file without the
    /// sample_id column the cohort needs, [`Error::Io`];
    /// [`Error::Table`] if the table cannot be written.
    pub fn write(
        &self,
        genes: Vec<GeneCalls>,
        inputs: Vec<InputIdentity>,
        output: &Path,
    ) -> Result<Summary> {
        let options = self.options;
        let mut inputs = inputs;
        let mut outside = match &options.outside_calls {
            Some(path) => {
                inputs.push(InputIdentity::hashed(path)?);
                read_outside_calls(path, self.cohort.samples.len(), self.definitions)?
            }
            None => OutsideCalls::default(),
        };
        // Samples only the outside calls name belong to the first shard,
        // so merged shards have their rows once, as the unsharded table.
        if options.shard.is_some_and(|s| s.index() > 1) {
            outside.by_sample.retain(|sample, _| {
                sample
                    .as_deref()
                    .is_none_or(|name| self.cohort.index_of(name).is_some())
            });
        }
        let version = self.definitions.version();
        let mut metadata = TableMetadata::new(calls::TABLE, calls::SCHEMA_VERSION);
        metadata.definitions_version = Some(version.clone());
        metadata.inputs = inputs;
        metadata.parameters = parameters(options);
        if let Some(shard) = options.shard {
            metadata
                .extra
                .push((tailor_schemas::SHARD_KEY.to_owned(), shard.to_string()));
        }
        let mut writer = TableWriter::create(output, calls::schema(), &metadata)?;
        let mut summary = Summary {
            outside_problems: std::mem::take(&mut outside.problems),
            ..Summary::default()
        };
        let cyp2d6_from_reads = Cyp2d6FromReads::new(&options.cyp2d6_reads, self.definitions)?;
        let counts = write_rows(
            &self.cohort,
            genes,
            &outside.by_sample,
            |sample| options.sex.get(sample),
            options.cyp2d6_phenotype_from_snvs,
            |row| cyp2d6_from_reads.restructure(row),
            |rows| {
                for r in rows {
                    summary.called += usize::from(r.diplotype.is_some());
                    summary.ambiguous += usize::from(r.candidates.len() > 1);
                    summary.expansion_limited +=
                        usize::from(r.flags.contains(&flags::EXPANSION_LIMIT));
                    summary.outside += usize::from(r.source == CallSource::Outside);
                    summary.outside_invalid +=
                        usize::from(r.flags.contains(&flags::OUTSIDE_CALL_INVALID));
                }
                let b = batch(rows, &version).map_err(|source| tailor_tables::Error::Arrow {
                    path: output.to_path_buf(),
                    source,
                })?;
                Ok(writer.write(&b)?)
            },
        )?;
        writer.finish()?;
        summary.rows = counts.rows;
        summary.samples = counts.samples;
        summary.genes = counts.genes.len();
        Ok(summary)
    }
}
