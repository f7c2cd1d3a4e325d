//! The one escaping function of each data language the exporters write.
//! Every string from the data reaches an export through one of these;
//! property tests feed them hostile text and parse it back with the
//! consumer (tests/export.rs).

use std::borrow::Cow;

/// Text for XML character data and attribute values (GraphML, GEXF):
/// `&`, `<`, `>`, `"` and `'` as entities, by quick-xml. The loader has
/// already refused the control characters XML 1.0 cannot carry.
///
/// Line breaks and tabs become character references too: XML parsers turn
/// a literal one inside an attribute value (GEXF keeps its values there)
/// into a space. U+FFFE and U+FFFF, which XML cannot carry at all and the
/// loader lets through, become U+FFFD.
pub(crate) fn xml(s: &str) -> Cow<'_, str> {
    let escaped = quick_xml::escape::escape(s);
    if !escaped.contains(['\n', '\r', '\t', '\u{fffe}', '\u{ffff}']) {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len() + 8);
    for c in escaped.chars() {
        match c {
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text inside HTML (TimelineJS slide text): `&`, `<`, `>` and quotes as
/// entities, line breaks as `<br>`.
pub(crate) fn html(s: &str) -> Cow<'_, str> {
    let escaped = quick_xml::escape::escape(s);
    if escaped.contains('\n') {
        Cow::Owned(escaped.replace('\n', "<br>"))
    } else {
        escaped
    }
}

/// Text for a TimelineJS field that is read as HTML twice: TimelineJS
/// 3.9 takes the text of `group` and `display_date` by parsing them as
/// HTML (its `stripMarkup`), then inserts that text into the page as HTML
/// (`innerHTML`). Escaped once, `&lt;img onerror=…&gt;` in a side's label
/// would come out of the first reading as a live `<img>` for the second;
/// escaped twice, each reading takes off one layer and the page shows the
/// text as written.
pub(crate) fn html_read_twice(s: &str) -> String {
    html(&html(s)).into_owned()
}

/// Text inside a braced BibTeX field value (`title = {…}`), meaning the
/// same text to BibTeX, biber, LaTeX and the BibTeX readers of Zotero and
/// bibtexparser.
///
/// BibTeX counts every brace, escaped or not, to find where a value ends,
/// so `\{` would end it early or never: braces and the backslash become
/// the LaTeX text commands `\textbraceleft{}`, `\textbraceright{}` and
/// `\textbackslash{}`, whose own braces balance. The characters LaTeX
/// reserves (`% & # _ $`) take a backslash; `~` and `^`, which would be a
/// space and an accent, become `\textasciitilde{}` and
/// `\textasciicircum{}`. A field is one paragraph to LaTeX, and a line that
/// begins with `@` starts an entry to some readers, so line breaks and tabs
/// become spaces; characters TeX would join into one are kept apart; other control characters, which the loader refuses,
/// become U+FFFD rather than invisible bytes.
///
/// Verbatim fields (`url`) are read without LaTeX by biber and the `url`
/// package, so there a backslash would stay in the address: their braces,
/// backslashes, whitespace and control characters are percent-encoded instead,
/// which names the same address, and nothing else is touched.
pub(crate) fn bibtex(s: &str, verbatim: bool) -> Cow<'_, str> {
    if verbatim {
        // Any whitespace, not just the space: biblatex reads a no-break
        // or ideographic space as one, and an address never holds one raw.
        let special = |c: char| "{}\\".contains(c) || c.is_whitespace() || c.is_control();
        if !s.contains(special) {
            return Cow::Borrowed(s);
        }
        let mut out = String::with_capacity(s.len() + 8);
        for c in s.chars() {
            if special(c) {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            } else {
                out.push(c);
            }
        }
        return Cow::Owned(out);
    }
    // TeX joins `''`, ``` `` ```, `--`, `<<`, `>>`, `,,` and ``?` ``/``!` ``
    // into other characters (a curly quote, a dash, a guillemet…); `{}`
    // between the two keeps them apart.
    let ligature =
        |a: char, b: char| (a == b && "'`-<>,".contains(a)) || ("?!".contains(a) && b == '`');
    let special = |c: char| "{}\\%&#_$~^".contains(c) || c.is_control();
    let mut pairs = s.chars().zip(s.chars().skip(1));
    if !s.contains(special) && !pairs.any(|(a, b)| ligature(a, b)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if chars.peek().is_some_and(|&next| ligature(c, next)) {
            out.push(c);
            out.push_str("{}");
            continue;
        }
        match c {
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '%' | '&' | '#' | '_' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A table as CSV (RFC 4180, by the `csv` crate): every cell quoted when
/// it holds a comma, quote or line break, quotes doubled.
pub(crate) fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        // Writing into memory cannot fail.
        w.write_record(row).expect("in memory");
    }
    w.into_inner().expect("in memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_keeps_line_breaks_in_attributes() {
        assert_eq!(
            xml("a<b>&\"c' ]]>\n\td"),
            "a&lt;b&gt;&amp;&quot;c&apos; ]]&gt;&#10;&#9;d"
        );
        assert_eq!(xml("\u{ffff}"), "\u{fffd}");
        assert!(matches!(xml("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn bibtex_spells_reserved_characters_as_latex_with_balanced_braces() {
        assert_eq!(
            bibtex("{a}\\b %&#_$ ~^\n@x", false),
            "\\textbraceleft{}a\\textbraceright{}\\textbackslash{}b \\%\\&\\#\\_\\$ \\textasciitilde{}\\textasciicircum{} @x"
        );
        assert_eq!(bibtex("a\u{7}b", false), "a\u{fffd}b");
        assert_eq!(bibtex("''a--b?`", false), "'{}'a-{}-b?{}`");
        assert!(matches!(bibtex("Chen Dongxiao", false), Cow::Borrowed(_)));
        assert_eq!(
            bibtex("https://x.org/a_b%20c?q=1&r=#s", true),
            "https://x.org/a_b%20c?q=1&r=#s"
        );
        assert_eq!(
            bibtex("https://x.org/{a} b\\", true),
            "https://x.org/%7Ba%7D%20b%5C"
        );
    }

    /// Found by the `write_bibtex` fuzz check: a no-break space went into
    /// a URL raw, and biblatex read it back as a plain space.
    #[test]
    fn a_no_break_space_in_a_bibtex_url_is_percent_encoded() {
        assert_eq!(
            bibtex("https://x.org/a\u{a0}b\u{3000}c", true),
            "https://x.org/a%C2%A0b%E3%80%80c"
        );
    }

    proptest::proptest! {
        /// Whatever the text, the value's braces balance and never close
        /// below the field's own brace, so BibTeX finds where it ends; no
        /// line break or control character gets through.
        #[test]
        fn bibtex_values_always_balance(s in "\\PC*|[{}\\\\%&#_$~^\"@\n\t\u{0}-\u{1f}a ]*", verbatim: bool) {
            let out = bibtex(&s, verbatim);
            let mut depth = 0i64;
            for c in out.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                proptest::prop_assert!(depth >= 0, "{out:?}");
                proptest::prop_assert!(!c.is_control(), "{out:?}");
            }
            proptest::prop_assert_eq!(depth, 0);
        }
    }

    #[test]
    fn csv_quotes_cells_with_commas_quotes_and_line_breaks() {
        let rows = vec![vec![
            "a,b".to_string(),
            "say \"hi\"".into(),
            "x\ny".into(),
            "z".into(),
        ]];
        assert_eq!(
            csv(&rows),
            b"\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",z\r\n".to_vec()
        );
    }
}
