//! A generator of realistic datasets of any size, for benchmarks and the
//! comparison with a Python baseline (`benches/peer/`).
//!
//! Deterministic from a seed: the same size and seed give the same bytes.
//! The corpus uses the bundled ontology (copied as it is), every kind of
//! entity and type of relation in proportions like the bundled dataset's,
//! EDTF dates of every form the loader accepts, sources with locators,
//! claims with a claimant and a stance, lineage chains of mechanisms,
//! rounds of each mechanism, and names in Chinese and accented Latin
//! script. About 1 MB of YAML per 1,000 entities, split over files of 200
//! entities in sub-directories of 50 files, in both layouts the loader
//! reads (a plain list of entities with inline relations, and a mapping
//! with `entities:` and a separate `relations:` list), and sources (one per
//! 20 entities) in files of 1,000 under `sources/`, so no file comes near
//! the loader's limit of a million YAML values at any size.
//!
//! Shared by `examples/corpus.rs` (the command line), the benches and a
//! test that loads a small corpus, so a change to the ontology that the
//! generator no longer fits fails `cargo test`.

#![allow(dead_code)] // each includer uses a different part

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The bundled vocabulary, copied into every corpus.
pub const ONTOLOGY: &str = include_str!("../../data/ontology.yaml");

/// Entities per file.
const PER_FILE: usize = 200;
/// Files per sub-directory.
const PER_DIR: usize = 50;
/// Sources per file (about 200 kB, 25,000 YAML values).
const SOURCES_PER_FILE: usize = 1000;

/// A small, fast, deterministic generator (SplitMix64): no dependency, and
/// the same stream on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with probability `p` percent.
    pub fn chance(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Kinds, with their id prefix and their share of entities in per mille.
const KINDS: &[(&str, usize)] = &[
    ("mechanism", 80),
    ("annex", 10),
    ("session", 140),
    ("summit", 50),
    ("agency", 140),
    ("organization", 80),
    ("person", 200),
    ("event", 110),
    ("document", 100),
    ("proposal", 40),
    ("initiative", 15),
    ("topic", 20),
    ("country", 15),
];

/// Relation types a kind starts, with the kinds they may point to. Kept to
/// what the bundled ontology allows; `tests/corpus.rs` loads a generated
/// corpus and fails if the two drift apart.
fn outgoing(kind: &str) -> &'static [(&'static str, &'static [&'static str])] {
    match kind {
        "mechanism" => &[
            ("established_at", &["summit", "event"]),
            ("addresses", &["topic"]),
            ("suspended_by", &["event"]),
            ("reorganized_by", &["event"]),
            ("part_of", &["mechanism", "initiative"]),
        ],
        "annex" => &[("part_of", &["mechanism"])],
        "session" => &[("addresses", &["topic"]), ("part_of", &["session"])],
        "summit" => &[("addresses", &["topic"]), ("part_of", &["initiative"])],
        "agency" => &[
            ("participant_in", &["mechanism", "session", "summit"]),
            ("member_of", &["agency", "country"]),
            ("leads", &["mechanism", "session", "agency"]),
            ("part_of", &["agency", "country"]),
            ("publishes", &["document"]),
            ("associated_with", &["agency", "organization"]),
        ],
        "organization" => &[
            ("participant_in", &["mechanism", "event"]),
            ("authored", &["document"]),
            ("publishes", &["document"]),
            ("member_of", &["organization"]),
            ("contributed_to", &["document"]),
        ],
        "person" => &[
            ("participant_in", &["mechanism", "session", "summit"]),
            ("member_of", &["agency", "organization"]),
            ("leads", &["agency", "session", "summit"]),
            ("authored", &["document"]),
            ("contributed_to", &["document"]),
            ("associated_with", &["agency", "organization", "person"]),
        ],
        "event" => &[
            ("addresses", &["topic"]),
            ("part_of", &["event"]),
            ("responds_to", &["event"]),
        ],
        "document" => &[
            ("cites", &["document"]),
            ("addresses", &["topic"]),
            ("proposes", &["proposal"]),
        ],
        "proposal" => &[
            ("extends", &["mechanism"]),
            ("modeled_on", &["mechanism", "proposal"]),
            ("addresses", &["topic"]),
        ],
        "initiative" => &[("addresses", &["topic"])],
        "country" => &[
            ("participant_in", &["summit", "event"]),
            ("member_of", &["organization"]),
        ],
        _ => &[],
    }
}

/// Roles a relation type declares, for some of its relations.
fn roles(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "participant_in" => Some(&["co-chair", "host", "head-of-delegation", "delegate"]),
        "leads" => Some(&["director", "chair"]),
        "authored" => Some(&["author", "contributing-author"]),
        "contributed_to" => Some(&["editor", "translator", "designer"]),
        _ => None,
    }
}

/// Kinds that may make a claim, and the stances a claim can take.
const CLAIMANTS: &[&str] = &["person", "organization", "agency", "document"];
const STANCES: &[&str] = &["assertion", "prediction", "recommendation"];
const SIDES: &[&str] = &[
    "china",
    "bilateral",
    "multilateral",
    "other",
    "united-states",
];
const CLOSED_STATUSES: &[&str] = &["suspended", "ended"];
const HYPOTHETICAL: &[&str] = &["proposed", "proposed", "proposed", "pending"];

const TOPICS: &[&str] = &[
    "cybercrime",
    "critical infrastructure",
    "norms of state behaviour",
    "data security",
    "supply chains",
    "intellectual property",
    "confidence building",
    "incident response",
    "export controls",
    "artificial intelligence",
    "5G networks",
    "undersea cables",
];
const PLACES: &[&str] = &[
    "Beijing",
    "Washington",
    "Shanghai",
    "New York",
    "Geneva",
    "Hangzhou",
    "Zürich",
    "São Paulo",
    "Montréal",
    "Reykjavík",
    "Kraków",
    "Hamburg",
];
const SURNAMES: &[&str] = &[
    "Chen",
    "Li",
    "Wang",
    "Zhang",
    "Liu",
    "Smith",
    "Johnson",
    "Müller",
    "García",
    "Nguyễn",
    "Dubois",
    "Łukasiewicz",
    "O'Brien",
    "Søndergaard",
    "Yılmaz",
];
const GIVEN: &[&str] = &[
    "Wei", "Xiaoming", "Jing", "Lorand", "Anne", "José", "Zoë", "Björn", "Chloé", "Mikhail",
    "Aoife", "Dong", "Hui", "Renée",
];
const ZH: &[&str] = &[
    "中美",
    "网络",
    "安全",
    "对话",
    "执法",
    "合作",
    "机制",
    "工作组",
    "峰会",
    "声明",
    "國際",
    "問題",
    "研究",
    "委員會",
];
const WORDS: &[&str] = &[
    "dialogue",
    "working group",
    "consultation",
    "commission",
    "framework",
    "channel",
    "forum",
    "task force",
    "roundtable",
    "exchange",
    "track-two",
    "hotline",
];
const LOCATORS: &[&str] = &[
    "paragraph",
    "section",
    "page",
    "footnote",
    "chapter",
    "table",
    "annex",
];

/// A date of one of the forms the loader accepts, all around 2005–2024.
fn date(r: &mut Rng) -> String {
    let y = 2005 + r.below(20);
    let m = 1 + r.below(12);
    let d = 1 + r.below(27);
    match r.below(12) {
        0 => format!("{y}"),
        1 => format!("{y}-{m:02}"),
        2 | 3 => format!("{y}-{m:02}-{d:02}"),
        4 => format!("{y}-{m:02}/{}-{m:02}", y + 1 + r.below(3)),
        5 => format!("{y}~"),
        6 => format!("{y}?"),
        7 => format!("{y}-{m:02}/"),
        8 => format!("/{y}"),
        9 => format!("{y}-{m:02}-{d:02}/{y}-{m:02}-{:02}", d + 1),
        10 => format!("{y}-{m:02}%"),
        // A set must be quoted: unquoted, YAML reads a list.
        _ => format!("\"[{y}-{m:02}..{}-{m:02}]\"", y + 1),
    }
}

/// A short locator, as a citation gives it.
fn locator(r: &mut Rng) -> String {
    format!("{} {}", r.pick(LOCATORS), 1 + r.below(40))
}

fn citation(r: &mut Rng, sources: usize) -> String {
    if r.chance(15) {
        format!(
            "{{ source: src-{:05}, at: \"{}\", quote: \"a phrase of the source, № {}\" }}",
            r.below(sources),
            locator(r),
            r.below(1000)
        )
    } else {
        format!(
            "{{ source: src-{:05}, at: \"{}\" }}",
            r.below(sources),
            locator(r)
        )
    }
}

/// One entity's plan: its id, kind, and its place in the generation order.
struct Plan {
    ids: Vec<String>,
    kinds: Vec<&'static str>,
    /// Indices of the entities of each kind, in generation order.
    by_kind: std::collections::BTreeMap<&'static str, Vec<usize>>,
}

fn plan(n: usize, r: &mut Rng) -> Plan {
    let total: usize = KINDS.iter().map(|(_, w)| w).sum();
    let mut kinds = Vec::with_capacity(n);
    for _ in 0..n {
        let mut x = r.below(total);
        let mut kind = KINDS[0].0;
        for (k, w) in KINDS {
            if x < *w {
                kind = k;
                break;
            }
            x -= w;
        }
        kinds.push(kind);
    }
    // Every kind at least once, so every relation type has a target.
    for (i, (k, _)) in KINDS.iter().enumerate() {
        if i < n {
            kinds[i] = k;
        }
    }
    let ids = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| format!("{k}-{i:07}"))
        .collect();
    let mut by_kind: std::collections::BTreeMap<_, Vec<usize>> = Default::default();
    for (i, k) in kinds.iter().enumerate() {
        by_kind.entry(*k).or_default().push(i);
    }
    Plan {
        ids,
        kinds,
        by_kind,
    }
}

/// The files of a corpus of `n` entities, as (path relative to the
/// dataset directory, text), in a stable order.
pub fn generate(n: usize, seed: u64) -> Vec<(PathBuf, String)> {
    let mut r = Rng::new(seed);
    let n = n.max(KINDS.len());
    let sources = (n / 20).max(5);
    let p = plan(n, &mut r);
    let mut files = vec![(PathBuf::from("ontology.yaml"), ONTOLOGY.to_string())];
    // Sources in files of their own under `sources/`, like entities: one
    // file of 50,000 sources (a 1M corpus) holds more than the million YAML
    // values a file may.
    for (f, start) in (0..sources).step_by(SOURCES_PER_FILE).enumerate() {
        let end = (start + SOURCES_PER_FILE).min(sources);
        let path = PathBuf::from("sources").join(format!("sources-{f:03}.yaml"));
        files.push((path, sources_file(start..end, &mut r)));
    }
    for (f, start) in (0..n).step_by(PER_FILE).enumerate() {
        let end = (start + PER_FILE).min(n);
        let path =
            PathBuf::from(format!("part-{:03}", f / PER_DIR)).join(format!("entities-{f:05}.yaml"));
        // Every third file keeps its relations apart, as a researcher does
        // for relations between entities defined elsewhere.
        let separate = f % 3 == 2;
        files.push((path, entity_file(&p, start..end, separate, sources, &mut r)));
    }
    files
}

/// Writes a corpus under `dir` (created if missing).
pub fn write(dir: &Path, n: usize, seed: u64) -> std::io::Result<u64> {
    let mut bytes = 0;
    for (rel, text) in generate(n, seed) {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &text)?;
        bytes += text.len() as u64;
    }
    Ok(bytes)
}

fn sources_file(range: std::ops::Range<usize>, r: &mut Rng) -> String {
    let mut s = String::from("# Generated sources.\n\n");
    for i in range {
        let kind = r.pick(&["report", "article", "op-ed", "blog post", "statement"]);
        let _ = writeln!(s, "- id: src-{i:05}");
        let _ = writeln!(s, "  type: {kind}");
        let _ = writeln!(
            s,
            "  authors: [{} {}, {} {}]",
            r.pick(GIVEN),
            r.pick(SURNAMES),
            r.pick(GIVEN),
            r.pick(SURNAMES)
        );
        let _ = writeln!(
            s,
            "  title: \"On the {} of {}: notes № {i}\"",
            r.pick(WORDS),
            r.pick(TOPICS)
        );
        if r.chance(50) {
            let _ = writeln!(s, "  publisher: Institute for {} Studies", r.pick(PLACES));
        }
        let _ = writeln!(s, "  date: {}", 2005 + r.below(20));
        if r.chance(60) {
            let _ = writeln!(s, "  url: https://example.org/papers/{i}");
        }
        let _ = writeln!(s, "  language: {}", r.pick(&["en", "zh"]));
        let _ = writeln!(s, "  side: {}\n", r.pick(SIDES));
    }
    s
}

fn name(kind: &str, i: usize, r: &mut Rng) -> String {
    match kind {
        "person" => format!("{} {} {i}", r.pick(GIVEN), r.pick(SURNAMES)),
        "mechanism" => format!("China–U.S. {} on {} {i}", r.pick(WORDS), r.pick(TOPICS)),
        "session" => format!("Round {} of the {} {i}", 1 + r.below(9), r.pick(WORDS)),
        "summit" => format!("Leaders' meeting in {} {i}", r.pick(PLACES)),
        "agency" => format!("Ministry of {} {i}", r.pick(TOPICS)),
        "organization" => format!("{} Institute of {} {i}", r.pick(PLACES), r.pick(TOPICS)),
        "event" => format!("Incident involving {} {i}", r.pick(TOPICS)),
        "document" => format!("White paper on {} {i}", r.pick(TOPICS)),
        "proposal" => format!("A proposed {} on {} {i}", r.pick(WORDS), r.pick(TOPICS)),
        "topic" => format!("{} {i}", r.pick(TOPICS)),
        _ => format!("{kind} {i}"),
    }
}

fn entity_file(
    p: &Plan,
    range: std::ops::Range<usize>,
    separate: bool,
    sources: usize,
    r: &mut Rng,
) -> String {
    let mut s = String::from("# Generated entities.\n");
    let mut rels = String::new();
    if separate {
        s.push_str("entities:\n");
    }
    let pad = if separate { "  " } else { "" };
    for i in range {
        let kind = p.kinds[i];
        let id = &p.ids[i];
        // A quarter of entities on one line, in flow style, like the
        // bundled `named.yaml`.
        let flow = r.chance(25);
        let mut fields: Vec<(&str, String)> = vec![
            ("id", id.clone()),
            ("kind", kind.to_string()),
            ("name", format!("\"{}\"", name(kind, i, r))),
        ];
        if r.chance(30) {
            fields.push(("short", format!("\"{} {i}\"", &kind[..3].to_uppercase())));
        }
        if r.chance(35) {
            let zh: String = (0..2 + r.below(3)).map(|_| *r.pick(ZH)).collect();
            fields.push(("names", format!("{{ zh: {zh}{i} }}")));
        }
        if r.chance(20) {
            fields.push(("aliases", format!("[\"alias {i}\", \"also {i}\"]")));
        }
        fields.push(("side", r.pick(SIDES).to_string()));
        let dated = matches!(
            kind,
            "mechanism" | "annex" | "session" | "summit" | "event" | "document"
        );
        let when = (dated || r.chance(20)).then(|| date(r));
        if let Some(d) = &when {
            fields.push(("date", d.clone()));
        }
        // A status agrees with the date: `active` has no end, `suspended`
        // and `ended` have one.
        match (kind, &when) {
            ("mechanism", Some(d)) if r.chance(60) => {
                let status = if d.ends_with('/') {
                    "active"
                } else {
                    r.pick(CLOSED_STATUSES)
                };
                fields.push(("status", status.to_string()));
            }
            ("proposal", _) => fields.push(("status", r.pick(HYPOTHETICAL).to_string())),
            _ => {}
        }
        if matches!(kind, "summit" | "event" | "agency") && r.chance(50) {
            fields.push(("place", r.pick(PLACES).to_string()));
        }
        if kind == "document" && r.chance(70) {
            fields.push(("source", format!("src-{:05}", r.below(sources))));
        }
        if !flow || r.chance(50) {
            fields.push((
                "summary",
                format!(
                    "\"A {kind} concerned with {} and {}, as the sources describe it; \
                     it is summarised here in the dataset's own words, № {i}.\"",
                    r.pick(TOPICS),
                    r.pick(TOPICS)
                ),
            ));
        }
        let cites: Vec<String> = (0..1 + r.below(3)).map(|_| citation(r, sources)).collect();
        let relations = relations_of(p, i, r, sources);
        if flow {
            let mut line = format!("{pad}- {{ ");
            for (k, v) in &fields {
                let _ = write!(line, "{k}: {v}, ");
            }
            let _ = write!(line, "sources: [{}]", cites.join(", "));
            if !separate && !relations.is_empty() {
                let inline: Vec<String> = relations.iter().map(|r| r.flow(false)).collect();
                let _ = write!(line, ", relations: [{}]", inline.join(", "));
            }
            line.push_str(" }\n");
            s.push_str(&line);
        } else {
            s.push('\n');
            for (j, (k, v)) in fields.iter().enumerate() {
                let lead = if j == 0 { "- " } else { "  " };
                let _ = writeln!(s, "{pad}{lead}{k}: {v}");
            }
            let _ = writeln!(s, "{pad}  sources:");
            for c in &cites {
                let _ = writeln!(s, "{pad}    - {c}");
            }
            if !separate && !relations.is_empty() {
                let _ = writeln!(s, "{pad}  relations:");
                for rel in &relations {
                    rel.block(&mut s, &format!("{pad}    "), false);
                }
            }
        }
        if separate {
            for rel in &relations {
                if r.chance(50) {
                    let _ = writeln!(rels, "  - {}", rel.flow(true));
                } else {
                    rel.block(&mut rels, "  ", true);
                }
            }
        }
    }
    if separate {
        s.push_str("\nrelations:\n");
        s.push_str(&rels);
    }
    s
}

/// A relation about to be written.
struct Rel {
    kind: &'static str,
    from: String,
    to: String,
    date: Option<String>,
    claim: Option<(String, &'static str)>,
    role: Option<&'static str>,
    summary: Option<String>,
    cites: Vec<String>,
}

impl Rel {
    fn fields(&self, with_from: bool) -> Vec<(&'static str, String)> {
        let mut f = vec![("type", self.kind.to_string())];
        if with_from {
            f.push(("from", self.from.clone()));
        }
        f.push(("to", self.to.clone()));
        if let Some(d) = &self.date {
            f.push(("date", d.clone()));
        }
        if let Some(role) = self.role {
            f.push(("role", role.to_string()));
        }
        if let Some((by, stance)) = &self.claim {
            f.push(("claimed_by", by.clone()));
            f.push(("stance", stance.to_string()));
        }
        if let Some(s) = &self.summary {
            f.push(("summary", format!("\"{s}\"")));
        }
        f
    }

    fn flow(&self, with_from: bool) -> String {
        let mut s = String::from("{ ");
        for (k, v) in self.fields(with_from) {
            let _ = write!(s, "{k}: {v}, ");
        }
        let _ = write!(s, "sources: [{}] }}", self.cites.join(", "));
        s
    }

    fn block(&self, out: &mut String, pad: &str, with_from: bool) {
        for (j, (k, v)) in self.fields(with_from).iter().enumerate() {
            let lead = if j == 0 { "- " } else { "  " };
            let _ = writeln!(out, "{pad}{lead}{k}: {v}");
        }
        let _ = writeln!(out, "{pad}  sources:");
        for c in &self.cites {
            let _ = writeln!(out, "{pad}    - {c}");
        }
    }
}

/// About three relations per entity: those its kind starts, a lineage
/// link for a mechanism (always to an earlier one, so chains never loop),
/// a session's mechanism, and now and then a claim about anything.
fn relations_of(p: &Plan, i: usize, r: &mut Rng, sources: usize) -> Vec<Rel> {
    let kind = p.kinds[i];
    let mut out = Vec::new();
    let push = |r: &mut Rng, out: &mut Vec<Rel>, kind: &'static str, to: usize| {
        let claim = if kind != "claims" && r.chance(8) {
            let claimant = *r.pick(CLAIMANTS);
            let pool = &p.by_kind[claimant];
            Some((p.ids[*r.pick(pool)].clone(), *r.pick(STANCES)))
        } else {
            None
        };
        let role = roles(kind).filter(|_| r.chance(50)).map(|rs| *r.pick(rs));
        out.push(Rel {
            kind,
            from: p.ids[i].clone(),
            to: p.ids[to].clone(),
            date: r.chance(40).then(|| date(r)),
            claim,
            role,
            summary: r
                .chance(25)
                .then(|| format!("What links the two, in a sentence, № {i}.")),
            cites: (0..1 + r.below(2)).map(|_| citation(r, sources)).collect(),
        });
    };
    match kind {
        "mechanism" => {
            // Earlier mechanisms only: lineage never loops.
            let mechs = &p.by_kind["mechanism"];
            let before = mechs.partition_point(|&m| m < i);
            if before > 0 && r.chance(70) {
                let j = mechs[before - 1 - r.below(before.min(5))];
                push(r, &mut out, "succeeds", j);
            }
        }
        "session" => {
            let j = *r.pick(&p.by_kind["mechanism"]);
            push(r, &mut out, "session_of", j);
        }
        // Now and then a source says two proposals are probably one: an
        // identification, which lineage, path and neighbours cross.
        "proposal" if r.chance(5) => {
            let j = *r.pick(&p.by_kind["proposal"]);
            if j != i {
                let before = out.len();
                push(r, &mut out, "same_as", j);
                if out[before].claim.is_none() {
                    let pool = &p.by_kind["document"];
                    out[before].claim = Some((p.ids[*r.pick(pool)].clone(), "assertion"));
                }
            }
        }
        _ => {}
    }
    let choices = outgoing(kind);
    let target = 2 + r.below(3) - out.len().min(1);
    for _ in 0..target {
        if choices.is_empty() {
            break;
        }
        let (rel, to_kinds) = *r.pick(choices);
        let to_kind = *r.pick(to_kinds);
        let pool = &p.by_kind[to_kind];
        let mut j = *r.pick(pool);
        if j == i {
            j = pool[(pool.iter().position(|&x| x == i).unwrap_or(0) + 1) % pool.len()];
        }
        if j == i {
            continue;
        }
        push(r, &mut out, rel, j);
    }
    // Now and then an event acts on a body, agreement or country without
    // creating, ending or reorganizing it (a notice of leaving an
    // organization): rare, as in the bundled data. Drawn from a stream of
    // its own, so the rest of the corpus is what it was before the type.
    if kind == "event" {
        let mut q = Rng::new(0xc0_4ce5 ^ i as u64);
        if q.chance(15) {
            let to_kind = *q.pick(&["organization", "agency", "mechanism", "country"]);
            let j = *q.pick(&p.by_kind[to_kind]);
            push(&mut q, &mut out, "concerns", j);
        }
    }
    if CLAIMANTS.contains(&kind) && r.chance(15) {
        let j = r.below(p.ids.len());
        if j != i {
            let before = out.len();
            push(r, &mut out, "claims", j);
            let stance = *r.pick(STANCES);
            out[before].claim = Some((p.ids[i].clone(), stance));
        }
    }
    out
}
