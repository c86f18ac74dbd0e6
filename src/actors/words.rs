//! A small scanner for the heuristics of coreference and statement direction: words
//! (runs of letters and digits) and single punctuation characters, with byte spans, a
//! lowercase form for lexicon look-ups, and whether each token lies inside a quotation.

use std::ops::Range;

use super::lexicon::{self, Lex};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    /// A run of letters and digits.
    Word,
    /// One punctuation or symbol character.
    Punct(char),
}

/// One token of a sentence.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) kind: TokKind,
    /// ASCII-lowercased word (empty for punctuation and long or non-ASCII words).
    pub(crate) lower: Lower,
    /// The word lists the word belongs to (see `lexicon`).
    pub(crate) mask: u64,
    /// The word starts with an uppercase letter.
    pub(crate) cap: bool,
    /// Inside a double-quoted passage (quote marks themselves are not).
    pub(crate) quoted: bool,
    /// Inside parentheses or brackets.
    pub(crate) bracketed: bool,
}

/// A short lowercase ASCII word kept inline, to avoid an allocation per token.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Lower {
    buf: [u8; 24],
    len: u8,
}

impl Lower {
    fn new(word: &str) -> Self {
        let mut l = Lower::default();
        if word.len() <= l.buf.len() && word.is_ascii() {
            for (d, b) in l.buf.iter_mut().zip(word.bytes()) {
                *d = b.to_ascii_lowercase();
            }
            l.len = word.len() as u8;
        }
        l
    }
}

impl Lower {
    /// The lowercase bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.buf[..self.len as usize]
    }

    /// The lowercase word.
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(self.bytes()).unwrap_or("")
    }
}

impl Tok {
    /// Whether the word is in a lexicon list.
    pub(crate) fn has(&self, list: Lex) -> bool {
        lexicon::in_mask(self.mask, list)
    }

    pub(crate) fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }

    pub(crate) fn is(&self, word: &str) -> bool {
        self.lower.bytes() == word.as_bytes()
    }

    /// Whether the lowercase word is one of `words`.
    pub(crate) fn is_any(&self, words: &[&str]) -> bool {
        words.iter().any(|w| self.is(w))
    }

    pub(crate) fn is_punct(&self, c: char) -> bool {
        self.kind == TokKind::Punct(c)
    }

    pub(crate) fn is_any_punct(&self) -> bool {
        matches!(self.kind, TokKind::Punct(_))
    }

    pub(crate) fn span(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Whether `c` opens or closes a quotation.
pub(crate) fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '„')
}

/// Splits `text` into tokens.
pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let bytes = text.as_bytes();
    let mut out: Vec<Tok> = Vec::with_capacity(text.len() / 5 + 1);
    let mut i = 0;
    while i < bytes.len() {
        let (c, len) = char_at(text, i);
        if c.is_whitespace() {
            i += len;
            continue;
        }
        if !c.is_alphanumeric() {
            out.push(Tok {
                start: i,
                end: i + len,
                kind: TokKind::Punct(c),
                lower: Lower::default(),
                mask: 0,
                cap: false,
                quoted: false,
                bracketed: false,
            });
            i += len;
            continue;
        }
        let mut end = i + len;
        while end < bytes.len() {
            let (d, dl) = char_at(text, end);
            if d.is_alphanumeric() {
                end += dl;
                continue;
            }
            // An apostrophe inside a name ("Sa’ar", "O'Neill") joins; a possessive "’s"
            // does not.
            if matches!(d, '\'' | '’') && end + dl < bytes.len() {
                let (next, nl) = char_at(text, end + dl);
                let possessive = matches!(next, 's' | 'S')
                    && (end + dl + nl >= bytes.len()
                        || !char_at(text, end + dl + nl).0.is_alphanumeric());
                if next.is_alphanumeric() && !possessive {
                    end += dl;
                    continue;
                }
            }
            break;
        }
        let word = &text[i..end];
        let cap = c.is_uppercase();
        let lower = Lower::new(word);
        // Lexicon words are common words: a capitalised word inside a clause is a name.
        let after_word = out.last().is_some_and(|t| t.kind == TokKind::Word);
        let mask = if cap && after_word {
            0
        } else {
            lexicon::mask(lower.as_str())
        };
        out.push(Tok {
            start: i,
            end,
            kind: TokKind::Word,
            lower,
            mask,
            cap,
            quoted: false,
            bracketed: false,
        });
        i = end;
    }
    mark_quotes(&mut out);
    mark_brackets(&mut out);
    out
}

/// The character at byte `i` (a char boundary) and its length; ASCII without decoding.
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (b as char, 1);
    }
    let c = text[i..].chars().next().unwrap_or('\u{fffd}');
    (c, c.len_utf8())
}

/// Marks tokens inside double quotes. Curly quotes open and close by shape; a straight
/// `"` toggles. A quotation left open runs to the end of the sentence.
fn mark_quotes(toks: &mut [Tok]) {
    let mut open = false;
    for t in toks.iter_mut() {
        match t.kind {
            TokKind::Punct('“') | TokKind::Punct('«') | TokKind::Punct('„') => open = true,
            TokKind::Punct('”') | TokKind::Punct('»') => open = false,
            TokKind::Punct('"') => open = !open,
            _ => t.quoted = open,
        }
    }
}

/// Marks tokens inside `( )` and `[ ]`.
fn mark_brackets(toks: &mut [Tok]) {
    let mut depth = 0usize;
    for t in toks.iter_mut() {
        match t.kind {
            TokKind::Punct('(') | TokKind::Punct('[') => depth += 1,
            TokKind::Punct(')') | TokKind::Punct(']') => depth = depth.saturating_sub(1),
            _ => t.bracketed = depth > 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_quotes_and_brackets() {
        let text = "“We go,” Iran’s envoy (Sa’ar) said.";
        let toks = tokenize(text);
        let words: Vec<(&str, bool, bool)> = toks
            .iter()
            .filter(|t| t.is_word())
            .map(|t| (&text[t.span()], t.quoted, t.bracketed))
            .collect();
        assert_eq!(
            words,
            [
                ("We", true, false),
                ("go", true, false),
                ("Iran", false, false),
                ("s", false, false),
                ("envoy", false, false),
                ("Sa’ar", false, true),
                ("said", false, false)
            ]
        );
    }
}
