//! Identities of input files, recorded in every output's metadata.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// Enough about an input to tell later whether an output came from it.
///
/// Whole cohort VCFs can be terabytes, so an indexed genomic file is
/// identified by its size and the SHA-256 of its header and of its index;
/// tables (and genomic files with `--hash-inputs`) by a full SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputIdentity {
    /// The path as the user gave it (never made absolute).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the whole file, when hashed in full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// SHA-256 of the file's header text (VCF `#` lines), for genomic files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header_sha256: Option<String>,
    /// SHA-256 of the index file (`.tbi` / `.csi`), for indexed genomic files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_sha256: Option<String>,
}

impl InputIdentity {
    /// Size and full SHA-256 of `path`.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read.
    pub fn hashed(path: &Path) -> Result<Self> {
        Ok(Self {
            path: path.display().to_string(),
            size: file_size(path)?,
            sha256: Some(sha256_file(path)?),
            header_sha256: None,
            index_sha256: None,
        })
    }

    /// Size of a genomic file, the SHA-256 of its `header` text and of its
    /// `index` file when it has one.
    ///
    /// # Errors
    /// [`Error::Io`] if a file cannot be read.
    pub fn genomic(path: &Path, header: &[u8], index: Option<&Path>) -> Result<Self> {
        Ok(Self {
            path: path.display().to_string(),
            size: file_size(path)?,
            sha256: None,
            header_sha256: Some(hex::encode(Sha256::digest(header))),
            index_sha256: index.map(sha256_file).transpose()?,
        })
    }
}

fn file_size(path: &Path) -> Result<u64> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|source| Error::Io {
            path: path.to_path_buf(),
            action: "reading size",
            source,
        })
}

fn sha256_file(path: &Path) -> Result<String> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        action: "hashing",
        source,
    };
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path).map_err(io)?);
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut buffer).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_known_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.tsv");
        std::fs::write(&path, b"abc").unwrap();
        let id = InputIdentity::hashed(&path).unwrap();
        assert_eq!(id.size, 3);
        assert_eq!(
            id.sha256.as_deref(),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        let genomic = InputIdentity::genomic(&path, b"abc", Some(&path)).unwrap();
        assert_eq!(genomic.header_sha256, id.sha256);
        assert_eq!(genomic.index_sha256, id.sha256);
        assert!(InputIdentity::hashed(&dir.path().join("missing")).is_err());
    }
}
