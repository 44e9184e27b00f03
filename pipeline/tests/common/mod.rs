//! Helpers shared by the end-to-end tests: the real `tailor` binary run in a
//! fresh temporary directory, the shared reference data, external tools.
//!
//! Tests that need something this machine may lack (the ../shared data,
//! bcftools) print `skipped: <reason>` and return, unless the environment
//! sets `TAILOR_REQUIRE_ALL=1` (as `.ci/run` does), where a missing
//! requirement fails the test.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod join;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Whether missing requirements fail instead of skipping.
pub fn required() -> bool {
    std::env::var("TAILOR_REQUIRE_ALL").as_deref() == Ok("1")
}

/// Skips (returns `None` after printing why) or fails, per [`required`].
pub fn skip<T>(reason: &str) -> Option<T> {
    assert!(
        !required(),
        "required by TAILOR_REQUIRE_ALL=1 but missing: {reason}"
    );
    eprintln!("skipped: {reason}");
    record_skip(reason);
    None
}

/// Appends a skip to `$TAILOR_SKIP_LOG`, which `scripts/test` summarises
/// after the run (cargo test itself has no "skipped" count).
pub fn record_skip(reason: &str) {
    use std::io::Write;
    if let Some(log) = std::env::var_os("TAILOR_SKIP_LOG") {
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(log)
        {
            let _ = writeln!(file, "{reason}");
        }
    }
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The shared reference data (`TAILOR_SHARED_DATA`, default
/// `<workspace>/../shared/data`), or `None` after printing a skip reason.
pub fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        skip(&format!(
            "shared data not found at {} (set TAILOR_SHARED_DATA)",
            dir.display()
        ))
    }
}

/// The 19 bgzipped 1000 Genomes panels under `shared/1kgp-grch38`, sorted.
pub fn panel_files(shared: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("1kgp-grch38"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".vcf.gz"))
        .collect();
    files.sort();
    files
}

/// A hand-written test file under `tests/data/`.
pub fn test_data(name: &str) -> PathBuf {
    workspace().join("tests/data").join(name)
}

/// `bcftools`, if installed (else a skip reason).
pub fn bcftools() -> Option<PathBuf> {
    match Command::new("bcftools").arg("--version").output() {
        Ok(out) if out.status.success() => Some(PathBuf::from("bcftools")),
        _ => skip("bcftools is not installed (apt-get install bcftools)"),
    }
}

/// `samtools`, if installed (else a skip reason).
pub fn samtools() -> Option<PathBuf> {
    match Command::new("samtools").arg("--version").output() {
        Ok(out) if out.status.success() => Some(PathBuf::from("samtools")),
        _ => skip("samtools is not installed (apt-get install samtools)"),
    }
}

/// A command running the real `tailor` binary in `dir`.
pub fn tailor(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tailor"));
    command
        .current_dir(dir)
        .env_remove("TAILOR_TEST_PAUSE_BEFORE_RENAME");
    command
}

/// A fresh temporary directory for one test.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("tailor-test-")
        .tempdir()
        .expect("creating a temporary directory")
}

/// Runs `command`, asserting it exits with `code`; returns its output.
pub fn run_expect(command: &mut Command, code: i32) -> Output {
    let output = command.output().expect("running tailor");
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit code; stderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Writes `text` to `dir/name` and, when `name` ends in `.gz`, compresses
/// it with `bgzip` and indexes it with `bcftools index -t` (returns `None`
/// with a skip when bcftools is missing).
pub fn write_vcf(dir: &Path, name: &str, text: &str) -> Option<PathBuf> {
    let path = dir.join(name);
    match name.strip_suffix(".gz") {
        None => {
            std::fs::write(&path, text).unwrap();
            Some(path)
        }
        Some(plain) => {
            let bcftools = bcftools()?;
            let plain = dir.join(plain);
            std::fs::write(&plain, text).unwrap();
            let status = Command::new(&bcftools)
                .args(["view", "-Oz", "-o"])
                .arg(&path)
                .arg(&plain)
                .status()
                .unwrap();
            assert!(status.success());
            let status = Command::new(&bcftools)
                .args(["index", "-t"])
                .arg(&path)
                .status()
                .unwrap();
            assert!(status.success());
            Some(path)
        }
    }
}

/// One row of a genotypes table, as the tests compare it.
#[derive(Debug, Clone, PartialEq)]
pub struct Genotype {
    /// Called alleles (none when missing, one when haploid).
    pub alleles: Vec<String>,
    /// Ploidy column.
    pub ploidy: u8,
    /// Phased column.
    pub phased: bool,
    /// Phase set column.
    pub phase_set: Option<i64>,
    /// Flags column.
    pub flags: Vec<String>,
    /// Contig column.
    pub chrom: String,
    /// FILTER column.
    pub filter: Option<String>,
}

impl Genotype {
    /// Whether the row carries `flag`.
    pub fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }
}

/// Column `name` of `batch` as an Arrow array of type `T` (panics naming
/// the column when it is absent or of another type).
pub fn column<'a, T: 'static>(batch: &'a arrow_array::RecordBatch, name: &str) -> &'a T {
    batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .as_any()
        .downcast_ref::<T>()
        .unwrap_or_else(|| panic!("column {name} has another type"))
}

/// Reads a genotypes table into (sample, pos) -> row.
pub fn read_genotypes(path: &Path) -> std::collections::HashMap<(String, u32), Genotype> {
    use arrow_array::{
        Array, BooleanArray, Int64Array, ListArray, StringArray, UInt32Array, UInt8Array,
    };
    use tailor_schemas::genotypes as col;
    let table = tailor_tables::read_table(path).unwrap();
    table.expect_table(path, col::TABLE).unwrap();
    let mut rows = std::collections::HashMap::new();
    for batch in &table.batches {
        let sample = column::<StringArray>(batch, col::SAMPLE_ID);
        let chrom = column::<StringArray>(batch, col::CHROM);
        let a1 = column::<StringArray>(batch, col::ALLELE_1);
        let a2 = column::<StringArray>(batch, col::ALLELE_2);
        let filter = column::<StringArray>(batch, col::FILTER);
        let pos = column::<UInt32Array>(batch, col::POS);
        let ploidy = column::<UInt8Array>(batch, col::PLOIDY);
        let phased = column::<BooleanArray>(batch, col::PHASED);
        let phase_set = column::<Int64Array>(batch, col::PHASE_SET);
        let flags = column::<ListArray>(batch, col::FLAGS);
        for i in 0..batch.num_rows() {
            let alleles = [a1, a2]
                .iter()
                .filter(|a| !a.is_null(i))
                .map(|a| a.value(i).to_owned())
                .collect();
            let row_flags = flags.value(i);
            let row_flags = row_flags.as_any().downcast_ref::<StringArray>().unwrap();
            rows.insert(
                (sample.value(i).to_owned(), pos.value(i)),
                Genotype {
                    alleles,
                    ploidy: ploidy.value(i),
                    phased: phased.value(i),
                    phase_set: (!phase_set.is_null(i)).then(|| phase_set.value(i)),
                    flags: (0..row_flags.len())
                        .map(|j| row_flags.value(j).to_owned())
                        .collect(),
                    chrom: chrom.value(i).to_owned(),
                    filter: (!filter.is_null(i)).then(|| filter.value(i).to_owned()),
                },
            );
        }
    }
    rows
}

/// One row of a calls table, as the tests compare it.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Sample.
    pub sample_id: String,
    /// Gene.
    pub gene: String,
    /// Diplotype (empty for a no call).
    pub diplotype: String,
    /// The diplotype's haplotypes (none for a no call).
    pub haplotypes: Vec<String>,
    /// Candidates column.
    pub candidates: Vec<String>,
    /// Haplotype matches column.
    pub haplotype_matches: Vec<String>,
    /// Phenotype (empty when null).
    pub phenotype: String,
    /// Flags column.
    pub flags: Vec<String>,
}

impl Call {
    /// Whether the row carries `flag`.
    pub fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }
}

fn strings(list: &arrow_array::ListArray, i: usize) -> Vec<String> {
    use arrow_array::{Array, StringArray};
    let values = list.value(i);
    let values = values.as_any().downcast_ref::<StringArray>().unwrap();
    (0..values.len())
        .map(|j| values.value(j).to_owned())
        .collect()
}

/// Reads a calls table, in file order.
pub fn read_calls(path: &Path) -> Vec<Call> {
    use arrow_array::{Array, ListArray, StringArray};
    use tailor_schemas::calls as col;
    let table = tailor_tables::read_table(path).unwrap();
    table.expect_table(path, col::TABLE).unwrap();
    let mut rows = Vec::new();
    for batch in &table.batches {
        let text = |name: &str, i: usize| {
            let a = column::<StringArray>(batch, name);
            if a.is_null(i) {
                String::new()
            } else {
                a.value(i).to_owned()
            }
        };
        let list = |name: &str, i: usize| strings(column::<ListArray>(batch, name), i);
        for i in 0..batch.num_rows() {
            rows.push(Call {
                sample_id: text(col::SAMPLE_ID, i),
                gene: text(col::GENE, i),
                diplotype: text(col::DIPLOTYPE, i),
                haplotypes: [col::HAPLOTYPE_1, col::HAPLOTYPE_2]
                    .iter()
                    .map(|c| text(c, i))
                    .filter(|h| !h.is_empty())
                    .collect(),
                candidates: list(col::CANDIDATES, i),
                haplotype_matches: list(col::HAPLOTYPE_MATCHES, i),
                phenotype: text(col::PHENOTYPE, i),
                flags: list(col::FLAGS, i),
            });
        }
    }
    rows
}

/// Copies `ingest/phased_ps.vcf` to `dir/in.vcf`, starts `tailor ingest -o
/// out in.vcf` with the writer's test pause (it stops when the table is
/// complete under its temporary name, just before the rename) and kills it
/// with SIGKILL there. Returns the killed process's id.
pub fn kill_ingest_mid_write(dir: &Path) -> u32 {
    std::fs::copy(test_data("ingest/phased_ps.vcf"), dir.join("in.vcf")).unwrap();
    kill_when_paused(
        tailor(dir).args(["ingest", "-q", "-o", "out", "in.vcf"]),
        &dir.join("paused"),
    )
}

/// Starts `command` with the tables' pause hook writing `marker`, waits
/// until a table write pauses before its rename, kills the process with
/// SIGKILL and returns its id.
pub fn kill_when_paused(command: &mut Command, marker: &Path) -> u32 {
    use std::time::{Duration, Instant};
    let mut child = command
        .env("TAILOR_TEST_PAUSE_BEFORE_RENAME", marker)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !marker.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "writer never paused"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!("tailor exited before pausing: {status}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let killed = child.id();
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    std::fs::remove_file(marker).unwrap();
    killed
}
