//! Subgroup vs the gene's reference subgroup within each therapy of a
//! unit: the unadjusted rows and, with covariates, the adjusted row from
//! one model per therapy.

use tailor_schemas::subgroup_effects::ContrastKind;

use super::model_rows::ModelData;
use super::rows::{adjusted_row, unadjusted_rows};
use super::unit::{Arms, Unit};
use super::UnitOutput;
use crate::model::{fit_model, subgroup_columns, Column, FitSpec, Fitted};
use crate::stats::ModelStatus;

/// The subgroup-vs-reference rows of every therapy of `unit` (none when
/// the gene has no reference subgroup for the outcome).
pub fn reference_contrasts(unit: &Unit<'_>, out: &mut UnitOutput) {
    let Some(reference) = unit.part.reference else {
        return;
    };
    for th in 0..unit.ctx.cohort.therapies.len() as u32 {
        let data = ModelData::gather(unit.outcome, unit.subgroups(), unit.ctx.complete, |s| {
            vec![unit.cell(s, th)]
        });
        let fitted = if unit.adjusting() {
            fit_subgroups(unit, &data, reference)
        } else {
            None
        };
        for s in (0..unit.subgroups() as u32).filter(|&s| s != reference) {
            let (a, b) = (unit.cell(s, th), unit.cell(reference, th));
            let arms = Arms {
                contrast: ContrastKind::SubgroupVsReference,
                subgroup: s,
                reference: Some(reference),
                therapy: th,
                comparator: None,
                test: None,
            };
            let base = unit.base_row(arms, unit.repeats_note(a, b));
            out.effects.extend(unadjusted_rows(unit, &base, a, b));
            if unit.adjusting() {
                out.effects.push(adjusted_row(
                    unit,
                    &base,
                    fitted.as_ref(),
                    Column::Subgroup(s),
                    &data,
                ));
            }
        }
    }
}

/// The model of the outcome on subgroup indicators (the reference
/// omitted) and the covariates, when the reference and another subgroup
/// are in `data`.
fn fit_subgroups(
    unit: &Unit<'_>,
    data: &ModelData,
    reference: u32,
) -> Option<Result<Fitted, ModelStatus>> {
    let present = &data.present;
    if !present.contains(&reference) || present.len() < 2 {
        return None;
    }
    let columns = subgroup_columns(unit.kind, present, reference);
    Some(fit_model(
        unit.ctx.cohort,
        unit.outcome,
        &data.model_rows(),
        &columns,
        FitSpec {
            kind: unit.kind,
            hc3: unit.ctx.options.hc3,
            firth: false,
        },
    ))
}
