//! The FORMAT and FILTER values of one record that ingest keeps.

use std::collections::BTreeSet;

use rust_htslib::bcf::Record;

use crate::gene_input::RecordMeta;
use crate::genotype::VECTOR_END;
use crate::htslib_view::{filter_ids, id_name};
use crate::input::Declared;

/// GT values kept per sample: tailor reads haploid and diploid calls.
pub(crate) const GT_WIDTH: usize = 2;

/// htslib's missing value for integer FORMAT fields.
const INT_MISSING: i32 = i32::MIN;

/// How a FILTER value or FORMAT id the header does not declare is named
/// when htslib cannot name it (read through an index).
pub(crate) const UNDECLARED: &str = "undeclared";

/// A sample's genotype with more alleles than [`GT_WIDTH`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Polyploid {
    /// The input's sample index.
    pub sample: usize,
    /// Alleles in the genotype.
    pub ploidy: usize,
}

/// Copies the record's GT values into `buffer`, [`GT_WIDTH`] values per
/// sample (rust-htslib trims each sample's values at the vector end, so a
/// haploid call has one value; it is padded back). `Ok(false)` when the
/// record has no GT.
///
/// # Errors
/// The first sample whose genotype has more than [`GT_WIDTH`] alleles.
pub(crate) fn load_gt(
    record: &Record,
    buffer: &mut Vec<i32>,
    samples: usize,
) -> Result<bool, Polyploid> {
    buffer.clear();
    let Ok(values) = record.format(b"GT").integer() else {
        return Ok(false);
    };
    if values.len() != samples {
        return Ok(false);
    }
    for (sample, alleles) in values.iter().enumerate() {
        if alleles.len() > GT_WIDTH {
            return Err(Polyploid {
                sample,
                ploidy: alleles.len(),
            });
        }
        let mut padded = [VECTOR_END; GT_WIDTH];
        for (slot, value) in padded.iter_mut().zip(alleles.iter()) {
            *slot = *value;
        }
        buffer.extend_from_slice(&padded);
    }
    Ok(true)
}

/// One integer per sample of a FORMAT field, if the record has it.
pub(crate) fn integer_format(record: &Record, tag: &[u8], samples: usize) -> Vec<i32> {
    match record.format(tag).integer() {
        Ok(values) if values.len() == samples => values
            .iter()
            .map(|v| v.first().copied().unwrap_or(INT_MISSING))
            .collect(),
        _ => Vec::new(),
    }
}

/// The value of `sample`, unless missing.
pub(crate) fn value_at(values: &[i32], sample: usize) -> Option<i32> {
    values
        .get(sample)
        .copied()
        .filter(|v| *v != INT_MISSING && *v != INT_MISSING + 1)
}

/// REF, ALT, QUAL and FILTER of `record`. A FILTER value the header does
/// not declare is not PASS; its name (or [`UNDECLARED`] when htslib
/// cannot name it) goes into `undeclared`.
pub(crate) fn record_meta(
    record: &Record,
    alleles: &[&[u8]],
    declared: &Declared,
    undeclared: &mut BTreeSet<String>,
) -> RecordMeta {
    let header = record.header();
    let names: Vec<String> = filter_ids(record)
        .iter()
        .map(|&id| match id_name(header, id) {
            Some(name) if declared.filters.contains(name) => {
                String::from_utf8_lossy(name).into_owned()
            }
            Some(name) => {
                let name = String::from_utf8_lossy(name).into_owned();
                undeclared.insert(name.clone());
                name
            }
            None => {
                undeclared.insert(UNDECLARED.to_owned());
                UNDECLARED.to_owned()
            }
        })
        .collect();
    // An undeclared value is never `PASS`, so it makes the record not PASS.
    let pass = names.is_empty() || names.iter().all(|n| n == "PASS");
    let filter = if names.is_empty() {
        ".".to_owned()
    } else {
        names.join(";")
    };
    let quality = record.qual();
    let (vcf_ref, alts) = match alleles.split_first() {
        Some((first, rest)) => (String::from_utf8_lossy(first).into_owned(), rest),
        None => (String::new(), alleles),
    };
    RecordMeta {
        vcf_ref,
        vcf_alt: alts
            .iter()
            .map(|a| String::from_utf8_lossy(a))
            .collect::<Vec<_>>()
            .join(","),
        quality: (!quality.is_nan() && !rust_htslib::bcf::record::Numeric::is_missing(&quality))
            .then_some(quality),
        filter,
        pass,
    }
}
