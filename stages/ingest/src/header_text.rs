//! The header as tailor reads it itself, from the file's bytes: sample
//! names, declared FILTER and FORMAT ids, contig lengths. Nothing here goes
//! through rust-htslib's header API, which panics on non-UTF-8 bytes.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::container::Container;
use crate::{Error, Result};

/// The fixed columns of the `#CHROM` line, before FORMAT and the samples.
const FIXED_COLUMNS: [&str; 8] = [
    "#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO",
];

/// What the header declares.
#[derive(Clone, Debug, Default)]
pub(crate) struct HeaderInfo {
    /// The header's bytes (the `#` lines).
    pub text: Vec<u8>,
    /// Sample names of the `#CHROM` line, in order.
    pub samples: Vec<String>,
    /// Declared FILTER ids (`PASS` always).
    pub filters: HashSet<Vec<u8>>,
    /// Declared FORMAT ids.
    pub formats: HashSet<Vec<u8>>,
    /// `##contig` lines: ID and length, when given.
    pub contigs: Vec<(String, Option<u64>)>,
}

impl HeaderInfo {
    /// Reads and checks the header of `path`, stored as `container`.
    ///
    /// # Errors
    /// [`Error::NotVcf`] for a header that cannot be read or lacks a valid
    /// `#CHROM` line, [`Error::NoSamples`], [`Error::DuplicateSample`],
    /// [`Error::Io`].
    pub fn read(path: &Path, container: Container) -> Result<Self> {
        let text = header_bytes(path, container)?;
        parse(path, text)
    }
}

/// Parses the header's bytes.
pub(crate) fn parse(path: &Path, text: Vec<u8>) -> Result<HeaderInfo> {
    let mut info = HeaderInfo::default();
    info.filters.insert(b"PASS".to_vec());
    let mut chrom_line = None;
    for line in text.split(|b| *b == b'\n') {
        let line = trim_end(line);
        if let Some(id) = declared_id(line, b"##FILTER=<") {
            info.filters.insert(id.to_vec());
        } else if let Some(id) = declared_id(line, b"##FORMAT=<") {
            info.formats.insert(id.to_vec());
        } else if line.starts_with(b"##contig=<") {
            if let Some(contig) = contig_of(line) {
                info.contigs.push(contig);
            }
        } else if line.starts_with(b"#CHROM") {
            chrom_line = Some(line);
        }
    }
    let bad = |reason: String| Error::NotVcf {
        path: path.to_path_buf(),
        reason,
    };
    let Some(line) = chrom_line else {
        return Err(bad("no #CHROM header line".into()));
    };
    let line = String::from_utf8_lossy(line);
    let columns: Vec<&str> = line.split('\t').collect();
    if columns.len() < FIXED_COLUMNS.len() || columns[..FIXED_COLUMNS.len()] != FIXED_COLUMNS {
        return Err(bad(format!(
            "the #CHROM line must start with the 8 tab-separated columns {}",
            FIXED_COLUMNS.join(" ")
        )));
    }
    match columns.get(FIXED_COLUMNS.len()) {
        None => {
            return Err(Error::NoSamples {
                path: path.to_path_buf(),
            })
        }
        Some(&"FORMAT") => {}
        Some(other) => {
            return Err(bad(format!(
                "the #CHROM line has {other:?} where FORMAT belongs, before the sample columns; add the FORMAT column"
            )))
        }
    }
    let samples: Vec<String> = columns[FIXED_COLUMNS.len() + 1..]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    if samples.is_empty() {
        return Err(Error::NoSamples {
            path: path.to_path_buf(),
        });
    }
    if let Some(column) = samples.iter().position(String::is_empty) {
        return Err(bad(format!(
            "sample column {} of the #CHROM line has an empty name; name every sample (e.g. `bcftools reheader -s`)",
            column + 1
        )));
    }
    let mut seen = HashSet::with_capacity(samples.len());
    if let Some(duplicate) = samples.iter().find(|s| !seen.insert(s.as_str())) {
        return Err(Error::DuplicateSample {
            path: path.to_path_buf(),
            sample: duplicate.clone(),
        });
    }
    info.samples = samples;
    info.text = text;
    Ok(info)
}

/// The line without its `\r` or the BCF header's closing NULs.
fn trim_end(mut line: &[u8]) -> &[u8] {
    while let [rest @ .., b'\r' | b'\0'] = line {
        line = rest;
    }
    line
}

/// The value of `key=` inside a `<...>` header line.
fn field<'a>(line: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let inner = line
        .iter()
        .position(|b| *b == b'<')
        .map(|i| &line[i + 1..])?;
    inner.split(|b| *b == b',').find_map(|part| {
        let value = part.strip_prefix(key)?.strip_prefix(b"=")?;
        Some(value.strip_suffix(b">").unwrap_or(value))
    })
}

/// The ID of a `##FILTER=<...>`-style line starting with `prefix`.
fn declared_id<'a>(line: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    line.starts_with(prefix)
        .then(|| field(line, b"ID"))
        .flatten()
}

/// The ID and length of a `##contig=<...>` line.
fn contig_of(line: &[u8]) -> Option<(String, Option<u64>)> {
    let id = String::from_utf8_lossy(field(line, b"ID")?).into_owned();
    let length = field(line, b"length")
        .and_then(|l| std::str::from_utf8(l).ok())
        .and_then(|l| l.parse().ok());
    Some((id, length))
}

/// The header's bytes: the `#` lines of a VCF (plain or compressed), or the
/// header text of a BCF.
fn header_bytes(path: &Path, container: Container) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let stream: Box<dyn Read> = match container {
        Container::Bgzf | Container::Gzip => Box::new(flate2::read::MultiGzDecoder::new(file)),
        Container::RawBcf | Container::Text => Box::new(file),
    };
    let mut reader = BufReader::new(stream);
    let bad = |reason: String| Error::NotVcf {
        path: path.to_path_buf(),
        reason,
    };
    // A read error here is corrupt compressed data, not the system.
    let corrupt = |e: std::io::Error| bad(format!("the header cannot be read: {e}"));
    let mut start = [0u8; 5];
    reader
        .read_exact(&mut start)
        .map_err(|_| bad("the header is truncated".into()))?;
    if &start[..3] == b"BCF" {
        let mut length = [0u8; 4];
        reader
            .read_exact(&mut length)
            .map_err(|_| bad("the BCF header is truncated".into()))?;
        let length = u64::from(u32::from_le_bytes(length));
        let mut text = Vec::new();
        reader
            .take(length)
            .read_to_end(&mut text)
            .map_err(corrupt)?;
        if (text.len() as u64) < length {
            return Err(bad("the BCF header is truncated".into()));
        }
        return Ok(text);
    }
    let mut text = start.to_vec();
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(corrupt)?;
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const HEADER: &[u8] = b"##fileformat=VCFv4.2\n##source=Universit\xe4t\n\
##FILTER=<ID=LowQual,Description=\"x\">\n##FORMAT=<ID=GT,Number=1,Type=String>\n\
##contig=<ID=chr10,length=133797422>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n";

    #[test]
    fn reads_declarations_from_non_utf8_text() {
        let info = parse(Path::new("a.vcf"), HEADER.to_vec()).unwrap();
        assert_eq!(info.samples, ["S1", "S2"]);
        assert!(info.filters.contains(b"LowQual".as_slice()));
        assert!(info.filters.contains(b"PASS".as_slice()));
        assert!(info.formats.contains(b"GT".as_slice()));
        assert_eq!(info.formats.len(), 1);
        assert_eq!(info.contigs, [("chr10".to_owned(), Some(133_797_422))]);
    }

    #[test]
    fn rejects_a_chrom_line_without_format_or_with_an_empty_name() {
        let no_format = b"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tS1\n".to_vec();
        let err = parse(Path::new("a.vcf"), no_format).unwrap_err();
        assert!(err.to_string().contains("where FORMAT belongs"), "{err}");
        let empty = b"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\t\n".to_vec();
        let err = parse(Path::new("a.vcf"), empty).unwrap_err();
        assert!(err.to_string().contains("sample column 2"), "{err}");
        let sites = b"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n".to_vec();
        assert!(matches!(
            parse(Path::new("a.vcf"), sites),
            Err(Error::NoSamples { .. })
        ));
    }
}
