//! One read's allele at one site: its sequence over the definition's REF
//! span, rebuilt from the CIGAR and the read's bases.

use rust_htslib::bam::record::{Cigar, Record};

/// A site's reference span, 0-based inclusive, and whether its alleles
/// include an insertion after the span's last base.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    /// First reference base (0-based).
    pub start: i64,
    /// Last reference base (0-based).
    pub end: i64,
    /// Bases inserted right after `end` belong to the allele: true when a
    /// documented allele is longer than REF (an insertion such as `C>CA`).
    /// Otherwise such an insertion belongs to the next position.
    pub insertion_after_end: bool,
    /// Aligned reference bases a read must have after the span: 1 for a
    /// substitution, [`INDEL_ANCHOR`] where the alleles differ in length.
    pub anchor_after: i64,
}

/// Aligned bases a read must reach beyond an indel site to be counted. A
/// read that ends inside a tandem repeat (UGT1A1's (TA)n, CYP2D6 *3's and
/// *6's homopolymer runs) looks like the reference whichever allele it
/// comes from; 20 bases span the longest repeat of any definition indel
/// (the TA(6-8) repeat, up to 16 bases).
pub(crate) const INDEL_ANCHOR: i64 = 20;

/// What one read shows at one site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Observation {
    /// The read's bases over the span (upper case).
    pub allele: Vec<u8>,
    /// The lowest base quality among them (for a deletion of the whole
    /// span: the lower of the two flanking bases).
    pub quality: u8,
}

/// The read's allele over `span`, or `None` when the read does not cover
/// the span with aligned bases on both sides (it starts or ends inside it,
/// or a reference skip crosses it).
pub(crate) fn observe(record: &Record, span: Span) -> Option<Observation> {
    let seq = record.seq();
    let quals = record.qual();
    let base = |q: usize| (q < seq.len()).then(|| seq[q].to_ascii_uppercase());
    let mut reference = record.pos();
    let mut query = 0usize;
    let mut allele = Vec::new();
    let mut quality = u8::MAX;
    // The quality of the aligned bases flanking the span.
    let (mut before, mut after): (Option<u8>, Option<u8>) = (None, None);
    let mut last_aligned = i64::MIN;
    let after_pos = span.end + 1;
    for op in record.cigar().iter() {
        match *op {
            Cigar::Match(n) | Cigar::Equal(n) | Cigar::Diff(n) => {
                for i in 0..n as usize {
                    let r = reference + i as i64;
                    let q = query + i;
                    let qual = *quals.get(q)?;
                    if r == span.start - 1 {
                        before = Some(qual);
                    } else if r == after_pos {
                        after = Some(qual);
                    } else if (span.start..=span.end).contains(&r) {
                        allele.push(base(q)?);
                        quality = quality.min(qual);
                    }
                }
                if n > 0 {
                    last_aligned = reference + i64::from(n) - 1;
                }
                reference += i64::from(n);
                query += n as usize;
            }
            Cigar::Ins(n) => {
                // Inserted after reference base `reference - 1`.
                let anchor = reference - 1;
                let inside = (span.start..span.end).contains(&anchor)
                    || (anchor == span.end && span.insertion_after_end);
                if inside {
                    for q in query..query + n as usize {
                        allele.push(base(q)?);
                        quality = quality.min(*quals.get(q)?);
                    }
                }
                query += n as usize;
            }
            Cigar::Del(n) => reference += i64::from(n),
            Cigar::RefSkip(n) => {
                let skipped = reference..reference + i64::from(n);
                if skipped.start <= span.end + 1 && span.start <= skipped.end {
                    return None;
                }
                reference += i64::from(n);
            }
            Cigar::SoftClip(n) => query += n as usize,
            Cigar::HardClip(_) | Cigar::Pad(_) => {}
        }
    }
    // Covered on both sides: an aligned base before the span (or the read
    // starting on its first base) and one after it.
    let starts_inside = record.pos() > span.start;
    let (Some(after), false) = (after, starts_inside) else {
        return None;
    };
    if before.is_none() && record.pos() != span.start {
        return None;
    }
    if last_aligned < span.end + span.anchor_after {
        return None;
    }
    if allele.is_empty() {
        quality = before.unwrap_or(after).min(after);
    }
    Some(Observation { allele, quality })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_htslib::bam::record::CigarString;

    fn read(pos: i64, cigar: Vec<Cigar>, seq: &[u8]) -> Record {
        let mut record = Record::new();
        let quals = vec![30u8; seq.len()];
        record.set(b"r1", Some(&CigarString(cigar)), seq, &quals);
        record.set_pos(pos);
        record
    }

    fn span(start: i64, end: i64, insertion_after_end: bool) -> Span {
        Span {
            start,
            end,
            insertion_after_end,
            anchor_after: 1,
        }
    }

    /// The allele `read` shows over `span`, as text.
    fn allele(record: &Record, span: Span) -> Option<String> {
        observe(record, span).map(|o| String::from_utf8_lossy(&o.allele).into_owned())
    }

    #[test]
    fn rebuilds_snvs_insertions_and_deletions_over_the_span() {
        let plain = read(100, vec![Cigar::Match(5)], b"ACGTA");
        // ref 100..104, `T` inserted after 102.
        let inserted = vec![Cigar::Match(3), Cigar::Ins(1), Cigar::Match(2)];
        let inserted = read(100, inserted, b"ACGTTA");
        // REF `CAT` at 101..103; the read deletes `AT`.
        let deleted = vec![Cigar::Match(2), Cigar::Del(2), Cigar::Match(2)];
        let deleted = read(100, deleted, b"GCGG");
        let cases = [
            (&plain, span(102, 102, false), Some("G"), "a base"),
            (
                &plain,
                span(104, 104, false),
                None,
                "no base after the span",
            ),
            (&plain, span(99, 99, false), None, "span before the read"),
            (
                &inserted,
                span(102, 102, true),
                Some("GT"),
                "an insertion site",
            ),
            (
                &inserted,
                span(102, 102, false),
                Some("G"),
                "the next position's insertion",
            ),
            (&deleted, span(101, 103, true), Some("C"), "a deletion"),
        ];
        for (record, span, want, what) in cases {
            assert_eq!(allele(record, span).as_deref(), want, "{what}");
        }
    }

    #[test]
    fn a_read_ending_inside_a_repeat_says_nothing_about_an_indel() {
        // TA repeat after the anchor C at 0-based 100: the read is
        // aligned as reference through 110 and ends there.
        let seq = vec![b'A'; 111];
        let ends_early = read(0, vec![Cigar::Match(111)], &seq);
        let indel = Span {
            anchor_after: INDEL_ANCHOR,
            ..span(100, 102, true)
        };
        assert_eq!(observe(&ends_early, indel), None);
        let long = read(0, vec![Cigar::Match(130)], &[b'A'; 130]);
        assert!(observe(&long, indel).is_some());
        // A substitution needs only the next base.
        assert!(observe(&ends_early, span(100, 100, false)).is_some());
    }
}
