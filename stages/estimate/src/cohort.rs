//! Reading the cohort table into typed columns, a batch of rows at a time
//! and only the columns the analysis uses: patient codes, therapy codes,
//! outcomes and covariates. Genes are read one at a time, straight into
//! their subgroup codes (see `gene_subgroups`), so no gene's text columns
//! and no Arrow batch of the whole file are ever held.

use std::path::Path;

use arrow_array::RecordBatch;
use arrow_schema::Schema;
use tailor_schemas::cohort::{
    self, CohortRoles, CovariateKind, CovariateRole, OutcomeKind, OutcomeRole,
};
use tailor_tables::TableBatches;

use crate::column_view::{check_column, Booleans, Expected, Floats, Text};
use crate::gene_subgroups::gene_columns;
use crate::levels::LevelsBuilder;
use crate::patients::number_patients;
use crate::{Error, Options, Result};

/// Values of one outcome.
#[derive(Clone, Debug)]
pub enum OutcomeValues {
    /// Event yes/no.
    Binary(Vec<Option<bool>>),
    /// A measurement (non-finite values read as missing).
    Continuous(Vec<Option<f64>>),
    /// Follow-up time (negative or non-finite read as missing) and event.
    TimeToEvent {
        /// Follow-up time.
        time: Vec<Option<f64>>,
        /// Event indicator.
        event: Vec<Option<bool>>,
    },
}

/// One outcome: its role and values.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Name, kind and direction.
    pub role: OutcomeRole,
    /// The values, one per row.
    pub values: OutcomeValues,
}

impl Outcome {
    /// Whether row `i` has a usable value.
    pub fn present(&self, i: usize) -> bool {
        match &self.values {
            OutcomeValues::Binary(v) => v[i].is_some(),
            OutcomeValues::Continuous(v) => v[i].is_some(),
            OutcomeValues::TimeToEvent { time, event } => time[i].is_some() && event[i].is_some(),
        }
    }
}

/// Values of one covariate.
#[derive(Clone, Debug)]
pub enum CovariateValues {
    /// Numbers.
    Numeric(Vec<Option<f64>>),
    /// Level codes into `levels`; `reference` is the configured reference
    /// level's code, if the cohort roles name one that occurs.
    Categorical {
        /// Code per row.
        codes: Vec<Option<u32>>,
        /// Level names.
        levels: Vec<String>,
        /// Configured reference level.
        reference: Option<u32>,
    },
}

/// One covariate.
#[derive(Clone, Debug)]
pub struct Covariate {
    /// Values.
    pub values: CovariateValues,
}

impl Covariate {
    /// Whether row `i` has a value.
    pub fn present(&self, i: usize) -> bool {
        match &self.values {
            CovariateValues::Numeric(v) => v[i].is_some(),
            CovariateValues::Categorical { codes, .. } => codes[i].is_some(),
        }
    }
}

/// The cohort, column by column.
#[derive(Clone, Debug)]
pub struct Cohort {
    /// Number of rows (episodes).
    pub rows: usize,
    /// Patient code per row (ids themselves are never kept).
    pub patient: Vec<u32>,
    /// Whether some patient has several rows.
    pub repeated_patients: bool,
    /// Therapy code per row, into `therapies`.
    pub therapy: Vec<Option<u32>>,
    /// Therapy names, sorted.
    pub therapies: Vec<String>,
    /// Outcomes analysed.
    pub outcomes: Vec<Outcome>,
    /// Covariates of the adjusted models.
    pub covariates: Vec<Covariate>,
    /// Genes analysed (HGNC symbols), in the cohort's order.
    pub genes: Vec<String>,
}

fn unknown(path: &Path, setting: &'static str, value: &str, available: Vec<String>) -> Error {
    Error::UnknownName {
        path: path.to_path_buf(),
        setting,
        value: value.to_owned(),
        available: if available.is_empty() {
            "(none)".to_owned()
        } else {
            available.join(", ")
        },
    }
}

/// A covariate while its rows are read.
enum CovariateBuilder<'r> {
    Numeric(Vec<Option<f64>>),
    Categorical(LevelsBuilder, &'r CovariateRole),
}

impl CovariateBuilder<'_> {
    fn finish(self) -> Covariate {
        let values = match self {
            Self::Numeric(v) => CovariateValues::Numeric(v),
            Self::Categorical(builder, role) => {
                let levels = builder.finish();
                let reference = role.reference.as_deref().and_then(|r| levels.code(r));
                CovariateValues::Categorical {
                    codes: levels.codes.iter().collect(),
                    levels: levels.levels,
                    reference,
                }
            }
        };
        Covariate { values }
    }
}

/// The columns of the table at `path` that the main pass reads (patient
/// id, therapy, outcomes, covariates), each checked against the file's
/// `schema` in the order the roles name them, then every selected gene's
/// columns; names configured in `options` that the cohort lacks are
/// errors.
fn checked_columns(
    path: &Path,
    schema: &Schema,
    roles: &CohortRoles,
    options: &Options,
) -> Result<Vec<String>> {
    let mut columns = Vec::new();
    let mut check = |name: String, expected| -> Result<()> {
        check_column(path, schema, &name, expected)?;
        columns.push(name);
        Ok(())
    };
    check(cohort::PATIENT_ID.to_owned(), Expected::Utf8)?;
    check(cohort::THERAPY.to_owned(), Expected::Utf8)?;
    for name in &options.outcomes {
        if !roles.outcomes.iter().any(|o| &o.name == name) {
            let available = roles.outcomes.iter().map(|o| o.name.clone()).collect();
            return Err(unknown(path, "outcomes", name, available));
        }
    }
    for role in selected_outcomes(roles, options) {
        match role.kind {
            OutcomeKind::Binary => check(role.name.clone(), Expected::Boolean)?,
            OutcomeKind::Continuous => check(role.name.clone(), Expected::Float64)?,
            OutcomeKind::TimeToEvent => {
                check(role.time_column(), Expected::Float64)?;
                check(role.event_column(), Expected::Boolean)?;
            }
        }
    }
    for role in selected_covariates(path, roles, options)? {
        let expected = match role.kind {
            CovariateKind::Numeric => Expected::Float64,
            CovariateKind::Categorical => Expected::Utf8,
        };
        check(role.name.clone(), expected)?;
    }
    for gene in &options.genes {
        if !roles.genes.contains(gene) {
            return Err(unknown(path, "genes", gene, roles.genes.clone()));
        }
    }
    for gene in selected_genes(roles, options) {
        for (name, expected) in gene_columns(gene) {
            check_column(path, schema, &name, expected)?;
        }
    }
    Ok(columns)
}

/// The items of `all` whose name is `wanted`, or all of them when none is.
fn selected<'r, T>(
    all: &'r [T],
    wanted: &'r [String],
    name: impl Fn(&T) -> &str,
) -> impl Iterator<Item = &'r T> {
    all.iter()
        .filter(move |item| wanted.is_empty() || wanted.iter().any(|w| w == name(item)))
}

fn selected_outcomes<'r>(
    roles: &'r CohortRoles,
    options: &'r Options,
) -> impl Iterator<Item = &'r OutcomeRole> {
    selected(&roles.outcomes, &options.outcomes, |r| &r.name)
}

fn selected_covariates<'r>(
    path: &Path,
    roles: &'r CohortRoles,
    options: &Options,
) -> Result<Vec<&'r CovariateRole>> {
    options
        .covariates
        .iter()
        .map(|name| {
            roles
                .covariates
                .iter()
                .find(|c| &c.name == name)
                .ok_or_else(|| {
                    let available = roles.covariates.iter().map(|c| c.name.clone()).collect();
                    unknown(path, "covariates", name, available)
                })
        })
        .collect()
}

fn selected_genes<'r>(
    roles: &'r CohortRoles,
    options: &'r Options,
) -> impl Iterator<Item = &'r String> {
    selected(&roles.genes, &options.genes, String::as_str)
}

/// Appends the rows of `batch` to an outcome's values.
fn append_outcome(path: &Path, batch: &RecordBatch, outcome: &mut Outcome) -> Result<()> {
    let rows = 0..batch.num_rows();
    match &mut outcome.values {
        OutcomeValues::Binary(v) => {
            let column = Booleans::of(path, batch, &outcome.role.name)?;
            v.extend(rows.map(|i| column.get(i)));
        }
        OutcomeValues::Continuous(v) => {
            let column = Floats::of(path, batch, &outcome.role.name)?;
            v.extend(rows.map(|i| column.get(i)));
        }
        OutcomeValues::TimeToEvent { time, event } => {
            let times = Floats::of(path, batch, &outcome.role.time_column())?;
            let events = Booleans::of(path, batch, &outcome.role.event_column())?;
            time.extend(rows.clone().map(|i| times.get(i).filter(|t| *t >= 0.0)));
            event.extend(rows.map(|i| events.get(i)));
        }
    }
    Ok(())
}

/// Appends the rows of `batch` to a covariate's values.
fn append_covariate(
    path: &Path,
    batch: &RecordBatch,
    name: &str,
    covariate: &mut CovariateBuilder<'_>,
) -> Result<()> {
    let rows = 0..batch.num_rows();
    match covariate {
        CovariateBuilder::Numeric(v) => {
            let column = Floats::of(path, batch, name)?;
            v.extend(rows.map(|i| column.get(i)));
        }
        CovariateBuilder::Categorical(levels, _) => {
            let column = Text::of(path, batch, name)?;
            for i in rows {
                levels.push(column.get(i));
            }
        }
    }
    Ok(())
}

/// Reads the cohort table at `path`, keeping the outcomes, covariates and
/// genes `options` select.
///
/// # Errors
/// [`Error::Table`] if the file is not a tailor cohort table, [`Error::Roles`]
/// without role metadata, [`Error::Column`] for a missing or mistyped column,
/// [`Error::UnknownName`] for a configured name the cohort lacks.
pub fn read_cohort(path: &Path, options: &Options) -> Result<(Cohort, CohortRoles)> {
    let table = TableBatches::open(path, None)?;
    table.expect_table(cohort::TABLE)?;
    let roles_json = table
        .metadata(cohort::ROLES_KEY)
        .ok_or_else(|| Error::Roles {
            path: path.to_path_buf(),
            key: cohort::ROLES_KEY,
            source: None,
        })?;
    let roles: CohortRoles = serde_json::from_str(roles_json).map_err(|source| Error::Roles {
        path: path.to_path_buf(),
        key: cohort::ROLES_KEY,
        source: Some(source),
    })?;
    let schema = table.schema();
    drop(table);
    let columns = checked_columns(path, &schema, &roles, options)?;

    let patients = number_patients(path)?;
    let rows = patients.codes.len();
    let mut therapy = LevelsBuilder::default();
    let mut outcomes: Vec<Outcome> = selected_outcomes(&roles, options)
        .map(|role| Outcome {
            role: role.clone(),
            values: match role.kind {
                OutcomeKind::Binary => OutcomeValues::Binary(Vec::with_capacity(rows)),
                OutcomeKind::Continuous => OutcomeValues::Continuous(Vec::with_capacity(rows)),
                OutcomeKind::TimeToEvent => OutcomeValues::TimeToEvent {
                    time: Vec::with_capacity(rows),
                    event: Vec::with_capacity(rows),
                },
            },
        })
        .collect();
    let covariate_roles = selected_covariates(path, &roles, options)?;
    let mut covariates: Vec<CovariateBuilder<'_>> = covariate_roles
        .iter()
        .map(|role| match role.kind {
            CovariateKind::Numeric => CovariateBuilder::Numeric(Vec::with_capacity(rows)),
            CovariateKind::Categorical => {
                CovariateBuilder::Categorical(LevelsBuilder::default(), role)
            }
        })
        .collect();
    // The patient ids were read by `number_patients`.
    let names: Vec<&str> = columns[1..].iter().map(String::as_str).collect();
    for batch in TableBatches::open(path, Some(&names))? {
        let batch = batch?;
        let therapies = Text::of(path, &batch, cohort::THERAPY)?;
        for i in 0..batch.num_rows() {
            therapy.push(therapies.get(i));
        }
        for outcome in &mut outcomes {
            append_outcome(path, &batch, outcome)?;
        }
        for (covariate, role) in covariates.iter_mut().zip(&covariate_roles) {
            append_covariate(path, &batch, &role.name, covariate)?;
        }
    }
    let therapy = therapy.finish();
    let therapies = therapy.levels;

    if let Some(comparator) = &options.comparator {
        if !therapies.contains(comparator) {
            return Err(unknown(path, "comparator", comparator, therapies.clone()));
        }
    }
    for gene in options.reference_subgroups.keys() {
        if !roles.genes.contains(gene) {
            return Err(unknown(
                path,
                "reference_subgroups",
                gene,
                roles.genes.clone(),
            ));
        }
    }

    Ok((
        Cohort {
            rows,
            patient: patients.codes,
            repeated_patients: patients.repeated,
            therapy: therapy.codes.iter().collect(),
            therapies,
            outcomes,
            covariates: covariates
                .into_iter()
                .map(CovariateBuilder::finish)
                .collect(),
            genes: selected_genes(&roles, options).cloned().collect(),
        },
        roles,
    ))
}
