//! The whole `tailor.toml` checked before any stage of `tailor run` runs,
//! so a typo in `[estimate]` is found in a second, not after hours of
//! ingest: every input file exists (exit 3), every gene is one the
//! definitions know, every clinical column the configuration names is in
//! the clinical tables' headers, and the estimate's covariates, outcomes
//! and comparator are ones the join will write (exit 2). Each message
//! names the file or column and the configuration's line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use tailor_config::Config;
use tailor_definitions::Definitions;
use tailor_join::{JoinConfig, Therapy};
use tailor_schemas::cohort::OutcomeKind;

use super::clinical_header::{is_parquet, read_columns};
use crate::exit::Failure;

/// Checks `config` (with its `[join]` and `[estimate]` as read) against
/// the definitions and the clinical tables' headers; run
/// [`check_files`] first.
///
/// # Errors
/// A usage failure (exit 2) for an unknown gene, column, covariate,
/// outcome or comparator.
pub fn check(
    config: &Config,
    join: Option<&JoinConfig>,
    estimate: &tailor_estimate::Options,
    definitions: &Definitions,
) -> Result<(), Failure> {
    check_genes(config, join, estimate, definitions)?;
    if let Some(join) = join {
        check_columns(config, join, estimate)?;
        check_estimate_names(config, join, estimate)?;
    }
    Ok(())
}

/// `tailor.toml, line N` for `key` in table `at`.
fn at(config: &Config, table: &str, key: &str) -> String {
    match config.line(table, Some(key)) {
        Some(line) => format!("{}, line {line}", config.path().display()),
        None => config.path().display().to_string(),
    }
}

/// Every input file the configuration names, with its table and key.
fn named_files(
    config: &Config,
    join: Option<&JoinConfig>,
) -> Vec<(&'static str, &'static str, PathBuf)> {
    let mut files = Vec::new();
    if let Some(run) = &config.run {
        for path in &run.inputs {
            files.push(("run", "inputs", path.clone()));
        }
        for path in &run.bam {
            files.push(("run", "bam", path.clone()));
        }
        for path in &run.clinical {
            files.push(("run", "clinical", path.clone()));
        }
        let single = [
            ("samplesheet", &run.samplesheet),
            ("reference", &run.reference),
            ("sex", &run.sex),
            ("definitions", &run.definitions),
        ];
        for (key, path) in single {
            if let Some(path) = path {
                files.push(("run", key, path.clone()));
            }
        }
    }
    if let Some(path) = &config.ingest.covered {
        files.push(("ingest", "covered", path.clone()));
    }
    if let Some(path) = &config.call.outside_calls {
        files.push(("call", "outside_calls", path.clone()));
    }
    if let Some(join) = join {
        if let Some(map) = &join.sample_map {
            files.push(("join.sample_map", "path", map.path.clone()));
        }
        if let Some(key) = &join.key_file {
            files.push(("join", "key_file", key.clone()));
        }
    }
    files
}

/// Every input file the configuration names exists (paths in `join` are
/// already resolved).
///
/// # Errors
/// Invalid input (exit 3) naming the first missing file and its line.
pub fn check_files(config: &Config, join: Option<&JoinConfig>) -> Result<(), Failure> {
    for (table, key, path) in named_files(config, join) {
        let resolved = if table.starts_with("join") {
            path.clone()
        } else {
            config.resolve(&path)
        };
        if !resolved.exists() {
            return Err(Failure::invalid_input(anyhow!(
                "{}: [{table}] {key}: {} not found (relative paths are relative to the \
                 configuration's folder); fix the path",
                at(config, table, key),
                resolved.display()
            )));
        }
    }
    Ok(())
}

/// Every gene named in `[run]`, `[join]` and `[estimate]` is one the
/// definitions know.
fn check_genes(
    config: &Config,
    join: Option<&JoinConfig>,
    estimate: &tailor_estimate::Options,
    definitions: &Definitions,
) -> Result<(), Failure> {
    let known: BTreeSet<&str> = definitions
        .genes()
        .iter()
        .map(|g| g.gene.as_str())
        .collect();
    let run_genes = config
        .run
        .as_ref()
        .map(|r| r.genes.clone())
        .unwrap_or_default();
    let join_genes = join.and_then(|j| j.genes.clone()).unwrap_or_default();
    let named = [
        ("run", "genes", run_genes),
        ("join", "genes", join_genes),
        ("estimate", "genes", estimate.genes.clone()),
        (
            "estimate.reference_subgroups",
            "",
            estimate.reference_subgroups.keys().cloned().collect(),
        ),
    ];
    for (table, key, genes) in named {
        for gene in genes {
            if known.contains(gene.as_str()) {
                continue;
            }
            let key = if key.is_empty() { gene.as_str() } else { key };
            return Err(Failure::usage(anyhow!(
                "{}: [{table}] {key}: unknown gene \"{gene}\" (genes: {})",
                at(config, table, key),
                known.iter().copied().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    Ok(())
}

/// Every clinical column `[join]` names is in a clinical table's header,
/// and `[estimate] comparator` is one of the therapies; Parquet tables
/// are checked by the join itself.
fn check_columns(
    config: &Config,
    join: &JoinConfig,
    estimate: &tailor_estimate::Options,
) -> Result<(), Failure> {
    let Some(run) = &config.run else {
        return Ok(());
    };
    let tables: Vec<PathBuf> = run.clinical.iter().map(|p| config.resolve(p)).collect();
    if tables.iter().any(|t| is_parquet(t)) {
        return Ok(());
    }
    let therapy_column = match &join.therapy {
        Therapy::Column(name) => Some(name.as_str()),
        Therapy::Constant(_) => None,
    };
    let mut names = BTreeSet::new();
    let mut therapies = BTreeSet::new();
    for table in &tables {
        let columns =
            read_columns(table, join.delimiter, therapy_column).map_err(Failure::invalid_input)?;
        names.extend(columns.names);
        therapies.extend(columns.values);
    }
    for (table, key, column) in needed_columns(join) {
        if !names.contains(&column) {
            let files: Vec<String> = run
                .clinical
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            return Err(Failure::usage(anyhow!(
                "{}: [{table}] {key}: no column \"{column}\" in the clinical tables ({}); \
                 their columns: {}",
                at(config, table, key),
                files.join(", "),
                names.iter().cloned().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    if let Therapy::Constant(constant) = &join.therapy {
        therapies.insert(constant.value.trim().to_owned());
    }
    if let Some(comparator) = &estimate.comparator {
        if !therapies.contains(comparator.trim()) {
            return Err(Failure::usage(anyhow!(
                "{}: [estimate] comparator: \"{comparator}\" is not a therapy of the clinical \
                 tables (therapies: {})",
                at(config, "estimate", "comparator"),
                therapies.into_iter().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    Ok(())
}

/// The clinical columns `[join]` reads, each with its table and key.
fn needed_columns(join: &JoinConfig) -> Vec<(&'static str, &'static str, String)> {
    let mut columns = vec![("join", "sample_id", join.sample_id.clone())];
    if let Some(episode) = &join.episode_id {
        columns.push(("join", "episode_id", episode.clone()));
    }
    if let Therapy::Column(name) = &join.therapy {
        columns.push(("join", "therapy", name.clone()));
    }
    for outcome in &join.outcomes {
        if outcome.kind == OutcomeKind::TimeToEvent {
            columns.push(("join.outcomes", "time_column", outcome.time_input()));
            columns.push(("join.outcomes", "event_column", outcome.event_input()));
        } else {
            let key = if outcome.column.is_some() {
                "column"
            } else {
                "name"
            };
            columns.push(("join.outcomes", key, outcome.value_column().to_owned()));
        }
    }
    for covariate in &join.covariates {
        let key = if covariate.column.is_some() {
            "column"
        } else {
            "name"
        };
        columns.push(("join.covariates", key, covariate.input_column().to_owned()));
    }
    columns
}

/// `[estimate] covariates` and `outcomes` name covariates and outcomes
/// `[join]` writes.
fn check_estimate_names(
    config: &Config,
    join: &JoinConfig,
    estimate: &tailor_estimate::Options,
) -> Result<(), Failure> {
    let covariates: Vec<&str> = join.covariates.iter().map(|c| c.name.as_str()).collect();
    let outcomes: Vec<&str> = join.outcomes.iter().map(|o| o.name.as_str()).collect();
    let lists = [
        ("covariates", &estimate.covariates, covariates),
        ("outcomes", &estimate.outcomes, outcomes),
    ];
    for (key, asked, known) in lists {
        if let Some(name) = asked.iter().find(|n| !known.contains(&n.as_str())) {
            return Err(Failure::usage(anyhow!(
                "{}: [estimate] {key}: unknown covariate or outcome \"{name}\"; \
                 [join] defines: {}",
                at(config, "estimate", key),
                known.join(", ")
            )));
        }
    }
    Ok(())
}

/// The definitions `[run] definitions` names (resolved), or the embedded.
pub fn definitions_dir(config: &Config) -> Option<PathBuf> {
    config
        .run
        .as_ref()
        .and_then(|r| r.definitions.as_deref())
        .map(|dir: &Path| config.resolve(dir))
}
