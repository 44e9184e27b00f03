//! The stages of `tailor run`, each built from the one [`Config`] with
//! `TryFrom` (the stage's own arguments and options, declared once), and
//! what each is run with, for the manifest.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use clap::{Args, Parser};
use serde_json::json;
use tailor_config::Config;
use tailor_join::JoinConfig;

use super::call::CallArgs;
use super::estimate::EstimateArgs;
use super::ingest::IngestArgs;
use super::join::JoinArgs;
use super::manifest::{sha256, sha256_file, StageInputs};
use super::privacy;
use super::reads::GenotypedReads;
use crate::cli::Global;
use crate::exit::Failure;

/// A stage of `tailor run`, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// VCF/BCF or BAM/CRAM -> genotypes.parquet.
    Ingest,
    /// genotypes.parquet -> calls.parquet.
    Call,
    /// calls.parquet + clinical tables -> cohort.parquet.
    Join,
    /// cohort.parquet -> subgroup rates and effects.
    Estimate,
    /// The shareable tables -> report.html.
    Report,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 5] = [
        Stage::Ingest,
        Stage::Call,
        Stage::Join,
        Stage::Estimate,
        Stage::Report,
    ];

    /// The stage's name, as in the manifest and the log.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Ingest => "ingest",
            Stage::Call => "call",
            Stage::Join => "join",
            Stage::Estimate => "estimate",
            Stage::Report => "report",
        }
    }

    /// The files the stage may write into its folder.
    pub fn outputs(self) -> &'static [&'static str] {
        match self {
            Stage::Ingest => &["genotypes.parquet"],
            Stage::Call => &["calls.parquet", super::cyp2d6_reads::COPY_NUMBER_TABLE],
            Stage::Join => &[
                tailor_join::COHORT_FILE,
                tailor_join::REPORT_FILE,
                tailor_join::REPORT_TABLE_FILE,
            ],
            Stage::Estimate => &[
                "subgroup_rates.parquet",
                "subgroup_effects.parquet",
                "models.parquet",
                "model_terms.parquet",
            ],
            Stage::Report => &[super::report::REPORT_FILE],
        }
    }

    /// Whether the stage writes into the identified folder (tables keyed
    /// by raw sample ids) rather than the shareable one.
    pub fn identified(self) -> bool {
        matches!(self, Stage::Ingest | Stage::Call)
    }
}

/// `tailor run`'s configuration, read once, with the output folders.
#[derive(Debug)]
pub struct Plan<'a> {
    /// The configuration.
    pub config: &'a Config,
    /// `[join]`, paths resolved.
    pub join: JoinConfig,
    /// `[estimate]`.
    pub estimate: tailor_estimate::Options,
    /// Cohort, join report, estimates.
    pub shareable: PathBuf,
    /// Genotypes and calls (the shareable folder unless pseudonymised).
    pub identified: PathBuf,
    /// Whether ids are pseudonymised.
    pub pseudonymise: bool,
    /// The allele definitions' version.
    pub definitions_version: String,
    /// On aligned reads, what the ingest stage genotyped, until the call
    /// stage takes it: each file is read once.
    pub ingested: RefCell<Option<GenotypedReads>>,
    /// The SHA-256 of each input file the configuration names, hashed once
    /// per run (ingest and call both record the aligned-reads files).
    pub given_hashes: RefCell<BTreeMap<PathBuf, String>>,
}

impl Plan<'_> {
    /// The folder `stage` writes into.
    pub fn folder(&self, stage: Stage) -> &Path {
        if stage.identified() {
            &self.identified
        } else {
            &self.shareable
        }
    }

    /// The file mode of the manifest `stage` is recorded in: owner-only
    /// in the identified folder, like its tables.
    pub fn manifest_mode(&self, stage: Stage) -> u32 {
        if self.pseudonymise && stage.identified() {
            privacy::IDENTIFIED_FILE_MODE
        } else {
            tailor_tables::PRIVATE
        }
    }

    /// The stages this configuration runs, in order: every one, but
    /// ingest when `[run]` names no genotype input (calls from `[call]
    /// outside_calls` alone).
    pub fn stages(&self) -> Vec<Stage> {
        let genotypes = self
            .config
            .run
            .as_ref()
            .is_some_and(tailor_config::RunSection::has_genotypes);
        Stage::ALL
            .into_iter()
            .filter(|s| genotypes || *s != Stage::Ingest)
            .collect()
    }

    /// The `[run]` section (checked present by the caller).
    fn run_section(&self) -> Result<&tailor_config::RunSection, Failure> {
        self.config.require_run().map_err(Failure::usage)
    }

    /// What `stage` would now be run with: its inputs' hashes (upstream
    /// tables must exist), its parameters and the versions.
    ///
    /// # Errors
    /// Any failure reading an input.
    pub fn run_with(&self, stage: Stage) -> Result<StageInputs, Failure> {
        let run = self.run_section()?;
        // Files the configuration names (never written by a stage), then
        // the tables a stage reads from an earlier one.
        let mut given: Vec<(String, PathBuf)> = Vec::new();
        let mut named = |key: &str, paths: &[PathBuf]| {
            for path in paths {
                given.push((
                    format!("{key}: {}", path.display()),
                    self.config.resolve(path),
                ));
            }
        };
        let mut files: Vec<(String, PathBuf)> = Vec::new();
        let parameters = match stage {
            Stage::Ingest => {
                named("inputs", &run.inputs);
                for (key, paths) in aligned_reads_files(run) {
                    named(key, paths);
                }
                named("sex", run.sex.as_slice());
                named("covered", self.config.ingest.covered.as_slice());
                json!({"genes": run.genes, "definitions": run.definitions, "ingest": self.config.ingest})
            }
            Stage::Call => {
                named("sex", run.sex.as_slice());
                named("outside_calls", self.config.call.outside_calls.as_slice());
                let mut parameters = json!({"genes": run.genes, "definitions": run.definitions, "call": self.config.call});
                if run.reads() {
                    // Aligned reads are called as `tailor call --bam` calls
                    // the files (CYP2D6 needs their copy number), from what
                    // ingest genotyped when it ran in this process.
                    for (key, paths) in aligned_reads_files(run) {
                        named(key, paths);
                    }
                    parameters["reads"] = reads_parameters(&self.config.ingest);
                } else if run.has_genotypes() {
                    files.push((
                        "genotypes.parquet".into(),
                        self.identified.join("genotypes.parquet"),
                    ));
                }
                parameters
            }
            Stage::Join => {
                named("clinical", &run.clinical);
                files.push((
                    "calls.parquet".into(),
                    self.identified.join("calls.parquet"),
                ));
                if let Some(map) = &self.join.sample_map {
                    files.push(("sample_map".into(), map.path.clone()));
                }
                let written: Option<JoinConfig> =
                    self.config.section("join").map_err(Failure::usage)?;
                json!({"join": written, "pseudonymise": self.pseudonymise})
            }
            Stage::Estimate => {
                files.push((
                    "cohort.parquet".into(),
                    self.shareable.join(tailor_join::COHORT_FILE),
                ));
                json!({"estimate": self.estimate})
            }
            Stage::Report => {
                for table in [
                    tailor_join::COHORT_FILE,
                    tailor_join::REPORT_FILE,
                    "subgroup_rates.parquet",
                    "subgroup_effects.parquet",
                ] {
                    files.push((table.into(), self.shareable.join(table)));
                }
                json!({})
            }
        };
        let mut inputs = BTreeMap::new();
        for (label, path) in given {
            inputs.insert(label, self.given_hash(path)?);
        }
        for (label, path) in files {
            inputs.insert(label, sha256_file(&path).map_err(Failure::other)?);
        }
        if stage == Stage::Join && self.pseudonymise {
            inputs.insert("pseudonymisation key".into(), self.key_hash()?);
        }
        Ok(StageInputs {
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            definitions_version: self.definitions_version.clone(),
            parameters,
            inputs,
        })
    }

    /// The SHA-256 of `path`, a file the configuration names: read once
    /// per run however many stages record it.
    fn given_hash(&self, path: PathBuf) -> Result<String, Failure> {
        if let Some(hash) = self.given_hashes.borrow().get(&path) {
            return Ok(hash.clone());
        }
        let hash = sha256_file(&path).map_err(Failure::other)?;
        self.given_hashes.borrow_mut().insert(path, hash.clone());
        Ok(hash)
    }

    /// The SHA-256 of the pseudonymisation key (a changed key changes
    /// every pseudonym); the key itself is never recorded.
    fn key_hash(&self) -> Result<String, Failure> {
        if let Some(file) = &self.join.key_file {
            return sha256_file(file).map_err(Failure::other);
        }
        let value = self
            .join
            .key_env
            .as_ref()
            .and_then(std::env::var_os)
            .unwrap_or_default();
        Ok(sha256(value.as_encoded_bytes()))
    }

    /// Runs `stage` through the same code as its subcommand.
    ///
    /// # Errors
    /// The stage's failure.
    pub fn execute(&self, stage: Stage, global: &Global) -> Result<(), Failure> {
        match stage {
            Stage::Ingest => {
                let ingested = super::ingest::run_keeping(IngestArgs::try_from(self)?, global)?;
                *self.ingested.borrow_mut() = ingested;
            }
            Stage::Call => {
                // What ingest genotyped in this run, if it ran: the call
                // stage does not read the files again.
                let ingested = self.ingested.borrow_mut().take();
                super::call::run_with(CallArgs::try_from(self)?, global, ingested)?
            }
            Stage::Join => {
                super::join::run_with(&JoinArgs::try_from(self)?, self.join.clone(), global)?
            }
            Stage::Estimate => {
                super::estimate::run_with(&EstimateArgs::try_from(self)?, &self.estimate, global)?
            }
            Stage::Report => {
                let output = self.shareable.join(super::report::REPORT_FILE);
                super::report::write(&self.shareable, &output)?;
            }
        }
        if self.pseudonymise && stage.identified() {
            for name in stage.outputs() {
                let table = self.identified.join(name);
                if table.is_file() {
                    privacy::seal(&table)?;
                }
            }
        }
        Ok(())
    }

    /// The flags ingest and call share: output, definitions, genes, sex.
    fn common_argv(&self) -> Result<Vec<OsString>, Failure> {
        let run = self.run_section()?;
        let mut argv: Vec<OsString> = vec!["-o".into(), self.identified.clone().into_os_string()];
        if let Some(dir) = &run.definitions {
            argv.extend(["--definitions".into(), self.path(dir)]);
        }
        if !run.genes.is_empty() {
            argv.extend(["--genes".into(), run.genes.join(",").into()]);
        }
        if let Some(file) = &run.sex {
            argv.extend(["--sex".into(), self.path(file)]);
        }
        Ok(argv)
    }

    /// `path` from the file, resolved, as an argument.
    fn path(&self, path: &Path) -> OsString {
        self.config.resolve(path).into_os_string()
    }
}

/// A stage's clap arguments, parsed from an argument list so that flags a
/// stage adds later get their defaults here too.
#[derive(Debug, Parser)]
#[command(no_binary_name = true)]
struct StageArgs<T: Args> {
    #[command(flatten)]
    args: T,
}

/// Parses `argv` as `stage`'s arguments.
fn parse<T: Args>(stage: &str, argv: Vec<OsString>) -> Result<T, Failure> {
    StageArgs::<T>::try_parse_from(argv)
        .map(|s| s.args)
        .map_err(|e| Failure::usage(anyhow!("[{stage}]: {e}")))
}

impl TryFrom<&Plan<'_>> for IngestArgs {
    type Error = Failure;

    fn try_from(plan: &Plan<'_>) -> Result<Self, Failure> {
        let run = plan.run_section()?;
        let ingest = &plan.config.ingest;
        let mut argv = plan.common_argv()?;
        let switches = [
            (ingest.absent_as_reference, "--absent-as-reference"),
            (ingest.pass_only, "--pass-only"),
            (ingest.hash_inputs, "--hash-inputs"),
        ];
        argv.extend(switches.iter().filter(|(on, _)| *on).map(|(_, f)| f.into()));
        if let Some(bed) = &ingest.covered {
            argv.extend(["--covered".into(), plan.path(bed)]);
        }
        argv.extend(run.inputs.iter().map(|p| plan.path(p)));
        argv.extend(reads_argv(run, ingest, &|p| plan.path(p)));
        parse("ingest", argv)
    }
}

impl TryFrom<&Plan<'_>> for CallArgs {
    type Error = Failure;

    fn try_from(plan: &Plan<'_>) -> Result<Self, Failure> {
        let call = &plan.config.call;
        let mut argv = plan.common_argv()?;
        let switches = [
            (call.combinations, "--combinations"),
            (call.all_matches, "--all-matches"),
            (
                call.cyp2d6_phenotype_from_snvs,
                "--cyp2d6-phenotype-from-snvs",
            ),
        ];
        argv.extend(switches.iter().filter(|(on, _)| *on).map(|(_, f)| f.into()));
        if let Some(file) = &call.outside_calls {
            argv.extend(["--outside-calls".into(), plan.path(file)]);
        }
        let run = plan.run_section()?;
        if run.reads() {
            // From the reads, not genotypes.parquet: the CYP2D6 copy number
            // and structure come from them (as `tailor call --bam`); what
            // ingest genotyped in this run is handed over in memory.
            let ingest = &plan.config.ingest;
            if ingest.hash_inputs {
                argv.push("--hash-inputs".into());
            }
            argv.extend(reads_argv(run, ingest, &|p| plan.path(p)));
        } else if run.has_genotypes() {
            argv.push(plan.identified.join("genotypes.parquet").into_os_string());
        }
        parse("call", argv)
    }
}

impl TryFrom<&Plan<'_>> for JoinArgs {
    type Error = Failure;

    fn try_from(plan: &Plan<'_>) -> Result<Self, Failure> {
        let run = plan.run_section()?;
        let mut inputs = vec![plan.identified.join("calls.parquet")];
        inputs.extend(run.clinical.iter().map(|p| plan.config.resolve(p)));
        Ok(JoinArgs {
            inputs,
            config: plan.config.path().to_owned(),
            output: plan.shareable.clone(),
            pseudonymise: run.pseudonymise,
            strict: false,
        })
    }
}

impl TryFrom<&Plan<'_>> for EstimateArgs {
    type Error = Failure;

    fn try_from(plan: &Plan<'_>) -> Result<Self, Failure> {
        Ok(EstimateArgs {
            input: plan.shareable.join(tailor_join::COHORT_FILE),
            output: plan.shareable.clone(),
            config: Some(plan.config.path().to_owned()),
        })
    }
}

/// `[run]`'s aligned-reads files by key (bam, samplesheet, reference).
fn aligned_reads_files(run: &tailor_config::RunSection) -> [(&'static str, &[PathBuf]); 3] {
    [
        ("bam", &run.bam),
        ("samplesheet", run.samplesheet.as_slice()),
        ("reference", run.reference.as_slice()),
    ]
}

/// The `[ingest]` keys that decide how aligned reads are read, for the
/// call stage's manifest record when it reads them.
fn reads_parameters(ingest: &tailor_config::IngestSection) -> serde_json::Value {
    json!({
        "min_mapping_quality": ingest.min_mapping_quality,
        "min_base_quality": ingest.min_base_quality,
        "min_depth": ingest.min_depth,
        "hash_inputs": ingest.hash_inputs,
    })
}

/// The aligned-reads flags of `[run]` and `[ingest]` for `tailor ingest`
/// and, on aligned reads, `tailor call`.
fn reads_argv(
    run: &tailor_config::RunSection,
    ingest: &tailor_config::IngestSection,
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
        let run: tailor_config::RunSection = toml::from_str(
            "bam = [\"a.bam\", \"b.cram\"]\nsamplesheet = \"s.tsv\"\nreference = \"r.fa\"\n\
             clinical = [\"c.csv\"]\noutput = \"out\"\n",
        )
        .expect("a valid [run]");
        let ingest: tailor_config::IngestSection =
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
        let parsed: IngestArgs = parse(
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
