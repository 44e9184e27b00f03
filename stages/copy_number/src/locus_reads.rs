//! One pass over the reads of the CYP2D6/CYP2D7 locus: per-base depth and,
//! per fragment, whether its bases at the differing sites are CYP2D6's or
//! CYP2D7's.
//!
//! A read at a differing site shows the base of the gene it came from,
//! whichever gene the aligner placed it on, so the site and its partner in
//! the other gene are both read. Fragments (read pairs, by name) vote once
//! per region of the gene ([`GeneRegion`]), so overlapping mates and a long
//! read crossing many sites count once: fragment counts are close to
//! independent draws, which the binomial model needs.

use std::collections::HashMap;

use rust_htslib::bam::{self, ext::BamRecordExtensions, Read};
use tailor_definitions::cyp2d_locus::{differing_sites, SiteKind, Span, CYP2D6_BODY};
use tailor_definitions::Definitions;
use tailor_genome::AlignmentFile;

use crate::error::{Error, Result};
use crate::exon_shares::exon_fragments;
use crate::options::Options;

/// The gene whose star-allele positions are left out of the votes.
const CYP2D6: &str = "CYP2D6";

/// First position read (1-based): downstream of CYP2D6 (its 3′ side).
pub(crate) const LOCUS_START: u32 = 42_120_000;
/// Last position read: past CYP2D7, short of the end of NA18505-like
/// locus extracts (42,149,992).
pub(crate) const LOCUS_END: u32 = 42_149_000;

/// CYP2D6 positions at or below this are its 3′ end (exon 9 and downstream).
const THREE_PRIME_END: u32 = CYP2D6_BODY.start - 1;
/// CYP2D6 positions at or above this are its 5′ end (exon 1, the end of
/// intron 1 and upstream).
const FIVE_PRIME_START: u32 = CYP2D6_BODY.end + 1;

/// Where along CYP2D6 a differing site lies (the gene is on the minus
/// strand: 5′ is the high coordinate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GeneRegion {
    /// Exon 9 and downstream.
    ThreePrime = 0,
    /// Exons 2-8 and introns.
    Body = 1,
    /// Exon 1, the end of intron 1 and upstream.
    FivePrime = 2,
}

impl GeneRegion {
    fn of(cyp2d6_position: u32) -> Self {
        if cyp2d6_position <= THREE_PRIME_END {
            Self::ThreePrime
        } else if cyp2d6_position >= FIVE_PRIME_START {
            Self::FivePrime
        } else {
            Self::Body
        }
    }
}

/// Fragment counts of one gene region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fragments {
    /// Fragments with CYP2D6 bases.
    pub cyp2d6: u32,
    /// Fragments with CYP2D7 bases.
    pub cyp2d7: u32,
}

impl Fragments {
    /// CYP2D6 share, `None` without fragments.
    pub fn share(&self) -> Option<f64> {
        let n = self.cyp2d6 + self.cyp2d7;
        (n > 0).then(|| f64::from(self.cyp2d6) / f64::from(n))
    }
}

/// What one pass over the locus found.
#[derive(Debug, Clone)]
pub(crate) struct LocusReads {
    /// Per-base depth from [`LOCUS_START`] to [`LOCUS_END`].
    depth: Vec<u32>,
    /// Fragment counts by [`GeneRegion`].
    pub regions: [Fragments; 3],
    /// Reads of each CYP2D6 exon's best-covered site (see `exon_shares.rs`).
    pub exons: Vec<Fragments>,
    /// Mean aligned length of the reads counted.
    pub mean_read_length: f64,
}

impl LocusReads {
    /// Mean depth over a span (clipped to the locus read).
    pub fn mean_depth(&self, span: Span) -> f64 {
        let from = span.start.max(LOCUS_START) - LOCUS_START;
        let to = span.end.min(LOCUS_END) - LOCUS_START;
        let Some(window) = self.depth.get(from as usize..=to as usize) else {
            return 0.0;
        };
        let total: u64 = window.iter().map(|&d| u64::from(d)).sum();
        total as f64 / window.len().max(1) as f64
    }

    /// Mean depth over the given exons and over the gaps between them.
    pub fn exon_intron_depth(&self, exons: &[Span]) -> (f64, f64) {
        let mut exon = (0.0, 0u32);
        let mut intron = (0.0, 0u32);
        for (i, e) in exons.iter().enumerate() {
            exon.0 += self.mean_depth(*e) * f64::from(e.len());
            exon.1 += e.len();
            if let Some(next) = exons.get(i + 1) {
                let gap = Span {
                    chromosome: e.chromosome,
                    start: e.end + 1,
                    end: next.start - 1,
                };
                intron.0 += self.mean_depth(gap) * f64::from(gap.len());
                intron.1 += gap.len();
            }
        }
        let mean = |(sum, n): (f64, u32)| if n == 0 { 0.0 } else { sum / f64::from(n) };
        (mean(exon), mean(intron))
    }
}

/// A differing site as seen from one of its two positions.
#[derive(Debug, Clone, Copy)]
struct SiteBase {
    /// 0-based position.
    position: i64,
    /// Index of the site (shared by its two positions).
    site: usize,
    /// The site's CYP2D6 position (1-based).
    cyp2d6_position: u32,
    cyp2d6_base: u8,
    cyp2d7_base: u8,
    region: GeneRegion,
}

/// The CYP2D6 positions (1-based, closed spans) that define star alleles.
fn allele_defining_spans() -> Result<Vec<(u32, u32)>> {
    let definitions = Definitions::embedded()?;
    Ok(definitions
        .gene(CYP2D6)
        .map(|gene| {
            gene.variants
                .iter()
                .map(|v| (v.position.get(), v.end().get()))
                .collect()
        })
        .unwrap_or_default())
}

/// Both positions of every differing SNV, sorted by position, leaving out
/// the sites where a CYP2D6 star allele is defined.
///
/// At those sites the base tells the allele, not the gene: 4180G>C
/// (rs1135840, in *2, *4, *10 and most of their relatives) gives CYP2D6
/// CYP2D7's base, so a person with those alleles read as CYP2D7 there
/// (the 3′ end of a `*4/*4` read a CYP2D6 share of 0 on simulated reads).
fn site_bases() -> Result<Vec<SiteBase>> {
    let defining = allele_defining_spans()?;
    let mut out = Vec::new();
    for (index, site) in differing_sites()?.into_iter().enumerate() {
        let (SiteKind::Snv, Some(b6), Some(b7)) = (site.kind, site.cyp2d6_base, site.cyp2d7_base)
        else {
            continue;
        };
        let position = site.cyp2d6_position;
        if defining
            .iter()
            .any(|&(from, to)| (from..=to).contains(&position))
        {
            continue;
        }
        let region = GeneRegion::of(site.cyp2d6_position);
        for position in [site.cyp2d6_position, site.cyp2d7_position] {
            out.push(SiteBase {
                position: i64::from(position) - 1,
                site: index,
                cyp2d6_position: site.cyp2d6_position,
                cyp2d6_base: b6,
                cyp2d7_base: b7,
                region,
            });
        }
    }
    out.sort_by_key(|s| s.position);
    Ok(out)
}

/// Whether a record is one of the reads counted: mapped, primary, not a
/// duplicate or QC failure, with a sequence and at least the minimum
/// mapping quality.
pub(crate) fn counted(record: &bam::Record, options: &Options) -> bool {
    !(record.is_unmapped()
        || record.is_secondary()
        || record.is_supplementary()
        || record.is_duplicate()
        || record.is_quality_check_failed()
        || record.mapq() < options.min_mapping_quality
        || record.seq_len() == 0)
}

/// Reads the locus of `file`: depth and fragment votes.
pub(crate) fn read_locus(file: &mut AlignmentFile, options: &Options) -> Result<LocusReads> {
    let sites = site_bases()?;
    let mut depth = vec![0i64; (LOCUS_END - LOCUS_START + 2) as usize];
    let mut votes: HashMap<Vec<u8>, [[u16; 2]; 3]> = HashMap::new();
    let mut site_counts = vec![(GeneRegion::Body, [0u32; 2]); sites.len()];
    let mut site_positions = vec![0u32; sites.len()];
    let (mut reads, mut aligned) = (0u64, 0u64);
    let Some(tid) = file.tid("chr22") else {
        return Err(Error::NoChromosome22 {
            path: file.path.clone(),
        });
    };
    let region = format!("chr22:{LOCUS_START}-{LOCUS_END}");
    let read_error = |path: &std::path::Path, source| Error::Read {
        path: path.to_owned(),
        region: region.clone(),
        source,
    };
    let path = file.path.clone();
    let reader = file.reader();
    reader
        .fetch((tid, i64::from(LOCUS_START) - 1, i64::from(LOCUS_END)))
        .map_err(|e| read_error(&path, e))?;
    let mut record = bam::Record::new();
    while let Some(result) = reader.read(&mut record) {
        result.map_err(|e| read_error(&path, e))?;
        if !counted(&record, options) {
            continue;
        }
        reads += 1;
        let sequence = record.seq().as_bytes();
        let qualities = record.qual();
        let mut read_votes = [[0u16; 2]; 3];
        for ([read_start, _], [start, end]) in record.aligned_block_pairs() {
            aligned += (end - start) as u64;
            add_block(&mut depth, start, end);
            let first = sites.partition_point(|s| s.position < start);
            for site in sites[first..].iter().take_while(|s| s.position < end) {
                let offset = (read_start + site.position - start) as usize;
                let (Some(&base), quality) = (sequence.get(offset), qualities.get(offset)) else {
                    continue;
                };
                if quality.is_some_and(|&q| q != 0xff && q < options.min_base_quality) {
                    continue;
                }
                let gene = match base.to_ascii_uppercase() {
                    b if b == site.cyp2d6_base => 0,
                    b if b == site.cyp2d7_base => 1,
                    _ => continue,
                };
                let slot = &mut read_votes[site.region as usize];
                slot[gene] = slot[gene].saturating_add(1);
                if let Some(counts) = site_counts.get_mut(site.site) {
                    counts.0 = site.region;
                    counts.1[gene] += 1;
                }
                if let Some(position) = site_positions.get_mut(site.site) {
                    *position = site.cyp2d6_position;
                }
            }
        }
        if read_votes.iter().any(|v| v[0] + v[1] > 0) {
            let entry = votes.entry(record.qname().to_vec()).or_default();
            for (sum, v) in entry.iter_mut().zip(read_votes) {
                sum[0] = sum[0].saturating_add(v[0]);
                sum[1] = sum[1].saturating_add(v[1]);
            }
        }
    }
    Ok(LocusReads {
        depth: cumulative(&depth),
        regions: robust_regions(tally(votes.values()), &site_counts),
        exons: exon_fragments(
            site_positions
                .iter()
                .zip(&site_counts)
                .map(|(&position, (_, reads))| (position, *reads)),
        ),
        mean_read_length: if reads == 0 {
            0.0
        } else {
            aligned as f64 / reads as f64
        },
    })
}

/// Adds one aligned block (0-based, half-open) to the difference array.
fn add_block(difference: &mut [i64], start: i64, end: i64) {
    let origin = i64::from(LOCUS_START) - 1;
    let last = difference.len() as i64 - 1;
    let from = (start - origin).clamp(0, last);
    let to = (end - origin).clamp(0, last);
    if from < to {
        difference[from as usize] += 1;
        difference[to as usize] -= 1;
    }
}

/// Per-base depth from the difference array (its last cell dropped).
fn cumulative(difference: &[i64]) -> Vec<u32> {
    let mut running = 0i64;
    let mut out = Vec::with_capacity(difference.len());
    for d in &difference[..difference.len() - 1] {
        running += d;
        out.push(u32::try_from(running).unwrap_or(0));
    }
    out
}

/// Sites with fewer reads are left out of the robust share.
const MIN_SITE_READS: u32 = 4;
/// The fragment counts of each region, re-split by the median share of
/// the region's sites.
///
/// A person's CYP2D6 (or CYP2D7) often carries the other gene's base at a
/// few differing sites: common star alleles carry CYP2D7-like stretches
/// (intron 1 of *2), and CYP2D7 has its own polymorphisms. Those sites read
/// all-CYP2D6 or all-CYP2D7 and would pull a pooled share (NA18505's pooled
/// share is 0.54, its median site share 0.53; HG03130 has a run of sites in
/// intron 1 at 0.2); the median site share ignores them. The number of
/// fragments (the binomial's `n`) is kept.
fn robust_regions(fragments: [Fragments; 3], sites: &[(GeneRegion, [u32; 2])]) -> [Fragments; 3] {
    let mut out = fragments;
    for (region, counts) in out.iter_mut().enumerate() {
        let mut shares: Vec<f64> = sites
            .iter()
            .filter(|(r, c)| *r as usize == region && c[0] + c[1] >= MIN_SITE_READS)
            .map(|(_, c)| f64::from(c[0]) / f64::from(c[0] + c[1]))
            .collect();
        if shares.is_empty() {
            continue;
        }
        shares.sort_by(f64::total_cmp);
        let middle = shares.len() / 2;
        let median = if shares.len().is_multiple_of(2) {
            (shares[middle - 1] + shares[middle]) / 2.0
        } else {
            shares[middle]
        };
        let fragments = counts.cyp2d6 + counts.cyp2d7;
        let cyp2d6 = ((f64::from(fragments) * median).round() as u32).min(fragments);
        *counts = Fragments {
            cyp2d6,
            cyp2d7: fragments - cyp2d6,
        };
    }
    out
}

/// Each fragment's majority per region (ties vote for neither).
fn tally<'a>(votes: impl Iterator<Item = &'a [[u16; 2]; 3]>) -> [Fragments; 3] {
    let mut out = [Fragments::default(); 3];
    for fragment in votes {
        for (counts, [d6, d7]) in out.iter_mut().zip(fragment) {
            match d6.cmp(d7) {
                std::cmp::Ordering::Greater => counts.cyp2d6 += 1,
                std::cmp::Ordering::Less => counts.cyp2d7 += 1,
                std::cmp::Ordering::Equal => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gene_regions_follow_the_minus_strand() {
        assert_eq!(GeneRegion::of(42_126_600), GeneRegion::ThreePrime);
        assert_eq!(GeneRegion::of(42_128_945), GeneRegion::Body);
        assert_eq!(GeneRegion::of(42_130_700), GeneRegion::FivePrime);
    }

    #[test]
    fn fragments_vote_by_majority_per_region() {
        let votes = [[[3, 1], [0, 0], [1, 1]], [[0, 2], [5, 0], [0, 0]]];
        let counts = tally(votes.iter());
        assert_eq!(
            counts[0],
            Fragments {
                cyp2d6: 1,
                cyp2d7: 1
            }
        );
        assert_eq!(
            counts[1],
            Fragments {
                cyp2d6: 1,
                cyp2d7: 0
            }
        );
        assert_eq!(counts[2], Fragments::default());
        assert_eq!(counts[1].share(), Some(1.0));
        assert_eq!(counts[2].share(), None);
    }

    #[test]
    fn robust_share_is_the_median_site_share() {
        let f = |cyp2d6, cyp2d7| Fragments { cyp2d6, cyp2d7 };
        let body = GeneRegion::Body;
        let sites = [
            (body, [50, 50]),
            (body, [48, 52]),
            (body, [52, 48]),
            (body, [100, 0]),
            (body, [0, 100]),
            (body, [1, 1]),
            (body, [50, 50]),
        ];
        let out = robust_regions([f(0, 0), f(300, 100), f(3, 3)], &sites);
        assert_eq!(out[1], f(200, 200));
        assert_eq!(out[0], f(0, 0));
        assert_eq!(out[2], f(3, 3));
    }

    #[test]
    fn depth_from_blocks() {
        let mut difference = vec![0i64; 12];
        let origin = i64::from(LOCUS_START) - 1;
        add_block(&mut difference, origin + 2, origin + 5);
        add_block(&mut difference, origin + 4, origin + 20);
        let depth = cumulative(&difference);
        assert_eq!(depth, [0, 0, 1, 1, 2, 1, 1, 1, 1, 1, 1]);
    }
}
