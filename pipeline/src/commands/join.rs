//! `tailor join`: calls.parquet + clinical tables -> cohort.parquet and
//! join_report.json.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::anyhow;
use clap::Args;
use tailor_join::{Inputs, JoinConfig, Options};

use super::config_file;
use crate::cli::Global;
use crate::exit::Failure;
use crate::messages;

/// Arguments of `tailor join`.
#[derive(Debug, Args)]
#[command(
    about = "Join calls to clinical outcome tables (validated, pseudonymised)",
    long_about = "Reads the calls table written by `tailor call` and one or more clinical \
                  tables (CSV, TSV, either optionally gzipped, or Parquet), maps their \
                  columns to roles with the [join] section of the configuration, \
                  validates and joins them, and writes OUT_DIR/cohort.parquet (one row \
                  per patient x episode, one set of columns per gene) and \
                  OUT_DIR/join_report.json (every excluded row with its reason; counts \
                  of 1 to 10 shown as <11)."
)]
pub struct JoinArgs {
    /// calls.parquet, then one or more clinical tables
    #[arg(
        required = true,
        num_args = 2..,
        value_name = "INPUT",
        help_heading = "Input",
        long_help = "The calls table (tailor call's calls.parquet) first, then one or \
                     more clinical tables: .csv, .tsv (either may be .gz) or .parquet. \
                     Columns may be split across tables; rows are merged by patient id \
                     (and episode id). Example: out/calls.parquet clinical.csv labs.tsv.gz"
    )]
    pub inputs: Vec<PathBuf>,
    /// Configuration file with a [join] section
    #[arg(
        short,
        long,
        value_name = "TOML",
        help_heading = "Input",
        long_help = "TOML configuration whose [join] section maps clinical columns to \
                     roles (sample_id, therapy, [[join.outcomes]], [[join.covariates]], \
                     episode_id), sets NA tokens, decimal = \",\", the sample map and \
                     where the pseudonymisation key is (key_file or key_env). Relative \
                     paths are relative to the file. Example: --config tailor.toml"
    )]
    pub config: PathBuf,
    /// Output directory (created if missing)
    #[arg(short, long, value_name = "OUT_DIR", help_heading = "Output")]
    pub output: PathBuf,
    /// Replace patient ids by HMAC-SHA256 pseudonyms
    #[arg(
        long,
        help_heading = "Output",
        long_help = "Replace each patient id (after the sample map; trimmed) by the \
                     HMAC-SHA256 of it under a secret key, as 64 lowercase hex digits. \
                     The key is read from the file [join] key_file names or the \
                     environment variable key_env names, never from the command line; \
                     at least 32 bytes, not a repeated pattern, a key file at most 4 KiB \
                     and readable only by you (else a warning). The same key gives the same pseudonyms in every \
                     run. Make a key with: openssl rand -hex 32 > join.key"
    )]
    pub pseudonymise: bool,
    /// Treat validation warnings as errors (exit 3)
    #[arg(
        long,
        help_heading = "Input",
        long_help = "Fail (exit 3) if any validation warning is found: unmatched ids, \
                     duplicates, missing therapy or outcomes, samples not in the sample \
                     map. join_report.json is still written; cohort.parquet is not."
    )]
    pub strict: bool,
}

/// Reads the `[join]` section of `path`, with relative paths resolved
/// against the file's directory.
pub fn read_config(path: &Path) -> Result<JoinConfig, Failure> {
    config_file::join_config(&config_file::read(path)?)?.ok_or_else(|| {
        Failure::usage(anyhow!(
            "{}: no [join] section; add one naming sample_id and therapy",
            path.display()
        ))
    })
}

/// Runs `tailor join`.
pub fn run(args: JoinArgs, global: &Global) -> Result<(), Failure> {
    let config = read_config(&args.config)?;
    run_with(&args, config, global)
}

/// Runs `tailor join` with `config`, already read (by `tailor run`).
pub fn run_with(args: &JoinArgs, config: JoinConfig, _global: &Global) -> Result<(), Failure> {
    let started = Instant::now();
    let mut options = Options::new(config.clone()).strict(args.strict);
    if args.pseudonymise || config.pseudonymise {
        options = options.pseudonymise(super::join_key::read_key(&config)?);
    } else if config.key_file.is_some() || config.key_env.is_some() {
        messages::warn(&format!(
            "[join] names a key but --pseudonymise is not given: patient ids are written as \
             they are, so {} holds raw ids and is not shareable",
            args.output.display()
        ));
    } else {
        messages::warn(&format!(
            "no pseudonymisation key configured: cohort.parquet in {} holds raw patient ids \
             and is not shareable (set key_file in [join] and pseudonymise = true; make a \
             key with: openssl rand -hex 32 > join.key)",
            args.output.display()
        ));
    }
    let (calls, clinical) = match args.inputs.split_first() {
        Some((calls, clinical)) if !clinical.is_empty() => (calls.clone(), clinical.to_vec()),
        _ => {
            return Err(Failure::usage(anyhow!(
                "give the calls table and at least one clinical table"
            )))
        }
    };
    let inputs = Inputs { calls, clinical };
    super::prepare_output_dir(&args.output)?;
    let summary = tailor_join::run(&options, &inputs, &args.output).map_err(|e| {
        if e.is_config() {
            Failure::usage(e)
        } else if e.is_invalid_input() {
            Failure::invalid_input(e)
        } else {
            Failure::other(anyhow::Error::new(e).context("tailor join"))
        }
    })?;
    for line in summary.report.to_string().lines() {
        if line.trim_start().starts_with("warning:") {
            messages::warn(line.trim_start().trim_start_matches("warning: "));
        } else {
            messages::info(line.trim_start());
        }
    }
    messages::info(&format!(
        "join: wrote {} and {} ({:.1} s)",
        summary.cohort.display(),
        summary.report_path.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}
