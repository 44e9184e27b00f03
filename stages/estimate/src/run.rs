//! The stage: read the cohort, analyse every gene x outcome, adjust for
//! multiplicity, suppress small cells, write the two tables.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::json;
use tailor_schemas::single_variant::SINGLE_VARIANT_GENES_KEY;
use tailor_schemas::{balance, model_terms, models, overlap, subgroup_effects, subgroup_rates};
use tailor_tables::{InputIdentity, TableMetadata, TableWriter};

use crate::analysis::{analyse, Context};
use crate::cohort::read_cohort;
use crate::covariate_missing::apply_policies;
use crate::cpic::FamilyLookup;
use crate::diagnostics::{balance_batch, hidden_cells, overlap_batch};
use crate::gene_subgroups::{fallback_notes, read_subgroups, single_variant_genes};
use crate::models::{check_models, fit_models, models_batch, terms_batch};
use crate::output::{effects_batch, rates_batch};
use crate::stats::normal::z_critical;
use crate::subgroup_merge::{merges_metadata, partition_outcomes};
use crate::suppression::{suppress_effects, suppress_rates};
use crate::verdict::{assign_q_values, verdict};
use crate::{Error, Options, Result};

/// Metadata key of the warning written when suppression is disabled.
pub const WARNING_KEY: &str = "tailor.estimate.warning";

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Summary {
    /// Cohort rows (episodes) read.
    pub rows: usize,
    /// Genes analysed.
    pub genes: usize,
    /// Outcomes analysed.
    pub outcomes: usize,
    /// Rows written to subgroup_rates.
    pub rate_rows: usize,
    /// Rows written to subgroup_effects.
    pub effect_rows: usize,
    /// Interaction tests run (gene x contrast x outcome).
    pub interaction_tests: usize,
    /// Rate rows suppressed.
    pub suppressed_rates: usize,
    /// Effect rows suppressed.
    pub suppressed_effects: usize,
    /// Rows excluded from each gene's subgrouping, by gene and reason.
    pub excluded: BTreeMap<String, BTreeMap<String, u64>>,
    /// Explicit models fitted (`[[estimate.models]]`).
    pub models: usize,
    /// Warnings (also in the tables' metadata).
    pub warnings: Vec<String>,
    /// The two tables written.
    pub outputs: Vec<PathBuf>,
}

fn validate(options: &Options) -> Result<()> {
    let invalid = |setting, value: f64, reason| {
        Err(Error::InvalidOption {
            setting,
            value: value.to_string(),
            reason,
        })
    };
    if !(options.fdr > 0.0 && options.fdr < 1.0) {
        return invalid("fdr", options.fdr, "must be between 0 and 1");
    }
    if !(options.confidence_level > 0.0 && options.confidence_level < 1.0) {
        return invalid(
            "confidence_level",
            options.confidence_level,
            "must be between 0 and 1",
        );
    }
    if let Some(h) = options.km_horizon {
        if !(h.is_finite() && h > 0.0) {
            return invalid("km_horizon", h, "must be a positive time");
        }
    }
    if options
        .activity_score_bins
        .windows(2)
        .any(|w| w[0].partial_cmp(&w[1]) != Some(std::cmp::Ordering::Less))
        || options.activity_score_bins.iter().any(|b| !b.is_finite())
    {
        return invalid(
            "activity_score_bins",
            f64::NAN,
            "must be finite and strictly increasing",
        );
    }
    let [low, high] = options.weight_truncation;
    if !(0.0 <= low && low < high && high <= 100.0) {
        return invalid(
            "weight_truncation",
            if (0.0..=100.0).contains(&low) {
                high
            } else {
                low
            },
            "must be two percentiles [lower, upper] with 0 <= lower < upper <= 100",
        );
    }
    if !options.weighting.is_empty() && options.covariates.is_empty() {
        return Err(Error::InvalidOption {
            setting: "weighting",
            value: format!("{:?}", weighting_names(options)),
            reason: "needs covariates: the propensity score is a model of the therapy on them",
        });
    }
    if let Some(needed) = options.verdict_estimator.weighting() {
        if !options.weighting.contains(&needed) {
            return Err(Error::InvalidOption {
                setting: "verdict_estimator",
                value: needed.as_str().to_owned(),
                reason: "must be one of the estimators listed in weighting",
            });
        }
    }
    check_models(options)
}

fn weighting_names(options: &Options) -> Vec<&'static str> {
    options.weighting.iter().map(|w| w.as_str()).collect()
}

/// Writes `batch` as the table `name` (version `version`) in `output`.
fn write_table(
    output: &Path,
    name: &str,
    schema: arrow_schema::SchemaRef,
    metadata: &TableMetadata,
    batch: &arrow_array::RecordBatch,
) -> Result<PathBuf> {
    let path = output.join(format!("{name}.parquet"));
    let mut writer = TableWriter::create(&path, schema, metadata)?;
    writer.write(batch)?;
    writer.finish()?;
    Ok(path)
}

/// Runs the stage on the cohort table `input`, writing
/// `output/subgroup_rates.parquet` and `output/subgroup_effects.parquet`,
/// with `weighting` configured `output/balance.parquet` and
/// `output/overlap.parquet`, and with `models` configured
/// `output/models.parquet` and `output/model_terms.parquet`.
///
/// # Errors
/// Invalid options or input ([`Error::is_invalid_input`]), or I/O.
pub fn run(options: &Options, input: &Path, output: &Path) -> Result<Summary> {
    validate(options)?;
    let fitted_models = fit_models(options, input)?;
    let (mut cohort, _roles) = read_cohort(input, options)?;
    let covariate_names = apply_policies(&mut cohort, options)?;
    let mut groups = read_subgroups(input, &cohort.genes, options)?;
    for g in &mut groups {
        let merges = options
            .merge_subgroups
            .get(&g.gene)
            .map_or(&[][..], Vec::as_slice);
        partition_outcomes(
            g,
            &cohort,
            merges,
            options.merge_small_subgroups,
            options.suppression_threshold,
        );
    }
    let complete: Vec<bool> = (0..cohort.rows)
        .map(|i| cohort.covariates.iter().all(|c| c.present(i)))
        .collect();
    let contrasts: Vec<(u32, u32)> = match &options.comparator {
        Some(name) => {
            let c = cohort.therapies.iter().position(|t| t == name).unwrap_or(0) as u32;
            (0..cohort.therapies.len() as u32)
                .filter(|&t| t != c)
                .map(|t| (t, c))
                .collect()
        }
        None => {
            let n = cohort.therapies.len() as u32;
            (0..n)
                .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
                .collect()
        }
    };
    let families = FamilyLookup::new(&options.therapy_atc);
    let ctx = Context {
        cohort: &cohort,
        subgroups: &groups,
        options,
        z: z_critical(options.confidence_level),
        families: &families,
        complete: &complete,
        covariate_names: &covariate_names,
        contrasts: &contrasts,
    };
    let units: Vec<(usize, usize)> = (0..groups.len())
        .flat_map(|g| (0..cohort.outcomes.len()).map(move |o| (g, o)))
        .collect();
    let outputs: Vec<_> = units
        .par_iter()
        .map(|&(g, o)| analyse(&ctx, g, o))
        .collect();
    let mut rates = Vec::new();
    let mut effects = Vec::new();
    let mut tests = Vec::new();
    let mut weighting = Vec::new();
    for mut unit in outputs {
        let offset = tests.len();
        for e in &mut unit.effects {
            e.test = e.test.map(|t| t + offset);
        }
        rates.extend(unit.rates);
        effects.extend(unit.effects);
        tests.extend(unit.tests);
        weighting.extend(unit.weighting);
    }
    suppress_rates(&mut rates, options.suppression_threshold);
    suppress_effects(&rates, &mut effects, &mut tests);
    assign_q_values(&mut tests, &effects);
    for row in &mut effects {
        let higher_is_better = cohort.outcomes[row.outcome].role.higher_is_better;
        row.verdict = verdict(row, &tests, options.fdr, higher_is_better);
    }

    let mut warnings = Vec::new();
    if options.suppression_threshold == 0 {
        warnings.push(
            "small-cell suppression is disabled (suppression_threshold = 0): counts of 1-10 may identify patients"
                .to_owned(),
        );
    }
    for g in &groups {
        let dropped: std::collections::BTreeSet<&str> = g
            .by_outcome
            .iter()
            .flat_map(|part| part.dropped.iter().map(String::as_str))
            .collect();
        if !dropped.is_empty() {
            warnings.push(format!(
                "{}: {} subgroup(s) left out of an outcome's analysis (a cell would be suppressed and there is no neighbour to merge into; {} in the tables' metadata): {}",
                g.gene,
                dropped.len(),
                subgroup_rates::SUBGROUP_MERGES_KEY,
                dropped.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    warnings.extend(fallback_notes(&groups, options));
    let single_variants = single_variant_genes(&groups);
    let merges = merges_metadata(&groups, &cohort);
    let identity = InputIdentity::hashed(input)?;
    let parameters = serde_json::to_value(options).unwrap_or_else(|_| json!({}));
    let metadata = |table: &str, version: u32| {
        let mut m = TableMetadata::new(table, version);
        m.parameters = parameters.clone();
        m.inputs = vec![identity.clone()];
        if !warnings.is_empty() {
            m.extra.push((WARNING_KEY.to_owned(), warnings.join("; ")));
        }
        m.extra.push((
            subgroup_rates::SUBGROUP_MERGES_KEY.to_owned(),
            merges.to_string(),
        ));
        if let Some(genes) = &single_variants {
            m.extra
                .push((SINGLE_VARIANT_GENES_KEY.to_owned(), genes.clone()));
        }
        m
    };
    let batch = rates_batch(&rates, &cohort, &groups, options)?;
    let rates_path = write_table(
        output,
        subgroup_rates::TABLE,
        subgroup_rates::schema(),
        &metadata(subgroup_rates::TABLE, subgroup_rates::SCHEMA_VERSION),
        &batch,
    )?;
    let batch = effects_batch(&effects, &tests, &cohort, &groups, options, &families)?;
    let mut effects_metadata = metadata(subgroup_effects::TABLE, subgroup_effects::SCHEMA_VERSION);
    let genes = cohort.genes.iter().map(String::as_str);
    effects_metadata.extra.push((
        subgroup_effects::GUIDELINES_KEY.to_owned(),
        families.guidelines(genes, &cohort.therapies).to_string(),
    ));
    let effects_path = write_table(
        output,
        subgroup_effects::TABLE,
        subgroup_effects::schema(),
        &effects_metadata,
        &batch,
    )?;
    let mut outputs = vec![rates_path, effects_path];
    if !options.weighting.is_empty() {
        let hidden = hidden_cells(&rates);
        let k = options.suppression_threshold;
        let batch = balance_batch(&weighting, &hidden, k, &cohort, &groups)?;
        outputs.push(write_table(
            output,
            balance::TABLE,
            balance::schema(),
            &metadata(balance::TABLE, balance::SCHEMA_VERSION),
            &batch,
        )?);
        let batch = overlap_batch(&weighting, &hidden, k, &cohort, &groups)?;
        outputs.push(write_table(
            output,
            overlap::TABLE,
            overlap::schema(),
            &metadata(overlap::TABLE, overlap::SCHEMA_VERSION),
            &batch,
        )?);
    }
    if !options.models.is_empty() {
        let k = options.suppression_threshold;
        for (table, version, schema, batch) in [
            (
                models::TABLE,
                models::SCHEMA_VERSION,
                models::schema(),
                models_batch(&fitted_models, k)?,
            ),
            (
                model_terms::TABLE,
                model_terms::SCHEMA_VERSION,
                model_terms::schema(),
                terms_batch(&fitted_models, k)?,
            ),
        ] {
            outputs.push(write_table(
                output,
                table,
                schema,
                &metadata(table, version),
                &batch,
            )?);
        }
    }

    Ok(Summary {
        rows: cohort.rows,
        genes: groups.len(),
        outcomes: cohort.outcomes.len(),
        rate_rows: rates.len(),
        effect_rows: effects.len(),
        interaction_tests: tests.len(),
        suppressed_rates: rates.iter().filter(|r| r.suppressed.is_some()).count(),
        suppressed_effects: effects.iter().filter(|r| r.suppressed.is_some()).count(),
        excluded: groups
            .iter()
            .map(|g| {
                (
                    g.gene.clone(),
                    g.excluded
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), *v))
                        .collect(),
                )
            })
            .collect(),
        models: fitted_models.len(),
        warnings,
        outputs,
    })
}
