//! Assigning each row to a subgroup of a gene, or excluding it with a reason.
//!
//! - no call (flag `no_call`, or no value for the grouping): excluded,
//!   counted as `no_call`;
//! - ambiguous: kept in a phenotype grouping when the candidates share the
//!   phenotype (the cohort then carries it), otherwise excluded as
//!   `ambiguous`; always excluded from a diplotype grouping;
//! - CYP2D6 from SNVs alone (flag `snv_only`, source neither `bam` nor
//!   `outside`): excluded as `cyp2d6_snv_only` unless configured otherwise;
//! - carrier grouping with a phenotype it cannot classify: `not_classified`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use crate::cohort::{GeneColumns, FLAG_AMBIGUOUS, FLAG_NO_CALL, FLAG_SNV_ONLY};
use crate::{Error, Grouping, Options, Result};

/// Default reference subgroups, tried in order.
const DEFAULT_REFERENCES: [&str; 6] = [
    "Normal Metabolizer",
    "Normal Function",
    "*1/*1",
    "non_carrier",
    "2",
    "Normal",
];

/// A gene's subgroups.
#[derive(Clone, Debug)]
pub struct Subgroups {
    /// HGNC symbol.
    pub gene: String,
    /// The grouping used (phenotype falls back to diplotype for a gene
    /// without phenotypes).
    pub grouping: Grouping,
    /// Subgroup labels, sorted.
    pub labels: Vec<String>,
    /// The reference subgroup, when the gene has any subgroup.
    pub reference: Option<u32>,
    /// Subgroup of each row.
    pub of_row: Vec<Option<u32>>,
    /// Rows excluded, by reason.
    pub excluded: BTreeMap<&'static str, u64>,
}

/// `1`, `1.5`, `0.25`: an activity score as a label.
pub fn score_label(score: f64) -> String {
    let rounded = (score * 1000.0).round() / 1000.0;
    let text = format!("{rounded:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn bin_label(score: f64, edges: &[f64]) -> String {
    match edges.iter().rposition(|&e| score >= e) {
        None => format!(
            "(-inf, {})",
            score_label(edges.first().copied().unwrap_or(0.0))
        ),
        Some(i) if i + 1 == edges.len() => format!("[{}, inf)", score_label(edges[i])),
        Some(i) => format!("[{}, {})", score_label(edges[i]), score_label(edges[i + 1])),
    }
}

/// A phenotype as a subgroup label: `Likely Poor Metabolizer` counts as
/// `Poor Metabolizer` when `merge_likely` (CPIC gives a likely phenotype the
/// phenotype's recommendation).
pub fn phenotype_label(phenotype: &str, merge_likely: bool) -> &str {
    match phenotype.strip_prefix("Likely ") {
        Some(rest) if merge_likely && !rest.is_empty() => rest,
        _ => phenotype,
    }
}

/// Carrier status read from a CPIC phenotype.
pub fn carrier_label(phenotype: &str) -> Option<&'static str> {
    let p = phenotype.to_lowercase();
    if p.contains("intermediate") || p.contains("poor") || p.contains("decreased") {
        Some("carrier")
    } else if p.contains("normal") || p.contains("rapid") || p.contains("increased") {
        Some("non_carrier")
    } else {
        None
    }
}

/// Assigns the rows of one gene to subgroups.
///
/// # Errors
/// [`Error::UnknownName`] when a configured reference subgroup does not
/// occur (`path` names the cohort in the message).
pub fn assign(
    columns: &GeneColumns,
    options: &Options,
    path: &std::path::Path,
) -> Result<Subgroups> {
    let rows = columns.flags.len();
    let mut grouping = options.grouping;
    if grouping == Grouping::Phenotype
        && columns.phenotype.codes.iter().all(Option::is_none)
        && columns.diplotype.codes.iter().any(Option::is_some)
    {
        grouping = Grouping::Diplotype;
    }
    let mut excluded: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut raw: Vec<Option<u32>> = Vec::with_capacity(rows);
    let mut seen: HashMap<String, u32> = HashMap::new();
    for i in 0..rows {
        let flags = columns.flags[i];
        let label: Result<Cow<'_, str>, &'static str> = if flags & FLAG_NO_CALL != 0 {
            Err("no_call")
        } else if columns.gene == "CYP2D6"
            && flags & FLAG_SNV_ONLY != 0
            && !options.include_cyp2d6_snv_only
            && !matches!(columns.source.get(i), Some("bam") | Some("outside"))
        {
            Err("cyp2d6_snv_only")
        } else {
            let missing = if flags & FLAG_AMBIGUOUS != 0 {
                "ambiguous"
            } else {
                "no_call"
            };
            match grouping {
                Grouping::Phenotype => columns
                    .phenotype
                    .get(i)
                    .map(|p| Cow::Borrowed(phenotype_label(p, options.merge_likely)))
                    .ok_or(missing),
                Grouping::Diplotype => {
                    if flags & FLAG_AMBIGUOUS != 0 {
                        Err("ambiguous")
                    } else {
                        columns.diplotype.get(i).map(Cow::Borrowed).ok_or("no_call")
                    }
                }
                Grouping::ActivityScore => match columns.activity_score[i] {
                    Some(score) if options.activity_score_bins.is_empty() => {
                        Ok(Cow::Owned(score_label(score)))
                    }
                    Some(score) => Ok(Cow::Owned(bin_label(score, &options.activity_score_bins))),
                    None => Err(missing),
                },
                Grouping::Carrier => match columns.phenotype.get(i) {
                    Some(p) => carrier_label(p).map(Cow::Borrowed).ok_or("not_classified"),
                    None => Err(missing),
                },
            }
        };
        match label {
            Ok(l) => {
                let code = match seen.get(l.as_ref()) {
                    Some(&c) => c,
                    None => {
                        let c = seen.len() as u32;
                        seen.insert(l.into_owned(), c);
                        c
                    }
                };
                raw.push(Some(code));
            }
            Err(reason) => {
                *excluded.entry(reason).or_default() += 1;
                raw.push(None);
            }
        }
    }
    let mut labels: Vec<String> = seen.keys().cloned().collect();
    labels.sort();
    let index: HashMap<&str, u32> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i as u32))
        .collect();
    let mut remap = vec![0u32; labels.len()];
    for (label, &first) in &seen {
        remap[first as usize] = index.get(label.as_str()).copied().unwrap_or(0);
    }
    let of_row: Vec<Option<u32>> = raw.iter().map(|c| c.map(|c| remap[c as usize])).collect();
    let reference = match options.reference_subgroups.get(&columns.gene) {
        Some(configured) => {
            Some(
                index
                    .get(configured.as_str())
                    .copied()
                    .ok_or_else(|| Error::UnknownName {
                        path: path.to_path_buf(),
                        setting: "reference_subgroups",
                        value: format!("{} = {configured}", columns.gene),
                        available: labels.join(", "),
                    })?,
            )
        }
        None => DEFAULT_REFERENCES
            .iter()
            .find_map(|r| index.get(r).copied())
            .or_else(|| {
                let mut counts = vec![0u64; labels.len()];
                for s in of_row.iter().flatten() {
                    counts[*s as usize] += 1;
                }
                (0..labels.len())
                    .max_by(|&a, &b| counts[a].cmp(&counts[b]).then(b.cmp(&a)))
                    .map(|i| i as u32)
            }),
    };
    Ok(Subgroups {
        gene: columns.gene.clone(),
        grouping,
        labels,
        reference,
        of_row,
        excluded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cohort::Interned;

    fn gene(name: &str) -> GeneColumns {
        GeneColumns {
            gene: name.to_owned(),
            phenotype: Interned::from_values(
                [
                    Some("Poor Metabolizer"),
                    Some("Normal Metabolizer"),
                    None,
                    Some("Normal Metabolizer"),
                    None,
                ]
                .into_iter(),
            ),
            diplotype: Interned::from_values(
                [Some("*2/*2"), Some("*1/*1"), None, None, None].into_iter(),
            ),
            activity_score: vec![Some(0.0), Some(2.0), None, Some(1.5), None],
            flags: vec![
                0,
                0,
                FLAG_NO_CALL,
                FLAG_AMBIGUOUS,
                FLAG_AMBIGUOUS | FLAG_SNV_ONLY,
            ],
            source: Interned::from_values([Some("vcf"); 5].into_iter()),
        }
    }

    #[test]
    fn phenotype_keeps_concordant_ambiguous() {
        let s = assign(
            &gene("CYP2C19"),
            &Options::default(),
            std::path::Path::new("c"),
        )
        .expect("ok");
        assert_eq!(s.labels, ["Normal Metabolizer", "Poor Metabolizer"]);
        assert_eq!(s.of_row, [Some(1), Some(0), None, Some(0), None]);
        assert_eq!(s.reference, Some(0));
        assert_eq!(s.excluded.get("no_call"), Some(&1));
        assert_eq!(s.excluded.get("ambiguous"), Some(&1));
    }

    #[test]
    fn cyp2d6_snv_only_and_diplotype() {
        let options = Options::builder().grouping(Grouping::Diplotype).build();
        let s = assign(&gene("CYP2D6"), &options, std::path::Path::new("c")).expect("ok");
        assert_eq!(s.excluded.get("cyp2d6_snv_only"), Some(&1));
        assert_eq!(s.excluded.get("ambiguous"), Some(&1));
        assert_eq!(
            s.reference.map(|r| s.labels[r as usize].as_str()),
            Some("*1/*1")
        );
    }

    #[test]
    fn labels() {
        assert_eq!(score_label(1.0), "1");
        assert_eq!(score_label(0.25), "0.25");
        assert_eq!(bin_label(1.2, &[0.0, 1.0, 2.0]), "[1, 2)");
        assert_eq!(bin_label(2.5, &[0.0, 1.0, 2.0]), "[2, inf)");
        assert_eq!(
            carrier_label("Likely Intermediate Metabolizer"),
            Some("carrier")
        );
        assert_eq!(carrier_label("Indeterminate"), None);
        assert_eq!(
            phenotype_label("Likely Poor Metabolizer", true),
            "Poor Metabolizer"
        );
        assert_eq!(
            phenotype_label("Likely Poor Metabolizer", false),
            "Likely Poor Metabolizer"
        );
        assert_eq!(
            phenotype_label("Poor Metabolizer", true),
            "Poor Metabolizer"
        );
        let bad = Options::builder()
            .reference_subgroup("CYP2C19", "Rapid")
            .build();
        assert!(assign(&gene("CYP2C19"), &bad, std::path::Path::new("c")).is_err());
    }
}
