//! IUPAC nucleotide codes in allele definitions.

/// The bases a single-letter IUPAC code stands for (`R` -> `AG`), or `None`
/// for anything that is not a one-letter code.
pub(crate) fn bases(code: &str) -> Option<&'static [u8]> {
    let [c] = code.as_bytes() else {
        return None;
    };
    Some(match c.to_ascii_uppercase() {
        b'A' => b"A",
        b'C' => b"C",
        b'G' => b"G",
        b'T' => b"T",
        b'R' => b"AG",
        b'Y' => b"CT",
        b'S' => b"GC",
        b'W' => b"AT",
        b'K' => b"GT",
        b'M' => b"AC",
        b'B' => b"CGT",
        b'D' => b"AGT",
        b'H' => b"ACT",
        b'V' => b"ACG",
        b'N' => b"ACGT",
        _ => return None,
    })
}

/// Whether `allele` is an ambiguity code (a "wobble": `R`, `Y`, ..., `N`).
pub(crate) fn is_wobble(allele: &str) -> bool {
    bases(allele).is_some_and(|b| b.len() > 1)
}

/// Whether a sample allele satisfies a definition allele: a one-letter code
/// matches any base it stands for, anything longer must be equal.
pub(crate) fn allele_matches(expected: &str, sample: &str) -> bool {
    match bases(expected) {
        Some(set) => sample.len() == 1 && set.contains(&sample.as_bytes()[0]),
        None => expected == sample,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wobbles_match_their_bases_only() {
        assert!(allele_matches("R", "A"));
        assert!(allele_matches("R", "G"));
        assert!(!allele_matches("R", "C"));
        assert!(!allele_matches("R", "AG"));
        assert!(allele_matches("N", "T"));
        assert!(allele_matches("A", "A"));
        assert!(!allele_matches("A", "."));
        assert!(allele_matches("CATAT", "CATAT"));
        assert!(!allele_matches("CATAT", "CAT"));
        assert!(is_wobble("Y"));
        assert!(!is_wobble("C"));
        assert!(!is_wobble("CT"));
    }
}
