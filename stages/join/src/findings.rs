//! Collecting validation warnings while joining.

use std::collections::BTreeMap;

use crate::report::{Location, Warning, WarningKind, MAX_LOCATIONS};

/// Warnings collected so far, one entry per kind (and column).
#[derive(Debug, Default)]
pub(crate) struct Findings {
    warnings: Vec<Warning>,
    /// Per kind and file, the count of findings given with a location.
    by_file: BTreeMap<(WarningKind, String), u64>,
}

impl Findings {
    /// Counts `count` more of `kind` (for `column`), remembering `location`
    /// among the first few.
    pub(crate) fn add(
        &mut self,
        kind: WarningKind,
        column: Option<&str>,
        count: u64,
        location: Option<Location>,
    ) {
        if count == 0 {
            return;
        }
        let position = self
            .warnings
            .iter()
            .position(|w| w.kind == kind && w.column.as_deref() == column);
        let warning = match position {
            Some(i) => &mut self.warnings[i],
            None => {
                self.warnings.push(Warning {
                    kind,
                    column: column.map(str::to_owned),
                    count: 0,
                    unit: kind.unit(),
                    excluded: kind.excludes_rows(),
                    first: Vec::new(),
                    suppressed: false,
                });
                let last = self.warnings.len() - 1;
                &mut self.warnings[last]
            }
        };
        warning.count += count;
        if let Some(location) = location {
            *self
                .by_file
                .entry((kind, location.file.clone()))
                .or_default() += count;
            if warning.first.len() < MAX_LOCATIONS {
                warning.first.push(location);
            }
        }
    }

    /// Rows excluded for `kind`.
    pub(crate) fn count(&self, kind: WarningKind) -> u64 {
        self.warnings
            .iter()
            .filter(|w| w.kind == kind)
            .map(|w| w.count)
            .sum()
    }

    /// Findings of `kind` located in `file` (as the locations name it).
    pub(crate) fn count_in(&self, kind: WarningKind, file: &str) -> u64 {
        self.by_file
            .get(&(kind, file.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// The warnings, ordered by kind then column.
    pub(crate) fn into_sorted(mut self) -> Vec<Warning> {
        self.warnings
            .sort_by(|a, b| (a.kind, &a.column).cmp(&(b.kind, &b.column)));
        self.warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accumulates_per_kind_and_column() {
        let mut findings = Findings::default();
        let at = |line| {
            Some(Location {
                file: "a.csv".into(),
                line: Some(line),
            })
        };
        for line in 0..8 {
            findings.add(WarningKind::MissingOutcome, Some("x"), 1, at(line));
        }
        findings.add(WarningKind::MissingOutcome, Some("y"), 2, at(1));
        findings.add(WarningKind::DuplicateRows, None, 0, at(1));
        findings.add(WarningKind::DuplicateRows, None, 1, at(9));
        assert_eq!(findings.count(WarningKind::MissingOutcome), 10);
        assert_eq!(findings.count_in(WarningKind::MissingOutcome, "a.csv"), 10);
        assert_eq!(findings.count_in(WarningKind::DuplicateRows, "a.csv"), 1);
        assert_eq!(findings.count_in(WarningKind::DuplicateRows, "b.csv"), 0);
        let sorted = findings.into_sorted();
        assert_eq!(sorted.len(), 3);
        assert_eq!(sorted[0].kind, WarningKind::DuplicateRows);
        assert_eq!(sorted[1].first.len(), MAX_LOCATIONS);
    }
}
