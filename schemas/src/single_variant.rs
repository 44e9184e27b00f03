//! Readable genotypes of single-variant genes.
//!
//! PharmCAT names the two alleles of a gene defined by one position
//! `<rsID> reference (C)` and `<rsID> variant (T)` (IFNL3, VKORC1), so its
//! diplotypes read `rs9923231 reference (C)/rs9923231 variant (T)`. The
//! cohort table shows them as genotypes, reference allele first (`C/T`),
//! and keeps the rsID and the reference allele in the metadata of the
//! `<GENE>_diplotype` column ([`RSID_KEY`], [`REFERENCE_ALLELE_KEY`]).
//!
//! A variant known by another name gets that name too: VKORC1 rs9923231
//! is the promoter variant -1639G>A, on VKORC1's (reverse) strand, and
//! PharmCAT's phenotype table for VKORC1 (PharmCAT 3.1.1
//! `phenotype/VKORC1.json`, from CPIC, CC0, and ClinPGx, CC BY-SA 4.0)
//! names its genotypes `-1639 GG`, `-1639 AG` and `-1639 AA`: `C/C` reads
//! `C/C (-1639 GG)`.

use std::collections::HashMap;

/// Field-metadata key of a single-variant gene's `<GENE>_diplotype` cohort
/// column: the variant's rsID.
pub const RSID_KEY: &str = "tailor.rsid";
/// Field-metadata key of a single-variant gene's `<GENE>_diplotype` cohort
/// column: the reference allele (`C`), when a call names it.
pub const REFERENCE_ALLELE_KEY: &str = "tailor.reference_allele";
/// Table key-value metadata of the estimate tables: a JSON object from each
/// single-variant gene to its rsID (`{"VKORC1": "rs9923231"}`).
pub const SINGLE_VARIANT_GENES_KEY: &str = "tailor.single_variant_genes";

/// Other names of single-variant genotypes: rsID, genotype (forward
/// strand, reference allele first), the name PharmCAT reports.
const NAMED: [(&str, &str, &str); 3] = [
    ("rs9923231", "C/C", "-1639 GG"),
    ("rs9923231", "C/T", "-1639 AG"),
    ("rs9923231", "T/T", "-1639 AA"),
];

/// One allele of a single-variant gene, as PharmCAT names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allele<'a> {
    /// The variant's rsID.
    pub rsid: &'a str,
    /// The allele's bases (`C`).
    pub bases: &'a str,
    /// Whether it is the reference allele.
    pub reference: bool,
}

impl<'a> Allele<'a> {
    /// Reads `rs9923231 reference (C)` or `rs9923231 variant (T)`; `None`
    /// for any other allele name.
    pub fn parse(name: &'a str) -> Option<Self> {
        let (rsid, rest) = name.split_once(' ')?;
        let (kind, bases) = rest.split_once(" (")?;
        let bases = bases.strip_suffix(')')?;
        let reference = match kind {
            "reference" => true,
            "variant" => false,
            _ => return None,
        };
        let numbered = rsid.strip_prefix("rs")?;
        let valid = !numbered.is_empty() && numbered.bytes().all(|b| b.is_ascii_digit());
        (valid && !bases.is_empty()).then_some(Self {
            rsid,
            bases,
            reference,
        })
    }
}

/// What the cohort table says about a single-variant gene.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SingleVariant {
    /// The variant's rsID.
    pub rsid: String,
    /// The reference allele, when a call names it.
    pub reference: Option<String>,
}

impl SingleVariant {
    /// The label of the reference-allele homozygote (`C/C`, VKORC1
    /// `C/C (-1639 GG)`), when the reference allele is known.
    pub fn reference_label(&self) -> Option<String> {
        let r = self.reference.as_deref()?;
        Some(label(&self.rsid, r, r))
    }

    /// The column metadata that carries it ([`RSID_KEY`],
    /// [`REFERENCE_ALLELE_KEY`]).
    pub fn field_metadata(&self) -> HashMap<String, String> {
        let mut out = HashMap::from([(RSID_KEY.to_owned(), self.rsid.clone())]);
        if let Some(r) = &self.reference {
            out.insert(REFERENCE_ALLELE_KEY.to_owned(), r.clone());
        }
        out
    }

    /// Reads it back from column metadata; `None` without [`RSID_KEY`].
    pub fn from_field_metadata(metadata: &HashMap<String, String>) -> Option<Self> {
        Some(Self {
            rsid: metadata.get(RSID_KEY)?.clone(),
            reference: metadata.get(REFERENCE_ALLELE_KEY).cloned(),
        })
    }
}

/// A single-variant diplotype read as a genotype.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Genotype {
    /// The variant and, when an allele is the reference, its bases.
    pub variant: SingleVariant,
    /// `C/T`, reference allele first, with the variant's other name when
    /// it has one (`C/T (-1639 AG)`).
    pub label: String,
}

impl Genotype {
    /// Reads PharmCAT's `<rsID> reference (C)/<rsID> variant (T)`; `None`
    /// for any other diplotype (star alleles, two rsIDs, haploid).
    pub fn parse(diplotype: &str) -> Option<Self> {
        let (a, b) = diplotype.split_once('/')?;
        let (a, b) = (Allele::parse(a)?, Allele::parse(b)?);
        if a.rsid != b.rsid {
            return None;
        }
        let (first, second) = if b.reference && !a.reference {
            (b, a)
        } else {
            (a, b)
        };
        Some(Self {
            variant: SingleVariant {
                rsid: a.rsid.to_owned(),
                reference: first.reference.then(|| first.bases.to_owned()),
            },
            label: label(a.rsid, first.bases, second.bases),
        })
    }
}

/// `C/T`, or with the variant's other name `C/T (-1639 AG)`.
fn label(rsid: &str, first: &str, second: &str) -> String {
    let genotype = format!("{first}/{second}");
    match NAMED.iter().find(|(r, g, _)| *r == rsid && *g == genotype) {
        Some((_, _, name)) => format!("{genotype} ({name})"),
        None => genotype,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label_of(diplotype: &str) -> Option<String> {
        Genotype::parse(diplotype).map(|g| g.label)
    }

    #[test]
    fn vkorc1_genotypes_read_reference_first_with_the_promoter_name() {
        assert_eq!(
            label_of("rs9923231 reference (C)/rs9923231 reference (C)").as_deref(),
            Some("C/C (-1639 GG)")
        );
        assert_eq!(
            label_of("rs9923231 variant (T)/rs9923231 reference (C)").as_deref(),
            Some("C/T (-1639 AG)")
        );
        let g = Genotype::parse("rs9923231 variant (T)/rs9923231 variant (T)").expect("parses");
        assert_eq!(g.label, "T/T (-1639 AA)");
        assert_eq!(g.variant.rsid, "rs9923231");
        assert_eq!(g.variant.reference, None);
    }

    #[test]
    fn other_single_variant_genes_read_as_bases() {
        let g = Genotype::parse("rs12979860 reference (C)/rs12979860 variant (T)").expect("ok");
        assert_eq!(g.label, "C/T");
        assert_eq!(
            g.variant,
            SingleVariant {
                rsid: "rs12979860".into(),
                reference: Some("C".into())
            }
        );
        assert_eq!(g.variant.reference_label().as_deref(), Some("C/C"));
        let back = SingleVariant::from_field_metadata(&g.variant.field_metadata());
        assert_eq!(back, Some(g.variant));
    }

    #[test]
    fn star_alleles_and_mixed_rsids_are_not_genotypes() {
        for diplotype in [
            "*1/*2",
            "Reference/c.1905+1G>A",
            "rs9923231 reference (C)",
            "rs9923231 reference (C)/rs12979860 variant (T)",
            "rs9923231 other (C)/rs9923231 variant (T)",
            "rsX reference (C)/rsX variant (T)",
            "rs1 reference ()/rs1 variant (T)",
        ] {
            assert_eq!(label_of(diplotype), None, "{diplotype}");
        }
        assert_eq!(SingleVariant::from_field_metadata(&HashMap::new()), None);
    }
}
