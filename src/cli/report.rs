//! Problems drawn for a person: each with its file, line and column, the
//! offending line with the spot underlined, and the likely fix. The library
//! produces plain [`Diagnostic`] values; miette only draws them.

use crate::load::{Problem, SourceFile};
use crate::Diagnostic;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

/// A file's text for miette, reporting columns in characters as our
/// messages do (miette's own `String` source counts bytes, which disagrees
/// on any line with Chinese or other non-ASCII text).
#[derive(Debug)]
struct Source {
    name: String,
    text: String,
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        let start = inner.span().offset().min(self.text.len());
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..start].chars().count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
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

/// Byte span of the token starting at a 1-based line and column.
fn span_at(text: &str, line: u32, column: u32) -> SourceSpan {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let start = offset
                + l.char_indices()
                    .nth(column.saturating_sub(1) as usize)
                    .map_or(l.trim_end().len(), |(b, _)| b);
            let rest = &text[start..];
            let len = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(1, |e| e + 2),
                _ => rest
                    .find(['\n', ',', ']', '}', '#'])
                    .unwrap_or(rest.len())
                    .min(rest.find(": ").unwrap_or(usize::MAX)),
            };
            let len = rest[..len.min(rest.len())].trim_end().len().max(1);
            return SourceSpan::new(start.into(), len.min(rest.len().max(1)));
        }
        offset += l.len();
    }
    SourceSpan::new(text.len().into(), 0)
}

/// Prints every problem to stderr, then a count; in colour if `color`
/// (decided with `--color` and `NO_COLOR` by the caller).
pub fn print(files: &[SourceFile], problems: &[Diagnostic], color: bool) {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(super::term::width())
        // A whole message on one line stays greppable as `file:line:col: …`.
        .with_wrap_lines(false);
    let mut text = String::new();
    for d in problems {
        let file_text = files
            .iter()
            .find(|f| f.path == d.place.file)
            .map(|f| f.text.clone())
            .unwrap_or_default();
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some("here".into()),
            span_at(&file_text, d.place.line, d.place.column),
        )];
        if let Problem::DuplicateKey {
            first_line,
            first_column,
            ..
        } = &d.problem
        {
            labels.push(LabeledSpan::new_with_span(
                Some("first here".into()),
                span_at(&file_text, *first_line, *first_column),
            ));
        }
        if let Problem::DuplicateId { first, .. } = &d.problem {
            if first.file == d.place.file {
                labels.push(LabeledSpan::new_with_span(
                    Some("first here".into()),
                    span_at(&file_text, first.line, first.column),
                ));
            }
        }
        let shown = Shown {
            message: format!("{}: {}", d.place, d.problem),
            help: d.help(),
            source: Source {
                name: d.place.file.display().to_string(),
                text: file_text,
            },
            labels,
        };
        // Rendering into a String cannot fail.
        let _ = handler.render_report(&mut text, &shown);
        text.push('\n');
    }
    let files_with: std::collections::BTreeSet<_> =
        problems.iter().map(|d| &d.place.file).collect();
    text.push_str(&format!(
        "error: {} problem{} in {} file{}\n",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" },
        files_with.len(),
        if files_with.len() == 1 { "" } else { "s" },
    ));
    eprint!("{text}");
}

#[cfg(test)]
mod tests {
    use super::span_at;

    #[test]
    fn spans_cover_the_offending_token() {
        let text = "- id: a\n  relations:\n    - { type: succeeds, to: lecd-2071 }\n";
        let s = span_at(text, 3, 29);
        assert_eq!(&text[s.offset()..s.offset() + s.len()], "lecd-2071");
        let s = span_at(text, 1, 7);
        assert_eq!(&text[s.offset()..s.offset() + s.len()], "a");
        let text = "name: \"x, y\"\n";
        let s = span_at(text, 1, 7);
        assert_eq!(&text[s.offset()..s.offset() + s.len()], "\"x, y\"");
    }
}
