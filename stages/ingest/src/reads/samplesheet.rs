//! The `--samplesheet` file: one aligned-reads file per line.

use std::path::{Path, PathBuf};

use super::AlignedInput;
use crate::{Error, Result};

/// Reads a samplesheet: CSV or TSV (told by the first line) with a header
/// naming the columns `sample_id`, `path` and optionally `reference` (a
/// FASTA for a CRAM). Relative paths are relative to the samplesheet's
/// folder. Empty lines and lines starting with `#` are skipped.
///
/// # Errors
/// [`Error::Io`] if the file cannot be read, [`Error::BadLine`] naming the
/// line for a missing column, an empty cell or a sample given twice.
pub fn read_samplesheet(path: &Path) -> Result<Vec<AlignedInput>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let bad = |line: usize, reason: String| Error::BadLine {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let Some((header_line, header)) = lines.next() else {
        return Err(bad(
            1,
            "empty samplesheet: expected a header `sample_id,path[,reference]`".into(),
        ));
    };
    let separator = if header.contains('\t') { '\t' } else { ',' };
    let columns: Vec<&str> = header.split(separator).map(str::trim).collect();
    let column = |name: &str| columns.iter().position(|c| *c == name);
    let (Some(sample_column), Some(path_column)) = (column("sample_id"), column("path")) else {
        return Err(bad(
            header_line,
            "the header must name the columns sample_id and path (and optionally reference)".into(),
        ));
    };
    let reference_column = column("reference");
    let base = path.parent().unwrap_or(Path::new("."));
    let mut inputs: Vec<AlignedInput> = Vec::new();
    for (line, text) in lines {
        let cells: Vec<&str> = text.split(separator).map(str::trim).collect();
        let cell = |i: usize| cells.get(i).copied().filter(|c| !c.is_empty());
        let (Some(sample), Some(file)) = (cell(sample_column), cell(path_column)) else {
            return Err(bad(line, "sample_id and path must both be given".into()));
        };
        if inputs
            .iter()
            .any(|i| i.sample_id.as_deref() == Some(sample))
        {
            return Err(bad(
                line,
                "the sample on this line is also on an earlier line (column sample_id)".to_owned(),
            ));
        }
        let resolve = |p: &str| -> PathBuf { base.join(p) };
        inputs.push(AlignedInput {
            path: resolve(file),
            sample_id: Some(sample.to_owned()),
            reference: reference_column.and_then(cell).map(resolve),
        });
    }
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(text: &str) -> Result<Vec<AlignedInput>> {
        let dir = tempfile::tempdir().map_err(|source| Error::Io {
            path: PathBuf::new(),
            source,
        })?;
        let path = dir.path().join("sheet.tsv");
        std::fs::write(&path, text).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        read_samplesheet(&path)
    }

    #[test]
    fn reads_tsv_and_csv_with_optional_reference() -> Result<()> {
        let tsv = sheet("sample_id\tpath\treference\nS1\ta.cram\tref.fa\nS2\tb.bam\t\n")?;
        assert_eq!(tsv.len(), 2);
        assert_eq!(tsv[0].sample_id.as_deref(), Some("S1"));
        assert!(tsv[0].path.ends_with("a.cram"));
        assert!(tsv[0]
            .reference
            .as_ref()
            .is_some_and(|r| r.ends_with("ref.fa")));
        assert!(tsv[1].reference.is_none());
        let csv = sheet("path,sample_id\nx.bam,S9\n")?;
        assert_eq!(csv[0].sample_id.as_deref(), Some("S9"));
        Ok(())
    }

    #[test]
    fn refuses_missing_columns_and_repeated_samples() {
        assert!(matches!(
            sheet("id,path\nS1,a.bam\n"),
            Err(Error::BadLine { line: 1, .. })
        ));
        assert!(matches!(
            sheet("sample_id,path\nS1,a.bam\nS1,b.bam\n"),
            Err(Error::BadLine { line: 3, .. })
        ));
        assert!(matches!(
            sheet("sample_id,path\nS1,\n"),
            Err(Error::BadLine { line: 2, .. })
        ));
    }
}
