//! [`Config`]: `tailor.toml` read once and checked whole.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::keys::{check, SECTIONS};
use crate::line::line_of;
use crate::sections::{CallSection, IngestSection, RunSection};

/// A `tailor.toml`, read and checked: every section and key is one tailor
/// knows, and `[run]`, `[ingest]` and `[call]` have the types they need.
#[derive(Clone, Debug)]
pub struct Config {
    path: PathBuf,
    text: String,
    table: toml::Table,
    /// `[run]`, when the file has one (see [`Config::require_run`]).
    pub run: Option<RunSection>,
    /// `[ingest]` (defaults when absent).
    pub ingest: IngestSection,
    /// `[call]` (defaults when absent).
    pub call: CallSection,
}

impl Config {
    /// Reads `path` and checks it.
    ///
    /// # Errors
    /// [`Error::Read`] when the file cannot be read, otherwise as
    /// [`Config::parse`].
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses and checks `text`, read from `path`.
    ///
    /// # Errors
    /// [`Error::Syntax`] when it is not TOML, [`Error::Unknown`] for an
    /// unknown section or key, [`Error::Section`] when `[run]`, `[ingest]`
    /// or `[call]` has a value of the wrong type or lacks a required key.
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let table: toml::Table = toml::from_str(text).map_err(|source| Error::Syntax {
            path: path.to_owned(),
            source: Box::new(source),
        })?;
        check(&table, SECTIONS, "").map_err(|unknown| Error::Unknown {
            path: path.to_owned(),
            line: line_of(
                text,
                if unknown.at.is_empty() {
                    &unknown.name
                } else {
                    &unknown.at
                },
                (!unknown.at.is_empty()).then_some(unknown.name.as_str()),
            ),
            problem: unknown.to_string(),
        })?;
        let mut config = Self {
            path: path.to_owned(),
            text: text.to_owned(),
            table,
            run: None,
            ingest: IngestSection::default(),
            call: CallSection::default(),
        };
        config.run = config.section("run")?;
        config.ingest = config.section("ingest")?.unwrap_or_default();
        config.call = config.section("call")?.unwrap_or_default();
        Ok(config)
    }

    /// The configuration file, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The directory relative paths in the file are relative to.
    pub fn base(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    /// `path` as written in the file, made relative to the file's folder
    /// (an absolute path stays as it is).
    pub fn resolve(&self, path: &Path) -> PathBuf {
        self.base().join(path)
    }

    /// The 1-based line of `key` in table `at` (`"run"`,
    /// `"join.outcomes"`), or of the table's header; see [`line_of`].
    pub fn line(&self, at: &str, key: Option<&str>) -> Option<usize> {
        line_of(&self.text, at, key)
    }

    /// Whether the file has section `name`.
    pub fn has_section(&self, name: &str) -> bool {
        self.table.contains_key(name)
    }

    /// Section `name` deserialised into `T` (a stage's own option type);
    /// `None` when the file has none.
    ///
    /// # Errors
    /// [`Error::Section`], naming the file, the section and its line,
    /// when a value has the wrong type or a required key is missing.
    pub fn section<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        match self.table.get(name) {
            None => Ok(None),
            Some(value) => value
                .clone()
                .try_into()
                .map(Some)
                .map_err(|source| Error::Section {
                    path: self.path.clone(),
                    line: self.line(name, None),
                    section: name.to_owned(),
                    source: Box::new(source),
                }),
        }
    }

    /// `[run]`, which `tailor run` needs, with at least one genotype input
    /// (or `[call] outside_calls`: calls without genotypes) and one
    /// clinical table.
    ///
    /// # Errors
    /// [`Error::Incomplete`] when the file has no `[run]`, or it names no
    /// VCF/BCF or BAM/CRAM input and no outside calls, or no clinical
    /// table.
    pub fn require_run(&self) -> Result<&RunSection> {
        let Some(run) = &self.run else {
            return Err(Error::Incomplete {
                path: self.path.clone(),
                problem: "no [run] section; add one naming inputs, clinical and output",
            });
        };
        let genotypes = run.has_genotypes() || self.call.outside_calls.is_some();
        if !genotypes || run.clinical.is_empty() {
            return Err(Error::Incomplete {
                path: self.path.clone(),
                problem: "[run] needs at least one VCF/BCF in inputs (or BAM/CRAM in bam or \
                          samplesheet, or [call] outside_calls for calls without genotypes) \
                          and one table in clinical",
            });
        }
        if run.output.as_os_str().is_empty() {
            return Err(Error::Incomplete {
                path: self.path.clone(),
                problem: "[run] needs output, the folder for the tables",
            });
        }
        Ok(run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> String {
        match Config::parse(Path::new("tailor.toml"), text) {
            Ok(_) => String::new(),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn names_unknown_sections_and_keys_with_the_nearest_and_the_line() {
        assert_eq!(
            problem("[estimat]\nfdr = 0.1\n"),
            "tailor.toml, line 1: unknown section [estimat]; did you mean [estimate]? \
             (tailor.toml sections: [run], [ingest], [call], [join], [estimate])"
        );
        let join = problem("[join]\nsample_id = \"p\"\ntherapyy = \"t\"\n");
        assert!(
            join.starts_with(
                "tailor.toml, line 3: unknown key \"therapyy\" in [join]; did you mean \"therapy\"?"
            ),
            "{join}"
        );
        let outcome = problem("[join]\n[[join.outcomes]]\nname = \"m\"\nkidn = \"binary\"\n");
        assert!(
            outcome.starts_with(
                "tailor.toml, line 4: unknown key \"kidn\" in [join.outcomes]; did you mean \"kind\"?"
            ),
            "{outcome}"
        );
        let map = problem("[join.sample_map]\npaht = \"m.tsv\"\n");
        assert!(map
            .contains("line 2: unknown key \"paht\" in [join.sample_map]; did you mean \"path\""));
        let run = problem("[run]\noutput = \"o\"\nclinical = []\nsexx = \"s.tsv\"\n");
        assert!(
            run.contains("line 4: unknown key \"sexx\" in [run]; did you mean \"sex\""),
            "{run}"
        );
        let ingest = problem("[ingest]\npass_onyl = true\n");
        assert!(ingest.contains("\"pass_onyl\" in [ingest]; did you mean \"pass_only\""));
        let call = problem("[call]\ncombination = true\n");
        assert!(call.contains("\"combination\" in [call]; did you mean \"combinations\""));
    }

    #[test]
    fn data_maps_take_any_key() {
        let text = "[estimate]\n[estimate.reference_subgroups]\nCYP2C19 = \"Normal Metabolizer\"\n\
                    [estimate.therapy_atc]\nPlavix = \"B01AC04\"\n";
        assert_eq!(problem(text), "");
    }

    #[test]
    fn typed_sections_and_paths_relative_to_the_file() {
        let text =
            "[run]\ninputs = [\"a.vcf.gz\"]\nclinical = [\"/abs/c.csv\"]\noutput = \"out\"\n\
                    [call]\ncombinations = true\n";
        let config = Config::parse(Path::new("cfg/tailor.toml"), text).unwrap();
        let run = config.require_run().unwrap();
        assert_eq!(config.resolve(&run.inputs[0]), Path::new("cfg/a.vcf.gz"));
        assert_eq!(config.resolve(&run.clinical[0]), Path::new("/abs/c.csv"));
        assert!(config.call.combinations);
        assert!(!config.ingest.pass_only);
        let wrong = problem("[ingest]\nmin_depth = \"ten\"\n");
        assert!(
            wrong.starts_with("tailor.toml, line 1: [ingest]"),
            "{wrong}"
        );
    }

    #[test]
    fn outside_calls_stand_in_for_genotype_inputs() {
        let run = "[run]\nclinical = [\"c.csv\"]\noutput = \"out\"\n";
        let alone = Config::parse(Path::new("t.toml"), run).unwrap();
        let err = alone.require_run().unwrap_err().to_string();
        assert!(err.contains("or [call] outside_calls"), "{err}");
        let text = format!("{run}[call]\noutside_calls = \"calls.tsv\"\n");
        let config = Config::parse(Path::new("t.toml"), &text).unwrap();
        assert!(!config.require_run().unwrap().has_genotypes());
    }

    #[test]
    fn the_example_configuration_is_valid() {
        let text = include_str!("../../workflows/tailor.example.toml");
        let config = Config::parse(Path::new("workflows/tailor.example.toml"), text).unwrap();
        let run = config.require_run().unwrap();
        assert_eq!(run.clinical, [PathBuf::from("clinical.csv")]);
        assert!(config.has_section("join") && config.has_section("estimate"));
    }
}
