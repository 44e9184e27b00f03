//! The join_report table: `join_report.json` as rows, one per value, for
//! readers that prefer a table (`SELECT * FROM 'join_report.parquet' WHERE
//! section = 'excluded'`).
//!
//! Written by `tailor join` beside `join_report.json`, from the same
//! document, so it holds exactly what the JSON holds: no patient or sample
//! id, counts from 1 to 10 as `<11` and counts hidden by complementary
//! suppression as `suppressed` (in `value`, with `count` null). A row is one
//! leaf of the document: `section` is its top-level key; `item` names the
//! element of a list section by its key (the gene, the column name, the
//! exclusion reason, the warning kind and column, the file path), or is
//! null; `field` is the rest of the path, dot-separated (`called`,
//! `missing_by_token.na`, `first.0.line`). Each exclusion reason (section
//! `excluded`) gives its rows in total (`rows`) and split by clinical
//! table (`by_file.N.file`, `by_file.N.rows`, every table in input order):
//! each excluded row is counted once, in the table it was read from.
//! Sections and the fields of an object come in name order, list items in
//! the JSON's order.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Version of this table's schema; bump on any column change.
pub const SCHEMA_VERSION: u32 = 1;
/// The table's name in metadata and file names (`join_report.parquet`).
pub const TABLE: &str = "join_report";

/// `Utf8`: the top-level key of the JSON document (`calls`, `clinical`,
/// `columns`, `cohort`, `excluded`, `warnings`, `genes`, `version`, ...).
pub const SECTION: &str = "section";
/// `Utf8`: the element of a list section, by its key (gene, column name,
/// exclusion reason, `kind` or `kind:column` of a warning, file path);
/// null outside lists.
pub const ITEM: &str = "item";
/// `Utf8`: the path below the section (and item), dot-separated; null
/// for a section that is a single value.
pub const FIELD: &str = "field";
/// `Utf8`: the value as the JSON writes it: a number, `<11`, `suppressed`,
/// text, `true`/`false`; null for a JSON null.
pub const VALUE: &str = "value";
/// `Int64`: the value when it is a shown whole number (a count), else null.
pub const COUNT: &str = "count";

/// The Arrow schema of the join_report table.
pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new(SECTION, DataType::Utf8, false),
        Field::new(ITEM, DataType::Utf8, true),
        Field::new(FIELD, DataType::Utf8, true),
        Field::new(VALUE, DataType::Utf8, true),
        Field::new(COUNT, DataType::Int64, true),
    ]))
}
