//! Numbered citations and the compact records every answer is made of.
//!
//! Each answer numbers the citations of the facts it uses, in the order they
//! first appear, so it can be printed with `[1]`-style references and a
//! source list and quoted as it stands. The same document and locator keep
//! one number.

use foldhash::HashMap;

use serde::Serialize;

use crate::model::cited::Cited;
use crate::model::date::Date;
use crate::model::entity::{Citation, Entity, Relation, Stance};
use crate::model::graph::Dataset;

/// A citation with its number and full reference.
#[derive(Debug, Clone, Serialize)]
pub struct NumberedSource<'a> {
    /// 1-based number, as printed in brackets.
    pub n: usize,
    /// The source id.
    pub source: &'a str,
    /// The locator.
    pub at: &'a str,
    /// The quoted phrase, if any.
    pub quote: Option<&'a str>,
    /// The formatted reference (borrowed from the dataset, which formats
    /// each source's once and keeps it).
    pub reference: &'a str,
}

/// Hands out citation numbers for one answer.
pub(crate) struct Cites<'a> {
    ds: &'a Dataset,
    /// The number of each (source, locator, quote) already numbered: a
    /// hash map with a fast hash, since a whole-dataset answer numbers
    /// hundreds of thousands (an ordered map spent most of a timeline
    /// comparing strings, and the standard hash a quarter of it hashing).
    seen: HashMap<(&'a str, &'a str, Option<&'a str>), usize>,
    list: Vec<NumberedSource<'a>>,
    /// The documents of each source cited for a claim and their voices,
    /// found once per answer ([`Voices`]).
    voices: Voices<'a>,
}

impl<'a> Cites<'a> {
    pub fn new(ds: &'a Dataset) -> Cites<'a> {
        Cites {
            ds,
            seen: HashMap::default(),
            list: Vec::new(),
            voices: HashMap::default(),
        }
    }

    /// The numbers of these citations, assigning new ones as needed.
    pub fn number(&mut self, cites: &'a [Citation]) -> Vec<usize> {
        let mut out = Vec::new();
        for c in cites {
            // A quote is part of the citation: the same passage cited with
            // and without one gets two numbers, so no quote is lost.
            let key = (c.source.as_str(), c.at.as_str(), c.quote.as_deref());
            let n = match self.seen.get(&key) {
                Some(&n) => n,
                None => {
                    let n = self.list.len() + 1;
                    self.seen.insert(key, n);
                    // Formatted once per source for the dataset, and kept.
                    let reference = self.ds.reference_str(&c.source).unwrap_or(&c.source);
                    self.list.push(NumberedSource {
                        n,
                        source: &c.source,
                        at: &c.at,
                        quote: c.quote.as_deref(),
                        reference,
                    });
                    n
                }
            };
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }

    /// An entity in brief, its citations numbered.
    pub fn brief(&mut self, e: &'a Entity) -> Brief<'a> {
        let citations = self.number(&e.sources);
        brief(e, self.ds.never_existed(e), citations)
    }

    /// A relation as a fact, its citations numbered.
    pub fn fact(&mut self, from: &'a Entity, to: &'a Entity, r: &'a Relation) -> Fact<'a> {
        let citations = self.number(&r.sources);
        fact(self.ds, from, to, r, citations, &mut self.voices)
    }

    /// The numbered list, for the end of the answer.
    pub fn finish(self) -> Vec<NumberedSource<'a>> {
        self.list
    }
}

/// For each source an answer's claims cite, by id, the documents standing
/// for it and each one's voices ([`super::claims::voices`], sorted): found
/// once per answer, since one source may be cited for thousands of the
/// claims an answer shows.
pub(crate) type Voices<'a> = HashMap<&'a str, Vec<(&'a str, Vec<&'a str>)>>;

/// An entity in brief, with the numbers of its citations.
pub(crate) fn brief(e: &Entity, hypothetical: bool, citations: Vec<usize>) -> Brief<'_> {
    Brief {
        id: &e.id,
        name: &e.name,
        label: e.label(),
        kind: &e.kind,
        side: e.side.as_deref(),
        date: e.date.as_ref(),
        status: e.status.as_deref(),
        hypothetical,
        citations,
    }
}

/// A relation as a fact, with the numbers of its citations.
pub(crate) fn fact<'a>(
    ds: &'a Dataset,
    from: &'a Entity,
    to: &'a Entity,
    r: &'a Relation,
    citations: Vec<usize>,
    voices: &mut Voices<'a>,
) -> Fact<'a> {
    let def = ds.ontology().relations.get(&r.kind);
    Fact {
        from: &from.id,
        to: &to.id,
        kind: &r.kind,
        label: def.map_or(&r.kind, |d| &d.label),
        inverse: def.map_or(&r.kind, |d| &d.inverse),
        role: r.role.as_deref(),
        // From the definition found above; an undeclared role as written.
        role_label: r
            .role
            .as_deref()
            .map(|x| def.and_then(|d| d.role_label(x)).unwrap_or(x)),
        identity: def.is_some_and(|d| d.identity),
        date: r.date.as_ref(),
        summary: r.summary.as_deref(),
        claimed_by: r.claimed_by.as_deref(),
        reported_in: match &r.claimed_by {
            Some(voice) => super::claims::witnesses_of(ds, r, voice, voices),
            None => Vec::new(),
        },
        stance: r.stance,
        citations,
        relation: r,
    }
}

/// Citation numbers handed out from the dataset's table of distinct
/// citations ([`Dataset::cited`]): numbering an answer is a pass over
/// arrays of small integers, with no string hashed or compared.
pub(crate) struct Numbering {
    /// The number of each distinct citation of the dataset, 0 for none yet.
    number: Vec<u32>,
    /// The distinct citation behind each number, in order.
    order: Vec<u32>,
}

impl Numbering {
    pub fn new(cited: &Cited) -> Numbering {
        Numbering {
            number: vec![0; cited.len()],
            order: Vec::new(),
        }
    }

    /// Numbers these citations (an item's, [`Cited::of`]) not numbered yet.
    pub fn number(&mut self, ids: &[u32]) {
        for &c in ids {
            let slot = &mut self.number[c as usize];
            if *slot == 0 {
                self.order.push(c);
                *slot = u32::try_from(self.order.len()).expect("fewer than 2^32 citations");
            }
        }
    }

    /// The number of each distinct citation (0 for none), and the distinct
    /// citation behind each number.
    pub fn into_parts(self) -> (Vec<u32>, Vec<u32>) {
        (self.number, self.order)
    }
}

/// The numbered citations of a [`super::Timeline`]. Numbered through the
/// dataset's table of distinct citations when the timeline may be long
/// (the whole dataset, or a range of dates), each [`NumberedSource`] is
/// then made when read, so that an answer citing half a million places
/// does not hold half a million of them; serialised as a list of
/// [`NumberedSource`].
pub struct NumberedSources<'a> {
    ds: &'a Dataset,
    list: Listed<'a>,
}

enum Listed<'a> {
    /// The distinct citation (of the dataset's table) behind each number.
    Table(Vec<u32>),
    /// The numbered citations themselves.
    Made(Vec<NumberedSource<'a>>),
}

impl<'a> NumberedSources<'a> {
    /// Citations numbered through the dataset's table ([`Numbering`]).
    pub(crate) fn from_table(ds: &'a Dataset, order: Vec<u32>) -> NumberedSources<'a> {
        NumberedSources {
            ds,
            list: Listed::Table(order),
        }
    }

    /// Citations numbered by [`Cites`].
    pub(crate) fn made(ds: &'a Dataset, list: Vec<NumberedSource<'a>>) -> NumberedSources<'a> {
        NumberedSources {
            ds,
            list: Listed::Made(list),
        }
    }

    /// How many citations are numbered.
    pub fn len(&self) -> usize {
        match &self.list {
            Listed::Table(order) => order.len(),
            Listed::Made(list) => list.len(),
        }
    }

    /// True when nothing is cited.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Citation number `n` (1-based), if there is one.
    pub fn get(&self, n: usize) -> Option<NumberedSource<'a>> {
        let i = n.checked_sub(1)?;
        match &self.list {
            Listed::Table(order) => Some(self.make(n, *order.get(i)?)),
            Listed::Made(list) => list.get(i).cloned(),
        }
    }

    /// The numbered citations, in order of their numbers.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = NumberedSource<'a>> + '_ {
        (0..self.len()).map(|i| self.get(i + 1).expect("a number in range"))
    }

    /// Each numbered citation as the dataset holds it, in order of its
    /// number: its source id, locator and quote, without the reference
    /// ([`NumberedSources::reference`]), so that a long list finds each
    /// source's once.
    pub(crate) fn citations(
        &self,
    ) -> impl Iterator<Item = (&'a str, &'a str, Option<&'a str>)> + '_ {
        self.citations_in(0..self.len())
    }

    /// [`NumberedSources::citations`] of the numbers `range.start + 1` to
    /// `range.end` (the positions `range` of the list).
    pub(crate) fn citations_in(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = (&'a str, &'a str, Option<&'a str>)> + '_ {
        let ds = self.ds;
        let (order, made): (&[u32], &[NumberedSource<'a>]) = match &self.list {
            Listed::Table(order) => (&order[range], &[]),
            Listed::Made(list) => (&[], &list[range]),
        };
        let cited = (!order.is_empty()).then(|| ds.cited());
        order
            .iter()
            .map(move |&id| {
                let c = cited.expect("a table").citation(ds, id);
                (c.source.as_str(), c.at.as_str(), c.quote.as_deref())
            })
            .chain(made.iter().map(|s| (s.source, s.at, s.quote)))
    }

    /// The reference of source `id`, as a [`NumberedSource`] of it has it.
    pub(crate) fn reference(&self, id: &'a str) -> &'a str {
        self.ds.reference_str(id).unwrap_or(id)
    }

    fn make(&self, n: usize, id: u32) -> NumberedSource<'a> {
        let ds = self.ds;
        let cited = ds.cited();
        let c = cited.citation(ds, id);
        NumberedSource {
            n,
            source: &c.source,
            at: &c.at,
            quote: c.quote.as_deref(),
            reference: ds.reference_str(&c.source).unwrap_or(&c.source),
        }
    }
}

impl Serialize for NumberedSources<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl std::fmt::Debug for NumberedSources<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// An entity as it appears in an answer.
#[derive(Debug, Clone, Serialize)]
pub struct Brief<'a> {
    /// Id.
    pub id: &'a str,
    /// Full name.
    pub name: &'a str,
    /// Short label (the name when there is none).
    pub label: &'a str,
    /// Kind.
    pub kind: &'a str,
    /// Side, if any.
    pub side: Option<&'a str>,
    /// Date, if any.
    pub date: Option<&'a Date>,
    /// Status, if any.
    pub status: Option<&'a str>,
    /// Whether the status marks something that never existed.
    pub hypothetical: bool,
    /// Numbers into the answer's `sources`.
    pub citations: Vec<usize>,
}

/// A relation as it appears in an answer, in the direction it was written.
#[derive(Debug, Clone, Serialize)]
pub struct Fact<'a> {
    /// Source entity id.
    pub from: &'a str,
    /// Target entity id.
    pub to: &'a str,
    /// Relation type.
    #[serde(rename = "type")]
    pub kind: &'a str,
    /// How it reads from `from` to `to`.
    pub label: &'a str,
    /// How it reads from `to` to `from`.
    pub inverse: &'a str,
    /// The capacity in which `from` stands to `to` (`co-chair`, `host`…).
    pub role: Option<&'a str>,
    /// The role's label, as the ontology declares it.
    pub role_label: Option<&'a str>,
    /// Whether it says its two ends are (probably) one thing.
    pub identity: bool,
    /// When it held.
    pub date: Option<&'a Date>,
    /// What is said.
    pub summary: Option<&'a str>,
    /// Who says so.
    pub claimed_by: Option<&'a str>,
    /// The documents that report the claim when its voice did not write
    /// them (Xi's words in Shen Yi's op-ed): the witnesses. Left out of
    /// JSON when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reported_in: Vec<&'a str>,
    /// What kind of statement it is.
    pub stance: Stance,
    /// Numbers into the answer's `sources`.
    pub citations: Vec<usize>,
    /// The relation itself, for code that needs more than the answer
    /// shows (diagrams): parallel relations between the same two entities
    /// stay distinct.
    #[serde(skip)]
    pub relation: &'a Relation,
}

/// Sorts by date (undated last), then by the given key.
pub(crate) fn by_date(a: Option<&Date>, b: Option<&Date>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.chronological(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}
