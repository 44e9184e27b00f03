//! `tailor`: pharmacogenomic cohort pipeline.
//!
//! The binary is glue: clap parses the command line into [`cli::Cli`], each
//! subcommand in [`commands`] turns its arguments into a stage's `Options`
//! and calls the stage library, and `main` maps failures to exit codes:
//! 0 ok, 1 anything else, 2 usage or configuration error, 3 invalid input.
//! Errors are printed once, as `tailor: <error>: <cause>...`.

mod cli;
mod commands;
mod definitions;
mod exit;
mod messages;
mod progress;

use std::process::ExitCode;

use crate::cli::Command;

fn main() -> ExitCode {
    tailor_test_hooks::install();
    let cli = cli::parse();
    messages::init(&cli.global);
    if let Err(failure) = init_threads(cli.global.threads) {
        return failure.report();
    }
    let result = match cli.command {
        Command::Ingest(args) => commands::ingest::run(args, &cli.global),
        Command::Call(args) => commands::call::run(args, &cli.global),
        Command::Join(args) => commands::join::run(args, &cli.global),
        Command::Estimate(args) => commands::estimate::run(args, &cli.global),
        Command::Report(args) => commands::report::run(args, &cli.global),
        Command::Merge(args) => commands::merge::run(args, &cli.global),
        Command::Run(args) => commands::run::run(args, &cli.global),
        Command::Simulate(args) => commands::simulate::run(args, &cli.global),
        Command::Demo(args) => commands::demo::run(args, &cli.global),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// Sizes rayon's global pool: `--threads`, else every core the scheduler
/// gives us (`available_parallelism` honours cgroup limits under Slurm).
fn init_threads(threads: Option<usize>) -> Result<(), exit::Failure> {
    let threads = threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(1)
    });
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build_global()
        .map_err(|e| exit::Failure::other(anyhow::anyhow!("starting {threads} threads: {e}")))
}
