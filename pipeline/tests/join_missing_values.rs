//! Missing values said out loud (issue 13, item 3): only unambiguous NA
//! tokens by default, so `Unknown` stays a category; the join report counts,
//! per column, the cells that became missing and the token that made them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::join::{join, read_cohort, report, write_calls};
use common::{run_expect, stderr, temp_dir};

/// 84 ungenotyped rows (12 of each pattern, so that every count is above
/// the small-cell limit and shown) and three genotyped patients.
fn clinical() -> String {
    let mut text = String::from("patient_id,drug,bleeding,race,weight_kg\n");
    let races = ["Unknown", "White", "unknown", "Asian", "", "NA", "N/A"];
    let weights = ["81.5", "NaN", ".", "null", "70", "NA", "66"];
    for i in 0..84 {
        text.push_str(&format!(
            "PX-{i:03},clopidogrel,{},{},{}\n",
            i % 2,
            races[i % races.len()],
            weights[i % weights.len()]
        ));
    }
    for (id, race) in [("PT-001", "Unknown"), ("PT-002", "White"), ("PT-003", "")] {
        text.push_str(&format!("{id},clopidogrel,0,{race},75\n"));
    }
    text
}

const CONFIG: &str = "[join]\nsample_id = \"patient_id\"\ntherapy = \"drug\"\n\
    [[join.outcomes]]\nname = \"bleeding\"\nkind = \"binary\"\n\
    [[join.covariates]]\nname = \"race\"\nkind = \"categorical\"\n\
    [[join.covariates]]\nname = \"weight\"\ncolumn = \"weight_kg\"\nkind = \"numeric\"\n";

#[test]
fn unknown_is_a_category_and_each_columns_na_tokens_are_counted() {
    let dir = temp_dir();
    let config = dir.path().join("tailor.toml");
    std::fs::write(&config, CONFIG).unwrap();
    let table = dir.path().join("clinical.csv");
    std::fs::write(&table, clinical()).unwrap();
    let calls = write_calls(dir.path(), &|s| s.to_owned(), &[]);
    run_expect(&mut join(dir.path(), &config, &calls, &[table]), 0);

    let (rows, _) = read_cohort(&dir.path().join("out/cohort.parquet"));
    let race: Vec<&str> = rows.iter().map(|r| r["race"].as_str()).collect();
    assert_eq!(race, ["Unknown", "White", "null"]);

    let report = report(dir.path());
    let column = |name: &str| {
        report["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["missing_by_token"]
            .clone()
    };
    // 87 rows read: race "" 12 + PT-003, NA 12, N/A 12; "Unknown" and
    // "unknown" are values.
    assert_eq!(
        column("race"),
        serde_json::json!({ "(empty)": 13, "n/a": 12, "na": 12 })
    );
    assert_eq!(
        column("weight"),
        serde_json::json!({ ".": 12, "na": 12, "nan": 12, "null": 12 })
    );
    assert_eq!(column("bleeding"), serde_json::json!({}));
}

#[test]
fn a_rejected_value_gives_its_reason_once() {
    let dir = temp_dir();
    let config = dir.path().join("tailor.toml");
    std::fs::write(&config, CONFIG).unwrap();
    let table = dir.path().join("clinical.csv");
    std::fs::write(
        &table,
        "patient_id,drug,bleeding,race,weight_kg\nPT-001,clopidogrel,unknown,White,70\n",
    )
    .unwrap();
    let calls = write_calls(dir.path(), &|s| s.to_owned(), &[]);
    let output = run_expect(&mut join(dir.path(), &config, &calls, &[table]), 3);
    let message = stderr(&output);
    let reason = "not a yes/no value";
    assert_eq!(message.matches(reason).count(), 1, "{message}");
    assert!(
        message
            .contains("clinical.csv:2: column \"bleeding\": value \"unknown\": not a yes/no value"),
        "{message}"
    );
}
