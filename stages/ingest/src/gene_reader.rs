//! Reading one gene's definition positions from one indexed input.

use std::path::Path;

use rust_htslib::bcf;

use crate::accumulator::Accumulator;
use crate::indexed_reader::IndexedReader;
use crate::input::Input;
use crate::spill::SpilledGene;
use crate::{Error, Result};
use tailor_genome::contig::aliases;

pub(crate) use crate::gene_input::{Coverage, GeneInput, GeneSites, SampleCall, SiteCalls};
pub(crate) use crate::streaming::read_streaming;

/// Bases read before each definition position, so that a deletion starting
/// a little earlier and overlapping it is seen (and flagged). A longer
/// deletion is not.
pub(crate) const PADDING: u64 = 100;

/// Windows closer than this are read with one index query.
const MERGE_GAP: u64 = 500;

/// Records read after each window to check that positions still ascend.
const RECORDS_PAST_WINDOW: u32 = 2;

/// 0-based inclusive windows to fetch: each site's span with [`PADDING`]
/// before it, merged when close. Reading only these (not the whole gene)
/// keeps large genes such as RYR1 from parsing every record between sites.
fn windows(gene: &GeneSites) -> Vec<(u64, u64)> {
    let mut windows: Vec<(u64, u64)> = Vec::new();
    for site in &gene.sites {
        let from = u64::from(site.pos.zero_based()).saturating_sub(PADDING);
        let to = u64::from(site.end.zero_based());
        match windows.last_mut() {
            Some(last) if from <= last.1 + MERGE_GAP => last.1 = last.1.max(to),
            _ => windows.push((from, to)),
        }
    }
    windows
}

/// Reads `gene` from an indexed `input` through `index`, with a reader of
/// its pool, in one pass for every sample of the input: its sites' calls
/// go to a temporary file as the records pass them, and blocks of samples
/// are then loaded from it ([`SpilledGene::block`]). An input whose header
/// lacks the gene's contig is not read.
///
/// # Errors
/// [`Error::BadIndex`], [`Error::BadRecord`], [`Error::Ploidy`] naming the
/// file and record; [`Error::Spill`] if the temporary file fails.
pub(crate) fn read_indexed(
    input: &Input,
    index: &Path,
    gene: &GeneSites,
    pass_only: bool,
) -> Result<SpilledGene> {
    let samples = input.samples.len();
    let spill_error = |source| Error::Spill {
        path: input.path.clone(),
        source,
    };
    let mut accumulator = Accumulator::new(gene, &input.declared, samples, 0..samples, pass_only)
        .spilling()
        .map_err(spill_error)?;
    if input.has_contig(&gene.chrom) && gene.span().is_some() {
        input.readers.with(&input.path, index, |reader| {
            read_gene(reader, input, index, gene, &mut accumulator)
        })?;
    }
    accumulator.finish_spilled(input).map_err(spill_error)
}

/// Reads `gene` into `accumulator` with `reader`, open on `input` through
/// `index`.
fn read_gene(
    reader: &mut IndexedReader,
    input: &Input,
    index: &Path,
    gene: &GeneSites,
    accumulator: &mut Accumulator<'_>,
) -> Result<()> {
    let path = input.path.as_path();
    let bad_index = |reason: String| Error::BadIndex {
        path: path.to_path_buf(),
        index: index.to_path_buf(),
        reason,
    };
    let rid = aliases(&gene.chrom)
        .iter()
        .find_map(|name| reader.header().name2rid(name.as_bytes()).ok());
    let (Some(rid), Some((start, end))) = (rid, gene.span()) else {
        return Ok(());
    };
    accumulator.set_has_contig();
    let region = format!("{}:{}-{}", gene.chrom, start + 1, end + 1);
    let bad_record = |reason: String| Error::BadRecord {
        path: path.to_path_buf(),
        record: region.clone(),
        reason,
    };
    let mut record = reader.empty_record();
    // Coverage: the first record on the contig, and the last site that has
    // a record at or after it, so `covers` is exact for every site.
    let mut coverage = Coverage::default();
    let mut record_from = |reader: &mut IndexedReader, from: u64| -> Result<Option<u32>> {
        if reader.fetch(rid, from).is_err() {
            return Ok(None);
        }
        match reader.read(&mut record) {
            Some(result) => {
                result.map_err(|e| bad_record(e.to_string()))?;
                Ok(u32::try_from(record.pos() + 1).ok())
            }
            None => Ok(None),
        }
    };
    coverage.first = record_from(reader, 0)?;
    let mut window_record = reader.empty_record();
    let mut done_to: Option<u64> = None;
    // The last record start read in the windows (0-based).
    let mut last_start: Option<u64> = None;
    for (from, to) in windows(gene) {
        // Open-ended, so that reading goes on past the window: the records
        // just after it show whether positions go backwards (an unsorted
        // file under an index built before it was changed), which a read
        // bounded by the window cannot see.
        reader
            .fetch(rid, from)
            .map_err(|e| bad_index(e.to_string()))?;
        let mut previous = 0;
        let mut beyond = 0;
        while let Some(result) = reader.read(&mut window_record) {
            result.map_err(|e| bad_record(e.to_string()))?;
            let pos0 = u64::try_from(window_record.pos()).unwrap_or(0);
            if window_record.rid() != Some(rid) || window_record.pos() < previous {
                return Err(bad_index(format!(
                    "records out of order near {}:{}: the file is unsorted (sort it with `bcftools sort`) or the index is stale",
                    gene.chrom,
                    pos0 + 1
                )));
            }
            previous = window_record.pos();
            if pos0 > to {
                beyond += 1;
                if beyond == RECORDS_PAST_WINDOW {
                    break;
                }
                continue;
            }
            last_start = last_start.max(Some(pos0));
            // A long record overlapping two windows was read with the first.
            if done_to.is_some_and(|end| pos0 <= end) {
                continue;
            }
            accumulator
                .spill_before(pos0 + 1)
                .map_err(|source| Error::Spill {
                    path: path.to_path_buf(),
                    source,
                })?;
            accumulator
                .add(&window_record)
                .map_err(|d| d.into_error(path, &window_record, &input.samples))?;
        }
        done_to = Some(to);
    }
    // Whether a site has a record at or after it is monotone over the
    // sites: true up to the last record start seen in the windows, and
    // found by a binary search (one index query each) beyond it.
    let seen = last_start.map_or(0, |last| {
        gene.sites
            .partition_point(|s| u64::from(s.pos.zero_based()) <= last)
    });
    let (mut low, mut high) = (seen, gene.sites.len());
    while low < high {
        let mid = (low + high) / 2;
        if record_from(reader, u64::from(gene.sites[mid].pos.zero_based()))?.is_some() {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    coverage.last = low.checked_sub(1).map(|i| gene.sites[i].pos.get());
    accumulator.set_coverage(coverage);
    Ok(())
}

/// The name of contig `rid`, if the header has it. (rust-htslib's
/// `rid2name` reads past the end for `rid == contig_count`.)
pub(crate) fn contig_name(header: &bcf::header::HeaderView, rid: u32) -> Option<String> {
    (rid < header.contig_count())
        .then(|| header.rid2name(rid).ok())
        .flatten()
        .map(|name| String::from_utf8_lossy(name).into_owned())
}
