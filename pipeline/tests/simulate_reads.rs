//! `tailor simulate --bam`: the files pass samtools and bcftools, their
//! MD/NM tags are the true alignment, depth over CYP2D6 follows the
//! simulated copy number, bcftools calls the truth at every SNV definition
//! position outside CYP2D6, CRAM decodes with the reference, exome-like
//! coverage stays on target, and a seed gives byte-identical files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::samtools;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a tool in `dir`, asserting success; returns stdout.
fn tool(program: &str, args: &[&str], dir: &Path) -> String {
    let mut command = Command::new(program);
    let output = command.args(args).current_dir(dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{program} {args:?}: {stderr}");
    String::from_utf8(output.stdout).unwrap()
}

/// Mean of `samtools depth -a -Q 1` over `region` of `bam`.
fn mean_depth(reads: &Path, bam: &str, region: &str) -> f64 {
    // Reads of mapping quality 0 are left out, as a depth-based caller
    // leaves them out: the simulator gives them only to a hybrid's junction
    // reads that carry CYP2D7 sequence (the copies are counted by the
    // uniquely placed reads either side of the breakpoint).
    let depth = tool(
        "samtools",
        &["depth", "-a", "-Q", "1", "-r", region, bam],
        reads,
    );
    let values: Vec<f64> = depth
        .lines()
        .map(|l| l.split('\t').nth(2).unwrap().parse().unwrap())
        .collect();
    values.iter().sum::<f64>() / values.len() as f64
}

/// Simulates `samples` people with reads into `dir/out/reads`.
fn simulate(dir: &Path, out: &str, samples: usize, seed: u64, extra: &[&str]) -> PathBuf {
    let reads = format!("{out}/reads");
    let samples = samples.to_string();
    let seed = seed.to_string();
    let mut args = vec![
        "simulate",
        "-q",
        "-o",
        out,
        "--samples",
        &samples,
        "--seed",
        &seed,
        "--bam",
        &reads,
    ];
    args.extend_from_slice(extra);
    common::run_expect(common::tailor(dir).args(&args), 0);
    dir.join(reads)
}

/// With samtools installed: a temporary directory and the reads directory
/// of `samples` people simulated there into `sim/reads`.
fn simulated(samples: usize, seed: u64, extra: &[&str]) -> Option<(tempfile::TempDir, PathBuf)> {
    samtools()?;
    let dir = common::temp_dir();
    let reads = simulate(dir.path(), "sim", samples, seed, extra);
    Some((dir, reads))
}

/// `truth.tsv` rows: (sample, gene) -> the row's fields.
fn truth(reads: &Path) -> HashMap<(String, String), Vec<String>> {
    let text = std::fs::read_to_string(reads.join("truth.tsv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(tailor_simulate::TRUTH_HEADER));
    lines
        .map(|line| {
            let fields: Vec<String> = line.split('\t').map(str::to_owned).collect();
            ((fields[0].clone(), fields[1].clone()), fields)
        })
        .collect()
}

const STRUCTURES: &str = "deletion=0.3,duplication=0.4,star36_star10=0.1";

#[test]
fn files_pass_samtools_and_depth_follows_cyp2d6_copies() {
    let Some((_dir, reads)) = simulated(
        SEED_SAMPLES,
        COPIES_SEED,
        &["--depth", "20", "--cyp2d6-structures", STRUCTURES],
    ) else {
        return;
    };
    let truth = truth(&reads);
    let mut copies_seen = BTreeSet::new();
    for index in 0..SEED_SAMPLES {
        let sample = tailor_simulate::sample_id(index, SEED_SAMPLES);
        let bam = format!("{sample}.bam");
        tool("samtools", &["quickcheck", "-v", &bam], &reads);
        let header = tool("samtools", &["view", "-H", &bam], &reads);
        assert!(header.contains("@SQ\tSN:chr22\tLN:50818468"), "{header}");
        assert!(header.contains(&format!("SM:{sample}")));
        assert!(header.contains("SO:coordinate"));
        let idxstats = tool("samtools", &["idxstats", &bam], &reads);
        let chr22: u64 = idxstats
            .lines()
            .find(|l| l.starts_with("chr22\t"))
            .and_then(|l| l.split('\t').nth(2))
            .unwrap()
            .parse()
            .unwrap();
        assert!(chr22 > 1_000, "{idxstats}");
        // Mean depth over the CYP2D6 gene: 10x per copy.
        let mean = mean_depth(&reads, &bam, "chr22:42126499-42130810");
        let row = &truth[&(sample.clone(), "CYP2D6".to_owned())];
        let copies: f64 = row[5].parse().unwrap();
        copies_seen.insert(row[5].clone());
        if row[6].is_empty() {
            let expected = 10.0 * copies;
            assert!(
                (mean - expected).abs() <= 0.1 * expected + 1.0,
                "{sample} {}: mean depth {mean:.2}, expected {expected}",
                row[4]
            );
        }
    }
    assert_eq!(
        copies_seen.into_iter().collect::<Vec<_>>(),
        ["0", "1", "2", "3", "4"]
    );
}

/// A seed whose cohort (with [`STRUCTURES`]) has 0 to 4 CYP2D6 copies.
const COPIES_SEED: u64 = 8;
/// Its cohort size.
const SEED_SAMPLES: usize = 10;

#[test]
fn md_and_nm_tags_are_what_samtools_calmd_computes() {
    let samples = 30;
    let args = ["--depth", "2", "--cyp2d6-structures", STRUCTURES];
    let Some((_dir, reads)) = simulated(samples, 5, &args) else {
        return;
    };
    let tags = |sam: &str| -> Vec<String> {
        sam.lines()
            .filter(|l| !l.starts_with('@'))
            .map(|l| {
                let fields: Vec<&str> = l.split('\t').collect();
                let mut tags: Vec<&str> = fields[11..]
                    .iter()
                    .copied()
                    .filter(|t| t.starts_with("MD:") || t.starts_with("NM:"))
                    .collect();
                tags.sort_unstable();
                format!("{}\t{}", fields[..11].join("\t"), tags.join("\t"))
            })
            .collect()
    };
    // One merged file, so calmd decodes the reference once.
    let mut merge = vec!["merge".to_owned(), "-o".to_owned(), "all.bam".to_owned()];
    merge.extend((0..samples).map(|i| format!("{}.bam", tailor_simulate::sample_id(i, samples))));
    let merge: Vec<&str> = merge.iter().map(String::as_str).collect();
    tool("samtools", &merge, &reads);
    let ours = tags(&tool("samtools", &["view", "all.bam"], &reads));
    let calmd = tags(&tool(
        "samtools",
        &["calmd", "all.bam", "reference.fa.gz"],
        &reads,
    ));
    assert!(ours.len() > 50_000, "{}", ours.len());
    assert_eq!(ours.len(), calmd.len());
    for (a, b) in ours.iter().zip(&calmd) {
        assert_eq!(a, b);
    }
    let cigars: String = ours.iter().map(|l| l.split('\t').nth(5).unwrap()).collect();
    // Indels are carried: some reads have an insertion, some a deletion.
    assert!(cigars.contains('I') && cigars.contains('D'));
}

/// SNV definition positions outside CYP2D6 not inside another position's
/// REF (a deletion there removes the base the truth names).
fn snv_truth(reads: &Path) -> HashMap<(String, String, u32), Vec<String>> {
    let text = std::fs::read_to_string(reads.join("truth_genotypes.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    let mut spans: HashMap<&str, Vec<(u32, u32)>> = HashMap::new();
    for row in &rows {
        let pos: u32 = row[3].parse().unwrap();
        spans
            .entry(row[2])
            .or_default()
            .push((pos, pos + row[4].len() as u32 - 1));
    }
    rows.iter()
        .filter(|row| row[1] != "CYP2D6" && row[4].len() == 1)
        .filter(|row| row[5].split('/').all(|a| a.len() == 1))
        .filter(|row| {
            let pos: u32 = row[3].parse().unwrap();
            !spans[row[2]].iter().any(|&(s, e)| s < pos && pos <= e)
        })
        .map(|row| {
            let mut alleles: Vec<String> = row[5].split('/').map(str::to_owned).collect();
            alleles.sort();
            (
                (
                    row[0].to_owned(),
                    row[2].to_owned(),
                    row[3].parse().unwrap(),
                ),
                alleles,
            )
        })
        .collect()
}

#[test]
fn bcftools_calls_the_truth_at_every_snv_definition_position() {
    let samples = 4;
    let args = ["--depth", "30", "--error-rate", "0.001"];
    let Some((_dir, reads)) = common::bcftools().and_then(|_| simulated(samples, 9, &args)) else {
        return;
    };
    let truth = snv_truth(&reads);
    let mut positions: BTreeSet<(String, u32)> = BTreeSet::new();
    for (_, chrom, pos) in truth.keys() {
        positions.insert((chrom.clone(), *pos));
    }
    let text: String = positions
        .iter()
        .map(|(chrom, pos)| format!("{chrom}\t{pos}\n"))
        .collect();
    std::fs::write(reads.join("positions.tsv"), text).unwrap();
    let bams: Vec<String> = (0..samples)
        .map(|i| format!("{}.bam", tailor_simulate::sample_id(i, samples)))
        .collect();
    let mut mpileup = vec![
        "mpileup",
        "-f",
        "reference.fa.gz",
        "-T",
        "positions.tsv",
        "-a",
        "AD,DP",
        "-Ou",
        "-o",
        "pileup.bcf",
    ];
    mpileup.extend(bams.iter().map(String::as_str));
    tool("bcftools", &mpileup, &reads);
    tool(
        "bcftools",
        &["call", "-m", "-Ob", "-o", "calls.bcf", "pileup.bcf"],
        &reads,
    );
    let called = tool(
        "bcftools",
        &[
            "query",
            "-f",
            "%CHROM\t%POS\t%REF\t%ALT[\t%SAMPLE=%GT]\n",
            "calls.bcf",
        ],
        &reads,
    );
    let mut checked = 0;
    for line in called.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let pos: u32 = fields[1].parse().unwrap();
        let mut alleles = vec![fields[2]];
        alleles.extend(fields[3].split(',').filter(|a| *a != "."));
        for cell in &fields[4..] {
            let (sample, gt) = cell.split_once('=').unwrap();
            let Some(expected) = truth.get(&(sample.to_owned(), fields[0].to_owned(), pos)) else {
                continue;
            };
            let mut got: Vec<String> = gt
                .split(['/', '|'])
                .map(|i| alleles[i.parse::<usize>().unwrap()].to_owned())
                .collect();
            got.sort();
            if expected.len() == 1 {
                // Haploid (male chrX): bcftools calls it homozygous.
                got.dedup();
            }
            assert_eq!(&got, expected, "{sample} {}:{pos}", fields[0]);
            checked += 1;
        }
    }
    assert_eq!(checked, truth.len(), "every truth position was called");
    assert!(checked > 1_000, "{checked}");
}

#[test]
fn cram_decodes_with_the_reference_to_the_same_reads() {
    if samtools().is_none() {
        return;
    }
    let dir = common::temp_dir();
    let bam = simulate(dir.path(), "bam", 1, 4, &["--depth", "5"]);
    let cram = simulate(dir.path(), "cram", 1, 4, &["--depth", "5", "--cram"]);
    tool("samtools", &["quickcheck", "-v", "SIM00001.cram"], &cram);
    assert!(cram.join("SIM00001.cram.crai").is_file());
    let columns = |sam: String| -> Vec<String> {
        sam.lines()
            .map(|l| l.split('\t').take(11).collect::<Vec<_>>().join("\t"))
            .collect()
    };
    let from_bam = columns(tool("samtools", &["view", "SIM00001.bam"], &bam));
    let from_cram = columns(tool(
        "samtools",
        &["view", "-T", "reference.fa.gz", "SIM00001.cram"],
        &cram,
    ));
    assert!(from_bam.len() > 5_000);
    assert_eq!(from_bam, from_cram);
}

#[test]
fn exome_like_coverage_stays_on_target() {
    let Some((_dir, reads)) = simulated(1, 6, &["--depth", "30", "--exome-fraction", "1"]) else {
        return;
    };
    assert_eq!(
        truth(&reads)[&("SIM00001".into(), "CYP2D6".into())][8],
        "exome"
    );
    let count = |region: &str| -> u64 {
        tool("samtools", &["view", "-c", "SIM00001.bam", region], &reads)
            .trim()
            .parse()
            .unwrap()
    };
    // No reads in the control windows (the chr19 one holds RYR1
    // definition positions, which are targets) or between CYP2D6 and CYP2D7.
    assert_eq!(count("chr7:55142286-55162285"), 0);
    assert_eq!(count("chr12:47846335-47866334"), 0);
    assert_eq!(count("chr22:42133000-42135000"), 0);
    // Exon 1 of CYP2D6 has depth.
    let mean = mean_depth(&reads, "SIM00001.bam", "chr22:42130612-42130810");
    assert!(mean > 15.0, "{mean}");
}

#[test]
fn same_seed_gives_identical_reads() {
    let dir = common::temp_dir();
    let args = ["--depth", "4", "--cyp2d6-structures", STRUCTURES];
    let a = simulate(dir.path(), "a", 3, 21, &args);
    let b = simulate(dir.path(), "b", 3, 21, &args);
    let c = simulate(dir.path(), "c", 3, 22, &args);
    let mut names: Vec<String> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 3 * 2 + 3 + 3, "{names:?}");
    for name in &names {
        let first = std::fs::read(a.join(name)).unwrap();
        assert_eq!(first, std::fs::read(b.join(name)).unwrap(), "{name}");
    }
    assert_ne!(
        std::fs::read(a.join("SIM00001.bam")).unwrap(),
        std::fs::read(c.join("SIM00001.bam")).unwrap()
    );
}

#[test]
fn hybrids_and_deletions_move_depth_between_cyp2d6_and_cyp2d7() {
    // Each gene's 5′ part (exon 8 to exon 1) and its exon 9 (3′); 20x per
    // copy at 40x (exon 9 is short and holds few fragments: 20 % tolerance).
    let exon = |gene: &str, exon: &str| match (gene, exon) {
        ("CYP2D6", "1") => "chr22:42127000-42130810",
        ("CYP2D6", _) => "chr22:42126499-42126752",
        ("CYP2D7", "1") => "chr22:42141000-42144483",
        _ => "chr22:42139576-42140456",
    };
    // Both chromosomes *36+*10: CYP2D6's 5′ part on 4 copies, exon 9 on 2 (the
    // hybrids carry CYP2D7 exon 9, so CYP2D7 exon 9 is on 4).
    let star36 = [
        "--depth",
        "40",
        "--cyp2d6-structures",
        "deletion=0,duplication=0,star36_star10=1,star68_star4=0,star13=0",
    ];
    // Both *5: no CYP2D6, CYP2D7 untouched.
    let star5 = [
        "--depth",
        "40",
        "--cyp2d6-structures",
        "deletion=1,duplication=0,star36_star10=0,star68_star4=0,star13=0",
    ];
    let expected: [(&[&str], [f64; 4]); 2] = [
        (&star36, [80.0, 40.0, 40.0, 80.0]),
        (&star5, [0.0, 0.0, 40.0, 40.0]),
    ];
    for (args, depths) in expected {
        let Some((_dir, reads)) = simulated(1, 2, args) else {
            return;
        };
        let regions = [
            exon("CYP2D6", "1"),
            exon("CYP2D6", "9"),
            exon("CYP2D7", "1"),
            exon("CYP2D7", "9"),
        ];
        for (region, want) in regions.iter().zip(depths) {
            let mean = mean_depth(&reads, "SIM00001.bam", region);
            assert!(
                (mean - want).abs() <= 0.2 * want + 1.0,
                "{args:?} {region}: {mean:.1}, expected {want}"
            );
        }
    }
}
