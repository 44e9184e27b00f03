//! The balance and overlap tables of the weighted therapy comparisons,
//! with the small-cell rules of the other tables.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use tailor_schemas::{balance, overlap};

use crate::analysis::WeightingDiagnostics;
use crate::cohort::Cohort;
use crate::rows::{CellKey, RateRow};
use crate::subgroup::Subgroups;
use crate::{Error, Result};

/// Why a comparison's diagnostics are hidden: a suppressed rate cell
/// (`derived_from_suppressed_cell`) or an arm with 1..k complete cases
/// (`small_cell`); `None` when shown.
fn suppression(
    d: &WeightingDiagnostics,
    hidden: &HashMap<CellKey, bool>,
    k: u64,
) -> Option<&'static str> {
    let small = |n: u64| k > 0 && (1..=k).contains(&n);
    let overlap = &d.weighted.overlap;
    if d.cells
        .iter()
        .any(|c| hidden.get(c).copied().unwrap_or(false))
    {
        Some("derived_from_suppressed_cell")
    } else if small(overlap.n_therapy) || small(overlap.n_comparator) {
        Some("small_cell")
    } else {
        None
    }
}

/// The labels every diagnostics row starts with.
struct Keys {
    gene: StringBuilder,
    grouping: StringBuilder,
    subgroup: StringBuilder,
    therapy: StringBuilder,
    comparator: StringBuilder,
    outcome: StringBuilder,
}

impl Keys {
    fn new() -> Self {
        Self {
            gene: StringBuilder::new(),
            grouping: StringBuilder::new(),
            subgroup: StringBuilder::new(),
            therapy: StringBuilder::new(),
            comparator: StringBuilder::new(),
            outcome: StringBuilder::new(),
        }
    }

    fn push(&mut self, d: &WeightingDiagnostics, cohort: &Cohort, groups: &[Subgroups]) {
        let [(g, o, s, th), (_, _, _, cmp)] = d.cells;
        let group = &groups[g];
        self.gene.append_value(&group.gene);
        self.grouping.append_value(group.grouping.as_str());
        self.subgroup.append_value(group.label(o, s));
        self.therapy.append_value(&cohort.therapies[th as usize]);
        self.comparator
            .append_value(&cohort.therapies[cmp as usize]);
        self.outcome.append_value(&cohort.outcomes[o].role.name);
    }

    fn finish(mut self) -> Vec<ArrayRef> {
        vec![
            Arc::new(self.gene.finish()),
            Arc::new(self.grouping.finish()),
            Arc::new(self.subgroup.finish()),
            Arc::new(self.therapy.finish()),
            Arc::new(self.comparator.finish()),
            Arc::new(self.outcome.finish()),
        ]
    }
}

/// Which rate cells are suppressed.
pub fn hidden_cells(rates: &[RateRow]) -> HashMap<CellKey, bool> {
    rates
        .iter()
        .map(|r| (r.key, r.suppressed.is_some()))
        .collect()
}

/// The balance batch.
///
/// # Errors
/// [`Error::Arrow`] (a bug).
pub fn balance_batch(
    diagnostics: &[WeightingDiagnostics],
    hidden: &HashMap<CellKey, bool>,
    k: u64,
    cohort: &Cohort,
    groups: &[Subgroups],
) -> Result<RecordBatch> {
    let mut keys = Keys::new();
    let mut term = StringBuilder::new();
    let mut before = Float64Builder::new();
    let mut after = Float64Builder::new();
    let mut suppressed = BooleanBuilder::new();
    let mut reason = StringBuilder::new();
    for d in diagnostics {
        let why = suppression(d, hidden, k);
        for b in &d.weighted.balance {
            keys.push(d, cohort, groups);
            term.append_value(&b.term);
            before.append_option(b.before.filter(|_| why.is_none()));
            after.append_option(b.after.filter(|_| why.is_none()));
            suppressed.append_value(why.is_some());
            reason.append_option(why);
        }
    }
    let mut columns = keys.finish();
    columns.push(Arc::new(term.finish()));
    columns.push(Arc::new(before.finish()));
    columns.push(Arc::new(after.finish()));
    columns.push(Arc::new(suppressed.finish()));
    columns.push(Arc::new(reason.finish()));
    RecordBatch::try_new(balance::schema(), columns).map_err(|source| Error::Arrow {
        table: balance::TABLE,
        source,
    })
}

/// The overlap batch.
///
/// # Errors
/// [`Error::Arrow`] (a bug).
pub fn overlap_batch(
    diagnostics: &[WeightingDiagnostics],
    hidden: &HashMap<CellKey, bool>,
    k: u64,
    cohort: &Cohort,
    groups: &[Subgroups],
) -> Result<RecordBatch> {
    let mut keys = Keys::new();
    let mut status = StringBuilder::new();
    let mut n_therapy = Int64Builder::new();
    let mut n_comparator = Int64Builder::new();
    let mut truncated = Int64Builder::new();
    let mut floats: Vec<Float64Builder> = (0..8).map(|_| Float64Builder::new()).collect();
    let mut suppressed = BooleanBuilder::new();
    let mut reason = StringBuilder::new();
    for d in diagnostics {
        let why = suppression(d, hidden, k);
        let shown = why.is_none();
        let o = &d.weighted.overlap;
        keys.push(d, cohort, groups);
        status.append_option(shown.then(|| o.status.as_str()));
        let count = |value: Option<u64>| value.filter(|_| shown).map(|v| v as i64);
        n_therapy.append_option(count(Some(o.n_therapy)));
        n_comparator.append_option(count(Some(o.n_comparator)));
        truncated.append_option(count(o.bounds.map(|_| o.truncated)));
        let values = [
            o.therapy_range.map(|r| r.0),
            o.therapy_range.map(|r| r.1),
            o.comparator_range.map(|r| r.0),
            o.comparator_range.map(|r| r.1),
            o.bounds.map(|b| b.0),
            o.bounds.map(|b| b.1),
            o.effective.map(|e| e.0),
            o.effective.map(|e| e.1),
        ];
        for (builder, value) in floats.iter_mut().zip(values) {
            builder.append_option(value.filter(|_| shown));
        }
        suppressed.append_value(!shown);
        reason.append_option(why);
    }
    let mut columns = keys.finish();
    columns.push(Arc::new(status.finish()));
    columns.push(Arc::new(n_therapy.finish()));
    columns.push(Arc::new(n_comparator.finish()));
    let mut floats = floats
        .into_iter()
        .map(|mut f| -> ArrayRef { Arc::new(f.finish()) });
    columns.extend(floats.by_ref().take(6));
    columns.push(Arc::new(truncated.finish()));
    columns.extend(floats);
    columns.push(Arc::new(suppressed.finish()));
    columns.push(Arc::new(reason.finish()));
    RecordBatch::try_new(overlap::schema(), columns).map_err(|source| Error::Arrow {
        table: overlap::TABLE,
        source,
    })
}
