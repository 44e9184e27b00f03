//! Helpers for the `tailor join` end-to-end tests (`join_e2e.rs`,
//! `join_pseudonymise.rs`): the real binary
//! in a fresh temporary directory, a calls table (written with
//! `tailor_star::calls_batch`) built from
//! `tests/data/join/calls.tsv`, and the cohort table read back as text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use arrow_array::{Array, BooleanArray, Float64Array, ListArray, StringArray};
use tailor_schemas::calls;
use tailor_tables::{read_table, TableMetadata, TableWriter};

/// A hand-made join test file under `tests/data/join/`.
pub fn data(name: &str) -> PathBuf {
    super::test_data("join").join(name)
}

/// `tailor join --config CONFIG -o out CALLS CLINICAL...` run in `dir`.
pub fn join(dir: &Path, config: &Path, calls: &Path, clinical: &[PathBuf]) -> Command {
    let mut command = super::tailor(dir);
    command
        .arg("join")
        .arg("--config")
        .arg(config)
        .arg("-o")
        .arg(dir.join("out"))
        .arg(calls)
        .args(clinical);
    command
}

/// Writes `dir/calls.parquet` from `tests/data/join/calls.tsv`, renaming
/// each sample with `rename` and adding `extra_samples` (called `*1/*1` for
/// CYP2C19).
pub fn write_calls(dir: &Path, rename: &dyn Fn(&str) -> String, extra_samples: &[&str]) -> PathBuf {
    let text = std::fs::read_to_string(data("calls.tsv")).unwrap();
    let mut rows: Vec<Vec<String>> = text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut row: Vec<String> = l.split('\t').map(str::to_owned).collect();
            row[0] = rename(&row[0]);
            row
        })
        .collect();
    for sample in extra_samples {
        let row = [
            sample,
            "CYP2C19",
            "*1/*1",
            "Normal Metabolizer",
            "",
            "",
            "vcf",
        ];
        rows.push(row.iter().map(|s| s.to_string()).collect());
    }
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let leaked = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    let calls_rows: Vec<tailor_star::CallRow> = rows
        .iter()
        .map(|row| {
            let (h1, h2) = row[2].split_once('/').unwrap_or(("", ""));
            tailor_star::CallRow {
                sample_id: row[0].clone(),
                gene: row[1].clone(),
                diplotype: opt(&row[2]),
                haplotype_1: opt(h1),
                haplotype_2: opt(h2),
                candidates: opt(&row[2]).into_iter().collect(),
                activity_score: opt(&row[4]).map(|a| a.parse::<f64>().unwrap()),
                phenotype: opt(&row[3]),
                flags: row[5]
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(leaked)
                    .collect(),
                source: calls::CallSource::parse(&row[6]).unwrap(),
                ..tailor_star::CallRow::default()
            }
        })
        .collect();
    let schema = calls::schema();
    let batch = tailor_star::calls_batch(&calls_rows, "test").unwrap();
    let path = dir.join("calls.parquet");
    let mut metadata = TableMetadata::new(calls::TABLE, calls::SCHEMA_VERSION);
    metadata.definitions_version = Some("test".into());
    let mut writer = TableWriter::create(&path, schema, &metadata).unwrap();
    writer.write(&batch).unwrap();
    writer.finish().unwrap();
    path
}

/// One cohort row: column -> value as text (`null` for nulls; lists as
/// `[a,b]`).
pub type Row = BTreeMap<String, String>;

/// Reads `cohort.parquet`: rows in file order, and the key-value metadata.
pub fn read_cohort(path: &Path) -> (Vec<Row>, BTreeMap<String, String>) {
    let table = read_table(path).unwrap();
    table.expect_table(path, "cohort").unwrap();
    let mut rows = Vec::new();
    for batch in &table.batches {
        for i in 0..batch.num_rows() {
            let mut row = Row::new();
            for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
                row.insert(field.name().clone(), cell(column.as_ref(), i));
            }
            rows.push(row);
        }
    }
    (rows, table.key_values)
}

fn cell(array: &dyn Array, i: usize) -> String {
    if array.is_null(i) {
        return "null".to_owned();
    }
    let any = array.as_any();
    if let Some(a) = any.downcast_ref::<StringArray>() {
        a.value(i).to_owned()
    } else if let Some(a) = any.downcast_ref::<Float64Array>() {
        a.value(i).to_string()
    } else if let Some(a) = any.downcast_ref::<BooleanArray>() {
        a.value(i).to_string()
    } else if let Some(a) = any.downcast_ref::<ListArray>() {
        let values = a.value(i);
        let items: Vec<String> = (0..values.len())
            .map(|j| cell(values.as_ref(), j))
            .collect();
        format!("[{}]", items.join(","))
    } else {
        panic!("unexpected type {}", array.data_type())
    }
}

/// The join report of a run in `dir`.
pub fn report(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("out/join_report.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The warning of `kind` (and `column`) in a report.
pub fn warning<'a>(
    report: &'a serde_json::Value,
    kind: &str,
    column: Option<&str>,
) -> &'a serde_json::Value {
    report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == kind && w["column"].as_str() == column)
        .unwrap_or_else(|| panic!("no warning {kind} {column:?} in {report:#}"))
}

/// The lines of a warning's first occurrences.
pub fn lines(warning: &serde_json::Value) -> Vec<u64> {
    warning["first"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["line"].as_u64().unwrap())
        .collect()
}

/// The rows excluded for `reason`, as the report shows them.
pub fn excluded(report: &serde_json::Value, reason: &str) -> serde_json::Value {
    report["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["reason"] == reason)
        .unwrap()["rows"]
        .clone()
}

/// File mode bits.
#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}
