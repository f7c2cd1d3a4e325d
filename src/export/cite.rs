//! The sources in a real citation style (`--cite-style chicago|apa`), for
//! a researcher to paste into a paper. Each source is first written as the
//! CSL-JSON item the `csl-json` export writes, then formatted by hayagriva
//! (Typst's citation engine, a CSL processor) with the Chicago or APA
//! style from its archive of the official CSL styles — no formatting here.

use std::collections::BTreeMap;
use std::fmt;

use hayagriva::archive::{locales, ArchivedStyle};
use hayagriva::citationberg::{json::Item, IndependentStyle, Style};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest,
};

use super::csljson;
use crate::model::graph::Dataset;

/// A citation style for source lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiteStyle {
    /// The Chicago Manual of Style, 18th edition, notes and bibliography:
    /// the bibliography entry.
    Chicago,
    /// APA, 7th edition: the reference list entry.
    Apa,
}

impl CiteStyle {
    fn archived(self) -> ArchivedStyle {
        match self {
            CiteStyle::Chicago => ArchivedStyle::ChicagoNotes,
            CiteStyle::Apa => ArchivedStyle::AmericanPsychologicalAssociation,
        }
    }

    fn independent(self) -> IndependentStyle {
        match self.archived().get() {
            Style::Independent(s) => s,
            // Both styles are independent in the archive; a dependent one
            // would name its parent, which the archive does not resolve.
            Style::Dependent(_) => unreachable!("Chicago and APA are independent styles"),
        }
    }

    /// The style as CSL XML, exactly as it formats here, so another CSL
    /// processor can be given the same rules.
    pub fn csl_xml(self) -> String {
        let xml = Style::Independent(self.independent())
            .to_xml()
            .expect("an archived style serialises");
        // citationberg writes the elements without CSL's namespace, which
        // CSL processors look elements up by.
        xml.replacen(
            "<style ",
            "<style xmlns=\"http://purl.org/net/xbiblio/csl\" ",
            1,
        )
    }
}

impl fmt::Display for CiteStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CiteStyle::Chicago => "chicago",
            CiteStyle::Apa => "apa",
        })
    }
}

/// Every source of `ds` formatted in `style`, as plain text, by source id:
/// its bibliography entry, or, for a source the style keeps out of the
/// bibliography (Chicago cites encyclopedia entries and some untyped
/// documents in notes only), its full note.
pub fn references(ds: &Dataset, style: CiteStyle) -> BTreeMap<String, String> {
    let items: Vec<Item> = ds
        .sources()
        .values()
        .map(|s| {
            let json = serde_json::to_value(csljson::item(s)).expect("serialisable");
            serde_json::from_value(json).expect("our CSL-JSON is CSL-JSON")
        })
        .collect();
    let csl = style.independent();
    let locales = locales();
    let mut driver = BibliographyDriver::new();
    for item in &items {
        driver.citation(CitationRequest::from_items(
            vec![CitationItem::with_entry(item)],
            &csl,
            &locales,
        ));
    }
    let rendered = driver.finish(BibliographyRequest::new(&csl, None, &locales));
    let plain = |children: &hayagriva::ElemChildren| {
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = children.write_buf(&mut text, BufWriteFormat::Plain);
        text
    };
    let mut out: BTreeMap<String, String> = rendered
        .bibliography
        .map(|b| b.items)
        .unwrap_or_default()
        .into_iter()
        .map(|entry| (entry.key, plain(&entry.content)))
        .filter(|(_, text)| !text.is_empty())
        .collect();
    // Citations come back in the order they were asked for: one per source.
    for (source, note) in ds.sources().keys().zip(&rendered.citations) {
        if !out.contains_key(source.as_str()) {
            out.insert(source.to_string(), plain(&note.citation));
        }
    }
    out
}
