//! `tailor call`: genotypes.parquet (or VCF/BCF, ingested in the same
//! pass, in memory) -> calls.parquet.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use tailor_ingest::GenotypeReader;
use tailor_star::{Caller, Options};

use super::cyp2d6_reads;
use crate::cli::Global;
use crate::exit::Failure;
use crate::messages;

/// Arguments of `tailor call`.
#[derive(Debug, Args)]
#[command(
    about = "Call star-allele diplotypes and phenotypes (PharmCAT's matcher)",
    long_about = "Reads genotypes tables written by `tailor ingest` (or VCF/BCF files, \
                  which it ingests first with the same options) and writes \
                  OUT_DIR/calls.parquet: one row per sample x gene with the diplotype, \
                  every best-scoring candidate in PharmCAT's order, missing positions, \
                  haplotype functions, activity score, phenotype and flags. With \
                  --outside-calls and no INPUT, the table is the outside calls alone \
                  (diplotypes from an array or another caller): a row per sample and \
                  gene of the file, with phenotypes and activity scores from the \
                  embedded tables; a line that cannot be used is a warning and a row \
                  flagged outside_call_invalid."
)]
pub struct CallArgs {
    /// genotypes.parquet tables, or VCF/BCF files (not both)
    #[arg(
        required_unless_present_any = ["bam", "samplesheet", "outside_calls"],
        value_name = "INPUT",
        help_heading = "Input"
    )]
    pub inputs: Vec<PathBuf>,
    /// Output directory (created if missing)
    #[arg(short, long, value_name = "OUT_DIR", help_heading = "Output")]
    pub output: PathBuf,
    /// Allele definitions directory [default: embedded PharmCAT 3.1.1]
    #[arg(long, value_name = "DIR", help_heading = "Input")]
    pub definitions: Option<PathBuf>,
    /// List every matching diplotype, not only the best-scoring ones
    #[arg(
        long,
        help_heading = "Matching",
        long_help = "List every diplotype whose two haplotypes match, best score first \
                     (PharmCAT's top-candidate-only off). Default: only the diplotypes \
                     that tie for the best score."
    )]
    pub all_matches: bool,
    /// Name unexplained haplotypes as combinations and partials
    #[arg(
        long,
        help_heading = "Matching",
        long_help = "When no pair of named alleles explains the genotypes, or a genotype \
                     is half-missing (./1), call combinations ([*6 + *28]) and partials \
                     (HGVS names of unexplained variants), as PharmCAT's research mode. \
                     Default: such a sample is a no call, flagged no_match."
    )]
    pub combinations: bool,
    /// Give CYP2D6 a phenotype from SNVs alone (risks a wrong phenotype)
    #[arg(
        long,
        help_heading = "Matching",
        long_help = "Give CYP2D6 rows called from SNVs alone (no read depth, no outside \
                     call) an activity score and phenotype. Without copy number the *5 \
                     deletion, duplications and CYP2D6/CYP2D7 hybrids are unseen, so the \
                     phenotype can be wrong: HG01190 (*68+*4/*5, a poor metabolizer) reads \
                     *4/*41, Intermediate. Default: such rows keep their candidates but \
                     get no phenotype or activity score (flag phenotype_withheld). \
                     tailor.toml: [call] cyp2d6_phenotype_from_snvs = true."
    )]
    pub cyp2d6_phenotype_from_snvs: bool,
    /// Outside calls (TSV: [sample_id] gene diplotype [phenotype] [score])
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Input",
        long_help = "Calls made elsewhere, in PharmCAT's outside-call TSV (gene, diplotype, \
                     optional phenotype and activity score) with a leading sample_id \
                     column for cohorts (header: sample_id<TAB>gene<TAB>diplotype). \
                     They replace the matcher's call for their genes; given without \
                     INPUT they are the whole calls table. A line with an unknown gene \
                     or allele, a malformed diplotype, a wrong column count or a \
                     sample and gene given twice is a warning naming the line, and \
                     its row is flagged outside_call_invalid (no diplotype). \
                     Example: --outside-calls cyp2d6.tsv"
    )]
    pub outside_calls: Option<PathBuf>,
    /// TSV of sample and sex (male/female), for G6PD
    #[arg(long, value_name = "FILE", help_heading = "Input")]
    pub sex: Option<PathBuf>,
    /// Only these genes, comma-separated (e.g. CYP2C19,CYP2C9)
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "GENES",
        help_heading = "Input"
    )]
    pub genes: Vec<String>,
    /// How VCF/BCF inputs are read (ignored for genotypes tables).
    #[command(flatten, next_help_heading = "VCF input")]
    pub vcf: super::ingest::VcfOptions,
    /// Aligned reads instead of VCF/BCF.
    #[command(flatten, next_help_heading = "Aligned reads (BAM/CRAM)")]
    pub reads: super::reads::ReadsArgs,
    /// Which samples and genes are called, and which shard.
    #[command(flatten, next_help_heading = "Subset (bcftools' -s/-S/-r/-R)")]
    pub select: super::selection::SelectionArgs,
}

fn is_table(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "parquet")
}

/// Runs `tailor call`.
pub fn run(args: CallArgs, global: &Global) -> Result<(), Failure> {
    run_with(args, global, None)
}

/// Runs `tailor call`; on aligned reads, from `ingested` (what `tailor run`'s
/// ingest stage genotyped) when those are the inputs read the same way,
/// instead of reading the files again.
pub fn run_with(
    args: CallArgs,
    _global: &Global,
    ingested: Option<super::reads::GenotypedReads>,
) -> Result<(), Failure> {
    let started = Instant::now();
    let definitions = crate::definitions::load(args.definitions.as_deref())?;
    super::selection::check_genes(&args.genes, &definitions)?;
    let genes = super::selection::genes_in_regions(
        &args.genes,
        args.select.regions()?.as_deref(),
        &definitions,
    )?;
    let tables = args.inputs.iter().filter(|p| is_table(p)).count();
    if tables != 0 && tables != args.inputs.len() {
        return Err(Failure::usage(anyhow::anyhow!(
            "give either genotypes.parquet tables or VCF/BCF files, not both; \
             run `tailor ingest` on the VCFs first"
        )));
    }
    if tables != 0 && args.select.selects_samples() {
        return Err(Failure::usage(anyhow::anyhow!(
            "-s/-S/--shard select samples of VCF/BCF or aligned-reads inputs; \
             give them to `tailor ingest` (a genotypes table of a shard is called as that shard)"
        )));
    }
    let selection = args.select.samples()?;
    let shard = match tables {
        0 => selection.shard,
        _ => super::merge::tables_shard(&args.inputs)?,
    };
    // One map, shared by ingest and the caller.
    let sex = super::ingest::read_sex(args.sex.as_deref())?;
    let options = Options::new()
        .all_matches(args.all_matches)
        .combinations(args.combinations)
        .cyp2d6_phenotype_from_snvs(args.cyp2d6_phenotype_from_snvs)
        .sex(sex.clone())
        .outside_calls(args.outside_calls.clone())
        .genes(genes.clone())
        .shard(shard);
    if args.reads.given() && !args.inputs.is_empty() {
        return Err(Failure::usage(anyhow::anyhow!(
            "give either genotypes tables, VCF/BCF files or --bam/--samplesheet, not several"
        )));
    }
    if let Some(path) = &args.outside_calls {
        std::fs::File::open(path).map_err(|e| {
            Failure::invalid_input(anyhow::anyhow!(
                "{}: cannot read the outside-call file ({e}); fix the path or its permissions",
                path.display()
            ))
        })?;
    }
    let outside_alone = args.inputs.is_empty() && !args.reads.given();
    if outside_alone && args.select.selects_samples() {
        return Err(Failure::usage(anyhow::anyhow!(
            "-s/-S/--shard select samples of VCF/BCF or aligned-reads inputs; \
             outside calls alone are called whole"
        )));
    }
    let output = super::output_file(&args.output, "calls.parquet")?;
    let summary = if args.reads.given() {
        let reads = args.reads.options(sex, &genes, args.vcf.hash_inputs);
        let inputs = super::reads::select_inputs(args.reads.inputs()?, &selection, &reads)?;
        let ingested = ingested.filter(|i| i.read_as(&inputs, &reads));
        call_reads(&reads, &inputs, ingested, &definitions, &options, &output)?
    } else if tables == 0 && !outside_alone {
        let mut ingest = args.vcf.options(sex, &genes)?;
        ingest.samples = selection;
        call_vcfs(&ingest, &definitions, &args.inputs, &options, &output)?
    } else {
        tailor_star::run(&options, &definitions, &args.inputs, &output).map_err(failure)?
    };
    if let Some(path) = &args.outside_calls {
        warn_outside_problems(path, &summary);
    }
    if summary.expansion_limited > 0 {
        messages::warn(&format!(
            "{} sample x gene call(s) had more than {} unphased heterozygous positions on a path \
             that expands them (--combinations, DPYD/RYR1 with phase sets) and were not called (flag \
             expansion_limit); phase the input to call them",
            summary.expansion_limited,
            tailor_star::MAX_BRANCH_POINTS
        ));
    }
    messages::info(&format!(
        "call: {} samples x {} genes -> {} rows ({} called, {} ambiguous, {} outside, \
         {} outside invalid) in {} ({:.1} s)",
        summary.samples,
        summary.genes,
        summary.rows,
        summary.called,
        summary.ambiguous,
        summary.outside,
        summary.outside_invalid,
        output.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// Outside-call lines warned about one by one; the rest are counted.
const OUTSIDE_WARNINGS: usize = 20;

/// Warns for each outside-call line that could not be used (the first
/// [`OUTSIDE_WARNINGS`], then how many more), naming the file and line,
/// never the sample.
fn warn_outside_problems(path: &Path, summary: &tailor_star::Summary) {
    let problems = &summary.outside_problems;
    for problem in problems.iter().take(OUTSIDE_WARNINGS) {
        let consequence = if problem.flagged_row {
            "its row is flagged outside_call_invalid"
        } else {
            "line skipped"
        };
        messages::warn(&format!(
            "{}:{}: {}; {consequence}",
            path.display(),
            problem.line,
            problem.kind
        ));
    }
    if problems.len() > OUTSIDE_WARNINGS {
        messages::warn(&format!(
            "{}: {} more line(s) could not be used (flag outside_call_invalid in the calls table)",
            path.display(),
            problems.len() - OUTSIDE_WARNINGS
        ));
    }
}

/// The exit code a star error deserves: 3 for bad input, else 1.
fn failure(e: tailor_star::Error) -> Failure {
    if e.is_invalid_input() {
        Failure::invalid_input(e)
    } else {
        Failure::other(anyhow::Error::new(e).context("tailor call"))
    }
}

/// An error of ingesting and calling in one pass, from either stage.
enum Stage {
    Ingest(tailor_ingest::Error),
    Star(tailor_star::Error),
}

impl From<tailor_ingest::Error> for Stage {
    fn from(e: tailor_ingest::Error) -> Self {
        Self::Ingest(e)
    }
}

/// Reads the VCF/BCF inputs and calls each gene as soon as it is read, on
/// the thread that read it: genotypes go from ingest to the matcher in
/// memory, one gene at a time, and no genotypes table is written.
fn call_vcfs(
    ingest: &tailor_ingest::Options,
    definitions: &tailor_definitions::Definitions,
    inputs: &[PathBuf],
    options: &Options,
    output: &Path,
) -> Result<tailor_star::Summary, Failure> {
    tailor_ingest::silence_htslib();
    let reader =
        GenotypeReader::open(ingest, definitions, inputs).map_err(super::ingest::failure)?;
    let caller = Caller::new(options, definitions, Arc::clone(reader.samples()));
    let mut genes = Vec::new();
    let ingested = reader
        .read(
            None,
            |batches| {
                let Some(mut gene) = caller.gene(batches.gene()) else {
                    return Ok(None);
                };
                for batch in batches {
                    gene.add(&batch?).map_err(Stage::Star)?;
                }
                Ok(Some(gene.finish()))
            },
            |calls| {
                genes.extend(calls);
                Ok(())
            },
        )
        .map_err(|e| match e {
            Stage::Ingest(e) => super::ingest::failure(e),
            Stage::Star(e) => failure(e),
        })?;
    for warning in &ingested.warnings {
        messages::warn(&warning.to_string());
    }
    messages::detail(&format!(
        "ingest: {} samples x {} genes -> {} rows",
        ingested.samples, ingested.genes, ingested.rows
    ));
    caller
        .write(genes, reader.identities(), output)
        .map_err(failure)
}

/// Genotypes the aligned reads by pileup (or takes `ingested`, the same
/// inputs genotyped the same way by `tailor run`'s ingest stage) and calls
/// each gene from its rows in memory, as for VCFs: no genotypes table is
/// written. Each file is opened once: when CYP2D6 is called, its copy
/// number is called first from the file's reader, CYP2D6 genotyped at it,
/// and the CYP2D6 row structured with it (see [`super::cyp2d6_reads`]);
/// copy_number.parquet is written beside `output`.
fn call_reads(
    reads: &tailor_ingest::reads::ReadOptions,
    inputs: &[tailor_ingest::reads::AlignedInput],
    ingested: Option<super::reads::GenotypedReads>,
    definitions: &tailor_definitions::Definitions,
    options: &Options,
    output: &Path,
) -> Result<tailor_star::Summary, Failure> {
    let cyp2d6 = definitions.gene(cyp2d6_reads::CYP2D6).filter(|_| {
        options.genes.is_empty() || options.genes.iter().any(|g| g == cyp2d6_reads::CYP2D6)
    });
    let aligned = tailor_ingest::reads::AlignedReads::new(reads, definitions);
    let genotyped = match ingested {
        Some(ingested) => {
            messages::detail("call: the genotypes and copy numbers ingest read, in memory");
            ingested.genotyped
        }
        None => {
            tailor_ingest::silence_htslib();
            aligned
                .genotype(
                    inputs,
                    cyp2d6_reads::copy_number_hook(cyp2d6_reads::positions(cyp2d6)),
                )
                .map_err(|e| e.0)?
        }
    };
    // The matcher takes the copy numbers too: a *13 leaves CYP2D6's 5′
    // positions to the other chromosome (see tailor_star's Caller).
    let evidence = options.clone().cyp2d6_reads(cyp2d6_reads::cyp2d6_reads(
        genotyped.extras().iter().flatten(),
        HashMap::new(),
    ));
    let caller = Caller::new(&evidence, definitions, genotyped.samples().to_vec());
    let mut genes = Vec::new();
    let mut heterozygous = HashMap::new();
    let ingested = aligned
        .batches(&genotyped, |gene, batch| {
            if let Some(definition) = cyp2d6.filter(|d| d.gene == gene) {
                heterozygous = cyp2d6_reads::heterozygous_sites(&batch, definition);
            }
            if let Some(mut gene) = caller.gene(gene) {
                gene.add(&batch).map_err(Stage::Star)?;
                genes.push(gene.finish());
            }
            Ok(())
        })
        .map_err(|e| match e {
            Stage::Ingest(e) => super::ingest::failure(e),
            Stage::Star(e) => failure(e),
        })?;
    messages::detail(&format!(
        "ingest (aligned reads): {} samples x {} genes -> {} rows",
        ingested.samples, ingested.genes, ingested.rows
    ));
    let identities = genotyped.identities().to_vec();
    let samples = genotyped.samples().to_vec();
    let copy_numbers: Vec<_> = genotyped.into_extras().into_iter().flatten().collect();
    let options = evidence.cyp2d6_reads(cyp2d6_reads::cyp2d6_reads(&copy_numbers, heterozygous));
    let summary = Caller::new(&options, definitions, samples)
        .write(genes, identities.clone(), output)
        .map_err(failure)?;
    if cyp2d6.is_some() {
        cyp2d6_reads::write_copy_numbers(&copy_numbers, identities, options.shard, output)?;
    }
    Ok(summary)
}
