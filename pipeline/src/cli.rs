//! The command line: one clap enum of subcommands, one shared flags struct.

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::commands::call::CallArgs;
use crate::commands::demo::DemoArgs;
use crate::commands::estimate::EstimateArgs;
use crate::commands::ingest::IngestArgs;
use crate::commands::join::JoinArgs;
use crate::commands::merge::MergeArgs;
use crate::commands::report::ReportArgs;
use crate::commands::run::RunArgs;
use crate::commands::simulate::SimulateArgs;

/// Pharmacogenomic cohort pipeline: genotypes -> star-allele diplotypes and
/// phenotypes -> therapy effects per genotype subgroup.
#[derive(Debug, Parser)]
#[command(name = "tailor", version, about, propagate_version = true)]
pub struct Cli {
    /// Flags shared by every subcommand.
    #[command(flatten)]
    pub global: Global,
    /// The stage to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands, grouped as the pipeline runs them. Each variant's
/// help (`about`, `long_about` with its example) is its arguments struct's:
/// a doc comment on a variant would replace that long description, so the
/// variants carry plain comments instead.
#[allow(missing_docs)]
#[derive(Debug, Subcommand)]
pub enum Command {
    // Read VCF/BCF genotypes at every pharmacogene definition position.
    #[command(display_order = 10)]
    Ingest(IngestArgs),
    // Call star-allele diplotypes and phenotypes (PharmCAT's matcher).
    #[command(display_order = 20)]
    Call(CallArgs),
    // Join calls to clinical outcome tables (validated, pseudonymised).
    #[command(display_order = 30)]
    Join(JoinArgs),
    // Estimate therapy effects per genotype subgroup (CIs, interaction, FDR).
    #[command(display_order = 40)]
    Estimate(EstimateArgs),
    // Write a self-contained HTML report from a run's shareable tables.
    #[command(display_order = 50)]
    Report(ReportArgs),
    // Merge the shards of `ingest`/`call --shard K/N` into one table each.
    #[command(display_order = 25)]
    Merge(MergeArgs),
    // Run ingest, call, join, estimate and the report from one tailor.toml.
    #[command(display_order = 60)]
    Run(RunArgs),
    // Simulate a cohort: phased VCF, clinical table with a planted effect.
    #[command(display_order = 70)]
    Simulate(SimulateArgs),
    // Run the whole pipeline on a simulated cohort.
    #[command(display_order = 80)]
    Demo(DemoArgs),
}

/// The exit codes, shown at the end of every subcommand's `--help`.
const EXIT_CODES: &str = "Exit codes: 0 success; 1 an unexpected failure (I/O, a bug); \
    2 usage or configuration error; 3 invalid input (the message names the file, \
    the record and the fix; nothing half-written is left behind).";

/// The command line, every subcommand's long help ending with the exit
/// codes.
pub fn command() -> clap::Command {
    Cli::command().mut_subcommands(|sub| sub.after_long_help(EXIT_CODES))
}

/// Parses the process's arguments (exits with clap's message and code 2 on
/// a usage error, 0 for `--help`).
pub fn parse() -> Cli {
    let matches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// Format of the messages tailor writes to stderr.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line (`level`, `message`), for log collectors.
    Json,
}

/// Flags every subcommand accepts, before or after its name.
#[derive(Debug, Args)]
pub struct Global {
    /// Worker threads [default: all available cores]
    #[arg(
        long,
        global = true,
        value_name = "N",
        help_heading = "Performance",
        long_help = "Worker threads for parallel work (genes, sample blocks). \
                     Default: every core available to the process, which honours \
                     cgroup limits set by Slurm. Example: --threads 8"
    )]
    pub threads: Option<usize>,
    /// Print only warnings and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail (repeat for more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Message format on stderr
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text, value_name = "FORMAT")]
    pub log_format: LogFormat,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_is_well_formed() {
        command().debug_assert();
    }

    /// Every subcommand's `--help` gives its long description, an example
    /// and the exit codes.
    #[test]
    fn every_subcommand_help_has_an_example_and_the_exit_codes() {
        let mut command = command();
        for sub in command.get_subcommands_mut() {
            let name = sub.get_name().to_owned();
            let help = sub.render_long_help().to_string();
            assert!(help.contains("Example"), "{name}: no example in --help");
            assert!(
                help.contains("Exit codes: 0 success"),
                "{name}: no exit codes"
            );
            assert!(
                sub.get_long_about().is_some(),
                "{name}: no long description"
            );
        }
    }

    /// A default is shown once: by clap, for arguments with a default
    /// value; in the help text only for those without one (such as
    /// "all available cores").
    #[test]
    fn no_argument_shows_its_default_twice() {
        let command = Cli::command();
        for sub in std::iter::once(&command).chain(command.get_subcommands()) {
            for arg in sub.get_arguments() {
                let has_default = !arg.get_default_values().is_empty();
                for help in [arg.get_help(), arg.get_long_help()].into_iter().flatten() {
                    let help = help.to_string();
                    assert!(
                        !(has_default && help.contains("[default:")),
                        "{} {}: the help repeats clap's default: {help}",
                        sub.get_name(),
                        arg.get_id()
                    );
                }
            }
        }
    }

    #[test]
    fn short_help_fits_79_columns() {
        let command = Cli::command();
        for sub in command.get_subcommands() {
            for arg in sub.get_arguments() {
                if let Some(help) = arg.get_help() {
                    let width = help.to_string().len() + 30;
                    assert!(width <= 110, "{}: help too long", arg.get_id());
                }
            }
        }
    }

    /// The same flag means the same thing everywhere: every subcommand that
    /// reads a configuration file takes it as `-c/--config`, and `-o` is
    /// always the output.
    #[test]
    fn short_flags_agree_across_subcommands() {
        let command = Cli::command();
        let mut with_config = Vec::new();
        for sub in command.get_subcommands() {
            for arg in sub.get_arguments() {
                match arg.get_long() {
                    Some("config") => {
                        assert_eq!(arg.get_short(), Some('c'), "{}", sub.get_name());
                        with_config.push(sub.get_name().to_owned());
                    }
                    Some("output") => assert_eq!(arg.get_short(), Some('o'), "{}", sub.get_name()),
                    _ => {}
                }
                if arg.get_short() == Some('c') {
                    assert_eq!(arg.get_long(), Some("config"), "{}", sub.get_name());
                }
            }
        }
        with_config.sort();
        assert_eq!(with_config, ["estimate", "join", "run"]);
    }
}
