//! Opening an input: header, samples, index, identity, build check.

use std::collections::{BTreeSet, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rust_htslib::bcf::{self, Read as _};
use tailor_tables::InputIdentity;

use crate::container::check_container;
use crate::gene_reader::contig_name;
use crate::header_text::HeaderInfo;
use crate::htslib_view::header_parsed;
use crate::reader_pool::ReaderPool;
use crate::{Error, Result};
use tailor_genome::contig::{aliases, build_of, Build};

/// What ingest needs to know about one input file before reading records.
#[derive(Debug)]
pub(crate) struct Input {
    /// The path as the user gave it.
    pub path: PathBuf,
    /// Sample names, in header order (shared with the cohort when it is
    /// this input's samples).
    pub samples: Arc<[String]>,
    /// The contigs of the header as htslib reads it (with those only the
    /// index names), in header order.
    pub contigs: Vec<String>,
    /// The `.tbi`/`.csi` index, when there is one.
    pub index: Option<PathBuf>,
    /// Provenance for the output's metadata.
    pub identity: InputIdentity,
    /// Open readers through the index, reused from gene to gene.
    pub readers: ReaderPool,
    /// What the header declares, read from its bytes.
    pub declared: Declared,
    /// Whether the file has at least one record.
    pub has_records: bool,
    /// FILTER and FORMAT ids records used without a header declaration.
    undeclared: Mutex<Undeclared>,
}

/// FILTER and FORMAT ids records use that the header does not declare.
#[derive(Clone, Debug, Default)]
pub(crate) struct Undeclared {
    /// FILTER values.
    pub filters: BTreeSet<String>,
    /// FORMAT ids.
    pub formats: BTreeSet<String>,
}

/// The FILTER and FORMAT ids a header declares.
#[derive(Clone, Debug, Default)]
pub(crate) struct Declared {
    /// FILTER ids, `PASS` included.
    pub filters: HashSet<Vec<u8>>,
    /// FORMAT ids.
    pub formats: HashSet<Vec<u8>>,
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
    /// [`Error::NotVcf`], [`Error::Truncated`], [`Error::NoSamples`],
    /// [`Error::DuplicateSample`], [`Error::WrongBuild`] (from header
    /// contig lengths), [`Error::Io`].
    pub fn open(path: &Path, hash_inputs: bool) -> Result<Self> {
        if let Err(source) = File::open(path) {
            return Err(Error::Io {
                path: path.to_path_buf(),
                source,
            });
        }
        let container = check_container(path)?;
        // The header comes from our own reading of its bytes: htslib
        // rejects a header with duplicate names without saying why,
        // rust-htslib cannot list zero samples and panics on non-UTF-8.
        let header = HeaderInfo::read(path, container)?;
        check_build(path, &header.contigs)?;
        let mut reader = open_reader(path)?;
        let contigs = (0..reader.header().contig_count())
            .filter_map(|rid| contig_name(reader.header(), rid))
            .collect();
        let mut record = reader.empty_record();
        // A read error is reported, with its record, when genes are read.
        let has_records = reader.read(&mut record).is_some();
        let index = find_index(path);
        if let Some(index) = &index {
            check_index(path, index)?;
        }
        let identity = if hash_inputs {
            InputIdentity::hashed(path)?
        } else {
            InputIdentity::genomic(path, &header.text, index.as_deref())?
        };
        Ok(Self {
            path: path.to_path_buf(),
            samples: header.samples.into(),
            contigs,
            index,
            identity,
            readers: ReaderPool::default(),
            declared: Declared {
                filters: header.filters,
                formats: header.formats,
            },
            has_records,
            undeclared: Mutex::default(),
        })
    }

    /// Notes ids used by records but not declared in the header.
    pub fn note_undeclared(&self, found: Undeclared) {
        if found.filters.is_empty() && found.formats.is_empty() {
            return;
        }
        if let Ok(mut seen) = self.undeclared.lock() {
            seen.filters.extend(found.filters);
            seen.formats.extend(found.formats);
        }
    }

    /// The ids records used without a header declaration.
    pub fn undeclared(&self) -> Undeclared {
        self.undeclared
            .lock()
            .map(|seen| seen.clone())
            .unwrap_or_default()
    }
}

/// Opens `path` with htslib, checking that it parsed the header.
///
/// # Errors
/// [`Error::NotVcf`] when htslib cannot open it or parse its header.
pub(crate) fn open_reader(path: &Path) -> Result<bcf::Reader> {
    let reader = bcf::Reader::from_path(path).map_err(|e| Error::NotVcf {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    if !header_parsed(reader.header()) {
        return Err(Error::NotVcf {
            path: path.to_path_buf(),
            reason: "the header cannot be parsed".into(),
        });
    }
    Ok(reader)
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
fn check_build(path: &Path, contigs: &[(String, Option<u64>)]) -> Result<()> {
    for (id, length) in contigs {
        let Some(length) = *length else {
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
