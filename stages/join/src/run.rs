//! The join: read, validate, merge, join to the calls, pseudonymise, write.

use std::path::{Path, PathBuf};

use crate::calls::{read_calls, Calls};
use crate::clinical::{read_clinical, Clinical, ReadSettings};
use crate::cohort::build_cohort;
use crate::cohort_table::CohortSource;
use crate::column_report::Columns;
use crate::config::JoinConfig;
use crate::error::{ConfigProblem, Error, Result};
use crate::findings::Findings;
use crate::layout::{check_gene_columns, Layout};
use crate::merge::{merge_rows, rows_by_patient};
use crate::options::Options;
use crate::outputs::{join_report, write_outputs, Outputs, ReportParts};
use crate::patients::Patients;
use crate::report::{JoinReport, WarningKind};
use crate::sample_map::read_sample_map;
use crate::value::NaTokens;

/// File name of the cohort table in the output directory.
pub const COHORT_FILE: &str = "cohort.parquet";
/// File name of the join report in the output directory.
pub const REPORT_FILE: &str = "join_report.json";

/// The input files of a join.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inputs {
    /// The calls table (`tailor call`'s output).
    pub calls: PathBuf,
    /// One or more clinical tables (CSV, TSV, optionally gzipped, Parquet).
    pub clinical: Vec<PathBuf>,
}

/// What a join did.
#[derive(Clone, Debug)]
pub struct Summary {
    /// The cohort table written.
    pub cohort: PathBuf,
    /// The join report written.
    pub report_path: PathBuf,
    /// The report itself (its `Display` is the printed summary).
    pub report: JoinReport,
}

/// Joins the calls table and the clinical tables into
/// `output_dir/cohort.parquet` and `output_dir/join_report.json`.
///
/// The steps: check the settings, read the calls, read the clinical
/// tables (column by column), resolve each patient's genotyped sample,
/// merge the rows of each patient (x episode), build the cohort in output
/// order, then count and write.
///
/// # Errors
/// Unreadable or malformed inputs (naming file, line and column), an
/// inconsistent configuration, and, with [`Options::strict`], any
/// validation warning ([`Error::Strict`], after writing the report but not
/// the cohort table).
pub fn run(options: &Options, inputs: &Inputs, output_dir: &Path) -> Result<Summary> {
    let config = &options.config;
    let delimiter = delimiter(config)?;
    let layout = Layout::new(config)?;
    let na = NaTokens::new(&config.na);

    let calls = read_calls(&inputs.calls)?;
    let sample_map = config
        .sample_map
        .as_ref()
        .map(|m| read_sample_map(m, delimiter, &na))
        .transpose()?;
    let settings = ReadSettings {
        sample_id: &config.sample_id,
        episode_id: config.episode_id.as_deref(),
        decimal: config.decimal,
        delimiter,
        na: &na,
    };
    let first_covariate = layout.slots.len() - config.covariates.len();
    let Clinical {
        mut rows,
        files,
        covariate_kinds,
        missing_by,
    } = read_clinical(&inputs.clinical, &layout, &settings, first_covariate)?;

    let genes = output_genes(config, &calls);
    check_gene_columns(&layout, &genes)?;
    let gene_index: Vec<Option<usize>> = genes
        .iter()
        .map(|g| calls.genes.iter().position(|c| **c == **g))
        .collect();

    let mut findings = Findings::default();
    let calls_file = inputs.calls.display().to_string();
    if let Some(map) = &sample_map {
        findings.add(
            WarningKind::IncompleteSampleMapRows,
            None,
            map.incomplete_rows,
            None,
        );
    }
    let patients = Patients::new(&calls, sample_map.as_ref());
    let by_patient = rows_by_patient(&rows);
    patients.check_samples(&rows, &by_patient, &calls_file, &mut findings);
    let merged = merge_rows(&mut rows, by_patient, &files, &mut findings);
    let cohort = build_cohort(
        &rows,
        &merged,
        &patients,
        options.key.as_ref(),
        &files,
        &mut findings,
    );
    drop(merged);
    drop(patients);

    let columns = Columns {
        layout: &layout,
        first_covariate,
        covariate_kinds: &covariate_kinds,
        missing_by: &missing_by,
    };
    let column_reports = columns.reports(&cohort, &rows, &files, &na, &mut findings);
    columns.check_reference_levels(config, &cohort, &rows, &mut findings);
    let types = columns.types();

    let cohort_path = output_dir.join(COHORT_FILE);
    let report_path = output_dir.join(REPORT_FILE);
    let report = join_report(ReportParts {
        options,
        layout: &layout,
        calls: &calls,
        calls_file: &calls_file,
        sample_map: sample_map.as_ref(),
        files: &files,
        genes: &genes,
        gene_index: &gene_index,
        columns: column_reports,
        cohort: &cohort,
        patients: cohort.patients(&rows),
        cohort_path: &cohort_path,
        findings,
    });
    let outputs = Outputs {
        options,
        inputs,
        output_dir,
        report_path: &report_path,
        cohort_path: &cohort_path,
        covariate_kinds: &covariate_kinds,
        genes: &genes,
        source: CohortSource {
            cohort: &cohort,
            rows: &rows,
            types: &types,
            calls: &calls,
            genes: &gene_index,
        },
    };
    write_outputs(&outputs, &report)?;
    Ok(Summary {
        cohort: cohort_path,
        report_path,
        report,
    })
}

/// The configured delimiter as a byte, after checking it and the decimal
/// separator.
fn delimiter(config: &JoinConfig) -> Result<Option<u8>> {
    if !matches!(config.decimal, '.' | ',') {
        return Err(Error::Config {
            problem: ConfigProblem::BadDecimal {
                decimal: config.decimal,
            },
        });
    }
    match config.delimiter {
        None => Ok(None),
        Some(d) if d.is_ascii() && !matches!(d, '"' | '\n' | '\r') => Ok(Some(d as u8)),
        Some(d) => Err(Error::Config {
            problem: ConfigProblem::BadDelimiter { delimiter: d },
        }),
    }
}

/// The genes of the cohort table: as configured, or every gene of the
/// calls in name order.
fn output_genes(config: &JoinConfig, calls: &Calls) -> Vec<String> {
    match &config.genes {
        Some(genes) => genes.clone(),
        None => {
            let mut genes: Vec<String> = calls.genes.iter().map(|g| g.to_string()).collect();
            genes.sort();
            genes
        }
    }
}
