//! The subgroups shown for one gene x outcome: the gene's subgroups with
//! the merges the configuration asks for (`merge_subgroups`), and each
//! subgroup too small to show merged into its neighbour.
//!
//! A subgroup is too small when one of its rate cells (a therapy) would be
//! hidden by small-cell suppression: n, events or non-events from 1 to k.
//! Left alone it would be suppressed, and complementary suppression would
//! then hide a neighbouring cell of every line it is in, and so on through
//! its gene. Instead, while some subgroup is too small:
//!
//! - one off the functional order (`Indeterminate`, a diplotype; see
//!   `subgroup_order`) has no neighbour: it drops out of the outcome's
//!   analysis, with a warning and an entry in the tables' metadata;
//! - else the one farthest from the reference along the order (ties: the
//!   first in display order) merges into its neighbour on the reference's
//!   side (with no reference on the order, into its larger neighbour);
//! - the reference, when it is the only one too small, merges with its
//!   neighbour of more function (Normal with Rapid), else of less.
//!
//! A merged subgroup is labelled with its members, the reference's side
//! first (`Intermediate+Poor Metabolizer`, `Normal+Rapid Metabolizer`).
//! Events differ by outcome, so each outcome of a gene is merged on its own
//! counts: a Poor Metabolizer row may be shown for a continuous outcome and
//! merged into `Intermediate+Poor Metabolizer` for a rare event.

use serde_json::json;

use crate::cohort::{Cohort, OutcomeValues};
use crate::subgroup::Subgroups;
use crate::suppression::hides;

/// Per subgroup, per therapy: (n, events) of one outcome (events `None`
/// for a continuous outcome).
pub type Cells = Vec<Vec<(u64, Option<u64>)>>;

/// The label of merged subgroups, members in the order given: a last word
/// every member shares is written once (`Rapid+Ultrarapid Metabolizer`).
pub fn merged_label(members: &[String]) -> String {
    let split: Option<Vec<(&str, &str)>> = members.iter().map(|m| m.rsplit_once(' ')).collect();
    match split {
        Some(parts) if parts.len() > 1 && parts.iter().all(|(_, t)| *t == parts[0].1) => {
            let heads: Vec<&str> = parts.iter().map(|(h, _)| *h).collect();
            format!("{} {}", heads.join("+"), parts[0].1)
        }
        _ => members.join("+"),
    }
}

/// The subgroups shown for one outcome of a gene.
#[derive(Clone, Debug, PartialEq)]
pub struct Partition {
    /// Labels, in display order.
    pub labels: Vec<String>,
    /// The gene's subgroups (their labels) each is made of.
    pub members: Vec<Vec<String>>,
    /// The shown subgroup of each of the gene's subgroups (`None`: dropped).
    pub of_subgroup: Vec<Option<u32>>,
    /// The reference subgroup.
    pub reference: Option<u32>,
    /// How many leading subgroups lie on the functional order.
    pub on_scale: usize,
    /// Labels of the subgroups dropped as too small.
    pub dropped: Vec<String>,
}

impl Partition {
    /// The gene's subgroups as they are, then the configured merges: each
    /// list's subgroups that occur become one, at the place of the first in
    /// display order, labelled with the members in the configured order
    /// (labels that do not occur are ignored: a rare phenotype may be
    /// absent from a cohort).
    pub fn new(groups: &Subgroups, merges: &[Vec<String>]) -> Self {
        let mut part = Self {
            labels: groups.labels.clone(),
            members: groups.labels.iter().map(|l| vec![l.clone()]).collect(),
            of_subgroup: (0..groups.labels.len() as u32).map(Some).collect(),
            reference: groups.reference,
            on_scale: groups.on_scale,
            dropped: Vec::new(),
        };
        for set in merges {
            let position = |m: &String| set.iter().position(|l| l == m).unwrap_or(usize::MAX);
            loop {
                let hits: Vec<usize> = (0..part.labels.len())
                    .filter(|&s| part.members[s].iter().any(|m| set.contains(m)))
                    .collect();
                match hits.as_slice() {
                    [first, .., last] => part.merge(*last, Some(*first)),
                    [only] => {
                        part.members[*only].sort_by_key(position);
                        part.labels[*only] = merged_label(&part.members[*only]);
                        break;
                    }
                    [] => break,
                }
            }
        }
        part
    }

    /// The gene subgroup codes each shown subgroup covers.
    pub fn covered(&self, s: u32) -> Vec<u32> {
        (0..self.of_subgroup.len() as u32)
            .filter(|&c| self.of_subgroup[c as usize] == Some(s))
            .collect()
    }

    /// Moves subgroup `from` into `into` (the reference's members first),
    /// or with `None` drops it; later subgroups are renumbered.
    fn merge(&mut self, from: usize, into: Option<usize>) {
        let shift = |c: usize| if c > from { c - 1 } else { c };
        let target = into.map(shift);
        for code in &mut self.of_subgroup {
            *code = code.and_then(|c| {
                let c = c as usize;
                if c == from { target } else { Some(shift(c)) }.map(|t| t as u32)
            });
        }
        let members = self.members.remove(from);
        let label = self.labels.remove(from);
        let was_reference = self.reference == Some(from as u32);
        match target {
            Some(t) if was_reference => {
                let rest = std::mem::replace(&mut self.members[t], members);
                self.members[t].extend(rest);
                self.labels[t] = merged_label(&self.members[t]);
            }
            Some(t) => {
                self.members[t].extend(members);
                self.labels[t] = merged_label(&self.members[t]);
            }
            None => self.dropped.push(label),
        }
        if from < self.on_scale {
            self.on_scale -= 1;
        }
        self.reference = if was_reference {
            target.map(|t| t as u32)
        } else {
            self.reference.map(|r| shift(r as usize) as u32)
        };
    }

    /// Merges or drops the subgroups too small to show at threshold `k`
    /// (0: none), given each subgroup's cells (`counts[s][therapy]` =
    /// (n, events)), as the module documentation says.
    pub fn merge_small(&mut self, mut counts: Cells, k: u64) {
        if k == 0 {
            return;
        }
        loop {
            let too_small: Vec<usize> = (0..self.labels.len())
                .filter(|&s| counts[s].iter().any(|&(n, e)| hides(n, e, k)))
                .collect();
            let reference = self
                .reference
                .map(|r| r as usize)
                .filter(|&r| r < self.on_scale);
            let distance = |s: usize| reference.map_or(0, |r| s.abs_diff(r));
            let off_scale = too_small.iter().copied().find(|&s| s >= self.on_scale);
            let on_scale = too_small
                .iter()
                .copied()
                .filter(|&s| s < self.on_scale && Some(s) != reference)
                .max_by(|&a, &b| distance(a).cmp(&distance(b)).then(b.cmp(&a)));
            let reference_small = reference.filter(|r| too_small.contains(r));
            let (from, into) = match (off_scale, on_scale, reference_small) {
                (Some(s), _, _) => (s, None),
                (None, Some(s), _) => (s, self.neighbour(&counts, s)),
                (None, None, Some(r)) if self.on_scale > 1 => {
                    (r, Some(if r > 0 { r - 1 } else { r + 1 }))
                }
                _ => break,
            };
            let moved = counts.remove(from);
            if let Some(t) = into {
                let t = if t > from { t - 1 } else { t };
                for (cell, add) in counts[t].iter_mut().zip(moved) {
                    cell.0 += add.0;
                    cell.1 = cell.1.zip(add.1).map(|(a, b)| a + b);
                }
            }
            self.merge(from, into);
        }
    }

    /// The neighbour on the order that subgroup `s` merges into: toward the
    /// reference, else the larger (more rows) of its neighbours.
    fn neighbour(&self, counts: &[Vec<(u64, Option<u64>)>], s: usize) -> Option<usize> {
        let above = s.checked_sub(1);
        let below = (s + 1 < self.on_scale).then_some(s + 1);
        match self
            .reference
            .map(|r| r as usize)
            .filter(|&r| r < self.on_scale)
        {
            Some(r) if r < s => above,
            Some(_) => below,
            None => {
                let size = |c: usize| counts[c].iter().map(|cell| cell.0).sum::<u64>();
                match (above, below) {
                    (Some(a), Some(b)) => Some(if size(b) > size(a) { b } else { a }),
                    (a, b) => a.or(b),
                }
            }
        }
    }
}

/// Per gene subgroup, per therapy: (n, events) of outcome `o` (events
/// `None` for a continuous outcome).
pub fn cell_counts(groups: &Subgroups, cohort: &Cohort, o: usize) -> Cells {
    let outcome = &cohort.outcomes[o];
    let events = match outcome.values {
        OutcomeValues::Continuous(_) => None,
        _ => Some(0),
    };
    let mut counts = vec![vec![(0, events); cohort.therapies.len()]; groups.labels.len()];
    for i in 0..cohort.rows {
        let (Some(s), Some(t)) = (groups.of_row.get(i), cohort.therapy[i]) else {
            continue;
        };
        if !outcome.present(i) {
            continue;
        }
        let cell: &mut (u64, Option<u64>) = &mut counts[s as usize][t as usize];
        cell.0 += 1;
        let event = match &outcome.values {
            OutcomeValues::Binary(v) => v[i] == Some(true),
            OutcomeValues::TimeToEvent { event, .. } => event[i] == Some(true),
            OutcomeValues::Continuous(_) => false,
        };
        if let (Some(e), true) = (&mut cell.1, event) {
            *e += 1;
        }
    }
    counts
}

/// The counts of `part`'s subgroups, summed from the gene's.
fn partition_counts(part: &Partition, gene_counts: &[Vec<(u64, Option<u64>)>]) -> Cells {
    let width = gene_counts.first().map_or(0, Vec::len);
    let empty = gene_counts
        .first()
        .and_then(|c| c.first())
        .map_or((0, None), |c| (0, c.1.map(|_| 0)));
    let mut counts = vec![vec![empty; width]; part.labels.len()];
    for (c, cells) in gene_counts.iter().enumerate() {
        if let Some(s) = part.of_subgroup[c] {
            for (cell, add) in counts[s as usize].iter_mut().zip(cells) {
                cell.0 += add.0;
                cell.1 = cell.1.zip(add.1).map(|(a, b)| a + b);
            }
        }
    }
    counts
}

/// Fills `groups.by_outcome`: per outcome, the configured merges and (with
/// `merge_small`) the small subgroups merged at threshold `k`.
pub fn partition_outcomes(
    groups: &mut Subgroups,
    cohort: &Cohort,
    merges: &[Vec<String>],
    merge_small: bool,
    k: u64,
) {
    let configured = Partition::new(groups, merges);
    groups.by_outcome = (0..cohort.outcomes.len())
        .map(|o| {
            let mut part = configured.clone();
            if merge_small {
                let counts = partition_counts(&part, &cell_counts(groups, cohort, o));
                part.merge_small(counts, k);
            }
            part
        })
        .collect();
}

/// The merged and dropped subgroups of every gene x outcome, for the
/// tables' metadata (`tailor_schemas::subgroup_rates::SUBGROUP_MERGES_KEY`).
pub fn merges_metadata(groups: &[Subgroups], cohort: &Cohort) -> serde_json::Value {
    let mut merged = Vec::new();
    let mut dropped = Vec::new();
    for g in groups {
        for (part, outcome) in g.by_outcome.iter().zip(&cohort.outcomes) {
            let outcome = &outcome.role.name;
            for (label, members) in part.labels.iter().zip(&part.members) {
                if members.len() > 1 {
                    merged.push(json!({"gene": g.gene, "outcome": outcome, "subgroup": label, "members": members}));
                }
            }
            for label in &part.dropped {
                dropped.push(json!({"gene": g.gene, "outcome": outcome, "subgroup": label}));
            }
        }
    }
    json!({"merged": merged, "dropped": dropped})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cohort::Outcome;
    use crate::subgroup::{Assigner, GeneCall};
    use crate::Options;
    use tailor_schemas::cohort::{OutcomeKind, OutcomeRole};

    /// A gene's subgroups and a cohort of `cells`: (phenotype, therapy,
    /// rows, events) each, one binary outcome.
    fn cohort(
        cells: &[(&'static str, u32, usize, usize)],
        options: &Options,
    ) -> (Subgroups, Cohort) {
        let mut assigner = Assigner::new("CYP2C19", options);
        let (mut therapy, mut mace) = (Vec::new(), Vec::new());
        for &(phenotype, t, n, events) in cells {
            for i in 0..n {
                assigner.push(&GeneCall {
                    phenotype: Some(phenotype),
                    ..GeneCall::default()
                });
                therapy.push(Some(t));
                mace.push(Some(i < events));
            }
        }
        let groups = assigner
            .finish(std::path::Path::new("c"))
            .expect("subgroups");
        let rows = therapy.len();
        let cohort = Cohort {
            rows,
            patient: (0..rows as u32).collect(),
            repeated_patients: false,
            therapy,
            therapies: vec!["clopidogrel".into(), "ticagrelor".into()],
            outcomes: vec![Outcome {
                role: OutcomeRole {
                    name: "mace".into(),
                    kind: OutcomeKind::Binary,
                    higher_is_better: false,
                    unit: None,
                },
                values: OutcomeValues::Binary(mace),
            }],
            covariates: Vec::new(),
            genes: vec!["CYP2C19".into()],
        };
        (groups, cohort)
    }

    /// Two arms of `n` rows with `events` each.
    fn both(p: &'static str, n: usize, events: usize) -> [(&'static str, u32, usize, usize); 2] {
        [(p, 0, n, events), (p, 1, n, events)]
    }

    fn partition(
        cells: &[[(&'static str, u32, usize, usize); 2]],
        options: &Options,
        k: u64,
    ) -> (Partition, Cells) {
        let (mut groups, cohort) = cohort(&cells.concat(), options);
        let merges = options
            .merge_subgroups
            .get("CYP2C19")
            .cloned()
            .unwrap_or_default();
        partition_outcomes(&mut groups, &cohort, &merges, true, k);
        let part = groups.by_outcome[0].clone();
        let counts = partition_counts(&part, &cell_counts(&groups, &cohort, 0));
        (part, counts)
    }

    #[test]
    fn labels_of_merged_subgroups() {
        let m =
            |list: &[&str]| merged_label(&list.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>());
        assert_eq!(
            m(&["Rapid Metabolizer", "Ultrarapid Metabolizer"]),
            "Rapid+Ultrarapid Metabolizer"
        );
        assert_eq!(
            m(&["Intermediate Metabolizer", "Poor Metabolizer"]),
            "Intermediate+Poor Metabolizer"
        );
        assert_eq!(m(&["Normal", "Deficient"]), "Normal+Deficient");
        assert_eq!(
            m(&["Normal Function", "Poor Metabolizer"]),
            "Normal Function+Poor Metabolizer"
        );
        assert_eq!(m(&["*1/*1"]), "*1/*1");
    }

    /// Ultrarapid (6 an arm) merges into Rapid, still too small with it
    /// (9 events) into Normal; Likely Poor counts as Poor; Poor (40 an
    /// arm, 5 events) merges into Intermediate; Indeterminate (3) has no
    /// neighbour and drops out.
    #[test]
    fn small_subgroups_merge_toward_normal_or_drop() {
        let (part, counts) = partition(
            &[
                both("Ultrarapid Metabolizer", 6, 3),
                both("Rapid Metabolizer", 30, 6),
                both("Normal Metabolizer", 200, 40),
                both("Intermediate Metabolizer", 100, 30),
                both("Poor Metabolizer", 38, 5),
                both("Likely Poor Metabolizer", 2, 0),
                both("Indeterminate", 3, 1),
            ],
            &Options::default(),
            10,
        );
        assert_eq!(
            part.labels,
            [
                "Normal+Rapid+Ultrarapid Metabolizer",
                "Intermediate+Poor Metabolizer"
            ]
        );
        assert_eq!(part.reference, Some(0));
        assert_eq!(part.dropped, ["Indeterminate"]);
        // Gene subgroups: Ultrarapid, Rapid, Normal, Intermediate, Poor,
        // Indeterminate.
        assert_eq!(
            part.of_subgroup,
            [Some(0), Some(0), Some(0), Some(1), Some(1), None]
        );
        assert_eq!(part.covered(1), [3, 4]);
        assert_eq!(counts, [[(236, Some(49)); 2], [(140, Some(35)); 2]]);
    }

    /// Rapid big enough stays and Ultrarapid merges into it; the configured
    /// merge joins Intermediate and Poor whatever their size; a reference
    /// too small merges with its neighbour of more function; threshold 0
    /// merges only as configured.
    #[test]
    fn configured_merges_and_a_small_reference() {
        let options = Options::builder()
            .merge_subgroups(
                "CYP2C19",
                vec![vec![
                    "Poor Metabolizer".into(),
                    "Intermediate Metabolizer".into(),
                ]],
            )
            .build();
        let cells = [
            both("Ultrarapid Metabolizer", 6, 3),
            both("Rapid Metabolizer", 60, 20),
            both("Normal Metabolizer", 200, 40),
            both("Intermediate Metabolizer", 100, 30),
            both("Poor Metabolizer", 40, 20),
        ];
        let (part, _) = partition(&cells, &options, 0);
        assert_eq!(
            part.labels,
            [
                "Ultrarapid Metabolizer",
                "Rapid Metabolizer",
                "Normal Metabolizer",
                "Poor+Intermediate Metabolizer",
            ]
        );
        let (part, _) = partition(&cells, &options, 10);
        assert_eq!(
            part.labels,
            [
                "Rapid+Ultrarapid Metabolizer",
                "Normal Metabolizer",
                "Poor+Intermediate Metabolizer",
            ]
        );
        assert_eq!(part.reference, Some(1));
        assert!(part.dropped.is_empty());
        let cells = [
            both("Rapid Metabolizer", 60, 20),
            both("Normal Metabolizer", 200, 4),
            both("Intermediate Metabolizer", 100, 30),
        ];
        let (part, counts) = partition(&cells, &Options::default(), 10);
        assert_eq!(
            part.labels,
            ["Normal+Rapid Metabolizer", "Intermediate Metabolizer"]
        );
        assert_eq!(part.reference, Some(0));
        assert_eq!(counts[0], [(260, Some(24)); 2]);
    }
}
