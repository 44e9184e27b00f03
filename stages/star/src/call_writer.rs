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

/// Rows per batch of the calls table (the last may be shorter): `tailor
/// merge` writes merged shards in the same batches.
pub const BLOCK_ROWS: usize = 65_536;

/// One gene's distinct rows (per distinct match and sex, phenotype lookups
/// done once) and, per cohort sample, which of them it gets.
struct GeneTemplates {
    rows: Vec<CallRow>,
    which: Vec<u32>,
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
/// a few distinct rows per gene, four bytes per sample and gene, and one
/// block.
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
    // calls name; sorted by name.
    let mut order: Vec<(&str, Option<usize>)> = samples
        .iter()
        .enumerate()
        .map(|(s, name)| (name.as_str(), Some(s)))
        .collect();
    for name in outside.keys().flatten() {
        if cohort.index_of(name).is_none() {
            order.push((name.as_str(), None));
        }
    }
    order.sort_by(|a, b| a.0.cmp(b.0));
    order.dedup_by(|a, b| a.0 == b.0);
    let mut counts = Counts::default();
    let mut pending: Vec<CallRow> = Vec::with_capacity(BLOCK_ROWS + templates.len());
    let mut sample_rows: Vec<CallRow> = Vec::with_capacity(templates.len());
    for (name, s) in order {
        sample_rows.clear();
        if let Some(s) = s {
            for gene in &templates {
                let template = &gene.rows[gene.which[s] as usize];
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
    for (s, w) in which.iter_mut().enumerate() {
        let u = *w as usize;
        *w = match made[u].iter().find(|(x, _)| *x == sex[s]) {
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
    }
    GeneTemplates {
        rows,
        which,
        from_reads,
    }
}
