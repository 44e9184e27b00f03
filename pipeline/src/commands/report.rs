//! `tailor report`: the shareable tables of a run -> one self-contained
//! HTML page (report.html).

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use tailor_report::{ReportInputs, ReportSummary};

use crate::cli::Global;
use crate::exit::Failure;
use crate::messages;

/// The report's file name in the output folder.
pub const REPORT_FILE: &str = "report.html";

/// Arguments of `tailor report`.
#[derive(Debug, Args)]
#[command(
    about = "Write a self-contained HTML report from a run's shareable tables",
    long_about = "Reads OUT_DIR/cohort.parquet, join_report.json, subgroup_rates.parquet \
                  and subgroup_effects.parquet (written by `tailor join` and `tailor \
                  estimate`) and writes one HTML file that needs nothing else: the cohort \
                  overview (call rates, phenotype distributions per gene), a forest plot \
                  per gene x therapy contrast x outcome with the interaction test, its \
                  q-value and verdicts (confirmatory CPIC pairs first, with their CPIC \
                  level, FDA label status and guideline), genotype-vs-reference contrasts, \
                  the methods and rules applied, warnings and provenance. Counts of 1-10 \
                  are never shown; no sample or patient id is. \
                  Example: tailor report demo/out"
)]
pub struct ReportArgs {
    /// Folder holding the shareable tables of `tailor join` and `tailor estimate`
    #[arg(value_name = "OUT_DIR", help_heading = "Input")]
    pub input: PathBuf,
    /// The HTML file to write [default: OUT_DIR/report.html]
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,
}

/// Runs `tailor report`.
pub fn run(args: ReportArgs, _global: &Global) -> Result<(), Failure> {
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.input.join(REPORT_FILE));
    write(&args.input, &output)?;
    Ok(())
}

/// Writes the report of the tables in `dir` to `output`, and says so.
pub fn write(dir: &Path, output: &Path) -> Result<ReportSummary, Failure> {
    let started = Instant::now();
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        super::prepare_output_dir(parent)?;
    }
    let inputs = ReportInputs::in_folder(dir);
    for table in [&inputs.cohort, &inputs.rates, &inputs.effects] {
        if !table.is_file() {
            return Err(Failure::invalid_input(anyhow::anyhow!(
                "{}: not found; run `tailor join` and `tailor estimate` into {} first",
                table.display(),
                dir.display()
            )));
        }
    }
    let summary = tailor_report::write_report(&inputs, output).map_err(|e| match e {
        tailor_report::Error::Table(_)
        | tailor_report::Error::Column { .. }
        | tailor_report::Error::JoinReport { .. }
        | tailor_report::Error::Io { .. } => Failure::invalid_input(e),
        other => Failure::other(anyhow::Error::new(other).context("tailor report")),
    })?;
    messages::info(&format!(
        "report: {} genes, {} forest plots, {:.1} KB -> {} ({:.1} s)",
        summary.genes,
        summary.plots,
        summary.bytes as f64 / 1024.0,
        output.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(summary)
}
