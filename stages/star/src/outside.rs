//! Outside calls: diplotypes called elsewhere (PharmCAT's outside-call TSV:
//! gene, diplotype, optional phenotype and activity score), with a leading
//! `sample_id` column for cohorts.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, OutsideCallError, Result};

/// One outside call.
#[derive(Clone, Debug, PartialEq)]
pub struct OutsideCall {
    /// Gene symbol.
    pub gene: String,
    /// Diplotype (may be empty when only a phenotype is given).
    pub diplotype: Option<String>,
    /// Phenotype as given.
    pub phenotype: Option<String>,
    /// Activity score as given.
    pub activity_score: Option<f64>,
}

/// Outside calls by sample (`None`: the file has no sample column and
/// applies to the input's only sample) and gene.
pub type OutsideCalls = BTreeMap<Option<String>, BTreeMap<String, OutsideCall>>;

/// Reads an outside-call file. Lines starting with `#` and blank lines are
/// skipped. With `samples > 1`, each line needs a leading sample_id column;
/// a file with a sample column is recognised by the first data line having
/// a gene in its second column when `samples > 1`, or by a header naming
/// `sample_id`.
///
/// # Errors
/// [`Error::Io`] if unreadable; [`Error::OutsideCall`] naming the line.
pub fn read_outside_calls(path: &Path, samples: usize) -> Result<OutsideCalls> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &text, samples)
}

fn parse(path: &Path, text: &str, samples: usize) -> Result<OutsideCalls> {
    let mut out = OutsideCalls::new();
    let mut with_sample = samples > 1;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let bad = |kind| Error::OutsideCall {
            path: path.to_path_buf(),
            line: line_no,
            kind,
        };
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        if fields.first().is_some_and(|f| {
            f.eq_ignore_ascii_case("sample_id") || f.eq_ignore_ascii_case("sample")
        }) {
            with_sample = true;
            continue;
        }
        if fields
            .first()
            .is_some_and(|f| f.eq_ignore_ascii_case("gene"))
        {
            continue;
        }
        let (sample, rest) = if with_sample {
            match fields.split_first() {
                Some((s, rest)) if fields.len() >= 3 => (Some((*s).to_owned()), rest),
                _ => {
                    return Err(bad(OutsideCallError::TooFewColumns {
                        found: fields.len(),
                    }))
                }
            }
        } else {
            (None, fields.as_slice())
        };
        let Some(gene) = rest.first().copied() else {
            return Err(bad(OutsideCallError::TooFewColumns {
                found: fields.len(),
            }));
        };
        if rest.len() < 2 && !with_sample && samples > 1 {
            return Err(bad(OutsideCallError::SampleRequired { samples }));
        }
        if rest.len() < 2 {
            return Err(bad(OutsideCallError::TooFewColumns {
                found: fields.len(),
            }));
        }
        if gene.is_empty() {
            return Err(bad(OutsideCallError::EmptyGene));
        }
        let cell = |i: usize| {
            rest.get(i)
                .filter(|c| !c.is_empty())
                .map(|c| (*c).to_owned())
        };
        let diplotype = cell(1);
        let phenotype = cell(2);
        if diplotype.is_none() && phenotype.is_none() {
            return Err(bad(OutsideCallError::EmptyCall {
                gene: gene.to_owned(),
            }));
        }
        let activity_score = match cell(3) {
            None => None,
            Some(v) => Some(v.parse::<f64>().map_err(|_| {
                bad(OutsideCallError::BadActivityScore {
                    gene: gene.to_owned(),
                    value: v.clone(),
                })
            })?),
        };
        let genes = out.entry(sample.clone()).or_default();
        if genes.contains_key(gene) {
            return Err(bad(OutsideCallError::Duplicate {
                sample: sample.unwrap_or_default(),
                gene: gene.to_owned(),
            }));
        }
        genes.insert(
            gene.to_owned(),
            OutsideCall {
                gene: gene.to_owned(),
                diplotype,
                phenotype,
                activity_score,
            },
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_single_and_cohort_files() {
        let p = Path::new("calls.tsv");
        let one = parse(p, "CYP2D6\t*1/*4\n", 1).unwrap();
        assert_eq!(one[&None]["CYP2D6"].diplotype.as_deref(), Some("*1/*4"));
        let many = parse(
            p,
            "sample_id\tgene\tdiplotype\nS1\tCYP2D6\t*1/*2\nS2\tCYP2D6\t*4/*4\n",
            2,
        )
        .unwrap();
        assert_eq!(
            many[&Some("S2".into())]["CYP2D6"].diplotype.as_deref(),
            Some("*4/*4")
        );
    }

    #[test]
    fn a_bad_line_names_its_line() {
        let p = Path::new("calls.tsv");
        let err = parse(p, "CYP2D6\t*1/*4\nCYP2C19\n", 1).unwrap_err();
        assert!(matches!(err, Error::OutsideCall { line: 2, .. }), "{err}");
        let err = parse(p, "CYP2D6\t*1/*4\t\tabc\n", 1).unwrap_err();
        assert!(err.to_string().contains("calls.tsv:1"));
    }
}
