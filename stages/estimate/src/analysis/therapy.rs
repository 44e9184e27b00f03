//! Therapy vs comparator within each subgroup of a unit: the unadjusted
//! rows, the interaction model's adjusted row, the weighted rows, and the
//! therapy x subgroup interaction test.

use tailor_schemas::cohort::OutcomeKind;
use tailor_schemas::subgroup_effects::{ContrastKind, PMethod};

use super::model_rows::{complete_rows, ModelData};
use super::rows::{adjusted_row, unadjusted_rows};
use super::unit::{primary_measure, Arms, Unit};
use super::{UnitOutput, WeightingDiagnostics};
use crate::model::{interaction, Column, InteractionFit};
use crate::rows::{EffectRow, InteractionTest};
use crate::stats::ModelStatus;
use crate::weighted::{weigh, Settings};

/// The rows and interaction test of `therapy` vs `comparator` in `unit`.
pub fn therapy_contrast(unit: &Unit<'_>, (th, cmp): (u32, u32), out: &mut UnitOutput) {
    let complete = unit.ctx.complete;
    let data = ModelData::gather(unit.outcome, unit.subgroups(), complete, |s| {
        vec![unit.cell(s, th), unit.cell(s, cmp)]
    });
    let fitted = fit_interaction(unit, &data);
    let test = out.tests.len();
    out.tests.push(InteractionTest {
        gene: unit.g,
        outcome: unit.o,
        therapy: th,
        comparator: cmp,
        family: unit.family(th),
        result: fitted
            .as_ref()
            .map_or(Err(ModelStatus::TooFew), |f| f.test.clone()),
        q_value: None,
        hidden: false,
    });
    let weighting = unit.adjusting()
        && unit.kind != OutcomeKind::TimeToEvent
        && !unit.ctx.options.weighting.is_empty();
    let weighted_verdict = weighting && unit.ctx.options.verdict_estimator.weighting().is_some();
    for s in 0..unit.subgroups() as u32 {
        let (a, b) = (unit.cell(s, th), unit.cell(s, cmp));
        let arms = Arms {
            contrast: ContrastKind::TherapyVsComparator,
            subgroup: s,
            reference: None,
            therapy: th,
            comparator: Some(cmp),
            test: Some(test),
        };
        let base = unit.base_row(arms, unit.repeats_note(a, b));
        out.effects.extend(unadjusted_rows(unit, &base, a, b));
        if unit.adjusting() {
            out.effects.push(EffectRow {
                primary: !weighted_verdict,
                ..adjusted_row(
                    unit,
                    &base,
                    fitted.as_ref().map(|f| &f.full),
                    Column::TherapyIn(s),
                    &data,
                )
            });
        }
        if weighting {
            weighted_rows(unit, &base, [a, b], out);
        }
    }
}

/// The interaction model over the subgroups in `data`, when two or more
/// are (the reference: the gene's, if present, else the first).
fn fit_interaction(unit: &Unit<'_>, data: &ModelData) -> Option<InteractionFit> {
    let present = &data.present;
    let reference = unit
        .groups
        .reference
        .filter(|r| present.contains(r))
        .or(present.first().copied())?;
    (present.len() >= 2).then(|| {
        interaction(
            unit.ctx.cohort,
            unit.outcome,
            &data.model_rows(),
            present,
            reference,
            unit.kind,
            unit.ctx.options.hc3,
        )
    })
}

/// The IPW/AIPW rows of a therapy comparison (`arms`, therapy first; their
/// complete cases are weighed) built on `base`, and its diagnostics.
fn weighted_rows(unit: &Unit<'_>, base: &EffectRow, arms: [&[usize]; 2], out: &mut UnitOutput) {
    let ctx = unit.ctx;
    let options = ctx.options;
    let (complete, dropped) = complete_rows(&arms, ctx.complete);
    let weighted = weigh(
        ctx.cohort,
        ctx.covariate_names,
        unit.outcome,
        &complete[0],
        &complete[1],
        Settings {
            estimators: &options.weighting,
            truncation: options.weight_truncation,
            z: ctx.z,
        },
    );
    let verdict_from = options.verdict_estimator.weighting();
    for e in &weighted.effects {
        out.effects.push(EffectRow {
            measure: e.measure,
            model: e.estimator.model(),
            p_method: Some(PMethod::Wald),
            adjusted: true,
            primary: verdict_from == Some(e.estimator) && e.measure == primary_measure(base.kind),
            result: e.result,
            ok_status: ModelStatus::Ok,
            cluster_robust: false,
            n_excluded_covariate: Some(dropped),
            ..base.clone()
        });
    }
    if complete.iter().all(|a| !a.is_empty()) {
        out.weighting.push(WeightingDiagnostics {
            cells: base.cells,
            weighted,
        });
    }
}
