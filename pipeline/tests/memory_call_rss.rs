//! Flat memory of `tailor call` on a VCF, htslib included (issue 10):
//! htslib allocates with `malloc`, outside the counting allocator of
//! `memory_load.rs`, and its header holds every sample name in each open
//! reader's dictionary unless released. This runs the real binary (`--threads 2`, so two
//! readers may be open) on bgzipped, indexed cohorts of 20,000 and 100,000
//! samples, with a record at two definition positions of each of three
//! genes (two on chr10, G6PD on chrX, every sample's sex given), and reads
//! each run's peak RSS from `wait4`: the peak may grow by at most
//! [`BOUND`] bytes per added sample. At these sizes most of the growth is
//! the calls table's Parquet row group in progress (up to 2^20 rows, so it
//! stops growing in a cohort of 20 genes beyond about 52,000 people).
//! Nothing here is timed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Bytes of peak RSS per added sample. Measured on these cohorts: 899
/// to 1,007 (four runs) once the pooled readers' headers release their
/// sample names and the call writer keeps a byte per sample and gene;
/// 1,090 to 1,140 before that (one header per open reader, one `--sex`
/// map shared by both stages, one copy of the sample names), and 1,665
/// with two headers per reader, two maps and three copies, which this
/// bound catches. The bound leaves about 20% over the highest run: the
/// peak depends on when the two threads' blocks coincide (a spread of
/// 108 bytes per sample over four runs), and a bound that fails by chance
/// would teach nothing.
const BOUND: u64 = 1_200;

/// Records: (chrom, 1-based position, REF, ALT), at definition positions
/// of CYP2C19, CYP2C9 and G6PD.
const RECORDS: [(&str, u32, &str, &str); 6] = [
    ("chr10", 94_761_900, "C", "T"),
    ("chr10", 94_781_859, "G", "A"),
    ("chr10", 94_942_290, "C", "T"),
    ("chr10", 94_981_296, "A", "C"),
    ("chrX", 154_532_046, "A", "C"),
    ("chrX", 154_532_082, "G", "A"),
];

/// Writes a cohort of `samples` people into `dir` (bgzipped and indexed
/// with `tabix`, which the caller checked) and its sex file; returns the
/// VCF's path.
fn cohort(dir: &Path, samples: usize) -> PathBuf {
    let mut text = String::from(
        "##fileformat=VCFv4.2\n\
         ##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n\
         ##contig=<ID=chr10,length=133797422>\n\
         ##contig=<ID=chrX,length=156040895>\n\
         #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT",
    );
    let mut sex = String::from("sample\tsex\n");
    for s in 0..samples {
        write!(text, "\tS{s:07}").unwrap();
        let value = if s % 2 == 0 { "female" } else { "male" };
        writeln!(sex, "S{s:07}\t{value}").unwrap();
    }
    text.push('\n');
    for (k, (chrom, pos, reference, alternate)) in RECORDS.iter().enumerate() {
        write!(
            text,
            "{chrom}\t{pos}\t.\t{reference}\t{alternate}\t.\tPASS\t.\tGT"
        )
        .unwrap();
        for s in 0..samples {
            text.push_str(["\t0/0", "\t0/1", "\t1/1"][(s + k) % 3]);
        }
        text.push('\n');
    }
    let plain = dir.join("cohort.vcf");
    std::fs::write(&plain, text).unwrap();
    std::fs::write(dir.join("sex.tsv"), sex).unwrap();
    assert!(Command::new("bgzip")
        .arg("-f")
        .arg(&plain)
        .status()
        .unwrap()
        .success());
    let vcf = dir.join("cohort.vcf.gz");
    assert!(Command::new("tabix")
        .args(["-f", "-p", "vcf"])
        .arg(&vcf)
        .status()
        .unwrap()
        .success());
    vcf
}

/// Runs `command` to its end and returns its peak RSS in bytes, as the
/// kernel counted it for this child alone (`wait4`).
// `wait4` reaps the child, which `Child` cannot know.
#[allow(clippy::zombie_processes)]
fn peak_rss(command: &mut Command) -> u64 {
    let child = command.stdout(Stdio::null()).spawn().unwrap();
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: `rusage` is plain data, valid when zeroed.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child (never waited for by `child`, which
    // is dropped without waiting); both out-pointers are valid.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "tailor call failed: status {status}"
    );
    // Linux counts `ru_maxrss` in kilobytes.
    u64::try_from(usage.ru_maxrss).unwrap() * 1024
}

#[test]
fn call_on_a_vcf_peak_rss_grows_by_at_most_1200_bytes_per_sample() {
    let tools = ["bgzip", "tabix"]
        .iter()
        .all(|tool| Command::new(tool).arg("--version").output().is_ok());
    if !tools {
        common::skip::<()>("bgzip/tabix are not installed (apt-get install tabix)");
        return;
    }
    let dir = common::temp_dir();
    let sizes = [20_000u64, 100_000];
    let mut peaks = Vec::new();
    for samples in sizes {
        let folder = dir.path().join(format!("n{samples}"));
        std::fs::create_dir(&folder).unwrap();
        let vcf = cohort(&folder, usize::try_from(samples).unwrap());
        let mut call = common::tailor(&folder);
        call.args([
            "call",
            "-q",
            "--threads",
            "2",
            "--genes",
            "CYP2C19,CYP2C9,G6PD",
            "--sex",
        ])
        .arg(folder.join("sex.tsv"))
        .arg("-o")
        .arg(folder.join("out"))
        .arg(&vcf);
        let peak = peak_rss(&mut call);
        eprintln!("{samples} samples: peak RSS {peak} bytes");
        assert!(folder.join("out/calls.parquet").is_file());
        peaks.push(peak);
    }
    let growth = peaks[1].saturating_sub(peaks[0]) / (sizes[1] - sizes[0]);
    eprintln!("growth: {growth} bytes per added sample");
    assert!(growth <= BOUND, "{growth} bytes per added sample");
}
