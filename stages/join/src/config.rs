//! The `[join]` section of `tailor.toml`: which clinical column plays which role.
//!
//! ```toml
//! [join]
//! sample_id = "patient"          # clinical column holding the patient id
//! episode_id = "episode"         # optional: one row per patient x episode
//! therapy = "drug"                # or, for a single-drug cohort: therapy = { value = "warfarin" }
//! na = ["", "NA", "N/A", "NaN", ".", "NULL"]   # the default, matched ignoring case
//! decimal = "."                  # "," reads 1,5 as 1.5 (only when said here)
//! key_env = "TAILOR_JOIN_KEY"    # or key_file = "secrets/join.key"
//!
//! [join.sample_map]              # optional: VCF sample name <-> patient id
//! path = "sample_map.tsv"
//! sample_column = "vcf_sample"
//! patient_column = "patient"
//!
//! [[join.outcomes]]
//! name = "mace"
//! kind = "binary"
//! column = "MACE_1y"             # default: the name
//! higher_is_better = false
//!
//! [[join.outcomes]]
//! name = "survival"
//! kind = "time_to_event"
//! time_column = "os_days"
//! event_column = "death"
//! higher_is_better = false
//! unit = "days"
//!
//! [[join.covariates]]
//! name = "age_band"
//! kind = "categorical"           # omit `kind` to infer it from the values
//! reference = "60 - 69"
//! ```
//!
//! Paths are relative to the configuration file; the pipeline resolves them
//! before building [`crate::Options`]. The key itself is never in the
//! configuration or on the command line: only where to read it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tailor_schemas::cohort::{CovariateKind, OutcomeKind};

/// The default NA tokens, matched after trimming and ignoring ASCII case:
/// only the unambiguous ones. A word such as `unknown` is often a real
/// category (a race or smoking column's `Unknown`), so it becomes missing
/// only when `na` lists it.
pub const DEFAULT_NA: [&str; 6] = ["", "NA", "N/A", "NaN", ".", "NULL"];

/// The `[join]` section of `tailor.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinConfig {
    /// Clinical column holding the patient id (or the VCF sample name when
    /// there is no [`SampleMapConfig`]).
    pub sample_id: String,
    /// Clinical column holding an episode or visit id, when a patient may
    /// have several rows. Written as given, or, with pseudonymisation, as
    /// an HMAC pseudonym bound to the patient (the order of episodes is
    /// then not kept).
    #[serde(default)]
    pub episode_id: Option<String>,
    /// Where the therapy comes from: a clinical column (drug name or ATC
    /// code), or one value for everyone in a single-drug cohort.
    pub therapy: Therapy,
    /// Outcomes, in output column order.
    #[serde(default)]
    pub outcomes: Vec<OutcomeConfig>,
    /// Covariates, in output column order.
    #[serde(default)]
    pub covariates: Vec<CovariateConfig>,
    /// Cell values read as missing, after trimming, ignoring ASCII case.
    #[serde(default = "default_na")]
    pub na: Vec<String>,
    /// Decimal separator of numbers in text tables: `.` (default) or `,`.
    #[serde(default = "default_decimal")]
    pub decimal: char,
    /// Field delimiter of text tables (default: tab for `.tsv`/`.tab`/`.txt`,
    /// comma for `.csv` unless its header has semicolons and no comma).
    #[serde(default)]
    pub delimiter: Option<char>,
    /// Genes whose wide columns to write, in order (default: every gene in
    /// the calls table, sorted).
    #[serde(default)]
    pub genes: Option<Vec<String>>,
    /// Optional mapping from VCF sample names to patient ids.
    #[serde(default)]
    pub sample_map: Option<SampleMapConfig>,
    /// File holding the pseudonymisation key (read by the pipeline).
    #[serde(default)]
    pub key_file: Option<PathBuf>,
    /// Environment variable holding the pseudonymisation key (read by the
    /// pipeline).
    #[serde(default)]
    pub key_env: Option<String>,
    /// Pseudonymise patient ids, as `--pseudonymise` does.
    #[serde(default)]
    pub pseudonymise: bool,
}

/// Where each patient's therapy comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Therapy {
    /// The clinical column holding it: `therapy = "drug"`.
    Column(String),
    /// The same therapy for every patient (a single-drug cohort):
    /// `therapy = { value = "warfarin" }`.
    Constant(ConstantTherapy),
}

/// `therapy = { value = "..." }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstantTherapy {
    /// The therapy every patient of the cohort received.
    pub value: String,
}

fn default_na() -> Vec<String> {
    DEFAULT_NA.iter().map(|s| (*s).to_owned()).collect()
}

fn default_decimal() -> char {
    '.'
}

impl JoinConfig {
    /// A configuration with the id and therapy columns and defaults
    /// elsewhere (no outcomes, no covariates).
    pub fn new(sample_id: &str, therapy: &str) -> Self {
        Self {
            sample_id: sample_id.to_owned(),
            episode_id: None,
            therapy: Therapy::Column(therapy.to_owned()),
            outcomes: Vec::new(),
            covariates: Vec::new(),
            na: default_na(),
            decimal: default_decimal(),
            delimiter: None,
            genes: None,
            sample_map: None,
            key_file: None,
            key_env: None,
            pseudonymise: false,
        }
    }
}

/// One outcome: its output name, kind and input column(s).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeConfig {
    /// Output name (the column, or the `<name>_time`/`<name>_event` pair).
    pub name: String,
    /// Binary, continuous or time to event.
    pub kind: OutcomeKind,
    /// Input column for binary and continuous outcomes (default: `name`).
    #[serde(default)]
    pub column: Option<String>,
    /// Input column of follow-up time (time to event; default `<name>_time`).
    #[serde(default)]
    pub time_column: Option<String>,
    /// Input column of the event indicator (time to event; default
    /// `<name>_event`).
    #[serde(default)]
    pub event_column: Option<String>,
    /// Whether a higher value is better for the patient.
    #[serde(default)]
    pub higher_is_better: bool,
    /// Unit of the value or of follow-up time.
    #[serde(default)]
    pub unit: Option<String>,
}

impl OutcomeConfig {
    /// Input column of a binary or continuous outcome.
    pub fn value_column(&self) -> &str {
        self.column.as_deref().unwrap_or(&self.name)
    }

    /// Input column of follow-up time.
    pub fn time_input(&self) -> String {
        self.time_column
            .clone()
            .unwrap_or_else(|| format!("{}_time", self.name))
    }

    /// Input column of the event indicator.
    pub fn event_input(&self) -> String {
        self.event_column
            .clone()
            .unwrap_or_else(|| format!("{}_event", self.name))
    }
}

/// One covariate: output name, kind (declared or inferred) and input column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CovariateConfig {
    /// Output name.
    pub name: String,
    /// Numeric or categorical; `None` infers it: numeric when every value
    /// reads as a number, categorical otherwise (binned values such as
    /// `60 - 69` are categorical).
    #[serde(default)]
    pub kind: Option<CovariateKind>,
    /// Input column (default: `name`).
    #[serde(default)]
    pub column: Option<String>,
    /// Reference level of a categorical covariate.
    #[serde(default)]
    pub reference: Option<String>,
    /// Read bands (`50 - 59`, `90+`) as numbers by this rule (the column
    /// is then numeric).
    #[serde(default)]
    pub bands: Option<crate::bands::BandRule>,
    /// Explicit numbers for bands (`"50 - 59" = 5`), before the rule.
    #[serde(default)]
    pub band_values: std::collections::BTreeMap<String, f64>,
}

impl CovariateConfig {
    /// Input column.
    pub fn input_column(&self) -> &str {
        self.column.as_deref().unwrap_or(&self.name)
    }
}

/// A table mapping VCF sample names to patient ids (CSV, TSV or Parquet).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleMapConfig {
    /// The mapping table.
    pub path: PathBuf,
    /// Column with the VCF sample name.
    pub sample_column: String,
    /// Column with the patient id (as in the clinical tables).
    pub patient_column: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_documented_example() {
        let text = r#"
sample_id = "patient"
therapy = "drug"
decimal = ","
key_env = "TAILOR_JOIN_KEY"

[sample_map]
path = "map.tsv"
sample_column = "vcf_sample"
patient_column = "patient"

[[outcomes]]
name = "mace"
kind = "binary"
column = "MACE_1y"

[[outcomes]]
name = "survival"
kind = "time_to_event"
time_column = "os_days"
event_column = "death"
unit = "days"

[[covariates]]
name = "age_band"
reference = "60 - 69"
"#;
        let config: JoinConfig = toml::from_str(text).unwrap();
        assert_eq!(config.decimal, ',');
        assert_eq!(config.na, default_na());
        assert_eq!(config.outcomes[0].value_column(), "MACE_1y");
        assert_eq!(config.outcomes[1].kind, OutcomeKind::TimeToEvent);
        assert_eq!(config.outcomes[1].time_input(), "os_days");
        assert_eq!(config.covariates[0].kind, None);
        assert_eq!(config.covariates[0].input_column(), "age_band");
        assert!(config.sample_map.is_some());
    }

    #[test]
    fn rejects_unknown_keys() {
        let text = "sample_id = \"p\"\ntherapy = \"t\"\nkey = \"secret\"\n";
        assert!(toml::from_str::<JoinConfig>(text).is_err());
    }

    #[test]
    fn therapy_is_a_column_or_one_value() {
        let column: JoinConfig = toml::from_str("sample_id = \"p\"\ntherapy = \"drug\"\n").unwrap();
        assert_eq!(column.therapy, Therapy::Column("drug".into()));
        let constant: JoinConfig =
            toml::from_str("sample_id = \"p\"\ntherapy = { value = \"warfarin\" }\n").unwrap();
        assert_eq!(
            constant.therapy,
            Therapy::Constant(ConstantTherapy {
                value: "warfarin".into()
            })
        );
        let typo = "sample_id = \"p\"\ntherapy = { valeu = \"warfarin\" }\n";
        assert!(toml::from_str::<JoinConfig>(typo).is_err());
    }
}
