//! `--shard K/N` and `tailor merge`: sharded ingest + call, merged, give
//! the unsharded tables byte for byte; `-s/-S/-r/-R` select what
//! `bcftools view -s/-r` selects; bad shards and selections fail with the
//! right exit code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::process::Command;

/// Runs `tailor ARGS` in `dir`, expecting exit `code`; returns stderr.
fn tailor(dir: &Path, args: &[&str], code: i32) -> String {
    let mut command = common::tailor(dir);
    command.arg("-q").args(args);
    common::stderr(&common::run_expect(&mut command, code))
}

/// The unsharded genotypes and calls of `inputs` (ingest, then call on the
/// genotypes table) in `dir/one`, moved to `dir/reference`.
fn unsharded(dir: &Path, inputs: &[&str], options: &[&str]) {
    let one = dir.join("one");
    let one = one.to_str().unwrap();
    tailor(dir, &[&["ingest", "-o", one], options, inputs].concat(), 0);
    let genotypes = format!("{one}/genotypes.parquet");
    tailor(dir, &["call", "-o", one, &genotypes], 0);
    std::fs::rename(dir.join("one"), dir.join("reference")).unwrap();
}

/// Ingests and calls `inputs` in `n` shards, merges them into `dir/one` (the
/// folder the unsharded run wrote) and checks both tables are byte-identical
/// to the unsharded ones.
fn assert_shards_merge_to_reference(dir: &Path, inputs: &[&str], options: &[&str], n: usize) {
    let mut folders = Vec::new();
    for k in 1..=n {
        let shard = format!("{k}/{n}");
        let folder = dir.join(format!("shards{n}/{k}"));
        let out = folder.to_str().unwrap();
        tailor(
            dir,
            &[&["ingest", "--shard", &shard, "-o", out], options, inputs].concat(),
            0,
        );
        tailor(
            dir,
            &["call", "-o", out, &format!("{out}/genotypes.parquet")],
            0,
        );
        folders.push(folder.to_str().unwrap().to_owned());
    }
    let one = dir.join("one");
    let mut args = vec!["merge", "-o", one.to_str().unwrap()];
    // Shards in any order on the command line.
    args.extend(folders.iter().rev().map(String::as_str));
    tailor(dir, &args, 0);
    for table in ["genotypes.parquet", "calls.parquet"] {
        let merged = std::fs::read(one.join(table)).unwrap();
        let reference = std::fs::read(dir.join("reference").join(table)).unwrap();
        assert!(
            merged == reference,
            "{n} shards: merged {table} differs from the unsharded one"
        );
    }
    std::fs::remove_dir_all(&one).unwrap();
}

/// `tailor call --shard K/N -o PREFIXK ARGS` for every K.
fn call_shards(dir: &Path, args: &[&str], prefix: &str, n: usize) {
    for k in 1..=n {
        let (shard, out) = (format!("{k}/{n}"), format!("{prefix}{k}"));
        tailor(
            dir,
            &[&["call", "--shard", &shard, "-o", &out], args].concat(),
            0,
        );
    }
}

/// The sample ids of a table, in row order, once each.
fn samples(path: &Path) -> Vec<String> {
    let table = tailor_tables::read_table(path).unwrap();
    let mut seen = Vec::new();
    for batch in &table.batches {
        let column = common::column::<arrow_array::StringArray>(batch, "sample_id");
        for i in 0..batch.num_rows() {
            if seen.last().map(String::as_str) != Some(column.value(i)) {
                seen.push(column.value(i).to_owned());
            }
        }
    }
    let mut once = HashSet::new();
    seen.retain(|s| once.insert(s.clone()));
    seen
}

/// A fresh folder with a cohort `tailor simulate` wrote in `sim/`.
fn simulated(samples: usize, seed: u64) -> tempfile::TempDir {
    let dir = common::temp_dir();
    let (samples, seed) = (samples.to_string(), seed.to_string());
    let args = [
        "simulate",
        "-o",
        "sim",
        "--samples",
        &samples,
        "--seed",
        &seed,
    ];
    tailor(dir.path(), &args, 0);
    dir
}

#[test]
fn shards_of_a_simulated_cohort_merge_to_the_unsharded_tables() {
    let dir = simulated(250, 12);
    unsharded(dir.path(), &["sim/cohort.vcf.gz"], &[]);
    for n in [1, 3, 7] {
        assert_shards_merge_to_reference(dir.path(), &["sim/cohort.vcf.gz"], &[], n);
    }
    // `call --shard` straight from the VCF, merged, is `call` on the VCF,
    // with outside calls for a cohort sample and for one no input has.
    std::fs::write(
        dir.path().join("outside.tsv"),
        "sample_id\tgene\tdiplotype\nSIM00002\tCYP2D6\t*1/*4\nZZ_OUTSIDE\tCYP2D6\t*1/*1\n",
    )
    .unwrap();
    let outside = ["--outside-calls", "outside.tsv"];
    tailor(
        dir.path(),
        &[
            &["call", "-o", "whole"],
            &outside[..],
            &["sim/cohort.vcf.gz"],
        ]
        .concat(),
        0,
    );
    call_shards(
        dir.path(),
        &[&outside[..], &["sim/cohort.vcf.gz"]].concat(),
        "direct",
        3,
    );
    tailor(
        dir.path(),
        &["merge", "-o", "direct", "direct1", "direct2", "direct3"],
        0,
    );
    let calls = |d: &str| std::fs::read(dir.path().join(d).join("calls.parquet")).unwrap();
    assert!(calls("direct") == calls("whole"));
    let merged = samples(&dir.path().join("direct/calls.parquet"));
    assert_eq!(merged.len(), 251);
    assert!(merged.contains(&"ZZ_OUTSIDE".to_owned()));
}

#[test]
fn shards_of_the_1000_genomes_panels_merge_to_the_unsharded_tables() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let panels = shared.join("1kgp-grch38");
    let inputs: Vec<String> = ["CYP2C19", "CYP2C9", "TPMT"]
        .iter()
        .map(|g| {
            panels
                .join(format!("{g}.vcf.gz"))
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let options = ["--absent-as-reference", "--genes", "CYP2C19,CYP2C9,TPMT"];
    let dir = common::temp_dir();
    unsharded(dir.path(), &inputs, &options);
    assert_eq!(
        samples(&dir.path().join("reference/calls.parquet")).len(),
        3202
    );
    for n in [1, 3, 7] {
        assert_shards_merge_to_reference(dir.path(), &inputs, &options, n);
    }
}

/// What `bcftools ARGS VCF` prints.
fn bcftools_output(bcftools: &Path, args: &[&str], vcf: &Path) -> String {
    let out = Command::new(bcftools).args(args).arg(vcf).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "bcftools {args:?}: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// The samples `bcftools view ARGS` keeps.
fn bcftools_samples(bcftools: &Path, vcf: &Path, args: &[&str]) -> BTreeSet<String> {
    let header = bcftools_output(bcftools, &[&["view", "-h"], args].concat(), vcf);
    let columns = header.lines().find(|l| l.starts_with("#CHROM")).unwrap();
    columns.split('\t').skip(9).map(str::to_owned).collect()
}

/// bcftools and the 1000 Genomes CYP2C19 panel, or a skip.
fn cyp2c19_panel_and_bcftools() -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let shared = common::shared_data()?;
    let bcftools = common::bcftools()?;
    Some((bcftools, shared.join("1kgp-grch38/CYP2C19.vcf.gz")))
}

#[test]
fn sample_selection_is_what_bcftools_view_selects() {
    let Some((bcftools, vcf)) = cyp2c19_panel_and_bcftools() else {
        return;
    };
    let vcf_arg = vcf.to_str().unwrap();
    let dir = common::temp_dir();
    std::fs::write(dir.path().join("keep.txt"), "NA12878\nHG00097\nHG02461\n").unwrap();
    let cases: [(&str, &str); 4] = [
        ("-s", "HG00097,NA12878,HG00096"),
        ("-s", "^HG00097,NA12878"),
        ("-S", "keep.txt"),
        ("-S", "^keep.txt"),
    ];
    for (i, (flag, value)) in cases.iter().enumerate() {
        let out = format!("sel{i}");
        tailor(
            dir.path(),
            &[
                "ingest", flag, value, "--genes", "CYP2C19", "-o", &out, vcf_arg,
            ],
            0,
        );
        let file = value.trim_start_matches('^');
        let bcftools_value = match *flag {
            "-S" => value.replace(file, dir.path().join(file).to_str().unwrap()),
            _ => value.to_string(),
        };
        let expected = bcftools_samples(&bcftools, &vcf, &[flag, &bcftools_value]);
        let got = samples(&dir.path().join(&out).join("genotypes.parquet"));
        assert_eq!(
            got.iter().cloned().collect::<BTreeSet<_>>(),
            expected,
            "{flag} {value}"
        );
        // Input order, whatever the list's order (bcftools reorders).
        let all = bcftools_samples(&bcftools, &vcf, &[]);
        assert!(got.len() == expected.len() && got.len() < all.len());
    }
    // Sharding composes: shard 2/2 of `-s ^HG00097` is the second half.
    tailor(
        dir.path(),
        &[
            "ingest", "-s", "^HG00097", "--shard", "2/2", "--genes", "CYP2C19", "-o", "half",
            vcf_arg,
        ],
        0,
    );
    let half = samples(&dir.path().join("half/genotypes.parquet"));
    assert_eq!(half.len(), 3201 / 2);
    assert!(!half.contains(&"HG00097".to_owned()));
}

/// Positions of `vcf` that `bcftools view -r REGION` keeps.
fn bcftools_positions(bcftools: &Path, vcf: &Path, region_args: &[&str]) -> BTreeSet<u32> {
    let query = [&["query", "-f", "%POS\\n"], region_args].concat();
    let positions = bcftools_output(bcftools, &query, vcf);
    positions.lines().map(|l| l.parse().unwrap()).collect()
}

/// (definition positions in the table, those with a record in the input).
fn table_positions(path: &Path) -> (BTreeSet<u32>, BTreeSet<u32>) {
    let rows = common::read_genotypes(path);
    let all = rows.keys().map(|(_, pos)| *pos).collect();
    let with_record = rows
        .iter()
        .filter(|(_, g)| !g.has("absent"))
        .map(|((_, pos), _)| *pos)
        .collect();
    (all, with_record)
}

#[test]
fn regions_read_the_definition_positions_bcftools_view_selects() {
    let Some((bcftools, vcf)) = cyp2c19_panel_and_bcftools() else {
        return;
    };
    let base = ["ingest", "-s", "HG00096,HG00097", "--genes", "CYP2C19"];
    let dir = common::temp_dir();
    let vcf_arg = vcf.to_str().unwrap();
    tailor(
        dir.path(),
        &[&base[..], &["-o", "all", vcf_arg]].concat(),
        0,
    );
    let (definition, _) = table_positions(&dir.path().join("all/genotypes.parquet"));
    // A region holding part of CYP2C19's definition positions.
    let region = "chr10:94775000-94852000";
    std::fs::write(dir.path().join("r.bed"), "chr10\t94774999\t94852000\n").unwrap();
    std::fs::write(dir.path().join("r.tsv"), "chr10\t94775000\t94852000\n").unwrap();
    let bed = dir.path().join("r.bed");
    let expected_records = bcftools_positions(&bcftools, &vcf, &["-r", region]);
    for (flag, value) in [("-r", region), ("-R", "r.bed"), ("-R", "r.tsv")] {
        let out = format!("region{}", value.len());
        tailor(
            dir.path(),
            &[&base[..], &[flag, value, "-o", &out, vcf_arg]].concat(),
            0,
        );
        let (positions, with_record) =
            table_positions(&dir.path().join(&out).join("genotypes.parquet"));
        let inside: BTreeSet<u32> = definition
            .iter()
            .copied()
            .filter(|p| (94_775_000..=94_852_000).contains(p))
            .collect();
        assert!(!inside.is_empty() && inside.len() < definition.len());
        assert_eq!(positions, inside, "{flag} {value}");
        let expected: BTreeSet<u32> = expected_records.intersection(&inside).copied().collect();
        assert_eq!(with_record, expected, "{flag} {value}");
    }
    let by_bed = bcftools_positions(&bcftools, &vcf, &["-R", bed.to_str().unwrap()]);
    assert_eq!(by_bed, expected_records);
}

#[test]
fn bad_shards_and_selections_fail_with_their_exit_codes() {
    let dir = simulated(20, 4);
    let vcf = "sim/cohort.vcf.gz";
    for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
        let message = tailor(dir.path(), &["ingest", "--shard", bad, "-o", "x", vcf], 2);
        assert!(message.contains("--shard"), "{bad}: {message}");
    }
    let message = tailor(
        dir.path(),
        &["ingest", "-s", "SIM_NOBODY", "-o", "x", vcf],
        3,
    );
    assert!(
        message.contains("\"SIM_NOBODY\"") && message.contains("--force-samples"),
        "{message}"
    );
    tailor(
        dir.path(),
        &[
            "ingest",
            "-s",
            "SIM_NOBODY",
            "--force-samples",
            "-o",
            "empty",
            vcf,
        ],
        0,
    );
    let message = tailor(
        dir.path(),
        &["call", "--genes", "CYP2C91", "-o", "x", vcf],
        2,
    );
    assert!(message.contains("did you mean CYP2C9?"), "{message}");
    let message = tailor(
        dir.path(),
        &["ingest", "-r", "chr10:20-10", "-o", "x", vcf],
        2,
    );
    assert!(message.contains("-r/--regions"), "{message}");

    call_shards(dir.path(), &[vcf], "s", 3);
    tailor(
        dir.path(),
        &["call", "--shard", "1/2", "-o", "other", vcf],
        0,
    );
    tailor(dir.path(), &["call", "-o", "whole", vcf], 0);
    let message = tailor(dir.path(), &["merge", "-o", "m", "s1", "s3"], 3);
    assert!(
        message.contains("s1/calls.parquet") && message.contains("2/3 missing"),
        "{message}"
    );
    let message = tailor(dir.path(), &["merge", "-o", "m", "s1", "s2", "s2", "s3"], 3);
    assert!(message.contains("both shard 2/3"), "{message}");
    let message = tailor(
        dir.path(),
        &["merge", "-o", "m", "s1", "s2", "s3", "other"],
        3,
    );
    assert!(message.contains("other/calls.parquet"), "{message}");
    let message = tailor(dir.path(), &["merge", "-o", "m", "whole"], 3);
    assert!(
        message.contains("whole/calls.parquet: not a shard"),
        "{message}"
    );
    // Overlapping shards: shard 1/2 of everyone, and a shard 2/2 made
    // with another -S whose samples are shard 1/2's.
    let first_half = samples(&dir.path().join("other/calls.parquet"));
    std::fs::write(dir.path().join("firsthalf.txt"), first_half.join("\n")).unwrap();
    tailor(
        dir.path(),
        &[
            "call",
            "-S",
            "firsthalf.txt",
            "--shard",
            "2/2",
            "-o",
            "lap",
            vcf,
        ],
        0,
    );
    let message = tailor(dir.path(), &["merge", "-o", "m", "other", "lap"], 3);
    assert!(
        message.contains("overlap") && message.contains("lap/calls.parquet"),
        "{message}"
    );
    assert!(
        !message.contains("SIM"),
        "no sample id in the message: {message}"
    );
    assert!(!dir.path().join("m/calls.parquet").exists());
}

#[test]
fn shards_of_aligned_reads_merge_to_the_unsharded_tables() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let bams: Vec<String> = ["HG03130", "NA18505", "SIM001"]
        .iter()
        .map(|s| shared.join(format!("bam/stellarpgx/{s}.bam")))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let bams: Vec<&str> = bams.iter().map(String::as_str).collect();
    let dir = common::temp_dir();
    let stages = |out: &str, shard: &[&str]| {
        for stage in ["ingest", "call"] {
            let args = [
                &[stage, "--genes", "CYP2D6", "-o", out],
                shard,
                &["--bam"],
                &bams[..],
            ];
            tailor(dir.path(), &args.concat(), 0);
        }
    };
    stages("whole", &[]);
    for k in 1..=2 {
        stages(&format!("s{k}"), &["--shard", &format!("{k}/2")]);
    }
    tailor(dir.path(), &["merge", "-o", "merged", "s2", "s1"], 0);
    for table in ["genotypes.parquet", "calls.parquet", "copy_number.parquet"] {
        let read = |d: &str| std::fs::read(dir.path().join(d).join(table)).unwrap();
        assert!(read("merged") == read("whole"), "merged {table} differs");
    }
    assert_eq!(samples(&dir.path().join("s1/calls.parquet")).len(), 2);
}
