//! Options of `tailor simulate --bam`.

use crate::reads::structure::StructureFrequencies;

/// How simulated reads are drawn and written.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Mean diploid depth (default 30).
    pub depth: f64,
    /// Read length (default 150).
    pub read_length: usize,
    /// Per-base substitution error rate (default 0.01); base qualities are
    /// the matching Phred value.
    pub error_rate: f64,
    /// Mean fragment length (default 350).
    pub insert_mean: f64,
    /// Standard deviation of the fragment length (default 50).
    pub insert_sd: f64,
    /// Share of samples with exome-like coverage (default 0).
    pub exome_fraction: f64,
    /// Write CRAM (against the simulated reference) instead of BAM.
    pub cram: bool,
    /// CYP2D6 structure frequencies per chromosome.
    pub structures: StructureFrequencies,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            depth: 30.0,
            read_length: 150,
            error_rate: 0.01,
            insert_mean: 350.0,
            insert_sd: 50.0,
            exome_fraction: 0.0,
            cram: false,
            structures: StructureFrequencies::default(),
        }
    }
}

impl ReadOptions {
    /// The Phred base quality matching the error rate (2 to 60).
    pub fn base_quality(&self) -> u8 {
        if self.error_rate <= 0.0 {
            return 60;
        }
        (-10.0 * self.error_rate.log10()).round().clamp(2.0, 60.0) as u8
    }

    /// Bases of reference simulated around each definition position: the
    /// longest fragments (mean + 4 SD) and 50 more, so every definition
    /// position has full depth.
    pub fn flank(&self) -> u32 {
        (self.insert_mean + 4.0 * self.insert_sd).ceil() as u32 + 50
    }

    /// The first option out of range, as a message, or `None`.
    pub fn invalid(&self) -> Option<&'static str> {
        if !(self.depth > 0.0 && self.depth <= 1_000.0) {
            return Some("--depth must be above 0 and at most 1000");
        }
        if !(30..=1_000).contains(&self.read_length) {
            return Some("--read-length must be 30 to 1000");
        }
        if !(0.0..=0.5).contains(&self.error_rate) {
            return Some("--error-rate must be 0 to 0.5");
        }
        let insert_ok = (self.read_length as f64..=10_000.0).contains(&self.insert_mean)
            && (0.0..=self.insert_mean).contains(&self.insert_sd);
        if !insert_ok {
            return Some("--insert-size must be at least the read length and at most 10000, its SD at most the mean");
        }
        if !(0.0..=1.0).contains(&self.exome_fraction) {
            return Some("--exome-fraction must be 0 to 1");
        }
        None
    }
}
