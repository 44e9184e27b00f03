//! Options of the copy-number stage.

/// What [`crate::call`] does; [`Options::default`] gives the documented
/// defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Minimum mapping quality of a read counted [default: 0]. MAPQ 0 is
    /// kept on purpose: where CYP2D6 and CYP2D7 are identical the aligner
    /// places a read on either paralog at random with MAPQ 0, so dropping
    /// those reads loses depth in proportion to how much of the gene is
    /// identical (more for duplications of CYP2D7-like sequence), while the
    /// CYP2D6+CYP2D7 sum is unchanged by where they land. At the differing
    /// sites the read's own base says which gene it came from, whatever its
    /// placement.
    pub min_mapping_quality: u8,
    /// Minimum base quality at a differing site [default: 13].
    pub min_base_quality: u8,
    /// Below this posterior probability of the most likely integer copy
    /// number the call is `low_confidence` and has no copy number
    /// [default: 0.95]. An end of the gene excludes a hybrid at the same
    /// posterior probability, or leaves the structure `hybrid_unresolved`.
    pub min_confidence: f64,
    /// Fewest fragments at the body's differing sites for a copy number
    /// [default: 20].
    pub min_fragments: u32,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            min_mapping_quality: 0,
            min_base_quality: 13,
            min_confidence: 0.95,
            min_fragments: 20,
        }
    }
}
