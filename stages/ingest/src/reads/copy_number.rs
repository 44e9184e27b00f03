//! The number of copies of a position in a sample: the genotype's ploidy.

use std::collections::HashMap;

/// Copies of each definition position, for the genotype model: 2 unless
/// set (1 on chrX for males). A CYP2D6 caller that finds 3 copies sets them
/// here, and a heterozygote is then scored at allele fractions 1/3 or 2/3.
#[derive(Clone, Debug, Default)]
pub struct CopyNumbers {
    by_gene: HashMap<String, u8>,
    by_position: HashMap<(String, u32), u8>,
}

impl CopyNumbers {
    /// Sets the copies of every position of `gene`.
    pub fn set_gene(&mut self, gene: &str, copies: u8) -> &mut Self {
        self.by_gene.insert(gene.to_owned(), copies);
        self
    }

    /// Sets the copies of one position (1-based) of `gene`; it wins over
    /// the gene's.
    pub fn set_position(&mut self, gene: &str, pos: u32, copies: u8) -> &mut Self {
        self.by_position.insert((gene.to_owned(), pos), copies);
        self
    }

    /// The copies of `pos` of `gene`, or `default` when not set.
    pub fn copies(&self, gene: &str, pos: u32, default: u8) -> u8 {
        self.by_position
            .get(&(gene.to_owned(), pos))
            .or_else(|| self.by_gene.get(gene))
            .copied()
            .unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_wins_over_gene_over_default() {
        let mut copies = CopyNumbers::default();
        assert_eq!(copies.copies("CYP2D6", 42_128_945, 2), 2);
        copies
            .set_gene("CYP2D6", 3)
            .set_position("CYP2D6", 42_128_945, 1);
        assert_eq!(copies.copies("CYP2D6", 42_126_611, 2), 3);
        assert_eq!(copies.copies("CYP2D6", 42_128_945, 2), 1);
        assert_eq!(copies.copies("CYP2C19", 1, 2), 2);
    }
}
