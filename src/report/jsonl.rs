//! JSON Lines rows: the CSV tables' rows as one JSON object a line, for `batch --format
//! jsonl` and for engines that read records line by line (Spark, Hadoop Streaming).
//!
//! Each object has the CSV table's columns as keys, in the same order and with the same
//! meaning. Numbers are JSON numbers, an empty cell is `null`, and the `tropes_*` lists are
//! arrays of trope ids. A line never holds a raw newline, whatever the text.

use std::io;

use serde_json::{Map, Value};

/// Columns holding numbers.
const NUMERIC: &[&str] = &[
    "words",
    "sentences",
    "cliche_score",
    "mature_score",
    "maturity_index",
    "cliche_density",
    "mature_density",
    "cliche_present",
    "cliche_absent",
    "cliche_generic",
    "mature_present",
    "mature_absent",
    "mature_generic",
    "sentence",
    "start",
    "end",
    "documents",
    "ok",
    "errors",
    "mean_cliche_score",
    "mean_mature_score",
    "mean_maturity_index",
    "lean_mature",
    "lean_cliche",
    "lean_mixed",
    "lean_none",
];

/// Columns holding `;`-separated lists.
const LISTS: &[&str] = &["tropes_present", "tropes_absent", "tropes_generic"];

/// One row as a JSON object: `columns[i]` → `row[i]`, typed as described above.
///
/// ```
/// let v = tropescope::report::jsonl::row_value(&["id", "words", "tropes_absent"], &["a", "12", "x;y"]);
/// assert_eq!(v.to_string(), r#"{"id":"a","words":12,"tropes_absent":["x","y"]}"#);
/// ```
pub fn row_value<C: AsRef<str>, S: AsRef<str>>(columns: &[C], row: &[S]) -> Value {
    let mut map = Map::with_capacity(columns.len());
    for (c, v) in columns.iter().zip(row) {
        let (c, v) = (c.as_ref(), v.as_ref());
        let value = if LISTS.contains(&c) {
            Value::Array(
                v.split(';')
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            )
        } else if v.is_empty() && (NUMERIC.contains(&c) || c == "error") {
            Value::Null
        } else if NUMERIC.contains(&c) {
            number(v)
        } else {
            Value::String(v.to_string())
        };
        map.insert(c.to_string(), value);
    }
    Value::Object(map)
}

fn number(v: &str) -> Value {
    if let Ok(i) = v.parse::<i64>() {
        return Value::from(i);
    }
    v.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or_else(|| Value::String(v.to_string()), Value::Number)
}

/// Write one row as a line.
pub fn write_row<W: io::Write, C: AsRef<str>, S: AsRef<str>>(
    mut out: W,
    columns: &[C],
    row: &[S],
) -> io::Result<()> {
    serde_json::to_writer(&mut out, &row_value(columns, row))?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_cells_are_null_and_text_stays_text() {
        let v = row_value(
            &["id", "error", "cliche_score", "text", "tropes_present"],
            &["7", "", "", "a\nb", ""],
        );
        assert_eq!(
            v.to_string(),
            r#"{"id":"7","error":null,"cliche_score":null,"text":"a\nb","tropes_present":[]}"#
        );
    }

    #[test]
    fn floats_are_numbers() {
        let v = row_value(&["maturity_index"], &["-0.25"]);
        assert_eq!(v["maturity_index"], -0.25);
    }
}
