//! The writer targets: the fuzzer's bytes become the texts of a small
//! dataset (a name, a short name, a summary, a place, a citation's locator,
//! a source's title and author, a relation's summary, a kind's label),
//! which is loaded like any other and written in one format. The output is
//! read back with a real parser for its language, and each text must come
//! out exactly as it went in, from the field it was written to. Not just
//! "does not panic": a text that breaks the file's structure, or loses a
//! backslash, fails.

use std::collections::BTreeMap;

use detente::diagram::{self, DiagramOptions, Scene};
use detente::{load, Dataset, SourceFile};
use serde_json::{json, Value};

/// The texts of the fuzzed dataset, each as the loader keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    /// The entity `old`'s name.
    pub name: String,
    /// Its short name.
    pub short: String,
    /// Its summary.
    pub summary: String,
    /// Its place.
    pub place: String,
    /// The locator of its citation.
    pub at: String,
    /// The title of the source `doc`.
    pub title: String,
    /// The source's one author.
    pub author: String,
    /// The summary of the relation `new` succeeds `old`.
    pub relation: String,
    /// The label of the kind `mechanism`.
    pub kind: String,
}

impl Texts {
    /// Up to nine texts from arbitrary bytes, separated by NUL bytes;
    /// invalid UTF-8 becomes U+FFFD, characters the loader refuses are
    /// dropped and the rest trimmed, as the loader would; an empty or
    /// missing one gets a plain default.
    pub fn from_bytes(bytes: &[u8]) -> Texts {
        let text = String::from_utf8_lossy(bytes);
        let mut parts = text.split('\0').map(clean);
        let mut next = |default: &str| {
            parts
                .next()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| default.to_string())
        };
        Texts {
            name: next("Old Dialogue"),
            short: next("OD"),
            summary: next("A summary."),
            place: next("Beijing"),
            at: next("p. 1"),
            title: next("A document"),
            author: next("Some One"),
            relation: next("It took over."),
            kind: next("Mechanism"),
        }
    }

    /// The dataset, as a one-file JSON dataset (serde_json writes the
    /// strings, so any text survives the way in). Panics if the loader
    /// refuses it: every text is one it must accept.
    pub fn dataset(&self) -> Dataset {
        load_document(&self.document())
    }

    /// [`Texts::document`] with the fields only some formats have a place
    /// for: `new` is a document whose own record is the source, and whose
    /// status rests on `old`'s word, cited at the locator text.
    fn document_with_claims(&self) -> Value {
        let mut doc = self.document();
        doc["ontology"]["statuses"] = json!({ "active": { "label": "Active" } });
        doc["entities"][1]["source"] = json!("doc");
        doc["entities"][1]["status"] = json!({
            "value": "active", "claimed_by": "old", "stance": "assertion",
            "sources": [{ "source": "doc", "at": self.at }],
        });
        doc
    }

    /// The one-file JSON dataset [`Texts::dataset`] loads, for a target
    /// that puts the texts in more fields first.
    fn document(&self) -> Value {
        json!({
            "ontology": {
                "kinds": {
                    "mechanism": { "label": self.kind, "timeline": true },
                    "summit": { "label": "Summit" },
                },
                "relations": {
                    "succeeds": {
                        "inverse": "succeeded by",
                        "from": ["mechanism"],
                        "to": ["mechanism"],
                        "lineage": true,
                    },
                },
                "sides": { "east": { "label": "East" } },
                "statuses": {},
            },
            "sources": [
                { "id": "doc", "title": self.title, "authors": [self.author], "date": "2020" },
            ],
            "entities": [
                {
                    "id": "old", "kind": "mechanism", "name": self.name, "short": self.short,
                    "summary": self.summary, "place": self.place, "side": "east",
                    "date": "2010/2014", "sources": [{ "source": "doc", "at": self.at }],
                },
                {
                    "id": "new", "kind": "mechanism", "name": "New Dialogue", "side": "east",
                    "date": "2015/..", "sources": [{ "source": "doc", "at": "p. 2" }],
                },
            ],
            "relations": [
                {
                    "type": "succeeds", "from": "new", "to": "old", "date": "2015",
                    "summary": self.relation, "sources": [{ "source": "doc", "at": "p. 2" }],
                },
            ],
        })
    }
}

/// A one-file JSON dataset, loaded. Panics if the loader refuses it: the
/// targets only put texts in it that the loader must accept.
fn load_document(doc: &Value) -> Dataset {
    let text = serde_json::to_string_pretty(doc).expect("serialisable");
    match load(&[SourceFile::dataset_json("fuzz.json", text.clone())]) {
        Ok(ds) => ds,
        Err(problems) => {
            let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            panic!("the loader refused texts it must accept: {shown:#?}\n{text}")
        }
    }
}

/// A text as the loader keeps it: without the characters it refuses
/// (control codes other than tab and line feed, bidirectional overrides,
/// U+FFFE and U+FFFF), trimmed.
pub fn clean(s: &str) -> String {
    let kept: String = s
        .chars()
        .filter(|&c| {
            !((c.is_control() && c != '\n' && c != '\t')
                || matches!(
                    c,
                    '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{fffe}' | '\u{ffff}'
                ))
        })
        .collect();
    kept.trim().to_string()
}

/// What XML 1.0 carries of a text: U+FFFE and U+FFFF, which it cannot,
/// are written as U+FFFD (`export::escape::xml` says so).
fn in_xml(s: &str) -> String {
    s.replace(['\u{fffe}', '\u{ffff}'], "\u{fffd}")
}

/// `s` without any whitespace: what survives of a text that a diagram
/// wraps onto several lines.
fn squashed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

// ---------------------------------------------------------------- JSON

/// `json`: parses back; every text is in its field; the dataset reloads
/// from it and exports the same bytes again.
pub fn write_json(bytes: &[u8]) {
    let t = Texts::from_bytes(bytes);
    let ds = t.dataset();
    super::check_json_round_trip(&ds);
    let doc: Value = serde_json::from_slice(&super::export(&ds, "json")).expect("JSON parses");
    let old = find(&doc["entities"], "id", "old");
    assert_eq!(old["name"], t.name.as_str());
    assert_eq!(old["short"], t.short.as_str());
    assert_eq!(old["summary"], t.summary.as_str());
    assert_eq!(old["place"], t.place.as_str());
    assert_eq!(old["sources"][0]["at"], t.at.as_str());
    let doc_source = find(&doc["sources"], "id", "doc");
    assert_eq!(doc_source["title"], t.title.as_str());
    assert_eq!(doc_source["authors"][0], t.author.as_str());
    assert_eq!(doc["relations"][0]["summary"], t.relation.as_str());
    assert_eq!(
        doc["ontology"]["kinds"]["mechanism"]["label"],
        t.kind.as_str()
    );
}

/// The element of JSON array `list` whose `key` is `value`.
fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .expect("an array")
        .iter()
        .find(|v| v[key] == value)
        .unwrap_or_else(|| panic!("no {key} {value} in {list}"))
}

// ----------------------------------------------------------------- CSV

/// A CSV file of an export, read by the `csv` crate: its header and its
/// rows by column, every row as wide as the header.
fn csv_table(
    files: &[detente::ExportFile],
    name: &str,
) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let file = files
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no {name}"));
    let mut r = csv::Reader::from_reader(file.bytes.as_slice());
    let header: Vec<String> = r
        .headers()
        .expect("a header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
            assert_eq!(
                rec.len(),
                header.len(),
                "{name}: a row is not as wide as the header"
            );
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

/// `csv`: both tables parse, every row as wide as its header, and each
/// text is in its column of its row.
pub fn write_csv(bytes: &[u8]) {
    let t = Texts::from_bytes(bytes);
    let ds = load_document(&t.document_with_claims());
    let files = detente::exporter("csv").expect("csv").export(&ds);
    let table = |name: &str| csv_table(&files, name).1;
    let nodes = table("nodes.csv");
    assert_eq!(nodes.len(), 2, "two entities, two rows");
    let old = nodes
        .iter()
        .find(|r| r["ID"] == "old")
        .expect("the row of old");
    assert_eq!(old["Name"], t.name);
    assert_eq!(old["Label"], t.short);
    assert_eq!(old["Short"], t.short);
    let new = nodes
        .iter()
        .find(|r| r["ID"] == "new")
        .expect("the row of new");
    assert_eq!(new["Status claimed by"], "old");
    assert_eq!(new["Status stance"], "assertion");
    assert!(new["Status citations"].contains(&t.at), "{new:?}");
    assert!(new["Record"].contains(&t.title), "{new:?}");
    assert_eq!(old["Description"], t.summary);
    assert_eq!(old["Place"], t.place);
    assert_eq!(old["Type"], t.kind);
    assert!(old["Citations"].contains(&t.at), "{:?}", old["Citations"]);
    assert!(
        old["Citations"].contains(&t.title),
        "{:?}",
        old["Citations"]
    );
    let edges = table("edges.csv");
    assert_eq!(edges.len(), 1, "one relation, one row");
    assert_eq!(edges[0]["Description"], t.relation);
}

// ----------------------------------------------------------------- XML

/// One element of an XML document, with its attributes and the text
/// directly inside it, every reference resolved.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
}

/// Whether XML 1.0 can carry `c` at all.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// Every element of `doc` in document order, read by quick-xml with end
/// names checked; panics where the document is not well-formed: a
/// character XML cannot carry, a raw line break or tab in an attribute
/// value (parsers turn it into a space), an unknown entity, an element
/// left open.
fn xml_elements(doc: &str) -> Vec<Element> {
    use quick_xml::events::Event;
    if let Some(c) = doc.chars().find(|&c| !xml_char(c)) {
        panic!("U+{:04X} cannot be in XML:\n{doc}", u32::from(c));
    }
    let mut reader = quick_xml::Reader::from_str(doc);
    reader.config_mut().check_end_names = true;
    let mut out: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut roots = 0;
    loop {
        let event = reader.read_event().unwrap_or_else(|e| {
            panic!(
                "not well-formed XML at {}: {e}\n{doc}",
                reader.buffer_position()
            )
        });
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let mut el = Element {
                    name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                    ..Element::default()
                };
                for a in e.attributes() {
                    let a = a.unwrap_or_else(|err| panic!("a bad attribute: {err}\n{doc}"));
                    let raw = String::from_utf8_lossy(&a.value);
                    assert!(
                        !raw.contains(['\n', '\r', '\t', '<']),
                        "a raw line break, tab or `<` in an attribute value: {raw:?}"
                    );
                    let value = a
                        .unescape_value()
                        .unwrap_or_else(|err| panic!("a bad reference in {raw:?}: {err}"));
                    el.attrs.insert(
                        String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                        value.into_owned(),
                    );
                }
                if open.is_empty() {
                    roots += 1;
                }
                out.push(el);
                if matches!(event, Event::Start(_)) {
                    open.push(out.len() - 1);
                }
            }
            Event::End(_) => {
                open.pop().expect("an end tag with nothing open");
            }
            Event::Text(e) => {
                let text = e.decode().expect("UTF-8");
                assert!(!text.contains('\r'), "a raw carriage return in text");
                if let Some(&i) = open.last() {
                    out[i].text.push_str(&text);
                } else {
                    assert!(text.trim().is_empty(), "text outside the root: {text:?}");
                }
            }
            Event::GeneralRef(e) => {
                let c = if e.is_char_ref() {
                    e.resolve_char_ref()
                        .unwrap_or_else(|err| panic!("a bad character reference: {err}"))
                        .map(String::from)
                } else {
                    let name = e.decode().expect("UTF-8");
                    quick_xml::escape::resolve_predefined_entity(&name).map(String::from)
                };
                let c = c.unwrap_or_else(|| panic!("an unknown entity in\n{doc}"));
                assert!(
                    c.chars().all(xml_char),
                    "a reference to a character XML cannot carry"
                );
                let i = *open.last().expect("a reference outside the root");
                out[i].text.push_str(&c);
            }
            Event::CData(_) => panic!("detente writes no CDATA"),
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "elements left open");
    assert_eq!(roots, 1, "one root element");
    out
}

/// The `<data key="…">` values inside the GraphML element with `id`.
fn graphml_data(els: &[Element], tag: &str, id: &str) -> BTreeMap<String, String> {
    let at = els
        .iter()
        .position(|e| e.name == tag && e.attrs.get("id").map(String::as_str) == Some(id))
        .unwrap_or_else(|| panic!("no <{tag} id={id:?}>"));
    els[at + 1..]
        .iter()
        .take_while(|e| e.name == "data")
        .map(|e| (e.attrs["key"].clone(), e.text.clone()))
        .collect()
}

/// `graphml`: well-formed, and each text is in its `<data>`.
pub fn write_graphml(bytes: &[u8]) {
    let t = Texts::from_bytes(bytes);
    let ds = t.dataset();
    let doc = String::from_utf8(super::export(&ds, "graphml")).expect("UTF-8");
    let els = xml_elements(&doc);
    let old = graphml_data(&els, "node", "old");
    assert_eq!(old["n_name"], in_xml(&t.name));
    assert_eq!(old["n_label"], in_xml(&t.short));
    assert_eq!(old["n_summary"], in_xml(&t.summary));
    assert_eq!(old["n_place"], in_xml(&t.place));
    assert!(old["n_citations"].contains(&in_xml(&t.at)));
    assert!(old["n_citations"].contains(&in_xml(&t.title)));
    let edge = graphml_data(&els, "edge", "e0");
    assert_eq!(edge["e_summary"], in_xml(&t.relation));
}

/// `gexf`: well-formed, and each text is in its attribute value.
pub fn write_gexf(bytes: &[u8]) {
    let t = Texts::from_bytes(bytes);
    let ds = t.dataset();
    let doc = String::from_utf8(super::export(&ds, "gexf")).expect("UTF-8");
    let els = xml_elements(&doc);
    let at = els
        .iter()
        .position(|e| e.name == "node" && e.attrs["id"] == "old")
        .expect("node old");
    assert_eq!(els[at].attrs["label"], in_xml(&t.short));
    let values: BTreeMap<&str, &str> = els[at + 1..]
        .iter()
        .skip_while(|e| e.name != "attvalue")
        .take_while(|e| e.name == "attvalue")
        .map(|e| (e.attrs["for"].as_str(), e.attrs["value"].as_str()))
        .collect();
    assert_eq!(values["name"], in_xml(&t.name));
    assert_eq!(values["summary"], in_xml(&t.summary));
    assert!(values["citations"].contains(&in_xml(&t.at)));
    let edge = els.iter().position(|e| e.name == "edge").expect("an edge");
    let summary = els[edge + 1..]
        .iter()
        .find(|e| e.name == "attvalue" && e.attrs["for"] == "summary")
        .expect("the edge's summary");
    assert_eq!(summary.attrs["value"], in_xml(&t.relation));
}

// -------------------------------------------------------------- Turtle

/// `turtle`: parses (oxttl), and each text is a literal of the right
/// subject and predicate.
pub fn write_turtle(bytes: &[u8]) {
    use oxrdf::Term;
    let t = Texts::from_bytes(bytes);
    let ds = t.dataset();
    let doc = super::export(&ds, "turtle");
    let mut literals: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for triple in oxttl::TurtleParser::new().for_slice(&doc) {
        let triple = triple.unwrap_or_else(|e| {
            panic!(
                "Turtle does not parse: {e}\n{}",
                String::from_utf8_lossy(&doc)
            )
        });
        if let Term::Literal(l) = &triple.object {
            let subject = match &triple.subject {
                oxrdf::NamedOrBlankNode::NamedNode(n) => n.as_str().to_string(),
                oxrdf::NamedOrBlankNode::BlankNode(_) => "_".to_string(),
            };
            literals
                .entry((subject, triple.predicate.as_str().to_string()))
                .or_default()
                .push(l.value().to_string());
        }
    }
    let get = |s: &str, p: &str| -> Vec<String> {
        literals
            .get(&(s.to_string(), p.to_string()))
            .cloned()
            .unwrap_or_default()
    };
    let d = "https://w3id.org/detente/id/old";
    let rdfs = "http://www.w3.org/2000/01/rdf-schema#";
    let dt = "https://w3id.org/detente/vocab#";
    assert_eq!(
        get(d, &format!("{rdfs}label")),
        std::slice::from_ref(&t.name)
    );
    assert_eq!(
        get(d, &format!("{dt}short")),
        std::slice::from_ref(&t.short)
    );
    assert_eq!(
        get(d, &format!("{rdfs}comment")),
        std::slice::from_ref(&t.summary)
    );
    assert!(get("_", &format!("{dt}locator")).contains(&t.at));
    assert_eq!(
        get(
            "https://w3id.org/detente/source/doc",
            "http://purl.org/dc/terms/title"
        ),
        std::slice::from_ref(&t.title)
    );
    assert!(get("_", &format!("{rdfs}comment")).contains(&t.relation));
    assert_eq!(
        get(
            "https://w3id.org/detente/kind/mechanism",
            &format!("{rdfs}label")
        ),
        std::slice::from_ref(&t.kind)
    );
}

// ---------------------------------------------- TimelineJS and CSL-JSON

/// `timelinejs`: parses as JSON; the slide of `old` has its short name as
/// headline and its name and summary in its text, all HTML that decodes
/// back to the texts.
pub fn write_timelinejs(bytes: &[u8]) {
    let t = Texts::from_bytes(bytes);
    let ds = t.dataset();
    let doc: Value =
        serde_json::from_slice(&super::export(&ds, "timelinejs")).expect("JSON parses");
    let events = doc["events"].as_array().expect("events");
    let slide = events
        .iter()
        .find(|e| e["unique_id"] == "old")
        .unwrap_or_else(|| panic!("no slide for old in {doc}"));
    let headline = html_text(slide["text"]["headline"].as_str().expect("a headline"));
    assert_eq!(headline, t.short);
    let text = html_text(slide["text"]["text"].as_str().expect("a text"));
    // The name is in the text when the headline is the short name.
    assert!(
        text.contains(&t.name) || t.name == t.short,
        "{text:?} lacks {:?}",
        t.name
    );
    assert!(text.contains(&t.summary), "{text:?} lacks {:?}", t.summary);
    assert!(text.contains(&t.at), "{text:?} lacks {:?}", t.at);
}

/// The text of an HTML fragment, parsed by html5ever (as a browser would),
/// with `<br>` read as a line break. Panics on a parse error or on any
/// element but the few TimelineJS text is made of.
fn html_text(fragment: &str) -> String {
    // html5ever drops a byte order mark at the very start of its input, as
    // a browser does of a file; a slide's text is not a file, so a marker
    // goes first and is taken off after.
    let html = scraper::Html::parse_fragment(&format!("x{fragment}"));
    assert!(html.errors.is_empty(), "{fragment:?}: {:?}", html.errors);
    let mut out = String::new();
    for node in html.root_element().descendants() {
        match node.value() {
            scraper::Node::Text(text) => out.push_str(text),
            scraper::Node::Element(el) => {
                let name = el.name();
                assert!(
                    ["html", "p", "b", "code", "br"].contains(&name),
                    "<{name}> in {fragment:?}"
                );
                if name == "br" {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
    out.strip_prefix('x').expect("the marker").to_string()
}

/// `csl-json`: parses; the item `doc` has the title and the author.
pub fn write_csljson(bytes: &[u8]) {
    let t = Texts::from_bytes(bytes);
    let ds = t.dataset();
    let doc: Value = serde_json::from_slice(&super::export(&ds, "csl-json")).expect("JSON parses");
    let item = find(&doc, "id", "doc");
    assert_eq!(item["title"], t.title.as_str());
    assert_eq!(item["author"][0]["literal"], t.author.as_str());
}

// ----------------------------------------------------------------- DOT

/// The scene of the lineage of `new` in the fuzzed dataset, titled and
/// captioned with fuzzed texts too.
fn scene(t: &Texts, ds: &Dataset) -> Scene {
    let opts = DiagramOptions {
        title: Some(t.title.clone()),
        caption: Some(t.relation.clone()),
        link_base: detente::diagram::LinkBase::new("https://example.org/e/").ok(),
        ..DiagramOptions::default()
    };
    let new = detente::query::LineageOptions::default()
        .validate(ds, "new")
        .expect("new has a lineage");
    Scene::Graph(diagram::lineage(ds, &new, &opts).expect("a lineage draws"))
}

/// How Graphviz reads a DOT attribute (see `render::escape::Reading`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Reading {
    Label,
    Tooltip,
    Url,
    Other,
}

fn reading(attr: &str) -> Reading {
    match attr {
        "label" | "xlabel" | "headlabel" | "taillabel" => Reading::Label,
        "tooltip" | "edgetooltip" | "labeltooltip" | "headtooltip" | "tailtooltip" => {
            Reading::Tooltip
        }
        "URL" | "href" | "edgeURL" | "edgehref" | "labelURL" | "labelhref" | "headURL"
        | "tailURL" => Reading::Url,
        _ => Reading::Other,
    }
}

/// What Graphviz draws for a quoted DOT string read as `reading`: the
/// quotes' own escape (`\"`) undone, then (tooltips) one more level of
/// backslashes, then the escString (`\\` is a backslash, `\n`, `\l`, `\r`
/// break the line, and `\N`, `\G`, `\E`, `\T`, `\H`, `\L`, which name the
/// object, must not be there), then HTML entities.
fn dot_string(quoted: &str, reading: Reading) -> String {
    let inner = quoted
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or_else(|| panic!("not a quoted string: {quoted}"));
    // The DOT lexer: `\"` is a quote; every other backslash stays.
    let mut s = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&'"') {
            s.push(chars.next().unwrap());
        } else {
            assert!(c != '"', "an unescaped quote inside {quoted}");
            s.push(c);
        }
    }
    if reading == Reading::Tooltip {
        s = s.replace("\\\\", "\\");
    }
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'l' | 'r') => out.push('\n'),
            Some(x @ ('N' | 'G' | 'E' | 'T' | 'H' | 'L')) => {
                panic!("Graphviz would expand `\\{x}` in {quoted}")
            }
            Some(x) => out.push(x),
            None => panic!("a lone backslash ends {quoted}"),
        }
    }
    html_entities(&out)
}

/// `s` with the entities Graphviz decodes resolved: data only ever
/// reaches DOT with `&` written as `&amp;`, so any other entity, or a bare
/// `&`, is a failure.
fn html_entities(s: &str) -> String {
    quick_xml::escape::unescape_with(s, quick_xml::escape::resolve_predefined_entity)
        .unwrap_or_else(|e| panic!("a bad entity in {s:?}: {e}"))
        .into_owned()
}

/// The text of a Graphviz HTML-like label: it must be well-formed XML
/// (Graphviz parses it with expat); `<BR/>` is a line break, and the
/// backslashes Graphviz reads as escStrings even here come out single.
fn dot_html_text(label: &str) -> String {
    let doc = format!("<x>{label}</x>");
    let els = xml_elements(&doc);
    let mut out = String::new();
    // Text is collected per element; for the check, order within the
    // label does not matter, only that each piece is whole.
    for e in &els {
        if e.name == "BR" {
            out.push('\n');
        }
        out.push_str(&e.text);
        out.push('\n');
    }
    let mut drawn = String::new();
    let mut chars = out.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(x @ ('N' | 'G' | 'E' | 'T' | 'H' | 'L')) => {
                    panic!("Graphviz would expand `\\{x}` in {label}")
                }
                Some(x) => drawn.push(x),
                None => panic!("a lone backslash ends {label}"),
            }
        } else {
            drawn.push(c);
        }
    }
    drawn
}

/// Every attribute of `dot` as Graphviz would read it, by owner (`graph`,
/// or a node's or edge's ids) and name.
fn dot_attributes(dot: &str) -> Vec<(String, String, String)> {
    use graphviz_rust::dot_structures::{
        Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, Stmt, Subgraph, Vertex,
    };
    let graph =
        graphviz_rust::parse(dot).unwrap_or_else(|e| panic!("DOT does not parse: {e}\n{dot}"));
    fn id_text(id: &Id) -> String {
        match id {
            Id::Html(s) | Id::Escaped(s) | Id::Plain(s) | Id::Anonymous(s) => s.clone(),
        }
    }
    fn value(attr: &Attribute) -> String {
        let Attribute(k, v) = attr;
        let name = id_text(k);
        match v {
            Id::Html(s) => {
                let inner = s
                    .strip_prefix('<')
                    .and_then(|s| s.strip_suffix('>'))
                    .expect("an HTML-like label in <>");
                dot_html_text(inner)
            }
            Id::Escaped(s) => {
                let r = reading(&name);
                if r == Reading::Url {
                    let inner = s.trim_matches('"');
                    assert!(
                        inner
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric()
                                || b"-._~:/?#[]@!$()*+,;=%".contains(&b)),
                        "a URL with characters Graphviz copies into SVG unescaped: {s}"
                    );
                    inner.to_string()
                } else {
                    dot_string(s, r)
                }
            }
            Id::Plain(s) | Id::Anonymous(s) => s.clone(),
        }
    }
    fn walk(stmts: &[Stmt], owner: &str, out: &mut Vec<(String, String, String)>) {
        for s in stmts {
            match s {
                Stmt::Node(Node { id, attributes }) => {
                    for a in attributes {
                        out.push((id_text(&id.0), id_text(&a.0), value(a)));
                    }
                }
                Stmt::Edge(Edge { ty, attributes }) => {
                    let owner = match ty {
                        EdgeTy::Pair(Vertex::N(a), Vertex::N(b)) => {
                            format!("{}->{}", id_text(&a.0), id_text(&b.0))
                        }
                        _ => "edge".to_string(),
                    };
                    for a in attributes {
                        out.push((owner.clone(), id_text(&a.0), value(a)));
                    }
                }
                Stmt::Attribute(a) => out.push((owner.to_string(), id_text(&a.0), value(a))),
                Stmt::GAttribute(g) => {
                    let (kind, attrs) = match g {
                        GraphAttributes::Graph(a) => ("graph", a),
                        GraphAttributes::Node(a) => ("node", a),
                        GraphAttributes::Edge(a) => ("edge", a),
                    };
                    for a in attrs {
                        out.push((format!("{owner}/{kind}"), id_text(&a.0), value(a)));
                    }
                }
                Stmt::Subgraph(Subgraph { id, stmts }) => walk(stmts, &id_text(id), out),
            }
        }
    }
    let mut out = Vec::new();
    match graph {
        Graph::DiGraph { stmts, .. } | Graph::Graph { stmts, .. } => {
            walk(&stmts, "graph", &mut out)
        }
    }
    out
}

/// `dot`: the DOT of a diagram parses; no attribute lets Graphviz expand
/// an escape from the data; URLs are percent-encoded; the node of `old`
/// has its name and summary in its tooltip exactly and its short name
/// drawn (wrapped, perhaps) in its label; the title is drawn.
pub fn write_dot(bytes: &[u8]) {
    let t = Texts::from_bytes(bytes);
    let ds = t.dataset();
    let dot = diagram::to_dot(&scene(&t, &ds));
    let attrs = dot_attributes(&dot);
    let of = |owner: &str, name: &str| -> String {
        attrs
            .iter()
            .find(|(o, n, _)| o == owner && n == name)
            .map(|(_, _, v)| v.clone())
            .unwrap_or_else(|| panic!("no {name} on {owner} in\n{dot}"))
    };
    // A diagram draws a tab as a space (`render::escape`).
    let drawn = |s: &str| s.replace('\t', " ");
    let t = Texts {
        name: drawn(&t.name),
        summary: drawn(&t.summary),
        ..t.clone()
    };
    let tooltip = of("n_old", "tooltip");
    assert!(
        tooltip.starts_with(&t.name),
        "{tooltip:?} does not start with {:?}",
        t.name
    );
    assert!(
        tooltip.contains(&t.summary),
        "{tooltip:?} lacks {:?}",
        t.summary
    );
    let label = squashed(&of("n_old", "label"));
    assert!(
        label.contains(&squashed(&t.short)),
        "{label:?} lacks {:?}",
        t.short
    );
    let all_labels: String = attrs
        .iter()
        .filter(|(_, n, _)| n == "label")
        .map(|(_, _, v)| squashed(v))
        .collect();
    assert!(
        all_labels.contains(&squashed(&t.title)),
        "the title {:?} is not drawn",
        t.title
    );
}

// ------------------------------------------------------------- Mermaid

/// Mermaid's `#…;` codes and `<br/>` resolved, as Mermaid draws a label.
fn mermaid_text(label: &str) -> String {
    let mut out = String::new();
    let mut rest = label;
    while let Some(i) = rest.find(['#', '<']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(r) = rest.strip_prefix("<br/>") {
            out.push('\n');
            rest = r;
            continue;
        }
        assert!(
            rest.starts_with('#'),
            "a raw `<` in a Mermaid label: {label:?}"
        );
        let end = rest
            .find(';')
            .unwrap_or_else(|| panic!("a raw `#` in {label:?}"));
        let code = &rest[1..end];
        let c = match code {
            "quot" => '"',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            n => n
                .parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .unwrap_or_else(|| panic!("an unknown code #{n}; in {label:?}")),
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The labels of a Mermaid flowchart, by the id that starts their line,
/// decoded; and its title. Panics where a line could be read as more than
/// one statement: an odd number of quotes, or a label holding a character
/// that would end it.
fn mermaid_labels(text: &str) -> (String, BTreeMap<String, Vec<String>>) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("---"));
    let title_line = lines.next().expect("a title");
    let title: String = serde_json::from_str(
        title_line
            .strip_prefix("title: ")
            .unwrap_or_else(|| panic!("{title_line:?}")),
    )
    .unwrap_or_else(|e| panic!("the title is not a YAML double-quoted string: {e}: {title_line}"));
    assert_eq!(lines.next(), Some("---"));
    let mut labels: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in lines {
        let trimmed = line.trim_start();
        if trimmed.starts_with("%%") || trimmed.is_empty() {
            continue;
        }
        let quotes: Vec<usize> = line.match_indices('"').map(|(i, _)| i).collect();
        assert!(
            quotes.len().is_multiple_of(2),
            "an odd number of quotes: {line:?}"
        );
        let head: String = trimmed
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        for pair in quotes.chunks(2) {
            let inside = &line[pair[0] + 1..pair[1]];
            assert!(
                !inside
                    .replace("<br/>", "")
                    .contains(['[', ']', '{', '}', '|', '`', '<', '>']),
                "a label that can end early: {inside:?}"
            );
            labels
                .entry(head.clone())
                .or_default()
                .push(mermaid_text(inside));
        }
    }
    (title, labels)
}

/// `mermaid`: every line of the flowchart is one statement whose quoted
/// labels hold none of the characters that would end them; the node of
/// `old` draws its short name, and the front matter's title is the title.
pub fn write_mermaid(bytes: &[u8]) {
    let t = Texts::from_bytes(bytes);
    let ds = t.dataset();
    let text = diagram::to_mermaid(&scene(&t, &ds));
    let (title, labels) = mermaid_labels(&text);
    assert_eq!(squashed(&title), squashed(&t.title));
    let old = labels
        .get("n_old")
        .unwrap_or_else(|| panic!("no node n_old in\n{text}"));
    assert!(
        old.iter()
            .any(|l| squashed(l).contains(&squashed(&t.short))),
        "{old:?} lacks {:?}",
        t.short
    );
}

/// Any dataset that loads draws as a poster of its whole network in DOT
/// and Mermaid that parse back as [`write_dot`] and [`write_mermaid`] do:
/// the loader targets reach the diagrams with whatever the ontology and
/// data hold.
pub(crate) fn check_diagrams(ds: &Dataset) {
    let opts = DiagramOptions {
        size: diagram::Size::Poster,
        ..DiagramOptions::default()
    };
    let settings = detente::query::NetworkOptions::default()
        .validate(ds)
        .expect("the whole network is a valid selection");
    let Ok(scene) = diagram::network(ds, &settings, &opts) else {
        return;
    };
    let scene = Scene::Graph(scene);
    dot_attributes(&diagram::to_dot(&scene));
    mermaid_labels(&diagram::to_mermaid(&scene));
}

// ---------------------------------------------------------------- Site

/// Pictures are not the point here: every DOT becomes an empty SVG.
struct NoPictures;

impl detente::SvgRenderer for NoPictures {
    fn render_all(&self, dots: &[String]) -> Result<Vec<String>, String> {
        Ok(dots
            .iter()
            .map(|_| r#"<svg xmlns="http://www.w3.org/2000/svg"></svg>"#.to_string())
            .collect())
    }
}

/// `site`: every page parses as HTML5 without an error and has no script
/// but the site's own; the page of `old` is headed with its name and shows
/// its summary, place and citation; the search index is JSON that holds
/// the name.
pub fn write_site(bytes: &[u8]) {
    let t = Texts::from_bytes(bytes);
    let ds = t.dataset();
    let opts = detente::SiteOptions {
        title: t.kind.clone(),
        base_url: None,
        data: "fuzz".into(),
    };
    let files = detente::site(&ds, &opts, &NoPictures).expect("a site");
    let script = scraper::Selector::parse("script").expect("selector");
    let text_of = |el: scraper::ElementRef| el.text().collect::<String>();
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let page = std::str::from_utf8(&f.bytes).expect("UTF-8");
        let html = scraper::Html::parse_document(page);
        assert!(html.errors.is_empty(), "{}: {:?}", f.path, html.errors);
        for s in html.select(&script) {
            let src = s.value().attr("src").unwrap_or_default();
            assert!(
                src.contains("assets/") && text_of(s).trim().is_empty(),
                "{}: a script that is not the site's own: {}",
                f.path,
                s.html()
            );
        }
        let title = scraper::Selector::parse("title").expect("selector");
        let title = html.select(&title).next().expect("a title");
        assert!(
            text_of(title).contains(&t.kind),
            "{}: the site's title",
            f.path
        );
    }
    let page = files
        .iter()
        .find(|f| f.path == "entity/old/index.html")
        .expect("a page for old");
    let html = scraper::Html::parse_document(std::str::from_utf8(&page.bytes).expect("UTF-8"));
    let h1 = scraper::Selector::parse("h1").expect("selector");
    let h1 = html.select(&h1).next().expect("a heading");
    assert_eq!(text_of(h1), t.name);
    let texts: Vec<String> = html.root_element().text().map(String::from).collect();
    let all = texts.concat();
    assert!(
        all.contains(&t.summary),
        "the page lacks the summary {:?}",
        t.summary
    );
    assert!(
        all.contains(&t.place),
        "the page lacks the place {:?}",
        t.place
    );
    assert!(all.contains(&t.at), "the page lacks the locator {:?}", t.at);
    let index = files
        .iter()
        .find(|f| f.path == "assets/search-index.js")
        .expect("a search index");
    let js = std::str::from_utf8(&index.bytes).expect("UTF-8");
    let json = js
        .strip_prefix("window.DETENTE_SEARCH = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("one assignment");
    let index: Value = serde_json::from_str(json).expect("the index is JSON");
    let names: Vec<&Value> = index["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| &e["name"])
        .collect();
    assert!(names.contains(&&Value::from(t.name.as_str())), "{names:?}");
}

// -------------------------------------------------------------- BibTeX

/// A text as biblatex reads it back from a normal BibTeX field: every run
/// of whitespace is one space, as it is to BibTeX and LaTeX (the escaper
/// writes line breaks and tabs as spaces for that reason).
fn bib_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    if space {
        out.push(' ');
    }
    out
}

/// `s` with each run of up to three hyphens read as biblatex reads it,
/// even in a verbatim field: `--` an en dash, `---` an em dash.
fn bib_dashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '-' {
            out.push(c);
            continue;
        }
        let mut n = 1;
        while n < 3 && chars.peek() == Some(&'-') {
            chars.next();
            n += 1;
        }
        out.push(match n {
            1 => '-',
            2 => '\u{2013}',
            _ => '\u{2014}',
        });
    }
    out
}

/// `s` with every `%XX` percent-decoded (bytes that are not UTF-8 as
/// U+FFFD): two spellings of one address decode alike.
fn percent_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |x: u8| char::from(x).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `bibtex`: the sources, with the texts in every field a source has,
/// written as BibTeX and read back by biblatex. The file is one record
/// per source and one field per line (no value can start a line, where
/// some readers would take an `@` for a new record); every record is
/// there, under its key, with exactly the fields the source has; each
/// author is one braced name, never split at an `and` inside it; and each
/// text reads back as it went in, its whitespace as BibTeX reads it.
pub fn write_bibtex(bytes: &[u8]) {
    let t = Texts::from_bytes(bytes);
    let mut doc = t.document();
    // `doc` has every field a source can have, each holding a text; the
    // type makes it an article (container → journal); `doc2` takes its
    // type from the data, which BibTeX keeps in `type`.
    doc["sources"][0] = json!({
        "id": "doc", "type": "journal article", "title": t.title,
        "authors": [t.author, t.name], "container": t.short, "publisher": t.place,
        "date": "2020-03", "url": t.at, "language": t.kind, "license": t.summary,
        "note": t.relation,
    });
    doc["sources"]
        .as_array_mut()
        .expect("sources")
        .push(json!({ "id": "doc2", "type": t.kind, "title": t.summary, "author": t.short }));
    let ds = load_document(&doc);
    let text = String::from_utf8(super::export(&ds, "bibtex")).expect("UTF-8");
    for line in text.lines() {
        assert!(
            line.is_empty()
                || line == "}"
                || (line.starts_with('@') && line.ends_with(','))
                || (line.starts_with("  ") && line.ends_with("},")),
            "a line that is not a record's head, a field or a record's end: {line:?}\n{text}"
        );
        // BibTeX finds a value's end by counting braces, escaped or not
        // (biblatex, below, skips `\{`, so it alone would not notice).
        if let Some((_, value)) = line.split_once(" = {") {
            let value = value.strip_suffix("},").expect("a braced value");
            let mut depth = 0;
            for c in value.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                assert!(depth >= 0, "a value BibTeX ends early: {line:?}");
            }
            assert_eq!(depth, 0, "a value BibTeX does not end: {line:?}");
        }
    }
    let bib = biblatex::Bibliography::parse(&text)
        .unwrap_or_else(|e| panic!("biblatex does not parse it: {e:?}\n{text}"));
    let keys: Vec<&str> = bib.keys().collect();
    assert_eq!(keys, ["doc", "doc2"], "{text}");
    let field = |key: &str, name: &str| -> String {
        let chunks = bib
            .get(key)
            .expect("the record")
            .get(name)
            .unwrap_or_else(|| panic!("{key} has no {name}:\n{text}"));
        chunks.iter().map(|c| c.v.get()).collect()
    };
    let fields = |key: &str| -> Vec<String> {
        let mut f: Vec<String> = bib
            .get(key)
            .expect("the record")
            .fields
            .keys()
            .cloned()
            .collect();
        f.sort();
        f
    };
    let entry = bib.get("doc").expect("doc");
    assert_eq!(entry.entry_type, biblatex::EntryType::Article);
    assert_eq!(
        fields("doc"),
        [
            "author",
            "journal",
            "language",
            "license",
            "month",
            "note",
            "publisher",
            "title",
            "type",
            "url",
            "year"
        ]
    );
    assert_eq!(field("doc", "title"), bib_text(&t.title));
    assert_eq!(field("doc", "journal"), bib_text(&t.short));
    assert_eq!(field("doc", "publisher"), bib_text(&t.place));
    assert_eq!(field("doc", "language"), bib_text(&t.kind));
    assert_eq!(field("doc", "license"), bib_text(&t.summary));
    assert_eq!(field("doc", "note"), bib_text(&t.relation));
    assert_eq!(field("doc", "type"), "journal article");
    assert_eq!(
        (field("doc", "year"), field("doc", "month")),
        ("2020".into(), "3".into())
    );
    // A URL is read verbatim: what is written must be the same address,
    // every character it percent-encodes decoding to the text's own.
    let url = field("doc", "url");
    assert!(
        !url.contains(|c: char| c.is_whitespace() || "{}\\".contains(c)),
        "a URL that BibTeX or LaTeX would change: {url:?}"
    );
    assert_eq!(percent_decoded(&url), bib_dashes(&percent_decoded(&t.at)));
    // The authors: each one braced name (a verbatim chunk), `and` between
    // (biblatex may add an empty chunk before the first brace).
    let authors = bib.get("doc").expect("doc").get("author").expect("authors");
    let parts: Vec<(bool, String)> = authors
        .iter()
        .filter(|c| !c.v.get().is_empty())
        .map(|c| {
            (
                matches!(c.v, biblatex::Chunk::Verbatim(_)),
                c.v.get().to_string(),
            )
        })
        .collect();
    assert_eq!(
        parts,
        [
            (true, bib_text(&t.author)),
            (false, " and ".to_string()),
            (true, bib_text(&t.name))
        ],
        "{text}"
    );
    assert_eq!(fields("doc2"), ["author", "title", "type"]);
    assert_eq!(field("doc2", "type"), bib_text(&t.kind));
    assert_eq!(field("doc2", "title"), bib_text(&t.summary));
    assert_eq!(field("doc2", "author"), bib_text(&t.short));
}

// --------------------------------------------------------------- Neo4j

/// The columns a Cypher statement reads of `row`: `row.name`, or
/// `` row.`name:type` `` quoted.
fn cypher_columns(statement: &str) -> Vec<&str> {
    statement
        .match_indices("row.")
        .map(|(i, m)| {
            let rest = &statement[i + m.len()..];
            match rest.strip_prefix('`') {
                Some(quoted) => &quoted[..quoted.find('`').expect("a closing backquote")],
                None => {
                    let end = rest
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len());
                    &rest[..end]
                }
            }
        })
        .collect()
}

/// `statement` loads `file` and reads every column of its `header` but
/// those `unread`, and no column the file lacks.
fn reads_every_column(statement: &str, file: &str, header: &[String], unread: &[&str]) {
    assert!(
        statement.contains(&format!("'file:///{file}'")),
        "{statement}"
    );
    let read = cypher_columns(statement);
    for c in &read {
        assert!(
            header.iter().any(|h| h == c),
            "the script reads a column {file} lacks: {c}"
        );
    }
    for h in header {
        assert!(
            unread.contains(&h.as_str()) || read.contains(&h.as_str()),
            "the script drops the column {h} of {file}"
        );
    }
}

/// `neo4j`: both CSV files parse, with the headers `neo4j-admin import`
/// reads (each `name` or `name:type` of its types, the ids, label and type
/// columns where it looks for them); each text is in its column of its
/// row, the aliases split back on `;`; every relationship's ends are
/// nodes. `import.cypher` is a constraint, one `LOAD CSV` of the nodes and
/// one per relationship type present, each reading every column of its
/// file (but the nodes' labels) and no other.
pub fn write_neo4j(bytes: &[u8]) {
    let t = Texts::from_bytes(bytes);
    let mut doc = t.document_with_claims();
    doc["entities"][0]["aliases"] = json!([t.place, t.kind]);
    let ds = load_document(&doc);
    let files = detente::exporter("neo4j").expect("neo4j").export(&ds);
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["nodes.csv", "relationships.csv", "import.cypher"]);

    let types = [
        "ID", "LABEL", "START_ID", "END_ID", "TYPE", "int", "date", "string[]",
    ];
    let (node_header, nodes) = csv_table(&files, "nodes.csv");
    let (rel_header, rels) = csv_table(&files, "relationships.csv");
    for h in node_header.iter().chain(&rel_header) {
        if let Some((_, ty)) = h.split_once(':') {
            assert!(
                types.contains(&ty),
                "a column type neo4j-admin does not know: {h}"
            );
        }
    }
    assert_eq!(node_header[..2], ["id:ID", ":LABEL"]);
    assert_eq!(rel_header[..3], [":START_ID", ":END_ID", ":TYPE"]);
    assert_eq!(nodes.len(), 2, "two entities, two rows");
    let old = nodes
        .iter()
        .find(|r| r["id:ID"] == "old")
        .expect("the row of old");
    assert_eq!(old[":LABEL"], "Entity;Mechanism");
    assert_eq!(old["name"], t.name);
    assert_eq!(old["label"], t.short);
    assert_eq!(old["short"], t.short);
    assert_eq!(old["summary"], t.summary);
    let new = nodes
        .iter()
        .find(|r| r["id:ID"] == "new")
        .expect("the row of new");
    assert_eq!(new["status_claimed_by"], "old");
    assert_eq!(new["status_stance"], "assertion");
    assert!(new["status_citations"].contains(&t.at), "{new:?}");
    assert!(new["record"].contains(&t.title), "{new:?}");
    assert!(old["citations"].contains(&t.at), "{:?}", old["citations"]);
    assert!(
        old["citations"].contains(&t.title),
        "{:?}",
        old["citations"]
    );
    // `;` separates the array's items; one inside an alias is a comma.
    let aliases: Vec<&str> = old["aliases:string[]"].split(';').collect();
    assert_eq!(
        aliases,
        [t.place.replace(';', ","), t.kind.replace(';', ",")]
    );
    assert_eq!(rels.len(), 1, "one relation, one row");
    assert_eq!(rels[0]["summary"], t.relation);
    assert_eq!(rels[0][":TYPE"], "SUCCEEDS");
    for r in &rels {
        for end in [":START_ID", ":END_ID"] {
            assert!(
                nodes.iter().any(|n| n["id:ID"] == r[end]),
                "{end} {} is no node",
                r[end]
            );
        }
    }

    let script = files
        .iter()
        .find(|f| f.name == "import.cypher")
        .expect("the script");
    let script = std::str::from_utf8(&script.bytes).expect("UTF-8");
    let code: String = script
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| format!("{l}\n"))
        .collect();
    // A statement ends with `;` at the end of a line (a `;` inside one is
    // in a string, as the aliases' delimiter is).
    let statements: Vec<&str> = code
        .split(";\n")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    assert!(statements[0].starts_with("CREATE CONSTRAINT"), "{script}");
    let loads = &statements[1..];
    let rel_types: std::collections::BTreeSet<&str> =
        rels.iter().map(|r| r[":TYPE"].as_str()).collect();
    assert_eq!(
        loads.len(),
        1 + rel_types.len(),
        "one LOAD CSV per file and type:\n{script}"
    );
    for s in loads {
        assert!(s.starts_with("LOAD CSV WITH HEADERS FROM 'file:///"), "{s}");
        assert!(s.ends_with("IN TRANSACTIONS OF 1000 ROWS"), "{s}");
    }
    let node_load = loads[0];
    reads_every_column(node_load, "nodes.csv", &node_header, &[":LABEL"]);
    for (s, ty) in loads[1..].iter().zip(&rel_types) {
        assert!(s.contains(&format!("row.`:TYPE` = '{ty}'")), "{s}");
        assert!(s.contains(&format!("[r:`{ty}`]")), "{s}");
        reads_every_column(s, "relationships.csv", &rel_header, &[]);
    }
}
