//! The join's outputs: the report (JSON and its table) assembled from what
//! the steps counted, and the cohort table, each written atomically.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_schema::{Field, Schema, SchemaRef};

use tailor_schemas::cohort::{self, CovariateKind};
use tailor_schemas::single_variant::SingleVariant;

use crate::calls::Calls;
use crate::clinical::FileStats;
use crate::cohort::Cohort;
use crate::cohort_table::{write_cohort, CohortSource};
use crate::error::{Error, Result};
use crate::findings::Findings;
use crate::layout::Layout;
use crate::options::Options;
use crate::provenance::{gene_report, metadata};
use crate::pseudonym::key_fingerprint;
use crate::report::{
    format_name, CallsReport, ClinicalFileReport, CohortReport, ColumnReport, Exclusion,
    FileExclusion, JoinReport, SampleMapReport, WarningKind, SMALL_CELL_RULE,
};
use crate::run::Inputs;
use crate::sample_map::SampleMap;

/// The exclusion reasons the report always lists, in its order.
const EXCLUSIONS: [WarningKind; 6] = [
    WarningKind::MissingPatientId,
    WarningKind::MissingEpisodeId,
    WarningKind::DuplicateRows,
    WarningKind::ConflictingDuplicates,
    WarningKind::ClinicalWithoutGenotypes,
    WarningKind::SeveralSamplesPerPatient,
];

/// What the report is assembled from.
pub(crate) struct ReportParts<'a> {
    pub options: &'a Options,
    pub layout: &'a Layout,
    pub calls: &'a Calls,
    pub calls_file: &'a str,
    pub sample_map: Option<&'a SampleMap>,
    pub files: &'a [FileStats],
    /// The output genes and, for each, its index in the calls table.
    pub genes: &'a [String],
    pub gene_index: &'a [Option<usize>],
    pub columns: Vec<ColumnReport>,
    pub cohort: &'a Cohort,
    /// Patients written (distinct output ids).
    pub patients: u64,
    pub cohort_path: &'a Path,
    pub findings: Findings,
}

/// The join report, small counts suppressed.
pub(crate) fn join_report(parts: ReportParts<'_>) -> JoinReport {
    let ReportParts {
        options,
        layout,
        calls,
        calls_file,
        sample_map,
        files,
        genes,
        gene_index,
        columns,
        cohort,
        patients,
        cohort_path,
        findings,
    } = parts;
    let mut in_cohort = vec![false; calls.samples.len()];
    for entry in cohort.entries() {
        if let Some(marked) = in_cohort.get_mut(entry.sample as usize) {
            *marked = true;
        }
    }
    let gene_reports = genes
        .iter()
        .zip(gene_index)
        .map(|(gene, index)| gene_report(gene, *index, calls, &in_cohort))
        .collect();
    let excluded = EXCLUSIONS
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
    let config = &options.config;
    let mut report = JoinReport {
        tool: tailor_schemas::TOOL_NAME,
        version: tailor_schemas::TOOL_VERSION,
        small_cell_rule: SMALL_CELL_RULE,
        pseudonymised: options.key.is_some(),
        key_fingerprint: options.key.as_ref().map(key_fingerprint),
        strict: options.strict,
        calls: CallsReport {
            path: calls_file.to_owned(),
            rows: calls.rows,
            samples: calls.samples.len() as u64,
            genes: genes.to_vec(),
        },
        sample_map: match (&config.sample_map, sample_map) {
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
            rows: cohort.len() as u64,
            patients,
            merged_rows: cohort.merged_rows,
        },
        excluded,
        warnings: findings.into_sorted(),
        genes: gene_reports,
    };
    report.suppress_partitions();
    report
}

/// Where the outputs go and what the cohort table is written from.
pub(crate) struct Outputs<'a> {
    pub options: &'a Options,
    pub inputs: &'a Inputs,
    pub output_dir: &'a Path,
    pub report_path: &'a Path,
    pub cohort_path: &'a Path,
    pub covariate_kinds: &'a [(CovariateKind, bool)],
    pub genes: &'a [String],
    pub source: CohortSource<'a>,
}

/// The cohort schema with each single-variant gene's rsID and reference
/// allele in the metadata of its `<GENE>_diplotype` column.
fn with_single_variants(
    schema: SchemaRef,
    genes: &[String],
    source: &CohortSource<'_>,
) -> SchemaRef {
    let variants: HashMap<String, &SingleVariant> = source
        .genes
        .iter()
        .zip(genes)
        .filter_map(|(index, gene)| {
            let variant = source.calls.single_variants.get((*index)?)?.as_ref()?;
            Some((cohort::gene_column(gene, cohort::DIPLOTYPE), variant))
        })
        .collect();
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| match variants.get(f.name()) {
            Some(variant) => f.as_ref().clone().with_metadata(variant.field_metadata()),
            None => f.as_ref().clone(),
        })
        .collect();
    Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()))
}

/// Writes the report and, unless [`Options::strict`] finds a warning, the
/// cohort table.
///
/// # Errors
/// Write failures, and [`Error::Strict`] (after writing the report).
pub(crate) fn write_outputs(outputs: &Outputs<'_>, report: &JoinReport) -> Result<()> {
    let output_dir = outputs.output_dir;
    std::fs::create_dir_all(output_dir).map_err(|source| Error::Io {
        path: output_dir.to_path_buf(),
        action: "creating the output directory",
        source,
    })?;
    // The JSON keeps the report's field order; the table is built from the
    // same values.
    let json = serde_json::to_vec_pretty(report).unwrap_or_default();
    let document = serde_json::to_value(report).unwrap_or_default();
    let write_report = || -> Result<()> {
        tailor_tables::write_file_atomic(outputs.report_path, &json, tailor_tables::PRIVATE)?;
        crate::report_table::write_report_table(
            &output_dir.join(crate::report_table::REPORT_TABLE_FILE),
            &document,
        )
    };
    if outputs.options.strict {
        if let Some(first) = report.warnings.first() {
            write_report()?;
            return Err(Error::Strict {
                kind: first.kind,
                count: crate::report::small_cell(first.count),
                at: first.first.first().map(|l| match l.line {
                    Some(line) => format!("{}:{line}", l.file),
                    None => l.file.clone(),
                }),
                report: PathBuf::from(outputs.report_path),
            });
        }
    }
    let config = &outputs.options.config;
    let kinds: Vec<CovariateKind> = outputs.covariate_kinds.iter().map(|(k, _)| *k).collect();
    let roles = Layout::roles(config, &kinds, outputs.genes);
    let schema = with_single_variants(cohort::schema(&roles), outputs.genes, &outputs.source);
    let metadata = metadata(
        outputs.options,
        outputs.inputs,
        outputs.source.calls,
        &roles,
    )?;
    write_cohort(outputs.cohort_path, schema, &metadata, &outputs.source)?;
    write_report()
}
