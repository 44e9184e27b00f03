//! The stage: panels from definitions and frequencies, people, then every
//! output file.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tailor_definitions::Definitions;

use crate::clinical::write_clinical_csv;
use crate::cohort::{draw_people, Person, HAPLOID};
use crate::config::{config_toml, file_names};
use crate::error::{Error, Result};
use crate::options::Options;
use crate::panel::{build_panel, GenePanel, SkippedAllele};
use crate::reads::{simulate_reads, ReadsSummary};
use crate::vcf::{contig_rank, write_vcf};
use tailor_definitions::{embedded_frequencies, GeneFrequencies};
use tailor_tables::{write_file_atomic as write_atomic, AtomicFile, PRIVATE, SECRET};

/// Random streams: one per output, so changing one table's model leaves
/// the others' draws unchanged.
const GENOTYPE_STREAM: u64 = 1;
const CLINICAL_STREAM: u64 = 2;
const KEY_STREAM: u64 = 3;

/// The files [`run`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Files {
    /// `cohort.vcf.gz`.
    pub vcf: PathBuf,
    /// `cohort.vcf.gz.tbi`.
    pub index: PathBuf,
    /// `truth.tsv`.
    pub truth: PathBuf,
    /// `sex.tsv`.
    pub sex: PathBuf,
    /// `clinical.csv`.
    pub clinical: PathBuf,
    /// `tailor.toml`.
    pub config: PathBuf,
    /// `join.key`.
    pub key: PathBuf,
}

/// What [`run`] simulated.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// What `--bam` wrote, when reads were asked for.
    pub reads: Option<ReadsSummary>,
    /// People.
    pub samples: usize,
    /// Genes simulated.
    pub genes: usize,
    /// VCF records (definition positions).
    pub sites: usize,
    /// Named alleles drawn from (summed over genes).
    pub alleles: usize,
    /// Named alleles of the frequency table left out, with the reason.
    pub skipped: Vec<SkippedAllele>,
    /// Genes of the frequency table without definitions (not simulated).
    pub undefined_genes: Vec<String>,
    /// The files written.
    pub files: Files,
}

/// Simulates a cohort into `output` (created if missing) with the embedded
/// haplotype frequencies: `cohort.vcf.gz` (+ `.tbi`), `truth.tsv`,
/// `sex.tsv`, `clinical.csv`, `tailor.toml` and `join.key`. The same
/// options give byte-identical files.
///
/// # Errors
///
/// [`Error::NoSamples`] for zero samples, [`Error::NoGenes`] if nothing can
/// be simulated, [`Error::Io`] / [`Error::Htslib`] when writing fails.
pub fn run(options: &Options, definitions: &Definitions, output: &Path) -> Result<Summary> {
    run_with(options, definitions, &embedded_frequencies()?, output)
}

/// [`run`] with another frequency table (see [`crate::parse_frequencies`]).
///
/// # Errors
///
/// As [`run`].
pub fn run_with(
    options: &Options,
    definitions: &Definitions,
    frequencies: &[GeneFrequencies],
    output: &Path,
) -> Result<Summary> {
    if options.samples == 0 {
        return Err(Error::NoSamples);
    }
    let mut skipped = Vec::new();
    let mut undefined_genes = Vec::new();
    let mut panels: Vec<GenePanel> = Vec::new();
    for gene in frequencies {
        if !options.genes.is_empty() && !options.genes.contains(&gene.gene) {
            continue;
        }
        let Some(definition) = definitions.gene(&gene.gene) else {
            undefined_genes.push(gene.gene.clone());
            continue;
        };
        if contig_rank(&definition.chromosome).is_none() {
            return Err(Error::UnknownContig {
                gene: gene.gene.clone(),
                chrom: definition.chromosome.clone(),
            });
        }
        if let Some(panel) = build_panel(definition, gene, &mut skipped) {
            panels.push(panel);
        }
    }
    if panels.is_empty() {
        return Err(Error::NoGenes);
    }
    panels.sort_by_key(|p| (contig_rank(&p.chrom), p.sites.first().map(|s| s.pos)));
    std::fs::create_dir_all(output).map_err(|source| Error::Io {
        path: output.to_owned(),
        action: "creating the output directory",
        source,
    })?;

    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    rng.set_stream(GENOTYPE_STREAM);
    let people = draw_people(&panels, options.samples, &mut rng);

    let header = vec![
        format!(
            "##source=tailor simulate {} (seed {}, {} samples)",
            tailor_schemas::TOOL_VERSION,
            options.seed,
            options.samples
        ),
        format!("##tailor_definitions={}", definitions.version()),
    ];
    let vcf = output.join(file_names::VCF);
    let index = write_vcf(&vcf, &panels, &people, &header)?;

    let truth = output.join(file_names::TRUTH);
    write_streamed(&truth, |out| write_truth_tsv(out, &people, &panels))?;
    let sex = output.join(file_names::SEX);
    write_streamed(&sex, |out| write_sex_tsv(out, &people))?;

    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    rng.set_stream(CLINICAL_STREAM);
    let clinical = output.join(file_names::CLINICAL);
    write_streamed(&clinical, |out| {
        write_clinical_csv(out, &people, &panels, &mut rng)
    })?;

    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    rng.set_stream(KEY_STREAM);
    let mut key = [0u8; 32];
    rng.fill_bytes(&mut key);
    let mut key_hex = String::with_capacity(65);
    for byte in key {
        let _ = write!(key_hex, "{byte:02x}");
    }
    key_hex.push('\n');
    let key_path = output.join(file_names::KEY);
    write_atomic(&key_path, key_hex.as_bytes(), SECRET)?;

    let config = output.join(file_names::CONFIG);
    write_atomic(
        &config,
        config_toml(options.seed, options.samples).as_bytes(),
        0o644,
    )?;

    let reads = match &options.reads {
        Some((dir, read_options)) => Some(simulate_reads(
            read_options,
            options.seed,
            &panels,
            &people,
            dir,
        )?),
        None => None,
    };

    Ok(Summary {
        reads,
        samples: people.len(),
        genes: panels.len(),
        sites: panels.iter().map(|p| p.sites.len()).sum(),
        alleles: panels.iter().map(|p| p.haplotypes.len()).sum(),
        skipped,
        undefined_genes,
        files: Files {
            vcf,
            index,
            truth,
            sex,
            clinical,
            config,
            key: key_path,
        },
    })
}

/// Writes the per-person file `path` (mode 0640) as `write` streams it:
/// the text of a large cohort is never built in memory.
pub(crate) fn write_streamed(
    path: &Path,
    write: impl FnOnce(&mut AtomicFile) -> std::io::Result<()>,
) -> Result<()> {
    let mut file = AtomicFile::create(path, PRIVATE)?;
    write(&mut file).map_err(|source| Error::Io {
        path: path.to_owned(),
        action: "writing",
        source,
    })?;
    Ok(file.finish()?)
}

fn write_truth_tsv(
    out: &mut impl Write,
    people: &[Person],
    panels: &[GenePanel],
) -> std::io::Result<()> {
    writeln!(
        out,
        "sample_id\tgene\thaplotype_1\thaplotype_2\tfunction_1\tfunction_2"
    )?;
    for person in people {
        for (g, panel) in panels.iter().enumerate() {
            let [h1, h2] = person.haplotypes[g];
            let first = &panel.haplotypes[usize::from(h1)];
            let (name2, function2) = if h2 == HAPLOID {
                ("", "")
            } else {
                let second = &panel.haplotypes[usize::from(h2)];
                (second.name.as_str(), second.function.as_str())
            };
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}",
                person.sample_id, panel.gene, first.name, name2, first.function, function2
            )?;
        }
    }
    Ok(())
}

fn write_sex_tsv(out: &mut impl Write, people: &[Person]) -> std::io::Result<()> {
    writeln!(out, "sample\tsex")?;
    for person in people {
        let sex = if person.male { "male" } else { "female" };
        writeln!(out, "{}\t{sex}", person.sample_id)?;
    }
    Ok(())
}
