//! Genotyping samples from aligned reads, and writing their rows.

use std::path::Path;

use arrow_array::RecordBatch;
use rayon::prelude::*;
use tailor_definitions::Definitions;
use tailor_schemas::genotypes::{self, GenotypeSource};
use tailor_tables::{InputIdentity, TableMetadata, TableWriter};

use super::alignment::{AlignedInput, AlignmentFile};
use super::copy_number::CopyNumbers;
use super::options::ReadOptions;
use super::pileup::pileup;
use super::rows::{genotype, SiteGenotype};
use crate::batch::{GenotypeBatch, Row};
use crate::sites::{definition_sites, GeneSites};
use crate::{Error, Result, Sex, Summary};

/// One sample's genotypes: per gene, per site.
type SampleGenotypes = Vec<Vec<SiteGenotype>>;

/// Aligned-read inputs opened and checked, one sample each.
pub struct AlignedReads<'a> {
    options: &'a ReadOptions,
    inputs: Vec<AlignedInput>,
    samples: Vec<String>,
    identities: Vec<InputIdentity>,
    genes: Vec<GeneSites>,
}

impl<'a> AlignedReads<'a> {
    /// Opens every input and checks it (index, reference, sample, build);
    /// two inputs of one sample are an error.
    ///
    /// # Errors
    /// As [`AlignmentFile::open`], and [`Error::SampleTwice`].
    pub fn open(
        options: &'a ReadOptions,
        definitions: &Definitions,
        inputs: &[AlignedInput],
    ) -> Result<Self> {
        let opened = inputs
            .par_iter()
            .map(|input| {
                let file = AlignmentFile::open(input, options.reference.as_deref())?;
                let identity = if options.hash_inputs {
                    InputIdentity::hashed(&input.path)?
                } else {
                    InputIdentity::genomic(&input.path, &file.header_text, Some(&file.index))?
                };
                Ok((file.sample, identity))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut samples: Vec<String> = Vec::with_capacity(opened.len());
        let mut identities = Vec::with_capacity(opened.len());
        for (i, (sample, identity)) in opened.into_iter().enumerate() {
            if let Some(first) = samples.iter().position(|s| *s == sample) {
                return Err(Error::SampleTwice {
                    first: inputs[first].path.clone(),
                    second: inputs[i].path.clone(),
                });
            }
            samples.push(sample);
            identities.push(identity);
        }
        Ok(Self {
            options,
            inputs: inputs.to_vec(),
            samples,
            identities,
            genes: definition_sites(definitions, &options.genes, options.regions.as_deref()),
        })
    }

    /// The samples, in input order.
    pub fn samples(&self) -> &[String] {
        &self.samples
    }

    /// The inputs' identities, for provenance.
    pub fn identities(&self) -> &[InputIdentity] {
        &self.identities
    }

    /// Genotypes every sample at every site (samples in parallel) at the
    /// copies `copy_numbers` gives (one per sample, or none for 2 copies),
    /// and hands each gene's rows, samples in input order, to `sink` in
    /// definition order: the gene's symbol and its batch.
    ///
    /// # Errors
    /// Reading errors naming the file and region; `sink`'s errors.
    pub fn read<E: From<Error>>(
        &self,
        copy_numbers: Option<&[CopyNumbers]>,
        mut sink: impl FnMut(&str, RecordBatch) -> std::result::Result<(), E>,
    ) -> std::result::Result<Summary, E> {
        let default = CopyNumbers::default();
        let genotypes = (0..self.inputs.len())
            .into_par_iter()
            .map(|s| {
                let copies = copy_numbers.and_then(|c| c.get(s)).unwrap_or(&default);
                self.genotype(s, copies)
            })
            .collect::<Result<Vec<SampleGenotypes>>>()?;
        let mut rows = 0;
        for (g, gene) in self.genes.iter().enumerate() {
            let mut batch = GenotypeBatch::with_capacity(self.samples.len() * gene.sites.len());
            for (s, sample) in genotypes.iter().enumerate() {
                self.push_rows(&mut batch, s, gene, &sample[g]);
                rows += gene.sites.len();
            }
            sink(&gene.gene, batch.finish().map_err(Error::from)?)?;
        }
        Ok(Summary {
            inputs: self.inputs.len(),
            samples: self.samples.len(),
            genes: self.genes.len(),
            rows,
            ..Summary::default()
        })
    }

    /// One sample's genotypes at every site of every gene.
    fn genotype(&self, s: usize, copy_numbers: &CopyNumbers) -> Result<SampleGenotypes> {
        let mut file = AlignmentFile::open(&self.inputs[s], self.options.reference.as_deref())?;
        let male = self.options.sex.get(&self.samples[s]) == Some(&Sex::Male);
        self.genes
            .iter()
            .map(|gene| {
                let default = if male && is_x(&gene.chrom) { 1 } else { 2 };
                let pileups = pileup(&mut file, gene, self.options)?;
                Ok(gene
                    .sites
                    .iter()
                    .zip(&pileups)
                    .map(|(site, p)| {
                        let copies = copy_numbers.copies(&gene.gene, site.pos.get(), default);
                        genotype(p, copies, self.options.min_depth)
                    })
                    .collect())
            })
            .collect()
    }

    fn push_rows(
        &self,
        batch: &mut GenotypeBatch,
        s: usize,
        gene: &GeneSites,
        genotypes: &[SiteGenotype],
    ) {
        let source = self.identities[s].path.as_str();
        for (site, g) in gene.sites.iter().zip(genotypes) {
            let (allele_1, allele_2) = match &g.alleles {
                Some((a, b)) => (Some(a.as_str()), b.as_deref()),
                None => (None, None),
            };
            batch.push(&Row {
                sample_id: &self.samples[s],
                gene: &gene.gene,
                chrom: &gene.chrom,
                pos: site.pos.get(),
                reference: &site.reference,
                allele_1,
                allele_2,
                ploidy: g.ploidy,
                depth: Some(g.depth),
                genotype_quality: g.quality,
                flags: &g.flags,
                source: Some(source),
                allele_depths: Some(&g.allele_depths),
                source_kind: GenotypeSource::Bam,
                ..Row::default()
            });
        }
    }
}

fn is_x(chrom: &str) -> bool {
    chrom.strip_prefix("chr").unwrap_or(chrom) == "X"
}

/// One sample's rows (every gene, every site; one batch per gene, in
/// definition order) from one BAM/CRAM at the copies `copy_numbers`
/// gives: the seam a copy-number caller uses to genotype CYP2D6 again at
/// the copy number it found.
///
/// # Errors
/// As [`AlignedReads::open`] and [`AlignedReads::read`].
pub fn genotype_sample(
    input: &AlignedInput,
    options: &ReadOptions,
    definitions: &Definitions,
    copy_numbers: &CopyNumbers,
) -> Result<Vec<RecordBatch>> {
    let reads = AlignedReads::open(options, definitions, std::slice::from_ref(input))?;
    let mut batches = Vec::new();
    reads.read(Some(std::slice::from_ref(copy_numbers)), |_, batch| {
        batches.push(batch);
        Ok::<_, Error>(())
    })?;
    Ok(batches)
}

/// Genotypes the aligned reads `inputs` and writes the genotypes table to
/// `output` (temporary name, renamed when complete).
///
/// # Errors
/// As [`AlignedReads::open`] and [`AlignedReads::read`], and
/// [`Error::Table`] for write failures.
pub fn run(
    options: &ReadOptions,
    definitions: &Definitions,
    inputs: &[AlignedInput],
    output: &Path,
) -> Result<Summary> {
    let reads = AlignedReads::open(options, definitions, inputs)?;
    let mut metadata = TableMetadata::new(genotypes::TABLE, genotypes::SCHEMA_VERSION);
    metadata.definitions_version = Some(definitions.version());
    metadata.parameters = serde_json::json!({
        "source": GenotypeSource::Bam.as_str(),
        "min_mapping_quality": options.min_mapping_quality,
        "min_base_quality": options.min_base_quality,
        "min_depth": options.min_depth,
        "samples_with_sex": options.sex.len(),
        "genes": options.genes,
        "reference": options.reference.as_ref().map(|r| r.display().to_string()),
        "hash_inputs": options.hash_inputs,
    });
    crate::run::add_regions(&mut metadata.parameters, options.regions.as_deref());
    metadata.inputs = reads.identities().to_vec();
    if let Some(shard) = options.shard {
        metadata
            .extra
            .push((tailor_schemas::SHARD_KEY.to_owned(), shard.to_string()));
    }
    let mut writer = TableWriter::create(output, genotypes::schema(), &metadata)?;
    let summary = reads.read(None, |_, batch| writer.write(&batch).map_err(Error::from))?;
    writer.finish()?;
    Ok(summary)
}
