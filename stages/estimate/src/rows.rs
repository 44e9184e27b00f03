//! The rows of the two output tables, before they become Arrow batches.

use tailor_schemas::cohort::OutcomeKind;
use tailor_schemas::small_cells::SuppressionReason;
use tailor_schemas::subgroup_effects::{ContrastKind, EffectModel, Measure, PMethod, Verdict};

use crate::cpic::Family;
use crate::rates::RateCell;
use crate::stats::{Effect, ModelStatus};

/// Position of a rate cell: (gene index, outcome index, subgroup, therapy).
pub type CellKey = (usize, usize, u32, u32);

/// A subgroup_rates row.
#[derive(Clone, Debug)]
pub struct RateRow {
    /// Where the cell is.
    pub key: CellKey,
    /// Whether the subgroup is the gene's reference.
    pub is_reference: bool,
    /// The gene's subgroups (codes of `Subgroups::labels`) the row's
    /// subgroup is made of: cells of different outcomes that share one
    /// hold the same patients.
    pub covers: Vec<u32>,
    /// The statistics.
    pub cell: RateCell,
    /// Suppression reason, when suppressed.
    pub suppressed: Option<SuppressionReason>,
}

/// A subgroup_effects row.
#[derive(Clone, Debug)]
pub struct EffectRow {
    /// Gene index.
    pub gene: usize,
    /// Outcome index.
    pub outcome: usize,
    /// Outcome kind.
    pub kind: OutcomeKind,
    /// Contrast kind.
    pub contrast: ContrastKind,
    /// Subgroup (arm 1 for subgroup-vs-reference; the stratum otherwise).
    pub subgroup: u32,
    /// Reference subgroup (subgroup-vs-reference rows).
    pub reference: Option<u32>,
    /// Therapy (arm 1 for therapy rows; the stratum otherwise).
    pub therapy: u32,
    /// Comparator therapy (therapy rows).
    pub comparator: Option<u32>,
    /// Effect measure.
    pub measure: Measure,
    /// Model / CI method.
    pub model: EffectModel,
    /// p-value method (written only when the row has an estimate).
    pub p_method: Option<PMethod>,
    /// Covariate-adjusted?
    pub adjusted: bool,
    /// Estimate or status.
    pub result: Result<Effect, ModelStatus>,
    /// Status when `result` is Ok (ok, firth, collinear_dropped).
    pub ok_status: ModelStatus,
    /// Cluster-robust errors?
    pub cluster_robust: bool,
    /// Interaction test index into the test list.
    pub test: Option<usize>,
    /// The row used for the verdict of its key.
    pub primary: bool,
    /// Multiplicity family.
    pub family: Family,
    /// Note for the reader.
    pub note: Option<&'static str>,
    /// Cox adjusted rows: p-value of the Schoenfeld-residual test of
    /// proportional hazards for this row's term.
    pub ph_test_p: Option<f64>,
    /// Adjusted and weighted rows: rows of the model's arms (with the
    /// outcome) left out for missing a complete-case covariate.
    pub n_excluded_covariate: Option<u64>,
    /// Verdict (set after BH).
    pub verdict: Option<Verdict>,
    /// Suppression reason.
    pub suppressed: Option<SuppressionReason>,
    /// The two rate cells this row is derived from.
    pub cells: [CellKey; 2],
}

/// One therapy x subgroup interaction test (gene x contrast x outcome).
#[derive(Clone, Debug)]
pub struct InteractionTest {
    /// Gene index.
    pub gene: usize,
    /// Outcome index.
    pub outcome: usize,
    /// Therapy.
    pub therapy: u32,
    /// Comparator.
    pub comparator: u32,
    /// Family.
    pub family: Family,
    /// p-value, df and method, or why none.
    pub result: Result<crate::model::Interaction, ModelStatus>,
    /// BH q within the family.
    pub q_value: Option<f64>,
    /// Whether a cell of the test is suppressed (p and q are then not shown).
    pub hidden: bool,
}
