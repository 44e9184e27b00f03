//! The one strict reader of `tailor.toml`, used by every subcommand that
//! reads it (`run`, `join --config`, `estimate --config`, and `demo`
//! through `run`).
//!
//! The whole file is checked before any section is used: an unknown
//! section or key anywhere is a configuration error (exit 2) naming it,
//! the nearest valid name (edit distance) and the names that are valid
//! there, so `[estimat]` is never read as "no `[estimate]` section".

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context};
use serde::Deserialize;

use crate::exit::Failure;

/// One valid key: its name and, for a table (or an array of tables), the
/// keys valid inside it. `None` for a value, or for a map whose keys are
/// data (gene names, therapy names).
#[derive(Debug)]
struct Key {
    name: &'static str,
    children: Option<&'static [Key]>,
}

const fn value(name: &'static str) -> Key {
    Key {
        name,
        children: None,
    }
}

const fn table(name: &'static str, children: &'static [Key]) -> Key {
    Key {
        name,
        children: Some(children),
    }
}

/// `[run]`.
const RUN: &[Key] = &[
    value("inputs"),
    value("bam"),
    value("samplesheet"),
    value("reference"),
    value("clinical"),
    value("output"),
    value("identified"),
    value("sex"),
    value("definitions"),
    value("genes"),
    value("pseudonymise"),
];

/// `[ingest]`.
const INGEST: &[Key] = &[
    value("absent_as_reference"),
    value("covered"),
    value("pass_only"),
    value("hash_inputs"),
    value("min_mapping_quality"),
    value("min_base_quality"),
    value("min_depth"),
];

/// `[call]`.
const CALL: &[Key] = &[
    value("combinations"),
    value("all_matches"),
    value("outside_calls"),
    value("cyp2d6_phenotype_from_snvs"),
];

/// `[join.sample_map]`.
const SAMPLE_MAP: &[Key] = &[
    value("path"),
    value("sample_column"),
    value("patient_column"),
];

/// Each `[[join.outcomes]]`.
const OUTCOME: &[Key] = &[
    value("name"),
    value("kind"),
    value("column"),
    value("time_column"),
    value("event_column"),
    value("higher_is_better"),
    value("unit"),
];

/// Each `[[join.covariates]]`.
const COVARIATE: &[Key] = &[
    value("name"),
    value("kind"),
    value("column"),
    value("reference"),
];

/// `[join]`.
const JOIN: &[Key] = &[
    value("sample_id"),
    value("episode_id"),
    value("therapy"),
    table("outcomes", OUTCOME),
    table("covariates", COVARIATE),
    value("na"),
    value("decimal"),
    value("delimiter"),
    value("genes"),
    table("sample_map", SAMPLE_MAP),
    value("key_file"),
    value("key_env"),
    value("pseudonymise"),
];

/// `[estimate]`.
const ESTIMATE: &[Key] = &[
    value("grouping"),
    value("activity_score_bins"),
    value("comparator"),
    value("reference_subgroups"),
    value("fdr"),
    value("confidence_level"),
    value("suppression_threshold"),
    value("km_horizon"),
    value("hc3"),
    value("covariates"),
    value("genes"),
    value("outcomes"),
    value("include_cyp2d6_snv_only"),
    value("therapy_atc"),
    value("merge_likely"),
];

/// The sections of `tailor.toml`.
const SECTIONS: &[Key] = &[
    table("run", RUN),
    table("ingest", INGEST),
    table("call", CALL),
    table("join", JOIN),
    table("estimate", ESTIMATE),
];

/// A `tailor.toml`, read and checked.
#[derive(Debug)]
pub struct ConfigFile {
    path: PathBuf,
    table: toml::Table,
}

impl ConfigFile {
    /// Reads `path` and checks every section and key against the ones
    /// tailor knows.
    ///
    /// # Errors
    /// A usage failure (exit 2) when the file cannot be read, is not TOML,
    /// or names an unknown section or key.
    pub fn read(path: &Path) -> Result<Self, Failure> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading {}", path.display()))
            .map_err(Failure::usage)?;
        Self::parse(path, &text)
    }

    /// Parses and checks `text`, read from `path`.
    fn parse(path: &Path, text: &str) -> Result<Self, Failure> {
        let table: toml::Table = toml::from_str(text)
            .with_context(|| format!("{}: not valid TOML", path.display()))
            .map_err(Failure::usage)?;
        check(&table, SECTIONS, "")
            .map_err(|problem| Failure::usage(anyhow!("{}: {problem}", path.display())))?;
        Ok(Self {
            path: path.to_owned(),
            table,
        })
    }

    /// The directory relative paths in the file are relative to.
    pub fn base(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    /// Section `name`, deserialised; `None` when the file has none.
    ///
    /// # Errors
    /// A usage failure naming the file and section when a value has the
    /// wrong type or a required key is missing.
    pub fn section<T: for<'de> Deserialize<'de>>(&self, name: &str) -> Result<Option<T>, Failure> {
        match self.table.get(name) {
            None => Ok(None),
            Some(value) => value
                .clone()
                .try_into()
                .map(Some)
                .with_context(|| format!("{}: [{name}]", self.path.display()))
                .map_err(Failure::usage),
        }
    }
}

/// Checks that every key of `table` is one of `keys`, recursively; the
/// problem found first, as text, otherwise.
fn check(table: &toml::Table, keys: &[Key], at: &str) -> Result<(), String> {
    for (name, item) in table {
        let Some(key) = keys.iter().find(|k| k.name == name) else {
            return Err(unknown(name, keys, at));
        };
        let Some(children) = key.children else {
            continue;
        };
        let inner = if at.is_empty() {
            name.clone()
        } else {
            format!("{at}.{name}")
        };
        match item {
            toml::Value::Table(t) => check(t, children, &inner)?,
            toml::Value::Array(items) => {
                for item in items {
                    if let toml::Value::Table(t) = item {
                        check(t, children, &inner)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The message for an unknown `name` where `keys` are valid.
fn unknown(name: &str, keys: &[Key], at: &str) -> String {
    let names: Vec<&str> = keys.iter().map(|k| k.name).collect();
    let nearest = names
        .iter()
        .min_by_key(|candidate| closeness(name, candidate))
        .copied()
        .unwrap_or_default();
    if at.is_empty() {
        format!(
            "unknown section [{name}]; did you mean [{nearest}]? (tailor.toml sections: [{}])",
            names.join("], [")
        )
    } else {
        format!(
            "unknown key \"{name}\" in [{at}]; did you mean \"{nearest}\"? (valid there: {})",
            names.join(", ")
        )
    }
}

/// How far `name` is from `candidate`: the edit distance, but 1 at most
/// when one starts with the other (`key` is near `key_file`).
fn closeness(name: &str, candidate: &str) -> usize {
    let distance = edit_distance(name, candidate);
    let prefix = name.len() >= 3 && (candidate.starts_with(name) || name.starts_with(candidate));
    if prefix {
        distance.min(1)
    } else {
        distance
    }
}

/// Levenshtein distance between `a` and `b`, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> String {
        match ConfigFile::parse(Path::new("tailor.toml"), text) {
            Ok(_) => String::new(),
            Err(failure) => {
                assert_eq!(failure.code, crate::exit::USAGE);
                format!("{:#}", failure.error)
            }
        }
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("estimat", "estimate"), 1);
        assert_eq!(edit_distance("joinn", "join"), 1);
        assert_eq!(edit_distance("", "run"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(closeness("key", "key_file"), 1);
        assert_eq!(closeness("ke", "key_file"), 6);
    }

    #[test]
    fn names_unknown_sections_and_keys_with_the_nearest() {
        assert_eq!(
            problem("[estimat]\nfdr = 0.1\n"),
            "tailor.toml: unknown section [estimat]; did you mean [estimate]? \
             (tailor.toml sections: [run], [ingest], [call], [join], [estimate])"
        );
        let join = problem("[join]\nsample_id = \"p\"\ntherapyy = \"t\"\n");
        assert!(
            join.starts_with(
                "tailor.toml: unknown key \"therapyy\" in [join]; did you mean \"therapy\"?"
            ),
            "{join}"
        );
        let outcome = problem("[join]\n[[join.outcomes]]\nname = \"m\"\nkidn = \"binary\"\n");
        assert!(
            outcome.starts_with(
                "tailor.toml: unknown key \"kidn\" in [join.outcomes]; did you mean \"kind\"?"
            ),
            "{outcome}"
        );
        let map = problem("[join.sample_map]\npaht = \"m.tsv\"\n");
        assert!(map.contains("\"paht\" in [join.sample_map]; did you mean \"path\""));
    }

    #[test]
    fn data_maps_take_any_key() {
        let text = "[estimate]\n[estimate.reference_subgroups]\nCYP2C19 = \"Normal Metabolizer\"\n\
                    [estimate.therapy_atc]\nPlavix = \"B01AC04\"\n";
        assert_eq!(problem(text), "");
    }

    #[test]
    fn every_estimate_option_is_known() {
        let defaults = toml::Table::try_from(tailor_estimate::Options::default()).unwrap();
        for key in defaults.keys() {
            assert!(ESTIMATE.iter().any(|k| k.name == key), "{key}");
        }
        let mut join = tailor_join::JoinConfig::new("p", "t");
        join.genes = Some(Vec::new());
        join.key_env = Some("K".into());
        join.key_file = Some("k".into());
        join.episode_id = Some("e".into());
        join.delimiter = Some(',');
        let table = toml::Table::try_from(join).unwrap();
        for key in table.keys() {
            assert!(JOIN.iter().any(|k| k.name == key), "{key}");
        }
    }
}
