//! Opening an input: header, samples, index, identity, build check.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use rust_htslib::bcf::{self, header::HeaderRecord, Read as _};
use tailor_tables::InputIdentity;

use crate::contig::{aliases, build_of, Build};
use crate::gene_reader::contig_name;
use crate::reader_pool::ReaderPool;
use crate::{Error, Result};

/// What ingest needs to know about one input file before reading records.
#[derive(Debug)]
pub(crate) struct Input {
    /// The path as the user gave it.
    pub path: PathBuf,
    /// Sample names, in header order.
    pub samples: Vec<String>,
    /// The contigs of the header as htslib reads it (with those only the
    /// index names), in header order.
    pub contigs: Vec<String>,
    /// The `.tbi`/`.csi` index, when there is one.
    pub index: Option<PathBuf>,
    /// Provenance for the output's metadata.
    pub identity: InputIdentity,
    /// Open readers through the index, reused from gene to gene.
    pub readers: ReaderPool,
}

impl Input {
    /// Whether the header has `chrom` (in either spelling, `chr10` or `10`).
    pub fn has_contig(&self, chrom: &str) -> bool {
        aliases(chrom)
            .iter()
            .any(|name| self.contigs.contains(name))
    }

    /// Opens `path`, reads its header and checks it.
    ///
    /// # Errors
    /// [`Error::NotVcf`], [`Error::NoSamples`], [`Error::DuplicateSample`],
    /// [`Error::WrongBuild`] (from header contig lengths), [`Error::Io`].
    pub fn open(path: &Path, hash_inputs: bool) -> Result<Self> {
        if let Err(source) = File::open(path) {
            return Err(Error::Io {
                path: path.to_path_buf(),
                source,
            });
        }
        // Samples come from our own reading of the header: htslib rejects a
        // header with duplicate names without saying why, and rust-htslib
        // cannot list zero samples.
        let text = header_text(path)?;
        let samples = samples_of(path, &text)?;
        let reader = bcf::Reader::from_path(path).map_err(|e| Error::NotVcf {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        check_build(path, &reader.header().header_records())?;
        let contigs = (0..reader.header().contig_count())
            .filter_map(|rid| contig_name(reader.header(), rid))
            .collect();
        let index = find_index(path);
        if let Some(index) = &index {
            check_index(path, index)?;
        }
        let identity = if hash_inputs {
            InputIdentity::hashed(path)?
        } else {
            InputIdentity::genomic(path, &text, index.as_deref())?
        };
        Ok(Self {
            path: path.to_path_buf(),
            samples,
            contigs,
            index,
            identity,
            readers: ReaderPool::default(),
        })
    }
}

/// The sample names of the `#CHROM` line, checked for none and duplicates.
fn samples_of(path: &Path, header: &[u8]) -> Result<Vec<String>> {
    let text = String::from_utf8_lossy(header);
    let Some(line) = text.lines().find(|l| l.starts_with("#CHROM")) else {
        return Err(Error::NotVcf {
            path: path.to_path_buf(),
            reason: "no #CHROM header line".into(),
        });
    };
    let samples: Vec<String> = line
        .trim_end_matches(['\r', '\0'])
        .split('\t')
        .skip(9)
        .map(str::to_owned)
        .collect();
    if samples.is_empty() {
        return Err(Error::NoSamples {
            path: path.to_path_buf(),
        });
    }
    let mut seen = HashSet::with_capacity(samples.len());
    if let Some(duplicate) = samples.iter().find(|s| !seen.insert(s.as_str())) {
        return Err(Error::DuplicateSample {
            path: path.to_path_buf(),
            sample: duplicate.clone(),
        });
    }
    Ok(samples)
}

/// An index older than its data file by more than this is stale (copies
/// of a file and its index may differ by a little).
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(10);

/// Checks that `index` is a tabix or CSI index (htslib crashes on some
/// garbage) and not older than the data file.
fn check_index(path: &Path, index: &Path) -> Result<()> {
    let bad = |reason: String| Error::BadIndex {
        path: path.to_path_buf(),
        index: index.to_path_buf(),
        reason,
    };
    let file = File::open(index).map_err(|e| bad(e.to_string()))?;
    let mut magic = [0u8; 4];
    flate2::read::MultiGzDecoder::new(file)
        .read_exact(&mut magic)
        .map_err(|_| bad("not a bgzipped index".into()))?;
    if &magic != b"TBI\x01" && &magic != b"CSI\x01" {
        return Err(bad("not a tabix (.tbi) or CSI (.csi) index".into()));
    }
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(data), Some(idx)) = (modified(path), modified(index)) {
        if let Ok(age) = data.duration_since(idx) {
            if age > STALE_AFTER {
                return Err(bad(format!(
                    "it is {} s older than the data file, so it may describe an earlier version (stale)",
                    age.as_secs()
                )));
            }
        }
    }
    Ok(())
}

/// Stops on a header whose contig lengths are those of GRCh37.
fn check_build(path: &Path, records: &[HeaderRecord]) -> Result<()> {
    for record in records {
        let HeaderRecord::Contig { values, .. } = record else {
            continue;
        };
        let (Some(id), Some(length)) = (values.get("ID"), values.get("length")) else {
            continue;
        };
        let Ok(length) = length.parse::<u64>() else {
            continue;
        };
        if build_of(id, length) == Some(Build::Grch37) {
            return Err(Error::WrongBuild {
                path: path.to_path_buf(),
                build: "GRCh37 (hg19)".into(),
                evidence: format!("contig {id} has length {length}, the GRCh37 length"),
            });
        }
    }
    Ok(())
}

/// The index next to `path`, if any: `.tbi` or `.csi`.
fn find_index(path: &Path) -> Option<PathBuf> {
    ["tbi", "csi"].iter().find_map(|ext| {
        let mut name = path.as_os_str().to_owned();
        name.push(".");
        name.push(ext);
        let candidate = PathBuf::from(name);
        candidate.is_file().then_some(candidate)
    })
}

/// The header's bytes: the `#` lines of a VCF (plain or bgzipped), or the
/// header text of a BCF.
fn header_text(path: &Path) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(io)?;
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic).map_err(io)?;
    let file = File::open(path).map_err(io)?;
    let stream: Box<dyn Read> = if n == 2 && magic == [0x1f, 0x8b] {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut reader = BufReader::new(stream);
    let mut start = [0u8; 5];
    let bad = |reason: &str| Error::NotVcf {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    };
    reader
        .read_exact(&mut start)
        .map_err(|_| bad("the header is truncated"))?;
    if &start[..3] == b"BCF" {
        let mut length = [0u8; 4];
        reader
            .read_exact(&mut length)
            .map_err(|_| bad("the BCF header is truncated"))?;
        let length = u32::from_le_bytes(length) as usize;
        let mut text = vec![0u8; length.min(1 << 30)];
        reader
            .read_exact(&mut text)
            .map_err(|_| bad("the BCF header is truncated"))?;
        return Ok(text);
    }
    let mut text = start.to_vec();
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(io)?;
        if n == 0 {
            break;
        }
        let starts_line = text.last() == Some(&b'\n');
        if starts_line && line.first() != Some(&b'#') {
            break;
        }
        text.extend_from_slice(&line);
    }
    Ok(text)
}
