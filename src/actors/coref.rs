//! Light coreference over the sentences of one article.
//!
//! Three simple rules, applied sentence by sentence in order:
//!
//! - **Anaphora**: "the movement", "the group", "the militants", "the faction",
//!   "the organisation" (also with a demonym or an adjective: "the Palestinian group",
//!   "the militant group") refer to the most recent armed group, party or movement;
//!   "the country", "the kingdom", "the emirate", "the regime" to the most recent state
//!   ("the regime in Tehran" to the state named right after it). The antecedent is looked
//!   for earlier in the same sentence first, then in the previous six sentences.
//! - **Titles**: an actor followed by a title and a name ("Hamas leader Ahmed Yousef",
//!   "Hezbollah operative Samir Kantar") is one mention, of the person if the name is in
//!   the dictionary with the same dyad code.
//! - **Surnames**: once a person has been mentioned by full name, their last name alone
//!   ("Hamdan said") refers to them for the rest of the article.
//!
//! ```
//! use stancekit::actors::{Coref, Dictionary, Matcher};
//!
//! # fn main() -> stancekit::Result<()> {
//! let csv = "code,kind,name,affiliation,role,aliases,demonyms,capitals\n\
//!            NRD,state,Nordland,,,,Nordish,\n\
//!            FRONT,armed_group,North Front,,,,,\n";
//! let m = Matcher::new(Dictionary::from_csv(csv, "mini.csv")?)?;
//! let mut coref = Coref::new();
//! let first = "North Front fighters crossed into Nordland.";
//! coref.sentence(&m, first, 0, m.find(first));
//! let second = "The group said the country had no right to stop it.";
//! let got: Vec<(String, String)> = coref.sentence(&m, second, 1, m.find(second))
//!     .into_iter().map(|x| (x.text.to_string(), x.code.to_string())).collect();
//! assert_eq!(got, [("The group".to_string(), "FRONT".to_string()),
//!                  ("the country".to_string(), "NRD".to_string())]);
//! # Ok(()) }
//! ```

use std::sync::{Arc, OnceLock};

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;

use super::dictionary::ActorKind;
use super::lexicon::{Lex, GROUP_NOUNS, STATE_NOUNS};
use super::matcher::{Matcher, Mention};
use super::words::{tokenize, Tok};

/// How many sentences back an antecedent may be.
const WINDOW: usize = 6;
/// How many sentences back the last speaker or subject may be for "he said".
const AGENT_WINDOW: usize = 3;

/// The mentions of a sentence that may be antecedents: all but the demonyms absorbed by
/// anaphors ("the Nordish group").
#[derive(Clone, Copy)]
struct Candidates<'a> {
    mentions: &'a [Mention],
    absorbed: &'a [usize],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Group,
    State,
}

/// Most mentions the coreference state remembers (then it forgets the older half).
const HISTORY_LIMIT: usize = 512;

/// Coreference state over the sentences of one article; feed it sentences in order.
#[derive(Debug, Clone, Default)]
pub struct Coref {
    /// Mentions seen so far with their sentence index, oldest first.
    history: Vec<(Mention, usize)>,
    /// Last names of persons mentioned by full name.
    surnames: FxHashMap<String, Mention>,
    /// The last speaker or subject, with its sentence index.
    agent: Option<(Mention, usize)>,
}

impl Coref {
    /// A fresh state for a new article.
    pub fn new() -> Self {
        Coref {
            history: Vec::with_capacity(HISTORY_LIMIT + 1),
            ..Coref::default()
        }
    }

    /// Completes the dictionary mentions `found` of sentence number `index` (its text is
    /// `text`, spans relative to it): merges titles, adds anaphora and surnames, and
    /// remembers the result for later sentences. Returns the mentions sorted by start.
    pub fn sentence(
        &mut self,
        matcher: &Matcher,
        text: &str,
        index: usize,
        found: Vec<Mention>,
    ) -> Vec<Mention> {
        let toks = tokenize(text);
        self.sentence_with_tokens(matcher, text, &toks, index, found)
    }

    pub(crate) fn sentence_with_tokens(
        &mut self,
        matcher: &Matcher,
        text: &str,
        toks: &[Tok],
        index: usize,
        found: Vec<Mention>,
    ) -> Vec<Mention> {
        let mut mentions = merge_titles(text, toks, found);
        self.add_anaphora(matcher, text, toks, index, &mut mentions);
        self.add_surnames(text, toks, &mut mentions);
        mentions.sort_by_key(|m| (m.start, m.end));
        for m in &mentions {
            self.remember(m, index);
        }
        mentions
    }

    /// Whether coreference could add mentions to a sentence in which the dictionary found
    /// none: it names a group or state noun ("the movement", "the country") or a known
    /// last name. Sentences without either can be skipped.
    pub(crate) fn may_refer(&self, text: &str) -> bool {
        static NOUNS: OnceLock<Option<AhoCorasick>> = OnceLock::new();
        let nouns = NOUNS.get_or_init(|| {
            let words: Vec<&str> = GROUP_NOUNS
                .iter()
                .chain(STATE_NOUNS.iter())
                .copied()
                .collect();
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(words)
                .ok()
        });
        if nouns.as_ref().is_none_or(|ac| ac.is_match(text)) {
            return true;
        }
        !self.surnames.is_empty()
            && text.split(|c: char| !c.is_alphanumeric()).any(|w| {
                w.chars().next().is_some_and(char::is_uppercase) && self.surnames.contains_key(w)
            })
    }

    /// Remembers a mention of sentence `index` as a possible antecedent (mentions returned
    /// by [`Coref::sentence`] are remembered already).
    pub fn remember(&mut self, m: &Mention, index: usize) {
        if m.kind == ActorKind::Person {
            let words: Vec<&str> = m.text.split_whitespace().collect();
            if let [_, .., last] = words[..] {
                let last = last.rsplit('-').next().unwrap_or(last);
                if last.chars().count() >= 3 && last.chars().next().is_some_and(char::is_uppercase)
                {
                    self.surnames.insert(last.to_string(), m.clone());
                }
            }
        }
        self.history.push((m.clone(), index));
        // Bound memory on long inputs: only recent sentences matter.
        if self.history.len() > HISTORY_LIMIT {
            self.history.drain(..HISTORY_LIMIT / 2);
        }
    }

    /// Records the speaker or grammatical subject of sentence `index`, the antecedent of
    /// "he said", "the statement said" or "the prime minister said" just after.
    pub fn set_agent(&mut self, m: &Mention, index: usize) {
        self.agent = Some((m.clone(), index));
    }

    /// Forgets the last speaker or subject (the last speaker was not an actor).
    pub fn clear_agent(&mut self) {
        self.agent = None;
    }

    /// The last speaker or subject, if it was set at most three sentences before `index`.
    pub fn agent(&self, index: usize) -> Option<&Mention> {
        self.agent
            .as_ref()
            .filter(|(_, i)| index.saturating_sub(*i) <= AGENT_WINDOW)
            .map(|(m, _)| m)
    }

    fn add_anaphora(
        &self,
        matcher: &Matcher,
        text: &str,
        toks: &[Tok],
        index: usize,
        mentions: &mut Vec<Mention>,
    ) {
        let covered = |pos: usize, ms: &[Mention]| covering(ms, pos);
        // Resolved anaphors and the demonyms they absorb, applied at the end (keeps the
        // work linear on long sentences).
        let mut added: Vec<Mention> = Vec::new();
        let mut absorbed: Vec<usize> = Vec::new();
        let mut k = 0;
        while k < toks.len() {
            if !toks[k].is("the") || covered(toks[k].start, mentions).is_some() {
                k += 1;
                continue;
            }
            // Modifiers: adjectives or one demonym mention.
            let mut j = k + 1;
            let mut demonym: Option<usize> = None;
            for _ in 0..2 {
                let Some(t) = toks.get(j) else { break };
                if let Some(mi) = covered(t.start, mentions) {
                    let m = &mentions[mi];
                    if demonym.is_none() && t.start == m.start && is_demonym(matcher, m) {
                        demonym = Some(mi);
                        while toks.get(j).is_some_and(|t| t.start < m.end) {
                            j += 1;
                        }
                        continue;
                    }
                    break;
                }
                if t.is_word() && t.has(Lex::Modifier) {
                    j += 1;
                } else {
                    break;
                }
            }
            let Some(noun) = toks.get(j) else { break };
            let category = if noun.has(Lex::GroupNoun) {
                Some(Category::Group)
            } else if noun.has(Lex::StateNoun) {
                Some(Category::State)
            } else {
                None
            };
            let Some(category) = category else {
                k += 1;
                continue;
            };
            if covered(noun.start, mentions).is_some() || noun.cap && j > k + 1 {
                k = j + 1;
                continue;
            }
            // "the Group of Seven": a capitalised noun followed by "of" is a name.
            if noun.cap && toks.get(j + 1).is_some_and(|t| t.is("of")) {
                k = j + 1;
                continue;
            }
            let span = toks[k].start..noun.end;
            let antecedent = self.antecedent(
                matcher,
                toks,
                j,
                Candidates {
                    mentions,
                    absorbed: &absorbed,
                },
                category,
                index,
            );
            if let Some(a) = antecedent {
                let m = Mention {
                    code: a.code.clone(),
                    entity: a.code.clone(),
                    kind: matcher.dyad_kind(&a.entity).unwrap_or(a.kind),
                    role: None,
                    name: a.name.clone(),
                    text: Arc::from(&text[span.clone()]),
                    start: span.start,
                    end: span.end,
                };
                absorbed.extend(demonym);
                added.push(m);
            }
            k = j + 1;
        }
        if !added.is_empty() {
            // `absorbed` is increasing: walk it alongside.
            let (mut i, mut next) = (0, 0);
            mentions.retain(|_| {
                let keep = absorbed.get(next) != Some(&i);
                if !keep {
                    next += 1;
                }
                i += 1;
                keep
            });
            mentions.extend(added);
            mentions.sort_by_key(|m| m.start);
        }
    }

    /// The antecedent of the anaphor whose noun is token `noun`.
    fn antecedent(
        &self,
        matcher: &Matcher,
        toks: &[Tok],
        noun: usize,
        candidates: Candidates<'_>,
        category: Category,
        index: usize,
    ) -> Option<Mention> {
        let Candidates { mentions, absorbed } = candidates;
        let fits = |m: &Mention| {
            let kind = matcher.dyad_kind(&m.entity).unwrap_or(m.kind);
            match category {
                Category::Group => kind.is_group(),
                Category::State => kind.is_state(),
            }
        };
        // "the regime in Tehran", "the kingdom of Saudi Arabia".
        if let (Some(p), Some(next)) = (toks.get(noun + 1), toks.get(noun + 2)) {
            if p.is("in") || p.is("of") {
                if let Some(m) = mentions.iter().find(|m| m.start == next.start && fits(m)) {
                    return Some(m.clone());
                }
            }
        }
        // Mentions of the group itself ("Hamas") beat mentions of its members
        // ("Hisham Salem"); the same sentence beats the last speaker or subject, which
        // beats older sentences.
        let direct = |m: &Mention| !m.kind.rolls_up();
        let at = toks[noun].start;
        let before_at = mentions.partition_point(|m| m.end <= at);
        // The nearest mentions only: an antecedent is close (and long lists stay linear).
        let here = || {
            mentions[..before_at]
                .iter()
                .enumerate()
                .rev()
                .take(32)
                .filter(|(i, _)| !absorbed.contains(i))
                .map(|(_, m)| m)
        };
        let before = || {
            self.history
                .iter()
                .rev()
                .take_while(|(_, i)| index.saturating_sub(*i) <= WINDOW)
                .map(|(m, _)| m)
        };
        let agent = self.agent(index).filter(|m| fits(m));
        here()
            .find(|m| fits(m) && direct(m))
            .or(agent)
            .or_else(|| before().find(|m| fits(m) && direct(m)))
            .or_else(|| here().find(|m| fits(m)))
            .or_else(|| before().find(|m| fits(m)))
            .cloned()
    }

    fn add_surnames(&self, text: &str, toks: &[Tok], mentions: &mut Vec<Mention>) {
        if self.surnames.is_empty() {
            return;
        }
        let mut added = Vec::new();
        for (k, t) in toks.iter().enumerate() {
            if !(t.is_word() && t.cap) || covering(mentions, t.start).is_some() {
                continue;
            }
            // A last name alone, not part of another name ("Hamdan Ali", "Ali Hamdan").
            let next_is_name = toks
                .get(k + 1)
                .is_some_and(|n| n.is_word() && n.cap && n.start == t.end + 1);
            let prev_is_name = k
                .checked_sub(1)
                .and_then(|p| toks.get(p))
                .is_some_and(|p| p.is_word() && p.cap && p.end + 1 == t.start);
            if next_is_name || prev_is_name {
                continue;
            }
            if let Some(p) = self.surnames.get(&text[t.start..t.end]) {
                let mut m = p.clone();
                m.start = t.start;
                m.end = t.end;
                m.text = Arc::from(&text[t.start..t.end]);
                added.push(m);
            }
        }
        mentions.extend(added);
    }
}

/// The index of the mention covering byte `pos`; `mentions` is sorted by start and its
/// spans do not overlap.
fn covering(mentions: &[Mention], pos: usize) -> Option<usize> {
    let i = mentions.partition_point(|m| m.end <= pos);
    mentions.get(i).filter(|m| m.start <= pos).map(|_| i)
}

/// Whether a mention's text is one of its entity's demonyms (or their plurals).
fn is_demonym(matcher: &Matcher, m: &Mention) -> bool {
    let Some(a) = matcher.dictionary().get(&m.entity) else {
        return false;
    };
    a.demonyms.iter().any(|d| {
        d.eq_ignore_ascii_case(&m.text)
            || super::matcher::plural(d).is_some_and(|p| p.eq_ignore_ascii_case(&m.text))
    })
}

/// Merges "ACTOR title Name" into one mention (see the module docs).
fn merge_titles(text: &str, toks: &[Tok], mut mentions: Vec<Mention>) -> Vec<Mention> {
    let mut i = 0;
    while i < mentions.len() {
        if let Some((end, person)) = title_name_after(toks, &mentions, i) {
            let first = mentions[i].clone();
            let merged = match person {
                Some(p) => {
                    let p = mentions[p].clone();
                    Mention {
                        start: first.start,
                        end,
                        text: Arc::from(&text[first.start..end]),
                        ..p
                    }
                }
                None => Mention {
                    end,
                    text: Arc::from(&text[first.start..end]),
                    ..first
                },
            };
            let start = merged.start;
            mentions.retain(|m| m.end <= start || m.start >= end);
            mentions.insert(i.min(mentions.len()), merged);
            mentions.sort_by_key(|m| m.start);
        }
        i += 1;
    }
    mentions
}

/// After mention `mi`: title words ending in a title head, then a capitalised name.
/// Returns the end of the name and the index of a person mention it covers.
fn title_name_after(
    toks: &[Tok],
    mentions: &[Mention],
    mi: usize,
) -> Option<(usize, Option<usize>)> {
    let m = &mentions[mi];
    let mut k = toks.partition_point(|t| t.start < m.end);
    toks.get(k)?;
    // The mention must end a token ("Iran-backed" is not "Iran").
    if toks[k].start == m.end && toks[k].is_word() {
        return None;
    }
    let mut titles = 0;
    let mut last_head = false;
    while let Some(t) = toks.get(k) {
        if t.is_word() && !t.cap && (t.has(Lex::TitleWord) || t.has(Lex::TitleHead)) {
            titles += 1;
            last_head = t.has(Lex::TitleHead);
            k += 1;
        } else if t.is_punct('-') && titles > 0 {
            k += 1;
        } else {
            break;
        }
        if titles > 4 {
            return None;
        }
    }
    if titles == 0 || !last_head {
        return None;
    }
    let name_start = toks.get(k)?.start;
    if !toks.get(k).is_some_and(|t| t.is_word() && t.cap) {
        return None;
    }
    let mut end = name_start;
    let mut j = k;
    while let Some(t) = toks.get(j) {
        if t.is_word() && t.cap {
            end = t.end;
        } else if !(t.is_punct('-')
            || t.is_punct('\'')
            || t.is_punct('’')
            || t.has(Lex::NameParticle))
        {
            break;
        }
        j += 1;
        if j - k >= 8 {
            break;
        }
    }
    let mut person = None;
    // Mentions are sorted: only those after `mi` that start before the name's end matter.
    for (pi, p) in mentions.iter().enumerate().skip(mi + 1) {
        if p.start >= end {
            break;
        }
        if p.end <= name_start {
            continue;
        }
        if p.code != m.code || p.start < name_start {
            return None;
        }
        end = end.max(p.end);
        if p.kind == ActorKind::Person && person.is_none() {
            person = Some(pi);
        }
    }
    Some((end, person))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::Dictionary;

    fn matcher() -> Matcher {
        let csv = "code,kind,name,affiliation,role,aliases,demonyms,capitals\n\
                   NRD,state,Nordland,,,,Nordish,Hafnia\n\
                   SUD,state,Sudland,,,,Sudish,\n\
                   FRONT,armed_group,North Front,,,,,\n\
                   FRONT_OLA,person,Ola Strand,FRONT,PTY,,,\n";
        Matcher::new(Dictionary::from_csv(csv, "t.csv").unwrap()).unwrap()
    }

    fn run(sentences: &[&str]) -> Vec<Vec<(String, String)>> {
        let m = matcher();
        let mut c = Coref::new();
        sentences
            .iter()
            .enumerate()
            .map(|(i, s)| {
                c.sentence(&m, s, i, m.find(s))
                    .into_iter()
                    .map(|x| (x.text.to_string(), x.code.to_string()))
                    .collect()
            })
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn demonym_group_anaphor_replaces_the_demonym() {
        let got = run(&[
            "Sudland hosted North Front envoys.",
            "The Nordish group thanked the kingdom.",
        ]);
        assert_eq!(
            got[1],
            pairs(&[("The Nordish group", "FRONT"), ("the kingdom", "SUD")])
        );
    }

    #[test]
    fn same_sentence_antecedent_first() {
        let got = run(&[
            "Nordland criticised North Front, but the movement said the regime in Sudland lied.",
        ]);
        assert_eq!(
            got[0],
            pairs(&[
                ("Nordland", "NRD"),
                ("North Front", "FRONT"),
                ("the movement", "FRONT"),
                ("the regime", "SUD"),
                ("Sudland", "SUD")
            ])
        );
    }

    #[test]
    fn no_antecedent_no_mention() {
        assert_eq!(run(&["The group met in the country."])[0], []);
    }

    #[test]
    fn titles_merge_into_one_mention() {
        let got = run(&["North Front leader Ola Strand met Nordish envoy Per Lund."]);
        assert_eq!(
            got[0],
            pairs(&[
                ("North Front leader Ola Strand", "FRONT"),
                ("Nordish envoy Per Lund", "NRD")
            ])
        );
        let m = matcher();
        let s = "North Front senior commander Ola Strand spoke.";
        let got = Coref::new().sentence(&m, s, 0, m.find(s));
        assert_eq!(got.len(), 1);
        assert_eq!(&*got[0].entity, "FRONT_OLA");
        let got = run(&["North Front leaders sheltered him."]);
        assert_eq!(got[0], pairs(&[("North Front", "FRONT")]));
    }

    #[test]
    fn surnames_after_a_full_name() {
        let got = run(&["Ola Strand arrived.", "\"We came,\" Strand said."]);
        assert_eq!(got[1], pairs(&[("Strand", "FRONT")]));
    }
}
