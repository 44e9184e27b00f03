//! BCF GT decoding and the merge of several records' calls at one position
//! (stages/ingest/src/genotype.rs).
//!
//! Contract: the ploidy is the number of leading values before the vector
//! end (at most 2); each slot is the encoded allele when it fits, else
//! missing; phasing comes from the second value; a merge counts the records
//! that gave a genotype, keeps the first ploidy, is phased only when every
//! call is, and a conflict is never undone by a later record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tailor_ingest::fuzzing::{decode_gt, merge_calls, MergedSlot, VECTOR_END};

fuzz_target!(|data: &[u8]| {
    let values: Vec<i32> = data
        .chunks_exact(4)
        .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mut calls = Vec::new();
    // Each sample gives 1 to 3 values, the count taken from the value itself.
    let mut rest = values.as_slice();
    while let Some(&first) = rest.first() {
        let width = (first.unsigned_abs() % 3 + 1) as usize;
        let (sample, tail) = rest.split_at(width.min(rest.len()));
        rest = tail;
        let (slots, ploidy, phased) = decode_gt(sample);
        let leading = sample
            .iter()
            .take(2)
            .take_while(|v| **v != VECTOR_END)
            .count();
        assert_eq!(usize::from(ploidy), leading, "{sample:?}");
        for (i, slot) in slots.iter().enumerate() {
            let expected = if i < leading {
                u16::try_from((sample[i] >> 1) - 1).ok()
            } else {
                None
            };
            assert_eq!(*slot, expected, "{sample:?}");
            if let Some(allele) = slot {
                // Re-encoding gives back the value's allele bits.
                assert_eq!((i32::from(*allele) + 1) << 1, sample[i] & !1);
            }
        }
        assert_eq!(phased, ploidy == 2 && sample[1] & 1 == 1, "{sample:?}");
        calls.push((slots, ploidy, phased));
    }
    let mut conflicted = false;
    for end in 0..=calls.len() {
        let prefix = &calls[..end];
        let (slots, ploidy, phased, records) = merge_calls(prefix);
        let given: Vec<_> = prefix.iter().filter(|c| c.1 > 0).collect();
        assert_eq!(usize::from(records), given.len().min(255));
        assert_eq!(phased, given.iter().all(|c| c.2));
        match given.first() {
            Some(first) => assert_eq!(ploidy, first.1),
            None => {
                assert_eq!(slots, [MergedSlot::Unset; 2]);
                assert_eq!(ploidy, 0);
            }
        }
        if given.iter().any(|c| c.1 != ploidy) {
            assert_eq!(slots, [MergedSlot::Conflict; 2]);
        }
        let conflict = slots.contains(&MergedSlot::Conflict);
        assert!(!conflicted || conflict, "a conflict was undone: {prefix:?}");
        conflicted = conflict;
    }
});
