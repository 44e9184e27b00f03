//! Verdicts and Benjamini-Hochberg q-values of the interaction tests.

use std::collections::BTreeMap;

use tailor_schemas::subgroup_effects::Verdict;

use tailor_schemas::subgroup_effects::ContrastKind;

use crate::rows::{EffectRow, InteractionTest};
use crate::stats::bh::bh_q_values;

/// BH q-values within each family x outcome, over the tests whose
/// interaction p-value is shown only: a test is left out (and gets no q)
/// when suppression hides it ([`InteractionTest::hidden`]) or hides every
/// effect row that shows it. So m is the number of visible tests, and no
/// hidden p-value enters, equals or can be solved from a visible q. Call
/// after suppression.
pub fn assign_q_values(tests: &mut [InteractionTest], effects: &[EffectRow]) {
    let mut shown = vec![false; tests.len()];
    for row in effects.iter().filter(|r| r.suppressed.is_none()) {
        if let Some(slot) = row.test.and_then(|t| shown.get_mut(t)) {
            *slot = true;
        }
    }
    let mut families: BTreeMap<(usize, crate::cpic::Family), Vec<usize>> = BTreeMap::new();
    for (i, t) in tests.iter_mut().enumerate() {
        t.q_value = None;
        if shown[i] && !t.hidden {
            families.entry((t.outcome, t.family)).or_default().push(i);
        }
    }
    for members in families.values() {
        let p: Vec<Option<f64>> = members
            .iter()
            .map(|&i| tests[i].result.as_ref().ok().map(|r| r.p_value))
            .collect();
        for (&i, q) in members.iter().zip(bh_q_values(&p)) {
            tests[i].q_value = q;
        }
    }
}

/// The verdict of one primary row (`None` for other rows and suppressed ones).
pub fn verdict(
    row: &EffectRow,
    tests: &[InteractionTest],
    fdr: f64,
    higher_is_better: bool,
) -> Option<Verdict> {
    if !row.primary || row.suppressed.is_some() {
        return None;
    }
    let null = row.measure.null_value();
    let direction = row.result.as_ref().ok().and_then(|e| {
        if e.ci.low > null {
            Some(true)
        } else if e.ci.high < null {
            Some(false)
        } else {
            None
        }
    });
    match row.contrast {
        ContrastKind::SubgroupVsReference => Some(match (&row.result, direction) {
            (Err(_), _) => return None,
            (Ok(_), Some(true)) => Verdict::Higher,
            (Ok(_), Some(false)) => Verdict::Lower,
            (Ok(_), None) => Verdict::Similar,
        }),
        ContrastKind::TherapyVsComparator => {
            let test = row.test.and_then(|t| tests.get(t));
            if test.is_some_and(|t| t.hidden) {
                // Its p and q are not shown, so neither is what they decide.
                return None;
            }
            let q = test.and_then(|t| t.q_value);
            Some(match (q, direction) {
                (Some(q), Some(up)) if q <= fdr => {
                    if up == higher_is_better {
                        Verdict::FavoursTherapy
                    } else {
                        Verdict::FavoursComparator
                    }
                }
                _ => Verdict::Inconclusive,
            })
        }
    }
}
