//! Rules the bundled dataset keeps beyond what the loader enforces for any
//! dataset: a researcher must be able to cite every fact, and a proposal
//! must never look as if it existed.

use std::collections::BTreeSet;

use detente::Stance;
use detente::{builtin_files, load};

fn dataset() -> detente::Dataset {
    load(&builtin_files()).unwrap_or_else(|p| panic!("bundled data invalid: {p:?}"))
}

#[test]
fn every_fact_is_cited_with_a_locator() {
    let ds = dataset();
    for e in ds.entities() {
        assert!(!e.sources.is_empty(), "entity {} has no source", e.id);
        for c in &e.sources {
            assert!(
                !c.at.trim().is_empty(),
                "entity {} cites {} without a locator",
                e.id,
                c.source
            );
            assert!(
                ds.source(&c.source).is_some(),
                "entity {} cites unknown {}",
                e.id,
                c.source
            );
        }
    }
    for (from, to, r) in ds.relations() {
        let what = format!("{} {} {}", from.id, r.kind, to.id);
        assert!(!r.sources.is_empty(), "relation {what} has no source");
        for c in &r.sources {
            assert!(
                !c.at.trim().is_empty(),
                "relation {what} cites {} without a locator",
                c.source
            );
        }
        if r.stance != Stance::Record {
            assert!(
                r.claimed_by.is_some(),
                "relation {what} is a {} by nobody",
                r.stance.as_str()
            );
        }
    }
}

#[test]
fn proposals_are_never_dated_as_if_they_existed() {
    let ds = dataset();
    let o = ds.ontology();
    for e in ds.entities() {
        let hypothetical = e
            .status
            .as_ref()
            .and_then(|s| o.statuses.get(s))
            .is_some_and(|s| s.hypothetical);
        if e.kind == "proposal" {
            assert!(
                hypothetical,
                "proposal {} must have a status marking it as never created",
                e.id
            );
        }
        if hypothetical {
            assert!(e.date.is_none(), "proposal {} has a date, which would read as when it existed; date its `proposes` relation instead", e.id);
        }
    }
}

#[test]
fn every_listed_source_is_cited_somewhere() {
    let ds = dataset();
    let mut cited: BTreeSet<&str> = BTreeSet::new();
    for e in ds.entities() {
        cited.extend(e.sources.iter().map(|c| c.source.as_str()));
        cited.extend(e.source.as_deref());
    }
    for (_, _, r) in ds.relations() {
        cited.extend(r.sources.iter().map(|c| c.source.as_str()));
    }
    for id in ds.sources().keys() {
        assert!(
            cited.contains(id.as_str()),
            "source {id} is listed but never cited"
        );
    }
}

#[test]
fn claims_from_the_documents_carry_their_perspective() {
    // The SIIS report and Shen Yi write from a Chinese point of view, Laskai
    // from an American one; their records say so.
    let ds = dataset();
    for (id, side) in [
        ("siis-2021", "china"),
        ("shen-yi-2017", "china"),
        ("laskai-2017", "united-states"),
    ] {
        assert_eq!(
            ds.source(id).and_then(|s| s.side.as_deref()),
            Some(side),
            "{id}"
        );
    }
}

#[test]
fn every_entity_takes_part_in_a_relation() {
    // An entity nothing points to or from is a fact half-recorded: the
    // audit against the documents found fourteen, each missing what the
    // passage says about it.
    let ds = dataset();
    let mut linked = BTreeSet::new();
    for (from, to, r) in ds.relations() {
        linked.insert(from.id.as_str());
        linked.insert(to.id.as_str());
        // The voice of a claim takes part in it too (the dataset editors
        // appear only as the claimant of their identifications).
        linked.extend(r.claimed_by.as_deref());
    }
    let lonely: Vec<&str> = ds
        .entities()
        .map(|e| e.id.as_str())
        .filter(|id| !linked.contains(id))
        .collect();
    assert!(lonely.is_empty(), "entities with no relation: {lonely:?}");
}

/// An agreement exists from the day it was signed, not only on that day: a
/// memorandum stored with its signing day as its whole date would make
/// `detente active 2016` say it did not exist. The signing is the date of the
/// signatories' `participant_in` relations; the agreement's own date is a
/// span that starts then (its end open, unknown or known).
#[test]
fn agreements_are_dated_from_their_signing_not_by_it() {
    let ds = dataset();
    let mut checked = 0;
    for e in ds.entities() {
        let signings: Vec<_> = ds
            .links(&e.id)
            .into_iter()
            .filter(|l| !l.outgoing && l.relation.role.as_deref() == Some("signatory"))
            .filter_map(|l| l.relation.date.clone())
            .collect();
        if signings.is_empty() {
            continue;
        }
        checked += 1;
        let date = e
            .date
            .as_ref()
            .unwrap_or_else(|| panic!("{} has signatories but no date", e.id));
        assert!(
            date.is_interval(),
            "{} is dated `{}`, its signing alone; date it from the signing (`{}/`)",
            e.id,
            date.as_str(),
            date.as_str()
        );
        let first = signings.iter().map(|d| d.start().earliest).min().unwrap();
        assert_eq!(
            date.start().earliest,
            first,
            "{} should start on its earliest signing",
            e.id
        );
        let active = detente_active(&e.id, "2016");
        assert!(
            active,
            "{} signed before 2016 is not listed by `detente active 2016`",
            e.id
        );
    }
    assert!(checked >= 3, "only {checked} signed agreements checked");
}

/// Whether `detente active DATE` lists `id` (definitely or possibly).
fn detente_active(id: &str, date: &str) -> bool {
    let out = assert_cmd::Command::cargo_bin("detente")
        .unwrap()
        .env_remove("DETENTE_DATA")
        .args(["active", date, "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).contains(&format!("\"{id}\""))
}

/// The U.S. notice of leaving the WHO and its retraction are events of their
/// own, related to the WHO and to each other, not prose on the membership:
/// `path`, `neighbors` and `timeline` find them, and the membership they
/// concern never lapsed (issue 10).
#[test]
fn the_who_notice_and_its_retraction_are_data() {
    let ds = dataset();
    let date = |id: &str| {
        ds.entity(id)
            .unwrap_or_else(|| panic!("no entity {id}"))
            .date
            .as_ref()
            .unwrap_or_else(|| panic!("{id} has no date"))
            .as_str()
            .to_string()
    };
    assert_eq!(date("us-who-withdrawal-notice"), "2020-07-06");
    assert_eq!(date("us-who-withdrawal-retracted"), "2021-01-20");
    let has = |from: &str, kind: &str, to: &str| {
        ds.relations()
            .any(|(f, t, r)| f.id == from && t.id == to && r.kind == kind && r.claimed_by.is_none())
    };
    for event in ["us-who-withdrawal-notice", "us-who-withdrawal-retracted"] {
        assert!(
            has(event, "concerns", "who"),
            "{event} must concern the WHO"
        );
        assert!(
            has("united-states", "participant_in", event),
            "the United States acted in {event}"
        );
    }
    assert!(has(
        "us-who-withdrawal-retracted",
        "responds_to",
        "us-who-withdrawal-notice"
    ));
    assert!(has(
        "joe-biden",
        "participant_in",
        "us-who-withdrawal-retracted"
    ));
    // The notice never took effect: the membership runs on, open-ended.
    let membership = ds
        .relations()
        .find(|(f, t, r)| f.id == "united-states" && t.id == "who" && r.kind == "member_of")
        .expect("the United States is a member of the WHO");
    assert_eq!(membership.2.date.as_ref().unwrap().as_str(), "1948-06-21/");
}
