//! The optional sample map: VCF sample name -> patient id.

use std::collections::HashMap;

use crate::config::SampleMapConfig;
use crate::error::{Error, Result};
use crate::source::{find_column, list_columns, Cell, Source};
use crate::value::NaTokens;

/// The sample map, read.
#[derive(Debug, Default)]
pub(crate) struct SampleMap {
    /// VCF sample name (trimmed) -> patient id (trimmed).
    pub patients: HashMap<Box<str>, Box<str>>,
    /// Data rows read.
    pub rows: u64,
    /// Rows with an NA sample name or patient id (ignored).
    pub incomplete_rows: u64,
}

/// Reads the sample map. The same pair may repeat; one sample mapped to two
/// different patients is an error.
pub(crate) fn read_sample_map(
    config: &SampleMapConfig,
    delimiter: Option<u8>,
    na: &NaTokens,
) -> Result<SampleMap> {
    let path = &config.path;
    let source = Source::open(path, delimiter, na)?;
    let columns = source.columns().to_vec();
    let require = |name: &str, role: &'static str| -> Result<usize> {
        find_column(path, &columns, name)?.ok_or_else(|| Error::MissingColumn {
            path: path.clone(),
            column: name.to_owned(),
            role,
            available: list_columns(&columns, &[&config.sample_column, &config.patient_column]),
        })
    };
    let wanted = [
        require(&config.sample_column, "sample map: VCF sample")?,
        require(&config.patient_column, "sample map: patient id")?,
    ];
    let mut map = SampleMap::default();
    let pass = source.for_each_row(&wanted, &mut |line, cells| {
        let (Some(sample), Some(patient)) = (
            cells.first().copied().and_then(text),
            cells.get(1).copied().and_then(text),
        ) else {
            map.incomplete_rows += 1;
            return Ok(());
        };
        match map.patients.get(sample.as_str()) {
            Some(existing) if **existing != *patient => {
                return Err(Error::SampleMapConflict {
                    path: path.clone(),
                    line,
                });
            }
            Some(_) => {}
            None => {
                map.patients.insert(sample.into(), patient.into());
            }
        }
        Ok(())
    })?;
    map.rows = pass.rows;
    Ok(map)
}

fn text(cell: Cell<'_>) -> Option<String> {
    match cell {
        Cell::Na(_) => None,
        Cell::Text(t) => Some(t.to_owned()),
        Cell::Integer(i) => Some(i.to_string()),
        Cell::Number(x) => Some(x.to_string()),
        Cell::Bool(b) => Some(b.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<SampleMap> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.tsv");
        std::fs::write(&path, bytes).unwrap();
        let config = SampleMapConfig {
            path,
            sample_column: "vcf".into(),
            patient_column: "patient".into(),
        };
        read_sample_map(&config, None, &NaTokens::new(&["NA".into(), "".into()]))
    }

    #[test]
    fn reads_pairs_and_refuses_conflicts() {
        let map = read(b"vcf\tpatient\nS1\tP1\nS1\tP1\nS2\tNA\nS3\t P3 \n").unwrap();
        assert_eq!(map.patients.len(), 2);
        assert_eq!(map.incomplete_rows, 1);
        assert_eq!(map.patients.get("S3").map(|p| &**p), Some("P3"));
        let err = read(b"vcf\tpatient\nS1\tP1\nS1\tP2\n").unwrap_err();
        assert!(
            matches!(err, Error::SampleMapConflict { line: 3, .. }),
            "{err}"
        );
        assert!(read(b"sample\tpatient\nS1\tP1\n").is_err());
    }
}
