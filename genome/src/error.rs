//! Errors of opening a genomic file; each names the file and the fix.

use std::path::PathBuf;

/// Why an alignment file cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file cannot be read at all.
    #[error("{}: cannot read it ({source})", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// htslib could not open the file as BAM/CRAM.
    #[error("{}: not a readable BAM/CRAM file ({reason}); check it with `samtools quickcheck -v`", path.display())]
    NotAlignment {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A BAM without its BGZF end-of-file block: cut short.
    #[error("{}: the file is truncated (the BGZF end-of-file block is missing); copy or re-create it whole (check with `samtools quickcheck -v`)", path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
    },
    /// A BAM/CRAM file without an index next to it.
    #[error("{}: no index (.bai, .csi or .crai); create one with `samtools index {}`", path.display(), path.display())]
    NoAlignmentIndex {
        /// The file.
        path: PathBuf,
    },
    /// A CRAM file whose reference cannot be found or used.
    #[error("{}: CRAM needs its reference sequence {needs} to be decoded; give it with --reference FASTA (or the samplesheet's reference column)", path.display())]
    NoReference {
        /// The file.
        path: PathBuf,
        /// The reference it needs: the @SQ M5 and UR of the first contig,
        /// or the FASTA given and why it cannot be used.
        needs: String,
    },
    /// Two read groups of one BAM/CRAM name different samples.
    #[error("{}: its read groups name {count} different samples (SM); give one sample per file (split it with `samtools split`)", path.display())]
    SeveralSamples {
        /// The file.
        path: PathBuf,
        /// How many different SM values.
        count: usize,
    },
    /// The reads are aligned to GRCh37, not GRCh38.
    #[error("{}: contig {contig} has length {length}, the GRCh37 length; the reads are aligned to GRCh37 (hg19), but tailor reads GRCh38 (chr22 = 50,818,468 bp): realign or lift over the reads", path.display())]
    WrongBuild {
        /// The file.
        path: PathBuf,
        /// The contig whose length tells.
        contig: String,
        /// Its length in the header.
        length: u64,
    },
}

impl Error {
    /// Whether the input caused the error (bad or missing file content),
    /// rather than the system failing to read it.
    pub fn is_invalid_input(&self) -> bool {
        !matches!(self, Error::Io { .. })
    }
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
