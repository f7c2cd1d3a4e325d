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
    let role = |from: &str, kind: &str, to: &str| -> Option<String> {
        ds.relations()
            .find(|(f, t, r)| f.id == from && t.id == to && r.kind == kind)
            .unwrap_or_else(|| panic!("no {from} {kind} {to}"))
            .2
            .role
            .clone()
    };
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
    // No source read says who chaired the second round: no role is guessed.
    assert_eq!(role("guo-shengkun", "participant_in", "hljd-round-2"), None);
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
    // Shen Yi alone says the 2014 channel ended (succeeded by the HLJD).
    let hl = status("hl-cyber-dialogue");
    assert_eq!(hl.status_claim.as_ref().unwrap().claimed_by, "shen-yi");
    let card = ok(&["show", "hl-cyber-dialogue"]);
    assert!(card.contains("Ended — assertion by `shen-yi`"), "{card}");
    // As the SIIS report tells it, that status is not there: it is Shen Yi's.
    let card = ok(&[
        "show",
        "hl-cyber-dialogue",
        "--as-claimed-by",
        "siis-report",
    ]);
    assert!(!card.contains("Ended"), "{card}");
    let card = ok(&["show", "hl-cyber-dialogue", "--as-claimed-by", "shen-yi"]);
    assert!(card.contains("Ended — assertion by `shen-yi`"), "{card}");
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
