//! Writing one sample's reads as a coordinate-sorted BAM (or CRAM against
//! the simulated reference) with its index, through htslib, to temporary
//! names renamed into place.

use std::path::{Path, PathBuf};

use rust_htslib::bam::{self, header::HeaderRecord, record::Aux, record::CigarString, Format};

use crate::error::{Error, Result};
use crate::hts_index::{build_index, write_with_index, IndexKind};
use crate::reads::fragment::SimulatedRead;
use crate::reads::reference::Reference;

/// Mapping quality of a simulated read (its true alignment is known),
/// except where a hybrid's junction read touches CYP2D7 sequence (see
/// `fragment.rs`).
pub(crate) const MAPQ: u8 = 60;

/// How one sample's file is written.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AlignmentFile<'a> {
    /// The BAM or CRAM path.
    pub path: &'a Path,
    /// The sample (read group `SM`).
    pub sample: &'a str,
    /// The simulated reference (contigs for the header).
    pub reference: &'a Reference,
    /// CRAM against this bgzipped FASTA, or BAM when `None`.
    pub cram_reference: Option<&'a Path>,
    /// Phred base quality of every base.
    pub base_quality: u8,
}

/// The index path htslib gives `path` (`.bai` or `.crai`).
pub(crate) fn index_path(path: &Path, cram: bool) -> PathBuf {
    let suffix = if cram { "crai" } else { "bai" };
    PathBuf::from(format!("{}.{suffix}", path.display()))
}

/// Sorts `reads` by coordinate and writes them with their index.
pub(crate) fn write_alignment_file(
    file: &AlignmentFile<'_>,
    reads: &mut [SimulatedRead],
) -> Result<PathBuf> {
    reads.sort_by_key(|r| (r.tid, r.alignment.pos, r.pair, !r.first));
    let cram = file.cram_reference.is_some();
    let index = index_path(file.path, cram);
    write_with_index(file.path, &index, |data, data_index| {
        write_records(file, data, reads)?;
        build_index(data, data_index, IndexKind::Alignment)
    })?;
    Ok(index)
}

fn header(file: &AlignmentFile<'_>) -> bam::Header {
    let mut header = bam::Header::new();
    let mut hd = HeaderRecord::new(b"HD");
    hd.push_tag(b"VN", "1.6").push_tag(b"SO", "coordinate");
    header.push_record(&hd);
    for (name, length) in &file.reference.contigs {
        let mut sq = HeaderRecord::new(b"SQ");
        sq.push_tag(b"SN", name)
            .push_tag(b"LN", length)
            .push_tag(b"AS", "GRCh38");
        header.push_record(&sq);
    }
    let mut rg = HeaderRecord::new(b"RG");
    rg.push_tag(b"ID", file.sample)
        .push_tag(b"SM", file.sample)
        .push_tag(b"PL", "ILLUMINA")
        .push_tag(b"DS", "simulated by tailor simulate --bam");
    header.push_record(&rg);
    let mut pg = HeaderRecord::new(b"PG");
    pg.push_tag(b"ID", "tailor")
        .push_tag(b"PN", "tailor")
        .push_tag(b"VN", tailor_schemas::TOOL_VERSION);
    header.push_record(&pg);
    header
}

fn write_records(file: &AlignmentFile<'_>, path: &Path, reads: &[SimulatedRead]) -> Result<()> {
    let htslib = |action| Error::htslib(path, action);
    let format = if file.cram_reference.is_some() {
        Format::Cram
    } else {
        Format::Bam
    };
    let mut writer =
        bam::Writer::from_path(path, &header(file), format).map_err(htslib("creating"))?;
    // Fast deflate: simulated files are test data; the default level took
    // 1.5 times as long for 20 people (19.1 s against 12.4 s) for files
    // 15 % smaller.
    writer
        .set_compression_level(bam::CompressionLevel::Fastest)
        .map_err(htslib("setting the compression level"))?;
    if let Some(fasta) = file.cram_reference {
        writer
            .set_reference(fasta)
            .map_err(htslib("setting the CRAM reference"))?;
    }
    let mut qualities = Vec::new();
    for read in reads {
        let mut record = bam::Record::new();
        qualities.clear();
        qualities.resize(read.bases.len(), file.base_quality);
        let name = format!("p{}", read.pair);
        record.set(
            name.as_bytes(),
            Some(&CigarString(read.alignment.cigar.clone())),
            &read.bases,
            &qualities,
        );
        let tid = read.tid as i32;
        record.set_tid(tid);
        record.set_pos(i64::from(read.alignment.pos));
        record.set_mapq(read.mapq);
        record.set_flags(flags(read));
        record.set_mtid(tid);
        record.set_mpos(i64::from(read.mate_pos));
        record.set_insert_size(read.tlen);
        record
            .push_aux(b"MD", Aux::String(&read.alignment.md))
            .map_err(htslib("setting MD"))?;
        record
            .push_aux(b"NM", Aux::I32(read.alignment.nm as i32))
            .map_err(htslib("setting NM"))?;
        record
            .push_aux(b"RG", Aux::String(file.sample))
            .map_err(htslib("setting RG"))?;
        writer.write(&record).map_err(htslib("writing a read"))?;
    }
    Ok(())
}

/// SAM flags of a read: paired, properly paired, strands, first/second.
fn flags(read: &SimulatedRead) -> u16 {
    let mut flags = 0x1 | 0x2;
    if read.reverse {
        flags |= 0x10;
    }
    if read.mate_reverse {
        flags |= 0x20;
    }
    flags | if read.first { 0x40 } else { 0x80 }
}
