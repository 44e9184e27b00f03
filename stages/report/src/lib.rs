//! The report stage: one self-contained HTML page from the shareable tables
//! of a run (the pseudonymised cohort, the join report, subgroup_rates and
//! subgroup_effects), for readers who want to look rather than query.
//!
//! The page holds a cohort overview (patients, call rate and no-call
//! reasons, phenotype distributions per gene), a forest plot per gene x
//! therapy contrast x outcome with its subgroup rows, interaction test,
//! q-value, family and verdicts (confirmatory CPIC pairs first, with their
//! CPIC level, FDA label status and guideline), the genotype-vs-reference
//! contrasts, the methods and rules applied, the warnings, and provenance.
//!
//! Nothing is loaded from outside the file: plots are inline SVG (drawn with
//! plotters), styles are inline, and no script runs. The page reads only
//! shareable tables, so it holds no raw sample or patient id; counts follow
//! the small-cell rule of the estimate (`suppression_threshold`): suppressed
//! estimates stay suppressed, and the overview's counts are suppressed with
//! complementary suppression over each gene's categories.

mod charts;
mod cohort_summary;
mod columns;
mod effects;
mod error;
mod findings;
mod numbers;
mod overview;
mod page;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tailor_schemas::subgroup_effects::Family;

pub use charts::{bar_chart, forest_plot, Bar, ForestPoint};
pub use cohort_summary::{summarise_cohort, CohortSummary, GeneCounts};
pub use effects::{read_primary_effects, read_shown_counts, EffectRow};
pub use error::{Error, Result};
pub use findings::Guideline;
pub use numbers::p_text;

/// Metadata entry of the estimate tables holding a warning for readers.
pub const ESTIMATE_WARNING_KEY: &str = "tailor.estimate.warning";

/// The tables a report is made from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportInputs {
    /// `cohort.parquet`.
    pub cohort: PathBuf,
    /// `join_report.json` (optional: without it, no join warnings).
    pub join_report: Option<PathBuf>,
    /// `subgroup_rates.parquet`.
    pub rates: PathBuf,
    /// `subgroup_effects.parquet`.
    pub effects: PathBuf,
}

impl ReportInputs {
    /// The standard file names in a run's shareable output folder.
    pub fn in_folder(dir: &Path) -> Self {
        let join_report = dir.join("join_report.json");
        Self {
            cohort: dir.join("cohort.parquet"),
            join_report: join_report.exists().then_some(join_report),
            rates: dir.join("subgroup_rates.parquet"),
            effects: dir.join("subgroup_effects.parquet"),
        }
    }
}

/// What a written report holds, for the log line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportSummary {
    /// Genes in the overview.
    pub genes: usize,
    /// Forest plots drawn.
    pub plots: usize,
    /// Size of the page in bytes.
    pub bytes: usize,
}

/// Builds the page from `inputs` and returns its HTML.
///
/// # Errors
/// A table cannot be read or lacks a column, or a plot or the page cannot
/// be rendered.
pub fn build_report(inputs: &ReportInputs) -> Result<(String, ReportSummary)> {
    let effects_table = tailor_tables::read_table(&inputs.effects)?;
    let rows = read_primary_effects(&inputs.effects, &effects_table)?;
    let rates_table = tailor_tables::read_table(&inputs.rates)?;
    let counts = read_shown_counts(&inputs.rates, &rates_table)?;
    let parameters: serde_json::Value = effects_table
        .metadata(tailor_schemas::metadata_keys::PARAMETERS)
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    let k = page::threshold(&parameters);
    let summary = summarise_cohort(&inputs.cohort)?;
    let guidelines =
        guidelines(effects_table.metadata(tailor_schemas::subgroup_effects::GUIDELINES_KEY));
    let join_report = match &inputs.join_report {
        Some(path) => read_json(path)?,
        None => serde_json::Value::Null,
    };

    let genes = summary
        .genes
        .iter()
        .map(|(gene, counts)| overview::gene_view(gene, counts, summary.patients, k))
        .collect::<Result<Vec<_>>>()?;
    let tests = findings::test_views(&rows, &counts, &guidelines)?;
    let (therapy, subgroup_contrasts): (Vec<_>, Vec<_>) =
        tests.into_iter().partition(|t| t.therapy_contrast);
    let (confirmatory, exploratory): (Vec<_>, Vec<_>) = therapy
        .into_iter()
        .partition(|t| t.family == Family::Confirmatory);
    let (exploratory, hidden): (Vec<_>, Vec<_>) =
        exploratory.into_iter().partition(|t| t.has_estimates);
    let subgroup_contrasts: Vec<_> = subgroup_contrasts
        .into_iter()
        .filter(|t| t.has_estimates)
        .collect();

    let (mut warnings, exclusions) = page::join_findings(&join_report);
    for table in [&effects_table, &rates_table] {
        if let Some(warning) = table.metadata(ESTIMATE_WARNING_KEY) {
            let line = format!("estimate: {warning}");
            if !warnings.contains(&line) {
                warnings.push(line);
            }
        }
    }
    let mut inputs_view = Vec::new();
    for (path, role) in [
        (&inputs.cohort, "cohort table"),
        (&inputs.rates, "subgroup rates table"),
        (&inputs.effects, "subgroup effects table"),
    ] {
        let identity = tailor_tables::InputIdentity::hashed(path)?;
        inputs_view.push(page::InputView {
            name: page::file_name(path),
            role: role.to_owned(),
            sha256: identity.sha256,
        });
    }
    inputs_view.extend(page::upstream_inputs(
        &summary.key_values,
        "input of the join",
    ));
    let (patients, episodes) = page::cohort_counts(&summary, k);
    let plots = [&confirmatory, &exploratory, &subgroup_contrasts]
        .iter()
        .map(|v| v.len())
        .sum();
    let view = page::Page {
        version: page::version(),
        definitions_version: summary.definitions_version.clone(),
        pseudonymised: summary.pseudonymised,
        patients,
        episodes,
        threshold: k,
        genes,
        confirmatory,
        exploratory,
        exploratory_hidden: hidden.len(),
        subgroup_contrasts,
        settings: page::settings(&parameters),
        models: page::models(&rows),
        warnings,
        exclusions,
        inputs: inputs_view,
    };
    let html = page::render(&view)?;
    let summary = ReportSummary {
        genes: view.genes.len(),
        plots,
        bytes: html.len(),
    };
    Ok((html, summary))
}

/// Builds the page and writes it to `output` atomically (mode 0640: never
/// world-readable).
///
/// # Errors
/// As [`build_report`], or the file cannot be written.
pub fn write_report(inputs: &ReportInputs, output: &Path) -> Result<ReportSummary> {
    let (html, summary) = build_report(inputs)?;
    tailor_tables::write_file_atomic(output, html.as_bytes(), tailor_tables::PRIVATE)?;
    Ok(summary)
}

fn read_json(path: &Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| Error::JoinReport {
        path: path.to_path_buf(),
        source,
    })
}

/// The CPIC facts of the metadata entry
/// [`tailor_schemas::subgroup_effects::GUIDELINES_KEY`], by gene and
/// drug (lower case).
fn guidelines(json: Option<&str>) -> BTreeMap<(String, String), Guideline> {
    #[derive(serde::Deserialize)]
    struct Entry {
        gene: String,
        drug: String,
        level: String,
        fda_label: Option<String>,
        guideline: Option<String>,
        #[serde(default)]
        pmids: Vec<String>,
    }
    let entries: Vec<Entry> = json
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    entries
        .into_iter()
        .map(|e| {
            (
                (e.gene, e.drug.to_lowercase()),
                Guideline {
                    level: e.level,
                    fda_label: e.fda_label,
                    url: e.guideline,
                    pmids: e.pmids,
                },
            )
        })
        .collect()
}
