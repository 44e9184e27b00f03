//! `tailor call`: genotypes.parquet (or VCF/BCF, ingested in-process) ->
//! calls.parquet.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use tailor_star::{Options, Sex};

use crate::cli::Global;
use crate::exit::Failure;
use crate::messages;

/// Arguments of `tailor call`.
#[derive(Debug, Args)]
#[command(
    about = "Call star-allele diplotypes and phenotypes (PharmCAT's matcher)",
    long_about = "Reads genotypes tables written by `tailor ingest` (or VCF/BCF files, \
                  which it ingests first with the same options) and writes \
                  OUT_DIR/calls.parquet: one row per sample x gene with the diplotype, \
                  every best-scoring candidate in PharmCAT's order, missing positions, \
                  haplotype functions, activity score, phenotype and flags."
)]
pub struct CallArgs {
    /// genotypes.parquet tables, or VCF/BCF files (not both)
    #[arg(required = true, value_name = "INPUT", help_heading = "Input")]
    pub inputs: Vec<PathBuf>,
    /// Output directory (created if missing)
    #[arg(short, long, value_name = "OUT_DIR", help_heading = "Output")]
    pub output: PathBuf,
    /// Allele definitions directory [default: embedded PharmCAT 3.1.1]
    #[arg(long, value_name = "DIR", help_heading = "Input")]
    pub definitions: Option<PathBuf>,
    /// List every matching diplotype, not only the best-scoring ones
    #[arg(
        long,
        help_heading = "Matching",
        long_help = "List every diplotype whose two haplotypes match, best score first \
                     (PharmCAT's top-candidate-only off). Default: only the diplotypes \
                     that tie for the best score."
    )]
    pub all_matches: bool,
    /// Name unexplained haplotypes as combinations and partials
    #[arg(
        long,
        help_heading = "Matching",
        long_help = "When no pair of named alleles explains the genotypes, or a genotype \
                     is half-missing (./1), call combinations ([*6 + *28]) and partials \
                     (HGVS names of unexplained variants), as PharmCAT's research mode. \
                     Default: such a sample is a no call, flagged no_match."
    )]
    pub combinations: bool,
    /// Outside calls (TSV: [sample_id] gene diplotype [phenotype] [score])
    #[arg(long, value_name = "FILE", help_heading = "Input")]
    pub outside_calls: Option<PathBuf>,
    /// TSV of sample and sex (male/female), for G6PD
    #[arg(long, value_name = "FILE", help_heading = "Input")]
    pub sex: Option<PathBuf>,
    /// Only these genes, comma-separated (e.g. CYP2C19,CYP2C9)
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "GENES",
        help_heading = "Input"
    )]
    pub genes: Vec<String>,
    /// How VCF/BCF inputs are read (ignored for genotypes tables).
    #[command(flatten, next_help_heading = "VCF input")]
    pub vcf: super::ingest::VcfOptions,
}

fn is_table(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "parquet")
}

/// Runs `tailor call`.
pub fn run(args: CallArgs, _global: &Global) -> Result<(), Failure> {
    let started = Instant::now();
    let definitions = crate::definitions::load(args.definitions.as_deref())?;
    for gene in &args.genes {
        if definitions.gene(gene).is_none() {
            return Err(Failure::usage(anyhow::anyhow!(
                "--genes: no definitions for {gene:?}"
            )));
        }
    }
    let tables = args.inputs.iter().filter(|p| is_table(p)).count();
    if tables != 0 && tables != args.inputs.len() {
        return Err(Failure::usage(anyhow::anyhow!(
            "give either genotypes.parquet tables or VCF/BCF files, not both; \
             run `tailor ingest` on the VCFs first"
        )));
    }
    let sex_ingest = super::ingest::read_sex(args.sex.as_deref())?;
    let inputs = if tables == 0 {
        vec![ingest(&args, &definitions, sex_ingest.clone())?]
    } else {
        args.inputs.clone()
    };
    let sex = sex_ingest
        .into_iter()
        .map(|(sample, s)| {
            let s = match s {
                tailor_ingest::Sex::Male => Sex::Male,
                tailor_ingest::Sex::Female => Sex::Female,
            };
            (sample, s)
        })
        .collect();
    let options = Options::new()
        .all_matches(args.all_matches)
        .combinations(args.combinations)
        .sex(sex)
        .outside_calls(args.outside_calls.clone())
        .genes(args.genes.clone());
    let output = super::output_file(&args.output, "calls.parquet")?;
    let summary = tailor_star::run(&options, &definitions, &inputs, &output).map_err(|e| {
        if e.is_invalid_input() {
            Failure::invalid_input(e)
        } else {
            Failure::other(anyhow::Error::new(e).context("tailor call"))
        }
    })?;
    if summary.expansion_limited > 0 {
        messages::warn(&format!(
            "{} sample x gene call(s) had more than {} unphased heterozygous positions and were \
             not expanded (flag expansion_limit); phase the input to call them",
            summary.expansion_limited,
            tailor_star::MAX_BRANCH_POINTS
        ));
    }
    messages::info(&format!(
        "call: {} samples x {} genes -> {} rows ({} called, {} ambiguous, {} outside) in {} ({:.1} s)",
        summary.samples,
        summary.genes,
        summary.rows,
        summary.called,
        summary.ambiguous,
        summary.outside,
        output.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// Ingests the VCF/BCF inputs into OUT_DIR/genotypes.parquet.
fn ingest(
    args: &CallArgs,
    definitions: &tailor_definitions::Definitions,
    sex: std::collections::HashMap<String, tailor_ingest::Sex>,
) -> Result<PathBuf, Failure> {
    let options = args.vcf.options(sex, &args.genes)?;
    let output = super::output_file(&args.output, "genotypes.parquet")?;
    let summary = super::ingest::ingest(&options, definitions, &args.inputs, &output, None)?;
    messages::detail(&format!(
        "ingest: {} samples x {} genes -> {} rows",
        summary.samples, summary.genes, summary.rows
    ));
    Ok(output)
}
