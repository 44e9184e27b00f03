//! Opening one BAM/CRAM: index, reference, sample name and build checks.
//! Every stage that reads alignments opens them here, once per file.

use std::collections::BTreeSet;
use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rust_htslib::bam::{self, Read as _};
use rust_htslib::htslib;

use crate::bgzf::ends_with_eof_block;
use crate::contig::{aliases, build_of, Build};
use crate::{Error, Result};

/// How many alignment files this process has opened, checked and handed
/// out (see [`files_opened`]).
static FILES_OPENED: AtomicUsize = AtomicUsize::new(0);

/// How many times this process has opened an alignment file through
/// [`AlignmentFile::open`] (each successful open counts once): a run's
/// summary reports it, so that reading a file twice shows.
pub fn files_opened() -> usize {
    FILES_OPENED.load(Ordering::Relaxed)
}

/// One aligned-reads input: a file, and what the samplesheet says of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlignedInput {
    /// The BAM or CRAM file.
    pub path: PathBuf,
    /// The sample, when a samplesheet names it (else the read groups' SM,
    /// else the file stem).
    pub sample_id: Option<String>,
    /// FASTA reference of a CRAM (else `--reference`).
    pub reference: Option<PathBuf>,
}

impl AlignedInput {
    /// An input named only by its path (`--bam FILE`).
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            sample_id: None,
            reference: None,
        }
    }
}

/// An open, checked BAM/CRAM: read it through [`AlignmentFile::reader`]
/// (region reads through the index), e.g. for the definition regions and a
/// copy-number caller's locus and control windows, from the one reader.
pub struct AlignmentFile {
    /// The file, as given.
    pub path: PathBuf,
    /// The sample the reads belong to.
    pub sample: String,
    /// The header text (for provenance).
    pub header_text: Vec<u8>,
    /// The index file found next to it.
    pub index: PathBuf,
    reader: bam::IndexedReader,
}

impl AlignmentFile {
    /// Opens `input`, with `reference` for a CRAM whose samplesheet line
    /// names none.
    ///
    /// # Errors
    /// [`Error::Io`] (no such file), [`Error::NotAlignment`] (not BAM/CRAM,
    /// damaged header), [`Error::Truncated`] (a BAM without its end-of-file
    /// block),
    /// [`Error::NoAlignmentIndex`], [`Error::NoReference`] (a CRAM without
    /// a reference), [`Error::SeveralSamples`], [`Error::WrongBuild`]
    /// (GRCh37 contig lengths), each naming the file.
    pub fn open(input: &AlignedInput, reference: Option<&Path>) -> Result<Self> {
        let path = &input.path;
        let not_alignment = |reason: &str| Error::NotAlignment {
            path: path.clone(),
            reason: reason.to_owned(),
        };
        let is_cram = check_header_readable(path)?;
        // A BAM cut short may still read fine over the regions before the
        // cut: its missing BGZF end-of-file block tells.
        let complete = is_cram
            || ends_with_eof_block(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
        if !complete {
            return Err(Error::Truncated { path: path.clone() });
        }
        let index = find_index(path, is_cram)
            .ok_or_else(|| Error::NoAlignmentIndex { path: path.clone() })?;
        let mut reader = bam::IndexedReader::from_path_and_index(path, &index)
            .map_err(|e| not_alignment(&format!("cannot open it with its index: {e}")))?;
        let header_text = reader.header().as_bytes().to_vec();
        check_build(path, reader.header())?;
        if is_cram {
            let reference = input
                .reference
                .as_deref()
                .or(reference)
                .map(Path::to_path_buf)
                .or_else(|| local_ur(&header_text))
                .ok_or_else(|| Error::NoReference {
                    path: path.clone(),
                    needs: needed_reference(&header_text),
                })?;
            if !reference.is_file() {
                return Err(Error::NoReference {
                    path: path.clone(),
                    needs: format!("{} (given, but not found)", reference.display()),
                });
            }
            reader
                .set_reference(&reference)
                .map_err(|e| Error::NoReference {
                    path: path.clone(),
                    needs: format!(
                        "({} was given, but cannot be used: {e})",
                        reference.display()
                    ),
                })?;
        }
        let sample = sample_name(input, &header_text)?;
        FILES_OPENED.fetch_add(1, Ordering::Relaxed);
        Ok(Self {
            path: path.clone(),
            sample,
            header_text,
            index,
            reader,
        })
    }

    /// The reader, for region reads (`fetch`) through the index.
    pub fn reader(&mut self) -> &mut bam::IndexedReader {
        &mut self.reader
    }

    /// The target id of `chrom` (GRCh38 spelling, e.g. `chr22`) in this
    /// file, whichever way it names it (`22` or `chr22`); `None` when the
    /// header lacks it.
    pub fn tid(&self, chrom: &str) -> Option<u32> {
        aliases(chrom)
            .iter()
            .find_map(|name| self.reader.header().tid(name.as_bytes()))
    }
}

/// Opens `path` with htslib and reads its header, closing it again:
/// `IndexedReader` does not check the header htslib returns, and a damaged
/// one would be dereferenced as null. Returns whether it is a CRAM.
fn check_header_readable(path: &Path) -> Result<bool> {
    let not_alignment = |reason: &str| Error::NotAlignment {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    };
    if !path.is_file() {
        return Err(Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let c_path = CString::new(path.as_os_str().as_encoded_bytes())
        .map_err(|_| not_alignment("the path holds a NUL byte"))?;
    // SAFETY: plain htslib calls on a file this function opens and closes;
    // every pointer is checked before use.
    unsafe {
        let file = htslib::hts_open(c_path.as_ptr(), c"r".as_ptr());
        if file.is_null() {
            return Err(not_alignment("htslib cannot open it"));
        }
        let format = (*htslib::hts_get_format(file)).format;
        let is_alignment =
            format == htslib::htsExactFormat_bam || format == htslib::htsExactFormat_cram;
        let is_cram = format == htslib::htsExactFormat_cram;
        let header = if is_alignment {
            htslib::sam_hdr_read(file)
        } else {
            std::ptr::null_mut()
        };
        let header_ok = !header.is_null();
        if header_ok {
            htslib::sam_hdr_destroy(header);
        }
        htslib::hts_close(file);
        if !is_alignment {
            return Err(not_alignment(
                "not BAM or CRAM (SAM and other formats are not read)",
            ));
        }
        if !header_ok {
            return Err(not_alignment(
                "the header is damaged or the file is truncated",
            ));
        }
        Ok(is_cram)
    }
}

/// The index next to `path`: `.bai`/`.csi` (BAM) or `.crai` (CRAM),
/// appended to the name or replacing its extension.
fn find_index(path: &Path, is_cram: bool) -> Option<PathBuf> {
    let extensions: &[&str] = if is_cram { &["crai"] } else { &["bai", "csi"] };
    extensions.iter().find_map(|ext| {
        let appended = PathBuf::from(format!("{}.{ext}", path.display()));
        let replaced = path.with_extension(ext);
        [appended, replaced].into_iter().find(|p| p.is_file())
    })
}

/// Stops on a header whose chr22 (or any contig tailor knows) has its
/// GRCh37 length.
fn check_build(path: &Path, header: &bam::HeaderView) -> Result<()> {
    for tid in 0..header.target_count() {
        let name = String::from_utf8_lossy(header.tid2name(tid)).into_owned();
        let Some(length) = header.target_len(tid) else {
            continue;
        };
        if build_of(&name, length) == Some(Build::Grch37) {
            return Err(Error::WrongBuild {
                path: path.to_path_buf(),
                contig: name,
                length,
            });
        }
    }
    Ok(())
}

/// The header's `tag` values on lines of record type `record` (`@RG`).
fn header_values<'a>(
    text: &'a str,
    record: &'a str,
    tag: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    text.lines()
        .filter(move |line| line.split('\t').next() == Some(record))
        .filter_map(move |line| {
            line.split('\t')
                .skip(1)
                .find_map(|field| field.strip_prefix(tag)?.strip_prefix(':'))
        })
}

/// The sample: the samplesheet's id, else the read groups' one SM, else
/// the file stem.
fn sample_name(input: &AlignedInput, header: &[u8]) -> Result<String> {
    let text = String::from_utf8_lossy(header);
    let names: BTreeSet<&str> = header_values(&text, "@RG", "SM").collect();
    if names.len() > 1 {
        return Err(Error::SeveralSamples {
            path: input.path.clone(),
            count: names.len(),
        });
    }
    if let Some(id) = &input.sample_id {
        return Ok(id.clone());
    }
    if let Some(name) = names.into_iter().next() {
        return Ok(name.to_owned());
    }
    let stem = input
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = [".bam", ".cram"]
        .iter()
        .find_map(|ext| stem.strip_suffix(ext))
        .unwrap_or(&stem)
        .to_owned();
    Ok(stem)
}

/// The UR of the header's first @SQ, when it is a local file that exists.
fn local_ur(header: &[u8]) -> Option<PathBuf> {
    let text = String::from_utf8_lossy(header);
    let ur = header_values(&text, "@SQ", "UR").next()?;
    let path = PathBuf::from(ur.strip_prefix("file://").unwrap_or(ur));
    path.is_file().then_some(path)
}

/// What a CRAM's header says of its reference: the first @SQ's name, M5
/// and UR.
fn needed_reference(header: &[u8]) -> String {
    let text = String::from_utf8_lossy(header);
    let first = |tag| header_values(&text, "@SQ", tag).next().map(str::to_owned);
    let mut parts = vec![format!(
        "for {}",
        first("SN").unwrap_or_else(|| "its contigs".into())
    )];
    if let Some(m5) = first("M5") {
        parts.push(format!("M5 {m5}"));
    }
    if let Some(ur) = first("UR") {
        parts.push(format!("UR {ur}"));
    }
    format!("({})", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "@HD\tVN:1.6\n@SQ\tSN:chr22\tLN:50818468\tM5:abc\tUR:/nowhere/ref.fa\n@RG\tID:a\tSM:S1\n@RG\tID:b\tSM:S1\n";

    #[test]
    fn sample_is_samplesheet_then_sm_then_stem() -> Result<()> {
        let mut input = AlignedInput::new("dir/NA1.cram".into());
        assert_eq!(sample_name(&input, HEADER.as_bytes())?, "S1");
        assert_eq!(sample_name(&input, b"@HD\tVN:1.6\n")?, "NA1");
        input.sample_id = Some("X".into());
        assert_eq!(sample_name(&input, HEADER.as_bytes())?, "X");
        let two = format!("{HEADER}@RG\tID:c\tSM:S2\n");
        assert!(matches!(
            sample_name(&input, two.as_bytes()),
            Err(Error::SeveralSamples { count: 2, .. })
        ));
        Ok(())
    }

    #[test]
    fn names_the_reference_a_cram_needs() {
        let needs = needed_reference(HEADER.as_bytes());
        assert_eq!(needs, "(for chr22, M5 abc, UR /nowhere/ref.fa)");
        assert_eq!(local_ur(HEADER.as_bytes()), None);
    }
}
