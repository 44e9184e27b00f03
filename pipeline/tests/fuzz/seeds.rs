//! The clean inputs cases are derived from: the hand-written VCFs of
//! `tests/data/ingest/` and a small `tailor simulate` cohort, each also as
//! BCF (made by `bcftools`, when installed) and with a tabix index of its
//! clean bgzipped form (made by `tabix`, when installed).

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
/// simulate a cohort.
pub fn load(workspace: &Path, work: &Path, tailor: &Path) -> Vec<Seed> {
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
