//! Reading a CSV/TSV clinical table (stages/join/src/source/text_table.rs)
//! from a file: BOM, CRLF, quoting, blank rows, ragged rows, non-UTF-8.
//! Input: a selector byte (delimiter: sniffed, `,`, tab or `;`), then the
//! file's bytes.
//!
//! Contract: an accepted table has a named column; every row has one cell
//! per column, trimmed and never an NA token; rows come in increasing line
//! order after the header and within the file's lines; a rejection names
//! the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tailor_join::fuzzing::read_text_table;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let delimiter = match selector & 3 {
        0 => None,
        1 => Some(b','),
        2 => Some(b'\t'),
        _ => Some(b';'),
    };
    let dir = std::env::temp_dir().join(format!("tailor-fuzz-table-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let path = dir.join(if selector & 4 == 4 {
        "clinical.tsv"
    } else {
        "clinical.csv"
    });
    std::fs::write(&path, body).expect("scratch file");
    let tokens = vec!["NA".to_owned(), String::new(), ".".to_owned()];
    match read_text_table(&path, false, delimiter, &tokens) {
        Ok(table) => {
            assert!(table.columns.iter().any(|c| !c.is_empty()));
            // Line breaks: `\n`, and a `\r` not followed by `\n`.
            let lone_cr = body
                .windows(2)
                .filter(|w| w[0] == b'\r' && w[1] != b'\n')
                .count();
            let newlines = body.iter().filter(|b| **b == b'\n').count();
            let lines = (newlines + lone_cr) as u64 + 2;
            let mut previous = 1;
            for (line, cells) in &table.rows {
                assert!(*line > previous, "line {line} after {previous}");
                assert!(*line <= lines, "line {line} of {lines}");
                previous = *line;
                assert_eq!(cells.len(), table.columns.len());
                for cell in cells.iter().flatten() {
                    assert_eq!(cell.trim(), cell);
                    assert!(
                        !tokens.iter().any(|t| t.eq_ignore_ascii_case(cell)),
                        "{cell:?}"
                    );
                }
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.contains(&path.display().to_string()), "{message}");
        }
    }
});
