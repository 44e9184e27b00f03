//! A single-drug cohort (issue 13, item 2): `therapy = { value = "..." }`
//! gives every patient the same therapy without a made-up table, runs end
//! to end, and the join report accounts for every clinical row once,
//! split by the clinical table it was read from.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use arrow_array::{Int64Array, StringArray};
use common::{column, run_expect, tailor, temp_dir};
use tailor_schemas::{cohort, join_report, subgroup_effects};
use tailor_tables::read_table;

/// Rewrites `dir/sim/tailor.toml` for a single-drug cohort (therapy the
/// constant clopidogrel, no comparator) read from the clinical tables
/// `clinical` (a TOML list's items) and runs it.
fn run_single_drug(dir: &std::path::Path, clinical: &str) {
    let path = dir.join("sim/tailor.toml");
    let config = std::fs::read_to_string(&path).unwrap();
    let config = config
        .replace(
            "clinical = [\"clinical.csv\"]",
            &format!("clinical = [{clinical}]"),
        )
        .replace(
            "therapy = \"therapy\"",
            "therapy = { value = \"clopidogrel\" }",
        )
        .replace("comparator = \"ticagrelor\"\n", "");
    std::fs::write(&path, config).unwrap();
    run_expect(tailor(dir).args(["run", "-q", "sim/tailor.toml"]), 0);
}

#[test]
fn constant_therapy_runs_end_to_end_and_counts_rows_once() {
    let dir = temp_dir();
    run_expect(
        tailor(dir.path()).args(["simulate", "-q", "-o", "sim", "--samples", "300"]),
        0,
    );
    let sim = dir.path().join("sim");
    // The study's table has no therapy column (everyone is on clopidogrel)
    // and 15 patients without genotypes.
    let clinical = std::fs::read_to_string(sim.join("clinical.csv")).unwrap();
    let mut single = String::new();
    for line in clinical.lines() {
        let mut fields: Vec<&str> = line.split(',').collect();
        fields.remove(1);
        single.push_str(&fields.join(","));
        single.push('\n');
    }
    for i in 0..15 {
        single.push_str(&format!("EXTRA{i:03},61,female,0,200.0,365,0\n"));
    }
    std::fs::write(sim.join("clinical.csv"), single).unwrap();
    run_single_drug(dir.path(), "\"clinical.csv\"");

    let out = sim.join("out");
    let table = read_table(&out.join("cohort.parquet")).unwrap();
    let mut rows = 0;
    for batch in &table.batches {
        let therapy = column::<StringArray>(batch, cohort::THERAPY);
        assert!(therapy.iter().all(|t| t == Some("clopidogrel")));
        rows += batch.num_rows();
    }
    assert_eq!(rows, 300);

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("join_report.json")).unwrap())
            .unwrap();
    assert_eq!(report["clinical"][0]["rows"], 315);
    assert_eq!(report["cohort"]["rows"], 300);
    for exclusion in report["excluded"].as_array().unwrap() {
        let expected = match exclusion["reason"].as_str().unwrap() {
            "clinical_without_genotypes" => 15,
            _ => 0,
        };
        assert_eq!(exclusion["rows"], expected, "{exclusion}");
    }
    let therapy = report["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "therapy")
        .unwrap();
    assert_eq!(therapy["input"], "= \"clopidogrel\"");
    assert_eq!(therapy["missing"], 0);

    // Only genotype contrasts within the one therapy can be estimated.
    let effects = read_table(&out.join("subgroup_effects.parquet")).unwrap();
    let mut within = 0;
    for batch in &effects.batches {
        let kind = column::<StringArray>(batch, subgroup_effects::CONTRAST_KIND);
        let therapy = column::<StringArray>(batch, subgroup_effects::THERAPY);
        for i in 0..batch.num_rows() {
            assert_ne!(kind.value(i), "therapy_vs_comparator");
            assert_eq!(therapy.value(i), "clopidogrel");
            within += 1;
        }
    }
    assert!(within > 0);
}

/// Splits `sim/clinical.csv` into an outcomes table and a covariates table
/// (therapy dropped: constant in the config), with patients the calls do
/// not have: 15 in the outcomes only, 20 in the covariates only, 12 in
/// both, and 11 exact duplicate rows in the covariates.
fn split_clinical(sim: &std::path::Path) {
    let clinical = std::fs::read_to_string(sim.join("clinical.csv")).unwrap();
    let mut outcomes = String::new();
    let mut covariates = String::new();
    let mut duplicated = 0;
    for line in clinical.lines() {
        // patient_id,therapy,age,sex,mace,platelet_reactivity,bleeding_days,bleeding_event
        let f: Vec<&str> = line.split(',').collect();
        outcomes.push_str(&format!("{},{}\n", f[0], f[4..].join(",")));
        let row = format!("{},{},{}\n", f[0], f[2], f[3]);
        covariates.push_str(&row);
        if duplicated < 11 && f[0] != "patient_id" {
            covariates.push_str(&row);
            duplicated += 1;
        }
    }
    for i in 0..15 {
        outcomes.push_str(&format!("ONLY_A{i:03},0,200.0,365,0\n"));
    }
    for i in 0..20 {
        covariates.push_str(&format!("ONLY_B{i:03},61,female\n"));
    }
    for i in 0..12 {
        outcomes.push_str(&format!("BOTH{i:03},1,210.0,300,1\n"));
        covariates.push_str(&format!("BOTH{i:03},70,male\n"));
    }
    std::fs::write(sim.join("outcomes.csv"), outcomes).unwrap();
    std::fs::write(sim.join("covariates.csv"), covariates).unwrap();
}

#[test]
fn exclusions_are_split_by_clinical_table_each_row_once() {
    let dir = temp_dir();
    run_expect(
        tailor(dir.path()).args(["simulate", "-q", "-o", "sim", "--samples", "300"]),
        0,
    );
    let sim = dir.path().join("sim");
    split_clinical(&sim);
    run_single_drug(dir.path(), "\"outcomes.csv\", \"covariates.csv\"");

    let out = sim.join("out");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("join_report.json")).unwrap())
            .unwrap();
    let read: Vec<u64> = report["clinical"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rows"].as_u64().unwrap())
        .collect();
    assert_eq!(read, [300 + 15 + 12, 300 + 11 + 20 + 12]);
    assert_eq!(report["cohort"]["rows"], 300);
    assert_eq!(report["cohort"]["merged_rows"], 300);
    // Per reason, the rows of each table, in input order.
    let mut excluded_by_file = [0_u64; 2];
    for exclusion in report["excluded"].as_array().unwrap() {
        let reason = exclusion["reason"].as_str().unwrap();
        let (total, per_file) = match reason {
            "clinical_without_genotypes" => (59, [15 + 12, 20 + 12]),
            "duplicate_rows" => (11, [0, 11]),
            _ => (0, [0, 0]),
        };
        assert_eq!(exclusion["rows"], total, "{exclusion}");
        let by_file = exclusion["by_file"].as_array().unwrap();
        let files: Vec<&str> = by_file
            .iter()
            .map(|f| f["file"].as_str().unwrap())
            .collect();
        assert_eq!(files.len(), 2);
        assert!(files[0].ends_with("outcomes.csv") && files[1].ends_with("covariates.csv"));
        for (k, f) in by_file.iter().enumerate() {
            assert_eq!(f["rows"], per_file[k], "{reason}: {f}");
            excluded_by_file[k] += f["rows"].as_u64().unwrap();
        }
    }
    // Every raw row once: joined (one per table for each cohort patient)
    // or excluded in the table it was read from.
    for k in 0..2 {
        assert_eq!(read[k], 300 + excluded_by_file[k], "table {k}");
    }

    // join_report.parquet holds the same split.
    let table = read_table(&out.join("join_report.parquet")).unwrap();
    let mut split = Vec::new();
    for batch in &table.batches {
        let section = column::<StringArray>(batch, join_report::SECTION);
        let item = column::<StringArray>(batch, join_report::ITEM);
        let field = column::<StringArray>(batch, join_report::FIELD);
        let count = column::<Int64Array>(batch, join_report::COUNT);
        for i in 0..batch.num_rows() {
            if section.value(i) == "excluded"
                && item.value(i) == "clinical_without_genotypes"
                && field.value(i).ends_with(".rows")
            {
                split.push((field.value(i).to_owned(), count.value(i)));
            }
        }
    }
    assert_eq!(
        split,
        [
            ("by_file.0.rows".to_owned(), 27),
            ("by_file.1.rows".to_owned(), 32)
        ]
    );
}
