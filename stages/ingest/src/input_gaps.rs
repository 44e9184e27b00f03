//! What the inputs do not cover: genes without any record, and inputs that
//! look like variant-sites-only panels (most definition positions inside
//! the regions they cover have no record).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::gene_input::{GeneInput, GeneSites};
use crate::input::Input;
use crate::Warning;

/// Fewer definition positions inside an input's coverage than this give
/// no sites-only hint (too few to tell).
const MIN_POSITIONS_FOR_HINT: usize = 20;

/// Gathers, gene by gene, what the inputs say about the definition
/// positions.
pub(crate) struct GapTally {
    /// Per gene: whether any input has a record on it.
    covered: Vec<AtomicBool>,
    /// Per input: definition positions inside its coverage, and how many
    /// of them have no record.
    positions: Mutex<Vec<(usize, usize)>>,
}

impl GapTally {
    /// A tally for `inputs` inputs and `genes` genes.
    pub fn new(inputs: usize, genes: usize) -> Self {
        Self {
            covered: (0..genes).map(|_| AtomicBool::new(false)).collect(),
            positions: Mutex::new(vec![(0, 0); inputs]),
        }
    }

    /// Notes what each input (in order) says about gene `g`: call it once
    /// per gene, with one block's reads.
    pub fn note(&self, g: usize, gene: &GeneSites, read: &[GeneInput]) {
        let mut any = false;
        let mut counts = Vec::with_capacity(read.len());
        for input in read {
            let (mut inside, mut absent) = (0, 0);
            for (site, calls) in gene.sites.iter().zip(&input.sites) {
                let recorded = !calls.records.is_empty() || calls.ref_mismatch;
                let covered = input.coverage.covers(site.pos);
                any |= recorded || covered;
                if covered {
                    inside += 1;
                    absent += usize::from(!recorded);
                }
            }
            counts.push((inside, absent));
        }
        if let Some(flag) = self.covered.get(g) {
            flag.store(any, Ordering::Relaxed);
        }
        if let Ok(mut positions) = self.positions.lock() {
            for (total, (inside, absent)) in positions.iter_mut().zip(counts) {
                total.0 += inside;
                total.1 += absent;
            }
        }
    }

    /// The warnings: genes no input has a record on, and (unless absent
    /// positions are already read as reference) inputs that look like
    /// sites-only panels.
    pub fn warnings(
        &self,
        inputs: &[Input],
        genes: &[GeneSites],
        absent_as_reference: bool,
    ) -> Vec<Warning> {
        let mut warnings = Vec::new();
        let uncovered: Vec<String> = genes
            .iter()
            .zip(&self.covered)
            .filter(|(_, covered)| !covered.load(Ordering::Relaxed))
            .map(|(gene, _)| gene.gene.clone())
            .collect();
        if !uncovered.is_empty() {
            warnings.push(Warning::GenesWithoutRecords { genes: uncovered });
        }
        if absent_as_reference {
            return warnings;
        }
        let positions = self.positions.lock().map(|p| p.clone()).unwrap_or_default();
        for (input, (inside, absent)) in inputs.iter().zip(positions) {
            if inside >= MIN_POSITIONS_FOR_HINT && absent * 2 > inside {
                warnings.push(Warning::SitesOnly {
                    path: input.path.clone(),
                    absent,
                    inside,
                });
            }
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::gene_input::{Coverage, RecordMeta, SiteCalls};
    use crate::sites::Site;
    use tailor_schemas::Position;

    fn gene(name: &str, positions: &[u64]) -> GeneSites {
        GeneSites {
            gene: name.into(),
            chrom: "chr10".into(),
            sites: positions
                .iter()
                .map(|&p| Site {
                    pos: Position::new(p).unwrap(),
                    end: Position::new(p).unwrap(),
                    reference: "A".into(),
                    documented: vec!["A".into()],
                })
                .collect(),
        }
    }

    /// One input's read of `gene`: records at `recorded` sites, coverage
    /// from `first` to `last`.
    fn read(gene: &GeneSites, recorded: &[usize], span: Option<(u32, u32)>) -> GeneInput {
        let sites = (0..gene.sites.len())
            .map(|k| SiteCalls {
                records: if recorded.contains(&k) {
                    vec![RecordMeta::default()]
                } else {
                    Vec::new()
                },
                ..SiteCalls::default()
            })
            .collect();
        GeneInput {
            sites,
            coverage: Coverage {
                first: span.map(|s| s.0),
                last: span.map(|s| s.1),
            },
            has_contig: true,
            first_sample: 0,
        }
    }

    #[test]
    fn names_genes_without_records_and_counts_absent_positions() {
        let covered = gene("CYP2C19", &(1..=30).collect::<Vec<_>>());
        let missing = gene("CYP2C9", &[100, 200]);
        let tally = GapTally::new(1, 2);
        // 30 positions inside the coverage, records at 10 of them.
        tally.note(
            0,
            &covered,
            &[read(&covered, &(0..10).collect::<Vec<_>>(), Some((1, 30)))],
        );
        tally.note(1, &missing, &[read(&missing, &[], Some((1, 30)))]);
        assert!(tally.covered[0].load(Ordering::Relaxed));
        assert!(!tally.covered[1].load(Ordering::Relaxed));
        assert_eq!(*tally.positions.lock().unwrap(), [(30, 20)]);
    }
}
