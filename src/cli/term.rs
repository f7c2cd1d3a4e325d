//! The terminal: how wide to wrap text and whether to colour it. Decided
//! once at start, here, from the flags and the environment; the text
//! renderers only ask [`width`].
//!
//! Width: `COLUMNS` if set to a number, else the terminal's width when
//! standard output is one, else 100 (so piped output is the same on every
//! machine). Colour: `--color always` or `never`; `auto` (the default)
//! colours a terminal unless `NO_COLOR` is set to anything but the empty
//! string (<https://no-color.org>).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::ValueEnum;

/// Width of piped output, and the fallback.
pub(crate) const DEFAULT_WIDTH: usize = 100;
/// Narrower than this, tables and wrapped text stop being readable.
const MIN_WIDTH: usize = 40;

static WIDTH: AtomicUsize = AtomicUsize::new(DEFAULT_WIDTH);

/// The width text is wrapped to.
pub(crate) fn width() -> usize {
    WIDTH.load(Ordering::Relaxed)
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Whether to colour output to a stream that is (or is not) a terminal.
pub(crate) fn colour(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Sets the width for this run.
pub(crate) fn init_width() {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok());
    let w = from_env
        .or_else(|| {
            std::io::stdout()
                .is_terminal()
                .then(|| terminal_size::terminal_size().map(|(w, _)| w.0 as usize))
                .flatten()
        })
        .unwrap_or(DEFAULT_WIDTH);
    WIDTH.store(w.max(MIN_WIDTH), Ordering::Relaxed);
}

/// Colours a text answer: lines that start at the margin (titles and
/// section headings) bold, citation marks `[n]` dimmed. Done on the
/// finished text, so the renderers stay plain and their output is what
/// is coloured, byte for byte, without escapes.
pub(crate) fn paint(text: &[u8]) -> Vec<u8> {
    let bold = anstyle::Style::new().bold();
    let dim = anstyle::Style::new().dimmed();
    let text = String::from_utf8_lossy(text);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if !body.is_empty() && !body.starts_with(' ') {
            out.push_str(&format!("{bold}{body}{bold:#}{nl}"));
            continue;
        }
        let mut rest = body;
        while let Some(i) = rest.find('[') {
            let after = &rest[i + 1..];
            let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits > 0 && after[digits..].starts_with(']') {
                out.push_str(&rest[..i]);
                out.push_str(&format!("{dim}[{}]{dim:#}", &after[..digits]));
                rest = &after[digits + 1..];
            } else {
                out.push_str(&rest[..=i]);
                rest = after;
            }
        }
        out.push_str(rest);
        out.push_str(nl);
    }
    out.into_bytes()
}

/// `error:` in bold red, or plain.
pub(crate) fn error_prefix(colour: bool) -> String {
    if colour {
        let s = anstyle::Style::new()
            .bold()
            .fg_color(Some(anstyle::AnsiColor::Red.into()));
        format!("{s}error:{s:#}")
    } else {
        "error:".into()
    }
}

#[cfg(test)]
mod tests {
    use super::paint;

    #[test]
    fn paints_headings_and_citation_marks_only() {
        let out = String::from_utf8(paint(b"Title\n  a [1][2] b [x]\n")).unwrap();
        assert_eq!(
            out,
            "\x1b[1mTitle\x1b[0m\n  a \x1b[2m[1]\x1b[0m\x1b[2m[2]\x1b[0m b [x]\n"
        );
    }
}
