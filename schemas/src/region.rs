//! A closed genomic interval on one contig.

use std::fmt;

use crate::Position;

/// A closed interval `chrom:start-end`, both ends 1-based and inclusive.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Region {
    /// Contig name as the definitions spell it (e.g. `chr10`).
    pub chrom: String,
    /// First position, 1-based.
    pub start: Position,
    /// Last position, 1-based, inclusive.
    pub end: Position,
}

impl Region {
    /// Whether `pos` on `chrom` lies inside the region.
    pub fn contains(&self, chrom: &str, pos: Position) -> bool {
        self.chrom == chrom && self.start <= pos && pos <= self.end
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}-{}", self.chrom, self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_is_inclusive() {
        let region = Region {
            chrom: "chr2".into(),
            start: Position::new(10).unwrap(),
            end: Position::new(20).unwrap(),
        };
        assert!(region.contains("chr2", Position::new(10).unwrap()));
        assert!(region.contains("chr2", Position::new(20).unwrap()));
        assert!(!region.contains("chr2", Position::new(21).unwrap()));
        assert!(!region.contains("2", Position::new(15).unwrap()));
        assert_eq!(region.to_string(), "chr2:10-20");
    }
}
