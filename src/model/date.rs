//! Dates as historians write them: EDTF, parsed by `edtf-core`, behind a type
//! of our own that knows the earliest and latest possible day of a thing's
//! start and of its end.
//!
//! This module owns the date semantics every query relies on; it must not
//! know about entities or the graph.
//!
//! # Semantics
//!
//! Every date denotes a span with a start and an end, and each end lies
//! somewhere in a window of possible days:
//!
//! - a single date (`2017`, `2017-10`, `2017-10-04`) is something that
//!   happened within that period: both its start and its end lie inside the
//!   period's bounds, so `2017` is *possibly* true of any day in 2017 and
//!   *definitely* true of none, while `2017-10-04` is definitely true of that
//!   day;
//! - an interval `A/B` starts somewhere in `A` and ends somewhere in `B`;
//!   `A/..` is still going (open), `A/` has an unknown end, `../B` reaches
//!   back indefinitely;
//! - `~` (approximate) and `?` (uncertain) widen the window of the endpoint
//!   they qualify by one unit of its precision on each side: `2018~` may be
//!   any day from 2017-01-01 to 2019-12-31. edtf-core leaves bounds
//!   unchanged by qualifiers; we widen so that "definitely" never rests on a
//!   value its author marked as a guess.

use std::cmp::Ordering;
use std::fmt;

use compact_str::CompactString;
use edtf_core::{Bound, BoundDate, Edtf, IntervalEndpoint, Precision, SetElement, SetKind};
use serde::{Deserialize, Serialize};

/// A calendar day, counted from 1970-01-01 (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

impl Day {
    /// The day with this year, month (1–12) and day of month (1–31).
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Day {
        // Howard Hinnant's days_from_civil.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn since_epoch(self) -> i64 {
        self.0
    }

    /// Year, month and day of month.
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, u32::try_from(m).unwrap_or(1), d)
    }
}

impl Day {
    /// The day as ISO 8601 text (`2017-10-04`, `-0044-03-15`), written
    /// into a buffer on the stack: JSON answers write hundreds of
    /// thousands of days, and formatting each through `fmt` into a new
    /// string took a fifth of a whole-dataset timeline's time.
    pub(crate) fn iso(self) -> IsoDay {
        let (y, m, d) = self.ymd();
        let mut out = IsoDay {
            bytes: [0; ISO_MAX],
            len: 0,
        };
        let mut push = |b: u8| {
            out.bytes[out.len] = b;
            out.len += 1;
        };
        if y < 0 {
            push(b'-');
        }
        // At least four digits for the year, as many more as it has.
        let mut year = y.unsigned_abs();
        let mut digits = [b'0'; 20];
        let mut first = digits.len();
        while year > 0 {
            first -= 1;
            digits[first] = b'0' + (year % 10) as u8;
            year /= 10;
        }
        for &b in &digits[first.min(digits.len() - 4)..] {
            push(b);
        }
        for (sep, n) in [(b'-', m), (b'-', d)] {
            push(sep);
            push(b'0' + (n / 10) as u8);
            push(b'0' + (n % 10) as u8);
        }
        out
    }
}

/// The longest ISO day [`Day::iso`] writes: a sign, a year of up to 20
/// digits (any `i64`; a date's are bounded by [`MAX_YEAR`]), a month and a
/// day.
const ISO_MAX: usize = 1 + 20 + 3 + 3;

/// A day as ISO 8601 text, held on the stack ([`Day::iso`]).
pub(crate) struct IsoDay {
    bytes: [u8; ISO_MAX],
    len: usize,
}

impl IsoDay {
    /// The text's bytes, without checking them again.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl std::ops::Deref for IsoDay {
    type Target = str;

    fn deref(&self) -> &str {
        // Only ASCII digits and dashes are written.
        std::str::from_utf8(&self.bytes[..self.len]).expect("ASCII")
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// A point on the time axis that may be unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Limit {
    /// Before every day.
    Past,
    /// A calendar day.
    Day(Day),
    /// After every day.
    Future,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Past => f.write_str(".."),
            Limit::Day(d) => d.fmt(f),
            Limit::Future => f.write_str(".."),
        }
    }
}

impl Serialize for Limit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Limit::Day(d) => s.serialize_str(&d.iso()),
            Limit::Past => s.serialize_str("-infinity"),
            Limit::Future => s.serialize_str("+infinity"),
        }
    }
}

/// The days on which one end of a span may fall, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// The earliest possible day.
    pub earliest: Limit,
    /// The latest possible day.
    pub latest: Limit,
}

/// Why a text is not a date we accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// Not EDTF, or no such calendar day.
    #[error("{message} (at character {offset})")]
    Invalid {
        /// edtf-core's reason.
        message: String,
        /// 1-based character where the problem was found.
        offset: usize,
    },
    /// The interval ends before it can have started.
    #[error("the end `{end}` is before the start `{start}`")]
    EndBeforeStart {
        /// The written start.
        start: String,
        /// The written end.
        end: String,
    },
    /// A year so large or an expression so exotic that no day can be named.
    #[error("years beyond ±{MAX_YEAR} are not supported")]
    Unbounded,
}

/// An EDTF date with the windows in which its start and end can lie.
///
/// Kept small: a dataset holds hundreds of thousands of dates. The written
/// text and the reader's rendering share one string (held inline, with no
/// allocation, when they are short, as most are), the four limits are days
/// in an `i32` (years are bounded by `MAX_YEAR`), and the marks are bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date {
    /// The EDTF text as written, then the reader's rendering.
    texts: CompactString,
    /// Where the rendering starts in `texts`.
    split: u32,
    /// Earliest and latest start, earliest and latest end (see [`packed`]).
    limits: [i32; 4],
    /// [`APPROXIMATE`], [`UNCERTAIN`], [`OPEN_END`], [`UNKNOWN_END`], [`INTERVAL`].
    flags: u8,
}

const APPROXIMATE: u8 = 1;
const UNCERTAIN: u8 = 2;
const OPEN_END: u8 = 4;
const UNKNOWN_END: u8 = 8;
const INTERVAL: u8 = 16;

/// A limit as one `i32`: the days since the epoch, with the two ends of
/// time as the extremes no day within [`MAX_YEAR`] can reach.
fn packed(l: Limit) -> i32 {
    match l {
        Limit::Past => i32::MIN,
        Limit::Day(d) => i32::try_from(d.0).expect("days within MAX_YEAR fit an i32"),
        Limit::Future => i32::MAX,
    }
}

fn unpacked(n: i32) -> Limit {
    match n {
        i32::MIN => Limit::Past,
        i32::MAX => Limit::Future,
        d => Limit::Day(Day(i64::from(d))),
    }
}

/// [`Date::covers`] for a span given by its packed limits.
pub(crate) fn covers(limits: [i32; 4], other: &Date) -> Truth {
    // Packed limits order as the limits do.
    let (q0, q1) = (other.limits[0], other.limits[3]);
    let [se, sl, ee, el] = limits;
    if sl <= q0 && q1 <= ee {
        Truth::Definitely
    } else if se <= q1 && q0 <= el {
        Truth::Possibly
    } else {
        Truth::Not
    }
}

/// A limit packed as [`Date::packed_limits`] packs it.
pub(crate) fn packed_limit(l: Limit) -> i32 {
    packed(l)
}

/// Three-valued answer: is something true on a given date?
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Truth {
    /// True whatever the imprecise dates turn out to mean.
    Definitely,
    /// True under some readings of the dates, false under others.
    Possibly,
    /// False under every reading.
    Not,
}

impl Date {
    /// Parses an EDTF expression (levels 0–2) and computes its windows.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let edtf = Edtf::parse(text).map_err(|e| {
            // edtf-core refuses plainly reversed intervals itself; report them
            // the same way as the ones only our widened windows reveal.
            if e.message == "interval end precedes interval start" {
                let (s, end) = text.split_once('/').unwrap_or((text, ""));
                return DateError::EndBeforeStart {
                    start: s.to_string(),
                    end: end.to_string(),
                };
            }
            DateError::Invalid {
                message: e.message.to_string(),
                offset: text
                    .char_indices()
                    .take_while(|(i, _)| *i < e.offset)
                    .count()
                    + 1,
            }
        })?;
        let (start, end, open_end, unknown_end) = match &edtf {
            Edtf::Interval(iv) => {
                let start = endpoint_window(&iv.start, true)?;
                let end = endpoint_window(&iv.end, false)?;
                let (start, end) = match (&iv.start, &iv.end) {
                    // An unknown start can lie anywhere up to the end.
                    (IntervalEndpoint::Unknown, _) => (
                        Window {
                            earliest: Limit::Past,
                            latest: end.latest,
                        },
                        end,
                    ),
                    (_, IntervalEndpoint::Unknown) => (
                        start,
                        Window {
                            earliest: start.earliest,
                            latest: Limit::Future,
                        },
                    ),
                    _ => (start, end),
                };
                if end.latest < start.earliest {
                    let (s, e) = text.split_once('/').unwrap_or((text, ""));
                    return Err(DateError::EndBeforeStart {
                        start: s.to_string(),
                        end: e.to_string(),
                    });
                }
                (
                    start,
                    end,
                    matches!(iv.end, IntervalEndpoint::Open),
                    matches!(iv.end, IntervalEndpoint::Unknown),
                )
            }
            Edtf::Date(d) => {
                let w = widen(bounds_window(edtf.bounds())?, d);
                (w, w, false, false)
            }
            Edtf::DateTime(dt) => {
                let w = widen(bounds_window(edtf.bounds())?, &dt.date);
                (w, w, false, false)
            }
            // A set spans from its earliest to its latest member, each
            // member widened by its own qualifiers.
            Edtf::Set(set) => {
                let w = set_window(set)?;
                (w, w, false, false)
            }
        };
        let mark = |on: bool, flag: u8| if on { flag } else { 0 };
        let flags = mark(edtf.is_approximate(), APPROXIMATE)
            | mark(edtf.is_uncertain(), UNCERTAIN)
            | mark(open_end, OPEN_END)
            | mark(unknown_end, UNKNOWN_END)
            | mark(matches!(edtf, Edtf::Interval(_)), INTERVAL);
        Ok(Date {
            texts: CompactString::from([text, &humanize(&edtf)].concat()),
            split: text.len() as u32,
            limits: [start.earliest, start.latest, end.earliest, end.latest].map(packed),
            flags,
        })
    }

    /// The EDTF text as written.
    pub fn as_str(&self) -> &str {
        &self.texts[..self.split as usize]
    }

    /// When it may have started.
    pub fn start(&self) -> Window {
        Window {
            earliest: unpacked(self.limits[0]),
            latest: unpacked(self.limits[1]),
        }
    }

    /// When it may have ended.
    pub fn end(&self) -> Window {
        Window {
            earliest: unpacked(self.limits[2]),
            latest: unpacked(self.limits[3]),
        }
    }

    /// Some part is marked approximate (`~` or `%`).
    pub fn is_approximate(&self) -> bool {
        self.flags & APPROXIMATE != 0
    }

    /// Some part is marked uncertain (`?` or `%`).
    pub fn is_uncertain(&self) -> bool {
        self.flags & UNCERTAIN != 0
    }

    /// The interval is still going (`2017/..`).
    pub fn is_open_ended(&self) -> bool {
        self.flags & OPEN_END != 0
    }

    /// The interval's end is not known (`2017/`).
    pub fn has_unknown_end(&self) -> bool {
        self.flags & UNKNOWN_END != 0
    }

    /// A span from a start to an end (`A/B`), rather than a date or a set of
    /// dates at which something happened.
    pub fn is_interval(&self) -> bool {
        self.flags & INTERVAL != 0
    }

    /// A reader's rendering, e.g. `Apr 2017 – c. 2018`.
    pub fn human(&self) -> &str {
        &self.texts[self.split as usize..]
    }

    /// Whether the thing dated was in existence throughout `other`:
    /// definitely when every possible day of `other` lies inside every
    /// possible reading of this span; possibly when some reading overlaps.
    pub fn covers(&self, other: &Date) -> Truth {
        covers(self.limits, other)
    }

    /// The four limits packed ([`Date::start`], then [`Date::end`]), which
    /// order as the limits do: what tables kept beside the graph compare
    /// without reaching the date itself.
    pub(crate) fn packed_limits(&self) -> [i32; 4] {
        self.limits
    }

    /// Chronological order: by earliest start, then latest start, then end;
    /// the text breaks remaining ties so the order is total. `2017` sorts
    /// before `2017-10-04`, which sorts before `2017-10-05`.
    pub fn chronological(&self, other: &Date) -> Ordering {
        self.limits
            .cmp(&other.limits)
            .then_with(|| self.as_str().cmp(other.as_str()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The compact form of a date in binary formats (the cache): every field,
/// so reading it back needs no EDTF parsing; the texts are borrowed from
/// the bytes read.
type Compact<'a> = (&'a str, u32, [i32; 4], u8);

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        if !s.is_human_readable() {
            return (self.texts.as_str(), self.split, self.limits, self.flags).serialize(s);
        }
        let mut st = s.serialize_struct("Date", 8)?;
        st.serialize_field("edtf", self.as_str())?;
        st.serialize_field("human", self.human())?;
        st.serialize_field("start", &self.start())?;
        st.serialize_field("end", &self.end())?;
        st.serialize_field("approximate", &self.is_approximate())?;
        st.serialize_field("uncertain", &self.is_uncertain())?;
        st.serialize_field("open_end", &self.is_open_ended())?;
        st.serialize_field("unknown_end", &self.has_unknown_end())?;
        st.end()
    }
}

/// Binary formats read the compact form back as it was written; readable
/// ones (JSON) read the `edtf` field and parse it, so a date cannot be
/// smuggled in with windows that contradict its text.
impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        if !d.is_human_readable() {
            let (texts, split, limits, flags) = Compact::deserialize(d)?;
            if !texts.is_char_boundary(split as usize) {
                return Err(serde::de::Error::custom(
                    "a date's texts split inside a character",
                ));
            }
            return Ok(Date {
                texts: CompactString::from(texts),
                split,
                limits,
                flags,
            });
        }
        #[derive(Deserialize)]
        struct Written {
            edtf: String,
        }
        let w = Written::deserialize(d)?;
        Date::parse(&w.edtf).map_err(serde::de::Error::custom)
    }
}

/// The largest year, either side of year 0, that detente computes with:
/// far beyond any diplomatic record, and far below where day arithmetic on
/// `i64` could overflow.
pub const MAX_YEAR: i64 = 999_999;

fn limit(b: Bound) -> Result<Limit, DateError> {
    match b {
        Bound::NegativeInfinity => Ok(Limit::Past),
        Bound::PositiveInfinity => Ok(Limit::Future),
        Bound::Date(d) if d.year.abs() <= MAX_YEAR => Ok(Limit::Day(day(d))),
        Bound::Date(_) | Bound::Unknown => Err(DateError::Unbounded),
    }
}

fn day(d: BoundDate) -> Day {
    Day::from_ymd(d.year, u32::from(d.month), u32::from(d.day))
}

fn bounds_window(b: edtf_core::Bounds) -> Result<Window, DateError> {
    Ok(Window {
        earliest: limit(b.earliest)?,
        latest: limit(b.latest)?,
    })
}

fn endpoint_window(ep: &IntervalEndpoint, is_start: bool) -> Result<Window, DateError> {
    let bounds_of = |d: &edtf_core::Date| -> Result<Window, DateError> {
        Ok(widen(bounds_window(Edtf::Date(*d).bounds())?, d))
    };
    Ok(match ep {
        IntervalEndpoint::Date(d) => bounds_of(d)?,
        IntervalEndpoint::OnOrBefore(d) => Window {
            earliest: Limit::Past,
            latest: bounds_of(d)?.latest,
        },
        IntervalEndpoint::OnOrAfter(d) => Window {
            earliest: bounds_of(d)?.earliest,
            latest: Limit::Future,
        },
        IntervalEndpoint::Open if is_start => Window {
            earliest: Limit::Past,
            latest: Limit::Past,
        },
        IntervalEndpoint::Open => Window {
            earliest: Limit::Future,
            latest: Limit::Future,
        },
        // Replaced by the caller, which knows the other end.
        IntervalEndpoint::Unknown => Window {
            earliest: Limit::Past,
            latest: Limit::Future,
        },
    })
}

fn set_window(set: &edtf_core::Set) -> Result<Window, DateError> {
    let mut out: Option<Window> = None;
    for e in &set.elements {
        let w = match e {
            SetElement::Date(d) => widen(bounds_window(Edtf::Date(*d).bounds())?, d),
            SetElement::OnOrBefore(d) => Window {
                earliest: Limit::Past,
                latest: widen(bounds_window(Edtf::Date(*d).bounds())?, d).latest,
            },
            SetElement::OnOrAfter(d) => Window {
                earliest: widen(bounds_window(Edtf::Date(*d).bounds())?, d).earliest,
                latest: Limit::Future,
            },
            SetElement::Range(a, b) => Window {
                earliest: bounds_window(Edtf::Date(*a).bounds())?.earliest,
                latest: bounds_window(Edtf::Date(*b).bounds())?.latest,
            },
        };
        out = Some(match out {
            None => w,
            Some(o) => Window {
                earliest: o.earliest.min(w.earliest),
                latest: o.latest.max(w.latest),
            },
        });
    }
    out.ok_or(DateError::Unbounded)
}

/// How many months a qualifier widens a date by, on each side; 0 means one
/// day. A qualifier on the whole date (`2017-10~`) widens by its precision;
/// a qualifier on one part (`?2017-10-01`, the year in doubt) widens by that
/// part, the coarsest such part when there are several.
fn widening(d: &edtf_core::Date) -> Option<i64> {
    let q = |x: edtf_core::Qualifier| x.is_qualified();
    let year = q(d.year.qualifier);
    let month = d.month.map(|m| q(m.qualifier));
    let day = d.day.map(|x| q(x.qualifier));
    let whole = year && month.unwrap_or(true) && day.unwrap_or(true);
    let precision = match d.precision() {
        Precision::Year => 12,
        Precision::Season => 3,
        Precision::Month => 1,
        Precision::Day => 0,
    };
    if whole {
        Some(precision)
    } else if year {
        Some(12)
    } else if month == Some(true) {
        Some(if d.precision() == Precision::Season {
            3
        } else {
            1
        })
    } else if day == Some(true) {
        Some(0)
    } else {
        None
    }
}

/// Widens a qualified date by one unit of what is qualified, on each side.
fn widen(w: Window, d: &edtf_core::Date) -> Window {
    let Some(months) = widening(d) else {
        return w;
    };
    let day_precise = d.precision() == Precision::Day;
    let shift = |l: Limit, forward: bool| -> Limit {
        let Limit::Day(day) = l else { return l };
        if months == 0 {
            return Limit::Day(Day(day.0 + if forward { 1 } else { -1 }));
        }
        let (y, m, dd) = day.ymd();
        let total = y * 12 + i64::from(m) - 1 + if forward { months } else { -months };
        let (ny, nm) = (
            total.div_euclid(12),
            u32::try_from(total.rem_euclid(12)).unwrap_or(0) + 1,
        );
        // A day keeps its day of the month; a month or year keeps running
        // from the first day to the last.
        let last = days_in_month(ny, nm);
        let nd = if day_precise {
            dd.min(last)
        } else if forward {
            last
        } else {
            1
        };
        Limit::Day(Day::from_ymd(ny, nm, nd))
    };
    Window {
        earliest: shift(w.earliest, false),
        latest: shift(w.latest, true),
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2017-04/2018~` → `Apr 2017 – c. 2018`; `2014?` → `2014?`.
fn humanize(edtf: &Edtf) -> String {
    match edtf {
        Edtf::Date(d) => human_date(d),
        Edtf::DateTime(dt) => human_date(&dt.date),
        Edtf::Interval(iv) => {
            let side = |ep: &IntervalEndpoint, start: bool| match ep {
                IntervalEndpoint::Date(d) => human_date(d),
                IntervalEndpoint::OnOrBefore(d) => format!("by {}", human_date(d)),
                IntervalEndpoint::OnOrAfter(d) => format!("{} or later", human_date(d)),
                IntervalEndpoint::Open if start => "…".to_string(),
                IntervalEndpoint::Open => "ongoing".to_string(),
                IntervalEndpoint::Unknown => "?".to_string(),
            };
            format!("{} – {}", side(&iv.start, true), side(&iv.end, false))
        }
        Edtf::Set(set) => {
            let parts: Vec<String> = set
                .elements
                .iter()
                .map(|e| match e {
                    SetElement::Date(d) => human_date(d),
                    SetElement::OnOrBefore(d) => format!("{} or earlier", human_date(d)),
                    SetElement::OnOrAfter(d) => format!("{} or later", human_date(d)),
                    SetElement::Range(a, b) => format!("{} – {}", human_date(a), human_date(b)),
                })
                .collect();
            match (set.kind, parts.as_slice()) {
                (SetKind::OneMember, [one]) => format!("sometime {one}"),
                (SetKind::OneMember, _) => format!("one of {}", parts.join(", ")),
                (SetKind::AllMembers, _) => parts.join(", "),
            }
        }
    }
}

fn human_date(d: &edtf_core::Date) -> String {
    if d.has_unspecified() {
        // `201X` and friends read best as written.
        return Edtf::Date(*d).to_string();
    }
    let year = d
        .year
        .value()
        .map_or_else(|| "?".to_string(), |y| y.to_string());
    let month = d.month.and_then(|m| m.value());
    let dayn = d.day.and_then(|x| x.value());
    let body = match (month, dayn) {
        (Some(m @ 1..=12), Some(dd)) => format!("{dd} {} {year}", MONTHS[usize::from(m - 1)]),
        (Some(m @ 1..=12), None) => format!("{} {year}", MONTHS[usize::from(m - 1)]),
        (Some(m), _) => format!("{} {year}", season(m)),
        _ => year,
    };
    let approx = if d.is_approximate() { "c. " } else { "" };
    let doubt = if d.is_uncertain() { "?" } else { "" };
    format!("{approx}{body}{doubt}")
}

fn season(code: u8) -> &'static str {
    match code {
        21 | 25 | 29 => "Spring",
        22 | 26 | 30 => "Summer",
        23 | 27 | 31 => "Autumn",
        24 | 28 | 32 => "Winter",
        33..=36 => "Quarter",
        37..=39 => "Four-month period",
        _ => "Half-year",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn day(s: &str) -> Limit {
        let (y, rest) = s.split_at(4);
        let mut it = rest[1..].split('-');
        let m = it.next().unwrap().parse().unwrap();
        let dd = it.next().unwrap().parse().unwrap();
        Limit::Day(Day::from_ymd(y.parse().unwrap(), m, dd))
    }

    /// [`Day::iso`] writes what `format!` wrote before it, for any year.
    #[test]
    fn iso_days_are_written_as_format_wrote_them() {
        let formatted = |day: Day| {
            let (y, m, d) = day.ymd();
            if y < 0 {
                format!("-{:04}-{m:02}-{d:02}", -y)
            } else {
                format!("{y:04}-{m:02}-{d:02}")
            }
        };
        let mut days: Vec<i64> = (-800_000..800_000).step_by(7).collect();
        for y in [
            0,
            1,
            9,
            10,
            999,
            1000,
            9999,
            10_000,
            MAX_YEAR,
            10 * MAX_YEAR,
        ] {
            for sign in [-1, 1] {
                days.push(Day::from_ymd(sign * y, 2, 28).since_epoch());
                days.push(Day::from_ymd(sign * y, 12, 31).since_epoch());
            }
        }
        days.extend([i64::from(i32::MIN), i64::from(i32::MAX)]);
        for n in days {
            let day = Day(n);
            assert_eq!(&*day.iso(), formatted(day), "day {n}");
            assert_eq!(day.to_string(), formatted(day), "day {n}");
        }
    }

    #[test]
    fn day_arithmetic_round_trips() {
        for (y, m, dd) in [
            (1970, 1, 1),
            (2000, 2, 29),
            (1900, 3, 1),
            (-44, 3, 15),
            (2017, 12, 31),
        ] {
            assert_eq!(Day::from_ymd(y, m, dd).ymd(), (y, m, dd));
        }
        assert_eq!(Day::from_ymd(1970, 1, 1), Day(0));
    }

    #[test]
    fn level_0_and_1_forms_parse_with_windows() {
        let y = d("2017");
        assert_eq!(y.start().earliest, day("2017-01-01"));
        assert_eq!(y.end().latest, day("2017-12-31"));
        let m = d("2017-10");
        assert_eq!(m.end().latest, day("2017-10-31"));
        let iv = d("2017-10-03/2017-10-06");
        assert_eq!(iv.start().latest, day("2017-10-03"));
        assert_eq!(iv.end().earliest, day("2017-10-06"));
        let iv = d("2015-12/2016-12");
        assert_eq!(iv.start().earliest, day("2015-12-01"));
        assert_eq!(iv.end().latest, day("2016-12-31"));
        assert!(d("2018~").is_approximate());
        assert!(d("2014?").is_uncertain());
        let open = d("2017/..");
        assert!(open.is_open_ended());
        assert_eq!(open.end().earliest, Limit::Future);
    }

    #[test]
    fn qualifiers_widen_by_one_unit_of_precision() {
        let y = d("2018~");
        assert_eq!(y.start().earliest, day("2017-01-01"));
        assert_eq!(y.end().latest, day("2019-12-31"));
        let m = d("2017-12?");
        assert_eq!(m.start().earliest, day("2017-11-01"));
        assert_eq!(m.end().latest, day("2018-01-31"));
        let dd = d("2016-02-29~");
        assert_eq!(dd.start().earliest, day("2016-02-28"));
        assert_eq!(dd.end().latest, day("2016-03-01"));
    }

    #[test]
    fn a_qualifier_on_one_part_widens_by_that_part() {
        // The year is in doubt: a year either side, however precise the day.
        let y = d("?2017-10-01");
        assert_eq!(y.start().earliest, day("2016-10-01"));
        assert_eq!(y.end().latest, day("2018-10-01"));
        let y = d("2017?-10-04");
        assert_eq!(y.start().earliest, day("2016-10-04"));
        // Only the month: a month either side.
        let m = d("2017-?10-04");
        assert_eq!(m.start().earliest, day("2017-09-04"));
        assert_eq!(m.end().latest, day("2017-11-04"));
        // So a year in doubt never makes a day "definitely".
        assert_eq!(
            d("?2017-10-01/2017-12-31").covers(&d("2017-10-15")),
            Truth::Possibly
        );
    }

    #[test]
    fn sets_widen_each_member() {
        let s = d("[2015~,2017]");
        assert_eq!(s.start().earliest, day("2014-01-01"));
        assert_eq!(s.covers(&d("2014-06")), Truth::Possibly);
    }

    #[test]
    fn huge_years_are_refused_not_overflowed() {
        for s in [
            "Y99999999999999999",
            "Y92E17",
            "Y9E18",
            "Y1E18/..",
            "Y9223372036854775807",
            "Y-9223372036854775807",
        ] {
            assert_eq!(Date::parse(s), Err(DateError::Unbounded), "{s}");
        }
        assert!(Date::parse("Y170000").is_ok());
    }

    #[test]
    fn impossible_dates_and_reversed_intervals_are_refused() {
        assert!(matches!(
            Date::parse("2017-02-30"),
            Err(DateError::Invalid { .. })
        ));
        assert!(matches!(
            Date::parse("early 2018"),
            Err(DateError::Invalid { .. })
        ));
        assert!(matches!(
            Date::parse("2017-13"),
            Err(DateError::Invalid { .. })
        ));
        assert_eq!(
            Date::parse("2018/2017"),
            Err(DateError::EndBeforeStart {
                start: "2018".into(),
                end: "2017".into()
            })
        );
        // Overlapping imprecise ends are not reversed.
        assert!(Date::parse("2017/2017-03").is_ok());
    }

    #[test]
    fn coverage_is_three_valued_at_the_edges() {
        // Starts some day in April 2017; ends about 2019, i.e. 2018–2020.
        let span = d("2017-04/2019~");
        assert_eq!(span.covers(&d("2017-03-31")), Truth::Not);
        assert_eq!(span.covers(&d("2017-04-01")), Truth::Possibly);
        assert_eq!(span.covers(&d("2017-04-30")), Truth::Definitely);
        assert_eq!(span.covers(&d("2017-05")), Truth::Definitely);
        assert_eq!(span.covers(&d("2018-01-01")), Truth::Definitely);
        assert_eq!(span.covers(&d("2018-01-02")), Truth::Possibly);
        assert_eq!(span.covers(&d("2018")), Truth::Possibly);
        assert_eq!(span.covers(&d("2020-12-31")), Truth::Possibly);
        assert_eq!(span.covers(&d("2021-01-01")), Truth::Not);
        // "c. 2018" may mean 2017, so May 2017 is only possibly covered.
        assert_eq!(d("2017-04/2018~").covers(&d("2017-05-01")), Truth::Possibly);
        let point = d("2017-10-04");
        assert_eq!(point.covers(&d("2017-10-04")), Truth::Definitely);
        assert_eq!(point.covers(&d("2017-10")), Truth::Possibly);
        assert_eq!(d("2017/..").covers(&d("2030")), Truth::Definitely);
        assert_eq!(d("2017/").covers(&d("2030")), Truth::Possibly);
    }

    #[test]
    fn chronological_order_puts_coarse_before_fine() {
        let mut v = [d("2017-10-05"), d("2017-10-04"), d("2017"), d("2016~")];
        v.sort_by(Date::chronological);
        let got: Vec<&str> = v.iter().map(Date::as_str).collect();
        assert_eq!(got, ["2016~", "2017", "2017-10-04", "2017-10-05"]);
    }

    #[test]
    fn human_rendering() {
        assert_eq!(d("2017-04/2018~").human(), "Apr 2017 – c. 2018");
        assert_eq!(
            d("2017-10-03/2017-10-06").human(),
            "3 Oct 2017 – 6 Oct 2017"
        );
        assert_eq!(d("2014?").human(), "2014?");
        assert_eq!(d("2017/..").human(), "2017 – ongoing");
        assert_eq!(d("2017/").human(), "2017 – ?");
        assert_eq!(
            d("[2015-12..2016-12]").human(),
            "sometime Dec 2015 – Dec 2016"
        );
        assert_eq!(d("{2015,2017}").human(), "2015, 2017");
        assert_eq!(d("2016-23").human(), "Autumn 2016");
    }
}
