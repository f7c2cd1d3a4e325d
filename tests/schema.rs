//! Roles on relations, statuses that agree with dates, and identifications
//! ("is probably the same as"): checked on load at their exact place,
//! shown and filtered by the queries, and kept by the bundled dataset.

mod common;

use common::{ok, run};
use serde_json::Value;

/// A command's answer as JSON.
fn json(args: &[&str]) -> Value {
    common::json(&[args, &["--format", "json"]].concat())
}

const FIXTURE: &str = "tests/fixtures/schema";

fn dataset() -> detente::Dataset {
    detente::load(&detente::builtin_files())
        .unwrap_or_else(|p| panic!("bundled data invalid: {p:?}"))
}

/// The role on the bundled relation `from —kind→ to`, which must exist.
fn role_of(ds: &detente::Dataset, from: &str, kind: &str, to: &str) -> Option<String> {
    ds.relations()
        .find(|(f, t, r)| f.id == from && t.id == to && r.kind == kind)
        .unwrap_or_else(|| panic!("no {from} {kind} {to}"))
        .2
        .role
        .as_ref()
        .map(|t| t.to_string())
}

// ---------------------------------------------------------------------------
// load-time checks

#[test]
fn roles_and_statuses_that_break_the_ontology_are_reported_at_their_place() {
    let (code, out, _) = run(&[
        "--data",
        "tests/fixtures/schema-broken",
        "check",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    let got: Vec<(u64, u64, String, String)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_u64().unwrap(),
                p["code"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        (
            6,
            45,
            "role-not-allowed",
            "`cochair` is not a role of `participant_in` (did you mean `co-chair`?)",
        ),
        (
            7,
            35,
            "role-not-allowed",
            "`friend` is not a role of `knows`",
        ),
        (
            16,
            11,
            "status-contradicts-date",
            "status `ended` says it stopped, but the date `2010/` gives no end",
        ),
        (
            22,
            11,
            "status-contradicts-date",
            "status `active` says it has not stopped, but the date `2010/2012` ends",
        ),
        (
            27,
            11,
            "status-contradicts-date",
            "status `ended` says it stopped, but it has no date",
        ),
        (
            32,
            41,
            "unknown",
            "unknown entity `nobdy` in `status.claimed_by`",
        ),
        (
            37,
            18,
            "invalid-date",
            "invalid date `2014-13`: month must be 01-12 or a sub-year code 21-41 (at character 6)",
        ),
        (
            37,
            39,
            "unknown",
            "unknown entity `nobdy` in `date.claimed_by`",
        ),
    ];
    let want: Vec<(u64, u64, String, String)> = want
        .iter()
        .map(|(l, c, code, m)| (*l, *c, code.to_string(), m.to_string()))
        .collect();
    assert_eq!(got, want);
    let helps: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["help"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(helps[0], "write `co-chair`");
    assert!(
        helps[1].contains("`knows` declares no roles"),
        "{}",
        helps[1]
    );
}

#[test]
fn an_ontology_with_the_old_role_key_is_pointed_at_plays() {
    // `role:` on a relation type became `plays:`; an old ontology is told
    // so, not sent to `roles:`, which means something else.
    let dir = tempfile_dir("old-role-key");
    std::fs::write(
        dir.join("ontology.yaml"),
        "kinds:\n  m: { label: M }\nrelations:\n  r: { inverse: x, from: [m], to: [m], role: founding }\n",
    )
    .unwrap();
    let (code, _, err) = run(&["--data", dir.to_str().unwrap(), "check"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("4:40: unknown field `role` in relation `r` (did you mean `plays`?)"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn tempfile_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("detente-schema-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---------------------------------------------------------------------------
// roles in answers

#[test]
fn cards_neighbors_and_paths_show_roles_with_their_labels() {
    let card = json(&["--data", FIXTURE, "show", "s1"]);
    let items: Vec<(String, Value, Value)> = card["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap().clone())
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_string(),
                i["role"].clone(),
                i["role_label"].clone(),
            )
        })
        .collect();
    assert!(items.contains(&("p".into(), "co-chair".into(), "co-chair".into())));
    // The label comes from the ontology, not the id.
    assert!(items.contains(&("q".into(), "host".into(), "host country".into())));
    assert!(items.contains(&("r".into(), Value::Null, Value::Null)));
    let text = ok(&["--data", FIXTURE, "show", "s1"]);
    assert!(text.contains("as host country"), "{text}");

    let path = json(&["--data", FIXTURE, "path", "q", "s1"]);
    assert_eq!(path["paths"][0]["hops"][0]["fact"]["role"], "host");
    let text = ok(&["--data", FIXTURE, "path", "q", "s1"]);
    assert!(
        text.contains("q —participant in→ s1  as host country"),
        "{text}"
    );
}

#[test]
fn neighbors_filter_by_role() {
    let n = json(&["--data", FIXTURE, "neighbors", "s1", "--role", "co-chair"]);
    let ids: Vec<&str> = n["neighbors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["entity"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["p"]);
    assert_eq!(n["neighbors"][0]["role"], "co-chair");
    // Two roles: either.
    let n = json(&[
        "--data",
        FIXTURE,
        "neighbors",
        "s1",
        "--role",
        "co-chair",
        "--role",
        "host",
    ]);
    assert_eq!(n["neighbors"].as_array().unwrap().len(), 2);
    // An undeclared role is refused with a suggestion.
    let (code, _, err) = run(&["--data", FIXTURE, "neighbors", "s1", "--role", "cochair"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("unknown role `cochair` (did you mean `co-chair`?)"),
        "{err}"
    );
}

#[test]
fn every_role_in_the_bundled_data_is_allowed_by_its_relation_type() {
    let ds = dataset();
    let o = ds.ontology();
    let mut with_roles = 0;
    for (from, to, r) in ds.relations() {
        if let Some(role) = &r.role {
            with_roles += 1;
            let def = &o.relations[&r.kind];
            assert!(
                def.roles.contains_key(role),
                "{} —{}→ {}: role `{role}` is not declared for `{}`",
                from.id,
                r.kind,
                to.id,
                r.kind
            );
        }
    }
    // The co-chairs, the host and the report's makers at least.
    assert!(with_roles >= 20, "only {with_roles} relations carry a role");
}

#[test]
fn the_bundled_data_says_who_chaired_hosted_and_wrote_what() {
    let ds = dataset();
    let role = |from: &str, kind: &str, to: &str| role_of(&ds, from, kind, to);
    assert_eq!(
        role("guo-shengkun", "participant_in", "lecd-2017-10").as_deref(),
        Some("co-chair")
    );
    assert_eq!(
        role("jeff-sessions", "participant_in", "lecd-2017-10").as_deref(),
        Some("co-chair")
    );
    assert_eq!(
        role("john-sullivan", "participant_in", "lecd-2017-10").as_deref(),
        Some("host")
    );
    assert_eq!(
        role("loretta-lynch", "participant_in", "hljd-round-1").as_deref(),
        Some("co-chair")
    );
    // No source read says who chaired the second round, so no one is its
    // co-chair; the U.S. ambassador's opening remarks thank Guo for hosting it.
    assert_eq!(
        role("guo-shengkun", "participant_in", "hljd-round-2").as_deref(),
        Some("host")
    );
    assert_eq!(
        role("chen-dongxiao", "authored", "siis-report").as_deref(),
        Some("preface-author")
    );
    assert_eq!(
        role("chen-dongxiao", "leads", "siis-taskforce").as_deref(),
        Some("project-director")
    );
    assert_eq!(
        role("lu-chuanying", "leads", "siis-taskforce").as_deref(),
        Some("project-co-director")
    );
    assert_eq!(
        role("xu-manshu", "authored", "siis-report").as_deref(),
        Some("contributing-author")
    );
    assert_eq!(
        role("li-xin", "contributed_to", "siis-report").as_deref(),
        Some("translator")
    );
    // A translator is not an author: the report does not speak in her voice.
    let claims = json(&["claims", "--by", "li-xin"]);
    assert!(claims["claims"].as_array().unwrap().is_empty(), "{claims}");
    // The two defence ministries signed the 2014 memorandums.
    assert_eq!(
        role("mnd", "participant_in", "mou-rules-of-behavior").as_deref(),
        Some("signatory")
    );
    assert_eq!(
        role("dod", "participant_in", "mou-military-notification").as_deref(),
        Some("signatory")
    );
    let text = ok(&["compare", "hljd-round-1", "lecd-2017-10"]);
    assert!(text.contains("Guo Shengkun, co-chair"), "{text}");
    assert!(text.contains("John Sullivan, host"), "{text}");
    let text = ok(&["neighbors", "lecd-2017-10", "--role", "host"]);
    assert!(text.contains("john-sullivan"), "{text}");
    assert!(!text.contains("guo-shengkun"), "{text}");
}

/// Office-holders are dated by their terms, from the public record, and say
/// which office they held; a relation dated to the one month a document shows
/// someone in office would make `active` and `--at` miss them at every other
/// date (the second read's D-15).
#[test]
fn office_holders_carry_their_office_and_their_term() {
    let ds = dataset();
    let mut offices = 0;
    for (f, t, r) in ds.relations() {
        let governs = r.kind == "leads" && matches!(t.kind.as_str(), "agency" | "country");
        if f.kind != "person" || !governs {
            continue;
        }
        offices += 1;
        assert!(
            r.role.is_some(),
            "{} leads {}: as what? (president, head-of-department, acting-head, chair…)",
            f.id,
            t.id
        );
        let date = r
            .date
            .as_ref()
            .unwrap_or_else(|| panic!("{} leads {}: no term", f.id, t.id));
        assert!(
            date.is_interval(),
            "{} leads {}: `{}` is a moment, not a term of office",
            f.id,
            t.id,
            date.as_str()
        );
    }
    assert!(offices >= 14, "only {offices} office-holders");
    let term = |from: &str, kind: &str, to: &str| -> (Option<String>, String) {
        let (_, _, r) = ds
            .relations()
            .find(|(f, t, r)| f.id == from && t.id == to && r.kind == kind)
            .unwrap_or_else(|| panic!("no {from} {kind} {to}"));
        (
            r.role.as_ref().map(|t| t.to_string()),
            r.date.as_ref().unwrap().as_str().to_string(),
        )
    };
    let t = |from, kind, to, role: &str, date: &str| {
        assert_eq!(
            term(from, kind, to),
            (Some(role.to_string()), date.to_string()),
            "{from} {kind} {to}"
        );
    };
    // The report's "Secretary of State" Blinken was the nominee at his hearing.
    t(
        "antony-blinken",
        "leads",
        "state-dept",
        "head-of-department",
        "2021-01-26/",
    );
    t(
        "rex-tillerson",
        "leads",
        "state-dept",
        "head-of-department",
        "2017-02-01/2018-03-31",
    );
    t(
        "elaine-duke",
        "leads",
        "dhs",
        "acting-head",
        "2017-07-31/2017-12",
    );
    t(
        "guo-shengkun",
        "leads",
        "mps",
        "head-of-department",
        "2012-12/2017-11-04",
    );
    t("xi-jinping", "leads", "china", "president", "2013-03-14/");
    t(
        "joe-biden",
        "associated_with",
        "barack-obama",
        "deputy",
        "2009-01-20/2017-01-20",
    );
    t(
        "john-sullivan",
        "member_of",
        "state-dept",
        "deputy-secretary",
        // To the month: no official record of the days was found (the
        // Wikipedia infobox that gave them is no longer a source).
        "2017-05/2019-12",
    );
    // Every round's co-chair held the office the round's source gives.
    let round = ds.entity("lecd-2017-10").unwrap().date.clone().unwrap();
    for who in ["jeff-sessions", "elaine-duke", "guo-shengkun"] {
        let (_, _, office) = ds
            .relations()
            .find(|(f, t, r)| f.id == who && r.kind == "leads" && t.kind == "agency")
            .unwrap();
        assert_eq!(
            office.date.as_ref().unwrap().covers(&round),
            detente::Truth::Definitely,
            "{who} not in office at the first LECD"
        );
    }
}

/// The titles the Taskforce Introduction and Laskai's notes give are roles on
/// the memberships, and the units they name are bodies with their parents.
#[test]
fn members_carry_the_titles_the_documents_give() {
    let ds = dataset();
    let role = |from: &str, kind: &str, to: &str| role_of(&ds, from, kind, to);
    for (from, kind, to, expected) in [
        ("chen-dongxiao", "leads", "siis", "president"),
        ("lu-chuanying", "member_of", "siis-cicg", "senior-fellow"),
        ("jiang-xudong", "member_of", "siis", "post-doctoral-fellow"),
        ("li-yan", "member_of", "cicir-istcs", "deputy-director"),
        ("zhu-lixin", "leads", "xjtu-irlc", "director"),
        (
            "wang-tianchan",
            "member_of",
            "fudan-sirpa",
            "doctoral-student",
        ),
        ("li-xin", "member_of", "cqiss", "managing-editor"),
        (
            "shen-yi",
            "member_of",
            "fudan-university",
            "assistant-professor",
        ),
        (
            "shen-yi",
            "member_of",
            "georgetown-university",
            "post-doctoral-fellow",
        ),
        (
            "lorand-laskai",
            "member_of",
            "cfr-asia-studies",
            "research-associate",
        ),
        (
            "united-states",
            "member_of",
            "un-security-council",
            "permanent-member",
        ),
    ] {
        assert_eq!(
            role(from, kind, to).as_deref(),
            Some(expected),
            "{from} {kind} {to}"
        );
    }
    let text = ok(&["neighbors", "siis", "--role", "senior-fellow"]);
    assert!(text.contains("xu-manshu"), "{text}");
    assert!(!text.contains("jiang-xudong"), "{text}");
}

/// `detente claims --by VOICE` gives every claim made in that voice, and
/// every date or status resting on its word: a historian asking who argued
/// what gets all of it (issue 10).
#[test]
fn claims_by_lists_every_claim_and_attributed_date_of_each_voice() {
    let ds = dataset();
    type Key = (String, String, String, Value);
    let mut voices: std::collections::BTreeMap<String, (Vec<Key>, usize)> = Default::default();
    for (f, t, r) in ds.relations() {
        if let Some(v) = &r.claimed_by {
            let summary = r.summary.as_deref().map_or(Value::Null, Value::from);
            voices.entry(v.to_string()).or_default().0.push((
                f.id.to_string(),
                t.id.to_string(),
                r.kind.to_string(),
                summary,
            ));
        }
    }
    for e in ds.entities() {
        for c in [&e.date_claim, &e.status_claim].into_iter().flatten() {
            voices.entry(c.claimed_by.to_string()).or_default().1 += 1;
        }
    }
    assert!(voices.len() >= 8, "{:?}", voices.keys());
    for (voice, (claims, attributed)) in &voices {
        let answer = json(&["claims", "--by", voice]);
        let got: Vec<Key> = answer["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["from"].as_str().unwrap().to_string(),
                    c["to"].as_str().unwrap().to_string(),
                    c["type"].as_str().unwrap().to_string(),
                    c["summary"].clone(),
                )
            })
            .collect();
        for claim in claims {
            assert!(
                got.contains(claim),
                "`claims --by {voice}` misses {claim:?}"
            );
        }
        let dated = answer["attributed"].as_array().unwrap().len();
        assert!(
            dated >= *attributed,
            "`claims --by {voice}` gives {dated} of its {attributed} dates and statuses"
        );
    }
}

// ---------------------------------------------------------------------------
// statuses

#[test]
fn every_bundled_status_is_declared_with_a_meaning_and_agrees_with_its_date() {
    let ds = dataset();
    let o = ds.ontology();
    for (id, s) in &o.statuses {
        assert!(
            s.description.is_some(),
            "status `{id}` says nothing of what it means"
        );
    }
    let mut checked = 0;
    for e in ds.entities() {
        let Some(status) = &e.status else { continue };
        let def = &o.statuses[status];
        let open = e
            .date
            .as_ref()
            .map(|d| d.is_open_ended() || d.has_unknown_end());
        match def.end.map(|r| r.as_str()) {
            Some("closed") => {
                checked += 1;
                assert_eq!(
                    open,
                    Some(false),
                    "{} is `{status}` but its date gives no end",
                    e.id
                )
            }
            Some("open") => {
                checked += 1;
                assert_ne!(
                    open,
                    Some(false),
                    "{} is `{status}` but its date ends",
                    e.id
                )
            }
            _ => {}
        }
        if def.hypothetical {
            // Never drawn as existing: no date that could read as its life.
            assert!(e.date.is_none(), "{} is `{status}` but dated", e.id);
        }
    }
    assert!(checked >= 3, "only {checked} statuses are tied to dates");
}

#[test]
fn a_status_on_one_voice_says_whose_and_things_not_yet_existing_are_never_active() {
    let ds = dataset();
    let status = |id: &str| ds.entity(id).unwrap_or_else(|| panic!("{id}"));
    // The pending agreement has a status, on the SIIS report's word.
    let deal = status("us-china-data-transfer-agreement");
    assert_eq!(deal.status.as_deref(), Some("pending"));
    assert_eq!(
        deal.status_claim.as_ref().unwrap().claimed_by,
        "siis-report"
    );
    // Shen Yi alone says the 2014 charges disrupted the channel; he never
    // says it ended, so its status is his word: suspended.
    let hl = status("hl-cyber-dialogue");
    assert_eq!(hl.status_claim.as_ref().unwrap().claimed_by, "shen-yi");
    let card = ok(&["show", "hl-cyber-dialogue"]);
    assert!(
        card.contains("Suspended — assertion by `shen-yi`"),
        "{card}"
    );
    // As the SIIS report tells it, that status is not there: it is Shen Yi's.
    let card = ok(&[
        "show",
        "hl-cyber-dialogue",
        "--as-claimed-by",
        "siis-report",
    ]);
    assert!(!card.contains("Suspended"), "{card}");
    let card = ok(&["show", "hl-cyber-dialogue", "--as-claimed-by", "shen-yi"]);
    assert!(
        card.contains("Suspended — assertion by `shen-yi`"),
        "{card}"
    );
    let ncd = status("national-cyber-director");
    assert_eq!(ncd.status.as_deref(), Some("enacted-not-established"));
    // Asked why, the answer gives the status's meaning from the ontology.
    let why = ok(&["active", "2021", "--explain", "national-cyber-director"]);
    assert!(why.contains("on 2021: not"), "{why}");
    assert!(why.contains("not yet set up"), "{why}");
    // Neither is drawn as existing, at any date.
    for date in ["2021-02", "2021", "2022"] {
        let a = json(&["active", date]);
        for list in ["definitely", "possibly"] {
            for b in a[list].as_array().unwrap() {
                let id = b["id"].as_str().unwrap();
                assert!(
                    id != "us-china-data-transfer-agreement" && id != "national-cyber-director",
                    "{id} is {list} active on {date}"
                );
            }
        }
    }
}

/// A date that rests on one voice says whose it is wherever it is shown:
/// the card, `claims --by`, the JSON export (which loads back with it), and
/// `--as-claimed-by` another voice, which leaves it out.
#[test]
fn a_date_on_one_voice_says_whose_everywhere() {
    let card = json(&["--data", FIXTURE, "show", "rumoured"]);
    assert_eq!(card["entity"]["date"]["edtf"], "/2008");
    assert_eq!(card["entity"]["date_claim"]["claimed_by"], "p");
    let n = card["date_citations"][0].as_u64().unwrap() as usize;
    assert_eq!(card["sources"][n - 1]["at"], "p. 8");
    let text = ok(&["--data", FIXTURE, "show", "rumoured"]);
    assert!(text.contains("[/2008] — assertion by `p` [1]"), "{text}");
    let text = ok(&[
        "--data",
        FIXTURE,
        "show",
        "rumoured",
        "--as-claimed-by",
        "q",
    ]);
    assert!(!text.contains("2008"), "{text}");

    let c = json(&["--data", FIXTURE, "claims", "--by", "p"]);
    let got: Vec<(String, String, String)> = c["attributed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let s = |k: &str| a[k].as_str().unwrap().to_string();
            (s("entity"), s("field"), s("value"))
        })
        .collect();
    assert_eq!(
        got,
        [
            ("deal".into(), "status".into(), "pending".into()),
            ("rumoured".into(), "date".into(), "/2008".into()),
        ]
    );
    let none = json(&["--data", FIXTURE, "claims", "--by", "q"]);
    assert_eq!(none["attributed"].as_array().unwrap().len(), 0);

    // The export writes the claim in the form the loader reads back.
    let dir = tempfile_dir("date-claim-roundtrip");
    let file = dir.join("all.json");
    ok(&[
        "--data",
        FIXTURE,
        "export",
        "json",
        "-o",
        file.to_str().unwrap(),
    ]);
    let back = json(&["--data", file.to_str().unwrap(), "show", "rumoured"]);
    assert_eq!(back["entity"]["date_claim"], card["entity"]["date_claim"]);
    std::fs::remove_dir_all(&dir).unwrap();

    // On the bundled data: Shen Yi alone dates the 2014 channel, and asking
    // for his claims lists its date and status with his relations.
    let hl = dataset();
    let hl = hl.entity("hl-cyber-dialogue").unwrap();
    assert_eq!(hl.date_claim.as_ref().unwrap().claimed_by, "shen-yi");
    let text = ok(&["claims", "--by", "shen-yi"]);
    assert!(text.contains("hl-cyber-dialogue date: /2014"), "{text}");
    assert!(
        text.contains("hl-cyber-dialogue status: suspended"),
        "{text}"
    );
}

#[test]
fn a_status_card_shows_its_claimant_and_meaning() {
    let card = json(&["--data", FIXTURE, "show", "deal"]);
    assert_eq!(card["status_label"], "Pending");
    assert_eq!(card["status_description"], "Not agreed yet.");
    assert_eq!(card["hypothetical"], true);
    assert_eq!(card["entity"]["status_claim"]["claimed_by"], "p");
    assert_eq!(card["entity"]["status_claim"]["stance"], "assertion");
    let n = card["status_citations"][0].as_u64().unwrap() as usize;
    assert_eq!(card["sources"][n - 1]["at"], "p. 7");
}

// ---------------------------------------------------------------------------
// identification

fn chain(v: &Value) -> Vec<String> {
    v["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["entity"]["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn lineage_follows_an_identification_by_default_and_strict_stops_at_it() {
    let l = json(&["--data", FIXTURE, "lineage", "b"]);
    // a2 is a's other name, and z came before a2.
    assert_eq!(chain(&l), ["z", "a2", "a", "b"]);
    assert_eq!(l["strict"], false);
    assert_eq!(l["identified"][0]["from"], "a2");
    assert_eq!(l["identified"][0]["to"], "a");
    assert_eq!(l["identified"][0]["identity"], true);
    let text = ok(&["--data", FIXTURE, "lineage", "b"]);
    assert!(text.contains("Followed 1 identification"), "{text}");

    let l = json(&["--data", FIXTURE, "lineage", "b", "--strict"]);
    assert_eq!(chain(&l), ["a", "b"]);
    assert_eq!(l["strict"], true);
    // The answer still says where it stopped.
    assert_eq!(l["identified"][0]["from"], "a2");
    let text = ok(&["--data", FIXTURE, "lineage", "b", "--strict"]);
    assert!(
        text.contains("Stopped at 1 identification (--strict)"),
        "{text}"
    );
}

#[test]
fn path_crosses_an_identification_and_counts_it_unless_strict() {
    let p = json(&["--data", FIXTURE, "path", "b", "z"]);
    let hops: Vec<&str> = p["paths"][0]["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(hops, ["a", "a2", "z"]);
    assert_eq!(p["paths"][0]["identifications"], 1);
    let text = ok(&["--data", FIXTURE, "path", "b", "z"]);
    assert!(
        text.contains("through 1 identification; --strict avoids them"),
        "{text}"
    );

    let p = json(&["--data", FIXTURE, "path", "b", "z", "--strict"]);
    assert!(p["paths"].as_array().unwrap().is_empty(), "{p}");
    assert_eq!(p["strict"], true);
}

#[test]
fn neighbors_reach_through_an_identification_at_no_extra_distance() {
    let n = json(&["--data", FIXTURE, "neighbors", "a"]);
    let reached: Vec<(String, u64)> = n["neighbors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["entity"]["id"].as_str().unwrap().to_string(),
                x["distance"].as_u64().unwrap(),
            )
        })
        .collect();
    // a2 is a under another name: it and its predecessor z are as near as
    // a's own neighbours.
    assert!(reached.contains(&("a2".into(), 0)), "{reached:?}");
    assert!(reached.contains(&("z".into(), 1)), "{reached:?}");
    assert!(reached.contains(&("b".into(), 1)), "{reached:?}");
    assert_eq!(n["identified"].as_array().unwrap().len(), 1);

    let n = json(&["--data", FIXTURE, "neighbors", "a", "--strict"]);
    let ids: Vec<&str> = n["neighbors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["entity"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["b"]);
    assert!(n["identified"].as_array().unwrap().is_empty());
}

#[test]
fn the_bundled_identification_is_a_cited_claim_that_queries_cross() {
    let ds = dataset();
    let o = ds.ontology();
    let ids: Vec<_> = ds
        .relations()
        .filter(|(_, _, r)| o.relations[&r.kind].identity)
        .collect();
    assert!(!ids.is_empty());
    for (from, to, r) in &ids {
        // Always someone's claim, never record, and with its evidence.
        assert!(
            r.claimed_by.is_some(),
            "{} = {} has no claimant",
            from.id,
            to.id
        );
        assert_ne!(r.stance.as_str(), "record", "{} = {}", from.id, to.id);
        assert!(
            r.sources.len() >= 2,
            "{} = {} cites too little evidence",
            from.id,
            to.id
        );
    }
    let l = json(&["lineage", "hljd"]);
    assert!(chain(&l).contains(&"cyber-working-group".to_string()));
    let l = json(&["lineage", "hljd", "--strict"]);
    assert!(!chain(&l).contains(&"cyber-working-group".to_string()));
    let p = json(&["path", "hljd", "cwg-2013-07", "--strict"]);
    for path in p["paths"].as_array().unwrap() {
        assert_eq!(path["identifications"], 0);
    }
}
