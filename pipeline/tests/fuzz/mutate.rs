//! Mutations of a VCF's text: the damage real files get (truncation, stray
//! bytes, Latin-1 headers) and the odd-but-valid content that crashed
//! tailor's readers (undeclared ids, ploidy 3, empty sample names).

use super::prng::Rng;

/// GT values a damaged or odd file may hold.
const BAD_GTS: [&[u8]; 18] = [
    b"0/1/1",
    b"1|0|1",
    b"0/1/1/0",
    b".",
    b"./.",
    b"0|",
    b"|",
    b"/",
    b"1/2",
    b"99/0",
    b"-1/0",
    b"a/b",
    b"0//1",
    b"",
    b"0/1:",
    b"2147483647/0",
    b"0/.",
    b"0/1/2/3/4/5/6/7/8",
];

/// FORMAT columns with undeclared or mistyped fields, with a value for
/// them put before (or after) each sample's GT.
const FORMATS: [(&[u8], &[u8], bool); 6] = [
    (b"XX:GT", b"3", true),
    (b"DP:GT", b"12", true),
    (b"GT:YY", b"abc", false),
    (b"PS:GT", b"x", true),
    (b"GT:GQ", b"1.5e400", false),
    (b"GT:DP:ZZ", b"4:5,6", false),
];

/// Every mutation, by name.
pub const MUTATIONS: [&str; 19] = [
    "byte_flips",
    "truncate",
    "bad_gt",
    "ploidy_3",
    "undeclared_filter",
    "undeclared_format",
    "undeclared_info",
    "non_utf8_header",
    "non_utf8_record",
    "empty_sample_name",
    "duplicate_sample_name",
    "huge_line",
    "drop_header_line",
    "swap_records",
    "drop_column",
    "crlf",
    "empty_file",
    "no_samples_left",
    "none",
];

/// Applies mutation `name` to `text`.
pub fn apply(name: &str, text: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = text.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    let records: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].is_empty() && lines[i][0] != b'#')
        .collect();
    let header: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with(b"##"))
        .collect();
    let chrom = lines.iter().position(|l| l.starts_with(b"#CHROM"));
    let record = (!records.is_empty()).then(|| *rng.pick(&records));
    match name {
        "byte_flips" => {
            let mut bytes = text.to_vec();
            for _ in 0..=rng.below(16) {
                if !bytes.is_empty() {
                    let at = rng.below(bytes.len());
                    bytes[at] = rng.byte();
                }
            }
            return bytes;
        }
        "truncate" => return text[..rng.below(text.len() + 1)].to_vec(),
        "empty_file" => return Vec::new(),
        "crlf" => {
            return lines.join(&b"\r\n"[..]);
        }
        "bad_gt" | "ploidy_3" => {
            if let Some(r) = record {
                let ploidy_3: [&[u8]; 3] = [b"0/1/1", b"1|1|0", b"0/0/0"];
                let value: &[u8] = if name == "ploidy_3" {
                    ploidy_3[rng.below(ploidy_3.len())]
                } else {
                    BAD_GTS[rng.below(BAD_GTS.len())]
                };
                set_gt(&mut lines[r], value, rng);
            }
        }
        "undeclared_filter" => {
            for &r in &records {
                if rng.percent(30) || Some(r) == record {
                    let filters: [&[u8]; 4] = [b"LowQ", b"q10;LowQual", b"PASS;XX", b"."];
                    let filter = filters[rng.below(filters.len())];
                    set_column(&mut lines[r], 6, filter);
                }
            }
        }
        "undeclared_format" => {
            let (format, value, before) = *rng.pick(&FORMATS);
            if let Some(r) = record {
                set_format(&mut lines[r], format, value, before);
            }
        }
        "undeclared_info" => {
            if let Some(r) = record {
                set_column(&mut lines[r], 7, b"FOO=1;BAR;AF=x,y");
            }
        }
        "non_utf8_header" => {
            let line = b"##source=Universit\xe4t Z\xfcrich \xff\xfe".to_vec();
            let at = header.first().map_or(0, |h| h + 1);
            lines.insert(at.min(lines.len()), line);
            if let Some(c) = chrom {
                if rng.percent(30) {
                    let c = if c >= at { c + 1 } else { c };
                    lines[c].extend_from_slice(b"\t\xe4\xff");
                }
            }
        }
        "non_utf8_record" => {
            if let Some(r) = record {
                let column = rng.pick(&[0usize, 2, 3, 4, 6, 7, 8, 9]);
                set_column(&mut lines[r], *column, b"\xe4\xff\xc3");
            }
        }
        "empty_sample_name" | "duplicate_sample_name" => {
            if let Some(c) = chrom {
                let mut columns: Vec<Vec<u8>> = lines[c]
                    .split(|b| *b == b'\t')
                    .map(<[u8]>::to_vec)
                    .collect();
                if columns.len() > 9 {
                    let at = 9 + rng.below(columns.len() - 9);
                    columns[at] = if name == "empty_sample_name" {
                        Vec::new()
                    } else {
                        columns[9].clone()
                    };
                    if name == "duplicate_sample_name" && at == 9 {
                        let copy = columns[9].clone();
                        columns.push(copy);
                    }
                }
                lines[c] = columns.join(&b'\t');
            }
        }
        "no_samples_left" => {
            if let Some(c) = chrom {
                let keep = if rng.percent(50) { 8 } else { 9 };
                lines[c] = cut_columns(&lines[c], keep);
                for &r in &records {
                    lines[r] = cut_columns(&lines[r], keep);
                }
            }
        }
        "huge_line" => {
            let size = 20_000 + rng.below(100_000);
            let mut line = b"##comment=".to_vec();
            line.resize(line.len() + size, b'A');
            match record {
                Some(r) if rng.percent(50) => {
                    let mut info = b"BIG=".to_vec();
                    info.resize(size, b'C');
                    set_column(&mut lines[r], 7, &info);
                }
                _ => lines.insert(1.min(lines.len()), line),
            }
        }
        "drop_header_line" if !header.is_empty() => {
            lines.remove(*rng.pick(&header));
        }
        "swap_records" if records.len() >= 2 => {
            let a = *rng.pick(&records);
            let b = *rng.pick(&records);
            lines.swap(a, b);
        }
        "drop_column" => {
            let targets: Vec<usize> = records.iter().copied().chain(chrom).collect();
            if !targets.is_empty() {
                let t = *rng.pick(&targets);
                let mut columns: Vec<Vec<u8>> = lines[t]
                    .split(|b| *b == b'\t')
                    .map(<[u8]>::to_vec)
                    .collect();
                if columns.len() > 1 {
                    columns.remove(rng.below(columns.len()));
                }
                lines[t] = columns.join(&b'\t');
            }
        }
        _ => {}
    }
    lines.join(&b'\n')
}

/// Replaces tab-separated column `index` of `line` (if it has one).
fn set_column(line: &mut Vec<u8>, index: usize, value: &[u8]) {
    let mut columns: Vec<Vec<u8>> = line.split(|b| *b == b'\t').map(<[u8]>::to_vec).collect();
    if let Some(column) = columns.get_mut(index) {
        *column = value.to_vec();
    }
    *line = columns.join(&b'\t');
}

/// Keeps the first `keep` columns of `line`.
fn cut_columns(line: &[u8], keep: usize) -> Vec<u8> {
    let columns: Vec<&[u8]> = line.split(|b| *b == b'\t').take(keep).collect();
    columns.join(&b'\t')
}

/// Sets the GT (first FORMAT value) of a random sample of a record.
fn set_gt(line: &mut Vec<u8>, value: &[u8], rng: &mut Rng) {
    let mut columns: Vec<Vec<u8>> = line.split(|b| *b == b'\t').map(<[u8]>::to_vec).collect();
    if columns.len() > 9 {
        let at = 9 + rng.below(columns.len() - 9);
        let rest: Vec<u8> = match columns[at].iter().position(|b| *b == b':') {
            Some(colon) => columns[at][colon..].to_vec(),
            None => Vec::new(),
        };
        let mut sample = value.to_vec();
        sample.extend_from_slice(&rest);
        columns[at] = sample;
    }
    *line = columns.join(&b'\t');
}

/// Sets a record's FORMAT column and gives every sample a value for the
/// added field, before or after its GT.
fn set_format(line: &mut Vec<u8>, format: &[u8], value: &[u8], before: bool) {
    let mut columns: Vec<Vec<u8>> = line.split(|b| *b == b'\t').map(<[u8]>::to_vec).collect();
    if columns.len() > 9 {
        columns[8] = format.to_vec();
        for sample in &mut columns[9..] {
            let gt = sample
                .split(|b| *b == b':')
                .next()
                .unwrap_or_default()
                .to_vec();
            *sample = if before {
                [value, b":", &gt].concat()
            } else {
                [&gt[..], b":", value].concat()
            };
        }
    }
    *line = columns.join(&b'\t');
}

#[test]
fn mutations_change_what_they_name() {
    let text =
        b"##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n\
chr10\t1\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\t0/0\n";
    let mut rng = Rng::new(1, 1);
    let ploidy = apply("ploidy_3", text, &mut rng);
    let record = ploidy.split(|b| *b == b'\n').nth(2).unwrap();
    assert!(
        record
            .windows(2)
            .filter(|w| w[0] == b'/' || w[0] == b'|')
            .count()
            >= 3
    );
    let format = apply("undeclared_format", text, &mut rng);
    assert!(
        format
            .split(|b| *b == b'\n')
            .nth(2)
            .unwrap()
            .split(|b| *b == b'\t')
            .nth(8)
            .unwrap()
            .len()
            > 2
    );
    assert_eq!(apply("none", text, &mut rng), text.to_vec());
    let empty = apply("empty_sample_name", text, &mut rng);
    assert!(empty.windows(2).any(|w| w == b"\t\n") || empty.windows(3).any(|w| w == b"\t\tS"));
}
