//! Answers as text for a terminal: aligned tables, wrapped summaries,
//! numbered sources. Pure functions from answers to bytes.

use std::io::Write;

use crate::model::entity::{Entity, Stance};
use crate::query::{Card, Found, NumberedSource, Summary};
use crate::Dataset;
use unicode_width::UnicodeWidthStr;

pub(super) use super::term::width;

/// Pads to a display width (CJK characters count double).
pub(super) fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Cuts to a display width, with an ellipsis when cut.
pub(super) fn cut(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if out.width() + c.to_string().width() + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Word-wraps to `width`, every line after the first indented by `indent`.
pub(super) fn wrap(s: &str, width: usize, indent: usize) -> String {
    // Each line's width is kept as words join it, not measured again for
    // every word (quadratic in a long quotation's words): a space between
    // two words adds 1 and ends any sequence whose width depends on what
    // follows, so widths add up across it (`wrap_measures_lines_as_before`).
    let mut lines = vec![String::new()];
    let mut line_width = 0;
    for word in s.split_whitespace() {
        let line = lines.last_mut().expect("never empty");
        let word_width = word.width();
        if !line.is_empty() && line_width + 1 + word_width > width {
            lines.push(word.to_string());
            line_width = word_width;
        } else {
            if !line.is_empty() {
                line.push(' ');
                line_width += 1;
            }
            line.push_str(word);
            line_width += word_width;
        }
    }
    lines.join(&format!("\n{}", " ".repeat(indent)))
}

/// A table: columns sized to their widest cell. Nothing is cut: a name
/// someone greps for must be there whole.
pub(super) fn table<R: AsRef<[C]>, C: AsRef<str>>(out: &mut Vec<u8>, header: &[&str], rows: &[R]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r.as_ref()) {
            *w = (*w).max(c.as_ref().width());
        }
    }
    // Each line made in one reused buffer, written without the trailing
    // blanks: a list of 100k entities made half a million strings here.
    let mut s = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        s.clear();
        for (c, w) in cells.zip(&widths) {
            s.push_str(c);
            for _ in c.width()..w + 2 {
                s.push(' ');
            }
        }
        out.extend_from_slice(s.trim_end().as_bytes());
        out.push(b'\n');
    };
    line(&mut header.iter().copied());
    for r in rows {
        line(&mut r.as_ref().iter().map(|c| c.as_ref()));
    }
}

pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(super) fn cites(ns: &[usize]) -> String {
    let mut ns = ns.to_vec();
    ns.sort_unstable();
    ns.iter().map(|n| format!("[{n}]")).collect()
}

/// [`cites`], written into `out`.
pub(super) fn numbers(out: &mut Vec<u8>, ns: &[usize]) {
    if ns.is_sorted() {
        ns.iter().for_each(|&n| number(out, n));
    } else {
        let mut ns = ns.to_vec();
        ns.sort_unstable();
        ns.iter().for_each(|&n| number(out, n));
    }
}

pub fn check(out: &mut Vec<u8>, ds: &Dataset, s: &Summary) {
    let o = ds.ontology();
    let _ = writeln!(
        out,
        "ok: {} is valid ({} file{}, no problems)\n",
        s.data,
        s.files,
        if s.files == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "{}", count(s.entities, "entity", "entities"));
    let rows: Vec<Vec<String>> = s
        .by_kind
        .iter()
        .map(|(k, n)| {
            vec![
                format!("  {k}"),
                format!("{n:>4}"),
                o.kinds.get(*k).map_or(String::new(), |d| d.plural.clone()),
            ]
        })
        .collect();
    table(out, &["  kind", "count", "label"], &rows);
    let _ = writeln!(out, "\n{}", count(s.relations, "relation", "relations"));
    let rows: Vec<Vec<String>> = s
        .by_type
        .iter()
        .map(|(k, n)| {
            let d = o.relations.get(*k);
            vec![
                format!("  {k}"),
                format!("{n:>4}"),
                d.map_or(String::new(), |d| {
                    format!(
                        "{} / {}{}",
                        d.label,
                        d.inverse,
                        if d.lineage { "  (lineage)" } else { "" }
                    )
                }),
            ]
        })
        .collect();
    table(out, &["  type", "count", "reads"], &rows);
    let _ = writeln!(
        out,
        "\n{}, cited {}",
        count(s.sources, "source", "sources"),
        count(s.citations, "time", "times")
    );
}

pub fn card(out: &mut Vec<u8>, ds: &Dataset, c: &Card) {
    let e = c.entity;
    let _ = writeln!(out, "{}", e.name);
    let mut also: Vec<String> = e.names.iter().map(|(l, n)| format!("{n} ({l})")).collect();
    also.extend(e.short.iter().map(|s| s.to_string()));
    also.extend(
        e.aliases
            .iter()
            .filter(|a| Some(*a) != e.short.as_ref())
            .map(|a| a.to_string()),
    );
    if !also.is_empty() {
        let _ = writeln!(out, "{}", wrap(&also.join(" · "), width(), 0));
    }
    let _ = writeln!(out, "{}", "─".repeat(e.name.width().clamp(20, width())));
    let field = |out: &mut Vec<u8>, k: &str, v: &str| {
        let _ = writeln!(out, "  {}{}", pad(k, 9), wrap(v, width() - 11, 11));
    };
    field(out, "id", &e.id);
    field(out, "kind", c.kind_label);
    if let Some(side) = c.side_label {
        field(out, "side", side);
    }
    if let Some(d) = &e.date {
        let what = if c.hypothetical { " (proposed)" } else { "" };
        let whose = whose(e.date_claim.as_ref(), &c.date_citations);
        field(
            out,
            "date",
            format!("{}{what}   [{}]{whose}", d.human(), d.as_str()).trim_end(),
        );
    }
    if let Some(status) = c.status_label {
        let whose = whose(e.status_claim.as_ref(), &c.status_citations);
        field(out, "status", format!("{status}{whose}").trim_end());
    }
    if let Some(place) = &e.place {
        field(out, "place", place);
    }
    if let Some(src) = &e.source {
        field(out, "record", &format!("source `{src}`"));
    }
    if let Some(summary) = &e.summary {
        field(
            out,
            "summary",
            &format!("{} {}", summary, cites(&c.citations)),
        );
    } else {
        field(out, "cited", &cites(&c.citations));
    }

    if !c.groups.is_empty() {
        let _ = writeln!(out, "\nRelations");
    }
    // One set of column widths for the whole card, so rows line up.
    let items = || c.groups.iter().flat_map(|g| &g.items);
    let label =
        |id: &str, name: &'_ str| -> String { cut(ds.entity(id).map_or(name, Entity::label), 44) };
    let idw = items().map(|i| i.id.width()).max().unwrap_or(0);
    let namew = items()
        .map(|i| label(i.id, i.name).width())
        .max()
        .unwrap_or(0);
    let datew = items()
        .map(|i| i.date.map_or(0, |d| d.human().width()))
        .max()
        .unwrap_or(0);
    for g in &c.groups {
        let arrow = if g.direction == "out" { "→" } else { "←" };
        let _ = writeln!(
            out,
            "  {}{}",
            g.label,
            if g.lineage { "  (lineage)" } else { "" }
        );
        for i in &g.items {
            let date = i.date.map(|d| d.human().to_string()).unwrap_or_default();
            let role = i
                .role_label
                .map(|r| format!("  as {r}"))
                .unwrap_or_default();
            let row = format!(
                "    {arrow} {}  {}  {}  {}{role}",
                pad(i.id, idw),
                pad(&label(i.id, i.name), namew),
                pad(&date, datew),
                cites(&i.citations)
            );
            // Padding leaves trailing spaces when a cell is empty.
            let _ = writeln!(out, "{}", row.trim_end());
            if i.claimed_by.is_some() || i.stance != Stance::Record {
                let who = i.claimed_by.unwrap_or("?");
                let _ = writeln!(out, "        {} by `{who}`", i.stance.as_str());
            }
            if let Some(s) = i.summary {
                let _ = writeln!(out, "        {}", wrap(s, width() - 8, 8));
            }
        }
    }

    sources(out, &c.sources);
}

pub fn list(out: &mut Vec<u8>, entities: &[&Entity]) {
    let rows: Vec<[&str; 5]> = entities
        .iter()
        .map(|e| {
            [
                e.id.as_str(),
                e.kind.as_str(),
                e.side.as_deref().unwrap_or_default(),
                e.date.as_ref().map(|d| d.human()).unwrap_or_default(),
                e.name.as_str(),
            ]
        })
        .collect();
    table(out, &["id", "kind", "side", "date", "name"], &rows);
    let _ = writeln!(out, "\n{}", count(rows.len(), "entity", "entities"));
}

pub fn find(out: &mut Vec<u8>, found: &Found) {
    if found.matches.is_empty() {
        let _ = writeln!(out, "nothing matches `{}`", found.query);
        return;
    }
    let more = found.total - found.matches.len();
    let rows: Vec<Vec<String>> = found
        .matches
        .iter()
        .map(|m| {
            let via = if m.field == "name" {
                String::new()
            } else {
                format!("  ({} `{}`)", m.field, m.text)
            };
            vec![
                m.id.clone(),
                m.kind.clone(),
                m.how.to_string(),
                format!("{}{via}", m.name),
            ]
        })
        .collect();
    table(out, &["id", "kind", "match", "name"], &rows);
    if more > 0 {
        let _ = writeln!(
            out,
            "\n{more} more {}: raise --limit to see them",
            if more == 1 { "match" } else { "matches" }
        );
    }
}

/// Which of the citation numbers up to `most` a text cites: `[n]` in it
/// marks `n`. Read as bytes: an answer of tens of thousands of claims is
/// megabytes of text.
fn cited(text: &[u8], most: usize) -> Vec<bool> {
    let mut out = vec![false; most + 1];
    for i in memchr::memchr_iter(b'[', text) {
        let rest = &text[i + 1..];
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0 && rest.get(digits) == Some(&b']') {
            let n = std::str::from_utf8(&rest[..digits]).map(str::parse::<usize>);
            if let Ok(Ok(n)) = n {
                if n <= most {
                    out[n] = true;
                }
            }
        }
    }
    out
}

/// The numbered source list that ends every answer: each document once,
/// its locators numbered beneath it, documents in order of first number.
/// Only the citations the text above cites are listed: an answer's JSON
/// carries citations of facts the text leaves out (a session's sources in
/// a lineage, say), and a number nobody can find in the text is noise.
/// The numbers stay those of the JSON, so the two can be read together.
pub(super) fn sources(out: &mut Vec<u8>, list: &[NumberedSource]) {
    let used = cited(out, list.iter().map(|s| s.n).max().unwrap_or(0));
    let list: Vec<&NumberedSource> = list.iter().filter(|s| used[s.n]).collect();
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nSources");
    // Found through a map: a whole-dataset timeline cites thousands of
    // documents, and finding each in the list was quadratic.
    let mut by_doc: Vec<(&str, Vec<&NumberedSource>)> = Vec::new();
    let mut at: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    for s in list {
        let i = *at.entry(s.source).or_insert_with(|| {
            by_doc.push((s.source, Vec::new()));
            by_doc.len() - 1
        });
        by_doc[i].1.push(s);
    }
    for (_, cites) in by_doc {
        source_group(
            out,
            cites[0].reference,
            cites.iter().map(|s| (s.n, s.at, s.quote)),
        );
    }
}

/// One document of a source list: its reference, then each citation of it
/// as `[n] locator`, with its quotation on a line of its own, every text
/// wrapped to the terminal. The layout of every answer's source list,
/// the timeline's included.
pub(super) fn source_group<'a>(
    out: &mut Vec<u8>,
    reference: &str,
    cites: impl IntoIterator<Item = (usize, &'a str, Option<&'a str>)>,
) {
    let width = width();
    out.extend_from_slice(b"  ");
    wrapped(out, reference, width - 4, 4);
    out.push(b'\n');
    for (n, at, quote) in cites {
        out.extend_from_slice(b"    ");
        let from = out.len();
        number(out, n);
        let indent = 5 + (out.len() - from);
        out.push(b' ');
        wrapped(out, at, width - indent, indent);
        out.push(b'\n');
        if let Some(q) = quote {
            out.resize(out.len() + indent, b' ');
            out.extend_from_slice("\u{201c}".as_bytes());
            wrapped(out, q, width - indent - 1, indent + 1);
            out.extend_from_slice("\u{201d}\n".as_bytes());
        }
    }
}

/// `[n]`, written without the formatting machinery.
pub(super) fn number(out: &mut Vec<u8>, n: usize) {
    out.push(b'[');
    decimal(out, n);
    out.push(b']');
}

/// `n` in decimal digits, written without the formatting machinery: the
/// citation numbers of a whole-dataset answer run to hundreds of thousands.
pub(super) fn decimal(out: &mut Vec<u8>, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Whether `s` is words one space apart, as [`wrap`] joins them: no
/// whitespace but single spaces between words (a locator, most quotes).
fn one_spaced(s: &str) -> bool {
    if !s.is_ascii() {
        let mut after_space = true;
        return s.chars().all(|c| {
            let space = c.is_whitespace();
            let ok = !space || (c == ' ' && !after_space);
            after_space = space;
            ok
        }) && (!after_space || s.is_empty());
    }
    // ASCII whitespace as `char::is_whitespace` has it: space, and tab to
    // carriage return.
    let mut after_space = true;
    for &b in s.as_bytes() {
        match b {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            b'\t'..=b'\r' => return false,
            _ => after_space = false,
        }
    }
    !after_space || s.is_empty()
}

/// [`wrap`], written into `out`; a text that needs no wrapping (on one line
/// within `width`, words one space apart) is copied as it is.
pub(super) fn wrapped(out: &mut Vec<u8>, s: &str, width: usize, indent: usize) {
    // No character is wider than its UTF-8 bytes are long, so a text of at
    // most `width` bytes fits; `wrap` would give it back unchanged when
    // its words are already one space apart.
    if s.len() <= width && one_spaced(s) {
        out.extend_from_slice(s.as_bytes());
    } else {
        out.extend_from_slice(wrap(s, width, indent).as_bytes());
    }
}

/// ` — assertion by `shen-yi` [1]` after a status or date that rests on one
/// voice's word, as a claimed relation says whose it is; empty for the record.
fn whose(claim: Option<&crate::Attribution>, citations: &[usize]) -> String {
    claim.map_or_else(String::new, |claim| {
        format!(
            " — {} by `{}` {}",
            claim.stance.as_str(),
            claim.claimed_by,
            cites(citations)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`wrap`] as it was, measuring each line whole for every word.
    fn wrap_measured(s: &str, width: usize, indent: usize) -> String {
        let mut lines = vec![String::new()];
        for word in s.split_whitespace() {
            let line = lines.last_mut().expect("never empty");
            if !line.is_empty() && line.width() + 1 + word.width() > width {
                lines.push(word.to_string());
            } else {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
            }
        }
        lines.join(&format!("\n{}", " ".repeat(indent)))
    }

    /// Widths kept as words join a line: the same lines as measuring every
    /// line whole, whatever the words (emoji sequences, variation
    /// selectors, combining marks, keycaps, CJK, control characters).
    #[test]
    fn wrap_measures_lines_as_before() {
        let texts = [
            "word ".repeat(40),
            "a\u{1}control character among words ".repeat(5),
            "中华人民共和国 外交部 发言人 答记者问 ".repeat(6),
            "mixed 國際 words, with café and naïve ones № 883 ".repeat(5),
            "e\u{301} combining marks e\u{301}e\u{301} ".repeat(8),
            "👩\u{200d}💻 emoji ☺\u{fe0f} sequences ".repeat(8),
            "averyveryverylongwordthatisfarwiderthananylineatall short".into(),
            "# \u{fe0f}\u{20e3} 1\u{fe0f}\u{20e3} \u{fe0f} \u{301}x \u{200d} 🇫🇷 🇫 🇷 ".repeat(6),
            "\u{644}\u{627} lam alef \u{a0}nbsp ".repeat(6),
        ];
        for width in [5, 10, 17, 40, 79] {
            for s in &texts {
                assert_eq!(
                    wrap(s, width, 4),
                    wrap_measured(s, width, 4),
                    "{s:?} at {width}"
                );
            }
        }
    }

    /// The timeline's source list copies a text `wrap` would not change
    /// and wraps every other: the same bytes as `wrap` either way.
    #[test]
    fn wrapped_writes_what_wrap_gives() {
        let long = "word ".repeat(30);
        let texts = [
            "",
            "section 28",
            "a phrase of the source, № 883",
            "two  spaces",
            " leading",
            "trailing ",
            "a\ttab",
            "a\u{b}vertical tab",
            "a\u{a0}no-break space",
            "ideographic\u{3000}space",
            "中华人民共和国外交部发言人答记者问中华人民共和国外交部发言人答记者问中华人民共和国",
            long.trim_end(),
            &long,
            "x",
        ];
        for width in [10, 40, 96] {
            for s in texts {
                let mut out = Vec::new();
                wrapped(&mut out, s, width, 4);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    wrap(s, width, 4),
                    "{s:?} at {width}"
                );
            }
        }
    }
}
