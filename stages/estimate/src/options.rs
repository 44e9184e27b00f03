//! The `[estimate]` section of tailor.toml: what to compare and how.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tailor_schemas::subgroup_effects::EffectModel;

/// How patients are grouped within a gene.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// CPIC phenotype (`<GENE>_phenotype`); genes whose phenotype column is
    /// entirely empty fall back to diplotype.
    #[default]
    Phenotype,
    /// Diplotype (`<GENE>_diplotype`); ambiguous calls are excluded.
    Diplotype,
    /// Activity score: each value, or the bins of `activity_score_bins`.
    ActivityScore,
    /// Carrier of a no- or decreased-function allele, read from the
    /// phenotype: Intermediate/Poor metabolizer and Decreased/Poor/Possible
    /// decreased function are `carrier`; Normal, Rapid, Ultrarapid and
    /// Increased are `non_carrier`; anything else is excluded.
    Carrier,
}

impl Grouping {
    /// The name written to the `grouping` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phenotype => "phenotype",
            Self::Diplotype => "diplotype",
            Self::ActivityScore => "activity_score",
            Self::Carrier => "carrier",
        }
    }
}

/// A confounding-controlled estimator of therapy effects, beside the
/// regression model (`weighting` in `[estimate]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// Inverse-probability weighting with propensity scores.
    Ipw,
    /// Augmented IPW (doubly robust): propensity and outcome models.
    Aipw,
}

impl Weighting {
    /// The estimation method written to the `model` column.
    pub fn model(self) -> EffectModel {
        match self {
            Self::Ipw => EffectModel::Ipw,
            Self::Aipw => EffectModel::Aipw,
        }
    }

    /// The name in the config, which is the `model` column's value.
    pub fn as_str(self) -> &'static str {
        self.model().as_str()
    }
}

/// Which adjusted estimate of a therapy contrast carries the verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictEstimator {
    /// The covariate-adjusted regression model (the default).
    #[default]
    Regression,
    /// The IPW estimate (risk or mean difference).
    Ipw,
    /// The AIPW estimate (risk or mean difference).
    Aipw,
}

impl VerdictEstimator {
    /// The weighting this estimator needs, if any.
    pub fn weighting(self) -> Option<Weighting> {
        match self {
            Self::Regression => None,
            Self::Ipw => Some(Weighting::Ipw),
            Self::Aipw => Some(Weighting::Aipw),
        }
    }
}

/// Options of `tailor estimate`, deserialised from `[estimate]`.
///
/// ```
/// let options: tailor_estimate::Options = toml::from_str(r#"
///     comparator = "ticagrelor"
///     covariates = ["age", "pc1"]
///     fdr = 0.05
///     [reference_subgroups]
///     CYP2C19 = "Normal Metabolizer"
/// "#).unwrap();
/// assert_eq!(options.comparator.as_deref(), Some("ticagrelor"));
/// assert_eq!(options.suppression_threshold, 10);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Subgroups: `phenotype` (default), `diplotype`, `activity_score`,
    /// `carrier`.
    pub grouping: Grouping,
    /// Grouping per gene, overriding `grouping` (e.g. `CYP2D6 =
    /// "activity_score"`).
    pub gene_grouping: BTreeMap<String, Grouping>,
    /// Activity-score bin edges (ascending); a bin is `[a, b)`, the last
    /// `[a, inf)`. Empty: each observed score is its own subgroup.
    pub activity_score_bins: Vec<f64>,
    /// The reference therapy every other therapy is compared with. None:
    /// every pair of therapies (`a vs b` with a < b alphabetically).
    pub comparator: Option<String>,
    /// Reference subgroup per gene (e.g. `CYP2C19 = "Normal Metabolizer"`).
    /// Default: normal function (Normal Metabolizer, Normal Function,
    /// Normal), the reference-allele homozygote (`*1/*1`, CYP2C19
    /// `*38/*38`, `Reference/Reference`), activity score 2 (its bin) or
    /// `non_carrier`; with none of these, no reference (never the largest
    /// subgroup).
    pub reference_subgroups: BTreeMap<String, String>,
    /// Subgroups to show as one, per gene (e.g. `CYP2C19 = [["Rapid
    /// Metabolizer", "Ultrarapid Metabolizer"]]` gives `Rapid+Ultrarapid
    /// Metabolizer`). Labels absent from the cohort are ignored.
    pub merge_subgroups: BTreeMap<String, Vec<Vec<String>>>,
    /// Display order of a gene's subgroups, replacing the functional
    /// order (most function first); a small subgroup merges along it.
    /// Labels not listed follow, off the order.
    pub subgroup_order: BTreeMap<String, Vec<String>>,
    /// A subgroup with a cell small-cell suppression would hide merges
    /// into its neighbour toward the reference (or, off the functional
    /// order, drops out with a note) instead of being suppressed with
    /// complementary suppression through its gene. Default true.
    pub merge_small_subgroups: bool,
    /// False discovery rate for the verdicts (BH within each family).
    pub fdr: f64,
    /// Confidence level of every interval.
    pub confidence_level: f64,
    /// Counts from 1 to this value are suppressed (0 disables suppression,
    /// with a warning in the output metadata).
    pub suppression_threshold: u64,
    /// Horizon for Kaplan-Meier survival, in the outcome's time unit.
    pub km_horizon: Option<f64>,
    /// HC3 standard errors for linear regression (continuous outcomes).
    pub hc3: bool,
    /// Covariates of the adjusted models (cohort covariate names). Empty:
    /// no adjusted rows (the interaction test is still run).
    pub covariates: Vec<String>,
    /// Genes to analyse (empty: every gene in the cohort).
    pub genes: Vec<String>,
    /// Outcomes to analyse (empty: every outcome in the cohort).
    pub outcomes: Vec<String>,
    /// Keep CYP2D6 calls made from SNVs alone (flag `snv_only`, source
    /// `vcf`): they cannot see *5 or duplications. Default false.
    pub include_cyp2d6_snv_only: bool,
    /// ATC code of therapies whose name is not a CPIC drug name
    /// (e.g. `Plavix = "B01AC04"`), for matching the confirmatory family.
    pub therapy_atc: BTreeMap<String, String>,
    /// Count a `Likely X` phenotype as `X` (CPIC's own convention: its
    /// recommendations for a likely phenotype are those of the phenotype).
    /// Default true; false keeps them apart.
    pub merge_likely: bool,
    /// Confounding-controlled estimators of therapy contrasts within each
    /// subgroup, beside the regression (`["ipw", "aipw"]`); they need
    /// `covariates` (the propensity and outcome models' terms). Binary and
    /// continuous outcomes. Empty (default): none.
    pub weighting: Vec<Weighting>,
    /// The estimate a therapy contrast's verdict uses: `regression`
    /// (default), `ipw` or `aipw` (which must then be in `weighting`).
    pub verdict_estimator: VerdictEstimator,
    /// Percentiles (0-100) of the pooled inverse-probability weights of a
    /// comparison at which extreme weights are truncated. Default [1, 99].
    pub weight_truncation: [f64; 2],
    /// Missing-value policy per covariate of the adjusted subgroup-effect
    /// models (`missing = { amiodarone = 0, race = "indicator" }`): complete
    /// case (the default; the rows dropped are counted in
    /// `n_excluded_covariate`), a missing indicator, or a fill value or
    /// level, as in an explicit model. Names must be in `covariates`.
    pub missing: BTreeMap<String, crate::MissingPolicy>,
    /// Explicit models (`[[estimate.models]]`), written to `models.parquet`
    /// and `model_terms.parquet`. Empty (default): none.
    pub models: Vec<crate::ModelSpec>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            grouping: Grouping::Phenotype,
            gene_grouping: BTreeMap::new(),
            activity_score_bins: Vec::new(),
            comparator: None,
            reference_subgroups: BTreeMap::new(),
            merge_subgroups: BTreeMap::new(),
            subgroup_order: BTreeMap::new(),
            merge_small_subgroups: true,
            fdr: 0.05,
            confidence_level: 0.95,
            suppression_threshold: 10,
            km_horizon: None,
            hc3: false,
            covariates: Vec::new(),
            genes: Vec::new(),
            outcomes: Vec::new(),
            include_cyp2d6_snv_only: false,
            therapy_atc: BTreeMap::new(),
            merge_likely: true,
            weighting: Vec::new(),
            verdict_estimator: VerdictEstimator::Regression,
            weight_truncation: [1.0, 99.0],
            missing: BTreeMap::new(),
            models: Vec::new(),
        }
    }
}

impl Options {
    /// A builder starting from the defaults.
    pub fn builder() -> OptionsBuilder {
        OptionsBuilder::default()
    }

    /// The grouping of `gene`: its own, else `grouping`.
    pub fn grouping_of(&self, gene: &str) -> Grouping {
        self.gene_grouping
            .get(gene)
            .copied()
            .unwrap_or(self.grouping)
    }
}

/// Builds [`Options`] step by step.
#[derive(Clone, Debug, Default)]
pub struct OptionsBuilder {
    options: Options,
}

impl OptionsBuilder {
    /// Sets the grouping.
    pub fn grouping(mut self, grouping: Grouping) -> Self {
        self.options.grouping = grouping;
        self
    }
    /// Sets the comparator therapy.
    pub fn comparator(mut self, therapy: impl Into<String>) -> Self {
        self.options.comparator = Some(therapy.into());
        self
    }
    /// Sets the covariates of the adjusted models.
    pub fn covariates(mut self, names: Vec<String>) -> Self {
        self.options.covariates = names;
        self
    }
    /// Sets the suppression threshold (0 disables suppression).
    pub fn suppression_threshold(mut self, k: u64) -> Self {
        self.options.suppression_threshold = k;
        self
    }
    /// Sets the Kaplan-Meier horizon.
    pub fn km_horizon(mut self, horizon: f64) -> Self {
        self.options.km_horizon = Some(horizon);
        self
    }
    /// Sets the false discovery rate.
    pub fn fdr(mut self, fdr: f64) -> Self {
        self.options.fdr = fdr;
        self
    }
    /// Sets HC3 errors for linear regression.
    pub fn hc3(mut self, on: bool) -> Self {
        self.options.hc3 = on;
        self
    }
    /// Sets the weighted estimators and the one the verdict uses.
    pub fn weighting(mut self, estimators: Vec<Weighting>, verdict: VerdictEstimator) -> Self {
        self.options.weighting = estimators;
        self.options.verdict_estimator = verdict;
        self
    }
    /// Sets the weight truncation percentiles.
    pub fn weight_truncation(mut self, lower: f64, upper: f64) -> Self {
        self.options.weight_truncation = [lower, upper];
        self
    }
    /// Sets a gene's reference subgroup.
    pub fn reference_subgroup(
        mut self,
        gene: impl Into<String>,
        subgroup: impl Into<String>,
    ) -> Self {
        self.options
            .reference_subgroups
            .insert(gene.into(), subgroup.into());
        self
    }
    /// Sets a gene's own grouping.
    pub fn gene_grouping(mut self, gene: impl Into<String>, grouping: Grouping) -> Self {
        self.options.gene_grouping.insert(gene.into(), grouping);
        self
    }
    /// Sets the subgroups of a gene shown as one.
    pub fn merge_subgroups(mut self, gene: impl Into<String>, merges: Vec<Vec<String>>) -> Self {
        self.options.merge_subgroups.insert(gene.into(), merges);
        self
    }
    /// Sets the display order of a gene's subgroups.
    pub fn subgroup_order(mut self, gene: impl Into<String>, order: Vec<String>) -> Self {
        self.options.subgroup_order.insert(gene.into(), order);
        self
    }
    /// Sets whether a too-small subgroup merges into its neighbour.
    pub fn merge_small_subgroups(mut self, on: bool) -> Self {
        self.options.merge_small_subgroups = on;
        self
    }
    /// The options.
    pub fn build(self) -> Options {
        self.options
    }
}
