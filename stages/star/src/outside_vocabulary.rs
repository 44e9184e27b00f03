//! Which genes and allele names an outside call may use: the genes of the
//! allele definitions and of the phenotype tables (plus the HLA genes,
//! which PharmCAT takes only as outside calls), and, for a gene with
//! allele definitions, the named alleles of its definition or of its
//! phenotype table (CYP2D6's `*5`, `*13`, ...). CYP2D6 haplotypes may
//! carry structure in PharmVar notation (`*1x2`, `*68+*4`): each part is
//! checked. Genes without allele definitions (MT-RNR1, HLA-A, HLA-B) have
//! their diplotype's shape checked, not its names.

use tailor_definitions::Definitions;

use crate::error::OutsideCallError;
use crate::phenotype::PhenotypeTables;

/// Genes PharmCAT accepts only as outside calls, with no allele list here.
const OUTSIDE_ONLY_GENES: [&str; 2] = ["HLA-A", "HLA-B"];

/// The genes and allele names outside calls are checked against.
pub(crate) struct Vocabulary<'a> {
    definitions: &'a Definitions,
    tables: PhenotypeTables,
}

impl<'a> Vocabulary<'a> {
    /// The vocabulary of `definitions` and the embedded phenotype tables.
    pub(crate) fn new(definitions: &'a Definitions) -> Self {
        Self {
            definitions,
            tables: PhenotypeTables::embedded(),
        }
    }

    /// Whether `gene` is one an outside call may name.
    pub(crate) fn knows_gene(&self, gene: &str) -> bool {
        self.definitions.gene(gene).is_some()
            || self.tables.knows_gene(gene)
            || OUTSIDE_ONLY_GENES.contains(&gene)
    }

    /// Checks an outside call's gene and diplotype (`None`: a phenotype
    /// alone).
    ///
    /// # Errors
    /// [`OutsideCallError::UnknownGene`], [`OutsideCallError::MalformedDiplotype`]
    /// or [`OutsideCallError::UnknownAllele`].
    pub(crate) fn check(
        &self,
        gene: &str,
        diplotype: Option<&str>,
    ) -> Result<(), OutsideCallError> {
        if !self.knows_gene(gene) {
            return Err(OutsideCallError::UnknownGene {
                gene: gene.to_owned(),
            });
        }
        let Some(diplotype) = diplotype else {
            return Ok(());
        };
        let malformed = || OutsideCallError::MalformedDiplotype {
            gene: gene.to_owned(),
            diplotype: diplotype.to_owned(),
        };
        let haplotypes: Vec<&str> = diplotype.split('/').collect();
        if haplotypes.len() > 2 || haplotypes.iter().any(|h| h.trim().is_empty()) {
            return Err(malformed());
        }
        let Some(definition) = self.definitions.gene(gene) else {
            return Ok(());
        };
        for haplotype in haplotypes {
            for allele in alleles_of(gene, haplotype).ok_or_else(malformed)? {
                let named = definition.named_allele(allele).is_some()
                    || self.tables.function(gene, allele).is_some();
                if !named {
                    return Err(OutsideCallError::UnknownAllele {
                        gene: gene.to_owned(),
                        allele: allele.to_owned(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// The named alleles of one haplotype: itself, or for CYP2D6 each part of
/// its structure without the copy count (`*36x2+*10`: `*36`, `*10`);
/// `None` when a part is empty.
fn alleles_of<'h>(gene: &str, haplotype: &'h str) -> Option<Vec<&'h str>> {
    if gene != "CYP2D6" {
        return Some(vec![haplotype]);
    }
    haplotype
        .split('+')
        .map(|part| {
            let allele = match part.rsplit_once('x') {
                Some((allele, copies))
                    if copies == "N"
                        || (!copies.is_empty() && copies.bytes().all(|b| b.is_ascii_digit())) =>
                {
                    allele
                }
                _ => part,
            };
            (!allele.is_empty()).then_some(allele)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(gene: &str, diplotype: &str) -> Result<(), OutsideCallError> {
        let definitions = Definitions::embedded().unwrap();
        Vocabulary::new(&definitions).check(gene, Some(diplotype))
    }

    #[test]
    fn known_genes_and_alleles_pass() {
        assert_eq!(check("CYP2C19", "*2/*38"), Ok(()));
        assert_eq!(check("CYP2D6", "*1x2/*4"), Ok(()));
        assert_eq!(check("CYP2D6", "*68+*4/*5"), Ok(()));
        assert_eq!(check("CYP2D6", "*36x2+*10/*1xN"), Ok(()));
        assert_eq!(check("HLA-B", "*15:02/*57:01"), Ok(()));
        assert_eq!(check("MT-RNR1", "1555A>G"), Ok(()));
        assert_eq!(check("G6PD", "B (reference)"), Ok(()));
    }

    #[test]
    fn unknown_genes_alleles_and_bad_shapes_are_named() {
        assert_eq!(
            check("CYP2C1", "*1/*2"),
            Err(OutsideCallError::UnknownGene {
                gene: "CYP2C1".into()
            })
        );
        assert_eq!(
            check("CYP2C19", "*2/*999"),
            Err(OutsideCallError::UnknownAllele {
                gene: "CYP2C19".into(),
                allele: "*999".into()
            })
        );
        assert_eq!(
            check("CYP2D6", "*1+/*4"),
            Err(OutsideCallError::MalformedDiplotype {
                gene: "CYP2D6".into(),
                diplotype: "*1+/*4".into()
            })
        );
        for bad in ["*1/", "/*2", "*1/*2/*3", "*1/ "] {
            assert!(
                matches!(
                    check("CYP2C9", bad),
                    Err(OutsideCallError::MalformedDiplotype { .. })
                ),
                "{bad}"
            );
        }
    }
}
