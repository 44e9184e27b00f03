//! A sample's genotype at one definition position.

/// One sample's genotype at a definition position, in the definition's
/// representation (alleles are VCF sequences over the definition's REF span).
///
/// A missing genotype (`./.`, no record, REF mismatch) is not a
/// `SampleAllele` at all: the position is passed as `None` to the matcher.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SampleAllele {
    /// First allele (`None` when that strand is missing, e.g. `./1`).
    pub allele_1: Option<String>,
    /// Second allele (`None` when haploid or missing).
    pub allele_2: Option<String>,
    /// Whether the second GT field was written as `.` (`1/.`), as opposed to
    /// absent (a haploid `1`).
    pub second_missing: bool,
    /// Whether the genotype is phased (`|`, or haploid).
    pub phased: bool,
    /// FORMAT/PS, only meaningful when `phased`.
    pub phase_set: Option<i64>,
}

impl SampleAllele {
    /// A diploid genotype.
    pub fn diploid(allele_1: &str, allele_2: &str, phased: bool, phase_set: Option<i64>) -> Self {
        Self {
            allele_1: Some(allele_1.to_ascii_uppercase()),
            allele_2: Some(allele_2.to_ascii_uppercase()),
            second_missing: false,
            phased,
            phase_set: if phased { phase_set } else { None },
        }
    }

    /// A haploid genotype (a male's chrX call): phased by definition.
    pub fn haploid(allele: &str) -> Self {
        Self {
            allele_1: Some(allele.to_ascii_uppercase()),
            allele_2: None,
            second_missing: false,
            phased: true,
            phase_set: None,
        }
    }

    /// A half-missing genotype (`./1` or `1/.`): `called` is the one allele.
    pub fn half_missing(called: &str, called_first: bool, phased: bool) -> Self {
        let called = Some(called.to_ascii_uppercase());
        let (allele_1, allele_2) = if called_first {
            (called, None)
        } else {
            (None, called)
        };
        Self {
            allele_1,
            allele_2,
            second_missing: called_first,
            phased,
            phase_set: None,
        }
    }

    /// Whether one strand is missing (PharmCAT's `vcfCall` contains `.`).
    pub fn is_partial(&self) -> bool {
        self.allele_1.is_none() || (self.allele_2.is_none() && self.second_missing)
    }

    /// Whether the two called alleles differ (a heterozygous GT).
    fn is_heterozygous_gt(&self) -> bool {
        matches!((&self.allele_1, &self.allele_2), (Some(a), Some(b)) if a != b)
    }

    /// PharmCAT's per-position "effectively phased": homozygous, or phased
    /// without a phase set.
    pub(crate) fn is_effectively_phased(&self) -> bool {
        if !self.is_heterozygous_gt() {
            return true;
        }
        self.phased && self.phase_set.is_none()
    }
}
