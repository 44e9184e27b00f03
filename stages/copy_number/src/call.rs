//! One file's CYP2D6 copy-number call: the evidence read, the coverage
//! judged, the model fitted.

use std::path::Path;

use tailor_genome::{AlignedInput, AlignmentFile};
use tailor_schemas::copy_number::{CopyNumberFlag, CopyNumberMethod, CoverageKind, HybridKind};

use crate::control_depth::control_depth;
use crate::coverage::{coverage_kind, LocusDepths};
use crate::error::Result;
use crate::exon_shares::exon_shares_differ;
use crate::hybrid::{end_fits, ends_undecided, fitted_hybrids, unresolved_hybrid};
use crate::locus_reads::{read_locus, Fragments, GeneRegion, LocusReads};
use crate::model::{corrected_share, fit, DepthCopies};
use crate::options::Options;

/// Mean aligned read length above which reads are long (HiFi, nanopore).
const LONG_READ_LENGTH: f64 = 1000.0;

/// The CYP2D6 copy-number call of one alignment file.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyNumberCall {
    /// Sample name: the samplesheet's, else the read groups' `SM`, else
    /// the file stem.
    pub sample_id: String,
    /// Real-valued CYP2D6 copy number of the gene body, when callable.
    pub estimate: Option<f64>,
    /// Integer CYP2D6 copy number, when callable and confident.
    pub copy_number: Option<u8>,
    /// Posterior probability of the most likely copy number, when callable.
    pub confidence: Option<f64>,
    /// How it was estimated.
    pub method: CopyNumberMethod,
    /// The coverage pattern of the file.
    pub coverage: CoverageKind,
    /// CYP2D6+CYP2D7 copies from depth (whole-genome data only).
    pub total_copy_number: Option<f64>,
    /// CYP2D6+CYP2D7 depth over the control depth.
    pub normalised_depth: Option<f64>,
    /// Mean depth over CYP2D6.
    pub cyp2d6_depth: f64,
    /// Mean depth over CYP2D7.
    pub cyp2d7_depth: f64,
    /// Fragments at the body's differing sites.
    pub body: Fragments,
    /// CYP2D6 share at the 5′ end (exon 1 and upstream).
    pub share_5prime: Option<f64>,
    /// CYP2D6 share at the 3′ end (exon 9 and downstream).
    pub share_3prime: Option<f64>,
    /// CYP2D6 copies at exon 9 where they differ from `copy_number` (*36).
    pub exon9_copies: Option<u8>,
    /// CYP2D6 copies at the 5′ end where they differ from `copy_number`
    /// (*68 more, *13 fewer).
    pub five_prime_copies: Option<u8>,
    /// Hybrid patterns seen.
    pub hybrids: Vec<HybridKind>,
    /// Flags, in a fixed order.
    pub flags: Vec<CopyNumberFlag>,
    /// The file, as given.
    pub source: String,
}

impl CopyNumberCall {
    /// Whether the call shows a hybrid of any kind.
    pub fn has_hybrid(&self) -> bool {
        !self.hybrids.is_empty()
    }
}

/// Estimates CYP2D6's copy number and hybrids from one indexed BAM/CRAM
/// (`reference` decodes a CRAM whose input names none).
///
/// # Errors
/// As [`AlignmentFile::open`] (an unreadable, unindexed, truncated or
/// GRCh37 file, a CRAM without its reference) and [`call_file`].
pub fn call(
    input: &AlignedInput,
    reference: Option<&Path>,
    options: &Options,
) -> Result<CopyNumberCall> {
    let mut file = AlignmentFile::open(input, reference)?;
    call_file(&mut file, options)
}

/// Estimates CYP2D6's copy number and hybrids from an open alignment file:
/// its CYP2D locus and control windows, read through its index (the same
/// reader can then read other regions).
///
/// # Errors
/// A header without chromosome 22, a region that cannot be read.
pub fn call_file(file: &mut AlignmentFile, options: &Options) -> Result<CopyNumberCall> {
    let reads = read_locus(file, options)?;
    let control = control_depth(file, options)?;
    Ok(assemble(
        file.sample.clone(),
        file.path.display().to_string(),
        &reads,
        control,
        options,
    ))
}

/// The call from the evidence of one file.
fn assemble(
    sample_id: String,
    source: String,
    reads: &LocusReads,
    control: f64,
    options: &Options,
) -> CopyNumberCall {
    let depths = LocusDepths::of(reads);
    let coverage = coverage_kind(&depths, control);
    let body = reads.regions[GeneRegion::Body as usize];
    let share = |region: GeneRegion| reads.regions[region as usize].share();
    let mut call = CopyNumberCall {
        sample_id,
        estimate: None,
        copy_number: None,
        confidence: None,
        method: CopyNumberMethod::NotCallable,
        coverage,
        total_copy_number: None,
        normalised_depth: None,
        cyp2d6_depth: depths.cyp2d6,
        cyp2d7_depth: depths.cyp2d7,
        body,
        share_5prime: share(GeneRegion::FivePrime),
        share_3prime: share(GeneRegion::ThreePrime),
        exon9_copies: None,
        five_prime_copies: None,
        hybrids: Vec::new(),
        flags: Vec::new(),
        source,
    };
    match coverage {
        CoverageKind::Targeted => {
            call.flags.push(CopyNumberFlag::TargetedCoverage);
            if unresolved_hybrid(&reads.regions) || exon_shares_differ(&reads.exons) {
                call.hybrids.push(HybridKind::Unresolved);
            }
        }
        CoverageKind::Insufficient => call.flags.push(CopyNumberFlag::LowCoverage),
        CoverageKind::WholeGenome | CoverageKind::LocusOnly => {
            fit_copy_number(&mut call, &depths, reads, control, options);
        }
    }
    if reads.mean_read_length > LONG_READ_LENGTH {
        call.flags.push(CopyNumberFlag::LongReads);
    }
    call.flags
        .extend(call.hybrids.iter().map(|&h| CopyNumberFlag::Hybrid(h)));
    call
}

/// Fits the copy number of whole-genome or locus-only data into `call`.
fn fit_copy_number(
    call: &mut CopyNumberCall,
    depths: &LocusDepths,
    reads: &LocusReads,
    control: f64,
    options: &Options,
) {
    let whole_genome = call.coverage == CoverageKind::WholeGenome;
    call.method = if whole_genome {
        call.normalised_depth = Some((depths.cyp2d6 + depths.cyp2d7) / control);
        call.total_copy_number = Some(2.0 * (depths.cyp2d6 + depths.cyp2d7) / control);
        CopyNumberMethod::ControlNormalised
    } else {
        call.flags.push(CopyNumberFlag::Cyp2d7AssumedTwoCopies);
        CopyNumberMethod::Cyp2d7Reference
    };
    if call.body.cyp2d6 + call.body.cyp2d7 < options.min_fragments {
        call.flags.push(CopyNumberFlag::LowCoverage);
        call.method = CopyNumberMethod::NotCallable;
        return;
    }
    let depth = call.total_copy_number.map(|copies| DepthCopies {
        copies,
        control_depth: control,
        read_length: reads.mean_read_length,
    });
    let fitted = fit(&reads.regions, depth);
    let share = call.body.share().map(corrected_share).unwrap_or(0.0);
    call.estimate = Some(match call.total_copy_number {
        Some(total) => share * total,
        None => 2.0 * share.min(0.99) / (1.0 - share.min(0.99)),
    });
    call.confidence = Some(fitted.confidence);
    if fitted.confidence >= options.min_confidence {
        call.copy_number = Some(fitted.cyp2d6);
    } else {
        call.flags.push(CopyNumberFlag::LowConfidence);
    }
    let ends = end_fits(&reads.regions, &fitted);
    call.hybrids = fitted_hybrids(ends, &fitted);
    // An undecided end leaves the structure unresolved even when the other
    // end names a hybrid: a *36+*10/*68+*4 whose exon 9 showed weakly was
    // called *68+*4/*10x2 with a phenotype.
    // So does a hybrid seen at a copy number too uncertain to give: its
    // copies cannot be named (*36+*10/*113x2 at 6 total copies). Ends are
    // judged against the body only when its copy number is given (NA20129's
    // 55 HiFi reads exclude nothing).
    let undecided = match call.copy_number {
        Some(_) => ends_undecided(&reads.regions, &fitted, options.min_confidence),
        None => !call.hybrids.is_empty(),
    };
    if undecided && !call.hybrids.contains(&HybridKind::Unresolved) {
        call.hybrids.push(HybridKind::Unresolved);
    }
    if call.copy_number.is_some() {
        call.exon9_copies = ends.three_prime;
        call.five_prime_copies = ends.five_prime;
    }
}
