//! Options of the simulate stage.

use std::path::PathBuf;

use crate::reads::ReadOptions;

/// Default cohort size.
pub const DEFAULT_SAMPLES: usize = 2_000;
/// Default seed: the same files on every run and every machine.
pub const DEFAULT_SEED: u64 = 20_261_125;

/// What to simulate.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Options {
    /// Number of people (default [`DEFAULT_SAMPLES`]).
    pub samples: usize,
    /// Seed of every random draw (default [`DEFAULT_SEED`]).
    pub seed: u64,
    /// Only these genes (empty: every gene with definitions and frequencies).
    pub genes: Vec<String>,
    /// Also simulate aligned reads into this directory, drawn as these
    /// options say (`tailor simulate --bam DIR`).
    pub reads: Option<(PathBuf, ReadOptions)>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            samples: DEFAULT_SAMPLES,
            seed: DEFAULT_SEED,
            genes: Vec::new(),
            reads: None,
        }
    }
}

impl Options {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the number of people.
    pub fn samples(mut self, samples: usize) -> Self {
        self.samples = samples;
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Also simulates reads into `dir` with `options`.
    pub fn reads(mut self, dir: PathBuf, options: ReadOptions) -> Self {
        self.reads = Some((dir, options));
        self
    }

    /// Restricts the simulation to `genes`.
    pub fn genes(mut self, genes: Vec<String>) -> Self {
        self.genes = genes;
        self
    }
}
