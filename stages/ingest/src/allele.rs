//! Writing a VCF record's alleles in a definition's representation.
//!
//! A definition gives, at its position, a reference sequence (`CAT` for the
//! UGT1A1 TA repeat) and the alleles over exactly that span. A VCF record
//! starting at the same position may span less or more. The sample's allele
//! is its sequence over the definition's span: `C>CAT` over REF `CAT` is
//! `CATAT` (the inserted `AT` followed by the rest of the span, `AT`), and
//! `CAT>C` is `C`.

/// The allele of a record over a definition's span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Projected {
    /// The sequence over the definition's span.
    Allele(String),
    /// The record's REF disagrees with the definition's REF.
    RefMismatch,
}

/// Projects `alt` of a record with `record_ref` (both starting at the
/// definition's position) onto the definition's reference `definition_ref`.
///
/// Comparisons ignore case. A record longer than the definition is trimmed
/// of the suffix it shares with its ALT; if the change then still extends
/// past the span, the span holds the shared prefix when it covers the span,
/// else the raw ALT is kept (it will not match any defined allele).
pub(crate) fn project(definition_ref: &str, record_ref: &str, alt: &str) -> Projected {
    let d = definition_ref.to_ascii_uppercase();
    let r = record_ref.to_ascii_uppercase();
    let a = alt.to_ascii_uppercase();
    let shared = d.len().min(r.len());
    if d.as_bytes()[..shared] != r.as_bytes()[..shared] {
        return Projected::RefMismatch;
    }
    if r.len() <= d.len() {
        return Projected::Allele(format!("{a}{}", &d[r.len()..]));
    }
    // The record spans past the definition: drop the suffix REF and ALT share.
    let mut r_end = r.len();
    let mut a_end = a.len();
    // By characters, not bytes: a non-ASCII allele must not be cut inside a
    // character (found by the `allele_project` fuzz target).
    while let (Some(x), Some(y)) = (
        r[..r_end].chars().next_back(),
        a[..a_end].chars().next_back(),
    ) {
        if x != y || r_end <= x.len_utf8() || a_end <= y.len_utf8() {
            break;
        }
        r_end -= x.len_utf8();
        a_end -= y.len_utf8();
    }
    let (r, a) = (&r[..r_end], &a[..a_end]);
    if r.len() <= d.len() {
        return Projected::Allele(format!("{a}{}", &d[r.len()..]));
    }
    let prefix = r.bytes().zip(a.bytes()).take_while(|(x, y)| x == y).count();
    if prefix >= d.len() {
        // The change lies after the span: the span is unchanged.
        Projected::Allele(d)
    } else {
        Projected::Allele(a.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allele(d: &str, r: &str, a: &str) -> String {
        match project(d, r, a) {
            Projected::Allele(s) => s,
            Projected::RefMismatch => panic!("mismatch"),
        }
    }

    #[test]
    fn snv_is_unchanged() {
        assert_eq!(allele("G", "G", "A"), "A");
        assert_eq!(allele("G", "G", "G"), "G");
    }

    #[test]
    fn ugt1a1_ta_repeat_insertions_and_deletion() {
        // 1000 Genomes writes the TA repeat as three records at 233760233.
        assert_eq!(allele("CAT", "C", "CAT"), "CATAT"); // TA(8), *28
        assert_eq!(allele("CAT", "C", "CATAT"), "CATATAT"); // TA(9), *37
        assert_eq!(allele("CAT", "CAT", "C"), "C"); // TA(6), *36
        assert_eq!(allele("CAT", "C", "C"), "CAT"); // reference TA(7)
    }

    #[test]
    fn deletion_after_an_snv_position_leaves_it_reference() {
        assert_eq!(allele("C", "CAT", "C"), "C");
    }

    #[test]
    fn longer_record_with_shared_suffix_is_trimmed() {
        // REF CAT ALT GAT at a SNV definition C: the SNV C>G.
        assert_eq!(allele("C", "CAT", "GAT"), "G");
    }

    #[test]
    fn complex_change_over_the_span_is_kept_raw() {
        assert_eq!(allele("CA", "CAT", "G"), "G");
    }

    #[test]
    fn non_ascii_alleles_are_never_cut_inside_a_character() {
        // Minimal input from the `allele_project` fuzz target: REF = ALT =
        // a two-byte character over an empty definition span.
        assert_eq!(
            project("", "\u{564}", "\u{564}"),
            Projected::Allele(String::new())
        );
        // A shared last byte (0xA9) but different characters.
        assert_eq!(allele("C", "C\u{e9}", "\u{a9}"), "\u{a9}");
        assert_eq!(allele("C", "CA\u{e9}", "G\u{e9}"), "G");
    }

    #[test]
    fn ref_disagreement_is_a_mismatch() {
        assert_eq!(project("G", "A", "T"), Projected::RefMismatch);
        assert_eq!(project("CAT", "CGT", "C"), Projected::RefMismatch);
        assert_eq!(
            project("cat", "C", "cat"),
            Projected::Allele("CATAT".into())
        );
    }
}
