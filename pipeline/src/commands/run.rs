//! `tailor run tailor.toml`: ingest, call, join and estimate from one
//! configuration file, in one process, through the same code as the
//! stage subcommands.
//!
//! The file's `[run]` section names the inputs and the output directory;
//! `[ingest]` and `[call]` set those stages' switches; `[join]` and
//! `[estimate]` are read exactly as `tailor join --config` and `tailor
//! estimate --config` read them. Relative paths are relative to the file.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::anyhow;
use clap::{Args, Parser};
use serde::Deserialize;

use tailor_join::JoinConfig;

use super::config_file::ConfigFile;
use super::privacy;
use crate::cli::Global;
use crate::exit::Failure;
use crate::messages;

/// Arguments of `tailor run`.
#[derive(Debug, Args)]
#[command(
    about = "Run ingest, call, join and estimate from one tailor.toml",
    long_about = "Reads a TOML configuration and runs the pipeline in one process: \
                  ingest -> call -> join -> estimate, writing every table into the \
                  output directory its [run] section names. [run]: inputs (VCF/BCF) \
                  or bam, samplesheet and reference (BAM/CRAM), clinical (tables), output, and optionally sex, definitions, genes, \
                  pseudonymise, identified (with pseudonymise, the folder for the tables \
                  keyed by raw sample ids; default <output>.identified, mode 0700). [ingest]: absent_as_reference, covered, pass_only, \
                  hash_inputs, min_mapping_quality, min_base_quality, min_depth. [call]: combinations, all_matches, outside_calls, \
                  cyp2d6_phenotype_from_snvs. [join] \
                  and [estimate] as for `tailor join` and `tailor estimate`. Relative \
                  paths are relative to the file. `tailor simulate` writes an example."
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
}

/// The `[run]` section.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunSection {
    /// VCF/BCF inputs.
    #[serde(default)]
    inputs: Vec<PathBuf>,
    /// BAM/CRAM inputs, one sample each (instead of VCF/BCF).
    #[serde(default)]
    bam: Vec<PathBuf>,
    /// Samplesheet of BAM/CRAM inputs (sample_id, path, reference).
    #[serde(default)]
    samplesheet: Option<PathBuf>,
    /// FASTA reference for CRAM inputs.
    #[serde(default)]
    reference: Option<PathBuf>,
    /// Clinical tables.
    clinical: Vec<PathBuf>,
    /// Output directory (shareable when pseudonymised).
    output: PathBuf,
    /// Folder for the tables keyed by raw sample ids when pseudonymised
    /// (default `<output>.identified`).
    #[serde(default)]
    identified: Option<PathBuf>,
    /// TSV of sample and sex, for chrX.
    #[serde(default)]
    sex: Option<PathBuf>,
    /// Allele definitions directory.
    #[serde(default)]
    definitions: Option<PathBuf>,
    /// Only these genes.
    #[serde(default)]
    genes: Vec<String>,
    /// Pseudonymise patient ids in join.
    #[serde(default)]
    pseudonymise: bool,
}

/// The `[ingest]` section.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct IngestSection {
    absent_as_reference: bool,
    covered: Option<PathBuf>,
    pass_only: bool,
    hash_inputs: bool,
    min_mapping_quality: Option<u8>,
    min_base_quality: Option<u8>,
    min_depth: Option<u32>,
}

/// The `[call]` section.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct CallSection {
    combinations: bool,
    all_matches: bool,
    outside_calls: Option<PathBuf>,
    cyp2d6_phenotype_from_snvs: bool,
}

/// A stage's clap arguments, parsed from an argument list so that flags a
/// stage adds later get their defaults here too.
#[derive(Debug, Parser)]
#[command(no_binary_name = true)]
struct StageArgs<T: Args> {
    #[command(flatten)]
    args: T,
}

fn parse<T: Args>(stage: &str, argv: Vec<OsString>) -> Result<T, Failure> {
    StageArgs::<T>::try_parse_from(argv)
        .map(|s| s.args)
        .map_err(|e| Failure::usage(anyhow!("[{stage}]: {e}")))
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
    let outputs = run_config(config, args.output.as_deref(), global)?;
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

/// Runs the pipeline `config` describes; returns where it wrote.
/// Shared with `tailor demo`.
pub fn run_config(
    config: &Path,
    output: Option<&Path>,
    global: &Global,
) -> Result<RunOutputs, Failure> {
    let started = Instant::now();
    let file = ConfigFile::read(config)?;
    let run: RunSection = file.section("run")?.ok_or_else(|| {
        Failure::usage(anyhow!(
            "{}: no [run] section; add one naming inputs, clinical and output",
            config.display()
        ))
    })?;
    let ingest: IngestSection = file.section("ingest")?.unwrap_or_default();
    let call: CallSection = file.section("call")?.unwrap_or_default();
    let reads = !run.bam.is_empty() || run.samplesheet.is_some();
    if (run.inputs.is_empty() && !reads) || run.clinical.is_empty() {
        return Err(Failure::usage(anyhow!(
            "{}: [run] needs at least one VCF/BCF in inputs (or BAM/CRAM in bam or samplesheet) and one table in clinical",
            config.display()
        )));
    }
    let base = file.base();
    let path = |p: &Path| base.join(p).into_os_string();
    let out = match output {
        Some(dir) => dir.to_owned(),
        None => base.join(&run.output),
    };
    let out_os = out.clone().into_os_string();
    let join_config: Option<JoinConfig> = file.section("join")?;
    let pseudonymise = run.pseudonymise || join_config.is_some_and(|j| j.pseudonymise);
    let identified = if pseudonymise {
        let dir = match &run.identified {
            Some(dir) => base.join(dir),
            None => privacy::default_identified(&out)?,
        };
        privacy::prepare_identified(&dir, &out)?;
        privacy::warn_stale_tables(&out, &dir);
        dir
    } else {
        out.clone()
    };
    let genotypes = identified.join("genotypes.parquet");
    let calls = identified.join("calls.parquet");

    // Flags ingest and call share.
    let mut common: Vec<OsString> = vec!["-o".into(), identified.clone().into_os_string()];
    if let Some(dir) = &run.definitions {
        common.extend(["--definitions".into(), path(dir)]);
    }
    if !run.genes.is_empty() {
        common.extend(["--genes".into(), run.genes.join(",").into()]);
    }
    let sex: Vec<OsString> = match &run.sex {
        Some(file) => vec!["--sex".into(), path(file)],
        None => Vec::new(),
    };

    let mut argv = common.clone();
    argv.extend(sex.iter().cloned());
    if ingest.absent_as_reference {
        argv.push("--absent-as-reference".into());
    }
    if let Some(bed) = &ingest.covered {
        argv.extend(["--covered".into(), path(bed)]);
    }
    if ingest.pass_only {
        argv.push("--pass-only".into());
    }
    if ingest.hash_inputs {
        argv.push("--hash-inputs".into());
    }
    argv.extend(run.inputs.iter().map(|p| path(p)));
    argv.extend(reads_argv(&run, &ingest, &path));
    super::ingest::run(parse("ingest", argv)?, global)?;
    if pseudonymise {
        privacy::seal(&genotypes)?;
    }

    let mut argv = common;
    argv.extend(sex);
    if call.combinations {
        argv.push("--combinations".into());
    }
    if call.all_matches {
        argv.push("--all-matches".into());
    }
    if call.cyp2d6_phenotype_from_snvs {
        argv.push("--cyp2d6-phenotype-from-snvs".into());
    }
    if let Some(file) = &call.outside_calls {
        argv.extend(["--outside-calls".into(), path(file)]);
    }
    argv.push(genotypes.into_os_string());
    super::call::run(parse("call", argv)?, global)?;
    if pseudonymise {
        privacy::seal(&calls)?;
    }

    let mut argv: Vec<OsString> = vec![
        "-o".into(),
        out_os.clone(),
        "--config".into(),
        config.as_os_str().to_owned(),
    ];
    if run.pseudonymise {
        argv.push("--pseudonymise".into());
    }
    argv.push(calls.into_os_string());
    argv.extend(run.clinical.iter().map(|p| path(p)));
    super::join::run(parse("join", argv)?, global)?;

    let argv: Vec<OsString> = vec![
        "-o".into(),
        out_os,
        "--config".into(),
        config.as_os_str().to_owned(),
        out.join("cohort.parquet").into_os_string(),
    ];
    super::estimate::run(parse("estimate", argv)?, global)?;
    super::report::write(&out, &out.join(super::report::REPORT_FILE))?;
    if pseudonymise {
        messages::info(&format!(
            "run: ingest, call, join, estimate, report -> {} (shareable: pseudonymised cohort, \
             report, estimates) and {} (identified: genotypes and calls by sample id, \
             mode 0700, never share) ({:.1} s)",
            out.display(),
            identified.display(),
            started.elapsed().as_secs_f64()
        ));
    } else {
        messages::info(&format!(
            "run: ingest, call, join, estimate, report -> {} ({:.1} s)",
            out.display(),
            started.elapsed().as_secs_f64()
        ));
    }
    Ok(RunOutputs {
        shareable: out,
        identified,
    })
}

/// The aligned-reads flags of `[run]` and `[ingest]` for `tailor ingest`.
fn reads_argv(
    run: &RunSection,
    ingest: &IngestSection,
    path: &dyn Fn(&Path) -> OsString,
) -> Vec<OsString> {
    let mut argv: Vec<OsString> = Vec::new();
    if !run.bam.is_empty() {
        argv.push("--bam".into());
        argv.extend(run.bam.iter().map(|p| path(p)));
    }
    for (flag, file) in [
        ("--samplesheet", &run.samplesheet),
        ("--reference", &run.reference),
    ] {
        if let Some(file) = file {
            argv.extend([flag.into(), path(file)]);
        }
    }
    let numbers = [
        (
            "--min-mapping-quality",
            ingest.min_mapping_quality.map(u32::from),
        ),
        ("--min-base-quality", ingest.min_base_quality.map(u32::from)),
        ("--min-depth", ingest.min_depth),
    ];
    for (flag, value) in numbers {
        if let Some(value) = value {
            argv.extend([flag.into(), value.to_string().into()]);
        }
    }
    argv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_reads_keys_become_ingest_flags() {
        let run: RunSection = toml::from_str(
            "bam = [\"a.bam\", \"b.cram\"]\nsamplesheet = \"s.tsv\"\nreference = \"r.fa\"\n\
             clinical = [\"c.csv\"]\noutput = \"out\"\n",
        )
        .expect("a valid [run]");
        let ingest: IngestSection =
            toml::from_str("min_mapping_quality = 30\nmin_depth = 12\n").expect("a valid [ingest]");
        let argv = reads_argv(&run, &ingest, &|p: &Path| {
            Path::new("/cfg").join(p).into_os_string()
        });
        let argv: Vec<String> = argv
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            argv,
            [
                "--bam",
                "/cfg/a.bam",
                "/cfg/b.cram",
                "--samplesheet",
                "/cfg/s.tsv",
                "--reference",
                "/cfg/r.fa",
                "--min-mapping-quality",
                "30",
                "--min-depth",
                "12",
            ]
        );
        let parsed: super::super::ingest::IngestArgs = parse(
            "ingest",
            ["-o", "out"]
                .iter()
                .map(OsString::from)
                .chain(argv.iter().map(OsString::from))
                .collect(),
        )
        .expect("ingest accepts them");
        assert_eq!(parsed.reads.bam.len(), 2);
        assert_eq!(parsed.reads.min_depth, 12);
        assert_eq!(
            parsed.reads.min_base_quality,
            tailor_ingest::reads::DEFAULT_MIN_BASE_QUALITY
        );
    }
}
