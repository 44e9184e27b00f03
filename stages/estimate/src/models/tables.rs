//! The models and model_terms batches, with small cells suppressed: a
//! model's counts (used plus excluded by reason, a partition of the
//! cohort's rows) under the shared partition rule, and a 0/1 term whose
//! ones or zeros are a small cell.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, ListBuilder, StringBuilder, StructBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field};
use tailor_schemas::small_cells::{is_small, partition_masks, SuppressionReason};
use tailor_schemas::{model_terms, models};

use super::fit::FittedModel;
use super::selection::Selection;
use super::spec::ModelSpec;
use super::terms::Term;
use crate::{Error, Result};

/// One fitted model, ready to write.
#[derive(Clone, Debug)]
pub struct ModelResult {
    /// As configured.
    pub spec: ModelSpec,
    /// Rows used and excluded.
    pub selection: Selection,
    /// The terms (columns over the used rows).
    pub terms: Vec<Term>,
    /// The fit.
    pub fitted: FittedModel,
}

fn arrow_error(table: &'static str) -> impl Fn(arrow_schema::ArrowError) -> Error {
    move |source| Error::Arrow { table, source }
}

/// Whether a term's numbers are hidden among `n` rows under threshold `k`.
fn term_hidden(term: &Term, n: u64, k: u64) -> bool {
    is_small(n, k)
        || term
            .ones()
            .is_some_and(|ones| is_small(ones, k) || is_small(n - ones, k))
}

/// The models batch.
///
/// # Errors
/// [`Error::Arrow`] (a bug).
pub fn models_batch(results: &[ModelResult], k: u64) -> Result<RecordBatch> {
    let mut text: Vec<StringBuilder> = (0..5).map(|_| StringBuilder::new()).collect();
    let mut counts: Vec<Int64Builder> = (0..5).map(|_| Int64Builder::new()).collect();
    let struct_fields = match models::excluded_by_covariate_type() {
        DataType::List(item) => match item.data_type() {
            DataType::Struct(fields) => fields.clone(),
            _ => Default::default(),
        },
        _ => Default::default(),
    };
    let mut by_covariate = ListBuilder::new(StructBuilder::new(
        struct_fields.clone(),
        vec![
            Box::new(StringBuilder::new()),
            Box::new(Int64Builder::new()),
        ],
    ))
    .with_field(Arc::new(Field::new(
        "item",
        DataType::Struct(struct_fields),
        false,
    )));
    let mut suppressed = BooleanBuilder::new();
    let mut parameters = Int64Builder::new();
    let mut floats: Vec<Float64Builder> = (0..4).map(|_| Float64Builder::new()).collect();
    for result in results {
        let spec = &result.spec;
        let s = &result.selection;
        for (builder, value) in text.iter_mut().zip([
            spec.name.as_str(),
            spec.family.as_str(),
            spec.outcome.as_str(),
            spec.transform.as_str(),
            result.fitted.status.as_str(),
        ]) {
            builder.append_value(value);
        }
        let mut partition = vec![s.used.len() as u64, s.outcome, s.transform, s.genotype];
        partition.extend(s.covariate.iter().map(|(_, n)| *n));
        let hidden = partition_masks(&partition, k);
        let shown = |i: usize| (!hidden[i]).then_some(partition[i] as i64);
        for (i, builder) in counts.iter_mut().take(4).enumerate() {
            builder.append_option(shown(i));
        }
        let covariate_hidden = hidden[4..].contains(&true);
        let covariate_total: u64 = partition[4..].iter().sum();
        counts[4].append_option((!covariate_hidden).then_some(covariate_total as i64));
        for (j, (name, _)) in s.covariate.iter().enumerate() {
            let entry = by_covariate.values();
            entry
                .field_builder::<StringBuilder>(0)
                .ok_or_else(|| {
                    arrow_error(models::TABLE)(arrow_schema::ArrowError::SchemaError(
                        "covariate".into(),
                    ))
                })?
                .append_value(name);
            entry
                .field_builder::<Int64Builder>(1)
                .ok_or_else(|| {
                    arrow_error(models::TABLE)(arrow_schema::ArrowError::SchemaError("n".into()))
                })?
                .append_option(shown(4 + j));
            entry.append(true);
        }
        by_covariate.append(true);
        suppressed.append_value(hidden.contains(&true));
        parameters.append_value(result.fitted.parameters as i64);
        let f = &result.fitted;
        for (builder, value) in floats
            .iter_mut()
            .zip([f.r2, f.adj_r2, f.log_likelihood, f.aic])
        {
            builder.append_option(value);
        }
    }
    let mut columns: Vec<ArrayRef> = text
        .iter_mut()
        .map(|b| Arc::new(b.finish()) as ArrayRef)
        .collect();
    columns.extend(counts.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.push(Arc::new(by_covariate.finish()));
    columns.push(Arc::new(suppressed.finish()));
    columns.push(Arc::new(parameters.finish()));
    columns.extend(floats.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    RecordBatch::try_new(models::schema(), columns).map_err(arrow_error(models::TABLE))
}

/// The model_terms batch.
///
/// # Errors
/// [`Error::Arrow`] (a bug).
pub fn terms_batch(results: &[ModelResult], k: u64) -> Result<RecordBatch> {
    let mut model = StringBuilder::new();
    let mut term = StringBuilder::new();
    let mut kind = StringBuilder::new();
    let mut labels: Vec<StringBuilder> = (0..3).map(|_| StringBuilder::new()).collect();
    let mut numbers: Vec<Float64Builder> = (0..5).map(|_| Float64Builder::new()).collect();
    let mut statistic_kind = StringBuilder::new();
    let mut df = Float64Builder::new();
    let mut p_value = Float64Builder::new();
    let mut n_level = Int64Builder::new();
    let mut suppressed = BooleanBuilder::new();
    let mut reason = StringBuilder::new();
    for result in results {
        let n = result.selection.used.len() as u64;
        let t_based = result.spec.family == models::ModelFamily::Ols;
        for (t, estimate) in result.terms.iter().zip(&result.fitted.estimates) {
            let hidden = term_hidden(t, n, k);
            let shown = if hidden { None } else { *estimate };
            model.append_value(&result.spec.name);
            term.append_value(&t.name);
            kind.append_value(t.kind.as_str());
            for (builder, value) in labels.iter_mut().zip([&t.variable, &t.level, &t.reference]) {
                builder.append_option(value.as_deref());
            }
            let values = shown.map(|e| [e.estimate, e.se, e.ci.0, e.ci.1, e.statistic]);
            for (j, builder) in numbers.iter_mut().enumerate() {
                builder.append_option(values.map(|v| v[j]));
            }
            statistic_kind.append_value(if t_based { "t" } else { "z" });
            df.append_option(shown.and_then(|e| e.df));
            p_value.append_option(shown.map(|e| e.p_value));
            n_level.append_option(if hidden {
                None
            } else {
                t.ones().map(|c| c as i64)
            });
            suppressed.append_value(hidden);
            reason.append_option(hidden.then_some(SuppressionReason::SmallCell.as_str()));
        }
    }
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(model.finish()),
        Arc::new(term.finish()),
        Arc::new(kind.finish()),
    ];
    columns.extend(labels.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.extend(numbers.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.push(Arc::new(statistic_kind.finish()));
    columns.push(Arc::new(df.finish()));
    columns.push(Arc::new(p_value.finish()));
    columns.push(Arc::new(n_level.finish()));
    columns.push(Arc::new(suppressed.finish()));
    columns.push(Arc::new(reason.finish()));
    RecordBatch::try_new(model_terms::schema(), columns).map_err(arrow_error(model_terms::TABLE))
}
