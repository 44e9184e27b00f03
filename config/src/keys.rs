//! The sections and keys tailor knows, and the nearest valid name to an
//! unknown one (edit distance).

/// One valid key: its name and, for a table (or an array of tables), the
/// keys valid inside it. `None` for a value, or for a map whose keys are
/// data (gene names, therapy names).
#[derive(Debug)]
pub(crate) struct Key {
    pub(crate) name: &'static str,
    pub(crate) children: Option<&'static [Key]>,
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
    value("bands"),
    value("band_values"),
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

/// Each `[[estimate.models]]`.
const MODEL: &[Key] = &[
    value("name"),
    value("family"),
    value("outcome"),
    value("transform"),
    value("genes"),
    value("grouping"),
    value("unknown_genotype"),
    value("covariates"),
    value("interactions"),
    value("derived"),
    value("missing"),
    value("reference"),
];

/// `[estimate]`.
const ESTIMATE: &[Key] = &[
    value("grouping"),
    value("gene_grouping"),
    value("activity_score_bins"),
    value("comparator"),
    value("reference_subgroups"),
    value("merge_subgroups"),
    value("subgroup_order"),
    value("merge_small_subgroups"),
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
    value("weighting"),
    value("verdict_estimator"),
    value("weight_truncation"),
    value("missing"),
    table("models", MODEL),
];

/// The sections of `tailor.toml`.
pub(crate) const SECTIONS: &[Key] = &[
    table("run", RUN),
    table("ingest", INGEST),
    table("call", CALL),
    table("join", JOIN),
    table("estimate", ESTIMATE),
];

/// The valid keys of `section` (`"join"`, `"join.outcomes"`, ...), or of
/// the file (the sections) for `""`; empty for a name tailor does not
/// know. For checking that a stage's options all have a key.
pub fn valid_keys(section: &str) -> Vec<&'static str> {
    let mut keys = SECTIONS;
    if !section.is_empty() {
        for part in section.split('.') {
            match keys
                .iter()
                .find(|k| k.name == part)
                .and_then(|k| k.children)
            {
                Some(children) => keys = children,
                None => return Vec::new(),
            }
        }
    }
    keys.iter().map(|k| k.name).collect()
}

/// An unknown name found by [`check`]: where, what, and the nearest.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Unknown {
    /// The dotted table it is in (`""` for a section).
    pub(crate) at: String,
    /// The unknown name.
    pub(crate) name: String,
    /// The nearest valid name.
    pub(crate) nearest: &'static str,
    /// Every valid name there.
    pub(crate) valid: Vec<&'static str>,
}

/// Checks that every key of `table` is one of `keys`, recursively; the
/// first unknown name otherwise (keys in file order when the TOML
/// library keeps it, else sorted).
pub(crate) fn check(table: &toml::Table, keys: &[Key], at: &str) -> Result<(), Unknown> {
    for (name, item) in table {
        let Some(key) = keys.iter().find(|k| k.name == name) else {
            let valid: Vec<&'static str> = keys.iter().map(|k| k.name).collect();
            let nearest = valid
                .iter()
                .min_by_key(|candidate| closeness(name, candidate))
                .copied()
                .unwrap_or_default();
            return Err(Unknown {
                at: at.to_owned(),
                name: name.clone(),
                nearest,
                valid,
            });
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

impl std::fmt::Display for Unknown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.at.is_empty() {
            write!(
                f,
                "unknown section [{}]; did you mean [{}]? (tailor.toml sections: [{}])",
                self.name,
                self.nearest,
                self.valid.join("], [")
            )
        } else {
            write!(
                f,
                "unknown key \"{}\" in [{}]; did you mean \"{}\"? (valid there: {})",
                self.name,
                self.at,
                self.nearest,
                self.valid.join(", ")
            )
        }
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
    fn valid_keys_walk_the_tree() {
        assert_eq!(
            valid_keys(""),
            ["run", "ingest", "call", "join", "estimate"]
        );
        assert!(valid_keys("join.outcomes").contains(&"time_column"));
        assert!(valid_keys("join.nothing").is_empty());
        assert!(valid_keys("estimate.models").contains(&"unknown_genotype"));
    }
}
