//! The truth written beside the simulated reads: each sample's diplotypes
//! with CYP2D6 structure, and the true alleles at every definition
//! position.

use std::io::Write;

use crate::cohort::{Person, HAPLOID};
use crate::panel::GenePanel;
use crate::reads::locus::gene_copies;
use crate::reads::sample::{Cyp2d6Panel, SampleDraw};
use crate::reads::structure::Cyp2d6Structure;

/// Header of `truth.tsv` in the reads directory.
pub const TRUTH_HEADER: &str = "sample_id\tgene\thaplotype_1\thaplotype_2\tdiplotype\tcopy_number\thybrid\tduplicated_allele\tcoverage";

/// Header of `truth_genotypes.tsv`.
pub const GENOTYPES_HEADER: &str = "sample_id\tgene\tchrom\tpos\tref\talleles\tcopies";

/// The leading number of a star allele name (`*36+*10` -> 36), for ordering.
fn star_number(name: &str) -> u32 {
    name.trim_start_matches('*')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(u32::MAX)
}

/// The chromosome names of one gene, ordered by star number.
fn ordered(mut names: Vec<String>) -> Vec<String> {
    names.sort_by_key(|n| star_number(n));
    names
}

/// The allele of a position a deletion on the haplotype removed (VCF's
/// spanning-deletion allele).
const DELETED: &str = "*";

/// Whether an earlier position's allele on this haplotype (`indices`)
/// deletes position `s`: reads carry the deletion right after its first
/// base, so the base at `s` is not on the haplotype.
fn deleted(panel: &GenePanel, indices: &[u16], s: usize) -> bool {
    let position = panel.sites[s].pos;
    panel.sites[..s].iter().zip(indices).any(|(site, &index)| {
        let reference = site.alleles[0].len() as u32;
        let allele = site.alleles[usize::from(index)].len() as u32;
        index != 0
            && allele < reference
            && site.pos < position
            && position <= site.pos + reference - allele
    })
}

/// One sample's truth: the people's draws and the panels they index.
pub(crate) struct SampleTruth<'a> {
    /// The person.
    pub person: &'a Person,
    /// Their CYP2D6 structures and coverage kind.
    pub draw: &'a SampleDraw,
    /// The gene panels.
    pub panels: &'a [GenePanel],
    /// Where CYP2D6 is among them.
    pub cyp2d6: Option<Cyp2d6Panel>,
}

/// Writes one sample's `truth.tsv` rows.
pub(crate) fn write_truth_rows(
    out: &mut dyn Write,
    truth: &SampleTruth<'_>,
) -> std::io::Result<()> {
    let SampleTruth {
        person,
        draw,
        panels,
        cyp2d6,
    } = *truth;
    let coverage = if draw.exome { "exome" } else { "wgs" };
    for (g, panel) in panels.iter().enumerate() {
        let name = |h: u16| panel.haplotypes[usize::from(h)].name.clone();
        let drawn = person.haplotypes[g];
        let is_cyp2d6 = cyp2d6.map(|c| c.panel) == Some(g);
        let (names, copies, hybrid, duplicated) = if is_cyp2d6 {
            let mut hybrids = Vec::new();
            let mut duplicated = Vec::new();
            let names = (0..2)
                .map(|copy| {
                    let structure = draw.structures[copy];
                    if let Some(kind) = structure.hybrid() {
                        hybrids.push(kind.as_str());
                    }
                    if let Cyp2d6Structure::Duplication(_) = structure {
                        duplicated.push(name(drawn[copy]));
                    }
                    structure.name(&name(drawn[copy]))
                })
                .collect();
            let copies: u8 = draw.structures.iter().map(|s| s.copies()).sum();
            (names, copies, hybrids.join(","), duplicated.join(","))
        } else {
            let names: Vec<String> = drawn
                .iter()
                .filter(|&&h| h != HAPLOID)
                .map(|&h| name(h))
                .collect();
            let copies = names.len() as u8;
            (names, copies, String::new(), String::new())
        };
        let names = if is_cyp2d6 { ordered(names) } else { names };
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{copies}\t{hybrid}\t{duplicated}\t{coverage}",
            person.sample_id,
            panel.gene,
            names[0],
            names.get(1).map_or("", String::as_str),
            names.join("/"),
        )?;
    }
    Ok(())
}

/// Writes one sample's `truth_genotypes.tsv` rows: at every definition
/// position, the allele of each gene copy that carries the position
/// (`/`-separated; `.` for none).
pub(crate) fn write_genotype_rows(
    out: &mut dyn Write,
    truth: &SampleTruth<'_>,
) -> std::io::Result<()> {
    let (person, draw, cyp2d6) = (truth.person, truth.draw, truth.cyp2d6);
    let mut alleles: Vec<&str> = Vec::new();
    for (g, panel) in truth.panels.iter().enumerate() {
        let drawn = person.haplotypes[g];
        let cyp2d6 = cyp2d6.filter(|c| c.panel == g);
        for (s, site) in panel.sites.iter().enumerate() {
            alleles.clear();
            let allele_of = |h: u16| {
                let indices = &panel.haplotypes[usize::from(h)].indices;
                if deleted(panel, indices, s) {
                    return DELETED;
                }
                site.alleles[usize::from(indices[s])].as_str()
            };
            match cyp2d6 {
                Some(c) => {
                    for (&structure, &haplotype) in draw.structures.iter().zip(&drawn) {
                        let carried = c.allele(structure, haplotype);
                        for gene_copy in gene_copies(structure) {
                            if gene_copy.span.0 <= site.pos && site.pos <= gene_copy.span.1 {
                                alleles.push(if gene_copy.edited {
                                    allele_of(carried)
                                } else {
                                    site.alleles[0].as_str()
                                });
                            }
                        }
                    }
                }
                None => alleles.extend(
                    drawn
                        .iter()
                        .filter(|&&h| h != HAPLOID)
                        .map(|&h| allele_of(h)),
                ),
            }
            let joined = if alleles.is_empty() {
                ".".to_owned()
            } else {
                alleles.join("/")
            };
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{joined}\t{}",
                person.sample_id,
                panel.gene,
                panel.chrom,
                site.pos,
                site.alleles[0],
                alleles.len()
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deletion_removes_the_positions_after_its_first_base() {
        let site = |pos: u32, alleles: [&str; 2]| crate::panel::Site {
            pos,
            rsid: None,
            alleles: alleles.iter().map(|a| (*a).to_owned()).collect(),
        };
        let panel = GenePanel {
            gene: "G6PD".into(),
            chrom: "chrX".into(),
            sites: vec![
                site(100, ["CAGT", "C"]),
                site(102, ["G", "A"]),
                site(104, ["T", "A"]),
            ],
            haplotypes: Vec::new(),
            total: 0,
        };
        assert!(deleted(&panel, &[1, 0, 0], 1));
        assert!(!deleted(&panel, &[1, 0, 0], 2));
        assert!(!deleted(&panel, &[0, 1, 0], 1));
    }

    #[test]
    fn orders_by_star_number() {
        let names = ordered(vec!["*36+*10".into(), "*5".into()]);
        assert_eq!(names, ["*5", "*36+*10"]);
        assert_eq!(star_number("*1x2"), 1);
    }
}
