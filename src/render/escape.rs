//! The only way user text enters a diagram: one function per output
//! language. graphviz-rust prints identifiers and labels exactly as given,
//! escaping nothing, so every name, summary and citation must pass through
//! here first.

use graphviz_rust::dot_structures::Id;

/// How Graphviz reads a DOT attribute's string, which decides how many
/// backslashes a backslash from the data needs to arrive as itself.
/// Measured against Graphviz 2.43–12 (tests/escaping.rs checks the SVG):
/// - a label (`label`, `xlabel`, `headlabel`, `taillabel`) is read once as
///   an escString: `\\` is a backslash, `\N`, `\G`, `\E`, `\T`, `\H`, `\L`
///   name the object, `\n`, `\l`, `\r` break the line, any other `\x` is `x`;
/// - a tooltip (`tooltip`, `edgetooltip`, `labeltooltip`, …) has its
///   backslashes unescaped once more before that, so each needs four;
/// - a URL (`URL`, `href`) is read as an escString too, and Graphviz then
///   writes it into SVG without escaping it for XML, so it is
///   percent-encoded down to characters that are safe in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// `label`, `xlabel`, `headlabel`, `taillabel`.
    Label,
    /// `tooltip`, `edgetooltip`, `labeltooltip`, `headtooltip`, `tailtooltip`.
    Tooltip,
    /// `URL`, `href`, `edgeURL`, `labelURL`, …
    Url,
}

/// A DOT double-quoted string for `s` in an attribute read as `reading`,
/// ready to print: the one escaping function for DOT strings.
///
/// Quotes are escaped; backslashes are multiplied so that none of
/// Graphviz's escString sequences (`\N`, `\G`, `\E`, `\T`, `\H`, `\L`,
/// `\n`, `\l`, `\r`, `\\`) can be triggered by data; `&` becomes `&amp;`,
/// because Graphviz decodes HTML entities in labels and tooltips (a name
/// containing `&lt;` would otherwise be drawn as `<`); a newline becomes
/// Graphviz's centred line break and a tab a space. Other control
/// characters cannot occur (the loader refuses them) but are dropped here
/// too rather than trusted.
pub(crate) fn dot_as(reading: Reading, s: &str) -> Id {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    if reading == Reading::Url {
        out.push_str(&url(s));
        out.push('"');
        return Id::Escaped(out);
    }
    let backslash = match reading {
        Reading::Tooltip => "\\\\\\\\",
        _ => "\\\\",
    };
    for c in s.chars() {
        match c {
            '\\' => out.push_str(backslash),
            '"' => out.push_str("\\\""),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("\\n"),
            // A tab is a space in a drawing; dropping it would join words.
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    Id::Escaped(out)
}

/// A label string (see [`dot_as`]).
pub(crate) fn dot(s: &str) -> Id {
    dot_as(Reading::Label, s)
}

/// A tooltip string (see [`dot_as`]).
pub(crate) fn dot_tooltip(s: &str) -> Id {
    dot_as(Reading::Tooltip, s)
}

/// A URL string (see [`dot_as`]).
pub(crate) fn dot_url(s: &str) -> Id {
    dot_as(Reading::Url, s)
}

/// `s` with every character that is not plainly safe in a URL, in DOT, in
/// an XML attribute and in a PDF link percent-encoded (as UTF-8): what
/// stays is ASCII letters and digits and `-._~:/?#[]@!$()*+,;=%`. A `%`
/// already followed by two hex digits is kept, so an encoded URL stays as
/// it was; `&` and `'` are encoded, since Graphviz copies a URL into SVG
/// unescaped.
pub(crate) fn url(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, &b) in bytes.iter().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~:/?#[]@!$()*+,;=".contains(&b)
            || (b == b'%'
                && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit));
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Text for the inside of a Graphviz HTML-like label (`<…>`): `&`, `<`,
/// `>`, `"` and `'` become entities; newlines become `<BR/>`; a backslash
/// is doubled, because Graphviz reads `\N`, `\G` and `\\` even there.
pub(crate) fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Graphviz expands `\N`, `\G`, `\L`… in HTML-like labels too,
            // after decoding entities, so an entity would not stop it; a
            // doubled backslash is drawn as one.
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("<BR/>"),
            // A tab is a space in a drawing; dropping it would join words.
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text for a Mermaid label in double quotes (`["…"]`, `|"…"|`): Mermaid
/// reads `#name;` and `#number;` codes there, so quotes, `#`, brackets and
/// the characters Markdown or HTML would act on become codes.
pub(crate) fn mermaid(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '`' => out.push_str("#96;"),
            '%' => out.push_str("#37;"),
            '*' => out.push_str("#42;"),
            '_' => out.push_str("#95;"),
            ':' => out.push_str("#58;"),
            ';' => out.push_str("#59;"),
            '\n' => out.push_str("<br/>"),
            // A tab is a space in a drawing; dropping it would join words.
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A YAML double-quoted string (with its quotes), for Mermaid's front
/// matter, where Mermaid's own `#…;` codes are not read.
pub(crate) fn yaml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push(' '),
            // A tab is a space in a drawing; dropping it would join words.
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a Markdown paragraph or list item: characters Markdown or HTML
/// would act on are backslash-escaped or turned into entities.
pub(crate) fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push(' '),
            // A tab is a space in a drawing; dropping it would join words.
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URL inside a Mermaid `click … href "…"`: quotes, spaces and anything
/// that could end the directive are percent-encoded; the rest is kept so the
/// link still works.
pub(crate) fn mermaid_url(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("%22"),
            ' ' => out.push_str("%20"),
            '\n' | '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An id safe to use bare in DOT and Mermaid: detente ids are already
/// `[a-z0-9._-]`, but `-` and `.` are not identifier characters in either
/// language, so ids are mapped to `n_` plus their bytes in hex-free form.
pub(crate) fn ident(id: &str) -> String {
    let mut out = String::from("n_");
    for c in id.chars() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            '-' => out.push_str("_h_"),
            '.' => out.push_str("_d_"),
            '_' => out.push_str("__"),
            c => out.push_str(&format!("_u{:x}_", u32::from(c))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(id: Id) -> String {
        match id {
            Id::Escaped(s) => s,
            _ => unreachable!(),
        }
    }

    /// Found by fuzzing (`write_dot`): the loader accepts tabs in text,
    /// and every diagram escaper dropped them with the control characters,
    /// joining the words on either side.
    #[test]
    fn a_tab_is_drawn_as_a_space_not_dropped() {
        assert_eq!(text(dot_as(Reading::Label, "a\tb")), "\"a b\"");
        assert_eq!(text(dot_as(Reading::Tooltip, "a\tb")), "\"a b\"");
        assert_eq!(html("a\tb"), "a b");
        assert_eq!(mermaid("a\tb"), "a b");
        assert_eq!(yaml("a\tb"), "\"a b\"");
        assert_eq!(markdown("a\tb"), "a b");
    }

    #[test]
    fn escstring_sequences_are_neutralised_per_reading() {
        let s = r"\N \G \E \T \H \L \n \l \r \\";
        assert_eq!(
            text(dot_as(Reading::Label, s)),
            r#""\\N \\G \\E \\T \\H \\L \\n \\l \\r \\\\""#
        );
        assert_eq!(text(dot_as(Reading::Tooltip, r"\N")), r#""\\\\N""#);
        assert_eq!(text(dot_as(Reading::Tooltip, "a\nb")), r#""a\nb""#);
        assert_eq!(html(r"\G"), r"\\G");
        assert_eq!(
            text(dot_url("https://x/\"><script>&'\\N é")),
            r#""https://x/%22%3E%3Cscript%3E%26%27%5CN%20%C3%A9""#
        );
        assert_eq!(url("https://x/a%20b?q=1"), "https://x/a%20b?q=1");
        assert_eq!(url("100%"), "100%25");
    }

    #[test]
    fn dot_strings_cannot_break_out() {
        assert_eq!(text(dot(r#"a "b" \N c"#)), r#""a \"b\" \\N c""#);
        assert_eq!(text(dot("x\ny")), r#""x\ny""#);
        assert_eq!(text(dot("中美 <&>")), "\"中美 <&amp;>\"");
        assert_eq!(text(dot("&lt;")), "\"&amp;lt;\"");
        assert_eq!(text(dot("\u{1b}[31m")), "\"[31m\"");
    }

    #[test]
    fn html_and_mermaid_escape_their_specials() {
        assert_eq!(html("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(
            mermaid("a \"b\" [c] #d: e|f"),
            "a #quot;b#quot; #91;c#93; #35;d#58; e#124;f"
        );
    }

    #[test]
    fn idents_are_unique_and_plain() {
        assert_eq!(ident("lecd-2017.10_x"), "n_lecd_h_2017_d_10__x");
        assert_ne!(ident("a-b"), ident("a_b"));
        assert_ne!(ident("a.b"), ident("a-b"));
    }
}
