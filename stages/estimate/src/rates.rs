//! Descriptive statistics of one gene subgroup x therapy x outcome cell.

use crate::cohort::{Outcome, OutcomeValues};
use crate::stats::describe::summarise;
use crate::stats::kaplan_meier::{survival_at, SurvivalAt};
use crate::stats::wilson::wilson;
use crate::stats::Interval;

/// One cell of the subgroup_rates table, before suppression.
#[derive(Clone, Debug, PartialEq)]
pub struct RateCell {
    /// Patients-episodes with the outcome observed.
    pub n: u64,
    /// Events (binary, time to event).
    pub events: Option<u64>,
    /// Total follow-up time (time to event).
    pub person_time: Option<f64>,
    /// Event proportion (binary).
    pub proportion: Option<f64>,
    /// Wilson CI of the proportion.
    pub proportion_ci: Option<Interval>,
    /// Events per unit of follow-up time.
    pub incidence_rate: Option<f64>,
    /// Mean (continuous).
    pub mean: Option<f64>,
    /// SD (continuous).
    pub sd: Option<f64>,
    /// Median (continuous).
    pub median: Option<f64>,
    /// Kaplan-Meier survival at the horizon.
    pub km: Option<SurvivalAt>,
    /// Events at or before the horizon (to decide KM disclosure).
    pub km_events: u64,
}

/// Describes the outcome over `rows` (all with the outcome observed).
pub fn describe_cell(outcome: &Outcome, rows: &[usize], z: f64, horizon: Option<f64>) -> RateCell {
    let n = rows.len() as u64;
    let mut cell = RateCell {
        n,
        events: None,
        person_time: None,
        proportion: None,
        proportion_ci: None,
        incidence_rate: None,
        mean: None,
        sd: None,
        median: None,
        km: None,
        km_events: 0,
    };
    match &outcome.values {
        OutcomeValues::Binary(v) => {
            let events = rows.iter().filter(|&&i| v[i] == Some(true)).count() as u64;
            cell.events = Some(events);
            if n > 0 {
                cell.proportion = Some(events as f64 / n as f64);
                cell.proportion_ci = wilson(events, n, z);
            }
        }
        OutcomeValues::Continuous(v) => {
            let values: Vec<f64> = rows.iter().filter_map(|&i| v[i]).collect();
            if let Some(s) = summarise(&values) {
                cell.mean = Some(s.mean);
                cell.sd = (s.n > 1).then_some(s.sd);
                cell.median = Some(s.median);
            }
        }
        OutcomeValues::TimeToEvent { time, event } => {
            let t: Vec<f64> = rows.iter().map(|&i| time[i].unwrap_or(0.0)).collect();
            let e: Vec<bool> = rows.iter().map(|&i| event[i] == Some(true)).collect();
            let events = e.iter().filter(|&&x| x).count() as u64;
            let person_time: f64 = t.iter().sum();
            cell.events = Some(events);
            cell.person_time = Some(person_time);
            if person_time > 0.0 {
                cell.incidence_rate = Some(events as f64 / person_time);
            }
            if let Some(h) = horizon {
                cell.km = survival_at(&t, &e, h, z);
                cell.km_events = t.iter().zip(&e).filter(|(t, e)| **e && **t <= h).count() as u64;
            }
        }
    }
    cell
}
