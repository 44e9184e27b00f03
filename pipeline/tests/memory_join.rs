//! Flat memory in join (issue 10): `tailor join` holds the clinical rows
//! column by column (typed vectors, text as dictionary codes, ids in one
//! buffer), resolves patients by binary search over sorted indices instead
//! of per-patient maps, keeps pseudonyms as 32 bytes until it writes them,
//! and builds the cohort table 1,024 rows at a time in row groups of
//! 16,384. A counting allocator measures the peak heap of
//! `tailor_join::run` (in this process, on one thread) on simulated,
//! pseudonymised cohorts of 1,000 and 4,000 people: the peak may grow by at
//! most 1,500 bytes per added cohort row. Measured: 1,149, of which about
//! 800 are the Parquet writer's encoded pages of the row group in progress
//! (every row of these cohorts is in one group; a group holds at most
//! 16,384 rows) and the rest the join's own columns, ids, pseudonyms and
//! the calls index (20 genes x 1 byte a sample; 1,177 with 4 bytes). Before the columnar
//! rows it grew by 3,199 bytes per row (typed rows of `Value`s, hex
//! pseudonym `String`s, per-patient maps and id copies, and the whole
//! cohort built as one Arrow batch). Nothing here is timed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod memory;

use std::path::Path;

use tailor_join::{Inputs, JoinConfig, Options, PseudonymKey};

/// The simulated configuration's `[join]` options, with its key.
fn join_options(sim: &Path) -> Options {
    let text = std::fs::read_to_string(sim.join("tailor.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    let config: JoinConfig = table["join"].clone().try_into().unwrap();
    let mut key = std::fs::read(sim.join("join.key")).unwrap();
    if key.ends_with(b"\n") {
        key.pop();
    }
    Options::new(config).pseudonymise(PseudonymKey::new(key).unwrap())
}

#[test]
fn join_peak_heap_grows_by_at_most_1500_bytes_per_row() {
    let dir = common::temp_dir();
    let dir = dir.path();
    memory::assert_peak_growth(1_500, |samples| {
        let sim = memory::simulated_calls(dir, samples);
        let options = join_options(&sim);
        let inputs = Inputs {
            calls: sim.join("out/calls.parquet"),
            clinical: vec![sim.join("clinical.csv")],
        };
        let out = dir.join(format!("j{samples}"));
        let (summary, peak) = memory::peak_heap(|| tailor_join::run(&options, &inputs, &out));
        (summary.unwrap().report.cohort.rows as usize, peak)
    });
}
