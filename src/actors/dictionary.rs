//! Actor dictionaries: who can be a source or target, under which names.
//!
//! Our format is a CSV file with the header
//! `code,kind,name,affiliation,role,aliases,demonyms,capitals` (see `docs/actors.md`);
//! `#` lines are comments and list cells are `;`-separated. The default dictionary,
//! `dictionaries/actors.csv`, is embedded in the library. Several dictionaries can be
//! merged; a later one replaces the entries of an earlier one that have the same code.
//!
//! ```
//! use stancekit::actors::{ActorKind, Dictionary};
//!
//! # fn main() -> stancekit::Result<()> {
//! let csv = "code,kind,name,affiliation,role,aliases,demonyms,capitals\n\
//!            NRD,state,Nordland,,,Kingdom of Nordland,Nordish,Hafnia\n\
//!            NRD_FM,organ,Nordish Foreign Ministry,NRD,DIP,,,\n";
//! let dict = Dictionary::from_csv(csv, "mini.csv")?;
//! assert_eq!(dict.get("NRD_FM").map(|a| a.kind), Some(ActorKind::Organ));
//! assert_eq!(dict.dyad_code(1), "NRD"); // organs roll up to their affiliation
//! # Ok(()) }
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The default dictionary's text (`dictionaries/actors.csv`), embedded at build time.
pub const DEFAULT_CSV: &str = include_str!("../../dictionaries/actors.csv");
/// The name under which the embedded dictionary appears in messages.
pub const DEFAULT_PATH: &str = "<default>";
/// The columns of our CSV format, in their usual order.
pub const CSV_COLUMNS: [&str; 8] = [
    "code",
    "kind",
    "name",
    "affiliation",
    "role",
    "aliases",
    "demonyms",
    "capitals",
];

/// What sort of actor an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A sovereign state.
    State,
    /// A territory or region that is not a state.
    Territory,
    /// A body of a state or group (ministry, army, parliament); rolls up to its affiliation.
    Organ,
    /// An armed group or militia.
    ArmedGroup,
    /// A political party.
    Party,
    /// A political or social movement.
    Movement,
    /// An intergovernmental organisation.
    Igo,
    /// A non-governmental organisation.
    Ngo,
    /// A news outlet or agency.
    Media,
    /// A person; rolls up to their affiliation.
    Person,
}

impl ActorKind {
    /// All kinds, in the order of the documentation.
    pub const ALL: [ActorKind; 10] = [
        ActorKind::State,
        ActorKind::Territory,
        ActorKind::Organ,
        ActorKind::ArmedGroup,
        ActorKind::Party,
        ActorKind::Movement,
        ActorKind::Igo,
        ActorKind::Ngo,
        ActorKind::Media,
        ActorKind::Person,
    ];

    /// The kind's name as written in the dictionary (`armed_group`).
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::State => "state",
            ActorKind::Territory => "territory",
            ActorKind::Organ => "organ",
            ActorKind::ArmedGroup => "armed_group",
            ActorKind::Party => "party",
            ActorKind::Movement => "movement",
            ActorKind::Igo => "igo",
            ActorKind::Ngo => "ngo",
            ActorKind::Media => "media",
            ActorKind::Person => "person",
        }
    }

    /// Whether mentions of this kind count as their affiliation in dyads (persons, organs).
    pub fn rolls_up(self) -> bool {
        matches!(self, ActorKind::Person | ActorKind::Organ)
    }

    /// Whether "the group", "the movement" or "the militants" can refer to this kind.
    pub fn is_group(self) -> bool {
        matches!(
            self,
            ActorKind::ArmedGroup | ActorKind::Party | ActorKind::Movement
        )
    }

    /// Whether "the country", "the kingdom" or "the regime" can refer to this kind.
    pub fn is_state(self) -> bool {
        matches!(self, ActorKind::State)
    }
}

impl fmt::Display for ActorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ActorKind {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
        ActorKind::ALL
            .into_iter()
            .find(|k| k.as_str() == wanted)
            .ok_or_else(|| {
                let all: Vec<&str> = ActorKind::ALL.iter().map(|k| k.as_str()).collect();
                format!(
                    "unknown kind '{}' (expected one of {})",
                    s.trim(),
                    all.join(", ")
                )
            })
    }
}

/// One dictionary entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The entry's code (`IRN`, `HAMAS`, `IRN_MFA`; a full CAMEO code for PETRARCH entries).
    pub code: String,
    /// What sort of actor it is.
    pub kind: ActorKind,
    /// Its usual name, also matched in text.
    pub name: String,
    /// The code it belongs to (a person's state or group, an organ's state); persons and
    /// organs count as their affiliation in dyads.
    pub affiliation: Option<String>,
    /// A CAMEO-style role code (`GOV`, `MIL`, `LEG`, `JUD`, `DIP`, `OPP`, `REB`, `PTY`, `SPY`).
    pub role: Option<String>,
    /// Other names, matched as whole words.
    pub aliases: Vec<String>,
    /// Demonyms in the singular (`Iranian`); the matcher adds plurals.
    pub demonyms: Vec<String>,
    /// Capital cities that stand for the actor (`Tehran`).
    pub capitals: Vec<String>,
    /// Names that also match as the start of a longer word (PETRARCH entries without a
    /// trailing `_`): `IRAN` matches `Iranian`.
    pub prefixes: Vec<String>,
    /// The 1-based line where the entry starts in its file (0 if built in code).
    pub line: u64,
}

impl Actor {
    /// A new entry with only a code, kind and name.
    pub fn new(code: impl Into<String>, kind: ActorKind, name: impl Into<String>) -> Self {
        Actor {
            code: code.into(),
            kind,
            name: name.into(),
            affiliation: None,
            role: None,
            aliases: Vec::new(),
            demonyms: Vec::new(),
            capitals: Vec::new(),
            prefixes: Vec::new(),
            line: 0,
        }
    }

    /// Every name of the entry: name, aliases, demonyms, capitals and prefixes.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .chain(self.demonyms.iter().map(String::as_str))
            .chain(self.capitals.iter().map(String::as_str))
            .chain(self.prefixes.iter().map(String::as_str))
            .filter(|n| !n.trim().is_empty())
    }
}

/// A set of actor entries, looked up by code.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    actors: Vec<Actor>,
    by_code: FxHashMap<String, usize>,
    origin: String,
}

impl Dictionary {
    /// Builds a dictionary from entries; `origin` names it in messages.
    ///
    /// Several entries may share a code (as in PETRARCH files); [`Dictionary::get`]
    /// returns the first.
    pub fn from_actors(actors: Vec<Actor>, origin: impl Into<String>) -> Self {
        let mut d = Dictionary {
            actors,
            by_code: FxHashMap::default(),
            origin: origin.into(),
        };
        d.reindex();
        d
    }

    fn reindex(&mut self) {
        self.by_code.clear();
        for (i, a) in self.actors.iter().enumerate() {
            self.by_code.entry(a.code.clone()).or_insert(i);
        }
    }

    /// Parses our CSV format; `path` is used in error messages.
    ///
    /// Fails on the first malformed row (bad CSV, wrong number of fields, empty code or
    /// name, unknown kind, a code defined twice). Problems that do not stop loading
    /// (unknown affiliations, an alias shared by two codes) are reported by
    /// [`Dictionary::problems`] and [`check_csv`].
    pub fn from_csv(text: &str, path: impl AsRef<Path>) -> Result<Self> {
        let (dict, mut errors) = parse_csv(text, path.as_ref());
        if errors.is_empty() {
            Ok(dict)
        } else {
            Err(errors.swap_remove(0))
        }
    }

    /// The embedded default dictionary (`dictionaries/actors.csv`).
    pub fn default_embedded() -> Result<Self> {
        Dictionary::from_csv(DEFAULT_CSV, DEFAULT_PATH)
    }

    /// Merges `other` into this dictionary: entries of `other` replace every entry of
    /// `self` with the same code; the others are kept.
    pub fn merge(&mut self, other: Dictionary) {
        if self.actors.is_empty() {
            *self = other;
            return;
        }
        let replaced = &other.by_code;
        self.actors.retain(|a| !replaced.contains_key(&a.code));
        self.actors.extend(other.actors);
        if !other.origin.is_empty() {
            self.origin = format!("{}+{}", self.origin, other.origin);
        }
        self.reindex();
    }

    /// Merges dictionaries in order (later ones override earlier ones by code).
    pub fn merged(dicts: impl IntoIterator<Item = Dictionary>) -> Self {
        let mut out = Dictionary::default();
        for d in dicts {
            out.merge(d);
        }
        out
    }

    /// The entries, in file order.
    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.actors.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.actors.is_empty()
    }

    /// Where the dictionary came from (file paths joined by `+`).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The first entry with this code.
    pub fn get(&self, code: &str) -> Option<&Actor> {
        self.index_of(code).map(|i| &self.actors[i])
    }

    /// The index of the first entry with this code.
    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// Total number of names (name, aliases, demonyms, capitals, prefixes) of all entries.
    pub fn alias_count(&self) -> usize {
        self.actors.iter().map(|a| a.names().count()).sum()
    }

    /// The index of the entry the actor at `index` counts as in dyads, and that code.
    ///
    /// Persons and organs roll up through their affiliation until an entry of another
    /// kind (`HAMAS_YOUSEF` → `HAMAS`, `USA_CENTCOM` → `USA_PENTAGON` → `USA`); an
    /// affiliation that is not in the dictionary is used as the code as it is.
    pub fn dyad(&self, index: usize) -> (Option<usize>, &str) {
        let mut cur = index;
        for _ in 0..16 {
            let Some(a) = self.actors.get(cur) else {
                break;
            };
            if !a.kind.rolls_up() {
                return (Some(cur), &a.code);
            }
            match a.affiliation.as_deref() {
                None => return (Some(cur), &a.code),
                Some(aff) => match self.index_of(aff) {
                    Some(j) if j != cur => cur = j,
                    Some(_) => return (Some(cur), &a.code),
                    None => return (None, aff),
                },
            }
        }
        match self.actors.get(cur) {
            Some(a) => (Some(cur), &a.code),
            None => (None, ""),
        }
    }

    /// The code the actor at `index` counts as in dyads (see [`Dictionary::dyad`]).
    pub fn dyad_code(&self, index: usize) -> &str {
        self.dyad(index).1
    }

    /// Problems that do not stop loading, with the line of the entry concerned:
    /// empty names, persons and organs without affiliation, unknown affiliations,
    /// affiliation cycles, malformed roles, and a name shared by two codes.
    pub fn problems(&self) -> Vec<Error> {
        let path = PathBuf::from(&self.origin);
        let problem = |line: u64, message: String| Error::Dictionary {
            path: path.clone(),
            line,
            message,
        };
        let mut out = Vec::new();
        let mut seen: FxHashMap<String, (usize, String)> = FxHashMap::default();
        for (i, a) in self.actors.iter().enumerate() {
            if a.name.trim().is_empty() {
                out.push(problem(a.line, format!("'{}' has an empty name", a.code)));
            }
            if a.kind.rolls_up() && a.affiliation.is_none() {
                out.push(problem(
                    a.line,
                    format!("{} '{}' has no affiliation", a.kind, a.code),
                ));
            }
            if let Some(aff) = &a.affiliation {
                if self.index_of(aff).is_none() {
                    out.push(problem(
                        a.line,
                        format!("unknown affiliation '{aff}' of '{}'", a.code),
                    ));
                } else if a.kind.rolls_up() && self.rolls_in_cycle(i) {
                    out.push(problem(
                        a.line,
                        format!("affiliation cycle through '{}'", a.code),
                    ));
                }
            }
            if let Some(role) = &a.role {
                if role.len() != 3 || !role.bytes().all(|b| b.is_ascii_uppercase()) {
                    out.push(problem(
                        a.line,
                        format!("role '{role}' of '{}' is not three capital letters", a.code),
                    ));
                }
            }
            for name in a.names() {
                let key = name_key(name);
                match seen.get(&key) {
                    Some((j, first)) if self.actors[*j].code != a.code => {
                        let other = &self.actors[*j];
                        out.push(problem(
                            a.line,
                            format!(
                                "name '{name}' of '{}' is also a name of '{}' (line {}: '{first}')",
                                a.code, other.code, other.line
                            ),
                        ));
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(key, (i, name.to_string()));
                    }
                }
            }
        }
        out
    }

    fn rolls_in_cycle(&self, start: usize) -> bool {
        let mut cur = start;
        for _ in 0..64 {
            let a = &self.actors[cur];
            if !a.kind.rolls_up() {
                return false;
            }
            match a.affiliation.as_deref().and_then(|c| self.index_of(c)) {
                Some(j) if j == start => return true,
                Some(j) => cur = j,
                None => return false,
            }
        }
        true
    }
}

/// How the matcher compares a name: exactly for short all-capital acronyms, lowercased
/// otherwise; used to find names shared by two codes.
pub(crate) fn name_key(name: &str) -> String {
    let name = name.trim();
    if is_acronym(name) {
        name.to_string()
    } else {
        let mut s = String::with_capacity(name.len());
        let mut space = false;
        for c in name.chars() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space && !s.is_empty() {
                s.push(' ');
            }
            space = false;
            match c {
                '’' | '‘' => s.push('\''),
                _ => s.extend(c.to_lowercase()),
            }
        }
        s
    }
}

/// Short all-capital names (`US`, `IS`, `UN`, `NATO`, `U.S.`) are matched case-sensitively.
pub(crate) fn is_acronym(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    letters > 0
        && letters <= 5
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

/// Parses and checks a CSV dictionary, returning every problem found (malformed rows and
/// the problems of [`Dictionary::problems`]), each naming `file:line`.
pub fn check_csv(text: &str, path: impl AsRef<Path>) -> Vec<Error> {
    let (dict, mut errors) = parse_csv(text, path.as_ref());
    errors.extend(dict.problems());
    errors.sort_by_key(|e| match e {
        Error::Dictionary { line, .. } => *line,
        _ => 0,
    });
    errors
}

/// Parses our CSV format leniently: the entries that could be read, and the errors of
/// the rows that could not.
fn parse_csv(text: &str, path: &Path) -> (Dictionary, Vec<Error>) {
    let origin = path.display().to_string();
    let err = |line: u64, message: String| Error::Dictionary {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut errors = Vec::new();
    let mut actors = Vec::new();
    let mut columns: Option<Vec<String>> = None;
    let mut index: [Option<usize>; 8] = [None; 8];
    let mut first_line: FxHashMap<String, u64> = FxHashMap::default();
    let mut record = csv::StringRecord::new();
    // The reader's line numbers skip comment lines: count newlines before each record.
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
        .collect();
    // A record's position is where the reader started, before the blank and comment
    // lines it skipped: move past those.
    let line_of = |pos: &csv::Position| {
        let mut at = (pos.byte() as usize).min(text.len());
        while at < text.len() {
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            let line = text[at..end].trim();
            if !(line.is_empty() || line.starts_with('#')) || end == text.len() {
                break;
            }
            at = end + 1;
        }
        newlines.partition_point(|&i| i < at) as u64 + 1
    };
    loop {
        let line = line_of(reader.position());
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, line_of);
                errors.push(err(line, format!("malformed CSV: {e}")));
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(line, line_of);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let Some(cols) = &columns else {
            let found: Vec<String> = record.iter().map(|f| f.trim().to_string()).collect();
            for (slot, name) in index.iter_mut().zip(CSV_COLUMNS) {
                *slot = found.iter().position(|f| f.eq_ignore_ascii_case(name));
            }
            for required in 0..3 {
                if index[required].is_none() {
                    errors.push(err(
                        line,
                        format!(
                            "the header has no column '{}' (found: {}); expected {}",
                            CSV_COLUMNS[required],
                            found.join(","),
                            CSV_COLUMNS.join(",")
                        ),
                    ));
                }
            }
            if index[..3].iter().any(Option::is_none) {
                return (Dictionary::from_actors(Vec::new(), origin), errors);
            }
            columns = Some(found);
            continue;
        };
        if record.len() != cols.len() {
            errors.push(err(
                line,
                format!("expected {} fields, found {}", cols.len(), record.len()),
            ));
            continue;
        }
        let cell = |k: usize| index[k].and_then(|i| record.get(i)).unwrap_or("").trim();
        let list = |k: usize| -> Vec<String> {
            cell(k)
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        let code = cell(0);
        if code.is_empty() {
            errors.push(err(line, "empty code".to_string()));
            continue;
        }
        if code.chars().any(|c| c.is_whitespace() || c == ';') {
            errors.push(err(line, format!("code '{code}' holds a space or ';'")));
            continue;
        }
        let kind = match cell(1).parse::<ActorKind>() {
            Ok(k) => k,
            Err(message) => {
                errors.push(err(line, format!("{message} for '{code}'")));
                continue;
            }
        };
        let name = cell(2);
        if name.is_empty() {
            errors.push(err(line, format!("empty name for '{code}'")));
            continue;
        }
        if let Some(first) = first_line.get(code) {
            errors.push(err(
                line,
                format!("code '{code}' is defined twice (first on line {first})"),
            ));
            continue;
        }
        first_line.insert(code.to_string(), line);
        let opt = |k: usize| Some(cell(k)).filter(|s| !s.is_empty()).map(str::to_string);
        actors.push(Actor {
            code: code.to_string(),
            kind,
            name: name.to_string(),
            affiliation: opt(3),
            role: opt(4),
            aliases: list(5),
            demonyms: list(6),
            capitals: list(7),
            prefixes: Vec::new(),
            line,
        });
    }
    if columns.is_none() && errors.is_empty() {
        errors.push(err(
            1,
            format!("no header row (expected {})", CSV_COLUMNS.join(",")),
        ));
    }
    (Dictionary::from_actors(actors, origin), errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "code,kind,name,affiliation,role,aliases,demonyms,capitals\n";

    #[test]
    fn parses_lists_comments_and_quotes() {
        let text = format!(
            "{HEAD}# a comment\nNRD,state,Nordland,,,\"Kingdom of Nordland;Nordland, the\",Nordish,Hafnia\n"
        );
        let d = Dictionary::from_csv(&text, "t.csv").unwrap();
        let a = d.get("NRD").unwrap();
        assert_eq!(a.aliases, ["Kingdom of Nordland", "Nordland, the"]);
        assert_eq!(a.line, 3);
        assert_eq!(d.alias_count(), 5);
    }

    #[test]
    fn errors_name_file_and_line() {
        let text = format!("{HEAD}NRD,state,Nordland,,,,,\nXX,planet,Mars,,,,,\n");
        let e = Dictionary::from_csv(&text, "t.csv")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.csv:3: unknown kind 'planet'"), "{e}");
        let text = format!("{HEAD}NRD,state,Nordland,,,,\n");
        let e = Dictionary::from_csv(&text, "t.csv")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "t.csv:2: expected 8 fields, found 7");
    }

    #[test]
    fn check_reports_every_problem() {
        let text = format!(
            "{HEAD}NRD,state,Nordland,,,,Nordish,\nSUD,state,Sudland,,,Nordland,,\n\
             P1,person,Ann Example,ZZZ,GOV,,,\nP2,person,Bo Example,,gov,,,\nNRD,state,Again,,,,,\n"
        );
        let problems: Vec<String> = check_csv(&text, "t.csv")
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(problems.len(), 5, "{problems:#?}");
        assert!(problems[0].starts_with("t.csv:3: name 'Nordland' of 'SUD'"));
        assert!(problems[1].contains("t.csv:4: unknown affiliation 'ZZZ'"));
        assert!(problems[2].contains("t.csv:5: person 'P2' has no affiliation"));
        assert!(problems[3].contains("t.csv:5: role 'gov'"));
        assert!(problems[4].contains("t.csv:6: code 'NRD' is defined twice"));
    }

    #[test]
    fn merge_overrides_by_code_and_rolls_up() {
        let a = Dictionary::from_csv(
            &format!("{HEAD}NRD,state,Nordland,,,,,\nNRD_FM,organ,FM,NRD,DIP,,,\n"),
            "a.csv",
        )
        .unwrap();
        let b =
            Dictionary::from_csv(&format!("{HEAD}NRD,state,New Nordland,,,,,\n"), "b.csv").unwrap();
        let mut m = a;
        m.merge(b);
        assert_eq!(m.len(), 2);
        assert_eq!(m.get("NRD").unwrap().name, "New Nordland");
        assert_eq!(m.dyad_code(m.index_of("NRD_FM").unwrap()), "NRD");
        assert_eq!(m.origin(), "a.csv+b.csv");
    }

    #[test]
    fn default_dictionary_loads() {
        let d = Dictionary::default_embedded().unwrap();
        assert!(d.len() > 300, "{}", d.len());
    }
}
