//! Import of PETRARCH / Phoenix `.actors` dictionaries.
//!
//! The format, as read here:
//!
//! - an entry starts with a name line, `NAME_WITH_UNDERSCORES [CODE]`, possibly followed by
//!   a `# comment`; underscores stand for spaces, and a trailing `_` means the name must
//!   end on a word boundary (without it, the name also matches the start of a longer word:
//!   `IRAN` matches `Iranian`);
//! - `+SYNONYM` lines add names to the current entry;
//! - indented `[CODE 680101-741014]`, `[CODE <950601]`, `[CODE >990816]` lines give codes
//!   bounded by dates; the undated code wins, else the latest one;
//! - a name line without a code collects the following names until a code arrives;
//! - `<!-- ... -->` blocks (possibly over several lines) and `#` to the end of a line are
//!   comments; entries whose code is a discard code (`---`, `+++`) are skipped.
//!
//! Codes are CAMEO codes such as `IRNGOV`: the first three letters are the country, so
//! the entry gets kind `organ`, affiliation `IRN` and role `GOV`, and counts as `IRN` in
//! dyads, while its full code stays its entity code. `IGO…`, `NGO…` and `IMG…` codes are
//! international organisations, NGOs and militant groups of their own.
//!
//! ```
//! use stancekit::actors::petrarch;
//!
//! # fn main() -> stancekit::Result<()> {
//! let text = "NORDLAND_ [NRD]\n+NORDISH\nOLAF_HANSEN_\n\t[NRDGOV 950101-991231]\n\t[NRDOPP]\n";
//! let d = petrarch::from_petrarch(text, "x.actors.txt")?;
//! assert_eq!(d.len(), 2);
//! let olaf = &d.actors()[1];
//! assert_eq!((olaf.code.as_str(), olaf.name.as_str()), ("NRDOPP", "Olaf Hansen"));
//! assert_eq!(d.dyad_code(1), "NRD");
//! # Ok(()) }
//! ```

use std::path::Path;

use super::dictionary::{Actor, ActorKind, Dictionary};
use crate::error::{Error, Result};

/// One `[CODE dates]` block.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CodeSpec {
    code: String,
    /// Preference: higher wins (undated > open-ended "after" > range > "before"),
    /// then the date, then the later line.
    rank: (u8, u64),
}

#[derive(Debug, Default)]
struct Block {
    names: Vec<String>,
    codes: Vec<CodeSpec>,
    line: u64,
}

/// Parses a PETRARCH actors file; `path` is used in error messages.
///
/// Fails only on malformed code brackets (`[` without `]`, an empty code); other oddities
/// are skipped.
pub fn from_petrarch(text: &str, path: impl AsRef<Path>) -> Result<Dictionary> {
    let path = path.as_ref();
    let err = |line: u64, message: String| Error::Dictionary {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut blocks: Vec<Block> = Vec::new();
    let mut current = Block::default();
    let mut in_comment = false;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (n, raw) in text.lines().enumerate() {
        let line = n as u64 + 1;
        let kept = strip_comments(raw, &mut in_comment);
        let t = kept.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(rest) = t.strip_prefix('+') {
            let (name, codes) = split_codes(rest, line).map_err(|m| err(line, m))?;
            if current.names.is_empty() && current.codes.is_empty() {
                current.line = line;
            }
            if !name.is_empty() {
                current.names.push(name.to_string());
            }
            current.codes.extend(codes);
        } else if t.starts_with('[') {
            let (_, codes) = split_codes(t, line).map_err(|m| err(line, m))?;
            current.codes.extend(codes);
        } else {
            if !current.codes.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
            let (name, codes) = split_codes(t, line).map_err(|m| err(line, m))?;
            if current.names.is_empty() {
                current.line = line;
            }
            if !name.is_empty() {
                current.names.push(name.to_string());
            }
            current.codes.extend(codes);
        }
    }
    if !current.codes.is_empty() {
        blocks.push(current);
    }
    let actors = blocks.into_iter().filter_map(block_actor).collect();
    Ok(Dictionary::from_actors(actors, path.display().to_string()))
}

/// Removes `<!-- -->` comments (tracking ones that span lines) and `#` comments.
fn strip_comments(raw: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = raw;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(i) => {
                    rest = &rest[i + 3..];
                    *in_comment = false;
                }
                None => break,
            }
        } else {
            match rest.find("<!") {
                Some(i) => {
                    out.push_str(&rest[..i]);
                    rest = &rest[i + 2..];
                    *in_comment = true;
                }
                None => {
                    out.push_str(rest);
                    break;
                }
            }
        }
    }
    if let Some(i) = out.find('#') {
        out.truncate(i);
    }
    out
}

/// Splits a line into its name (before the first `[`) and its code blocks.
fn split_codes(t: &str, line: u64) -> std::result::Result<(&str, Vec<CodeSpec>), String> {
    let Some(open) = t.find('[') else {
        return Ok((t.trim(), Vec::new()));
    };
    let name = t[..open].trim();
    let mut codes = Vec::new();
    let mut rest = &t[open..];
    while let Some(start) = rest.find('[') {
        let Some(len) = rest[start..].find(']') else {
            return Err(format!("'[' without ']' in '{}'", t.trim()));
        };
        let inner = rest[start + 1..start + len].trim();
        rest = &rest[start + len + 1..];
        let mut parts = inner.splitn(2, char::is_whitespace);
        let code_raw = parts.next().unwrap_or("").trim();
        let dates = parts.next().unwrap_or("").trim();
        // `[HOB< 950601]`: a date glued to the code.
        let (code_raw, dates) = match code_raw.find(['<', '>']) {
            Some(i) => (&code_raw[..i], format!("{} {dates}", &code_raw[i..])),
            None => (code_raw, dates.to_string()),
        };
        if code_raw.is_empty() {
            return Err(format!("empty code in '[{inner}]'"));
        }
        // `[ELR/GAL]`: several codes; the first one is kept.
        let code = code_raw
            .split('/')
            .next()
            .unwrap_or(code_raw)
            .to_ascii_uppercase();
        codes.push(CodeSpec {
            code,
            rank: date_rank(&dates, line),
        });
    }
    Ok((name, codes))
}

/// Ranks a date restriction: undated (3) > after a date (2) > a range (1, by its end) >
/// before a date (0).
fn date_rank(dates: &str, line: u64) -> (u8, u64) {
    let d = dates.trim();
    let rank = if d.is_empty() {
        (3, 0)
    } else if let Some(x) = d.strip_prefix('>') {
        (2, parse_date(x))
    } else if let Some(x) = d.strip_prefix('<') {
        (0, parse_date(x))
    } else if let Some((_, end)) = d.split_once('-') {
        (1, parse_date(end))
    } else {
        (1, parse_date(d))
    };
    // Ties go to the later line.
    (rank.0, rank.1 * 100_000 + line.min(99_999))
}

/// `950601` → 19950601, `20130119` as is; anything else by its digits.
fn parse_date(s: &str) -> u64 {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let n: u64 = digits.parse().unwrap_or(0);
    if digits.len() == 6 {
        let yy = n / 10_000;
        let century = if yy >= 50 { 19_000_000 } else { 20_000_000 };
        century + n
    } else {
        n
    }
}

/// Turns a block into an entry, or `None` when it has no usable code or name.
fn block_actor(block: Block) -> Option<Actor> {
    let best = block.codes.iter().max_by_key(|c| c.rank)?;
    let code = best.code.clone();
    if !code
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return None; // discard codes: ---, +++, ###
    }
    let mut names = block.names.iter().filter(|n| !display(n).is_empty());
    let first = names.next()?;
    let (kind, affiliation, role) = classify(&code);
    let mut actor = Actor::new(code, kind, display(first));
    actor.affiliation = affiliation;
    actor.role = role;
    actor.line = block.line;
    for raw in block.names.iter() {
        let shown = display(raw);
        if shown.is_empty() {
            continue;
        }
        if is_open_ended(raw) {
            actor.prefixes.push(shown);
        } else if shown != actor.name {
            actor.aliases.push(shown);
        }
    }
    Some(actor)
}

/// Prefixes of CAMEO codes that are not countries.
const NON_COUNTRY: [&str; 8] = ["IGO", "NGO", "NGM", "IMG", "MNC", "ELI", "UIS", "INT"];
/// CAMEO role codes recognised after a country prefix.
const ROLES: [&str; 24] = [
    "GOV", "MIL", "REB", "OPP", "PTY", "LEG", "JUD", "COP", "SPY", "BUS", "MED", "EDU", "CVL",
    "ELI", "HLH", "REF", "LAB", "AGR", "CRM", "DEV", "HRI", "IGO", "NGO", "SEP",
];

/// Kind, affiliation and role of a CAMEO code.
fn classify(code: &str) -> (ActorKind, Option<String>, Option<String>) {
    let prefix = code.get(..3).unwrap_or(code);
    match prefix {
        "IGO" => return (ActorKind::Igo, None, None),
        "NGO" | "NGM" | "MNC" => return (ActorKind::Ngo, None, None),
        "IMG" => return (ActorKind::ArmedGroup, None, None),
        _ => {}
    }
    if code.len() <= 3 || NON_COUNTRY.contains(&prefix) || !code.is_char_boundary(3) {
        let kind = if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
            ActorKind::State
        } else {
            ActorKind::Organ
        };
        return (kind, None, None);
    }
    let role = code
        .get(3..6)
        .filter(|r| ROLES.contains(r))
        .map(str::to_string);
    (ActorKind::Organ, Some(prefix.to_string()), role)
}

/// Whether a raw name may match the start of a longer word (no trailing `_`).
fn is_open_ended(raw: &str) -> bool {
    !raw.trim_end().ends_with('_')
}

/// Words kept lowercase inside a name (capitalised when first).
const FUNCTION_WORDS: [&str; 22] = [
    "THE", "OF", "AND", "FOR", "AL", "EL", "BIN", "BEN", "DE", "DU", "LA", "LE", "DER", "VAN",
    "VON", "DA", "DOS", "DI", "IN", "ON", "TO", "AT",
];

/// A raw PETRARCH name as text: underscores to spaces, all-capital words in title case,
/// except acronyms of up to three letters (`UN`, `U.S.`, `IMF`).
pub(crate) fn display(raw: &str) -> String {
    let spaced = raw.replace('_', " ");
    let mut out = String::with_capacity(spaced.len());
    for (i, word) in spaced.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let has_lower = word.chars().any(char::is_lowercase);
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let upper = word.to_uppercase();
        if has_lower {
            out.push_str(word);
        } else if FUNCTION_WORDS.contains(&upper.as_str()) {
            if i == 0 {
                push_title(&mut out, word);
            } else {
                out.push_str(&word.to_lowercase());
            }
        } else if letters <= 3 {
            out.push_str(word);
        } else {
            push_title(&mut out, word);
        }
    }
    out
}

/// Appends `word` with the first letter of each hyphen/apostrophe part capitalised.
fn push_title(out: &mut String, word: &str) {
    let mut start = true;
    for c in word.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, '-' | '\'' | '’' | '.' | '(' | '/');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names() {
        assert_eq!(
            display("MINISTER_ANNA_K._LINDQVIST"),
            "Minister Anna K. Lindqvist"
        );
        assert_eq!(display("UN_"), "UN");
        assert_eq!(display("U.S."), "U.S.");
        assert_eq!(display("BARAD-DUR"), "Barad-Dur");
        assert_eq!(display("THE_HERMIT_KINGDOM"), "The Hermit Kingdom");
        assert_eq!(
            display("SECRETARY_GENERAL_OF_THE_UN"),
            "Secretary General of the UN"
        );
        assert_eq!(display("UN_Secy_Gen"), "UN Secy Gen");
    }

    #[test]
    fn comments_synonyms_and_dated_codes() {
        let text = "<!-- header\n# inside\n-->\nGOLLUM  # note\n+SMEAGOL\n\t[HOB < 950601]\n\
                    \t[HOBGOV 19950601 - 19990815]\n\t[HOBREB > 990816]\n\nZIMBABWE\n\t[RHO <790606]\n\t[ZBW]#x\n\
                    NASGUL  [+++]\nLORIEN  [ELR/GAL]\n";
        let d = from_petrarch(text, "t.txt").unwrap();
        let codes: Vec<&str> = d.actors().iter().map(|a| a.code.as_str()).collect();
        assert_eq!(codes, ["HOBREB", "ZBW", "ELR"]);
        let g = &d.actors()[0];
        assert_eq!(g.name, "Gollum");
        assert_eq!(g.prefixes, ["Gollum", "Smeagol"]);
        assert_eq!(g.line, 4);
        assert_eq!(g.role.as_deref(), Some("REB"));
    }

    #[test]
    fn codeless_names_join_the_next_code() {
        let text = "UN_ [IGOUNO]\nU.N._\n\n# c\nUN_CHIEF_\n+UNSG_\n\t[IGOUNO]\n";
        let d = from_petrarch(text, "t.txt").unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d.actors()[1].name, "U.N.");
        assert_eq!(d.actors()[1].aliases, ["UN Chief", "Unsg"]);
        assert_eq!(d.actors()[1].kind, ActorKind::Igo);
    }

    #[test]
    fn unclosed_bracket_is_an_error_with_line() {
        let e = from_petrarch("A_ [AAA]\nB_ [BBB\n", "t.txt").unwrap_err();
        assert_eq!(e.to_string(), "t.txt:2: '[' without ']' in 'B_ [BBB'");
    }
}
