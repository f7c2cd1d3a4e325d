//! The commands run as a user runs them.
//!
//! Whole outputs (text and JSON answers, and each diagram's DOT and
//! Mermaid) are snapshot-tested on the frozen dataset `tests/fixtures/cli`,
//! which covers every kind, relation type, status, date form and stance
//! (checked below), roles and an identification: a change in what users see shows up in review as a diff of
//! `tests/snapshots/`, and an edit of `data/` never does. Tests on the
//! bundled dataset assert facts (this lineage has these members in this
//! order), so a data edit breaks them only when it changes those facts.

mod common;

/// The frozen dataset of the snapshots, relative to the crate root (the
/// snapshots print the path, so it must be the same on every machine).
const FIXTURE: &str = "tests/fixtures/cli";

fn detente(args: &[&str]) -> (i32, String, String) {
    // Run from elsewhere: the bundled dataset is inside the binary.
    common::output(
        common::detente()
            .current_dir(std::env::temp_dir())
            .args(args),
    )
}

fn ok(args: &[&str]) -> String {
    let (code, out, err) = detente(args);
    assert_eq!(code, 0, "{args:?} failed: {err}");
    assert!(err.is_empty(), "{err}");
    out
}

/// A command on the frozen fixture: exit code, stdout, stderr.
fn on_fixture(args: &[&str]) -> (i32, String, String) {
    common::output(common::detente().args(["--data", FIXTURE]).args(args))
}

/// A command on the frozen fixture, which must succeed quietly.
fn fixture(args: &[&str]) -> String {
    let (code, out, err) = on_fixture(args);
    assert_eq!(code, 0, "{args:?} failed: {err}");
    assert!(err.is_empty(), "{err}");
    out
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).expect("valid JSON")
}

#[test]
fn show_text() {
    insta::assert_snapshot!(fixture(&["show", "lecd"]));
}

#[test]
fn show_json() {
    insta::assert_snapshot!(fixture(&["show", "lecd", "--format", "json"]));
}

#[test]
fn show_json_is_stable_and_parses() {
    let a = ok(&["show", "hljd", "--format", "json"]);
    let b = ok(&["show", "hljd", "--format", "json"]);
    assert_eq!(a, b);
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["entity"]["id"], "hljd");
    assert_eq!(v["entity"]["date"]["start"]["earliest"], "2015-09-01");
    // Inverse relations are derived for display: LECD succeeds HLJD, so
    // HLJD's card shows "succeeded by" LECD without a second stored edge.
    let groups = v["groups"].as_array().unwrap();
    assert!(groups.iter().any(|g| g["label"] == "succeeded by"
        && g["direction"] == "in"
        && g["items"][0]["id"] == "lecd"));
}

#[test]
fn show_a_proposal_says_it_is_proposed() {
    let out = ok(&["show", "cac-dhs-liaison"]);
    assert!(out.contains("status   Proposed"), "{out}");
    assert!(out.contains("recommendation by `siis-report`"), "{out}");
}

#[test]
fn list_text_and_json() {
    insta::assert_snapshot!("list_mechanisms", fixture(&["list", "--kind", "mechanism"]));
    insta::assert_snapshot!(
        "list_us_people_json",
        fixture(&[
            "list",
            "--kind",
            "person",
            "--side",
            "united-states",
            "--format",
            "json"
        ])
    );
}

#[test]
fn find_text_and_json() {
    insta::assert_snapshot!(
        "find_cybersecurity",
        fixture(&["find", "cybersecurity dialogue"])
    );
    insta::assert_snapshot!(
        "find_lecd_json",
        fixture(&["find", "LECD", "--format", "json"])
    );
}

#[test]
fn find_ignores_case_accents_and_punctuation_and_reads_other_scripts() {
    let first = |text: &str| json(&ok(&["find", text, "--format", "json"]))["matches"][0].clone();
    assert_eq!(first("sino us law enforcement")["id"], "lecd");
    assert_eq!(first("SHANGHAI INSTITUTÉS")["id"], "siis");
    let v = first("國際問題");
    assert_eq!(v["id"], "siis");
    assert_eq!(v["field"], "names.zh-Hant");
}

/// `find 国际问题` (simplified) found nothing although the traditional
/// form is in the data.
#[test]
fn find_matches_a_simplified_chinese_query_to_a_traditional_name() {
    let v = json(&ok(&["find", "国际问题", "--format", "json"]))["matches"][0].clone();
    assert_eq!(v["id"], "siis", "{v}");
    assert_eq!(v["text"], "上海國際問題研究院", "{v}");
}

#[test]
fn find_ranks_near_misses_below_real_matches() {
    let v = json(&ok(&["find", "Laskay", "--format", "json"]))["matches"].clone();
    assert_eq!(v[0]["how"], "near");
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == "lorand-laskai"));
    assert_eq!(ok(&["find", "zzzzqqq"]), "nothing matches `zzzzqqq`\n");
}

#[test]
fn unknown_ids_and_terms_fail_with_a_suggestion() {
    let (code, out, err) = detente(&["show", "hjld"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert_eq!(
        err.lines().next().unwrap(),
        "error: no entity has the id `hjld` (did you mean `hljd`?)"
    );
    let (code, _, err) = detente(&["list", "--kind", "mechansim"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("unknown kind `mechansim` (did you mean `mechanism`?)"),
        "{err}"
    );
    let (code, _, err) = detente(&["list", "--side", "usa"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: unknown side `usa`"), "{err}");
}

#[test]
fn check_text() {
    insta::assert_snapshot!(fixture(&["check"]));
}

/// Every query, as text and as JSON, on the frozen fixture.
#[test]
fn query_snapshots() {
    let cases: &[(&str, &[&str])] = &[
        ("lineage", &["lineage", "lecd"]),
        ("path", &["path", "cac", "dhs"]),
        (
            "path_at",
            &["path", "xi-jinping", "lecd", "--at", "2017-04"],
        ),
        (
            "path_all",
            &["path", "xi-jinping", "lecd", "--all", "--max-hops", "3"],
        ),
        (
            "neighbors",
            &[
                "neighbors",
                "hljd",
                "--depth",
                "2",
                "--rel",
                "succeeds",
                "--rel",
                "session_of",
            ],
        ),
        ("active", &["active", "2016-06-01"]),
        ("active_explain", &["active", "2017", "--explain", "lecd"]),
        (
            "timeline",
            &[
                "timeline",
                "--from",
                "2013",
                "--to",
                "2021",
                "--kind",
                "mechanism",
                "--kind",
                "summit",
                "--kind",
                "event",
            ],
        ),
        ("timeline_about", &["timeline", "--about", "hljd"]),
        ("diff", &["diff", "2016", "2018"]),
        ("compare", &["compare", "hljd", "lecd"]),
        ("claims_by", &["claims", "--by", "shen-yi"]),
        ("claims_stance", &["claims", "--stance", "recommendation"]),
        ("stats", &["stats", "--top", "5"]),
        (
            "as_claimed_by",
            &["lineage", "lecd", "--as-claimed-by", "siis-report"],
        ),
    ];
    for (name, args) in cases {
        insta::assert_snapshot!(format!("q_{name}"), fixture(args));
        let mut json_args = args.to_vec();
        json_args.extend(["--format", "json"]);
        let json = fixture(&json_args);
        serde_json::from_str::<serde_json::Value>(&json).expect("valid JSON");
        insta::assert_snapshot!(format!("q_{name}_json"), json);
    }
}

#[test]
fn a_view_as_claimed_by_one_source_drops_other_voices() {
    // Shen Yi alone links the 2015 dialogue back to the 2014 channel, so
    // the SIIS report's view of the lineage starts with the HLJD.
    let all = ok(&["lineage", "lecd", "--format", "json"]);
    let siis = ok(&[
        "lineage",
        "lecd",
        "--as-claimed-by",
        "siis-report",
        "--format",
        "json",
    ]);
    let ids = |s: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["entity"]["id"].as_str().unwrap().to_string())
            .collect()
    };
    // The full view also crosses the editors' identification of Shen Yi's
    // 2014 channel with the Cyber Working Group; `--strict` stops there.
    assert_eq!(
        ids(&all),
        ["hl-cyber-dialogue", "cyber-working-group", "hljd", "lecd"]
    );
    let strict = ok(&["lineage", "lecd", "--strict", "--format", "json"]);
    assert_eq!(ids(&strict), ["hl-cyber-dialogue", "hljd", "lecd"]);
    assert_eq!(ids(&siis), ["hljd", "lecd"]);
}

#[test]
fn query_errors_are_clear_and_exit_right() {
    let (code, _, err) = detente(&["lineage", "lecdd"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: no entity has the id `lecdd` (did you mean `lecd`?)"),
        "{err}"
    );
    let (code, _, err) = detente(&["active", "June 2016"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'June 2016'"), "{err}");
    assert!(err.contains("write EDTF"), "{err}");
    let (code, _, err) = detente(&["diff", "2018", "2016"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`2018` does not end before `2016` begins"),
        "{err}"
    );
    let (code, out, _) = detente(&[
        "path",
        "incsea-1972",
        "lecd",
        "--avoid",
        "siis-report",
        "--avoid",
        "cyber-rules-of-engagement",
        // The United States is a party to INCSEA (public record).
        "--avoid",
        "united-states",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("No connection between incsea-1972 and lecd"),
        "{out}"
    );
    let (code, _, err) = detente(&["claims", "--by", "nobody"]);
    assert_eq!(code, 1);
    assert!(err.contains("no entity has the id `nobody`"), "{err}");
}

// Facts of the bundled dataset. Each asserts what a researcher relies on,
// not the whole answer, so that editing `data/` breaks a test only when it
// changes one of these facts.

#[test]
fn bundled_dataset_is_valid() {
    let out = ok(&["check"]);
    assert!(out.starts_with("ok: bundled dataset is valid"), "{out}");
    let summary = json(&ok(&["check", "--format", "json"]));
    assert!(summary["entities"].as_u64().unwrap() > 100, "{summary}");
}

#[test]
fn bundled_lecd_card_names_its_predecessor_founding_summit_and_first_round() {
    let card = json(&ok(&["show", "lecd", "--format", "json"]));
    let ids_under = |label: &str| -> Vec<String> {
        card["groups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["label"] == label)
            .flat_map(|g| g["items"].as_array().unwrap())
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids_under("succeeds"), ["hljd"]);
    assert!(ids_under("established at").contains(&"mar-a-lago-2017".to_string()));
    assert!(ids_under("has session").contains(&"lecd-2017-10".to_string()));
    assert_eq!(card["entity"]["date"]["edtf"], "2017-04/");
    // The text card cites, and lists sources.
    let text = ok(&["show", "lecd"]);
    assert!(text.starts_with("U.S.-China Law Enforcement and Cybersecurity Dialogue\n"));
    assert!(text.contains("\nSources\n"), "{text}");
}

#[test]
fn bundled_hljd_is_definitely_active_in_june_2016_and_lecd_is_not() {
    let a = json(&ok(&["active", "2016-06-01", "--format", "json"]));
    let ids = |key: &str| -> Vec<String> {
        a[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids("definitely").contains(&"hljd".to_string()), "{a}");
    assert!(!ids("definitely").contains(&"lecd".to_string()));
    assert!(!ids("possibly").contains(&"lecd".to_string()));
}

#[test]
fn bundled_diff_2016_2018_says_lecd_began_and_hljd_ended() {
    let d = json(&ok(&["diff", "2016", "2018", "--format", "json"]));
    let ids = |key: &str| -> Vec<String> {
        d[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["entity"]["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids("began").contains(&"lecd".to_string()), "{d}");
    assert!(ids("ended").contains(&"hljd".to_string()), "{d}");
}

#[test]
fn bundled_path_from_cac_to_dhs_exists_and_every_hop_is_cited() {
    let p = json(&ok(&["path", "cac", "dhs", "--format", "json"]));
    let paths = p["paths"].as_array().unwrap();
    assert!(!paths.is_empty(), "{p}");
    for hop in paths[0]["hops"].as_array().unwrap() {
        assert!(
            !hop["fact"]["citations"].as_array().unwrap().is_empty(),
            "{hop}"
        );
    }
}

#[test]
fn bundled_claims_by_shen_yi_are_all_his() {
    let c = json(&ok(&["claims", "--by", "shen-yi", "--format", "json"]));
    let claims = c["claims"].as_array().unwrap();
    assert!(claims.len() >= 3, "{c}");
    for claim in claims {
        assert_eq!(claim["claimed_by"], "shen-yi", "{claim}");
    }
}

/// Wrong input used to be accepted silently by one command and refused by
/// another. Each mistake is now refused once, in the query layer, so the
/// text answer, the JSON answer and the diagram all exit 2 with the same
/// reason.
#[test]
fn wrong_input_is_refused_the_same_way_everywhere() {
    let cases: &[(&[&str], &[&str], &str)] = &[
        (
            &["lineage", "xi-jinping"],
            &["diagram", "lineage", "xi-jinping"],
            "`xi-jinping` is a person, and no lineage relation (`succeeds`) joins a person: \
             lineage relations join mechanism, proposal",
        ),
        (
            &["timeline", "--from", "2021", "--to", "2013"],
            &["diagram", "timeline", "--from", "2021", "--to", "2013"],
            "`2021` does not end before `2013` begins",
        ),
        (
            &["neighbors", "hljd", "--depth", "0"],
            &["diagram", "ego", "hljd", "--depth", "0"],
            "`--depth 0` asks for nothing: it must be at least 1",
        ),
    ];
    for (answer, drawing, reason) in cases {
        let mut json_args = answer.to_vec();
        json_args.extend(["--format", "json"]);
        for args in [answer.to_vec(), json_args, drawing.to_vec()] {
            let (code, out, err) = on_fixture(&args);
            assert_eq!(code, 2, "{args:?}: {err}");
            assert!(
                err.starts_with(&format!("error: {reason}")),
                "{args:?}: {err}"
            );
            if args.contains(&"json") {
                assert_eq!(json(&out)["ok"], false, "{out}");
            } else {
                assert!(out.is_empty(), "{args:?} printed {out}");
            }
        }
    }
}

/// The answer and the diagram of one query take their options from one
/// group and are validated by one function: an unknown id or term is
/// refused by both with the same message (exit 1, the data has no such
/// thing).
#[test]
fn unknown_ids_and_terms_are_refused_alike_by_an_answer_and_its_diagram() {
    let cases: &[(&[&str], &[&str], &str)] = &[
        (
            &["timeline", "--about", "nobody"],
            &["diagram", "timeline", "--about", "nobody"],
            "no entity has the id `nobody`",
        ),
        (
            &["timeline", "--kind", "mechanismm"],
            &["diagram", "timeline", "--kind", "mechanismm"],
            "unknown kind `mechanismm` (did you mean `mechanism`?)",
        ),
        (
            &["neighbors", "nobody"],
            &["diagram", "ego", "nobody"],
            "no entity has the id `nobody`",
        ),
        (
            &["export", "json", "--rel", "succeds"],
            &["diagram", "network", "--rel", "succeds"],
            "unknown relation type `succeds` (did you mean `succeeds`?)",
        ),
    ];
    for (answer, drawing, reason) in cases {
        for args in [answer, drawing] {
            let (code, out, err) = on_fixture(args);
            assert_eq!(code, 1, "{args:?}: {err}");
            assert!(out.is_empty(), "{args:?} printed {out}");
            assert!(
                err.starts_with(&format!("error: {reason}")),
                "{args:?}: {err}"
            );
        }
    }
}

#[test]
fn lineage_of_a_person_is_refused_but_a_lone_mechanism_is_a_chain_of_one() {
    let (code, _, err) = on_fixture(&["lineage", "xi-jinping"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("help: `detente neighbors ID`"), "{err}");
    let l = json(&fixture(&["lineage", "incsea-1972", "--format", "json"]));
    assert_eq!(l["links"].as_array().unwrap().len(), 1, "{l}");
}

#[test]
fn reversed_timeline_range_is_refused_like_diff() {
    for args in [
        &["timeline", "--from", "2021", "--to", "2013"][..],
        &["diff", "2021", "2013"],
        &["diagram", "timeline", "--from", "2021", "--to", "2013"],
    ] {
        let (code, _, err) = on_fixture(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("`2021` does not end before `2013` begins"),
            "{err}"
        );
    }
    // A range within one year is not reversed.
    fixture(&["timeline", "--from", "2017", "--to", "2017-04"]);
}

#[test]
fn path_avoid_naming_an_end_is_refused() {
    for args in [
        &["path", "cac", "dhs", "--avoid", "cac"][..],
        &["path", "cac", "dhs", "--avoid", "china", "--avoid", "dhs"],
    ] {
        let (code, _, err) = on_fixture(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("names an end of the path"), "{args:?}: {err}");
    }
    // Avoiding what lies between still works.
    fixture(&["path", "cac", "dhs", "--avoid", "china"]);
}

#[test]
fn path_max_hops_zero_is_refused() {
    for args in [
        &["path", "cac", "dhs", "--all", "--max-hops", "0"][..],
        &["path", "cac", "dhs", "--all", "--limit", "0"],
    ] {
        let (code, out, err) = on_fixture(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty());
        assert!(
            err.contains("asks for nothing: it must be at least 1"),
            "{err}"
        );
    }
}

/// `active DATE --explain ID --kind KIND` explained ID and dropped `--kind`
/// without a word.
#[test]
fn active_explain_refuses_a_kind_it_would_ignore() {
    let (code, out, err) = on_fixture(&["active", "2016", "--explain", "lecd", "--kind", "person"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("the argument '--explain <ID>' cannot be used with '--kind <KIND>'"),
        "{err}"
    );
    fixture(&["active", "2016", "--explain", "lecd"]);
    fixture(&["active", "2016", "--kind", "person"]);
}

/// `find --limit 0` answered "nothing matches `lecd`" about a name that is
/// there, and `find '!!!'` answered "nothing matches", where `search`
/// refused both.
#[test]
fn find_refuses_a_zero_limit_and_nothing_to_look_for_like_search() {
    for command in ["find", "search"] {
        let (code, out, err) = on_fixture(&[command, "lecd", "--limit", "0"]);
        assert_eq!(code, 2, "{command}: {err}");
        assert!(out.is_empty(), "{command}: {out}");
        assert!(
            err.starts_with("error: `--limit 0` asks for nothing: it must be at least 1"),
            "{command}: {err}"
        );
        let (code, out, err) = on_fixture(&[command, "!!!", "--format", "json"]);
        assert_eq!(code, 2, "{command}: {err}");
        assert_eq!(json(&out)["error"]["code"], "nothing-to-search", "{out}");
    }
    // A limit of one still answers, and says how many more there are.
    let out = fixture(&["find", "lecd", "--limit", "1"]);
    assert!(out.starts_with("id "), "{out}");
}

/// `find` searched names only: a phrase from a claim, a quote, a locator or
/// a simplified-Chinese form of a traditional name could not be found.
#[test]
fn search_finds_a_claim_phrase_a_quote_a_locator_and_a_simplified_chinese_name() {
    let first = |args: &[&str]| -> (String, String) {
        let mut args = args.to_vec();
        args.extend(["--format", "json"]);
        let v = json(&fixture(&args));
        let r = &v["results"][0];
        (
            r["id"].as_str().unwrap().to_string(),
            r["matches"][0]["field"].as_str().unwrap().to_string(),
        )
    };
    // A phrase from a claim's summary.
    assert_eq!(
        first(&["search", "\"functional bodies\""]),
        ("shen-yi".into(), "relations[claims → lecd].summary".into())
    );
    // A quote, with its own punctuation and case ignored.
    assert_eq!(
        first(&["search", "\"REBUILD the channel\""]),
        (
            "cac-dhs-liaison".into(),
            "relations[succeeds → lecd].sources[0].quote".into()
        )
    );
    // A locator.
    assert_eq!(
        first(&["search", "\"footnote 7\""]),
        (
            "cac-dhs-liaison".into(),
            "relations[extends → un-gge].sources[0].at".into()
        )
    );
    // Simplified characters find the traditional name, and the reverse.
    assert_eq!(
        first(&["search", "国际问题"]),
        ("siis".into(), "names.zh-Hant".into())
    );
    assert_eq!(
        first(&["search", "網絡安全法"]),
        ("cybersecurity-law".into(), "names.zh-Hans".into())
    );
    // Full-width letters are letters.
    assert_eq!(first(&["search", "ＬＥＣＤ"]).0, "lecd");
    // A phrase must occur as written; the same words apart do not match it.
    let v = json(&fixture(&[
        "search",
        "\"bargains one-off\"",
        "--format",
        "json",
    ]));
    assert_eq!(v["total"], 0);
    let v = json(&fixture(&[
        "search", "bargains", "one-off", "--format", "json",
    ]));
    assert_eq!(v["total"], 1);
}

#[test]
fn search_ranks_names_above_summaries_and_locators() {
    let v = json(&fixture(&["search", "dialogue", "--format", "json"]));
    let results = v["results"].as_array().unwrap();
    let scores: Vec<u64> = results
        .iter()
        .map(|r| r["score"].as_u64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert_eq!(results[0]["matches"][0]["field"], "name", "{v}");
}

#[test]
fn search_and_find_say_how_many_more_there_are_beyond_the_limit() {
    let out = fixture(&["search", "dialogue", "--limit", "2"]);
    let v = json(&fixture(&["search", "dialogue", "--format", "json"]));
    let more = v["total"].as_u64().unwrap() - 2;
    assert!(more > 0);
    assert!(
        out.ends_with(&format!(
            "\n{more} more entities match: raise --limit to see them\n"
        )),
        "{out}"
    );
    let out = fixture(&["find", "dialogue", "--limit", "1"]);
    let v = json(&fixture(&["find", "dialogue", "--format", "json"]));
    let more = v["total"].as_u64().unwrap() - 1;
    assert!(more > 0);
    assert!(
        out.ends_with(&format!(
            "\n{more} more matches: raise --limit to see them\n"
        )),
        "{out}"
    );
    // The JSON answer says it too: the total beside the matches shown.
    let v = json(&fixture(&[
        "find", "dialogue", "--limit", "1", "--format", "json",
    ]));
    assert_eq!(v["matches"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["total"].as_u64().unwrap(), more + 1, "{v}");
    assert_eq!(v["query"], "dialogue", "{v}");
    let (code, _, err) = on_fixture(&["search", "--", "--"]);
    assert_eq!(code, 2);
    assert!(err.contains("has nothing to search for"), "{err}");
}

#[test]
fn search_snapshots() {
    insta::assert_snapshot!(
        "search_words",
        fixture(&["search", "cybersecurity", "dialogue"])
    );
    insta::assert_snapshot!(
        "search_phrase_json",
        fixture(&["search", "\"one-off bargains\"", "--format", "json"])
    );
}

/// "How many …?" had no answer but counting lines by hand.
#[test]
fn counts_agree_with_the_lists_they_count() {
    let len = |args: &[&str], key: Option<&str>| -> usize {
        let mut args = args.to_vec();
        args.extend(["--format", "json"]);
        let v = json(&fixture(&args));
        match key {
            Some(k) => v[k].as_array().unwrap().len(),
            None => v.as_array().unwrap().len(),
        }
    };
    let count = |args: &[&str]| -> usize {
        let mut args = args.to_vec();
        args.push("--count");
        let text: usize = fixture(&args).trim().parse().unwrap();
        args.extend(["--format", "json"]);
        assert_eq!(json(&fixture(&args))["count"], text, "{args:?}");
        text
    };
    let list = ["list", "--kind", "person"];
    assert_eq!(count(&list), len(&list, None));
    let claims = ["claims", "--by", "shen-yi"];
    assert_eq!(count(&claims), len(&claims, Some("claims")));
    let neighbors = ["neighbors", "hljd", "--depth", "2"];
    assert_eq!(count(&neighbors), len(&neighbors, Some("neighbors")));
    let v = json(&fixture(&[
        "search", "cyber", "--limit", "1000", "--format", "json",
    ]));
    assert_eq!(
        count(&["search", "cyber"]),
        v["results"].as_array().unwrap().len()
    );
    let active = json(&fixture(&["active", "2016", "--format", "json"]));
    let counted = json(&fixture(&["active", "2016", "--count", "--format", "json"]));
    assert_eq!(
        counted["definitely"],
        active["definitely"].as_array().unwrap().len()
    );
    assert_eq!(
        counted["possibly"],
        active["possibly"].as_array().unwrap().len()
    );
    assert_eq!(
        fixture(&["active", "2016", "--count"]),
        format!(
            "definitely {}\npossibly {}\n",
            counted["definitely"], counted["possibly"]
        )
    );
    // Groupings add up to what they group.
    let all = len(&["list"], None);
    for by in ["kind", "side", "status"] {
        let c = json(&fixture(&["stats", "--by", by, "--format", "json"]));
        assert_eq!(c["total"], all, "{by}");
        let persons = c["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"] == "person");
        if by == "kind" {
            assert_eq!(persons.unwrap()["count"], count(&list));
        }
    }
    let stats = json(&fixture(&["stats", "--format", "json"]));
    let stance = json(&fixture(&["stats", "--by", "stance", "--format", "json"]));
    assert_eq!(stance["total"], stats["relations"]);
    let source = json(&fixture(&["stats", "--by", "source", "--format", "json"]));
    let unused = source["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "uncited-note")
        .unwrap();
    assert_eq!(unused["count"], 0, "every source listed, uncited ones too");
}

#[test]
fn stats_by_snapshots() {
    for by in ["kind", "side", "stance", "status", "source"] {
        insta::assert_snapshot!(format!("stats_by_{by}"), fixture(&["stats", "--by", by]));
    }
}

/// Text answers listed source numbers that nothing in the text cited
/// (`lineage lecd` printed [2], [8], [11] that appeared only in the JSON).
#[test]
fn text_answers_list_exactly_the_sources_they_cite() {
    fn numbers(text: &str) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        for (i, _) in text.match_indices('[') {
            let rest = &text[i + 1..];
            if let Some(end) = rest.find(']') {
                if end > 0 && rest[..end].chars().all(|c| c.is_ascii_digit()) {
                    out.insert(rest[..end].to_string());
                }
            }
        }
        out
    }
    let check = |args: &[&str], text: &str| {
        let (body, list) = text.split_once("\nSources\n").unwrap_or((text, ""));
        // Each listed locator starts its line with its number.
        let listed: std::collections::BTreeSet<String> = list
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix('['))
            .filter_map(|l| l.split_once(']'))
            .map(|(n, _)| n.to_string())
            .collect();
        assert_eq!(numbers(body), listed, "{args:?}:\n{text}");
    };
    let cases: &[&[&str]] = &[
        &["lineage", "lecd"],
        &["show", "lecd"],
        &["path", "xi-jinping", "lecd", "--all", "--max-hops", "3"],
        &["neighbors", "hljd", "--depth", "2"],
        &["active", "2016-06-01"],
        &["timeline", "--about", "hljd"],
        &["diff", "2016", "2018"],
        &["compare", "hljd", "lecd"],
        &["claims", "--by", "shen-yi"],
    ];
    for args in cases {
        check(args, &fixture(args));
        check(args, &ok(args));
    }
}

/// A copy of the frozen fixture with `extra` appended to its mechanisms.
fn fixture_with(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(FIXTURE).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    let m = dir.path().join("mechanisms.yaml");
    let text = std::fs::read_to_string(&m).unwrap() + extra;
    std::fs::write(m, text).unwrap();
    dir
}

fn check_in(dir: &std::path::Path) -> (i32, String) {
    let (code, _, err) = common::run(&["--data", dir.to_str().unwrap(), "check"]);
    (code, err)
}

/// Citing a source not yet in `sources.yaml` suggested an unrelated one
/// ("did you mean `ncuscr-2017`?") instead of saying to add it.
#[test]
fn unknown_source_says_to_add_it_to_sources_yaml() {
    let dir = fixture_with(
        "\n- { id: new-one, kind: event, name: New, sources: [{ source: shen-2017, at: \"p. 1\" }] }\n",
    );
    let (code, err) = check_in(dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("unknown source `shen-2017`"), "{err}");
    assert!(!err.contains("did you mean"), "{err}");
    assert!(
        err.contains("if it is a new source, add it to sources.yaml: `- { id: shen-2017, title:"),
        "{err}"
    );
    // A real typo still gets its suggestion.
    let dir = fixture_with(
        "\n- { id: new-one, kind: event, name: New, sources: [{ source: laskai-2071, at: \"p. 1\" }] }\n",
    );
    let (_, err) = check_in(dir.path());
    assert!(err.contains("(did you mean `laskai-2017`?)"), "{err}");
    // A close id can still be a new source (next year's report): the help
    // offers the typo fix and keeps the way to add it.
    let dir = fixture_with(
        "\n- { id: new-one, kind: event, name: New, sources: [{ source: laskai-2019, at: \"p. 1\" }] }\n",
    );
    let (_, err) = check_in(dir.path());
    assert!(
        err.contains(
            "help: write `laskai-2017`, or if `laskai-2019` is a new source, add it to sources.yaml: `- { id: laskai-2019, title:"
        ),
        "{err}"
    );
}

#[test]
fn unknown_entity_says_to_create_it_or_correct_the_id() {
    let dir = fixture_with(
        "\n- { id: new-one, kind: mechanism, name: New, sources: [{ source: laskai-2017, at: \"p. 1\" }],\n    relations: [{ type: succeeds, to: brand-new-dialogue, sources: [{ source: laskai-2017, at: \"p. 1\" }] }] }\n",
    );
    let (code, err) = check_in(dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("unknown entity `brand-new-dialogue`"), "{err}");
    assert!(!err.contains("did you mean"), "{err}");
    assert!(
        err.contains("if it is new, create it in a data file: `- { id: brand-new-dialogue, kind:"),
        "{err}"
    );
}

/// "Did you mean" offered names that merely looked alike.
#[test]
fn did_you_mean_only_when_genuinely_close() {
    let suggestion = |id: &str| -> Option<String> {
        let (code, _, err) = on_fixture(&["show", id]);
        assert_eq!(code, 1, "{err}");
        err.lines()
            .next()
            .unwrap()
            .split_once("(did you mean `")
            .map(|(_, s)| s.trim_end_matches("`?)").to_string())
    };
    assert_eq!(suggestion("hjld").as_deref(), Some("hljd"));
    assert_eq!(suggestion("lecd-2017-11").as_deref(), Some("lecd-2017-10"));
    // A whole short name or alias points at its id.
    assert_eq!(suggestion("LECD").as_deref(), Some("lecd"));
    assert_eq!(suggestion("zz"), None);
    assert_eq!(
        suggestion("trade-war-2019").as_deref(),
        Some("trade-war-2018")
    );
    assert_eq!(suggestion("nyt-2018"), None);
}

/// `--data DIR` with a broken symbolic link inside said "No such file or
/// directory" about a directory that exists.
#[cfg(unix)]
#[test]
fn data_dir_with_a_broken_symlink_names_the_link() {
    let dir = fixture_with("");
    std::os::unix::fs::symlink("/nonexistent/more.yaml", dir.path().join("more.yaml")).unwrap();
    let (code, err) = check_in(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "more.yaml`: it is a broken symbolic link: `/nonexistent/more.yaml` does not exist"
        ),
        "{err}"
    );
}

/// The groups of `stats --by BY` (every declared one, empty ones too), as
/// (key, count).
fn groups(on_the_fixture: bool, by: &str) -> Vec<(String, u64)> {
    let args = ["stats", "--by", by, "--format", "json"];
    let v = json(&if on_the_fixture {
        fixture(&args)
    } else {
        ok(&args)
    });
    v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["key"].as_str().unwrap().to_string(),
                g["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// 30 snapshot tests froze whole answers on the bundled dataset. They run on
/// the frozen fixture now, which must keep exercising everything the bundled
/// data can say: every kind, relation type, status and stance its ontology
/// declares occurs in the fixture at least once, so a snapshot shows it.
#[test]
fn the_frozen_fixture_exercises_every_kind_relation_type_status_and_stance() {
    let mut stats_of_fixture = json(&fixture(&["stats", "--format", "json"]));
    let bundled = json(&ok(&["stats", "--format", "json"]));
    for field in ["by_kind", "by_type"] {
        let fixture = stats_of_fixture[field].take();
        let fixture = fixture.as_object().expect(field);
        for key in bundled[field].as_object().expect(field).keys() {
            assert!(
                fixture.contains_key(key),
                "{field}: `{key}` of data/ontology.yaml is not declared in {FIXTURE}"
            );
        }
        for (key, n) in fixture {
            assert!(n.as_u64().unwrap() > 0, "{field}: no `{key}` in {FIXTURE}");
        }
    }
    for by in ["status", "stance", "side"] {
        let fixture = groups(true, by);
        for (key, _) in groups(false, by) {
            assert!(
                fixture.iter().any(|(k, _)| *k == key),
                "{by} `{key}` of the bundled data is not in {FIXTURE}"
            );
        }
        for (key, n) in &fixture {
            assert!(*n > 0, "no {by} `{key}` in {FIXTURE}");
        }
    }
}

/// Every diagram view, as DOT and as Mermaid (the text the pictures are
/// drawn from), on the frozen fixture: a change in what a diagram says
/// shows up in review as a diff of `tests/snapshots/`.
#[test]
fn diagram_snapshots() {
    for (name, view) in [
        ("timeline", &["timeline"][..]),
        ("lineage", &["lineage", "lecd"]),
        ("network", &["network", "--size", "poster"]),
        ("ego", &["ego", "hljd"]),
    ] {
        for format in ["dot", "mermaid"] {
            let mut args = vec!["diagram"];
            args.extend(view);
            args.extend(["--format", format]);
            insta::assert_snapshot!(format!("diagram_{name}_{format}"), fixture(&args));
        }
    }
}

/// The crate root and every Rust file under `src/`.
fn src_files() -> (&'static std::path::Path, Vec<std::path::PathBuf>) {
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 20, "{files:?}");
    (root, files)
}

/// Exit codes were numbers scattered over several places: now the three
/// numbers are written in `src/cli/exit.rs` alone, and everything else
/// names an `Exit`.
#[test]
fn exit_codes_are_numbered_in_exit_rs_alone() {
    let (root, files) = src_files();
    let exit_rs = root.join("src/cli/exit.rs");
    for file in files.iter().filter(|f| **f != exit_rs) {
        let text = std::fs::read_to_string(file).unwrap();
        for numbered in [
            "ExitCode::from",
            "ExitCode::SUCCESS",
            "ExitCode::FAILURE",
            "process::exit",
        ] {
            assert!(
                !text.contains(numbered),
                "{} decides an exit code (`{numbered}`): name an `Exit` instead",
                file.display()
            );
        }
    }
    let exit = std::fs::read_to_string(exit_rs).unwrap();
    for line in ["Exit::Success => 0", "Exit::Data => 1", "Exit::Usage => 2"] {
        assert!(exit.contains(line), "{line}");
    }
}

/// `cli/mod.rs` copied clap fields into option structs one by one, and the
/// same options were judged in two layers. Now clap is named in `src/cli/`
/// alone, and within it clap's arguments become the query layer's options
/// in `plan.rs` alone, which has the query layer validate them into the
/// settings every answer and diagram takes.
#[test]
fn clap_arguments_become_query_options_in_plan_rs_alone() {
    let (root, files) = src_files();
    let (cli, plan) = (root.join("src/cli"), root.join("src/cli/plan.rs"));
    let options = [
        "Filter {",
        "ActiveOptions {",
        "ExplainOptions {",
        "DiffOptions {",
        "LineageOptions {",
        "TimelineOptions {",
        "PathOptions {",
        "NeighborOptions {",
        "NetworkOptions {",
        "SelectionOptions {",
        "FindOptions {",
        "SearchOptions {",
    ];
    let mut made_in_plan = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        if !file.starts_with(&cli) {
            for clap in ["use clap", "clap::"] {
                assert!(
                    !text.contains(clap),
                    "{} names clap (`{clap}`): the library never sees clap types",
                    file.display()
                );
            }
        } else if *file == plan {
            made_in_plan = options.iter().filter(|o| text.contains(*o)).count();
        } else {
            for made in options {
                assert!(
                    !text.contains(made),
                    "{} builds query options (`{made}`): turn the arguments into options in plan.rs",
                    file.display()
                );
            }
        }
    }
    // Every query that takes options gets them from plan.rs (`Filter {`
    // counts `ClaimFilter {` too).
    assert_eq!(
        made_in_plan,
        options.len(),
        "plan.rs builds every query's options"
    );
}
