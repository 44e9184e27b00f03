//! Reading the clinical tables into typed columns, one role per slot.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tailor_schemas::cohort::CovariateKind;

use crate::clinical_rows::ClinicalRows;
use crate::column::{Inferred, Value};
use crate::dictionary::{Code, Dictionary};
use crate::error::{Error, Result};
use crate::layout::{Layout, SlotKind};
use crate::source::{find_column, list_columns, Cell, Format, Missing, Source};
use crate::string_table::StringTable;
use crate::value::{parse_binary, parse_number, ValueError};

/// What was read from one clinical file.
#[derive(Clone, Debug)]
pub(crate) struct FileStats {
    pub path: PathBuf,
    pub format: Format,
    pub rows: u64,
    pub blank_rows: u64,
    /// Output slots this file provided.
    pub slots: Vec<usize>,
}

/// Every row of every clinical file, and the kind of each covariate.
#[derive(Debug)]
pub(crate) struct Clinical {
    pub rows: ClinicalRows,
    pub files: Vec<FileStats>,
    /// Per covariate slot: its kind and whether it was inferred.
    pub covariate_kinds: Vec<(CovariateKind, bool)>,
    /// Per slot: how many cells of the rows read were missing, and why.
    pub missing_by: Vec<BTreeMap<Missing, u64>>,
}

/// Settings the readers need.
pub(crate) struct ReadSettings<'a> {
    pub sample_id: &'a str,
    pub episode_id: Option<&'a str>,
    pub decimal: char,
    pub delimiter: Option<u8>,
    pub na: &'a crate::value::NaTokens,
}

/// Reads every clinical table.
pub(crate) fn read_clinical(
    paths: &[PathBuf],
    layout: &Layout,
    settings: &ReadSettings<'_>,
    first_covariate: usize,
) -> Result<Clinical> {
    let mut sources = Vec::with_capacity(paths.len());
    for path in paths {
        sources.push(Source::open(path, settings.delimiter, settings.na)?);
    }
    // Resolve columns of every file before reading any row.
    let mut plans = Vec::with_capacity(sources.len());
    let configured: Vec<&str> = std::iter::once(settings.sample_id)
        .chain(settings.episode_id)
        .chain(
            layout
                .slots
                .iter()
                .filter(|s| s.constant.is_none())
                .map(|s| s.input.as_str()),
        )
        .collect();
    let mut provided: Vec<bool> = layout.slots.iter().map(|s| s.constant.is_some()).collect();
    for (path, source) in paths.iter().zip(&sources) {
        let columns = source.columns();
        let require = |name: &str, role: &'static str| -> Result<usize> {
            find_column(path, columns, name)?.ok_or_else(|| Error::MissingColumn {
                path: path.clone(),
                column: name.to_owned(),
                role,
                available: list_columns(columns, &configured),
            })
        };
        let mut wanted = vec![require(settings.sample_id, "sample id")?];
        if let Some(episode) = settings.episode_id {
            wanted.push(require(episode, "episode id")?);
        }
        let mut slots = Vec::new();
        for (slot_index, slot) in layout.slots.iter().enumerate() {
            if slot.constant.is_some() {
                continue;
            }
            if let Some(column) = find_column(path, columns, &slot.input)? {
                wanted.push(column);
                slots.push(slot_index);
                provided[slot_index] = true;
            }
        }
        plans.push((wanted, slots));
    }
    if let Some(missing) = provided.iter().position(|p| !p) {
        let slot = &layout.slots[missing];
        return Err(Error::ColumnNowhere {
            column: slot.input.clone(),
            role: slot.role,
            first: paths.first().cloned().unwrap_or_default(),
            available: sources
                .first()
                .map(|s| list_columns(s.columns(), &configured))
                .unwrap_or_default(),
        });
    }

    let mut rows = ClinicalRows::new(layout, settings.episode_id.is_some());
    let constants: Vec<Option<Code>> = layout
        .slots
        .iter()
        .map(|s| s.constant.as_deref().map(|c| rows.dictionary.code(c)))
        .collect();
    let mut files = Vec::with_capacity(sources.len());
    let mut missing_by = vec![BTreeMap::new(); layout.slots.len()];
    let value_offset = if settings.episode_id.is_some() { 2 } else { 1 };
    for ((source, (wanted, slots)), path) in sources.into_iter().zip(plans).zip(paths) {
        let format = source.format();
        let names: Vec<String> = wanted
            .iter()
            .map(|&i| source.columns().get(i).cloned().unwrap_or_default())
            .collect();
        // The cell position of each slot this file provides.
        let mut position_of = vec![None; layout.slots.len()];
        for (k, &slot_index) in slots.iter().enumerate() {
            position_of[slot_index] = Some(value_offset + k);
        }
        rows.start_file();
        let pass = source.for_each_row(&wanted, &mut |line, cells| {
            for (slot_index, slot) in layout.slots.iter().enumerate() {
                let value = match (constants[slot_index], position_of[slot_index]) {
                    (Some(code), _) => Value::Text(code),
                    (None, None) => Value::Na,
                    (None, Some(position)) => {
                        let cell = cells
                            .get(position)
                            .copied()
                            .unwrap_or(Cell::Na(Missing::Null));
                        if let Cell::Na(why) = cell {
                            *missing_by[slot_index].entry(why).or_insert(0) += 1;
                        }
                        let read = match (&slot.bands, cell) {
                            (Some(bands), Cell::Text(t)) => bands
                                .value(t, settings.decimal)
                                .map(Value::Number)
                                .map_err(|e| (t.to_owned(), e)),
                            _ => {
                                read_value(cell, slot.kind, settings.decimal, &mut rows.dictionary)
                            }
                        };
                        read.map_err(|(value, reason)| Error::BadValue {
                            path: path.clone(),
                            line,
                            column: names.get(position).cloned().unwrap_or_default(),
                            value,
                            reason,
                        })?
                    }
                };
                rows.columns[slot_index].push(value);
            }
            push_id(&mut rows.patients, cells.first().copied());
            if let Some(episodes) = &mut rows.episodes {
                push_id(episodes, cells.get(1).copied());
            }
            rows.push_line(line);
            Ok(())
        })?;
        files.push(FileStats {
            path: path.clone(),
            format,
            rows: pass.rows,
            blank_rows: pass.blank_rows,
            slots,
        });
    }

    rows.shrink_to_fit();
    let mut covariate_kinds = Vec::new();
    for slot_index in first_covariate..layout.slots.len() {
        let kind = match layout.slots[slot_index].kind {
            SlotKind::Number => (CovariateKind::Numeric, false),
            SlotKind::Text => (CovariateKind::Categorical, false),
            _ => (
                infer_covariate(&mut rows, slot_index, paths, layout, settings.decimal)?,
                true,
            ),
        };
        covariate_kinds.push(kind);
    }
    Ok(Clinical {
        rows,
        files,
        covariate_kinds,
        missing_by,
    })
}

/// Appends an id cell as text (integers written plainly; NA as missing).
fn push_id(ids: &mut StringTable, cell: Option<Cell<'_>>) {
    match cell {
        None | Some(Cell::Na(_)) => ids.push(None),
        Some(Cell::Text(t)) => ids.push(Some(t)),
        Some(Cell::Integer(i)) => ids.push_display(i),
        Some(Cell::Number(x)) => ids.push_display(x),
        Some(Cell::Bool(b)) => ids.push_display(b),
    }
}

/// A cell read as `kind`; on failure the cell's text and the reason.
fn read_value(
    cell: Cell<'_>,
    kind: SlotKind,
    decimal: char,
    texts: &mut Dictionary,
) -> Result<Value, (String, ValueError)> {
    let fail = |cell: Cell<'_>, e| Err((cell_text(cell), e));
    match (cell, kind) {
        (Cell::Na(_), _) => Ok(Value::Na),
        (Cell::Text(t), SlotKind::Text | SlotKind::Auto) => Ok(Value::Text(texts.code(t))),
        (other, SlotKind::Text) => Ok(Value::Text(texts.code(&cell_text(other)))),
        (Cell::Integer(i), SlotKind::Number | SlotKind::Auto) => Ok(Value::Number(i as f64)),
        (Cell::Number(x), SlotKind::Number | SlotKind::Auto) => Ok(Value::Number(x)),
        (Cell::Bool(b), SlotKind::Binary) => Ok(Value::Bool(b)),
        (Cell::Integer(i @ (0 | 1)), SlotKind::Binary) => Ok(Value::Bool(i == 1)),
        (Cell::Number(x), SlotKind::Binary) if x == 0.0 || x == 1.0 => Ok(Value::Bool(x == 1.0)),
        (Cell::Text(t), SlotKind::Binary) => match parse_binary(t) {
            Ok(b) => Ok(Value::Bool(b)),
            Err(e) => fail(cell, e),
        },
        (Cell::Text(t), SlotKind::Number) => match parse_number(t, decimal) {
            Ok(x) => Ok(Value::Number(x)),
            Err(e) => fail(cell, e),
        },
        (Cell::Text(_) | Cell::Integer(_) | Cell::Number(_), SlotKind::Time) => {
            let x = match cell {
                Cell::Text(t) => match parse_number(t, decimal) {
                    Ok(x) => x,
                    Err(e) => return fail(cell, e),
                },
                Cell::Integer(i) => i as f64,
                Cell::Number(x) => x,
                _ => 0.0,
            };
            if x < 0.0 {
                fail(cell, ValueError::Negative)
            } else {
                Ok(Value::Number(x))
            }
        }
        (Cell::Bool(_), SlotKind::Auto) => Ok(Value::Text(texts.code(&cell_text(cell)))),
        (_, SlotKind::Binary) => fail(cell, ValueError::Unreadable(crate::value::Expected::Binary)),
        (_, SlotKind::Number | SlotKind::Time) => {
            fail(cell, ValueError::Unreadable(crate::value::Expected::Number))
        }
    }
}

fn cell_text(cell: Cell<'_>) -> String {
    match cell {
        Cell::Na(_) => String::new(),
        Cell::Text(t) => t.to_owned(),
        Cell::Integer(i) => i.to_string(),
        Cell::Number(x) => x.to_string(),
        Cell::Bool(b) => b.to_string(),
    }
}

/// Numeric when every value reads as a number; categorical when any value
/// is text (bins such as `60 - 69` included). A number-like value that must
/// not be guessed (`1 234`, a decimal comma without `decimal = ","`) is an
/// error even in an otherwise numeric column.
fn infer_covariate(
    rows: &mut ClinicalRows,
    slot: usize,
    paths: &[PathBuf],
    layout: &Layout,
    decimal: char,
) -> Result<CovariateKind> {
    let Some(column) = rows.columns.get_mut(slot) else {
        return Ok(CovariateKind::Categorical);
    };
    match column.infer(&mut rows.dictionary, decimal) {
        Ok(Inferred::Numeric) => Ok(CovariateKind::Numeric),
        Ok(_) => Ok(CovariateKind::Categorical),
        Err((row, reason)) => Err(Error::BadValue {
            path: paths.get(rows.file(row)).cloned().unwrap_or_default(),
            line: rows.line(row),
            column: layout.slots[slot].input.clone(),
            value: match rows.value(row, slot) {
                Value::Text(code) => rows.text(code).to_owned(),
                _ => String::new(),
            },
            reason,
        }),
    }
}

/// Path of the `file`th clinical input, for messages.
pub(crate) fn file_path(files: &[FileStats], file: usize) -> &Path {
    files.get(file).map_or(Path::new(""), |f| f.path.as_path())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CovariateConfig, JoinConfig, OutcomeConfig};
    use crate::value::NaTokens;
    use tailor_schemas::cohort::OutcomeKind;

    fn config() -> JoinConfig {
        let mut config = JoinConfig::new("id", "drug");
        config.outcomes.push(OutcomeConfig {
            name: "bleed".into(),
            kind: OutcomeKind::Binary,
            column: None,
            time_column: None,
            event_column: None,
            higher_is_better: false,
            unit: None,
        });
        config.covariates.push(CovariateConfig {
            name: "age".into(),
            kind: None,
            column: None,
            reference: None,
            bands: None,
            band_values: Default::default(),
        });
        config
    }

    fn read(config: &JoinConfig, files: &[(&str, &[u8])]) -> Result<Clinical> {
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for (name, bytes) in files {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            paths.push(path);
        }
        let layout = Layout::new(config).unwrap();
        let na = NaTokens::new(&config.na);
        let settings = ReadSettings {
            sample_id: &config.sample_id,
            episode_id: config.episode_id.as_deref(),
            decimal: config.decimal,
            delimiter: None,
            na: &na,
        };
        read_clinical(&paths, &layout, &settings, 2)
    }

    #[test]
    fn infers_bins_as_categorical_and_numbers_as_numeric() {
        let c = read(
            &config(),
            &[("a.csv", b"id,drug,bleed,age\n1,x,1,60 - 69\n2,y,no,61\n")],
        )
        .unwrap();
        assert_eq!(c.covariate_kinds, [(CovariateKind::Categorical, true)]);
        let sixty_one = c.rows.dictionary.find("61").unwrap();
        assert_eq!(c.rows.value(1, 2), Value::Text(sixty_one));
        assert_eq!(c.rows.value(1, 1), Value::Bool(false));
        let c = read(
            &config(),
            &[("a.csv", b"id,drug,bleed,age\n1,x,1,60\n2,y,NA,61.5\n")],
        )
        .unwrap();
        assert_eq!(c.covariate_kinds, [(CovariateKind::Numeric, true)]);
        assert_eq!(c.rows.value(1, 2), Value::Number(61.5));
        assert_eq!(c.rows.value(1, 1), Value::Na);
    }

    #[test]
    fn grouped_numbers_are_errors_with_line_and_column() {
        let err = read(
            &config(),
            &[("a.csv", b"id,drug,bleed,age\n1,x,1,60\n2,y,0,\"1,234\"\n")],
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("a.csv:3"), "{text}");
        assert!(text.contains("\"age\""), "{text}");
        assert!(text.contains("1,234"), "{text}");
        let err = read(
            &config(),
            &[("a.csv", b"id,drug,bleed,age\n1,x,maybe,60\n")],
        )
        .unwrap_err();
        assert!(matches!(err, Error::BadValue { line: 2, .. }), "{err}");
    }

    #[test]
    fn columns_may_come_from_different_files() {
        let c = read(
            &config(),
            &[
                ("a.csv", b"id,drug\n1,x\n"),
                ("b.tsv", b"id\tbleed\tage\n1\t1\t50\n"),
            ],
        )
        .unwrap();
        assert_eq!(c.rows.len(), 2);
        assert_eq!(c.files[0].slots, [0]);
        assert_eq!(c.files[1].slots, [1, 2]);
        let err = read(&config(), &[("a.csv", b"id,drug,bleed\n1,x,1\n")]).unwrap_err();
        assert!(matches!(err, Error::ColumnNowhere { .. }), "{err}");
        let err = read(&config(), &[("a.csv", b"ID,drug,bleed,age\n1,x,1,2\n")]).unwrap_err();
        assert!(err.to_string().contains("\"ID\""), "{err}");
    }
}
