//! Releasing the sample names an open reader's header holds.
//!
//! htslib parses every name of the `#CHROM` line into the header: a copy of
//! each name in a hash of them (a 64-byte bucket a sample, about twice as
//! many buckets as samples), plus arrays pointing at them. With 200,000
//! samples that is about 23 MB per header, and every reader of the pool
//! ([`crate::reader_pool::ReaderPool`]) has its own header. tailor never
//! asks an htslib header for sample names: they come from its own reading
//! of the header's bytes ([`crate::header_text::HeaderInfo`]), and records
//! are decoded with the sample count alone. So a reader's header keeps
//! the count and lets the names go.
//!
//! The rule this relies on: **nothing asks such a header for sample names
//! afterwards** (`HeaderView::samples`, `sample_id`, `bcf_hdr_id2int` on
//! samples, `bcf_hdr_dup` or writing the header). Should anything do so,
//! it reads empty names, not freed memory: the pointers htslib keeps to
//! the names are pointed at one static empty string.

use std::ffi::c_char;
use std::ptr;

use rust_htslib::bcf::header::HeaderView;
use rust_htslib::htslib;

/// The name every sample has once the dictionary is released.
const NO_NAME: &std::ffi::CStr = c"";

/// Releases the sample-name dictionary of `header`, keeping its sample
/// count (htslib decodes each record's FORMAT fields for that many
/// samples). Returns whether the names were released; when htslib fails
/// (out of memory), the header is left able to decode records and keeps
/// whatever names it still has.
///
/// htslib's `bcf_hdr_set_samples(hdr, NULL, 0)` frees the names and the
/// hash, but also sets the count to 0 and installs a sample mask that
/// makes every later record drop its samples; both are undone here.
pub(crate) fn drop_sample_dictionary(header: &HeaderView) -> bool {
    let hdr = header.inner;
    if hdr.is_null() {
        return false;
    }
    let samples = htslib::BCF_DT_SAMPLE as usize;
    // SAFETY: `hdr` is a non-null header owned by `header`, not used by
    // another thread (readers are used by one thread at a time). Fields
    // are read and written as htslib lays them out (`bcf_hdr_t`); the
    // arrays `id[BCF_DT_SAMPLE]` and `samples` hold `count` entries, as
    // htslib allocated them for the `#CHROM` line.
    unsafe {
        let count = (*hdr).n[samples];
        let no_name = NO_NAME.as_ptr().cast_mut();
        let names: *mut *mut c_char = (*hdr).samples;
        let subset = !(*hdr).keep_samples.is_null();
        if count <= 0 || names.is_null() || subset || *names == no_name {
            // Sites only, subset, or released already: nothing to release.
            return false;
        }
        let dictionary = (*hdr).dict[samples];
        let status = htslib::bcf_hdr_set_samples(hdr, ptr::null(), 0);
        // Decoding needs every sample again, whatever htslib did: no mask
        // (it would drop the samples of each record), the full count.
        if !(*hdr).keep_samples.is_null() {
            htslib::hts_free((*hdr).keep_samples.cast());
            (*hdr).keep_samples = ptr::null_mut();
        }
        (*hdr).nsamples_ori = 0;
        (*hdr).n[samples] = count;
        let released = (*hdr).dict[samples] != dictionary;
        if released {
            // The names these point at were freed with the old hash.
            let length = usize::try_from(count).unwrap_or(0);
            let pairs = (*hdr).id[samples];
            if !pairs.is_null() {
                for pair in std::slice::from_raw_parts_mut(pairs, length) {
                    pair.key = no_name;
                    pair.val = ptr::null_mut();
                }
            }
            std::slice::from_raw_parts_mut(names, length).fill(no_name);
        }
        status == 0 && released
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rust_htslib::bcf::{self, Read as _};

    const VCF: &str = "##fileformat=VCFv4.2\n\
##contig=<ID=chr10,length=1000>\n\
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"x\">\n\
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"x\">\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3\n\
chr10\t100\t.\tA\tG\t.\tPASS\t.\tGT:DP\t0|1:7\t1/1:8\t./.:9\n\
chr10\t200\t.\tC\tT\t.\tPASS\t.\tGT\t1|0\t0/0\t0/1\n";

    /// Every record's GT and DP values for all samples.
    fn decode(reader: &mut bcf::Reader) -> Vec<(Vec<i32>, Vec<i32>)> {
        let mut record = reader.empty_record();
        let mut decoded = Vec::new();
        while let Some(result) = reader.read(&mut record) {
            result.unwrap();
            let gt = record.format(b"GT").integer().unwrap().concat();
            let dp = record
                .format(b"DP")
                .integer()
                .map(|v| v.concat())
                .unwrap_or_default();
            decoded.push((gt, dp));
        }
        decoded
    }

    #[test]
    fn records_decode_every_sample_after_the_names_are_released() {
        let dir = tempfile::tempdir().unwrap();
        let vcf = dir.path().join("a.vcf");
        std::fs::write(&vcf, VCF).unwrap();
        let bcf_path = dir.path().join("a.bcf");
        {
            let mut input = bcf::Reader::from_path(&vcf).unwrap();
            let header = bcf::Header::from_template(input.header());
            let mut writer =
                bcf::Writer::from_path(&bcf_path, &header, false, bcf::Format::Bcf).unwrap();
            let mut record = input.empty_record();
            while let Some(r) = input.read(&mut record) {
                r.unwrap();
                writer.translate(&mut record);
                writer.write(&record).unwrap();
            }
        }
        let expected = decode(&mut bcf::Reader::from_path(&vcf).unwrap());
        assert_eq!(expected[0].0.len(), 6);
        for path in [&vcf, &bcf_path] {
            let mut reader = bcf::Reader::from_path(path).unwrap();
            assert!(drop_sample_dictionary(reader.header()));
            assert_eq!(reader.header().sample_count(), 3);
            assert_eq!(decode(&mut reader), expected, "{}", path.display());
            // Names asked for anyway are empty, not freed memory.
            assert!(reader.header().samples().iter().all(|s| s.is_empty()));
            // Once is all there is to release.
            assert!(!drop_sample_dictionary(reader.header()));
        }
    }

    #[test]
    fn a_sites_only_header_has_nothing_to_release() {
        let dir = tempfile::tempdir().unwrap();
        let vcf = dir.path().join("sites.vcf");
        std::fs::write(
            &vcf,
            "##fileformat=VCFv4.2\n##contig=<ID=chr10,length=1000>\n\
             #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n\
             chr10\t100\t.\tA\tG\t.\tPASS\t.\n",
        )
        .unwrap();
        let mut reader = bcf::Reader::from_path(&vcf).unwrap();
        assert!(!drop_sample_dictionary(reader.header()));
        assert_eq!(reader.header().sample_count(), 0);
        let mut record = reader.empty_record();
        reader.read(&mut record).unwrap().unwrap();
        assert_eq!(record.pos(), 99);
    }
}
