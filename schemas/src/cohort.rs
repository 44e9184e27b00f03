//! The cohort table: one row per patient (x therapy episode).
//!
//! Written by `tailor join`, read by `tailor estimate`. Columns:
//!
//! - the fixed columns [`PATIENT_ID`], [`EPISODE_ID`], [`THERAPY`];
//! - one column per outcome: binary -> `Boolean` named as the outcome;
//!   continuous -> `Float64` named as the outcome; time to event -> `Float64`
//!   `<name>_time` and `Boolean` `<name>_event` (see [`OutcomeRole`]);
//! - one column per covariate: numeric -> `Float64`, categorical -> `Utf8`;
//! - for every gene, the wide columns named by [`gene_column`] with the
//!   fields [`GENE_FIELDS`]: `<GENE>_phenotype` (`Utf8`), `<GENE>_diplotype`
//!   (`Utf8`), `<GENE>_activity_score` (`Float64`), `<GENE>_flags`
//!   (`List<Utf8>`) and `<GENE>_source` (`Utf8`: `vcf`, `bam` or `outside`),
//!   copied unchanged from the calls table's `phenotype`, `diplotype`,
//!   `activity_score`, `flags` and `source` (see [`crate::calls`]): what they
//!   hold for no calls and ambiguous calls is the calls table's contract, and
//!   `<GENE>_flags` says which (`no_call`, `ambiguous`, ...). All five are
//!   null when the calls table has no row for the patient's sample and gene.
//!   One exception: a single-variant gene's diplotype (PharmCAT's
//!   `rs9923231 reference (C)/rs9923231 variant (T)`) reads as a genotype,
//!   reference allele first (`C/T`; VKORC1 `C/T (-1639 AG)`), and the
//!   metadata of its `<GENE>_diplotype` column holds the rsID
//!   (`tailor.rsid`) and the reference allele (`tailor.reference_allele`;
//!   see [`crate::single_variant`]).
//!
//! Rows are sorted by `patient_id`, then `episode_id`. With
//! `--pseudonymise`, `patient_id` is the HMAC-SHA256 of the trimmed patient
//! id under the user's key (64 lowercase hex digits) and the metadata entry
//! [`PSEUDONYMISED_KEY`] is `true`.
//!
//! The roles of the outcome and covariate columns travel with the file, as
//! JSON under the metadata key [`ROLES_KEY`] ([`CohortRoles`]), so that
//! `tailor estimate` needs no copy of the join configuration.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};
use serde::{Deserialize, Serialize};

/// Version of this table's schema; bump on any column change.
pub const SCHEMA_VERSION: u32 = 1;
/// The table's name in metadata and file names (`cohort.parquet`).
pub const TABLE: &str = "cohort";
/// Parquet key-value metadata entry holding [`CohortRoles`] as JSON.
pub const ROLES_KEY: &str = "tailor.cohort_roles";

/// Parquet key-value metadata entry: `true` when `patient_id` holds
/// pseudonyms, `false` when it holds the ids as given.
pub const PSEUDONYMISED_KEY: &str = "tailor.pseudonymised";

/// Patient id: HMAC-SHA256 pseudonym (lowercase hex) with `--pseudonymise`.
pub const PATIENT_ID: &str = "patient_id";
/// Episode or visit id, when the configuration names one (an HMAC
/// pseudonym bound to the patient with `--pseudonymise`).
pub const EPISODE_ID: &str = "episode_id";
/// Therapy received in this episode.
pub const THERAPY: &str = "therapy";

/// Phenotype field of a gene's wide columns.
pub const PHENOTYPE: &str = "phenotype";
/// Diplotype field of a gene's wide columns.
pub const DIPLOTYPE: &str = "diplotype";
/// Activity-score field of a gene's wide columns.
pub const ACTIVITY_SCORE: &str = "activity_score";
/// Flags field of a gene's wide columns.
pub const FLAGS: &str = "flags";
/// Source field of a gene's wide columns.
pub const SOURCE: &str = "source";
/// The per-gene fields, in column order.
pub const GENE_FIELDS: [&str; 5] = [PHENOTYPE, DIPLOTYPE, ACTIVITY_SCORE, FLAGS, SOURCE];

/// Name of the wide column for `gene`'s `field` (e.g. `CYP2C19_phenotype`).
pub fn gene_column(gene: &str, field: &str) -> String {
    format!("{gene}_{field}")
}

/// The Arrow fields of one gene's wide columns, in [`GENE_FIELDS`] order.
pub fn gene_fields(gene: &str) -> Vec<Field> {
    let flags = DataType::List(Arc::new(Field::new("item", DataType::Utf8, false)));
    vec![
        Field::new(gene_column(gene, PHENOTYPE), DataType::Utf8, true),
        Field::new(gene_column(gene, DIPLOTYPE), DataType::Utf8, true),
        Field::new(gene_column(gene, ACTIVITY_SCORE), DataType::Float64, true),
        Field::new(gene_column(gene, FLAGS), flags, true),
        Field::new(gene_column(gene, SOURCE), DataType::Utf8, true),
    ]
}

/// The fixed columns of the cohort table; outcome, covariate and per-gene
/// columns follow them.
pub fn fixed_fields() -> Vec<Field> {
    vec![
        Field::new(PATIENT_ID, DataType::Utf8, false),
        Field::new(EPISODE_ID, DataType::Utf8, true),
        Field::new(THERAPY, DataType::Utf8, true),
    ]
}

/// The full schema for the given roles and genes.
pub fn schema(roles: &CohortRoles) -> SchemaRef {
    let mut fields = fixed_fields();
    for outcome in &roles.outcomes {
        match outcome.kind {
            OutcomeKind::Binary => {
                fields.push(Field::new(&outcome.name, DataType::Boolean, true));
            }
            OutcomeKind::Continuous => {
                fields.push(Field::new(&outcome.name, DataType::Float64, true));
            }
            OutcomeKind::TimeToEvent => {
                fields.push(Field::new(outcome.time_column(), DataType::Float64, true));
                fields.push(Field::new(outcome.event_column(), DataType::Boolean, true));
            }
        }
    }
    for covariate in &roles.covariates {
        let data_type = match covariate.kind {
            CovariateKind::Numeric => DataType::Float64,
            CovariateKind::Categorical => DataType::Utf8,
        };
        fields.push(Field::new(&covariate.name, data_type, true));
    }
    for gene in &roles.genes {
        fields.extend(gene_fields(gene));
    }
    Arc::new(Schema::new(fields))
}

/// What the non-fixed columns of a cohort table mean.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CohortRoles {
    /// Outcomes, in column order.
    pub outcomes: Vec<OutcomeRole>,
    /// Covariates, in column order.
    pub covariates: Vec<CovariateRole>,
    /// Genes with wide columns, in column order.
    pub genes: Vec<String>,
}

/// Kind of an outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// Event yes/no (`Boolean` column).
    Binary,
    /// A measurement (`Float64` column).
    Continuous,
    /// Follow-up time and event indicator (`<name>_time`, `<name>_event`).
    TimeToEvent,
}

/// One outcome column (or pair, for time to event).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeRole {
    /// Outcome name, as configured.
    pub name: String,
    /// Binary, continuous or time to event.
    pub kind: OutcomeKind,
    /// Whether a higher value (more events, a larger mean, a shorter time to
    /// event counts as *higher hazard*) is better for the patient.
    pub higher_is_better: bool,
    /// Unit of the value or of follow-up time (e.g. `days`), when given.
    #[serde(default)]
    pub unit: Option<String>,
}

impl OutcomeRole {
    /// Column of follow-up time for a time-to-event outcome.
    pub fn time_column(&self) -> String {
        format!("{}_time", self.name)
    }

    /// Column of the event indicator for a time-to-event outcome.
    pub fn event_column(&self) -> String {
        format!("{}_event", self.name)
    }
}

/// Kind of a covariate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CovariateKind {
    /// A number (`Float64` column), e.g. age or an ancestry principal component.
    Numeric,
    /// A category (`Utf8` column), dummy-coded against `reference`.
    Categorical,
}

/// One covariate column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CovariateRole {
    /// Column name, as configured.
    pub name: String,
    /// Numeric or categorical.
    pub kind: CovariateKind,
    /// Reference level of a categorical covariate (default: the most frequent).
    #[serde(default)]
    pub reference: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_wide_schema_from_roles() {
        let roles = CohortRoles {
            outcomes: vec![
                OutcomeRole {
                    name: "mace".into(),
                    kind: OutcomeKind::Binary,
                    higher_is_better: false,
                    unit: None,
                },
                OutcomeRole {
                    name: "survival".into(),
                    kind: OutcomeKind::TimeToEvent,
                    higher_is_better: false,
                    unit: Some("days".into()),
                },
            ],
            covariates: vec![CovariateRole {
                name: "age".into(),
                kind: CovariateKind::Numeric,
                reference: None,
            }],
            genes: vec!["CYP2C19".into()],
        };
        let schema = schema(&roles);
        let names: Vec<_> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(
            names,
            [
                "patient_id",
                "episode_id",
                "therapy",
                "mace",
                "survival_time",
                "survival_event",
                "age",
                "CYP2C19_phenotype",
                "CYP2C19_diplotype",
                "CYP2C19_activity_score",
                "CYP2C19_flags",
                "CYP2C19_source",
            ]
        );
        let json = serde_json::to_string(&roles).unwrap();
        assert!(json.contains("\"time_to_event\""));
        let back: CohortRoles = serde_json::from_str(&json).unwrap();
        assert_eq!(back, roles);
    }
}
