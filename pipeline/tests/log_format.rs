//! `--log-format json`: one JSON object per stderr line, each with a UTC
//! timestamp, a level and the message, so log collectors can order and
//! filter them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{run_expect, tailor, temp_dir, test_data};

#[test]
fn json_log_lines_carry_time_level_and_message() {
    let dir = temp_dir();
    std::fs::copy(
        test_data("ingest/defects/undeclared_filter.vcf"),
        dir.path().join("in.vcf"),
    )
    .unwrap();
    let before = chrono::Utc::now();
    let output = run_expect(
        tailor(dir.path()).args(["call", "--log-format", "json", "-o", "out", "in.vcf"]),
        0,
    );
    let after = chrono::Utc::now();
    let text = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{line:?}: {e}")))
        .collect();
    assert!(lines
        .iter()
        .any(|l| l["level"] == "warning" && l["message"].as_str().unwrap().contains("LowQual")));
    for line in &lines {
        let time = line["time"].as_str().unwrap();
        assert!(time.ends_with('Z'), "{time} is not UTC");
        let time = chrono::DateTime::parse_from_rfc3339(time).unwrap();
        let slack = chrono::Duration::seconds(1);
        assert!(time >= before - slack && time <= after + slack, "{time}");
        assert!(["info", "warning", "error", "debug"].contains(&line["level"].as_str().unwrap()));
        assert!(!line["message"].as_str().unwrap().is_empty());
    }
}
