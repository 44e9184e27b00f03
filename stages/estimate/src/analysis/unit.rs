//! One gene x outcome unit: its rate cells (rows per subgroup and
//! therapy) and what the rows of its contrasts share.

use tailor_schemas::cohort::OutcomeKind;
use tailor_schemas::subgroup_effects::ContrastKind;

use super::Context;
use crate::cohort::Outcome;
use crate::cpic::Family;
use crate::rates::describe_cell;
use crate::rows::{CellKey, EffectRow, RateRow};
use crate::stats::cluster::has_repeats;
use crate::stats::ModelStatus;
use crate::subgroup::Subgroups;
use crate::subgroup_merge::Partition;

/// Note on a row whose inference treats episodes as independent although
/// some patient has several.
pub const REPEATS_NOTE: &str = "episodes_not_independent";

/// A gene x outcome with its rate cells.
pub struct Unit<'a> {
    /// What every unit shares.
    pub ctx: &'a Context<'a>,
    /// Gene index.
    pub g: usize,
    /// Outcome index.
    pub o: usize,
    /// The outcome.
    pub outcome: &'a Outcome,
    /// Its kind.
    pub kind: OutcomeKind,
    /// The gene's subgroups.
    pub groups: &'a Subgroups,
    /// The subgroups shown for this outcome.
    pub part: &'a Partition,
    /// Rows with the outcome, per subgroup and therapy.
    pub cells: Vec<Vec<Vec<usize>>>,
}

/// Where an effect row sits: its contrast, arms and interaction test.
pub struct Arms {
    /// Which comparison.
    pub contrast: ContrastKind,
    /// Subgroup (arm 1, or the stratum).
    pub subgroup: u32,
    /// Reference subgroup (arm 2 of a subgroup contrast).
    pub reference: Option<u32>,
    /// Therapy (arm 1, or the stratum).
    pub therapy: u32,
    /// Comparator (arm 2 of a therapy contrast).
    pub comparator: Option<u32>,
    /// Interaction test index.
    pub test: Option<usize>,
}

impl<'a> Unit<'a> {
    /// Gene `g` x outcome `o`, its rows split into rate cells.
    pub fn new(ctx: &'a Context<'a>, g: usize, o: usize) -> Self {
        let cohort = ctx.cohort;
        let outcome = &cohort.outcomes[o];
        let groups = &ctx.subgroups[g];
        let part = &groups.by_outcome[o];
        let mut cells = vec![vec![Vec::new(); cohort.therapies.len()]; part.labels.len()];
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
        Self {
            ctx,
            g,
            o,
            outcome,
            kind: outcome.role.kind,
            groups,
            part,
            cells,
        }
    }

    /// Number of subgroups.
    pub fn subgroups(&self) -> usize {
        self.cells.len()
    }

    /// The rows of subgroup `s` x therapy `th`.
    pub fn cell(&self, s: u32, th: u32) -> &[usize] {
        &self.cells[s as usize][th as usize]
    }

    /// Whether covariate-adjusted rows are made.
    pub fn adjusting(&self) -> bool {
        !self.ctx.cohort.covariates.is_empty()
    }

    /// The rate row of every cell, subgroup-major.
    pub fn rate_rows(&self) -> Vec<RateRow> {
        let t = self.ctx.cohort.therapies.len() as u32;
        let ctx = self.ctx;
        (0..self.subgroups() as u32)
            .flat_map(|s| (0..t).map(move |th| (s, th)))
            .map(|(s, th)| RateRow {
                key: (self.g, self.o, s, th),
                is_reference: self.part.reference == Some(s),
                covers: self.part.covered(s),
                cell: describe_cell(
                    self.outcome,
                    self.cell(s, th),
                    ctx.z,
                    ctx.options.km_horizon,
                ),
                suppressed: None,
            })
            .collect()
    }

    /// The note for rows comparing `a` with `b` when some patient has
    /// several episodes among them.
    pub fn repeats_note(&self, a: &[usize], b: &[usize]) -> Option<&'static str> {
        let cohort = self.ctx.cohort;
        let repeat = cohort.repeated_patients
            && has_repeats(
                &a.iter()
                    .chain(b)
                    .map(|&i| cohort.patient[i])
                    .collect::<Vec<_>>(),
            );
        repeat.then_some(REPEATS_NOTE)
    }

    /// The multiplicity family of the gene with therapy `th`.
    pub fn family(&self, th: u32) -> Family {
        self.ctx
            .families
            .family(&self.groups.gene, &self.ctx.cohort.therapies[th as usize])
    }

    /// The rate cell of subgroup `s` x therapy `th`.
    pub fn key(&self, s: u32, th: u32) -> CellKey {
        (self.g, self.o, s, th)
    }

    /// The fields every effect row of `arms` shares; the estimate fields
    /// are set by the row builders.
    pub fn base_row(&self, arms: Arms, note: Option<&'static str>) -> EffectRow {
        let (arm2_subgroup, arm2_therapy) = match arms.contrast {
            ContrastKind::TherapyVsComparator => {
                (arms.subgroup, arms.comparator.unwrap_or(arms.therapy))
            }
            ContrastKind::SubgroupVsReference => {
                (arms.reference.unwrap_or(arms.subgroup), arms.therapy)
            }
        };
        EffectRow {
            gene: self.g,
            outcome: self.o,
            kind: self.kind,
            contrast: arms.contrast,
            subgroup: arms.subgroup,
            reference: arms.reference,
            therapy: arms.therapy,
            comparator: arms.comparator,
            measure: primary_measure(self.kind),
            model: super::rows::default_adjusted_model(self.kind),
            p_method: None,
            adjusted: false,
            result: Err(ModelStatus::Empty),
            ok_status: ModelStatus::Ok,
            cluster_robust: false,
            test: arms.test,
            primary: false,
            family: self.family(arms.therapy),
            note,
            ph_test_p: None,
            n_excluded_covariate: None,
            verdict: None,
            suppressed: None,
            cells: [
                self.key(arms.subgroup, arms.therapy),
                self.key(arm2_subgroup, arm2_therapy),
            ],
        }
    }
}

/// The measure a verdict rests on without adjustment.
pub fn primary_measure(kind: OutcomeKind) -> tailor_schemas::subgroup_effects::Measure {
    use tailor_schemas::subgroup_effects::Measure;
    match kind {
        OutcomeKind::Binary => Measure::RiskDifference,
        OutcomeKind::Continuous => Measure::MeanDifference,
        OutcomeKind::TimeToEvent => Measure::HazardRatio,
    }
}
