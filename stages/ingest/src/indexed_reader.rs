//! An indexed VCF/BCF reader that parses the header once.
//!
//! rust-htslib's `bcf::IndexedReader` reads through htslib's synced reader,
//! which parses the header and then keeps a second copy of it for the
//! records (`bcf_hdr_dup`): two sample dictionaries per open reader, each
//! about 140 bytes a sample (heaptrack on `tailor call`, 5,000 vs 40,000
//! simulated people), so 70 MB for 500,000 people. This reader keeps one:
//! a [`bcf::Reader`] parses the header and makes the records, bound to that
//! header, and a second handle on the file reads through the index as the
//! synced reader does inside (a tabix iterator and `vcf_parse` for VCF, the
//! BCF iterator for BCF). That header then lets its sample names go
//! ([`drop_sample_dictionary`]): only the sample count is needed to decode
//! records, and nothing asks this reader's header for names.
//!
//! Every unsafe call of the crate that walks an index lives here. The
//! invariants:
//! - `file` is non-null and owned from [`IndexedReader::open`] to `Drop`;
//!   `bgzf` is its BGZF stream (checked non-null), owned by `file`.
//! - Exactly one of `tabix` and `bcf_index` is non-null after `open`, the
//!   one of the file's format; `iterator` is null or the iterator of the
//!   last [`IndexedReader::fetch`] over that index. `Drop` frees each once.
//! - `line` is htslib's growable buffer (`malloc`ed by htslib, freed with
//!   `hts_free`), used only for VCF lines.
//! - Records given to [`IndexedReader::read`] come from
//!   [`IndexedReader::empty_record`], so they are bound to the header that
//!   `vcf_parse` gets: rust-htslib's lookups on them see the ids htslib
//!   adds for undeclared tags, as with a plain `bcf::Reader`.
//! - A reader and its records are used by one thread at a time (`&mut
//!   self`; records are made and dropped inside one pooled use), which is
//!   what makes the `Send` below sound, as for rust-htslib's own readers.

use std::ffi::{c_void, CString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr;

use rust_htslib::bcf::{self, header::HeaderView, Read as _, Record};
use rust_htslib::errors::Error as HtsError;
use rust_htslib::htslib;

use crate::gene_reader::contig_name;
use crate::input::open_reader;
use crate::sample_dictionary::drop_sample_dictionary;
use crate::{Error, Result};

/// The end the synced reader queries to (htslib's `MAX_CSI_COOR`): to the
/// end of the contig.
const TO_CONTIG_END: i64 = (1 << (14 + 30)) - 1;

/// An open VCF.gz/BCF file read through its index, one region at a time.
pub(crate) struct IndexedReader {
    /// Parses the header once and makes records bound to it; its own file
    /// handle is never read.
    header: bcf::Reader,
    file: *mut htslib::htsFile,
    bgzf: *mut htslib::BGZF,
    tabix: *mut htslib::tbx_t,
    bcf_index: *mut htslib::hts_idx_t,
    iterator: *mut htslib::hts_itr_t,
    /// The contig (header id) of the last fetch.
    rid: Option<u32>,
    line: htslib::kstring_t,
}

// SAFETY: see the module's invariants; nothing here is shared with another
// reader, and one thread at a time uses it.
unsafe impl Send for IndexedReader {}

impl IndexedReader {
    /// Opens `path` and loads its index (htslib finds it, `.tbi` or `.csi`,
    /// as the synced reader does; `index` is the one named in errors).
    ///
    /// # Errors
    /// [`Error::NotVcf`] if the header cannot be parsed; [`Error::BadIndex`]
    /// if the file is not BGZF-compressed VCF or BCF, or the index cannot be
    /// loaded.
    pub fn open(path: &Path, index: &Path) -> Result<Self> {
        let bad = |reason: &str| Error::BadIndex {
            path: path.to_path_buf(),
            index: index.to_path_buf(),
            reason: reason.to_owned(),
        };
        let header = open_reader(path)?;
        // Sample names come from tailor's reading of the header's bytes;
        // this reader only decodes records (see `sample_dictionary`). If
        // htslib cannot release them, the reader works all the same.
        drop_sample_dictionary(header.header());
        let name = CString::new(path.as_os_str().as_bytes())
            .map_err(|_| bad("the path holds a NUL byte"))?;
        // SAFETY: both strings are NUL-terminated; the result is checked.
        let file = unsafe { htslib::hts_open(name.as_ptr(), c"r".as_ptr()) };
        if file.is_null() {
            return Err(bad("htslib cannot open the file"));
        }
        let mut reader = Self {
            header,
            file,
            bgzf: ptr::null_mut(),
            tabix: ptr::null_mut(),
            bcf_index: ptr::null_mut(),
            iterator: ptr::null_mut(),
            rid: None,
            line: htslib::kstring_t {
                l: 0,
                m: 0,
                s: ptr::null_mut(),
            },
        };
        // SAFETY: `file` is non-null (checked above) and open.
        let format = unsafe { (*file).format };
        if format.compression != htslib::htsCompression_bgzf {
            return Err(bad("not compressed with bgzip"));
        }
        // SAFETY: as above; the stream belongs to `file`.
        reader.bgzf = unsafe { htslib::hts_get_bgzfp(file) };
        if reader.bgzf.is_null() {
            return Err(bad("not compressed with bgzip"));
        }
        // A null index name lets htslib find the index, as the synced
        // reader does; the results are checked below.
        match format.format {
            htslib::htsExactFormat_vcf => {
                // SAFETY: `name` is NUL-terminated.
                reader.tabix = unsafe { htslib::tbx_index_load2(name.as_ptr(), ptr::null()) };
            }
            htslib::htsExactFormat_bcf => {
                // SAFETY: `name` is NUL-terminated.
                reader.bcf_index = unsafe { htslib::bcf_index_load2(name.as_ptr(), ptr::null()) };
            }
            _ => return Err(bad("not a VCF or BCF file")),
        }
        if reader.tabix.is_null() && reader.bcf_index.is_null() {
            return Err(bad("htslib cannot load the index"));
        }
        Ok(reader)
    }

    /// The header, as htslib parsed it (with the ids it added since for
    /// undeclared tags).
    pub fn header(&self) -> &HeaderView {
        self.header.header()
    }

    /// A record to read into, bound to this reader's header.
    pub fn empty_record(&self) -> Record {
        self.header.empty_record()
    }

    /// Positions the reader at the first record of contig `rid` (a header
    /// id) that ends at or after 0-based `start`; reading then goes on to
    /// the end of the contig.
    ///
    /// # Errors
    /// `GenomicSeek` when the index has no such contig.
    pub fn fetch(&mut self, rid: u32, start: u64) -> Result<(), HtsError> {
        let seek_error = |contig: String| HtsError::GenomicSeek { contig, start };
        self.drop_iterator();
        self.rid = None;
        let contig = contig_name(self.header(), rid).ok_or_else(|| seek_error(String::new()))?;
        let tid = if self.tabix.is_null() {
            i32::try_from(rid).ok()
        } else {
            let name = CString::new(contig.as_bytes()).map_err(|_| seek_error(contig.clone()))?;
            // SAFETY: `tabix` is non-null (module invariants), `name` is
            // NUL-terminated.
            Some(unsafe { htslib::tbx_name2id(self.tabix, name.as_ptr()) })
        };
        let Some(tid) = tid.filter(|&tid| tid >= 0) else {
            return Err(seek_error(contig));
        };
        let from = i64::try_from(start).unwrap_or(TO_CONTIG_END);
        // SAFETY: the index is non-null and outlives the iterator (`Drop`
        // frees the iterator first); the read function matches the index.
        self.iterator = unsafe {
            if self.tabix.is_null() {
                htslib::hts_itr_query(
                    self.bcf_index,
                    tid,
                    from,
                    TO_CONTIG_END,
                    Some(htslib::bcf_readrec),
                )
            } else {
                htslib::hts_itr_query(
                    (*self.tabix).idx,
                    tid,
                    from,
                    TO_CONTIG_END,
                    Some(htslib::tbx_readrec),
                )
            }
        };
        if self.iterator.is_null() {
            return Err(seek_error(contig));
        }
        self.rid = Some(rid);
        Ok(())
    }

    /// Reads the next record of the fetched contig into `record` (made by
    /// [`IndexedReader::empty_record`]), every field unpacked. `None` at the
    /// end of the contig, or before any fetch.
    pub fn read(&mut self, record: &mut Record) -> Option<Result<(), HtsError>> {
        if self.iterator.is_null() {
            return None;
        }
        let read = if self.tabix.is_null() {
            // SAFETY: `bgzf` and `iterator` are valid (module invariants);
            // `record.inner` is an initialised `bcf1_t`.
            unsafe {
                htslib::hts_itr_next(
                    self.bgzf,
                    self.iterator,
                    record.inner.cast::<c_void>(),
                    ptr::null_mut(),
                )
            }
        } else {
            // SAFETY: as above; `line` is htslib's buffer, which it grows.
            unsafe {
                htslib::hts_itr_next(
                    self.bgzf,
                    self.iterator,
                    ptr::addr_of_mut!(self.line).cast::<c_void>(),
                    self.tabix.cast::<c_void>(),
                )
            }
        };
        if read < 0 {
            self.drop_iterator();
            // -1 is the end of the region; less is a read error.
            return (read < -1).then_some(Err(HtsError::BcfInvalidRecord));
        }
        if !self.tabix.is_null() {
            let header = self.header.header().inner;
            // SAFETY: `line` holds the line just read; `header` is the
            // parsed (non-null, checked by `open_reader`) header `record`
            // is bound to (module invariants).
            let parsed = unsafe { htslib::vcf_parse(&mut self.line, header, record.inner) };
            if parsed < 0 {
                self.drop_iterator();
                return Some(Err(HtsError::BcfInvalidRecord));
            }
        }
        record.unpack();
        if record.rid() != self.rid {
            return None;
        }
        Some(Ok(()))
    }

    fn drop_iterator(&mut self) {
        if !self.iterator.is_null() {
            // SAFETY: non-null, made by `hts_itr_query`, freed once.
            unsafe { htslib::hts_itr_destroy(self.iterator) };
            self.iterator = ptr::null_mut();
        }
    }
}

impl Drop for IndexedReader {
    fn drop(&mut self) {
        self.drop_iterator();
        // SAFETY: each pointer is null or owned by this reader (module
        // invariants), and freed once, the file last.
        unsafe {
            if !self.tabix.is_null() {
                htslib::tbx_destroy(self.tabix);
            }
            if !self.bcf_index.is_null() {
                htslib::hts_idx_destroy(self.bcf_index);
            }
            htslib::hts_free(self.line.s.cast::<c_void>());
            htslib::hts_close(self.file);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rust_htslib::bcf::{Format, Header, Writer};

    const VCF: &str = "##fileformat=VCFv4.2\n\
##contig=<ID=chr10,length=1000>\n##contig=<ID=chr22,length=1000>\n\
##FILTER=<ID=LowQual,Description=\"x\">\n\
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"x\">\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n\
chr10\t100\t.\tA\tG\t.\tPASS\t.\tGT\t0|1\t1/1\n\
chr10\t200\t.\tAC\tA\t.\tLowQual\t.\tGT\t0/0\t0/1\n\
chr10\t300\t.\tT\tC\t.\tUndeclared\t.\tGT\t1|0\t./.\n\
chr22\t50\t.\tG\tT\t.\tPASS\t.\tGT\t0/1\t0/0\n";

    /// Writes `VCF` as `name` in `dir` (BGZF-compressed text, or BCF with
    /// the undeclared FILTER replaced by a declared one), indexed by htslib
    /// (`min_shift` 0: `.tbi`; 14: `.csi`).
    fn indexed(dir: &Path, name: &str, format: Format, min_shift: i32) -> std::path::PathBuf {
        let path = dir.join(name);
        if matches!(format, Format::Vcf) {
            let mut writer = rust_htslib::bgzf::Writer::from_path(&path).unwrap();
            std::io::Write::write_all(&mut writer, VCF.as_bytes()).unwrap();
        } else {
            let text = dir.join("input.vcf");
            std::fs::write(&text, VCF.replace("Undeclared", "LowQual")).unwrap();
            let mut input = bcf::Reader::from_path(&text).unwrap();
            let records: Vec<Record> = input.records().map(|r| r.unwrap()).collect();
            let header = Header::from_template(input.header());
            let mut writer = Writer::from_path(&path, &header, false, format).unwrap();
            for mut record in records {
                writer.translate(&mut record);
                writer.write(&record).unwrap();
            }
        }
        let name = CString::new(path.as_os_str().as_bytes()).unwrap();
        // SAFETY: a NUL-terminated path to a closed, BGZF-compressed file.
        assert_eq!(
            unsafe { htslib::bcf_index_build(name.as_ptr(), min_shift) },
            0
        );
        path
    }

    /// `(1-based position, first sample's GT values)` of the records read
    /// after fetching `contig` from 0-based `start`.
    fn positions(reader: &mut IndexedReader, contig: &[u8], start: u64) -> Vec<(i64, Vec<i32>)> {
        let rid = reader.header().name2rid(contig).unwrap();
        reader.fetch(rid, start).unwrap();
        let mut record = reader.empty_record();
        let mut read = Vec::new();
        while let Some(result) = reader.read(&mut record) {
            result.unwrap();
            let gt = record.format(b"GT").integer().unwrap()[0].to_vec();
            read.push((record.pos() + 1, gt));
        }
        read
    }

    #[test]
    fn reads_a_contig_from_a_position_through_tabix_and_csi_indexes() {
        let dir = tempfile::tempdir().unwrap();
        for (name, format, min_shift) in [
            ("a.vcf.gz", Format::Vcf, 0),
            ("b.vcf.gz", Format::Vcf, 14),
            ("c.bcf", Format::Bcf, 14),
        ] {
            let path = indexed(dir.path(), name, format, min_shift);
            let mut reader = IndexedReader::open(&path, &path).unwrap();
            // 0|1 is (ref, phased alt): htslib's encoding 2, 5.
            let chr10 = positions(&mut reader, b"chr10", 0);
            assert_eq!(
                chr10.iter().map(|r| r.0).collect::<Vec<_>>(),
                [100, 200, 300],
                "{name}"
            );
            assert_eq!(chr10[0].1, [2, 5], "{name}");
            // The deletion at 200 spans 201: it is read from there.
            let from_201 = positions(&mut reader, b"chr10", 200);
            assert_eq!(
                from_201.iter().map(|r| r.0).collect::<Vec<_>>(),
                [200, 300],
                "{name}"
            );
            let chr22 = positions(&mut reader, b"chr22", 0);
            assert_eq!(
                chr22.iter().map(|r| r.0).collect::<Vec<_>>(),
                [50],
                "{name}"
            );
            // Past the last record: nothing, and reading again stays done.
            assert!(positions(&mut reader, b"chr10", 900).is_empty(), "{name}");
            let mut record = reader.empty_record();
            assert!(reader.read(&mut record).is_none(), "{name}");
        }
    }

    #[test]
    fn names_ids_htslib_added_for_undeclared_tags() {
        let dir = tempfile::tempdir().unwrap();
        let path = indexed(dir.path(), "a.vcf.gz", Format::Vcf, 0);
        let mut reader = IndexedReader::open(&path, &path).unwrap();
        let rid = reader.header().name2rid(b"chr10").unwrap();
        reader.fetch(rid, 250).unwrap();
        let mut record = reader.empty_record();
        reader.read(&mut record).unwrap().unwrap();
        let ids = crate::htslib_view::filter_ids(&record);
        assert_eq!(ids.len(), 1);
        let name = crate::htslib_view::id_name(record.header(), ids[0]);
        assert_eq!(name, Some(b"Undeclared".as_slice()));
    }

    #[test]
    fn a_contig_the_index_lacks_is_a_seek_error_and_reads_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = indexed(dir.path(), "a.vcf.gz", Format::Vcf, 0);
        let mut reader = IndexedReader::open(&path, &path).unwrap();
        assert!(reader.fetch(7, 0).is_err());
        let mut record = reader.empty_record();
        assert!(reader.read(&mut record).is_none());
    }

    #[test]
    fn rejects_a_file_that_is_not_bgzf_or_has_no_index() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("plain.vcf");
        std::fs::write(&text, VCF).unwrap();
        let err = IndexedReader::open(&text, &text).err().unwrap();
        assert!(err.to_string().contains("bgzip"), "{err}");
        let path = indexed(dir.path(), "a.vcf.gz", Format::Vcf, 0);
        std::fs::remove_file(dir.path().join("a.vcf.gz.tbi")).unwrap();
        let err = IndexedReader::open(&path, &path).err().unwrap();
        assert!(matches!(err, Error::BadIndex { .. }), "{err}");
    }
}
