//! Counts named alleles per gene in a calls table and prints
//! `definitions/frequencies/haplotype_frequencies.tsv` (run by `haplotype_frequencies.sh`).
//!
//! Rows flagged no_call, ambiguous, combination or partial are skipped, as
//! are names that are combinations (`[*6 + *28]`). Each remaining
//! haplotype counts once (a male's single G6PD haplotype once).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use arrow_array::{Array, ListArray, StringArray};
use tailor_schemas::calls as col;

fn strings<'a>(batch: &'a arrow_array::RecordBatch, name: &str) -> &'a StringArray {
    batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("calls table has no column {name}"))
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap_or_else(|| panic!("column {name} is not text"))
}

fn main() {
    let path = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: count_haplotypes calls.parquet"),
    );
    let table = tailor_tables::read_table(&path).expect("reading the calls table");
    table
        .expect_table(&path, col::TABLE)
        .expect("a calls table");
    let skip_flags = [
        col::flags::NO_CALL,
        col::flags::AMBIGUOUS,
        col::flags::COMBINATION,
        col::flags::PARTIAL,
    ];
    // gene -> allele -> (count, function)
    let mut counts: BTreeMap<String, BTreeMap<String, (u64, String)>> = BTreeMap::new();
    let mut skipped: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for batch in &table.batches {
        let gene = strings(batch, col::GENE);
        let h = [
            strings(batch, col::HAPLOTYPE_1),
            strings(batch, col::HAPLOTYPE_2),
        ];
        let f = [
            strings(batch, col::FUNCTION_1),
            strings(batch, col::FUNCTION_2),
        ];
        let flags = batch
            .column_by_name(col::FLAGS)
            .unwrap()
            .as_any()
            .downcast_ref::<ListArray>()
            .unwrap();
        for i in 0..batch.num_rows() {
            let row_flags = flags.value(i);
            let row_flags = row_flags.as_any().downcast_ref::<StringArray>().unwrap();
            let flagged = (0..row_flags.len()).any(|j| skip_flags.contains(&row_flags.value(j)));
            if flagged || h[0].is_null(i) {
                let why = (0..row_flags.len())
                    .map(|j| row_flags.value(j))
                    .filter(|f| skip_flags.contains(f))
                    .collect::<Vec<_>>()
                    .join("+");
                let why = if why.is_empty() {
                    "no haplotype".to_owned()
                } else {
                    why
                };
                *skipped
                    .entry(gene.value(i).to_owned())
                    .or_default()
                    .entry(why)
                    .or_default() += 1;
                continue;
            }
            for k in 0..2 {
                if h[k].is_null(i) {
                    continue;
                }
                let name = h[k].value(i);
                if name.starts_with('[') || name.contains(" + ") {
                    continue;
                }
                let function = if f[k].is_null(i) { "" } else { f[k].value(i) };
                let entry = counts
                    .entry(gene.value(i).to_owned())
                    .or_default()
                    .entry(name.to_owned())
                    .or_insert((0, function.to_owned()));
                entry.0 += 1;
            }
        }
    }
    println!(
        "# Named-allele counts per gene in the 1000 Genomes Project phased panels (3,202 people,"
    );
    println!(
        "# GRCh38), called by tailor's own `call --absent-as-reference`; see NOTICE beside it."
    );
    println!("# Regenerate with stages/simulate/tools/haplotype_frequencies.sh. Rows flagged no_call, ambiguous,");
    println!("# combination or partial are not counted. frequency = count / counted haplotypes of the gene.");
    for (gene, reasons) in &skipped {
        let n: u64 = reasons.values().sum();
        let why: Vec<String> = reasons.iter().map(|(r, c)| format!("{r} {c}")).collect();
        println!("# {gene}: {n} sample rows not counted ({})", why.join(", "));
    }
    println!("gene\tallele\tcount\tfrequency\tfunction");
    for (gene, alleles) in &counts {
        let total: u64 = alleles.values().map(|(c, _)| c).sum();
        let mut rows: Vec<_> = alleles.iter().collect();
        rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(b.0)));
        for (allele, (count, function)) in rows {
            println!(
                "{gene}\t{allele}\t{count}\t{:.6}\t{function}",
                *count as f64 / total as f64
            );
        }
    }
}
