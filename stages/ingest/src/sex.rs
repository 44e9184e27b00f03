//! The `--sex FILE` table: sample and sex, tab-separated.

use std::collections::HashSet;
use std::path::Path;

use tailor_schemas::{SampleSexes, Sex};

use crate::{Error, Result};

/// Reads a TSV of `sample<TAB>sex` lines. Sex is `male`/`m`/`1` or
/// `female`/`f`/`2` (PLINK's coding), case-insensitive; `unknown`, `0`,
/// `NA` and `.` leave the sample out. A header line `sample<TAB>sex` and
/// lines starting with `#` are skipped.
///
/// # Errors
/// [`Error::Io`] if the file cannot be read; [`Error::BadLine`] naming the
/// line for a malformed line, an unknown value or a sample given twice.
pub fn read_sex_file(path: &Path) -> Result<SampleSexes> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut sexes = Vec::new();
    let mut seen = HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let bad = |reason: String| Error::BadLine {
            path: path.to_path_buf(),
            line: line_no,
            reason,
        };
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 2 {
            return Err(bad("expected two tab-separated columns: sample, sex".into()));
        }
        let (sample, value) = (fields[0].trim(), fields[1].trim());
        if line_no == 1 && sample.eq_ignore_ascii_case("sample") {
            continue;
        }
        let sex = match value.to_ascii_lowercase().as_str() {
            "male" | "m" | "1" => Some(Sex::Male),
            "female" | "f" | "2" => Some(Sex::Female),
            "unknown" | "0" | "na" | "." | "" => None,
            _ => {
                return Err(bad(format!(
                    "sex {value:?} is not male/female/unknown (or PLINK's 1/2/0)"
                )))
            }
        };
        if let Some(sex) = sex {
            if !seen.insert(sample) {
                return Err(bad(format!("sample {sample:?} is listed twice")));
            }
            sexes.push((sample.to_owned(), sex));
        }
    }
    Ok(SampleSexes::new(sexes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_rejects() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sex.tsv");
        std::fs::write(&path, "sample\tsex\nA\tmale\nB\tF\r\nC\t0\nD\t1\n").unwrap();
        let sexes = read_sex_file(&path).unwrap();
        assert_eq!(sexes.get("A"), Some(Sex::Male));
        assert_eq!(sexes.get("B"), Some(Sex::Female));
        assert_eq!(sexes.get("C"), None);
        assert_eq!(sexes.get("D"), Some(Sex::Male));
        assert_eq!(sexes.len(), 3);
        std::fs::write(&path, "A\tyes\n").unwrap();
        let err = read_sex_file(&path).unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
        std::fs::write(&path, "A\tmale\nA\tfemale\n").unwrap();
        assert!(read_sex_file(&path).is_err());
    }
}
