//! Property tests: the tokenizer and the CSV/JSONL reader never panic on arbitrary input.

use proptest::prelude::*;
use stancekit::data::{read, Columns};
use stancekit::features::{Document, PairSpans};
use stancekit::text::{Tokenizer, TokenizerParams};

proptest! {
    #[test]
    fn tokenizer_never_panics_and_offsets_are_char_boundaries(text in "\\PC*", a in 0usize..64, b in 0usize..64) {
        let tok = Tokenizer::new(TokenizerParams::default());
        for t in tok.tokenize(&text) {
            prop_assert!(text.is_char_boundary(t.start));
            prop_assert!(!t.term.is_empty());
        }
        let (lo, hi) = (a.min(b), a.max(b));
        let others = std::iter::once(0..1).collect();
        let spans = PairSpans { source: Some(lo..hi), target: Some(hi..hi + 3), others };
        let _ = Document::with_pair(&tok, &text, &spans);
    }

    #[test]
    fn csv_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400), header in prop::bool::ANY) {
        let dir = tempfile::tempdir().unwrap();
        let mut content = if header { b"text,label\n".to_vec() } else { Vec::new() };
        content.extend_from_slice(&bytes);
        for name in ["x.csv", "x.jsonl"] {
            let p = dir.path().join(name);
            std::fs::write(&p, &content).unwrap();
            let _ = read(std::slice::from_ref(&p), &Columns::default(), false);
            let _ = read(&[p], &Columns::default(), true);
        }
    }
}
