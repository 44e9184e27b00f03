//! The rows of `subgroup_effects.parquet` and `subgroup_rates.parquet` the
//! report shows, read into typed values.

use std::collections::BTreeMap;
use std::path::Path;

use tailor_schemas::status::ModelStatus;
use tailor_schemas::subgroup_effects as col;
use tailor_schemas::subgroup_effects::{
    ContrastKind, EffectModel, Family, InteractionMethod, Measure, Verdict,
};
use tailor_schemas::subgroup_rates as rates;
use tailor_tables::Table;

use crate::columns::{number_at, text_at, Columns};
use crate::Result;

/// One primary row of the effects table: the estimate a verdict is based
/// on, for one subgroup of one test.
#[derive(Clone, Debug, PartialEq)]
pub struct EffectRow {
    /// HGNC gene symbol.
    pub gene: String,
    /// How subgroups are formed (`phenotype`, `carrier`, ...).
    pub grouping: String,
    /// Therapy or subgroup contrast.
    pub kind: ContrastKind,
    /// Readable contrast, e.g. `clopidogrel vs ticagrelor`.
    pub contrast: String,
    /// The subgroup (stratum, or arm 1 of a subgroup contrast).
    pub subgroup: String,
    /// The gene's reference subgroup (subgroup contrasts).
    pub reference_subgroup: Option<String>,
    /// The therapy (arm 1, or the stratum of a subgroup contrast).
    pub therapy: String,
    /// The comparator therapy (therapy contrasts).
    pub comparator: Option<String>,
    /// Outcome name.
    pub outcome: String,
    /// `binary`, `continuous` or `time_to_event`.
    pub outcome_kind: String,
    /// Effect measure.
    pub measure: Measure,
    /// Whether covariate-adjusted.
    pub adjusted: bool,
    /// Covariates of the adjusted model.
    pub covariates: Option<String>,
    /// Estimation method.
    pub model: EffectModel,
    /// The estimate, when shown.
    pub effect: Option<f64>,
    /// Lower confidence bound.
    pub ci_low: Option<f64>,
    /// Upper confidence bound.
    pub ci_high: Option<f64>,
    /// p-value of the effect.
    pub p_value: Option<f64>,
    /// Interaction test p-value.
    pub interaction_p: Option<f64>,
    /// Interaction test method.
    pub interaction_method: Option<InteractionMethod>,
    /// Benjamini-Hochberg q-value of the interaction within its family.
    pub interaction_q: Option<f64>,
    /// The multiplicity family.
    pub family: Family,
    /// CPIC level of the pair, when confirmatory.
    pub cpic_level: Option<String>,
    /// The verdict, when one is given.
    pub verdict: Option<Verdict>,
    /// Estimation status.
    pub status: ModelStatus,
    /// Confidence level of the interval.
    pub confidence_level: Option<f64>,
    /// Whether the numbers are suppressed (small cells).
    pub suppressed: bool,
}

impl EffectRow {
    /// Whether the measure is a ratio (drawn on a log scale, null at 1).
    pub fn is_ratio(&self) -> bool {
        self.measure.is_ratio()
    }

    /// The value of no effect on the measure's scale.
    pub fn null_value(&self) -> f64 {
        self.measure.null_value()
    }

    /// The verdict as a reader says it: the therapy it favours by name.
    pub fn verdict_text(&self) -> String {
        match self.verdict {
            Some(Verdict::FavoursTherapy) => format!("favours {}", self.therapy),
            Some(Verdict::FavoursComparator) => {
                format!(
                    "favours {}",
                    self.comparator.as_deref().unwrap_or("comparator")
                )
            }
            Some(v) => v.as_str().to_owned(),
            None => String::new(),
        }
    }
}

/// The primary rows of the effects table at `path` (the rows verdicts are
/// based on), in table order.
///
/// # Errors
/// The table cannot be read, is not a subgroup_effects table, or lacks a
/// column.
pub fn read_primary_effects(path: &Path, table: &Table) -> Result<Vec<EffectRow>> {
    table.expect_table(path, col::TABLE)?;
    let mut rows = Vec::new();
    for batch in &table.batches {
        let c = Columns::new(batch, path);
        let text = |name| c.text(name);
        let (gene, grouping, kind, contrast) = (
            text(col::GENE)?,
            text(col::GROUPING)?,
            text(col::CONTRAST_KIND)?,
            text(col::CONTRAST)?,
        );
        let (subgroup, reference, therapy, comparator) = (
            text(col::SUBGROUP)?,
            text(col::REFERENCE_SUBGROUP)?,
            text(col::THERAPY)?,
            text(col::COMPARATOR)?,
        );
        let (outcome, outcome_kind, measure, covariates, model) = (
            text(col::OUTCOME)?,
            text(col::OUTCOME_KIND)?,
            text(col::MEASURE)?,
            text(col::COVARIATES)?,
            text(col::MODEL)?,
        );
        let (method, family, cpic, verdict, status) = (
            text(col::INTERACTION_METHOD)?,
            text(col::FAMILY)?,
            text(col::CPIC_LEVEL)?,
            text(col::VERDICT)?,
            text(col::STATUS)?,
        );
        let number = |name| c.number(name);
        let (effect, low, high, p, ip, iq, level) = (
            number(col::EFFECT)?,
            number(col::CI_LOW)?,
            number(col::CI_HIGH)?,
            number(col::P_VALUE)?,
            number(col::INTERACTION_P)?,
            number(col::INTERACTION_Q)?,
            number(col::CONFIDENCE_LEVEL)?,
        );
        let primary = c.boolean(col::PRIMARY)?;
        let adjusted = c.boolean(col::ADJUSTED)?;
        let suppressed = c.boolean(col::SUPPRESSED)?;
        for i in 0..batch.num_rows() {
            if !primary.value(i) {
                continue;
            }
            rows.push(EffectRow {
                gene: gene.value(i).to_owned(),
                grouping: grouping.value(i).to_owned(),
                kind: c.parse(col::CONTRAST_KIND, kind, i, ContrastKind::parse)?,
                contrast: contrast.value(i).to_owned(),
                subgroup: subgroup.value(i).to_owned(),
                reference_subgroup: text_at(reference, i),
                therapy: therapy.value(i).to_owned(),
                comparator: text_at(comparator, i),
                outcome: outcome.value(i).to_owned(),
                outcome_kind: outcome_kind.value(i).to_owned(),
                measure: c.parse(col::MEASURE, measure, i, Measure::parse)?,
                adjusted: adjusted.value(i),
                covariates: text_at(covariates, i),
                model: c.parse(col::MODEL, model, i, EffectModel::parse)?,
                effect: number_at(effect, i),
                ci_low: number_at(low, i),
                ci_high: number_at(high, i),
                p_value: number_at(p, i),
                interaction_p: number_at(ip, i),
                interaction_method: (!arrow_array::Array::is_null(method, i))
                    .then(|| c.parse(col::INTERACTION_METHOD, method, i, InteractionMethod::parse))
                    .transpose()?,
                interaction_q: number_at(iq, i),
                family: c.parse(col::FAMILY, family, i, Family::parse)?,
                cpic_level: text_at(cpic, i),
                verdict: text_at(verdict, i).as_deref().and_then(Verdict::parse),
                status: c.parse(col::STATUS, status, i, ModelStatus::parse)?,
                confidence_level: number_at(level, i),
                suppressed: suppressed.value(i),
            });
        }
    }
    Ok(rows)
}

/// Gene, subgroup, therapy, outcome: the cell of a subgroup_rates row.
pub type RateCell = (String, String, String, String);

/// The episode count `n` of every shown subgroup_rates cell (suppressed
/// cells are left out, so they can never be printed).
///
/// # Errors
/// The table cannot be read, is not a subgroup_rates table, or lacks a
/// column.
pub fn read_shown_counts(path: &Path, table: &Table) -> Result<BTreeMap<RateCell, u64>> {
    table.expect_table(path, rates::TABLE)?;
    let mut counts = BTreeMap::new();
    for batch in &table.batches {
        let c = Columns::new(batch, path);
        let gene = c.text(rates::GENE)?;
        let subgroup = c.text(rates::SUBGROUP)?;
        let therapy = c.text(rates::THERAPY)?;
        let outcome = c.text(rates::OUTCOME)?;
        let suppressed = c.boolean(rates::SUPPRESSED)?;
        let n = batch
            .column_by_name(rates::N)
            .and_then(|a| a.as_any().downcast_ref::<arrow_array::Int64Array>());
        let Some(n) = n else {
            return Err(crate::Error::Column {
                path: path.to_path_buf(),
                column: rates::N.to_owned(),
                kind: "integer",
            });
        };
        for i in 0..batch.num_rows() {
            if suppressed.value(i) || arrow_array::Array::is_null(n, i) {
                continue;
            }
            let Ok(count) = u64::try_from(n.value(i)) else {
                continue;
            };
            counts.insert(
                (
                    gene.value(i).to_owned(),
                    subgroup.value(i).to_owned(),
                    therapy.value(i).to_owned(),
                    outcome.value(i).to_owned(),
                ),
                count,
            );
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::{ContrastKind, EffectModel, EffectRow, Family, Measure, ModelStatus};
    use tailor_schemas::subgroup_effects::Verdict;

    fn row(verdict: Option<Verdict>) -> EffectRow {
        EffectRow {
            gene: "CYP2C19".into(),
            grouping: "carrier".into(),
            kind: ContrastKind::TherapyVsComparator,
            contrast: "clopidogrel vs ticagrelor".into(),
            subgroup: "carrier".into(),
            reference_subgroup: None,
            therapy: "clopidogrel".into(),
            comparator: Some("ticagrelor".into()),
            outcome: "mace".into(),
            outcome_kind: "binary".into(),
            measure: Measure::OddsRatio,
            adjusted: true,
            covariates: None,
            model: EffectModel::LogisticIrls,
            effect: Some(4.75),
            ci_low: Some(2.87),
            ci_high: Some(7.88),
            p_value: None,
            interaction_p: None,
            interaction_method: None,
            interaction_q: None,
            family: Family::Confirmatory,
            cpic_level: Some("A".into()),
            verdict,
            status: ModelStatus::Ok,
            confidence_level: Some(0.95),
            suppressed: false,
        }
    }

    #[test]
    fn verdicts_name_the_therapy_they_favour() {
        let text = |v| row(v).verdict_text();
        assert_eq!(text(Some(Verdict::FavoursComparator)), "favours ticagrelor");
        assert_eq!(text(Some(Verdict::FavoursTherapy)), "favours clopidogrel");
        assert_eq!(text(Some(Verdict::Inconclusive)), "inconclusive");
        assert_eq!(text(None), "");
        assert!(row(None).is_ratio());
        assert_eq!(row(None).null_value(), 1.0);
    }
}
