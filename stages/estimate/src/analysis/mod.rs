//! One gene x outcome: rate cells, therapy contrasts with their interaction
//! test, and subgroup-vs-reference contrasts.
//!
//! - [`unit`]: the unit's rate cells and what its rows share;
//! - [`model_rows`]: which rows and subgroups enter a regression model;
//! - [`rows`]: the effect rows of one contrast (unadjusted, adjusted);
//! - [`therapy`]: therapy vs comparator within each subgroup, the
//!   interaction test and the weighted (IPW/AIPW) rows;
//! - [`reference`]: subgroup vs the gene's reference within each therapy.

mod model_rows;
mod reference;
mod rows;
mod therapy;
mod unit;

use crate::cohort::Cohort;
use crate::cpic::FamilyLookup;
use crate::rows::{CellKey, EffectRow, InteractionTest, RateRow};
use crate::subgroup::Subgroups;
use crate::weighted::Weighted;
use crate::Options;
use unit::Unit;

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
    /// Rows with every complete-case covariate observed (the others' gaps
    /// are filled by their missing policies).
    pub complete: &'a [bool],
    /// Term name of each cohort covariate (after the missing policies).
    pub covariate_names: &'a [String],
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

/// Analyses gene `g` x outcome `o`.
pub fn analyse(ctx: &Context<'_>, g: usize, o: usize) -> UnitOutput {
    let unit = Unit::new(ctx, g, o);
    let mut out = UnitOutput {
        rates: unit.rate_rows(),
        ..UnitOutput::default()
    };
    for &contrast in ctx.contrasts {
        therapy::therapy_contrast(&unit, contrast, &mut out);
    }
    reference::reference_contrasts(&unit, &mut out);
    out
}
