//! Strict `tailor.toml` everywhere (issue 10, item 8): a misspelled
//! section or key makes `tailor estimate --config`, `tailor join --config`
//! and `tailor run` exit 2 naming it and the nearest valid name, instead of
//! running another analysis on defaults.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::join::{data, join, write_calls};
use common::{run_expect, stderr, tailor, temp_dir};

/// Runs `tailor estimate --config` with `text` as tailor.toml; asserts
/// exit 2 and no output folder; returns stderr.
fn estimate_with(dir: &Path, text: &str) -> String {
    let config = dir.join("tailor.toml");
    std::fs::write(&config, text).unwrap();
    let output = run_expect(
        tailor(dir)
            .args(["estimate", "--config"])
            .arg(&config)
            .args(["-o", "out", "cohort.parquet"]),
        2,
    );
    assert!(!dir.join("out").exists());
    stderr(&output)
}

#[test]
fn estimate_refuses_a_misspelled_section() {
    let dir = temp_dir();
    let message = estimate_with(dir.path(), "[estimat]\ngrouping = \"carrier\"\n");
    assert!(
        message.contains("unknown section [estimat]; did you mean [estimate]?"),
        "{message}"
    );
}

#[test]
fn estimate_refuses_a_misspelled_key() {
    let dir = temp_dir();
    let message = estimate_with(dir.path(), "[estimate]\nsupression_threshold = 5\n");
    assert!(
        message.contains(
            "unknown key \"supression_threshold\" in [estimate]; did you mean \
             \"suppression_threshold\"?"
        ),
        "{message}"
    );
}

/// Runs `tailor join --config` with `text` as tailor.toml; asserts exit 2
/// and no cohort table; returns stderr.
fn join_with(dir: &Path, text: &str) -> String {
    let config = dir.join("tailor.toml");
    std::fs::write(&config, text).unwrap();
    let calls = write_calls(dir, &|s| s.to_owned(), &[]);
    let output = run_expect(
        &mut join(dir, &config, &calls, &[data("clinical_messy.csv")]),
        2,
    );
    assert!(!dir.join("out/cohort.parquet").exists());
    stderr(&output)
}

#[test]
fn join_refuses_a_misspelled_section() {
    let dir = temp_dir();
    let message = join_with(
        dir.path(),
        "[join]\nsample_id = \"patient\"\ntherapy = \"drug\"\n[joinn]\nna = [\"NA\"]\n",
    );
    assert!(
        message.contains("unknown section [joinn]; did you mean [join]?"),
        "{message}"
    );
}

#[test]
fn join_refuses_a_misspelled_outcome_key() {
    let dir = temp_dir();
    let message = join_with(
        dir.path(),
        "[join]\nsample_id = \"patient\"\ntherapy = \"drug\"\n\
         [[join.outcomes]]\nname = \"mace\"\nkind = \"binary\"\nhigher_is_beter = true\n",
    );
    assert!(
        message.contains(
            "unknown key \"higher_is_beter\" in [join.outcomes]; did you mean \
             \"higher_is_better\"?"
        ),
        "{message}"
    );
}

#[test]
fn run_refuses_a_misspelled_section_before_any_stage() {
    let dir = temp_dir();
    let config = dir.path().join("tailor.toml");
    std::fs::write(
        &config,
        "[run]\ninputs = [\"a.vcf\"]\nclinical = [\"c.csv\"]\noutput = \"out\"\n[injest]\n",
    )
    .unwrap();
    let output = run_expect(tailor(dir.path()).arg("run").arg(&config), 2);
    let message = stderr(&output);
    assert!(
        message.contains("unknown section [injest]; did you mean [ingest]?"),
        "{message}"
    );
    assert!(!dir.path().join("out").exists());
}
