//! `tailor run` on aligned reads (issue 11): with `[run] samplesheet` (or
//! `bam`), the call stage calls as `tailor call --bam` does, so CYP2D6 gets
//! its copy number and structure, and copy_number.parquet is written beside
//! calls.parquet in the identified folder and recorded in its manifest.
//! Each file is read once: the call stage takes what ingest genotyped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{run_expect, tailor, temp_dir};

/// Simulates 24 people with reads (deletions, duplications and hybrids
/// frequent) into `dir/cohort`, and points its tailor.toml at the reads.
fn simulate_reads(dir: &Path) {
    run_expect(
        tailor(dir).args([
            "simulate",
            "-q",
            "-o",
            "cohort",
            "--samples",
            "24",
            "--seed",
            "21",
            "--bam",
            "cohort/reads",
            "--cyp2d6-structures",
            "deletion=0.2,duplication=0.2,star36_star10=0.1,star68_star4=0.1",
        ]),
        0,
    );
    let config = dir.join("cohort/tailor.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let from = "inputs = [\"cohort.vcf.gz\"]";
    assert!(text.contains(from), "{text}");
    let text = text.replacen(from, "samplesheet = \"reads/samplesheet.tsv\"", 1);
    std::fs::write(&config, text).unwrap();
}

/// The CYP2D6 copy numbers of a copy_number.parquet, in row order.
fn copy_numbers(path: &Path) -> Vec<Option<u8>> {
    let table = tailor_tables::read_table(path).unwrap();
    table
        .expect_table(path, tailor_schemas::copy_number::TABLE)
        .unwrap();
    let mut numbers = Vec::new();
    for batch in &table.batches {
        let column = common::column::<arrow_array::UInt8Array>(
            batch,
            tailor_schemas::copy_number::COPY_NUMBER,
        );
        numbers.extend(column.iter());
    }
    numbers
}

/// (gene, source) of every row of a calls table.
fn sources(path: &Path) -> Vec<(String, String)> {
    use arrow_array::StringArray;
    use tailor_schemas::calls;
    let table = tailor_tables::read_table(path).unwrap();
    table.expect_table(path, calls::TABLE).unwrap();
    let mut rows = Vec::new();
    for batch in &table.batches {
        let gene = common::column::<StringArray>(batch, calls::GENE);
        let source = common::column::<StringArray>(batch, calls::SOURCE);
        for i in 0..batch.num_rows() {
            rows.push((gene.value(i).to_owned(), source.value(i).to_owned()));
        }
    }
    rows
}

#[test]
fn run_on_reads_calls_cyp2d6_as_call_bam_does() {
    let dir = temp_dir();
    let dir = dir.path();
    simulate_reads(dir);
    let run = run_expect(tailor(dir).args(["run", "cohort/tailor.toml"]), 0);
    // Each of the 24 files opened once, by ingest; call takes its genotypes
    // and copy numbers in memory (it opened them all again before).
    assert!(
        common::stderr(&run).contains("(24 alignment file opens)"),
        "{}",
        common::stderr(&run)
    );
    run_expect(
        tailor(dir).args([
            "call",
            "-q",
            "-o",
            "direct",
            "--samplesheet",
            "cohort/reads/samplesheet.tsv",
            "--sex",
            "cohort/sex.tsv",
        ]),
        0,
    );
    let identified = dir.join("cohort/out.identified");
    // The same code on the same files: the same bytes, metadata included
    // (the samplesheet resolves to the same relative paths both ways).
    for table in ["calls.parquet", "copy_number.parquet"] {
        let run = std::fs::read(identified.join(table)).unwrap();
        let direct = std::fs::read(dir.join("direct").join(table)).unwrap();
        assert!(
            run == direct,
            "{table} of tailor run differs from tailor call --bam"
        );
    }
    // Copy numbers other than 2 were called, so CYP2D6 was structured.
    let numbers = copy_numbers(&identified.join("copy_number.parquet"));
    assert_eq!(numbers.len(), 24);
    assert!(numbers.iter().any(|n| *n != Some(2)), "{numbers:?}");
    // Every gene's calls rest on the reads, not only CYP2D6's structure.
    let rows = sources(&identified.join("calls.parquet"));
    let cyp2d6 = rows.iter().filter(|(gene, _)| gene == "CYP2D6").count();
    assert_eq!(cyp2d6, 24);
    let genes: std::collections::BTreeSet<&str> = rows.iter().map(|(g, _)| g.as_str()).collect();
    assert!(genes.len() > 10, "{genes:?}");
    let not_bam: Vec<&(String, String)> = rows.iter().filter(|(_, s)| s != "bam").collect();
    assert!(not_bam.is_empty(), "{not_bam:?}");
    // Recorded in the manifest of the identified folder, sealed like the calls.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(identified.join("manifest.json")).unwrap()).unwrap();
    let outputs = &manifest["stages"]["call"]["outputs"];
    assert!(outputs["copy_number.parquet"].is_string(), "{manifest:#}");
    assert!(outputs["calls.parquet"].is_string(), "{manifest:#}");
    let inputs = manifest["stages"]["call"]["inputs"].as_object().unwrap();
    assert!(
        inputs.keys().any(|k| k.starts_with("samplesheet: ")),
        "{inputs:?}"
    );
    assert!(!inputs.contains_key("genotypes.parquet"), "{inputs:?}");
    assert_eq!(
        common::join::mode(&identified.join("copy_number.parquet")),
        0o600
    );
    // A rerun finds everything up to date.
    let rerun = run_expect(tailor(dir).args(["run", "cohort/tailor.toml"]), 0);
    assert!(
        common::stderr(&rerun).contains("skipped call: up to date"),
        "{}",
        common::stderr(&rerun)
    );
    // With ingest up to date and call stale, call reads the files itself:
    // once each, still.
    let config = dir.join("cohort/tailor.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let from = "combinations = false";
    assert!(text.contains(from), "{text}");
    std::fs::write(&config, text.replacen(from, "combinations = true", 1)).unwrap();
    let rerun = run_expect(tailor(dir).args(["run", "cohort/tailor.toml"]), 0);
    let log = common::stderr(&rerun);
    assert!(log.contains("skipped ingest: up to date"), "{log}");
    assert!(log.contains("running call: "), "{log}");
    assert!(log.contains("(24 alignment file opens)"), "{log}");
}
