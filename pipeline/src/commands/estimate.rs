//! `tailor estimate`: cohort.parquet -> subgroup_rates.parquet and
//! subgroup_effects.parquet.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use tailor_estimate::Options;

use super::config_file;
use crate::cli::Global;
use crate::exit::Failure;
use crate::messages;

/// Arguments of `tailor estimate`.
#[derive(Debug, Args)]
#[command(
    about = "Estimate therapy effects per genotype subgroup (CIs, interaction, FDR)",
    long_about = "Reads the cohort table written by `tailor join` and writes \
                  OUT_DIR/subgroup_rates.parquet (per gene x subgroup x therapy x outcome: \
                  n, events, rates with CIs, means, Kaplan-Meier survival) and \
                  OUT_DIR/subgroup_effects.parquet (unadjusted and adjusted effects, the \
                  therapy x subgroup interaction test, Benjamini-Hochberg q-values in the \
                  confirmatory CPIC A/B or exploratory family, verdicts); with \
                  [[estimate.models]] configured, OUT_DIR/models.parquet and \
                  OUT_DIR/model_terms.parquet (explicit OLS, logistic or Cox models). \
                  Counts of 1-10 are suppressed by default."
)]
pub struct EstimateArgs {
    /// The cohort table (cohort.parquet from `tailor join`)
    #[arg(value_name = "COHORT", help_heading = "Input")]
    pub input: PathBuf,
    /// Output directory (created if missing)
    #[arg(short, long, value_name = "OUT_DIR", help_heading = "Output")]
    pub output: PathBuf,
    /// TOML configuration; its [estimate] section sets the analysis
    #[arg(
        short,
        long,
        value_name = "FILE",
        help_heading = "Input",
        long_help = "TOML configuration whose [estimate] section sets the grouping, \
                     comparator, reference subgroups, covariates, fdr, \
                     suppression_threshold, km_horizon and hc3. Without it (or without \
                     the section) the defaults apply: phenotype subgroups, every pair of \
                     therapies, no covariates, FDR 0.05, counts 1-10 suppressed. \
                     Example: --config tailor.toml"
    )]
    pub config: Option<PathBuf>,
}

/// Reads the `[estimate]` section of `path` (defaults when absent).
pub fn read_config(path: &Path) -> Result<Options, Failure> {
    config_file::estimate_options(&config_file::read(path)?)
}

/// Runs `tailor estimate`.
pub fn run(args: EstimateArgs, global: &Global) -> Result<(), Failure> {
    let options = match &args.config {
        Some(path) => read_config(path)?,
        None => Options::default(),
    };
    run_with(&args, &options, global)
}

/// Runs `tailor estimate` with `options`, already read (by `tailor run`).
pub fn run_with(args: &EstimateArgs, options: &Options, _global: &Global) -> Result<(), Failure> {
    let started = Instant::now();
    super::output_file(&args.output, "subgroup_rates.parquet")?;
    let summary = tailor_estimate::run(options, &args.input, &args.output).map_err(|e| {
        if e.is_invalid_input() {
            Failure::invalid_input(e)
        } else {
            Failure::other(anyhow::Error::new(e).context("tailor estimate"))
        }
    })?;
    for warning in &summary.warnings {
        messages::warn(warning);
    }
    for (gene, reasons) in &summary.excluded {
        if !reasons.is_empty() {
            let list: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
            messages::detail(&format!("estimate: {gene}: excluded {}", list.join(", ")));
        }
        if let Some(n) = reasons.get("cyp2d6_snv_only") {
            messages::warn(&format!(
                "estimate: {gene}: {n} row(s) left out (cyp2d6_snv_only): called from SNVs alone, \
                 which cannot see the *5 deletion, duplications or CYP2D6/CYP2D7 hybrids, so their \
                 phenotype may be wrong; call CYP2D6 from reads or give outside calls \
                 (or set include_cyp2d6_snv_only to keep them)"
            ));
        }
    }
    messages::info(&format!(
        "estimate: {} rows x {} genes x {} outcomes -> {} rate rows, {} effect rows, {} interaction tests \
         ({} / {} rows suppressed) in {} ({:.1} s)",
        summary.rows,
        summary.genes,
        summary.outcomes,
        summary.rate_rows,
        summary.effect_rows,
        summary.interaction_tests,
        summary.suppressed_rates,
        summary.suppressed_effects,
        args.output.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}
