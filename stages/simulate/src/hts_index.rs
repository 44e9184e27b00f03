//! Indexed files the stage writes: C paths for htslib, building a tabix
//! (VCF) or BAI/CRAI (reads) index with the status checked, and writing a
//! file with its index under temporary names renamed into place.

use std::ffi::CString;
use std::path::Path;

use crate::error::{Error, Result};
use tailor_tables::{set_mode, temporary_name, PRIVATE};

/// Calls `write` with temporary names for `path` and its `index`, makes
/// both private and renames them into place; on failure removes both, so
/// no half-written file is left that looks complete.
pub(crate) fn write_with_index(
    path: &Path,
    index: &Path,
    write: impl FnOnce(&Path, &Path) -> Result<()>,
) -> Result<()> {
    let temporary = temporary_name(path);
    let temporary_index = temporary_name(index);
    let result = write(&temporary, &temporary_index).and_then(|()| {
        for (from, to) in [(&temporary, path), (&temporary_index, index)] {
            set_mode(from, PRIVATE)?;
            std::fs::rename(from, to).map_err(|source| Error::Io {
                path: to.to_owned(),
                action: "renaming into place",
                source,
            })?;
        }
        Ok(())
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
        let _ = std::fs::remove_file(&temporary_index);
    }
    result
}

/// Which index to build.
#[derive(Clone, Copy, Debug)]
pub(crate) enum IndexKind {
    /// `.tbi` of a bgzip VCF.
    Tabix,
    /// `.bai` of a BAM, `.crai` of a CRAM.
    Alignment,
}

/// `path` as a C string (an error naming it if it holds a NUL byte).
pub(crate) fn c_path(path: &Path) -> Result<CString> {
    CString::new(path.as_os_str().as_encoded_bytes()).map_err(|_| Error::Htslib {
        path: path.to_owned(),
        action: "the path contains a NUL byte",
        source: None,
    })
}

/// Builds the `kind` index of `data` at `index`.
pub(crate) fn build_index(data: &Path, index: &Path, kind: IndexKind) -> Result<()> {
    let (c_data, c_index) = (c_path(data)?, c_path(index)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call;
    // min_shift 0 asks for a .tbi (VCF) or .bai (BAM; CRAM gets a .crai).
    let status = unsafe {
        match kind {
            IndexKind::Tabix => {
                rust_htslib::htslib::bcf_index_build3(c_data.as_ptr(), c_index.as_ptr(), 0, 1)
            }
            IndexKind::Alignment => {
                rust_htslib::htslib::sam_index_build3(c_data.as_ptr(), c_index.as_ptr(), 0, 1)
            }
        }
    };
    if status != 0 {
        return Err(Error::Htslib {
            path: data.to_owned(),
            action: "building the index",
            source: None,
        });
    }
    Ok(())
}
