//! `join_report.parquet`: the join report's JSON document as rows, one per
//! value (the schema and its rules are in `tailor_schemas::join_report`).

use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use serde_json::Value;
use tailor_schemas::join_report as col;
use tailor_tables::{TableMetadata, TableWriter};

use crate::{Error, Result};

/// The file name, beside `join_report.json`.
pub const REPORT_TABLE_FILE: &str = "join_report.parquet";

/// One row: section, item, field, value, count.
type Row = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
);

/// The rows of `document` (the report as written to JSON), in order.
fn rows(document: &Value) -> Vec<Row> {
    let mut out = Vec::new();
    if let Value::Object(sections) = document {
        for (section, value) in sections {
            match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let key = item_key(item).unwrap_or_else(|| i.to_string());
                        leaves(section, Some(&key), None, item, &mut out);
                    }
                }
                other => leaves(section, None, None, other, &mut out),
            }
        }
    }
    out
}

/// The key an element of a list section is known by.
fn item_key(item: &Value) -> Option<String> {
    let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_owned);
    if let Some(kind) = text("kind") {
        return Some(match text("column") {
            Some(column) => format!("{kind}:{column}"),
            None => kind,
        });
    }
    ["gene", "name", "reason", "path"]
        .iter()
        .find_map(|k| text(k))
        .or_else(|| item.as_str().map(str::to_owned))
}

/// Appends the leaves under `value`.
fn leaves(
    section: &str,
    item: Option<&str>,
    field: Option<&str>,
    value: &Value,
    out: &mut Vec<Row>,
) {
    let child = |key: &str| match field {
        Some(f) => format!("{f}.{key}"),
        None => key.to_owned(),
    };
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                leaves(section, item, Some(&child(key)), v, out);
            }
        }
        Value::Array(list) if field.is_some() || item.is_none() => {
            for (i, v) in list.iter().enumerate() {
                leaves(section, item, Some(&child(&i.to_string())), v, out);
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                leaves(section, item, Some(&i.to_string()), v, out);
            }
        }
        leaf => {
            let text = match leaf {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            };
            out.push((
                section.to_owned(),
                item.map(str::to_owned),
                field.map(str::to_owned),
                text,
                leaf.as_i64(),
            ));
        }
    }
}

/// Writes `document` as `path` (atomically, mode 0640).
///
/// # Errors
/// The table cannot be written.
pub(crate) fn write_report_table(path: &Path, document: &Value) -> Result<()> {
    let rows = rows(document);
    let column = |f: &dyn Fn(&Row) -> Option<&str>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<StringArray>())
    };
    let columns: Vec<ArrayRef> = vec![
        column(&|r| Some(r.0.as_str())),
        column(&|r| r.1.as_deref()),
        column(&|r| r.2.as_deref()),
        column(&|r| r.3.as_deref()),
        Arc::new(rows.iter().map(|r| r.4).collect::<Int64Array>()),
    ];
    let batch = RecordBatch::try_new(col::schema(), columns).map_err(|source| {
        Error::from(tailor_tables::Error::Arrow {
            path: path.to_path_buf(),
            source,
        })
    })?;
    let metadata = TableMetadata::new(col::TABLE, col::SCHEMA_VERSION);
    let mut writer = TableWriter::create(path, col::schema(), &metadata)?;
    writer.write(&batch)?;
    writer.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::rows;

    #[test]
    fn every_value_becomes_a_row_keyed_by_its_item() {
        let document = serde_json::json!({
            "version": "0.1.0",
            "cohort": {"rows": 2000, "patients": 2000},
            "excluded": [{"reason": "duplicate_rows", "rows": "<11"}],
            "genes": [{"gene": "CYP2C19", "called": 1990, "no_call": "suppressed"}],
            "warnings": [{"kind": "missing_outcome", "column": "mace", "count": 35,
                          "first": [{"file": "c.csv", "line": 12}]}],
        });
        let got: Vec<String> = rows(&document)
            .iter()
            .map(|(s, i, f, v, c)| {
                format!(
                    "{s}|{}|{}|{}|{c:?}",
                    i.as_deref().unwrap_or("-"),
                    f.as_deref().unwrap_or("-"),
                    v.as_deref().unwrap_or("-")
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "cohort|-|patients|2000|Some(2000)",
                "cohort|-|rows|2000|Some(2000)",
                "excluded|duplicate_rows|reason|duplicate_rows|None",
                "excluded|duplicate_rows|rows|<11|None",
                "genes|CYP2C19|called|1990|Some(1990)",
                "genes|CYP2C19|gene|CYP2C19|None",
                "genes|CYP2C19|no_call|suppressed|None",
                "version|-|-|0.1.0|None",
                "warnings|missing_outcome:mace|column|mace|None",
                "warnings|missing_outcome:mace|count|35|Some(35)",
                "warnings|missing_outcome:mace|first.0.file|c.csv|None",
                "warnings|missing_outcome:mace|first.0.line|12|Some(12)",
                "warnings|missing_outcome:mace|kind|missing_outcome|None",
            ]
        );
    }
}
