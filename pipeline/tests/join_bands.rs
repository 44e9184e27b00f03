//! Ordinal and binned values (issue 13, item 4): a covariate given as bands
//! (`50 - 59`, `90+`) reads as numbers by the rule the configuration names
//! (lower bound, midpoint) or by an explicit table (`"50 - 59" = 5`, age in
//! decades); an open band the rule cannot place is an error naming the fix.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::join::{join, read_cohort, write_calls};
use common::{run_expect, stderr, temp_dir};

const HEADER: &str = "[join]\nsample_id = \"patient_id\"\ntherapy = \"drug\"\n\
    [[join.outcomes]]\nname = \"bleeding\"\nkind = \"binary\"\n";

/// Joins a table of three genotyped patients with ages `ages` under the
/// covariate section `covariate`; returns the exit code's output and the
/// cohort's ages (in patient order) when it succeeded.
fn joined(ages: [&str; 3], covariate: &str, code: i32) -> (String, Vec<String>) {
    let dir = temp_dir();
    let config = dir.path().join("tailor.toml");
    std::fs::write(&config, format!("{HEADER}{covariate}")).unwrap();
    let table = dir.path().join("clinical.csv");
    let mut text = String::from("patient_id,drug,bleeding,age_band\n");
    for (i, age) in ages.iter().enumerate() {
        text.push_str(&format!("PT-00{},clopidogrel,0,{age}\n", i + 1));
    }
    std::fs::write(&table, text).unwrap();
    let calls = write_calls(dir.path(), &|s| s.to_owned(), &[]);
    let output = run_expect(&mut join(dir.path(), &config, &calls, &[table]), code);
    if code != 0 {
        return (stderr(&output), Vec::new());
    }
    let (rows, _) = read_cohort(&dir.path().join("out/cohort.parquet"));
    let ages = rows.iter().map(|r| r["age"].clone()).collect();
    (stderr(&output), ages)
}

#[test]
fn bands_read_as_midpoints_lower_bounds_or_listed_values() {
    let bands = ["50 - 59", "90+", "61"];
    let section = |rule: &str| {
        format!("[[join.covariates]]\nname = \"age\"\ncolumn = \"age_band\"\n{rule}\n")
    };
    let (_, lower) = joined(bands, &section("bands = \"lower\""), 0);
    assert_eq!(lower, ["50", "90", "61"]);
    let (_, decades) = joined(
        bands,
        &section("band_values = { \"50 - 59\" = 5, \"90+\" = 9, \"61\" = 6 }"),
        0,
    );
    assert_eq!(decades, ["5", "9", "6"]);
    let (_, mixed) = joined(
        bands,
        &section("bands = \"midpoint\"\nband_values = { \"90+\" = 92 }"),
        0,
    );
    assert_eq!(mixed, ["54.5", "92", "61"]);
}

#[test]
fn a_band_the_rule_cannot_place_names_the_fix() {
    let section =
        "[[join.covariates]]\nname = \"age\"\ncolumn = \"age_band\"\nbands = \"midpoint\"\n";
    let (message, _) = joined(["50 - 59", "90+", "61"], section, 3);
    assert!(
        message.contains("clinical.csv:3: column \"age_band\": value \"90+\": an open band"),
        "{message}"
    );
    assert!(message.contains("band_values"), "{message}");
    // Without any rule, a numeric column of bands says how to read them.
    let plain = "[[join.covariates]]\nname = \"age\"\ncolumn = \"age_band\"\nkind = \"numeric\"\n";
    let (message, _) = joined(["50 - 59", "70", "61"], plain, 3);
    assert_eq!(message.matches("a range or bin").count(), 1, "{message}");
    assert!(message.contains("bands = \"lower\""), "{message}");
    // Bands on a categorical covariate contradict each other.
    let both = "[[join.covariates]]\nname = \"age\"\ncolumn = \"age_band\"\nkind = \"categorical\"\nbands = \"lower\"\n";
    let (message, _) = joined(["50 - 59", "70", "61"], both, 2);
    assert!(
        message.contains("kind = \"categorical\" but has bands"),
        "{message}"
    );
}
