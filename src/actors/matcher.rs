//! Finding actor mentions in text: every name of a dictionary at once.
//!
//! All names (name, aliases, demonyms and their plurals, capitals) go into one
//! Aho-Corasick automaton with leftmost-longest semantics, run over an ASCII-lowercased
//! copy of the text (same byte offsets) so spans map straight back. A match is kept when:
//!
//! - it starts and ends on a token boundary (the character outside it is not a letter or
//!   digit), so `Iran` is found in `Iran's`, `Iran’s` and `Iran-backed` but not in
//!   `Tirana`; PETRARCH names without a trailing `_` may run on to the end of the word;
//! - a short all-capital acronym (`US`, `IS`, `UN`, `U.S.`) appears with the same case,
//!   so "us" and "is" are not actors;
//! - a capitalised name appears capitalised (`Turkey` but not "turkey"); a leading
//!   "the" is not checked.
//!
//! When the longest candidate at a position is refused, shorter names that are word
//! prefixes of it are tried at the same position.
//!
//! ```
//! use stancekit::actors::{Dictionary, Matcher};
//!
//! # fn main() -> stancekit::Result<()> {
//! let csv = "code,kind,name,affiliation,role,aliases,demonyms,capitals\n\
//!            NRD,state,Nordland,,,,Nordish,Hafnia\n\
//!            SUD,state,Sudland,,,SL,,\n";
//! let m = Matcher::new(Dictionary::from_csv(csv, "mini.csv")?)?;
//! let text = "Nordland's envoy met Nordish and SL officials, not sl ones, in Hafnia.";
//! let mentions = m.find(text);
//! let found: Vec<(&str, &str)> = mentions.iter()
//!     .map(|x| (&*x.code, &text[x.start..x.end])).collect();
//! assert_eq!(found, [("NRD", "Nordland"), ("NRD", "Nordish"), ("SUD", "SL"), ("NRD", "Hafnia")]);
//! # Ok(()) }
//! ```

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::dictionary::{is_acronym, name_key, ActorKind, Dictionary};
use crate::error::{Error, Result};
use crate::features::pair::{find_mention, MentionLocator};

/// One mention of an actor in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The dyad code: the actor this mention counts as (persons and organs roll up to
    /// their affiliation: `HAMAS_YOUSEF` counts as `HAMAS`).
    ///
    /// Codes and names are shared with the matcher (`Arc<str>`): copying a mention
    /// allocates only its text. Compare with `&*m.code == "HAMAS"`.
    pub code: Arc<str>,
    /// The dictionary code that was matched (`HAMAS_YOUSEF`).
    pub entity: Arc<str>,
    /// The kind of the matched entry.
    pub kind: ActorKind,
    /// The role of the matched entry, if any.
    pub role: Option<Arc<str>>,
    /// The name of the actor `code` stands for.
    pub name: Arc<str>,
    /// The text of the mention.
    pub text: Arc<str>,
    /// Byte offset of the mention's start.
    pub start: usize,
    /// Byte offset just past the mention's end.
    pub end: usize,
}

impl Mention {
    /// The mention's byte span.
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// What the actor at an index counts as in dyads, and its own code and role, shared by
/// its mentions.
#[derive(Debug, Clone)]
struct Dyad {
    code: Arc<str>,
    name: Arc<str>,
    kind: ActorKind,
    entity: Arc<str>,
    role: Option<Arc<str>>,
}

/// One name in the automaton.
#[derive(Debug, Clone)]
struct Pattern {
    actor: u32,
    /// The name as written (whitespace collapsed), compared exactly for acronyms.
    original: Box<str>,
    len: usize,
    exact: bool,
    cap_first: bool,
    open_end: bool,
    /// Shorter patterns that are word prefixes of this one, longest first.
    fallbacks: Vec<u32>,
}

/// A raw match: pattern and span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawMatch {
    pub(crate) actor: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Finds the mentions of a dictionary's actors in text.
///
/// Build once and share: it is `Send + Sync` and matching takes `&self`.
#[derive(Debug, Clone)]
pub struct Matcher {
    dict: Dictionary,
    dyads: Vec<Dyad>,
    ac: AhoCorasick,
    pats: Vec<Pattern>,
    /// Name keys (see `name_key`) and codes → actor index, for resolving data cells.
    lookup: FxHashMap<String, usize>,
    /// A filter of the first bytes of names: where it says no, no name starts.
    starts: StartFilter,
}

/// A Bloom-like filter over the first four bytes of every name (the whole name if it is
/// shorter), so the automaton runs only where a name may start: most words ("the", "said",
/// "and") are ruled out in a few nanoseconds.
#[derive(Debug, Clone)]
struct StartFilter {
    bits: Vec<u64>,
    /// Lengths (1 to 3) of the names shorter than four bytes, as a bit set.
    short_lengths: u8,
}

impl StartFilter {
    const BITS: u32 = 16;

    fn slot(prefix: &[u8]) -> usize {
        let mut x: u64 = prefix.len() as u64;
        for &b in prefix {
            x = (x << 8) | u64::from(b);
        }
        (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::BITS)) as usize
    }

    fn new<'a>(keys: impl Iterator<Item = &'a str>) -> Self {
        let mut f = StartFilter {
            bits: vec![0; 1 << (Self::BITS - 6)],
            short_lengths: 0,
        };
        for k in keys {
            let k = k.as_bytes();
            let n = k.len().min(4);
            if n == 0 {
                continue;
            }
            if n < 4 {
                f.short_lengths |= 1 << n;
            }
            let i = Self::slot(&k[..n]);
            f.bits[i / 64] |= 1 << (i % 64);
        }
        f
    }

    fn has(&self, prefix: &[u8]) -> bool {
        let i = Self::slot(prefix);
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }

    /// Whether some name may start at the beginning of `hay`.
    fn may_start(&self, hay: &[u8]) -> bool {
        (hay.len() >= 4 && self.has(&hay[..4]))
            || (1..4).any(|n| {
                self.short_lengths & (1 << n) != 0 && hay.len() >= n && self.has(&hay[..n])
            })
    }
}

impl Matcher {
    /// Builds the matcher of a dictionary.
    pub fn new(dict: Dictionary) -> Result<Self> {
        let n = dict.len();
        let mut dyads = Vec::with_capacity(n);
        // One shared string per distinct code and name, so mentions of the same actor
        // share their codes.
        let mut interned: FxHashMap<String, Arc<str>> = FxHashMap::default();
        let mut intern = |s: &str| -> Arc<str> {
            interned
                .entry(s.to_string())
                .or_insert_with(|| Arc::from(s))
                .clone()
        };
        for i in 0..n {
            let (idx, code) = dict.dyad(i);
            let owner = idx.map(|j| &dict.actors()[j]);
            let me = &dict.actors()[i];
            dyads.push(Dyad {
                code: intern(code),
                name: intern(owner.map_or(me.name.as_str(), |a| a.name.as_str())),
                kind: owner.map_or(me.kind, |a| a.kind),
                entity: intern(&me.code),
                role: me.role.as_deref().map(&mut intern),
            });
        }
        let mut keys: Vec<String> = Vec::new();
        let mut pats: Vec<Pattern> = Vec::new();
        let mut by_key: FxHashMap<String, usize> = FxHashMap::default();
        let mut lookup: FxHashMap<String, usize> = FxHashMap::default();
        for (i, a) in dict.actors().iter().enumerate() {
            lookup.insert(a.code.to_uppercase(), i);
            let mut add = |name: &str, open: bool| {
                lookup.insert(name_key(name), i);
                for variant in variants(name) {
                    add_pattern(&mut keys, &mut pats, &mut by_key, i, &variant, open);
                }
            };
            add(&a.name, false);
            for x in &a.aliases {
                add(x, false);
            }
            for x in &a.demonyms {
                add(x, false);
                if let Some(p) = plural(x) {
                    add(&p, false);
                }
            }
            for x in &a.capitals {
                add(x, false);
            }
            for x in &a.prefixes {
                add(x, true);
            }
        }
        // Word-prefix fallbacks: `sudan people` falls back to `sudan`.
        for (pid, key) in keys.iter().enumerate() {
            let mut fb: Vec<u32> = key
                .char_indices()
                .filter(|&(i, c)| i > 0 && matches!(c, ' ' | '-'))
                .filter_map(|(i, _)| by_key.get(&key[..i]).map(|&p| p as u32))
                .collect();
            fb.reverse();
            pats[pid].fallbacks = fb;
        }
        // The contiguous NFA builds fast (a DFA of the default dictionary takes ~90 ms)
        // and searches nearly as fast.
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .start_kind(StartKind::Anchored)
            .build(&keys)
            .map_err(|e| Error::Matcher {
                path: PathBuf::from(dict.origin()),
                message: e.to_string(),
            })?;
        let starts = StartFilter::new(keys.iter().map(String::as_str));
        Ok(Matcher {
            dict,
            dyads,
            ac,
            pats,
            lookup,
            starts,
        })
    }

    /// The matcher of the embedded default dictionary.
    pub fn default_embedded() -> Result<Self> {
        Matcher::new(Dictionary::default_embedded()?)
    }

    /// The dictionary the matcher was built from.
    pub fn dictionary(&self) -> &Dictionary {
        &self.dict
    }

    /// Number of names in the automaton (with generated plurals and spelling variants).
    pub fn pattern_count(&self) -> usize {
        self.pats.len()
    }

    /// All mentions in `text`, in order, not overlapping.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        self.raw_matches(text)
            .into_iter()
            .map(|r| self.mention(r.actor, text, r.start..r.end))
            .collect()
    }

    /// The mention of the actor at `actor` (an index into the dictionary) at `span`.
    ///
    /// `span` must lie on char boundaries inside `text`.
    pub fn mention(&self, actor: usize, text: &str, span: Range<usize>) -> Mention {
        let a = &self.dict.actors()[actor];
        let d = &self.dyads[actor];
        Mention {
            code: d.code.clone(),
            entity: d.entity.clone(),
            kind: a.kind,
            role: d.role.clone(),
            name: d.name.clone(),
            text: Arc::from(text.get(span.clone()).unwrap_or("")),
            start: span.start,
            end: span.end,
        }
    }

    /// The kind of the actor that the entry `entity` counts as in dyads (`HAMAS_YOUSEF` →
    /// `armed_group`, the kind of `HAMAS`).
    pub fn dyad_kind(&self, entity: &str) -> Option<ActorKind> {
        self.dict.index_of(entity).map(|i| self.dyads[i].kind)
    }

    /// Resolves a data cell — a code (`IRN`, `HAMAS`) or a name (`Tehran`,
    /// `Islamic Jihad`) — to the index of its dictionary entry.
    pub fn resolve(&self, cell: &str) -> Option<usize> {
        let cell = cell.trim();
        if cell.is_empty() {
            return None;
        }
        self.dict
            .index_of(cell)
            .or_else(|| self.lookup.get(&cell.to_uppercase()).copied())
            .or_else(|| self.lookup.get(&name_key(cell)).copied())
    }

    /// Dictionary-only matches (no coreference), in order.
    pub(crate) fn raw_matches(&self, text: &str) -> Vec<RawMatch> {
        let hay: Vec<u8> = text
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' => b | 0x20,
                b'\n' | b'\r' | b'\t' => b' ',
                _ => b,
            })
            .collect();
        let mut out = Vec::new();
        let mut pos = 0;
        let mut prev_alnum = false;
        // Names start on token boundaries: try an anchored search at each position where
        // a name may start, instead of scanning every byte.
        while pos < hay.len() {
            let (c, len) = char_at(text, pos);
            if !prev_alnum && self.starts.may_start(&hay[pos..]) {
                let input = Input::new(&hay)
                    .span(pos..hay.len())
                    .anchored(Anchored::Yes);
                if let Some(m) = self.ac.find(input) {
                    let pid = m.pattern().as_usize();
                    let found = self.accept(text, pid, pos).map(|e| (pid, e)).or_else(|| {
                        self.pats[pid].fallbacks.iter().find_map(|&f| {
                            let f = f as usize;
                            self.accept(text, f, pos).map(|e| (f, e))
                        })
                    });
                    if let Some((p, e)) = found {
                        out.push(RawMatch {
                            actor: self.pats[p].actor as usize,
                            start: pos,
                            end: e,
                        });
                        prev_alnum = text[..e]
                            .chars()
                            .next_back()
                            .is_some_and(char::is_alphanumeric);
                        pos = e;
                        continue;
                    }
                }
            }
            prev_alnum = c.is_alphanumeric();
            pos += len;
        }
        out
    }

    /// Checks a candidate of pattern `pid` at `s`; returns the end of the accepted match.
    fn accept(&self, text: &str, pid: usize, s: usize) -> Option<usize> {
        let p = &self.pats[pid];
        let mut e = s + p.len;
        let got = text.get(s..e)?;
        if text[..s]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            return None;
        }
        if p.exact && got != &*p.original {
            return None;
        }
        if p.cap_first {
            let skip = if p
                .original
                .get(..4)
                .is_some_and(|x| x.eq_ignore_ascii_case("the "))
            {
                4
            } else {
                0
            };
            let first = got.get(skip..).and_then(|g| g.chars().next());
            if first.is_some_and(|c| c.is_lowercase()) {
                return None;
            }
        }
        // "London-based", "Iranian-born": a place of origin, not the actor.
        let after = &text.as_bytes()[e..];
        if after.len() >= 5
            && after[0] == b'-'
            && (after[1..]
                .get(..5)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"based"))
                || after[1..]
                    .get(..4)
                    .is_some_and(|w| w.eq_ignore_ascii_case(b"born")))
        {
            return None;
        }
        let mut rest = text[e..].chars();
        if rest.next().is_some_and(char::is_alphanumeric) {
            if !p.open_end {
                return None;
            }
            e += text[e..]
                .char_indices()
                .find(|&(_, c)| !c.is_alphanumeric())
                .map_or(text.len() - e, |(i, _)| i);
        }
        Some(e)
    }
}

/// The character at byte `i` (a char boundary) and its length in bytes.
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (b as char, 1);
    }
    let c = text[i..].chars().next().unwrap_or('\u{fffd}');
    (c, c.len_utf8())
}

/// Adds one name variant, merging with an existing pattern of the same key (the later
/// entry wins; the same entry's flags are combined).
fn add_pattern(
    keys: &mut Vec<String>,
    pats: &mut Vec<Pattern>,
    by_key: &mut FxHashMap<String, usize>,
    actor: usize,
    name: &str,
    open: bool,
) {
    let original: String = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if original.is_empty() {
        return;
    }
    let key = original.to_ascii_lowercase();
    let exact = is_acronym(&original);
    let significant = if original
        .get(..4)
        .is_some_and(|x| x.eq_ignore_ascii_case("the "))
    {
        &original[4..]
    } else {
        &original[..]
    };
    let cap_first = significant.chars().next().is_some_and(char::is_uppercase);
    let pat = Pattern {
        actor: actor as u32,
        len: original.len(),
        original: original.into_boxed_str(),
        exact,
        cap_first,
        open_end: open,
        fallbacks: Vec::new(),
    };
    match by_key.get(&key) {
        Some(&pid) => {
            let old = &mut pats[pid];
            if old.actor as usize == actor {
                old.open_end |= open;
                old.exact &= pat.exact;
                old.cap_first &= pat.cap_first;
            } else {
                *old = pat;
            }
        }
        None => {
            by_key.insert(key.clone(), pats.len());
            keys.push(key);
            pats.push(pat);
        }
    }
}

/// Spelling variants of a name: itself, with curly apostrophes, hyphens as spaces.
fn variants(name: &str) -> Vec<String> {
    let mut out = vec![name.to_string()];
    if name.contains('\'') {
        out.push(name.replace('\'', "’"));
    }
    if name.contains('’') {
        out.push(name.replace('’', "'"));
    }
    if name.contains('-') && !is_acronym(name) {
        let spaced = name.replace('-', " ");
        if spaced.contains('\'') {
            out.push(spaced.replace('\'', "’"));
        }
        out.push(spaced);
    }
    out
}

/// The plural of a demonym (`Iranian` → `Iranians`, `Iraqi` → `Iraqis`,
/// `Englishman` → `Englishmen`); none for `Chinese`, `Swiss`, `French` or acronyms.
pub(crate) fn plural(demonym: &str) -> Option<String> {
    let d = demonym.trim();
    if is_acronym(d) || !d.chars().next_back().is_some_and(char::is_alphabetic) {
        return None;
    }
    let lower = d.to_lowercase();
    if let Some(stem) = d.strip_suffix("man") {
        return Some(format!("{stem}men"));
    }
    if ["s", "x", "z", "sh", "ch", "ese"]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
    {
        return None;
    }
    Some(format!("{d}s"))
}

impl MentionLocator for Matcher {
    /// The cell's text itself when it is in `text`; else the first mention of the actor
    /// the cell names (a code such as `IRN` or a name such as `Tehran`), by entity or by
    /// dyad code.
    fn locate(&self, text: &str, cell: &str) -> Option<Range<usize>> {
        if let Some(span) = find_mention(text, cell) {
            return Some(span);
        }
        let idx = self.resolve(cell)?;
        let entity = &self.dict.actors()[idx].code;
        let dyad = &self.dyads[idx].code;
        let raw = self.raw_matches(text);
        raw.iter()
            .find(|r| &self.dict.actors()[r.actor].code == entity)
            .or_else(|| raw.iter().find(|r| &self.dyads[r.actor].code == dyad))
            .map(|r| r.start..r.end)
    }

    fn mentions(&self, text: &str) -> Vec<Range<usize>> {
        self.raw_matches(text)
            .into_iter()
            .map(|r| r.start..r.end)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(rows: &str) -> Matcher {
        let csv = format!("code,kind,name,affiliation,role,aliases,demonyms,capitals\n{rows}");
        Matcher::new(Dictionary::from_csv(&csv, "t.csv").unwrap()).unwrap()
    }

    fn found(m: &Matcher, text: &str) -> Vec<(String, String)> {
        m.find(text)
            .into_iter()
            .map(|x| (x.code.to_string(), text[x.start..x.end].to_string()))
            .collect()
    }

    #[test]
    fn plurals() {
        assert_eq!(plural("Iranian").as_deref(), Some("Iranians"));
        assert_eq!(plural("Iraqi").as_deref(), Some("Iraqis"));
        assert_eq!(plural("Chinese"), None);
        assert_eq!(plural("Swiss"), None);
        assert_eq!(plural("French"), None);
        assert_eq!(plural("US"), None);
        assert_eq!(plural("Frenchman").as_deref(), Some("Frenchmen"));
    }

    #[test]
    fn refused_longest_falls_back_to_prefix() {
        let m = matcher("SUD,state,Sudan,,,,,\nSPLM,movement,Sudan People,,,,,\n");
        assert_eq!(
            found(&m, "Sudan Peoples Party and Sudan People"),
            [
                ("SUD".into(), "Sudan".into()),
                ("SPLM".into(), "Sudan People".into())
            ]
        );
    }

    #[test]
    fn capitalised_names_need_a_capital() {
        let m = matcher("TUR,state,Turkey,,,the Republic,,\n");
        assert_eq!(found(&m, "roast turkey"), []);
        assert_eq!(
            found(&m, "TURKEY and the Republic"),
            [
                ("TUR".into(), "TURKEY".into()),
                ("TUR".into(), "the Republic".into())
            ]
        );
    }

    #[test]
    fn persons_roll_up_and_resolve() {
        let m = matcher("NRD,state,Nordland,,,,,Hafnia\nNRD_P,person,Olaf Berg,NRD,GOV,Berg,,\n");
        let x = &m.find("Olaf Berg spoke")[0];
        assert_eq!(
            (&*x.code, &*x.entity, &*x.name),
            ("NRD", "NRD_P", "Nordland")
        );
        assert_eq!(m.resolve("nrd"), Some(0));
        assert_eq!(m.resolve("hafnia"), Some(0));
        assert_eq!(m.resolve("OLAF BERG"), Some(1));
    }
}
