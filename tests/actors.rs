//! Integration tests of the actors stage: sentence splitting, dictionaries (ours and
//! PETRARCH), the matcher, coreference, statement direction and the `pairs` / `actors`
//! commands. Sentences are of our own writing, except the shared example article and the
//! PETRARCH dictionaries, which are read at run time from `../shared`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use proptest::prelude::*;

use stancekit::actors::{petrarch, Dictionary, DictionaryFormat, Matcher, Mention};
use stancekit::features::pair::{row_document, MentionLocator, PairSpans};
use stancekit::statements::{extract_statements, DirectionRule, Statement};
use stancekit::text::sentences::split_sentences;
use stancekit::text::{Tokenizer, TokenizerParams};

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join(rel)
}

fn default_matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| Matcher::default_embedded().expect("the default dictionary loads"))
}

fn sentences(text: &str) -> Vec<&str> {
    split_sentences(text)
        .into_iter()
        .map(|r| &text[r])
        .collect()
}

fn mentions(text: &str) -> Vec<(String, String)> {
    default_matcher()
        .find(text)
        .into_iter()
        .map(|m| (m.code.to_string(), text[m.start..m.end].to_string()))
        .collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

/// (source code, target code, rule) of every statement.
fn directed(article: &str) -> Vec<(String, String, DirectionRule)> {
    extract_statements(article, default_matcher(), false)
        .into_iter()
        .map(|s| {
            (
                s.source.code.to_string(),
                s.target.code.to_string(),
                s.direction_rule,
            )
        })
        .collect()
}

fn has_statement(
    got: &[(String, String, DirectionRule)],
    src: &str,
    tgt: &str,
    rule: DirectionRule,
) -> bool {
    got.iter()
        .any(|(s, t, r)| s == src && t == tgt && *r == rule)
}

// ---------------------------------------------------------------------------------------
// Sentences

#[test]
fn sentences_survive_abbreviations_and_initials() {
    let text = "The U.S. envoy met Dr. Leila Haddad at 4 p.m. on Jan. 12 in No. 10 Downing St. \
                with aides, e.g. the Gen. Staff. J. R. Okafor of Lagos took notes. Then talks began.";
    assert_eq!(
        sentences(text),
        [
            "The U.S. envoy met Dr. Leila Haddad at 4 p.m. on Jan. 12 in No. 10 Downing St. with aides, e.g. the Gen. Staff.",
            "J. R. Okafor of Lagos took notes.",
            "Then talks began."
        ]
    );
}

#[test]
fn sentences_keep_quotes_with_their_attribution() {
    let text = "“We will not leave. We will stay until the end,” the commander said. \
                \"Talks are over. Nothing is left,\" Amman replied. Others disagreed.";
    assert_eq!(
        sentences(text),
        [
            "“We will not leave. We will stay until the end,” the commander said.",
            "\"Talks are over. Nothing is left,\" Amman replied.",
            "Others disagreed."
        ]
    );
}

#[test]
fn sentences_headlines_datelines_and_bracketed_notes() {
    let text = "Ankara and Athens agree to resume talks\n\nATHENS, June 2 (wire) — Greece said on \
                Monday it would meet Turkish envoys. It gave no date.\n\n[Editor’s note: figures were \
                revised. The text was updated.]\n\nA new paragraph starts here.";
    assert_eq!(
        sentences(text),
        [
            "Ankara and Athens agree to resume talks",
            "ATHENS, June 2 (wire) — Greece said on Monday it would meet Turkish envoys.",
            "It gave no date.",
            "[Editor’s note: figures were revised. The text was updated.]",
            "A new paragraph starts here."
        ]
    );
}

#[test]
fn sentences_spans_are_trimmed_and_in_order() {
    let text = "  Cairo spoke.   Doha listened.\n\n\n  Riyadh waited.  ";
    let spans = split_sentences(text);
    assert_eq!(
        sentences(text),
        ["Cairo spoke.", "Doha listened.", "Riyadh waited."]
    );
    assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
}

// ---------------------------------------------------------------------------------------
// Matcher

#[test]
fn matcher_acronyms_are_case_sensitive() {
    assert_eq!(
        mentions("The US, the UN and ISIS met; tell us what is left of the un-plan and isis."),
        [pair("USA", "US"), pair("UN", "UN"), pair("ISIS", "ISIS")]
    );
}

#[test]
fn matcher_possessives_are_mentions() {
    assert_eq!(
        mentions("Iran's envoy and Iran’s minister met Hamas' leaders."),
        [
            pair("IRN", "Iran"),
            pair("IRN", "Iran"),
            pair("HAMAS", "Hamas")
        ]
    );
}

#[test]
fn matcher_hyphen_compounds_are_mentions() {
    assert_eq!(
        mentions("Iran-backed militias fought Turkish-led forces; a London-based analyst watched."),
        [pair("IRN", "Iran"), pair("TUR", "Turkish")]
    );
}

#[test]
fn matcher_plural_demonyms() {
    assert_eq!(
        mentions("Iranians, Iraqis and Israelis joined Swiss and Chinese observers."),
        [
            pair("IRN", "Iranians"),
            pair("IRQ", "Iraqis"),
            pair("ISR", "Israelis"),
            pair("CHE", "Swiss"),
            pair("CHN", "Chinese")
        ]
    );
}

#[test]
fn matcher_persons_and_organs_roll_up() {
    let found = default_matcher().find("Ahmed Yousef met officials of the State Department.");
    let got: Vec<(&str, &str)> = found.iter().map(|m| (&*m.code, &*m.entity)).collect();
    assert_eq!(got, [("HAMAS", "HAMAS_YOUSEF"), ("USA", "USA_STATE_DEPT")]);
}

// ---------------------------------------------------------------------------------------
// Coreference

fn article_mentions(article: &str) -> Vec<Vec<(String, String)>> {
    let m = default_matcher();
    let mut coref = stancekit::actors::Coref::new();
    split_sentences(article)
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let s = &article[r];
            coref
                .sentence(m, s, i, m.find(s))
                .into_iter()
                .map(|x| (x.code.to_string(), x.text.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn coref_group_and_state_anaphora() {
    let got = article_mentions(
        "Hezbollah fighters crossed into Syria on Tuesday. The group said the country had \
         asked for help. The Lebanese movement later denied it.",
    );
    assert_eq!(
        got[1],
        [pair("HEZBOLLAH", "The group"), pair("SYR", "the country")]
    );
    assert_eq!(got[2], [pair("HEZBOLLAH", "The Lebanese movement")]);
    let got = article_mentions(
        "The Rapid Support Forces shelled the city. The paramilitary group said it had \
         withdrawn.",
    );
    assert_eq!(got[1], [pair("RSF", "The paramilitary group")]);
}

#[test]
fn coref_leader_titles_merge_into_one_mention() {
    let m = default_matcher();
    let s = "Hamas leader Ahmed Yousef met Hezbollah operative Samir Kantar.";
    let got = stancekit::actors::Coref::new().sentence(m, s, 0, m.find(s));
    let got: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|x| (&*x.code, &*x.entity, &*x.text))
        .collect();
    assert_eq!(
        got,
        [
            ("HAMAS", "HAMAS_YOUSEF", "Hamas leader Ahmed Yousef"),
            (
                "HEZBOLLAH",
                "HEZBOLLAH_KANTAR",
                "Hezbollah operative Samir Kantar"
            )
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Direction

#[test]
fn direction_speaker_of_a_quote() {
    let got = directed("“Egypt has been a loyal partner to us,” Qatar’s foreign minister said.");
    assert_eq!(got, [(s("QAT"), s("EGY"), DirectionRule::Speaker)]);
    let got = directed(
        "\"We reject the plan,\" said Hamas leader Ahmed Yousef of the Egyptian proposal.",
    );
    assert_eq!(got, [(s("HAMAS"), s("EGY"), DirectionRule::Speaker)]);
}

#[test]
fn direction_speaker_of_a_reporting_verb() {
    let got = directed("Turkey said on Monday that Greece had violated its airspace.");
    assert_eq!(got, [(s("TUR"), s("GRC"), DirectionRule::Speaker)]);
    // The speaker is the head of "Israel’s ambassador to the U.N.", not the U.N.
    let got = directed("Israel’s ambassador to the U.N. said Lebanon had failed.");
    assert!(
        has_statement(&got, "ISR", "LBN", DirectionRule::Speaker),
        "{got:?}"
    );
    assert!(
        !has_statement(&got, "UN", "LBN", DirectionRule::Speaker),
        "{got:?}"
    );
    let got = directed("Greece was accused by nobody, but Turkey warned Greece again.");
    assert!(
        has_statement(&got, "TUR", "GRC", DirectionRule::Speaker),
        "{got:?}"
    );
}

#[test]
fn direction_speaker_covers_only_its_words() {
    let got = directed("Colombia closed the border, and Venezuela said Brazil would mediate.");
    assert!(
        has_statement(&got, "VEN", "BRA", DirectionRule::Speaker),
        "{got:?}"
    );
    assert!(
        !got.iter()
            .any(|(s, t, r)| *r == DirectionRule::Speaker && (s == "COL" || t == "COL")),
        "{got:?}"
    );
}

#[test]
fn direction_non_actor_speaker_is_not_the_last_agent() {
    // "she" is the analyst, not Egypt: the last sentence has one actor and no statement.
    let got = directed(
        "Egypt welcomed the plan. Leila Haddad, an analyst in Beirut, said it was bold. \
         “Ethiopia will refuse,” she said.",
    );
    assert!(got.iter().all(|(s, _, _)| s != "EGY"), "{got:?}");
}

#[test]
fn direction_subject_before_the_main_verb() {
    let got = directed("Following a call with Ankara, Azerbaijan backed Armenia’s proposal.");
    assert!(
        has_statement(&got, "AZE", "ARM", DirectionRule::Subject),
        "{got:?}"
    );
    assert!(
        has_statement(&got, "AZE", "TUR", DirectionRule::Subject),
        "{got:?}"
    );
}

#[test]
fn direction_passive_agent() {
    let got = directed("Venezuela’s offer was rejected by Colombia on Friday.");
    assert_eq!(got, [(s("COL"), s("VEN"), DirectionRule::PassiveAgent)]);
    // Coordinated agents are agents too.
    let got = directed("Italy’s plan was welcomed by France and Germany.");
    assert!(
        has_statement(&got, "FRA", "ITA", DirectionRule::PassiveAgent),
        "{got:?}"
    );
    assert!(
        has_statement(&got, "DEU", "ITA", DirectionRule::PassiveAgent),
        "{got:?}"
    );
    assert!(
        has_statement(&got, "FRA", "DEU", DirectionRule::Order),
        "{got:?}"
    );
}

#[test]
fn direction_order_when_no_rule_applies() {
    let got = directed("There is a long rivalry between India and Pakistan.");
    assert_eq!(got, [(s("IND"), s("PAK"), DirectionRule::Order)]);
}

#[test]
fn direction_pronoun_speaker_uses_the_last_agent() {
    let got = directed("Egypt welcomed the Sudanese plan. “Ethiopia must now respond,” he said.");
    assert_eq!(got[1], (s("EGY"), s("ETH"), DirectionRule::Speaker));
}

#[test]
fn both_directions_adds_reversed_statements() {
    let text = "Japan thanked South Korea for its help.";
    let one = extract_statements(text, default_matcher(), false);
    let both = extract_statements(text, default_matcher(), true);
    assert_eq!(one.len(), 1);
    assert_eq!(both.len(), 2);
    assert_eq!(both[0], one[0]);
    assert!(both[1].reversed);
    assert_eq!(
        (&*both[1].source.code, &*both[1].target.code),
        ("KOR", "JPN")
    );
    assert_eq!(both[1].direction_rule, both[0].direction_rule);
}

#[test]
fn statements_spans_are_relative_to_the_sentence() {
    let article = "Peru waits.\n\nChile praised Bolivia and Peru in Lima.";
    let st = extract_statements(article, default_matcher(), false);
    assert!(!st.is_empty());
    for s in &st {
        assert_eq!(&article[s.sentence.clone()], &*s.text);
        assert_eq!(&s.text[s.source.span()], &*s.source.text);
        assert_eq!(&s.text[s.target.span()], &*s.target.text);
        let spans: PairSpans = s.pair_spans();
        assert_eq!(spans.source, Some(s.source.span()));
        assert_eq!(spans.others.len(), s.others.len());
    }
    let chile_bolivia = st
        .iter()
        .find(|s| &*s.source.code == "CHL" && &*s.target.code == "BOL")
        .expect("Chile → Bolivia");
    let others: Vec<&str> = chile_bolivia.others.iter().map(|m| &*m.text).collect();
    assert_eq!(others, ["Peru", "Lima"]);
}

#[test]
fn long_lists_are_bounded() {
    let names: Vec<&str> = default_matcher()
        .dictionary()
        .actors()
        .iter()
        .filter(|a| a.kind == stancekit::actors::ActorKind::State)
        .take(80)
        .map(|a| a.name.as_str())
        .collect();
    let sentence = format!("Delegations from {} met in the hall.", names.join(", "));
    let st = extract_statements(&sentence, default_matcher(), false);
    let max_pairs = stancekit::statements::MAX_ACTORS * (stancekit::statements::MAX_ACTORS - 1) / 2;
    assert_eq!(st.len(), max_pairs);
    assert!(st
        .iter()
        .all(|s| s.others.len() <= stancekit::statements::MAX_OTHERS));
}

fn s(x: &str) -> String {
    x.to_string()
}

// ---------------------------------------------------------------------------------------
// Our own articles: every statement is well formed.

#[test]
fn own_articles_give_well_formed_statements() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/articles");
    let mut total = 0;
    for entry in std::fs::read_dir(dir).expect("datasets/articles") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("article");
        let st = extract_statements(&text, default_matcher(), false);
        assert!(
            st.len() >= 10,
            "{}: only {} statements",
            path.display(),
            st.len()
        );
        for s in &st {
            assert_ne!(s.source.code, s.target.code);
            assert_eq!(&s.text[s.source.span()], &*s.source.text);
            assert_eq!(&s.text[s.target.span()], &*s.target.text);
        }
        total += st.len();
    }
    assert!(total > 100);
}

// ---------------------------------------------------------------------------------------
// The shared example article (read at run time).

#[test]
fn hamas_iran_article_dyads_and_speakers() {
    let path = shared("examples/article-hamas-iran-2016.txt");
    let Ok(article) = std::fs::read_to_string(&path) else {
        panic!("cannot read {}", path.display());
    };
    let st = extract_statements(&article, default_matcher(), false);
    let undirected = |a: &str, b: &str| {
        st.iter()
            .filter(|s| {
                (&*s.source.code == a && &*s.target.code == b)
                    || (&*s.source.code == b && &*s.target.code == a)
            })
            .count()
    };
    assert!(
        undirected("HAMAS", "IRN") >= 10,
        "Hamas–Iran: {}",
        undirected("HAMAS", "IRN")
    );
    for (a, b) in [
        ("IRN", "QASSAM"),
        ("PIJ", "IRN"),
        ("HEZBOLLAH", "HAMAS"),
        ("IRN", "HOUTHIS"),
        ("HAMAS", "SYR"),
        ("QASSAM", "FSA"),
    ] {
        assert!(undirected(a, b) >= 1, "no {a}–{b} statement");
    }
    // The speaker of each quotation is the source of its statements.
    let speakers: &[(&str, &str)] = &[
        ("the movement said a recent visit", "HAMAS"),
        ("\"The visit saw a number", "HAMAS"),
        ("\"We found support", "HAMAS"),
        ("Moussa Abu Marzouk is heard to say", "HAMAS"),
        ("saying that supporting \"Palestinian", "IRN"),
        ("\"Losing Iran is not something", "HAMAS"),
    ];
    for (needle, code) in speakers {
        let quoted: Vec<&Statement> = st.iter().filter(|s| s.text.contains(needle)).collect();
        assert!(
            !quoted.is_empty(),
            "no statement in the sentence with {needle:?}"
        );
        assert!(
            quoted
                .iter()
                .any(|s| s.direction_rule == DirectionRule::Speaker && &*s.source.code == *code),
            "{needle:?}: {:?}",
            quoted
                .iter()
                .map(|s| (&s.source.code, &s.target.code, s.direction_rule))
                .collect::<Vec<_>>()
        );
        for s in quoted
            .iter()
            .filter(|s| s.direction_rule == DirectionRule::Speaker)
        {
            assert_eq!(&*s.source.code, *code, "{needle:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Dictionaries

#[test]
fn default_dictionary_is_clean_and_loads_fast() {
    // Best of five: other tests run in parallel on the same cores.
    let mut ms = f64::MAX;
    let mut loaded = None;
    for _ in 0..5 {
        let started = Instant::now();
        loaded = Some(Matcher::default_embedded().expect("default dictionary"));
        ms = ms.min(started.elapsed().as_secs_f64() * 1e3);
    }
    let m = loaded.expect("loaded five times");
    let d = m.dictionary();
    println!(
        "default dictionary: {} entries, {} names, {} patterns, loaded in {ms:.1} ms",
        d.len(),
        d.alias_count(),
        m.pattern_count()
    );
    assert!(d.len() >= 500);
    assert!(d.problems().is_empty(), "{:#?}", d.problems());
    // Release builds load in well under 50 ms (see benches/pairs.rs); debug builds are slower.
    let limit = if cfg!(debug_assertions) { 1000.0 } else { 50.0 };
    assert!(ms <= limit, "loading took {ms:.1} ms");
}

#[test]
fn petrarch_files_load() {
    let dir = shared("data/petrarch");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".actors.txt")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 4, "{files:?}");
    let mut all = Dictionary::default();
    for path in &files {
        let started = Instant::now();
        let d = stancekit::actors::load_file(path, DictionaryFormat::Auto)
            .unwrap_or_else(|e| panic!("{e}"));
        let m = Matcher::new(d.clone()).unwrap_or_else(|e| panic!("{e}"));
        println!(
            "{}: {} entries, {} names, {} patterns, {:.1} ms",
            path.file_name().and_then(|n| n.to_str()).unwrap_or(""),
            d.len(),
            d.alias_count(),
            m.pattern_count(),
            started.elapsed().as_secs_f64() * 1e3
        );
        assert!(!d.is_empty());
        all.merge(d);
    }
    let m = Matcher::new(all).expect("merged PETRARCH matcher");
    println!(
        "all PETRARCH files: {} entries, {} names",
        m.dictionary().len(),
        m.dictionary().alias_count()
    );
}

#[test]
fn petrarch_validate_actors_match_our_sentences() {
    let path = shared("data/petrarch/PETR.Validate.actors.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let d = petrarch::from_petrarch(&text, &path).expect("validate actors");
    let m = Matcher::new(d).expect("matcher");
    let s = "Gondor’s envoy rode to Minas Tirith while Mordor massed Morgul Orcs near Osgiliath, \
             and the Eriadorian council sent word to Rohan.";
    let got: Vec<(&str, String, String)> = m
        .find(s)
        .into_iter()
        .map(|x| {
            let text = s[x.start..x.end].to_string();
            (
                if x.code == x.entity { "=" } else { "<" },
                x.code.to_string(),
                text,
            )
        })
        .collect();
    let codes: Vec<&str> = got.iter().map(|g| g.1.as_str()).collect();
    assert_eq!(
        codes,
        ["GON", "GON", "MOR", "MRG", "OSG", "ERI", "ROH"],
        "{got:?}"
    );
    // IRAN has no trailing underscore, so it matches as a word prefix too.
    let found = m.find("Iranian officials met Iraqis.");
    assert_eq!(&*found[0].code, "IRN");
    assert_eq!(&*found[0].text, "Iranian");
    // Statements work with a PETRARCH dictionary as with ours.
    let st = extract_statements("Rohan said Mordor had attacked Gondor.", &m, false);
    assert!(st.iter().any(|x| &*x.source.code == "ROH"
        && &*x.target.code == "MOR"
        && x.direction_rule == DirectionRule::Speaker));
}

// ---------------------------------------------------------------------------------------
// The locator used for training rows

#[test]
fn locator_resolves_codes_and_aliases_of_training_rows() {
    let m = default_matcher();
    let text = "Tehran accused Riyadh of stoking unrest in Yemen.";
    assert_eq!(m.locate(text, "Riyadh"), Some(15..21)); // verbatim
    assert_eq!(m.locate(text, "IRN"), Some(0..6)); // a code
    assert_eq!(m.locate(text, "Saudi Arabia"), Some(15..21)); // an alias of another name
    assert_eq!(m.locate(text, "Iranian"), Some(0..6)); // a demonym
    assert_eq!(m.locate(text, "Qatar"), None);
    assert_eq!(m.mentions(text), [0..6, 15..21, 43..48]);
    // A training row whose cells are codes places both actors.
    let tokenizer = Tokenizer::new(TokenizerParams::default());
    let (doc, placed) = row_document(&tokenizer, m, text, Some("IRN"), Some("SAU"));
    assert_eq!(placed, Some(true));
    let terms: Vec<&str> = doc.tokens.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(&terms[..3], ["_src_", "accus", "_tgt_"]);
    assert!(terms.contains(&"_actor_"), "{terms:?}");
}

// ---------------------------------------------------------------------------------------
// Command line

fn stancekit(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stancekit"))
        .args(args)
        .output()
        .expect("run stancekit")
}

#[test]
fn cli_pairs_jsonl_has_the_documented_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("story.txt");
    std::fs::write(
        &path,
        "“Kenya is a friend,” Ethiopia said.\n\nUganda and Rwanda met.",
    )
    .expect("write");
    let out = stancekit(&["pairs", path.to_str().expect("path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2);
    let first = &lines[0];
    for key in [
        "doc",
        "sentence",
        "text",
        "source",
        "target",
        "direction_rule",
    ] {
        assert!(first.get(key).is_some(), "missing {key}: {first}");
    }
    for key in ["code", "name", "mention", "start", "end"] {
        assert!(first["source"].get(key).is_some(), "missing source.{key}");
    }
    assert_eq!(first["source"]["code"], "ETH");
    assert_eq!(first["target"]["mention"], "Kenya");
    assert_eq!(first["direction_rule"], "speaker");
    assert_eq!(lines[1]["sentence"], 1);

    let out = stancekit(&[
        "pairs",
        "--format",
        "table",
        "--both-directions",
        path.to_str().expect("path"),
    ]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 4);
}

#[test]
fn cli_actors_check_reports_problems_and_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "code,kind,name,affiliation,role,aliases,demonyms,capitals\n# ok\n\
         NRD,state,Nordland,,,,,\nP1,person,Ann Berg,NOPE,GOV,,,\nX1,planet,Mars,,,,,\n",
    )
    .expect("write");
    let out = stancekit(&["actors", "check", bad.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("bad.csv:4: unknown affiliation 'NOPE'"),
        "{stdout}"
    );
    assert!(
        stdout.contains("bad.csv:5: unknown kind 'planet'"),
        "{stdout}"
    );
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries/actors.csv");
    let out = stancekit(&["actors", "check", good.to_str().expect("path")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn cli_help_shows_examples() {
    for args in [&["pairs", "--help"][..], &["actors", "check", "--help"][..]] {
        let out = stancekit(args);
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Example"),
            "{args:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Properties

fn on_boundaries(text: &str, r: &std::ops::Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn splitter_spans_lie_on_char_boundaries(text in "\\PC{0,300}") {
        let spans = split_sentences(&text);
        for r in &spans {
            prop_assert!(on_boundaries(&text, r));
            prop_assert!(r.start < r.end);
            prop_assert_eq!(text[r.clone()].trim(), &text[r.clone()]);
        }
        prop_assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
    }

    #[test]
    fn splitter_survives_news_like_text(text in "([A-Z][a-z]{0,6}|U\\.S\\.|Dr\\.|p\\.m\\.|\"|“|”|,|\\.|\\n|\\n\\n| |é|[0-9]){0,60}") {
        for r in split_sentences(&text) {
            prop_assert!(on_boundaries(&text, &r));
        }
    }

    #[test]
    fn matcher_spans_lie_on_char_boundaries(text in "\\PC{0,300}") {
        for m in default_matcher().find(&text) {
            prop_assert!(on_boundaries(&text, &m.span()));
            prop_assert_eq!(&text[m.span()], &*m.text);
        }
    }

    #[test]
    fn statements_never_panic(text in "(Iran|Hamas|Israel|Egypt|the group|said|by|\"|“|”|,|\\.|\\n| |é|he|was|condemned){0,40}") {
        for s in extract_statements(&text, default_matcher(), true) {
            prop_assert!(on_boundaries(&s.text, &s.source.span()));
            prop_assert!(on_boundaries(&s.text, &s.target.span()));
            let others: Vec<&Mention> = s.others.iter().collect();
            for o in others {
                prop_assert!(on_boundaries(&s.text, &o.span()));
            }
        }
    }
}
