//! What one input says about one gene: its definition sites, and per site
//! the records and each sample's call.

use tailor_schemas::Position;

use crate::genotype::MergedCall;
pub(crate) use crate::sites::GeneSites;

/// The VCF record(s) used at a site.
#[derive(Clone, Debug, Default)]
pub(crate) struct RecordMeta {
    /// REF of the record.
    pub vcf_ref: String,
    /// ALTs of the record, comma-separated.
    pub vcf_alt: String,
    /// QUAL, when present.
    pub quality: Option<f32>,
    /// FILTER as text (`PASS`, `.`, or names joined by `;`).
    pub filter: String,
    /// FILTER is PASS or missing.
    pub pass: bool,
}

/// A sample's genotype at one site from one input.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SampleCall {
    /// Merged over the records at the site.
    pub merged: MergedCall,
    /// FORMAT/PS of a phased call.
    pub phase_set: FormatInt,
    /// FORMAT/DP.
    pub depth: FormatInt,
    /// FORMAT/GQ.
    pub genotype_quality: FormatInt,
    /// Index into [`SiteCalls::records`] of the first record giving a genotype.
    pub record: u8,
    /// A record used was not PASS.
    pub non_pass: bool,
    /// The sample carries an indel that overlaps this site but starts before it.
    pub unnormalised_indel: bool,
}

/// An optional FORMAT integer in 4 bytes (`Option<i32>` takes 8): BCF
/// integers are 32-bit and htslib keeps `i32::MIN` for missing, so that
/// value stands for none. A block of calls is sized by these bytes (see
/// `gene_batches`), so a smaller call means more samples per block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FormatInt(i32);

impl FormatInt {
    const NONE: i32 = i32::MIN;

    /// `value`, which is never `i32::MIN` when it comes from
    /// `record_fields::value_at` (that value is htslib's missing marker).
    pub fn new(value: Option<i32>) -> Self {
        Self(value.filter(|&v| v != Self::NONE).unwrap_or(Self::NONE))
    }

    /// The value, if any.
    pub fn get(self) -> Option<i32> {
        (self.0 != Self::NONE).then_some(self.0)
    }
}

impl Default for FormatInt {
    fn default() -> Self {
        Self(Self::NONE)
    }
}

/// Everything one input says about one site.
#[derive(Clone, Debug, Default)]
pub(crate) struct SiteCalls {
    /// Alleles in the definition's representation; 0 is the definition REF.
    pub alleles: Vec<String>,
    /// Records starting at the site, in file order.
    pub records: Vec<RecordMeta>,
    /// A record's REF disagreed with the definition: the site is dropped.
    pub ref_mismatch: bool,
    /// Per sample of the input read, from [`GeneInput::first_sample`]
    /// (empty until a record is seen).
    pub calls: Vec<SampleCall>,
}

/// Which positions of a contig an input has records around.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Coverage {
    /// First record position on the contig (1-based).
    pub first: Option<u32>,
    /// Last record position on the contig (1-based), or at least one past
    /// the gene when records follow it.
    pub last: Option<u32>,
}

impl Coverage {
    /// Whether `pos` lies between the first and last record.
    pub fn covers(&self, pos: Position) -> bool {
        matches!((self.first, self.last), (Some(first), Some(last)) if first <= pos.get() && pos.get() <= last)
    }

    /// Extends the coverage to include a record at `pos`.
    pub fn include(&mut self, pos: u32) {
        self.first = Some(self.first.map_or(pos, |f| f.min(pos)));
        self.last = Some(self.last.map_or(pos, |l| l.max(pos)));
    }
}

/// One input's calls for one gene.
#[derive(Clone, Debug)]
pub(crate) struct GeneInput {
    /// Per site, aligned with [`GeneSites::sites`].
    pub sites: Vec<SiteCalls>,
    /// The span of records on the gene's contig.
    pub coverage: Coverage,
    /// Whether the input has the gene's contig at all.
    pub has_contig: bool,
    /// The input's sample index of each site's first call.
    pub first_sample: usize,
}

impl GeneInput {
    /// The call of the input's sample `local` at site `k`, if read.
    pub fn call(&self, k: usize, local: usize) -> Option<&SampleCall> {
        self.sites
            .get(k)?
            .calls
            .get(local.checked_sub(self.first_sample)?)
    }

    /// Whether this input has anything on the gene: a genotype, a REF
    /// mismatch or coverage. One that has not gives no row a value.
    pub fn says_anything(&self) -> bool {
        self.coverage.first.is_some()
            || self
                .sites
                .iter()
                .any(|site| site.ref_mismatch || !site.calls.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block size in `gene_batches` assumes 28 bytes per call.
    #[test]
    fn a_sample_call_takes_28_bytes() {
        assert_eq!(std::mem::size_of::<SampleCall>(), 28);
    }

    #[test]
    fn format_int_keeps_every_value_but_htslibs_missing_marker() {
        assert_eq!(FormatInt::new(Some(0)).get(), Some(0));
        assert_eq!(FormatInt::new(Some(-5)).get(), Some(-5));
        assert_eq!(FormatInt::new(Some(i32::MAX)).get(), Some(i32::MAX));
        assert_eq!(FormatInt::new(None).get(), None);
        assert_eq!(FormatInt::new(Some(i32::MIN)).get(), None);
        assert_eq!(FormatInt::default().get(), None);
    }
}
