//! Which rows a model uses, and why the others are left out: each
//! excluded row is counted once, under the first reason in the order
//! outcome, transform domain, genotype, covariate (the covariate being
//! the first complete-case one missing, in configured order).

use super::frame::Frame;

/// The rows a model uses and the excluded counts by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Rows used, ascending.
    pub used: Vec<usize>,
    /// Rows without the outcome.
    pub outcome: u64,
    /// Rows whose outcome is outside the transform's domain.
    pub transform: u64,
    /// Rows without a genotype group (`unknown_genotype = "exclude"`).
    pub genotype: u64,
    /// Rows missing a complete-case covariate, by covariate (configured
    /// order, every covariate listed).
    pub covariate: Vec<(String, u64)>,
}

/// The rows of `frame` a model uses.
pub fn select_rows(frame: &Frame) -> Selection {
    let mut selection = Selection {
        covariate: frame
            .covariates
            .iter()
            .map(|c| (c.name().to_owned(), 0))
            .collect(),
        ..Selection::default()
    };
    for i in 0..frame.rows {
        if frame.outcome.out_of_domain[i] {
            selection.transform += 1;
        } else if frame.outcome.y[i].is_none() {
            selection.outcome += 1;
        } else if frame.genes.iter().any(|g| !g.present(i)) {
            selection.genotype += 1;
        } else if let Some(c) = frame.covariates.iter().position(|c| !c.present(i)) {
            selection.covariate[c].1 += 1;
        } else {
            selection.used.push(i);
        }
    }
    selection
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::frame::{ModelOutcome, Variable};
    use tailor_schemas::model_terms::TermKind;

    #[test]
    fn each_row_counts_under_its_first_reason() {
        let frame = Frame {
            rows: 6,
            outcome: ModelOutcome {
                y: vec![Some(1.0), None, None, Some(2.0), Some(3.0), Some(4.0)],
                out_of_domain: vec![false, false, true, false, false, false],
                event: Vec::new(),
            },
            genes: vec![Variable::Categorical {
                name: "CYP2C9".into(),
                kind: TermKind::Genotype,
                codes: vec![Some(0), None, Some(0), None, Some(0), Some(0)],
                levels: vec!["*1/*1".into()],
                reference: None,
            }],
            covariates: vec![
                Variable::Numeric {
                    name: "height".into(),
                    values: vec![Some(1.0), Some(1.0), None, None, None, Some(1.0)],
                    missing: None,
                },
                Variable::Numeric {
                    name: "weight".into(),
                    values: vec![Some(1.0); 6],
                    missing: None,
                },
            ],
        };
        let s = select_rows(&frame);
        assert_eq!(s.used, [0, 5]);
        assert_eq!((s.outcome, s.transform, s.genotype), (1, 1, 1));
        assert_eq!(
            s.covariate,
            [("height".to_owned(), 1), ("weight".to_owned(), 0)]
        );
    }
}
