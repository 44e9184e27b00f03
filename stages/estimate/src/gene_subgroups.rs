//! Reading a gene's columns of the cohort table straight into its
//! subgroups: one gene at a time, a batch of rows at a time, so that what
//! stays in memory is a subgroup code per row (a byte for up to 254
//! subgroups), not the gene's text columns.

use std::path::Path;

use rayon::prelude::*;
use tailor_schemas::cohort;
use tailor_schemas::single_variant::SingleVariant;
use tailor_tables::TableBatches;

use crate::column_view::{Expected, Flags, Floats, Text};
use crate::subgroup::{Assigner, GeneCall, Subgroups};
use crate::{Options, Result};

/// The cohort columns of `gene` and their types.
pub fn gene_columns(gene: &str) -> [(String, Expected); 5] {
    let column = |field| cohort::gene_column(gene, field);
    [
        (column(cohort::PHENOTYPE), Expected::Utf8),
        (column(cohort::DIPLOTYPE), Expected::Utf8),
        (column(cohort::ACTIVITY_SCORE), Expected::Float64),
        (column(cohort::FLAGS), Expected::Flags),
        (column(cohort::SOURCE), Expected::Utf8),
    ]
}

/// The subgroups of each of `genes` in the cohort table at `path`, in
/// order (genes are read in parallel, each on its own; the first gene in
/// order that fails gives the error).
///
/// # Errors
/// As [`TableBatches::open`]; [`crate::Error::Column`] for a missing or
/// mistyped gene column; [`crate::Error::UnknownName`] for a configured
/// reference subgroup that does not occur.
pub fn read_subgroups(path: &Path, genes: &[String], options: &Options) -> Result<Vec<Subgroups>> {
    let read: Vec<Result<Subgroups>> = genes
        .par_iter()
        .map(|gene| read_gene(path, gene, options))
        .collect();
    read.into_iter().collect()
}

fn read_gene(path: &Path, gene: &str, options: &Options) -> Result<Subgroups> {
    let [phenotype, diplotype, activity_score, flags, source] =
        gene_columns(gene).map(|(name, _)| name);
    let names = [&phenotype, &diplotype, &activity_score, &flags, &source].map(String::as_str);
    let table = TableBatches::open(path, Some(&names))?;
    let single_variant = table
        .schema()
        .field_with_name(&diplotype)
        .ok()
        .and_then(|f| SingleVariant::from_field_metadata(f.metadata()));
    let mut assigner = Assigner::new(gene, options).single_variant(single_variant);
    for batch in table {
        let batch = batch?;
        let phenotypes = Text::of(path, &batch, &phenotype)?;
        let diplotypes = Text::of(path, &batch, &diplotype)?;
        let scores = Floats::of(path, &batch, &activity_score)?;
        let bits = Flags::of(path, &batch, &flags)?;
        let sources = Text::of(path, &batch, &source)?;
        for i in 0..batch.num_rows() {
            assigner.push(&GeneCall {
                phenotype: phenotypes.get(i),
                diplotype: diplotypes.get(i),
                activity_score: scores.get(i),
                flags: bits.get(i),
                source: sources.get(i),
            });
        }
    }
    assigner.finish(path)
}

/// A note per gene whose grouping fell back from phenotype to diplotype
/// (no phenotype in CPIC's tables, e.g. CYP4F2 or VKORC1).
pub fn fallback_notes(groups: &[Subgroups], options: &Options) -> Vec<String> {
    groups
        .iter()
        .filter(|g| g.grouping != options.grouping_of(&g.gene))
        .map(|g| {
            let variant = g
                .single_variant
                .as_ref()
                .map(|v| format!(" of {}", v.rsid))
                .unwrap_or_default();
            format!(
                "{}: no phenotype in CPIC's tables (flag no_phenotype); grouped by {}{variant} instead of {}",
                g.gene,
                g.grouping.as_str(),
                options.grouping_of(&g.gene).as_str()
            )
        })
        .collect()
}

/// The estimate tables' `tailor.single_variant_genes` entry: each
/// single-variant gene's rsID as a JSON object; `None` without any.
pub fn single_variant_genes(groups: &[Subgroups]) -> Option<String> {
    let genes: serde_json::Map<String, serde_json::Value> = groups
        .iter()
        .filter_map(|g| {
            Some((
                g.gene.clone(),
                g.single_variant.as_ref()?.rsid.clone().into(),
            ))
        })
        .collect();
    (!genes.is_empty()).then(|| serde_json::Value::Object(genes).to_string())
}
