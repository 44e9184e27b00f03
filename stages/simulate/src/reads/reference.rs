//! The reference the reads are simulated against, and its bgzipped FASTA.
//!
//! Outside the CYP2D6/CYP2D7/CYP2D8 locus these machines have no GRCh38
//! bases, so the reference is our own: seeded random bases over every
//! island (each definition position ± a flank, merged, and the three
//! copy-number control windows) with the definitions' REF alleles placed at
//! their positions, and `N` everywhere else up to the real GRCh38 contig
//! lengths. The CYP2D locus carries its real GRCh38 bases
//! ([`tailor_definitions::cyp2d_locus::locus`]).

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use tailor_definitions::cyp2d_locus::{ReferenceStretch, CONTROL_WINDOWS};

use crate::panel::GenePanel;
use crate::vcf::{contig_rank, GRCH38};

/// A stretch of known (simulated or real) reference bases.
#[derive(Clone, Debug)]
pub(crate) struct Island {
    /// Index of the contig in [`Reference::contigs`].
    pub tid: usize,
    /// 0-based position of the first base.
    pub start: u32,
    /// Upper-case bases.
    pub bases: Vec<u8>,
}

impl Island {
    /// 0-based position one past the last base.
    pub fn end(&self) -> u32 {
        self.start + self.bases.len() as u32
    }

    /// The base at a 0-based position (`N` outside the island).
    pub fn base(&self, position: u32) -> u8 {
        position
            .checked_sub(self.start)
            .and_then(|offset| self.bases.get(offset as usize).copied())
            .unwrap_or(b'N')
    }
}

/// The simulated reference: the contigs used, in GRCh38 order, and the
/// islands of known bases on them, sorted by contig and position.
#[derive(Clone, Debug)]
pub(crate) struct Reference {
    /// Contig names and GRCh38 lengths.
    pub contigs: Vec<(&'static str, u64)>,
    /// Known bases, sorted, non-overlapping.
    pub islands: Vec<Island>,
}

impl Reference {
    /// The index of `chrom` among the contigs.
    pub fn tid(&self, chrom: &str) -> Option<usize> {
        self.contigs.iter().position(|(name, _)| *name == chrom)
    }

    /// The island holding the 0-based `position` of contig `tid`.
    pub fn island_at(&self, tid: usize, position: u32) -> Option<usize> {
        self.islands
            .iter()
            .position(|i| i.tid == tid && i.start <= position && position < i.end())
    }
}

/// A 0-based half-open interval on a GRCh38 contig.
type Interval = (&'static str, u32, u32);

fn grch38_name(chrom: &str) -> Option<&'static str> {
    contig_rank(chrom).map(|rank| GRCH38[rank].0)
}

/// Builds the reference: islands around every site of `panels` (± `flank`),
/// the control windows and the CYP2D `locus`, random bases from `rng`.
pub(crate) fn build_reference(
    panels: &[GenePanel],
    locus: &ReferenceStretch,
    flank: u32,
    rng: &mut ChaCha8Rng,
) -> Reference {
    let mut intervals: Vec<Interval> = Vec::new();
    for panel in panels {
        let Some(chrom) = grch38_name(&panel.chrom) else {
            continue;
        };
        for site in &panel.sites {
            let start = (site.pos - 1).saturating_sub(flank);
            let end = site.pos - 1 + site.alleles[0].len() as u32 + flank;
            intervals.push((chrom, start, end));
        }
    }
    for window in CONTROL_WINDOWS {
        if let Some(chrom) = grch38_name(window.chromosome) {
            intervals.push((chrom, window.start - 1, window.end));
        }
    }
    if let Some(chrom) = grch38_name(&locus.chromosome) {
        intervals.push((chrom, locus.start - 1, locus.end()));
    }
    intervals.sort_by_key(|&(chrom, start, end)| (contig_rank(chrom), start, end));
    let mut merged: Vec<Interval> = Vec::new();
    for interval in intervals {
        match merged.last_mut() {
            Some(last) if last.0 == interval.0 && interval.1 <= last.2 => {
                last.2 = last.2.max(interval.2);
            }
            _ => merged.push(interval),
        }
    }
    let mut contigs: Vec<(&'static str, u64)> = Vec::new();
    let mut islands = Vec::with_capacity(merged.len());
    for (chrom, start, end) in merged {
        if contigs.last().map(|c| c.0) != Some(chrom) {
            let length = contig_rank(chrom).map_or(0, |rank| GRCH38[rank].1);
            contigs.push((chrom, length));
        }
        let bases = (start..end).map(|_| random_base(rng)).collect();
        islands.push(Island {
            tid: contigs.len() - 1,
            start,
            bases,
        });
    }
    let mut reference = Reference { contigs, islands };
    place_definition_references(&mut reference, panels);
    place_stretch(&mut reference, locus);
    reference
}

fn random_base(rng: &mut ChaCha8Rng) -> u8 {
    b"ACGT"[rng.gen_range(0..4usize)]
}

/// Writes each site's REF allele at its position.
fn place_definition_references(reference: &mut Reference, panels: &[GenePanel]) {
    for panel in panels {
        let Some(tid) = reference.tid(&panel.chrom) else {
            continue;
        };
        for site in &panel.sites {
            overwrite(reference, tid, site.pos - 1, site.alleles[0].as_bytes());
        }
    }
}

/// Writes real reference bases over the islands they fall in.
fn place_stretch(reference: &mut Reference, stretch: &ReferenceStretch) {
    if let Some(tid) = reference.tid(&stretch.chromosome) {
        overwrite(reference, tid, stretch.start - 1, &stretch.bases);
    }
}

fn overwrite(reference: &mut Reference, tid: usize, start: u32, bases: &[u8]) {
    for (offset, &base) in bases.iter().enumerate() {
        let position = start + offset as u32;
        if let Some(i) = reference.island_at(tid, position) {
            let island = &mut reference.islands[i];
            island.bases[(position - island.start) as usize] = base;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn islands_carry_the_locus_and_the_definition_references() {
        let definitions = tailor_definitions::Definitions::embedded().unwrap();
        let ugt1a1 = definitions.gene("UGT1A1").unwrap();
        let panel = crate::panel::build_panel(
            ugt1a1,
            &tailor_definitions::GeneFrequencies {
                gene: "UGT1A1".into(),
                alleles: vec![tailor_definitions::AlleleCount {
                    allele: "*28".into(),
                    count: 1,
                    function: String::new(),
                }],
            },
            &mut Vec::new(),
        )
        .unwrap();
        let locus = tailor_definitions::cyp2d_locus::locus().unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let reference = build_reference(&[panel], &locus, 500, &mut rng);
        let names: Vec<&str> = reference.contigs.iter().map(|c| c.0).collect();
        assert_eq!(names, ["chr2", "chr7", "chr12", "chr19", "chr22"]);
        assert_eq!(reference.contigs[4].1, 50_818_468);
        let chr2 = &reference.islands[reference.island_at(0, 233_760_232).unwrap()];
        assert_eq!(
            &chr2.bases[(233_760_232 - chr2.start) as usize..][..3],
            b"CAT"
        );
        let chr22 = &reference.islands[reference.island_at(4, 42_128_944).unwrap()];
        assert_eq!(chr22.base(42_128_944), b'C');
    }
}
