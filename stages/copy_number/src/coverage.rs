//! Telling whole-genome, locus-only and targeted (exome, capture, amplicon)
//! coverage apart from the depth profile of the locus.

use tailor_definitions::cyp2d_locus::{Span, CYP2D6_EXONS, CYP2D6_GENE, CYP2D7_EXONS, CYP2D7_GENE};
use tailor_schemas::copy_number::CoverageKind;

use crate::locus_reads::LocusReads;

/// The stretch between CYP2D7 and CYP2D8: covered like the genes in a
/// genome, far less in capture and not at all in CYP2D6 amplicons.
const FLANK: Span = Span {
    chromosome: "chr22",
    start: 42_145_000,
    end: 42_149_000,
};

/// Below this mean depth over CYP2D6+CYP2D7 nothing is said.
const MIN_LOCUS_DEPTH: f64 = 4.0;
/// Exon depth over intron depth above this is exon-targeted (a genome gives
/// about 1).
const MAX_EXON_INTRON_RATIO: f64 = 2.0;
/// Flank depth over CYP2D7 depth below this is targeted (a genome gives
/// about 1; a CYP2D7 duplication would give 2/3).
const MIN_FLANK_RATIO: f64 = 0.4;
/// CYP2D6 depth over flank depth above this is no genome's (7 CYP2D6
/// copies against the flank's 2). The flank, not CYP2D7, is the yardstick:
/// `*13` (CYP2D7's 5′ end fused to CYP2D6) removes CYP2D7's body from its
/// chromosome, so a `*13/*13` genome has almost no CYP2D7 depth and a
/// `*2x3/*13` genome 4 CYP2D6 copies against 1 CYP2D7 (both were taken for
/// targeted data before).
const MAX_CYP2D6_FLANK_RATIO: f64 = 3.5;
/// Control depth (two copies) below this is no control coverage.
const MIN_CONTROL_DEPTH: f64 = 2.0;

/// The depths the coverage kind is judged on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LocusDepths {
    /// Mean depth over CYP2D6.
    pub cyp2d6: f64,
    /// Mean depth over CYP2D7.
    pub cyp2d7: f64,
    /// Exon over intron depth of the better-covered gene. A gene with
    /// little depth is left out: with CYP2D7's body gone (`*13/*13`) its
    /// intact exon 1 made the ratio look like capture.
    pub exon_intron_ratio: f64,
    /// Mean depth between CYP2D7 and CYP2D8.
    pub flank: f64,
}

impl LocusDepths {
    /// The depths of one pass over the locus.
    pub fn of(reads: &LocusReads) -> Self {
        let ratio = |exons: &[Span]| {
            let (exon, intron) = reads.exon_intron_depth(exons);
            exon / intron.max(0.5)
        };
        let (cyp2d6, cyp2d7) = (reads.mean_depth(CYP2D6_GENE), reads.mean_depth(CYP2D7_GENE));
        let exons: &[Span] = if cyp2d6 >= cyp2d7 {
            &CYP2D6_EXONS
        } else {
            &CYP2D7_EXONS
        };
        Self {
            cyp2d6,
            cyp2d7,
            exon_intron_ratio: ratio(exons),
            flank: reads.mean_depth(FLANK),
        }
    }
}

/// The coverage kind of a file with these locus depths and this control
/// depth.
pub(crate) fn coverage_kind(depths: &LocusDepths, control_depth: f64) -> CoverageKind {
    if depths.cyp2d6 + depths.cyp2d7 < MIN_LOCUS_DEPTH {
        return CoverageKind::Insufficient;
    }
    let targeted = depths.exon_intron_ratio > MAX_EXON_INTRON_RATIO
        || depths.flank < MIN_FLANK_RATIO * depths.cyp2d7
        || depths.cyp2d6 > MAX_CYP2D6_FLANK_RATIO * depths.flank;
    if targeted {
        CoverageKind::Targeted
    } else if control_depth >= MIN_CONTROL_DEPTH {
        CoverageKind::WholeGenome
    } else {
        CoverageKind::LocusOnly
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_from_its_profile() {
        // Measured on ../shared/data/bam: NYGC 30x (HG03130), hiMoon
        // exome-like (NA19239), pangu capture and amplicon; then a genome
        // with CYP2D6 deleted on both chromosomes, still a genome.
        let cases = [
            ([54.8, 54.4, 1.0, 48.0], 0.0, CoverageKind::LocusOnly),
            ([54.8, 54.4, 1.0, 48.0], 30.0, CoverageKind::WholeGenome),
            ([99.1, 82.3, 20.0, 4.1], 0.0, CoverageKind::Targeted),
            ([111.9, 113.5, 1.1, 21.8], 0.0, CoverageKind::Targeted),
            ([83.9, 20.9, 1.2, 0.0], 0.0, CoverageKind::Targeted),
            ([1.0, 2.0, 1.0, 1.0], 30.0, CoverageKind::Insufficient),
            ([3.0, 30.0, 1.0, 30.0], 30.0, CoverageKind::WholeGenome),
            // *13/*13 (almost no CYP2D7) and *2x3/*13 (4 CYP2D6 copies, 1
            // CYP2D7) on simulated 30x reads.
            ([30.0, 4.2, 1.0, 30.0], 30.0, CoverageKind::WholeGenome),
            ([61.0, 16.0, 1.0, 30.0], 30.0, CoverageKind::WholeGenome),
        ];
        for ([cyp2d6, cyp2d7, exon_intron_ratio, flank], control, kind) in cases {
            let depths = LocusDepths {
                cyp2d6,
                cyp2d7,
                exon_intron_ratio,
                flank,
            };
            assert_eq!(coverage_kind(&depths, control), kind, "{depths:?}");
        }
    }
}
