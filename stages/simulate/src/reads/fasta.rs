//! Writing the simulated reference as a bgzip-compressed FASTA with its
//! `.fai` and `.gzi` indexes (htslib's `bgzf` writes the FASTA and builds
//! the `.gzi` as it goes; the `.fai` is counted while writing), so
//! `samtools faidx`, CRAM and `bcftools mpileup -f` can read it. Long runs
//! of `N` pad every contig to its GRCh38 length; they compress to almost
//! nothing.

use std::path::{Path, PathBuf};

use rust_htslib::htslib;

use crate::error::{Error, Result};
use crate::hts_index::c_path;
use crate::reads::reference::Reference;

/// Bases per FASTA line.
const LINE: usize = 60;

/// The paths of the FASTA's two indexes.
pub(crate) fn index_paths(fasta: &Path) -> (PathBuf, PathBuf) {
    let name = fasta.as_os_str().to_string_lossy();
    (
        PathBuf::from(format!("{name}.fai")),
        PathBuf::from(format!("{name}.gzi")),
    )
}

/// An open BGZF file; closed (and checked) by [`Bgzf::close`].
struct Bgzf {
    file: *mut htslib::BGZF,
    path: PathBuf,
    /// Uncompressed bytes written so far.
    offset: u64,
}

impl Bgzf {
    fn create(path: &Path, threads: i32) -> Result<Self> {
        let c = c_path(path)?;
        // SAFETY: `c` is a valid NUL-terminated path and mode string.
        let file = unsafe { htslib::bgzf_open(c.as_ptr(), c"w1".as_ptr()) };
        if file.is_null() {
            return Err(failed(path, "creating the bgzip FASTA"));
        }
        let bgzf = Self {
            file,
            path: path.to_owned(),
            offset: 0,
        };
        // SAFETY: `file` is an open BGZF handle with nothing written yet.
        if unsafe { htslib::bgzf_index_build_init(bgzf.file) } != 0 {
            let _ = bgzf.close(None);
            return Err(failed(path, "starting the .gzi index"));
        }
        // SAFETY: `file` is an open BGZF handle.
        if threads > 1 && unsafe { htslib::bgzf_mt(bgzf.file, threads, 256) } != 0 {
            let _ = bgzf.close(None);
            return Err(failed(path, "starting bgzip threads"));
        }
        Ok(bgzf)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        // SAFETY: `file` is open and `bytes` is valid for its length.
        let written =
            unsafe { htslib::bgzf_write(self.file, bytes.as_ptr().cast(), bytes.len() as u64) };
        if written < 0 || written as usize != bytes.len() {
            return Err(failed(&self.path, "writing the bgzip FASTA"));
        }
        self.offset += bytes.len() as u64;
        Ok(())
    }

    /// Writes the `.gzi` index to `gzi` (if given), then closes the file.
    fn close(self, gzi: Option<&Path>) -> Result<()> {
        if let Some(gzi) = gzi {
            let c = c_path(gzi)?;
            // SAFETY: `file` is open with indexing on; `c` is a valid path.
            if unsafe { htslib::bgzf_index_dump(self.file, c.as_ptr(), std::ptr::null()) } != 0 {
                // SAFETY: as below; the handle is not used again.
                unsafe { htslib::bgzf_close(self.file) };
                return Err(failed(gzi, "writing the .gzi index"));
            }
        }
        // SAFETY: `file` is open; it is not used after this call.
        let status = unsafe { htslib::bgzf_close(self.file) };
        if status != 0 {
            return Err(failed(&self.path, "closing the bgzip FASTA"));
        }
        Ok(())
    }
}

fn failed(path: &Path, action: &'static str) -> Error {
    Error::Htslib {
        path: path.to_owned(),
        action,
        source: None,
    }
}

/// Writes `reference` to `path` (bgzip FASTA, 60 bases a line) with
/// `path.fai` and `path.gzi`.
pub(crate) fn write_fasta(path: &Path, reference: &Reference) -> Result<()> {
    let (fai_path, gzi) = index_paths(path);
    let mut bgzf = Bgzf::create(path, 2)?;
    let fai = match write_contigs(&mut bgzf, reference) {
        Ok(fai) => fai,
        Err(e) => {
            let _ = bgzf.close(None);
            return Err(e);
        }
    };
    bgzf.close(Some(&gzi))?;
    std::fs::write(&fai_path, fai).map_err(|source| Error::Io {
        path: fai_path.clone(),
        action: "writing the .fai index",
        source,
    })
}

/// Writes every contig; returns the `.fai` text (name, length, offset of
/// the first base, bases and bytes per line).
fn write_contigs(bgzf: &mut Bgzf, reference: &Reference) -> Result<String> {
    let mut fai = String::new();
    let n_lines: Vec<u8> = [[b'N'; LINE].as_slice(), b"\n"].concat().repeat(16_384);
    let mut buffer: Vec<u8> = Vec::with_capacity(1 << 20);
    for (tid, &(name, length)) in reference.contigs.iter().enumerate() {
        bgzf.write(format!(">{name}\n").as_bytes())?;
        fai.push_str(&format!(
            "{name}\t{length}\t{}\t{LINE}\t{}\n",
            bgzf.offset,
            LINE + 1
        ));
        let islands: Vec<_> = reference.islands.iter().filter(|i| i.tid == tid).collect();
        let mut next = 0;
        let mut line_start: u64 = 0;
        while line_start < length {
            let line_end = (line_start + LINE as u64).min(length);
            while next < islands.len() && u64::from(islands[next].end()) <= line_start {
                next += 1;
            }
            let full_n_lines = match islands.get(next) {
                Some(island) => (u64::from(island.start).saturating_sub(line_start)) / LINE as u64,
                None => (length - line_start) / LINE as u64,
            };
            if full_n_lines > 0 {
                flush(bgzf, &mut buffer)?;
                write_n_lines(bgzf, &n_lines, full_n_lines)?;
                line_start += full_n_lines * LINE as u64;
                continue;
            }
            for position in line_start..line_end {
                while next < islands.len() && u64::from(islands[next].end()) <= position {
                    next += 1;
                }
                let base = islands
                    .get(next)
                    .map_or(b'N', |island| island.base(position as u32));
                buffer.push(base);
            }
            buffer.push(b'\n');
            if buffer.len() >= 1 << 20 {
                flush(bgzf, &mut buffer)?;
            }
            line_start = line_end;
        }
        flush(bgzf, &mut buffer)?;
    }
    Ok(fai)
}

fn flush(bgzf: &mut Bgzf, buffer: &mut Vec<u8>) -> Result<()> {
    if !buffer.is_empty() {
        bgzf.write(buffer)?;
        buffer.clear();
    }
    Ok(())
}

fn write_n_lines(bgzf: &mut Bgzf, n_lines: &[u8], mut count: u64) -> Result<()> {
    let per_chunk = (n_lines.len() / (LINE + 1)) as u64;
    while count > 0 {
        let lines = count.min(per_chunk);
        bgzf.write(&n_lines[..lines as usize * (LINE + 1)])?;
        count -= lines;
    }
    Ok(())
}
