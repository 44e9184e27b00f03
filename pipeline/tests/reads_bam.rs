//! `tailor ingest`/`call` on real aligned reads (../shared/data/bam): the
//! genotypes at every CYP2D6 definition position against the 1000 Genomes
//! panel and the files' published truth, CRAM against BAM, the input
//! errors (GRCh37, no index, no CRAM reference, two samples in one file),
//! and bcftools mpileup + call at every SNV definition position.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{samtools, Genotype};
use tailor_definitions::{cyp2d_locus, Definitions};

/// GRCh38 chr22 length.
const CHR22_LENGTH: usize = 50_818_468;

/// The real BAM `name` under shared/bam.
fn bam(name: &str) -> Option<PathBuf> {
    Some(common::shared_data()?.join("bam").join(name))
}

/// The real BAM `name` and a fresh temporary directory for a test on it.
fn seed(name: &str) -> Option<(PathBuf, tempfile::TempDir)> {
    Some((bam(name)?, common::temp_dir()))
}

fn run_tool(command: &mut Command) {
    let out = command.output().expect("running a tool");
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Ingests `files` (path, sample) for CYP2D6 through a samplesheet, with
/// `extra` arguments; returns the genotypes by (sample, position).
fn ingest(dir: &Path, files: &[(&Path, &str)], extra: &[&str]) -> HashMap<(String, u32), Genotype> {
    let sheet = dir.join("samples.tsv");
    let mut text = String::from("sample_id\tpath\n");
    for (path, sample) in files {
        text.push_str(&format!("{sample}\t{}\n", path.display()));
    }
    std::fs::write(&sheet, text).unwrap();
    let mut command = common::tailor(dir);
    command
        .args([
            "ingest",
            "-q",
            "--genes",
            "CYP2D6",
            "-o",
            "out",
            "--samplesheet",
        ])
        .arg(&sheet)
        .args(extra);
    common::run_expect(&mut command, 0);
    common::read_genotypes(&dir.join("out/genotypes.parquet"))
}

/// `tailor call --genes CYP2D6` on `input` given with `flag` (`--bam` or
/// `--samplesheet`): the calls.
fn call_cyp2d6(dir: &Path, flag: &str, input: &Path) -> Vec<common::Call> {
    let mut command = common::tailor(dir);
    command
        .args(["call", "-q", "--genes", "CYP2D6", "-o", "calls", flag])
        .arg(input);
    common::run_expect(&mut command, 0);
    common::read_calls(&dir.join("calls/calls.parquet"))
}

/// CYP2D6 definition positions and their REF.
fn cyp2d6_sites() -> Vec<(u32, String)> {
    let definitions = Definitions::embedded().unwrap();
    let gene = definitions.gene("CYP2D6").unwrap();
    let mut sites: Vec<(u32, String)> = gene
        .variants
        .iter()
        .map(|v| (v.position.get(), v.reference.clone()))
        .collect();
    sites.sort();
    sites.dedup_by_key(|s| s.0);
    sites
}

/// The panel genotype of `sample` at every position `panel_cyp2d6_nonref.tsv`
/// lists (absent positions are 0|0), as sorted alleles.
fn panel(shared: &Path, sample: &str) -> HashMap<u32, Vec<String>> {
    let text = std::fs::read_to_string(shared.join("bam/panel_cyp2d6_nonref.tsv")).unwrap();
    let mut out = HashMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f[0] != sample {
            continue;
        }
        let alleles = [f[4], f[5]];
        let mut gt: Vec<String> = f[6]
            .split(['|', '/'])
            .map(|i| alleles[i.parse::<usize>().unwrap()].to_owned())
            .collect();
        gt.sort();
        out.insert(f[2].parse().unwrap(), gt);
    }
    out
}

fn sorted(g: &Genotype) -> Vec<String> {
    let mut a = g.alleles.clone();
    a.sort();
    a
}

#[test]
fn wgs_and_hifi_reads_give_the_panel_genotypes_at_every_cyp2d6_position() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let files = [
        ("stellarpgx/HG03130.bam", "HG03130"),
        ("stellarpgx/NA18505.bam", "NA18505"),
        ("pangu/NA20129_wgs.GRCh38.bam", "NA20129"),
    ];
    let paths: Vec<(PathBuf, &str)> = files
        .iter()
        .map(|(f, s)| (shared.join("bam").join(f), *s))
        .collect();
    let dir = common::temp_dir();
    let refs: Vec<(&Path, &str)> = paths.iter().map(|(p, s)| (p.as_path(), *s)).collect();
    let table = ingest(dir.path(), &refs, &[]);
    for (_, sample) in files {
        let expected = panel(&shared, sample);
        for (pos, reference) in cyp2d6_sites() {
            let row = &table[&(sample.to_owned(), pos)];
            let want = expected
                .get(&pos)
                .cloned()
                .unwrap_or_else(|| vec![reference.clone(), reference.clone()]);
            assert_eq!(
                sorted(row),
                want,
                "{sample} chr22:{pos}: flags {:?}",
                row.flags
            );
        }
    }
}

#[test]
fn sim001_gives_its_five_core_genotypes_and_star17_star29() {
    let Some((path, dir)) = seed("stellarpgx/SIM001.bam") else {
        return;
    };
    let table = ingest(dir.path(), &[(&path, "SIM001")], &[]);
    // StellarPGx README, "Step 3 - Expected output".
    for (pos, want) in [
        (42_126_611, ["G", "G"]),
        (42_127_608, ["C", "T"]),
        (42_127_941, ["A", "A"]),
        (42_129_132, ["C", "T"]),
        (42_129_770, ["A", "G"]),
    ] {
        assert_eq!(
            sorted(&table[&("SIM001".to_owned(), pos)]),
            want,
            "chr22:{pos}"
        );
    }
    let calls = call_cyp2d6(dir.path(), "--bam", &path);
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].sample_id, "SIM001",
        "named by the file stem (no @RG)"
    );
    assert_eq!(calls[0].diplotype, "*17/*29");
}

#[test]
fn exome_like_na19239_reads_the_star15_insertion_and_calls_star15_star17() {
    let Some((path, dir)) = seed("himoon/NA19239.cyp2d6.bam") else {
        return;
    };
    let table = ingest(dir.path(), &[(&path, "NA19239")], &[]);
    let insertion = &table[&("NA19239".to_owned(), 42_130_654)];
    assert_eq!(
        sorted(insertion),
        ["C", "CA"],
        "*15: chr22:42130654 C>CA heterozygous"
    );
    // 40 of 187 reads show T at 42127512, each with linked mismatches at
    // 42127503 and 42127537: reads of another copy, not a heterozygote at
    // 2 copies (the panel has 0|0). The position is missing, flagged.
    let imbalanced = &table[&("NA19239".to_owned(), 42_127_512)];
    assert!(imbalanced.alleles.is_empty());
    assert!(imbalanced.has("allele_imbalance"), "{:?}", imbalanced.flags);
    let calls = call_cyp2d6(dir.path(), "--samplesheet", &dir.path().join("samples.tsv"));
    assert_eq!(calls[0].sample_id, "NA19239");
    assert_eq!(calls[0].diplotype, "*15/*17");
}

#[test]
fn na18945_uncovered_positions_are_missing_not_reference() {
    let Some((path, dir)) = seed("himoon/NA18945.cyp2d6.bam") else {
        return;
    };
    let table = ingest(dir.path(), &[(&path, "NA18945")], &[]);
    let rows: Vec<&Genotype> = table.values().collect();
    let missing: Vec<&&Genotype> = rows.iter().filter(|g| g.alleles.is_empty()).collect();
    // Exome-like: introns and flanks at 0-7 reads (36 positions), and 5
    // at 8-9 reference reads, too few to exclude a heterozygote.
    assert_eq!(missing.len(), 41);
    assert_eq!(missing.iter().filter(|g| g.has("low_depth")).count(), 36);
    assert!(missing
        .iter()
        .all(|g| g.has("low_depth") || g.has("low_genotype_quality")));
    // Every covered position is reference (hemizygous *1 over *5).
    let reference: HashMap<u32, String> = cyp2d6_sites().into_iter().collect();
    for ((_, pos), g) in &table {
        if !g.alleles.is_empty() {
            assert_eq!(
                g.alleles,
                [reference[pos].clone(), reference[pos].clone()],
                "chr22:{pos}"
            );
        }
    }
    assert!(table[&("NA18945".to_owned(), 42_129_887)]
        .alleles
        .is_empty());
}

/// `bam` with its header edited by `edit` (via `samtools reheader`), and
/// indexed unless `index` is false.
fn reheadered(
    dir: &Path,
    bam: &Path,
    name: &str,
    index: bool,
    edit: impl Fn(&str) -> String,
) -> Option<PathBuf> {
    let samtools = samtools()?;
    let header = dir.join(format!("{name}.sam"));
    let text = String::from_utf8(
        Command::new(&samtools)
            .args(["view", "-H"])
            .arg(bam)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    std::fs::write(&header, edit(&text)).unwrap();
    let out = dir.join(format!("{name}.bam"));
    let result = Command::new(&samtools)
        .arg("reheader")
        .arg(&header)
        .arg(bam)
        .output()
        .unwrap();
    assert!(result.status.success());
    std::fs::write(&out, result.stdout).unwrap();
    if index {
        run_tool(Command::new(&samtools).arg("index").arg(&out));
    }
    Some(out)
}

#[test]
fn contig_22_and_chr22_give_the_same_genotypes() {
    let Some((path, dir)) = seed("stellarpgx/SIM001.bam") else {
        return;
    };
    let Some(renamed) = reheadered(dir.path(), &path, "sim22", true, |h| {
        h.replace("SN:chr22", "SN:22")
    }) else {
        return;
    };
    let chr22 = ingest(dir.path(), &[(&path, "SIM001")], &[]);
    let other = common::temp_dir();
    let plain = ingest(other.path(), &[(&renamed, "SIM001")], &[]);
    assert_eq!(chr22.len(), 156);
    for (key, g) in &chr22 {
        assert_eq!(plain[key].alleles, g.alleles, "{key:?}");
        assert_eq!(plain[key].chrom, "chr22");
    }
}

#[test]
fn a_grch37_header_is_exit_3_naming_the_build() {
    let Some((path, dir)) = seed("stellarpgx/SIM001.bam") else {
        return;
    };
    let Some(b37) = reheadered(dir.path(), &path, "b37", true, |h| {
        h.replace("LN:50818468", "LN:51304566")
    }) else {
        return;
    };
    let mut command = common::tailor(dir.path());
    command.args(["ingest", "-o", "out", "--bam"]).arg(&b37);
    let out = common::run_expect(&mut command, 3);
    assert!(
        common::stderr(&out).contains("GRCh37"),
        "{}",
        common::stderr(&out)
    );
    assert!(!dir.path().join("out/genotypes.parquet").exists());
}

#[test]
fn a_bam_without_index_is_exit_3_naming_samtools_index() {
    let Some((path, dir)) = seed("stellarpgx/SIM001.bam") else {
        return;
    };
    let copy = dir.path().join("SIM001.bam");
    std::fs::copy(&path, &copy).unwrap();
    let mut command = common::tailor(dir.path());
    command.args(["ingest", "-o", "out", "--bam"]).arg(&copy);
    let out = common::run_expect(&mut command, 3);
    assert!(
        common::stderr(&out).contains("samtools index"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn a_truncated_or_damaged_bam_is_exit_3_with_no_output() {
    let Some((path, dir)) = seed("stellarpgx/SIM001.bam") else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let index = std::fs::read(path.with_extension("bam.bai")).unwrap();
    // Cut after the CYP2D6 reads, so the definition regions still read.
    let cut = dir.path().join("cut.bam");
    std::fs::write(&cut, &bytes[..bytes.len() * 3 / 4]).unwrap();
    // Bytes flipped inside the compressed records.
    let mut damaged = bytes.clone();
    for i in (5000..damaged.len() - 100).step_by(9973) {
        damaged[i] ^= 0xff;
    }
    let flipped = dir.path().join("flipped.bam");
    std::fs::write(&flipped, &damaged).unwrap();
    // Only the start of the header.
    let header = dir.path().join("header.bam");
    std::fs::write(&header, &bytes[..100]).unwrap();
    for (file, says) in [
        (&cut, "truncated"),
        (&flipped, "cannot be read"),
        (&header, "damaged"),
    ] {
        std::fs::write(file.with_extension("bam.bai"), &index).unwrap();
        let mut command = common::tailor(dir.path());
        command
            .args(["ingest", "--genes", "CYP2D6", "-o", "out", "--bam"])
            .arg(file);
        let out = common::run_expect(&mut command, 3);
        let message = common::stderr(&out);
        assert!(
            message.contains(says) && message.contains(file.to_str().unwrap()),
            "{message}"
        );
        assert!(!dir.path().join("out/genotypes.parquet").exists());
    }
}

#[test]
fn two_samples_in_one_file_is_exit_3() {
    let Some((path, dir)) = seed("stellarpgx/SIM001.bam") else {
        return;
    };
    let Some(two) = reheadered(dir.path(), &path, "two", true, |h| {
        format!("{h}@RG\tID:a\tSM:ONE\n@RG\tID:b\tSM:TWO\n")
    }) else {
        return;
    };
    let sheet = dir.path().join("sheet.csv");
    std::fs::write(&sheet, format!("sample_id,path\nS1,{}\n", two.display())).unwrap();
    let mut command = common::tailor(dir.path());
    command
        .args(["ingest", "-o", "out", "--samplesheet"])
        .arg(&sheet);
    let out = common::run_expect(&mut command, 3);
    let message = common::stderr(&out);
    assert!(message.contains("2 different samples"), "{message}");
    assert!(
        !message.contains("ONE") && !message.contains("TWO"),
        "no sample names: {message}"
    );
}

/// A bgzipped, indexed chr22 FASTA: the embedded CYP2D locus, N elsewhere,
/// at the GRCh38 length.
fn reference_fasta(dir: &Path) -> Option<PathBuf> {
    let samtools = samtools()?;
    let locus = cyp2d_locus::locus().unwrap();
    let mut bases = vec![b'N'; CHR22_LENGTH];
    let start = locus.start as usize - 1;
    bases[start..start + locus.bases.len()].copy_from_slice(&locus.bases);
    let mut text = Vec::with_capacity(CHR22_LENGTH + CHR22_LENGTH / 60 + 16);
    text.extend_from_slice(b">chr22\n");
    for line in bases.chunks(60) {
        text.extend_from_slice(line);
        text.push(b'\n');
    }
    let plain = dir.join("ref.fa");
    std::fs::write(&plain, text).unwrap();
    match Command::new("bgzip").arg("-f").arg(&plain).status() {
        Ok(s) if s.success() => {}
        _ => return common::skip("bgzip is not installed (apt-get install tabix)"),
    }
    let fasta = dir.join("ref.fa.gz");
    run_tool(Command::new(&samtools).arg("faidx").arg(&fasta));
    Some(fasta)
}

#[test]
fn cram_equals_bam_and_without_its_reference_is_exit_3_naming_it() {
    let Some((path, dir)) = seed("stellarpgx/SIM001.bam") else {
        return;
    };
    let Some(fasta) = reference_fasta(dir.path()) else {
        return;
    };
    let Some(samtools) = samtools() else {
        return;
    };
    let cram = dir.path().join("SIM001.cram");
    run_tool(
        Command::new(&samtools)
            .args(["view", "-C", "-T"])
            .arg(&fasta)
            .arg("-o")
            .arg(&cram)
            .arg(&path),
    );
    run_tool(Command::new(&samtools).arg("index").arg(&cram));
    let from_bam = ingest(dir.path(), &[(&path, "SIM001")], &[]);
    let cram_dir = common::temp_dir();
    let from_cram = ingest(
        cram_dir.path(),
        &[(&cram, "SIM001")],
        &["--reference", fasta.to_str().unwrap()],
    );
    assert_eq!(from_cram.len(), from_bam.len());
    for (key, g) in &from_bam {
        assert_eq!(from_cram[key].alleles, g.alleles, "{key:?}");
        assert_eq!(from_cram[key].flags, g.flags, "{key:?}");
    }
    // Without the reference (moved away, so the header's UR is not found).
    std::fs::rename(&fasta, dir.path().join("moved.fa.gz")).unwrap();
    let mut command = common::tailor(dir.path());
    command.args(["ingest", "-o", "nocram", "--bam"]).arg(&cram);
    let out = common::run_expect(&mut command, 3);
    let message = common::stderr(&out);
    assert!(
        message.contains("M5 ") && message.contains("ref.fa.gz") && message.contains("--reference"),
        "{message}"
    );
}

/// `tailor call --genes CYP2D6 --bam file` in `dir` exits 3 with a message
/// containing `says`, and writes neither calls nor copy numbers.
fn call_fails_naming(dir: &Path, file: &Path, says: &str) {
    let mut command = common::tailor(dir);
    command
        .args(["call", "--genes", "CYP2D6", "-o", "out", "--bam"])
        .arg(file);
    let out = common::run_expect(&mut command, 3);
    let message = common::stderr(&out);
    assert!(message.contains(says), "{message}");
    assert!(!dir.join("out/calls.parquet").exists());
    assert!(!dir.join("out/copy_number.parquet").exists());
}

/// The copy-number stage opens files through the same checks as the
/// pileup: a GRCh37 header is an error naming the build, from the library
/// and as exit 3 of `tailor call`, which writes nothing.
#[test]
fn copy_number_of_a_grch37_bam_names_the_build() {
    let Some((path, dir)) = seed("stellarpgx/SIM001.bam") else {
        return;
    };
    let Some(b37) = reheadered(dir.path(), &path, "b37", true, |h| {
        h.replace("LN:50818468", "LN:51304566")
    }) else {
        return;
    };
    let input = tailor_ingest::reads::AlignedInput::new(b37.clone());
    let options = tailor_copy_number::Options::default();
    let error = tailor_copy_number::call(&input, None, &options).unwrap_err();
    assert!(
        matches!(error, tailor_copy_number::Error::Alignment(_)),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("GRCh37") && message.contains("b37.bam") && message.contains("chr22"),
        "{message}"
    );
    call_fails_naming(dir.path(), &b37, "GRCh37");
}

/// Copy number from a CRAM with its reference equals the BAM's, field for
/// field (the source aside); without the reference it is an error naming
/// the reference the CRAM needs, and `tailor call` exits 3 with nothing
/// written.
#[test]
fn copy_number_of_a_cram_equals_the_bam_and_needs_its_reference() {
    let Some((path, dir)) = seed("stellarpgx/SIM001.bam") else {
        return;
    };
    let (Some(fasta), Some(samtools)) = (reference_fasta(dir.path()), samtools()) else {
        return;
    };
    let cram = dir.path().join("SIM001.cram");
    run_tool(
        Command::new(&samtools)
            .args(["view", "-C", "-T"])
            .arg(&fasta)
            .arg("-o")
            .arg(&cram)
            .arg(&path),
    );
    run_tool(Command::new(&samtools).arg("index").arg(&cram));
    let options = tailor_copy_number::Options::default();
    let input = |p: &Path| tailor_ingest::reads::AlignedInput::new(p.to_path_buf());
    let from_bam = tailor_copy_number::call(&input(&path), None, &options).unwrap();
    let mut from_cram = tailor_copy_number::call(&input(&cram), Some(&fasta), &options).unwrap();
    assert_eq!(from_cram.source, cram.display().to_string());
    from_cram.source.clone_from(&from_bam.source);
    assert_eq!(from_cram, from_bam);
    assert_eq!(from_bam.copy_number, Some(2));
    // Without the reference (moved away, so the header's UR is not found).
    std::fs::rename(&fasta, dir.path().join("moved.fa.gz")).unwrap();
    let error = tailor_copy_number::call(&input(&cram), None, &options).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("SIM001.cram")
            && message.contains("ref.fa.gz")
            && message.contains("--reference"),
        "{message}"
    );
    call_fails_naming(dir.path(), &cram, "ref.fa.gz");
}

/// GT of `bcftools call -m` per position, as sorted alleles (`None` for
/// `./.`).
fn bcftools_genotypes(vcf: &str) -> HashMap<u32, Option<Vec<String>>> {
    let mut out = HashMap::new();
    for line in vcf.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let mut alleles = vec![f[3].to_owned()];
        alleles.extend(f[4].split(',').filter(|a| *a != ".").map(str::to_owned));
        let gt = f[9].split(':').next().unwrap();
        let called: Option<Vec<String>> = gt
            .split(['/', '|'])
            .map(|i| i.parse::<usize>().ok().map(|i| alleles[i].clone()))
            .collect();
        out.insert(
            f[1].parse().unwrap(),
            called.map(|mut a| {
                a.sort();
                a
            }),
        );
    }
    out
}

/// bcftools mpileup + call -m on the real WGS BAMs gives tailor's genotype
/// at every SNV definition position. Both count the same reads: MAPQ >= 20,
/// base quality >= 13, no BAQ (tailor has none), orphan reads counted
/// (tailor needs no proper pairs), duplicates, secondary, supplementary
/// and QC-fail reads skipped, overlapping mates once. The one rule: a
/// position tailor writes missing below its minimum depth (8 reads, flag
/// `low_depth`, `low_genotype_quality`) is not compared; bcftools calls those from fewer reads.
#[test]
fn bcftools_mpileup_call_agrees_at_every_snv_definition_position() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let Some(bcftools) = common::bcftools() else {
        return;
    };
    let dir = common::temp_dir();
    let Some(fasta) = reference_fasta(dir.path()) else {
        return;
    };
    let snvs: Vec<(u32, String)> = cyp2d6_sites()
        .into_iter()
        .filter(|(_, r)| r.len() == 1)
        .collect();
    let positions = dir.path().join("positions.tsv");
    let text: String = snvs.iter().map(|(p, _)| format!("chr22\t{p}\n")).collect();
    std::fs::write(&positions, text).unwrap();
    let mut compared = 0;
    for (file, sample) in [
        ("stellarpgx/HG03130.bam", "HG03130"),
        ("stellarpgx/NA18505.bam", "NA18505"),
        ("stellarpgx/SIM001.bam", "SIM001"),
    ] {
        let path = shared.join("bam").join(file);
        let out_dir = common::temp_dir();
        let table = ingest(out_dir.path(), &[(&path, sample)], &[]);
        let pileup = Command::new(&bcftools)
            .args([
                "mpileup", "-B", "-A", "-q", "20", "-Q", "13", "-d", "100000", "-a", "AD,DP",
            ])
            .args(["--ff", "UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY", "-f"])
            .arg(&fasta)
            .arg("-T")
            .arg(&positions)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            pileup.status.success(),
            "{}",
            String::from_utf8_lossy(&pileup.stderr)
        );
        let pileup_file = out_dir.path().join("pileup.bcf");
        std::fs::write(&pileup_file, &pileup.stdout).unwrap();
        let called = Command::new(&bcftools)
            .args(["call", "-m"])
            .arg(&pileup_file)
            .output()
            .unwrap();
        assert!(called.status.success());
        let expected = bcftools_genotypes(&String::from_utf8(called.stdout).unwrap());
        for (pos, _) in &snvs {
            let row = &table[&(sample.to_owned(), *pos)];
            // tailor leaves missing what bcftools calls from too few reads:
            // under 8 reads, or a homozygote from too few reads to exclude
            // a heterozygote.
            if row.has("low_depth") || row.has("low_genotype_quality") {
                continue;
            }
            let theirs = expected.get(pos).cloned().flatten();
            assert_eq!(
                Some(sorted(row)),
                theirs,
                "{sample} chr22:{pos}: tailor flags {:?}",
                row.flags
            );
            compared += 1;
        }
    }
    assert!(compared > 300, "compared {compared} positions");
}

/// A small seeded generator (xorshift64*), so a failing case can be
/// reproduced from its number.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Mutates the uncompressed BAM bytes `raw` (so that htslib's record
/// parser, not BGZF's CRC check, meets the damage): byte flips, a cut, a
/// stretch repeated or zeroed, a field set to extremes. Returns the kind.
fn mutate(raw: &mut Vec<u8>, rng: &mut Rng) -> &'static str {
    let len = raw.len();
    match rng.below(5) {
        0 => {
            for _ in 0..1 + rng.below(20) {
                let i = rng.below(len);
                raw[i] ^= 1 << rng.below(8);
            }
            "bit_flips"
        }
        1 => {
            raw.truncate(rng.below(len));
            "cut"
        }
        2 => {
            let (from, n) = (rng.below(len), 1 + rng.below(400));
            let stretch: Vec<u8> = raw[from..(from + n).min(len)].to_vec();
            let at = rng.below(len);
            raw.splice(at..at, stretch);
            "repeat"
        }
        3 => {
            let from = rng.below(len);
            for b in raw.iter_mut().skip(from).take(1 + rng.below(200)) {
                *b = 0;
            }
            "zeroed"
        }
        _ => {
            let i = rng.below(len.saturating_sub(4));
            let value: [u8; 4] =
                [[0xff; 4], [0x7f, 0xff, 0xff, 0xff], [0; 4], [0x80, 0, 0, 0]][rng.below(4)];
            raw[i..i + 4].copy_from_slice(&value);
            "extreme_int"
        }
    }
}

/// Mutated BAMs from the real seeds never crash the reader: every case
/// exits 0 or 3, by no signal, names the file on exit 3, and leaves no
/// table after a failure. `TAILOR_FUZZ_BAM_CASES` (default 300) sets the
/// count.
#[test]
fn mutated_bams_never_crash_the_reader() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let Some(samtools) = samtools() else {
        return;
    };
    let cases: usize = std::env::var("TAILOR_FUZZ_BAM_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let seeds = [
        "stellarpgx/SIM001.bam",
        "himoon/NA19239.cyp2d6.bam",
        "pangu/NA20129_wgs.GRCh38.bam",
    ];
    let dir = common::temp_dir();
    let raws: Vec<(Vec<u8>, Vec<u8>)> = seeds
        .iter()
        .map(|s| {
            let path = shared.join("bam").join(s);
            let out = Command::new("bgzip")
                .arg("-dc")
                .arg(&path)
                .output()
                .unwrap();
            assert!(out.status.success());
            (
                out.stdout,
                std::fs::read(path.with_extension("bam.bai")).unwrap(),
            )
        })
        .collect();
    let mut rng = Rng(0x7a11_0b4d);
    let mut endings: HashMap<(&str, i32), usize> = HashMap::new();
    for case in 0..cases {
        let (raw, index) = &raws[case % raws.len()];
        let mut raw = raw.clone();
        let kind = mutate(&mut raw, &mut rng);
        let file = dir.path().join(format!("case{case}.bam"));
        // Through a file: piping both ways would fill the pipe and block.
        let plain = dir.path().join(format!("case{case}.raw"));
        std::fs::write(&plain, &raw).unwrap();
        let compressed = Command::new("bgzip")
            .arg("-c")
            .arg(&plain)
            .output()
            .unwrap();
        assert!(compressed.status.success());
        std::fs::write(&file, compressed.stdout).unwrap();
        std::fs::remove_file(&plain).unwrap();
        // Its own index when samtools can build one, else the seed's.
        let indexed = Command::new(&samtools)
            .arg("index")
            .arg(&file)
            .output()
            .unwrap();
        if !indexed.status.success() {
            std::fs::write(file.with_extension("bam.bai"), index).unwrap();
        }
        let out_dir = dir.path().join(format!("out{case}"));
        // Every other case through `tailor call`, which also reads the file
        // for CYP2D6 copy number with its own reader.
        let (stage, table) = if case % 2 == 0 {
            ("ingest", "genotypes.parquet")
        } else {
            ("call", "calls.parquet")
        };
        let output = common::tailor(dir.path())
            .args([stage, "-q", "--genes", "CYP2D6,CYP2C19", "-o"])
            .arg(&out_dir)
            .arg("--bam")
            .arg(&file)
            .output()
            .unwrap();
        let code = output.status.code();
        let message = common::stderr(&output);
        assert!(
            matches!(code, Some(0) | Some(3)),
            "case {case} ({kind}): exit {code:?} (signal or unexpected code): {message}"
        );
        if code == Some(3) {
            assert!(
                message.contains(&format!("case{case}.bam")),
                "case {case} ({kind}): {message}"
            );
            assert!(!out_dir.join(table).exists(), "case {case}: table left");
        }
        *endings.entry((kind, code.unwrap_or(-1))).or_default() += 1;
        std::fs::remove_file(&file).unwrap();
    }
    let mut summary: Vec<_> = endings.into_iter().collect();
    summary.sort();
    eprintln!("mutated BAMs by kind and exit code: {summary:?}");
}
