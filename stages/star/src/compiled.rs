//! A gene's definitions compiled once for matching.

use tailor_definitions::{GeneDefinition, GeneExemptions, VariantDefinition};

use crate::iupac;
use crate::match_data::{marshall, Haplotype, Prepare};
use crate::name_order::compare_haplotype_names;

/// Genes whose undocumented alleles PharmCAT reads as reference.
const UNDOCUMENTED_AS_REFERENCE: [&str; 6] = ["CACNA1S", "DPYD", "G6PD", "NUDT15", "RYR1", "TPMT"];
/// Genes called by PharmCAT's lowest-function path.
const LOWEST_FUNCTION: [&str; 2] = ["DPYD", "RYR1"];

/// A named allele as the matcher uses it.
#[derive(Clone, Debug)]
pub(crate) struct DefinedAllele {
    pub name: String,
    pub id: String,
    pub reference: bool,
    /// Aligned with [`CompiledGene::variants`]; `None` is a blank cell.
    pub cells: Vec<Option<String>>,
}

/// One gene's definitions, compiled once and shared by every sample.
#[derive(Clone, Debug)]
pub struct CompiledGene {
    pub(crate) gene: String,
    pub(crate) chromosome: String,
    pub(crate) variants: Vec<VariantDefinition>,
    /// Callable named alleles in PharmCAT's order (reference first).
    pub(crate) alleles: Vec<DefinedAllele>,
    pub(crate) reference: usize,
    pub(crate) exemptions: GeneExemptions,
    pub(crate) required: Vec<usize>,
    pub(crate) suballeles: Vec<(String, String)>,
    pub(crate) undocumented_as_reference: bool,
    pub(crate) lowest_function: bool,
    pub(crate) unphased_priority_mode: bool,
    /// Haplotypes over every position: [blank cells kept, blank cells filled].
    full: [Vec<Haplotype>; 2],
}

impl CompiledGene {
    /// Compiles `definition` with its `exemptions`.
    ///
    /// `builtin_unphased_priorities` says whether PharmCAT's built-in
    /// exemptions give this gene unphased priorities: PharmCAT skips the
    /// top-candidate cut for such a gene when it is not effectively phased,
    /// whatever exemptions are loaded. Returns `None` when the gene has no
    /// reference allele (nothing can be matched).
    pub fn new(
        definition: &GeneDefinition,
        exemptions: &GeneExemptions,
        builtin_unphased_priorities: bool,
    ) -> Option<Self> {
        let mut alleles: Vec<DefinedAllele> = definition
            .named_alleles
            .iter()
            .filter(|a| !a.hidden_core && !a.structural_variant)
            .filter(|a| !exemptions.ignores_allele(&a.name))
            .map(|a| DefinedAllele {
                name: a.name.clone(),
                id: a.id.clone().unwrap_or_default(),
                reference: a.reference,
                cells: (0..definition.variants.len())
                    .map(|i| a.alleles.get(i).cloned().flatten())
                    .collect(),
            })
            .collect();
        alleles.sort_by(|a, b| {
            b.reference
                .cmp(&a.reference)
                .then_with(|| compare_haplotype_names(&a.name, &b.name))
                .then_with(|| a.id.cmp(&b.id))
        });
        let reference = alleles.iter().position(|a| a.reference)?;
        let required = definition
            .variants
            .iter()
            .enumerate()
            .filter(|(_, v)| exemptions.required_positions.contains(&v.position))
            .map(|(i, _)| i)
            .collect();
        let gene = definition.gene.as_str();
        let mut compiled = Self {
            gene: definition.gene.clone(),
            chromosome: definition.chromosome.clone(),
            variants: definition.variants.clone(),
            alleles,
            reference,
            exemptions: exemptions.clone(),
            required,
            suballeles: definition.suballeles.clone(),
            undocumented_as_reference: UNDOCUMENTED_AS_REFERENCE.contains(&gene),
            lowest_function: LOWEST_FUNCTION.contains(&gene),
            unphased_priority_mode: builtin_unphased_priorities,
            full: [Vec::new(), Vec::new()],
        };
        let all: Vec<usize> = (0..compiled.variants.len()).collect();
        for (slot, assume_reference) in [(0, false), (1, true)] {
            let prepare = Prepare {
                assume_reference,
                find_combinations: false,
                undocumented_as_reference: false,
                exclude: &[],
                expand: false,
            };
            compiled.full[slot] = marshall(&compiled, &all, false, prepare);
        }
        Some(compiled)
    }

    /// The haplotypes over every position (cells filled from the reference
    /// when `assume_reference`).
    pub(crate) fn full_haplotypes(&self, assume_reference: bool) -> &[Haplotype] {
        &self.full[usize::from(assume_reference)]
    }

    /// HGNC symbol.
    pub fn gene(&self) -> &str {
        &self.gene
    }

    /// Contig of the definitions.
    pub fn chromosome(&self) -> &str {
        &self.chromosome
    }

    /// Definition positions, in the order the matcher expects its input.
    pub fn variants(&self) -> &[VariantDefinition] {
        &self.variants
    }

    /// Whether `allele` is neither the reference nor a listed alternate.
    pub(crate) fn is_undocumented(&self, index: usize, allele: &str) -> bool {
        self.variants
            .get(index)
            .is_some_and(|v| !v.is_documented(allele))
    }

    /// The reference allele's cell at `index`, with a wobble replaced by the
    /// position's reference base (PharmCAT's fill rule).
    pub(crate) fn reference_fill(&self, index: usize) -> Option<String> {
        let cell = self.alleles[self.reference]
            .cells
            .get(index)
            .cloned()
            .flatten();
        match cell {
            Some(c) if iupac::is_wobble(&c) => {
                self.variants.get(index).map(|v| v.reference.clone())
            }
            other => other,
        }
    }
}
