//! The column names (and one column's values) of a clinical text table,
//! read before any stage runs so that `tailor run` can check the
//! configuration against them. The join stage reads the tables for real.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use anyhow::Context;

/// What the check needs of one clinical table.
#[derive(Debug, Default)]
pub struct ClinicalColumns {
    /// The header's column names, trimmed.
    pub names: BTreeSet<String>,
    /// The trimmed, non-empty values of the column asked for.
    pub values: BTreeSet<String>,
}

/// Whether `path` is a Parquet file (its first four bytes are `PAR1`).
pub fn is_parquet(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| &magic == b"PAR1")
}

/// Reads the header of the CSV/TSV (maybe gzipped) table `path`, and the
/// values of column `values_of` when it has it. The delimiter is
/// `delimiter`, else as the join stage chooses it: tab for `.tsv`,
/// `.tab` and `.txt`, otherwise comma, or semicolon when the header has
/// semicolons and no comma.
///
/// # Errors
/// Any failure reading or decompressing the file, naming it.
pub fn read_columns(
    path: &Path,
    delimiter: Option<char>,
    values_of: Option<&str>,
) -> anyhow::Result<ClinicalColumns> {
    let raw = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut text = Vec::new();
        flate2::read::MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut text)
            .with_context(|| format!("decompressing {}", path.display()))?;
        text
    } else {
        raw
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let delimiter = delimiter.map_or_else(|| guess_delimiter(path, bytes), |d| d as u8);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(bytes);
    let header = reader
        .headers()
        .with_context(|| format!("reading the header of {}", path.display()))?
        .clone();
    let mut columns = ClinicalColumns {
        names: header.iter().map(|n| n.trim().to_owned()).collect(),
        values: BTreeSet::new(),
    };
    let Some(index) = values_of.and_then(|name| header.iter().position(|n| n.trim() == name))
    else {
        return Ok(columns);
    };
    for record in reader.records() {
        let record = record.with_context(|| format!("reading {}", path.display()))?;
        if let Some(value) = record.get(index).map(str::trim).filter(|v| !v.is_empty()) {
            columns.values.insert(value.to_owned());
        }
    }
    Ok(columns)
}

/// The join stage's default delimiter for `path` with content `bytes`.
fn guess_delimiter(path: &Path, bytes: &[u8]) -> u8 {
    let name = path.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if [".tsv", ".tab", ".txt"].iter().any(|s| name.ends_with(s)) {
        return b'\t';
    }
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    if first.contains(&b';') && !first.contains(&b',') {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_and_one_columns_values() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("c.csv");
        std::fs::write(
            &csv,
            "\u{feff}id, drug ,age\n1,warfarin,50\n2, aspirin ,\n3,,1\n",
        )
        .unwrap();
        let columns = read_columns(&csv, None, Some("drug")).unwrap();
        assert_eq!(
            columns.names.iter().collect::<Vec<_>>(),
            ["age", "drug", "id"]
        );
        assert_eq!(
            columns.values.iter().collect::<Vec<_>>(),
            ["aspirin", "warfarin"]
        );
        let semicolons = dir.path().join("s.csv");
        std::fs::write(&semicolons, "id;drug\n1;x\n").unwrap();
        let columns = read_columns(&semicolons, None, None).unwrap();
        assert!(columns.names.contains("drug"));
        assert!(!is_parquet(&csv));
    }
}
