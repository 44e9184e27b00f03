//! The full set of definitions: every gene plus exemptions.

use std::path::{Path, PathBuf};

use crate::error::ParseErrorKind;
use crate::{embedded, parse, Error, GeneDefinition, GeneExemptions, Result};

/// Name of the exemptions file in a definitions directory.
const EXEMPTIONS_FILE: &str = "exemptions.tsv";

/// Allele definitions for a set of genes, with their exemptions.
#[derive(Clone, Debug)]
pub struct Definitions {
    genes: Vec<GeneDefinition>,
    exemptions: Vec<GeneExemptions>,
}

impl Definitions {
    /// The definitions embedded in the binary (PharmCAT 3.1.1, GRCh38).
    ///
    /// # Errors
    /// Only if the embedded files are malformed, which the tests rule out.
    pub fn embedded() -> Result<Self> {
        let genes = embedded::GENES
            .iter()
            .map(|(name, text)| parse_gene(Path::new(name), text))
            .collect::<Result<Vec<_>>>()?;
        let exemptions = parse_exemptions(Path::new(EXEMPTIONS_FILE), embedded::EXEMPTIONS)?;
        Self::new(genes, exemptions, Path::new("embedded"))
    }

    /// Definitions from a directory of `<GENE>.tsv` files and an optional
    /// `exemptions.tsv` (without it, no gene has exemptions).
    ///
    /// # Errors
    /// [`Error::Io`] if the directory cannot be read, [`Error::NoGenes`] if it
    /// holds no gene file, [`Error::Parse`] naming the file and line of a
    /// malformed record, [`Error::DuplicateGene`].
    pub fn from_dir(dir: &Path) -> Result<Self> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io { path, source }
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io(dir))?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<std::io::Result<_>>()
            .map_err(io(dir))?;
        files.sort();
        let mut genes = Vec::new();
        let mut exemptions = Vec::new();
        for path in files {
            let is_tsv = path.extension().is_some_and(|ext| ext == "tsv");
            if !is_tsv || !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(io(&path))?;
            if path.file_name().is_some_and(|name| name == EXEMPTIONS_FILE) {
                exemptions = parse_exemptions(&path, &text)?;
            } else {
                genes.push(parse_gene(&path, &text)?);
            }
        }
        if genes.is_empty() {
            return Err(Error::NoGenes {
                dir: dir.to_path_buf(),
            });
        }
        Self::new(genes, exemptions, dir)
    }

    fn new(
        mut genes: Vec<GeneDefinition>,
        exemptions: Vec<GeneExemptions>,
        origin: &Path,
    ) -> Result<Self> {
        genes.sort_by(|a, b| a.gene.cmp(&b.gene));
        for pair in genes.windows(2) {
            if pair[0].gene == pair[1].gene {
                return Err(Error::DuplicateGene {
                    file: origin.join(format!("{}.tsv", pair[1].gene)),
                    gene: pair[1].gene.clone(),
                });
            }
        }
        // Exemptions for genes outside this set are irrelevant, not errors:
        // a directory with one test-only gene may carry the full exemptions.
        let exemptions = exemptions
            .into_iter()
            .filter(|e| genes.iter().any(|g| g.gene == e.gene))
            .collect();
        Ok(Self { genes, exemptions })
    }

    /// Every gene, sorted by symbol.
    pub fn genes(&self) -> &[GeneDefinition] {
        &self.genes
    }

    /// The definitions of `gene`.
    pub fn gene(&self, gene: &str) -> Option<&GeneDefinition> {
        self.genes.iter().find(|g| g.gene == gene)
    }

    /// The exemptions of `gene` (empty when it has none).
    pub fn exemptions(&self, gene: &str) -> GeneExemptions {
        self.exemptions
            .iter()
            .find(|e| e.gene == gene)
            .cloned()
            .unwrap_or_else(|| GeneExemptions::none(gene))
    }

    /// A one-line description of the definitions' provenance, recorded in
    /// every output: e.g. `PharmCAT 3.1.1 (CLINPGX 2025-11-05-00-25)`.
    pub fn version(&self) -> String {
        let mut versions: Vec<String> = self
            .genes
            .iter()
            .map(|g| format!("{} ({} {})", g.release, g.source, g.version))
            .collect();
        versions.sort();
        versions.dedup();
        versions.join("; ")
    }
}

fn parse_gene(path: &Path, text: &str) -> Result<GeneDefinition> {
    parse::gene(text).map_err(|(line, kind)| parse_error(path, line, kind))
}

fn parse_exemptions(path: &Path, text: &str) -> Result<Vec<GeneExemptions>> {
    parse::exemptions(text).map_err(|(line, kind)| parse_error(path, line, kind))
}

fn parse_error(path: &Path, line: usize, kind: ParseErrorKind) -> Error {
    Error::Parse {
        file: path.to_path_buf(),
        line,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_definitions_load() {
        let definitions = Definitions::embedded().unwrap();
        assert_eq!(definitions.genes().len(), 20);
        assert_eq!(
            definitions.version(),
            "PharmCAT 3.1.1 (CLINPGX 2025-11-05-00-25)"
        );
        let cyp2c19 = definitions.gene("CYP2C19").unwrap();
        assert_eq!(cyp2c19.chromosome, "chr10");
        assert_eq!(cyp2c19.variants.len(), 35);
        // PharmCAT's CYP2C19 reference sequence is *38, not *1.
        assert_eq!(cyp2c19.reference_allele().unwrap().name, "*38");
        // *2 is rs12769205 and rs4244285 (c.681G>A at chr10:94781859).
        let star2 = cyp2c19.named_allele("*2").unwrap();
        let index = cyp2c19
            .variant_index(tailor_schemas::Position::new(94_781_859).unwrap())
            .unwrap();
        assert_eq!(star2.alleles[index].as_deref(), Some("A"));
        let nat2 = definitions.exemptions("NAT2");
        assert_eq!(nat2.required_positions.len(), 5);
        assert!(definitions
            .exemptions("G6PD")
            .ignores_allele("Mediterranean Haplotype"));
        assert_eq!(definitions.exemptions("CYP2C9").extra_positions.len(), 1);
        let slco1b1 = definitions.gene("SLCO1B1").unwrap();
        assert!(slco1b1.named_alleles.iter().any(|a| a.hidden_core));
        assert_eq!(slco1b1.suballeles.len(), 2);
    }

    #[test]
    fn every_embedded_reference_allele_is_complete() {
        let definitions = Definitions::embedded().unwrap();
        for gene in definitions.genes() {
            let reference = gene.reference_allele().unwrap();
            assert_eq!(
                reference.defined_positions(),
                gene.variants.len(),
                "{}",
                gene.gene
            );
            let differing = gene
                .variants
                .iter()
                .zip(&reference.alleles)
                .filter(|(variant, allele)| allele.as_deref() != Some(variant.reference.as_str()))
                .count();
            // Only a handful of reference cells are IUPAC wobbles (e.g. R).
            assert!(differing <= 2, "{}: {differing}", gene.gene);
        }
    }

    #[test]
    fn a_directory_without_genes_is_an_error() {
        let dir = std::env::temp_dir().join(format!("tailor-defs-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(matches!(
            Definitions::from_dir(&dir),
            Err(Error::NoGenes { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(Definitions::from_dir(&dir), Err(Error::Io { .. })));
    }
}
