//! Sentence splitting with byte spans into the original text.
//!
//! The rules inside a paragraph (abbreviations such as `U.S.`, `Dr.`, `Jan.`, `p.m.`,
//! `e.g.` and `No.`, initials, quotations holding several sentences, `," X said.` after a
//! closing quote, bracketed notes) come from the `sentencex` crate, which handles them
//! well; `unicode-segmentation` would split after every abbreviation. On top of it we add
//! the layout rules of news text that the crate does not know:
//!
//! - paragraphs separated by blank lines are split apart before anything else;
//! - unless the text is hard-wrapped, every line is its own block, so headlines, bylines,
//!   datelines and photo captions without a final period do not run into the next line;
//! - spans are trimmed of whitespace and empty spans are dropped.
//!
//! ```
//! use stancekit::text::sentences::split_sentences;
//!
//! let text = "Iran hails U.S. move\n\nThe U.S. envoy met Dr. Ali at 4 p.m. on Jan. 5. He left.";
//! let got: Vec<&str> = split_sentences(text).into_iter().map(|r| &text[r]).collect();
//! assert_eq!(got, ["Iran hails U.S. move",
//!                  "The U.S. envoy met Dr. Ali at 4 p.m. on Jan. 5.", "He left."]);
//! ```

use std::ops::Range;

use sentencex::languages::{English, Language};

/// Splits `text` into sentences; returns their byte spans, trimmed of whitespace, in order.
///
/// Every span lies on char boundaries of `text` and spans never overlap.
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let lines = line_spans(text);
    let wrapped = is_hard_wrapped(text, &lines);
    let mut out = Vec::with_capacity(text.len() / 80 + 1);
    let language = English {};
    let mut block: Option<Range<usize>> = None;
    for line in &lines {
        let blank = text[line.clone()].trim().is_empty();
        if blank {
            if let Some(b) = block.take() {
                split_block(&language, text, b, &mut out);
            }
            continue;
        }
        if !wrapped {
            split_block(&language, text, line.clone(), &mut out);
            continue;
        }
        block = Some(match block.take() {
            Some(b) => b.start..line.end,
            None => line.clone(),
        });
    }
    if let Some(b) = block.take() {
        split_block(&language, text, b, &mut out);
    }
    out
}

/// Splits one paragraph or line with `sentencex`, shifting spans to `text` and trimming.
fn split_block(language: &English, text: &str, block: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[block.clone()];
    if slice.trim().is_empty() {
        return;
    }
    // No terminator inside: one sentence, without asking the crate (headlines, bylines).
    let inner = slice.trim_end();
    let inner = inner
        .strip_suffix(|c: char| matches!(c, '.' | '!' | '?' | '"' | '”' | '’' | '\'' | ')'))
        .unwrap_or(inner);
    if !inner.contains(['.', '!', '?', '…', '。']) {
        if let Some(r) = trim_span(text, block) {
            out.push(r);
        }
        return;
    }
    let mut covered = 0;
    for b in language.get_sentence_boundaries(slice) {
        // Defensive: keep spans inside the block, ordered and on char boundaries.
        let start = b.start_byte.max(covered).min(slice.len());
        let end = b.end_byte.min(slice.len());
        if end <= start || !slice.is_char_boundary(start) || !slice.is_char_boundary(end) {
            continue;
        }
        covered = end;
        if let Some(r) = trim_span(text, block.start + start..block.start + end) {
            out.push(r);
        }
    }
    if covered == 0 {
        // The crate returned nothing usable: keep the whole block as one sentence.
        if let Some(r) = trim_span(text, block) {
            out.push(r);
        }
    }
}

/// Trims whitespace off both ends of a span; `None` if nothing is left.
fn trim_span(text: &str, span: Range<usize>) -> Option<Range<usize>> {
    let s = &text[span.clone()];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return None;
    }
    let start = span.start + lead;
    Some(start..start + trimmed.len())
}

/// Byte spans of the lines of `text`, without their `\n` (nor a `\r` before it).
fn line_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push(start..end);
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// Whether the paragraphs of `text` are hard-wrapped (one sentence runs over several
/// lines), judged by how often a line break continues a sentence: the next line starts
/// with a lowercase letter, or the line ends with a comma, semicolon, hyphen or dash.
fn is_hard_wrapped(text: &str, lines: &[Range<usize>]) -> bool {
    let mut breaks = 0usize;
    let mut continued = 0usize;
    for pair in lines.windows(2) {
        let (a, b) = (text[pair[0].clone()].trim(), text[pair[1].clone()].trim());
        if a.is_empty() || b.is_empty() {
            continue;
        }
        breaks += 1;
        let next_lower = b.chars().next().is_some_and(char::is_lowercase);
        let ends_open = a
            .chars()
            .next_back()
            .is_some_and(|c| matches!(c, ',' | ';' | '-' | '–' | '—' | '('));
        if next_lower || ends_open {
            continued += 1;
        }
    }
    breaks > 0 && continued * 4 >= breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let text = "Cairo said on Monday that it\nwould host the talks. Doha agreed,\nofficials said.\n\nNext paragraph here.";
        assert_eq!(
            split(text),
            [
                "Cairo said on Monday that it\nwould host the talks.",
                "Doha agreed,\nofficials said.",
                "Next paragraph here."
            ]
        );
    }

    #[test]
    fn unwrapped_lines_are_blocks() {
        let text =
            "Ankara and Athens resume talks\n3 min read\nAnkara said it would send a delegation.";
        assert_eq!(
            split(text),
            [
                "Ankara and Athens resume talks",
                "3 min read",
                "Ankara said it would send a delegation."
            ]
        );
    }

    #[test]
    fn crlf_and_empty_input() {
        assert!(split("").is_empty());
        assert!(split(" \n\n \t").is_empty());
        assert_eq!(
            split("One line.\r\n\r\nTwo line."),
            ["One line.", "Two line."]
        );
    }
}
