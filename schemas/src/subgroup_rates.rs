//! The subgroup_rates table: one row per gene x subgroup x therapy x outcome.
//!
//! Written by `tailor estimate`. Descriptive statistics of each cell, over
//! the episodes whose outcome is observed. No row carries a patient id.
//!
//! **Small cells.** With the default threshold k = 10, a row whose count
//! (`n`, `events`, or non-events `n - events`) is 1..k is suppressed: every
//! number in it is null, `suppressed` is true and `suppression_reason` says
//! why (`small_cell`). Complementary suppression (`complementary`) then
//! hides further rows so that no suppressed count can be recovered by
//! differencing: within a gene x therapy x outcome over subgroups, within a
//! gene x subgroup x outcome over therapies (both margins are treated as
//! known, which also covers differencing across genes that share a therapy
//! total), and across outcomes (a cell hidden for one outcome is hidden for
//! all). Zero counts are shown. The threshold is the `tailor.parameters`
//! entry `suppression_threshold`; 0 disables suppression and the metadata
//! key `tailor.estimate.warning` says so.
//!
//! Columns (all counts are episodes; times in the outcome's unit):

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Version of this table's schema; bump on any column change.
pub const SCHEMA_VERSION: u32 = 1;
/// The table's name in metadata and file names (`subgroup_rates.parquet`).
pub const TABLE: &str = "subgroup_rates";

/// `Utf8`: HGNC gene symbol.
pub const GENE: &str = "gene";
/// `Utf8`: how subgroups are formed: `phenotype`, `diplotype`,
/// `activity_score` or `carrier`.
pub const GROUPING: &str = "grouping";
/// `Utf8`: the subgroup (e.g. `Poor Metabolizer`, `*1/*2`, `1.5`, `carrier`).
pub const SUBGROUP: &str = "subgroup";
/// `Boolean`: whether the subgroup is the gene's reference subgroup.
pub const IS_REFERENCE: &str = "is_reference";
/// `Utf8`: therapy.
pub const THERAPY: &str = "therapy";
/// `Utf8`: outcome name, as configured.
pub const OUTCOME: &str = "outcome";
/// `Utf8`: `binary`, `continuous` or `time_to_event`.
pub const OUTCOME_KIND: &str = "outcome_kind";
/// `Int64`: episodes with the outcome observed.
pub const N: &str = "n";
/// `Int64`: events (binary and time-to-event outcomes).
pub const EVENTS: &str = "events";
/// `Float64`: total follow-up time (time to event), in the outcome's unit.
pub const PERSON_TIME: &str = "person_time";
/// `Float64`: event proportion `events / n` (binary), 0..1.
pub const PROPORTION: &str = "proportion";
/// `Float64`: lower bound of the Wilson score CI of `proportion`.
pub const PROPORTION_CI_LOW: &str = "proportion_ci_low";
/// `Float64`: upper bound of the Wilson score CI of `proportion`.
pub const PROPORTION_CI_HIGH: &str = "proportion_ci_high";
/// `Float64`: events per unit of follow-up time (time to event).
pub const INCIDENCE_RATE: &str = "incidence_rate";
/// `Float64`: mean (continuous), in the outcome's unit.
pub const MEAN: &str = "mean";
/// `Float64`: sample standard deviation, n-1 denominator (continuous).
pub const SD: &str = "sd";
/// `Float64`: median (continuous).
pub const MEDIAN: &str = "median";
/// `Float64`: the Kaplan-Meier horizon, in the outcome's time unit (null
/// when none is configured).
pub const KM_HORIZON: &str = "km_horizon";
/// `Float64`: Kaplan-Meier survival at `km_horizon`, 0..1; null when no one
/// is followed up to the horizon, or when the events before it, the
/// patients at risk at it or those who left before it number 1..k.
pub const KM_SURVIVAL: &str = "km_survival";
/// `Float64`: lower bound of the log(-log) Greenwood CI of `km_survival`.
pub const KM_CI_LOW: &str = "km_ci_low";
/// `Float64`: upper bound of the log(-log) Greenwood CI of `km_survival`.
pub const KM_CI_HIGH: &str = "km_ci_high";
/// `Float64`: the confidence level of every interval (e.g. 0.95).
pub const CONFIDENCE_LEVEL: &str = "confidence_level";
/// `Boolean`: whether the row's numbers are suppressed (small cells).
pub const SUPPRESSED: &str = "suppressed";
/// `Utf8`: why: `small_cell` or `complementary`
/// ([`SuppressionReason`](crate::small_cells::SuppressionReason)); null when shown.
pub const SUPPRESSION_REASON: &str = "suppression_reason";

/// Key-value metadata entry (in this table and in subgroup_effects) naming,
/// as JSON, the subgroups shown as one and those left out, per gene x
/// outcome: `{"merged": [{"gene", "outcome", "subgroup", "members"}],
/// "dropped": [{"gene", "outcome", "subgroup"}]}`. A subgroup merges when
/// the configuration says so (`merge_subgroups`) or when a cell of it
/// would be suppressed (each outcome on its own counts): it then joins its
/// neighbour toward the reference along function (Ultrarapid, Rapid,
/// Normal, Intermediate, Poor; activity scores in numeric order), and its
/// label names the members nearest the reference first
/// (`Intermediate+Poor Metabolizer`). A too-small subgroup off that order
/// (`Indeterminate`, a diplotype) is dropped, with no count given.
pub const SUBGROUP_MERGES_KEY: &str = "tailor.estimate.subgroup_merges";

/// The Arrow schema of the subgroup_rates table.
pub fn schema() -> SchemaRef {
    let utf8 = |name| Field::new(name, DataType::Utf8, false);
    let f64n = |name| Field::new(name, DataType::Float64, true);
    Arc::new(Schema::new(vec![
        utf8(GENE),
        utf8(GROUPING),
        utf8(SUBGROUP),
        Field::new(IS_REFERENCE, DataType::Boolean, false),
        utf8(THERAPY),
        utf8(OUTCOME),
        utf8(OUTCOME_KIND),
        Field::new(N, DataType::Int64, true),
        Field::new(EVENTS, DataType::Int64, true),
        f64n(PERSON_TIME),
        f64n(PROPORTION),
        f64n(PROPORTION_CI_LOW),
        f64n(PROPORTION_CI_HIGH),
        f64n(INCIDENCE_RATE),
        f64n(MEAN),
        f64n(SD),
        f64n(MEDIAN),
        f64n(KM_HORIZON),
        f64n(KM_SURVIVAL),
        f64n(KM_CI_LOW),
        f64n(KM_CI_HIGH),
        Field::new(CONFIDENCE_LEVEL, DataType::Float64, false),
        Field::new(SUPPRESSED, DataType::Boolean, false),
        Field::new(SUPPRESSION_REASON, DataType::Utf8, true),
    ]))
}
