//! `stancekit pairs`: the directed actor pairs (statements) of articles, without
//! classifying them.

use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde::Serialize;

use stancekit::actors::Mention;
use stancekit::statements::{extract_statements, Statement};

use super::actors::ActorArgs;

/// Output formats of `pairs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PairsFormat {
    /// One JSON object per statement.
    Jsonl,
    /// An aligned table for reading.
    Table,
}

/// Arguments of `pairs`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  stancekit pairs datasets/articles/01-gulf-mediation.txt\n  \
    stancekit pairs datasets/articles/*.txt --format table --both-directions\n  \
    stancekit pairs story.txt --actors @default --actors extra.csv\n  \
    stancekit pairs story.txt --actors Phoenix.Countries.actors.txt --actors-format petrarch\n\n\
    JSONL keys: doc, sentence, text, source {code,name,entity,mention,start,end}, target {...},\n\
    direction_rule (speaker, passive_agent, subject, order); reversed: true on the added\n\
    reverse statements of --both-directions. start/end are byte offsets in text."
)]
pub struct PairsArgs {
    /// Article text files (`-` reads standard input).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Actor dictionaries.
    #[command(flatten)]
    pub actors: ActorArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: PairsFormat,
    /// Also print each statement in the reverse direction.
    #[arg(long)]
    pub both_directions: bool,
}

/// Runs `pairs`.
pub fn run(args: PairsArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let matcher = args.actors.matcher()?;
    let mut texts = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let text = if path.as_os_str() == "-" {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read standard input")?;
            s
        } else {
            std::fs::read_to_string(path)
                .map_err(|e| stancekit::Error::io(path, e))
                .context("cannot read the article")?
        };
        texts.push(text);
    }
    let results: Vec<Vec<Statement>> = texts
        .par_iter()
        .map(|t| extract_statements(t, &matcher, args.both_directions))
        .collect();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut count = 0;
    for (path, statements) in args.files.iter().zip(&results) {
        let doc = path.display().to_string();
        for s in statements {
            count += 1;
            match args.format {
                PairsFormat::Jsonl => {
                    serde_json::to_writer(&mut out, &jsonl(&doc, s))?;
                    writeln!(out)?;
                }
                PairsFormat::Table => writeln!(out, "{}", table_row(&doc, s))?,
            }
        }
    }
    out.flush()?;
    let bytes: usize = texts.iter().map(String::len).sum();
    eprintln!(
        "{count} statement(s) from {} document(s), {:.1} KB, in {:.2}s",
        texts.len(),
        bytes as f64 / 1e3,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// One actor of a JSONL record.
#[derive(Serialize)]
struct ActorRecord<'a> {
    code: &'a str,
    name: &'a str,
    entity: &'a str,
    mention: &'a str,
    start: usize,
    end: usize,
}

impl<'a> From<&'a Mention> for ActorRecord<'a> {
    fn from(m: &'a Mention) -> Self {
        ActorRecord {
            code: &m.code,
            name: &m.name,
            entity: &m.entity,
            mention: &m.text,
            start: m.start,
            end: m.end,
        }
    }
}

/// One JSONL record.
#[derive(Serialize)]
struct Record<'a> {
    doc: &'a str,
    sentence: usize,
    text: &'a str,
    source: ActorRecord<'a>,
    target: ActorRecord<'a>,
    direction_rule: &'static str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reversed: bool,
}

fn jsonl<'a>(doc: &'a str, s: &'a Statement) -> Record<'a> {
    Record {
        doc,
        sentence: s.sentence_index,
        text: &s.text,
        source: (&s.source).into(),
        target: (&s.target).into(),
        direction_rule: s.direction_rule.as_str(),
        reversed: s.reversed,
    }
}

/// One table row: where, rule, source → target, and the start of the sentence.
fn table_row(doc: &str, s: &Statement) -> String {
    let place = format!("{doc}:{}", s.sentence_index);
    let rule = if s.reversed {
        format!("{}*", s.direction_rule.as_str())
    } else {
        s.direction_rule.as_str().to_string()
    };
    let pair = format!(
        "{} ({}) -> {} ({})",
        s.source.code, s.source.text, s.target.code, s.target.text
    );
    let text: String = s.text.replace('\n', " ").chars().take(90).collect();
    let ellipsis = if s.text.chars().count() > 90 {
        "…"
    } else {
        ""
    };
    format!("{place:<28} {rule:<14} {pair:<60} {text}{ellipsis}")
}
