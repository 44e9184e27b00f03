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

use crate::clinical::{file_path, FileStats, Row, Value};
use crate::findings::Findings;
use crate::report::{Location, WarningKind};

/// One patient (x episode) after merging.
#[derive(Clone, Debug)]
pub(crate) struct Merged {
    pub patient: Box<str>,
    pub episode: Option<Box<str>>,
    pub values: Vec<Value>,
    /// File and line of its first row.
    pub file: usize,
    pub line: u64,
    /// File and line of the rows merged into it from other tables (empty
    /// in the common case: no allocation).
    pub also: Vec<(usize, u64)>,
}

impl Merged {
    /// Input rows it stands for (one per table it was merged from).
    pub(crate) fn rows(&self) -> u64 {
        1 + self.also.len() as u64
    }

    /// File and line of each input row it stands for, first row first.
    pub(crate) fn sources(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        std::iter::once((self.file, self.line)).chain(self.also.iter().copied())
    }
}

/// Groups `rows`, recording exclusions in `findings`.
pub(crate) fn merge_rows(
    mut rows: Vec<Row>,
    episodes: bool,
    files: &[FileStats],
    findings: &mut Findings,
) -> Vec<Merged> {
    let location = |row: &Row| {
        Some(Location {
            file: file_path(files, row.file).display().to_string(),
            line: Some(row.line),
        })
    };
    rows.retain(|row| {
        if row.patient.is_none() {
            findings.add(WarningKind::MissingPatientId, None, 1, location(row));
            false
        } else if episodes && row.episode.is_none() {
            findings.add(WarningKind::MissingEpisodeId, None, 1, location(row));
            false
        } else {
            true
        }
    });
    rows.sort_by(|a, b| {
        (&a.patient, &a.episode, a.file, a.line).cmp(&(&b.patient, &b.episode, b.file, b.line))
    });
    let mut merged = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let mut end = start + 1;
        while end < rows.len()
            && rows[end].patient == rows[start].patient
            && rows[end].episode == rows[start].episode
        {
            end += 1;
        }
        if let Some(m) = merge_group(&mut rows[start..end], findings, &location) {
            merged.push(m);
        }
        start = end;
    }
    merged
}

/// Merges the rows of one patient (x episode), sorted by file and line.
fn merge_group(
    group: &mut [Row],
    findings: &mut Findings,
    location: &dyn Fn(&Row) -> Option<Location>,
) -> Option<Merged> {
    if let [only] = group {
        // The common case: move, do not copy (bounded memory at scale).
        return Some(Merged {
            patient: only.patient.take().unwrap_or_default(),
            episode: only.episode.take(),
            values: std::mem::take(&mut only.values),
            file: only.file,
            line: only.line,
            also: Vec::new(),
        });
    }
    let group = &*group;
    let first = group.first()?;
    // One representative per file; exact copies excluded.
    let mut representatives: Vec<&Row> = Vec::new();
    let mut copies: Vec<&Row> = Vec::new();
    for row in group {
        match representatives.last() {
            Some(last) if last.file == row.file => {
                if last.values == row.values {
                    copies.push(row);
                } else {
                    exclude_conflict(group, findings, location);
                    return None;
                }
            }
            _ => representatives.push(row),
        }
    }
    let mut values = first.values.clone();
    for row in representatives.iter().skip(1) {
        for (merged, value) in values.iter_mut().zip(&row.values) {
            match (&*merged, value) {
                (_, Value::Na) => {}
                (Value::Na, v) => *merged = v.clone(),
                (a, b) if a == b => {}
                _ => {
                    exclude_conflict(group, findings, location);
                    return None;
                }
            }
        }
    }
    for copy in copies {
        findings.add(WarningKind::DuplicateRows, None, 1, location(copy));
    }
    Some(Merged {
        patient: first.patient.clone().unwrap_or_default(),
        episode: first.episode.clone(),
        values,
        file: first.file,
        line: first.line,
        also: representatives
            .iter()
            .skip(1)
            .map(|r| (r.file, r.line))
            .collect(),
    })
}

fn exclude_conflict(
    group: &[Row],
    findings: &mut Findings,
    location: &dyn Fn(&Row) -> Option<Location>,
) {
    for row in group {
        findings.add(WarningKind::ConflictingDuplicates, None, 1, location(row));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(patient: Option<&str>, file: usize, line: u64, values: &[Value]) -> Row {
        Row {
            patient: patient.map(Into::into),
            episode: None,
            file,
            line,
            values: values.to_vec(),
        }
    }

    fn text(t: &str) -> Value {
        Value::Text(t.into())
    }

    #[test]
    fn duplicates_conflicts_and_cross_file_merges() {
        let rows = vec![
            row(Some("P1"), 0, 2, &[text("a"), Value::Na]),
            row(Some("P1"), 0, 3, &[text("a"), Value::Na]),
            row(Some("P2"), 0, 4, &[text("a"), Value::Na]),
            row(Some("P2"), 0, 5, &[text("b"), Value::Na]),
            row(None, 0, 6, &[text("a"), Value::Na]),
            row(Some("P3"), 0, 7, &[text("a"), Value::Na]),
            row(Some("P3"), 1, 2, &[Value::Na, Value::Number(1.0)]),
            row(Some("P4"), 0, 8, &[text("a"), Value::Na]),
            row(Some("P4"), 1, 3, &[text("b"), Value::Number(1.0)]),
        ];
        let mut findings = Findings::default();
        let merged = merge_rows(rows, false, &[], &mut findings);
        let ids: Vec<_> = merged.iter().map(|m| &*m.patient).collect();
        assert_eq!(ids, ["P1", "P3"]);
        assert_eq!(merged[1].values, [text("a"), Value::Number(1.0)]);
        assert_eq!(merged[1].rows(), 2);
        assert_eq!(
            merged[1]
                .sources()
                .map(|(file, _)| file)
                .collect::<Vec<_>>(),
            [0, 1]
        );
        assert_eq!(findings.count(WarningKind::DuplicateRows), 1);
        assert_eq!(findings.count(WarningKind::ConflictingDuplicates), 4);
        assert_eq!(findings.count(WarningKind::MissingPatientId), 1);
    }
}
