//! Issue 11, item 4: CYP2D6 called from a VCF (SNVs alone, no read depth,
//! no outside call) keeps its candidates but gets no phenotype and no
//! activity score, unless `--cyp2d6-phenotype-from-snvs` opts in. From the
//! 1000 Genomes panel, HG01190 (GeT-RM `*68+*4/*5`, a poor metabolizer)
//! reads `*4/*41`, which would be Intermediate.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

fn call_hg01190(vcf: &Path, extra: &[&str]) -> common::Call {
    let dir = common::temp_dir();
    let out = dir.path().join("out");
    let mut command = common::tailor(dir.path());
    command
        .args(["call", "-q", "--genes", "CYP2D6", "-o"])
        .arg(&out)
        .args(extra)
        .arg(vcf);
    common::run_expect(&mut command, 0);
    common::read_calls(&out.join("calls.parquet"))
        .into_iter()
        .find(|c| c.sample_id == "HG01190")
        .unwrap()
}

#[test]
fn cyp2d6_from_snvs_has_no_phenotype_unless_opted_in() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let vcf = shared.join("1kgp-grch38/CYP2D6.vcf.gz");
    let withheld = call_hg01190(&vcf, &[]);
    assert_eq!(withheld.diplotype, "*4/*41");
    assert_eq!(
        withheld.candidates,
        ["*4/*41", "*4/*123", "*4/*138", "*4/*158"]
    );
    assert_eq!(withheld.phenotype, "");
    assert!(withheld.has("snv_only") && withheld.has("phenotype_withheld"));
    let opted_in = call_hg01190(&vcf, &["--cyp2d6-phenotype-from-snvs"]);
    assert_eq!(opted_in.diplotype, "*4/*41");
    assert_eq!(opted_in.phenotype, "Intermediate Metabolizer");
    assert!(opted_in.has("snv_only") && !opted_in.has("phenotype_withheld"));
}
