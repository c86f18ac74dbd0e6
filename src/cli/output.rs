//! Output of `classify`, `sentiment` and `summarize`: JSONL, CSV or an aligned table (coloured
//! by label on a terminal), to standard output or atomically to a file; and the progress bar.

use std::io::{IsTerminal, Write};
use std::path::Path;

use clap::ValueEnum;
use serde_json::{Map, Value};

use stancekit::io::AtomicFile;
use stancekit::summary::DyadSummary;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for reading.
    Table,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header.
    Csv,
}

/// Where and how `classify` and `sentiment` write.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// Output format (default: table on a terminal, JSONL otherwise).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short = 'o', long)]
    pub output: Option<std::path::PathBuf>,
}

impl OutputArgs {
    /// Opens the output, with the format in force.
    pub fn open(&self) -> anyhow::Result<(Output, OutputFormat)> {
        let format = self.format.unwrap_or(
            if self.output.is_none() && std::io::stdout().is_terminal() {
                OutputFormat::Table
            } else {
                OutputFormat::Jsonl
            },
        );
        Ok((Output::open(self.output.as_deref(), format)?, format))
    }
}

enum Sink {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    File(AtomicFile),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(f) => f.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(f) => f.flush(),
        }
    }
}

/// A destination for records.
pub struct Output {
    sink: Sink,
    format: OutputFormat,
    colour: bool,
    header: Option<Vec<String>>,
}

const RESET: &str = "\x1b[0m";

fn label_colour(label: &str) -> &'static str {
    match label {
        "supportive" | "positive" => "\x1b[32m",
        "reconciliatory" => "\x1b[36m",
        "hostile" | "negative" => "\x1b[31m",
        "uncertain" => "\x1b[2m",
        _ => "",
    }
}

impl Output {
    /// Opens standard output or a file (written atomically on [`Output::finish`]).
    pub fn open(path: Option<&Path>, format: OutputFormat) -> anyhow::Result<Output> {
        let (sink, colour) = match path {
            Some(p) => (Sink::File(AtomicFile::create(p)?), false),
            None => (
                Sink::Stdout(std::io::BufWriter::with_capacity(
                    1 << 16,
                    std::io::stdout(),
                )),
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            ),
        };
        Ok(Output {
            sink,
            format,
            colour,
            header: None,
        })
    }

    /// Flushes, and commits a file output.
    pub fn finish(self) -> anyhow::Result<()> {
        match self.sink {
            Sink::Stdout(mut w) => w.flush()?,
            Sink::File(f) => f.commit()?,
        }
        Ok(())
    }

    fn csv_row(&mut self, flat: Vec<(String, String)>) -> anyhow::Result<()> {
        if self.header.is_none() {
            let names: Vec<String> = flat.iter().map(|(k, _)| k.clone()).collect();
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(&names)?;
            self.sink.write_all(&w.into_inner()?)?;
            self.header = Some(names);
        }
        let header = self.header.as_deref().unwrap_or(&[]);
        let row: Vec<&str> = header
            .iter()
            .map(|h| {
                flat.iter()
                    .find(|(k, _)| k == h)
                    .map_or("", |(_, v)| v.as_str())
            })
            .collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&row)?;
        self.sink.write_all(&w.into_inner()?)?;
        Ok(())
    }

    /// Writes bytes already rendered in this output's format (JSONL lines).
    pub fn write_raw(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.sink.write_all(bytes)?;
        Ok(())
    }

    /// Writes one statement (or sentence) record as built for JSONL.
    pub fn write_statement(&mut self, r: &Map<String, Value>) -> anyhow::Result<()> {
        match self.format {
            OutputFormat::Jsonl => {
                serde_json::to_writer(&mut self.sink, r)?;
                self.sink.write_all(b"\n")?;
            }
            OutputFormat::Csv => self.csv_row(flatten(r))?,
            OutputFormat::Table => {
                let line = self.table_line(r);
                self.sink.write_all(line.as_bytes())?;
            }
        }
        Ok(())
    }

    fn table_line(&mut self, r: &Map<String, Value>) -> String {
        let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let label = s("label");
        let conf = r.get("confidence").and_then(Value::as_f64).unwrap_or(0.0);
        let text = s("text");
        if self.header.is_none() {
            self.header = Some(Vec::new());
            let head = if r.contains_key("source") {
                format!(
                    "{:<22} {:>4}  {:<30} {:<14} {:>5}  {}\n",
                    "doc", "sent", "source -> target", "label", "conf", "sentence"
                )
            } else {
                format!(
                    "{:<22} {:>4}  {:<14} {:>5}  {}\n",
                    "doc", "sent", "label", "conf", "sentence"
                )
            };
            return head + &self.table_line(r);
        }
        let doc = shorten_left(&s("doc"), 22);
        let sent = r.get("sentence").and_then(Value::as_u64).unwrap_or(0);
        let (lab, reset) = if self.colour {
            (label_colour(&label), RESET)
        } else {
            ("", "")
        };
        let mut spans = Vec::new();
        let mut pair = String::new();
        for key in ["source", "target"] {
            if let Some(m) = r.get(key) {
                let start = m.get("start").and_then(Value::as_u64).unwrap_or(0) as usize;
                let end = m.get("end").and_then(Value::as_u64).unwrap_or(0) as usize;
                spans.push(start..end);
                let code = m.get("code").and_then(Value::as_str).unwrap_or("");
                if !pair.is_empty() {
                    pair.push_str(" -> ");
                }
                pair.push_str(code);
            }
        }
        let shown = highlight(&text, &spans, 90, self.colour);
        if r.contains_key("source") {
            format!(
                "{doc:<22} {sent:>4}  {:<30} {lab}{label:<14}{reset} {conf:>5.2}  {shown}\n",
                shorten_left(&pair, 30)
            )
        } else {
            format!("{doc:<22} {sent:>4}  {lab}{label:<14}{reset} {conf:>5.2}  {shown}\n")
        }
    }

    /// Writes one dyad summary.
    pub fn write_summary(&mut self, d: &DyadSummary) -> anyhow::Result<()> {
        match self.format {
            OutputFormat::Jsonl => {
                serde_json::to_writer(&mut self.sink, d)?;
                self.sink.write_all(b"\n")?;
            }
            OutputFormat::Csv => {
                let mut flat = vec![
                    ("source".to_string(), d.source.clone()),
                    ("target".to_string(), d.target.clone()),
                    ("period".to_string(), d.period.clone().unwrap_or_default()),
                    ("statements".to_string(), d.statements.to_string()),
                ];
                for l in ["supportive", "reconciliatory", "hostile", "uncertain"] {
                    flat.push((
                        format!("n_{l}"),
                        d.counts.get(l).copied().unwrap_or(0).to_string(),
                    ));
                }
                for (l, p) in &d.mean_probability {
                    flat.push((format!("mean_p_{l}"), format!("{p:.4}")));
                }
                flat.push(("net_score".to_string(), format!("{:.4}", d.net_score)));
                self.csv_row(flat)?;
            }
            OutputFormat::Table => {
                if self.header.is_none() {
                    self.header = Some(Vec::new());
                    let head = format!(
                        "{:<34} {:<9} {:>5} {:>5} {:>5} {:>5} {:>5}  {:>6}\n",
                        "source -> target", "period", "n", "sup", "rec", "hos", "unc", "net"
                    );
                    self.sink.write_all(head.as_bytes())?;
                }
                let c = |l: &str| d.counts.get(l).copied().unwrap_or(0);
                let pair = format!("{} -> {}", d.source, d.target);
                let line = format!(
                    "{:<34} {:<9} {:>5} {:>5} {:>5} {:>5} {:>5}  {:>+6.2}\n",
                    shorten_left(&pair, 34),
                    d.period.as_deref().unwrap_or("all"),
                    d.statements,
                    c("supportive"),
                    c("reconciliatory"),
                    c("hostile"),
                    c("uncertain"),
                    d.net_score
                );
                self.sink.write_all(line.as_bytes())?;
            }
        }
        Ok(())
    }
}

/// Flattens a statement record into CSV columns.
fn flatten(r: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in r {
        match v {
            Value::Object(o) if k == "source" || k == "target" => {
                for f in ["code", "name", "mention", "start", "end"] {
                    if let Some(x) = o.get(f) {
                        out.push((format!("{k}_{f}"), scalar(x)));
                    }
                }
            }
            Value::Object(o) => {
                let prefix = if k == "probabilities" {
                    "p".to_string()
                } else {
                    k.clone()
                };
                for (l, x) in o {
                    out.push((format!("{prefix}_{l}"), scalar(x)));
                }
            }
            Value::Array(list) => {
                let joined: Vec<String> = list
                    .iter()
                    .map(|e| match e.get("feature") {
                        Some(f) => scalar(f),
                        None => scalar(e),
                    })
                    .collect();
                out.push((k.clone(), joined.join("; ")));
            }
            other => out.push((k.clone(), scalar(other))),
        }
    }
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Keeps the last `width` characters of `s`, marking the cut with `…`.
fn shorten_left(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_string();
    }
    let tail: String = s.chars().skip(n - width + 1).collect();
    format!("…{tail}")
}

/// The sentence cut to about `width` characters around the first span, with the spans
/// highlighted (reverse video on a terminal, `[...]` otherwise).
fn highlight(text: &str, spans: &[std::ops::Range<usize>], width: usize, colour: bool) -> String {
    let text = text.replace(['\n', '\r', '\t'], " ");
    let valid: Vec<_> = spans
        .iter()
        .filter(|s| {
            s.start < s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end)
        })
        .cloned()
        .collect();
    let (open, close) = if colour {
        ("\x1b[1;4m", RESET)
    } else {
        ("[", "]")
    };
    let mut marked = String::with_capacity(text.len() + 16);
    let mut sorted = valid.clone();
    sorted.sort_by_key(|s| s.start);
    let mut pos = 0;
    for s in sorted {
        if s.start < pos {
            continue;
        }
        marked.push_str(&text[pos..s.start]);
        marked.push_str(open);
        marked.push_str(&text[s.clone()]);
        marked.push_str(close);
        pos = s.end;
    }
    marked.push_str(&text[pos..]);
    let visible = text.chars().count();
    if colour {
        // Escape codes must not be cut: long sentences are shown shortened and unmarked.
        if visible <= width * 2 {
            marked
        } else {
            shorten_right(&text, width)
        }
    } else {
        shorten_right(&marked, width + 4)
    }
}

fn shorten_right(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let head: String = s.chars().take(width - 1).collect();
    format!("{head}…")
}

/// A progress bar on stderr for inputs over 4 MB when stderr is a terminal.
pub fn progress_bar(total_bytes: u64) -> Option<indicatif::ProgressBar> {
    if total_bytes < 4 << 20 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total_bytes);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}
