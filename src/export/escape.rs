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
