//! `tailor.toml` for every subcommand that reads it (`run`, `join
//! --config`, `estimate --config`, and `demo` through `run`): read once by
//! `tailor-config`, its errors given their exit code (2), and its
//! `[join]` and `[estimate]` sections turned into those stages' options
//! with relative paths resolved against the file's folder.

use std::path::Path;

use tailor_config::Config;
use tailor_join::JoinConfig;

use crate::exit::Failure;

/// Reads and checks `path` (every section and key).
///
/// # Errors
/// A usage failure (exit 2) naming the file, the line and the nearest
/// valid key, when the file cannot be read, is not TOML or names an
/// unknown section or key.
pub fn read(path: &Path) -> Result<Config, Failure> {
    Config::read(path).map_err(Failure::usage)
}

/// `[join]` as the join stage's [`JoinConfig`], with `sample_map.path` and
/// `key_file` resolved against the file's folder; `None` without `[join]`.
///
/// # Errors
/// A usage failure naming the file and line when a value has the wrong
/// type or a required key is missing.
pub fn join_config(config: &Config) -> Result<Option<JoinConfig>, Failure> {
    let Some(mut join) = config
        .section::<JoinConfig>("join")
        .map_err(Failure::usage)?
    else {
        return Ok(None);
    };
    if let Some(map) = &mut join.sample_map {
        map.path = config.resolve(&map.path);
    }
    if let Some(key_file) = &mut join.key_file {
        *key_file = config.resolve(key_file);
    }
    Ok(Some(join))
}

/// `[estimate]` as the estimate stage's options (the defaults without it).
///
/// # Errors
/// A usage failure naming the file and line when a value has the wrong
/// type, or an explicit model (`[[estimate.models]]`) is inconsistent
/// (the line of its key).
pub fn estimate_options(config: &Config) -> Result<tailor_estimate::Options, Failure> {
    let options: tailor_estimate::Options = config
        .section("estimate")
        .map_err(Failure::usage)?
        .unwrap_or_default();
    if let Err(error) = tailor_estimate::check_models(&options) {
        let line = match &error {
            tailor_estimate::Error::InvalidModel { key, .. } => {
                config.line("estimate.models", Some(key))
            }
            tailor_estimate::Error::InvalidOption { setting, .. } => {
                config.line("estimate", Some(setting))
            }
            _ => None,
        };
        let at = line.map(|n| format!(", line {n}")).unwrap_or_default();
        return Err(Failure::usage(
            anyhow::Error::new(error).context(format!("{}{at}", config.path().display())),
        ));
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_estimate_and_join_option_has_a_key() {
        let defaults = toml::Table::try_from(tailor_estimate::Options::default()).unwrap();
        let estimate = tailor_config::valid_keys("estimate");
        for key in defaults.keys() {
            assert!(estimate.contains(&key.as_str()), "{key}");
        }
        let mut join = JoinConfig::new("p", "t");
        join.genes = Some(Vec::new());
        join.key_env = Some("K".into());
        join.key_file = Some("k".into());
        join.episode_id = Some("e".into());
        join.delimiter = Some(',');
        let table = toml::Table::try_from(join).unwrap();
        let valid = tailor_config::valid_keys("join");
        for key in table.keys() {
            assert!(valid.contains(&key.as_str()), "{key}");
        }
    }

    #[test]
    fn join_paths_resolve_against_the_file() {
        let text = "[join]\nsample_id = \"p\"\ntherapy = \"t\"\nkey_file = \"k.key\"\n\
                    [join.sample_map]\npath = \"map.tsv\"\nsample_column = \"s\"\npatient_column = \"p\"\n";
        let config = Config::parse(Path::new("cfg/tailor.toml"), text).unwrap();
        let join = join_config(&config).unwrap().unwrap();
        assert_eq!(join.key_file.as_deref(), Some(Path::new("cfg/k.key")));
        assert_eq!(join.sample_map.unwrap().path, Path::new("cfg/map.tsv"));
    }

    #[test]
    fn the_example_configuration_gives_join_and_estimate_options() {
        let text = include_str!("../../../workflows/tailor.example.toml");
        let config = Config::parse(Path::new("workflows/tailor.example.toml"), text).unwrap();
        let join = join_config(&config).unwrap().unwrap();
        assert_eq!(
            join.key_file.as_deref(),
            Some(Path::new("workflows/join.key"))
        );
        assert_eq!(join.outcomes.len(), 2);
        let estimate = estimate_options(&config).unwrap();
        assert_eq!(estimate.comparator.as_deref(), Some("ticagrelor"));
        assert_eq!(estimate.covariates, ["age", "sex"]);
        assert_eq!(estimate.models.len(), 1);
    }

    #[test]
    fn an_inconsistent_model_names_its_key_and_line() {
        let text = "[estimate]\n[[estimate.models]]\nname = \"m\"\nfamily = \"ols\"\n\
                    outcome = \"y\"\ncovariates = [\"a\"]\ninteractions = [[\"a\", \"b\"]]\n";
        let config = Config::parse(Path::new("t.toml"), text).unwrap();
        let failure = estimate_options(&config).unwrap_err();
        assert_eq!(failure.code, crate::exit::USAGE);
        let message = format!("{:#}", failure.error);
        assert!(message.starts_with("t.toml, line 7: "), "{message}");
        assert!(message.contains("interactions"), "{message}");
        let typo = "[estimate]\n[[estimate.models]]\nname = \"m\"\nfamilly = \"ols\"\n";
        let error = Config::parse(Path::new("t.toml"), typo)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(
                "line 4: unknown key \"familly\" in [estimate.models]; did you mean \"family\""
            ),
            "{error}"
        );
    }
}
