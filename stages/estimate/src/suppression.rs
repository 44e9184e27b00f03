//! Small-cell suppression with complementary suppression.
//!
//! Primary: a rate cell whose n, events or non-events is 1..k. Then, until
//! nothing changes: (1) a cell hidden for one outcome is hidden for every
//! outcome of the gene (every cell, of any outcome, holding some of the
//! same gene subgroup and therapy: subgroups merged for one outcome only
//! overlap those of another); (2) in every line of cells that sums to a margin an
//! attacker may know — a gene x outcome x therapy over subgroups (the
//! therapy total, shared across genes), a gene x outcome x subgroup over
//! therapies (the subgroup total) — the hidden cells with n > 0 must be at
//! least two, and their summed n, events and non-events must each be 0 or
//! more than k; otherwise the smallest shown non-empty cell of the line is
//! hidden too (the smallest that alone makes the line safe, see
//! `complement`). Effect rows derived from a hidden cell, and the interaction
//! p/q of a test that uses one, are hidden.

use std::collections::{BTreeMap, HashMap};

use tailor_schemas::small_cells::SuppressionReason;

use crate::rows::{EffectRow, InteractionTest, RateRow};

fn small(count: u64, k: u64) -> bool {
    count >= 1 && count <= k
}

/// Whether a cell of `n` rows with `events` (binary and time-to-event
/// outcomes) is hidden by the primary rule at threshold `k`: n, events or
/// non-events from 1 to k.
pub fn hides(n: u64, events: Option<u64>, k: u64) -> bool {
    k > 0 && (small(n, k) || events.is_some_and(|e| small(e, k) || small(n.saturating_sub(e), k)))
}

fn primary_reason(row: &RateRow, k: u64) -> bool {
    hides(row.cell.n, row.cell.events, k)
}

/// Suppresses rate rows in place with threshold `k` (0: nothing).
pub fn suppress_rates(rates: &mut [RateRow], k: u64) {
    if k == 0 {
        return;
    }
    for row in rates.iter_mut() {
        if primary_reason(row, k) {
            row.suppressed = Some(SuppressionReason::SmallCell);
        }
    }
    // Lines: indices of rows sharing (gene, outcome, therapy) and (gene, outcome, subgroup).
    let mut lines: BTreeMap<(u8, usize, usize, u32), Vec<usize>> = BTreeMap::new();
    let mut same_cell: HashMap<(usize, u32, u32), Vec<usize>> = HashMap::new();
    for (i, row) in rates.iter().enumerate() {
        let (g, o, s, t) = row.key;
        lines.entry((0, g, o, t)).or_default().push(i);
        lines.entry((1, g, o, s)).or_default().push(i);
        for &member in &row.covers {
            same_cell.entry((g, member, t)).or_default().push(i);
        }
    }
    loop {
        let mut changed = false;
        for members in same_cell.values() {
            if members.iter().any(|&i| rates[i].suppressed.is_some()) {
                for &i in members {
                    if rates[i].suppressed.is_none() && rates[i].cell.n > 0 {
                        rates[i].suppressed = Some(SuppressionReason::Complementary);
                        changed = true;
                    }
                }
            }
        }
        for members in lines.values() {
            let hidden: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| rates[i].suppressed.is_some() && rates[i].cell.n > 0)
                .collect();
            if hidden.is_empty() {
                continue;
            }
            let n: u64 = hidden.iter().map(|&i| rates[i].cell.n).sum();
            let events: u64 = hidden.iter().filter_map(|&i| rates[i].cell.events).sum();
            let has_events = hidden.iter().any(|&i| rates[i].cell.events.is_some());
            let exposed = hidden.len() == 1
                || small(n, k)
                || (has_events && (small(events, k) || small(n.saturating_sub(events), k)));
            if !exposed {
                continue;
            }
            let candidate = complement(rates, members, (n, events, has_events), k);
            if let Some(i) = candidate {
                rates[i].suppressed = Some(SuppressionReason::Complementary);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// The shown cell of a line to hide next, given the line's hidden totals
/// (n, events, whether events are counted): the smallest cell that alone
/// makes the line safe; else the smallest that raises a total still in
/// 1..k (hiding a cell with no events cannot protect a hidden events
/// count); else the smallest. Hiding the smallest cell that does the job,
/// not merely the smallest cell, keeps a large subgroup shown when a
/// smaller cell can protect the line.
fn complement(
    rates: &[RateRow],
    members: &[usize],
    (n, events, has_events): (u64, u64, bool),
    k: u64,
) -> Option<usize> {
    let shown: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&i| rates[i].suppressed.is_none() && rates[i].cell.n > 0)
        .collect();
    let smallest = |it: &mut dyn Iterator<Item = usize>| it.min_by_key(|&i| (rates[i].cell.n, i));
    let after = |i: usize| {
        let c = &rates[i].cell;
        let n2 = n + c.n;
        let e2 = events + c.events.unwrap_or(0);
        (n2, e2, has_events || c.events.is_some())
    };
    let safe = |(n2, e2, he): (u64, u64, bool)| {
        !(small(n2, k) || (he && (small(e2, k) || small(n2.saturating_sub(e2), k))))
    };
    if let Some(i) = smallest(&mut shown.iter().copied().filter(|&i| safe(after(i)))) {
        return Some(i);
    }
    let helps = |i: usize| {
        let c = &rates[i].cell;
        let e = c.events.unwrap_or(0);
        (small(n, k) && c.n > 0)
            || (has_events && small(events, k) && e > 0)
            || (has_events && small(n.saturating_sub(events), k) && c.n > e)
    };
    smallest(&mut shown.iter().copied().filter(|&i| helps(i)))
        .or_else(|| smallest(&mut shown.iter().copied()))
}

/// Hides effect rows and interaction tests that use a hidden cell.
pub fn suppress_effects(
    rates: &[RateRow],
    effects: &mut [EffectRow],
    tests: &mut [InteractionTest],
) {
    let hidden: std::collections::HashSet<_> = rates
        .iter()
        .filter(|r| r.suppressed.is_some())
        .map(|r| r.key)
        .collect();
    if hidden.is_empty() {
        return;
    }
    for row in effects.iter_mut() {
        if row.cells.iter().any(|c| hidden.contains(c)) {
            row.suppressed = Some(SuppressionReason::DerivedFromSuppressedCell);
        }
    }
    for test in tests.iter_mut() {
        test.hidden = hidden.iter().any(|&(g, o, _, t)| {
            g == test.gene && o == test.outcome && (t == test.therapy || t == test.comparator)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rates::RateCell;

    fn cell(n: u64, events: u64) -> RateCell {
        RateCell {
            n,
            events: Some(events),
            person_time: None,
            proportion: None,
            proportion_ci: None,
            incidence_rate: None,
            mean: None,
            sd: None,
            median: None,
            km: None,
            km_events: 0,
        }
    }

    fn row(s: u32, t: u32, n: u64, e: u64) -> RateRow {
        RateRow {
            key: (0, 0, s, t),
            is_reference: false,
            covers: vec![s],
            cell: cell(n, e),
            suppressed: None,
        }
    }

    #[test]
    fn single_hidden_cell_gets_a_complement() {
        // subgroups 0..3, therapy 0 only
        let mut rates = vec![row(0, 0, 5, 2), row(1, 0, 100, 40), row(2, 0, 50, 20)];
        suppress_rates(&mut rates, 10);
        assert_eq!(rates[0].suppressed, Some(SuppressionReason::SmallCell));
        assert_eq!(rates[2].suppressed, Some(SuppressionReason::Complementary));
        assert_eq!(rates[1].suppressed, None);
    }

    /// A line whose one hidden cell holds a small events count: a cell with
    /// no events cannot protect it, so the smallest cell that makes the
    /// line safe is hidden and the large subgroup stays shown.
    #[test]
    fn complement_is_the_smallest_cell_that_protects() {
        let mut rates = vec![
            row(0, 0, 3, 1),    // tiny, small_cell
            row(1, 0, 12, 0),   // smallest, no events: cannot protect
            row(2, 0, 25, 12),  // protects (n 28, 13 events, 15 non-events)
            row(3, 0, 400, 40), // large subgroup
        ];
        suppress_rates(&mut rates, 10);
        assert_eq!(rates[0].suppressed, Some(SuppressionReason::SmallCell));
        assert_eq!(rates[2].suppressed, Some(SuppressionReason::Complementary));
        assert_eq!(rates[1].suppressed, None);
        assert_eq!(rates[3].suppressed, None);
    }

    #[test]
    fn zero_disables() {
        let mut rates = vec![row(0, 0, 5, 2)];
        suppress_rates(&mut rates, 0);
        assert_eq!(rates[0].suppressed, None);
    }
}
