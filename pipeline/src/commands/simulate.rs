//! `tailor simulate`: a simulated cohort (phased VCF, truth table, clinical
//! table with a planted effect, key and tailor.toml) to run tailor on.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use tailor_simulate::{
    Options, ReadOptions, SkipReason, StructureFrequencies, Summary, DEFAULT_SAMPLES, DEFAULT_SEED,
};

use crate::cli::Global;
use crate::exit::Failure;
use crate::messages;

/// Arguments of `tailor simulate`.
#[derive(Debug, Args)]
#[command(
    about = "Simulate a cohort: phased VCF, clinical table with a planted effect",
    long_about = "Draws people from haplotype frequencies embedded in tailor (named \
                  alleles per gene, counted from the 1000 Genomes Project panels) and \
                  writes into OUT_DIR: cohort.vcf.gz (+ .tbi, phased, GRCh38, a record at \
                  every definition position), truth.tsv (the simulated diplotypes), \
                  clinical.csv (clopidogrel vs ticagrelor with a planted CYP2C19 effect \
                  on mace), sex.tsv, join.key (mode 0600) and tailor.toml for \
                  `tailor run`. With --bam DIR, also one sorted, indexed BAM (or CRAM) \
                  of simulated paired-end reads per person, with CYP2D6 deletions, \
                  duplications and hybrids, the reference they align to and the truth. \
                  The same seed gives byte-identical files. \
                  Example: tailor simulate --samples 500 -o sim"
)]
pub struct SimulateArgs {
    /// Output directory (created if missing)
    #[arg(short, long, value_name = "OUT_DIR", help_heading = "Output")]
    pub output: PathBuf,
    /// Number of people
    #[arg(
        long,
        value_name = "N",
        default_value_t = DEFAULT_SAMPLES,
        help_heading = "Simulation",
        long_help = "Number of people (samples SIM00001, SIM00002, ...). Example: --samples 500"
    )]
    pub samples: usize,
    /// Seed of every random draw
    #[arg(
        long,
        value_name = "SEED",
        default_value_t = DEFAULT_SEED,
        help_heading = "Simulation",
        long_help = "Seed of every random draw; the same seed and sample count give \
                     byte-identical files on every run. Example: --seed 7"
    )]
    pub seed: u64,
    /// Allele definitions directory [default: embedded PharmCAT 3.1.1]
    #[arg(long, value_name = "DIR", help_heading = "Input")]
    pub definitions: Option<PathBuf>,
    /// Aligned reads too: one sorted, indexed BAM per person in DIR
    #[command(flatten)]
    pub reads: ReadArgs,
}

/// Options of `tailor simulate --bam`.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Also write simulated aligned reads into DIR
    #[arg(
        long = "bam",
        value_name = "DIR",
        help_heading = "Reads",
        long_help = "Also write, into DIR: one coordinate-sorted, indexed BAM per person \
                     (paired-end reads over every gene's definition positions, the \
                     CYP2D6/CYP2D7/CYP2D8 locus with a CYP2D6 structure per chromosome, \
                     and three copy-number control windows), reference.fa.gz (the \
                     reference the reads are aligned to: real GRCh38 bases over the \
                     CYP2D locus, seeded random bases elsewhere, N-padded to the GRCh38 \
                     contig lengths), truth.tsv, truth_genotypes.tsv and samplesheet.tsv. \
                     Example: --bam sim/reads"
    )]
    pub bam: Option<PathBuf>,
    /// Mean depth
    #[arg(long, value_name = "X", default_value_t = 30.0, help_heading = "Reads")]
    pub depth: f64,
    /// Read length
    #[arg(long, value_name = "BP", default_value_t = 150, help_heading = "Reads")]
    pub read_length: usize,
    /// Per-base substitution error rate (base qualities match it)
    #[arg(
        long,
        value_name = "RATE",
        default_value_t = 0.01,
        help_heading = "Reads"
    )]
    pub error_rate: f64,
    /// Mean fragment length
    #[arg(
        long,
        value_name = "BP",
        default_value_t = 350.0,
        help_heading = "Reads"
    )]
    pub insert_size: f64,
    /// Standard deviation of the fragment length
    #[arg(
        long,
        value_name = "BP",
        default_value_t = 50.0,
        help_heading = "Reads"
    )]
    pub insert_sd: f64,
    /// Share of people with exome-like coverage (exons and definition positions only)
    #[arg(
        long,
        value_name = "FRACTION",
        default_value_t = 0.0,
        help_heading = "Reads"
    )]
    pub exome_fraction: f64,
    /// Write CRAM against reference.fa.gz instead of BAM
    #[arg(long, help_heading = "Reads")]
    pub cram: bool,
    /// CYP2D6 structure frequencies per chromosome
    #[arg(
        long,
        value_name = "NAME=P,...",
        help_heading = "Reads",
        long_help = "CYP2D6 structure frequencies per chromosome; names left out keep \
                     their default: deletion (*5) 0.03, duplication (of the drawn \
                     allele, one in ten triplicated) 0.02, star36_star10 (*36+*10) \
                     0.01, star68_star4 (*68+*4) 0.01, star13 (*13) 0.002. \
                     Example: --cyp2d6-structures star36_star10=0.3 for an East Asian cohort"
    )]
    pub cyp2d6_structures: Option<StructureFrequencies>,
}

impl ReadArgs {
    /// The reads directory and options, when `--bam` was given.
    fn options(&self) -> Option<(PathBuf, ReadOptions)> {
        let dir = self.bam.clone()?;
        let mut options = ReadOptions::default();
        options.depth = self.depth;
        options.read_length = self.read_length;
        options.error_rate = self.error_rate;
        options.insert_mean = self.insert_size;
        options.insert_sd = self.insert_sd;
        options.exome_fraction = self.exome_fraction;
        options.cram = self.cram;
        if let Some(structures) = self.cyp2d6_structures {
            options.structures = structures;
        }
        Some((dir, options))
    }
}

/// Runs `tailor simulate`.
pub fn run(args: SimulateArgs, _global: &Global) -> Result<(), Failure> {
    simulate(
        &args.output,
        args.samples,
        args.seed,
        args.definitions.as_deref(),
        args.reads.options(),
    )
    .map(|_| ())
}

/// Simulates into `output` and prints one summary line; shared with
/// `tailor demo`.
pub fn simulate(
    output: &Path,
    samples: usize,
    seed: u64,
    definitions: Option<&Path>,
    reads: Option<(PathBuf, ReadOptions)>,
) -> Result<Summary, Failure> {
    let started = Instant::now();
    let definitions = crate::definitions::load(definitions)?;
    let mut options = Options::new().samples(samples).seed(seed);
    if let Some((dir, read_options)) = reads {
        options = options.reads(dir, read_options);
    }
    let summary = tailor_simulate::run(&options, &definitions, output).map_err(|e| match e {
        tailor_simulate::Error::NoSamples | tailor_simulate::Error::ReadOption(_) => {
            Failure::usage(e)
        }
        e => Failure::other(anyhow::Error::new(e).context("tailor simulate")),
    })?;
    for skipped in &summary.skipped {
        let reason = match &skipped.reason {
            SkipReason::StructuralVariant => "structural variant".to_owned(),
            SkipReason::NotDefined => "not in the definitions".to_owned(),
            SkipReason::Unrepresentable { pos } => {
                format!("definition cell at {pos} is not a VCF allele")
            }
            _ => "not representable".to_owned(),
        };
        messages::detail(&format!(
            "simulate: {} {} not simulated ({reason})",
            skipped.gene, skipped.allele
        ));
    }
    messages::info(&format!(
        "simulate: {} people x {} genes ({} named alleles, {} left out; {} VCF records) -> {} \
         and truth.tsv, clinical.csv, sex.tsv, join.key, tailor.toml ({:.1} s)",
        summary.samples,
        summary.genes,
        summary.alleles,
        summary.skipped.len(),
        summary.sites,
        summary.files.vcf.display(),
        started.elapsed().as_secs_f64()
    ));
    if let Some(reads) = &summary.reads {
        messages::info(&format!(
            "simulate: {} reads in {} alignment files -> {} (with {}, truth.tsv, \
             truth_genotypes.tsv, samplesheet.tsv)",
            reads.reads,
            reads.samples,
            reads.reference.parent().unwrap_or(Path::new(".")).display(),
            reads
                .reference
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
        ));
    }
    Ok(summary)
}
