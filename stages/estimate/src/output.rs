//! Turning rows into Arrow record batches with the schemas of `schemas`.

use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use tailor_schemas::cohort::OutcomeKind;
use tailor_schemas::small_cells::SuppressionReason;
use tailor_schemas::subgroup_effects::{ContrastKind, PMethod, Verdict};
use tailor_schemas::{subgroup_effects, subgroup_rates};

use crate::cohort::Cohort;
use crate::cpic::FamilyLookup;
use crate::rows::{EffectRow, InteractionTest, RateRow};
use crate::subgroup::Subgroups;
use crate::{Error, Options, Result};

/// `binary`, `continuous`, `time_to_event`.
pub fn kind_name(kind: OutcomeKind) -> &'static str {
    match kind {
        OutcomeKind::Binary => "binary",
        OutcomeKind::Continuous => "continuous",
        OutcomeKind::TimeToEvent => "time_to_event",
    }
}

/// The subgroup_rates batch.
///
/// # Errors
/// [`Error::Arrow`] (a bug).
pub fn rates_batch(
    rates: &[RateRow],
    cohort: &Cohort,
    groups: &[Subgroups],
    options: &Options,
) -> Result<RecordBatch> {
    let n = rates.len();
    let mut gene = StringBuilder::new();
    let mut grouping = StringBuilder::new();
    let mut subgroup = StringBuilder::new();
    let mut is_reference = BooleanBuilder::with_capacity(n);
    let mut therapy = StringBuilder::new();
    let mut outcome = StringBuilder::new();
    let mut kind = StringBuilder::new();
    let mut count = Int64Builder::with_capacity(n);
    let mut events = Int64Builder::with_capacity(n);
    let mut floats: Vec<Float64Builder> =
        (0..12).map(|_| Float64Builder::with_capacity(n)).collect();
    let mut level = Float64Builder::with_capacity(n);
    let mut suppressed = BooleanBuilder::with_capacity(n);
    let mut reason = StringBuilder::new();
    let k = options.suppression_threshold;
    for row in rates {
        let (g, o, s, t) = row.key;
        let sg = &groups[g];
        gene.append_value(&sg.gene);
        grouping.append_value(sg.grouping.as_str());
        subgroup.append_value(sg.label(o, s));
        is_reference.append_value(row.is_reference);
        therapy.append_value(&cohort.therapies[t as usize]);
        outcome.append_value(&cohort.outcomes[o].role.name);
        kind.append_value(kind_name(cohort.outcomes[o].role.kind));
        let shown = row.suppressed.is_none();
        let c = &row.cell;
        count.append_option(shown.then_some(c.n as i64));
        events.append_option(c.events.filter(|_| shown).map(|e| e as i64));
        let km_shown = shown
            && c.km.is_some_and(|km| {
                k == 0
                    || !(small(c.km_events, k)
                        || small(km.at_risk, k)
                        || small(c.n.saturating_sub(km.at_risk), k))
            });
        let km = c.km.filter(|_| km_shown);
        let values = [
            c.person_time,
            c.proportion,
            c.proportion_ci.map(|ci| ci.low),
            c.proportion_ci.map(|ci| ci.high),
            c.incidence_rate,
            c.mean,
            c.sd,
            c.median,
            options
                .km_horizon
                .filter(|_| cohort.outcomes[o].role.kind == OutcomeKind::TimeToEvent),
            km.map(|k| k.survival),
            km.and_then(|k| k.ci).map(|ci| ci.low),
            km.and_then(|k| k.ci).map(|ci| ci.high),
        ];
        for (builder, value) in floats.iter_mut().zip(values) {
            builder.append_option(value.filter(|v| shown && v.is_finite()));
        }
        level.append_value(options.confidence_level);
        suppressed.append_value(!shown);
        reason.append_option(row.suppressed.map(SuppressionReason::as_str));
    }
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(gene.finish()),
        Arc::new(grouping.finish()),
        Arc::new(subgroup.finish()),
        Arc::new(is_reference.finish()),
        Arc::new(therapy.finish()),
        Arc::new(outcome.finish()),
        Arc::new(kind.finish()),
        Arc::new(count.finish()),
        Arc::new(events.finish()),
    ];
    for mut b in floats {
        columns.push(Arc::new(b.finish()));
    }
    columns.push(Arc::new(level.finish()));
    columns.push(Arc::new(suppressed.finish()));
    columns.push(Arc::new(reason.finish()));
    RecordBatch::try_new(subgroup_rates::schema(), columns).map_err(|source| Error::Arrow {
        table: subgroup_rates::TABLE,
        source,
    })
}

fn small(count: u64, k: u64) -> bool {
    count >= 1 && count <= k
}

/// The subgroup_effects batch.
///
/// # Errors
/// [`Error::Arrow`] (a bug).
pub fn effects_batch(
    effects: &[EffectRow],
    tests: &[InteractionTest],
    cohort: &Cohort,
    groups: &[Subgroups],
    options: &Options,
    families: &FamilyLookup,
) -> Result<RecordBatch> {
    let mut s: Vec<StringBuilder> = (0..11).map(|_| StringBuilder::new()).collect();
    let mut adjusted = BooleanBuilder::new();
    let mut covariates = StringBuilder::new();
    let mut n_excluded = Int64Builder::new();
    let mut model = StringBuilder::new();
    let mut nums: Vec<Float64Builder> = (0..5).map(|_| Float64Builder::new()).collect();
    let mut p_method = StringBuilder::new();
    let mut robust = BooleanBuilder::new();
    let mut ph = Float64Builder::new();
    let mut ip = Float64Builder::new();
    let mut idf = Int64Builder::new();
    let mut imethod = StringBuilder::new();
    let mut iq = Float64Builder::new();
    let mut family = StringBuilder::new();
    let mut cpic = StringBuilder::new();
    let mut primary = BooleanBuilder::new();
    let mut verdict = StringBuilder::new();
    let mut status = StringBuilder::new();
    let mut note = StringBuilder::new();
    let mut level = Float64Builder::new();
    let mut suppressed = BooleanBuilder::new();
    let mut reason = StringBuilder::new();
    let covariate_list = (!options.covariates.is_empty()).then(|| options.covariates.join(","));
    for row in effects {
        let sg = &groups[row.gene];
        let therapy = &cohort.therapies[row.therapy as usize];
        let comparator = row
            .comparator
            .map(|c| cohort.therapies[c as usize].as_str());
        let subgroup = sg.label(row.outcome, row.subgroup);
        let reference = row.reference.map(|r| sg.label(row.outcome, r));
        let contrast = match row.contrast {
            ContrastKind::TherapyVsComparator => {
                format!("{therapy} vs {}", comparator.unwrap_or(""))
            }
            ContrastKind::SubgroupVsReference => {
                format!("{subgroup} vs {}", reference.unwrap_or(""))
            }
        };
        let role = &cohort.outcomes[row.outcome].role;
        s[0].append_value(&sg.gene);
        s[1].append_value(sg.grouping.as_str());
        s[2].append_value(row.contrast.as_str());
        s[3].append_value(contrast);
        s[4].append_value(subgroup);
        s[5].append_option(reference);
        s[6].append_value(therapy);
        s[7].append_option(comparator);
        s[8].append_value(&role.name);
        s[9].append_value(kind_name(row.kind));
        s[10].append_value(row.measure.as_str());
        adjusted.append_value(row.adjusted);
        covariates.append_option(covariate_list.as_deref().filter(|_| row.adjusted));
        let shown = row.suppressed.is_none();
        let k = options.suppression_threshold;
        n_excluded.append_option(
            row.n_excluded_covariate
                .filter(|&n| shown && !small(n, k))
                .map(|n| n as i64),
        );
        model.append_value(row.model.as_str());
        let effect = row.result.as_ref().ok().filter(|_| shown);
        let finite = |v: Option<f64>| v.filter(|x| x.is_finite());
        nums[0].append_option(finite(effect.map(|e| e.estimate)));
        nums[1].append_option(finite(effect.and_then(|e| e.se)));
        nums[2].append_option(finite(effect.map(|e| e.ci.low)));
        nums[3].append_option(finite(effect.map(|e| e.ci.high)));
        nums[4].append_option(finite(effect.and_then(|e| e.p_value)));
        p_method.append_option(effect.and(row.p_method).map(PMethod::as_str));
        robust.append_value(row.cluster_robust);
        ph.append_option(finite(row.ph_test_p.filter(|_| effect.is_some())));
        let test = row.test.and_then(|t| tests.get(t));
        let visible = test.filter(|t| shown && !t.hidden);
        let result = visible.and_then(|t| t.result.as_ref().ok());
        ip.append_option(finite(result.map(|r| r.p_value)));
        idf.append_option(result.map(|r| r.df as i64));
        imethod.append_option(result.map(|r| r.method.as_str()));
        iq.append_option(finite(visible.and_then(|t| t.q_value)));
        family.append_value(row.family.as_str());
        cpic.append_option(families.level(&sg.gene, therapy));
        primary.append_value(row.primary);
        verdict.append_option(row.verdict.map(Verdict::as_str));
        status.append_value(match &row.result {
            Ok(_) => row.ok_status.as_str(),
            Err(e) => e.as_str(),
        });
        note.append_option(row.note);
        level.append_value(options.confidence_level);
        suppressed.append_value(!shown);
        reason.append_option(row.suppressed.map(SuppressionReason::as_str));
    }
    let mut columns: Vec<ArrayRef> = Vec::new();
    for mut b in s {
        columns.push(Arc::new(b.finish()));
    }
    columns.push(Arc::new(adjusted.finish()));
    columns.push(Arc::new(covariates.finish()));
    columns.push(Arc::new(n_excluded.finish()));
    columns.push(Arc::new(model.finish()));
    for mut b in nums {
        columns.push(Arc::new(b.finish()));
    }
    columns.push(Arc::new(p_method.finish()));
    columns.push(Arc::new(robust.finish()));
    columns.push(Arc::new(ph.finish()));
    columns.push(Arc::new(ip.finish()));
    columns.push(Arc::new(idf.finish()));
    columns.push(Arc::new(imethod.finish()));
    columns.push(Arc::new(iq.finish()));
    columns.push(Arc::new(family.finish()));
    columns.push(Arc::new(cpic.finish()));
    columns.push(Arc::new(primary.finish()));
    columns.push(Arc::new(verdict.finish()));
    columns.push(Arc::new(status.finish()));
    columns.push(Arc::new(note.finish()));
    columns.push(Arc::new(level.finish()));
    columns.push(Arc::new(suppressed.finish()));
    columns.push(Arc::new(reason.finish()));
    RecordBatch::try_new(subgroup_effects::schema(), columns).map_err(|source| Error::Arrow {
        table: subgroup_effects::TABLE,
        source,
    })
}
