//! The true alignment of a read drawn from a [`Source`]: its position,
//! CIGAR, and the MD and NM tags against the reference.

use std::fmt::Write as _;

use rust_htslib::bam::record::Cigar;

use crate::reads::reference::Island;
use crate::reads::source::{Source, INSERTED};

/// A read's alignment to the reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Alignment {
    /// 0-based position of the first aligned base.
    pub pos: u32,
    /// 0-based position one past the last aligned base.
    pub end: u32,
    /// The CIGAR (inserted bases at either end are soft-clipped).
    pub cigar: Vec<Cigar>,
    /// The MD tag.
    pub md: String,
    /// Edit distance to the reference (mismatches, inserted and deleted bases).
    pub nm: u32,
}

/// Run-length CIGAR builder.
#[derive(Default)]
struct CigarBuilder(Vec<Cigar>);

impl CigarBuilder {
    fn push(&mut self, op: fn(u32) -> Cigar, len: u32) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.0.last_mut() {
            let merged = match (*last, op(0)) {
                (Cigar::Match(n), Cigar::Match(_)) => Some(Cigar::Match(n + len)),
                (Cigar::Ins(n), Cigar::Ins(_)) => Some(Cigar::Ins(n + len)),
                _ => None,
            };
            if let Some(merged) = merged {
                *last = merged;
                return;
            }
        }
        self.0.push(op(len));
    }
}

/// Aligns `read` (the source's bases `range`, sequencing errors included)
/// against `island`; `None` if no base of it is aligned.
pub(crate) fn align(
    source: &Source,
    island: &Island,
    range: std::ops::Range<usize>,
    read: &[u8],
) -> Option<Alignment> {
    let positions = &source.positions[range];
    let first = positions.iter().position(|&p| p != INSERTED)?;
    let last = positions.iter().rposition(|&p| p != INSERTED)?;
    let mut cigar = CigarBuilder::default();
    cigar.push(Cigar::SoftClip, first as u32);
    let mut md = String::new();
    let mut nm = 0;
    let mut matches = 0u32;
    let mut previous: Option<u32> = None;
    let mut inserted = 0u32;
    for (offset, &position) in positions.iter().enumerate().take(last + 1).skip(first) {
        if position == INSERTED {
            inserted += 1;
            continue;
        }
        cigar.push(Cigar::Ins, inserted);
        nm += inserted;
        inserted = 0;
        if let Some(previous) = previous {
            if position > previous + 1 {
                let _ = write!(md, "{matches}^");
                matches = 0;
                for deleted in previous + 1..position {
                    md.push(char::from(island.base(deleted)));
                }
                cigar.push(Cigar::Del, position - previous - 1);
                nm += position - previous - 1;
            }
        }
        cigar.push(Cigar::Match, 1);
        let reference = island.base(position);
        if read[offset] == reference {
            matches += 1;
        } else {
            let _ = write!(md, "{matches}{}", char::from(reference));
            matches = 0;
            nm += 1;
        }
        previous = Some(position);
    }
    let _ = write!(md, "{matches}");
    cigar.push(Cigar::SoftClip, (positions.len() - 1 - last) as u32);
    Some(Alignment {
        pos: positions[first],
        end: positions[last] + 1,
        cigar: cigar.0,
        md,
        nm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reads::source::{build_source, Edit};

    #[test]
    fn insertion_deletion_and_mismatch_tags() {
        let island = Island {
            tid: 0,
            start: 100,
            bases: b"ACGTACGTCATGGGACGT".to_vec(),
        };
        let edits = [
            Edit {
                start: 102,
                ref_len: 3,
                alt: b"G",
            },
            Edit {
                start: 108,
                ref_len: 3,
                alt: b"CATAT",
            },
        ];
        let source = build_source(0, &island, (100, 118), &edits);
        let mut read = source.bases.clone();
        read[1] = b'A';
        let alignment = align(&source, &island, 0..source.bases.len(), &read).unwrap();
        assert_eq!(alignment.pos, 100);
        assert_eq!(
            alignment.cigar,
            [
                Cigar::Match(3),
                Cigar::Del(2),
                Cigar::Match(4),
                Cigar::Ins(2),
                Cigar::Match(9)
            ]
        );
        assert_eq!(alignment.md, "1C1^TA13");
        assert_eq!(alignment.nm, 5);
        // A read ending inside the insertion: the inserted bases are clipped.
        let alignment = align(&source, &island, 0..9, &read[..9]).unwrap();
        assert_eq!(alignment.cigar.last(), Some(&Cigar::SoftClip(2)));
    }
}
