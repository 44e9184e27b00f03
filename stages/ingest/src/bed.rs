//! The `--covered BED` file: regions the input is known to cover.

use std::path::Path;

use tailor_schemas::{Position, Region};

use crate::{Error, Result};

/// Reads a BED file (0-based, half-open: `chrom start end`, tab-separated)
/// into 1-based closed [`Region`]s. `track`, `browser` and `#` lines are
/// skipped.
///
/// # Errors
/// [`Error::Io`] if the file cannot be read; [`Error::BadLine`] naming the
/// line when a line has fewer than three columns, a non-numeric coordinate,
/// or an end not past its start.
pub fn read_bed(path: &Path) -> Result<Vec<Region>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut regions = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty()
            || line.starts_with('#')
            || line.starts_with("track")
            || line.starts_with("browser")
        {
            continue;
        }
        let bad = |reason: &str| Error::BadLine {
            path: path.to_path_buf(),
            line: i + 1,
            reason: format!("{reason} (BED is `chrom<TAB>start<TAB>end`, 0-based half-open)"),
        };
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 3 {
            return Err(bad("fewer than three columns"));
        }
        let start: u64 = fields[1]
            .trim()
            .parse()
            .map_err(|_| bad("start is not a number"))?;
        let end: u64 = fields[2]
            .trim()
            .parse()
            .map_err(|_| bad("end is not a number"))?;
        if end <= start {
            return Err(bad("end is not past start"));
        }
        let start = Position::new(start + 1).map_err(|_| bad("start out of range"))?;
        let end = Position::new(end).map_err(|_| bad("end out of range"))?;
        regions.push(Region {
            chrom: fields[0].to_owned(),
            start,
            end,
        });
    }
    Ok(regions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_to_one_based() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.bed");
        std::fs::write(&path, "track name=x\nchr2\t99\t200\n").unwrap();
        let regions = read_bed(&path).unwrap();
        assert_eq!(regions[0].start.get(), 100);
        assert_eq!(regions[0].end.get(), 200);
        std::fs::write(&path, "chr2\t200\t100\n").unwrap();
        assert!(read_bed(&path).unwrap_err().to_string().contains("line 1"));
    }
}
