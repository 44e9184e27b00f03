//! The model matrix of a model: one named column per term over the rows
//! it uses. Categorical variables are treatment-coded against their
//! reference level (the configured or default one when it occurs among
//! the rows, else the most frequent level, ties to the first in order);
//! levels with no row get no column. Interactions multiply every column
//! of one variable with every column of the other (a numeric variable's
//! missing indicator is not multiplied); an interaction column that is 0
//! in every row (an empty cell) is left out.

use tailor_schemas::model_terms::TermKind;

use super::frame::{Frame, Variable};
use crate::levels::reference_level;

/// The name of the intercept term.
pub const INTERCEPT: &str = "(intercept)";

/// One column of the model matrix and what it codes.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// The term's name (`CYP2C9=*1/*3`, `height`, `a:b`).
    pub name: String,
    /// What it codes.
    pub kind: TermKind,
    /// The gene or covariate (`a:b` for an interaction); `None` for the
    /// intercept.
    pub variable: Option<String>,
    /// The level of a categorical term.
    pub level: Option<String>,
    /// The reference level of a categorical term.
    pub reference: Option<String>,
    /// Value per used row.
    pub values: Vec<f64>,
}

impl Term {
    /// Rows where a 0/1 column is 1; `None` for other columns and the
    /// intercept.
    pub fn ones(&self) -> Option<u64> {
        let binary =
            self.kind != TermKind::Intercept && self.values.iter().all(|&v| v == 0.0 || v == 1.0);
        binary.then(|| self.values.iter().filter(|&&v| v == 1.0).count() as u64)
    }
}

fn indicator(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// The columns of `variable` over `rows`: `main` (interacted) and any
/// missing indicator.
fn variable_terms(variable: &Variable, rows: &[usize]) -> (Vec<Term>, Option<Term>) {
    match variable {
        Variable::Numeric {
            name,
            values,
            missing,
        } => {
            let main = Term {
                name: name.clone(),
                kind: TermKind::Covariate,
                variable: Some(name.clone()),
                level: None,
                reference: None,
                values: rows.iter().map(|&i| values[i].unwrap_or(0.0)).collect(),
            };
            let flag = missing.as_ref().map(|missing| Term {
                name: format!("{name}={}", super::missing::MISSING_LEVEL),
                kind: TermKind::Covariate,
                variable: Some(name.clone()),
                level: Some(super::missing::MISSING_LEVEL.to_owned()),
                reference: Some("observed".to_owned()),
                values: rows.iter().map(|&i| indicator(missing[i])).collect(),
            });
            (vec![main], flag)
        }
        Variable::Categorical {
            name,
            kind,
            codes,
            levels,
            reference,
        } => {
            let preferred = reference
                .as_deref()
                .and_then(|r| levels.iter().position(|l| l == r))
                .map(|r| r as u32);
            let (reference, counts) = reference_level(codes, levels.len(), rows, preferred);
            let reference = reference.map(|r| r as usize);
            let terms = (0..levels.len())
                .filter(|&l| Some(l) != reference && counts[l] > 0)
                .map(|l| Term {
                    name: format!("{name}={}", levels[l]),
                    kind: *kind,
                    variable: Some(name.clone()),
                    level: Some(levels[l].clone()),
                    reference: reference.map(|r| levels[r].clone()),
                    values: rows
                        .iter()
                        .map(|&i| indicator(codes[i] == Some(l as u32)))
                        .collect(),
                })
                .collect();
            (terms, None)
        }
    }
}

/// The terms of a model over the `rows` of `frame`: the intercept (when
/// `intercept`), genes, covariates (each numeric one followed by its
/// missing indicator), then the `interactions` in configured order.
pub fn build_terms(
    frame: &Frame,
    rows: &[usize],
    intercept: bool,
    interactions: &[[String; 2]],
) -> Vec<Term> {
    let mut terms = Vec::new();
    if intercept {
        terms.push(Term {
            name: INTERCEPT.to_owned(),
            kind: TermKind::Intercept,
            variable: None,
            level: None,
            reference: None,
            values: vec![1.0; rows.len()],
        });
    }
    let mut main: Vec<(String, Vec<Term>)> = Vec::new();
    for variable in frame.genes.iter().chain(&frame.covariates) {
        let (columns, flag) = variable_terms(variable, rows);
        terms.extend(columns.iter().cloned());
        terms.extend(flag);
        main.push((variable.name().to_owned(), columns));
    }
    let columns_of = |name: &str| {
        main.iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_slice())
            .unwrap_or_default()
    };
    for [a, b] in interactions {
        for ta in columns_of(a) {
            for tb in columns_of(b) {
                let values: Vec<f64> = ta
                    .values
                    .iter()
                    .zip(&tb.values)
                    .map(|(x, y)| x * y)
                    .collect();
                if values.iter().all(|&v| v == 0.0) {
                    continue;
                }
                let level = match (&ta.level, &tb.level) {
                    (Some(x), Some(y)) => Some(format!("{x}:{y}")),
                    (Some(x), None) | (None, Some(x)) => Some(x.clone()),
                    (None, None) => None,
                };
                let reference = match (&ta.reference, &tb.reference) {
                    (Some(x), Some(y)) => Some(format!("{x}:{y}")),
                    (Some(x), None) | (None, Some(x)) => Some(x.clone()),
                    (None, None) => None,
                };
                terms.push(Term {
                    name: format!("{}:{}", ta.name, tb.name),
                    kind: TermKind::Interaction,
                    variable: Some(format!("{a}:{b}")),
                    level,
                    reference,
                    values,
                });
            }
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::frame::ModelOutcome;

    #[test]
    fn treatment_coding_and_interactions() {
        let frame = Frame {
            rows: 5,
            outcome: ModelOutcome {
                y: vec![Some(0.0); 5],
                out_of_domain: vec![false; 5],
                event: Vec::new(),
            },
            genes: vec![Variable::Categorical {
                name: "G".into(),
                kind: TermKind::Genotype,
                codes: vec![Some(0), Some(1), Some(1), Some(2), Some(0)],
                levels: vec!["*1/*1".into(), "*1/*2".into(), "unknown".into()],
                reference: Some("*1/*1".into()),
            }],
            covariates: vec![Variable::Numeric {
                name: "x".into(),
                values: vec![Some(1.0), Some(2.0), Some(0.0), Some(0.0), Some(0.0)],
                missing: Some(vec![false, false, true, false, false]),
            }],
        };
        let interactions = [["G".to_owned(), "x".to_owned()]];
        let terms = build_terms(&frame, &[0, 1, 2, 3, 4], true, &interactions);
        let names: Vec<&str> = terms.iter().map(|t| t.name.as_str()).collect();
        // G=unknown:x is 0 in every row: an empty cell, left out.
        assert_eq!(
            names,
            [
                "(intercept)",
                "G=*1/*2",
                "G=unknown",
                "x",
                "x=missing",
                "G=*1/*2:x"
            ]
        );
        assert_eq!(terms[1].values, [0.0, 1.0, 1.0, 0.0, 0.0]);
        assert_eq!(terms[1].reference.as_deref(), Some("*1/*1"));
        assert_eq!(terms[5].values, [0.0, 2.0, 0.0, 0.0, 0.0]);
        assert_eq!(terms[5].kind, TermKind::Interaction);
        assert_eq!((terms[4].ones(), terms[3].ones()), (Some(1), None));
        assert_eq!(terms[0].ones(), None);
        // Without the configured reference among the rows: the most frequent.
        let only = build_terms(&frame, &[1, 2, 3], false, &[]);
        assert_eq!(only[0].name, "G=unknown");
        assert_eq!(only[0].reference.as_deref(), Some("*1/*2"));
    }
}
