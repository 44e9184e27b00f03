//! `[estimate] missing`: each covariate's missing-value policy for the
//! adjusted subgroup-effect models, applied to the cohort once with the
//! explicit models' rules ([`crate::models::missing`]). A covariate left
//! complete case keeps its gaps; the rows with one are left out of the
//! adjusted models and counted.

use crate::cohort::{Cohort, Covariate, CovariateValues};
use crate::models::missing::{categorical, numeric, MISSING_LEVEL};
use crate::{Error, MissingPolicy, Options, Result};

/// Applies the configured policies to the cohort's covariates (in
/// `options.covariates` order) and returns every covariate's term name:
/// the configured names, then `NAME=missing` for each numeric covariate
/// under the indicator policy, whose 0/1 column is appended.
///
/// # Errors
/// [`Error::InvalidOption`] when a fill value does not fit the covariate's
/// kind (a number for a categorical covariate, a level for a numeric one).
pub fn apply_policies(cohort: &mut Cohort, options: &Options) -> Result<Vec<String>> {
    let mut names = options.covariates.clone();
    let mut indicators = Vec::new();
    for (name, covariate) in options.covariates.iter().zip(&mut cohort.covariates) {
        let Some(policy) = options.missing.get(name) else {
            continue;
        };
        let mismatch = || Error::InvalidOption {
            setting: "missing",
            value: format!("{{ {name} = {} }}", policy_text(policy)),
            reason: "a number fills a numeric covariate and a level a categorical one",
        };
        match &mut covariate.values {
            CovariateValues::Numeric(values) => {
                let filled = numeric(values, policy).ok_or_else(mismatch)?;
                *values = filled.values;
                if let Some(missing) = filled.missing {
                    names.push(format!("{name}={MISSING_LEVEL}"));
                    indicators.push(Covariate {
                        values: CovariateValues::Numeric(
                            missing
                                .iter()
                                .map(|&m| Some(f64::from(u8::from(m))))
                                .collect(),
                        ),
                    });
                }
            }
            CovariateValues::Categorical { codes, levels, .. } => {
                let filled = categorical(codes, levels, policy).ok_or_else(mismatch)?;
                *codes = filled.codes;
                *levels = filled.levels;
            }
        }
    }
    cohort.covariates.extend(indicators);
    Ok(names)
}

fn policy_text(policy: &MissingPolicy) -> String {
    serde_json::to_string(policy).unwrap_or_default()
}
