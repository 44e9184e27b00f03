//! Subset options shared by `ingest` and `call`, with bcftools' letters:
//! `-s/-S` samples (`^` excludes), `-r/-R` regions, `--force-samples`, and
//! `--shard K/N` over the samples they leave.

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use clap::Args;
use tailor_definitions::Definitions;
use tailor_schemas::{Position, Region, SampleList, SampleSelection, Shard};

use crate::exit::Failure;

/// `--shard`, `-s/-S`, `--force-samples`, `-r/-R`.
#[derive(Debug, Args)]
pub struct SelectionArgs {
    /// Read only shard K of N (1-based): the K-th block of ceil(n/N) samples
    #[arg(
        long,
        value_name = "K/N",
        long_help = "Read only shard K of N (1 <= K <= N): the samples (those -s/-S \
                     leave, in input order) are cut into N contiguous blocks of \
                     ceil(n/N) samples and shard K gets the K-th (the last blocks may \
                     be shorter or empty). The table is marked as shard K/N; \
                     `tailor merge` joins shards 1..N into the table one unsharded run \
                     writes, byte for byte. Example: --shard 3/40"
    )]
    pub shard: Option<Shard>,
    /// Samples to read, comma-separated; ^ prefix: every sample but these
    #[arg(
        short = 's',
        long = "samples",
        value_name = "LIST",
        conflicts_with = "samples_file",
        allow_hyphen_values = true,
        long_help = "Samples to read, comma-separated, as bcftools view -s: \
                     `-s HG00096,HG00097`; a leading ^ reads every sample but these \
                     (`-s ^HG00096`). Samples keep the input's order. A name the input \
                     lacks is an error unless --force-samples."
    )]
    pub samples: Option<String>,
    /// File of samples to read, one per line; ^FILE: every sample but these
    #[arg(short = 'S', long = "samples-file", value_name = "FILE")]
    pub samples_file: Option<String>,
    /// Ignore -s/-S names the input does not have (instead of an error)
    #[arg(long)]
    pub force_samples: bool,
    /// Regions, comma-separated chr:beg-end (1-based, inclusive), chr:pos, chr
    #[arg(
        short = 'r',
        long = "regions",
        value_name = "REGIONS",
        conflicts_with = "regions_file",
        long_help = "Read only the definition positions inside these regions, as \
                     bcftools view -r: comma-separated chr:beg-end (1-based, \
                     inclusive), chr:pos or chr; `22` and `chr22` are the same \
                     contig. `tailor call` calls the genes the regions overlap, each \
                     whole. Example: -r chr10:94761900-94853000"
    )]
    pub regions: Option<String>,
    /// Regions file: BED (0-based, if named .bed) or chr, beg[, end] (1-based)
    #[arg(short = 'R', long = "regions-file", value_name = "FILE")]
    pub regions_file: Option<PathBuf>,
}

impl SelectionArgs {
    /// The samples to read and the shard, as the stages take them.
    ///
    /// # Errors
    /// Exit 3 when the `-S` file cannot be read.
    pub fn samples(&self) -> Result<SampleSelection, Failure> {
        let list = match (&self.samples, &self.samples_file) {
            (Some(list), _) => sample_list(list.split(',').map(str::to_owned)),
            (None, Some(file)) => {
                let (exclude, path) = match file.strip_prefix('^') {
                    Some(path) => (true, path),
                    None => (false, file.as_str()),
                };
                let names = read_sample_file(Path::new(path))?;
                match exclude {
                    true => SampleList::Exclude(names),
                    false => SampleList::Include(names),
                }
            }
            (None, None) => SampleList::All,
        };
        Ok(SampleSelection {
            list,
            force: self.force_samples,
            shard: self.shard,
        })
    }

    /// The `-r/-R` regions, if any.
    ///
    /// # Errors
    /// Exit 2 for a malformed `-r`; exit 3 for an unreadable or malformed
    /// `-R` file, naming the line.
    pub fn regions(&self) -> Result<Option<Vec<Region>>, Failure> {
        if let Some(list) = &self.regions {
            let regions = list
                .split(',')
                .map(|r| {
                    parse_region(r.trim()).ok_or_else(|| {
                        Failure::usage(anyhow!(
                            "-r/--regions: {r:?} is not chr:beg-end, chr:pos or chr (1-based, e.g. chr22:42126499-42130881)"
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Some(regions));
        }
        match &self.regions_file {
            Some(path) => read_regions_file(path).map(Some),
            None => Ok(None),
        }
    }

    /// Whether any sample selection or shard is given.
    pub fn selects_samples(&self) -> bool {
        self.shard.is_some() || self.samples.is_some() || self.samples_file.is_some()
    }
}

/// `-s` names: a leading `^` on the first one excludes them all.
fn sample_list(names: impl Iterator<Item = String>) -> SampleList {
    let mut names: Vec<String> = names.filter(|n| !n.is_empty()).collect();
    match names.first().and_then(|n| n.strip_prefix('^')) {
        Some(first) => {
            names[0] = first.to_owned();
            SampleList::Exclude(names)
        }
        None => SampleList::Include(names),
    }
}

/// Reads a `-S` file: one sample per line (the first tab-separated column,
/// as bcftools allows a second for renaming); blank lines skipped.
fn read_sample_file(path: &Path) -> Result<Vec<String>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::invalid_input(anyhow!(
            "{}: cannot read the -S/--samples-file: {e}",
            path.display()
        ))
    })?;
    Ok(text
        .lines()
        .filter_map(|line| line.split('\t').next())
        .map(|name| name.trim_end_matches('\r').to_owned())
        .filter(|name| !name.is_empty())
        .collect())
}

/// `chr:beg-end`, `chr:pos` or `chr` (1-based, inclusive; commas in
/// numbers are not accepted since they separate regions).
fn parse_region(text: &str) -> Option<Region> {
    let position = |s: &str| Position::new(s.trim().parse::<u64>().ok()?).ok();
    let whole = || {
        Some((
            Position::new(1).ok()?,
            Position::new(u64::from(u32::MAX)).ok()?,
        ))
    };
    let (chrom, (start, end)) = match text.rsplit_once(':') {
        Some((chrom, span)) => match span.split_once('-') {
            Some((beg, "")) => (chrom, (position(beg)?, whole()?.1)),
            Some((beg, end)) => (chrom, (position(beg)?, position(end)?)),
            None => (chrom, (position(span)?, position(span)?)),
        },
        None => (text, whole()?),
    };
    if chrom.is_empty() || end < start {
        return None;
    }
    Some(Region {
        chrom: chrom.to_owned(),
        start,
        end,
    })
}

/// Reads an `-R` file as bcftools does: a `.bed` file is BED (0-based,
/// half-open); any other is tab-separated chr, beg[, end], 1-based and
/// inclusive. `#` lines are skipped.
fn read_regions_file(path: &Path) -> Result<Vec<Region>, Failure> {
    let bed = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(".bed"));
    if bed {
        return tailor_ingest::read_bed(path).map_err(Failure::invalid_input);
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::invalid_input(anyhow!(
            "{}: cannot read the -R/--regions-file: {e}",
            path.display()
        ))
    })?;
    let mut regions = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let text = match fields.as_slice() {
            [chrom, pos] => format!("{chrom}:{pos}"),
            [chrom, beg, end, ..] => format!("{chrom}:{beg}-{end}"),
            _ => String::new(),
        };
        let region = parse_region(&text).ok_or_else(|| {
            Failure::invalid_input(anyhow!(
                "{}: line {}: not chr<TAB>beg[<TAB>end] with 1-based positions \
                 (name the file .bed for 0-based BED)",
                path.display(),
                i + 1
            ))
        })?;
        regions.push(region);
    }
    Ok(regions)
}

/// Checks every `--genes` symbol has definitions; an unknown one is a
/// usage error naming the nearest symbol that does.
///
/// # Errors
/// Exit 2 naming the gene and the nearest known one.
pub fn check_genes(genes: &[String], definitions: &Definitions) -> Result<(), Failure> {
    for gene in genes {
        if definitions.gene(gene).is_none() {
            let nearest = definitions
                .genes()
                .iter()
                .map(|g| g.gene.as_str())
                .min_by_key(|known| strsim::levenshtein(&gene.to_uppercase(), known))
                .unwrap_or_default();
            return Err(Failure::usage(anyhow!(
                "--genes: no definitions for {gene:?}; did you mean {nearest}? (HGNC symbols, e.g. CYP2C19,CYP2C9)"
            )));
        }
    }
    Ok(())
}

/// The genes `call` reads: `genes` (all when empty) that one of `regions`
/// overlaps (one of their definition positions lies inside it).
///
/// # Errors
/// Exit 2 when the regions overlap none of the genes.
pub fn genes_in_regions(
    genes: &[String],
    regions: Option<&[Region]>,
    definitions: &Definitions,
) -> Result<Vec<String>, Failure> {
    let Some(regions) = regions else {
        return Ok(genes.to_vec());
    };
    let same = |a: &str, b: &str| a.trim_start_matches("chr") == b.trim_start_matches("chr");
    let overlapping = definitions
        .genes()
        .iter()
        .filter(|g| genes.is_empty() || genes.contains(&g.gene))
        .filter(|g| {
            g.variants.iter().any(|v| {
                regions.iter().any(|r| {
                    same(&r.chrom, &g.chromosome) && r.start <= v.position && v.position <= r.end
                })
            })
        })
        .map(|g| g.gene.clone())
        .collect::<Vec<_>>();
    if overlapping.is_empty() {
        return Err(Failure::usage(anyhow!(
            "-r/-R: the regions hold no definition position of any gene called; \
             pharmacogene positions are GRCh38 (e.g. chr10:94761900-94853000 for CYP2C19)"
        )));
    }
    Ok(overlapping)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_parse_as_bcftools_writes_them() {
        let r = parse_region("chr22:42126499-42130881").unwrap();
        assert_eq!((r.start.get(), r.end.get()), (42_126_499, 42_130_881));
        let r = parse_region("22:100").unwrap();
        assert_eq!(
            (r.chrom.as_str(), r.start.get(), r.end.get()),
            ("22", 100, 100)
        );
        let r = parse_region("chrX").unwrap();
        assert_eq!(r.start.get(), 1);
        assert!(parse_region("chr1:20-10").is_none());
        assert!(parse_region("chr1:a-b").is_none());
        assert!(parse_region(":5").is_none());
    }

    #[test]
    fn caret_excludes_the_whole_list() {
        let names = ["^A", "B"].map(String::from);
        assert_eq!(
            sample_list(names.into_iter()),
            SampleList::Exclude(vec!["A".into(), "B".into()])
        );
    }
}
