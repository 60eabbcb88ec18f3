//! JSON Lines rows: the CSV tables' rows as one JSON object a line, for `batch --format
//! jsonl` and for engines that read records line by line (Spark, Hadoop Streaming).
//!
//! Each object has the CSV table's columns as keys, in the same order and with the same
//! meaning. Numbers are JSON numbers, an empty cell is `null`, and the `tropes_*` lists are
//! arrays of trope ids. A line never holds a raw newline, whatever the text.

use std::io;

use serde_json::Value;

/// Whether a column of the document, mention or summary table holds numbers.
fn is_numeric(column: &str) -> bool {
    matches!(
        column,
        "words" | "sentences" | "sentence" | "start" | "end" | "documents" | "ok" | "errors"
    ) || ["_score", "_index", "_density"]
        .iter()
        .any(|s| column.ends_with(s))
        || ["cliche_", "mature_", "lean_"]
            .iter()
            .any(|p| column.starts_with(p))
}

/// Whether a column holds a `;`-separated list of trope ids.
fn is_list(column: &str) -> bool {
    column.starts_with("tropes_")
}

/// One row as a JSON object: `columns[i]` → `row[i]`, typed as described above, keys in
/// column order.
///
/// ```
/// let v = tropescope::report::jsonl::row_json(&["id", "words", "tropes_absent"], &["a", "12", "x;y"]);
/// assert_eq!(v, r#"{"id":"a","words":12,"tropes_absent":["x","y"]}"#);
/// ```
pub fn row_json<C: AsRef<str>, S: AsRef<str>>(columns: &[C], row: &[S]) -> String {
    let mut out = Vec::with_capacity(256);
    // Writing to memory cannot fail.
    let _ = write_object(&mut out, columns, row);
    String::from_utf8(out).unwrap_or_default()
}

fn write_object<W: io::Write, C: AsRef<str>, S: AsRef<str>>(
    mut out: W,
    columns: &[C],
    row: &[S],
) -> io::Result<()> {
    out.write_all(b"{")?;
    for (i, (c, v)) in columns.iter().zip(row).enumerate() {
        let (c, v) = (c.as_ref(), v.as_ref());
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut out, c)?;
        out.write_all(b":")?;
        let value = if is_list(c) {
            Value::Array(
                v.split(';')
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            )
        } else if v.is_empty() && (is_numeric(c) || c == "error" || c == "lean") {
            Value::Null
        } else if is_numeric(c) {
            number(v)
        } else {
            Value::String(v.to_string())
        };
        serde_json::to_writer(&mut out, &value)?;
    }
    out.write_all(b"}")
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
    write_object(&mut out, columns, row)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_cells_are_null_and_text_stays_text() {
        let v = row_json(
            &["id", "error", "cliche_score", "text", "tropes_present"],
            &["7", "", "", "a\nb", ""],
        );
        assert_eq!(
            v,
            r#"{"id":"7","error":null,"cliche_score":null,"text":"a\nb","tropes_present":[]}"#
        );
    }

    #[test]
    fn floats_are_numbers() {
        let v = row_json(&["maturity_index", "mature_absent"], &["-0.25", "2"]);
        assert_eq!(v, r#"{"maturity_index":-0.25,"mature_absent":2}"#);
    }
}
