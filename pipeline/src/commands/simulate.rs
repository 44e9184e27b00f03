//! `tailor simulate`: a simulated cohort (phased VCF, truth table, clinical
//! table with a planted effect, key and tailor.toml) to run tailor on.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use tailor_simulate::{Options, SkipReason, Summary, DEFAULT_SAMPLES, DEFAULT_SEED};

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
                  `tailor run`. The same seed gives byte-identical files."
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
}

/// Runs `tailor simulate`.
pub fn run(args: SimulateArgs, _global: &Global) -> Result<(), Failure> {
    simulate(
        &args.output,
        args.samples,
        args.seed,
        args.definitions.as_deref(),
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
) -> Result<Summary, Failure> {
    let started = Instant::now();
    let definitions = crate::definitions::load(definitions)?;
    let options = Options::new().samples(samples).seed(seed);
    let summary = tailor_simulate::run(&options, &definitions, output).map_err(|e| match e {
        tailor_simulate::Error::NoSamples => Failure::usage(e),
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
    Ok(summary)
}
