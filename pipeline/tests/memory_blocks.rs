//! Flat memory (issue 10, item 10): genes are read a block of samples at a
//! time and the calls table is written a block of rows at a time. None of
//! that may change an output: a cohort read in many small blocks gives the
//! same genotypes and calls as one read in one block, and `--threads 1` and
//! `--threads 2` give identical bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use arrow_array::ArrayRef;

/// A table's rows as columns, batch by batch (provenance metadata aside).
fn columns(path: &Path) -> Vec<Vec<ArrayRef>> {
    let table = tailor_tables::read_table(path).unwrap();
    table.batches.iter().map(|b| b.columns().to_vec()).collect()
}

/// Simulates `samples` people into `dir/sim`.
fn simulate(dir: &Path, samples: usize) {
    let mut command = common::tailor(dir);
    command.args(["simulate", "-q", "-o", "sim", "--samples"]);
    command.arg(samples.to_string());
    common::run_expect(&mut command, 0);
}

/// Runs `tailor STAGE -o OUT --sex sim/sex.tsv ARGS INPUT`.
fn run(dir: &Path, stage: &str, out: &str, args: &[&str], input: &str) {
    let mut command = common::tailor(dir);
    command
        .args([stage, "-q", "-o", out, "--sex", "sim/sex.tsv"])
        .args(args)
        .arg(input);
    common::run_expect(&mut command, 0);
}

#[test]
fn many_small_blocks_give_the_same_genotypes_and_calls_as_one_block() {
    let dir = common::temp_dir();
    let dir = dir.path();
    simulate(dir, 250);
    let vcf = "sim/cohort.vcf.gz";
    // 1,000 calls a block: RYR1 (313 positions) is read 3 samples at a
    // time, CYP2C19 (35) 28 at a time; 2^40: every gene in one block.
    let small = ["--block-calls", "1000"];
    let whole = ["--block-calls", "1099511627776"];
    run(dir, "call", "small", &small, vcf);
    run(dir, "call", "whole", &whole, vcf);
    run(dir, "call", "default", &[], vcf);
    let calls = columns(&dir.join("whole/calls.parquet"));
    assert_eq!(
        calls.iter().map(|b| b[0].len()).sum::<usize>(),
        250 * 20,
        "a row per sample x gene"
    );
    assert!(calls == columns(&dir.join("small/calls.parquet")));
    assert!(calls == columns(&dir.join("default/calls.parquet")));

    run(dir, "ingest", "small", &small, vcf);
    run(dir, "ingest", "whole", &whole, vcf);
    let genotypes = columns(&dir.join("whole/genotypes.parquet"));
    assert_eq!(
        genotypes.iter().map(|b| b[0].len()).sum::<usize>(),
        250 * 1202,
        "a row per sample x position (1,201 definition positions and 1 extra)"
    );
    assert!(genotypes == columns(&dir.join("small/genotypes.parquet")));
}

#[test]
fn one_and_two_threads_write_identical_bytes_at_every_stage() {
    let dir = common::temp_dir();
    let dir = dir.path();
    simulate(dir, 400);
    let vcf = "sim/cohort.vcf.gz";
    for threads in ["1", "2"] {
        let out = format!("t{threads}");
        let args = ["--threads", threads, "--block-calls", "20000"];
        run(dir, "ingest", &out, &args, vcf);
        run(dir, "call", &format!("{out}/vcf"), &args, vcf);
        let table = format!("{out}/genotypes.parquet");
        run(dir, "call", &format!("{out}/table"), &args[..2], &table);
    }
    for file in ["genotypes.parquet", "vcf/calls.parquet"] {
        let one = std::fs::read(dir.join("t1").join(file)).unwrap();
        let two = std::fs::read(dir.join("t2").join(file)).unwrap();
        assert!(one == two, "{file}: --threads 1 and 2 differ");
    }
    // Called from t1/ and t2/genotypes.parquet: the provenance names
    // different inputs, so only the rows must be identical.
    assert!(
        columns(&dir.join("t1/table/calls.parquet"))
            == columns(&dir.join("t2/table/calls.parquet"))
    );
    // From VCF in memory or from the table read batch by batch: the same.
    assert!(
        columns(&dir.join("t1/vcf/calls.parquet")) == columns(&dir.join("t1/table/calls.parquet"))
    );
}

/// Linear time and flat memory, checked by counting rather than timing:
/// `tailor_ingest::run` reports the records it decoded and the most calls
/// it held before they went to the gene's temporary file. Every record of
/// the simulated cohort (all at definition positions, as `bcftools view`
/// counts them) is decoded exactly once, with blocks of 1,000 calls as with
/// one block; and what is held is the calls of the sites the current record
/// can still change (at most two here: the sites at or under the current
/// record), never a gene's 313 (RYR1): so time grows with records x
/// samples, and memory with two sites' calls per sample.
#[test]
fn each_record_is_decoded_once_and_two_sites_are_held_whatever_the_block() {
    let Some(bcftools) = common::bcftools() else {
        return;
    };
    let dir = common::temp_dir();
    let dir = dir.path();
    let samples = 300;
    simulate(dir, samples);
    let vcf = dir.join("sim/cohort.vcf.gz");
    let definitions = tailor_definitions::Definitions::embedded().unwrap();
    let ingest = |block_calls: usize, out: &str| {
        let options = tailor_ingest::Options {
            block_calls: Some(block_calls),
            ..tailor_ingest::Options::default()
        };
        tailor_ingest::run(
            &options,
            &definitions,
            std::slice::from_ref(&vcf),
            &dir.join(out),
            None,
        )
        .unwrap()
    };
    let small = ingest(1000, "small.parquet");
    let whole = ingest(1 << 40, "whole.parquet");
    let listed = std::process::Command::new(bcftools)
        .args(["view", "-H"])
        .arg(&vcf)
        .output()
        .unwrap();
    assert!(listed.status.success());
    let records = listed.stdout.iter().filter(|&&b| b == b'\n').count();
    assert_eq!(small.records_decoded, records);
    assert_eq!(whole.records_decoded, records);
    assert_eq!(small.peak_calls_held, 2 * samples);
    assert_eq!(whole.peak_calls_held, 2 * samples);
}
