//! The page: the view model assembled from the tables, rendered through the
//! template `templates/report.html` (minijinja, HTML auto-escaping on).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use tailor_schemas::small_cells::{small_cell, DEFAULT_THRESHOLD};
use tailor_schemas::status::ModelStatus;
use tailor_schemas::{metadata_keys, TOOL_VERSION};

use crate::cohort_summary::CohortSummary;
use crate::effects::EffectRow;
use crate::findings::TestView;
use crate::overview::GeneView;
use crate::Result;

/// The page template, embedded so the binary needs no file beside it.
const TEMPLATE: &str = include_str!("../templates/report.html");

/// One input file as the provenance section lists it.
#[derive(Clone, Debug, Serialize)]
pub struct InputView {
    /// The file name (not its folder).
    pub name: String,
    /// What it is.
    pub role: String,
    /// Its SHA-256, when known.
    pub sha256: Option<String>,
}

/// A line of the methods section: a rule and the value applied.
#[derive(Clone, Debug, Serialize)]
pub struct Setting {
    /// The setting.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// Everything the template shows.
#[derive(Clone, Debug, Serialize)]
pub struct Page {
    /// tailor's version.
    pub version: &'static str,
    /// The allele definitions version.
    pub definitions_version: Option<String>,
    /// Whether patient ids are pseudonyms.
    pub pseudonymised: bool,
    /// Patients, under the small-cell rule.
    pub patients: String,
    /// Episodes, under the small-cell rule.
    pub episodes: String,
    /// The small-cell threshold k.
    pub threshold: u64,
    /// Per-gene overview.
    pub genes: Vec<GeneView>,
    /// Confirmatory therapy tests (CPIC A/B pairs).
    pub confirmatory: Vec<TestView>,
    /// Exploratory therapy tests with at least one shown estimate.
    pub exploratory: Vec<TestView>,
    /// Exploratory tests with nothing to show.
    pub exploratory_hidden: usize,
    /// Genotype-vs-reference contrasts within a therapy.
    pub subgroup_contrasts: Vec<TestView>,
    /// Estimation settings and rules.
    pub settings: Vec<Setting>,
    /// Estimation methods used, with the number of rows each.
    pub models: Vec<Setting>,
    /// Warnings of the join and estimate stages.
    pub warnings: Vec<String>,
    /// Rows excluded by the join, by reason (as the join report prints them).
    pub exclusions: Vec<Setting>,
    /// The tables read and the inputs they came from.
    pub inputs: Vec<InputView>,
}

/// The small-cell threshold the estimate applied (`suppression_threshold`
/// of its parameters), 10 when absent.
pub fn threshold(parameters: &Value) -> u64 {
    parameters
        .get("suppression_threshold")
        .and_then(Value::as_u64)
        .unwrap_or(DEFAULT_THRESHOLD)
}

/// The settings of the estimate worth a reader's attention.
pub fn settings(parameters: &Value) -> Vec<Setting> {
    let names = [
        ("grouping", "subgroups formed by"),
        ("comparator", "comparator therapy"),
        ("covariates", "adjustment covariates"),
        ("confidence_level", "confidence level"),
        (
            "fdr",
            "false discovery rate (Benjamini-Hochberg, per family and outcome)",
        ),
        (
            "suppression_threshold",
            "small-cell threshold k (counts 1..k hidden)",
        ),
        ("hc3", "HC3 robust standard errors (OLS)"),
        ("km_horizon", "Kaplan-Meier horizon"),
        (
            "merge_likely",
            "\"Likely\" phenotypes merged into their phenotype",
        ),
        (
            "weighting",
            "confounding-controlled therapy contrasts (propensity-score weighting)",
        ),
        ("verdict_estimator", "estimate the verdict uses"),
        (
            "weight_truncation",
            "inverse-probability weights truncated at percentiles",
        ),
        (
            "include_cyp2d6_snv_only",
            "CYP2D6 calls from SNVs alone kept",
        ),
    ];
    names
        .iter()
        .filter_map(|(key, label)| {
            let value = parameters.get(*key)?;
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Array(items) if items.is_empty() => "none".to_owned(),
                Value::Array(items) => items
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", "),
                Value::Null => "none".to_owned(),
                other => other.to_string(),
            };
            Some(Setting {
                name: (*label).to_owned(),
                value: text,
            })
        })
        .collect()
}

/// Estimation methods used, with how many rows of the table (primary or
/// not) each produced, and the Firth fallbacks.
pub fn models(rows: &[EffectRow]) -> Vec<Setting> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for row in rows {
        *counts.entry(row.model.as_str()).or_default() += 1;
    }
    let firth = rows
        .iter()
        .filter(|r| r.status == ModelStatus::Firth)
        .count();
    let mut out: Vec<Setting> = counts
        .into_iter()
        .map(|(model, n)| Setting {
            name: model.to_owned(),
            value: format!("{n} primary row(s)"),
        })
        .collect();
    out.push(Setting {
        name: "Firth penalised fits (fallback when maximum likelihood did not converge)".to_owned(),
        value: firth.to_string(),
    });
    out
}

/// The join report's warnings and exclusions, as printed lines.
pub fn join_findings(report: &Value) -> (Vec<String>, Vec<Setting>) {
    let count_text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => "-".to_owned(),
    };
    let warnings = report
        .get("warnings")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|w| {
                    let kind = w.get("kind").and_then(Value::as_str).unwrap_or("warning");
                    let unit = w.get("unit").and_then(Value::as_str).unwrap_or("rows");
                    let column = w
                        .get("column")
                        .and_then(Value::as_str)
                        .map(|c| format!(" [{c}]"))
                        .unwrap_or_default();
                    let excluded = if w.get("excluded").and_then(Value::as_bool) == Some(true) {
                        ", excluded"
                    } else {
                        ""
                    };
                    format!(
                        "join: {}{column}: {} {unit}{excluded}",
                        kind.replace('_', " "),
                        count_text(w.get("count"))
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let exclusions = report
        .get("excluded")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|e| Setting {
                    name: e
                        .get("reason")
                        .and_then(Value::as_str)
                        .unwrap_or("-")
                        .replace('_', " "),
                    value: count_text(e.get("rows")),
                })
                .collect()
        })
        .unwrap_or_default();
    (warnings, exclusions)
}

/// The inputs an upstream table lists in its metadata (file names and
/// hashes only).
pub fn upstream_inputs(key_values: &BTreeMap<String, String>, role: &str) -> Vec<InputView> {
    let Some(json) = key_values.get(metadata_keys::INPUTS) else {
        return Vec::new();
    };
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(json) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let path = item.get("path")?.as_str()?;
            Some(InputView {
                name: file_name(Path::new(path)),
                role: role.to_owned(),
                sha256: item
                    .get("sha256")
                    .or_else(|| item.get("header_sha256"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            })
        })
        .collect()
}

/// The last component of `path`, as text.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The cohort's counts as printed.
pub fn cohort_counts(summary: &CohortSummary, k: u64) -> (String, String) {
    (
        small_cell(summary.patients, k),
        small_cell(summary.episodes, k),
    )
}

/// Renders `page` to HTML.
///
/// # Errors
/// The template fails to render.
pub fn render(page: &Page) -> Result<String> {
    let mut env = minijinja::Environment::new();
    env.add_template("report.html", TEMPLATE)?;
    let html = env.get_template("report.html")?.render(page)?;
    Ok(html)
}

/// The version string shown in the page's header.
pub fn version() -> &'static str {
    TOOL_VERSION
}
