//! Opening one indexed BAM/CRAM: the index, the CRAM reference, the build
//! check and the chromosome names.

use std::path::{Path, PathBuf};

use rust_htslib::bam::{self, Read};

use crate::error::{Error, Result};

/// GRCh38 length of chromosome 22.
const GRCH38_CHR22: u64 = 50_818_468;
/// GRCh37 length of chromosome 22.
const GRCH37_CHR22: u64 = 51_304_566;

/// An opened, indexed alignment file and its chromosome naming.
pub(crate) struct AlignmentFile {
    /// The path as given.
    pub path: PathBuf,
    /// The indexed reader.
    pub reader: bam::IndexedReader,
    /// Whether contigs are named `chr22` (else `22`).
    pub chr_prefix: bool,
}

impl AlignmentFile {
    /// Opens `path` through its index, with `reference` for CRAM, and
    /// checks that chromosome 22 is GRCh38's.
    pub fn open(path: &Path, reference: Option<&Path>) -> Result<Self> {
        let mut reader = bam::IndexedReader::from_path(path).map_err(|source| Error::Open {
            path: path.to_owned(),
            source,
        })?;
        if let Some(reference) = reference {
            reader
                .set_reference(reference)
                .map_err(|source| Error::Reference {
                    path: path.to_owned(),
                    reference: reference.to_owned(),
                    source,
                })?;
        }
        let chr_prefix = check_build(path, reader.header())?;
        Ok(Self {
            path: path.to_owned(),
            reader,
            chr_prefix,
        })
    }

    /// The header's id of a GRCh38 chromosome (`chr7`), in this file's
    /// naming; `None` when the header lacks it.
    pub fn tid(&self, chromosome: &str) -> Option<u32> {
        let name = if self.chr_prefix {
            chromosome.to_owned()
        } else {
            chromosome.trim_start_matches("chr").to_owned()
        };
        self.reader.header().tid(name.as_bytes())
    }

    /// The sample name: the read groups' `SM`, else the file stem.
    pub fn sample_name(&self) -> String {
        let header = bam::Header::from_template(self.reader.header());
        let records = header.to_hashmap();
        let sm = records
            .get("RG")
            .and_then(|groups| groups.iter().find_map(|g| g.get("SM").cloned()));
        sm.unwrap_or_else(|| file_stem(&self.path))
    }
}

/// The file name without its alignment suffixes (`NA18505.bam` -> `NA18505`).
fn file_stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name
        .strip_suffix(".bam")
        .or_else(|| name.strip_suffix(".cram"))
        .unwrap_or(&name);
    name.to_owned()
}

/// Finds chromosome 22 and checks its length; returns whether it is `chr22`.
fn check_build(path: &Path, header: &bam::HeaderView) -> Result<bool> {
    for (contig, chr_prefix) in [("chr22", true), ("22", false)] {
        let Some(tid) = header.tid(contig.as_bytes()) else {
            continue;
        };
        let length = header.target_len(tid).unwrap_or(0);
        let build = match length {
            GRCH38_CHR22 => return Ok(chr_prefix),
            GRCH37_CHR22 => "GRCh37",
            _ => "an unknown build",
        };
        return Err(Error::WrongBuild {
            path: path.to_owned(),
            contig: contig.to_owned(),
            length,
            build,
        });
    }
    Err(Error::NoChromosome22 {
        path: path.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stem_drops_alignment_suffixes() {
        assert_eq!(file_stem(Path::new("/x/NA18505.bam")), "NA18505");
        assert_eq!(file_stem(Path::new("a.b.cram")), "a.b");
        assert_eq!(file_stem(Path::new("reads")), "reads");
    }
}
