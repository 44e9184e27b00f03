//! `tailor join` end to end on the hand-made messy tables in
//! `tests/data/join/` (see its README.md for what each file holds and the
//! rows, counts or error each must give).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::join::*;
use common::{run_expect, stderr, temp_dir};

fn messy_run(dir: &Path, extra_args: &[&str]) -> std::process::Output {
    let calls = write_calls(dir, &|s| s.to_owned(), &[]);
    let mut command = join(
        dir,
        &data("messy.toml"),
        &calls,
        &[data("clinical_messy.csv")],
    );
    command.args(extra_args);
    command.output().unwrap()
}

fn by_id(rows: &[Row]) -> std::collections::BTreeMap<String, Row> {
    rows.iter()
        .map(|r| (r["patient_id"].clone(), r.clone()))
        .collect()
}

#[test]
fn messy_csv_gives_documented_rows() {
    let dir = temp_dir();
    let output = messy_run(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let (rows, metadata) = read_cohort(&dir.path().join("out/cohort.parquet"));
    let ids: Vec<&str> = rows.iter().map(|r| r["patient_id"].as_str()).collect();
    assert_eq!(
        ids,
        ["PT-001", "PT-002", "PT-003", "PT-004", "PT-005", "PT-007", "PT-008"]
    );
    let rows = by_id(&rows);
    // Quoted comma kept; CRLF inside quotes does not split the row.
    assert_eq!(rows["PT-002"]["therapy"], "clopidogrel, 75 mg");
    assert_eq!(rows["PT-002"]["bleeding"], "true");
    // NA variants: NA, NULL, ".", "unknown", empty.
    assert_eq!(rows["PT-002"]["weight"], "null");
    assert_eq!(rows["PT-003"]["bleeding"], "null");
    assert_eq!(rows["PT-003"]["weight"], "null");
    assert_eq!(rows["PT-004"]["death_event"], "null");
    assert_eq!(rows["PT-008"]["bleeding"], "null");
    assert_eq!(rows["PT-007"]["therapy"], "null");
    // Types: declared numeric, time to event, inferred categorical bins.
    assert_eq!(rows["PT-001"]["weight"], "81.5");
    assert_eq!(rows["PT-005"]["weight"], "90.25");
    assert_eq!(rows["PT-001"]["death_time"], "365");
    assert_eq!(rows["PT-002"]["death_event"], "true");
    assert_eq!(rows["PT-001"]["age_band"], "60 - 69");
    assert_eq!(rows["PT-005"]["age_band"], "<50");
    assert_eq!(rows["PT-001"]["episode_id"], "null");
    // Gene columns copied from the calls table.
    assert_eq!(rows["PT-001"]["CYP2C19_diplotype"], "*1/*2");
    assert_eq!(
        rows["PT-001"]["CYP2C19_phenotype"],
        "Intermediate Metabolizer"
    );
    assert_eq!(rows["PT-002"]["CYP2C9_activity_score"], "1");
    assert_eq!(rows["PT-003"]["CYP2C19_diplotype"], "null");
    assert_eq!(rows["PT-003"]["CYP2C19_flags"], "[no_call]");
    assert_eq!(rows["PT-004"]["CYP2C19_flags"], "[ambiguous]");
    assert_eq!(rows["PT-004"]["CYP2C19_diplotype"], "*1/*17");
    assert_eq!(rows["PT-001"]["CYP2C19_flags"], "[]");
    assert_eq!(rows["PT-001"]["CYP2C19_source"], "vcf");
    assert_eq!(rows["PT-008"]["CYP2C9_diplotype"], "null");
    assert_eq!(rows["PT-008"]["CYP2C9_flags"], "null");
    // Metadata: roles, not pseudonymised, definitions version carried over.
    assert_eq!(metadata["tailor.pseudonymised"], "false");
    assert_eq!(metadata["tailor.definitions_version"], "test");
    let roles: serde_json::Value = serde_json::from_str(&metadata["tailor.cohort_roles"]).unwrap();
    assert_eq!(roles["covariates"][0]["kind"], "categorical");
    assert_eq!(roles["covariates"][0]["reference"], "60 - 69");
    assert_eq!(roles["covariates"][1]["kind"], "numeric");
    assert_eq!(roles["outcomes"][1]["kind"], "time_to_event");
    assert_eq!(roles["genes"], serde_json::json!(["CYP2C19", "CYP2C9"]));
}

#[test]
fn messy_csv_gives_documented_counts() {
    let dir = temp_dir();
    let output = messy_run(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = report(dir.path());
    // Small-cell rule: 1..10 as "<11", zero as 0.
    assert_eq!(report["cohort"]["rows"], "<11");
    assert_eq!(report["clinical"][0]["rows"], 12);
    assert_eq!(report["clinical"][0]["blank_rows"], "<11");
    assert_eq!(report["clinical"][0]["format"], "csv");
    // The exclusions add up to a shown total: their small counts are
    // hidden together ("suppressed"), in the warnings too.
    assert_eq!(excluded(&report, "duplicate_rows"), "suppressed");
    assert_eq!(excluded(&report, "conflicting_duplicates"), "suppressed");
    assert_eq!(
        excluded(&report, "clinical_without_genotypes"),
        "suppressed"
    );
    assert_eq!(excluded(&report, "missing_patient_id"), "suppressed");
    assert_eq!(excluded(&report, "missing_episode_id"), 0);
    assert_eq!(excluded(&report, "several_samples_per_patient"), 0);
    assert_eq!(
        warning(&report, "duplicate_rows", None)["count"],
        "suppressed"
    );
    assert_eq!(warning(&report, "missing_therapy", None)["count"], "<11");
    // Every excluded row is located (line numbers count the quoted CRLF).
    assert_eq!(lines(warning(&report, "duplicate_rows", None)), [8]);
    assert_eq!(
        lines(warning(&report, "conflicting_duplicates", None)),
        [9, 10]
    );
    assert_eq!(
        lines(warning(&report, "clinical_without_genotypes", None)),
        [11]
    );
    assert_eq!(lines(warning(&report, "missing_patient_id", None)), [12]);
    assert_eq!(lines(warning(&report, "missing_therapy", None)), [13]);
    assert_eq!(
        lines(warning(&report, "missing_outcome", Some("bleeding"))),
        [5, 14]
    );
    assert_eq!(
        lines(warning(&report, "missing_outcome", Some("death_event"))),
        [6]
    );
    let unmatched = warning(&report, "genotyped_without_clinical", None);
    assert!(unmatched["first"][0]["file"]
        .as_str()
        .unwrap()
        .ends_with("calls.parquet"));
    assert_eq!(lines(unmatched), [16]);
    // Types reported, declared or inferred.
    let columns = report["columns"].as_array().unwrap();
    let column = |name: &str| columns.iter().find(|c| c["name"] == name).unwrap();
    assert_eq!(column("age_band")["data_type"], "Utf8");
    assert_eq!(column("age_band")["origin"], "inferred");
    assert_eq!(column("weight")["data_type"], "Float64");
    assert_eq!(column("weight")["origin"], "declared");
    assert_eq!(column("weight")["input"], "weight_kg");
    assert_eq!(column("bleeding")["data_type"], "Boolean");
    assert_eq!(column("weight")["missing"], "<11");
    assert_eq!(column("death_time")["missing"], 0);
    // Per-gene calls among the cohort's patients.
    let genes = report["genes"].as_array().unwrap();
    assert_eq!(genes[0]["gene"], "CYP2C19");
    assert_eq!(genes[0]["no_call"], "suppressed");
    assert_eq!(genes[0]["called"], "suppressed");
    assert_eq!(genes[0]["ambiguous"], "suppressed");
    assert_eq!(genes[1]["not_in_calls"], "suppressed");
    assert_eq!(genes[1]["no_call"], 0);
    // Called + no call + without a call row = the cohort's patients: a
    // hidden count never stands alone, so subtraction recovers none.
    for gene in genes {
        let hidden = ["called", "no_call", "not_in_calls"]
            .iter()
            .filter(|k| gene[**k] == "suppressed")
            .count();
        assert_ne!(hidden, 1, "{gene}");
    }
    // No ids in the report, ever.
    let text = std::fs::read_to_string(dir.path().join("out/join_report.json")).unwrap();
    assert!(!text.contains("PT-"), "{text}");
    // The printed summary follows the same rule.
    let printed = stderr(&output);
    assert!(printed.contains("<11 cohort rows"), "{printed}");
    assert!(!printed.contains("PT-"), "{printed}");
}

#[cfg(unix)]
#[test]
fn outputs_are_private_and_complete() {
    let dir = temp_dir();
    let output = messy_run(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = dir.path().join("out");
    assert_eq!(mode(&out.join("cohort.parquet")), 0o640);
    assert_eq!(mode(&out.join("join_report.json")), 0o640);
    assert_eq!(mode(&out.join("join_report.parquet")), 0o640);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["cohort.parquet", "join_report.json", "join_report.parquet"],
        "no temporary files left"
    );
}

#[test]
fn columns_split_across_tables_are_merged() {
    let dir = temp_dir();
    let calls = write_calls(dir.path(), &|s| s.to_owned(), &[]);
    let config = std::fs::read_to_string(data("messy.toml")).unwrap()
        + "\n[[join.covariates]]\nname = \"egfr\"\n";
    let config_path = dir.path().join("tailor.toml");
    std::fs::write(&config_path, config).unwrap();
    let clinical = [data("clinical_messy.csv"), data("labs.tsv.gz")];
    run_expect(&mut join(dir.path(), &config_path, &calls, &clinical), 0);
    let (rows, _) = read_cohort(&dir.path().join("out/cohort.parquet"));
    assert_eq!(rows.len(), 7);
    let rows = by_id(&rows);
    assert_eq!(rows["PT-001"]["egfr"], "90");
    assert_eq!(rows["PT-002"]["egfr"], "85.5");
    assert_eq!(rows["PT-004"]["egfr"], "null");
    assert_eq!(rows["PT-003"]["egfr"], "null");
    assert_eq!(rows["PT-001"]["therapy"], "clopidogrel");
    let report = report(dir.path());
    assert_eq!(report["cohort"]["merged_rows"], "<11");
    assert_eq!(report["clinical"][1]["format"], "tsv");
    assert_eq!(
        report["clinical"][1]["columns"],
        serde_json::json!(["egfr"])
    );
}

/// Each bad input exits 3 with a message naming the file and line (and the
/// column and value, for a bad cell), and leaves no cohort table behind.
#[test]
fn bad_inputs_exit_3_naming_file_and_line() {
    let cases: [(&str, &[&str]); 6] = [
        (
            "bad_grouped.csv",
            &["bad_grouped.csv:3", "\"weight_kg\"", "\"1 234\"", "grouped"],
        ),
        (
            "bad_thousands.csv",
            &["bad_thousands.csv:2", "\"followup_days\"", "\"1,095\""],
        ),
        (
            "decimal_comma.csv",
            &["decimal_comma.csv:2", "\"weight_kg\"", "decimal = \",\""],
        ),
        ("empty.csv", &["empty.csv", "empty"]),
        ("header_only.csv", &["header_only.csv", "only a header"]),
        ("latin1.csv", &["latin1.csv:3", "UTF-8"]),
    ];
    for (file, expected) in cases {
        let dir = temp_dir();
        let calls = write_calls(dir.path(), &|s| s.to_owned(), &[]);
        let output = run_expect(
            &mut join(dir.path(), &data("messy.toml"), &calls, &[data(file)]),
            3,
        );
        let message = stderr(&output);
        for part in expected {
            assert!(message.contains(part), "{file}: {part:?} not in {message}");
        }
        assert!(
            !dir.path().join("out/cohort.parquet").exists(),
            "{file}: a cohort table was written"
        );
    }
}

#[test]
fn decimal_comma_is_read_when_configured() {
    let dir = temp_dir();
    let calls = write_calls(dir.path(), &|s| s.to_owned(), &[]);
    let config = std::fs::read_to_string(data("messy.toml"))
        .unwrap()
        .replace("therapy = \"drug\"", "therapy = \"drug\"\ndecimal = \",\"");
    let config_path = dir.path().join("tailor.toml");
    std::fs::write(&config_path, config).unwrap();
    run_expect(
        &mut join(
            dir.path(),
            &config_path,
            &calls,
            &[data("decimal_comma.csv")],
        ),
        0,
    );
    let (rows, _) = read_cohort(&dir.path().join("out/cohort.parquet"));
    let rows = by_id(&rows);
    assert_eq!(rows["PT-001"]["weight"], "81.5");
    assert_eq!(rows["PT-002"]["death_time"], "120.5");
    assert_eq!(report(dir.path())["clinical"][0]["format"], "ssv");
}

#[test]
fn strict_turns_warnings_into_exit_3() {
    let dir = temp_dir();
    let output = messy_run(dir.path(), &["--strict"]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("--strict"), "{message}");
    assert!(message.contains("clinical_messy.csv:12"), "{message}");
    assert!(dir.path().join("out/join_report.json").exists());
    assert!(!dir.path().join("out/cohort.parquet").exists());
    assert_eq!(report(dir.path())["strict"], true);
}

#[test]
fn configuration_errors_exit_2() {
    let dir = temp_dir();
    let calls = write_calls(dir.path(), &|s| s.to_owned(), &[]);
    let clinical = [data("clinical_messy.csv")];
    let write = |name: &str, text: &str| -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let cases = [
        (
            write("none.toml", "[other]\nx = 1\n"),
            "unknown section [other]",
        ),
        (write("empty.toml", "[run]\n"), "no [join] section"),
        (
            write("unknown.toml", "[join]\nsample_id = \"patient_id\"\ntherapy = \"drug\"\nkey = \"x\"\n"),
            "unknown key \"key\" in [join]; did you mean \"key_file\"?",
        ),
        (
            write("dup.toml", "[join]\nsample_id = \"patient_id\"\ntherapy = \"drug\"\n[[join.covariates]]\nname = \"therapy\"\ncolumn = \"age_band\"\n"),
            "two output columns",
        ),
    ];
    for (config, expected) in cases {
        let output = run_expect(&mut join(dir.path(), &config, &calls, &clinical), 2);
        assert!(stderr(&output).contains(expected), "{}", stderr(&output));
    }
    let output = run_expect(
        join(dir.path(), &data("messy.toml"), &calls, &clinical).arg("--pseudonymise"),
        2,
    );
    assert!(
        stderr(&output).contains("needs a key"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn missing_column_names_the_file_and_the_columns() {
    let dir = temp_dir();
    let calls = write_calls(dir.path(), &|s| s.to_owned(), &[]);
    let config_path = dir.path().join("tailor.toml");
    std::fs::write(
        &config_path,
        "[join]\nsample_id = \"patient\"\ntherapy = \"drug\"\n",
    )
    .unwrap();
    let output = run_expect(
        &mut join(
            dir.path(),
            &config_path,
            &calls,
            &[data("clinical_messy.csv")],
        ),
        3,
    );
    let message = stderr(&output);
    assert!(message.contains("clinical_messy.csv"), "{message}");
    assert!(message.contains("\"patient_id\""), "{message}");
}
