//! The effect rows of one contrast: the unadjusted estimates and the
//! covariate-adjusted model's row.

use tailor_schemas::cohort::OutcomeKind;
use tailor_schemas::subgroup_effects::{EffectModel, Measure, PMethod};

use super::model_rows::ModelData;
use super::unit::{primary_measure, Unit, REPEATS_NOTE};
use crate::model::{Column, Fitted};
use crate::rows::EffectRow;
use crate::stats::ModelStatus;
use crate::unadjusted::compare_arms;

/// Note on the adjusted row of a subgroup left out of its model.
pub const EXCLUDED_NOTE: &str = "excluded_from_model";

/// The unadjusted rows of arm 1 (`a`) against arm 2 (`b`), built on
/// `base`; primary when no covariates are configured.
pub fn unadjusted_rows(
    unit: &Unit<'_>,
    base: &EffectRow,
    a: &[usize],
    b: &[usize],
) -> Vec<EffectRow> {
    let ctx = unit.ctx;
    let adjusting = unit.adjusting();
    compare_arms(unit.outcome, a, b, ctx.z, ctx.options.confidence_level)
        .into_iter()
        .map(|e| EffectRow {
            measure: e.measure,
            model: e.model,
            p_method: Some(e.p_method),
            primary: !adjusting && e.measure == primary_measure(unit.kind),
            result: e.result,
            ok_status: e.ok_status,
            ..base.clone()
        })
        .collect()
}

/// The adjusted-model row for `column` of `fit` (the therapy within a
/// subgroup, or a subgroup against the reference), built on `base`, with
/// the rows `data` dropped for missing covariates. A subgroup left out of
/// the model carries its status and a note.
pub fn adjusted_row(
    unit: &Unit<'_>,
    base: &EffectRow,
    fit: Option<&Result<Fitted, ModelStatus>>,
    column: Column,
    data: &ModelData,
) -> EffectRow {
    let excluded = data.excluded[base.subgroup as usize];
    let kind = unit.kind;
    let ctx = unit.ctx;
    let fitted = match (excluded, fit) {
        (None, Some(Ok(fitted))) => Some(fitted),
        _ => None,
    };
    let failed = |status| {
        (
            Err(status),
            ModelStatus::Ok,
            default_adjusted_model(kind),
            false,
        )
    };
    let (result, ok_status, model, robust) = match (excluded, fit) {
        (Some(status), _) | (None, Some(&Err(status))) => failed(status),
        (None, Some(Ok(full))) => (
            full.effect(column, kind, ctx.z),
            full.status(),
            adjusted_model(kind, full, ctx.options.hc3),
            full.fit.robust,
        ),
        (None, None) => failed(ModelStatus::TooFew),
    };
    EffectRow {
        measure: adjusted_measure(kind),
        model,
        p_method: Some(if fitted.is_some_and(|f| f.penalised.is_some()) {
            PMethod::PenalisedLrt
        } else if kind == OutcomeKind::Continuous && !robust {
            PMethod::T
        } else {
            PMethod::Wald
        }),
        adjusted: true,
        primary: true,
        result,
        ok_status,
        cluster_robust: robust,
        ph_test_p: fitted.and_then(|f| f.ph_test_p(column)),
        n_excluded_covariate: Some(data.dropped),
        note: if excluded.is_some() {
            Some(EXCLUDED_NOTE)
        } else if fitted.is_some_and(Fitted::ignores_repeats) {
            Some(REPEATS_NOTE)
        } else if kind == OutcomeKind::TimeToEvent && !robust {
            base.note
        } else {
            None
        },
        ..base.clone()
    }
}

fn adjusted_model(kind: OutcomeKind, fit: &Fitted, hc3: bool) -> EffectModel {
    let firth = fit.fit.status == ModelStatus::Firth;
    match kind {
        OutcomeKind::Binary if firth => EffectModel::LogisticFirth,
        OutcomeKind::Continuous if fit.fit.robust && !hc3 => EffectModel::OlsCluster,
        OutcomeKind::Continuous if hc3 => EffectModel::OlsHc3,
        OutcomeKind::TimeToEvent if firth => EffectModel::CoxFirth,
        _ => default_adjusted_model(kind),
    }
}

/// The adjusted model of `kind` without a Firth fit or robust errors.
pub fn default_adjusted_model(kind: OutcomeKind) -> EffectModel {
    match kind {
        OutcomeKind::Binary => EffectModel::LogisticIrls,
        OutcomeKind::Continuous => EffectModel::Ols,
        OutcomeKind::TimeToEvent => EffectModel::CoxEfron,
    }
}

fn adjusted_measure(kind: OutcomeKind) -> Measure {
    match kind {
        OutcomeKind::Binary => Measure::OddsRatio,
        OutcomeKind::Continuous => Measure::MeanDifference,
        OutcomeKind::TimeToEvent => Measure::HazardRatio,
    }
}
