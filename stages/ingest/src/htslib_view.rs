//! Bounds-checked reads of what htslib hands back.
//!
//! rust-htslib's own lookups trust htslib: `HeaderView::id_to_name` reads
//! past the header's dictionary for an id the header never declared (an
//! undeclared FILTER read through an index), and any header call on the
//! null header `bcf::Reader::from_path` returns for a header htslib cannot
//! parse crashes. These functions check first.

use std::ffi::CStr;

use rust_htslib::bcf::{header::HeaderView, Record};
use rust_htslib::htslib;

/// BCF type codes htslib can convert to numbers (int8, int16, int32,
/// float); any other type makes `bcf_get_format_values` call `exit(1)`.
const NUMERIC_TYPES: [i32; 4] = [1, 2, 3, 5];

/// Whether htslib parsed the header (it returns a null one when it could
/// not).
pub(crate) fn header_parsed(header: &HeaderView) -> bool {
    !header.inner.is_null()
}

/// The name of FILTER/INFO/FORMAT dictionary id `id`, if the header has it.
pub(crate) fn id_name(header: &HeaderView, id: i32) -> Option<&[u8]> {
    let hdr = header.inner;
    if hdr.is_null() {
        return None;
    }
    let dictionary = htslib::BCF_DT_ID as usize;
    // SAFETY: `hdr` is non-null and owned by `header`; `n[BCF_DT_ID]` is
    // the number of entries of `id[BCF_DT_ID]`, checked before indexing;
    // keys are NUL-terminated strings that live as long as the header.
    unsafe {
        let count = (*hdr).n[dictionary];
        let pairs = (*hdr).id[dictionary];
        if id < 0 || id >= count || pairs.is_null() {
            return None;
        }
        let key = (*pairs.add(usize::try_from(id).ok()?)).key;
        if key.is_null() {
            return None;
        }
        Some(CStr::from_ptr(key).to_bytes())
    }
}

/// The record's FILTER ids (empty for `.`).
pub(crate) fn filter_ids(record: &Record) -> &[i32] {
    let d = &record.inner().d;
    let n = usize::try_from(d.n_flt).unwrap_or(0);
    if d.flt.is_null() || n == 0 || d.m_flt < d.n_flt {
        return &[];
    }
    // SAFETY: after unpacking, `flt` holds `n_flt` ids (`m_flt` allocated).
    unsafe { std::slice::from_raw_parts(d.flt, n) }
}

/// One FORMAT field of a record: its dictionary id and BCF type.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FormatField {
    /// Dictionary id (see [`id_name`]).
    pub id: i32,
    /// BCF type code.
    pub bcf_type: i32,
    /// Values per sample.
    pub values: i32,
}

impl FormatField {
    /// Whether htslib can read the values as numbers.
    pub fn is_numeric(&self) -> bool {
        NUMERIC_TYPES.contains(&self.bcf_type)
    }
}

/// The record's FORMAT fields (empty when FORMAT was not unpacked).
pub(crate) fn format_fields(record: &Record) -> impl Iterator<Item = FormatField> + '_ {
    let inner = record.inner();
    let unpacked = inner.unpacked & htslib::BCF_UN_FMT as i32 != 0;
    let n = usize::try_from(inner.n_fmt()).unwrap_or(0);
    let fields: &[htslib::bcf_fmt_t] =
        if !unpacked || inner.d.fmt.is_null() || n == 0 || inner.d.m_fmt < n as i32 {
            &[]
        } else {
            // SAFETY: after unpacking FORMAT, `fmt` holds `n_fmt` entries.
            unsafe { std::slice::from_raw_parts(inner.d.fmt, n) }
        };
    fields.iter().map(|f| FormatField {
        id: f.id,
        bcf_type: f.type_,
        values: f.n,
    })
}
