//! The commands on the bundled dataset, run as a user runs them. Text and
//! JSON outputs are snapshot-tested: a change in what users see shows up in
//! review as a diff of `tests/snapshots/`.

use assert_cmd::Command;

fn detente(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("detente")
        .expect("binary built")
        .env_remove("DETENTE_DATA")
        .env("NO_COLOR", "1")
        // Run from elsewhere: the bundled dataset is inside the binary.
        .current_dir(std::env::temp_dir())
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

fn ok(args: &[&str]) -> String {
    let (code, out, err) = detente(args);
    assert_eq!(code, 0, "{args:?} failed: {err}");
    assert!(err.is_empty(), "{err}");
    out
}

#[test]
fn show_text() {
    insta::assert_snapshot!(ok(&["show", "lecd"]));
}

#[test]
fn show_json() {
    insta::assert_snapshot!(ok(&["show", "lecd", "--format", "json"]));
}

#[test]
fn show_json_is_stable_and_parses() {
    let a = ok(&["--format", "json", "show", "hljd"]);
    let b = ok(&["--format", "json", "show", "hljd"]);
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
    insta::assert_snapshot!("list_mechanisms", ok(&["list", "--kind", "mechanism"]));
    insta::assert_snapshot!(
        "list_us_people_json",
        ok(&[
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
        ok(&["find", "cybersecurity dialogue"])
    );
    insta::assert_snapshot!("find_lecd_json", ok(&["find", "LECD", "--format", "json"]));
}

#[test]
fn find_ignores_case_accents_and_punctuation_and_reads_other_scripts() {
    let out = ok(&["find", "sino us law enforcement", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["id"], "lecd");
    let out = ok(&["find", "SHANGHAI INSTITUTÉS", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["id"], "siis");
    let out = ok(&["find", "國際問題", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["id"], "siis");
    assert_eq!(v[0]["field"], "names.zh-Hant");
}

#[test]
fn find_ranks_near_misses_below_real_matches() {
    let out = ok(&["find", "Laskay", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
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
    insta::assert_snapshot!(ok(&["check"]));
}

/// Every query, as text and as JSON, on the bundled dataset. The JSON
/// snapshots are the examples `docs/queries.md` describes.
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
        insta::assert_snapshot!(format!("q_{name}"), ok(args));
        let mut json_args = args.to_vec();
        json_args.extend(["--format", "json"]);
        let json = ok(&json_args);
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
