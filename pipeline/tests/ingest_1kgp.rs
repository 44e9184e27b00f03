//! `tailor ingest` over the real 1000 Genomes panels (3,202 samples, 19
//! genes) agrees with `bcftools query` at every definition position.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::process::Command;

use tailor_definitions::Definitions;

/// Per-slot alleles at a position (merged over records) and whether phased.
type Expected = (Vec<Option<String>>, bool);

/// The sample's sequence over the definition's REF span, for a record
/// starting at the definition's position (the rule of the issue: `C>CAT`
/// over `CAT` is `CATAT`; `CAT>C` is `C`).
fn over_span(definition_ref: &str, record_ref: &str, allele: &str) -> String {
    match definition_ref.strip_prefix(record_ref) {
        Some(rest) => format!("{allele}{rest}"),
        None => allele.to_owned(),
    }
}

#[test]
fn genotypes_match_bcftools_query_on_1000_genomes() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    let Some(bcftools) = common::bcftools() else {
        return;
    };
    let files = common::panel_files(&shared);
    assert_eq!(files.len(), 19);
    let dir = common::temp_dir();
    let mut command = common::tailor(dir.path());
    command
        .args(["ingest", "--absent-as-reference", "-q", "-o", "out"])
        .args(&files);
    common::run_expect(&mut command, 0);
    let table = common::read_genotypes(&dir.path().join("out/genotypes.parquet"));

    // Definition positions by contig: pos -> definition REF.
    let definitions = Definitions::embedded().unwrap();
    let mut sites: BTreeMap<String, BTreeMap<u32, String>> = BTreeMap::new();
    for gene in definitions.genes() {
        let extra = definitions.exemptions(&gene.gene).extra_positions;
        for v in gene.variants.iter().chain(extra.iter()) {
            sites
                .entry(gene.chromosome.clone())
                .or_default()
                .insert(v.position.get(), v.reference.clone());
        }
    }
    let regions = dir.path().join("regions.tsv");
    let text: String = sites
        .iter()
        .flat_map(|(chrom, positions)| positions.keys().map(move |p| format!("{chrom}\t{p}\n")))
        .collect();
    std::fs::write(&regions, text).unwrap();

    let mut compared = 0usize;
    let mut with_record = 0usize;
    let mut mismatches = Vec::new();
    for file in &files {
        let samples = Command::new(&bcftools)
            .arg("query")
            .arg("-l")
            .arg(file)
            .output()
            .unwrap();
        let samples: Vec<String> = String::from_utf8(samples.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        let out = Command::new(&bcftools)
            .args(["query", "-R"])
            .arg(&regions)
            .args(["-f", "%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n"])
            .arg(file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // (sample, pos) -> per-slot alleles merged over records at pos.
        let mut expected: HashMap<(usize, u32), Expected> = HashMap::new();
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            let pos: u32 = fields[1].parse().unwrap();
            let Some(definition_ref) = sites.get(fields[0]).and_then(|s| s.get(&pos)) else {
                continue; // a record overlapping a position but starting elsewhere
            };
            let mut alleles = vec![fields[2].to_owned()];
            alleles.extend(fields[3].split(',').map(str::to_owned));
            let alleles: Vec<String> = alleles
                .iter()
                .map(|a| over_span(definition_ref, fields[2], a))
                .collect();
            for (s, gt) in fields[4..].iter().enumerate() {
                let phased = !gt.contains('/');
                let slots: Vec<Option<usize>> =
                    gt.split(['|', '/']).map(|a| a.parse().ok()).collect();
                let entry = expected
                    .entry((s, pos))
                    .or_insert_with(|| (vec![None; slots.len()], phased));
                for (slot, allele) in slots.iter().enumerate() {
                    let allele = allele.map(|a| alleles[a].clone());
                    // Merge split records: a non-reference allele wins.
                    let non_reference = allele.as_deref() != Some(definition_ref.as_str());
                    if allele.is_some() && (entry.0[slot].is_none() || non_reference) {
                        entry.0[slot] = allele;
                    }
                }
            }
        }
        for ((s, pos), (slots, phased)) in expected {
            with_record += 1;
            let row = &table[&(samples[s].clone(), pos)];
            if row.flags.iter().any(|f| f == "conflict") {
                continue; // two records claim one haplotype: deliberately missing
            }
            let alleles: Vec<String> = slots.into_iter().map(Option::unwrap_or_default).collect();
            if row.alleles != alleles || row.phased != phased {
                mismatches.push(format!(
                    "{} {}:{pos}: bcftools {alleles:?} phased={phased}, tailor {:?} phased={}",
                    samples[s],
                    file.display(),
                    row.alleles,
                    row.phased
                ));
            }
            compared += 1;
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {compared} genotypes differ, e.g.:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(10)].join("\n")
    );
    // Every other row is an absent position: reference inside the panel's span.
    let absent = table
        .values()
        .filter(|g| g.flags.iter().any(|f| f == "absent"))
        .count();
    assert_eq!(
        with_record + absent,
        table.len(),
        "rows neither from a record nor absent"
    );
    assert_eq!(
        table.len(),
        3_202 * sites.values().map(BTreeMap::len).sum::<usize>()
    );
    println!("compared {compared} genotypes with bcftools; {absent} absent positions");
    assert!(compared > 900_000, "only {compared} genotypes compared");
}
