//! One `[[estimate.models]]` entry: the model as configured, and the
//! checks that need no cohort (names that must refer to the model's own
//! terms, families that need no transform).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tailor_schemas::models::{ModelFamily, OutcomeTransform};

use crate::Grouping;

/// What a missing genotype group (no call, ambiguous, ...) does to a row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownGenotype {
    /// The row is left out (complete case; the default).
    #[default]
    Exclude,
    /// The row is kept in an `unknown` level of the gene.
    Level,
}

/// What a missing covariate value does to a row (`missing` in a model).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum MissingPolicy {
    /// The row is left out, and counted (the default).
    #[default]
    CompleteCase,
    /// The row is kept: a numeric covariate is set to 0 with a 0/1
    /// `NAME=missing` column beside it; a categorical one gets a `missing`
    /// level.
    Indicator,
    /// A numeric covariate reads as this value (`0`: not recorded means not
    /// taken).
    Fill(f64),
    /// A categorical covariate reads as this level.
    FillLevel(String),
}

const COMPLETE_CASE: &str = "complete_case";
const INDICATOR: &str = "indicator";

impl Serialize for MissingPolicy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::CompleteCase => serializer.serialize_str(COMPLETE_CASE),
            Self::Indicator => serializer.serialize_str(INDICATOR),
            Self::Fill(value) => serializer.serialize_f64(*value),
            Self::FillLevel(level) => serializer.serialize_str(level),
        }
    }
}

impl<'de> Deserialize<'de> for MissingPolicy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(f64),
            Text(String),
        }
        match Raw::deserialize(deserializer).map_err(|_| {
            serde::de::Error::custom(
                "missing: expected \"complete_case\", \"indicator\", a number or a level",
            )
        })? {
            Raw::Number(value) if value.is_finite() => Ok(Self::Fill(value)),
            Raw::Number(_) => Err(serde::de::Error::custom(
                "missing: a fill value must be finite",
            )),
            Raw::Text(text) => Ok(match text.as_str() {
                COMPLETE_CASE => Self::CompleteCase,
                INDICATOR => Self::Indicator,
                _ => Self::FillLevel(text),
            }),
        }
    }
}

/// A covariate computed from others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedCovariate {
    /// 1 when any of these numeric covariates is non-zero, 0 when all are
    /// 0, missing otherwise (a component's numeric `missing` fill applies
    /// first).
    pub any_of: Vec<String>,
}

/// One explicit model (`[[estimate.models]]`).
///
/// ```
/// let spec: tailor_estimate::ModelSpec = toml::from_str(r#"
///     name = "warfarin_dose"
///     family = "ols"
///     outcome = "weekly_dose"
///     transform = "sqrt"
///     genes = ["VKORC1", "CYP2C9"]
///     unknown_genotype = "level"
///     covariates = ["age_decades", "inducer", "amiodarone"]
///     derived = { inducer = { any_of = ["carbamazepine", "phenytoin"] } }
///     missing = { amiodarone = 0 }
/// "#).unwrap();
/// assert!(spec.check().is_ok());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// The model's name in the output tables.
    pub name: String,
    /// `ols` (continuous outcome), `logistic` (binary) or `cox` (time to
    /// event).
    pub family: ModelFamily,
    /// The outcome (a cohort outcome).
    pub outcome: String,
    /// `none` (default), `log` or `sqrt` (OLS only).
    #[serde(default)]
    pub transform: OutcomeTransform,
    /// Genes whose genotype groups are terms, jointly.
    #[serde(default)]
    pub genes: Vec<String>,
    /// How a gene's genotype groups are formed (default: `[estimate]
    /// grouping`).
    #[serde(default)]
    pub grouping: Option<Grouping>,
    /// `exclude` (default) or `level`.
    #[serde(default)]
    pub unknown_genotype: UnknownGenotype,
    /// Covariates: cohort covariates or names in `derived`.
    #[serde(default)]
    pub covariates: Vec<String>,
    /// Pairs of genes or covariates of the model whose product is a term.
    #[serde(default)]
    pub interactions: Vec<[String; 2]>,
    /// Covariates computed from cohort covariates.
    #[serde(default)]
    pub derived: BTreeMap<String, DerivedCovariate>,
    /// Missing-value policy per covariate (default complete case).
    #[serde(default)]
    pub missing: BTreeMap<String, MissingPolicy>,
    /// Reference level per gene or categorical covariate (default: the
    /// gene's reference subgroup, the covariate's configured reference,
    /// else the most frequent level).
    #[serde(default)]
    pub reference: BTreeMap<String, String>,
}

/// A problem with a model's configuration: the key and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecProblem {
    /// The key (`interactions`, `missing`, ...).
    pub key: &'static str,
    /// What is wrong and how to fix it.
    pub problem: String,
}

impl ModelSpec {
    /// Whether `name` is a gene or covariate of the model.
    fn has_term(&self, name: &str) -> bool {
        self.genes.iter().any(|g| g == name) || self.covariates.iter().any(|c| c == name)
    }

    /// Checks what can be checked without the cohort.
    ///
    /// # Errors
    /// A [`SpecProblem`] naming the key: a transform on a logistic or Cox
    /// model, an interaction, missing policy, reference or derived
    /// covariate naming no term of the model, a term named twice, a
    /// derived covariate with no components or naming itself.
    pub fn check(&self) -> Result<(), SpecProblem> {
        let problem = |key, problem: String| Err(SpecProblem { key, problem });
        if self.name.trim().is_empty() {
            return problem("name", "a model needs a name".to_owned());
        }
        if self.family != ModelFamily::Ols && self.transform != OutcomeTransform::None {
            return problem(
                "transform",
                format!(
                    "model {:?}: transform {:?} applies to OLS only",
                    self.name,
                    self.transform.as_str()
                ),
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        for name in self.genes.iter().chain(&self.covariates) {
            if !seen.insert(name) {
                return problem(
                    "covariates",
                    format!("model {:?}: {name:?} is named twice", self.name),
                );
            }
        }
        for pair in &self.interactions {
            for name in pair {
                if !self.has_term(name) {
                    return problem(
                        "interactions",
                        format!(
                            "model {:?}: {name:?} is not one of its genes or covariates; add it to genes or covariates",
                            self.name
                        ),
                    );
                }
            }
            if pair[0] == pair[1] {
                return problem(
                    "interactions",
                    format!("model {:?}: {:?} interacts with itself", self.name, pair[0]),
                );
            }
        }
        for name in self.missing.keys() {
            let component = self.derived.values().any(|d| d.any_of.contains(name));
            if !self.covariates.contains(name) && !component {
                return problem(
                    "missing",
                    format!(
                        "model {:?}: {name:?} is not one of its covariates (or of a derived covariate's any_of)",
                        self.name
                    ),
                );
            }
        }
        for name in self.reference.keys() {
            if !self.has_term(name) {
                return problem(
                    "reference",
                    format!(
                        "model {:?}: {name:?} is not one of its genes or covariates",
                        self.name
                    ),
                );
            }
        }
        for (name, derived) in &self.derived {
            if !self.covariates.contains(name) {
                return problem(
                    "derived",
                    format!(
                        "model {:?}: derived covariate {name:?} is not in covariates; add it there",
                        self.name
                    ),
                );
            }
            if derived.any_of.is_empty() || derived.any_of.contains(name) {
                return problem(
                    "derived",
                    format!(
                        "model {:?}: derived covariate {name:?} needs any_of = [other covariates]",
                        self.name
                    ),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> ModelSpec {
        let base = "name = \"m\"\nfamily = \"ols\"\noutcome = \"y\"\n";
        toml::from_str(&format!("{base}{text}")).expect("spec")
    }

    #[test]
    fn missing_policies_read_words_numbers_and_levels() {
        let s = spec("covariates = [\"a\", \"b\", \"c\", \"d\"]\nmissing = { a = 0, b = \"indicator\", c = \"complete_case\", d = \"Other\" }\n");
        assert_eq!(s.missing["a"], MissingPolicy::Fill(0.0));
        assert_eq!(s.missing["b"], MissingPolicy::Indicator);
        assert_eq!(s.missing["c"], MissingPolicy::CompleteCase);
        assert_eq!(s.missing["d"], MissingPolicy::FillLevel("Other".into()));
        assert_eq!(s.check(), Ok(()));
        let back = toml::to_string(&s).expect("serialises");
        assert_eq!(toml::from_str::<ModelSpec>(&back).expect("reads back"), s);
        assert!(toml::from_str::<ModelSpec>(
            "name = \"m\"\nfamily = \"ols\"\noutcome = \"y\"\nmissing = { a = true }\n"
        )
        .is_err());
    }

    #[test]
    fn checks_name_the_key() {
        let key = |text: &str| spec(text).check().err().map(|p| p.key);
        assert_eq!(
            key("covariates = [\"a\"]\ninteractions = [[\"a\", \"b\"]]"),
            Some("interactions")
        );
        assert_eq!(
            key("covariates = [\"a\"]\nmissing = { b = 0 }"),
            Some("missing")
        );
        assert_eq!(
            key("covariates = [\"a\"]\nreference = { b = \"x\" }"),
            Some("reference")
        );
        assert_eq!(
            key("derived = { d = { any_of = [\"a\"] } }"),
            Some("derived")
        );
        assert_eq!(
            key("covariates = [\"d\"]\nderived = { d = { any_of = [] } }"),
            Some("derived")
        );
        assert_eq!(key("covariates = [\"a\", \"a\"]"), Some("covariates"));
        assert_eq!(
            key(
                "covariates = [\"d\"]\nderived = { d = { any_of = [\"a\"] } }\nmissing = { a = 0 }"
            ),
            None
        );
        let cox: ModelSpec = toml::from_str(
            "name = \"m\"\nfamily = \"cox\"\noutcome = \"t\"\ntransform = \"log\"\n",
        )
        .expect("spec");
        assert_eq!(cox.check().err().map(|p| p.key), Some("transform"));
        assert!(toml::from_str::<ModelSpec>(
            "name = \"m\"\nfamily = \"ols\"\noutcome = \"y\"\ncovariate = []\n"
        )
        .is_err());
    }
}
