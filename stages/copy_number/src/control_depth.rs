//! Mean depth over the copy-number control windows (EGFR, RYR1, VDR).

use rust_htslib::bam::{self, ext::BamRecordExtensions, Read};
use tailor_definitions::cyp2d_locus::{Span, CONTROL_WINDOWS};
use tailor_genome::AlignmentFile;

use crate::error::{Error, Result};
use crate::locus_reads::counted;
use crate::options::Options;

/// The median of the control windows' mean depths (windows the header
/// lacks count as 0), i.e. the depth of two copies.
pub(crate) fn control_depth(file: &mut AlignmentFile, options: &Options) -> Result<f64> {
    let mut depths = Vec::with_capacity(CONTROL_WINDOWS.len());
    for window in CONTROL_WINDOWS {
        depths.push(window_depth(file, window, options)?);
    }
    depths.sort_by(f64::total_cmp);
    Ok(depths[depths.len() / 2])
}

/// Mean depth of the counted reads' aligned bases inside `window`.
fn window_depth(file: &mut AlignmentFile, window: Span, options: &Options) -> Result<f64> {
    let Some(tid) = file.tid(window.chromosome) else {
        return Ok(0.0);
    };
    let (start, end) = (i64::from(window.start) - 1, i64::from(window.end));
    let path = file.path.clone();
    let read_error = |source| Error::Read {
        path: path.clone(),
        region: format!("{}:{}-{}", window.chromosome, window.start, window.end),
        source,
    };
    let reader = file.reader();
    reader.fetch((tid, start, end)).map_err(read_error)?;
    let mut bases = 0i64;
    let mut record = bam::Record::new();
    while let Some(result) = reader.read(&mut record) {
        result.map_err(read_error)?;
        if !counted(&record, options) {
            continue;
        }
        for [block_start, block_end] in record.aligned_blocks() {
            bases += (block_end.min(end) - block_start.max(start)).max(0);
        }
    }
    Ok(bases as f64 / f64::from(window.len()))
}
