//! The order of a gene's subgroups, and which of them lie on a scale.
//!
//! Subgroups are listed along function, most first, so that a reader sees
//! them in the order a guideline does and a small subgroup has a neighbour
//! to merge into (see `subgroup_merge`):
//!
//! - phenotype: Ultrarapid, Rapid (Increased Function), Normal, Possible
//!   Intermediate (Possible Decreased Function), Intermediate (Decreased
//!   Function, Deficient), Poor (Poor Function, Deficient with CNSHA); a
//!   `Likely X` kept apart (`merge_likely = false`) sits next to `X`, on the
//!   side away from Normal. Any other phenotype (`Indeterminate`, risk
//!   phenotypes) follows, alphabetically, off the scale;
//! - activity score: numeric order of the values or bins, highest first;
//! - carrier: `non_carrier`, then `carrier`;
//! - diplotype: alphabetical, off the scale.
//!
//! A configured order (`subgroup_order` in `[estimate]`) puts its labels on
//! the scale in the order given; the gene's other labels follow off it.

use crate::Grouping;

/// The function rank of a phenotype (Normal 0; higher is more function),
/// in half steps, and whether it is a `Likely` phenotype.
fn phenotype_rank(label: &str) -> Option<(i32, bool)> {
    let (likely, base) = match label.strip_prefix("Likely ") {
        Some(rest) => (true, rest),
        None => (false, label),
    };
    let rank = match base {
        "Ultrarapid Metabolizer" => 4,
        "Rapid Metabolizer" | "Increased Function" => 2,
        "Normal Metabolizer" | "Normal Function" | "Normal" => 0,
        "Possible Intermediate Metabolizer" | "Possible Decreased Function" => -1,
        "Intermediate Metabolizer" | "Decreased Function" | "Deficient" => -2,
        "Poor Metabolizer" | "Poor Function" | "Deficient with CNSHA" => -4,
        _ => return None,
    };
    Some((rank, likely))
}

/// A position on the scale, most function first (smaller sorts first).
fn phenotype_position(label: &str) -> Option<i32> {
    phenotype_rank(label).map(|(rank, likely)| {
        // Four slots per half step: a Likely phenotype one slot away from
        // Normal's side of its phenotype.
        let away = if likely {
            rank.signum().max(0) * 2 - 1
        } else {
            0
        };
        -(rank * 4) - away
    })
}

/// The lower end of an activity-score label (`1.5`, `[1, 2)`, `(-inf, 1)`).
fn score_position(label: &str) -> Option<f64> {
    let head = label
        .trim_start_matches(['[', '('])
        .split(',')
        .next()
        .unwrap_or(label)
        .trim();
    if head == "-inf" {
        return Some(f64::NEG_INFINITY);
    }
    head.parse().ok()
}

/// The labels of one gene in display order, and how many of them, from
/// the first, lie on the scale (the rest have no neighbour to merge into).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ordered {
    /// Indices into the labels given, in display order.
    pub order: Vec<usize>,
    /// How many leading entries of `order` are on the scale.
    pub on_scale: usize,
}

/// Orders `labels` (distinct, sorted) of a gene grouped by `grouping`,
/// with the configured order if any.
pub fn order_labels(
    grouping: Grouping,
    labels: &[String],
    configured: Option<&[String]>,
) -> Ordered {
    let mut ranked: Vec<(usize, f64)> = Vec::new();
    let mut rest = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let position = match configured {
            Some(list) => list.iter().position(|l| l == label).map(|p| p as f64),
            None => match grouping {
                Grouping::Phenotype => phenotype_position(label).map(f64::from),
                Grouping::ActivityScore => score_position(label).map(|s| -s),
                Grouping::Carrier => match label.as_str() {
                    "non_carrier" => Some(0.0),
                    "carrier" => Some(1.0),
                    _ => None,
                },
                Grouping::Diplotype => None,
            },
        };
        match position {
            Some(p) => ranked.push((i, p)),
            None => rest.push(i),
        }
    }
    ranked.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let on_scale = ranked.len();
    let mut order: Vec<usize> = ranked.into_iter().map(|(i, _)| i).collect();
    order.extend(rest);
    Ordered { order, on_scale }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ordered(
        grouping: Grouping,
        labels: &[&str],
        configured: Option<&[String]>,
    ) -> (Vec<String>, usize) {
        let mut sorted: Vec<String> = labels.iter().map(|l| (*l).to_owned()).collect();
        sorted.sort();
        let o = order_labels(grouping, &sorted, configured);
        (
            o.order.iter().map(|&i| sorted[i].clone()).collect(),
            o.on_scale,
        )
    }

    #[test]
    fn phenotypes_follow_function() {
        let (labels, on_scale) = ordered(
            Grouping::Phenotype,
            &[
                "Poor Metabolizer",
                "Indeterminate",
                "Normal Metabolizer",
                "Likely Poor Metabolizer",
                "Ultrarapid Metabolizer",
                "Intermediate Metabolizer",
                "Likely Intermediate Metabolizer",
                "Rapid Metabolizer",
            ],
            None,
        );
        assert_eq!(
            labels,
            [
                "Ultrarapid Metabolizer",
                "Rapid Metabolizer",
                "Normal Metabolizer",
                "Intermediate Metabolizer",
                "Likely Intermediate Metabolizer",
                "Poor Metabolizer",
                "Likely Poor Metabolizer",
                "Indeterminate",
            ]
        );
        assert_eq!(on_scale, 7);
    }

    #[test]
    fn scores_carriers_diplotypes_and_configured() {
        let (labels, on_scale) = ordered(
            Grouping::ActivityScore,
            &["0", "1.5", "2", "0.5", "1"],
            None,
        );
        assert_eq!(labels, ["2", "1.5", "1", "0.5", "0"]);
        assert_eq!(on_scale, 5);
        let (labels, _) = ordered(
            Grouping::ActivityScore,
            &["(-inf, 0.5)", "[0.5, 1.5)", "[1.5, inf)"],
            None,
        );
        assert_eq!(labels, ["[1.5, inf)", "[0.5, 1.5)", "(-inf, 0.5)"]);
        let (labels, _) = ordered(Grouping::Carrier, &["carrier", "non_carrier"], None);
        assert_eq!(labels, ["non_carrier", "carrier"]);
        let (labels, on_scale) = ordered(Grouping::Diplotype, &["*2/*2", "*1/*1", "*1/*2"], None);
        assert_eq!(labels, ["*1/*1", "*1/*2", "*2/*2"]);
        assert_eq!(on_scale, 0);
        let configured = ["*2/*2".to_owned(), "*1/*2".to_owned()];
        let (labels, on_scale) = ordered(
            Grouping::Diplotype,
            &["*2/*2", "*1/*1", "*1/*2"],
            Some(&configured),
        );
        assert_eq!(labels, ["*2/*2", "*1/*2", "*1/*1"]);
        assert_eq!(on_scale, 2);
    }
}
