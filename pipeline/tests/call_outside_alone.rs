//! Calls without genotypes (issue 13, item 1): `tailor call
//! --outside-calls FILE` with no VCF builds the calls table from the
//! file's diplotypes alone, and `tailor run` does so from `[call]
//! outside_calls` without `[run]` inputs (no ingest).
//!
//! The same diplotypes routed through a VCF and given as outside calls
//! give equal tables in every column but those that say how a call was
//! made: `candidates` (the matcher's every best-scoring diplotype; an
//! outside call has its diplotype only), `haplotype_matches` (the
//! matcher's DPYD/RYR1 list: empty), `match_score` (null: nothing was
//! matched), `phased` (false: no genotypes), `missing_positions` (empty),
//! `flags` (`outside_call` in place of the matcher's flags) and `source`
//! (`outside`, not `vcf`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use arrow_array::{Array, BooleanArray, Int32Array, ListArray, RecordBatch, StringArray};
use common::{column, run_expect, stderr, tailor, temp_dir};
use tailor_schemas::calls as col;
use tailor_tables::read_table;

/// The genes of the acceptance test (issue 13: "a 10,000-patient, 3-gene
/// file").
const GENES: &str = "CYP2C19,CYP2C9,SLCO1B1";

/// Columns equal by definition between a VCF call and the same diplotype
/// given as an outside call.
const SAME: [&str; 11] = [
    col::SAMPLE_ID,
    col::GENE,
    col::DIPLOTYPE,
    col::HAPLOTYPE_1,
    col::HAPLOTYPE_2,
    col::FUNCTION_1,
    col::FUNCTION_2,
    col::ACTIVITY_SCORE,
    col::PHENOTYPE,
    col::COPY_NUMBER,
    col::DEFINITIONS_VERSION,
];

/// The calls table at `path`: one batch (65,536 rows a batch).
fn calls_table(path: &Path) -> RecordBatch {
    let table = read_table(path).unwrap();
    table.expect_table(path, col::TABLE).unwrap();
    assert_eq!(table.batches.len(), 1, "{}", path.display());
    table.batches[0].clone()
}

/// Simulates `samples` people into `dir/sim`, calls the 3 genes from its
/// VCF into `dir/vcf`, and writes every called diplotype as an outside
/// call (`dir/outside.tsv`); returns the file's text and its data lines.
fn vcf_calls_as_outside_file(dir: &Path, samples: usize) -> (String, usize) {
    run_expect(
        tailor(dir).args([
            "simulate",
            "-q",
            "-o",
            "sim",
            "--samples",
            &samples.to_string(),
            "--seed",
            "13",
        ]),
        0,
    );
    run_expect(
        tailor(dir).args([
            "call",
            "-q",
            "-o",
            "vcf",
            "--genes",
            GENES,
            "sim/cohort.vcf.gz",
        ]),
        0,
    );
    let vcf = calls_table(&dir.join("vcf/calls.parquet"));
    let sample = column::<StringArray>(&vcf, col::SAMPLE_ID);
    let gene = column::<StringArray>(&vcf, col::GENE);
    let diplotype = column::<StringArray>(&vcf, col::DIPLOTYPE);
    // Every simulated person is called at every gene: each row has a
    // diplotype to give as an outside call.
    assert_eq!(diplotype.null_count(), 0);
    let mut text = String::from("sample_id\tgene\tdiplotype\n");
    for i in 0..vcf.num_rows() {
        text.push_str(&format!(
            "{}\t{}\t{}\n",
            sample.value(i),
            gene.value(i),
            diplotype.value(i)
        ));
    }
    (text, vcf.num_rows())
}

/// Asserts the outside-only table `outside` equals `vcf` in every column
/// of [`SAME`] and differs only as an outside call does in the others.
fn assert_same_calls(vcf: &RecordBatch, outside: &RecordBatch) {
    assert_eq!(vcf.num_rows(), outside.num_rows());
    assert_eq!(vcf.schema(), outside.schema());
    for name in SAME {
        let a = vcf.column_by_name(name).unwrap();
        let b = outside.column_by_name(name).unwrap();
        assert!(a.as_ref() == b.as_ref(), "column {name} differs");
    }
    let diplotype = column::<StringArray>(outside, col::DIPLOTYPE);
    let candidates = column::<ListArray>(outside, col::CANDIDATES);
    let flags = column::<ListArray>(outside, col::FLAGS);
    let source = column::<StringArray>(outside, col::SOURCE);
    let strings = |list: &ListArray, i: usize| -> Vec<String> {
        let values = list.value(i);
        let values = values.as_any().downcast_ref::<StringArray>().unwrap();
        values.iter().map(|v| v.unwrap().to_owned()).collect()
    };
    let phenotype = column::<StringArray>(outside, col::PHENOTYPE);
    for i in 0..outside.num_rows() {
        assert_eq!(strings(candidates, i), [diplotype.value(i)]);
        let expected: &[&str] = if phenotype.is_null(i) {
            &["outside_call", "no_phenotype"]
        } else {
            &["outside_call"]
        };
        assert_eq!(strings(flags, i), expected);
        assert_eq!(source.value(i), "outside");
    }
    assert_eq!(
        column::<Int32Array>(outside, col::MATCH_SCORE).null_count(),
        outside.num_rows()
    );
    assert_eq!(column::<BooleanArray>(outside, col::PHASED).true_count(), 0);
    for name in [col::HAPLOTYPE_MATCHES, col::MISSING_POSITIONS] {
        let list = column::<ListArray>(outside, name);
        assert!((0..list.len()).all(|i| list.value(i).is_empty()), "{name}");
    }
    // The VCF calls differ there: they were matched.
    assert_eq!(column::<Int32Array>(vcf, col::MATCH_SCORE).null_count(), 0);
    assert!(column::<StringArray>(vcf, col::SOURCE)
        .iter()
        .all(|s| s == Some("vcf")));
}

#[test]
fn outside_calls_alone_equal_the_same_diplotypes_through_a_vcf() {
    let dir = temp_dir();
    let (mut text, rows) = vcf_calls_as_outside_file(dir.path(), 10_000);
    assert_eq!(rows, 30_000);
    // Two bad lines for a sample no other line names: a malformed
    // diplotype and a missing one. Flagged rows, warnings, not the end.
    text.push_str("ZZ_EXTRA\tCYP2C19\t*2//*3\nZZ_EXTRA\tCYP2C9\n");
    std::fs::write(dir.path().join("outside.tsv"), text).unwrap();
    let output = run_expect(
        tailor(dir.path()).args(["call", "-o", "alone", "--outside-calls", "outside.tsv"]),
        0,
    );
    let log = stderr(&output);
    assert!(
        log.contains(
            "outside.tsv:30002: gene CYP2C19: malformed diplotype \"*2//*3\"; write two \
             haplotypes as *1/*2 (one when haploid); its row is flagged outside_call_invalid"
        ),
        "{log}"
    );
    assert!(
        log.contains("outside.tsv:30003: expected gene and diplotype"),
        "{log}"
    );
    assert!(
        !log.contains("ZZ_EXTRA"),
        "a raw sample id in the log: {log}"
    );
    assert!(
        log.contains(
            "call: 10001 samples x 3 genes -> 30002 rows (30000 called, 0 ambiguous, \
             30002 outside, 2 outside invalid)"
        ),
        "{log}"
    );

    let vcf = calls_table(&dir.path().join("vcf/calls.parquet"));
    let alone = calls_table(&dir.path().join("alone/calls.parquet"));
    assert_eq!(alone.num_rows(), 30_002);
    // The extra sample sorts last.
    assert_same_calls(&vcf, &alone.slice(0, 30_000));
    let bad = alone.slice(30_000, 2);
    assert_eq!(column::<StringArray>(&bad, col::DIPLOTYPE).null_count(), 2);
    assert_eq!(column::<StringArray>(&bad, col::PHENOTYPE).null_count(), 2);
    let flags = column::<ListArray>(&bad, col::FLAGS);
    for i in 0..2 {
        let values = flags.value(i);
        let values = values.as_any().downcast_ref::<StringArray>().unwrap();
        let values: Vec<&str> = values.iter().map(Option::unwrap).collect();
        assert_eq!(values, ["outside_call", "no_call", "outside_call_invalid"]);
    }
}

#[test]
fn tailor_run_calls_from_outside_calls_alone() {
    let dir = temp_dir();
    let (text, _) = vcf_calls_as_outside_file(dir.path(), 300);
    let sim = dir.path().join("sim");
    std::fs::write(sim.join("outside.tsv"), text).unwrap();
    let config = std::fs::read_to_string(sim.join("tailor.toml")).unwrap();
    let config = config
        .replace("inputs = [\"cohort.vcf.gz\"]\n", "")
        .replace(
            "[call]\ncombinations = false",
            "[call]\noutside_calls = \"outside.tsv\"",
        );
    assert!(!config.contains("inputs"));
    std::fs::write(sim.join("tailor.toml"), config).unwrap();

    let output = run_expect(tailor(dir.path()).args(["run", "sim/tailor.toml"]), 0);
    let log = stderr(&output);
    assert!(
        log.contains("run: call, join, estimate, report -> "),
        "{log}"
    );
    assert!(!log.contains("ingest"), "{log}");
    let identified = sim.join("out.identified");
    assert!(!identified.join("genotypes.parquet").exists());
    let vcf = calls_table(&dir.path().join("vcf/calls.parquet"));
    let alone = calls_table(&identified.join("calls.parquet"));
    assert_same_calls(&vcf, &alone);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sim.join("out/join_report.json")).unwrap())
            .unwrap();
    assert_eq!(report["calls"]["samples"], 300);
    assert_eq!(report["calls"]["rows"], 900);
    assert_eq!(report["cohort"]["patients"], 300);

    // A rerun finds every stage up to date, from the outside calls'
    // hash alone.
    let output = run_expect(tailor(dir.path()).args(["run", "sim/tailor.toml"]), 0);
    let log = stderr(&output);
    assert!(log.contains("skipped call: up to date"), "{log}");
    assert!(log.contains("nothing to run"), "{log}");
}

#[test]
fn outside_calls_alone_without_a_sample_column_or_unreadable_exit_3() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("single.tsv"), "CYP2C19\t*1/*2\n").unwrap();
    let output = run_expect(
        tailor(dir.path()).args(["call", "-o", "out", "--outside-calls", "single.tsv"]),
        3,
    );
    let log = stderr(&output);
    assert!(
        log.contains(
            "single.tsv:1: no sample_id column, but no genotype input names the samples; \
             add a header line sample_id<TAB>gene<TAB>diplotype"
        ),
        "{log}"
    );
    assert!(!dir.path().join("out/calls.parquet").exists());
    let output = run_expect(
        tailor(dir.path()).args(["call", "-o", "out", "--outside-calls", "absent.tsv"]),
        3,
    );
    let log = stderr(&output);
    assert!(
        log.contains("absent.tsv: cannot read the outside-call file"),
        "{log}"
    );
}
