//! Kaplan-Meier survival at a horizon, with Greenwood's variance and the
//! log(-log) ("exponential Greenwood") interval, as lifelines'
//! `KaplanMeierFitter` reports by default:
//! v = Σ d/(n(n-d)) / (log S)², CI = S^exp(±z√v).

use super::Interval;

/// Survival at a horizon.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SurvivalAt {
    /// Kaplan-Meier survival probability at the horizon.
    pub survival: f64,
    /// Log(-log) CI; `None` when S is 0 or 1 (no variance on that scale).
    pub ci: Option<Interval>,
    /// Patients still at risk at the horizon (follow-up >= horizon).
    pub at_risk: u64,
}

/// KM survival at `horizon` from follow-up `times` and `events`; `None`
/// when there are no patients or nobody is followed up to the horizon
/// (the curve is undefined there).
pub fn survival_at(times: &[f64], events: &[bool], horizon: f64, z: f64) -> Option<SurvivalAt> {
    if times.is_empty() || times.len() != events.len() {
        return None;
    }
    let at_risk = times.iter().filter(|&&t| t >= horizon).count() as u64;
    if at_risk == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..times.len()).collect();
    order.sort_by(|&a, &b| times[a].total_cmp(&times[b]));
    let mut n = times.len() as f64;
    let mut s = 1.0;
    let mut greenwood = 0.0;
    let mut i = 0;
    while i < order.len() {
        let t = times[order[i]];
        if t > horizon {
            break;
        }
        let mut d = 0.0;
        let mut leaving = 0.0;
        while i < order.len() && times[order[i]] == t {
            if events[order[i]] {
                d += 1.0;
            }
            leaving += 1.0;
            i += 1;
        }
        if d > 0.0 {
            s *= 1.0 - d / n;
            if n > d {
                greenwood += d / (n * (n - d));
            }
        }
        n -= leaving;
    }
    let ci = if s > 0.0 && s < 1.0 {
        let v = greenwood / (s.ln() * s.ln());
        let half = z * v.sqrt();
        Some(Interval {
            low: s.powf(half.exp()),
            high: s.powf((-half).exp()),
        })
    } else {
        None
    };
    Some(SurvivalAt {
        survival: s,
        ci,
        at_risk,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::normal::z_critical;

    #[test]
    fn matches_lifelines() {
        let t = [2.0, 3.0, 3.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0];
        let e = [
            true, true, false, true, false, true, true, false, true, false,
        ];
        let s = survival_at(&t, &e, 7.5, z_critical(0.95)).expect("defined");
        // KaplanMeierFitter().fit(t, e): survival_function_at_times(7.5) and
        // confidence_interval_ at the last event time <= 7.5
        assert!((s.survival - REF[0]).abs() < 1e-9, "{s:?}");
        let ci = s.ci.expect("interior");
        assert!((ci.low - REF[1]).abs() < 1e-9, "{s:?}");
        assert!((ci.high - REF[2]).abs() < 1e-9, "{s:?}");
        assert_eq!(s.at_risk, 4);
        assert!(survival_at(&t, &e, 100.0, 1.96).is_none());
    }

    const REF: [f64; 3] = [0.5485714285714284, 0.18725595404527, 0.8063774910342679];
}
