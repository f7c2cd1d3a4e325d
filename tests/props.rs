//! Property tests: no input makes the loader, the date parser or search
//! panic, and every problem the loader reports has a real place.

use detente::Date;
use detente::{load, SourceFile};
use proptest::prelude::*;

const ONTOLOGY: &str = include_str!("fixtures/minimal/ontology.yaml");
const SOURCES: &str = include_str!("fixtures/minimal/sources.yaml");

fn dataset(entities: &str) -> Vec<SourceFile> {
    vec![
        SourceFile::new("d/ontology.yaml", ONTOLOGY),
        SourceFile::new("d/sources.yaml", SOURCES),
        SourceFile::new("d/entities.yaml", entities),
    ]
}

/// YAML-ish text: the characters that matter to YAML, plus words the
/// format knows, so generated input reaches past the parser.
fn yamlish() -> impl Strategy<Value = String> {
    let atoms = prop_oneof![
        Just("- ".to_string()),
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just(": ".to_string()),
        Just("{ ".to_string()),
        Just(" }".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(", ".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("\"".to_string()),
        Just("id".to_string()),
        Just("kind".to_string()),
        Just("mechanism".to_string()),
        Just("relations".to_string()),
        Just("type".to_string()),
        Just("succeeds".to_string()),
        Just("to".to_string()),
        Just("date".to_string()),
        Just("2017-10/2018~".to_string()),
        Just("sources".to_string()),
        Just("source".to_string()),
        Just("doc".to_string()),
        Just("at".to_string()),
        "[a-z0-9 ~?/.-]{0,8}",
    ];
    prop::collection::vec(atoms, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn loading_never_panics_and_every_problem_has_a_place(text in yamlish()) {
        if let Err(problems) = load(&dataset(&text)) {
            prop_assert!(!problems.is_empty());
            for p in problems {
                prop_assert!(p.place.line >= 1 && p.place.column >= 1, "{p}");
                prop_assert!(!p.problem.to_string().is_empty());
            }
        }
    }

    #[test]
    fn loading_arbitrary_text_never_panics(text in any::<String>()) {
        let _ = load(&dataset(&text));
    }

    #[test]
    fn dates_never_panic_and_windows_are_ordered(text in "[0-9XYES^~?%/.\\[\\]{},-]{0,24}") {
        if let Ok(d) = Date::parse(&text) {
            prop_assert!(d.start().earliest <= d.start().latest);
            prop_assert!(d.end().earliest <= d.end().latest);
            prop_assert!(d.start().earliest <= d.end().latest);
        }
    }

    #[test]
    fn valid_day_intervals_cover_their_own_days(
        y in 1900i32..2100, m in 1u32..=12, d in 1u32..=28, len in 0u32..400
    ) {
        let start = format!("{y:04}-{m:02}-{d:02}");
        let day = Date::parse(&start).unwrap();
        let end_year = y + i32::try_from(len / 12).unwrap() ;
        let span = Date::parse(&format!("{start}/{end_year:04}-12-31")).unwrap();
        prop_assert_eq!(span.covers(&day), detente::Truth::Definitely);
    }
}
