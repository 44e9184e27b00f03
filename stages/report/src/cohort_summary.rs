//! Per-gene call status and phenotype (or diplotype) distributions of the
//! cohort's patients, counted from `cohort.parquet` in one streaming pass.
//!
//! The cohort table is sorted by patient, so a patient's repeated episodes
//! are adjacent and each patient is counted once, with the genotype of the
//! first episode (every episode of a patient carries the same calls).

use std::collections::BTreeMap;
use std::path::Path;

use tailor_schemas::cohort::{self, CohortRoles};
use tailor_tables::TableBatches;

use crate::columns::{list_at, text_at, Columns};
use crate::{Error, Result};

/// The flag that marks a gene without a call.
const NO_CALL_FLAG: &str = tailor_schemas::calls::flags::NO_CALL;

/// How one gene's calls fell out over the cohort's patients.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GeneCounts {
    /// Patients by phenotype (called, with a phenotype).
    pub phenotypes: BTreeMap<String, u64>,
    /// Patients by diplotype (called).
    pub diplotypes: BTreeMap<String, u64>,
    /// Patients called without a phenotype.
    pub without_phenotype: u64,
    /// Patients without a call.
    pub no_call: u64,
    /// No-call patients by the other flags they carry (the reasons).
    pub no_call_reasons: BTreeMap<String, u64>,
}

impl GeneCounts {
    /// Patients with a call.
    pub fn called(&self) -> u64 {
        self.diplotypes.values().sum()
    }
}

/// What the report needs of the cohort table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CohortSummary {
    /// Rows (patient x therapy episode).
    pub episodes: u64,
    /// Distinct patients.
    pub patients: u64,
    /// Whether patient ids are pseudonyms.
    pub pseudonymised: bool,
    /// The definitions version the calls were made with.
    pub definitions_version: Option<String>,
    /// The roles of the cohort's columns (outcomes, covariates, genes).
    pub roles: CohortRoles,
    /// The cohort table's key-value metadata (its inputs among them).
    pub key_values: std::collections::BTreeMap<String, String>,
    /// Per gene, in the cohort's gene order.
    pub genes: Vec<(String, GeneCounts)>,
}

/// Counts the cohort table at `path`, reading only the id and per-gene
/// phenotype, diplotype and flags columns, a batch at a time.
///
/// # Errors
/// The table cannot be read, is not a cohort table, or its roles metadata
/// is missing or unreadable.
pub fn summarise_cohort(path: &Path) -> Result<CohortSummary> {
    let probe = TableBatches::open(path, Some(&[cohort::PATIENT_ID]))?;
    probe.expect_table(cohort::TABLE)?;
    let metadata = probe.key_values().clone();
    drop(probe);
    let roles: CohortRoles = metadata
        .get(cohort::ROLES_KEY)
        .and_then(|json| serde_json::from_str(json).ok())
        .ok_or_else(|| Error::Column {
            path: path.to_path_buf(),
            column: cohort::ROLES_KEY.to_owned(),
            kind: "metadata",
        })?;
    let mut names = vec![cohort::PATIENT_ID.to_owned()];
    for gene in &roles.genes {
        for field in [cohort::PHENOTYPE, cohort::DIPLOTYPE, cohort::FLAGS] {
            names.push(cohort::gene_column(gene, field));
        }
    }
    let wanted: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut summary = CohortSummary {
        pseudonymised: metadata.get(cohort::PSEUDONYMISED_KEY).map(String::as_str) == Some("true"),
        definitions_version: metadata
            .get(tailor_schemas::metadata_keys::DEFINITIONS_VERSION)
            .cloned(),
        genes: roles
            .genes
            .iter()
            .map(|g| (g.clone(), GeneCounts::default()))
            .collect(),
        roles,
        ..CohortSummary::default()
    };
    let mut previous: Option<String> = None;
    for batch in TableBatches::open(path, Some(&wanted))? {
        let batch = batch?;
        let c = Columns::new(&batch, path);
        let ids = c.text(cohort::PATIENT_ID)?;
        let mut columns = Vec::with_capacity(summary.genes.len());
        for (gene, _) in &summary.genes {
            columns.push((
                c.text(&cohort::gene_column(gene, cohort::PHENOTYPE))?,
                c.text(&cohort::gene_column(gene, cohort::DIPLOTYPE))?,
                c.list(&cohort::gene_column(gene, cohort::FLAGS))?,
            ));
        }
        for i in 0..batch.num_rows() {
            summary.episodes += 1;
            let id = ids.value(i);
            if previous.as_deref() == Some(id) {
                continue;
            }
            previous = Some(id.to_owned());
            summary.patients += 1;
            for ((_, counts), (phenotype, diplotype, flags)) in
                summary.genes.iter_mut().zip(&columns)
            {
                let flags = list_at(flags, i);
                count_patient(counts, text_at(phenotype, i), text_at(diplotype, i), &flags);
            }
        }
    }
    Ok(summary)
}

/// Adds one patient's call of a gene to its counts.
fn count_patient(
    counts: &mut GeneCounts,
    phenotype: Option<String>,
    diplotype: Option<String>,
    flags: &[String],
) {
    let no_call = flags.iter().any(|f| f == NO_CALL_FLAG);
    match diplotype {
        Some(diplotype) if !no_call => {
            *counts.diplotypes.entry(diplotype).or_default() += 1;
            match phenotype {
                Some(phenotype) => *counts.phenotypes.entry(phenotype).or_default() += 1,
                None => counts.without_phenotype += 1,
            }
        }
        _ => {
            counts.no_call += 1;
            let reasons = flags.iter().filter(|f| *f != NO_CALL_FLAG);
            let mut any = false;
            for reason in reasons {
                any = true;
                *counts.no_call_reasons.entry(reason.clone()).or_default() += 1;
            }
            if !any {
                *counts
                    .no_call_reasons
                    .entry("no call row".to_owned())
                    .or_default() += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{count_patient, GeneCounts};

    #[test]
    fn a_patient_counts_once_under_call_status() {
        let mut counts = GeneCounts::default();
        let flags = |f: &[&str]| f.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        count_patient(&mut counts, Some("Poor".into()), Some("*2/*2".into()), &[]);
        count_patient(
            &mut counts,
            None,
            Some("*1/*99".into()),
            &flags(&["ambiguous"]),
        );
        count_patient(&mut counts, None, None, &flags(&["no_call", "no_data"]));
        count_patient(&mut counts, None, None, &[]);
        assert_eq!(counts.called(), 2);
        assert_eq!(counts.phenotypes["Poor"], 1);
        assert_eq!(counts.without_phenotype, 1);
        assert_eq!(counts.no_call, 2);
        assert_eq!(counts.no_call_reasons["no_data"], 1);
        assert_eq!(counts.no_call_reasons["no call row"], 1);
    }
}
