//! Writing BGZF (the blocked gzip of bgzip and BCF) without external tools.

use std::io::Write;

/// Uncompressed bytes per block (bgzip uses at most 65,280).
const BLOCK: usize = 0xff00;

/// The empty block that ends every complete BGZF file.
pub const EOF_BLOCK: [u8; 28] = [
    0x1f, 0x8b, 0x08, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x06, 0x00, 0x42, 0x43, 0x02, 0x00,
    0x1b, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

/// `data` as BGZF blocks of at most `block` bytes, with the EOF block.
pub fn compress_blocks(data: &[u8], block: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 3 + 64);
    for chunk in data.chunks(block.clamp(1, BLOCK)) {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(chunk).expect("deflating into memory");
        let deflated = encoder.finish().expect("deflating into memory");
        let mut crc = flate2::Crc::new();
        crc.update(chunk);
        let size = u16::try_from(deflated.len() + 25).expect("a BGZF block fits in 64 KiB");
        out.extend_from_slice(&[
            0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, b'B', b'C', 2, 0,
        ]);
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&deflated);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&(chunk.len() as u32).to_le_bytes());
    }
    out.extend_from_slice(&EOF_BLOCK);
    out
}

/// `data` as BGZF with full-size blocks.
pub fn compress(data: &[u8]) -> Vec<u8> {
    compress_blocks(data, BLOCK)
}

#[test]
fn round_trips_through_a_gzip_reader() {
    use std::io::Read;
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let compressed = compress(&data);
    assert!(compressed.ends_with(&EOF_BLOCK));
    let mut back = Vec::new();
    flate2::read::MultiGzDecoder::new(&compressed[..])
        .read_to_end(&mut back)
        .unwrap();
    assert_eq!(back, data);
}
