//! Gene-specific exceptions to the matching rules (PharmCAT's exemptions).

use tailor_schemas::Position;

use crate::VariantDefinition;

/// When unphased data allow several diplotypes, the one to report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnphasedPriority {
    /// The diplotypes that tie (`*1/*6`, `*4/*34`).
    pub diplotypes: Vec<String>,
    /// The one to report.
    pub pick: String,
}

/// A gene's exceptions to the default matching rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GeneExemptions {
    /// HGNC gene symbol.
    pub gene: String,
    /// Positions that must be present for any call (NAT2).
    pub required_positions: Vec<Position>,
    /// Positions the matcher ignores (their alleles are not matched).
    pub ignored_positions: Vec<VariantDefinition>,
    /// Positions read and reported but not part of any definition (CYP2C9
    /// rs12777823).
    pub extra_positions: Vec<VariantDefinition>,
    /// Named alleles the matcher never calls.
    pub ignored_alleles: Vec<String>,
    /// Priority picks among tied unphased diplotypes (NAT2).
    pub unphased_priorities: Vec<UnphasedPriority>,
    /// Alleles in the AMP tier-1 panel for this gene.
    pub amp1_alleles: Vec<String>,
    /// Positions in the AMP tier-1 panel for this gene.
    pub amp1_positions: Vec<Position>,
}

impl GeneExemptions {
    /// An empty set of exemptions for `gene`.
    pub fn none(gene: &str) -> Self {
        Self {
            gene: gene.to_owned(),
            ..Self::default()
        }
    }

    /// Whether the allele `name` is ignored (case-insensitive, as PharmCAT).
    pub fn ignores_allele(&self, name: &str) -> bool {
        self.ignored_alleles
            .iter()
            .any(|ignored| ignored.eq_ignore_ascii_case(name))
    }

    /// Whether the position is ignored.
    pub fn ignores_position(&self, position: Position) -> bool {
        self.ignored_positions
            .iter()
            .any(|v| v.position == position)
    }
}
