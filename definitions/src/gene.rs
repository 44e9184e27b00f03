//! One gene's definitions: its positions and named alleles.

use tailor_schemas::{Position, Region};

use crate::VariantDefinition;

/// A named (star) allele: the allele it requires at each definition position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedAllele {
    /// Allele name as PharmVar/CPIC write it (`*2`, `c.1905+1G>A (*2A)`).
    pub name: String,
    /// ClinPGx/PharmGKB accession, when one exists.
    pub id: Option<String>,
    /// Whether this is the gene's reference allele (its cells are all filled).
    pub reference: bool,
    /// Whether the allele is structural (not callable from SNVs and indels).
    pub structural_variant: bool,
    /// A core allele PharmCAT keeps hidden (matched, reported by sub-allele).
    pub hidden_core: bool,
    /// The allele at each of the gene's variants, aligned with
    /// [`GeneDefinition::variants`]. `None` is a blank cell (PharmCAT reads it
    /// as the reference allele). Values are VCF sequences or IUPAC codes.
    pub alleles: Vec<Option<String>>,
}

impl NamedAllele {
    /// Number of positions the definition gives a value for.
    pub fn defined_positions(&self) -> usize {
        self.alleles.iter().filter(|a| a.is_some()).count()
    }
}

/// A gene's allele definitions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneDefinition {
    /// HGNC gene symbol.
    pub gene: String,
    /// Contig as the definitions spell it (`chr10`).
    pub chromosome: String,
    /// Genome build of the positions (`GRCh38.p14`).
    pub genome_build: String,
    /// Version of the source tables (ClinPGx's date stamp).
    pub version: String,
    /// Where the tables came from (`CLINPGX`).
    pub source: String,
    /// The release they were taken from (`PharmCAT 3.1.1`).
    pub release: String,
    /// Definition positions, in coordinate order.
    pub variants: Vec<VariantDefinition>,
    /// Named alleles; the reference allele first.
    pub named_alleles: Vec<NamedAllele>,
    /// Sub-allele -> core allele (SLCO1B1 `*45.001` -> `*45`).
    pub suballeles: Vec<(String, String)>,
}

impl GeneDefinition {
    /// The named allele called `name`.
    pub fn named_allele(&self, name: &str) -> Option<&NamedAllele> {
        self.named_alleles.iter().find(|a| a.name == name)
    }

    /// The reference named allele (`*1`, `Reference`, `B`).
    pub fn reference_allele(&self) -> Option<&NamedAllele> {
        self.named_alleles.iter().find(|a| a.reference)
    }

    /// The index of the variant at `position`, if it is a definition position.
    pub fn variant_index(&self, position: Position) -> Option<usize> {
        self.variants.iter().position(|v| v.position == position)
    }

    /// The span from the first definition position to the last reference
    /// base of the last one, on [`GeneDefinition::chromosome`].
    pub fn region(&self) -> Option<Region> {
        let start = self.variants.iter().map(|v| v.position).min()?;
        let end = self.variants.iter().map(VariantDefinition::end).max()?;
        Some(Region {
            chrom: self.chromosome.clone(),
            start,
            end,
        })
    }
}
