//! Flat memory in estimate (issue 10, item 10): `tailor estimate` holds the
//! cohort as a few small codes and numbers per patient and reads the table
//! a batch of rows at a time, one gene at a time. A counting allocator
//! measures the peak heap of `tailor_estimate::run` (in this process, on
//! one thread) on simulated cohorts of 1,000 and 4,000 people: the peak
//! may grow by at most 200 bytes per added patient (measured: 110, over a
//! fixed 2.4 MB of readers and tables). Before the compact reader it grew
//! by about 3 KB per patient (the whole table as Arrow batches, then each
//! gene's text columns as interned codes). Nothing here is timed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod memory;

use std::path::{Path, PathBuf};

/// Simulates `samples` people into `dir/n<samples>`, calls and joins them;
/// returns the cohort table and the simulated tailor.toml.
fn simulated_cohort(dir: &Path, samples: usize) -> (PathBuf, PathBuf) {
    let sim = memory::simulated_calls(dir, samples);
    let out = sim.join("out");
    let config = sim.join("tailor.toml");
    let mut join = common::tailor(dir);
    join.args(["join", "-q", "--pseudonymise", "--config"])
        .arg(&config)
        .arg("-o")
        .arg(&out)
        .arg(out.join("calls.parquet"))
        .arg(sim.join("clinical.csv"));
    common::run_expect(&mut join, 0);
    (out.join("cohort.parquet"), config)
}

/// The simulated configuration's `[estimate]` options.
fn estimate_options(config: &Path) -> tailor_estimate::Options {
    let text = std::fs::read_to_string(config).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    table["estimate"].clone().try_into().unwrap()
}

/// Rows of the cohort and the peak heap bytes `tailor estimate` allocated
/// on one thread beyond what was allocated before it started.
fn peak_heap(cohort: &Path, options: &tailor_estimate::Options, out: &Path) -> (usize, usize) {
    std::fs::create_dir_all(out).unwrap();
    let (summary, peak) = memory::peak_heap(|| tailor_estimate::run(options, cohort, out));
    (summary.unwrap().rows, peak)
}

#[test]
fn estimate_peak_heap_grows_by_at_most_200_bytes_per_patient() {
    let dir = common::temp_dir();
    let dir = dir.path();
    memory::assert_peak_growth(200, |samples| {
        let (cohort, config) = simulated_cohort(dir, samples);
        let options = estimate_options(&config);
        peak_heap(&cohort, &options, &dir.join(format!("e{samples}")))
    });
}
