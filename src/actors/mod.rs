//! Actors stage: dictionaries (ours and PETRARCH's), the mention matcher and light
//! coreference.
//!
//! ```
//! use stancekit::actors::{load, DictionaryFormat, Matcher};
//!
//! # fn main() -> stancekit::Result<()> {
//! let text = "ADEN_ [ADN]\n+ADENI_\n";
//! let dict = load(text, "x.actors.txt", DictionaryFormat::Auto)?; // detected: PETRARCH
//! let m = Matcher::new(dict)?;
//! assert_eq!(&*m.find("The Adeni envoy")[0].code, "ADN");
//! # Ok(()) }
//! ```

pub mod coref;
pub mod dictionary;
pub(crate) mod lexicon;
pub mod matcher;
pub mod petrarch;
pub(crate) mod words;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use coref::Coref;
pub use dictionary::{check_csv, Actor, ActorKind, Dictionary};
pub use matcher::{Matcher, Mention};

use crate::error::Result;

/// The format of an actor dictionary file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum DictionaryFormat {
    /// Detect: our CSV when the first line that is not a comment is our header, else
    /// PETRARCH.
    #[default]
    Auto,
    /// Our CSV format (`code,kind,name,affiliation,role,aliases,demonyms,capitals`).
    Ours,
    /// A PETRARCH / Phoenix `.actors` file.
    Petrarch,
}

impl DictionaryFormat {
    /// The format of `text`: ours when its first line that is not blank or a `#` comment
    /// starts with `code,` and names a `kind` column; PETRARCH otherwise.
    pub fn detect(text: &str) -> DictionaryFormat {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'));
        match first {
            Some(l) if l.to_ascii_lowercase().starts_with("code,") && l.contains("kind") => {
                DictionaryFormat::Ours
            }
            _ => DictionaryFormat::Petrarch,
        }
    }
}

/// Parses a dictionary in the given (or detected) format; `path` names it in errors.
pub fn load(text: &str, path: impl AsRef<Path>, format: DictionaryFormat) -> Result<Dictionary> {
    let format = match format {
        DictionaryFormat::Auto => DictionaryFormat::detect(text),
        f => f,
    };
    match format {
        DictionaryFormat::Petrarch => petrarch::from_petrarch(text, path),
        _ => Dictionary::from_csv(text, path),
    }
}

/// Reads and parses a dictionary file in the given (or detected) format.
pub fn load_file(path: impl AsRef<Path>, format: DictionaryFormat) -> Result<Dictionary> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|e| crate::Error::io(path, e))?;
    load(&text, path, format)
}
