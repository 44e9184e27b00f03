//! Writes an unphased VCF with one sample for every pair of one gene's
//! named alleles (homozygous pairs included), from the embedded definitions:
//! the input of `benches/compare/unphased_cyp2d6.sh`.
//!
//! ```text
//! cargo run --workspace --release --example allele_pairs_vcf -- CYP2D6 pairs.vcf
//! ```
//!
//! Sample `S<i>_<j>` carries named alleles `i` and `j` (definition order) as
//! `0/1`-style unphased genotypes at every definition position. A blank
//! definition cell is the reference; an IUPAC cell (`R`) is written as the
//! first base it stands for that the position documents, the reference
//! when it can be. Structural alleles are written by their SNV cells only.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use tailor_definitions::{Definitions, GeneDefinition};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [gene, output] = args.as_slice() else {
        eprintln!("usage: allele_pairs_vcf GENE OUT.vcf");
        return ExitCode::from(2);
    };
    match write(gene, output) {
        Ok(samples) => {
            eprintln!("allele_pairs_vcf: {output}: {samples} samples ({gene})");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("allele_pairs_vcf: {message}");
            ExitCode::from(3)
        }
    }
}

/// Writes the VCF; returns the number of samples.
fn write(gene: &str, output: &str) -> Result<usize, String> {
    let definitions = Definitions::embedded().map_err(|e| format!("definitions: {e}"))?;
    let definition = definitions
        .gene(gene)
        .ok_or_else(|| format!("{gene}: not in the embedded definitions"))?;
    let columns = allele_columns(definition);
    let n = definition.named_alleles.len();
    let pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| (i..n).map(move |j| (i, j))).collect();
    let file = File::create(output).map_err(|e| format!("{output}: {e}"))?;
    let mut out = BufWriter::new(file);
    let io = |e: std::io::Error| format!("{output}: {e}");
    writeln!(out, "##fileformat=VCFv4.2").map_err(io)?;
    writeln!(out, "##contig=<ID={}>", definition.chromosome).map_err(io)?;
    writeln!(
        out,
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">"
    )
    .map_err(io)?;
    write!(out, "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT").map_err(io)?;
    for &(i, j) in &pairs {
        write!(out, "\tS{i}_{j}").map_err(io)?;
    }
    writeln!(out).map_err(io)?;
    let mut order: Vec<usize> = (0..definition.variants.len()).collect();
    order.sort_by_key(|&v| definition.variants[v].position);
    for v in order {
        let variant = &definition.variants[v];
        let (alts, indices) = &columns[v];
        let alt = if alts.is_empty() {
            ".".to_owned()
        } else {
            alts.join(",")
        };
        write!(
            out,
            "{}\t{}\t{}\t{}\t{alt}\t.\tPASS\t.\tGT",
            definition.chromosome,
            variant.position,
            variant.rsid.as_deref().unwrap_or("."),
            variant.reference
        )
        .map_err(io)?;
        for &(i, j) in &pairs {
            write!(out, "\t{}/{}", indices[i], indices[j]).map_err(io)?;
        }
        writeln!(out).map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(pairs.len())
}

/// Per variant: the ALT alleles (documented ones, then any other a named
/// allele uses) and each named allele's GT index there.
fn allele_columns(definition: &GeneDefinition) -> Vec<(Vec<String>, Vec<usize>)> {
    definition
        .variants
        .iter()
        .enumerate()
        .map(|(v, variant)| {
            let mut alleles = vec![variant.reference.clone()];
            alleles.extend(variant.alts.iter().cloned());
            let mut indices = Vec::with_capacity(definition.named_alleles.len());
            for named in &definition.named_alleles {
                let cell = named.alleles.get(v).cloned().flatten();
                let allele = match cell {
                    None => variant.reference.clone(),
                    Some(code) => resolve(&code, &alleles),
                };
                let index = match alleles.iter().position(|a| *a == allele) {
                    Some(i) => i,
                    None => {
                        alleles.push(allele);
                        alleles.len() - 1
                    }
                };
                indices.push(index);
            }
            (alleles.split_off(1), indices)
        })
        .collect()
}

/// An IUPAC code's first base among `alleles` (reference first); any other
/// cell as it is.
fn resolve(code: &str, alleles: &[String]) -> String {
    let bases = match code {
        "R" => "AG",
        "Y" => "CT",
        "S" => "GC",
        "W" => "AT",
        "K" => "GT",
        "M" => "AC",
        "B" => "CGT",
        "D" => "AGT",
        "H" => "ACT",
        "V" => "ACG",
        "N" => "ACGT",
        _ => return code.to_owned(),
    };
    alleles
        .iter()
        .find(|a| a.len() == 1 && bases.contains(a.as_str()))
        .cloned()
        .unwrap_or_else(|| bases[..1].to_owned())
}
