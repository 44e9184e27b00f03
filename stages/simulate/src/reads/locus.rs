//! The CYP2D locus of one chromosome as read sources: the whole locus,
//! extra CYP2D6 copies, and hybrid genes as a CYP2D6 part (aligned to
//! CYP2D6) and a CYP2D7 part (aligned to CYP2D7).
//!
//! Each part is its own source, so no read of a part crosses its ends; a
//! hybrid adds its junction: the fragments that cross the breakpoint
//! (and only those), drawn from [`JUNCTION_FLANK`] bases either side of it
//! as one chimeric stretch aligned to CYP2D6, with CYP2D7's bases at the
//! differing SNV sites of its CYP2D7 side (as an aligner places a read
//! across a hybrid's breakpoint on one paralog, the other's bases showing
//! as mismatches). With them the hybrid's depth is even across the
//! breakpoint, as real reads are. No read spans a deletion's junction.
//! Depth and the CYP2D6/CYP2D7 balance along the genes are as the
//! structure gives them.

use tailor_definitions::cyp2d_locus::{DifferingSite, CYP2D6_GENE, CYP2D7_GENE};

use crate::reads::structure::Cyp2d6Structure;

/// Bases of flank around a CYP2D6 copy: a duplicated copy, or the stretch a
/// `*5` deletion removes, is the gene ± this.
const UNIT_FLANK: u32 = 1_000;

/// First CYP2D6 base (1-based) of a `*36` hybrid's CYP2D6 part: intron 8,
/// between exon 9 (ends 42,126,752) and exon 8 (starts 42,126,851).
const STAR36_CYP2D6_FROM: u32 = 42_126_801;

/// First CYP2D6 base of a `*68` hybrid's CYP2D6 part, and one past the
/// last CYP2D6 base of a `*13`: intron 1, between exon 2 (ends 42,129,909)
/// and exon 1 (starts 42,130,612).
const INTRON1_BREAKPOINT: u32 = 42_130_400;

/// Bases each side of a hybrid's breakpoint in its junction part: longer
/// than any fragment (350 ± 50 by default), so every fragment crossing the
/// breakpoint fits.
const JUNCTION_FLANK: u32 = 1_000;

/// A closed 1-based interval of chr22.
pub(crate) type Span = (u32, u32);

/// A hybrid's breakpoint as read by its junction part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Junction {
    /// The CYP2D6 positions of the part that are CYP2D7 sequence, read
    /// with CYP2D7's bases at the differing SNV sites (and without the
    /// allele's edits).
    pub cyp2d7_side: Span,
    /// The first CYP2D6 position past the breakpoint: every fragment of
    /// the part covers it and the position before it.
    pub crossing: u32,
}

/// Where a stretch of a simulated chromosome comes from and which CYP2D6
/// allele it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LocusPart {
    /// The reference stretch (1-based, closed) it aligns to.
    pub span: Span,
    /// Whether it carries the CYP2D6 allele's edits (else the reference).
    pub edited: bool,
    /// For a hybrid's junction part, its breakpoint.
    pub junction: Option<Junction>,
}

/// A CYP2D6 gene copy, for the per-position truth: the CYP2D6 positions
/// it carries (1-based, closed) and whether it carries the allele's edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct GeneCopy {
    /// CYP2D6 positions present in the copy.
    pub span: Span,
    /// Whether the copy carries the allele's variants (else the reference).
    pub edited: bool,
}

/// CYP2D6 gene ± [`UNIT_FLANK`].
fn cyp2d6_unit() -> Span {
    (CYP2D6_GENE.start - UNIT_FLANK, CYP2D6_GENE.end + UNIT_FLANK)
}

/// CYP2D7 gene ± [`UNIT_FLANK`].
fn cyp2d7_unit() -> Span {
    (CYP2D7_GENE.start - UNIT_FLANK, CYP2D7_GENE.end + UNIT_FLANK)
}

/// The CYP2D7 position aligned to CYP2D6 position `position`, from the
/// nearest differing site at or before it (sites are in CYP2D6 order).
pub(crate) fn cyp2d7_position(sites: &[DifferingSite], position: u32) -> u32 {
    let index = sites
        .partition_point(|s| s.cyp2d6_position <= position)
        .saturating_sub(1);
    sites.get(index).map_or(position, |site| {
        (i64::from(site.cyp2d7_position) + i64::from(position) - i64::from(site.cyp2d6_position))
            as u32
    })
}

/// The parts one chromosome with `structure` is made of, for a locus
/// spanning `locus` (1-based, closed).
pub(crate) fn locus_parts(
    structure: Cyp2d6Structure,
    locus: Span,
    sites: &[DifferingSite],
) -> Vec<LocusPart> {
    let whole = LocusPart {
        span: locus,
        edited: true,
        junction: None,
    };
    let unit = cyp2d6_unit();
    let part = |span: Span, edited: bool| LocusPart {
        span,
        edited,
        junction: None,
    };
    match structure {
        Cyp2d6Structure::Single => vec![whole],
        Cyp2d6Structure::Deletion => vec![
            part((locus.0, unit.0 - 1), false),
            part((unit.1 + 1, locus.1), false),
        ],
        Cyp2d6Structure::Duplication(n) => {
            let mut parts = vec![whole];
            parts.extend((1..n).map(|_| part(unit, true)));
            parts
        }
        Cyp2d6Structure::Star36Star10 => tandem(whole, STAR36_CYP2D6_FROM, sites),
        Cyp2d6Structure::Star68Star4 => tandem(whole, INTRON1_BREAKPOINT, sites),
        // CYP2D6's 3′ end (low coordinates) up to the breakpoint, then
        // CYP2D7's 5′ end.
        Cyp2d6Structure::Star13 => vec![
            part((locus.0, INTRON1_BREAKPOINT - 1), false),
            part(
                (cyp2d7_position(sites, INTRON1_BREAKPOINT - 1) + 1, locus.1),
                false,
            ),
            junction_part(
                INTRON1_BREAKPOINT,
                (INTRON1_BREAKPOINT, INTRON1_BREAKPOINT - 1 + JUNCTION_FLANK),
                false,
            ),
        ],
    }
}

/// A full copy (`whole`) and a CYP2D6-CYP2D7 hybrid whose CYP2D6 part
/// starts at `from` (its 5′ end, up to the copy unit's end) and whose
/// CYP2D7 part is CYP2D7's 3′ end up to the aligned breakpoint.
fn tandem(whole: LocusPart, from: u32, sites: &[DifferingSite]) -> Vec<LocusPart> {
    let d7_to = cyp2d7_position(sites, from - 1);
    vec![
        whole,
        LocusPart {
            span: (from, cyp2d6_unit().1),
            edited: true,
            junction: None,
        },
        LocusPart {
            span: (cyp2d7_unit().0, d7_to),
            edited: false,
            junction: None,
        },
        junction_part(from, (from - JUNCTION_FLANK, from - 1), true),
    ]
}

/// The junction part of a breakpoint before CYP2D6 position `crossing`,
/// whose CYP2D7 sequence is `cyp2d7_side`; `edited` when its CYP2D6 side
/// carries the allele's edits.
fn junction_part(crossing: u32, cyp2d7_side: Span, edited: bool) -> LocusPart {
    LocusPart {
        span: (crossing - JUNCTION_FLANK, crossing - 1 + JUNCTION_FLANK),
        edited,
        junction: Some(Junction {
            cyp2d7_side,
            crossing,
        }),
    }
}

/// The CYP2D6 gene copies of one chromosome with `structure`.
pub(crate) fn gene_copies(structure: Cyp2d6Structure) -> Vec<GeneCopy> {
    let all = (0, u32::MAX);
    let copy = |span: Span, edited: bool| GeneCopy { span, edited };
    match structure {
        Cyp2d6Structure::Single => vec![copy(all, true)],
        Cyp2d6Structure::Deletion => Vec::new(),
        Cyp2d6Structure::Duplication(n) => (0..n).map(|_| copy(all, true)).collect(),
        Cyp2d6Structure::Star36Star10 => {
            vec![copy(all, true), copy((STAR36_CYP2D6_FROM, u32::MAX), true)]
        }
        Cyp2d6Structure::Star68Star4 => {
            vec![copy(all, true), copy((INTRON1_BREAKPOINT, u32::MAX), true)]
        }
        Cyp2d6Structure::Star13 => vec![copy((0, INTRON1_BREAKPOINT - 1), false)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tailor_definitions::cyp2d_locus::CYP2D7_EXONS;

    #[test]
    fn hybrid_parts_fall_in_their_genes() {
        let sites = tailor_definitions::cyp2d_locus::differing_sites().unwrap();
        let locus = (42_106_000, 42_165_600);
        let parts = locus_parts(Cyp2d6Structure::Star36Star10, locus, &sites);
        assert_eq!(parts.len(), 4);
        // The junction crosses CYP2D6 intron 8, CYP2D7 on the exon 9 side.
        let junction = parts[3].junction.unwrap();
        assert_eq!(junction.crossing, 42_126_801);
        assert_eq!(junction.cyp2d7_side, (42_125_801, 42_126_800));
        assert_eq!(parts[3].span, (42_125_801, 42_127_800));
        // The *36 CYP2D7 part ends in CYP2D7 intron 8 (after exon 9).
        let d7 = parts[2].span;
        assert!(d7.0 < CYP2D7_GENE.start);
        assert!(CYP2D7_EXONS[0].end < d7.1 && d7.1 < CYP2D7_EXONS[1].start);
        // The *13 CYP2D7 part starts in CYP2D7 intron 1 (before exon 1).
        let star13 = locus_parts(Cyp2d6Structure::Star13, locus, &sites);
        let from = star13[1].span.0;
        assert!(CYP2D7_EXONS[7].end < from && from < CYP2D7_EXONS[8].start);
        let junction = star13[2].junction.unwrap();
        assert_eq!(junction.cyp2d7_side, (42_130_400, 42_131_399));
        assert_eq!(gene_copies(Cyp2d6Structure::Duplication(3)).len(), 3);
    }
}
