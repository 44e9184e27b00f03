//! `tailor demo`: the whole pipeline on a cohort it simulates: simulate ->
//! ingest -> call -> join (pseudonymised) -> estimate, then the
//! confirmatory findings on stdout.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use tailor_report::p_text;
use tailor_schemas::subgroup_effects::{ContrastKind, Family};
use tailor_simulate::{DEFAULT_SAMPLES, DEFAULT_SEED};

use crate::cli::Global;
use crate::exit::Failure;

/// Arguments of `tailor demo`.
#[derive(Debug, Args)]
#[command(
    about = "Run the whole pipeline on a simulated cohort",
    long_about = "Simulates a cohort (`tailor simulate`) into OUT_DIR, then runs \
                  `tailor run OUT_DIR/tailor.toml`: ingest, call, join (pseudonymised \
                  with the generated key) and estimate, into OUT_DIR/out. Prints the \
                  confirmatory findings at the end. The simulated clinical table has a \
                  planted effect: clopidogrel's risk of mace rises with each CYP2C19 \
                  no-function allele, ticagrelor's does not. Example: tailor demo -o demo"
)]
pub struct DemoArgs {
    /// Output directory (created if missing)
    #[arg(
        short,
        long,
        value_name = "OUT_DIR",
        default_value = "tailor-demo",
        help_heading = "Output"
    )]
    pub output: PathBuf,
    /// Number of simulated people
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SAMPLES, help_heading = "Simulation")]
    pub samples: usize,
    /// Seed of the simulation
    #[arg(long, value_name = "SEED", default_value_t = DEFAULT_SEED, help_heading = "Simulation")]
    pub seed: u64,
}

/// Runs `tailor demo`.
pub fn run(args: DemoArgs, global: &Global) -> Result<(), Failure> {
    let started = Instant::now();
    let summary = super::simulate::simulate(&args.output, args.samples, args.seed, None, None)?;
    let outputs = super::run::run_config(
        &summary.files.config,
        None,
        super::run::Resume::default(),
        global,
    )?;
    let out = &outputs.shareable;
    let effects = out.join("subgroup_effects.parquet");
    let report = findings(&effects).unwrap_or_else(|e| {
        format!(
            "(could not read the findings from {}: {e:#})\n",
            effects.display()
        )
    });
    let text = format!(
        "{report}{SIMULATED_EFFECT}Report: {dir}/report.html (open it in a browser)\n\
         Shareable tables: {dir}/cohort.parquet, join_report.json, subgroup_rates.parquet, \
         subgroup_effects.parquet\nIdentified tables (by sample id): {identified}/genotypes.parquet, \
         calls.parquet\nInputs: {input} (cohort.vcf.gz, clinical.csv, truth.tsv, tailor.toml)\n\
         Done in {:.1} s. Rerun with: tailor run {config}",
        started.elapsed().as_secs_f64(),
        dir = out.display(),
        identified = outputs.identified.display(),
        input = args.output.display(),
        config = summary.files.config.display(),
    );
    print_to_stdout(&text)
}

/// Writes `text` and a newline to stdout. A reader that closed the pipe
/// early (`tailor demo | head -1`) is not an error: the run is done and its
/// tables are written, so the demo exits 0 rather than panicking as
/// `println!` does.
pub(crate) fn print_to_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::other(
            anyhow::anyhow!("writing the findings to stdout: {e}"),
        )),
        _ => Ok(()),
    }
}

/// What the simulated clinical table plants, for the reader to compare.
const SIMULATED_EFFECT: &str = "The simulated effect: on clopidogrel, odds of mace x3 per \
     CYP2C19 no-function allele (larger than real studies report, so 2,000 people show it); \
     none on ticagrelor; no other gene has an effect.\n";

/// Gene, contrast, outcome.
type Key = (String, String, String);
/// Interaction q, the printed subgroup rows, suppressed rows.
type Finding = (Option<f64>, String, usize);

/// The confirmatory findings of `subgroup_effects.parquet`, as text: per
/// gene x contrast x outcome the interaction q-value, then the primary
/// therapy rows of each subgroup with their verdicts; and how many
/// exploratory interaction tests reached q < 0.05.
pub fn findings(path: &Path) -> anyhow::Result<String> {
    let table = tailor_tables::read_table(path)?;
    let rows = tailor_report::read_primary_effects(path, &table)?;
    let mut out = String::from("\nConfirmatory findings (CPIC level A/B gene-drug pairs):\n");
    let mut seen: BTreeMap<Key, Finding> = BTreeMap::new();
    let mut exploratory = BTreeSet::new();
    let mut with_q = BTreeSet::new();
    let mut flagged = BTreeSet::new();
    for row in rows
        .iter()
        .filter(|r| r.kind == ContrastKind::TherapyVsComparator)
    {
        let key = (row.gene.clone(), row.contrast.clone(), row.outcome.clone());
        if row.family != Family::Confirmatory {
            exploratory.insert(key.clone());
            if let Some(q) = row.interaction_q {
                with_q.insert(key.clone());
                if q < 0.05 {
                    flagged.insert(key);
                }
            }
            continue;
        }
        let entry = seen.entry(key).or_insert_with(|| (None, String::new(), 0));
        if entry.0.is_none() {
            entry.0 = row.interaction_q;
        }
        if row.suppressed {
            entry.2 += 1;
            continue;
        }
        let estimate = match (row.effect, row.ci_low, row.ci_high) {
            (Some(e), Some(l), Some(h)) => format!("{} {e:.2} ({l:.2} to {h:.2})", row.measure),
            _ => format!("{} not estimated ({})", row.measure, row.status),
        };
        let verdict = match row.verdict_text() {
            v if v.is_empty() => "-".to_owned(),
            v => v,
        };
        entry
            .1
            .push_str(&format!("    {:<16} {estimate}: {verdict}\n", row.subgroup));
    }
    for ((gene, contrast, outcome), (q, rows, hidden)) in &seen {
        out.push_str(&format!(
            "  {gene} x {contrast} ({outcome}): interaction q = {}\n{rows}",
            p_text(*q)
        ));
        if *hidden > 0 {
            out.push_str(&format!(
                "    ({hidden} subgroup row(s) suppressed: small cells)\n"
            ));
        }
    }
    if seen.is_empty() {
        out.push_str("  (none: no therapy matched a CPIC A/B pair)\n");
    }
    out.push_str(&format!(
        "Exploratory family: {} gene x contrast x outcome interaction tests, {} with a q-value \
         (the others hidden by small-cell suppression or not estimable), {} with q < 0.05{}\n",
        exploratory.len(),
        with_q.len(),
        flagged.len(),
        if flagged.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                flagged
                    .iter()
                    .map(|(g, c, o)| format!("{g} {c} {o}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
    ));
    Ok(out)
}
