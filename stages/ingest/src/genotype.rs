//! Decoding BCF genotype values and merging several records per position.

/// htslib's marker for the end of a shorter-than-maximum genotype vector.
pub(crate) const VECTOR_END: i32 = i32::MIN + 1;

/// One allele slot of a genotype as a record gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    /// `.`
    Missing,
    /// The record's allele index (0 = REF).
    Allele(u16),
}

/// A sample's genotype in one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RecordCall {
    /// The slots; only the first `ploidy` are meaningful.
    pub slots: [Slot; 2],
    /// 1 (haploid) or 2; 0 when the sample has no GT value at all.
    pub ploidy: u8,
    /// Whether the genotype is phased (`0|1`).
    pub phased: bool,
}

/// Decodes one sample's BCF-encoded GT values (`(allele + 1) << 1 | phased`,
/// 0 = missing, [`VECTOR_END`] pads a haploid call). Polyploid calls keep
/// their first two alleles.
pub(crate) fn decode(values: &[i32]) -> RecordCall {
    let mut call = RecordCall {
        slots: [Slot::Missing; 2],
        ploidy: 0,
        phased: false,
    };
    for (i, &value) in values.iter().take(2).enumerate() {
        if value == VECTOR_END {
            break;
        }
        call.ploidy += 1;
        let allele = (value >> 1) - 1;
        call.slots[i] = match u16::try_from(allele) {
            Ok(index) => Slot::Allele(index),
            Err(_) => Slot::Missing,
        };
        if i == 1 {
            call.phased = value & 1 == 1;
        }
    }
    call
}

/// What one haplotype slot holds after merging every record at a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Merged {
    /// No record has spoken yet.
    Unset,
    /// Reference (every record said REF).
    Reference,
    /// A non-reference allele: index into the position's allele table.
    Alternate(u16),
    /// Some record had `.` here.
    Missing,
    /// Two records claimed a non-reference allele here.
    Conflict,
}

impl Merged {
    fn with(self, other: Merged) -> Merged {
        use Merged::*;
        match (self, other) {
            (Conflict, _) | (_, Conflict) => Conflict,
            (Unset, x) | (x, Unset) => x,
            (Alternate(_), Alternate(_)) => Conflict,
            (Missing, _) | (_, Missing) => Missing,
            (Alternate(a), Reference) | (Reference, Alternate(a)) => Alternate(a),
            (Reference, Reference) => Reference,
        }
    }
}

/// A sample's genotype at one position, merged over the records there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MergedCall {
    /// The two slots (the second is unused when haploid).
    pub slots: [Merged; 2],
    /// Ploidy of the first record that gave a genotype.
    pub ploidy: u8,
    /// Phased in every record that gave a genotype.
    pub phased: bool,
    /// Number of records merged.
    pub records: u8,
}

impl Default for MergedCall {
    fn default() -> Self {
        Self {
            slots: [Merged::Unset; 2],
            ploidy: 0,
            phased: true,
            records: 0,
        }
    }
}

impl MergedCall {
    /// Adds one record's call, whose slots are already mapped to `Merged`
    /// values. An unphased diploid call that would conflict is tried with its
    /// alleles swapped first (split multi-allelic records write `1/0` and
    /// `0/1` for a `1/2`, but other tools may not).
    pub fn add(&mut self, slots: [Merged; 2], ploidy: u8, phased: bool) {
        if ploidy == 0 {
            return;
        }
        if self.records == 0 {
            self.ploidy = ploidy;
        } else if self.ploidy != ploidy {
            self.slots = [Merged::Conflict; 2];
        }
        self.records = self.records.saturating_add(1);
        self.phased &= phased;
        let straight = [self.slots[0].with(slots[0]), self.slots[1].with(slots[1])];
        let conflicts = straight.contains(&Merged::Conflict);
        if conflicts && !phased && ploidy == 2 {
            let swapped = [self.slots[0].with(slots[1]), self.slots[1].with(slots[0])];
            if !swapped.contains(&Merged::Conflict) {
                self.slots = swapped;
                return;
            }
        }
        self.slots = straight;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gt(a: i32, b: i32, phased: bool) -> [i32; 2] {
        [(a + 1) << 1, ((b + 1) << 1) | i32::from(phased)]
    }

    #[test]
    fn decodes_diploid_haploid_and_missing() {
        let call = decode(&gt(0, 1, true));
        assert_eq!(call.slots, [Slot::Allele(0), Slot::Allele(1)]);
        assert!(call.phased);
        assert_eq!(call.ploidy, 2);
        let haploid = decode(&[(1 + 1) << 1, VECTOR_END]);
        assert_eq!(haploid.ploidy, 1);
        assert_eq!(haploid.slots[0], Slot::Allele(1));
        let missing = decode(&[0, 0]);
        assert_eq!(missing.slots, [Slot::Missing, Slot::Missing]);
        assert_eq!(missing.ploidy, 2);
        assert!(!decode(&gt(0, 1, false)).phased);
    }

    #[test]
    fn merges_split_multiallelic_records() {
        use Merged::*;
        let mut call = MergedCall::default();
        call.add([Alternate(1), Reference], 2, false);
        call.add([Reference, Alternate(2)], 2, false);
        assert_eq!(call.slots, [Alternate(1), Alternate(2)]);
        assert_eq!(call.records, 2);
    }

    #[test]
    fn swaps_unphased_calls_to_avoid_a_conflict() {
        use Merged::*;
        let mut call = MergedCall::default();
        call.add([Reference, Alternate(1)], 2, false);
        call.add([Reference, Alternate(2)], 2, false);
        assert_eq!(call.slots, [Alternate(2), Alternate(1)]);
    }

    #[test]
    fn phased_double_alternate_is_a_conflict() {
        use Merged::*;
        let mut call = MergedCall::default();
        call.add([Reference, Alternate(1)], 2, true);
        call.add([Reference, Alternate(2)], 2, true);
        assert_eq!(call.slots[1], Conflict);
    }

    #[test]
    fn missing_wins_over_reference() {
        use Merged::*;
        let mut call = MergedCall::default();
        call.add([Reference, Reference], 2, true);
        call.add([Missing, Missing], 2, true);
        assert_eq!(call.slots, [Missing, Missing]);
    }
}
