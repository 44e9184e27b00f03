//! What an input lacks or gets wrong that does not stop a run: the
//! pipeline prints each once.

use std::fmt;
use std::path::PathBuf;

/// A problem with an input that ingest accepted, with a flag in the rows
/// where it matters.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// Records use FILTER values the header does not declare. They are
    /// read as not PASS (flag `non_pass`; dropped with `--pass-only`).
    UndeclaredFilter {
        /// The file.
        path: PathBuf,
        /// The values (`undeclared` when htslib could not name one).
        filters: Vec<String>,
    },
    /// Records use FORMAT fields the header does not declare. htslib reads
    /// them as text, so tailor ignores their values (an undeclared PS, DP
    /// or GQ gives no phase set, depth or quality).
    UndeclaredFormat {
        /// The file.
        path: PathBuf,
        /// The ids (`undeclared` when htslib could not name one).
        formats: Vec<String>,
    },
    /// No input has a record on these genes' definition positions (nor
    /// around them): every sample's call is `no_data`.
    GenesWithoutRecords {
        /// HGNC symbols, in definition order.
        genes: Vec<String>,
    },
    /// Most definition positions inside the regions the file covers have
    /// no record, as in a variant-sites-only panel; they are read as
    /// missing because `--absent-as-reference` is off.
    SitesOnly {
        /// The file.
        path: PathBuf,
        /// Definition positions inside its coverage without a record.
        absent: usize,
        /// Definition positions inside its coverage.
        inside: usize,
    },
    /// The file has a header but no record at all, so every genotype from
    /// it is missing.
    NoRecords {
        /// The file.
        path: PathBuf,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::UndeclaredFilter { path, filters } => write!(
                f,
                "{}: records use FILTER values the header does not declare ({}); read as not PASS \
                 (flag non_pass). Declare them with ##FILTER=<ID=...,Description=...> (bcftools annotate -h)",
                path.display(),
                filters.join(", ")
            ),
            Warning::UndeclaredFormat { path, formats } => write!(
                f,
                "{}: records use FORMAT fields the header does not declare ({}); their values are \
                 ignored. Declare them with ##FORMAT=<ID=...,Number=...,Type=...,Description=...> \
                 (bcftools annotate -h)",
                path.display(),
                formats.join(", ")
            ),
            Warning::GenesWithoutRecords { genes } => write!(
                f,
                "no input has a record on the definition positions of {} gene(s): {}; their calls \
                 are no_data (flag no_data). Add an input that covers them, or leave them out with --genes",
                genes.len(),
                genes.join(", ")
            ),
            Warning::SitesOnly {
                path,
                absent,
                inside,
            } => write!(
                f,
                "{}: {absent} of {inside} definition positions inside the regions it covers have no \
                 record, as in a variant-sites-only panel; they are read as missing, which leaves \
                 calls ambiguous. If the file lists every variant site of a joint-called cohort or \
                 reference panel, pass --absent-as-reference",
                path.display()
            ),
            Warning::NoRecords { path } => write!(
                f,
                "{}: the file has no records (header only): no record on any definition region, \
                 so its samples' genotypes are all missing",
                path.display()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_file_and_the_fix() {
        let warning = Warning::UndeclaredFilter {
            path: "a.vcf.gz".into(),
            filters: vec!["LowQual".into()],
        };
        assert_eq!(
            warning.to_string(),
            "a.vcf.gz: records use FILTER values the header does not declare (LowQual); read as \
             not PASS (flag non_pass). Declare them with ##FILTER=<ID=...,Description=...> (bcftools annotate -h)"
        );
    }
}
