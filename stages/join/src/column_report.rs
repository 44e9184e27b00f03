//! Each output value column's type and its section of the report: missing
//! values among the cohort's rows (a missing therapy or outcome is also a
//! finding, located at the row's first input line) and absent reference
//! levels.

use std::collections::BTreeMap;

use tailor_schemas::cohort::CovariateKind;

use crate::clinical::{file_path, FileStats};
use crate::clinical_rows::ClinicalRows;
use crate::cohort::Cohort;
use crate::cohort_table::ColumnType;
use crate::column::Value;
use crate::config::JoinConfig;
use crate::findings::Findings;
use crate::layout::{Layout, SlotKind, THERAPY_SLOT};
use crate::report::{ColumnReport, Location, WarningKind};
use crate::source::Missing;
use crate::value::NaTokens;

/// The slots and what was read into them.
pub(crate) struct Columns<'a> {
    pub layout: &'a Layout,
    /// Index of the first covariate slot.
    pub first_covariate: usize,
    /// Per covariate slot: its kind and whether it was inferred.
    pub covariate_kinds: &'a [(CovariateKind, bool)],
    /// Per slot: missing cells read, by reason.
    pub missing_by: &'a [BTreeMap<Missing, u64>],
}

impl Columns<'_> {
    /// How each slot is written.
    pub(crate) fn types(&self) -> Vec<ColumnType> {
        self.layout
            .slots
            .iter()
            .enumerate()
            .map(|(i, slot)| match slot.kind {
                SlotKind::Text => ColumnType::Utf8,
                SlotKind::Binary => ColumnType::Boolean,
                SlotKind::Number | SlotKind::Time => ColumnType::Float64,
                SlotKind::Auto => match self.covariate_kinds.get(i - self.first_covariate) {
                    Some((CovariateKind::Numeric, _)) => ColumnType::Float64,
                    _ => ColumnType::Utf8,
                },
            })
            .collect()
    }

    /// Each slot's report, counting missing values among the cohort's rows
    /// in output order and recording missing therapies and outcomes.
    pub(crate) fn reports(
        &self,
        cohort: &Cohort,
        rows: &ClinicalRows,
        files: &[FileStats],
        na: &NaTokens,
        findings: &mut Findings,
    ) -> Vec<ColumnReport> {
        let types = self.types();
        let mut reports = Vec::with_capacity(self.layout.slots.len());
        for (i, slot) in self.layout.slots.iter().enumerate() {
            let kind = if i == THERAPY_SLOT {
                Some(WarningKind::MissingTherapy)
            } else if i < self.first_covariate {
                Some(WarningKind::MissingOutcome)
            } else {
                None
            };
            let column =
                (kind == Some(WarningKind::MissingOutcome)).then_some(slot.output.as_str());
            let mut missing = 0;
            for entry in cohort.entries() {
                let row = entry.row as usize;
                if rows.value(row, i) != Value::Na {
                    continue;
                }
                missing += 1;
                if let Some(kind) = kind {
                    let location = Location {
                        file: file_path(files, rows.file(row)).display().to_string(),
                        line: Some(rows.line(row)),
                    };
                    findings.add(kind, column, 1, Some(location));
                }
            }
            let inferred = i >= self.first_covariate
                && self
                    .covariate_kinds
                    .get(i - self.first_covariate)
                    .is_some_and(|(_, inferred)| *inferred);
            reports.push(ColumnReport {
                name: slot.output.clone(),
                input: slot.input.clone(),
                role: slot.role,
                data_type: types[i].name(),
                origin: if inferred { "inferred" } else { "declared" },
                missing,
                missing_by_token: self.missing_by[i]
                    .iter()
                    .map(|(&why, &count)| (na.describe(why), count))
                    .collect(),
            });
        }
        reports
    }

    /// Records each covariate whose configured reference level no cohort
    /// row has.
    pub(crate) fn check_reference_levels(
        &self,
        config: &JoinConfig,
        cohort: &Cohort,
        rows: &ClinicalRows,
        findings: &mut Findings,
    ) {
        for (k, covariate) in config.covariates.iter().enumerate() {
            let Some(reference) = &covariate.reference else {
                continue;
            };
            let slot = self.first_covariate + k;
            let present = rows.dictionary.find(reference.trim()).is_some_and(|code| {
                cohort
                    .entries()
                    .any(|e| rows.value(e.row as usize, slot) == Value::Text(code))
            });
            if !present {
                findings.add(
                    WarningKind::ReferenceLevelAbsent,
                    Some(&covariate.name),
                    1,
                    None,
                );
            }
        }
    }
}
