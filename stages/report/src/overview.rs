//! The cohort overview: per gene, call status and the distribution of
//! phenotypes (or diplotypes, for a gene without phenotypes), with every
//! count under the small-cell rule.

use serde::Serialize;
use tailor_schemas::small_cells::{partition_masks, small_cell};

use crate::charts::{bar_chart, Bar};
use crate::cohort_summary::GeneCounts;
use crate::numbers::percent_text;
use crate::Result;

/// Most categories drawn for a gene; the rest are pooled as "other".
const MAX_CATEGORIES: usize = 12;

/// Shown in place of a count hidden by complementary suppression.
pub const SUPPRESSED: &str = "suppressed";

/// A category and its count as printed.
#[derive(Clone, Debug, Serialize)]
pub struct CategoryView {
    /// Phenotype, diplotype, "no call", ...
    pub label: String,
    /// The count, `<11`, or `suppressed`.
    pub count: String,
}

/// One gene's overview.
#[derive(Clone, Debug, Serialize)]
pub struct GeneView {
    /// HGNC symbol.
    pub gene: String,
    /// `phenotype` or `diplotype`: what the categories are.
    pub categories_of: &'static str,
    /// Patients with a call, as printed.
    pub called: String,
    /// Patients without a call, as printed.
    pub no_call: String,
    /// Call rate, or `suppressed`.
    pub call_rate: String,
    /// The categories, largest first, "no call" last.
    pub categories: Vec<CategoryView>,
    /// No-call reasons (flags) with their counts (small-cell rule).
    pub no_call_reasons: Vec<CategoryView>,
    /// The bar chart (inline SVG).
    pub svg: String,
}

/// The overview of one gene, its counts suppressed with threshold `k` over
/// the partition of `patients` (categories and no call).
///
/// # Errors
/// A plot cannot be drawn.
pub fn gene_view(gene: &str, counts: &GeneCounts, patients: u64, k: u64) -> Result<GeneView> {
    let by_phenotype = !counts.phenotypes.is_empty();
    let source = if by_phenotype {
        &counts.phenotypes
    } else {
        &counts.diplotypes
    };
    let mut categories: Vec<(String, u64)> = source.iter().map(|(l, c)| (l.clone(), *c)).collect();
    categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if categories.len() > MAX_CATEGORIES {
        let rest = categories.split_off(MAX_CATEGORIES - 1);
        let pooled = rest.iter().map(|(_, c)| c).sum();
        categories.push((
            format!("other ({} {}s)", rest.len(), kind_name(by_phenotype)),
            pooled,
        ));
    }
    if by_phenotype && counts.without_phenotype > 0 {
        categories.push(("called, no phenotype".to_owned(), counts.without_phenotype));
    }
    categories.push(("no call".to_owned(), counts.no_call));
    let numbers: Vec<u64> = categories.iter().map(|(_, c)| *c).collect();
    let hidden = partition_masks(&numbers, k);
    let shown = |count: u64, hidden: bool| {
        if hidden {
            SUPPRESSED.to_owned()
        } else {
            count.to_string()
        }
    };
    let no_call_hidden = *hidden.last().unwrap_or(&false);
    let called = patients.saturating_sub(counts.no_call);
    let bars: Vec<Bar> = categories
        .iter()
        .zip(&hidden)
        .map(|((label, count), hidden)| Bar {
            label: label.clone(),
            count: (!hidden).then_some(*count),
        })
        .collect();
    let svg = bar_chart(
        &format!("{gene}: patients by {}", kind_name(by_phenotype)),
        "patients",
        &bars,
    )?;
    Ok(GeneView {
        gene: gene.to_owned(),
        categories_of: kind_name(by_phenotype),
        called: shown(called, no_call_hidden),
        no_call: shown(counts.no_call, no_call_hidden),
        call_rate: if no_call_hidden {
            SUPPRESSED.to_owned()
        } else {
            percent_text(called, patients)
        },
        categories: categories
            .iter()
            .zip(&hidden)
            .map(|((label, count), hidden)| CategoryView {
                label: label.clone(),
                count: shown(*count, *hidden),
            })
            .collect(),
        no_call_reasons: counts
            .no_call_reasons
            .iter()
            .map(|(reason, count)| CategoryView {
                label: reason.clone(),
                count: small_cell(*count, k),
            })
            .collect(),
        svg,
    })
}

fn kind_name(by_phenotype: bool) -> &'static str {
    if by_phenotype {
        "phenotype"
    } else {
        "diplotype"
    }
}

#[cfg(test)]
mod tests {
    use super::gene_view;
    use crate::cohort_summary::GeneCounts;

    #[test]
    fn a_small_phenotype_and_its_complement_are_hidden() {
        let mut counts = GeneCounts::default();
        counts.phenotypes.insert("Normal Metabolizer".into(), 1500);
        counts
            .phenotypes
            .insert("Intermediate Metabolizer".into(), 480);
        counts.phenotypes.insert("Poor Metabolizer".into(), 4);
        counts.diplotypes.insert("*1/*1".into(), 1984);
        counts.no_call = 16;
        let view = gene_view("CYP2C19", &counts, 2000, 10).unwrap();
        let shown: Vec<(&str, &str)> = view
            .categories
            .iter()
            .map(|c| (c.label.as_str(), c.count.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("Normal Metabolizer", "1500"),
                ("Intermediate Metabolizer", "480"),
                ("Poor Metabolizer", "suppressed"),
                ("no call", "suppressed"),
            ]
        );
        assert_eq!(view.call_rate, "suppressed");
        assert_eq!(view.called, "suppressed");
    }

    #[test]
    fn a_gene_without_phenotypes_shows_diplotypes() {
        let mut counts = GeneCounts::default();
        counts.diplotypes.insert("C/T".into(), 900);
        counts.diplotypes.insert("C/C".into(), 700);
        counts.diplotypes.insert("T/T".into(), 400);
        let view = gene_view("VKORC1", &counts, 2000, 10).unwrap();
        assert_eq!(view.categories_of, "diplotype");
        assert_eq!(view.categories[0].label, "C/T");
        assert_eq!(view.call_rate, "100.0 %");
        assert_eq!(view.no_call, "0");
    }
}
