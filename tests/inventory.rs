//! The claims inventory and the coverage map of the two source documents.
//!
//! `docs/paragraphs.yaml` indexes every passage of the SIIS report and of the
//! CFR post (Laskai's introduction and Shen Yi's translated op-ed) by the
//! locator the data cites it with. From it and the bundled data this test
//! generates `docs/claims.md` (every claim, by document and passage) and
//! `docs/coverage.md` (every passage with what cites it, or why nothing
//! does), and fails when they are stale: `UPDATE_DOCS=1 cargo test --test
//! inventory` refreshes them. It also holds the dataset to the rules the
//! inventory rests on: every passage accounted for, every claim with a
//! voice, a stance and a locator, quoted words quoted, and no summary that
//! states a relation the data lacks.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use detente::{builtin_files, load, Dataset, Entity, Relation, Stance};
use serde::Deserialize;

/// The documents of the index, in the order the docs list them: the SIIS
/// report, then the CFR web page (Laskai's text, then Shen Yi's).
const DOCUMENTS: &[(&str, &str)] = &[
    (
        "siis-2021",
        "SIIS, *Competition without Catastrophe* (2021) — seed `000_01f61bdc7427d759.txt`",
    ),
    (
        "laskai-2017",
        "Laskai, CFR Net Politics (2017), his introduction — seed `003_f52d46bc46676ac0.txt`",
    ),
    (
        "shen-yi-2017",
        "Shen Yi's op-ed in The Paper (2017), in the translation posted with Laskai's introduction — same seed",
    ),
];

#[derive(Deserialize)]
struct Passage {
    at: String,
    excluded: Option<String>,
}

fn dataset() -> Dataset {
    load(&builtin_files()).unwrap_or_else(|p| panic!("bundled data invalid: {p:?}"))
}

fn index() -> BTreeMap<String, Vec<Passage>> {
    let text = std::fs::read_to_string("docs/paragraphs.yaml").expect("docs/paragraphs.yaml");
    serde_saphyr::from_str(&text).expect("docs/paragraphs.yaml parses")
}

/// The passages one locator names: `"Preview, paragraphs 2-5; footnote 2"`
/// names paragraphs 2 to 5 of that section and footnote 2.
fn passages(at: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in at.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (section, rest) = match part.rfind(", ") {
            Some(i) if numbered(&part[i + 2..]).is_some() => (Some(&part[..i]), &part[i + 2..]),
            _ => (None, part),
        };
        match numbered(rest) {
            Some((word, numbers)) => {
                for n in numbers {
                    out.push(match section {
                        Some(s) => format!("{s}, {word} {n}"),
                        None => format!("{word} {n}"),
                    });
                }
            }
            None => out.push(part.to_string()),
        }
    }
    out
}

/// `"paragraphs 3, 6 and 10"` → `("paragraph", [3, 6, 10])`.
fn numbered(text: &str) -> Option<(&'static str, Vec<u32>)> {
    let (word, list) = text.split_once(' ')?;
    let word = match word {
        "paragraph" | "paragraphs" => "paragraph",
        "footnote" | "footnotes" => "footnote",
        "item" | "items" => "item",
        _ => return None,
    };
    let mut numbers = Vec::new();
    for piece in list.replace(" and ", ", ").split(", ") {
        match piece.split_once('-') {
            Some((a, b)) => numbers.extend(a.trim().parse::<u32>().ok()?..=b.trim().parse().ok()?),
            None => numbers.push(piece.trim().parse().ok()?),
        }
    }
    Some((word, numbers))
}

/// Who speaks with `id`'s voice: itself, what it authored, who authored it.
fn voices(ds: &Dataset, id: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::from([id.to_string()]);
    for (from, to, r) in ds.relations() {
        if r.kind == "authored" {
            if from.id == id {
                out.insert(to.id.to_string());
            }
            if to.id == id {
                out.insert(from.id.to_string());
            }
        }
    }
    out
}

/// The entity that stands for a document of sources.yaml, if any.
fn document_of<'a>(ds: &'a Dataset, source: &str) -> Option<&'a Entity> {
    ds.entities().find(|e| e.source.as_deref() == Some(source))
}

/// The documents, among a claim's citations, that report a voice other
/// than their own: the witnesses of a quoted or reported statement.
fn witnesses(ds: &Dataset, r: &Relation) -> Vec<String> {
    let Some(voice) = &r.claimed_by else {
        return Vec::new();
    };
    let own = voices(ds, voice);
    let mut out: Vec<String> = r
        .sources
        .iter()
        .map(|c| document_of(ds, &c.source).map_or(c.source.to_string(), |d| d.id.to_string()))
        .filter(|d| !own.contains(d))
        .collect();
    out.dedup();
    out
}

fn relation_name(from: &Entity, to: &Entity, r: &Relation) -> String {
    format!("`{}` {} `{}`", from.id, r.kind.replace('_', " "), to.id)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every citation of the three seed sources: (source, passage) → who cites it.
fn citers(ds: &Dataset) -> BTreeMap<(String, String), Vec<String>> {
    let seeds: BTreeSet<&str> = DOCUMENTS.iter().map(|(s, _)| *s).collect();
    let mut out: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut add = |source: &str, at: &str, who: String| {
        if seeds.contains(source) {
            for p in passages(at) {
                let list = out.entry((source.to_string(), p)).or_default();
                if !list.contains(&who) {
                    list.push(who.clone());
                }
            }
        }
    };
    for e in ds.entities() {
        for c in &e.sources {
            add(&c.source, &c.at, format!("entity `{}`", e.id));
        }
        for (field, claim) in [("status", &e.status_claim), ("date", &e.date_claim)] {
            for c in claim.iter().flat_map(|claim| &claim.sources) {
                add(&c.source, &c.at, format!("claim {field} of `{}`", e.id));
            }
        }
    }
    for (from, to, r) in ds.relations() {
        let what = if r.claimed_by.is_some() {
            "claim"
        } else {
            "relation"
        };
        for c in &r.sources {
            add(
                &c.source,
                &c.at,
                format!("{what} {}", relation_name(from, to, r)),
            );
        }
    }
    out
}

#[test]
fn every_seed_citation_names_an_indexed_passage() {
    let ds = dataset();
    let index = index();
    let mut unknown = Vec::new();
    for (source, passage) in citers(&ds).keys() {
        let known = index
            .get(source)
            .is_some_and(|ps| ps.iter().any(|p| &p.at == passage));
        if !known {
            unknown.push(format!("{source}: {passage}"));
        }
    }
    assert!(
        unknown.is_empty(),
        "citations name passages missing from docs/paragraphs.yaml (fix the locator, or index the passage):\n{}",
        unknown.join("\n")
    );
}

#[test]
fn every_passage_is_cited_or_excluded() {
    let ds = dataset();
    let cited = citers(&ds);
    let index = index();
    let mut problems = Vec::new();
    for (source, _) in DOCUMENTS {
        for p in &index[*source] {
            let is_cited = cited.contains_key(&(source.to_string(), p.at.clone()));
            match (&p.excluded, is_cited) {
                (None, false) => problems.push(format!(
                    "{source}: `{}` is neither cited nor excluded",
                    p.at
                )),
                (Some(_), true) => problems.push(format!(
                    "{source}: `{}` is excluded but cited; drop the exclusion",
                    p.at
                )),
                (Some(reason), false) if reason.trim().is_empty() => {
                    problems.push(format!("{source}: `{}` is excluded without a reason", p.at))
                }
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_claim_has_a_voice_a_stance_and_a_locator() {
    let ds = dataset();
    let mut n = 0;
    for (from, to, r) in ds.relations() {
        let what = relation_name(from, to, r);
        if r.kind == "claims" {
            assert!(r.claimed_by.is_some(), "{what} names no voice");
            assert!(
                r.stance != Stance::Record,
                "{what} is a claim with stance record"
            );
        }
        if r.claimed_by.is_none() {
            continue;
        }
        n += 1;
        assert!(!r.sources.is_empty(), "{what} has no citation");
        for c in &r.sources {
            assert!(
                !c.at.trim().is_empty(),
                "{what} cites {} without a locator",
                c.source
            );
        }
    }
    assert!(n > 150, "only {n} claims: the inventory is incomplete");
}

/// A voice that did not write the document citing it speaks in that
/// document's words about it, so at least one citation must carry the
/// words that make it theirs.
#[test]
fn quoted_voices_carry_their_words() {
    let ds = dataset();
    for (from, to, r) in ds.relations() {
        let Some(voice) = &r.claimed_by else { continue };
        let own = voices(&ds, voice);
        let any_own = r
            .sources
            .iter()
            .any(|c| document_of(&ds, &c.source).is_some_and(|d| own.contains(d.id.as_str())));
        if !any_own {
            assert!(
                r.sources.iter().any(|c| c.quote.is_some()),
                "{}: `{voice}` is quoted by {:?} but no citation has a `quote`",
                relation_name(from, to, r),
                witnesses(&ds, r)
            );
        }
    }
}

/// Regressions from issue 10's review: each misattribution stays fixed.
#[test]
fn the_reviewed_misattributions_stay_fixed() {
    let ds = dataset();
    let rels: Vec<_> = ds.relations().collect();
    // The SIIS report never names the LECD's end or its cause.
    assert!(
        !rels
            .iter()
            .any(|(f, _, r)| f.id == "lecd" && r.kind == "suspended_by"),
        "lecd must not be `suspended_by` anything on the report's reading"
    );
    // The tariffs: the record's dates on the event, the report's on its claim.
    let tariffs = ds.entity("trade-war-2018").unwrap();
    assert_eq!(
        tariffs.date.as_ref().unwrap().as_str(),
        "2018-03-22/2018-07-06"
    );
    assert!(rels.iter().any(|(f, t, r)| f.id == "siis-report"
        && t.id == "trade-war-2018"
        && r.claimed_by.as_deref() == Some("siis-report")
        && r.date
            .as_ref()
            .is_some_and(|d| d.as_str() == "[2018-01..2018-04]")));
    // Bodies the report only reports on are not voices.
    for body in ["us-congress", "cyberspace-solarium-commission"] {
        assert!(
            !rels
                .iter()
                .any(|(_, _, r)| r.claimed_by.as_deref() == Some(body)),
            "`{body}` is only reported on by the SIIS report; the report is the voice"
        );
    }
    // Xi's words in quotation marks have Xi as their voice (the 2015
    // "both large cyber powers" and the undated directive); what Shen Yi
    // reports in indirect speech is Shen Yi's account (third read, R-8–R-10).
    // His call for the Digital Silk Road is his own, in his own speech.
    let xi_own = voices(&ds, "xi-jinping");
    let (own, quoted): (Vec<_>, Vec<_>) = rels
        .iter()
        .filter(|(_, _, r)| r.claimed_by.as_deref() == Some("xi-jinping"))
        .partition(|(_, _, r)| {
            r.sources.iter().any(|c| {
                document_of(&ds, &c.source).is_some_and(|d| xi_own.contains(d.id.as_str()))
            })
        });
    assert_eq!(quoted.len(), 2, "Xi's quoted statements");
    assert!(quoted
        .iter()
        .all(|(_, _, r)| r.sources.iter().all(|c| c.quote.is_some())));
    assert!(
        own.iter()
            .any(|(_, t, r)| t.id == "digital-silk-road" && r.stance == Stance::Recommendation),
        "Xi's call for the Digital Silk Road is his claim, witnessed by his speech"
    );
    let reported = rels
        .iter()
        .filter(|(f, _, r)| {
            f.id == "xi-jinping" && r.kind == "claims" && r.claimed_by.as_deref() == Some("shen-yi")
        })
        .count();
    assert_eq!(reported, 3, "Xi's statements in Shen Yi's indirect speech");
    // Blinken's statement is a claim, not the summary of his participation;
    // the report paraphrases it without quotation marks, so it is the
    // report's account, with Blinken as its source.
    assert!(rels.iter().any(|(f, _, r)| f.id == "antony-blinken"
        && r.kind == "claims"
        && r.claimed_by.as_deref() == Some("siis-report")));
    assert!(!rels
        .iter()
        .any(|(_, _, r)| r.claimed_by.as_deref() == Some("antony-blinken")));
    // Laskai's paraphrase of Shen Yi is not quoted as Shen Yi's words.
    assert!(!rels.iter().any(|(_, _, r)| {
        r.claimed_by.as_deref() == Some("shen-yi")
            && r.sources
                .iter()
                .any(|c| c.quote.as_deref() == Some("prepare to manage a relationship in flux"))
    }));
    assert!(rels.iter().all(|(f, _, r)| !(f.id == "antony-blinken"
        && r.kind == "participant_in"
        && r.summary.as_deref().is_some_and(|s| s.contains("Said")))));
    // No status or end date on one author's word: Shen Yi alone dates the
    // end of the high-level representatives dialogue.
    let hl = ds.entity("hl-cyber-dialogue").unwrap();
    assert_eq!(
        hl.status_claim.as_ref().map(|c| c.claimed_by.as_str()),
        Some("shen-yi"),
        "the high-level dialogue's status rests on Shen Yi alone"
    );
}

/// Dates on one document's word that stay plain, with the reason.
const PLAIN_ON_ONE_WORD: &[(&str, &str)] = &[
    (
        "blinken-hearing-2021",
        "the date of the committee's own hearing record, which footnote 8 cites with its address",
    ),
    (
        "siis",
        "the institute's founding year in its own description of itself",
    ),
];

/// A date or status that only one of the two documents gives (and no public
/// source confirms) is that document's word: it says whose, with
/// `{value, claimed_by}`, so that it is not printed as fact and
/// `--as-claimed-by` another voice leaves it out. The tariffs dated by the
/// SIIS report alone were the case that prompted this (issue 10).
#[test]
fn dates_and_statuses_on_one_documents_word_say_whose() {
    let ds = dataset();
    let o = ds.ontology();
    let seeds: BTreeSet<&str> = DOCUMENTS.iter().map(|(s, _)| *s).collect();
    let mut unattributed = Vec::new();
    for e in ds.entities() {
        if e.kind == "document" {
            continue; // dated by their own publication
        }
        let cited: BTreeSet<&str> = e.sources.iter().map(|c| c.source.as_str()).collect();
        let one_seed = cited.len() == 1 && cited.iter().all(|s| seeds.contains(s));
        if !one_seed {
            continue;
        }
        let hypothetical = e
            .status
            .as_ref()
            .and_then(|s| o.statuses.get(s))
            .is_some_and(|s| s.hypothetical);
        if e.date.is_some()
            && e.date_claim.is_none()
            && !PLAIN_ON_ONE_WORD.iter().any(|(id, _)| *id == e.id)
        {
            unattributed.push(format!("date of `{}` rests on {cited:?} alone", e.id));
        }
        if e.status.is_some() && e.status_claim.is_none() && !hypothetical {
            unattributed.push(format!("status of `{}` rests on {cited:?} alone", e.id));
        }
    }
    assert!(
        unattributed.is_empty(),
        "write these as `{{value, claimed_by}}`, or cite a public source:\n{}",
        unattributed.join("\n")
    );
    // The two cases the review named.
    let hl = ds.entity("hl-cyber-dialogue").unwrap();
    assert_eq!(
        hl.date_claim.as_ref().map(|c| c.claimed_by.as_str()),
        Some("shen-yi")
    );
    let restrictions = ds.entity("us-restrictions-on-chinese-tech").unwrap();
    assert_eq!(
        restrictions
            .date_claim
            .as_ref()
            .map(|c| c.claimed_by.as_str()),
        Some("siis-report")
    );
}

/// Mentions in summaries that are not relations, with the reason.
const NOT_RELATIONS: &[(&str, &str, &str)] = &[
    (
        "restored-cyber-dialogues",
        "hljd",
        "says the recommendation names no mechanism; the HLJD is only named in the introduction",
    ),
    (
        "restored-cyber-dialogues",
        "lecd",
        "says the recommendation names no mechanism; the LECD is only named in the introduction",
    ),
    (
        "state-coordinator-folded-2017",
        "shen-yi",
        "Laskai's reading of the decision against Shen Yi's prediction: the claim `lorand-laskai claims shen-yi-op-ed`",
    ),
    (
        "lorand-laskai claims shen-yi-op-ed",
        "state-dept",
        "recalls the decision `state-coordinator-folded-2017`, which the claim's summary names as Laskai's evidence",
    ),
];

/// The names an entity can be mentioned by, longest first.
fn names(e: &Entity) -> Vec<&str> {
    let mut out: Vec<&str> = std::iter::once(e.name.as_str())
        .chain(e.short.as_deref())
        .chain(e.aliases.iter().map(|a| a.as_str()))
        .filter(|n| n.chars().count() >= 4)
        .collect();
    out.sort_by_key(|n| std::cmp::Reverse(n.len()));
    out
}

/// The entities a text mentions by name (whole words, longest match wins).
fn mentions<'a>(ds: &'a Dataset, text: &str) -> BTreeSet<&'a str> {
    let mut spans: Vec<(usize, usize, &str)> = Vec::new();
    for e in ds.entities() {
        for n in names(e) {
            for (i, _) in text.match_indices(n) {
                let before = text[..i].chars().next_back();
                let after = text[i + n.len()..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-');
                if !word(before) && !word(after) {
                    spans.push((i, i + n.len(), e.id.as_str()));
                }
            }
        }
    }
    spans
        .iter()
        .filter(|(a, b, _)| {
            !spans
                .iter()
                .any(|(c, d, _)| c <= a && b <= d && (d - c) > (b - a))
        })
        .map(|(_, _, id)| *id)
        .collect()
}

/// A summary that names another entity states a relation with it, unless
/// the name only says whose account this is (an author or publisher of a
/// cited document, or the claim's voice). The relation may be direct, or
/// pass through an event, meeting or document ("agreed during Xi's visit",
/// "an introduction to Shen Yi's op-ed").
#[test]
fn summaries_state_no_relation_the_data_lacks() {
    let ds = dataset();
    let mut near: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (f, t, _) in ds.relations() {
        near.entry(&f.id).or_default().insert(&t.id);
        near.entry(&t.id).or_default().insert(&f.id);
    }
    let empty = BTreeSet::new();
    let linked = |a: &str, b: &str| {
        let na = near.get(a).unwrap_or(&empty);
        na.contains(b)
            || na.iter().any(|m| {
                let k = ds.entity(m).map(|e| e.kind.as_str()).unwrap_or("");
                matches!(k, "event" | "summit" | "session" | "document")
                    && near.get(m).is_some_and(|n| n.contains(b))
            })
    };
    // The voices behind each cited document: its entity, authors, publishers.
    let told_by = |sources: &[detente::Citation], voice: Option<&String>| {
        let mut out: BTreeSet<String> = voice.map(|v| voices(&ds, v)).unwrap_or_default();
        for c in sources {
            if let Some(d) = document_of(&ds, &c.source) {
                out.extend(voices(&ds, &d.id));
                for (f, t, r) in ds.relations() {
                    if r.kind == "publishes" && t.id == d.id {
                        out.insert(f.id.to_string());
                    }
                }
            }
        }
        out
    };
    let skip = |id: &str| {
        ds.entity(id)
            .is_some_and(|e| matches!(e.kind.as_str(), "topic" | "country"))
    };
    let mut missing = Vec::new();
    let mut check = |owner: String, ends: Vec<&str>, text: &str, told: BTreeSet<String>| {
        for m in mentions(&ds, text) {
            if ends.contains(&m) || skip(m) || told.contains(m) {
                continue;
            }
            if ends.iter().any(|e| linked(e, m)) {
                continue;
            }
            if NOT_RELATIONS.iter().any(|(o, n, _)| *o == owner && *n == m) {
                continue;
            }
            missing.push(format!("{owner}: mentions `{m}` — \"{}\"", one_line(text)));
        }
    };
    for e in ds.entities() {
        if let Some(s) = &e.summary {
            check(e.id.to_string(), vec![&e.id], s, told_by(&e.sources, None));
        }
    }
    for (f, t, r) in ds.relations() {
        if let Some(s) = &r.summary {
            let owner = format!("{} {} {}", f.id, r.kind, t.id);
            check(
                owner,
                vec![&f.id, &t.id],
                s,
                told_by(
                    &r.sources,
                    r.claimed_by.as_ref().map(|c| c.to_string()).as_ref(),
                ),
            );
        }
    }
    assert!(
        missing.is_empty(),
        "summaries name entities the data does not relate them to; add the relation, or list \
         the mention in NOT_RELATIONS with a reason:\n{}",
        missing.join("\n")
    );
}

/// `docs/claims.md`: every claim, under each passage it cites, in reading order.
fn claims_doc(ds: &Dataset, index: &BTreeMap<String, Vec<Passage>>) -> String {
    let mut by_passage: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut elsewhere = Vec::new();
    let mut voices_seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut stances: BTreeMap<&str, usize> = BTreeMap::new();
    let mut total = 0;
    for (from, to, r) in ds.relations() {
        let Some(voice) = &r.claimed_by else { continue };
        total += 1;
        *voices_seen.entry(voice.to_string()).or_default() += 1;
        *stances.entry(r.stance.as_str()).or_default() += 1;
        let witness = witnesses(ds, r);
        let mut line = format!("- **{}** by `{voice}`", r.stance.as_str());
        if !witness.is_empty() {
            let w: Vec<String> = witness.iter().map(|w| format!("`{w}`")).collect();
            let _ = write!(line, ", as reported in {}", w.join(", "));
        }
        let _ = write!(line, " — {}", relation_name(from, to, r));
        if let Some(d) = &r.date {
            let _ = write!(line, " ({})", d.human());
        }
        // A proposal's text is the proposal; any other relation without a
        // summary is said in words, not with its target's description.
        let described;
        let text = match (&r.summary, r.kind.as_str()) {
            (Some(s), _) => s.as_str(),
            (None, "proposes") => to.summary.as_deref().unwrap_or(&to.name),
            (None, kind) => {
                described = format!(
                    "{} {} {}.",
                    from.label(),
                    kind.replace('_', " "),
                    to.label()
                );
                described.as_str()
            }
        };
        let _ = write!(line, ": {}", one_line(text));
        for c in &r.sources {
            if let Some(q) = &c.quote {
                let _ = write!(line, " Quote: “{q}”.");
            }
        }
        let mut placed = false;
        for c in &r.sources {
            for p in passages(&c.at) {
                let key = (c.source.to_string(), p);
                if index
                    .get(&key.0)
                    .is_some_and(|ps| ps.iter().any(|x| x.at == key.1))
                {
                    let list = by_passage.entry(key).or_default();
                    if !list.contains(&line) {
                        list.push(line.clone());
                    }
                    placed = true;
                }
            }
        }
        if !placed {
            elsewhere.push(line);
        }
    }
    // Statuses and dates that rest on one voice are claims too.
    let attributed = ds.entities().flat_map(|e| {
        let status = e
            .status
            .as_ref()
            .map(|s| s.to_string())
            .zip(e.status_claim.as_ref());
        let date = e
            .date
            .as_ref()
            .map(|d| format!("`{}`", d.as_str()))
            .zip(e.date_claim.as_ref());
        [("status", status), ("date", date)]
            .into_iter()
            .filter_map(move |(field, v)| v.map(|(value, claim)| (e, field, value, claim)))
    });
    for (e, field, value, claim) in attributed {
        total += 1;
        *voices_seen.entry(claim.claimed_by.to_string()).or_default() += 1;
        *stances.entry(claim.stance.as_str()).or_default() += 1;
        let line = format!(
            "- **{}** by `{}` — {field} of `{}`: {value}.",
            claim.stance.as_str(),
            claim.claimed_by,
            e.id
        );
        let mut placed = false;
        for c in &claim.sources {
            for p in passages(&c.at) {
                let key = (c.source.to_string(), p);
                if index
                    .get(&key.0)
                    .is_some_and(|ps| ps.iter().any(|x| x.at == key.1))
                {
                    by_passage.entry(key).or_default().push(line.clone());
                    placed = true;
                }
            }
        }
        if !placed {
            elsewhere.push(line);
        }
    }
    let mut out = String::from(
        "# Claims in the two source documents\n\n\
         <!-- Generated by tests/inventory.rs from data/ and docs/paragraphs.yaml; do not edit.\n     \
         Refresh with: UPDATE_DOCS=1 cargo test --test inventory -->\n\n\
         Every statement in the bundled data that someone makes rather than the\n\
         record shows: each relation with a `claimed_by`, listed under every\n\
         passage it cites, in the order of the documents. Read it beside the\n\
         texts to check that nothing is missing and nothing says more than its\n\
         passage. `detente claims --by ID` gives the same claims for one voice.\n\n\
         - **Voice** (`claimed_by`): who says it. A document's own statements have\n  \
         the document or its author as voice (`siis-report`, `chen-dongxiao` for\n  \
         the preface, `shen-yi`, `lorand-laskai`). Words a document quotes have\n  \
         the speaker as voice, and the document is the *witness*: \"as reported\n  \
         in\" names it, and the quoted words are in the citation's `quote`. What\n  \
         a document only reports a body did or wanted, without quoting it, has\n  \
         the document as voice and the body as the relation's source.\n\
         - **Stance**: assertion (someone says it is so), prediction (expects it),\n  \
         recommendation (says it should be).\n\n",
    );
    let list: Vec<String> = stances.iter().map(|(s, n)| format!("{s} {n}")).collect();
    let _ = writeln!(
        out,
        "{total} claims in all. By stance: {}.\n",
        list.join(", ")
    );
    let list: Vec<String> = voices_seen
        .iter()
        .map(|(v, n)| format!("`{v}` {n}"))
        .collect();
    let _ = writeln!(out, "By voice: {}.\n", list.join(", "));
    for (source, title) in DOCUMENTS {
        let _ = writeln!(out, "## {title}\n");
        let _ = writeln!(out, "Source `{source}`.\n");
        for p in &index[*source] {
            let Some(lines) = by_passage.get(&(source.to_string(), p.at.clone())) else {
                continue;
            };
            let _ = writeln!(out, "### {}\n", p.at);
            for l in lines {
                let _ = writeln!(out, "{l}");
            }
            out.push('\n');
        }
    }
    if !elsewhere.is_empty() {
        let _ = writeln!(out, "## Claims cited to other sources\n");
        for l in &elsewhere {
            let _ = writeln!(out, "{l}");
        }
        out.push('\n');
    }
    out
}

/// `docs/coverage.md`: every passage with what cites it, or why nothing does.
fn coverage_doc(ds: &Dataset, index: &BTreeMap<String, Vec<Passage>>) -> String {
    let cited = citers(ds);
    let mut out = String::from(
        "# Coverage of the two source documents\n\n\
         <!-- Generated by tests/inventory.rs from data/ and docs/paragraphs.yaml; do not edit.\n     \
         Refresh with: UPDATE_DOCS=1 cargo test --test inventory -->\n\n\
         Every paragraph, footnote, reference and other passage of the SIIS\n\
         report and of the CFR post, in reading order (the index is\n\
         `docs/paragraphs.yaml`), with the entities, relations and claims that\n\
         cite it — or, for a passage nothing cites, the reason. A test fails\n\
         when a passage is neither cited nor excluded.\n\n",
    );
    let mut excluded = Vec::new();
    for (source, title) in DOCUMENTS {
        let passages = &index[*source];
        let n_cited = passages
            .iter()
            .filter(|p| cited.contains_key(&(source.to_string(), p.at.clone())))
            .count();
        let _ = writeln!(out, "## {title}\n");
        let _ = writeln!(
            out,
            "Source `{source}`: {} passages, {n_cited} cited, {} excluded.\n",
            passages.len(),
            passages.len() - n_cited
        );
        for p in passages {
            match cited.get(&(source.to_string(), p.at.clone())) {
                Some(who) => {
                    let _ = writeln!(out, "- **{}** — {}", p.at, who.join("; "));
                }
                None => {
                    let reason = p.excluded.as_deref().unwrap_or("NOT COVERED");
                    let _ = writeln!(out, "- **{}** — excluded: {reason}", p.at);
                    excluded.push(format!("- `{source}`, {}: {reason}", p.at));
                }
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Exclusions\n");
    for e in &excluded {
        let _ = writeln!(out, "{e}");
    }
    out
}

#[test]
fn claims_and_coverage_docs_are_current() {
    let ds = dataset();
    let index = index();
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    for (path, text) in [
        ("docs/claims.md", claims_doc(&ds, &index)),
        ("docs/coverage.md", coverage_doc(&ds, &index)),
    ] {
        if update {
            std::fs::write(path, &text).unwrap();
        } else {
            let old = std::fs::read_to_string(path).unwrap_or_default();
            assert!(
                old == text,
                "{path} is stale; run UPDATE_DOCS=1 cargo test --test inventory"
            );
        }
    }
}

#[test]
fn locators_expand_to_passages() {
    assert_eq!(
        passages("Biden's Cyber Policy: A Preview, paragraphs 3-5; footnotes 3, 6 and 10"),
        [
            "Biden's Cyber Policy: A Preview, paragraph 3",
            "Biden's Cyber Policy: A Preview, paragraph 4",
            "Biden's Cyber Policy: A Preview, paragraph 5",
            "footnote 3",
            "footnote 6",
            "footnote 10",
        ]
    );
    assert_eq!(
        passages("title page; A, B, paragraphs 3 and 6"),
        ["title page", "A, B, paragraph 3", "A, B, paragraph 6"]
    );
    assert_eq!(passages("References, item 16"), ["References, item 16"]);
    assert_eq!(passages("opening paragraph"), ["opening paragraph"]);
}
