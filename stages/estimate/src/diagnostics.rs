//! The balance and overlap tables of the weighted therapy comparisons,
//! with the small-cell rules of the other tables.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::SchemaRef;
use tailor_schemas::small_cells::SuppressionReason;
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
) -> Option<SuppressionReason> {
    let small = |n: u64| k > 0 && (1..=k).contains(&n);
    let overlap = &d.weighted.overlap;
    if d.cells
        .iter()
        .any(|c| hidden.get(c).copied().unwrap_or(false))
    {
        Some(SuppressionReason::DerivedFromSuppressedCell)
    } else if small(overlap.n_therapy) || small(overlap.n_comparator) {
        Some(SuppressionReason::SmallCell)
    } else {
        None
    }
}

/// The columns every diagnostics row has: the labels it starts with and
/// the suppression columns it ends with; each table adds its own between.
struct Frame {
    gene: StringBuilder,
    grouping: StringBuilder,
    subgroup: StringBuilder,
    therapy: StringBuilder,
    comparator: StringBuilder,
    outcome: StringBuilder,
    suppressed: BooleanBuilder,
    reason: StringBuilder,
}

impl Frame {
    fn new() -> Self {
        Self {
            gene: StringBuilder::new(),
            grouping: StringBuilder::new(),
            subgroup: StringBuilder::new(),
            therapy: StringBuilder::new(),
            comparator: StringBuilder::new(),
            outcome: StringBuilder::new(),
            suppressed: BooleanBuilder::new(),
            reason: StringBuilder::new(),
        }
    }

    /// A row of comparison `d`, hidden for `why`.
    fn push(
        &mut self,
        d: &WeightingDiagnostics,
        why: Option<SuppressionReason>,
        cohort: &Cohort,
        groups: &[Subgroups],
    ) {
        let [(g, o, s, th), (_, _, _, cmp)] = d.cells;
        let group = &groups[g];
        self.gene.append_value(&group.gene);
        self.grouping.append_value(group.grouping.as_str());
        self.subgroup.append_value(group.label(o, s));
        self.therapy.append_value(&cohort.therapies[th as usize]);
        self.comparator
            .append_value(&cohort.therapies[cmp as usize]);
        self.outcome.append_value(&cohort.outcomes[o].role.name);
        self.suppressed.append_value(why.is_some());
        self.reason
            .append_option(why.map(SuppressionReason::as_str));
    }

    /// The batch of `table` (`schema`): the labels, `middle`, the
    /// suppression columns.
    fn finish(
        mut self,
        middle: Vec<ArrayRef>,
        schema: SchemaRef,
        table: &'static str,
    ) -> Result<RecordBatch> {
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(self.gene.finish()),
            Arc::new(self.grouping.finish()),
            Arc::new(self.subgroup.finish()),
            Arc::new(self.therapy.finish()),
            Arc::new(self.comparator.finish()),
            Arc::new(self.outcome.finish()),
        ];
        columns.extend(middle);
        columns.push(Arc::new(self.suppressed.finish()));
        columns.push(Arc::new(self.reason.finish()));
        RecordBatch::try_new(schema, columns).map_err(|source| Error::Arrow { table, source })
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
    let mut frame = Frame::new();
    let mut term = StringBuilder::new();
    let mut before = Float64Builder::new();
    let mut after = Float64Builder::new();
    for d in diagnostics {
        let why = suppression(d, hidden, k);
        for b in &d.weighted.balance {
            frame.push(d, why, cohort, groups);
            term.append_value(&b.term);
            before.append_option(b.before.filter(|_| why.is_none()));
            after.append_option(b.after.filter(|_| why.is_none()));
        }
    }
    let middle: Vec<ArrayRef> = vec![
        Arc::new(term.finish()),
        Arc::new(before.finish()),
        Arc::new(after.finish()),
    ];
    frame.finish(middle, balance::schema(), balance::TABLE)
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
    let mut frame = Frame::new();
    let mut status = StringBuilder::new();
    let mut n_therapy = Int64Builder::new();
    let mut n_comparator = Int64Builder::new();
    let mut truncated = Int64Builder::new();
    let mut floats: Vec<Float64Builder> = (0..8).map(|_| Float64Builder::new()).collect();
    for d in diagnostics {
        let why = suppression(d, hidden, k);
        let shown = why.is_none();
        let o = &d.weighted.overlap;
        frame.push(d, why, cohort, groups);
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
    }
    let mut middle: Vec<ArrayRef> = vec![
        Arc::new(status.finish()),
        Arc::new(n_therapy.finish()),
        Arc::new(n_comparator.finish()),
    ];
    let mut floats = floats
        .into_iter()
        .map(|mut f| -> ArrayRef { Arc::new(f.finish()) });
    middle.extend(floats.by_ref().take(6));
    middle.push(Arc::new(truncated.finish()));
    middle.extend(floats);
    frame.finish(middle, overlap::schema(), overlap::TABLE)
}
