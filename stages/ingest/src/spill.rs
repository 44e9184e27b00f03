//! One gene's calls for every sample of an input, read in a single pass
//! over its records and written site by site to an anonymous temporary
//! file; blocks of samples are then loaded from that file. Each record is
//! parsed once whatever the cohort's size, and memory holds the calls of
//! the sites still open (the record's site and those under a deletion) and
//! of one block, not the gene's calls for the whole cohort.
//!
//! The file is created in the system's temporary folder (`TMPDIR`) and
//! unlinked at once, so nothing is left behind, even by a killed run.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::ops::Range;
use std::os::unix::fs::FileExt as _;

use crate::gene_input::{FormatInt, GeneInput, SampleCall};
use crate::genotype::{Merged, MergedCall};

/// Bytes of one [`SampleCall`] in the file.
const CALL_BYTES: usize = 23;

/// The file being written: sites' calls, one after another.
pub(crate) struct SpillWriter {
    writer: BufWriter<File>,
    written: u64,
}

impl SpillWriter {
    /// A new, already unlinked, temporary file.
    ///
    /// # Errors
    /// The temporary folder cannot be written.
    pub fn new() -> std::io::Result<Self> {
        Ok(Self {
            writer: BufWriter::with_capacity(1 << 20, tempfile::tempfile()?),
            written: 0,
        })
    }

    /// Appends one site's `calls`; returns their offset in the file.
    ///
    /// # Errors
    /// Writing failed (e.g. the disk is full).
    pub fn write_site(&mut self, calls: &[SampleCall]) -> std::io::Result<u64> {
        let offset = self.written;
        let mut bytes = [0u8; CALL_BYTES];
        for call in calls {
            encode(call, &mut bytes);
            self.writer.write_all(&bytes)?;
        }
        self.written += (calls.len() * CALL_BYTES) as u64;
        Ok(offset)
    }

    /// The file, every site written.
    ///
    /// # Errors
    /// Flushing failed.
    pub fn finish(self) -> std::io::Result<File> {
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

/// What reading one gene from one input cost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct SpillStats {
    /// Records decoded (each once, whatever the block size).
    pub records: usize,
    /// The most sample x site calls held in memory at once, before they
    /// went to the file.
    pub peak_calls: usize,
}

/// A gene read whole from one input, its sites' calls in a file.
pub(crate) struct SpilledGene {
    /// What reading it cost.
    pub stats: SpillStats,
    /// Everything but the calls (every site's `calls` empty).
    skeleton: GeneInput,
    /// Per site, the offset of its calls (one per sample of the input)
    /// when the site has any.
    offsets: Vec<Option<u64>>,
    file: File,
}

impl SpilledGene {
    /// The gene whose sites' calls are at `offsets` in `file`.
    pub fn new(
        skeleton: GeneInput,
        offsets: Vec<Option<u64>>,
        file: File,
        stats: SpillStats,
    ) -> Self {
        Self {
            stats,
            skeleton,
            offsets,
            file,
        }
    }

    /// The gene as read for the input's samples `local` only: the same
    /// [`GeneInput`] as a read keeping just these samples would give.
    ///
    /// # Errors
    /// Reading the temporary file failed.
    pub fn block(&self, local: Range<usize>) -> std::io::Result<GeneInput> {
        let mut block = self.skeleton.clone();
        block.first_sample = local.start;
        let mut bytes = vec![0u8; local.len() * CALL_BYTES];
        for (site, offset) in block.sites.iter_mut().zip(&self.offsets) {
            let Some(offset) = offset else { continue };
            let from = offset + (local.start * CALL_BYTES) as u64;
            self.file.read_exact_at(&mut bytes, from)?;
            site.calls = bytes.chunks_exact(CALL_BYTES).map(decode).collect();
        }
        Ok(block)
    }
}

/// A slot as a tag byte and a 16-bit allele index.
fn encode_slot(slot: Merged) -> [u8; 3] {
    let (tag, allele) = match slot {
        Merged::Unset => (0, 0),
        Merged::Reference => (1, 0),
        Merged::Alternate(a) => (2, a),
        Merged::Missing => (3, 0),
        Merged::Conflict => (4, 0),
    };
    let [low, high] = allele.to_le_bytes();
    [tag, low, high]
}

fn decode_slot(bytes: &[u8]) -> Merged {
    match bytes[0] {
        1 => Merged::Reference,
        2 => Merged::Alternate(u16::from_le_bytes([bytes[1], bytes[2]])),
        3 => Merged::Missing,
        4 => Merged::Conflict,
        _ => Merged::Unset,
    }
}

/// Optional integers keep htslib's missing marker (`i32::MIN`).
fn format_int_bytes(value: FormatInt) -> [u8; 4] {
    value.get().unwrap_or(i32::MIN).to_le_bytes()
}

fn format_int(bytes: &[u8]) -> FormatInt {
    FormatInt::new(Some(i32::from_le_bytes([
        bytes[0], bytes[1], bytes[2], bytes[3],
    ])))
}

fn encode(call: &SampleCall, out: &mut [u8; CALL_BYTES]) {
    let merged = &call.merged;
    out[0..3].copy_from_slice(&encode_slot(merged.slots[0]));
    out[3..6].copy_from_slice(&encode_slot(merged.slots[1]));
    out[6] = merged.ploidy;
    out[7] = u8::from(merged.phased);
    out[8] = merged.records;
    out[9..13].copy_from_slice(&format_int_bytes(call.phase_set));
    out[13..17].copy_from_slice(&format_int_bytes(call.depth));
    out[17..21].copy_from_slice(&format_int_bytes(call.genotype_quality));
    out[21] = call.record;
    out[22] = u8::from(call.non_pass) | u8::from(call.unnormalised_indel) << 1;
}

fn decode(bytes: &[u8]) -> SampleCall {
    SampleCall {
        merged: MergedCall {
            slots: [decode_slot(&bytes[0..3]), decode_slot(&bytes[3..6])],
            ploidy: bytes[6],
            phased: bytes[7] != 0,
            records: bytes[8],
        },
        phase_set: format_int(&bytes[9..13]),
        depth: format_int(&bytes[13..17]),
        genotype_quality: format_int(&bytes[17..21]),
        record: bytes[21],
        non_pass: bytes[22] & 1 != 0,
        unnormalised_indel: bytes[22] & 2 != 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(slots: [Merged; 2], flags: (bool, bool)) -> SampleCall {
        SampleCall {
            merged: MergedCall {
                slots,
                ploidy: 2,
                phased: false,
                records: 3,
            },
            phase_set: FormatInt::new(Some(-7)),
            depth: FormatInt::new(None),
            genotype_quality: FormatInt::new(Some(i32::MAX)),
            record: 2,
            non_pass: flags.0,
            unnormalised_indel: flags.1,
        }
    }

    /// Every slot kind, flag and optional integer survives the file.
    #[test]
    fn calls_read_back_from_the_file_equal_those_written() {
        let calls = vec![
            call([Merged::Unset, Merged::Reference], (false, true)),
            call(
                [Merged::Alternate(u16::MAX), Merged::Missing],
                (true, false),
            ),
            call([Merged::Conflict, Merged::Alternate(3)], (true, true)),
            SampleCall::default(),
        ];
        let mut writer = SpillWriter::new().unwrap();
        assert_eq!(writer.write_site(&calls[..1]).unwrap(), 0);
        let second = writer.write_site(&calls).unwrap();
        assert_eq!(second, CALL_BYTES as u64);
        let skeleton = GeneInput {
            sites: vec![Default::default(), Default::default(), Default::default()],
            coverage: Default::default(),
            has_contig: true,
            first_sample: 0,
        };
        let gene = SpilledGene::new(
            skeleton,
            vec![None, Some(second), None],
            writer.finish().unwrap(),
            SpillStats::default(),
        );
        let block = gene.block(1..4).unwrap();
        assert_eq!(block.first_sample, 1);
        assert!(block.sites[0].calls.is_empty() && block.sites[2].calls.is_empty());
        let read = &block.sites[1].calls;
        assert_eq!(read.len(), 3);
        for (read, written) in read.iter().zip(&calls[1..]) {
            assert_eq!(read.merged, written.merged);
            assert_eq!(read.phase_set, written.phase_set);
            assert_eq!(read.depth, written.depth);
            assert_eq!(read.genotype_quality, written.genotype_quality);
            assert_eq!(read.record, written.record);
            assert_eq!(read.non_pass, written.non_pass);
            assert_eq!(read.unnormalised_indel, written.unnormalised_indel);
        }
    }
}
