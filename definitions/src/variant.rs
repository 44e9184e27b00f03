//! One definition position.

use tailor_schemas::Position;

/// A position that defines alleles, in VCF representation (GRCh38).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantDefinition {
    /// 1-based VCF position (for indels, the padding base before the event).
    pub position: Position,
    /// dbSNP id, when one exists.
    pub rsid: Option<String>,
    /// Reference allele in VCF representation (e.g. `CAT` for UGT1A1 *28's locus).
    pub reference: String,
    /// Alternate alleles in VCF representation, as the definitions list them.
    pub alts: Vec<String>,
    /// Position in CPIC's notation (differs from `position` for some indels).
    pub cpic_position: Position,
    /// Alleles in CPIC's notation (e.g. `TA(7)`).
    pub cpic_alleles: Vec<String>,
    /// CPIC allele -> VCF allele, for indels whose notations differ.
    pub cpic_to_vcf: Vec<(String, String)>,
    /// Chromosomal HGVS name (e.g. `g.94781859G>A`), used to name partials.
    pub hgvs: Option<String>,
}

impl VariantDefinition {
    /// Last reference base the definition spans, 1-based inclusive.
    pub fn end(&self) -> Position {
        let len = u32::try_from(self.reference.len().max(1)).unwrap_or(u32::MAX);
        Position::new(u64::from(self.position.get()) + u64::from(len) - 1).unwrap_or(self.position)
    }

    /// Whether any allele differs in length from the reference (an indel).
    pub fn is_indel(&self) -> bool {
        self.alts
            .iter()
            .any(|alt| alt.len() != self.reference.len())
    }

    /// Whether `allele` is the reference or one of the listed alternates.
    pub fn is_documented(&self, allele: &str) -> bool {
        self.reference == allele || self.alts.iter().any(|alt| alt == allele)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ta_repeat() -> VariantDefinition {
        VariantDefinition {
            position: Position::new(233_760_233).unwrap(),
            rsid: Some("rs3064744".into()),
            reference: "CAT".into(),
            alts: vec!["C".into(), "CATAT".into()],
            cpic_position: Position::new(233_760_235).unwrap(),
            cpic_alleles: vec!["TA(6)".into(), "TA(7)".into(), "TA(8)".into()],
            cpic_to_vcf: vec![("TA(7)".into(), "CAT".into())],
            hgvs: None,
        }
    }

    #[test]
    fn spans_its_reference() {
        let v = ta_repeat();
        assert_eq!(v.end().get(), 233_760_235);
        assert!(v.is_indel());
        assert!(v.is_documented("CATAT"));
        assert!(!v.is_documented("CATATATAT"));
    }
}
