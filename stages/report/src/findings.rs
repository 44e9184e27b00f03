//! The interaction tests of the effects table as the page shows them: one
//! forest plot per gene x contrast x outcome, with its subgroup rows, the
//! interaction p and q, the family and the verdicts.

use std::collections::BTreeMap;

use serde::Serialize;
use tailor_schemas::subgroup_effects::{ContrastKind, Family, Verdict};

use crate::charts::{forest_plot, ForestPoint};
use crate::effects::{EffectRow, RateCell};
use crate::numbers::{estimate_text, p_text};
use crate::Result;

/// A CPIC guideline fact for a gene x therapy pair.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Guideline {
    /// CPIC level (`A`, `A/B`, `B`).
    pub level: String,
    /// FDA label status (`Testing required`, `Actionable PGx`, ...).
    pub fda_label: Option<String>,
    /// The guideline's address.
    pub url: Option<String>,
    /// PubMed ids of the guideline publications.
    pub pmids: Vec<String>,
}

/// One subgroup row under a forest plot.
#[derive(Clone, Debug, Serialize)]
pub struct RowView {
    /// The subgroup.
    pub subgroup: String,
    /// Episodes in arm 1 (therapy, or subgroup), or `-` when not shown.
    pub n_arm1: String,
    /// Episodes in arm 2 (comparator, or reference subgroup), or `-`.
    pub n_arm2: String,
    /// The estimate, or why there is none.
    pub effect: String,
    /// The confidence interval.
    pub ci: String,
    /// The effect's p-value.
    pub p: String,
    /// The verdict, naming the therapy it favours.
    pub verdict: String,
    /// Whether the verdict is conclusive.
    pub conclusive: bool,
}

/// One interaction test: a gene x contrast x outcome.
#[derive(Clone, Debug, Serialize)]
pub struct TestView {
    /// An HTML anchor for the test.
    pub anchor: String,
    /// Whether a therapy contrast (else subgroup vs reference).
    pub therapy_contrast: bool,
    /// HGNC symbol.
    pub gene: String,
    /// How subgroups are formed.
    pub grouping: String,
    /// Readable contrast.
    pub contrast: String,
    /// Arm 1 and arm 2 names, for the table headers.
    pub arms: (String, String),
    /// Outcome name.
    pub outcome: String,
    /// Effect measure.
    pub measure: String,
    /// Estimation method(s) of the rows.
    pub model: String,
    /// Covariates of the adjusted model, if any.
    pub covariates: Option<String>,
    /// The multiplicity family.
    pub family: Family,
    /// Interaction test p-value, as printed.
    pub interaction_p: String,
    /// Interaction q-value within the family, as printed.
    pub interaction_q: String,
    /// Interaction test method.
    pub interaction_method: String,
    /// CPIC facts, for a confirmatory pair.
    pub guideline: Option<Guideline>,
    /// The subgroup rows.
    pub rows: Vec<RowView>,
    /// Whether any row has a conclusive verdict.
    pub conclusive: bool,
    /// Whether any estimate is shown (else only the table is).
    pub has_estimates: bool,
    /// The forest plot (inline SVG), when any estimate is shown.
    pub svg: String,
}

/// Groups `rows` into tests (in table order) and draws each.
///
/// # Errors
/// A plot cannot be drawn.
pub fn test_views(
    rows: &[EffectRow],
    counts: &BTreeMap<RateCell, u64>,
    guidelines: &BTreeMap<(String, String), Guideline>,
) -> Result<Vec<TestView>> {
    let mut order: Vec<(ContrastKind, String, String, String)> = Vec::new();
    let mut groups: BTreeMap<(ContrastKind, String, String, String), Vec<&EffectRow>> =
        BTreeMap::new();
    for row in rows {
        let key = (
            row.kind,
            row.gene.clone(),
            row.contrast.clone(),
            row.outcome.clone(),
        );
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(row);
    }
    order
        .iter()
        .enumerate()
        .map(|(i, key)| test_view(i, &groups[key], counts, guidelines))
        .collect()
}

fn test_view(
    index: usize,
    rows: &[&EffectRow],
    counts: &BTreeMap<RateCell, u64>,
    guidelines: &BTreeMap<(String, String), Guideline>,
) -> Result<TestView> {
    let first = rows[0];
    let arms = match first.kind {
        ContrastKind::TherapyVsComparator => (
            first.therapy.clone(),
            first.comparator.clone().unwrap_or_default(),
        ),
        ContrastKind::SubgroupVsReference => (
            "subgroup".to_owned(),
            first.reference_subgroup.clone().unwrap_or_default(),
        ),
    };
    let n = |subgroup: &str, therapy: &str| {
        counts
            .get(&(
                first.gene.clone(),
                subgroup.to_owned(),
                therapy.to_owned(),
                first.outcome.clone(),
            ))
            .map_or_else(|| "-".to_owned(), u64::to_string)
    };
    let views: Vec<RowView> = rows
        .iter()
        .map(|row| {
            let (n1, n2) = match row.kind {
                ContrastKind::TherapyVsComparator => (
                    n(&row.subgroup, &row.therapy),
                    n(&row.subgroup, row.comparator.as_deref().unwrap_or_default()),
                ),
                ContrastKind::SubgroupVsReference => (
                    n(&row.subgroup, &row.therapy),
                    n(
                        row.reference_subgroup.as_deref().unwrap_or_default(),
                        &row.therapy,
                    ),
                ),
            };
            row_view(row, n1, n2)
        })
        .collect();
    let points: Vec<ForestPoint> = rows
        .iter()
        .map(|row| ForestPoint {
            label: row_label(row),
            estimate: estimate(row),
            conclusive: is_conclusive(row.verdict),
        })
        .collect();
    let has_estimates = points.iter().any(|p| p.estimate.is_some());
    let title = format!(
        "{} {}: {} ({})",
        first.gene, first.contrast, first.outcome, first.measure
    );
    let axis = format!(
        "{}{}",
        first.measure.as_str().replace('_', " "),
        if first.is_ratio() { " (log scale)" } else { "" }
    );
    let svg = if has_estimates {
        forest_plot(&title, &axis, first.is_ratio(), &points)?
    } else {
        String::new()
    };
    let mut models: Vec<&str> = rows.iter().map(|r| r.model.as_str()).collect();
    models.sort_unstable();
    models.dedup();
    Ok(TestView {
        anchor: format!("test-{index}"),
        therapy_contrast: first.kind == ContrastKind::TherapyVsComparator,
        gene: first.gene.clone(),
        grouping: first.grouping.clone(),
        contrast: first.contrast.clone(),
        arms,
        outcome: first.outcome.clone(),
        measure: first.measure.as_str().replace('_', " "),
        model: models.join(", "),
        covariates: first.covariates.clone().filter(|_| first.adjusted),
        family: first.family,
        interaction_p: p_text(rows.iter().find_map(|r| r.interaction_p)),
        interaction_q: p_text(rows.iter().find_map(|r| r.interaction_q)),
        interaction_method: rows
            .iter()
            .find_map(|r| r.interaction_method)
            .map_or_else(|| "-".to_owned(), |m| m.as_str().to_owned()),
        guideline: (first.family == Family::Confirmatory)
            .then(|| guideline_of(first, guidelines))
            .flatten(),
        conclusive: rows.iter().any(|r| is_conclusive(r.verdict)),
        rows: views,
        has_estimates,
        svg,
    })
}

/// The CPIC facts of the row's gene x therapy pair (or gene x comparator).
fn guideline_of(
    row: &EffectRow,
    guidelines: &BTreeMap<(String, String), Guideline>,
) -> Option<Guideline> {
    let level = row.cpic_level.clone()?;
    let lookup = |therapy: &str| guidelines.get(&(row.gene.clone(), therapy.to_lowercase()));
    let found = lookup(&row.therapy).or_else(|| row.comparator.as_deref().and_then(lookup));
    Some(match found {
        Some(g) => Guideline {
            url: g.url.clone().filter(|u| is_plain_url(u)),
            ..g.clone()
        },
        None => Guideline {
            level,
            ..Guideline::default()
        },
    })
}

/// A row's label: the subgroup, and for a subgroup contrast the therapy it
/// is estimated within.
fn row_label(row: &EffectRow) -> String {
    match row.kind {
        ContrastKind::TherapyVsComparator => row.subgroup.clone(),
        ContrastKind::SubgroupVsReference => format!("{} on {}", row.subgroup, row.therapy),
    }
}

/// Whether `url` is an https address of plain characters, safe to place in
/// an attribute unescaped (the page escapes everything else).
fn is_plain_url(url: &str) -> bool {
    url.starts_with("https://")
        && url
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~:/?#=%+".contains(c))
}

fn estimate(row: &EffectRow) -> Option<(f64, f64, f64)> {
    if row.suppressed {
        return None;
    }
    match (row.effect, row.ci_low, row.ci_high) {
        (Some(e), Some(l), Some(h)) if !row.is_ratio() || (e > 0.0 && l > 0.0 && h > 0.0) => {
            Some((e, l, h))
        }
        _ => None,
    }
}

fn is_conclusive(verdict: Option<Verdict>) -> bool {
    matches!(
        verdict,
        Some(
            Verdict::FavoursTherapy | Verdict::FavoursComparator | Verdict::Higher | Verdict::Lower
        )
    )
}

fn row_view(row: &EffectRow, n_arm1: String, n_arm2: String) -> RowView {
    let (effect, ci) = if row.suppressed {
        ("suppressed (small cells)".to_owned(), String::new())
    } else {
        match estimate(row) {
            Some((e, l, h)) => (
                estimate_text(e),
                format!("{} to {}", estimate_text(l), estimate_text(h)),
            ),
            None => (format!("not estimated ({})", row.status), String::new()),
        }
    };
    RowView {
        subgroup: row_label(row),
        n_arm1,
        n_arm2,
        effect,
        ci,
        p: if row.suppressed {
            "-".to_owned()
        } else {
            p_text(row.p_value)
        },
        verdict: row.verdict_text(),
        conclusive: is_conclusive(row.verdict),
    }
}
