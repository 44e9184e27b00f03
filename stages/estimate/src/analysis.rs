//! One gene x outcome: rate cells, therapy contrasts with their interaction
//! test, and subgroup-vs-reference contrasts.

// Subgroup and therapy indices are codes written into the rows, not just
// positions: index loops say so more plainly than iterators.
#![allow(clippy::needless_range_loop)]

use tailor_schemas::cohort::OutcomeKind;

use crate::cohort::{Cohort, Outcome, OutcomeValues};
use crate::cpic::FamilyLookup;
use crate::model::{fit_model, interaction, Column, FitSpec, Fitted, ModelRows};
use crate::rates::describe_cell;
use crate::rows::{CellKey, ContrastKind, EffectRow, InteractionTest, RateRow};
use crate::stats::cluster::has_repeats;
use crate::stats::ModelStatus;
use crate::subgroup::Subgroups;
use crate::unadjusted::compare_arms;
use crate::weighted::{weigh, Settings, Weighted};
use crate::Options;

/// What every unit shares.
pub struct Context<'a> {
    /// The cohort.
    pub cohort: &'a Cohort,
    /// Subgroups per gene (same order as `cohort.genes`).
    pub subgroups: &'a [Subgroups],
    /// Options.
    pub options: &'a Options,
    /// Normal critical value of the confidence level.
    pub z: f64,
    /// Families.
    pub families: &'a FamilyLookup,
    /// Rows with every covariate observed.
    pub complete: &'a [bool],
    /// Therapy contrasts (therapy, comparator).
    pub contrasts: &'a [(u32, u32)],
}

/// The rows one unit produces.
#[derive(Default)]
pub struct UnitOutput {
    /// Rate rows.
    pub rates: Vec<RateRow>,
    /// Effect rows (test indices local to the unit).
    pub effects: Vec<EffectRow>,
    /// Interaction tests.
    pub tests: Vec<InteractionTest>,
    /// Propensity diagnostics of the weighted therapy comparisons.
    pub weighting: Vec<WeightingDiagnostics>,
}

/// The balance and overlap of one weighted therapy comparison.
pub struct WeightingDiagnostics {
    /// The two rate cells compared: (subgroup, therapy) and (subgroup,
    /// comparator).
    pub cells: [CellKey; 2],
    /// What weighting gave.
    pub weighted: Weighted,
}

/// Note on the adjusted row of a subgroup left out of its model.
pub const EXCLUDED_NOTE: &str = "excluded_from_model";

/// Note on a row whose inference treats episodes as independent although
/// some patient has several.
pub const REPEATS_NOTE: &str = "episodes_not_independent";

/// Why a subgroup (with these arms, complete cases) cannot enter a
/// regression model, or `None` when it can. A subgroup enters the model
/// only when its parameters are identified: every arm has a patient, and
/// the outcome varies within the subgroup (a binary outcome with events
/// and non-events, a time to event with an event). Otherwise its subgroup
/// term runs to infinity (separation in the subgroup direction: Firth's
/// penalty alone would set its estimate), so it is left out of the
/// interaction model (and the LRT) and reported with this status.
/// Within-subgroup zero cells (no event in one arm only) stay in: that is
/// quasi-separation of the therapy term, handled by Firth.
pub fn model_exclusion(outcome: &Outcome, arms: &[&[usize]]) -> Option<ModelStatus> {
    if arms.iter().any(|a| a.is_empty()) {
        return Some(ModelStatus::Empty);
    }
    let rows = || arms.iter().flat_map(|a| a.iter().copied());
    match &outcome.values {
        OutcomeValues::Binary(v) => {
            let n = rows().count();
            let events = rows().filter(|&i| v[i] == Some(true)).count();
            (events == 0 || events == n).then_some(ModelStatus::NoVariation)
        }
        OutcomeValues::TimeToEvent { event, .. } => rows()
            .all(|i| event[i] != Some(true))
            .then_some(ModelStatus::NoEvents),
        OutcomeValues::Continuous(_) => None,
    }
}

fn adjusted_model_name(kind: OutcomeKind, fit: &Fitted, hc3: bool) -> &'static str {
    match kind {
        OutcomeKind::Binary if fit.fit.status == ModelStatus::Firth => "logistic_firth",
        OutcomeKind::Binary => "logistic_irls",
        OutcomeKind::Continuous if fit.fit.robust && !hc3 => "ols_cluster",
        OutcomeKind::Continuous if hc3 => "ols_hc3",
        OutcomeKind::Continuous => "ols",
        OutcomeKind::TimeToEvent if fit.fit.status == ModelStatus::Firth => "cox_firth",
        OutcomeKind::TimeToEvent => "cox_efron",
    }
}

fn adjusted_measure(kind: OutcomeKind) -> &'static str {
    match kind {
        OutcomeKind::Binary => "odds_ratio",
        OutcomeKind::Continuous => "mean_difference",
        OutcomeKind::TimeToEvent => "hazard_ratio",
    }
}

fn primary_measure(kind: OutcomeKind) -> &'static str {
    match kind {
        OutcomeKind::Binary => "risk_difference",
        OutcomeKind::Continuous => "mean_difference",
        OutcomeKind::TimeToEvent => "hazard_ratio",
    }
}

/// Analyses gene `g` x outcome `o`.
pub fn analyse(ctx: &Context<'_>, g: usize, o: usize) -> UnitOutput {
    let cohort = ctx.cohort;
    let outcome = &cohort.outcomes[o];
    let kind = outcome.role.kind;
    let groups = &ctx.subgroups[g];
    let part = &groups.by_outcome[o];
    let k = part.labels.len();
    let t = cohort.therapies.len();
    let mut cells: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); t]; k];
    for i in 0..cohort.rows {
        let shown = groups
            .of_row
            .get(i)
            .and_then(|c| part.of_subgroup[c as usize]);
        if let (Some(s), Some(th)) = (shown, cohort.therapy[i]) {
            if outcome.present(i) {
                cells[s as usize][th as usize].push(i);
            }
        }
    }
    let level = ctx.options.confidence_level;
    let adjusting = !cohort.covariates.is_empty();
    let weighting =
        adjusting && kind != OutcomeKind::TimeToEvent && !ctx.options.weighting.is_empty();
    let weighted_verdict = weighting && ctx.options.verdict_estimator.weighting().is_some();
    let mut out = UnitOutput::default();
    for s in 0..k {
        for th in 0..t {
            out.rates.push(RateRow {
                key: (g, o, s as u32, th as u32),
                is_reference: part.reference == Some(s as u32),
                covers: part.covered(s as u32),
                cell: describe_cell(outcome, &cells[s][th], ctx.z, ctx.options.km_horizon),
                suppressed: None,
            });
        }
    }
    let gene = &groups.gene;
    let complete = |rows: &[usize]| -> Vec<usize> {
        rows.iter().copied().filter(|&i| ctx.complete[i]).collect()
    };
    let patients_repeat = |a: &[usize], b: &[usize]| {
        cohort.repeated_patients
            && has_repeats(
                &a.iter()
                    .chain(b)
                    .map(|&i| cohort.patient[i])
                    .collect::<Vec<_>>(),
            )
    };

    // Therapy vs comparator, per subgroup, with the interaction test.
    for &(th, cmp) in ctx.contrasts {
        let family = ctx.families.family(gene, &cohort.therapies[th as usize]);
        let mut rows = Vec::new();
        let mut sub = Vec::new();
        let mut treated = Vec::new();
        let mut present = Vec::new();
        let mut excluded = vec![None; k];
        for s in 0..k {
            let a = complete(&cells[s][th as usize]);
            let b = complete(&cells[s][cmp as usize]);
            if a.is_empty() && b.is_empty() {
                continue;
            }
            if let Some(status) = model_exclusion(outcome, &[&a, &b]) {
                excluded[s] = Some(status);
                continue;
            }
            present.push(s as u32);
            for (arm, list) in [(true, a), (false, b)] {
                for i in list {
                    rows.push(i);
                    sub.push(s as u32);
                    treated.push(arm);
                }
            }
        }
        let reference = groups
            .reference
            .filter(|r| present.contains(r))
            .or(present.first().copied());
        let m = ModelRows {
            rows: &rows,
            subgroup: &sub,
            treated: &treated,
        };
        let fitted = match reference {
            Some(r) if present.len() >= 2 => Some(interaction(
                cohort,
                outcome,
                &m,
                &present,
                r,
                kind,
                ctx.options.hc3,
            )),
            _ => None,
        };
        let test_index = out.tests.len();
        out.tests.push(InteractionTest {
            gene: g,
            outcome: o,
            therapy: th,
            comparator: cmp,
            family,
            result: fitted
                .as_ref()
                .map_or(Err(ModelStatus::TooFew), |f| f.test.clone()),
            q_value: None,
            hidden: false,
        });
        for s in 0..k {
            let a = &cells[s][th as usize];
            let b = &cells[s][cmp as usize];
            let note = patients_repeat(a, b).then_some(REPEATS_NOTE);
            let base = EffectRow {
                gene: g,
                outcome: o,
                kind,
                contrast: ContrastKind::TherapyVsComparator,
                subgroup: s as u32,
                reference: None,
                therapy: th,
                comparator: Some(cmp),
                measure: "",
                model: "",
                p_method: "",
                adjusted: false,
                result: Err(ModelStatus::Empty),
                ok_status: ModelStatus::Ok,
                cluster_robust: false,
                test: Some(test_index),
                primary: false,
                family,
                note,
                ph_test_p: None,
                verdict: None,
                suppressed: None,
                cells: [(g, o, s as u32, th), (g, o, s as u32, cmp)],
            };
            for e in compare_arms(outcome, a, b, ctx.z, level) {
                out.effects.push(EffectRow {
                    measure: e.measure,
                    model: e.model,
                    p_method: e.p_method,
                    primary: !adjusting && e.measure == primary_measure(kind),
                    result: e.result,
                    ok_status: e.ok_status,
                    ..base.clone()
                });
            }
            if adjusting {
                out.effects.push(EffectRow {
                    primary: !weighted_verdict,
                    ..adjusted_row(
                        &base,
                        fitted.as_ref().map(|f| &f.full),
                        Column::TherapyIn(s as u32),
                        excluded[s],
                        kind,
                        ctx,
                        note,
                    )
                });
            }
            if weighting {
                weighted_rows(ctx, &base, outcome, [&complete(a), &complete(b)], &mut out);
            }
        }
    }

    // Subgroup vs reference, within each therapy.
    if let Some(reference) = part.reference {
        for th in 0..t as u32 {
            let family = ctx.families.family(gene, &cohort.therapies[th as usize]);
            let mut excluded = vec![None; k];
            let fitted = if adjusting {
                let mut rows = Vec::new();
                let mut sub = Vec::new();
                let mut present = Vec::new();
                for s in 0..k {
                    let list = complete(&cells[s][th as usize]);
                    if list.is_empty() {
                        continue;
                    }
                    if let Some(status) = model_exclusion(outcome, &[&list]) {
                        excluded[s] = Some(status);
                        continue;
                    }
                    present.push(s as u32);
                    sub.extend(std::iter::repeat_n(s as u32, list.len()));
                    rows.extend(list);
                }
                let treated = vec![false; rows.len()];
                let m = ModelRows {
                    rows: &rows,
                    subgroup: &sub,
                    treated: &treated,
                };
                let mut columns = Vec::new();
                if kind != OutcomeKind::TimeToEvent {
                    columns.push(Column::Intercept);
                }
                columns.extend(
                    present
                        .iter()
                        .filter(|&&s| s != reference)
                        .map(|&s| Column::Subgroup(s)),
                );
                if present.contains(&reference) && present.len() >= 2 {
                    Some(fit_model(
                        cohort,
                        outcome,
                        &m,
                        &columns,
                        FitSpec {
                            kind,
                            hc3: ctx.options.hc3,
                            firth: false,
                        },
                    ))
                } else {
                    None
                }
            } else {
                None
            };
            for s in 0..k as u32 {
                if s == reference {
                    continue;
                }
                let a = &cells[s as usize][th as usize];
                let b = &cells[reference as usize][th as usize];
                let note = patients_repeat(a, b).then_some(REPEATS_NOTE);
                let base = EffectRow {
                    gene: g,
                    outcome: o,
                    kind,
                    contrast: ContrastKind::SubgroupVsReference,
                    subgroup: s,
                    reference: Some(reference),
                    therapy: th,
                    comparator: None,
                    measure: "",
                    model: "",
                    p_method: "",
                    adjusted: false,
                    result: Err(ModelStatus::Empty),
                    ok_status: ModelStatus::Ok,
                    cluster_robust: false,
                    test: None,
                    primary: false,
                    family,
                    note,
                    ph_test_p: None,
                    verdict: None,
                    suppressed: None,
                    cells: [(g, o, s, th), (g, o, reference, th)],
                };
                for e in compare_arms(outcome, a, b, ctx.z, level) {
                    out.effects.push(EffectRow {
                        measure: e.measure,
                        model: e.model,
                        p_method: e.p_method,
                        primary: !adjusting && e.measure == primary_measure(kind),
                        result: e.result,
                        ok_status: e.ok_status,
                        ..base.clone()
                    });
                }
                if adjusting {
                    out.effects.push(adjusted_row(
                        &base,
                        fitted.as_ref(),
                        Column::Subgroup(s),
                        excluded[s as usize],
                        kind,
                        ctx,
                        note,
                    ));
                }
            }
        }
    }
    out
}

/// The IPW/AIPW rows of a therapy comparison (complete cases `arms`,
/// therapy first) built on `base`, and its diagnostics.
fn weighted_rows(
    ctx: &Context<'_>,
    base: &EffectRow,
    outcome: &Outcome,
    arms: [&[usize]; 2],
    out: &mut UnitOutput,
) {
    let options = ctx.options;
    let weighted = weigh(
        ctx.cohort,
        &options.covariates,
        outcome,
        arms[0],
        arms[1],
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
            model: e.estimator.as_str(),
            p_method: "wald",
            adjusted: true,
            primary: verdict_from == Some(e.estimator) && e.measure == primary_measure(base.kind),
            result: e.result,
            ok_status: ModelStatus::Ok,
            cluster_robust: false,
            ..base.clone()
        });
    }
    if arms.iter().all(|a| !a.is_empty()) {
        out.weighting.push(WeightingDiagnostics {
            cells: base.cells,
            weighted,
        });
    }
}

/// The adjusted-model row for `column` of `fit` (the therapy within a
/// subgroup, or a subgroup against the reference), built on `base`. A
/// subgroup `excluded` from the model carries its status and a note.
fn adjusted_row(
    base: &EffectRow,
    fit: Option<&std::result::Result<Fitted, ModelStatus>>,
    column: Column,
    excluded: Option<ModelStatus>,
    kind: OutcomeKind,
    ctx: &Context<'_>,
    note: Option<&'static str>,
) -> EffectRow {
    let fitted = match (excluded, fit) {
        (None, Some(Ok(fitted))) => Some(fitted),
        _ => None,
    };
    let (result, ok_status, model, robust) = match (excluded, fit) {
        (Some(status), _) | (None, Some(&Err(status))) => (
            Err(status),
            ModelStatus::Ok,
            adjusted_model_name_default(kind),
            false,
        ),
        (None, Some(Ok(full))) => (
            full.effect(column, kind, ctx.z),
            full.status(),
            adjusted_model_name(kind, full, ctx.options.hc3),
            full.fit.robust,
        ),
        (None, None) => (
            Err(ModelStatus::TooFew),
            ModelStatus::Ok,
            adjusted_model_name_default(kind),
            false,
        ),
    };
    EffectRow {
        measure: adjusted_measure(kind),
        model,
        p_method: if fitted.is_some_and(|f| f.penalised.is_some()) {
            "penalised_lrt"
        } else if kind == OutcomeKind::Continuous && !robust {
            "t"
        } else {
            "wald"
        },
        adjusted: true,
        primary: true,
        result,
        ok_status,
        cluster_robust: robust,
        ph_test_p: fitted.and_then(|f| f.ph_test_p(column)),
        note: if excluded.is_some() {
            Some(EXCLUDED_NOTE)
        } else if fitted.is_some_and(Fitted::ignores_repeats) {
            Some(REPEATS_NOTE)
        } else if kind == OutcomeKind::TimeToEvent && !robust {
            note
        } else {
            None
        },
        ..base.clone()
    }
}

fn adjusted_model_name_default(kind: OutcomeKind) -> &'static str {
    match kind {
        OutcomeKind::Binary => "logistic_irls",
        OutcomeKind::Continuous => "ols",
        OutcomeKind::TimeToEvent => "cox_efron",
    }
}
