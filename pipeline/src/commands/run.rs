//! `tailor run tailor.toml`: ingest, call, join and estimate from one
//! configuration file, in one process, through the same code as the
//! stage subcommands.
//!
//! The file's `[run]` section names the inputs and the output directory;
//! `[ingest]` and `[call]` set those stages' switches; `[join]` and
//! `[estimate]` are read exactly as `tailor join --config` and `tailor
//! estimate --config` read them. Relative paths are relative to the file.
//! The file is read once and checked whole ([`super::preflight`]) before
//! any stage runs; each stage is recorded in `manifest.json`
//! ([`super::manifest`]) and skipped on a rerun while up to date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::anyhow;
use clap::Args;

use super::manifest::{sha256_file, Manifest, StageInputs, StageRecord};
use super::run_stages::{Plan, Stage};
use super::{config_file, preflight, privacy};
use crate::cli::Global;
use crate::exit::Failure;
use crate::messages;

/// Arguments of `tailor run`.
#[derive(Debug, Args)]
#[command(
    about = "Run ingest, call, join, estimate and the report from one tailor.toml",
    long_about = "Reads a TOML configuration and runs the pipeline in one process: \
                  ingest -> call -> join -> estimate -> report, writing every table and \
                  report.html into the \
                  output directory its [run] section names. [run]: inputs (VCF/BCF) \
                  or bam, samplesheet and reference (BAM/CRAM) (neither: calls from \
                  [call] outside_calls alone, no ingest), clinical (tables), output, and optionally sex, definitions, genes, \
                  pseudonymise, identified (with pseudonymise, the folder for the tables \
                  keyed by raw sample ids; default <output>.identified, mode 0700). [ingest]: absent_as_reference, covered, pass_only, \
                  hash_inputs, min_mapping_quality, min_base_quality, min_depth. [call]: combinations, all_matches, outside_calls, \
                  cyp2d6_phenotype_from_snvs. On aligned reads, call calls as \
                  `tailor call --bam` does (CYP2D6 copy number and structure, with \
                  [ingest]'s min_* keys), from what ingest read (each file is read \
                  once), and writes copy_number.parquet beside calls.parquet. [join] \
                  and [estimate] as for `tailor join` and `tailor estimate`. Relative \
                  paths are relative to the file. The whole file is checked before any \
                  stage runs. Each stage is recorded in manifest.json (inputs' SHA-256, \
                  parameters, versions, outputs' SHA-256) in the folder it writes; a \
                  rerun skips the stages that are up to date and reruns from the first \
                  stale one (--force reruns all, --dry-run says what would run). `tailor \
                  simulate` and workflows/tailor.example.toml are examples. \
                  Example: tailor run -c tailor-demo/tailor.toml"
)]
pub struct RunArgs {
    /// The configuration file (tailor.toml)
    #[arg(
        value_name = "CONFIG",
        help_heading = "Input",
        required_unless_present = "config_option",
        conflicts_with = "config_option"
    )]
    pub config: Option<PathBuf>,
    /// The configuration file, given as with join and estimate
    #[arg(
        short = 'c',
        long = "config",
        value_name = "CONFIG",
        help_heading = "Input"
    )]
    pub config_option: Option<PathBuf>,
    /// Output directory, instead of [run] output
    #[arg(short, long, value_name = "OUT_DIR", help_heading = "Output")]
    pub output: Option<PathBuf>,
    /// Rerun every stage, even those the manifest says are up to date
    #[arg(
        long,
        help_heading = "Resume",
        long_help = "Run every stage again. Without it, a stage whose record in \
                     manifest.json matches (the SHA-256 of its inputs, its parameters, \
                     the tool and definitions versions) and whose outputs are still the \
                     files it wrote is skipped, and the run restarts from the first \
                     stale stage."
    )]
    pub force: bool,
    /// Print which stages would run and why; write nothing
    #[arg(long, help_heading = "Resume")]
    pub dry_run: bool,
}

/// How `tailor run` treats stages the manifest says are up to date.
#[derive(Clone, Copy, Debug, Default)]
pub struct Resume {
    /// Rerun every stage (`--force`).
    pub force: bool,
    /// Only print what would run (`--dry-run`).
    pub dry_run: bool,
}

/// Where a run wrote its tables.
#[derive(Debug)]
pub struct RunOutputs {
    /// The output folder: cohort, join report, estimates (shareable when
    /// pseudonymised).
    pub shareable: PathBuf,
    /// The folder of genotypes and calls keyed by raw sample ids: the
    /// identified folder when pseudonymised, else the output folder.
    pub identified: PathBuf,
}

/// Runs `tailor run`.
pub fn run(args: RunArgs, global: &Global) -> Result<(), Failure> {
    let config = args
        .config
        .as_ref()
        .or(args.config_option.as_ref())
        .ok_or_else(|| anyhow!("no configuration file given"))?;
    let resume = Resume {
        force: args.force,
        dry_run: args.dry_run,
    };
    let outputs = run_config(config, args.output.as_deref(), resume, global)?;
    if resume.dry_run {
        return Ok(());
    }
    // The same findings summary as `tailor demo`, when estimate ran.
    let effects = outputs.shareable.join("subgroup_effects.parquet");
    if !effects.is_file() {
        return Ok(());
    }
    let findings = super::demo::findings(&effects).unwrap_or_else(|e| {
        format!(
            "(could not read the findings from {}: {e:#})\n",
            effects.display()
        )
    });
    let tables = match outputs.identified == outputs.shareable {
        true => format!("Tables: {}", outputs.shareable.display()),
        false => format!(
            "Tables: {} (shareable), {} (identified, by sample id)",
            outputs.shareable.display(),
            outputs.identified.display()
        ),
    };
    super::demo::print_to_stdout(&format!("{findings}{tables}"))
}

/// Runs the pipeline `config` describes, skipping the stages the
/// manifests say are up to date; returns where it wrote. Shared with
/// `tailor demo`.
pub fn run_config(
    config: &Path,
    output: Option<&Path>,
    resume: Resume,
    global: &Global,
) -> Result<RunOutputs, Failure> {
    let started = Instant::now();
    let file = config_file::read(config)?;
    let run = file.require_run().map_err(Failure::usage)?;
    let join = config_file::join_config(&file)?.ok_or_else(|| {
        Failure::usage(anyhow!(
            "{}: no [join] section; add one naming sample_id and therapy",
            config.display()
        ))
    })?;
    let estimate = config_file::estimate_options(&file)?;
    preflight::check_files(&file, Some(&join))?;
    let definitions = crate::definitions::load(preflight::definitions_dir(&file).as_deref())?;
    preflight::check(&file, Some(&join), &estimate, &definitions)?;
    let shareable = match output {
        Some(dir) => dir.to_owned(),
        None => file.resolve(&run.output),
    };
    let pseudonymise = run.pseudonymise || join.pseudonymise;
    let identified = if pseudonymise {
        match &run.identified {
            Some(dir) => file.resolve(dir),
            None => privacy::default_identified(&shareable)?,
        }
    } else {
        shareable.clone()
    };
    if pseudonymise && !resume.dry_run {
        privacy::prepare_identified(&identified, &shareable)?;
        privacy::warn_stale_tables(&shareable, &identified);
    }
    let plan = Plan {
        config: &file,
        join,
        estimate,
        shareable,
        identified,
        pseudonymise,
        definitions_version: definitions.version(),
        ingested: Default::default(),
        given_hashes: Default::default(),
    };
    let ran = run_stages(&plan, resume, global)?;
    if !resume.dry_run {
        summarise(&plan, &ran, started);
    }
    Ok(RunOutputs {
        shareable: plan.shareable,
        identified: plan.identified,
    })
}

/// Runs each stage the manifests do not show up to date, from the first
/// stale one on; returns the names of those run (or that would run).
fn run_stages(
    plan: &Plan<'_>,
    resume: Resume,
    global: &Global,
) -> Result<Vec<&'static str>, Failure> {
    let mut ran: Vec<&'static str> = Vec::new();
    for stage in plan.stages() {
        let dir = plan.folder(stage);
        let mut checked = None;
        let reason = if resume.force {
            Some("--force".to_owned())
        } else if let Some(upstream) = ran.last() {
            Some(format!("{upstream} runs before it"))
        } else {
            let run_with = plan.run_with(stage)?;
            let reason = Manifest::read(dir).stale(stage.name(), &run_with, dir);
            checked = Some(run_with);
            reason
        };
        let Some(reason) = reason else {
            messages::info(&format!("skipped {}: up to date", stage.name()));
            continue;
        };
        ran.push(stage.name());
        if resume.dry_run {
            super::demo::print_to_stdout(&format!("would run {}: {reason}", stage.name()))?;
            continue;
        }
        messages::info(&format!("running {}: {reason}", stage.name()));
        let run_with = match checked {
            Some(run_with) => run_with,
            None => plan.run_with(stage)?,
        };
        forget_from(plan, stage)?;
        plan.execute(stage, global)?;
        record(plan, stage, run_with)?;
    }
    if resume.dry_run && ran.is_empty() {
        super::demo::print_to_stdout("nothing to run: every stage is up to date")?;
    }
    Ok(ran)
}

/// Removes the records of `stage` and every later stage from the
/// manifests, so a run killed inside `stage` leaves them stale.
fn forget_from(plan: &Plan<'_>, stage: Stage) -> Result<(), Failure> {
    for later in Stage::ALL.into_iter().filter(|s| *s >= stage) {
        let dir = plan.folder(later);
        let mut manifest = Manifest::read(dir);
        if manifest.stages.remove(later.name()).is_some() {
            manifest.write(dir, plan.manifest_mode(later))?;
        }
    }
    Ok(())
}

/// Records what `stage` was run with and the outputs it wrote.
fn record(plan: &Plan<'_>, stage: Stage, run_with: StageInputs) -> Result<(), Failure> {
    let dir = plan.folder(stage);
    let mut outputs = BTreeMap::new();
    for name in stage.outputs() {
        let path = dir.join(name);
        if path.is_file() {
            outputs.insert(
                (*name).to_owned(),
                sha256_file(&path).map_err(Failure::other)?,
            );
        }
    }
    let mut manifest = Manifest::read(dir);
    manifest
        .stages
        .insert(stage.name().to_owned(), StageRecord { run_with, outputs });
    manifest.write(dir, plan.manifest_mode(stage))
}

/// The one line saying what ran and where the tables are (and, on
/// aligned reads, how many times an alignment file was opened).
fn summarise(plan: &Plan<'_>, ran: &[&str], started: Instant) {
    let mut stages = if ran.is_empty() {
        "nothing to run (every stage up to date)".to_owned()
    } else {
        ran.join(", ")
    };
    let opened = tailor_genome::files_opened();
    if opened > 0 {
        stages.push_str(&format!(" ({opened} alignment file opens)"));
    }
    if plan.pseudonymise {
        messages::info(&format!(
            "run: {stages} -> {} (shareable: pseudonymised cohort, \
             report, estimates) and {} (identified: genotypes and calls by sample id, \
             mode 0700, never share) ({:.1} s)",
            plan.shareable.display(),
            plan.identified.display(),
            started.elapsed().as_secs_f64()
        ));
    } else {
        messages::info(&format!(
            "run: {stages} -> {} ({:.1} s)",
            plan.shareable.display(),
            started.elapsed().as_secs_f64()
        ));
    }
}
