//! The privacy boundary of `tailor run`: two output folders.
//!
//! With pseudonymisation on, the tables keyed by raw sample ids
//! (`genotypes.parquet`, `calls.parquet`, `copy_number.parquet`) go to the *identified* folder
//! (`[run] identified`, default `<output>.identified` beside the output
//! folder): mode 0700, its tables 0600, never shared. The *shareable*
//! output folder gets the pseudonymised cohort, the join report and the
//! estimates (tables 0640), and nothing keyed by a raw id, so no table in
//! it can be matched against the cohort's per-gene genotype columns to
//! re-link a pseudonym. The sample map and the key are the user's own
//! files and stay where they are.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context};

use crate::exit::Failure;
use crate::messages;

/// Mode of the identified folder.
pub const IDENTIFIED_DIR_MODE: u32 = 0o700;
/// Mode of the tables in the identified folder.
pub const IDENTIFIED_FILE_MODE: u32 = 0o600;
/// Suffix of the default identified folder's name.
pub const IDENTIFIED_SUFFIX: &str = ".identified";
/// Tables keyed by raw sample ids, which never belong in the shareable
/// folder of a pseudonymised run.
pub const IDENTIFIED_TABLES: [&str; 3] = [
    "genotypes.parquet",
    "calls.parquet",
    super::cyp2d6_reads::COPY_NUMBER_TABLE,
];

/// `<output>.identified`, beside `output`.
///
/// # Errors
/// A usage failure when `output` has no folder name (e.g. `/`).
pub fn default_identified(output: &Path) -> Result<PathBuf, Failure> {
    let named = if output.file_name().is_some() {
        output.to_path_buf()
    } else {
        std::fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf())
    };
    let name = named.file_name().ok_or_else(|| {
        Failure::usage(anyhow!(
            "{}: the output folder needs a name to put the identified folder beside it; \
             set [run] identified",
            output.display()
        ))
    })?;
    let mut name = name.to_os_string();
    name.push(IDENTIFIED_SUFFIX);
    Ok(named.with_file_name(name))
}

/// Creates the identified folder with mode 0700 (also when it exists) and
/// checks that it is neither the shareable folder nor inside it.
///
/// # Errors
/// A usage failure when it is (or is inside) `shareable`; any other
/// failure when it cannot be created or its mode set.
pub fn prepare_identified(identified: &Path, shareable: &Path) -> Result<(), Failure> {
    for dir in [identified, shareable] {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating output directory {}", dir.display()))
            .map_err(Failure::other)?;
    }
    let canonical = |dir: &Path| {
        std::fs::canonicalize(dir)
            .with_context(|| format!("resolving {}", dir.display()))
            .map_err(Failure::other)
    };
    if canonical(identified)?.starts_with(canonical(shareable)?) {
        return Err(Failure::usage(anyhow!(
            "[run] identified = {} is inside the shareable output folder {}; \
             put it beside it (the default is {})",
            identified.display(),
            shareable.display(),
            default_identified(shareable)?.display()
        )));
    }
    tailor_tables::set_mode(identified, IDENTIFIED_DIR_MODE).map_err(Failure::other)
}

/// Makes `table` in the identified folder readable by its owner only.
///
/// # Errors
/// Any failure setting the mode.
pub fn seal(table: &Path) -> Result<(), Failure> {
    tailor_tables::set_mode(table, IDENTIFIED_FILE_MODE).map_err(Failure::other)
}

/// Warns (once per file) about identified tables an earlier run left in
/// the shareable folder: they hold raw sample ids and must not be shared.
pub fn warn_stale_tables(shareable: &Path, identified: &Path) {
    for name in IDENTIFIED_TABLES {
        let stale = shareable.join(name);
        if stale.exists() {
            messages::warn(&format!(
                "{} is from an earlier run and holds raw sample ids: move it to {} or \
                 delete it before sharing {}",
                stale.display(),
                identified.display(),
                shareable.display()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_beside_the_output() {
        assert_eq!(
            default_identified(Path::new("runs/out")).unwrap(),
            PathBuf::from("runs/out.identified")
        );
        assert_eq!(
            default_identified(Path::new("out/")).unwrap(),
            PathBuf::from("out.identified")
        );
    }

    #[test]
    fn identified_inside_shareable_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let inside = out.join("private");
        let failure = prepare_identified(&inside, &out).unwrap_err();
        assert_eq!(failure.code, crate::exit::USAGE);
        assert!(prepare_identified(&out, &out).is_err());
        let beside = dir.path().join("out.identified");
        prepare_identified(&beside, &out).unwrap();
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&beside).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
