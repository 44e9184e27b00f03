//! The join report (`join_report.json` and the printed summary): what was
//! read, what was joined, every excluded row with its reason, and the
//! validation warnings. No patient or sample id ever appears in it; counts
//! from 1 to 10 are shown as `"<11"` (the small-cell rule). Where counts add
//! up to a total the report also shows (the exclusion reasons, each gene's
//! called / no call / without a call row), a small count and enough others
//! are all shown as `"suppressed"`, so that no small count can be recovered
//! by subtraction (complementary suppression, [`partition_masks`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::Error as _;
use serde::{Serialize, Serializer};

use crate::source::Format;

use tailor_schemas::small_cells::DEFAULT_THRESHOLD;
pub use tailor_schemas::small_cells::SMALL_CELL_LIMIT;

/// A count under the small-cell rule: `0`, `"<11"` for 1..=10, or the count.
pub fn small_cell(count: u64) -> String {
    tailor_schemas::small_cells::small_cell(count, DEFAULT_THRESHOLD)
}

/// Shown in place of a count hidden in a partition.
pub const SUPPRESSED: &str = "suppressed";

/// Which counts of a partition are hidden (the rule of
/// [`tailor_schemas::small_cells::partition_masks`] at k = 10).
pub fn partition_masks(counts: &[u64]) -> Vec<bool> {
    tailor_schemas::small_cells::partition_masks(counts, DEFAULT_THRESHOLD)
}

/// A count of a partition: [`SUPPRESSED`] when hidden.
pub fn masked(count: u64, hidden: bool) -> String {
    if hidden {
        SUPPRESSED.to_owned()
    } else {
        count.to_string()
    }
}

fn masked_value(count: u64, hidden: bool) -> serde_json::Value {
    if hidden {
        SUPPRESSED.into()
    } else {
        count.into()
    }
}

/// A count under the small-cell rule as a JSON value: a number, or `"<11"`.
fn small_cell_value(count: u64) -> serde_json::Value {
    if (1..SMALL_CELL_LIMIT).contains(&count) {
        small_cell(count).into()
    } else {
        count.into()
    }
}

/// ` (NA 120, (empty) <11)`: which tokens made a column's cells missing.
fn missing_tokens(counts: &BTreeMap<String, u64>) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(token, count)| format!("{token} {}", small_cell(*count)))
        .collect();
    format!(" (of rows read: {})", parts.join(", "))
}

fn serialize_counts<S: Serializer>(
    counts: &BTreeMap<String, u64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(counts.iter().map(|(k, v)| (k, small_cell_value(*v))))
}

fn serialize_count<S: Serializer>(count: &u64, serializer: S) -> Result<S::Ok, S::Error> {
    small_cell_value(*count).serialize(serializer)
}

/// What a validation warning is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningKind {
    /// Clinical rows whose id cell is missing (excluded).
    MissingPatientId,
    /// Clinical rows whose episode cell is missing (excluded).
    MissingEpisodeId,
    /// Exact copies of another row of the same file (excluded; one kept).
    DuplicateRows,
    /// Rows sharing an id (and episode) with different values (all excluded).
    ConflictingDuplicates,
    /// Clinical rows whose patient has no genotypes (excluded).
    ClinicalWithoutGenotypes,
    /// Clinical rows whose patient has several genotyped samples (excluded).
    SeveralSamplesPerPatient,
    /// Genotyped samples with no clinical row.
    GenotypedWithoutClinical,
    /// Genotyped samples missing from the sample map (not joined).
    SamplesNotInMap,
    /// Sample-map rows without a sample name or patient id (ignored).
    IncompleteSampleMapRows,
    /// Cohort rows without a therapy.
    MissingTherapy,
    /// Cohort rows without an outcome value (per outcome column).
    MissingOutcome,
    /// A categorical covariate's configured reference level never occurs.
    ReferenceLevelAbsent,
}

impl WarningKind {
    /// Whether the rows counted are removed from the cohort.
    pub fn excludes_rows(self) -> bool {
        matches!(
            self,
            Self::MissingPatientId
                | Self::MissingEpisodeId
                | Self::DuplicateRows
                | Self::ConflictingDuplicates
                | Self::ClinicalWithoutGenotypes
                | Self::SeveralSamplesPerPatient
        )
    }

    /// What the count counts.
    pub fn unit(self) -> &'static str {
        match self {
            Self::GenotypedWithoutClinical | Self::SamplesNotInMap => "genotyped samples",
            Self::IncompleteSampleMapRows => "sample-map rows",
            Self::MissingTherapy | Self::MissingOutcome => "cohort rows",
            Self::ReferenceLevelAbsent => "covariates",
            _ => "clinical rows",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::MissingPatientId => "clinical rows without a patient id",
            Self::MissingEpisodeId => "clinical rows without an episode id",
            Self::DuplicateRows => "exact duplicate rows (one copy kept)",
            Self::ConflictingDuplicates => "rows sharing an id with conflicting values",
            Self::ClinicalWithoutGenotypes => "clinical rows with no genotypes",
            Self::SeveralSamplesPerPatient => {
                "clinical rows of patients with several genotyped samples"
            }
            Self::GenotypedWithoutClinical => "genotyped samples with no clinical rows",
            Self::SamplesNotInMap => "genotyped samples missing from the sample map",
            Self::IncompleteSampleMapRows => "sample-map rows missing a sample or patient",
            Self::MissingTherapy => "cohort rows without a therapy",
            Self::MissingOutcome => "cohort rows without an outcome value",
            Self::ReferenceLevelAbsent => "reference levels that never occur",
        }
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Where a finding first occurred: a file and, for clinical and sample-map
/// tables, a 1-based line (text) or row (Parquet); for the calls table, a
/// 1-based row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file, as given.
    pub file: String,
    /// Line or row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// One validation finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    /// What it is.
    pub kind: WarningKind,
    /// The output column concerned, for per-column findings.
    pub column: Option<String>,
    /// How many (see [`WarningKind::unit`]).
    pub count: u64,
    /// What `count` counts.
    pub unit: &'static str,
    /// Whether the counted rows were removed from the cohort.
    pub excluded: bool,
    /// The first few occurrences.
    pub first: Vec<Location>,
    /// Whether `count` is hidden with its exclusion (see
    /// [`JoinReport::suppress_partitions`]).
    pub suppressed: bool,
}

impl Warning {
    /// `count` as shown: [`SUPPRESSED`], `"<11"` or the number.
    pub fn shown_count(&self) -> String {
        if self.suppressed {
            SUPPRESSED.to_owned()
        } else {
            small_cell(self.count)
        }
    }
}

/// A count as JSON: [`SUPPRESSED`], `"<11"` or the number.
fn count_value(count: u64, suppressed: bool) -> serde_json::Value {
    if suppressed {
        SUPPRESSED.into()
    } else if (1..SMALL_CELL_LIMIT).contains(&count) {
        small_cell(count).into()
    } else {
        count.into()
    }
}

impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serde_json::Map::new();
        map.insert(
            "kind".into(),
            serde_json::to_value(self.kind).map_err(S::Error::custom)?,
        );
        if let Some(column) = &self.column {
            map.insert("column".into(), column.clone().into());
        }
        map.insert("count".into(), count_value(self.count, self.suppressed));
        map.insert("unit".into(), self.unit.into());
        map.insert("excluded".into(), self.excluded.into());
        map.insert(
            "first".into(),
            serde_json::to_value(&self.first).map_err(S::Error::custom)?,
        );
        map.serialize(serializer)
    }
}

/// Most occurrences listed per warning.
pub(crate) const MAX_LOCATIONS: usize = 5;

/// The calls table, as read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CallsReport {
    /// The file, as given.
    pub path: String,
    /// Rows.
    #[serde(serialize_with = "serialize_count")]
    pub rows: u64,
    /// Distinct samples.
    #[serde(serialize_with = "serialize_count")]
    pub samples: u64,
    /// Genes with calls.
    pub genes: Vec<String>,
}

/// The sample map, as read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SampleMapReport {
    /// The file, as given.
    pub path: String,
    /// Data rows.
    #[serde(serialize_with = "serialize_count")]
    pub rows: u64,
}

/// One clinical table, as read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClinicalFileReport {
    /// The file, as given.
    pub path: String,
    /// `csv`, `tsv`, `ssv` (semicolons), `delimited` or `parquet`.
    pub format: String,
    /// Data rows read.
    #[serde(serialize_with = "serialize_count")]
    pub rows: u64,
    /// Rows with every field empty (skipped; not data).
    #[serde(serialize_with = "serialize_count")]
    pub blank_rows: u64,
    /// Output columns this table provided (besides the ids).
    pub columns: Vec<String>,
}

/// One output column with a role.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ColumnReport {
    /// Output column name.
    pub name: String,
    /// Input column it was read from.
    pub input: String,
    /// `therapy`, `outcome`, `outcome time`, `outcome event`, `covariate`.
    pub role: &'static str,
    /// Arrow type written: `Utf8`, `Float64` or `Boolean`.
    pub data_type: &'static str,
    /// `declared` (by the configuration) or `inferred` (from the values).
    pub origin: &'static str,
    /// Cohort rows where it is null.
    #[serde(serialize_with = "serialize_count")]
    pub missing: u64,
    /// Of the clinical rows read (joined or not): how many cells of the
    /// column became missing, by the NA token they matched (`(empty)` for
    /// an empty cell, `(null)` for a typed null or NaN).
    #[serde(serialize_with = "serialize_counts")]
    pub missing_by_token: BTreeMap<String, u64>,
}

/// The cohort table written.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CohortReport {
    /// The file, as given.
    pub path: String,
    /// Rows written.
    #[serde(serialize_with = "serialize_count")]
    pub rows: u64,
    /// Distinct patients.
    #[serde(serialize_with = "serialize_count")]
    pub patients: u64,
    /// Clinical rows merged into a row of another table with the same id
    /// (and episode): columns split across tables.
    #[serde(serialize_with = "serialize_count")]
    pub merged_rows: u64,
}

/// Rows excluded for one reason: each clinical row counted once, in the
/// file it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Exclusion {
    /// The reason.
    pub reason: WarningKind,
    /// Clinical rows excluded.
    pub rows: u64,
    /// Whether `rows` is hidden (see [`JoinReport::suppress_partitions`]).
    pub suppressed: bool,
    /// `rows` split by clinical table, every table in input order.
    pub by_file: Vec<FileExclusion>,
}

/// The rows of one clinical table excluded for one reason.
#[derive(Clone, Debug, PartialEq)]
pub struct FileExclusion {
    /// The table, as given.
    pub file: String,
    /// Its rows excluded.
    pub rows: u64,
    /// Whether `rows` is hidden (see [`JoinReport::suppress_partitions`]).
    pub suppressed: bool,
}

impl Serialize for Exclusion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let by_file: Vec<serde_json::Value> = self
            .by_file
            .iter()
            .map(|f| serde_json::json!({"file": f.file, "rows": count_value(f.rows, f.suppressed)}))
            .collect();
        serde_json::json!({
            "reason": self.reason,
            "rows": count_value(self.rows, self.suppressed),
            "by_file": by_file,
        })
        .serialize(serializer)
    }
}

/// Calls of one gene among the patients in the cohort.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeneReport {
    /// HGNC symbol.
    pub gene: String,
    /// Patients with a diplotype.
    #[serde(serialize_with = "serialize_count")]
    pub called: u64,
    /// Patients with a no call.
    #[serde(serialize_with = "serialize_count")]
    pub no_call: u64,
    /// Patients whose call is flagged ambiguous.
    #[serde(serialize_with = "serialize_count")]
    pub ambiguous: u64,
    /// Patients with no row for this gene in the calls table.
    #[serde(serialize_with = "serialize_count")]
    pub not_in_calls: u64,
}

/// Everything the join found, written as `join_report.json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JoinReport {
    /// `tailor`.
    pub tool: &'static str,
    /// tailor's version.
    pub version: &'static str,
    /// The small-cell rule applied to every count.
    pub small_cell_rule: &'static str,
    /// Whether patient ids are pseudonyms.
    pub pseudonymised: bool,
    /// Fingerprint of the pseudonymisation key (equal: same key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_fingerprint: Option<String>,
    /// Whether warnings were errors.
    pub strict: bool,
    /// The calls table.
    pub calls: CallsReport,
    /// The sample map, when configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample_map: Option<SampleMapReport>,
    /// The clinical tables.
    pub clinical: Vec<ClinicalFileReport>,
    /// Output columns with roles, with their types.
    pub columns: Vec<ColumnReport>,
    /// The cohort table.
    pub cohort: CohortReport,
    /// Excluded clinical rows by reason (every reason listed).
    pub excluded: Vec<Exclusion>,
    /// Validation warnings with a non-zero count.
    pub warnings: Vec<Warning>,
    /// Calls per gene among cohort patients.
    #[serde(serialize_with = "serialize_genes")]
    pub genes: Vec<GeneReport>,
}

impl GeneReport {
    /// Which of (called, no call, without a call row) are hidden: a
    /// partition of the cohort's patients.
    pub fn masks(&self) -> [bool; 3] {
        let m = partition_masks(&[self.called, self.no_call, self.not_in_calls]);
        [m[0], m[1], m[2]]
    }
}

/// The gene table, each gene's counts masked as a partition of the
/// patients (`ambiguous`, a part of `called`, under the small-cell rule).
fn serialize_genes<S: Serializer>(genes: &[GeneReport], serializer: S) -> Result<S::Ok, S::Error> {
    let rows: Vec<serde_json::Value> = genes
        .iter()
        .map(|g| {
            let [called, no_call, not_in_calls] = g.masks();
            // A part of `called`: hidden with it (a shown part would bound
            // it), else under the small-cell rule.
            let ambiguous: serde_json::Value = match (called, g.ambiguous) {
                (_, 0) => 0.into(),
                (false, a) if a >= SMALL_CELL_LIMIT => a.into(),
                _ => SUPPRESSED.into(),
            };
            serde_json::json!({
                "gene": g.gene,
                "called": masked_value(g.called, called),
                "no_call": masked_value(g.no_call, no_call),
                "ambiguous": ambiguous,
                "not_in_calls": masked_value(g.not_in_calls, not_in_calls),
            })
        })
        .collect();
    rows.serialize(serializer)
}

/// The small-cell rule, as stated in the report.
pub(crate) const SMALL_CELL_RULE: &str = "counts from 1 to 10 are shown as \"<11\"";

impl JoinReport {
    /// Hides the exclusion counts (and the same counts among the warnings)
    /// by [`partition_masks`]: they add up to the excluded total, which the
    /// report shows. A reason's per-file counts add up to its count: all
    /// are hidden with it, else they are masked as a partition of it.
    pub fn suppress_partitions(&mut self) {
        let rows: Vec<u64> = self.excluded.iter().map(|e| e.rows).collect();
        for (exclusion, hidden) in self.excluded.iter_mut().zip(partition_masks(&rows)) {
            exclusion.suppressed = hidden;
            let per_file: Vec<u64> = exclusion.by_file.iter().map(|f| f.rows).collect();
            for (file, file_hidden) in exclusion.by_file.iter_mut().zip(partition_masks(&per_file))
            {
                file.suppressed = hidden || file_hidden;
            }
            for w in &mut self.warnings {
                if w.kind == exclusion.reason && w.column.is_none() {
                    w.suppressed = hidden;
                }
            }
        }
    }

    /// Total clinical rows excluded.
    pub fn excluded_rows(&self) -> u64 {
        self.excluded.iter().map(|e| e.rows).sum()
    }

    /// Total clinical data rows read.
    pub fn clinical_rows(&self) -> u64 {
        self.clinical.iter().map(|c| c.rows).sum()
    }
}

impl fmt::Display for JoinReport {
    /// The printed summary (small-cell rule applied, no ids).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "join: {} cohort rows ({} patients) from {} clinical rows in {} table(s); \
             {} rows excluded{}",
            small_cell(self.cohort.rows),
            small_cell(self.cohort.patients),
            small_cell(self.clinical_rows()),
            self.clinical.len(),
            small_cell(self.excluded_rows()),
            if self.pseudonymised {
                "; ids pseudonymised"
            } else {
                ""
            },
        )?;
        for column in &self.columns {
            writeln!(
                f,
                "  column {} <- {:?}: {} {} ({}), missing {}{}",
                column.name,
                column.input,
                column.role,
                column.data_type,
                column.origin,
                small_cell(column.missing),
                missing_tokens(&column.missing_by_token),
            )?;
        }
        for warning in &self.warnings {
            let column = warning
                .column
                .as_ref()
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default();
            let first = warning
                .first
                .first()
                .map(|l| match l.line {
                    Some(line) => format!(" (first: {}:{line})", l.file),
                    None => format!(" (in {})", l.file),
                })
                .unwrap_or_default();
            writeln!(
                f,
                "  warning: {}{column}: {} {}{}{first}",
                warning.kind,
                warning.shown_count(),
                warning.unit,
                if warning.excluded { ", excluded" } else { "" },
            )?;
        }
        for gene in &self.genes {
            if gene.no_call + gene.not_in_calls > 0 {
                let [called, no_call, not_in_calls] = gene.masks();
                writeln!(
                    f,
                    "  gene {}: {} called, {} no call, {} without a call row",
                    gene.gene,
                    masked(gene.called, called),
                    masked(gene.no_call, no_call),
                    masked(gene.not_in_calls, not_in_calls)
                )?;
            }
        }
        Ok(())
    }
}

pub(crate) fn format_name(format: Format) -> String {
    match serde_json::to_value(format) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_masked() {
        assert_eq!(small_cell(0), "0");
        assert_eq!(small_cell(1), "<11");
        assert_eq!(small_cell(10), "<11");
        assert_eq!(small_cell(11), "11");
        let file = |rows| FileExclusion {
            file: "a.csv".into(),
            rows,
            suppressed: false,
        };
        let exclusion = Exclusion {
            reason: WarningKind::DuplicateRows,
            rows: 3,
            suppressed: false,
            by_file: vec![file(3)],
        };
        assert_eq!(
            serde_json::to_string(&exclusion).unwrap(),
            r#"{"by_file":[{"file":"a.csv","rows":"<11"}],"reason":"duplicate_rows","rows":"<11"}"#
        );
        let exclusion = Exclusion {
            reason: WarningKind::DuplicateRows,
            rows: 0,
            suppressed: false,
            by_file: vec![file(0)],
        };
        assert_eq!(
            serde_json::to_string(&exclusion).unwrap(),
            r#"{"by_file":[{"file":"a.csv","rows":0}],"reason":"duplicate_rows","rows":0}"#
        );
    }
}
