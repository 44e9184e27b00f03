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
