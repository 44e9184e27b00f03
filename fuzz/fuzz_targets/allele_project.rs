//! Projecting a VCF record's allele onto a definition's span
//! (stages/ingest/src/allele.rs). Input: `definition REF \t record REF \t
//! ALT`.
//!
//! Contract: a mismatch exactly when the two REFs disagree (ignoring case)
//! over their common length; the result is upper case; a record no longer
//! than the definition gives ALT followed by the rest of the span; the
//! reference allele projects onto the definition's reference.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tailor_ingest::fuzzing::project_allele;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\t');
    let (Some(d), Some(r), Some(a)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let (du, ru, au) = (
        d.to_ascii_uppercase(),
        r.to_ascii_uppercase(),
        a.to_ascii_uppercase(),
    );
    let shared = d.len().min(r.len());
    let agree = du.as_bytes()[..shared] == ru.as_bytes()[..shared];
    let projected = project_allele(d, r, a);
    assert_eq!(projected.is_some(), agree, "{d:?} {r:?} {a:?}");
    let Some(allele) = projected else {
        return;
    };
    assert_eq!(allele, allele.to_ascii_uppercase());
    if r.len() <= d.len() {
        assert_eq!(allele, format!("{au}{}", &du[r.len()..]));
    }
    if du == ru {
        assert_eq!(allele, au);
    }
    assert_eq!(project_allele(d, r, r), Some(du.clone()), "{d:?} {r:?}");
});
