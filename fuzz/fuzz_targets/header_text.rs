//! The VCF/BCF header reader (stages/ingest/src/header_text.rs): parsing
//! header bytes, and reading them from a text, raw BCF or gzip file.
//!
//! Contract: a header is accepted only with a valid `#CHROM ... FORMAT`
//! line and at least one sample, every name non-empty and unique; `PASS` is
//! always a declared filter; no declared id spans a `,` or a line; parsing
//! the accepted text again gives the same facts; a rejection is one of the
//! typed header errors and names the file.
#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use tailor_ingest::fuzzing::{parse_header, read_header, HeaderFacts};
use tailor_ingest::Error;

const CHROM: &[u8] = b"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t";

fn check_accepted(path: &Path, facts: &HeaderFacts) {
    assert!(!facts.samples.is_empty());
    let mut seen = std::collections::HashSet::new();
    for sample in &facts.samples {
        assert!(!sample.is_empty(), "empty sample name accepted");
        assert!(!sample.contains(['\t', '\n']), "{sample:?}");
        assert!(seen.insert(sample), "duplicate {sample:?} accepted");
    }
    assert!(facts.filters.iter().any(|f| f == b"PASS"));
    for id in facts.filters.iter().chain(&facts.formats) {
        assert!(!id.contains(&b',') && !id.contains(&b'\n'), "{id:?}");
    }
    for (id, _) in &facts.contigs {
        assert!(!id.contains([',', '\n']), "{id:?}");
    }
    assert!(
        facts.text.windows(CHROM.len()).any(|w| w == CHROM),
        "accepted without a #CHROM ... FORMAT line"
    );
    let again = parse_header(path, &facts.text).expect("accepted text parses again");
    assert_eq!(&again, facts, "a second parse differs");
}

fn check_rejected(path: &Path, error: &Error) {
    assert!(
        matches!(
            error,
            Error::NotVcf { .. }
                | Error::NoSamples { .. }
                | Error::DuplicateSample { .. }
                | Error::Io { .. }
        ),
        "unexpected error kind: {error:?}"
    );
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("{}: ", path.display())),
        "{message}"
    );
}

fn scratch() -> PathBuf {
    std::env::temp_dir().join(format!("tailor-fuzz-header-{}.vcf", std::process::id()))
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.vcf");
    match parse_header(path, data) {
        Ok(facts) => {
            assert_eq!(facts.text, data);
            check_accepted(path, &facts);
        }
        Err(e) => check_rejected(path, &e),
    }
    // The same bytes (after a container byte) as a file.
    let Some((&container, body)) = data.split_first() else {
        return;
    };
    let container = container & 3;
    let file = scratch();
    std::fs::write(&file, body).expect("scratch file");
    match read_header(&file, container) {
        Ok(facts) => {
            check_accepted(&file, &facts);
            match container {
                // A BCF's header text follows its 9-byte prefix; anything
                // else is read as text.
                1 if body.starts_with(b"BCF") => {
                    assert!(body
                        .get(9..)
                        .is_some_and(|rest| rest.starts_with(&facts.text)));
                }
                2 | 3 => {}
                _ => {
                    assert!(body.starts_with(&facts.text));
                    // Every line kept is a header line, after the one the
                    // reader's 5-byte magic check may run into.
                    let rest = &facts.text[facts.text.len().min(5)..];
                    for line in rest.split(|b| *b == b'\n').skip(1) {
                        assert!(line.is_empty() || line[0] == b'#', "{line:?}");
                    }
                }
            }
        }
        Err(e) => check_rejected(&file, &e),
    }
});
