//! The join: read, validate, merge, join to the calls, pseudonymise, write.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use tailor_schemas::cohort::{self, CovariateKind};

use crate::calls::{read_calls, Calls};
use crate::clinical::{file_path, read_clinical, Clinical, ReadSettings, Value};
use crate::cohort_table::{write_cohort, CohortRow, ColumnType};
use crate::error::{ConfigProblem, Error, Result};
use crate::findings::Findings;
use crate::layout::{check_gene_columns, Layout, SlotKind, THERAPY_SLOT};
use crate::merge::merge_rows;
use crate::options::Options;
use crate::provenance::{gene_report, metadata};
use crate::pseudonym::{episode_pseudonym, key_fingerprint, pseudonym};
use crate::report::{
    format_name, CallsReport, ClinicalFileReport, CohortReport, ColumnReport, Exclusion,
    FileExclusion, JoinReport, Location, SampleMapReport, WarningKind, SMALL_CELL_RULE,
};
use crate::sample_map::{read_sample_map, SampleMap};
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

/// Whether a patient has one genotyped sample or several.
#[derive(Clone, Copy, Debug)]
enum Genotyped {
    One(u32),
    Several,
}

/// Joins the calls table and the clinical tables into
/// `output_dir/cohort.parquet` and `output_dir/join_report.json`.
///
/// # Errors
/// Unreadable or malformed inputs (naming file, line and column), an
/// inconsistent configuration, and, with [`Options::strict`], any
/// validation warning ([`Error::Strict`], after writing the report but not
/// the cohort table).
pub fn run(options: &Options, inputs: &Inputs, output_dir: &Path) -> Result<Summary> {
    let config = &options.config;
    if !matches!(config.decimal, '.' | ',') {
        return Err(Error::Config {
            problem: ConfigProblem::BadDecimal {
                decimal: config.decimal,
            },
        });
    }
    let delimiter = match config.delimiter {
        None => None,
        Some(d) if d.is_ascii() && !matches!(d, '"' | '\n' | '\r') => Some(d as u8),
        Some(d) => {
            return Err(Error::Config {
                problem: ConfigProblem::BadDelimiter { delimiter: d },
            })
        }
    };
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
    let clinical = read_clinical(&inputs.clinical, &layout, &settings, first_covariate)?;

    let genes: Vec<String> = match &config.genes {
        Some(genes) => genes.clone(),
        None => {
            let mut genes: Vec<String> = calls.genes.iter().map(|g| g.to_string()).collect();
            genes.sort();
            genes
        }
    };
    check_gene_columns(&layout, &genes)?;
    let gene_index: Vec<Option<usize>> = genes
        .iter()
        .map(|g| calls.genes.iter().position(|c| **c == **g))
        .collect();

    let mut findings = Findings::default();
    let calls_file = inputs.calls.display().to_string();
    let calls_location = |sample: usize| {
        Some(Location {
            file: calls_file.clone(),
            line: calls.first_row.get(sample).copied(),
        })
    };
    if let Some(map) = &sample_map {
        findings.add(
            WarningKind::IncompleteSampleMapRows,
            None,
            map.incomplete_rows,
            None,
        );
    }
    let patients = patient_of_sample(&calls, sample_map.as_ref());
    let mut genotyped: HashMap<&str, Genotyped> = HashMap::with_capacity(patients.len());
    for (sample, patient) in patients.iter().enumerate() {
        match patient {
            None => findings.add(
                WarningKind::SamplesNotInMap,
                None,
                1,
                calls_location(sample),
            ),
            Some(patient) => {
                let sample = u32::try_from(sample).unwrap_or(u32::MAX);
                genotyped
                    .entry(patient)
                    .and_modify(|g| *g = Genotyped::Several)
                    .or_insert(Genotyped::One(sample));
            }
        }
    }
    {
        let clinical_ids: HashSet<&str> = clinical
            .rows
            .iter()
            .filter_map(|r| r.patient.as_deref())
            .collect();
        for (sample, patient) in patients.iter().enumerate() {
            if let Some(patient) = patient {
                if !clinical_ids.contains(&**patient) {
                    findings.add(
                        WarningKind::GenotypedWithoutClinical,
                        None,
                        1,
                        calls_location(sample),
                    );
                }
            }
        }
    }

    let Clinical {
        rows,
        files,
        covariate_kinds,
        missing_by,
    } = clinical;
    let merged = merge_rows(rows, config.episode_id.is_some(), &files, &mut findings);
    let location = |file: usize, line: u64| {
        Some(Location {
            file: file_path(&files, file).display().to_string(),
            line: Some(line),
        })
    };
    let mut cohort_rows = Vec::with_capacity(merged.len());
    let mut merged_rows = 0;
    let mut first_lines = Vec::with_capacity(merged.len());
    let mut last: Option<(Box<str>, String)> = None;
    for m in merged {
        let excluded = match genotyped.get(&*m.patient) {
            None => Some(WarningKind::ClinicalWithoutGenotypes),
            Some(Genotyped::Several) => Some(WarningKind::SeveralSamplesPerPatient),
            Some(Genotyped::One(_)) => None,
        };
        if let Some(kind) = excluded {
            // Each input row in its own file, for the per-file counts.
            for (file, line) in m.sources() {
                findings.add(kind, None, 1, location(file, line));
            }
        }
        match genotyped.get(&*m.patient) {
            None | Some(Genotyped::Several) => {}
            Some(Genotyped::One(sample)) => {
                merged_rows += m.rows() - 1;
                // Rows come sorted by patient: one HMAC per patient.
                let patient_id = match (&options.key, &last) {
                    (_, Some((raw, id))) if **raw == *m.patient => id.clone(),
                    (Some(key), _) => pseudonym(key, &m.patient),
                    (None, _) => m.patient.to_string(),
                };
                last = Some((m.patient.clone(), patient_id.clone()));
                first_lines.push((m.file, m.line));
                let episode = match (&options.key, m.episode) {
                    (Some(key), Some(e)) => Some(episode_pseudonym(key, &m.patient, &e).into()),
                    (_, e) => e,
                };
                cohort_rows.push((
                    CohortRow {
                        patient_id,
                        episode,
                        values: m.values,
                        sample: *sample,
                    },
                    cohort_rows.len(),
                ));
            }
        }
    }
    drop(genotyped);
    cohort_rows
        .sort_by(|(a, _), (b, _)| (&a.patient_id, &a.episode).cmp(&(&b.patient_id, &b.episode)));
    let (cohort_rows, order): (Vec<CohortRow>, Vec<usize>) = cohort_rows.into_iter().unzip();

    // Column types and missing counts.
    let types: Vec<ColumnType> = layout
        .slots
        .iter()
        .enumerate()
        .map(|(i, slot)| match slot.kind {
            SlotKind::Text => ColumnType::Utf8,
            SlotKind::Binary => ColumnType::Boolean,
            SlotKind::Number | SlotKind::Time => ColumnType::Float64,
            SlotKind::Auto => match covariate_kinds.get(i - first_covariate) {
                Some((CovariateKind::Numeric, _)) => ColumnType::Float64,
                _ => ColumnType::Utf8,
            },
        })
        .collect();
    let mut columns = Vec::with_capacity(layout.slots.len());
    for (i, slot) in layout.slots.iter().enumerate() {
        let mut missing = 0;
        for (row, &original) in cohort_rows.iter().zip(&order) {
            if matches!(row.values.get(i), None | Some(Value::Na)) {
                missing += 1;
                let kind = if i == THERAPY_SLOT {
                    Some(WarningKind::MissingTherapy)
                } else if i < first_covariate {
                    Some(WarningKind::MissingOutcome)
                } else {
                    None
                };
                if let Some(kind) = kind {
                    let (file, line) = first_lines[original];
                    let column =
                        (kind == WarningKind::MissingOutcome).then_some(slot.output.as_str());
                    findings.add(kind, column, 1, location(file, line));
                }
            }
        }
        let inferred = i >= first_covariate
            && covariate_kinds
                .get(i - first_covariate)
                .is_some_and(|(_, inferred)| *inferred);
        columns.push(ColumnReport {
            name: slot.output.clone(),
            input: slot.input.clone(),
            role: slot.role,
            data_type: types[i].name(),
            origin: if inferred { "inferred" } else { "declared" },
            missing,
            missing_by_token: missing_by[i]
                .iter()
                .map(|(&why, &count)| (na.describe(why), count))
                .collect(),
        });
    }
    for (k, covariate) in config.covariates.iter().enumerate() {
        if let Some(reference) = &covariate.reference {
            let slot = first_covariate + k;
            let present = cohort_rows.iter().any(|r| match r.values.get(slot) {
                Some(Value::Text(t)) => **t == *reference.trim(),
                _ => false,
            });
            if !present {
                findings.add(
                    WarningKind::ReferenceLevelAbsent,
                    Some(&covariate.name),
                    1,
                    None,
                );
            }
        }
    }

    // Per-gene calls among the cohort's patients.
    let mut samples: Vec<u32> = cohort_rows.iter().map(|r| r.sample).collect();
    samples.sort_unstable();
    samples.dedup();
    let gene_reports = genes
        .iter()
        .zip(&gene_index)
        .map(|(gene, index)| gene_report(gene, *index, &calls, &samples))
        .collect();
    let mut patients_written: Vec<&str> =
        cohort_rows.iter().map(|r| r.patient_id.as_str()).collect();
    patients_written.dedup();

    let cohort_path = output_dir.join(COHORT_FILE);
    let report_path = output_dir.join(REPORT_FILE);
    let excluded = [
        WarningKind::MissingPatientId,
        WarningKind::MissingEpisodeId,
        WarningKind::DuplicateRows,
        WarningKind::ConflictingDuplicates,
        WarningKind::ClinicalWithoutGenotypes,
        WarningKind::SeveralSamplesPerPatient,
    ]
    .into_iter()
    .map(|reason| Exclusion {
        reason,
        rows: findings.count(reason),
        suppressed: false,
        by_file: files
            .iter()
            .map(|f| {
                let file = f.path.display().to_string();
                FileExclusion {
                    rows: findings.count_in(reason, &file),
                    file,
                    suppressed: false,
                }
            })
            .collect(),
    })
    .collect();
    let mut report = JoinReport {
        tool: tailor_schemas::TOOL_NAME,
        version: tailor_schemas::TOOL_VERSION,
        small_cell_rule: SMALL_CELL_RULE,
        pseudonymised: options.key.is_some(),
        key_fingerprint: options.key.as_ref().map(key_fingerprint),
        strict: options.strict,
        calls: CallsReport {
            path: calls_file.clone(),
            rows: calls.rows,
            samples: calls.samples.len() as u64,
            genes: genes.clone(),
        },
        sample_map: match (&config.sample_map, &sample_map) {
            (Some(c), Some(m)) => Some(SampleMapReport {
                path: c.path.display().to_string(),
                rows: m.rows,
            }),
            _ => None,
        },
        clinical: files
            .iter()
            .map(|f| ClinicalFileReport {
                path: f.path.display().to_string(),
                format: format_name(f.format),
                rows: f.rows,
                blank_rows: f.blank_rows,
                columns: f
                    .slots
                    .iter()
                    .map(|&s| layout.slots[s].output.clone())
                    .collect(),
            })
            .collect(),
        columns,
        cohort: CohortReport {
            path: cohort_path.display().to_string(),
            rows: cohort_rows.len() as u64,
            patients: patients_written.len() as u64,
            merged_rows,
        },
        excluded,
        warnings: findings.into_sorted(),
        genes: gene_reports,
    };
    report.suppress_partitions();

    std::fs::create_dir_all(output_dir).map_err(|source| Error::Io {
        path: output_dir.to_path_buf(),
        action: "creating the output directory",
        source,
    })?;
    // The JSON keeps the report's field order; the table is built from the
    // same values.
    let json = serde_json::to_vec_pretty(&report).unwrap_or_default();
    let document = serde_json::to_value(&report).unwrap_or_default();
    let write_report = |json: &[u8]| -> Result<()> {
        tailor_tables::write_file_atomic(&report_path, json, tailor_tables::PRIVATE)?;
        crate::report_table::write_report_table(
            &output_dir.join(crate::report_table::REPORT_TABLE_FILE),
            &document,
        )
    };
    if options.strict {
        if let Some(first) = report.warnings.first() {
            write_report(&json)?;
            return Err(Error::Strict {
                kind: first.kind,
                count: crate::report::small_cell(first.count),
                at: first.first.first().map(|l| match l.line {
                    Some(line) => format!("{}:{line}", l.file),
                    None => l.file.clone(),
                }),
                report: report_path.clone(),
            });
        }
    }

    let kinds: Vec<CovariateKind> = covariate_kinds.iter().map(|(k, _)| *k).collect();
    let roles = Layout::roles(config, &kinds, &genes);
    let schema = cohort::schema(&roles);
    let metadata = metadata(options, inputs, &calls, &roles)?;
    write_cohort(
        &cohort_path,
        schema,
        &metadata,
        &cohort_rows,
        &types,
        &calls,
        &gene_index,
    )?;
    write_report(&json)?;
    Ok(Summary {
        cohort: cohort_path,
        report_path,
        report,
    })
}

/// Each calls sample's patient id: the map's, or the sample name itself.
fn patient_of_sample(calls: &Calls, map: Option<&SampleMap>) -> Vec<Option<Box<str>>> {
    calls
        .samples
        .iter()
        .map(|sample| match map {
            Some(map) => map.patients.get(sample).cloned(),
            None => Some(sample.clone()),
        })
        .collect()
}
