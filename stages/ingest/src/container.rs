//! Checks on the file as a container, before htslib reads it: a directory,
//! a BGZF file without its end-of-file block, a plain-text file cut
//! mid-line.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use tailor_genome::bgzf::ends_with_eof_block;

use crate::{Error, Result};

/// How the file's bytes are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Container {
    /// BGZF (bgzip or compressed BCF).
    Bgzf,
    /// gzip that is not BGZF.
    Gzip,
    /// Uncompressed BCF.
    RawBcf,
    /// Plain text.
    Text,
}

/// Classifies `path` and checks it is complete.
///
/// # Errors
/// [`Error::NotVcf`] for a directory, [`Error::Truncated`] for a BGZF file
/// without its end-of-file block or a text file whose last line has no
/// newline, [`Error::Io`] when it cannot be read.
pub(crate) fn check_container(path: &Path) -> Result<Container> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    if metadata.is_dir() {
        return Err(Error::NotVcf {
            path: path.to_path_buf(),
            reason: "it is a directory; give the VCF/BCF file inside it".into(),
        });
    }
    let mut file = File::open(path).map_err(io)?;
    let mut start = [0u8; 16];
    let n = read_up_to(&mut file, &mut start).map_err(io)?;
    let start = &start[..n];
    let container = if start.starts_with(&[0x1f, 0x8b]) {
        // BGZF: gzip with the FEXTRA flag and a `BC` subfield.
        if n >= 14 && start[3] & 4 != 0 && start[12..14] == *b"BC" {
            Container::Bgzf
        } else {
            Container::Gzip
        }
    } else if start.starts_with(b"BCF") {
        Container::RawBcf
    } else {
        Container::Text
    };
    let size = metadata.len();
    let truncated = |reason: &str| Error::Truncated {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    };
    match container {
        Container::Bgzf if !ends_with_eof_block(path).map_err(io)? => {
            return Err(truncated("the BGZF end-of-file block is missing"));
        }
        Container::Text if size > 0 => {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::End(-1)).map_err(io)?;
            file.read_exact(&mut last).map_err(io)?;
            if last[0] != b'\n' {
                return Err(truncated("the last line has no newline (cut mid-line)"));
            }
        }
        _ => {}
    }
    Ok(container)
}

/// Reads until `buffer` is full or the file ends; returns the bytes read.
fn read_up_to(file: &mut File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use tailor_genome::bgzf::EOF_BLOCK;

    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn classifies_and_checks_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let text = write(dir.path(), "a.vcf", b"##fileformat=VCFv4.2\n");
        assert_eq!(check_container(&text).unwrap(), Container::Text);
        let cut = write(dir.path(), "b.vcf", b"##fileformat=VCFv4.2\n#CHR");
        assert!(matches!(
            check_container(&cut),
            Err(Error::Truncated { .. })
        ));
        let bgzf = write(dir.path(), "c.vcf.gz", &EOF_BLOCK);
        assert_eq!(check_container(&bgzf).unwrap(), Container::Bgzf);
        let mut no_eof = EOF_BLOCK.to_vec();
        no_eof.extend_from_slice(b"xx");
        let no_eof = write(dir.path(), "d.vcf.gz", &no_eof);
        assert!(matches!(
            check_container(&no_eof),
            Err(Error::Truncated { reason, .. }) if reason.contains("end-of-file")
        ));
        let gzip = write(dir.path(), "e.vcf.gz", &[0x1f, 0x8b, 8, 0, 0, 0]);
        assert_eq!(check_container(&gzip).unwrap(), Container::Gzip);
        assert!(matches!(
            check_container(dir.path()),
            Err(Error::NotVcf { reason, .. }) if reason.contains("directory")
        ));
    }
}
