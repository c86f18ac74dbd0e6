//! Corpus input for `classify`: text files, directories of `*.txt`, standard input, and JSONL
//! corpora (one `{"id", "text", "date", ...}` article per line), read as a stream of
//! articles in input order so memory stays bounded whatever the corpus size.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One article to classify.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Its name in the output: the file path, or the JSONL `id` (else `path:line`).
    pub doc: String,
    /// The text.
    pub text: String,
    /// The JSONL `date` field, when present.
    pub date: Option<String>,
    /// Other JSONL fields, passed through to the output.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// How input files are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Each file (or standard input) is one article.
    Text,
    /// Each line of each file is one JSON article.
    Jsonl,
}

/// Expands the input arguments: directories become their `*.txt` files (recursively, sorted),
/// `-` stays standard input.
pub fn expand_inputs(inputs: &[PathBuf], format: InputFormat) -> Vec<Result<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.as_os_str() != "-" && p.is_dir() {
            let mut found = Vec::new();
            walk(p, format, &mut found, &mut out);
            found.sort();
            out.extend(found.into_iter().map(Ok));
        } else {
            out.push(Ok(p.clone()));
        }
    }
    out
}

fn walk(
    dir: &Path,
    format: InputFormat,
    found: &mut Vec<PathBuf>,
    errors: &mut Vec<Result<PathBuf>>,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(Err(Error::io(dir, e)));
            return;
        }
    };
    let wanted = match format {
        InputFormat::Text => "txt",
        InputFormat::Jsonl => "jsonl",
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, format, found, errors);
        } else if path.extension().is_some_and(|e| e == wanted) {
            found.push(path);
        }
    }
}

/// Decodes article bytes; invalid UTF-8 is an error naming the byte offset unless `lossy`.
pub fn decode(bytes: Vec<u8>, origin: &str, lossy: bool) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => Err(Error::Syntax {
            path: PathBuf::from(origin),
            line: 0,
            column: 0,
            message: format!(
                "invalid UTF-8 at byte offset {} (use --lossy to decode anyway)",
                e.utf8_error().valid_up_to()
            ),
        }),
    }
}

/// Reads one whole text file (or standard input for `-`) as an article.
pub fn read_text_article(path: &Path, lossy: bool) -> Result<Article> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("<stdin>", e))?;
    } else {
        File::open(path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(|e| Error::io(path, e))?;
    }
    let doc = if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let text = decode(bytes, &doc, lossy)?;
    Ok(Article {
        doc,
        text,
        date: None,
        extra: serde_json::Map::new(),
    })
}

/// Streams the articles of one JSONL file (or standard input), line by line.
pub struct JsonlArticles {
    reader: Box<dyn BufRead + Send>,
    origin: String,
    line: u64,
    lossy: bool,
    buf: Vec<u8>,
}

impl JsonlArticles {
    /// Opens a JSONL corpus (`-` for standard input).
    pub fn open(path: &Path, lossy: bool) -> Result<Self> {
        let (reader, origin): (Box<dyn BufRead + Send>, String) = if path.as_os_str() == "-" {
            (Box::new(BufReader::new(std::io::stdin())), "<stdin>".into())
        } else {
            let f = File::open(path).map_err(|e| Error::io(path, e))?;
            (
                Box::new(BufReader::with_capacity(1 << 20, f)),
                path.display().to_string(),
            )
        };
        Ok(JsonlArticles {
            reader,
            origin,
            line: 0,
            lossy,
            buf: Vec::new(),
        })
    }

    /// The next non-blank line, unparsed (parsing can then run in parallel).
    pub fn next_line(&mut self) -> Option<Result<JsonLine>> {
        loop {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => return Some(Err(Error::io(&self.origin, e))),
            }
            self.line += 1;
            let trimmed = self.buf.trim_ascii();
            if trimmed.is_empty() {
                continue;
            }
            return Some(Ok(JsonLine {
                origin: self.origin.clone(),
                line: self.line,
                bytes: trimmed.to_vec(),
                lossy: self.lossy,
            }));
        }
    }
}

/// One line of a JSONL corpus, read but not yet parsed.
#[derive(Debug, Clone)]
pub struct JsonLine {
    origin: String,
    line: u64,
    bytes: Vec<u8>,
    lossy: bool,
}

impl JsonLine {
    /// Length of the line in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the line is empty (never, for lines from [`JsonlArticles::next_line`]).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Parses the line into an article; errors name the file and line.
    pub fn parse(self) -> Result<Article> {
        let JsonLine {
            origin,
            line,
            bytes,
            lossy,
        } = self;
        let at = |column: usize, message: String| Error::Syntax {
            path: PathBuf::from(&origin),
            line,
            column,
            message,
        };
        let text = decode(bytes, &format!("{origin}:{line}"), lossy)?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| at(e.column(), format!("invalid JSON: {e}")))?;
        let serde_json::Value::Object(mut obj) = value else {
            return Err(at(1, "expected a JSON object".into()));
        };
        let Some(serde_json::Value::String(body)) = obj.remove("text") else {
            return Err(at(1, "no string field 'text'".into()));
        };
        let doc = match obj.remove("id") {
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => format!("{origin}:{line}"),
        };
        let date = match obj.remove("date") {
            Some(serde_json::Value::String(s)) => Some(s),
            _ => None,
        };
        Ok(Article {
            doc,
            text: body,
            date,
            extra: obj,
        })
    }
}

impl Iterator for JsonlArticles {
    type Item = Result<Article>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_line().map(|line| line.and_then(JsonLine::parse))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_lines_keep_fields_and_name_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.jsonl");
        std::fs::write(
            &p,
            "{\"id\":\"a\",\"text\":\"T\",\"date\":\"2024-01-02\",\"outlet\":\"x\"}\n\n[1]\n{\"id\":2}\n",
        )
        .unwrap();
        let items: Vec<_> = JsonlArticles::open(&p, false).unwrap().collect();
        assert_eq!(items.len(), 3);
        let a = items[0].as_ref().unwrap();
        assert_eq!(
            (a.doc.as_str(), a.date.as_deref()),
            ("a", Some("2024-01-02"))
        );
        assert_eq!(a.extra["outlet"], "x");
        let e = items[1].as_ref().unwrap_err().to_string();
        assert!(e.contains("c.jsonl:3:1: expected a JSON object"), "{e}");
        let e = items[2].as_ref().unwrap_err().to_string();
        assert!(e.contains("c.jsonl:4:1: no string field 'text'"), "{e}");
    }

    #[test]
    fn invalid_utf8_names_the_offset_unless_lossy() {
        let e = decode(b"ab\xffc".to_vec(), "x.txt", false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("byte offset 2"), "{e}");
        assert_eq!(
            decode(b"ab\xffc".to_vec(), "x.txt", true).unwrap(),
            "ab\u{fffd}c"
        );
    }
}
