//! `tailor demo`: the whole pipeline on a cohort it simulates: simulate ->
//! ingest -> call -> join (pseudonymised) -> estimate, then the
//! confirmatory findings on stdout.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use arrow_array::{Array, BooleanArray, Float64Array, RecordBatch, StringArray};
use clap::Args;
use tailor_schemas::subgroup_effects::{self as col, Verdict};
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
        "{report}{SIMULATED_EFFECT}Shareable tables: {dir}/cohort.parquet, join_report.json, subgroup_rates.parquet, \
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

fn strings<'a>(batch: &'a RecordBatch, name: &str) -> anyhow::Result<&'a StringArray> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
        .ok_or_else(|| anyhow::anyhow!("no text column {name}"))
}

fn floats<'a>(batch: &'a RecordBatch, name: &str) -> anyhow::Result<&'a Float64Array> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<Float64Array>())
        .ok_or_else(|| anyhow::anyhow!("no float column {name}"))
}

fn booleans<'a>(batch: &'a RecordBatch, name: &str) -> anyhow::Result<&'a BooleanArray> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<BooleanArray>())
        .ok_or_else(|| anyhow::anyhow!("no boolean column {name}"))
}

fn text(a: &StringArray, i: usize) -> &str {
    if a.is_null(i) {
        "-"
    } else {
        a.value(i)
    }
}

fn number(a: &Float64Array, i: usize) -> Option<f64> {
    (!a.is_null(i)).then(|| a.value(i))
}

/// A verdict as a reader says it: the therapy it favours by name
/// (`favours ticagrelor`), other verdicts as written.
fn verdict_text(verdict: &str, therapy: &str, comparator: &str) -> String {
    match Verdict::parse(verdict) {
        Some(Verdict::FavoursTherapy) => format!("favours {therapy}"),
        Some(Verdict::FavoursComparator) => format!("favours {comparator}"),
        _ => verdict.to_owned(),
    }
}

/// A q-value as printed: three decimals, scientific below 0.001, and
/// `<1e-300` for a value that underflowed to 0 (never `0.0e0`, which reads
/// as "certainly no effect" and is not what a p-value can be).
fn q_text(q: Option<f64>) -> String {
    match q {
        Some(q) if q < 1e-300 => "<1e-300".to_owned(),
        Some(q) if q < 0.001 => format!("{q:.1e}"),
        Some(q) => format!("{q:.3}"),
        None => "-".to_owned(),
    }
}

/// The confirmatory findings of `subgroup_effects.parquet`, as text: per
/// gene x contrast x outcome the interaction q-value, then the primary
/// therapy rows of each subgroup with their verdicts; and how many
/// exploratory interaction tests reached q < 0.05.
pub fn findings(path: &Path) -> anyhow::Result<String> {
    let table = tailor_tables::read_table(path)?;
    table.expect_table(path, col::TABLE)?;
    let mut out = String::from("\nConfirmatory findings (CPIC level A/B gene-drug pairs):\n");
    let mut seen: BTreeMap<Key, Finding> = BTreeMap::new();
    let mut exploratory = BTreeSet::new();
    let mut with_q = BTreeSet::new();
    let mut flagged = BTreeSet::new();
    for batch in &table.batches {
        let gene = strings(batch, col::GENE)?;
        let kind = strings(batch, col::CONTRAST_KIND)?;
        let contrast = strings(batch, col::CONTRAST)?;
        let subgroup = strings(batch, col::SUBGROUP)?;
        let outcome = strings(batch, col::OUTCOME)?;
        let measure = strings(batch, col::MEASURE)?;
        let family = strings(batch, col::FAMILY)?;
        let verdict = strings(batch, col::VERDICT)?;
        let therapy = strings(batch, col::THERAPY)?;
        let comparator = strings(batch, col::COMPARATOR)?;
        let status = strings(batch, col::STATUS)?;
        let effect = floats(batch, col::EFFECT)?;
        let low = floats(batch, col::CI_LOW)?;
        let high = floats(batch, col::CI_HIGH)?;
        let q = floats(batch, col::INTERACTION_Q)?;
        let primary = booleans(batch, col::PRIMARY)?;
        let suppressed = booleans(batch, col::SUPPRESSED)?;
        for i in 0..batch.num_rows() {
            if kind.value(i) != "therapy_vs_comparator" {
                continue;
            }
            let key = (
                gene.value(i).to_owned(),
                contrast.value(i).to_owned(),
                outcome.value(i).to_owned(),
            );
            if family.value(i) != "confirmatory" {
                exploratory.insert(key.clone());
                if let Some(q) = number(q, i) {
                    with_q.insert(key.clone());
                    if q < 0.05 {
                        flagged.insert(key);
                    }
                }
                continue;
            }
            let entry = seen.entry(key).or_insert_with(|| (None, String::new(), 0));
            if entry.0.is_none() {
                entry.0 = number(q, i);
            }
            if !primary.value(i) {
                continue;
            }
            if suppressed.value(i) {
                entry.2 += 1;
                continue;
            }
            let estimate = {
                match (number(effect, i), number(low, i), number(high, i)) {
                    (Some(e), Some(l), Some(h)) => {
                        format!("{} {e:.2} ({l:.2} to {h:.2})", measure.value(i))
                    }
                    _ => format!("{} not estimated ({})", measure.value(i), status.value(i)),
                }
            };
            entry.1.push_str(&format!(
                "    {:<16} {estimate}: {}\n",
                subgroup.value(i),
                verdict_text(text(verdict, i), text(therapy, i), text(comparator, i))
            ));
        }
    }
    for ((gene, contrast, outcome), (q, rows, hidden)) in &seen {
        out.push_str(&format!(
            "  {gene} x {contrast} ({outcome}): interaction q = {}\n{rows}",
            q_text(*q)
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

#[cfg(test)]
mod tests {
    use super::{q_text, verdict_text};

    #[test]
    fn q_values_print_without_a_zero() {
        assert_eq!(q_text(Some(0.0)), "<1e-300");
        assert_eq!(q_text(Some(5e-320)), "<1e-300");
        assert_eq!(q_text(Some(2.5e-7)), "2.5e-7");
        assert_eq!(q_text(Some(0.0421)), "0.042");
        assert_eq!(q_text(None), "-");
    }

    #[test]
    fn verdicts_name_the_therapy_they_favour() {
        let text = |v| verdict_text(v, "clopidogrel", "ticagrelor");
        assert_eq!(text("favours_comparator"), "favours ticagrelor");
        assert_eq!(text("favours_therapy"), "favours clopidogrel");
        assert_eq!(text("inconclusive"), "inconclusive");
        assert_eq!(text("-"), "-");
    }
}
