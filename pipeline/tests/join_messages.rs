//! Join error messages never echo a clinical id cell and quote at most 80
//! characters of any input (issue 10, item 7).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::join::{data, join, write_calls};
use common::{run_expect, stderr, temp_dir};

const CONFIG: &str = "[join]\nsample_id = \"patient_id\"\ntherapy = \"drug\"\n\
                      [[join.outcomes]]\nname = \"bleeding\"\nkind = \"binary\"\n";

fn join_fails(clinical: &[u8]) -> String {
    let dir = temp_dir();
    let config = dir.path().join("tailor.toml");
    std::fs::write(&config, CONFIG).unwrap();
    let table = dir.path().join("clinical.csv");
    std::fs::write(&table, clinical).unwrap();
    let calls = write_calls(dir.path(), &|s| s.to_owned(), &[]);
    let output = run_expect(&mut join(dir.path(), &config, &calls, &[table]), 3);
    assert!(!dir.path().join("out/cohort.parquet").exists());
    stderr(&output)
}

#[test]
fn table_without_header_does_not_echo_the_first_patient_id() {
    let message = join_fails(b"PT-001,clopidogrel,0\nPT-002,ticagrelor,1\n");
    assert!(!message.contains("PT-001"), "{message}");
    assert!(!message.contains("clopidogrel"), "{message}");
    assert!(
        message.contains(
            "clinical.csv: no column \"patient_id\" (sample id); columns are: 3 fields, none \
             of them a configured column, so they are not quoted: the first line may be data; \
             the table needs a header line"
        ),
        "{message}"
    );
}

#[test]
fn huge_header_is_not_echoed_whole() {
    let long = "x".repeat(200_000);
    let header = format!("patient_id,{long},bleeding\nPT-001,clopidogrel,0\n");
    let message = join_fails(header.as_bytes());
    assert!(
        message.len() < 1_000,
        "{} bytes: {message:.300}",
        message.len()
    );
    let expected = format!("\"patient_id\", \"{}…\", \"bleeding\"", "x".repeat(39));
    assert!(message.contains(&expected), "{message}");
    assert!(
        message.contains("no clinical table has column \"drug\""),
        "{message}"
    );
}

#[test]
fn long_bad_value_is_cut_to_80_characters() {
    let cell = "y".repeat(10_000);
    let table = format!("patient_id,drug,bleeding\nPT-001,clopidogrel,{cell}\n");
    let message = join_fails(table.as_bytes());
    let expected = format!(
        "clinical.csv:2: column \"bleeding\": value \"{}…\"",
        "y".repeat(79)
    );
    assert!(message.contains(&expected), "{message}");
    assert!(message.len() < 1_000, "{} bytes", message.len());
    assert!(!message.contains("PT-001"), "{message}");
}

#[test]
fn messy_table_still_joins() {
    let dir = temp_dir();
    let config = dir.path().join("tailor.toml");
    std::fs::copy(data("messy.toml"), &config).unwrap();
    let calls = write_calls(dir.path(), &|s| s.to_owned(), &[]);
    run_expect(
        &mut join(dir.path(), &config, &calls, &[data("clinical_messy.csv")]),
        0,
    );
}
