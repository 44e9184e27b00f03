//! `tailor call` on VCFs hands genotypes from ingest to the matcher in
//! memory: its calls table must equal `tailor ingest` then `tailor call` on
//! the genotypes.parquet, it leaves no genotypes table behind, and bad input
//! fails as `tailor ingest` does, leaving nothing in the output directory.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use arrow_array::ArrayRef;

/// A table's columns, batch by batch (provenance metadata aside).
fn columns(path: &Path) -> Vec<Vec<ArrayRef>> {
    let table = tailor_tables::read_table(path).unwrap();
    table.batches.iter().map(|b| b.columns().to_vec()).collect()
}

/// Runs `call` on `inputs` straight and through `ingest`, with `args` for
/// both, and checks the two calls tables are the same.
fn same_calls_both_ways(dir: &Path, inputs: &[PathBuf], args: &[&str]) {
    let mut command = common::tailor(dir);
    command
        .args(["call", "-q", "-o", "direct"])
        .args(args)
        .args(inputs);
    common::run_expect(&mut command, 0);
    let names: Vec<_> = std::fs::read_dir(dir.join("direct"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["calls.parquet"], "call on VCFs writes only calls");

    let mut command = common::tailor(dir);
    command.args(["ingest", "-q", "-o", "table"]);
    for arg in args {
        if ["--combinations", "--all-matches"].contains(arg) {
            continue;
        }
        command.arg(arg);
    }
    command.args(inputs);
    common::run_expect(&mut command, 0);
    let mut command = common::tailor(dir);
    command
        .args(["call", "-q", "-o", "table"])
        .args(args.iter().filter(|a| **a != "--absent-as-reference"))
        .arg("table/genotypes.parquet");
    common::run_expect(&mut command, 0);

    let direct = columns(&dir.join("direct/calls.parquet"));
    let table = columns(&dir.join("table/calls.parquet"));
    assert!(!direct.is_empty());
    assert!(direct == table, "calls from VCFs and from the table differ");
}

#[test]
fn vcf_and_table_give_the_same_calls_on_1000_genomes() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let dir = common::temp_dir();
    let files = common::panel_files(&shared);
    same_calls_both_ways(
        dir.path(),
        &files,
        &["--absent-as-reference", "--combinations"],
    );
}

#[test]
fn vcf_and_table_give_the_same_calls_on_a_simulated_cohort() {
    let dir = common::temp_dir();
    let mut command = common::tailor(dir.path());
    command.args(["simulate", "-q", "-o", "sim", "--samples", "300"]);
    common::run_expect(&mut command, 0);
    let vcf = dir.path().join("sim/cohort.vcf.gz");
    let sex = dir.path().join("sim/sex.tsv");
    let sex = sex.to_str().unwrap();
    same_calls_both_ways(dir.path(), &[vcf], &["--sex", sex, "--all-matches"]);
}

#[test]
fn bad_vcf_fails_like_ingest_and_leaves_nothing() {
    let dir = common::temp_dir();
    // The same sample at the same position in two files: found while a
    // gene's rows are being handed over.
    let a = dir.path().join("no_chr_prefix.vcf");
    std::fs::copy(common::test_data("ingest/no_chr_prefix.vcf"), &a).unwrap();
    let b = dir.path().join("b.vcf");
    let text = std::fs::read_to_string(common::test_data("ingest/missing.vcf")).unwrap();
    std::fs::write(&b, text.replace("\tS1\tS2", "\tS1\tS2x")).unwrap();
    let mut command = common::tailor(dir.path());
    command
        .args(["call", "-o", "out", "--genes", "CYP2C19"])
        .arg(&a)
        .arg(&b);
    let output = common::run_expect(&mut command, 3);
    let stderr = common::stderr(&output);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("no_chr_prefix.vcf")
            && stderr.contains("b.vcf")
            && stderr.contains("\"S1\""),
        "{stderr}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}
