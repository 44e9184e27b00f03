//! The output columns a configuration asks for, and the input column each
//! one is read from.

use std::collections::HashSet;

use tailor_schemas::cohort::{
    self, CohortRoles, CovariateKind, CovariateRole, OutcomeKind, OutcomeRole,
};

use crate::bands::Bands;
use crate::config::{JoinConfig, Therapy};
use crate::error::{ConfigProblem, Error, Result};

/// How one slot's cells are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SlotKind {
    /// Free text (therapy, declared categorical covariate).
    Text,
    /// Yes/no (binary outcome, event indicator).
    Binary,
    /// A number (continuous outcome, numeric covariate).
    Number,
    /// A non-negative number (follow-up time).
    Time,
    /// A covariate whose kind is inferred from its values.
    Auto,
}

/// One output value column (not the id columns, not the gene columns).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Slot {
    /// Output column name.
    pub output: String,
    /// Input column name (for a constant, how the report names it:
    /// `= "warfarin"`).
    pub input: String,
    /// The value of every row, when the configuration gives one instead of
    /// a column.
    pub constant: Option<String>,
    /// How cells are read.
    pub kind: SlotKind,
    /// Role, as reported (`therapy`, `outcome`, `covariate`).
    pub role: &'static str,
    /// How bands read as numbers, for a covariate that says so.
    pub bands: Option<Bands>,
}

/// The slots of a configuration, in output order: therapy, outcomes,
/// covariates.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    pub slots: Vec<Slot>,
}

/// Index of the therapy slot.
pub(crate) const THERAPY_SLOT: usize = 0;

impl Layout {
    /// The slots of `config`, checking output names are distinct.
    pub(crate) fn new(config: &JoinConfig) -> Result<Self> {
        let (input, constant) = match &config.therapy {
            Therapy::Column(column) => (column.clone(), None),
            Therapy::Constant(c) => (format!("= {:?}", c.value), Some(c.value.clone())),
        };
        let mut slots = vec![Slot {
            output: cohort::THERAPY.to_owned(),
            input,
            constant,
            kind: SlotKind::Text,
            role: "therapy",
            bands: None,
        }];
        for outcome in &config.outcomes {
            match outcome.kind {
                OutcomeKind::Binary | OutcomeKind::Continuous => slots.push(Slot {
                    output: outcome.name.clone(),
                    input: outcome.value_column().to_owned(),
                    kind: if outcome.kind == OutcomeKind::Binary {
                        SlotKind::Binary
                    } else {
                        SlotKind::Number
                    },
                    constant: None,
                    role: "outcome",
                    bands: None,
                }),
                OutcomeKind::TimeToEvent => {
                    let role = OutcomeRole {
                        name: outcome.name.clone(),
                        kind: outcome.kind,
                        higher_is_better: outcome.higher_is_better,
                        unit: None,
                    };
                    slots.push(Slot {
                        output: role.time_column(),
                        input: outcome.time_input(),
                        constant: None,
                        kind: SlotKind::Time,
                        role: "outcome time",
                        bands: None,
                    });
                    slots.push(Slot {
                        output: role.event_column(),
                        input: outcome.event_input(),
                        constant: None,
                        kind: SlotKind::Binary,
                        role: "outcome event",
                        bands: None,
                    });
                }
            }
        }
        for covariate in &config.covariates {
            let bands = Bands::new(covariate.bands, &covariate.band_values);
            let kind = match (covariate.kind, &bands) {
                (Some(CovariateKind::Categorical), Some(_)) => {
                    return Err(Error::Config {
                        problem: ConfigProblem::BandsOnCategorical {
                            name: covariate.name.clone(),
                        },
                    })
                }
                (Some(CovariateKind::Numeric), _) | (None, Some(_)) => SlotKind::Number,
                (Some(CovariateKind::Categorical), None) => SlotKind::Text,
                (None, None) => SlotKind::Auto,
            };
            slots.push(Slot {
                output: covariate.name.clone(),
                input: covariate.input_column().to_owned(),
                kind,
                constant: None,
                role: "covariate",
                bands,
            });
        }
        let mut seen: HashSet<&str> = [cohort::PATIENT_ID, cohort::EPISODE_ID].into();
        for slot in &slots {
            if slot.output.trim().is_empty() {
                return Err(Error::Config {
                    problem: ConfigProblem::EmptyName,
                });
            }
            if !seen.insert(&slot.output) {
                return Err(Error::Config {
                    problem: ConfigProblem::DuplicateOutputColumn {
                        name: slot.output.clone(),
                    },
                });
            }
        }
        Ok(Self { slots })
    }

    /// The roles written with the table, once covariate kinds are known.
    pub(crate) fn roles(
        config: &JoinConfig,
        covariate_kinds: &[CovariateKind],
        genes: &[String],
    ) -> CohortRoles {
        CohortRoles {
            outcomes: config
                .outcomes
                .iter()
                .map(|o| OutcomeRole {
                    name: o.name.clone(),
                    kind: o.kind,
                    higher_is_better: o.higher_is_better,
                    unit: o.unit.clone(),
                })
                .collect(),
            covariates: config
                .covariates
                .iter()
                .zip(covariate_kinds)
                .map(|(c, kind)| CovariateRole {
                    name: c.name.clone(),
                    kind: *kind,
                    reference: c.reference.clone(),
                })
                .collect(),
            genes: genes.to_vec(),
        }
    }
}

/// Checks that no gene column collides with another output column.
pub(crate) fn check_gene_columns(layout: &Layout, genes: &[String]) -> Result<()> {
    let mut seen: HashSet<String> = layout.slots.iter().map(|s| s.output.clone()).collect();
    seen.insert(cohort::PATIENT_ID.to_owned());
    seen.insert(cohort::EPISODE_ID.to_owned());
    for gene in genes {
        for field in cohort::GENE_FIELDS {
            let name = cohort::gene_column(gene, field);
            if !seen.insert(name.clone()) {
                return Err(Error::Config {
                    problem: ConfigProblem::DuplicateOutputColumn { name },
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CovariateConfig, OutcomeConfig};

    fn outcome(name: &str, kind: OutcomeKind) -> OutcomeConfig {
        OutcomeConfig {
            name: name.into(),
            kind,
            column: None,
            time_column: None,
            event_column: None,
            higher_is_better: false,
            unit: None,
        }
    }

    #[test]
    fn slots_follow_output_order() {
        let mut config = JoinConfig::new("id", "drug");
        config
            .outcomes
            .push(outcome("os", OutcomeKind::TimeToEvent));
        config.outcomes.push(outcome("bleed", OutcomeKind::Binary));
        config.covariates.push(CovariateConfig {
            name: "age".into(),
            kind: None,
            column: Some("Age".into()),
            reference: None,
            bands: None,
            band_values: Default::default(),
        });
        let layout = Layout::new(&config).unwrap();
        let names: Vec<_> = layout
            .slots
            .iter()
            .map(|s| (s.output.as_str(), s.input.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("therapy", "drug"),
                ("os_time", "os_time"),
                ("os_event", "os_event"),
                ("bleed", "bleed"),
                ("age", "Age")
            ]
        );
        assert_eq!(layout.slots[4].kind, SlotKind::Auto);
    }

    #[test]
    fn duplicate_output_names_are_refused() {
        let mut config = JoinConfig::new("id", "drug");
        config
            .outcomes
            .push(outcome("therapy", OutcomeKind::Binary));
        assert!(matches!(
            Layout::new(&config),
            Err(Error::Config {
                problem: ConfigProblem::DuplicateOutputColumn { .. }
            })
        ));
        let mut config = JoinConfig::new("id", "drug");
        config.covariates.push(CovariateConfig {
            name: "CYP2C19_phenotype".into(),
            kind: None,
            column: None,
            reference: None,
            bands: None,
            band_values: Default::default(),
        });
        let layout = Layout::new(&config).unwrap();
        assert!(check_gene_columns(&layout, &["CYP2C19".into()]).is_err());
    }
}
