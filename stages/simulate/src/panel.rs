//! Per gene: the VCF sites (one per definition position) and each named
//! allele as the allele index it carries at every site.
//!
//! A blank definition cell is the reference; an IUPAC cell is resolved to
//! its first non-reference base (A, C, G, T order), so the simulated
//! haplotype carries the variant. Structural-variant alleles (CYP2D6 *5,
//! hybrids) and alleles with a cell that is neither a sequence nor a
//! one-letter IUPAC code are skipped and listed in the summary.

use tailor_definitions::{GeneDefinition, NamedAllele};

use tailor_definitions::GeneFrequencies;

/// Why a named allele of the frequency table is not simulated.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// The definitions flag it structural (copy number, hybrid).
    StructuralVariant,
    /// The definitions of its gene have no allele of that name.
    NotDefined,
    /// A cell at this 1-based position is neither a sequence nor a
    /// one-letter IUPAC code.
    Unrepresentable {
        /// The definition position.
        pos: u32,
    },
}

/// A named allele left out of the simulation, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedAllele {
    /// HGNC symbol.
    pub gene: String,
    /// Named allele.
    pub allele: String,
    /// Why.
    pub reason: SkipReason,
}

/// One VCF record: a definition position and its alleles (REF first).
#[derive(Clone, Debug)]
pub(crate) struct Site {
    /// 1-based position.
    pub pos: u32,
    /// dbSNP id, when the definitions give one.
    pub rsid: Option<String>,
    /// REF, then the ALTs the simulated alleles carry (definition order,
    /// then any IUPAC-resolved base the definitions do not list).
    pub alleles: Vec<String>,
}

/// A named allele the simulation can draw.
#[derive(Clone, Debug)]
pub(crate) struct Haplotype {
    /// Named allele.
    pub name: String,
    /// Function from the frequency table (may be empty).
    pub function: String,
    /// Weight: haplotypes in the source panel.
    pub count: u64,
    /// Allele index at each site.
    pub indices: Vec<u16>,
}

/// One gene ready to simulate.
#[derive(Clone, Debug)]
pub(crate) struct GenePanel {
    /// HGNC symbol.
    pub gene: String,
    /// Contig (`chr10`).
    pub chrom: String,
    /// Sites in coordinate order.
    pub sites: Vec<Site>,
    /// Drawable alleles.
    pub haplotypes: Vec<Haplotype>,
    /// Sum of the haplotypes' counts.
    pub total: u64,
}

fn iupac_bases(code: char) -> Option<&'static str> {
    Some(match code {
        'R' => "AG",
        'Y' => "CT",
        'S' => "CG",
        'W' => "AT",
        'K' => "GT",
        'M' => "AC",
        'B' => "CGT",
        'D' => "AGT",
        'H' => "ACT",
        'V' => "ACG",
        'N' => "ACGT",
        _ => return None,
    })
}

fn is_sequence(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| matches!(b, b'A' | b'C' | b'G' | b'T'))
}

/// The sequence a cell puts on the haplotype, or `None` if it cannot be
/// written as a VCF allele.
fn resolve_cell(cell: Option<&str>, reference: &str) -> Option<String> {
    let Some(cell) = cell else {
        return Some(reference.to_owned());
    };
    if is_sequence(cell) {
        return Some(cell.to_owned());
    }
    let mut chars = cell.chars();
    let (Some(code), None) = (chars.next(), chars.next()) else {
        return None;
    };
    let bases = iupac_bases(code)?;
    bases
        .chars()
        .map(String::from)
        .find(|b| b != reference)
        .or_else(|| Some(reference.to_owned()))
}

fn allele_indices(
    definition: &GeneDefinition,
    named: &NamedAllele,
    sites: &mut [Site],
) -> Result<Vec<u16>, SkipReason> {
    let mut indices = Vec::with_capacity(sites.len());
    for (i, (variant, site)) in definition.variants.iter().zip(sites.iter_mut()).enumerate() {
        let cell = named.alleles.get(i).and_then(|c| c.as_deref());
        let sequence =
            resolve_cell(cell, &variant.reference).ok_or(SkipReason::Unrepresentable {
                pos: variant.position.get(),
            })?;
        let index = match site.alleles.iter().position(|a| *a == sequence) {
            Some(index) => index,
            None => {
                site.alleles.push(sequence);
                site.alleles.len() - 1
            }
        };
        let index = u16::try_from(index).map_err(|_| SkipReason::Unrepresentable {
            pos: variant.position.get(),
        })?;
        indices.push(index);
    }
    Ok(indices)
}

/// Builds a gene's panel from its definitions and frequencies; alleles it
/// cannot simulate are appended to `skipped`. `None` when no allele is left.
pub(crate) fn build_panel(
    definition: &GeneDefinition,
    frequencies: &GeneFrequencies,
    skipped: &mut Vec<SkippedAllele>,
) -> Option<GenePanel> {
    let mut sites: Vec<Site> = definition
        .variants
        .iter()
        .map(|v| Site {
            pos: v.position.get(),
            rsid: v.rsid.clone(),
            alleles: vec![v.reference.clone()],
        })
        .collect();
    let mut haplotypes = Vec::new();
    for entry in &frequencies.alleles {
        let skip = |reason| SkippedAllele {
            gene: definition.gene.clone(),
            allele: entry.allele.clone(),
            reason,
        };
        let Some(named) = definition.named_allele(&entry.allele) else {
            skipped.push(skip(SkipReason::NotDefined));
            continue;
        };
        if named.structural_variant {
            skipped.push(skip(SkipReason::StructuralVariant));
            continue;
        }
        // Resolve on a scratch copy so a skipped allele adds no ALT.
        let mut scratch = sites.clone();
        match allele_indices(definition, named, &mut scratch) {
            Ok(indices) => {
                sites = scratch;
                haplotypes.push(Haplotype {
                    name: entry.allele.clone(),
                    function: entry.function.clone(),
                    count: entry.count,
                    indices,
                });
            }
            Err(reason) => skipped.push(skip(reason)),
        }
    }
    // Order ALTs as the definitions list them, then the rest: remap indices.
    for (s, (site, variant)) in sites.iter_mut().zip(&definition.variants).enumerate() {
        let mut ordered = vec![site.alleles[0].clone()];
        for alt in &variant.alts {
            if site.alleles.contains(alt) && !ordered.contains(alt) {
                ordered.push(alt.clone());
            }
        }
        for allele in &site.alleles {
            if !ordered.contains(allele) {
                ordered.push(allele.clone());
            }
        }
        for haplotype in &mut haplotypes {
            let old = &site.alleles[usize::from(haplotype.indices[s])];
            let new = ordered.iter().position(|a| a == old).unwrap_or(0);
            haplotype.indices[s] = u16::try_from(new).unwrap_or(0);
        }
        site.alleles = ordered;
    }
    let total = haplotypes.iter().map(|h| h.count).sum();
    if haplotypes.is_empty() || total == 0 {
        return None;
    }
    Some(GenePanel {
        gene: definition.gene.clone(),
        chrom: definition.chromosome.clone(),
        sites,
        haplotypes,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_cells() {
        assert_eq!(resolve_cell(None, "C").as_deref(), Some("C"));
        assert_eq!(resolve_cell(Some("CAT"), "C").as_deref(), Some("CAT"));
        assert_eq!(resolve_cell(Some("Y"), "C").as_deref(), Some("T"));
        assert_eq!(resolve_cell(Some("R"), "G").as_deref(), Some("A"));
        assert_eq!(resolve_cell(Some("delA"), "A"), None);
    }

    #[test]
    fn cyp2c19_star2_carries_its_variants() {
        let definitions = tailor_definitions::Definitions::embedded().unwrap();
        let gene = definitions.gene("CYP2C19").unwrap();
        let frequencies = GeneFrequencies {
            gene: "CYP2C19".into(),
            alleles: vec![
                tailor_definitions::AlleleCount {
                    allele: "*2".into(),
                    count: 1,
                    function: "No function".into(),
                },
                tailor_definitions::AlleleCount {
                    allele: "*999".into(),
                    count: 1,
                    function: String::new(),
                },
            ],
        };
        let mut skipped = Vec::new();
        let panel = build_panel(gene, &frequencies, &mut skipped).unwrap();
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].reason, SkipReason::NotDefined);
        let star2 = &panel.haplotypes[0];
        let carried = star2.indices.iter().filter(|&&i| i != 0).count();
        assert_eq!(carried, 4);
    }
}
