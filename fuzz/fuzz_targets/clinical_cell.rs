//! Reading one clinical cell (stages/join/src/value.rs): numbers with a
//! decimal point or comma, yes/no values, NA tokens. Input: a selector byte
//! (decimal separator), then `cell \n na-token;na-token...`.
//!
//! Contract: an accepted number is finite and read exactly as Rust reads
//! the same digits; written back in the same convention it reads as the
//! same bits; a yes/no value is case-blind and agrees with the number when
//! both read; NA matching is trimmed and case-blind.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tailor_join::fuzzing::{is_na, parse_binary, parse_number};
use tailor_join::ValueError;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let decimal = if selector & 1 == 1 { ',' } else { '.' };
    let (cell, tokens) = text.split_once('\n').unwrap_or((text, ""));
    let cell = cell.trim();
    let number = parse_number(cell, decimal);
    match number {
        Ok(x) => {
            assert!(x.is_finite(), "{cell:?} -> {x}");
            let plain = if decimal == ',' {
                cell.replace(',', ".")
            } else {
                cell.to_owned()
            };
            assert_eq!(plain.parse::<f64>().map(f64::to_bits), Ok(x.to_bits()));
            let mut written = format!("{x}");
            if decimal == ',' {
                written = written.replace('.', ",");
            }
            let again = parse_number(&written, decimal);
            assert_eq!(
                again.map(f64::to_bits),
                Ok(x.to_bits()),
                "{cell:?} -> {written:?}"
            );
        }
        Err(e) => assert_ne!(e, ValueError::Negative, "{cell:?}"),
    }
    let binary = parse_binary(cell);
    assert_eq!(parse_binary(&cell.to_ascii_uppercase()), binary);
    assert_eq!(parse_binary(&cell.to_ascii_lowercase()), binary);
    if let (Ok(b), Ok(x)) = (binary, number) {
        assert_eq!(f64::from(u8::from(b)), x, "{cell:?}");
    }
    let tokens: Vec<String> = tokens.split(';').map(str::to_owned).collect();
    let expected = tokens.iter().any(|t| t.trim().eq_ignore_ascii_case(cell));
    assert_eq!(is_na(&tokens, cell), expected, "{cell:?} {tokens:?}");
});
