//! `stancekit actors`: check actor dictionaries. Also the `--actors` options and
//! [`load_actors`], shared by the commands that find actors in text.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

use stancekit::actors::{self, check_csv, Dictionary, DictionaryFormat, Matcher};

/// The name that stands for the embedded default dictionary in `--actors`.
pub const DEFAULT_NAME: &str = "@default";

/// Arguments of `actors`.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  stancekit actors check dictionaries/actors.csv")]
pub struct ActorsArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: ActorsCommand,
}

/// The `actors` subcommands.
#[derive(Debug, Subcommand)]
pub enum ActorsCommand {
    /// Validate a dictionary: malformed rows, unknown kinds, empty names, unknown
    /// affiliations, a name shared by two codes. Exits 1 when there are problems.
    Check(CheckArgs),
}

/// Arguments of `actors check`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  stancekit actors check dictionaries/actors.csv\n  \
    stancekit actors check Phoenix.Countries.actors.txt --actors-format petrarch"
)]
pub struct CheckArgs {
    /// The dictionary file (our CSV or PETRARCH `.actors`).
    pub file: PathBuf,
    /// Its format (auto: our CSV if it starts with our header, else PETRARCH).
    #[arg(long = "actors-format", value_enum, default_value = "auto")]
    pub format: DictionaryFormat,
}

/// Options choosing the actor dictionaries, for commands that find actors.
#[derive(Debug, Args, Clone)]
pub struct ActorArgs {
    /// Actor dictionary file(s), merged in order (later ones override earlier ones by
    /// code); `@default` stands for the built-in one. Default: the built-in dictionary.
    #[arg(long = "actors", value_name = "FILE")]
    pub actors: Vec<PathBuf>,
    /// Format of the `--actors` files (auto: our CSV if it starts with our header, else
    /// PETRARCH).
    #[arg(long = "actors-format", value_enum, default_value = "auto")]
    pub actors_format: DictionaryFormat,
}

impl ActorArgs {
    /// Builds the matcher of the chosen dictionaries.
    pub fn matcher(&self) -> anyhow::Result<Matcher> {
        load_actors(&self.actors, self.actors_format)
    }
}

/// Loads and merges actor dictionaries and builds their matcher. An empty list means the
/// embedded default dictionary; the name `@default` stands for it inside a list.
pub fn load_actors(files: &[PathBuf], format: DictionaryFormat) -> anyhow::Result<Matcher> {
    let mut dict = Dictionary::default();
    if files.is_empty() {
        dict = Dictionary::default_embedded().context("cannot load the default dictionary")?;
    }
    for path in files {
        let next = if path.as_os_str() == DEFAULT_NAME {
            Dictionary::default_embedded().context("cannot load the default dictionary")?
        } else {
            actors::load_file(path, format)
                .with_context(|| format!("cannot load the actor dictionary {}", path.display()))?
        };
        dict.merge(next);
    }
    Ok(Matcher::new(dict)?)
}

/// Runs `actors`.
pub fn run(args: ActorsArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        ActorsCommand::Check(a) => check(&a.file, a.format),
    }
}

fn check(path: &Path, format: DictionaryFormat) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| stancekit::Error::io(path, e))
        .context("cannot read the dictionary")?;
    let format = match format {
        DictionaryFormat::Auto => DictionaryFormat::detect(&text),
        f => f,
    };
    let (problems, dict) = match format {
        DictionaryFormat::Petrarch => match actors::petrarch::from_petrarch(&text, path) {
            Ok(d) => (Vec::new(), Some(d)),
            Err(e) => (vec![e], None),
        },
        _ => (
            check_csv(&text, path),
            Dictionary::from_csv(&text, path).ok(),
        ),
    };
    for p in &problems {
        println!("{p}");
    }
    let summary = dict.map_or_else(String::new, |d| {
        format!("{} entries, {} names; ", d.len(), d.alias_count())
    });
    eprintln!("{}: {summary}{} problem(s)", path.display(), problems.len());
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
