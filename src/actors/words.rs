//! A small scanner for the heuristics of coreference and statement direction: words
//! (runs of letters and digits) and single punctuation characters, with byte spans, a
//! lowercase form for lexicon look-ups, and whether each token lies inside a quotation.

use std::ops::Range;

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
    /// Lowercased word (empty for punctuation and words over 32 bytes).
    pub(crate) lower: Box<str>,
    /// The word starts with an uppercase letter.
    pub(crate) cap: bool,
    /// Inside a double-quoted passage (quote marks themselves are not).
    pub(crate) quoted: bool,
    /// Inside parentheses or brackets.
    pub(crate) bracketed: bool,
}

impl Tok {
    pub(crate) fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }

    pub(crate) fn is(&self, word: &str) -> bool {
        &*self.lower == word
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
    let mut out: Vec<Tok> = Vec::with_capacity(text.len() / 5 + 1);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() {
                    end = j + d.len_utf8();
                    chars.next();
                    continue;
                }
                // An apostrophe inside a name ("Sa’ar", "O'Neill") joins; a possessive
                // "’s" does not.
                if matches!(d, '\'' | '’') {
                    let rest = &text[j + d.len_utf8()..];
                    let mut after = rest.chars();
                    let next = after.next();
                    let possessive = matches!(next, Some('s' | 'S'))
                        && !after.next().is_some_and(char::is_alphanumeric);
                    if next.is_some_and(char::is_alphanumeric) && !possessive {
                        chars.next();
                        continue;
                    }
                }
                break;
            }
            let word = &text[i..end];
            let lower = if word.len() <= 32 {
                word.to_lowercase().into_boxed_str()
            } else {
                Box::from("")
            };
            out.push(Tok {
                start: i,
                end,
                kind: TokKind::Word,
                lower,
                cap: c.is_uppercase(),
                quoted: false,
                bracketed: false,
            });
        } else {
            out.push(Tok {
                start: i,
                end: i + c.len_utf8(),
                kind: TokKind::Punct(c),
                lower: Box::from(""),
                cap: false,
                quoted: false,
                bracketed: false,
            });
        }
    }
    mark_quotes(&mut out);
    mark_brackets(&mut out);
    out
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
        let toks = tokenize("“We go,” Iran’s envoy (Sa’ar) said.");
        let words: Vec<(&str, bool, bool)> = toks
            .iter()
            .filter(|t| t.is_word())
            .map(|t| (&*t.lower, t.quoted, t.bracketed))
            .collect();
        assert_eq!(
            words,
            [
                ("we", true, false),
                ("go", true, false),
                ("iran", false, false),
                ("s", false, false),
                ("envoy", false, false),
                ("sa’ar", false, true),
                ("said", false, false)
            ]
        );
    }
}
