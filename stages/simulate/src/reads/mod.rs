//! `tailor simulate --bam`: per-sample aligned reads with known truth.
//!
//! For every simulated person, a coordinate-sorted, indexed BAM (or CRAM)
//! of paired-end reads over every gene's definition positions (± a flank
//! longer than any fragment), the CYP2D6/CYP2D7/CYP2D8 locus and the three
//! copy-number control windows, carrying the person's two haplotypes (SNVs
//! and indels as the definitions write them) and a CYP2D6 structure per
//! chromosome (deletion, duplication, hybrids; see [`StructureFrequencies`]).
//! Each read's CIGAR, MD and NM are its true alignment.
//!
//! The reference is partly our own (see the `reference` module): real
//! GRCh38 bases over the CYP2D locus, seeded random bases with the
//! definitions' REF alleles elsewhere, `N` up to the real contig lengths.
//! It is written as `reference.fa.gz` (bgzip, `.fai`, `.gzi`) for CRAM and
//! `bcftools mpileup -f`.
//!
//! Fragments cross a hybrid's breakpoint with CYP2D6 bases on one side and
//! CYP2D7 bases on the other, aligned to CYP2D6; a read among them with
//! CYP2D7 sequence has mapping quality 0. Simplifications: no read spans a
//! deletion junction (each side is its own source), MAPQ is 60 everywhere
//! else (also in CYP2D6/CYP2D7 stretches an aligner would find ambiguous),
//! the two paralogs' indels are left out of junction reads, errors are
//! substitutions only at a fixed rate with a matching constant quality.

mod alignment;
mod bam;
mod fasta;
mod fragment;
mod locus;
mod options;
mod reference;
mod sample;
mod source;
mod structure;
mod truth;

use std::io::Write;
use std::path::{Path, PathBuf};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use tailor_definitions::cyp2d_locus::{self, CYP2D6_EXONS, CYP2D7_EXONS};

pub use options::ReadOptions;
pub use structure::{HybridKind, StructureFrequencies, StructureFrequenciesError};
pub use truth::{GENOTYPES_HEADER, TRUTH_HEADER};

use crate::cohort::Person;
use crate::error::{Error, Result};
use crate::panel::GenePanel;
use crate::run::write_streamed;
use bam::AlignmentFile;
use fragment::ReadSettings;
use sample::{Cohort, Cyp2d6Panel};

/// File names in the reads directory.
pub mod read_file_names {
    /// The simulated reference (bgzip FASTA with `.fai` and `.gzi`).
    pub const REFERENCE: &str = "reference.fa.gz";
    /// Per sample and gene: haplotypes, diplotype (PharmVar notation with
    /// structure), CYP2D6 copy number, hybrid kind, duplicated allele,
    /// coverage kind.
    pub const TRUTH: &str = "truth.tsv";
    /// Per sample and definition position: the allele of every gene copy
    /// (`*` where a deletion on that copy removed the position).
    pub const GENOTYPES: &str = "truth_genotypes.tsv";
    /// `sample_id`, `path`, `reference`: the files, for `tailor ingest`.
    pub const SAMPLESHEET: &str = "samplesheet.tsv";
}

/// Random stream of the simulated reference's bases.
const REFERENCE_STREAM: u64 = 4;
/// First random stream of the samples' reads (sample `i` uses this + `i`).
const SAMPLE_STREAM: u64 = 1_000;
/// Capture target half-width around a definition position (exome-like).
const TARGET_FLANK: u32 = 150;

/// What [`simulate_reads`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadsSummary {
    /// Samples (one BAM or CRAM each).
    pub samples: usize,
    /// Reads written, over all samples.
    pub reads: usize,
    /// The reference FASTA.
    pub reference: PathBuf,
    /// The per-sample alignment files, in sample order.
    pub alignments: Vec<PathBuf>,
    /// `truth.tsv`.
    pub truth: PathBuf,
    /// `truth_genotypes.tsv`.
    pub genotypes: PathBuf,
    /// `samplesheet.tsv`.
    pub samplesheet: PathBuf,
}

/// Capture targets: each definition position ± [`TARGET_FLANK`] outside
/// CYP2D6, and the CYP2D6 and CYP2D7 exons.
fn exome_targets(panels: &[GenePanel], reference: &reference::Reference) -> Vec<(usize, u32, u32)> {
    let mut targets = Vec::new();
    for panel in panels.iter().filter(|p| p.gene != "CYP2D6") {
        let Some(tid) = reference.tid(&panel.chrom) else {
            continue;
        };
        for site in &panel.sites {
            let start = (site.pos - 1).saturating_sub(TARGET_FLANK);
            targets.push((
                tid,
                start,
                site.pos - 1 + site.alleles[0].len() as u32 + TARGET_FLANK,
            ));
        }
    }
    for exon in CYP2D6_EXONS.iter().chain(&CYP2D7_EXONS) {
        if let Some(tid) = reference.tid(exon.chromosome) {
            targets.push((tid, exon.start - 1, exon.end));
        }
    }
    targets
}

fn cyp2d6_panel(panels: &[GenePanel]) -> Option<Cyp2d6Panel> {
    let panel = panels.iter().position(|p| p.gene == "CYP2D6")?;
    let find = |name: &str| {
        panels[panel]
            .haplotypes
            .iter()
            .position(|h| h.name == name)
            .and_then(|i| u16::try_from(i).ok())
    };
    Some(Cyp2d6Panel {
        panel,
        star10: find("*10"),
        star4: find("*4"),
    })
}

/// Simulates reads for `people` into `dir` (created if missing): the
/// reference, one BAM/CRAM per person, the truth tables and a samplesheet.
/// The same seed and options give byte-identical files.
///
/// # Errors
///
/// [`Error::ReadOption`] for an option out of range, [`Error::Io`] /
/// [`Error::Htslib`] when writing fails.
pub(crate) fn simulate_reads(
    options: &ReadOptions,
    seed: u64,
    panels: &[GenePanel],
    people: &[Person],
    dir: &Path,
) -> Result<ReadsSummary> {
    if let Some(problem) = options.invalid() {
        return Err(Error::ReadOption(problem));
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        action: "creating the reads directory",
        source,
    })?;
    let locus = cyp2d_locus::locus()?;
    let sites = cyp2d_locus::differing_sites()?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(REFERENCE_STREAM);
    let reference = reference::build_reference(panels, &locus, options.flank(), &mut rng);
    let fasta = dir.join(read_file_names::REFERENCE);
    write_reference(&fasta, &reference)?;
    let targets = exome_targets(panels, &reference);
    let locus_island = reference
        .tid(&locus.chromosome)
        .and_then(|tid| reference.island_at(tid, locus.start - 1))
        .map(|island| (island, (locus.start, locus.end())));
    let cohort = Cohort {
        panels,
        reference: &reference,
        locus: locus_island,
        sites: &sites,
        cyp2d6: cyp2d6_panel(panels),
        targets: &targets,
        settings: ReadSettings {
            depth_per_copy: options.depth / 2.0,
            read_length: options.read_length,
            error_rate: options.error_rate,
            insert_mean: options.insert_mean,
            insert_sd: options.insert_sd,
        },
    };
    let extension = if options.cram { "cram" } else { "bam" };
    let results: Vec<(sample::SampleDraw, PathBuf, usize)> = people
        .par_iter()
        .enumerate()
        .map(|(index, person)| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(SAMPLE_STREAM + index as u64);
            let draw = sample::draw_sample(&cohort, options, &mut rng);
            let path = dir.join(format!("{}.{extension}", person.sample_id));
            let file = AlignmentFile {
                path: &path,
                sample: &person.sample_id,
                reference: &reference,
                cram_reference: options.cram.then_some(fasta.as_path()),
                base_quality: options.base_quality(),
            };
            let reads = sample::write_sample(&cohort, &file, person, &draw, &mut rng)?;
            Ok((draw, path, reads))
        })
        .collect::<Result<_>>()?;
    let truth = dir.join(read_file_names::TRUTH);
    let genotypes = dir.join(read_file_names::GENOTYPES);
    type Rows = fn(&mut dyn Write, &truth::SampleTruth<'_>) -> std::io::Result<()>;
    let tables: [(&Path, &str, Rows); 2] = [
        (&truth, TRUTH_HEADER, truth::write_truth_rows),
        (&genotypes, GENOTYPES_HEADER, truth::write_genotype_rows),
    ];
    for (path, header, rows) in tables {
        write_streamed(path, |out| {
            writeln!(out, "{header}")?;
            for (person, (draw, _, _)) in people.iter().zip(&results) {
                let sample = truth::SampleTruth {
                    person,
                    draw,
                    panels,
                    cyp2d6: cohort.cyp2d6,
                };
                rows(out, &sample)?;
            }
            Ok(())
        })?;
    }
    let samplesheet = dir.join(read_file_names::SAMPLESHEET);
    write_streamed(&samplesheet, |out| {
        writeln!(out, "sample_id\tpath\treference")?;
        for (person, (_, path, _)) in people.iter().zip(&results) {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            writeln!(
                out,
                "{}\t{name}\t{}",
                person.sample_id,
                read_file_names::REFERENCE
            )?;
        }
        Ok(())
    })?;
    Ok(ReadsSummary {
        samples: people.len(),
        reads: results.iter().map(|r| r.2).sum(),
        reference: fasta,
        alignments: results.into_iter().map(|r| r.1).collect(),
        truth,
        genotypes,
        samplesheet,
    })
}

/// Writes the FASTA and its indexes under temporary names, then renames
/// the three into place.
fn write_reference(fasta: &Path, reference: &reference::Reference) -> Result<()> {
    let temporary = tailor_tables::temporary_name(fasta);
    let (fai, gzi) = fasta::index_paths(fasta);
    let (temporary_fai, temporary_gzi) = fasta::index_paths(&temporary);
    let result = fasta::write_fasta(&temporary, reference).and_then(|()| {
        for (from, to) in [
            (&temporary_fai, &fai),
            (&temporary_gzi, &gzi),
            (&temporary, &fasta.to_owned()),
        ] {
            std::fs::rename(from, to).map_err(|source| Error::Io {
                path: to.clone(),
                action: "renaming into place",
                source,
            })?;
        }
        Ok(())
    });
    if result.is_err() {
        for path in [&temporary, &temporary_fai, &temporary_gzi] {
            let _ = std::fs::remove_file(path);
        }
    }
    result
}
