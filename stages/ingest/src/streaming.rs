//! Reading every gene from an input without an index, in one pass.

use rust_htslib::bcf::Read as _;

use crate::accumulator::Accumulator;
use crate::gene_input::{Coverage, GeneInput, GeneSites};
use crate::gene_reader::{contig_name, PADDING};
use crate::input::{open_reader, Input};
use crate::{Error, Result};
use tailor_genome::contig::aliases;

/// Reads every gene from an unindexed `input` in one pass over all
/// records.
///
/// # Errors
/// [`Error::NotVcf`], [`Error::BadRecord`], and the record errors of
/// [`Accumulator::add`], naming the file and record.
pub(crate) fn read_streaming(
    input: &Input,
    genes: &[GeneSites],
    pass_only: bool,
) -> Result<Vec<GeneInput>> {
    let path = input.path.as_path();
    let samples = input.samples.len();
    let mut reader = open_reader(path)?;
    let spans: Vec<Option<(u64, u64)>> = genes.iter().map(GeneSites::span).collect();
    let mut accumulators: Vec<Accumulator> = genes
        .iter()
        .map(|g| Accumulator::new(g, &input.declared, samples, 0..samples, pass_only))
        .collect();
    // Per contig id: the genes on it and the span of its records. Grown as
    // records arrive: htslib adds contigs a header does not declare.
    let mut contig_genes: Vec<Vec<usize>> = Vec::new();
    let mut coverage: Vec<Coverage> = Vec::new();
    let mut record = reader.empty_record();
    let mut last_good: Option<(u32, u64)> = None;
    while let Some(result) = reader.read(&mut record) {
        result.map_err(|e| Error::BadRecord {
            path: path.to_path_buf(),
            record: match last_good {
                Some((rid, pos)) => format!(
                    "after {}:{pos}",
                    contig_name(reader.header(), rid).unwrap_or_default()
                ),
                None => "the first record".to_owned(),
            },
            reason: e.to_string(),
        })?;
        let Some(rid) = record.rid() else { continue };
        let index = rid as usize;
        while contig_genes.len() <= index {
            let name = u32::try_from(contig_genes.len())
                .ok()
                .and_then(|r| contig_name(record.header(), r))
                .unwrap_or_default();
            contig_genes.push(
                genes
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| aliases(&g.chrom).contains(&name))
                    .map(|(i, _)| i)
                    .collect(),
            );
            coverage.push(Coverage::default());
        }
        let pos0 = u64::try_from(record.pos()).unwrap_or(0);
        if let Ok(pos) = u32::try_from(pos0 + 1) {
            coverage[index].include(pos);
        }
        for &g in &contig_genes[index] {
            accumulators[g].set_has_contig();
            if let Some((start, end)) = spans[g] {
                if pos0 + PADDING >= start && pos0 <= end {
                    accumulators[g]
                        .add(&record)
                        .map_err(|d| d.into_error(path, &record, &input.samples))?;
                }
            }
        }
        last_good = Some((rid, pos0 + 1));
    }
    let mut out: Vec<GeneInput> = accumulators.into_iter().map(|a| a.finish(input)).collect();
    // Coverage is per contig: give each gene its contig's span.
    for (rid, genes_here) in contig_genes.iter().enumerate() {
        for &g in genes_here {
            if coverage[rid].first.is_some() {
                out[g].coverage = coverage[rid];
            }
        }
    }
    Ok(out)
}
