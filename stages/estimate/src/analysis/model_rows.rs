//! Which rows and subgroups enter a regression model of one contrast.

use crate::cohort::{Outcome, OutcomeValues};
use crate::model::ModelRows;
use crate::stats::ModelStatus;

/// The rows of one model, with the subgroups in it and those left out.
#[derive(Default)]
pub struct ModelData {
    /// Row indices into the cohort.
    pub rows: Vec<usize>,
    /// Subgroup of each row.
    pub subgroup: Vec<u32>,
    /// Whether each row is in arm 1.
    pub treated: Vec<bool>,
    /// Subgroups in the model, ascending.
    pub present: Vec<u32>,
    /// Per subgroup, why it was left out of the model.
    pub excluded: Vec<Option<ModelStatus>>,
    /// Rows of the arms left out for missing a complete-case covariate.
    pub dropped: u64,
}

impl ModelData {
    /// Gathers, for each of `k` subgroups, the rows of its arms (`arms(s)`:
    /// arm 1 first; rows of a one-arm model are not treated) that are
    /// `complete`, counting the others in `dropped`. A subgroup with no
    /// complete rows is skipped; one that [`model_exclusion`] rules out is
    /// recorded in `excluded`.
    pub fn gather<'r>(
        outcome: &Outcome,
        k: usize,
        complete: &[bool],
        arms: impl Fn(u32) -> Vec<&'r [usize]>,
    ) -> Self {
        let mut data = ModelData {
            excluded: vec![None; k],
            ..ModelData::default()
        };
        for s in 0..k as u32 {
            let (lists, dropped) = complete_rows(&arms(s), complete);
            data.dropped += dropped;
            if lists.iter().all(Vec::is_empty) {
                continue;
            }
            let slices: Vec<&[usize]> = lists.iter().map(Vec::as_slice).collect();
            if let Some(status) = model_exclusion(outcome, &slices) {
                data.excluded[s as usize] = Some(status);
                continue;
            }
            data.present.push(s);
            let two_arms = lists.len() > 1;
            for (arm, list) in lists.into_iter().enumerate() {
                data.treated
                    .extend(std::iter::repeat_n(two_arms && arm == 0, list.len()));
                data.subgroup.extend(std::iter::repeat_n(s, list.len()));
                data.rows.extend(list);
            }
        }
        data
    }

    /// The rows as the model fitters take them.
    pub fn model_rows(&self) -> ModelRows<'_> {
        ModelRows {
            rows: &self.rows,
            subgroup: &self.subgroup,
            treated: &self.treated,
        }
    }
}

/// The `complete` rows of each of `arms`, and how many were not.
pub fn complete_rows(arms: &[&[usize]], complete: &[bool]) -> (Vec<Vec<usize>>, u64) {
    let lists: Vec<Vec<usize>> = arms
        .iter()
        .map(|arm| arm.iter().copied().filter(|&i| complete[i]).collect())
        .collect();
    let total: usize = arms.iter().map(|a| a.len()).sum();
    let kept: usize = lists.iter().map(Vec::len).sum();
    (lists, (total - kept) as u64)
}

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
