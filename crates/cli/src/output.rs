//! Printing answers: a readable table or JSON.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde_json::Value;

/// How answers are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tables and text.
    Text,
    /// JSON on stdout.
    Json,
}

/// Prints a JSON value, pretty.
pub fn print_json(value: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
    );
}

/// The text of a scalar JSON value as a table cell.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Object(_) | Value::Array(_) => v.to_string(),
        other => other.to_string(),
    }
}

fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    t
}

/// A record as a two-column field/value table (null fields left out).
pub fn record_table(record: &Value) -> String {
    let mut t = table();
    t.set_header(vec!["field", "value"]);
    if let Value::Object(map) = record {
        for (k, v) in map {
            if !v.is_null() {
                t.add_row(vec![k.clone(), cell(v)]);
            }
        }
    }
    t.to_string()
}

/// Records as a table with one column per field (in the first record's order).
pub fn list_table(records: &[Value], columns: &[&str]) -> String {
    let mut t = table();
    t.set_header(columns.to_vec());
    for r in records {
        t.add_row(
            columns
                .iter()
                .map(|c| r.get(*c).map(cell).unwrap_or_default())
                .collect::<Vec<_>>(),
        );
    }
    t.to_string()
}

/// Prints one record in the chosen format.
pub fn print_record(format: Format, record: &Value) {
    match format {
        Format::Json => print_json(record),
        Format::Text => println!("{}", record_table(record)),
    }
}

/// Prints a list (with its paging facts) in the chosen format.
pub fn print_list(format: Format, items: &[Value], columns: &[&str], paging: Value) {
    match format {
        Format::Json => {
            let mut out = serde_json::Map::new();
            out.insert("items".into(), Value::Array(items.to_vec()));
            if let Value::Object(p) = paging {
                out.extend(p);
            }
            print_json(&Value::Object(out));
        }
        Format::Text => {
            if items.is_empty() {
                println!("(no items)");
            } else {
                println!("{}", list_table(items, columns));
            }
            let facts: Vec<String> = match &paging {
                Value::Object(p) => p
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| format!("{k} {}", cell(v)))
                    .collect(),
                _ => Vec::new(),
            };
            if !facts.is_empty() {
                println!("{}", facts.join(", "));
            }
        }
    }
}
