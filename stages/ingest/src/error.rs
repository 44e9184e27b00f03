//! Errors of the ingest stage.

use std::path::PathBuf;

/// Errors from reading genotypes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened or read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// htslib could not open the file as VCF/BCF.
    #[error("{}: not a readable VCF/BCF file ({reason}); check it with `bcftools view -h`", path.display())]
    NotVcf {
        /// The file.
        path: PathBuf,
        /// What htslib said.
        reason: String,
    },
    /// The index exists but cannot be used.
    #[error("{}: index {} cannot be used ({reason}); re-create it with `bcftools index -t` (or `tabix -p vcf`)", path.display(), index.display())]
    BadIndex {
        /// The data file.
        path: PathBuf,
        /// The index file.
        index: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// A record could not be read (truncated or corrupt file).
    #[error("{}: record {record}: cannot be read ({reason}); the file may be truncated or corrupt (check with `bgzip -t` / `bcftools view`)", path.display())]
    BadRecord {
        /// The file.
        path: PathBuf,
        /// Where: `chrom:pos` after the last good record, or the region read.
        record: String,
        /// What htslib said.
        reason: String,
    },
    /// The file ends early: a BGZF file without its end-of-file block, or
    /// a text file whose last line has no newline.
    #[error("{}: the file is truncated ({reason}); copy or re-create it whole (check with `bgzip -t`)", path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// What is missing.
        reason: String,
    },
    /// A genotype has a ploidy other than 1 or 2.
    #[error("{}: record {record}: sample {sample:?} has a genotype of ploidy {ploidy}; tailor reads haploid and diploid genotypes only: fix the GT value (e.g. `0/1`)", path.display())]
    Ploidy {
        /// The file.
        path: PathBuf,
        /// `chrom:pos` of the record.
        record: String,
        /// The sample.
        sample: String,
        /// Alleles in the genotype.
        ploidy: usize,
    },
    /// A sample listed by `-s/-S` is in none of the inputs.
    #[error("{}: {unknown}", paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    UnknownSample {
        /// The inputs.
        paths: Vec<PathBuf>,
        /// The name.
        unknown: tailor_schemas::UnknownSample,
    },
    /// The file has no samples.
    #[error("{}: the file has no samples (a sites-only VCF); genotypes are needed", path.display())]
    NoSamples {
        /// The file.
        path: PathBuf,
    },
    /// A sample name occurs twice in one file.
    #[error("{}: sample {sample:?} occurs twice in the header; rename one (e.g. `bcftools reheader -s`)", path.display())]
    DuplicateSample {
        /// The file.
        path: PathBuf,
        /// The sample.
        sample: String,
    },
    /// The same sample has a genotype at the same position in two files.
    #[error("sample {sample:?} has a genotype at {chrom}:{pos} in both {} and {}; give each sample's position in one file only", first.display(), second.display())]
    DuplicateGenotype {
        /// The sample.
        sample: String,
        /// Contig (definition spelling).
        chrom: String,
        /// 1-based position.
        pos: u32,
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },
    /// The file is on another genome build than the definitions (GRCh38).
    #[error("{}: {evidence}; the input looks like {build}, but the definitions are GRCh38: lift over or re-call on GRCh38", path.display())]
    WrongBuild {
        /// The file.
        path: PathBuf,
        /// The build the file looks like.
        build: String,
        /// Why we think so.
        evidence: String,
    },
    /// A line of a `--sex` or `--covered` file is malformed.
    #[error("{}: line {line}: {reason}", path.display())]
    BadLine {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// An aligned-reads file cannot be opened or fails a check (index,
    /// CRAM reference, GRCh38, one sample).
    #[error(transparent)]
    Alignment(#[from] tailor_genome::Error),
    /// Two aligned-read inputs are the same sample.
    #[error("{} and {} are the same sample; give each sample once (rename one in a --samplesheet)", first.display(), second.display())]
    SampleTwice {
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },
    /// The temporary file holding a gene's calls while `path` is read
    /// could not be written or read back.
    #[error("{}: cannot keep a gene's calls in a temporary file ({source}); free space in the temporary folder or point TMPDIR at another one", path.display())]
    Spill {
        /// The input being read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Writing the table failed.
    #[error(transparent)]
    Table(#[from] tailor_tables::Error),
    /// Building the Arrow batch failed (a bug, not bad input).
    #[error("assembling genotype rows")]
    Arrow(#[from] arrow_schema::ArrowError),
}

impl Error {
    /// Whether the user's input caused the error (exit code 3), rather than
    /// the system (I/O, a bug).
    pub fn is_invalid_input(&self) -> bool {
        match self {
            Error::Alignment(e) => e.is_invalid_input(),
            _ => !matches!(
                self,
                Error::Io { .. } | Error::Spill { .. } | Error::Table(_) | Error::Arrow(_)
            ),
        }
    }
}

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
