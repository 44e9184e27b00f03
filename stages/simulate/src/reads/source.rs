//! Sources of reads: stretches of one simulated chromosome, each base
//! placed on the reference (or marked inserted), so a read drawn from a
//! source knows its true alignment.

use crate::reads::reference::Island;

/// Marks a source base that is inserted relative to the reference.
pub(crate) const INSERTED: u32 = u32::MAX;

/// A sequence variant on a haplotype, in VCF representation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Edit<'a> {
    /// 0-based reference position of the REF allele's first base.
    pub start: u32,
    /// REF length.
    pub ref_len: u32,
    /// The allele the haplotype carries.
    pub alt: &'a [u8],
}

/// A stretch of a simulated chromosome that reads are drawn from.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    /// Contig index.
    pub tid: usize,
    /// Index of the island holding the reference bases.
    pub island: usize,
    /// The chromosome's bases.
    pub bases: Vec<u8>,
    /// Each base's 0-based reference position, [`INSERTED`] for inserted bases.
    pub positions: Vec<u32>,
    /// Exome-like capture targets as half-open base-index windows (none:
    /// no reads); `None` for whole-genome coverage.
    pub targets: Option<Vec<(usize, usize)>>,
    /// For a hybrid's junction part: where its fragments cross and which
    /// reads are CYP2D7 sequence.
    pub junction: Option<SourceJunction>,
}

/// A junction source's breakpoint (0-based reference positions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SourceJunction {
    /// Every fragment covers this position and the one before it.
    pub crossing: u32,
    /// Half-open span of CYP2D7 sequence: a read touching it has both
    /// paralogs' bases, and an aligner gives it a low mapping quality.
    pub cyp2d7_side: (u32, u32),
}

/// Builds the source covering reference `[start, end)` (0-based) of
/// `island` with `edits` (sorted by start) applied. An edit reaching
/// outside the stretch, or overlapping an edit already applied, is left
/// out. The edit's allele is aligned to REF from the left: shared leading
/// bases match, then the length difference is an insertion or deletion
/// right after the first base (definitions anchor indels on one base),
/// then the rest is matched base for base.
pub(crate) fn build_source(
    island_index: usize,
    island: &Island,
    (start, end): (u32, u32),
    edits: &[Edit<'_>],
) -> Source {
    let capacity = (end - start) as usize;
    let mut bases = Vec::with_capacity(capacity);
    let mut positions = Vec::with_capacity(capacity);
    let mut cursor = start;
    for edit in edits {
        if edit.start < cursor || edit.start + edit.ref_len > end {
            continue;
        }
        for position in cursor..edit.start {
            bases.push(island.base(position));
            positions.push(position);
        }
        apply(edit, &mut bases, &mut positions);
        cursor = edit.start + edit.ref_len;
    }
    for position in cursor..end {
        bases.push(island.base(position));
        positions.push(position);
    }
    Source {
        tid: island.tid,
        island: island_index,
        bases,
        positions,
        targets: None,
        junction: None,
    }
}

fn apply(edit: &Edit<'_>, bases: &mut Vec<u8>, positions: &mut Vec<u32>) {
    let ref_len = edit.ref_len as usize;
    let alt_len = edit.alt.len();
    let anchor = usize::from(ref_len > 0 && alt_len > 0 && ref_len != alt_len);
    // Anchor base, then the indel, then the rest base for base.
    let tail = ref_len.min(alt_len) - anchor;
    let mut alt = edit.alt.iter().copied();
    let mut ref_position = edit.start;
    for _ in 0..anchor {
        bases.extend(alt.next());
        positions.push(ref_position);
        ref_position += 1;
    }
    if alt_len > ref_len {
        for _ in 0..alt_len - ref_len {
            bases.extend(alt.next());
            positions.push(INSERTED);
        }
    } else {
        ref_position += (ref_len - alt_len) as u32;
    }
    for _ in 0..tail {
        bases.extend(alt.next());
        positions.push(ref_position);
        ref_position += 1;
    }
}

impl Source {
    /// Sets exome-like targets from reference intervals `[start, end)`
    /// (0-based) on this source's contig.
    pub fn set_targets(&mut self, targets: &[(usize, u32, u32)]) {
        // Positions made non-decreasing (an inserted base takes its left
        // neighbour's) so windows can be found by binary search.
        let mut last = 0;
        let anchors: Vec<u32> = self
            .positions
            .iter()
            .map(|&p| {
                if p != INSERTED {
                    last = p;
                }
                last
            })
            .collect();
        self.targets = Some(
            targets
                .iter()
                .filter(|t| t.0 == self.tid)
                .map(|&(_, start, end)| {
                    (
                        anchors.partition_point(|&p| p < start),
                        anchors.partition_point(|&p| p < end),
                    )
                })
                .filter(|(from, to)| from < to)
                .collect(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn island() -> Island {
        Island {
            tid: 0,
            start: 100,
            bases: b"ACGTACGTCATGGG".to_vec(),
        }
    }

    #[test]
    fn insertion_after_the_anchor() {
        // REF CAT at 108 -> CATAT: C, inserted AT, then AT matched.
        let edits = [Edit {
            start: 108,
            ref_len: 3,
            alt: b"CATAT",
        }];
        let source = build_source(0, &island(), (106, 114), &edits);
        assert_eq!(source.bases, b"GTCATATGGG");
        assert_eq!(
            source.positions,
            [106, 107, 108, INSERTED, INSERTED, 109, 110, 111, 112, 113]
        );
    }

    #[test]
    fn deletion_and_snv() {
        let edits = [
            Edit {
                start: 101,
                ref_len: 1,
                alt: b"T",
            },
            Edit {
                start: 104,
                ref_len: 3,
                alt: b"A",
            },
        ];
        let source = build_source(0, &island(), (100, 109), &edits);
        assert_eq!(source.bases, b"ATGTATC");
        assert_eq!(source.positions, [100, 101, 102, 103, 104, 107, 108]);
    }
}
