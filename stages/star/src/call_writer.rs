//! The calls table's rows, made a sample at a time in the table's order
//! (sample, then gene) and handed on in fixed-size blocks: the cohort's
//! rows are never all in memory.

use std::collections::BTreeSet;

use tailor_schemas::calls::CallSource;
use tailor_schemas::Sex;

use crate::caller::GeneCalls;
use crate::error::Result;
use crate::genotypes::Genotypes;
use crate::output::CallRow;
use crate::outside::CallsBySample;
use crate::phenotype::PhenotypeTables;
use crate::rows::{call_row, outside_row};
use crate::sample_set::SampleSet;
use tailor_tables::SampleIndex;

/// Rows per batch of the calls table (the last may be shorter): `tailor
/// merge` writes merged shards in the same batches.
pub const BLOCK_ROWS: usize = 65_536;

/// One gene's distinct rows (per distinct match and sex, phenotype lookups
/// done once) and, per cohort sample, which of them it gets.
struct GeneTemplates {
    rows: Vec<CallRow>,
    which: SampleIndex,
    from_reads: SampleSet,
}

/// What the rows handed on were, for the run's summary.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    pub rows: usize,
    /// Samples with at least one row.
    pub samples: usize,
    pub genes: BTreeSet<String>,
}

/// Makes every sample x gene row of `genes` (the outside calls in place of
/// the matcher's for their genes), sorted by sample then gene, and hands
/// them to `sink` in blocks of [`BLOCK_ROWS`]; CYP2D6 rows get a phenotype
/// only with `cyp2d6_phenotype_from_snvs`, and `per_sample` then rewrites
/// a sample's matcher rows (the CYP2D6 structure from reads). Memory holds
/// a few distinct rows per gene, a byte (rarely two) per sample and gene
/// ([`SampleIndex`]), and one block; samples are taken in name order from
/// the cohort's own name index, not from a sorted copy of the cohort.
pub(crate) fn write_rows(
    cohort: &Genotypes,
    genes: Vec<GeneCalls>,
    outside: &CallsBySample,
    sex_of: impl Fn(&str) -> Option<Sex>,
    cyp2d6_phenotype_from_snvs: bool,
    per_sample: impl Fn(&mut CallRow),
    mut sink: impl FnMut(&[CallRow]) -> Result<()>,
) -> Result<Counts> {
    let tables = PhenotypeTables::embedded();
    let samples = &cohort.samples;
    let sex: Vec<Option<Sex>> = samples.iter().map(|s| sex_of(s)).collect();
    let mut genes = genes;
    genes.sort_by(|a, b| a.gene.cmp(&b.gene));
    let templates: Vec<GeneTemplates> = genes
        .into_iter()
        .map(|g| templates(g, samples, &sex, &tables, cyp2d6_phenotype_from_snvs))
        .collect();
    // Every sample with a row: the cohort, and samples only the outside
    // calls name; by name.
    let mut others: Vec<&str> = outside
        .keys()
        .flatten()
        .map(String::as_str)
        .filter(|name| cohort.index_of(name).is_none())
        .collect();
    others.sort_unstable();
    others.dedup();
    let order = merge_by_name(cohort.in_name_order(), &others);
    let mut counts = Counts::default();
    let mut pending: Vec<CallRow> = Vec::with_capacity(BLOCK_ROWS + templates.len());
    let mut sample_rows: Vec<CallRow> = Vec::with_capacity(templates.len());
    for (name, s) in order {
        sample_rows.clear();
        if let Some(s) = s {
            for gene in &templates {
                let template = &gene.rows[gene.which.get(s) as usize];
                let mut row = CallRow {
                    sample_id: name.to_owned(),
                    ..template.clone()
                };
                if gene.from_reads.contains(s) {
                    row.source = CallSource::Bam;
                }
                per_sample(&mut row);
                sample_rows.push(row);
            }
        }
        for (key, calls) in outside {
            // No sample column: the calls apply to every cohort sample.
            let applies = match key {
                Some(k) => k == name,
                None => s.is_some(),
            };
            if !applies {
                continue;
            }
            for call in calls.values() {
                let row = outside_row(name, call, &tables, sex_of(name));
                sample_rows.retain(|r| r.gene != call.gene);
                sample_rows.push(row);
            }
        }
        sample_rows.sort_by(|a, b| a.gene.cmp(&b.gene));
        for row in &sample_rows {
            if !counts.genes.contains(&row.gene) {
                counts.genes.insert(row.gene.clone());
            }
        }
        counts.rows += sample_rows.len();
        counts.samples += usize::from(!sample_rows.is_empty());
        pending.append(&mut sample_rows);
        if pending.len() >= BLOCK_ROWS {
            sink(&pending[..BLOCK_ROWS])?;
            pending.drain(..BLOCK_ROWS);
        }
    }
    if !pending.is_empty() {
        sink(&pending)?;
    }
    Ok(counts)
}

/// `gene`'s distinct rows and each sample's: one row per distinct (match,
/// sex), made once and copied to each sample that has it.
fn templates(
    gene: GeneCalls,
    samples: &[String],
    sex: &[Option<Sex>],
    tables: &PhenotypeTables,
    cyp2d6_phenotype_from_snvs: bool,
) -> GeneTemplates {
    let mut rows: Vec<CallRow> = Vec::new();
    let mut made: Vec<Vec<(Option<Sex>, u32)>> = vec![Vec::new(); gene.results.len()];
    let mut which = gene.which;
    let from_reads = gene.from_reads;
    for s in 0..which.len() {
        let u = which.get(s) as usize;
        let t = match made[u].iter().find(|(x, _)| *x == sex[s]) {
            Some(&(_, t)) => t,
            None => {
                rows.push(call_row(
                    &samples[s],
                    &gene.gene,
                    &gene.results[u],
                    tables,
                    sex[s],
                    cyp2d6_phenotype_from_snvs,
                ));
                let t = u32::try_from(rows.len() - 1).unwrap_or(u32::MAX);
                made[u].push((sex[s], t));
                t
            }
        };
        which.set(s, t);
    }
    GeneTemplates {
        rows,
        which,
        from_reads,
    }
}

/// The cohort's samples (`(name, index)` in name order) merged with
/// `others` (sorted names outside the cohort), in name order: `None` marks
/// a name from `others`. Nothing is copied or sorted.
fn merge_by_name<'a>(
    cohort: impl Iterator<Item = (&'a str, usize)>,
    others: &'a [&'a str],
) -> impl Iterator<Item = (&'a str, Option<usize>)> {
    let mut cohort = cohort.peekable();
    let mut others = others.iter().copied().peekable();
    std::iter::from_fn(move || {
        let from_cohort = match (cohort.peek(), others.peek()) {
            (Some(&(name, _)), Some(&other)) => name <= other,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return None,
        };
        if from_cohort {
            cohort.next().map(|(name, s)| (name, Some(s)))
        } else {
            others.next().map(|name| (name, None))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::merge_by_name;

    #[test]
    fn merges_cohort_and_other_names_in_name_order() {
        let cohort = [("A", 2), ("C", 0), ("E", 1)];
        let merged: Vec<_> = merge_by_name(cohort.into_iter(), &["B", "D", "F"]).collect();
        assert_eq!(
            merged,
            [
                ("A", Some(2)),
                ("B", None),
                ("C", Some(0)),
                ("D", None),
                ("E", Some(1)),
                ("F", None)
            ]
        );
        let alone: Vec<_> = merge_by_name(std::iter::empty(), &["X"]).collect();
        assert_eq!(alone, [("X", None)]);
        let none: Vec<_> = merge_by_name(cohort.into_iter(), &[]).collect();
        assert_eq!(none.len(), 3);
    }
}
