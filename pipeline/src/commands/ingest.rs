//! `tailor ingest`: VCF/BCF -> genotypes.parquet.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use tailor_definitions::Definitions;
use tailor_ingest::{read_bed, read_sex_file, Options};
use tailor_schemas::SampleSexes;

use crate::cli::Global;
use crate::exit::Failure;
use crate::messages;

/// Arguments of `tailor ingest`.
#[derive(Debug, Args)]
#[command(
    about = "Read VCF/BCF genotypes at every pharmacogene definition position",
    long_about = "Reads one or more multi-sample VCF (bgzip) or BCF files and writes \
                  OUT_DIR/genotypes.parquet: one row per sample x definition position, \
                  alleles in the definition's representation. Indexed files (.tbi/.csi) \
                  are read only at the definition regions; unindexed files are read whole. \
                  Normalise indels first: bcftools norm -f GRCh38.fa -m- in.vcf.gz."
)]
pub struct IngestArgs {
    /// VCF/BCF files (per-chromosome or per-gene files are combined)
    #[arg(
        required_unless_present_any = ["bam", "samplesheet"],
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
    /// TSV of sample and sex (male/female), for haploid chrX calls
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
    /// How the VCF/BCF files are read.
    #[command(flatten, next_help_heading = "Input")]
    pub vcf: VcfOptions,
    /// Aligned reads instead of VCF/BCF.
    #[command(flatten, next_help_heading = "Aligned reads (BAM/CRAM)")]
    pub reads: super::reads::ReadsArgs,
    /// Which samples and positions are read, and which shard.
    #[command(flatten, next_help_heading = "Subset (bcftools' -s/-S/-r/-R)")]
    pub select: super::selection::SelectionArgs,
}

/// How VCF/BCF inputs are read; shared by `ingest` and `call`.
#[derive(Debug, Args)]
pub struct VcfOptions {
    /// Read absent positions as reference, inside the input's span
    #[arg(
        long,
        long_help = "Treat a definition position with no VCF record as homozygous \
                     reference, but only between the first and last record the input \
                     has on that contig (or inside --covered). Right for joint-called \
                     WGS cohorts and reference panels, which list every variant site. \
                     Default: absent positions are missing, as in PharmCAT."
    )]
    pub absent_as_reference: bool,
    /// BED of regions the input covers (0-based), for --absent-as-reference
    #[arg(long, value_name = "BED")]
    pub covered: Option<PathBuf>,
    /// Drop genotypes of records whose FILTER is not PASS
    #[arg(long)]
    pub pass_only: bool,
    /// Hash whole input files (SHA-256) for provenance
    #[arg(
        long,
        long_help = "Record the SHA-256 of each whole input file in the output's \
                     metadata. Default: the SHA-256 of the header and of the index \
                     only, since cohort VCFs can be terabytes."
    )]
    pub hash_inputs: bool,
    /// Sample x site calls held per block read [default: 1048576]
    #[arg(
        long,
        value_name = "N",
        help_heading = "Performance",
        long_help = "Each gene's records are parsed once, its calls kept in a \
                     temporary file (in TMPDIR, removed at once), and its rows \
                     built a block of samples at a time: a block holds about N \
                     sample x site calls (28 bytes each) per gene being read. \
                     The output never depends on it. Default: 1048576 (about \
                     29 MB per thread). Example: --block-calls 8000000"
    )]
    pub block_calls: Option<usize>,
}

impl VcfOptions {
    /// The ingest stage's options for these flags, `sex` and `genes`.
    pub fn options(&self, sex: SampleSexes, genes: &[String]) -> Result<Options, Failure> {
        let covered = match &self.covered {
            Some(path) => Some(read_bed(path).map_err(Failure::invalid_input)?),
            None => None,
        };
        if covered.is_some() && !self.absent_as_reference {
            return Err(Failure::usage(anyhow::anyhow!(
                "--covered only matters with --absent-as-reference; add it or drop --covered"
            )));
        }
        Ok(Options {
            absent_as_reference: self.absent_as_reference,
            covered,
            pass_only: self.pass_only,
            sex,
            genes: genes.to_vec(),
            hash_inputs: self.hash_inputs,
            block_calls: self.block_calls,
            ..Options::default()
        })
    }
}

/// Reads the sex file, if one is given.
pub fn read_sex(path: Option<&Path>) -> Result<SampleSexes, Failure> {
    match path {
        Some(path) => read_sex_file(path).map_err(Failure::invalid_input),
        None => Ok(SampleSexes::default()),
    }
}

/// Runs the ingest stage into `output`, mapping its errors to exit codes.
pub fn ingest(
    options: &Options,
    definitions: &Definitions,
    inputs: &[PathBuf],
    output: &Path,
    progress: Option<tailor_ingest::Progress<'_>>,
) -> Result<tailor_ingest::Summary, Failure> {
    tailor_ingest::silence_htslib();
    tailor_ingest::run(options, definitions, inputs, output, progress).map_err(failure)
}

/// The exit code an ingest error deserves: 3 for bad input, else 1.
pub fn failure(e: tailor_ingest::Error) -> Failure {
    if e.is_invalid_input() {
        Failure::invalid_input(e)
    } else {
        Failure::other(anyhow::Error::new(e).context("ingest"))
    }
}

/// Runs `tailor ingest`.
pub fn run(args: IngestArgs, global: &Global) -> Result<(), Failure> {
    run_keeping(args, global).map(drop)
}

/// Runs `tailor ingest`; on aligned reads, returns what was genotyped (for
/// `tailor run` to hand to the call stage), else `None`.
pub fn run_keeping(
    args: IngestArgs,
    _global: &Global,
) -> Result<Option<super::reads::GenotypedReads>, Failure> {
    let started = Instant::now();
    let definitions = crate::definitions::load(args.definitions.as_deref())?;
    super::selection::check_genes(&args.genes, &definitions)?;
    if args.reads.given() {
        return ingest_reads(args, &definitions, started).map(Some);
    }
    let mut options = args
        .vcf
        .options(read_sex(args.sex.as_deref())?, &args.genes)?;
    options.samples = args.select.samples()?;
    options.regions = args.select.regions()?;
    messages::detail(&format!(
        "definitions: {}; inputs: {}",
        definitions.version(),
        args.inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let output = super::output_file(&args.output, "genotypes.parquet")?;
    let genes = if options.genes.is_empty() {
        definitions.genes().len()
    } else {
        options.genes.len()
    };
    let bar = crate::progress::bar(genes as u64, "ingest");
    let tick = |gene: &str| {
        bar.set_message(gene.to_owned());
        bar.inc(1);
    };
    let summary = ingest(&options, &definitions, &args.inputs, &output, Some(&tick))?;
    bar.finish_and_clear();
    for path in &summary.streamed {
        messages::warn(&format!(
            "{}: no index (.tbi/.csi); read the whole file. Index it with `bcftools index -t` for region reads",
            path.display()
        ));
    }
    for warning in &summary.warnings {
        messages::warn(&warning.to_string());
    }
    if summary.ref_mismatches > 0 {
        messages::warn(&format!(
            "{} definition position(s) dropped because the VCF REF disagrees with the definitions (flag ref_mismatch)",
            summary.ref_mismatches
        ));
    }
    messages::info(&format!(
        "ingest: {} samples x {} genes from {} input(s) -> {} rows in {} ({:.1} s)",
        summary.samples,
        summary.genes,
        summary.inputs,
        summary.rows,
        output.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(None)
}

/// `tailor ingest --bam/--samplesheet`: genotypes by pileup; returns them.
fn ingest_reads(
    args: IngestArgs,
    definitions: &Definitions,
    started: Instant,
) -> Result<super::reads::GenotypedReads, Failure> {
    if !args.inputs.is_empty() {
        return Err(Failure::usage(anyhow::anyhow!(
            "give either VCF/BCF files or --bam/--samplesheet, not both; ingest each into its own folder"
        )));
    }
    let mut options = args.reads.options(
        read_sex(args.sex.as_deref())?,
        &args.genes,
        args.vcf.hash_inputs,
    );
    options.regions = args.select.regions()?;
    options.shard = args.select.shard;
    let inputs =
        super::reads::select_inputs(args.reads.inputs()?, &args.select.samples()?, &options)?;
    let output = super::output_file(&args.output, "genotypes.parquet")?;
    tailor_ingest::silence_htslib();
    // CYP2D6 is genotyped at its copy number (a heterozygote at 3 copies
    // reads 1/3 or 2/3), called from the same reader as in `tailor call`.
    let cyp2d6 = definitions.gene(super::cyp2d6_reads::CYP2D6).filter(|_| {
        options.genes.is_empty()
            || options
                .genes
                .iter()
                .any(|g| g == super::cyp2d6_reads::CYP2D6)
    });
    let (summary, genotyped) = tailor_ingest::reads::run(
        &options,
        definitions,
        &inputs,
        &output,
        super::cyp2d6_reads::copy_number_hook(super::cyp2d6_reads::positions(cyp2d6)),
    )
    .map_err(|e| e.0)?;
    if cyp2d6.is_some() {
        let identities = genotyped.identities().to_vec();
        let copy_numbers: Vec<_> = genotyped.extras().iter().flatten().cloned().collect();
        super::cyp2d6_reads::write_copy_numbers(&copy_numbers, identities, options.shard, &output)?;
    }
    messages::info(&format!(
        "ingest: {} samples (aligned reads) x {} genes -> {} rows in {} ({:.1} s)",
        summary.samples,
        summary.genes,
        summary.rows,
        output.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(super::reads::GenotypedReads {
        inputs,
        options,
        genotyped,
    })
}
