//! Problems drawn for a person: each with its file, line and column, the
//! offending line with the spot underlined, and the likely fix. The library
//! produces plain [`Diagnostic`] values; miette only draws them.

use std::collections::HashMap;
use std::path::Path;

use crate::load::{printable, Problem, SourceFile};
use crate::Diagnostic;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

/// The lines of a file miette is shown for one problem: only the lines
/// around its places (a window each, adjacent windows merged), each cut to
/// a readable length around the place and made printable. miette reads the
/// whole source it is given for every problem, so giving it the file would
/// cost time in proportion to problems × file size, and would echo a 50 MB
/// line whole; a long line would also overflow its column arithmetic
/// (a panic beyond column 65 535).
#[derive(Debug)]
struct Source {
    name: String,
    /// The shown lines, joined by newlines.
    text: String,
    /// Per shown line: where it starts in `text`, its 0-based line number
    /// in the file, and how many characters of the file line precede the
    /// first shown character (the leading `…` counts as one of them).
    lines: Vec<ShownLine>,
}

#[derive(Debug, Clone, Copy)]
struct ShownLine {
    start: usize,
    line: usize,
    /// File column (0-based, characters) of the first shown character.
    first_column: usize,
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        // What miette gets back is in file terms: the line and column where
        // the returned text starts.
        let start = inner.span().offset().min(self.text.len());
        let (line, column) = match self.lines.get(line_index_of(&self.lines, start)) {
            Some(l) => (
                l.line,
                l.first_column + self.text[l.start..start].chars().count(),
            ),
            None => (0, 0),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

/// The index of the shown line holding byte `offset` of the shown text.
fn line_index_of(lines: &[ShownLine], offset: usize) -> usize {
    lines
        .partition_point(|l| l.start <= offset)
        .saturating_sub(1)
}

#[derive(Debug)]
struct Shown {
    message: String,
    help: Option<String>,
    source: Source,
    labels: Vec<LabeledSpan>,
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown {}

impl miette::Diagnostic for Shown {
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// Longest line shown whole, in characters; a longer one is cut to
/// [`KEEP_BEFORE`] characters before the place and [`KEEP_AFTER`] after.
const MAX_LINE: usize = 160;
const KEEP_BEFORE: usize = 60;
const KEEP_AFTER: usize = 80;
/// Lines shown above and below a place (miette's default context).
const CONTEXT: usize = 1;
/// Characters between the checkpoints kept for long lines.
const STRIDE: usize = 256;

/// A file's line starts, found once; and for long lines, the byte offset of
/// every [`STRIDE`]th character, found once per line, so that finding a
/// column costs at most [`STRIDE`] steps however long the line.
struct FileIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
    checkpoints: HashMap<usize, Vec<usize>>,
}

impl<'t> FileIndex<'t> {
    fn new(text: &'t str) -> FileIndex<'t> {
        let mut starts = vec![0];
        starts.extend(crate::load::line_break_ends(text).map(|i| i + 1));
        if starts.len() > 1 && *starts.last().unwrap() == text.len() {
            // A final newline ends the last line; it starts no new one.
            starts.pop();
        }
        FileIndex {
            text,
            starts,
            checkpoints: HashMap::new(),
        }
    }

    fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Line `i` (0-based) without its newline.
    fn line(&self, i: usize) -> &'t str {
        let start = self.starts[i];
        let end = self.starts.get(i + 1).map_or(self.text.len(), |e| e - 1);
        let l = &self.text[start..end.max(start)];
        let l = l.strip_suffix('\n').unwrap_or(l);
        l.strip_suffix('\r').unwrap_or(l)
    }

    /// Byte offset within line `i` of character `col` (0-based), or the
    /// line's length when the line is shorter.
    fn byte_of(&mut self, i: usize, col: usize) -> usize {
        let line = self.line(i);
        if line.len() <= STRIDE * 4 {
            return line.char_indices().nth(col).map_or(line.len(), |(b, _)| b);
        }
        let marks = self.checkpoints.entry(i).or_insert_with(|| {
            line.char_indices()
                .step_by(STRIDE)
                .map(|(b, _)| b)
                .collect()
        });
        let Some(&from) = marks.get(col / STRIDE) else {
            return line.len();
        };
        line[from..]
            .char_indices()
            .nth(col % STRIDE)
            .map_or(line.len(), |(b, _)| from + b)
    }
}

/// How many characters the token at the start of `rest` spans: a quoted
/// string to its closing quote, else up to the next delimiter.
fn token_chars(rest: &str) -> usize {
    let len = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(1, |e| e + 2),
        // A bracket is a token of its own: underlining `[a` would mark
        // half of the first item.
        Some('[' | '{') => 1,
        _ => rest
            .find([',', ']', '}', '#'])
            .unwrap_or(rest.len())
            .min(rest.find(": ").unwrap_or(usize::MAX)),
    };
    rest[..len.min(rest.len())]
        .trim_end()
        .chars()
        .count()
        .max(1)
}

/// A character as it may be shown in a terminal: control characters become
/// their visible Unicode pictures (one character for one, so columns hold),
/// bidirectional controls the replacement character. Tabs stay: miette
/// expands them.
fn shown_char(c: char) -> char {
    match c {
        '\t' => c,
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        c if c.is_control() => '\u{fffd}',
        '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '\u{fffd}',
        c => c,
    }
}

/// A place to mark: 0-based line and column.
#[derive(Clone, Copy)]
struct Mark {
    line: usize,
    column: usize,
    label: &'static str,
    primary: bool,
}

/// The shown lines and labels for marks in one file.
fn excerpt(index: &mut FileIndex, name: String, marks: &[Mark]) -> (Source, Vec<LabeledSpan>) {
    let mut source = Source {
        name,
        text: String::new(),
        lines: Vec::new(),
    };
    let mut labels = Vec::new();
    let n = index.line_count();
    if index.text.is_empty() {
        for m in marks {
            labels.push(label(m, 0, 0));
        }
        return (source, labels);
    }
    let marks: Vec<Mark> = marks
        .iter()
        .map(|m| Mark {
            line: m.line.min(n - 1),
            ..*m
        })
        .collect();
    // Windows of lines around each mark, merged when they touch.
    let mut windows: Vec<(usize, usize)> = marks
        .iter()
        .map(|m| {
            (
                m.line.saturating_sub(CONTEXT),
                (m.line + CONTEXT).min(n - 1),
            )
        })
        .collect();
    windows.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (a, b) in windows {
        match merged.last_mut() {
            Some((_, end)) if a <= *end + 1 => *end = (*end).max(b),
            _ => merged.push((a, b)),
        }
    }
    for (a, b) in merged {
        for i in a..=b {
            let line = index.line(i);
            let on_line: Vec<&Mark> = marks.iter().filter(|m| m.line == i).collect();
            let long = line.len() > MAX_LINE && line.chars().nth(MAX_LINE).is_some();
            // The shown part of the line, in characters: [from, to).
            let anchor = on_line
                .iter()
                .find(|m| m.primary)
                .or(on_line.first())
                .map(|m| m.column);
            let (from, to) = if !long {
                (0, usize::MAX)
            } else {
                match anchor {
                    Some(c) => (c.saturating_sub(KEEP_BEFORE), c + KEEP_AFTER),
                    None => (0, MAX_LINE),
                }
            };
            let from_b = if from == 0 { 0 } else { index.byte_of(i, from) };
            let to_b = if to == usize::MAX {
                line.len()
            } else {
                index.byte_of(i, to)
            };
            let line = index.line(i);
            let part = &line[from_b..to_b];
            if !source.text.is_empty() {
                source.text.push('\n');
            }
            let start = source.text.len();
            let mut first_column = from;
            if from > 0 {
                source.text.push('…');
                first_column -= 1;
            }
            source.lines.push(ShownLine {
                start,
                line: i,
                first_column,
            });
            let part_start = source.text.len();
            let mut offsets = Vec::with_capacity(part.len() + 1);
            for c in part.chars() {
                offsets.push(source.text.len());
                source.text.push(shown_char(c));
            }
            offsets.push(source.text.len());
            if to_b < line.len() {
                source.text.push('…');
            }
            for m in on_line {
                if m.column < from || m.column > to.min(from + offsets.len() - 1) {
                    // Outside what is shown of a long line: the message
                    // still names the place.
                    continue;
                }
                let k = m.column - from;
                let at = offsets.get(k).copied().unwrap_or(part_start);
                let rest = &part[part.char_indices().nth(k).map_or(part.len(), |(b, _)| b)..];
                let len_chars = if rest.is_empty() {
                    0
                } else {
                    token_chars(rest)
                };
                let end = offsets[(k + len_chars).min(offsets.len() - 1)];
                labels.push(label(m, at, end - at));
            }
        }
    }
    (source, labels)
}

fn label(m: &Mark, at: usize, len: usize) -> LabeledSpan {
    let span = SourceSpan::new(at.into(), len);
    if m.primary {
        LabeledSpan::new_primary_with_span(Some(m.label.into()), span)
    } else {
        LabeledSpan::new_with_span(Some(m.label.into()), span)
    }
}

/// Most problems drawn in text: a 400 kB file can hold 200 000 mistakes,
/// and drawing each would print 90 MB. The count still covers them all.
const MAX_SHOWN: usize = 1_000;

/// Prints every problem (up to [`MAX_SHOWN`]) to stderr, then a count, as
/// [`render`] draws them for this terminal. In colour if `color` (decided
/// with `--color` and `NO_COLOR` by the caller).
pub fn print(files: &[SourceFile], problems: &[Diagnostic], color: bool) {
    eprint!("{}", render(files, problems, color, super::term::width()));
}

/// Every problem (up to [`MAX_SHOWN`]) drawn with the lines around it for
/// a terminal `width` columns wide, then a count. Time grows with the
/// number of problems plus the size of the files, never their product.
pub fn render(files: &[SourceFile], problems: &[Diagnostic], color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_context_lines(CONTEXT)
        // A whole message on one line stays greppable as `file:line:col: …`.
        .with_wrap_lines(false);
    let by_path: HashMap<&Path, &SourceFile> =
        files.iter().map(|f| (f.path.as_path(), f)).collect();
    let mut indexes: HashMap<&Path, FileIndex> = HashMap::new();
    let mut text = String::new();
    for d in problems.iter().take(MAX_SHOWN) {
        let file = d.place.file.as_path();
        let index = indexes
            .entry(file)
            .or_insert_with(|| FileIndex::new(by_path.get(file).map_or("", |f| f.text.as_str())));
        let at = |line: u32, column: u32| {
            (
                (line as usize).saturating_sub(1),
                (column as usize).saturating_sub(1),
            )
        };
        let (line, column) = at(d.place.line, d.place.column);
        let mut marks = vec![Mark {
            line,
            column,
            label: match &d.problem {
                Problem::UnclosedBracket { .. } => "opened here, never closed",
                _ => "here",
            },
            primary: true,
        }];
        let first = match &d.problem {
            Problem::DuplicateKey {
                first_line,
                first_column,
                ..
            } => Some(at(*first_line, *first_column)),
            Problem::DuplicateId { first, .. } if first.file == d.place.file => {
                Some(at(first.line, first.column))
            }
            _ => None,
        };
        if let Some((line, column)) = first {
            marks.push(Mark {
                line,
                column,
                label: "first here",
                primary: false,
            });
        }
        if let Problem::UnclosedBracket {
            noticed_line: Some(noticed_line),
            noticed_column: Some(noticed_column),
            ..
        } = &d.problem
        {
            let (line, column) = at(*noticed_line, *noticed_column);
            marks.push(Mark {
                line,
                column,
                label: "noticed here",
                primary: false,
            });
        }
        let (source, labels) = excerpt(index, printable(&file.display().to_string()), &marks);
        let shown = Shown {
            message: d.message(),
            help: d.help().map(|h| printable(&h)),
            source,
            labels,
        };
        // Rendering into a String cannot fail.
        let _ = handler.render_report(&mut text, &shown);
        text.push('\n');
    }
    let files_with: std::collections::BTreeSet<_> =
        problems.iter().map(|d| &d.place.file).collect();
    text.push_str(&format!(
        "error: {} problem{} in {} file{}",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" },
        files_with.len(),
        if files_with.len() == 1 { "" } else { "s" },
    ));
    if problems.len() > MAX_SHOWN {
        text.push_str(&format!(
            " (the first {MAX_SHOWN} shown; `--format json` lists every one)"
        ));
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str, marks: &[Mark]) -> (String, Vec<(String, String)>) {
        let mut index = FileIndex::new(text);
        let (source, labels) = excerpt(&mut index, "f.yaml".into(), marks);
        let spans = labels
            .iter()
            .map(|l| {
                let s = &source.text[l.offset()..l.offset() + l.len()];
                (l.label().unwrap().to_string(), s.to_string())
            })
            .collect();
        (source.text, spans)
    }

    fn mark(line: usize, column: usize) -> Mark {
        Mark {
            line,
            column,
            label: "here",
            primary: true,
        }
    }

    #[test]
    fn spans_cover_the_offending_token() {
        let text = "- id: a\n  relations:\n    - { type: succeeds, to: lecd-2071 }\n";
        let (_, spans) = render(text, &[mark(2, 28)]);
        assert_eq!(spans[0].1, "lecd-2071");
        let (shown, spans) = render(text, &[mark(0, 6)]);
        assert_eq!(spans[0].1, "a");
        assert_eq!(shown, "- id: a\n  relations:");
        let (_, spans) = render("name: \"x, y\"\n", &[mark(0, 6)]);
        assert_eq!(spans[0].1, "\"x, y\"");
    }

    #[test]
    fn only_the_lines_around_a_place_are_shown() {
        let text: String = (1..=100).map(|i| format!("line {i}\n")).collect();
        let (shown, _) = render(&text, &[mark(49, 0)]);
        assert_eq!(shown, "line 49\nline 50\nline 51");
        let first = Mark {
            line: 2,
            column: 0,
            label: "first here",
            primary: false,
        };
        let (shown, spans) = render(&text, &[mark(49, 0), first]);
        assert_eq!(shown, "line 2\nline 3\nline 4\nline 49\nline 50\nline 51");
        assert_eq!(spans.len(), 2);
    }

    #[test]
    fn a_long_line_is_abbreviated_around_the_column() {
        let text = format!("{}bad{}\n", "x".repeat(100_000), "y".repeat(100_000));
        let (shown, spans) = render(&text, &[mark(0, 100_000)]);
        assert!(shown.chars().count() < 200, "{}", shown.len());
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert!(spans[0].1.starts_with("bady"), "{spans:?}");
        assert_eq!(spans[0].1.chars().count(), KEEP_AFTER);
    }

    #[test]
    fn control_characters_in_the_shown_line_are_made_visible() {
        let (shown, _) = render("name: \u{1b}[2Jx\u{202e}y\n", &[mark(0, 6)]);
        assert_eq!(shown, "name: \u{241b}[2Jx\u{fffd}y");
    }

    /// Found by fuzzing (`loader_data`): YAML ends a line at a lone
    /// carriage return, so the parser's line numbers counted it while the
    /// report quoted lines split at line feeds only, and showed another
    /// line than the one named.
    #[test]
    fn a_lone_carriage_return_ends_a_line_in_places_and_in_the_quoted_lines() {
        let files = [
            SourceFile::new(
                "d/ontology.yaml",
                include_str!("../../tests/fixtures/minimal/ontology.yaml"),
            ),
            SourceFile::new(
                "d/sources.yaml",
                include_str!("../../tests/fixtures/minimal/sources.yaml"),
            ),
            SourceFile::new(
                "d/entities.yaml",
                "- id: a\r  kind: mechanism\r  name: A\r  nme: x\r  sources: [{ source: doc, at: p }]\r",
            ),
        ];
        let problems = crate::load(&files).expect_err("an unknown field");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!((problems[0].place.line, problems[0].place.column), (4, 3));
        let shown = super::render(&files, &problems, false, 100);
        let quoted: Vec<&str> = shown.lines().filter(|l| l.contains(" 4 │")).collect();
        assert_eq!(quoted.len(), 1, "{shown}");
        assert!(quoted[0].ends_with("│   nme: x"), "{shown}");
    }

    #[test]
    fn a_column_far_beyond_65535_is_rendered_not_a_panic() {
        let text = format!("- {{id: a, {}: 1}}\n", "k".repeat(70_000));
        let files = [SourceFile::new("f.yaml", text)];
        let d = Diagnostic {
            place: crate::load::Place {
                file: "f.yaml".into(),
                line: 1,
                column: 12,
            },
            problem: Problem::Empty { field: "k".into() },
        };
        let mut far = d.clone();
        far.place.column = 70_005;
        // Rendering to stderr; the test is that it returns.
        print(&files, &[d, far], false);
    }
}
