//! Genotyping samples from aligned reads, and writing their rows.

use std::path::Path;

use arrow_array::RecordBatch;
use rayon::prelude::*;
use tailor_definitions::Definitions;
use tailor_genome::{AlignedInput, AlignmentFile};
use tailor_schemas::genotypes::{self, GenotypeSource};
use tailor_schemas::Sex;
use tailor_tables::{InputIdentity, TableMetadata, TableWriter};

use super::copy_number::CopyNumbers;
use super::options::ReadOptions;
use super::pileup::pileup;
use super::rows::{genotype, SiteGenotype};
use crate::batch::{GenotypeBatch, Row};
use crate::sites::{definition_sites, GeneSites};
use crate::{Error, Result, Summary};

/// One sample's genotypes: per gene, per site.
type SampleGenotypes = Vec<Vec<SiteGenotype>>;

/// The pileup genotyper of aligned reads: the definition sites to read and
/// how reads are counted.
pub struct AlignedReads<'a> {
    options: &'a ReadOptions,
    genes: Vec<GeneSites>,
}

/// Every input genotyped: samples, identities, genotypes, and what the
/// per-file hook of [`AlignedReads::genotype`] returned for each.
pub struct Genotyped<T> {
    samples: Vec<String>,
    identities: Vec<InputIdentity>,
    genotypes: Vec<SampleGenotypes>,
    extras: Vec<T>,
}

impl<T> Genotyped<T> {
    /// The samples, in input order.
    pub fn samples(&self) -> &[String] {
        &self.samples
    }

    /// The inputs' identities, for provenance.
    pub fn identities(&self) -> &[InputIdentity] {
        &self.identities
    }

    /// What the hook returned for each input, in input order.
    pub fn extras(&self) -> &[T] {
        &self.extras
    }

    /// What the hook returned for each input, in input order, taken.
    pub fn into_extras(self) -> Vec<T> {
        self.extras
    }
}

impl<'a> AlignedReads<'a> {
    /// The genotyper of `definitions`' sites (the genes and regions
    /// `options` keeps).
    pub fn new(options: &'a ReadOptions, definitions: &Definitions) -> Self {
        Self {
            options,
            genes: definition_sites(definitions, &options.genes, options.regions.as_deref()),
        }
    }

    /// Opens each input once (inputs in parallel), checks it (index,
    /// reference, sample, build), hands the open file to `prepare` and
    /// genotypes the sample at the copies `prepare` returns (e.g. a
    /// copy-number caller reading its locus from the same reader), keeping
    /// whatever else `prepare` returns. Two inputs of one sample are an
    /// error.
    ///
    /// # Errors
    /// As [`AlignmentFile::open`] (as [`Error::Alignment`]),
    /// [`Error::SampleTwice`], reading errors naming the file and region;
    /// `prepare`'s errors.
    pub fn genotype<T, E>(
        &self,
        inputs: &[AlignedInput],
        prepare: impl Fn(&mut AlignmentFile) -> std::result::Result<(CopyNumbers, T), E> + Sync,
    ) -> std::result::Result<Genotyped<T>, E>
    where
        T: Send,
        E: From<Error> + Send,
    {
        let opened = inputs
            .par_iter()
            .map(|input| {
                let mut file = AlignmentFile::open(input, self.options.reference.as_deref())
                    .map_err(Error::from)?;
                let identity = if self.options.hash_inputs {
                    InputIdentity::hashed(&input.path)
                } else {
                    InputIdentity::genomic(&input.path, &file.header_text, Some(&file.index))
                }
                .map_err(Error::from)?;
                let (copies, extra) = prepare(&mut file)?;
                let genotypes = self.genotype_file(&mut file, &copies)?;
                Ok((file.sample, identity, genotypes, extra))
            })
            .collect::<std::result::Result<Vec<_>, E>>()?;
        let mut genotyped = Genotyped {
            samples: Vec::with_capacity(opened.len()),
            identities: Vec::with_capacity(opened.len()),
            genotypes: Vec::with_capacity(opened.len()),
            extras: Vec::with_capacity(opened.len()),
        };
        for (i, (sample, identity, genotypes, extra)) in opened.into_iter().enumerate() {
            if let Some(first) = genotyped.samples.iter().position(|s| *s == sample) {
                return Err(Error::SampleTwice {
                    first: inputs[first].path.clone(),
                    second: inputs[i].path.clone(),
                }
                .into());
            }
            genotyped.samples.push(sample);
            genotyped.identities.push(identity);
            genotyped.genotypes.push(genotypes);
            genotyped.extras.push(extra);
        }
        Ok(genotyped)
    }

    /// Hands each gene's rows of `genotyped`, samples in input order, to
    /// `sink` in definition order: the gene's symbol and its batch.
    ///
    /// # Errors
    /// `sink`'s errors; [`Error::Arrow`] if a batch cannot be built (a bug).
    pub fn batches<T, E: From<Error>>(
        &self,
        genotyped: &Genotyped<T>,
        mut sink: impl FnMut(&str, RecordBatch) -> std::result::Result<(), E>,
    ) -> std::result::Result<Summary, E> {
        let mut rows = 0;
        for (g, gene) in self.genes.iter().enumerate() {
            let samples = genotyped.samples.len();
            let mut batch = GenotypeBatch::with_capacity(samples * gene.sites.len());
            for (s, sample) in genotyped.genotypes.iter().enumerate() {
                push_rows(&mut batch, genotyped, s, gene, &sample[g]);
                rows += gene.sites.len();
            }
            sink(&gene.gene, batch.finish().map_err(Error::from)?)?;
        }
        Ok(Summary {
            inputs: genotyped.samples.len(),
            samples: genotyped.samples.len(),
            genes: self.genes.len(),
            rows,
            ..Summary::default()
        })
    }

    /// One file's genotypes at every site of every gene.
    fn genotype_file(
        &self,
        file: &mut AlignmentFile,
        copy_numbers: &CopyNumbers,
    ) -> Result<SampleGenotypes> {
        let male = self.options.sex.get(&file.sample) == Some(Sex::Male);
        self.genes
            .iter()
            .map(|gene| {
                let default = if male && is_x(&gene.chrom) { 1 } else { 2 };
                let pileups = pileup(file, gene, self.options)?;
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
}

/// Sample `s`'s rows of `gene` into `batch`.
fn push_rows<T>(
    batch: &mut GenotypeBatch,
    genotyped: &Genotyped<T>,
    s: usize,
    gene: &GeneSites,
    genotypes: &[SiteGenotype],
) {
    let source = genotyped.identities[s].path.as_str();
    for (site, g) in gene.sites.iter().zip(genotypes) {
        let (allele_1, allele_2) = match &g.alleles {
            Some((a, b)) => (Some(a.as_str()), b.as_deref()),
            None => (None, None),
        };
        batch.push(&Row {
            sample_id: &genotyped.samples[s],
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

fn is_x(chrom: &str) -> bool {
    chrom.strip_prefix("chr").unwrap_or(chrom) == "X"
}

/// Genotypes the aligned reads `inputs` at the copies `prepare` gives each
/// open file (see [`AlignedReads::genotype`]) and writes the genotypes
/// table to `output` (temporary name, renamed when complete); returns the
/// summary and the genotyped inputs (their identities, and what `prepare`
/// returned for each).
///
/// # Errors
/// As [`AlignedReads::genotype`], and [`Error::Table`] for write failures.
pub fn run<T, E>(
    options: &ReadOptions,
    definitions: &Definitions,
    inputs: &[AlignedInput],
    output: &Path,
    prepare: impl Fn(&mut AlignmentFile) -> std::result::Result<(CopyNumbers, T), E> + Sync,
) -> std::result::Result<(Summary, Genotyped<T>), E>
where
    T: Send,
    E: From<Error> + Send,
{
    let reads = AlignedReads::new(options, definitions);
    let genotyped = reads.genotype(inputs, prepare)?;
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
    metadata.inputs = genotyped.identities().to_vec();
    if let Some(shard) = options.shard {
        metadata
            .extra
            .push((tailor_schemas::SHARD_KEY.to_owned(), shard.to_string()));
    }
    let mut writer =
        TableWriter::create(output, genotypes::schema(), &metadata).map_err(Error::from)?;
    let summary = reads.batches(&genotyped, |_, batch| {
        writer.write(&batch).map_err(|e| E::from(Error::from(e)))
    })?;
    writer.finish().map_err(Error::from)?;
    Ok((summary, genotyped))
}
