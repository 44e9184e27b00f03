//! Collecting validation warnings while joining.

use crate::report::{Location, Warning, WarningKind, MAX_LOCATIONS};

/// Warnings collected so far, one entry per kind (and column).
#[derive(Debug, Default)]
pub(crate) struct Findings {
    warnings: Vec<Warning>,
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
        let sorted = findings.into_sorted();
        assert_eq!(sorted.len(), 3);
        assert_eq!(sorted[0].kind, WarningKind::DuplicateRows);
        assert_eq!(sorted[1].first.len(), MAX_LOCATIONS);
    }
}
