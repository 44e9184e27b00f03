//! Drawing people: sex, then two haplotypes per gene (one on chrX for
//! males), each a named allele drawn from the panel's frequencies.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::panel::GenePanel;

/// Marks the absent second haplotype of a haploid (male chrX) call.
pub(crate) const HAPLOID: u16 = u16::MAX;

/// One simulated person.
#[derive(Clone, Debug)]
pub(crate) struct Person {
    /// Sample id (`SIM00001`).
    pub sample_id: String,
    /// Whether the person is male (haploid on chrX).
    pub male: bool,
    /// Per panel gene: indices into the panel's haplotypes; the second is
    /// [`HAPLOID`] for a haploid call.
    pub haplotypes: Vec<[u16; 2]>,
}

/// Probability that a simulated person is male (a cardiology cohort).
pub(crate) const MALE_FRACTION: f64 = 0.62;

/// The sample id of the `index`-th person (0-based), zero-padded to at
/// least five digits: `SIM00001`.
pub fn sample_id(index: usize, samples: usize) -> String {
    let width = samples.to_string().len().max(5);
    format!("SIM{:0width$}", index + 1)
}

fn draw(panel: &GenePanel, rng: &mut ChaCha8Rng) -> u16 {
    let mut ticket = rng.gen_range(0..panel.total);
    for (i, haplotype) in panel.haplotypes.iter().enumerate() {
        if ticket < haplotype.count {
            return u16::try_from(i).unwrap_or(0);
        }
        ticket -= haplotype.count;
    }
    0
}

/// Draws `samples` people over `panels`, in order, from `rng`.
pub(crate) fn draw_people(
    panels: &[GenePanel],
    samples: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Person> {
    (0..samples)
        .map(|index| {
            let male = rng.gen_bool(MALE_FRACTION);
            let haplotypes = panels
                .iter()
                .map(|panel| {
                    let first = draw(panel, rng);
                    let second = if male && is_x(&panel.chrom) {
                        HAPLOID
                    } else {
                        draw(panel, rng)
                    };
                    [first, second]
                })
                .collect();
            Person {
                sample_id: sample_id(index, samples),
                male,
                haplotypes,
            }
        })
        .collect()
}

/// Whether a contig is chromosome X.
pub(crate) fn is_x(chrom: &str) -> bool {
    matches!(chrom, "chrX" | "X")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_ids_are_padded() {
        assert_eq!(sample_id(0, 10), "SIM00001");
        assert_eq!(sample_id(99_999, 100_000), "SIM100000");
        assert_eq!(sample_id(0, 100_000), "SIM000001");
    }
}
