//! CSV and TSV tables, optionally gzipped: BOM, CRLF, quoting, blank rows
//! and trailing empty columns handled; invalid UTF-8 reported by line.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::{io, read_up_to, Cell, Format, Missing, Pass};
use crate::error::{Error, Result};
use crate::value::NaTokens;

/// How much of the start is read to strip a BOM and sniff the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A delimited text table with its header read.
pub(crate) struct TextTable {
    path: PathBuf,
    reader: csv::Reader<Box<dyn Read>>,
    columns: Vec<String>,
    delimiter: u8,
    na: NaTokens,
    /// Index of the last named column, plus one.
    named_width: usize,
    lines: LineTracker,
}

impl TextTable {
    /// Opens `path` (`gzip`: decompress), reads its header.
    pub(crate) fn open(
        path: &Path,
        gzip: bool,
        delimiter: Option<u8>,
        na: NaTokens,
    ) -> Result<Self> {
        let file = File::open(path).map_err(io(path, "opening"))?;
        let mut raw: Box<dyn Read> = if gzip {
            Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)))
        } else {
            Box::new(file)
        };
        let mut prefix = vec![0u8; SNIFF_BYTES];
        let n = read_up_to(&mut raw, &mut prefix).map_err(io(path, "reading"))?;
        prefix.truncate(n);
        if prefix.starts_with(BOM) {
            prefix.drain(..BOM.len());
        }
        let delimiter = delimiter.unwrap_or_else(|| guess_delimiter(path, &prefix));
        let (tap, mut lines) = NewlineTap::new(Cursor::new(prefix).chain(raw));
        let reader: Box<dyn Read> = Box::new(BufReader::with_capacity(1 << 16, tap));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(reader);
        let mut header = csv::ByteRecord::new();
        let got = reader
            .read_byte_record(&mut header)
            .map_err(|source| Error::Delimited {
                path: path.to_path_buf(),
                line: source.position().map_or(1, csv::Position::line),
                source,
            })?;
        if !got {
            return Err(Error::EmptyFile {
                path: path.to_path_buf(),
            });
        }
        let line = record_line(&mut lines, reader.position().byte(), &header);
        let mut columns = Vec::with_capacity(header.len());
        for field in header.iter() {
            let name = std::str::from_utf8(field).map_err(|_| Error::NotUtf8 {
                path: path.to_path_buf(),
                line,
                byte: header.position().map_or(0, csv::Position::byte),
            })?;
            columns.push(name.trim().trim_start_matches('\u{feff}').to_owned());
        }
        let named_width = columns
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1);
        if named_width == 0 {
            return Err(Error::EmptyFile {
                path: path.to_path_buf(),
            });
        }
        Ok(Self {
            path: path.to_path_buf(),
            reader,
            columns,
            delimiter,
            na,
            named_width,
            lines,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn columns(&self) -> &[String] {
        &self.columns
    }

    pub(crate) fn format(&self) -> Format {
        match self.delimiter {
            b',' => Format::Csv,
            b'\t' => Format::Tsv,
            b';' => Format::Ssv,
            _ => Format::Delimited,
        }
    }

    pub(crate) fn for_each_row(
        mut self,
        wanted: &[usize],
        f: &mut dyn FnMut(u64, &[Cell<'_>]) -> Result<()>,
    ) -> Result<Pass> {
        let mut pass = Pass::default();
        let mut record = csv::ByteRecord::new();
        loop {
            let more = self
                .reader
                .read_byte_record(&mut record)
                .map_err(|source| Error::Delimited {
                    path: self.path.clone(),
                    line: source.position().map_or(0, csv::Position::line),
                    source,
                })?;
            if !more {
                break;
            }
            let byte = record.position().map_or(0, csv::Position::byte);
            let line = record_line(&mut self.lines, self.reader.position().byte(), &record);
            if record.iter().all(|field| field.trim_ascii().is_empty()) {
                pass.blank_rows += 1;
                continue;
            }
            std::str::from_utf8(record.as_slice()).map_err(|_| Error::NotUtf8 {
                path: self.path.clone(),
                line,
                byte,
            })?;
            let ragged = || Error::RaggedRow {
                path: self.path.clone(),
                line,
                found: record.len(),
                expected: self.columns.len(),
            };
            if record.len() < self.named_width {
                return Err(ragged());
            }
            if record
                .iter()
                .skip(self.columns.len())
                .any(|field| !field.trim_ascii().is_empty())
            {
                return Err(ragged());
            }
            let mut cells = Vec::with_capacity(wanted.len());
            for &index in wanted {
                let field = record.get(index).unwrap_or_default();
                // Validated above as part of the whole record.
                let field = std::str::from_utf8(field).unwrap_or_default().trim();
                cells.push(match self.na.matching(field) {
                    Some(token) => Cell::Na(Missing::Token(token)),
                    None => Cell::Text(field),
                });
            }
            pass.rows += 1;
            f(line, &cells)?;
        }
        Ok(pass)
    }
}

/// The 1-based line where `record` starts, given the reader's byte offset
/// just after it. csv-core neither counts line breaks inside quoted fields
/// nor reports where a record's text starts after blank lines, so lines are
/// counted here: the line of the record's terminator, less the line breaks
/// inside its fields.
fn record_line(lines: &mut LineTracker, end: u64, record: &csv::ByteRecord) -> u64 {
    let last = lines.line_at(end.saturating_sub(1));
    let inside = line_breaks(record.as_slice());
    last.saturating_sub(inside).max(1)
}

/// Line breaks in `bytes`, counted as [`NewlineTap`] counts them.
fn line_breaks(bytes: &[u8]) -> u64 {
    let lone_cr = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count();
    (bytes.iter().filter(|&&b| b == b'\n').count() + lone_cr) as u64
}

/// Records the byte offset of every line break read through it: `\n`, and
/// a `\r` not followed by `\n` (old Mac line ends, which the CSV reader
/// also ends records at; found by the `clinical_table` fuzz target).
struct NewlineTap<R> {
    inner: R,
    offset: u64,
    newlines: Rc<RefCell<VecDeque<u64>>>,
    /// The last byte read was `\r`.
    after_cr: bool,
}

impl<R: Read> NewlineTap<R> {
    fn new(inner: R) -> (Self, LineTracker) {
        let newlines = Rc::new(RefCell::new(VecDeque::new()));
        let tracker = LineTracker {
            newlines: Rc::clone(&newlines),
            passed: 0,
        };
        let tap = Self {
            inner,
            offset: 0,
            newlines,
            after_cr: false,
        };
        (tap, tracker)
    }
}

impl<R: Read> Read for NewlineTap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut newlines = self.newlines.borrow_mut();
        for (i, &b) in buf[..n].iter().enumerate() {
            let at = self.offset + i as u64;
            if self.after_cr && b != b'\n' {
                newlines.push_back(at - 1);
            }
            if b == b'\n' {
                newlines.push_back(at);
            }
            self.after_cr = b == b'\r';
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// Turns byte offsets (in increasing order) into 1-based line numbers,
/// forgetting line breaks already passed.
struct LineTracker {
    newlines: Rc<RefCell<VecDeque<u64>>>,
    passed: u64,
}

impl LineTracker {
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut newlines = self.newlines.borrow_mut();
        while newlines.front().is_some_and(|&n| n < byte) {
            newlines.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

/// Tab for `.tsv`/`.tab`/`.txt`; for `.csv` a comma unless the header has
/// semicolons and no comma; otherwise whatever the header line has.
fn guess_delimiter(path: &Path, prefix: &[u8]) -> u8 {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let header = prefix.split(|&b| b == b'\n').next().unwrap_or_default();
    let has = |b: u8| header.contains(&b);
    if name.ends_with(".tsv") || name.ends_with(".tab") || name.ends_with(".txt") {
        b'\t'
    } else if name.ends_with(".csv") {
        if has(b';') && !has(b',') {
            b';'
        } else {
            b','
        }
    } else if has(b'\t') {
        b'\t'
    } else if has(b';') && !has(b',') {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rows = Vec<(u64, Vec<String>)>;

    fn read_all(name: &str, bytes: &[u8]) -> Result<(Vec<String>, Rows, Pass)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let na = NaTokens::new(&["NA".into(), "".into()]);
        let table = TextTable::open(&path, false, None, na)?;
        let columns = table.columns().to_vec();
        let wanted: Vec<usize> = (0..columns.len()).collect();
        let mut rows = Vec::new();
        let pass = table.for_each_row(&wanted, &mut |line, cells| {
            rows.push((
                line,
                cells
                    .iter()
                    .map(|c| match c {
                        Cell::Text(t) => (*t).to_owned(),
                        _ => "<NA>".to_owned(),
                    })
                    .collect(),
            ));
            Ok(())
        })?;
        Ok((columns, rows, pass))
    }

    #[test]
    fn strips_bom_and_handles_crlf_and_quotes() {
        let text =
            b"\xEF\xBB\xBFid,drug,note\r\n1,\"clopidogrel, 75 mg\",\"two\r\nlines\"\r\n2,NA,x\r\n";
        let (columns, rows, pass) = read_all("t.csv", text).unwrap();
        assert_eq!(columns, ["id", "drug", "note"]);
        assert_eq!(pass.rows, 2);
        assert_eq!(rows[0].1, ["1", "clopidogrel, 75 mg", "two\r\nlines"]);
        assert_eq!(rows[1].0, 4);
        assert_eq!(rows[1].1, ["2", "<NA>", "x"]);
    }

    #[test]
    fn trailing_empty_columns_and_rows_are_skipped() {
        let text = b"id\tdrug\t\t\n1\tx\t\t\n2\ty\n\t\t\t\n\n";
        let (columns, rows, pass) = read_all("t.tsv", text).unwrap();
        assert_eq!(columns, ["id", "drug", "", ""]);
        assert_eq!(rows.len(), 2);
        assert_eq!(pass.blank_rows, 1);
    }

    #[test]
    fn ragged_rows_and_bad_utf8_name_the_line() {
        let err = read_all("t.csv", b"id,drug\n1,a\n2,b,c\n").unwrap_err();
        assert!(
            matches!(
                err,
                Error::RaggedRow {
                    line: 3,
                    found: 3,
                    ..
                }
            ),
            "{err}"
        );
        let err = read_all("t.csv", b"id,drug\n1,a\n2\n").unwrap_err();
        assert!(
            matches!(
                err,
                Error::RaggedRow {
                    line: 3,
                    found: 1,
                    ..
                }
            ),
            "{err}"
        );
        let err = read_all("t.csv", b"id,drug\n1,a\n2,caf\xe9\n").unwrap_err();
        assert!(matches!(err, Error::NotUtf8 { line: 3, .. }), "{err}");
        assert!(err.to_string().contains("t.csv:3"));
    }

    #[test]
    fn line_numbers_survive_blank_lines_and_quoted_breaks() {
        let text = b"\n\nid,note\n1,\"a\nb\nc\"\n\n\n2,x\r\n3,\"y\r\nz\"\r\n4,w";
        let (_, rows, _) = read_all("t.csv", text).unwrap();
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [4, 9, 10, 12]);
    }

    #[test]
    fn old_mac_line_ends_count_as_lines() {
        // Minimal input from the `clinical_table` fuzz target: a lone `\r`
        // ends the header, and the row after it is line 2, not line 1.
        let (_, rows, _) = read_all("t.csv", b"\x19\r\0").unwrap();
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2]);
        let text = b"id,note\r1,\"a\rb\"\r\r2,x\r\n3,y";
        let (_, rows, _) = read_all("t.csv", text).unwrap();
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 5, 6]);
    }

    #[test]
    fn sniffs_semicolons() {
        let (_, rows, _) = read_all("t.csv", b"id;age\n1;61,5\n").unwrap();
        assert_eq!(rows[0].1, ["1", "61,5"]);
        let (_, rows, _) = read_all("t.dat", b"id\tage\n1\t61\n").unwrap();
        assert_eq!(rows[0].1, ["1", "61"]);
    }

    #[test]
    fn empty_and_header_only() {
        assert!(matches!(
            read_all("t.csv", b"").unwrap_err(),
            Error::EmptyFile { .. }
        ));
        assert!(matches!(
            read_all("t.csv", b"\xEF\xBB\xBF\r\n\r\n").unwrap_err(),
            Error::EmptyFile { .. }
        ));
        let (_, rows, _) = read_all("t.csv", b"id,drug\r\n").unwrap();
        assert!(rows.is_empty());
    }
}
