//! A CYP2D6 haplotype with structure in PharmVar notation: gene copies in
//! tandem (`*68+*4`, `*36x2+*10`), each named allele with its count
//! (`*1x2`).

use crate::phenotype::PhenotypeTables;

/// One chromosome's CYP2D6 arrangement: named alleles with their copies,
/// upstream first as PharmVar writes them (`*36+*10`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructuredHaplotype {
    /// The named alleles and their copies (`("*1", 2)` is `*1x2`).
    pub parts: Vec<(String, u8)>,
}

impl StructuredHaplotype {
    /// One named allele at `copies` copies.
    pub fn single(allele: &str, copies: u8) -> Self {
        Self {
            parts: vec![(allele.to_owned(), copies)],
        }
    }

    /// `upstream` in tandem before this arrangement (`*68` + `*4`).
    pub fn after(mut self, upstream: &str, copies: u8) -> Self {
        self.parts.insert(0, (upstream.to_owned(), copies));
        self
    }

    /// PharmVar notation: `*1`, `*1x2`, `*36x2+*10`, `*5`.
    pub fn name(&self) -> String {
        self.parts
            .iter()
            .map(|(allele, copies)| match copies {
                1 => allele.clone(),
                n => format!("{allele}x{n}"),
            })
            .collect::<Vec<_>>()
            .join("+")
    }

    /// CPIC activity: each allele's activity value times its copies,
    /// summed; `None` when any allele has no activity value.
    pub fn activity(&self, tables: &PhenotypeTables) -> Option<f64> {
        self.parts.iter().try_fold(0.0, |sum, (allele, copies)| {
            let value = tables.activity_value("CYP2D6", allele)?;
            Some(sum + value * f64::from(*copies))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_activities() {
        let tables = PhenotypeTables::embedded();
        let dup = StructuredHaplotype::single("*1", 2);
        assert_eq!(dup.name(), "*1x2");
        assert_eq!(dup.activity(&tables), Some(2.0));
        let tandem = StructuredHaplotype::single("*10", 1).after("*36", 2);
        assert_eq!(tandem.name(), "*36x2+*10");
        assert_eq!(tandem.activity(&tables), Some(0.25));
        assert_eq!(
            StructuredHaplotype::single("*5", 1).activity(&tables),
            Some(0.0)
        );
        assert_eq!(
            StructuredHaplotype::single("*999", 1).activity(&tables),
            None
        );
    }
}
