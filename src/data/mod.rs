//! Data input: labeled rows from CSV or JSONL files, with `file:line:column` errors.
//!
//! CSV files need a header row; UTF-8 with or without BOM, CRLF line ends and quoted fields
//! holding newlines are all read. Files ending in `.jsonl` or `.ndjson` are read as one JSON
//! object per line.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, Result};

/// Which columns to read, and which rows to keep.
#[derive(Debug, Clone)]
pub struct Columns {
    /// The text column (default `text`).
    pub text: String,
    /// The label column (default `label`); `None` when labels are not needed.
    pub label: Option<String>,
    /// The source-actor column, used when present (default `source`).
    pub source: String,
    /// The target-actor column, used when present (default `target`).
    pub target: String,
    /// Keep only rows whose `split` column equals this value.
    pub split: Option<String>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            text: "text".into(),
            label: Some("label".into()),
            source: "source".into(),
            target: "target".into(),
            split: None,
        }
    }
}

/// One input row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The file the row came from (shared by the rows of a file).
    pub file: Arc<Path>,
    /// 1-based line where the row starts.
    pub line: u64,
    /// The `id` column, when present.
    pub id: Option<String>,
    /// The text.
    pub text: String,
    /// The label, when asked for.
    pub label: Option<String>,
    /// The source actor cell, when the column exists and is not empty.
    pub source: Option<String>,
    /// The target actor cell, when the column exists and is not empty.
    pub target: Option<String>,
}

/// Rows read from one or more files, with the rows skipped under `skip_invalid`.
#[derive(Debug, Default)]
pub struct Rows {
    /// The rows, in file order.
    pub rows: Vec<Row>,
    /// One error per skipped row.
    pub skipped: Vec<Error>,
    /// SHA-256 over the bytes of every file read, in order.
    pub sha256: String,
}

fn is_jsonl(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl") | Some("ndjson")
    )
}

/// Reads the rows of `paths` (CSV or JSONL, by extension).
///
/// With `skip_invalid`, a row-level problem (empty text, wrong field count, invalid UTF-8,
/// bad JSON) is recorded in [`Rows::skipped`] instead of failing; file-level problems
/// (missing file or column, empty file) always fail.
pub fn read(paths: &[PathBuf], columns: &Columns, skip_invalid: bool) -> Result<Rows> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut rows = Vec::new();
    let skipped = read_files(
        paths,
        columns,
        skip_invalid,
        Some(&mut hasher),
        &mut |row| {
            rows.push(row);
            ControlFlow::Continue(())
        },
    )?;
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Rows {
        rows,
        skipped,
        sha256,
    })
}

/// Reads the rows of `paths` as [`read`] does, handing each to `each` instead of keeping
/// them all; `each` may stop the reading early with `Break`. Returns the errors of the rows
/// skipped under `skip_invalid`.
pub fn for_each_row(
    paths: &[PathBuf],
    columns: &Columns,
    skip_invalid: bool,
    mut each: impl FnMut(Row) -> ControlFlow<()>,
) -> Result<Vec<Error>> {
    read_files(paths, columns, skip_invalid, None, &mut each)
}

/// Where the readers put rows: the caller's function, and the errors of skipped rows.
struct RowSink<'a> {
    each: &'a mut dyn FnMut(Row) -> ControlFlow<()>,
    skipped: Vec<Error>,
    kept: usize,
    stopped: bool,
}

impl RowSink<'_> {
    fn push(&mut self, row: Row) {
        self.kept += 1;
        if (self.each)(row).is_break() {
            self.stopped = true;
        }
    }
}

fn read_files(
    paths: &[PathBuf],
    columns: &Columns,
    skip_invalid: bool,
    mut hasher: Option<&mut sha2::Sha256>,
    each: &mut dyn FnMut(Row) -> ControlFlow<()>,
) -> Result<Vec<Error>> {
    use sha2::Digest;
    let mut out = RowSink {
        each,
        skipped: Vec::new(),
        kept: 0,
        stopped: false,
    };
    for path in paths {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        if let Some(h) = hasher.as_mut() {
            h.update(&bytes);
        }
        let before = out.kept;
        if is_jsonl(path) {
            read_jsonl(path, &bytes, columns, skip_invalid, &mut out)?;
        } else {
            read_csv(path, &bytes, columns, skip_invalid, &mut out)?;
        }
        if out.stopped {
            break;
        }
        if out.kept == before && out.skipped.is_empty() {
            return Err(Error::EmptyFile { path: path.clone() });
        }
    }
    Ok(out.skipped)
}

fn keep_or_fail(err: Error, skip_invalid: bool, out: &mut RowSink<'_>) -> Result<()> {
    if skip_invalid {
        out.skipped.push(err);
        Ok(())
    } else {
        Err(err)
    }
}

fn read_csv(
    path: &Path,
    bytes: &[u8],
    columns: &Columns,
    skip_invalid: bool,
    out: &mut RowSink<'_>,
) -> Result<()> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let file: Arc<Path> = Arc::from(path);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    let header = reader
        .byte_headers()
        .map_err(|e| csv_error(path, e))?
        .clone();
    if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
        return Err(Error::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    let names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    let find = |name: &str| names.iter().position(|n| n == name);
    let missing = |name: &str| Error::MissingColumn {
        path: path.to_path_buf(),
        column: name.to_string(),
        found: names.join(", "),
    };
    let text_col = find(&columns.text).ok_or_else(|| missing(&columns.text))?;
    let label_col = match &columns.label {
        Some(l) => Some(find(l).ok_or_else(|| missing(l))?),
        None => None,
    };
    let split_col = match &columns.split {
        Some(_) => Some(find("split").ok_or_else(|| missing("split"))?),
        None => None,
    };
    let source_col = find(&columns.source);
    let target_col = find(&columns.target);
    let id_col = find("id");
    let mut record = csv::ByteRecord::new();
    // The csv crate's line counter skips newlines inside quoted fields; count them ourselves
    // from byte offsets so errors point at the real line.
    let (mut seen_byte, mut seen_line) = (0usize, 1u64);
    let mut line_at = |byte: usize| {
        // With CRLF the reported offset can sit on the line break before the record.
        let mut byte = byte.min(bytes.len());
        while byte < bytes.len() && matches!(bytes[byte], b'\r' | b'\n') {
            byte += 1;
        }
        if byte >= seen_byte {
            seen_line += bytes[seen_byte..byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            seen_byte = byte;
        }
        seen_line
    };
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                keep_or_fail(csv_error(path, e), skip_invalid, out)?;
                continue;
            }
        }
        let line = record.position().map_or(0, |p| line_at(p.byte() as usize));
        if record.len() == 1 && record[0].is_empty() {
            continue; // a blank line
        }
        if record.len() != names.len() {
            let err = Error::FieldCount {
                path: path.to_path_buf(),
                line,
                expected: names.len(),
                found: record.len(),
            };
            keep_or_fail(err, skip_invalid, out)?;
            continue;
        }
        let mut cells: Vec<&str> = Vec::with_capacity(record.len());
        let mut bad_utf8 = false;
        for field in record.iter() {
            match std::str::from_utf8(field) {
                Ok(s) => cells.push(s),
                Err(_) => {
                    bad_utf8 = true;
                    break;
                }
            }
        }
        if bad_utf8 {
            let err = Error::InvalidUtf8 {
                path: path.to_path_buf(),
                line,
            };
            keep_or_fail(err, skip_invalid, out)?;
            continue;
        }
        if let (Some(c), Some(want)) = (split_col, &columns.split) {
            if cells[c].trim() != want {
                continue;
            }
        }
        let empty = |c: usize| Error::EmptyField {
            path: path.to_path_buf(),
            line,
            column: c + 1,
            name: names[c].clone(),
        };
        if cells[text_col].trim().is_empty() {
            keep_or_fail(empty(text_col), skip_invalid, out)?;
            continue;
        }
        let label = match label_col {
            Some(c) if cells[c].trim().is_empty() => {
                keep_or_fail(empty(c), skip_invalid, out)?;
                continue;
            }
            Some(c) => Some(cells[c].trim().to_string()),
            None => None,
        };
        let opt = |c: Option<usize>| {
            c.map(|c| cells[c].trim())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        out.push(Row {
            file: file.clone(),
            line,
            id: opt(id_col),
            text: cells[text_col].to_string(),
            label,
            source: opt(source_col),
            target: opt(target_col),
        });
        if out.stopped {
            break;
        }
    }
    Ok(())
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    match e.kind() {
        csv::ErrorKind::Io(_) => Error::Syntax {
            path: path.to_path_buf(),
            line,
            column: 1,
            message: e.to_string(),
        },
        _ => Error::Syntax {
            path: path.to_path_buf(),
            line,
            column: 1,
            message: format!("malformed CSV: {e}"),
        },
    }
}

fn read_jsonl(
    path: &Path,
    bytes: &[u8],
    columns: &Columns,
    skip_invalid: bool,
    out: &mut RowSink<'_>,
) -> Result<()> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let file: Arc<Path> = Arc::from(path);
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = i as u64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let syntax = |column: usize, message: String| Error::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message,
        };
        let Ok(text) = std::str::from_utf8(raw) else {
            let err = Error::InvalidUtf8 {
                path: path.to_path_buf(),
                line,
            };
            keep_or_fail(err, skip_invalid, out)?;
            continue;
        };
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                keep_or_fail(
                    syntax(e.column(), format!("invalid JSON: {e}")),
                    skip_invalid,
                    out,
                )?;
                continue;
            }
        };
        let Some(obj) = value.as_object() else {
            keep_or_fail(
                syntax(1, "expected a JSON object".into()),
                skip_invalid,
                out,
            )?;
            continue;
        };
        let field = |name: &str| -> Option<String> {
            match obj.get(name) {
                Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
                    Some(s.trim().to_string())
                }
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                _ => None,
            }
        };
        if let Some(want) = &columns.split {
            if field("split").as_deref() != Some(want.as_str()) {
                continue;
            }
        }
        let Some(body) = obj.get(&columns.text).and_then(|v| v.as_str()) else {
            let err = syntax(1, format!("no string field '{}'", columns.text));
            keep_or_fail(err, skip_invalid, out)?;
            continue;
        };
        if body.trim().is_empty() {
            keep_or_fail(
                syntax(1, format!("field '{}' is empty", columns.text)),
                skip_invalid,
                out,
            )?;
            continue;
        }
        let label = match &columns.label {
            Some(l) => match field(l) {
                Some(v) => Some(v),
                None => {
                    keep_or_fail(
                        syntax(1, format!("no label field '{l}'")),
                        skip_invalid,
                        out,
                    )?;
                    continue;
                }
            },
            None => None,
        };
        out.push(Row {
            file: file.clone(),
            line,
            id: field("id"),
            text: body.to_string(),
            label,
            source: field(&columns.source),
            target: field(&columns.target),
        });
        if out.stopped {
            break;
        }
    }
    Ok(())
}

/// Distinct labels in sorted order, with their counts.
pub fn label_counts(rows: &[Row]) -> Vec<(String, usize)> {
    let mut map = std::collections::BTreeMap::new();
    for r in rows {
        if let Some(l) = &r.label {
            *map.entry(l.clone()).or_insert(0usize) += 1;
        }
    }
    map.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn reads_bom_crlf_and_quoted_newlines() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "a.csv",
            b"\xEF\xBB\xBFtext,label\r\n\"two\r\nlines, quoted\",hostile\r\nplain,supportive\r\n",
        );
        let rows = read(&[p], &Columns::default(), false).unwrap().rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].text, "two\r\nlines, quoted");
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn rows_stream_in_order_and_stop_on_break() {
        let dir = tempfile::tempdir().unwrap();
        let csv = write(&dir, "a.csv", b"text,id\none,1\n,2\ntwo,3\nthree,4\n");
        let jsonl = write(
            &dir,
            "b.jsonl",
            b"{\"text\": \"four\"}\n{\"text\": \"five\"}\n",
        );
        let paths = [csv, jsonl];
        let cols = Columns {
            label: None,
            ..Columns::default()
        };
        let mut seen = Vec::new();
        let skipped = for_each_row(&paths, &cols, true, |row| {
            seen.push((row.text, row.line));
            ControlFlow::Continue(())
        })
        .unwrap();
        let texts: Vec<&str> = seen.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["one", "two", "three", "four", "five"]);
        assert_eq!(seen[1].1, 4);
        assert_eq!(skipped.len(), 1, "the empty text on line 3");
        let all = read(&paths, &cols, true).unwrap();
        assert_eq!(all.rows.len(), 5);
        let mut taken = 0;
        for_each_row(&paths, &cols, true, |_| {
            taken += 1;
            if taken == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
        assert_eq!(taken, 2);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "b.csv", b"text,label\nok,x\n,y\n");
        let err = read(std::slice::from_ref(&p), &Columns::default(), false).unwrap_err();
        assert!(
            matches!(
                err,
                Error::EmptyField {
                    line: 3,
                    column: 1,
                    ..
                }
            ),
            "{err}"
        );
        let skipped = read(&[p], &Columns::default(), true).unwrap();
        assert_eq!((skipped.rows.len(), skipped.skipped.len()), (1, 1));
        let p = write(&dir, "c.csv", b"txt,label\nok,x\n");
        let err = read(&[p], &Columns::default(), false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no column 'text' (columns found: txt, label)"),
            "{err}"
        );
        let p = write(&dir, "d.csv", b"text,label\nok,x,extra\n");
        let err = read(&[p], &Columns::default(), false).unwrap_err();
        assert!(matches!(
            err,
            Error::FieldCount {
                line: 2,
                expected: 2,
                found: 3,
                ..
            }
        ));
        let p = write(&dir, "e.csv", b"text,label\nok \xff,x\n");
        let err = read(&[p], &Columns::default(), false).unwrap_err();
        assert!(matches!(err, Error::InvalidUtf8 { line: 2, .. }));
        let p = write(&dir, "f.csv", b"");
        assert!(matches!(
            read(&[p], &Columns::default(), false),
            Err(Error::EmptyFile { .. })
        ));
    }

    #[test]
    fn reads_jsonl_and_reports_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "a.jsonl",
            b"{\"text\":\"a b\",\"label\":\"x\"}\n\n[1]\n",
        );
        let err = read(std::slice::from_ref(&p), &Columns::default(), false).unwrap_err();
        assert!(
            err.to_string()
                .contains("a.jsonl:3:1: expected a JSON object"),
            "{err}"
        );
        let rows = read(&[p], &Columns::default(), true).unwrap();
        assert_eq!(rows.rows[0].label.as_deref(), Some("x"));
    }
}
