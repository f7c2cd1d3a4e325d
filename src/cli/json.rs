//! The JSON of a timeline, written by hand, in parts, on every core.
//!
//! A timeline of a whole dataset of 100,000 entities is 300 MB of
//! pretty-printed JSON; through `serde_json` it took twice as long as the
//! rest of the answer. This module writes the very bytes that
//! `serde_json::to_writer_pretty` writes for a [`Timeline`] (its
//! `Serialize` is the definition; a test holds the two equal on every
//! dataset of the tests), but each field's indentation and key in one copy,
//! each date written once per run of entries that share it, and the entries
//! and sources in parts that are written on several threads and then put
//! out in order, a few parts at a time: nothing holds the whole answer.
//!
//! Strings are escaped by `serde_json` itself, the one JSON escaper.

use std::io::{self, Write};
use std::ops::Range;

use rayon::prelude::*;

use super::text::decimal;
use crate::model::date::{Date, Limit};
use crate::query::cite::Voices;
use crate::query::{Brief, Dated, Entry, Fact, NumberedSource, Timeline};

/// Entries per part: about 1.3 MB of JSON each at 100k entities.
const ENTRY_PART: usize = 1024;
/// Numbered sources per part: about 1 MB.
const SOURCE_PART: usize = 4096;

/// Writes `t` as `serde_json::to_writer_pretty` does (no final newline).
pub(crate) fn timeline(w: &mut dyn Write, t: &Timeline) -> io::Result<()> {
    timeline_in(w, t, [ENTRY_PART, SOURCE_PART])
}

/// [`timeline`] in parts of `parts[0]` entries and `parts[1]` sources.
fn timeline_in(w: &mut dyn Write, t: &Timeline, parts: [usize; 2]) -> io::Result<()> {
    w.write_all(b"{\n  \"entries\": [")?;
    in_parts(w, t.entries.len(), parts[0], |out, range| {
        // Each entry's record found first, in a loop that does nothing
        // else: the entries are in date order, their records in id order,
        // so each is a cache miss or two, and here the processor waits for
        // many at once rather than for each in turn (so the sources below).
        let first = range.start;
        let mut dated: Vec<Dated> = Vec::with_capacity(range.len());
        // Their citations' numbers, one list after the other.
        let mut numbers: Vec<usize> = Vec::new();
        let mut ends: Vec<usize> = Vec::with_capacity(range.len());
        for d in t.entries.read(range) {
            numbers.extend(d.citations());
            ends.push(numbers.len());
            dated.push(d);
        }
        let mut voices = Voices::default();
        let mut dates = Dates::default();
        let mut from = 0;
        for (i, (d, &end)) in dated.iter().zip(&ends).enumerate() {
            item_start(out, first + i);
            // The answer's entry, without the list of its citations'
            // numbers, which are written from those found above.
            let e = d.answer(Vec::new(), &mut voices);
            self::entry(out, &e, numbers[from..end].iter().copied(), &mut dates);
            from = end;
        }
    })?;
    w.write_all(if t.entries.is_empty() {
        b"],\n  \"sources\": ["
    } else {
        b"\n  ],\n  \"sources\": ["
    })?;
    in_parts(w, t.sources.len(), parts[1], |out, range| {
        let first = range.start;
        let cited: Vec<_> = t
            .sources
            .citations_in(range)
            .map(|(source, at, quote)| (source, at, quote, t.sources.reference(source)))
            .collect();
        for (i, (source, at, quote, reference)) in cited.into_iter().enumerate() {
            item_start(out, first + i);
            self::source(
                out,
                &NumberedSource {
                    n: first + i + 1,
                    source,
                    at,
                    quote,
                    reference,
                },
            );
        }
    })?;
    w.write_all(if t.sources.is_empty() {
        b"]\n}"
    } else {
        b"\n  ]\n}"
    })
}

/// Writes `n` items in parts of `part`, each part made by `make` (into an
/// empty buffer) on one of rayon's threads, the parts written out in order.
/// While one round of parts is written, the next is made; at most two
/// rounds of buffers are held, and reused.
fn in_parts(
    w: &mut dyn Write,
    n: usize,
    part: usize,
    make: impl Fn(&mut Vec<u8>, Range<usize>) + Sync,
) -> io::Result<()> {
    let per_round = 2 * rayon::current_num_threads();
    let rounds = n.div_ceil(part * per_round);
    let round = |r: usize| {
        let start = r * part * per_round;
        (0..per_round)
            .map(move |k| start + k * part..(start + (k + 1) * part).min(n))
            .filter(|p| !p.is_empty())
    };
    let fill = |bufs: &mut Vec<Vec<u8>>, r: usize| {
        let parts: Vec<Range<usize>> = round(r).collect();
        bufs.resize_with(parts.len().max(bufs.len()), Vec::new);
        bufs.truncate(parts.len());
        bufs.par_iter_mut().zip(parts).for_each(|(buf, p)| {
            buf.clear();
            make(buf, p);
        });
    };
    let (mut ready, mut next) = (Vec::new(), Vec::new());
    if rounds > 0 {
        fill(&mut ready, 0);
    }
    for r in 0..rounds {
        // In place: the output (standard output's lock) stays on this
        // thread, while the next round is made on rayon's.
        rayon::in_place_scope(|s| {
            if r + 1 < rounds {
                s.spawn(|_| fill(&mut next, r + 1));
            }
            ready.iter().try_for_each(|b| w.write_all(b))
        })?;
        std::mem::swap(&mut ready, &mut next);
    }
    Ok(())
}

/// What comes before item `i` of a list: a comma after the one before it,
/// then its line and indentation (items of the top object's lists are at
/// depth 2).
fn item_start(out: &mut Vec<u8>, i: usize) {
    out.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
}

/// Indentation of every depth a timeline reaches, and more.
const INDENT: &[u8; 24] = b"                        ";

/// A key of an object's fields at `depth`, after another field (`first`
/// false) or as the first.
fn key(out: &mut Vec<u8>, depth: usize, first: bool, name: &str) {
    if !first {
        out.push(b',');
    }
    out.push(b'\n');
    out.extend_from_slice(&INDENT[..2 * depth]);
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\": ");
}

/// The end of an object (or list) whose items are at `depth`.
fn close(out: &mut Vec<u8>, depth: usize, bracket: u8) {
    out.push(b'\n');
    out.extend_from_slice(&INDENT[..2 * (depth - 1)]);
    out.push(bracket);
}

/// A string as JSON. Most need no escaping, which is found a block of
/// bytes at a time; the others are escaped by `serde_json`.
fn string(out: &mut Vec<u8>, s: &str) {
    let plain = s.bytes().fold(true, |plain, b| {
        plain & (b >= 0x20) & (b != b'"') & (b != b'\\')
    });
    if plain {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        serde_json::to_writer(&mut *out, s).expect("writing to memory cannot fail");
    }
}

fn optional(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

fn numbers(out: &mut Vec<u8>, depth: usize, list: impl ExactSizeIterator<Item = usize>) {
    if list.len() == 0 {
        out.extend_from_slice(b"[]");
        return;
    }
    out.push(b'[');
    for (i, n) in list.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'\n');
        out.extend_from_slice(&INDENT[..2 * depth]);
        decimal(out, n);
    }
    close(out, depth, b']');
}

/// The last date written, as it reads at the depths an entry writes it
/// (its own and its entity's or relation's): a timeline is in date order,
/// so runs of entries share one.
#[derive(Default)]
struct Dates<'a> {
    last: Option<&'a Date>,
    /// As the value of a field at depth 3, then at depth 4.
    written: [Vec<u8>; 2],
}

impl<'a> Dates<'a> {
    /// Writes `date` as the value of a field at `depth` (3 or 4).
    fn write(&mut self, out: &mut Vec<u8>, depth: usize, date: &'a Date) {
        // The entry's date and its entity's or relation's are one.
        if !self
            .last
            .is_some_and(|last| std::ptr::eq(last, date) || last == date)
        {
            for (buf, d) in self.written.iter_mut().zip([3, 4]) {
                buf.clear();
                self::date(buf, d + 1, date);
            }
            self.last = Some(date);
        }
        out.extend_from_slice(&self.written[depth - 3]);
    }
}

/// A date whose fields are at `depth`, as `Date`'s `Serialize` writes it.
fn date(out: &mut Vec<u8>, depth: usize, d: &Date) {
    out.push(b'{');
    key(out, depth, true, "edtf");
    string(out, d.as_str());
    key(out, depth, false, "human");
    string(out, d.human());
    for (name, window) in [("start", d.start()), ("end", d.end())] {
        key(out, depth, false, name);
        out.push(b'{');
        key(out, depth + 1, true, "earliest");
        limit(out, window.earliest);
        key(out, depth + 1, false, "latest");
        limit(out, window.latest);
        close(out, depth + 1, b'}');
    }
    for (name, on) in [
        ("approximate", d.is_approximate()),
        ("uncertain", d.is_uncertain()),
        ("open_end", d.is_open_ended()),
        ("unknown_end", d.has_unknown_end()),
    ] {
        key(out, depth, false, name);
        boolean(out, on);
    }
    close(out, depth, b'}');
}

fn limit(out: &mut Vec<u8>, l: Limit) {
    match l {
        Limit::Past => out.extend_from_slice(b"\"-infinity\""),
        Limit::Future => out.extend_from_slice(b"\"+infinity\""),
        Limit::Day(day) => {
            out.push(b'"');
            out.extend_from_slice(day.iso().as_bytes());
            out.push(b'"');
        }
    }
}

/// An entry of the list (at depth 2), its fields at depth 3, with these
/// citation numbers in place of its own.
fn entry<'a>(
    out: &mut Vec<u8>,
    e: &Entry<'a>,
    citations: impl ExactSizeIterator<Item = usize>,
    dates: &mut Dates<'a>,
) {
    out.push(b'{');
    key(out, 3, true, "type");
    match e {
        Entry::Entity { date, entity } => {
            out.extend_from_slice(b"\"entity\"");
            key(out, 3, false, "date");
            dates.write(out, 3, date);
            key(out, 3, false, "entity");
            brief(out, entity, citations, dates);
        }
        Entry::Relation { date, fact } => {
            out.extend_from_slice(b"\"relation\"");
            key(out, 3, false, "date");
            dates.write(out, 3, date);
            key(out, 3, false, "fact");
            self::fact(out, fact, citations, dates);
        }
    }
    close(out, 3, b'}');
}

/// An entity in brief, its fields at depth 4.
fn brief<'a>(
    out: &mut Vec<u8>,
    b: &Brief<'a>,
    citations: impl ExactSizeIterator<Item = usize>,
    dates: &mut Dates<'a>,
) {
    out.push(b'{');
    key(out, 4, true, "id");
    string(out, b.id);
    for (name, value) in [("name", b.name), ("label", b.label), ("kind", b.kind)] {
        key(out, 4, false, name);
        string(out, value);
    }
    key(out, 4, false, "side");
    optional(out, b.side);
    key(out, 4, false, "date");
    match b.date {
        Some(d) => dates.write(out, 4, d),
        None => out.extend_from_slice(b"null"),
    }
    key(out, 4, false, "status");
    optional(out, b.status);
    key(out, 4, false, "hypothetical");
    boolean(out, b.hypothetical);
    key(out, 4, false, "citations");
    numbers(out, 5, citations);
    close(out, 4, b'}');
}

/// A relation as a fact, its fields at depth 4.
fn fact<'a>(
    out: &mut Vec<u8>,
    f: &Fact<'a>,
    citations: impl ExactSizeIterator<Item = usize>,
    dates: &mut Dates<'a>,
) {
    out.push(b'{');
    key(out, 4, true, "from");
    string(out, f.from);
    for (name, value) in [
        ("to", f.to),
        ("type", f.kind),
        ("label", f.label),
        ("inverse", f.inverse),
    ] {
        key(out, 4, false, name);
        string(out, value);
    }
    key(out, 4, false, "role");
    optional(out, f.role);
    key(out, 4, false, "role_label");
    optional(out, f.role_label);
    key(out, 4, false, "identity");
    boolean(out, f.identity);
    key(out, 4, false, "date");
    match f.date {
        Some(d) => dates.write(out, 4, d),
        None => out.extend_from_slice(b"null"),
    }
    key(out, 4, false, "summary");
    optional(out, f.summary);
    key(out, 4, false, "claimed_by");
    optional(out, f.claimed_by);
    if !f.reported_in.is_empty() {
        key(out, 4, false, "reported_in");
        out.push(b'[');
        for (i, id) in f.reported_in.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'\n');
            out.extend_from_slice(&INDENT[..2 * 5]);
            string(out, id);
        }
        close(out, 5, b']');
    }
    key(out, 4, false, "stance");
    string(out, f.stance.as_str());
    key(out, 4, false, "citations");
    numbers(out, 5, citations);
    close(out, 4, b'}');
}

/// A numbered source of the list (at depth 2), its fields at depth 3.
fn source(out: &mut Vec<u8>, s: &NumberedSource) {
    out.push(b'{');
    key(out, 3, true, "n");
    decimal(out, s.n);
    key(out, 3, false, "source");
    string(out, s.source);
    key(out, 3, false, "at");
    string(out, s.at);
    key(out, 3, false, "quote");
    optional(out, s.quote);
    key(out, 3, false, "reference");
    string(out, s.reference);
    close(out, 3, b'}');
}

#[cfg(test)]
mod tests {
    use super::super::args::TimelineArgs;
    use super::*;
    use proptest::prelude::*;

    fn escaped(s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        string(&mut out, s);
        out
    }

    /// Every character that JSON escapes, or might: alone, and among
    /// others.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let chars = (0u8..=0x7f)
            .map(char::from)
            .chain(['é', '\u{2014}', '\u{2028}', '\u{feff}', '😀']);
        for c in chars {
            for s in [c.to_string(), format!("a{c}b"), format!("{c}{c} x")] {
                assert_eq!(escaped(&s), serde_json::to_vec(&s).unwrap(), "{s:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(s in any::<String>()) {
            prop_assert_eq!(escaped(&s), serde_json::to_vec(&s).unwrap());
        }
    }

    /// The bytes are those of the timeline's `Serialize` through
    /// `serde_json`'s pretty printer, for whole timelines and parts of
    /// them, written in parts of every size down to one item.
    #[test]
    fn a_timeline_is_written_as_serde_json_writes_it() {
        let date = |s: &str| Some(crate::model::date::Date::parse(s).unwrap());
        // The arguments of `detente timeline`, as the command line reads
        // them.
        let args = |from, to, about| TimelineArgs {
            from,
            to,
            kinds: Vec::new(),
            about,
        };
        for dir in ["tests/fixtures/cli", "tests/fixtures/hostile", "data"] {
            let files = crate::load::read_dir(std::path::Path::new(dir)).unwrap();
            let ds = crate::load::load(&files).unwrap();
            let about = ds.entities().nth(3).map(|e| e.id.to_string());
            let options = [
                args(None, None, None),
                args(date("2016"), date("2018-06"), None),
                args(None, None, about),
                // Nothing at all.
                args(date("3000"), None, None),
            ];
            for opts in options {
                let settings = opts.settings(&ds, &[]).unwrap();
                let t = crate::query::timeline(&ds, &settings).unwrap();
                let expected = serde_json::to_vec_pretty(&t).unwrap();
                for parts in [[ENTRY_PART, SOURCE_PART], [1, 1], [3, 2], [7, 5]] {
                    let mut got = Vec::new();
                    timeline_in(&mut got, &t, parts).unwrap();
                    assert!(got == expected, "{dir}, {opts:?}, parts {parts:?}");
                }
            }
        }
    }

    /// The first write that fails ends the answer, with its error.
    #[test]
    fn a_failed_write_ends_it() {
        struct Failing(usize);
        impl Write for Failing {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0 += 1;
                if self.0 > 3 {
                    return Err(io::ErrorKind::BrokenPipe.into());
                }
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let files = crate::load::read_dir(std::path::Path::new("data")).unwrap();
        let ds = crate::load::load(&files).unwrap();
        let whole = TimelineArgs {
            from: None,
            to: None,
            kinds: Vec::new(),
            about: None,
        };
        let t = crate::query::timeline(&ds, &whole.settings(&ds, &[]).unwrap()).unwrap();
        let mut w = Failing(0);
        let e = timeline_in(&mut w, &t, [1, 1]).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::BrokenPipe);
        assert_eq!(w.0, 4, "nothing written after the failure");
    }
}
