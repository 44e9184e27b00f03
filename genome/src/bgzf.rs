//! BGZF completeness: the empty block every complete bgzip, BCF or BAM file
//! ends with.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The empty BGZF block every complete bgzip/BCF/BAM file ends with
/// (SAM/BAM specification, section 4.1.2).
pub const EOF_BLOCK: [u8; 28] = [
    0x1f, 0x8b, 0x08, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x06, 0x00, 0x42, 0x43, 0x02, 0x00,
    0x1b, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

/// Whether the BGZF file at `path` ends with [`EOF_BLOCK`] (a file shorter
/// than the block does not).
///
/// # Errors
/// The file cannot be opened or read.
pub fn ends_with_eof_block(path: &Path) -> std::io::Result<bool> {
    let mut file = File::open(path)?;
    if file.metadata()?.len() < EOF_BLOCK.len() as u64 {
        return Ok(false);
    }
    let mut tail = [0u8; EOF_BLOCK.len()];
    file.seek(SeekFrom::End(-(EOF_BLOCK.len() as i64)))?;
    file.read_exact(&mut tail)?;
    Ok(tail == EOF_BLOCK)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn tells_a_complete_file_from_a_cut_one() {
        let dir = tempfile::tempdir().unwrap();
        let complete = dir.path().join("a.bam");
        let mut bytes = b"BAM blocks".to_vec();
        bytes.extend_from_slice(&EOF_BLOCK);
        std::fs::write(&complete, &bytes).unwrap();
        assert!(ends_with_eof_block(&complete).unwrap());
        let cut = dir.path().join("b.bam");
        std::fs::write(&cut, &bytes[..bytes.len() - 1]).unwrap();
        assert!(!ends_with_eof_block(&cut).unwrap());
        let short = dir.path().join("c.bam");
        std::fs::write(&short, b"BAM").unwrap();
        assert!(!ends_with_eof_block(&short).unwrap());
    }
}
