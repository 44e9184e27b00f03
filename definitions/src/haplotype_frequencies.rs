//! Haplotype frequencies: how often each named allele of each gene is seen.
//!
//! The embedded table (`frequencies/haplotype_frequencies.tsv`) was
//! counted once from the 1000 Genomes Project phased panels (3,202 people)
//! by tailor's own `call` stage;
//! `stages/simulate/tools/haplotype_frequencies.sh` regenerates it. The
//! simulate stage draws people from it; the call stage ranks CYP2D6
//! candidates the reads cannot tell apart by it.

use crate::error::{Error, Result};

/// The embedded table's text.
const EMBEDDED: &str = include_str!("../frequencies/haplotype_frequencies.tsv");

/// One named allele's count in the source panel.
#[derive(Clone, Debug, PartialEq)]
pub struct AlleleCount {
    /// Named allele (`*2`).
    pub allele: String,
    /// Haplotypes carrying it in the source panel.
    pub count: u64,
    /// Its function as the calls table gave it (`No function`), or empty.
    pub function: String,
}

/// Named-allele counts of one gene.
#[derive(Clone, Debug, PartialEq)]
pub struct GeneFrequencies {
    /// HGNC symbol.
    pub gene: String,
    /// The alleles, in table order.
    pub alleles: Vec<AlleleCount>,
}

/// Parses a frequency table (`gene allele count frequency function`, tab
/// separated, `#` comment lines and one header line starting `gene`).
///
/// # Errors
///
/// [`Error::Frequencies`] naming the table and line of a malformed row.
pub fn parse_frequencies(name: &str, text: &str) -> Result<Vec<GeneFrequencies>> {
    let mut genes: Vec<GeneFrequencies> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let bad = |problem: &str| Error::Frequencies {
            table: name.to_owned(),
            line: index + 1,
            problem: problem.to_owned(),
        };
        if line.is_empty() || line.starts_with('#') || line.starts_with("gene\t") {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 4 {
            return Err(bad("fewer than 4 columns"));
        }
        let count: u64 = fields[2]
            .parse()
            .map_err(|_| bad("count is not a whole number"))?;
        let entry = AlleleCount {
            allele: fields[1].to_owned(),
            count,
            function: fields.get(4).copied().unwrap_or("").to_owned(),
        };
        match genes.last_mut() {
            Some(last) if last.gene == fields[0] => last.alleles.push(entry),
            _ => {
                if genes.iter().any(|g| g.gene == fields[0]) {
                    return Err(bad("gene rows are not contiguous"));
                }
                genes.push(GeneFrequencies {
                    gene: fields[0].to_owned(),
                    alleles: vec![entry],
                });
            }
        }
    }
    Ok(genes)
}

/// The embedded frequency table.
///
/// # Errors
///
/// Only if the embedded table were malformed (a build defect).
pub fn embedded_frequencies() -> Result<Vec<GeneFrequencies>> {
    parse_frequencies("embedded haplotype_frequencies.tsv", EMBEDDED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_and_rejects_bad_counts() {
        let text = "# c\ngene\tallele\tcount\tfrequency\tfunction\nA\t*1\t3\t0.75\tNormal function\nA\t*2\t1\t0.25\t\n";
        let genes = parse_frequencies("t", text).unwrap();
        assert_eq!(genes.len(), 1);
        assert_eq!(genes[0].alleles[1].count, 1);
        assert!(parse_frequencies("t", "A\t*1\tx\t0.1\n").is_err());
        assert!(parse_frequencies("t", "A\t*1\t1\t0.1\nB\t*1\t1\t1\nA\t*2\t1\t1\n").is_err());
    }

    #[test]
    fn embedded_table_parses() {
        embedded_frequencies().unwrap();
    }
}
