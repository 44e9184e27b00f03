//! Grouping clinical rows by patient (and episode): duplicates, conflicts,
//! and columns split across tables.
//!
//! Rows with the same patient id (and episode id, when configured):
//! - within one table, exact copies keep one row; the copies are excluded as
//!   [`WarningKind::DuplicateRows`]. Any difference between them excludes
//!   every row of that patient (and episode) as
//!   [`WarningKind::ConflictingDuplicates`]: the join cannot tell which is right.
//! - across tables, rows are merged column by column (one table may hold the
//!   outcomes, another the covariates); two different non-missing values for
//!   one column are a conflict, as above.

use std::collections::BTreeMap;

use crate::clinical::{file_path, FileStats};
use crate::clinical_rows::ClinicalRows;
use crate::column::Value;
use crate::findings::Findings;
use crate::report::{Location, WarningKind};

/// The patients (x episodes) after merging, each stood for by its first
/// clinical row, which holds the merged values.
#[derive(Debug, Default)]
pub(crate) struct Merged {
    /// First row of each patient (x episode), in (patient, episode) order.
    pub rows: Vec<u32>,
    /// Rows merged into a first row from other tables, by first row (empty
    /// in the common case).
    also: BTreeMap<u32, Vec<u32>>,
}

impl Merged {
    /// Input rows the patient (x episode) of first row `row` stands for
    /// (one per table it was merged from).
    pub(crate) fn rows_of(&self, row: u32) -> u64 {
        1 + self.also.get(&row).map_or(0, |also| also.len() as u64)
    }

    /// Each input row the patient (x episode) of first row `row` stands
    /// for, first row first.
    pub(crate) fn sources(&self, row: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::once(row).chain(self.also.get(&row).into_iter().flatten().copied())
    }
}

/// The rows that have a patient id, ordered by (patient, episode) and then
/// by file and line.
pub(crate) fn rows_by_patient(rows: &ClinicalRows) -> Vec<u32> {
    let mut order: Vec<u32> = (0..rows.len())
        .filter(|&row| rows.patient(row).is_some())
        .filter_map(|row| u32::try_from(row).ok())
        .collect();
    order.sort_unstable_by(|&a, &b| {
        let key = |row: u32| {
            let row = row as usize;
            (rows.patient(row), rows.episode(row), row)
        };
        key(a).cmp(&key(b))
    });
    order
}

/// Groups the rows of `by_patient` ([`rows_by_patient`]), recording
/// exclusions in `findings`; merged values are written into each group's
/// first row.
pub(crate) fn merge_rows(
    rows: &mut ClinicalRows,
    mut by_patient: Vec<u32>,
    files: &[FileStats],
    findings: &mut Findings,
) -> Merged {
    let episodes = rows.episodes.is_some();
    for row in 0..rows.len() {
        let kind = if rows.patient(row).is_none() {
            WarningKind::MissingPatientId
        } else if episodes && rows.episode(row).is_none() {
            WarningKind::MissingEpisodeId
        } else {
            continue;
        };
        findings.add(kind, None, 1, location(rows, files, row as u32));
    }
    if episodes {
        by_patient.retain(|&row| rows.episode(row as usize).is_some());
    }
    let mut merged = Merged {
        rows: Vec::with_capacity(by_patient.len()),
        also: BTreeMap::new(),
    };
    let mut start = 0;
    while start < by_patient.len() {
        let same = |row: u32| {
            let (a, b) = (by_patient[start] as usize, row as usize);
            rows.patient(a) == rows.patient(b) && rows.episode(a) == rows.episode(b)
        };
        let mut end = start + 1;
        while end < by_patient.len() && same(by_patient[end]) {
            end += 1;
        }
        if let Some(first) =
            merge_group(rows, &by_patient[start..end], files, findings, &mut merged)
        {
            merged.rows.push(first);
        }
        start = end;
    }
    merged.rows.shrink_to_fit();
    merged
}

/// Where `row` was read, for findings.
fn location(rows: &ClinicalRows, files: &[FileStats], row: u32) -> Option<Location> {
    let row = row as usize;
    Some(Location {
        file: file_path(files, rows.file(row)).display().to_string(),
        line: Some(rows.line(row)),
    })
}

/// Merges the rows of one patient (x episode), sorted by file and line;
/// returns the first row, now holding the merged values, unless excluded.
fn merge_group(
    rows: &mut ClinicalRows,
    group: &[u32],
    files: &[FileStats],
    findings: &mut Findings,
    merged: &mut Merged,
) -> Option<u32> {
    let (&first, rest) = group.split_first()?;
    if rest.is_empty() {
        return Some(first);
    }
    // One representative per file; exact copies excluded.
    let mut representatives: Vec<u32> = vec![first];
    let mut copies: Vec<u32> = Vec::new();
    for &row in rest {
        let last = representatives[representatives.len() - 1];
        if rows.file(last as usize) != rows.file(row as usize) {
            representatives.push(row);
        } else if rows.same_values(last as usize, row as usize) {
            copies.push(row);
        } else {
            exclude_conflict(rows, group, files, findings);
            return None;
        }
    }
    let mut values: Vec<Value> = (0..rows.columns.len())
        .map(|slot| rows.value(first as usize, slot))
        .collect();
    for &row in &representatives[1..] {
        for (slot, merged_value) in values.iter_mut().enumerate() {
            match (*merged_value, rows.value(row as usize, slot)) {
                (_, Value::Na) => {}
                (Value::Na, v) => *merged_value = v,
                (a, b) if a == b => {}
                _ => {
                    exclude_conflict(rows, group, files, findings);
                    return None;
                }
            }
        }
    }
    for copy in copies {
        findings.add(
            WarningKind::DuplicateRows,
            None,
            1,
            location(rows, files, copy),
        );
    }
    for (slot, value) in values.into_iter().enumerate() {
        if rows.value(first as usize, slot) == Value::Na {
            if let Some(column) = rows.columns.get_mut(slot) {
                column.set(first as usize, value);
            }
        }
    }
    if representatives.len() > 1 {
        merged.also.insert(first, representatives.split_off(1));
    }
    Some(first)
}

fn exclude_conflict(
    rows: &ClinicalRows,
    group: &[u32],
    files: &[FileStats],
    findings: &mut Findings,
) {
    for &row in group {
        findings.add(
            WarningKind::ConflictingDuplicates,
            None,
            1,
            location(rows, files, row),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::column::Column;
    use crate::config::JoinConfig;
    use crate::layout::Layout;

    /// One test row: patient, file, line, therapy, dose.
    type Input<'a> = (Option<&'a str>, usize, u64, Option<&'a str>, Option<f64>);

    /// Rows in two slots (therapy, dose).
    fn rows(input: &[Input<'_>]) -> ClinicalRows {
        let layout = Layout::new(&JoinConfig::new("id", "drug")).unwrap();
        let mut rows = ClinicalRows::new(&layout, false);
        rows.columns = vec![Column::Text(Vec::new()), Column::Number(Vec::new())];
        let mut file = None;
        for &(patient, f, line, therapy, dose) in input {
            if file != Some(f) {
                rows.start_file();
                file = Some(f);
            }
            rows.patients.push(patient);
            let therapy = therapy.map_or(Value::Na, |t| Value::Text(rows.dictionary.code(t)));
            rows.columns[0].push(therapy);
            rows.columns[1].push(dose.map_or(Value::Na, Value::Number));
            rows.push_line(line);
        }
        rows
    }

    #[test]
    fn duplicates_conflicts_and_cross_file_merges() {
        let mut rows = rows(&[
            (Some("P1"), 0, 2, Some("a"), None),
            (Some("P1"), 0, 3, Some("a"), None),
            (Some("P2"), 0, 4, Some("a"), None),
            (Some("P2"), 0, 5, Some("b"), None),
            (None, 0, 6, Some("a"), None),
            (Some("P3"), 0, 7, Some("a"), None),
            (Some("P4"), 0, 8, Some("a"), None),
            (Some("P3"), 1, 2, None, Some(1.0)),
            (Some("P4"), 1, 3, Some("b"), Some(1.0)),
        ]);
        let mut findings = Findings::default();
        let by_patient = rows_by_patient(&rows);
        let merged = merge_rows(&mut rows, by_patient, &[], &mut findings);
        let ids: Vec<_> = merged
            .rows
            .iter()
            .map(|&r| rows.patient(r as usize).unwrap())
            .collect();
        assert_eq!(ids, ["P1", "P3"]);
        let p3 = merged.rows[1];
        let a = rows.dictionary.find("a").unwrap();
        assert_eq!(rows.value(p3 as usize, 0), Value::Text(a));
        assert_eq!(rows.value(p3 as usize, 1), Value::Number(1.0));
        assert_eq!(merged.rows_of(p3), 2);
        assert_eq!(
            merged
                .sources(p3)
                .map(|r| rows.file(r as usize))
                .collect::<Vec<_>>(),
            [0, 1]
        );
        assert_eq!(merged.rows_of(merged.rows[0]), 1);
        assert_eq!(findings.count(WarningKind::DuplicateRows), 1);
        assert_eq!(findings.count(WarningKind::ConflictingDuplicates), 4);
        assert_eq!(findings.count(WarningKind::MissingPatientId), 1);
    }
}
