//! The sites ingest reads: every definition position of every gene. The VCF
//! reader (`gene_reader`) and the aligned-reads reader (`reads`) are two
//! readers of these same sites.

use tailor_definitions::{Definitions, GeneDefinition};
use tailor_schemas::{Position, Region};

/// One definition position of a gene, as ingest needs it.
#[derive(Clone, Debug)]
pub(crate) struct Site {
    /// 1-based position.
    pub pos: Position,
    /// Last reference base the definition spans.
    pub end: Position,
    /// The definition's REF.
    pub reference: String,
    /// Alleles the definitions document here (REF and ALTs).
    pub documented: Vec<String>,
}

/// A gene's sites on its contig, sorted by position.
#[derive(Clone, Debug)]
pub(crate) struct GeneSites {
    /// HGNC symbol.
    pub gene: String,
    /// Contig in the definitions' spelling.
    pub chrom: String,
    /// Sites, sorted.
    pub sites: Vec<Site>,
}

impl GeneSites {
    /// 0-based first and last reference base of the sites.
    pub fn span(&self) -> Option<(u64, u64)> {
        let start = self.sites.iter().map(|s| s.pos.zero_based()).min()?;
        let end = self.sites.iter().map(|s| s.end.zero_based()).max()?;
        Some((u64::from(start), u64::from(end)))
    }
}

/// The sites of every gene of `definitions`, or of those named in `genes`
/// when it is not empty, in definition order; with `regions`, only the
/// sites whose position lies in one of them, and only the genes left with
/// a site.
pub(crate) fn definition_sites(
    definitions: &Definitions,
    genes: &[String],
    regions: Option<&[Region]>,
) -> Vec<GeneSites> {
    definitions
        .genes()
        .iter()
        .filter(|g| genes.is_empty() || genes.contains(&g.gene))
        .map(|g| gene_sites(g, definitions))
        .filter_map(|mut g| {
            if let Some(regions) = regions {
                let chrom = g.chrom.clone();
                g.sites.retain(|s| {
                    regions.iter().any(|r| {
                        same_contig(&r.chrom, &chrom) && r.start <= s.pos && s.pos <= r.end
                    })
                });
                if g.sites.is_empty() {
                    return None;
                }
            }
            Some(g)
        })
        .collect()
}

/// Whether two contig names are the same contig (`chr22` and `22` are).
fn same_contig(a: &str, b: &str) -> bool {
    a.trim_start_matches("chr") == b.trim_start_matches("chr")
}

/// A gene's definition positions (and extra positions) as ingest reads them.
fn gene_sites(gene: &GeneDefinition, definitions: &Definitions) -> GeneSites {
    let exemptions = definitions.exemptions(&gene.gene);
    let mut sites: Vec<Site> = gene
        .variants
        .iter()
        .chain(exemptions.extra_positions.iter())
        .map(|v| {
            let mut documented = vec![v.reference.clone()];
            documented.extend(v.alts.iter().cloned());
            Site {
                pos: v.position,
                end: v.end(),
                reference: v.reference.clone(),
                documented,
            }
        })
        .collect();
    sites.sort_by_key(|s| s.pos);
    sites.dedup_by_key(|s| s.pos);
    GeneSites {
        gene: gene.gene.clone(),
        chrom: gene.chromosome.clone(),
        sites,
    }
}
