//! Reading the cohort table into typed, interned columns.

use std::collections::HashMap;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use tailor_schemas::cohort::{self, CohortRoles, CovariateKind, OutcomeKind, OutcomeRole};

use crate::{Error, Options, Result};

/// Bit of [`GeneColumns::flags`]: the call is a no call.
pub const FLAG_NO_CALL: u8 = 1;
/// Bit of [`GeneColumns::flags`]: several diplotypes fit.
pub const FLAG_AMBIGUOUS: u8 = 2;
/// Bit of [`GeneColumns::flags`]: CYP2D6 called from SNVs alone.
pub const FLAG_SNV_ONLY: u8 = 4;

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

/// A string column as codes into its distinct values (memory stays small
/// for a million rows x many genes).
#[derive(Clone, Debug, Default)]
pub struct Interned {
    /// Code per row.
    pub codes: Vec<Option<u32>>,
    /// Distinct values, in order of first appearance.
    pub levels: Vec<String>,
}

impl Interned {
    /// The value of row `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.codes[i].map(|c| self.levels[c as usize].as_str())
    }

    /// Builds the codes from an iterator of values.
    pub fn from_values<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Self {
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut levels = Vec::new();
        let codes = values
            .map(|v| {
                v.map(|v| match index.get(v) {
                    Some(&c) => c,
                    None => {
                        let c = levels.len() as u32;
                        levels.push(v.to_owned());
                        index.insert(v.to_owned(), c);
                        c
                    }
                })
            })
            .collect();
        Self { codes, levels }
    }
}

/// A gene's wide columns, interned.
#[derive(Clone, Debug)]
pub struct GeneColumns {
    /// HGNC symbol.
    pub gene: String,
    /// Phenotype per row.
    pub phenotype: Interned,
    /// Diplotype per row.
    pub diplotype: Interned,
    /// Activity score per row.
    pub activity_score: Vec<Option<f64>>,
    /// Flag bits per row ([`FLAG_NO_CALL`], ...).
    pub flags: Vec<u8>,
    /// Source per row (`vcf`, `bam`, `outside`).
    pub source: Interned,
}

/// The cohort, column by column.
#[derive(Clone, Debug)]
pub struct Cohort {
    /// Number of rows (episodes).
    pub rows: usize,
    /// Interned patient id per row (ids themselves are never kept).
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
    /// Genes analysed.
    pub genes: Vec<GeneColumns>,
}

struct Columns<'a> {
    path: &'a Path,
    batches: &'a [RecordBatch],
}

impl Columns<'_> {
    fn arrays(&self, name: &str, expected: &'static str) -> Result<Vec<ArrayRef>> {
        let mut out = Vec::with_capacity(self.batches.len());
        for batch in self.batches {
            let array = batch.column_by_name(name).ok_or_else(|| Error::Column {
                path: self.path.to_path_buf(),
                column: name.to_owned(),
                problem: "is missing".to_owned(),
                expected,
            })?;
            out.push(array.clone());
        }
        Ok(out)
    }

    fn wrong(&self, name: &str, found: &DataType, expected: &'static str) -> Error {
        Error::Column {
            path: self.path.to_path_buf(),
            column: name.to_owned(),
            problem: format!("has type {found}"),
            expected,
        }
    }

    fn strings(&self, name: &str) -> Result<Vec<Option<String>>> {
        let mut out = Vec::new();
        for array in self.arrays(name, "Utf8")? {
            match array.data_type() {
                DataType::Utf8 => out.extend(
                    array
                        .as_string::<i32>()
                        .iter()
                        .map(|v| v.map(str::to_owned)),
                ),
                DataType::LargeUtf8 => out.extend(
                    array
                        .as_string::<i64>()
                        .iter()
                        .map(|v| v.map(str::to_owned)),
                ),
                DataType::Utf8View => {
                    out.extend(array.as_string_view().iter().map(|v| v.map(str::to_owned)))
                }
                DataType::Null => out.extend(std::iter::repeat_n(None, array.len())),
                other => return Err(self.wrong(name, other, "Utf8")),
            }
        }
        Ok(out)
    }

    fn interned(&self, name: &str) -> Result<Interned> {
        let mut arrays = Vec::new();
        for array in self.arrays(name, "Utf8")? {
            match array.data_type() {
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => {
                    arrays.push(array)
                }
                other => return Err(self.wrong(name, other, "Utf8")),
            }
        }
        let iter = arrays
            .iter()
            .flat_map(|array| -> Box<dyn Iterator<Item = Option<&str>>> {
                match array.data_type() {
                    DataType::Utf8 => Box::new(array.as_string::<i32>().iter()),
                    DataType::LargeUtf8 => Box::new(array.as_string::<i64>().iter()),
                    DataType::Utf8View => Box::new(array.as_string_view().iter()),
                    _ => Box::new(std::iter::repeat_n(None, array.len())),
                }
            });
        Ok(Interned::from_values(iter))
    }

    fn floats(&self, name: &str) -> Result<Vec<Option<f64>>> {
        let mut out = Vec::new();
        for array in self.arrays(name, "Float64")? {
            match array.data_type() {
                DataType::Float64 => out.extend(
                    array
                        .as_primitive::<arrow_array::types::Float64Type>()
                        .iter()
                        .map(|v| v.filter(|x| x.is_finite())),
                ),
                DataType::Null => out.extend(std::iter::repeat_n(None, array.len())),
                other => return Err(self.wrong(name, other, "Float64")),
            }
        }
        Ok(out)
    }

    fn booleans(&self, name: &str) -> Result<Vec<Option<bool>>> {
        let mut out = Vec::new();
        for array in self.arrays(name, "Boolean")? {
            match array.data_type() {
                DataType::Boolean => out.extend(array.as_boolean().iter()),
                DataType::Null => out.extend(std::iter::repeat_n(None, array.len())),
                other => return Err(self.wrong(name, other, "Boolean")),
            }
        }
        Ok(out)
    }

    fn flags(&self, name: &str) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        for array in self.arrays(name, "List<Utf8>")? {
            match array.data_type() {
                DataType::List(_) => {
                    let list = array.as_list::<i32>();
                    for i in 0..list.len() {
                        let mut bits = 0u8;
                        if list.is_valid(i) {
                            let item = list.value(i);
                            let strings: Vec<String> = match item.data_type() {
                                DataType::Utf8 => item
                                    .as_string::<i32>()
                                    .iter()
                                    .flatten()
                                    .map(str::to_owned)
                                    .collect(),
                                DataType::LargeUtf8 => item
                                    .as_string::<i64>()
                                    .iter()
                                    .flatten()
                                    .map(str::to_owned)
                                    .collect(),
                                other => return Err(self.wrong(name, other, "List<Utf8>")),
                            };
                            for flag in strings {
                                bits |= match flag.as_str() {
                                    "no_call" | "no-call" => FLAG_NO_CALL,
                                    "ambiguous" => FLAG_AMBIGUOUS,
                                    "snv_only" => FLAG_SNV_ONLY,
                                    _ => 0,
                                };
                            }
                        }
                        out.push(bits);
                    }
                }
                DataType::Null => out.extend(std::iter::repeat_n(0, array.len())),
                other => return Err(self.wrong(name, other, "List<Utf8>")),
            }
        }
        Ok(out)
    }
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

/// Reads the cohort table at `path`, keeping the outcomes, covariates and
/// genes `options` select.
///
/// # Errors
/// [`Error::Table`] if the file is not a tailor cohort table, [`Error::Roles`]
/// without role metadata, [`Error::Column`] for a missing or mistyped column,
/// [`Error::UnknownName`] for a configured name the cohort lacks.
pub fn read_cohort(path: &Path, options: &Options) -> Result<(Cohort, CohortRoles)> {
    let table = tailor_tables::read_table(path)?;
    table.expect_table(path, cohort::TABLE)?;
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
    let columns = Columns {
        path,
        batches: &table.batches,
    };
    let rows = table.num_rows();

    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut patient = Vec::with_capacity(rows);
    let mut repeated_patients = false;
    for id in columns.strings(cohort::PATIENT_ID)? {
        let key = id.unwrap_or_default();
        let next = ids.len() as u32;
        let code = *ids.entry(key).or_insert(next);
        if code != next {
            repeated_patients = true;
        }
        patient.push(code);
    }
    drop(ids);

    let therapy_raw = columns.strings(cohort::THERAPY)?;
    let mut therapies: Vec<String> = therapy_raw.iter().flatten().cloned().collect();
    therapies.sort();
    therapies.dedup();
    let therapy_index: HashMap<&str, u32> = therapies
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i as u32))
        .collect();
    let therapy = therapy_raw
        .iter()
        .map(|t| t.as_deref().and_then(|t| therapy_index.get(t).copied()))
        .collect();

    for name in &options.outcomes {
        if !roles.outcomes.iter().any(|o| &o.name == name) {
            return Err(unknown(
                path,
                "outcomes",
                name,
                roles.outcomes.iter().map(|o| o.name.clone()).collect(),
            ));
        }
    }
    let mut outcomes = Vec::new();
    for role in &roles.outcomes {
        if !options.outcomes.is_empty() && !options.outcomes.contains(&role.name) {
            continue;
        }
        let values = match role.kind {
            OutcomeKind::Binary => OutcomeValues::Binary(columns.booleans(&role.name)?),
            OutcomeKind::Continuous => OutcomeValues::Continuous(columns.floats(&role.name)?),
            OutcomeKind::TimeToEvent => OutcomeValues::TimeToEvent {
                time: columns
                    .floats(&role.time_column())?
                    .into_iter()
                    .map(|t| t.filter(|t| *t >= 0.0))
                    .collect(),
                event: columns.booleans(&role.event_column())?,
            },
        };
        outcomes.push(Outcome {
            role: role.clone(),
            values,
        });
    }

    let mut covariates = Vec::new();
    for name in &options.covariates {
        let role = roles
            .covariates
            .iter()
            .find(|c| &c.name == name)
            .ok_or_else(|| {
                unknown(
                    path,
                    "covariates",
                    name,
                    roles.covariates.iter().map(|c| c.name.clone()).collect(),
                )
            })?;
        let values = match role.kind {
            CovariateKind::Numeric => CovariateValues::Numeric(columns.floats(name)?),
            CovariateKind::Categorical => {
                let raw = columns.strings(name)?;
                let mut levels: Vec<String> = raw.iter().flatten().cloned().collect();
                levels.sort();
                levels.dedup();
                let index: HashMap<&str, u32> = levels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (l.as_str(), i as u32))
                    .collect();
                let codes = raw
                    .iter()
                    .map(|v| v.as_deref().and_then(|v| index.get(v).copied()))
                    .collect();
                let reference = role
                    .reference
                    .as_deref()
                    .and_then(|r| index.get(r).copied());
                CovariateValues::Categorical {
                    codes,
                    levels,
                    reference,
                }
            }
        };
        covariates.push(Covariate { values });
    }

    for gene in &options.genes {
        if !roles.genes.contains(gene) {
            return Err(unknown(path, "genes", gene, roles.genes.clone()));
        }
    }
    let mut genes = Vec::new();
    for gene in &roles.genes {
        if !options.genes.is_empty() && !options.genes.contains(gene) {
            continue;
        }
        genes.push(GeneColumns {
            gene: gene.clone(),
            phenotype: columns.interned(&cohort::gene_column(gene, cohort::PHENOTYPE))?,
            diplotype: columns.interned(&cohort::gene_column(gene, cohort::DIPLOTYPE))?,
            activity_score: columns.floats(&cohort::gene_column(gene, cohort::ACTIVITY_SCORE))?,
            flags: columns.flags(&cohort::gene_column(gene, cohort::FLAGS))?,
            source: columns.interned(&cohort::gene_column(gene, cohort::SOURCE))?,
        });
    }

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
            patient,
            repeated_patients,
            therapy,
            therapies,
            outcomes,
            covariates,
            genes,
        },
        roles,
    ))
}
