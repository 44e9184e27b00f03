//! A single-drug cohort (issue 13, item 2): `therapy = { value = "..." }`
//! gives every patient the same therapy without a made-up table, runs end
//! to end, and the join report accounts for every clinical row once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use arrow_array::StringArray;
use common::{column, run_expect, tailor, temp_dir};
use tailor_schemas::{cohort, subgroup_effects};
use tailor_tables::read_table;

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
    let config = std::fs::read_to_string(sim.join("tailor.toml")).unwrap();
    let config = config
        .replace(
            "therapy = \"therapy\"",
            "therapy = { value = \"clopidogrel\" }",
        )
        .replace("comparator = \"ticagrelor\"\n", "");
    std::fs::write(sim.join("tailor.toml"), config).unwrap();

    run_expect(tailor(dir.path()).args(["run", "-q", "sim/tailor.toml"]), 0);

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
