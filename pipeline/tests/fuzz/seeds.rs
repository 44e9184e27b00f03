//! The clean inputs cases are derived from: the hand-written VCFs of
//! `tests/data/ingest/`, real files read in place from the shared data
//! when present (PharmCAT's example and a few of its fixtures, a slice of
//! the 1000 Genomes CYP2C19 panel: 6 samples, the records at PharmCAT's
//! positions and every 50th other) and a small `tailor simulate` cohort
//! (last), each also as BCF (made by `bcftools`, when installed) and with
//! a tabix index of its clean bgzipped form (made by `tabix`).

use std::io::Read;
use std::path::Path;
use std::process::Command;

use super::bgzf;

/// One clean input.
#[derive(Debug)]
pub struct Seed {
    /// Where it came from.
    pub name: String,
    /// The VCF text.
    pub text: Vec<u8>,
    /// The same records as uncompressed BCF.
    pub bcf: Option<Vec<u8>>,
    /// A tabix index of `bgzf::compress(text)`.
    pub index: Option<Vec<u8>>,
}

/// Whether `tool` runs.
pub fn has_tool(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Loads every seed, using `work` for scratch files and `tailor` to
/// simulate a cohort; `shared` is the shared reference data, if present.
pub fn load(workspace: &Path, shared: Option<&Path>, work: &Path, tailor: &Path) -> Vec<Seed> {
    let mut texts: Vec<(String, Vec<u8>)> = Vec::new();
    for folder in ["tests/data/ingest", "tests/data/ingest/defects"] {
        let mut paths: Vec<_> = std::fs::read_dir(workspace.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "vcf"))
            .collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            texts.push((name, std::fs::read(&path).unwrap()));
        }
    }
    if let Some(shared) = shared {
        texts.extend(shared_seeds(shared));
    }
    let simulated = work.join("simulated");
    let status = Command::new(tailor)
        .args(["simulate", "-q", "--samples", "4", "--seed", "11", "-o"])
        .arg(&simulated)
        .status()
        .unwrap();
    assert!(status.success(), "tailor simulate failed");
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(
        std::fs::File::open(simulated.join("cohort.vcf.gz")).unwrap(),
    )
    .read_to_end(&mut text)
    .unwrap();
    texts.push(("simulated.vcf".into(), text));
    let bcftools = has_tool("bcftools");
    let tabix = has_tool("tabix");
    texts
        .into_iter()
        .enumerate()
        .map(|(i, (name, text))| {
            let vcf = work.join(format!("seed{i}.vcf"));
            std::fs::write(&vcf, &text).unwrap();
            let bcf = bcftools
                .then(|| to_bcf(&vcf, &work.join(format!("seed{i}.bcf"))))
                .flatten();
            let index = tabix
                .then(|| index(&text, &work.join(format!("seed{i}.vcf.gz"))))
                .flatten();
            Seed {
                name,
                text,
                bcf,
                index,
            }
        })
        .collect()
}

/// Real files from the shared data: PharmCAT's example VCF, a few of its
/// fixtures, and a slice of a 1000 Genomes panel.
fn shared_seeds(shared: &Path) -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    let pharmcat = shared.join("pharmcat");
    for name in [
        "examples/pharmcat.example.vcf",
        "fixtures/vcf/CYP2C19/s4bs17rs28399504missing.vcf",
        "fixtures/vcf/CYP3A5/haplotyper.vcf",
    ] {
        if let Ok(text) = std::fs::read(pharmcat.join(name)) {
            seeds.push((name.replace('/', "_"), text));
        }
    }
    let positions: std::collections::HashSet<Vec<u8>> =
        std::fs::read(pharmcat.join("pharmcat_positions.vcf"))
            .unwrap_or_default()
            .split(|b| *b == b'\n')
            .filter(|l| !l.starts_with(b"#"))
            .map(|l| {
                l.split(|b| *b == b'\t')
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(&b'\t')
            })
            .collect();
    let Ok(file) = std::fs::File::open(shared.join("1kgp-grch38/CYP2C19.vcf.gz")) else {
        return seeds;
    };
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(file)
        .read_to_end(&mut text)
        .unwrap();
    let mut slice = Vec::new();
    let mut others = 0;
    for line in text.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let keep = if line.starts_with(b"#") {
            true
        } else {
            let key: Vec<u8> = line
                .split(|b| *b == b'\t')
                .take(2)
                .collect::<Vec<_>>()
                .join(&b'\t');
            others += 1;
            positions.contains(&key) || others % 50 == 0
        };
        if keep {
            let columns: Vec<&[u8]> = line.split(|b| *b == b'\t').take(15).collect();
            slice.extend_from_slice(&columns.join(&b'\t'));
            slice.push(b'\n');
        }
    }
    seeds.push(("1kgp_CYP2C19_slice.vcf".into(), slice));
    seeds
}

/// `vcf` as uncompressed BCF, if bcftools can convert it.
fn to_bcf(vcf: &Path, bcf: &Path) -> Option<Vec<u8>> {
    let output = Command::new("bcftools")
        .args(["view", "--no-version", "-Ou", "-o"])
        .arg(bcf)
        .arg(vcf)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| std::fs::read(bcf).ok())
        .flatten()
}

/// The tabix index of `text` bgzipped at `path`, if tabix can make one.
fn index(text: &[u8], path: &Path) -> Option<Vec<u8>> {
    std::fs::write(path, bgzf::compress(text)).ok()?;
    let output = Command::new("tabix")
        .args(["-f", "-p", "vcf"])
        .arg(path)
        .output()
        .ok()?;
    let mut tbi = path.as_os_str().to_owned();
    tbi.push(".tbi");
    output
        .status
        .success()
        .then(|| std::fs::read(&tbi).ok())
        .flatten()
}
