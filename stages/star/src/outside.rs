//! Outside calls: diplotypes called elsewhere (PharmCAT's outside-call TSV:
//! gene, diplotype, optional phenotype and activity score), with a leading
//! `sample_id` column for cohorts.
//!
//! A line that cannot be used (an unknown gene or allele, a malformed
//! diplotype, too few or too many columns, a bad activity score, a sample
//! and gene given twice) does not end the read: it is listed in
//! [`OutsideCalls::problems`] with its line, and its sample x gene, when
//! the line names them, becomes an invalid call (flag
//! `outside_call_invalid`). Only an unreadable file, or one whose lines
//! lack the sample_id column the input needs, is an error.

use std::collections::BTreeMap;
use std::path::Path;

use tailor_definitions::Definitions;

use crate::error::{Error, OutsideCallError, Result};
use crate::outside_vocabulary::Vocabulary;

/// Columns after the sample_id: gene, diplotype, phenotype, activity score.
const MAX_CALL_COLUMNS: usize = 4;

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
    /// 1-based line of the file the call was read from.
    pub line: usize,
    /// Why the call cannot be used (its row then has no diplotype,
    /// phenotype or activity score, flag `outside_call_invalid`); `None`
    /// for a valid call.
    pub invalid: Option<OutsideCallError>,
}

/// Outside calls by sample (`None`: the file has no sample column and
/// applies to the input's only sample) and gene.
pub type CallsBySample = BTreeMap<Option<String>, BTreeMap<String, OutsideCall>>;

/// An outside-call file, read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutsideCalls {
    /// The calls, valid or not, by sample and gene.
    pub by_sample: CallsBySample,
    /// Every line that could not be used, in line order.
    pub problems: Vec<OutsideCallProblem>,
}

/// A line of an outside-call file that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutsideCallProblem {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub kind: OutsideCallError,
    /// Whether a row of the calls table stands for it (flagged
    /// `outside_call_invalid`); `false` when the line names no gene.
    pub flagged_row: bool,
}

/// Reads an outside-call file. Lines starting with `#` and blank lines are
/// skipped. A header whose first column is `sample_id` (or `sample`) says
/// the file has a sample column; without one, a file has it when the
/// input has several samples (`samples > 1`) or none (`samples == 0`:
/// outside calls alone, whose samples are the file's). Genes and allele
/// names are checked against `definitions` and the phenotype tables.
///
/// # Errors
/// [`Error::Io`] if unreadable; [`Error::OutsideCall`] naming the first
/// line when the file has no sample column but the input needs one.
pub fn read_outside_calls(
    path: &Path,
    samples: usize,
    definitions: &Definitions,
) -> Result<OutsideCalls> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &text, samples, &Vocabulary::new(definitions))
}

/// One data line split into its sample (when the file has the column) and
/// the call's columns.
struct Line<'t> {
    number: usize,
    sample: Option<String>,
    columns: Vec<&'t str>,
}

fn parse(
    path: &Path,
    text: &str,
    samples: usize,
    vocabulary: &Vocabulary<'_>,
) -> Result<OutsideCalls> {
    let mut out = OutsideCalls::default();
    let mut with_sample = samples != 1;
    let mut first_data_line = true;
    for (i, raw) in text.lines().enumerate() {
        let number = i + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let first = fields.first().copied().unwrap_or_default();
        if first.eq_ignore_ascii_case("sample_id") || first.eq_ignore_ascii_case("sample") {
            with_sample = true;
            first_data_line = false;
            continue;
        }
        let header = first.eq_ignore_ascii_case("gene");
        if std::mem::take(&mut first_data_line)
            && samples != 1
            && (header || vocabulary.knows_gene(first))
        {
            return Err(Error::OutsideCall {
                path: path.to_path_buf(),
                line: number,
                kind: OutsideCallError::SampleRequired { samples },
            });
        }
        if header {
            continue;
        }
        // `split` yields one field at least: the first is there to take.
        let sample = with_sample.then(|| fields.remove(0).to_owned());
        read_line(
            Line {
                number,
                sample,
                columns: fields,
            },
            vocabulary,
            &mut out,
        );
    }
    Ok(out)
}

/// Adds one data line's call to `out`, or its problem.
fn read_line(line: Line<'_>, vocabulary: &Vocabulary<'_>, out: &mut OutsideCalls) {
    let found = line.columns.len() + usize::from(line.sample.is_some());
    let gene = line.columns.first().copied().unwrap_or_default();
    if gene.is_empty() || line.sample.as_deref() == Some("") {
        let kind = match line.columns.len() {
            0 => OutsideCallError::TooFewColumns { found },
            _ if gene.is_empty() => OutsideCallError::EmptyGene,
            _ => OutsideCallError::EmptySample,
        };
        out.problems.push(OutsideCallProblem {
            line: line.number,
            kind,
            flagged_row: false,
        });
        return;
    }
    let cell = |i: usize| {
        line.columns
            .get(i)
            .filter(|c| !c.is_empty())
            .map(|c| (*c).to_owned())
    };
    let mut call = OutsideCall {
        gene: gene.to_owned(),
        diplotype: cell(1),
        phenotype: cell(2),
        activity_score: None,
        line: line.number,
        invalid: None,
    };
    call.invalid = check(&line, &mut call, vocabulary).err();
    let genes = out.by_sample.entry(line.sample).or_default();
    let problem = match genes.get_mut(gene) {
        Some(first) => {
            let kind = OutsideCallError::Duplicate {
                gene: gene.to_owned(),
                first_line: first.line,
            };
            first.invalid = Some(kind.clone());
            Some(kind)
        }
        None => {
            let problem = call.invalid.clone();
            genes.insert(gene.to_owned(), call);
            problem
        }
    };
    if let Some(kind) = problem {
        out.problems.push(OutsideCallProblem {
            line: line.number,
            kind,
            flagged_row: true,
        });
    }
}

/// Checks a call's columns, reading its activity score into `call`.
fn check(
    line: &Line<'_>,
    call: &mut OutsideCall,
    vocabulary: &Vocabulary<'_>,
) -> Result<(), OutsideCallError> {
    let found = line.columns.len() + usize::from(line.sample.is_some());
    if line.columns.len() < 2 {
        return Err(OutsideCallError::TooFewColumns { found });
    }
    if line.columns.len() > MAX_CALL_COLUMNS {
        return Err(OutsideCallError::TooManyColumns { found });
    }
    if call.diplotype.is_none() && call.phenotype.is_none() {
        return Err(OutsideCallError::EmptyCall {
            gene: call.gene.clone(),
        });
    }
    if let Some(value) = line.columns.get(3).filter(|c| !c.is_empty()) {
        call.activity_score =
            Some(
                value
                    .parse::<f64>()
                    .map_err(|_| OutsideCallError::BadActivityScore {
                        gene: call.gene.clone(),
                        value: (*value).to_owned(),
                    })?,
            );
    }
    vocabulary.check(&call.gene, call.diplotype.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, samples: usize) -> Result<OutsideCalls> {
        let definitions = Definitions::embedded().unwrap();
        parse(
            Path::new("calls.tsv"),
            text,
            samples,
            &Vocabulary::new(&definitions),
        )
    }

    #[test]
    fn reads_single_and_cohort_files() {
        let one = read("CYP2D6\t*1/*4\n", 1).unwrap();
        assert_eq!(
            one.by_sample[&None]["CYP2D6"].diplotype.as_deref(),
            Some("*1/*4")
        );
        let text = "sample_id\tgene\tdiplotype\nS1\tCYP2D6\t*1/*2\nS2\tCYP2D6\t*4/*4\t\t0\n";
        for samples in [0, 2] {
            let many = read(text, samples).unwrap();
            let s2 = &many.by_sample[&Some("S2".into())]["CYP2D6"];
            assert_eq!(s2.diplotype.as_deref(), Some("*4/*4"));
            assert_eq!(
                (s2.activity_score, s2.line, &s2.invalid),
                (Some(0.0), 3, &None)
            );
            assert!(many.problems.is_empty());
        }
        // Without a header, outside calls alone read a sample column.
        let alone = read("S1\tCYP2C19\t*1/*2\n", 0).unwrap();
        assert!(alone.by_sample[&Some("S1".into())].contains_key("CYP2C19"));
    }

    #[test]
    fn a_bad_line_is_a_problem_naming_its_line_not_an_error() {
        let text = "sample_id\tgene\tdiplotype\n\
                    S1\tCYP2C19\t*1/*999\n\
                    S1\tCYP2C9\t*1/*2\n\
                    S1\tCYP2C9\t*1/*3\n\
                    S2\tCYP2X1\t*1/*1\n\
                    S2\tCYP2C9\t*1//*2\n\
                    S3\tCYP2C9\n\
                    S3\n\
                    S4\tCYP2C9\t*1/*1\t\tabc\n\
                    S5\tCYP2C9\t*1/*1\tNormal Metabolizer\t2\textra\n\
                    \tCYP2C9\t*1/*1\n";
        let calls = read(text, 0).unwrap();
        let problems: Vec<(usize, &OutsideCallError, bool)> = calls
            .problems
            .iter()
            .map(|p| (p.line, &p.kind, p.flagged_row))
            .collect();
        assert_eq!(
            problems,
            [
                (
                    2,
                    &OutsideCallError::UnknownAllele {
                        gene: "CYP2C19".into(),
                        allele: "*999".into()
                    },
                    true
                ),
                (
                    4,
                    &OutsideCallError::Duplicate {
                        gene: "CYP2C9".into(),
                        first_line: 3
                    },
                    true
                ),
                (
                    5,
                    &OutsideCallError::UnknownGene {
                        gene: "CYP2X1".into()
                    },
                    true
                ),
                (
                    6,
                    &OutsideCallError::MalformedDiplotype {
                        gene: "CYP2C9".into(),
                        diplotype: "*1//*2".into()
                    },
                    true
                ),
                (7, &OutsideCallError::TooFewColumns { found: 2 }, true),
                (8, &OutsideCallError::TooFewColumns { found: 1 }, false),
                (
                    9,
                    &OutsideCallError::BadActivityScore {
                        gene: "CYP2C9".into(),
                        value: "abc".into()
                    },
                    true
                ),
                (10, &OutsideCallError::TooManyColumns { found: 6 }, true),
                (11, &OutsideCallError::EmptySample, false),
            ]
        );
        // The duplicated sample x gene is invalid, whichever line was right.
        let s1 = &calls.by_sample[&Some("S1".into())];
        assert!(s1["CYP2C9"].invalid.is_some());
        assert_eq!(s1["CYP2C9"].line, 3);
        assert!(!problems
            .iter()
            .any(|(_, kind, _)| kind.to_string().contains("S1")));
    }

    #[test]
    fn a_file_without_the_sample_column_it_needs_is_an_error() {
        for (text, samples) in [
            ("CYP2D6\t*1/*4\n", 0),
            ("gene\tdiplotype\nCYP2D6\t*1/*4\n", 2),
        ] {
            let err = read(text, samples).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::OutsideCall {
                        kind: OutsideCallError::SampleRequired { .. },
                        ..
                    }
                ),
                "{err}"
            );
            assert!(
                err.to_string()
                    .starts_with("calls.tsv:1: no sample_id column"),
                "{err}"
            );
        }
    }
}
