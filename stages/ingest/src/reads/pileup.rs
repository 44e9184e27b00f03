//! Reading one gene's sites from one BAM/CRAM: every usable read's allele
//! at every site it covers, overlapping mates counted once.

use std::collections::HashMap;

use rust_htslib::bam::{Read as _, Record};

use tailor_genome::AlignmentFile;

use super::observe::{observe, Span, INDEL_ANCHOR};
use super::options::ReadOptions;
use crate::sites::{GeneSites, Site};
use crate::{Error, Result};

/// SAM flags of reads never counted: unmapped, secondary, QC-fail,
/// duplicate, supplementary.
const SKIPPED_FLAGS: u16 = 0x4 | 0x100 | 0x200 | 0x400 | 0x800;

/// Sites closer than this are read with one index query.
const MERGE_GAP: i64 = 1000;

/// What the reads show at one site.
#[derive(Clone, Debug, Default)]
pub(crate) struct SitePileup {
    /// Alleles seen or documented: the site's documented alleles first
    /// (REF at 0), then undocumented ones in order of first sight.
    pub alleles: Vec<String>,
    /// Alleles the definitions document (a prefix of `alleles`).
    pub documented: usize,
    /// Per counted read (one per template): allele index and quality.
    pub reads: Vec<(usize, u8)>,
}

impl SitePileup {
    fn new(site: &Site) -> Self {
        let alleles: Vec<String> = site
            .documented
            .iter()
            .map(|a| a.to_ascii_uppercase())
            .collect();
        Self {
            documented: alleles.len(),
            alleles,
            reads: Vec::new(),
        }
    }

    /// Reads per allele: each documented allele, then one count for all
    /// undocumented ones.
    pub fn allele_depths(&self) -> Vec<i32> {
        let mut depths = vec![0i32; self.documented + 1];
        for &(allele, _) in &self.reads {
            depths[allele.min(self.documented)] += 1;
        }
        depths
    }
}

/// The span `observe` rebuilds at `site`.
fn span(site: &Site) -> Span {
    let length = site.reference.len();
    let indel = site.documented.iter().any(|a| a.len() != length);
    Span {
        start: i64::from(site.pos.zero_based()),
        end: i64::from(site.end.zero_based()),
        insertion_after_end: site.documented.iter().any(|a| a.len() > length),
        anchor_after: if indel { INDEL_ANCHOR } else { 1 },
    }
}

/// Per site, the offsets inside its REF span where another site starts: a
/// long definition (G6PD's 25-base complex variant) can contain the
/// position of a single-base one.
fn nested_offsets(sites: &[Site]) -> Vec<Vec<usize>> {
    sites
        .iter()
        .map(|site| {
            let (start, end) = (site.pos.get(), site.end.get());
            sites
                .iter()
                .map(|other| other.pos.get())
                .filter(|&p| p > start && p <= end)
                .map(|p| (p - start) as usize)
                .collect()
        })
        .collect()
}

/// `allele` with the bases at `nested` offsets put back to REF, when it
/// spans REF's length. A variant at a nested site belongs to that site, as
/// in a VCF, where the long site's record would read REF: without this, a
/// nested substitution makes the long site's allele undocumented.
fn without_nested(allele: &str, site: &Site, nested: &[usize]) -> Option<String> {
    if nested.is_empty() || allele.len() != site.reference.len() {
        return None;
    }
    let reference = site.reference.to_ascii_uppercase().into_bytes();
    let mut bases = allele.as_bytes().to_vec();
    for &offset in nested {
        *bases.get_mut(offset)? = *reference.get(offset)?;
    }
    String::from_utf8(bases).ok()
}

/// 0-based half-open windows covering the sites, merged when close.
fn windows(sites: &[Site]) -> Vec<(i64, i64)> {
    let mut windows: Vec<(i64, i64)> = Vec::new();
    for site in sites {
        let (from, to) = (
            i64::from(site.pos.zero_based()),
            i64::from(site.end.zero_based()) + 2,
        );
        match windows.last_mut() {
            Some(last) if from <= last.1 + MERGE_GAP => last.1 = last.1.max(to),
            _ => windows.push((from, to)),
        }
    }
    windows
}

/// Every site of `gene` as the reads of `file` show it (empty pileups when
/// the file lacks the gene's contig).
///
/// # Errors
/// [`Error::BadRecord`] when htslib cannot fetch a region or read a record
/// (a damaged or truncated file).
pub(crate) fn pileup(
    file: &mut AlignmentFile,
    gene: &GeneSites,
    options: &ReadOptions,
) -> Result<Vec<SitePileup>> {
    let mut pileups: Vec<SitePileup> = gene.sites.iter().map(SitePileup::new).collect();
    let Some(tid) = file.tid(&gene.chrom) else {
        return Ok(pileups);
    };
    let spans: Vec<Span> = gene.sites.iter().map(span).collect();
    let nested = nested_offsets(&gene.sites);
    // Per site, the read name of each counted template and its entry in
    // `reads`: a mate (or the same read fetched for two windows) is counted
    // once, the better-quality observation kept.
    let mut seen: Vec<HashMap<Vec<u8>, usize>> = vec![HashMap::new(); gene.sites.len()];
    let path = file.path.clone();
    let mut record = Record::new();
    for (from, to) in windows(&gene.sites) {
        let region = format!("{}:{}-{}", gene.chrom, from + 1, to);
        let bad = |reason: String| Error::BadRecord {
            path: path.clone(),
            record: region.clone(),
            reason,
        };
        let reader = file.reader();
        reader
            .fetch((tid, from, to))
            .map_err(|e| bad(format!("cannot read the region through the index: {e}")))?;
        while let Some(result) = reader.read(&mut record) {
            result.map_err(|e| bad(e.to_string()))?;
            if record.flags() & SKIPPED_FLAGS != 0 || record.mapq() < options.min_mapping_quality {
                continue;
            }
            let (start, end) = (record.pos(), record.cigar().end_pos());
            let first = spans.partition_point(|s| s.start < start);
            for k in (first..spans.len()).take_while(|&k| spans[k].start < end) {
                let Some(observation) = observe(&record, spans[k]) else {
                    continue;
                };
                if observation.quality < options.min_base_quality {
                    continue;
                }
                let pileup = &mut pileups[k];
                let mut allele = String::from_utf8_lossy(&observation.allele).into_owned();
                if !pileup.alleles[..pileup.documented].contains(&allele) {
                    if let Some(masked) = without_nested(&allele, &gene.sites[k], &nested[k]) {
                        if pileup.alleles[..pileup.documented].contains(&masked) {
                            allele = masked;
                        }
                    }
                }
                let index = match pileup.alleles.iter().position(|a| *a == allele) {
                    Some(i) => i,
                    None => {
                        pileup.alleles.push(allele);
                        pileup.alleles.len() - 1
                    }
                };
                match seen[k].get(record.qname()) {
                    Some(&entry) => {
                        let kept = &mut pileup.reads[entry];
                        if observation.quality > kept.1 {
                            *kept = (index, observation.quality);
                        }
                    }
                    None => {
                        seen[k].insert(record.qname().to_vec(), pileup.reads.len());
                        pileup.reads.push((index, observation.quality));
                    }
                }
            }
        }
    }
    Ok(pileups)
}

#[cfg(test)]
mod tests {
    use tailor_schemas::Position;

    use super::*;

    fn site(pos: u64, reference: &str, documented: &[&str]) -> Site {
        Site {
            pos: Position::new(pos).unwrap(),
            end: Position::new(pos + reference.len() as u64 - 1).unwrap(),
            reference: reference.to_owned(),
            documented: documented.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    #[test]
    fn a_substitution_at_a_nested_site_leaves_the_long_site_reference() {
        // A 6-base deletion site with a single-base site at its 4th base.
        let long = site(100, "CGTGGG", &["CGTGGG", "C"]);
        let sites = [long.clone(), site(103, "G", &["G", "A"])];
        let nested = nested_offsets(&sites);
        assert_eq!(nested, [vec![3], vec![]]);
        assert_eq!(
            without_nested("CGTAGG", &long, &nested[0]).as_deref(),
            Some("CGTGGG")
        );
        // A difference elsewhere stays (it is not the nested site's).
        assert_eq!(
            without_nested("CATAGG", &long, &nested[0]).as_deref(),
            Some("CATGGG")
        );
        // Another length is a real indel allele: untouched.
        assert_eq!(without_nested("C", &long, &nested[0]), None);
    }
}
