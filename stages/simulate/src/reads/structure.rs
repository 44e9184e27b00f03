//! CYP2D6 structure of one chromosome: deletion (`*5`), duplications
//! (`*1x2`), and CYP2D6/CYP2D7 hybrids in their usual arrangements
//! (`*36+*10`, `*68+*4`, `*13`), with how often each is drawn.
//!
//! Default frequencies (per chromosome), rounded from the CPIC/PharmVar
//! CYP2D6 allele frequency table (Gaedigk et al., Genet Med 2017;
//! PharmGKB's CYP2D6 frequency table) averaged over populations: `*5`
//! about 3 % in every population; duplications about 2 % (more in Oceanian
//! and Middle Eastern populations); `*36+*10` about 1 % overall but a large
//! share of East Asian chromosomes (raise it for such a cohort); `*68+*4`
//! about 1-2 % of European chromosomes; `*13` well under 1 %.

use std::str::FromStr;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A CYP2D6/CYP2D7 hybrid gene.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HybridKind {
    /// `*36`: CYP2D6 with CYP2D7 exon 9 (a conversion in intron 8 onwards).
    Star36,
    /// `*68`: CYP2D6 exon 1 then CYP2D7 (breakpoint in intron 1).
    Star68,
    /// `*13`: CYP2D7 5′ (exon 1) then CYP2D6 3′ (breakpoint in intron 1).
    Star13,
}

impl HybridKind {
    /// The name written in the truth table (`star36`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Star36 => "star36",
            Self::Star68 => "star68",
            Self::Star13 => "star13",
        }
    }
}

/// The CYP2D6 arrangement of one chromosome, around the named allele drawn
/// from the panel for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cyp2d6Structure {
    /// One CYP2D6 copy carrying the drawn allele.
    Single,
    /// `*5`: no CYP2D6 gene.
    Deletion,
    /// The drawn allele in this many tandem copies (2 or 3).
    Duplication(u8),
    /// A `*36` hybrid in tandem with a `*10` copy.
    Star36Star10,
    /// A `*68` hybrid in tandem with a `*4` copy.
    Star68Star4,
    /// A `*13` hybrid as the only CYP2D6-like gene.
    Star13,
}

impl Cyp2d6Structure {
    /// CYP2D6 gene copies (hybrids included) on the chromosome.
    pub fn copies(self) -> u8 {
        match self {
            Self::Deletion => 0,
            Self::Single | Self::Star13 => 1,
            Self::Duplication(n) => n,
            Self::Star36Star10 | Self::Star68Star4 => 2,
        }
    }

    /// The hybrid the chromosome carries, if any.
    pub fn hybrid(self) -> Option<HybridKind> {
        match self {
            Self::Star36Star10 => Some(HybridKind::Star36),
            Self::Star68Star4 => Some(HybridKind::Star68),
            Self::Star13 => Some(HybridKind::Star13),
            _ => None,
        }
    }

    /// The chromosome in PharmVar notation, given the allele its full
    /// copies carry (`*1x2`, `*36+*10`, `*5`).
    pub fn name(self, allele: &str) -> String {
        match self {
            Self::Single => allele.to_owned(),
            Self::Deletion => "*5".to_owned(),
            Self::Duplication(n) => format!("{allele}x{n}"),
            Self::Star36Star10 => "*36+*10".to_owned(),
            Self::Star68Star4 => "*68+*4".to_owned(),
            Self::Star13 => "*13".to_owned(),
        }
    }
}

/// Per-chromosome probabilities of each CYP2D6 structure; the rest is
/// [`Cyp2d6Structure::Single`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StructureFrequencies {
    /// `*5` deletion.
    pub deletion: f64,
    /// Duplication of the drawn allele (one in ten of them triplicated).
    pub duplication: f64,
    /// `*36+*10`.
    pub star36_star10: f64,
    /// `*68+*4`.
    pub star68_star4: f64,
    /// `*13`.
    pub star13: f64,
}

impl Default for StructureFrequencies {
    fn default() -> Self {
        Self {
            deletion: 0.03,
            duplication: 0.02,
            star36_star10: 0.01,
            star68_star4: 0.01,
            star13: 0.002,
        }
    }
}

impl StructureFrequencies {
    /// Draws one chromosome's structure.
    pub(crate) fn draw(&self, rng: &mut ChaCha8Rng) -> Cyp2d6Structure {
        let ticket: f64 = rng.gen();
        let mut bound = 0.0;
        for (p, structure) in [
            (self.deletion, Cyp2d6Structure::Deletion),
            (self.duplication, Cyp2d6Structure::Duplication(2)),
            (self.star36_star10, Cyp2d6Structure::Star36Star10),
            (self.star68_star4, Cyp2d6Structure::Star68Star4),
            (self.star13, Cyp2d6Structure::Star13),
        ] {
            bound += p;
            if ticket < bound {
                if structure == Cyp2d6Structure::Duplication(2) && rng.gen_bool(0.1) {
                    return Cyp2d6Structure::Duplication(3);
                }
                return structure;
            }
        }
        Cyp2d6Structure::Single
    }
}

/// Error of [`StructureFrequencies::from_str`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("CYP2D6 structure frequencies {0:?}: expected comma-separated NAME=P with NAME one of deletion, duplication, star36_star10, star68_star4, star13, each P in [0, 1] and their sum at most 1; names left out keep their defaults, which count towards the sum (e.g. deletion=0.03,duplication=0.02)")]
pub struct StructureFrequenciesError(String);

impl FromStr for StructureFrequencies {
    type Err = StructureFrequenciesError;

    /// Parses `deletion=0.03,duplication=0.02,...`; names left out keep
    /// their default.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || StructureFrequenciesError(text.to_owned());
        let mut frequencies = Self::default();
        for item in text.split(',').filter(|s| !s.trim().is_empty()) {
            let (name, value) = item.split_once('=').ok_or_else(bad)?;
            let value: f64 = value.trim().parse().map_err(|_| bad())?;
            if !(0.0..=1.0).contains(&value) {
                return Err(bad());
            }
            let slot = match name.trim() {
                "deletion" => &mut frequencies.deletion,
                "duplication" => &mut frequencies.duplication,
                "star36_star10" => &mut frequencies.star36_star10,
                "star68_star4" => &mut frequencies.star68_star4,
                "star13" => &mut frequencies.star13,
                _ => return Err(bad()),
            };
            *slot = value;
        }
        let sum = frequencies.deletion
            + frequencies.duplication
            + frequencies.star36_star10
            + frequencies.star68_star4
            + frequencies.star13;
        if sum > 1.0 + 1e-9 {
            return Err(bad());
        }
        Ok(frequencies)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_copies() {
        assert_eq!(Cyp2d6Structure::Duplication(2).name("*4"), "*4x2");
        assert_eq!(Cyp2d6Structure::Deletion.copies(), 0);
        assert_eq!(Cyp2d6Structure::Star36Star10.name("*1"), "*36+*10");
        assert_eq!(Cyp2d6Structure::Star36Star10.copies(), 2);
    }

    #[test]
    fn parses_frequencies() {
        let f: StructureFrequencies = "deletion=0.5,star13=0.1".parse().unwrap();
        assert_eq!(f.deletion, 0.5);
        assert_eq!(f.star13, 0.1);
        assert_eq!(f.duplication, 0.02);
        assert!("deletion=0.9,duplication=0.9"
            .parse::<StructureFrequencies>()
            .is_err());
        assert!("nonsense=0.1".parse::<StructureFrequencies>().is_err());
    }
}
