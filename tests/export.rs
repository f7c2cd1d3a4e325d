//! `detente export`: every format read back by the tool researchers use to
//! open it, agreeing with detente on counts and on sample attributes.

mod common;
#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::cargo_bin;
use serde_json::Value;

fn detente() -> Command {
    Command::new(cargo_bin("detente"))
}

/// Runs detente and returns stdout; panics with stderr on failure.
fn run(args: &[&str]) -> String {
    let out = detente().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "detente {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs detente expecting it to fail with exit `code`; returns stderr.
fn fails(args: &[&str], code: i32) -> String {
    let out = detente().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(code), "detente {args:?}");
    String::from_utf8(out.stderr).unwrap()
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&run(args)).unwrap()
}

/// A path in the repository.
fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Runs a program; returns its stdout as JSON, or panics with its stderr.
fn json_of(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs a Python script with arguments; returns its stdout as JSON.
fn python(script: &str, args: &[&Path]) -> Value {
    json_of(Command::new("python3").arg("-c").arg(script).args(args))
}

/// Whether a reader from npm (installed by `npm ci` in tests/consumers/)
/// and the program that runs it are here: fatal on CI, a loud skip elsewhere.
fn npm_reader(package: &str, program: &str) -> bool {
    let dir = repo(&format!("tests/consumers/node_modules/{package}"));
    common::require(
        "sh",
        &[
            "-c",
            &format!("command -v {program} && test -d '{}'", dir.display()),
        ],
        &format!("install {program}; (cd tests/consumers && npm ci)"),
    )
}

/// Runs one of the readers in tests/consumers/ (Python, or Node for
/// `.cjs`) with arguments; returns its stdout as JSON.
fn consumer(script: &str, args: &[&Path]) -> Value {
    let program = if script.ends_with(".cjs") {
        "node"
    } else {
        "python3"
    };
    json_of(
        Command::new(program)
            .arg(repo(&format!("tests/consumers/{script}")))
            .args(args),
    )
}

/// Exports `format` (with `extra` arguments) into a fresh directory and
/// returns (the directory, the path written).
fn export(format: &str, name: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let mut args = vec!["export", format, "-o", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args);
    (dir, path)
}

/// Removes where things were written (file and line), which differs
/// between the YAML files and one JSON file by design.
fn strip_origins(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("origin");
            m.values_mut().for_each(strip_origins);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_origins),
        _ => {}
    }
}

fn check_summary() -> Value {
    json(&["check", "--format", "json"])
}

// ---------------------------------------------------------------------------
// json

#[test]
fn json_export_loads_back_through_data_with_the_same_answers() {
    let (_dir, path) = export("json", "all.json", &[]);
    let p = path.to_str().unwrap();
    // Same counts, same cards, same answers to queries.
    let mut a = check_summary();
    let mut b = json(&["--data", p, "check", "--format", "json"]);
    a["data"] = Value::Null;
    a["files"] = Value::Null;
    b["data"] = Value::Null;
    b["files"] = Value::Null;
    assert_eq!(a, b);
    for args in [
        vec!["lineage", "lecd"],
        vec!["active", "2016-06-01"],
        vec!["claims", "--by", "shen-yi"],
        vec!["neighbors", "lecd-2017-10"],
        vec!["show", "lecd"],
    ] {
        let mut bundled = args.clone();
        bundled.extend(["--format", "json"]);
        let mut reloaded = vec!["--data", p];
        reloaded.extend(&bundled);
        let (mut x, mut y) = (json(&bundled), json(&reloaded));
        strip_origins(&mut x);
        strip_origins(&mut y);
        assert_eq!(x, y, "{args:?} answers differently from the JSON file");
    }
    // Exporting the reloaded dataset gives the same bytes.
    assert_eq!(
        run(&["--data", p, "export", "json"]),
        std::fs::read_to_string(&path).unwrap()
    );
}

/// Exports `data` as JSON, loads that file back with `--data` and exports
/// it again: the two exports must be the same bytes (the JSON carries every
/// field of every entity, relation, citation, source and the ontology), and
/// `check` must count the same.
fn assert_json_round_trip_is_lossless(data: &Path) {
    let d = data.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("all.json");
    run(&["--data", d, "export", "json", "-o", file.to_str().unwrap()]);
    let f = file.to_str().unwrap();
    assert_eq!(
        run(&["--data", f, "export", "json"]),
        std::fs::read_to_string(&file).unwrap(),
        "{d}: a second export differs from the first"
    );
    let counts = |d: &str| {
        let mut v = json(&["--data", d, "check", "--format", "json"]);
        v["data"] = Value::Null;
        v["files"] = Value::Null;
        v
    };
    assert_eq!(counts(d), counts(f), "{d}");
}

#[test]
fn json_round_trip_is_lossless_on_examples_and_generated_data() {
    assert_json_round_trip_is_lossless(&repo("examples/transatlantic"));
    let dir = tempfile::tempdir().unwrap();
    corpus::write(dir.path(), 400, 5).unwrap();
    assert_json_round_trip_is_lossless(dir.path());
}

#[test]
fn json_export_is_read_by_python_with_every_entity_and_relation() {
    if !common::require_python(&["json"]) {
        return;
    }
    let (_dir, path) = export("json", "all.json", &[]);
    let got = python(
        "import json, sys\n\
         d = json.load(open(sys.argv[1], encoding='utf-8'))\n\
         lecd = next(e for e in d['entities'] if e['id'] == 'lecd')\n\
         print(json.dumps({'entities': len(d['entities']), 'relations': len(d['relations']),\n\
           'sources': len(d['sources']), 'kinds': len(d['ontology']['kinds']), 'lecd': lecd}))",
        &[&path],
    );
    let summary = check_summary();
    assert_eq!(got["entities"], summary["entities"]);
    assert_eq!(got["relations"], summary["relations"]);
    assert_eq!(
        got["kinds"].as_u64().unwrap() as usize,
        summary["by_kind"].as_object().unwrap().len()
    );
    assert_eq!(got["lecd"]["kind"], "mechanism");
    assert_eq!(
        got["lecd"]["date"],
        json(&["show", "lecd", "--format", "json"])["entity"]["date"]["edtf"]
    );
}

#[test]
fn json_export_with_filters_keeps_claimants_and_still_loads() {
    let (_dir, path) = export(
        "json",
        "part.json",
        &["--kind", "mechanism", "--kind", "proposal"],
    );
    let p = path.to_str().unwrap();
    let s = json(&["--data", p, "check", "--format", "json"]);
    assert_eq!(s["ok"], true);
    assert_eq!(
        s["by_kind"]["mechanism"],
        check_summary()["by_kind"]["mechanism"]
    );
    // Claimants (documents, people) come along with the claims they make.
    assert!(s["by_kind"].as_object().unwrap().len() > 2, "{s}");
}

#[test]
fn json_data_file_with_a_mistake_is_reported_at_its_line_and_column() {
    let (dir, path) = export("json", "all.json", &[]);
    let text = std::fs::read_to_string(&path).unwrap();
    let bad = text.replacen("\"to\": \"hljd\"", "\"to\": \"hjld\"", 1);
    assert_ne!(bad, text);
    let line = bad.lines().position(|l| l.contains("hjld")).unwrap() + 1;
    let bad_path = dir.path().join("bad.json");
    std::fs::write(&bad_path, &bad).unwrap();
    let err = fails(&["--data", bad_path.to_str().unwrap(), "check"], 1);
    assert!(
        err.contains(&format!("bad.json:{line}:")) && err.contains("hjld"),
        "{err}"
    );
}

#[test]
fn unknown_export_format_is_refused_with_the_list_of_formats() {
    assert!(fails(&["export", "nope"], 2).contains("json"));
}

// ---------------------------------------------------------------------------
// csv

#[test]
fn csv_export_is_read_by_python_csv_with_every_node_and_edge() {
    if !common::require_python(&["csv"]) {
        return;
    }
    let (_dir, path) = export("csv", "sheets", &[]);
    let got = python(
        "import csv, json, sys, os\n\
         d = sys.argv[1]\n\
         nodes = list(csv.DictReader(open(os.path.join(d, 'nodes.csv'), newline='', encoding='utf-8')))\n\
         edges = list(csv.DictReader(open(os.path.join(d, 'edges.csv'), newline='', encoding='utf-8')))\n\
         lecd = next(n for n in nodes if n['ID'] == 'lecd')\n\
         print(json.dumps({'nodes': len(nodes), 'edges': len(edges), 'lecd': lecd,\n\
           'edge_columns': list(edges[0].keys()), 'kinds': sorted({n['Type'] for n in nodes})}))",
        &[&path],
    );
    let summary = check_summary();
    assert_eq!(got["nodes"], summary["entities"]);
    assert_eq!(got["edges"], summary["relations"]);
    let lecd = &got["lecd"];
    assert_eq!(lecd["Label"], "LECD");
    assert_eq!(lecd["Type"], "Dialogue mechanism or agreement");
    let show = json(&["show", "lecd", "--format", "json"]);
    assert_eq!(lecd["Date"], show["entity"]["date"]["edtf"]);
    assert_eq!(
        lecd["Earliest"],
        show["entity"]["date"]["start"]["earliest"]
    );
    assert!(
        lecd["Citations"].as_str().unwrap().contains("Laskai"),
        "{lecd}"
    );
    // Kumu's connection columns come first.
    assert_eq!(got["edge_columns"][0], "From");
    assert_eq!(got["edge_columns"][1], "To");
    assert_eq!(got["edge_columns"][2], "Type");
}

#[test]
fn csv_export_into_an_existing_directory_needs_force() {
    let (_dir, path) = export("csv", "sheets", &[]);
    let p = path.to_str().unwrap();
    fails(&["export", "csv", "-o", p], 2);
    run(&["export", "csv", "-o", p, "--force"]);
    assert!(
        fails(&["export", "csv"], 2).contains("-o DIR"),
        "a set of files needs -o DIR"
    );
}

// ---------------------------------------------------------------------------
// graphml

#[test]
fn graphml_export_is_read_by_networkx_and_igraph_with_typed_attributes() {
    if !common::require_python(&["networkx", "igraph"]) {
        return;
    }
    let (_dir, path) = export("graphml", "g.graphml", &[]);
    let got = python(
        "import json, sys, networkx as nx, igraph\n\
         g = nx.read_graphml(sys.argv[1])\n\
         i = igraph.Graph.Read_GraphML(sys.argv[1])\n\
         v = i.vs.find(id='lecd')\n\
         print(json.dumps({'nx_nodes': g.number_of_nodes(), 'nx_edges': g.number_of_edges(),\n\
           'ig_nodes': i.vcount(), 'ig_edges': i.ecount(), 'lecd': g.nodes['lecd'],\n\
           'ig_kind': v['kind'], 'ig_cited': v['cited'], 'cited_type': type(g.nodes['lecd']['cited']).__name__,\n\
           'directed': g.is_directed()}))",
        &[&path],
    );
    let summary = check_summary();
    assert_eq!(got["nx_nodes"], summary["entities"]);
    assert_eq!(got["ig_nodes"], summary["entities"]);
    assert_eq!(got["ig_edges"], summary["relations"]);
    assert_eq!(got["directed"], true);
    assert_eq!(got["lecd"]["kind"], "mechanism");
    assert_eq!(got["lecd"]["label"], "LECD");
    assert_eq!(got["ig_kind"], "mechanism");
    assert_eq!(
        got["cited_type"], "int",
        "declared int attributes are read as numbers"
    );
    let show = json(&["show", "lecd", "--format", "json"]);
    assert_eq!(got["lecd"]["date"], show["entity"]["date"]["edtf"]);
}

// ---------------------------------------------------------------------------
// gexf

#[test]
fn gexf_export_is_read_by_networkx_with_spells() {
    if !common::require_python(&["networkx"]) {
        return;
    }
    let (_dir, path) = export("gexf", "g.gexf", &[]);
    let got = python(
        "import json, sys, networkx as nx\n\
         g = nx.read_gexf(sys.argv[1])\n\
         print(json.dumps({'nodes': g.number_of_nodes(), 'edges': g.number_of_edges(),\n\
           'lecd': g.nodes['lecd'], 'hljd': g.nodes['hljd'], 'mode': g.graph.get('mode')}, default=str))",
        &[&path],
    );
    let summary = check_summary();
    assert_eq!(got["nodes"], summary["entities"]);
    assert_eq!(got["mode"], "dynamic");
    // networkx keeps parallel edges of a multigraph apart only in a
    // MultiDiGraph; it reads GEXF into one when edges repeat.
    assert_eq!(got["edges"], summary["relations"]);
    let hljd = json(&["show", "hljd", "--format", "json"]);
    let d = &hljd["entity"]["date"];
    assert_eq!(
        got["hljd"]["spells"],
        serde_json::json!([[d["start"]["earliest"], d["end"]["latest"]]])
    );
    assert_eq!(got["hljd"]["kind"], "mechanism");
    // An imprecise date gets the widest window, and says so.
    let lecd = &got["lecd"];
    assert!(
        lecd["window"].as_str().unwrap().starts_with("widest"),
        "{lecd}"
    );
}

// ---------------------------------------------------------------------------
// turtle

const SPARQL_PREFIXES: &str = "PREFIX d: <https://w3id.org/detente/id/>\n\
PREFIX dt: <https://w3id.org/detente/vocab#>\n\
PREFIX wdt: <http://www.wikidata.org/prop/direct/>\n\
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n";

/// The lineage of the LECD, the participants of its first round, and what
/// was definitely and possibly active on 1 June 2016, as SPARQL asks them.
fn sparql_queries() -> Value {
    serde_json::json!({
        "lineage": format!("{SPARQL_PREFIXES}SELECT DISTINCT ?id WHERE {{ d:lecd (wdt:P155|wdt:P156|dt:sameAs)* ?m . ?m dt:id ?id }}"),
        "participants": format!("{SPARQL_PREFIXES}SELECT DISTINCT ?id WHERE {{ d:lecd-2017-10 wdt:P710 ?p . ?p dt:id ?id }}"),
        "definitely": format!("{SPARQL_PREFIXES}SELECT DISTINCT ?id WHERE {{\n\
    ?e dt:id ?id ; dt:edtf ?edtf .\n\
    FILTER NOT EXISTS {{ ?e dt:status/dt:hypothetical true }}\n\
    OPTIONAL {{ ?e dt:startLatest ?sl }} OPTIONAL {{ ?e dt:endEarliest ?ee }}\n\
    FILTER ((!BOUND(?sl) || ?sl <= \"2016-06-01\"^^xsd:date) && (!BOUND(?ee) || \"2016-06-01\"^^xsd:date <= ?ee))\n}}"),
        "possibly": format!("{SPARQL_PREFIXES}SELECT DISTINCT ?id WHERE {{\n\
    ?e dt:id ?id ; dt:edtf ?edtf .\n\
    FILTER NOT EXISTS {{ ?e dt:status/dt:hypothetical true }}\n\
    OPTIONAL {{ ?e dt:startEarliest ?se }} OPTIONAL {{ ?e dt:endLatest ?el }}\n\
    OPTIONAL {{ ?e dt:startLatest ?sl }} OPTIONAL {{ ?e dt:endEarliest ?ee }}\n\
    FILTER ((!BOUND(?se) || ?se <= \"2016-06-01\"^^xsd:date) && (!BOUND(?el) || \"2016-06-01\"^^xsd:date <= ?el))\n\
    FILTER (!((!BOUND(?sl) || ?sl <= \"2016-06-01\"^^xsd:date) && (!BOUND(?ee) || \"2016-06-01\"^^xsd:date <= ?ee)))\n}}"),
    })
}

/// What detente itself answers to the questions of [`sparql_queries`].
fn detente_answers() -> Value {
    let ids = |v: &Value| -> Vec<String> {
        let mut ids: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let lineage = json(&["lineage", "lecd", "--format", "json"]);
    let links: Vec<Value> = lineage["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["entity"].clone())
        .collect();
    let neighbors = json(&[
        "neighbors",
        "lecd-2017-10",
        "--rel",
        "participant_in",
        "--direction",
        "in",
        "--format",
        "json",
    ]);
    let participants: Vec<Value> = neighbors["neighbors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["entity"].clone())
        .collect();
    let active = json(&["active", "2016-06-01", "--format", "json"]);
    serde_json::json!({
        "lineage": ids(&Value::Array(links)),
        "participants": ids(&Value::Array(participants)),
        "definitely": ids(&active["definitely"]),
        "possibly": ids(&active["possibly"]),
    })
}

const RUN_SPARQL_OXIGRAPH: &str = "import json, sys, pyoxigraph as ox\n\
store = ox.Store()\n\
store.load(path=sys.argv[1], format=ox.RdfFormat.TURTLE)\n\
queries = json.loads(sys.argv[2])\n\
out = {k: sorted({str(s['id'].value) for s in store.query(q)}) for k, q in queries.items()}\n\
print(json.dumps(out))";

#[test]
fn turtle_export_is_read_by_rdflib_with_every_entity_and_statement() {
    if !common::require_python(&["rdflib"]) {
        return;
    }
    let (_dir, path) = export("turtle", "g.ttl", &[]);
    let got = python(
        "import json, sys, rdflib\n\
         g = rdflib.Graph(); g.parse(sys.argv[1], format='turtle')\n\
         DT = rdflib.Namespace('https://w3id.org/detente/vocab#')\n\
         RDF = rdflib.RDF\n\
         lecd = rdflib.URIRef('https://w3id.org/detente/id/lecd')\n\
         print(json.dumps({'entities': len(set(g.subjects(DT.id, None))),\n\
           'statements': len(set(g.subjects(RDF.type, RDF.Statement))),\n\
           'label': str(g.value(lecd, rdflib.RDFS.label)),\n\
           'edtf': str(g.value(lecd, DT.edtf)),\n\
           'sources': len(set(g.subjects(RDF.type, rdflib.URIRef('http://purl.org/dc/terms/BibliographicResource'))))}))",
        &[&path],
    );
    let summary = check_summary();
    assert_eq!(got["entities"], summary["entities"]);
    assert_eq!(got["statements"], summary["relations"]);
    let show = json(&["show", "lecd", "--format", "json"]);
    assert_eq!(got["label"], show["entity"]["name"]);
    assert_eq!(got["edtf"], show["entity"]["date"]["edtf"]);
    assert_eq!(got["sources"], summary["sources"]);
}

#[test]
fn turtle_in_oxigraph_answers_lineage_participants_and_active_as_detente_does() {
    if !common::require_python(&["pyoxigraph"]) {
        return;
    }
    let (_dir, path) = export("turtle", "g.ttl", &[]);
    let got = json_of(
        Command::new("python3")
            .args(["-c", RUN_SPARQL_OXIGRAPH])
            .arg(&path)
            .arg(sparql_queries().to_string()),
    );
    let want = detente_answers();
    assert!(want["lineage"].as_array().unwrap().len() > 1);
    assert!(!want["participants"].as_array().unwrap().is_empty());
    assert!(!want["possibly"].as_array().unwrap().is_empty());
    assert_eq!(got, want);
}

// ---------------------------------------------------------------------------
// hostile text through every escaping function, read back by the consumer

/// Text a user may write and that each output language must escape:
/// quotes, `<`, `&`, `]]>`, line breaks, tabs, braces, backslashes, `#`,
/// commas, Chinese, emoji. The loader refuses other control characters.
fn hostile() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    proptest::collection::vec(
        prop_oneof![
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("<".to_string()),
            Just(">".to_string()),
            Just("&".to_string()),
            Just("&amp;".to_string()),
            Just("]]>".to_string()),
            Just("<![CDATA[".to_string()),
            Just("\n".to_string()),
            Just("\t".to_string()),
            Just("{".to_string()),
            Just("}".to_string()),
            Just("\\".to_string()),
            Just("\\\"".to_string()),
            Just("\"\"\"".to_string()),
            Just("#".to_string()),
            Just(",".to_string()),
            Just(";".to_string()),
            Just("@en".to_string()),
            Just("^^".to_string()),
            Just("中美".to_string()),
            Just("🙂".to_string()),
            "[a-z ]{1,5}",
        ],
        1..10,
    )
    .prop_map(|parts| format!("x{}y", parts.concat()))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(6))]

    /// Names and summaries full of markup survive CSV, GraphML, GEXF and
    /// Turtle exactly, as Python's csv module, networkx and rdflib read them.
    #[test]
    fn hostile_text_survives_every_export_as_its_consumer_reads_it(
        texts in proptest::collection::vec((hostile(), hostile()), 1..6),
    ) {
        if !common::require_python(&["networkx", "rdflib", "bibtexparser", "pylatexenc"]) {
            return Ok(());
        }
        let dir = tempfile::tempdir().unwrap();
        let entities: Vec<Value> = texts.iter().enumerate().map(|(i, (name, summary))| serde_json::json!({
            "id": format!("e{i}"), "kind": "thing", "name": name, "summary": summary,
            "sources": [{ "source": "doc", "at": summary }],
        })).collect();
        let relations: Vec<Value> = (1..texts.len()).map(|i| serde_json::json!({
            "type": "linked", "from": format!("e{i}"), "to": "e0", "summary": texts[i].0,
            "sources": [{ "source": "doc", "at": "p. 1" }],
        })).collect();
        let doc = serde_json::json!({
            "ontology": {
                "kinds": { "thing": { "label": "Thing" } },
                "relations": { "linked": { "inverse": "linked from", "from": "*", "to": "*" } },
            },
            "sources": std::iter::once(serde_json::json!({ "id": "doc", "title": texts[0].1 }))
                .chain(texts.iter().enumerate().map(|(i, (name, summary))| serde_json::json!({
                    "id": format!("b{i}"), "title": name, "authors": [summary, name], "note": summary,
                })))
                .collect::<Vec<_>>(),
            "entities": entities,
            "relations": relations,
        });
        let data = dir.path().join("hostile.json");
        std::fs::write(&data, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        assert_json_round_trip_is_lossless(&data);
        let d = data.to_str().unwrap();
        for (format, name) in [("csv", "csv"), ("graphml", "g.graphml"), ("gexf", "g.gexf"), ("turtle", "g.ttl"), ("bibtex", "g.bib")] {
            let out = dir.path().join(name);
            run(&["--data", d, "export", format, "-o", out.to_str().unwrap()]);
        }
        let got = python(
            "import csv, json, os, sys, networkx as nx, rdflib\n\
             d = sys.argv[1]\n\
             rows = list(csv.DictReader(open(os.path.join(d, 'csv', 'nodes.csv'), newline='', encoding='utf-8')))\n\
             edges = list(csv.DictReader(open(os.path.join(d, 'csv', 'edges.csv'), newline='', encoding='utf-8')))\n\
             gm = nx.read_graphml(os.path.join(d, 'g.graphml'))\n\
             gx = nx.read_gexf(os.path.join(d, 'g.gexf'))\n\
             rg = rdflib.Graph(); rg.parse(os.path.join(d, 'g.ttl'), format='turtle')\n\
             ID = rdflib.Namespace('https://w3id.org/detente/id/')\n\
             one = lambda i: {'csv': next([r['Name'], r['Description']] for r in rows if r['ID'] == i),\n\
               'graphml': [gm.nodes[i]['name'], gm.nodes[i]['summary']],\n\
               'gexf': [gx.nodes[i]['name'], gx.nodes[i]['summary']],\n\
               'turtle': [str(rg.value(ID[i], rdflib.RDFS.label)), str(rg.value(ID[i], rdflib.RDFS.comment))]}\n\
             out = {r['ID']: one(r['ID']) for r in rows}\n\
             out['edges'] = sorted(e['Description'] for e in edges)\n\
             print(json.dumps(out))",
            &[dir.path()],
        );
        for (i, (name, summary)) in texts.iter().enumerate() {
            let want = serde_json::json!([name.trim(), summary.trim()]);
            for format in ["csv", "graphml", "gexf", "turtle"] {
                proptest::prop_assert_eq!(&got[format!("e{i}")][format], &want, "{} of e{}", format, i);
            }
        }
        // BibTeX fields are one paragraph: line breaks and tabs are spaces.
        let bib = read_bib(&dir.path().join("g.bib"));
        let flat = |s: &str| s.trim().replace(['\n', '\r', '\t'], " ");
        for (i, (name, summary)) in texts.iter().enumerate() {
            let e = &bib[format!("b{i}")];
            proptest::prop_assert_eq!(&e["title"], &serde_json::json!(flat(name)), "title of b{}", i);
            proptest::prop_assert_eq!(&e["note"], &serde_json::json!(flat(summary)), "note of b{}", i);
            proptest::prop_assert_eq!(&e["author"], &serde_json::json!([flat(summary), flat(name)]), "authors of b{}", i);
        }
        let mut edge_texts: Vec<&str> = texts.iter().skip(1).map(|(n, _)| n.trim()).collect();
        edge_texts.sort();
        proptest::prop_assert_eq!(&got["edges"], &serde_json::json!(edge_texts));
    }
}

#[test]
fn turtle_in_virtuoso_answers_lineage_participants_and_active_as_detente_does() {
    if !common::require(
        "sh",
        &["-c", "command -v virtuoso-t && command -v isql-vt"],
        "apt-get install virtuoso-opensource",
    ) || !common::require_python(&["json"])
    {
        return;
    }
    let (_dir, path) = export("turtle", "g.ttl", &[]);
    let got = json_of(
        Command::new("python3")
            .arg(repo("tests/sparql/virtuoso.py"))
            .arg(&path)
            .arg(sparql_queries().to_string()),
    );
    assert_eq!(got, detente_answers());
}

// ---------------------------------------------------------------------------
// timelinejs

#[test]
fn timelinejs_export_matches_the_fields_timelinejs_documents() {
    if !common::require_python(&["jsonschema"]) {
        return;
    }
    let (_dir, path) = export("timelinejs", "timeline.json", &[]);
    let schema = repo("tests/timelinejs.schema.json");
    let got = python(
        "import json, sys, jsonschema\n\
         doc = json.load(open(sys.argv[1], encoding='utf-8'))\n\
         jsonschema.validate(doc, json.load(open(sys.argv[2], encoding='utf-8')))\n\
         bad = dict(doc, events=[dict(doc['events'][0], start_date={'month': 4})])\n\
         try:\n    jsonschema.validate(bad, json.load(open(sys.argv[2], encoding='utf-8'))); refused = False\n\
         except jsonschema.ValidationError:\n    refused = True\n\
         ev = {e['unique_id']: e for e in doc['events']}\n\
         key = lambda d: (int(d['year']), int(d.get('month', 1)), int(d.get('day', 1)))\n\
         backwards = [e['text']['headline'] for e in doc['eras'] if not key(e['start_date']) < key(e['end_date'])]\n\
         print(json.dumps({'events': len(doc['events']), 'eras': [e['text']['headline'] for e in doc['eras']],\n\
           'lecd': ev.get('lecd'), 'groups': sorted({e.get('group', '') for e in doc['events']}), 'refused': refused,\n\
           'backwards': backwards}))",
        &[&path, &schema],
    );
    assert_eq!(
        got["refused"], true,
        "the schema refuses a slide without a year"
    );
    assert!(got["events"].as_u64().unwrap() > 10);
    let lecd = &got["lecd"];
    assert_eq!(
        lecd["start_date"],
        serde_json::json!({"year": 2017, "month": 4})
    );
    let ontology = json(&["export", "json"])["ontology"].clone();
    assert_eq!(lecd["group"], ontology["sides"]["bilateral"]["label"]);
    assert!(
        lecd["text"]["text"].as_str().unwrap().contains("Laskai"),
        "citations in the slide"
    );
    assert!(got["eras"]
        .as_array()
        .unwrap()
        .contains(&Value::from("HLJD")));
}

#[test]
fn timelinejs_draws_every_slide_and_era_of_the_export_in_chromium() {
    if !npm_reader("@knight-lab/timelinejs", "chromium") {
        return;
    }
    let (_dir, path) = export("timelinejs", "timeline.json", &[]);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let drawn = consumer("timelinejs_page.py", &[&path]);
    assert_eq!(
        drawn["messages"],
        serde_json::json!([]),
        "TimelineJS complained"
    );
    // Every event a slide, after the title slide; every era drawn.
    let events = doc["events"].as_array().unwrap();
    assert_eq!(drawn["slides"], events.len() + 1);
    assert_eq!(drawn["eras"], doc["eras"].as_array().unwrap().len());
    let headlines = drawn["headlines"].as_array().unwrap();
    for h in drawn["in_file"].as_array().unwrap() {
        assert!(headlines.contains(h), "{h} not drawn");
    }
    assert_eq!(headlines[0], drawn["in_file"][0], "the title slide first");
}

/// A side's label is a slide's `group`, which TimelineJS reads as HTML,
/// takes the text of, and inserts as HTML again: escaped once, an escaped
/// `<img onerror>` in the label ran in the page (seen in Chromium). Here a
/// hostile label must show as written, as text, and run nothing.
#[test]
fn timelinejs_shows_a_hostile_side_label_as_text_and_runs_nothing() {
    if !npm_reader("@knight-lab/timelinejs", "chromium") {
        return;
    }
    let label = r#"<b>East</b> &lt;i&gt;x&lt;/i&gt; &amp;lt; &lt;img src=x onerror="document.body.setAttribute('data-injected','yes')"&gt; <img src=x onerror="document.body.setAttribute('data-injected','yes')">"#;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let fixture = |name: &str| {
        std::fs::read_to_string(repo(&format!("tests/fixtures/minimal/{name}"))).unwrap()
    };
    let ontology = fixture("ontology.yaml")
        .replace(
            "east: { label: East }",
            &format!("east: {{ label: '{}' }}", label.replace('\'', "''")),
        )
        .replace(
            "mechanism: { label: Mechanism }",
            "mechanism: { label: Mechanism, timeline: true }",
        );
    let entities = fixture("entities.yaml")
        .replace("  kind: mechanism\n", "  kind: mechanism\n  side: east\n");
    assert!(ontology.contains("timeline: true") && entities.contains("side: east"));
    std::fs::write(data.join("ontology.yaml"), ontology).unwrap();
    std::fs::write(data.join("entities.yaml"), entities).unwrap();
    std::fs::write(data.join("sources.yaml"), fixture("sources.yaml")).unwrap();
    let path = dir.path().join("timeline.json");
    run(&[
        "--data",
        data.to_str().unwrap(),
        "export",
        "timelinejs",
        "-o",
        path.to_str().unwrap(),
    ]);
    let drawn = consumer("timelinejs_page.py", &[&path]);
    assert_eq!(
        drawn["messages"],
        serde_json::json!([]),
        "TimelineJS complained"
    );
    assert_eq!(drawn["injected"], false, "the label's script ran: {drawn}");
    let groups = drawn["groups"].as_array().unwrap();
    assert!(!groups.is_empty(), "no group drawn: {drawn}");
    for g in groups {
        let g = g.as_str().unwrap();
        // Text only: no element, and its text is the label as written.
        assert!(!g.contains('<'), "markup in the group label: {g}");
        let text = g
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&nbsp;", "\u{a0}")
            .replace("&amp;", "&");
        assert_eq!(text, label);
    }
}

// ---------------------------------------------------------------------------
// csl-json

#[test]
fn csl_json_export_is_rendered_by_citeproc_py() {
    if !common::require_python(&["citeproc"]) {
        return;
    }
    let (_dir, path) = export("csl-json", "sources.json", &[]);
    let got = python(
        "import json, sys, copy\n\
         from citeproc import CitationStylesStyle, CitationStylesBibliography, Citation, CitationItem, formatter\n\
         from citeproc.source.json import CiteProcJSON\n\
         items = json.load(open(sys.argv[1], encoding='utf-8'))\n\
         style = CitationStylesStyle('harvard-cite-them-right', validate=False)\n\
         bib = CitationStylesBibliography(style, CiteProcJSON(copy.deepcopy(items)), formatter.plain)\n\
         [bib.register(Citation([CitationItem(i['id'])])) for i in items]\n\
         print(json.dumps({'items': len(items), 'rendered': [str(x) for x in bib.bibliography()]}))",
        &[&path],
    );
    let summary = check_summary();
    assert_eq!(got["items"], summary["sources"]);
    let rendered = got["rendered"].as_array().unwrap();
    assert_eq!(rendered.len(), got["items"].as_u64().unwrap() as usize);
    assert!(
        rendered.iter().any(|r| {
            let r = r.as_str().unwrap();
            r.contains("Lorand Laskai (2017)") && r.contains("Net Politics")
        }),
        "{rendered:?}"
    );
}

// ---------------------------------------------------------------------------
// bibtex

/// The reader of .bib files in tests/consumers/.
fn read_bib(path: &Path) -> Value {
    consumer("read_bib.py", &[path])
}

#[test]
fn bibtex_export_is_read_by_bibtexparser_with_every_source() {
    if !common::require_python(&["bibtexparser", "pylatexenc"]) {
        return;
    }
    let (_dir, path) = export("bibtex", "sources.bib", &[]);
    let got = read_bib(&path);
    let sources = json(&["export", "json"])["sources"].clone();
    let sources = sources.as_array().unwrap();
    assert_eq!(got.as_object().unwrap().len(), sources.len());
    for s in sources {
        let id = s["id"].as_str().unwrap();
        let e = &got[id];
        assert_eq!(e["title"], s["title"], "{id}");
        if let Some(authors) = s.get("authors") {
            assert_eq!(e["author"], *authors, "{id}");
        }
        if let Some(url) = s.get("url") {
            assert_eq!(e["url"], *url, "{id}");
        }
    }
    let cfr = &got["laskai-2017"];
    assert_eq!(cfr["ENTRYTYPE"], "misc");
    assert_eq!(cfr["year"], "2017");
    assert_eq!(cfr["month"], "10");
    assert_eq!(cfr["howpublished"], "Net Politics");
    assert_eq!(cfr["publisher"], "Council on Foreign Relations");
    let siis = &got["siis-2021"];
    assert_eq!(siis["ENTRYTYPE"], "techreport");
    assert_eq!(
        siis["author"],
        serde_json::json!(["Chen Dongxiao", "Lu Chuanying"])
    );
    assert!(siis["institution"]
        .as_str()
        .unwrap()
        .starts_with("Shanghai Institutes"));
}

// ---------------------------------------------------------------------------
// --cite-style

/// Every source id a JSON export's entities and relations cite: each
/// `source` in them (citations, claimed dates and statuses, a document's
/// own record).
fn cited_in(doc: &Value) -> std::collections::BTreeSet<String> {
    fn walk(v: &Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(s)) = m.get("source") {
                    out.insert(s.clone());
                }
                m.values().for_each(|v| walk(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    walk(&doc["entities"], &mut out);
    walk(&doc["relations"], &mut out);
    out
}

/// A filtered export's bibliography is that part's: BibTeX and CSL-JSON
/// of a selection hold exactly the sources it cites, as bibtexparser and
/// citeproc-py read them (they held every source of the dataset).
#[test]
fn a_filtered_bibliography_holds_exactly_the_sources_its_selection_cites() {
    if !common::require_python(&["bibtexparser", "pylatexenc", "citeproc"]) {
        return;
    }
    let all = json(&["export", "json"]);
    assert_eq!(
        cited_in(&all).len(),
        all["sources"].as_array().unwrap().len(),
        "the bundled data cites every source, so all of them are its bibliography"
    );
    for filter in [
        &["--kind", "person"][..],
        &["--at", "2014"],
        &["--side", "china", "--rel", "claims"],
        &["--as-claimed-by", "shen-yi", "--kind", "mechanism"],
    ] {
        let mut args = vec!["export", "json"];
        args.extend_from_slice(filter);
        let part = json(&args);
        let cited = cited_in(&part);
        assert!(
            !cited.is_empty() && cited.len() < all["sources"].as_array().unwrap().len(),
            "{filter:?} should cite some sources, not all: {cited:?}"
        );
        let in_json: std::collections::BTreeSet<String> = part["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(in_json, cited, "{filter:?}: json");
        let (_d, bib) = export("bibtex", "sources.bib", filter);
        let keys: std::collections::BTreeSet<String> = read_bib(&bib)
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, cited, "{filter:?}: bibtex");
        let (_d, csl) = export("csl-json", "sources.json", filter);
        let got = python(
            "import json, sys, copy, warnings\n\
             from citeproc import CitationStylesStyle, CitationStylesBibliography, Citation, CitationItem, formatter\n\
             from citeproc.source.json import CiteProcJSON\n\
             warnings.simplefilter('ignore')\n\
             items = json.load(open(sys.argv[1], encoding='utf-8'))\n\
             source = CiteProcJSON(copy.deepcopy(items))\n\
             bib = CitationStylesBibliography(CitationStylesStyle('harvard-cite-them-right', validate=False), source, formatter.plain)\n\
             [bib.register(Citation([CitationItem(k)])) for k in source]\n\
             print(json.dumps({'ids': sorted(source), 'rendered': len(bib.bibliography())}))",
            &[&csl],
        );
        let ids: std::collections::BTreeSet<String> = got["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, cited, "{filter:?}: csl-json");
        assert_eq!(got["rendered"], cited.len(), "{filter:?}: citeproc-py");
    }
}

/// `--as-claimed-by` without a filter: the export is that voice's view,
/// and its bibliography holds only the sources the view still cites (on
/// the fixture, a source cited only by another voice's claims goes), as a
/// filtered export's does.
#[test]
fn an_as_claimed_by_export_without_a_filter_holds_only_the_sources_its_view_cites() {
    let data = repo("tests/fixtures/cli");
    let data = data.to_str().unwrap();
    let all = json(&["--data", data, "export", "json"]);
    let view = json(&[
        "--data",
        data,
        "export",
        "json",
        "--as-claimed-by",
        "shen-yi",
    ]);
    let ids = |doc: &Value| -> std::collections::BTreeSet<String> {
        doc["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&view), cited_in(&view));
    assert!(
        ids(&view).len() < ids(&all).len(),
        "{:?} of {:?}",
        ids(&view),
        ids(&all)
    );
}

/// A selection of a dataset whose sources are formatted in a citation
/// style keeps that style: `Dataset::subset` rebuilt the part from scratch
/// and lost the formatted references, so answers on a filtered part cited
/// their sources unstyled. (`export` itself takes no `--cite-style`; the
/// library's `select` is where a styled dataset meets a filter.)
#[test]
fn a_filtered_export_keeps_the_cite_style_references() {
    let ds = detente::load(&detente::builtin_files()).expect("bundled data is valid");
    for style in [detente::CiteStyle::Chicago, detente::CiteStyle::Apa] {
        let styled = detente::references(&ds, style);
        let ds = ds.clone().with_references(styled.clone());
        for selection in [
            detente::query::SelectionOptions {
                kinds: vec!["mechanism".into()],
                ..Default::default()
            },
            detente::query::SelectionOptions {
                at: Some(detente::Date::parse("2016").unwrap()),
                ..Default::default()
            },
        ] {
            let part = detente::select(&ds, &selection.validate(&ds).unwrap());
            assert!(
                !part.sources().is_empty() && part.sources().len() < ds.sources().len(),
                "{selection:?} keeps some sources, not all"
            );
            let mut differ = 0;
            for (id, source) in part.sources() {
                let reference = part.reference(id).expect("a kept source");
                assert_eq!(
                    Some(&reference),
                    styled.get(id.as_str()),
                    "{selection:?}: {id}"
                );
                differ += usize::from(reference != source.reference());
            }
            assert!(differ > 0, "{style:?} writes references as detente does");
        }
    }
}

#[test]
fn cite_style_formats_sources_as_citeproc_py_does_with_the_same_csl_style() {
    if !common::require_python(&["citeproc"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_d, items) = export("csl-json", "sources.json", &[]);
    // Sources with an author, cited by these two cards.
    let sample = [
        "laskai-2017",
        "shen-yi-2017",
        "siis-2021",
        "pti-2017-04",
        "ecns-2016-06",
    ];
    for style in [detente::CiteStyle::Chicago, detente::CiteStyle::Apa] {
        let csl = dir.path().join(format!("{style}.csl"));
        std::fs::write(&csl, style.csl_xml()).unwrap();
        let theirs = consumer("citeproc_py.py", &[&items, &csl]);
        let mut ours = std::collections::BTreeMap::new();
        for id in ["lecd", "hljd"] {
            let card = json(&[
                "show",
                id,
                "--cite-style",
                &style.to_string(),
                "--format",
                "json",
            ]);
            for s in card["sources"].as_array().unwrap() {
                let r = s["reference"].as_str().unwrap().to_string();
                assert!(!r.is_empty(), "{style}: {s}");
                ours.insert(s["source"].as_str().unwrap().to_string(), r);
            }
        }
        for id in sample {
            let (ours, theirs) = (&ours[id], theirs[id].as_str().unwrap());
            match style {
                detente::CiteStyle::Apa => assert_eq!(ours, theirs, "{style} {id}"),
                // citeproc-py leaves three things of Chicago undone: the
                // full stop inside the closing quote, lower-case "from" in
                // titles, and an empty "Edition." after newspapers. The
                // rest must agree word for word.
                detente::CiteStyle::Chicago => assert_eq!(
                    ours.to_lowercase(),
                    theirs
                        .replace("\u{201d}.", ".\u{201d}")
                        .replace(" Edition.", "")
                        .to_lowercase(),
                    "{style} {id}"
                ),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// neo4j

#[test]
fn neo4j_export_has_the_headers_neo4j_admin_import_reads() {
    if !common::require_python(&["csv"]) {
        return;
    }
    let (_dir, path) = export("neo4j", "neo4j", &[]);
    let got = python(
        "import csv, json, os, sys\n\
         d = sys.argv[1]\n\
         n = list(csv.reader(open(os.path.join(d, 'nodes.csv'), newline='', encoding='utf-8')))\n\
         r = list(csv.reader(open(os.path.join(d, 'relationships.csv'), newline='', encoding='utf-8')))\n\
         ids = {row[0] for row in n[1:]}\n\
         dangling = [row for row in r[1:] if row[0] not in ids or row[1] not in ids]\n\
         lecd = dict(zip(n[0], next(row for row in n[1:] if row[0] == 'lecd')))\n\
         cypher = open(os.path.join(d, 'import.cypher'), encoding='utf-8').read()\n\
         print(json.dumps({'node_header': n[0], 'rel_header': r[0], 'nodes': len(n) - 1, 'rels': len(r) - 1,\n\
           'dangling': len(dangling), 'lecd': lecd, 'types': sorted({row[2] for row in r[1:]}), 'cypher': cypher}))",
        &[&path],
    );
    let summary = check_summary();
    assert_eq!(got["nodes"], summary["entities"]);
    assert_eq!(got["rels"], summary["relations"]);
    assert_eq!(got["dangling"], 0);
    assert_eq!(got["node_header"][0], "id:ID");
    assert_eq!(got["node_header"][1], ":LABEL");
    assert_eq!(
        got["rel_header"].as_array().unwrap()[..3],
        [":START_ID", ":END_ID", ":TYPE"].map(Value::from)
    );
    assert_eq!(got["lecd"][":LABEL"], "Entity;Mechanism");
    assert_eq!(got["lecd"]["earliest:date"], "2017-04-01");
    assert!(got["types"]
        .as_array()
        .unwrap()
        .contains(&Value::from("SUCCEEDS")));
    // The script creates every relationship type present.
    for t in got["types"].as_array().unwrap() {
        assert!(
            got["cypher"]
                .as_str()
                .unwrap()
                .contains(&format!("[r:`{}`]", t.as_str().unwrap())),
            "{t}"
        );
    }
}

/// Neo4j's export left out places and other-language names, and neither
/// table export carried a relation's role, which the JSON export keeps:
/// nothing the data holds may be silently dropped by a format.
#[test]
fn neo4j_and_csv_exports_keep_roles_places_and_other_language_names() {
    if !common::require_python(&["csv"]) {
        return;
    }
    let (_json_dir, json_path) = export("json", "all.json", &[]);
    let (_neo_dir, neo) = export("neo4j", "neo4j", &[]);
    let (_csv_dir, table) = export("csv", "csv", &[]);
    let got = python(
        "import csv, json, os, sys\n\
         j = json.load(open(sys.argv[1], encoding='utf-8'))\n\
         def rows(d, f):\n\
         \x20   return list(csv.DictReader(open(os.path.join(d, f), newline='', encoding='utf-8')))\n\
         roles = sorted((r['from'], r['to'], r['type'], r['role']) for r in j['relations'] if r.get('role'))\n\
         places = sorted((e['id'], e['place']) for e in j['entities'] if e.get('place'))\n\
         names = sorted((e['id'], k + ': ' + v) for e in j['entities'] for k, v in e.get('names', {}).items())\n\
         neo_rels = rows(sys.argv[2], 'relationships.csv')\n\
         neo_nodes = rows(sys.argv[2], 'nodes.csv')\n\
         csv_edges = rows(sys.argv[3], 'edges.csv')\n\
         print(json.dumps({'roles': roles, 'places': places, 'names': names,\n\
           'neo_roles': sorted((r[':START_ID'], r[':END_ID'], r['role']) for r in neo_rels if r['role']),\n\
           'csv_roles': sorted((r['From'], r['To'], r['Type'], r['Role']) for r in csv_edges if r['Role']),\n\
           'neo_places': sorted((n['id:ID'], n['place']) for n in neo_nodes if n['place']),\n\
           'neo_names': sorted((n['id:ID'], x) for n in neo_nodes if n['names:string[]'] for x in n['names:string[]'].split(';'))}))",
        &[&json_path, &neo, &table],
    );
    let roles = got["roles"].as_array().unwrap();
    assert!(roles.len() > 10, "the bundled data has roles: {roles:?}");
    assert_eq!(got["csv_roles"], got["roles"]);
    let neo_roles: Vec<Value> = roles
        .iter()
        .map(|r| Value::from(vec![r[0].clone(), r[1].clone(), r[3].clone()]))
        .collect();
    let mut want = neo_roles;
    want.sort_by_key(|v| v.to_string());
    let mut have = got["neo_roles"].as_array().unwrap().clone();
    have.sort_by_key(|v| v.to_string());
    assert_eq!(have, want);
    assert!(!got["places"].as_array().unwrap().is_empty());
    assert_eq!(got["neo_places"], got["places"]);
    assert!(!got["names"].as_array().unwrap().is_empty());
    assert_eq!(got["neo_names"], got["names"]);
}

/// Every field the JSON export gives an entity or a relation is in the CSV
/// and Neo4j exports too, as Python's csv module reads them back: a
/// document's record, a status or date that rests on someone's word (who,
/// the stance, where), short names, roles and the rest. A field the JSON
/// export gains fails here until both table exports carry it.
#[test]
fn csv_and_neo4j_exports_carry_every_field_the_json_export_has() {
    if !common::require_python(&["csv"]) {
        return;
    }
    let (_json_dir, json_path) = export("json", "all.json", &[]);
    let (_neo_dir, neo) = export("neo4j", "neo4j", &[]);
    let (_csv_dir, table) = export("csv", "csv", &[]);
    let j: Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let sheets = python(
        "import csv, json, os, sys\n\
         def rows(d, f):\n\
         \x20   return list(csv.DictReader(open(os.path.join(d, f), newline='', encoding='utf-8')))\n\
         print(json.dumps({'csv nodes': rows(sys.argv[1], 'nodes.csv'),\n\
           'csv edges': rows(sys.argv[1], 'edges.csv'),\n\
           'neo4j nodes': rows(sys.argv[2], 'nodes.csv'),\n\
           'neo4j rels': rows(sys.argv[2], 'relationships.csv')}))",
        &[&table, &neo],
    );
    let ds = detente::load(&detente::builtin_files()).unwrap();
    let reference = |id: &str| ds.source(id).expect("a source").reference();
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    // Citations as both sheets write them: the reference, then where in it.
    let cites = |v: &Value| {
        v.as_array()
            .map(|cs| {
                cs.iter()
                    .map(|c| {
                        let r = reference(c["source"].as_str().unwrap());
                        match c["quote"].as_str() {
                            Some(q) => format!("{r} ({}: \u{201c}{q}\u{201d})", text(&c["at"])),
                            None => format!("{r} ({})", text(&c["at"])),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .unwrap_or_default()
    };
    let rows = |key: &str, id: &str| {
        sheets[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r[id].as_str().unwrap().to_string(), r.clone()))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (csv_nodes, neo_nodes) = (rows("csv nodes", "ID"), rows("neo4j nodes", "id:ID"));
    let entities = j["entities"].as_array().unwrap();
    assert_eq!(csv_nodes.len(), entities.len());
    assert_eq!(neo_nodes.len(), entities.len());
    let mut seen = std::collections::BTreeSet::new();
    for e in entities {
        let id = e["id"].as_str().unwrap();
        let (c, n) = (&csv_nodes[id], &neo_nodes[id]);
        let lang_names: Vec<String> = e["names"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| format!("{k}: {}", text(v))).collect())
            .unwrap_or_default();
        let aliases: Vec<String> = e["aliases"]
            .as_array()
            .map(|a| a.iter().map(text).collect())
            .unwrap_or_default();
        // A date or status: its value, and who says so where it rests on
        // someone's word.
        let attributed = |v: &Value| match v {
            Value::Object(_) => [
                text(&v["value"]),
                text(&v["claimed_by"]),
                text(&v["stance"]),
                cites(&v["sources"]),
            ],
            v => [text(v), String::new(), String::new(), String::new()],
        };
        let [date, date_by, date_stance, date_cites] = attributed(&e["date"]);
        let [status, status_by, status_stance, status_cites] = attributed(&e["status"]);
        let kind = text(&e["kind"]);
        let record = e["source"].as_str().map(reference).unwrap_or_default();
        // (JSON field, expected, CSV column, Neo4j property)
        let fields: Vec<(&str, String, &str, &str)> = vec![
            ("id", id.to_string(), "ID", "id:ID"),
            (
                "kind",
                text(&j["ontology"]["kinds"][&kind]["label"]),
                "Type",
                "",
            ),
            ("kind", kind.clone(), "", "kind"),
            ("name", text(&e["name"]), "Name", "name"),
            ("short", text(&e["short"]), "Short", "short"),
            ("names", lang_names.join("; "), "Other names", ""),
            (
                "names",
                lang_names
                    .iter()
                    .map(|x| x.replace(';', ","))
                    .collect::<Vec<_>>()
                    .join(";"),
                "",
                "names:string[]",
            ),
            ("aliases", aliases.join("; "), "Aliases", ""),
            (
                "aliases",
                aliases
                    .iter()
                    .map(|x| x.replace(';', ","))
                    .collect::<Vec<_>>()
                    .join(";"),
                "",
                "aliases:string[]",
            ),
            ("side", text(&e["side"]), "Side", "side"),
            ("date", date, "Date", "date"),
            ("date", date_by, "Date claimed by", "date_claimed_by"),
            ("date", date_stance, "Date stance", "date_stance"),
            ("date", date_cites, "Date citations", "date_citations"),
            ("status", status, "Status", "status"),
            (
                "status",
                status_by,
                "Status claimed by",
                "status_claimed_by",
            ),
            ("status", status_stance, "Status stance", "status_stance"),
            (
                "status",
                status_cites,
                "Status citations",
                "status_citations",
            ),
            ("place", text(&e["place"]), "Place", "place"),
            ("source", record, "Record", "record"),
            ("summary", text(&e["summary"]), "Description", "summary"),
            ("sources", cites(&e["sources"]), "Citations", "citations"),
        ];
        for (_, want, col, prop) in &fields {
            for (sheet, row, key) in [("csv", c, col), ("neo4j", n, prop)] {
                if !key.is_empty() {
                    assert_eq!(&text(&row[key]), want, "{sheet} `{key}` of `{id}`");
                }
            }
        }
        assert_eq!(
            n["cited:int"],
            e["sources"].as_array().unwrap().len().to_string()
        );
        for key in e.as_object().unwrap().keys() {
            assert!(
                fields.iter().any(|f| f.0 == key),
                "the JSON export gives `{id}` a `{key}` that this test does not compare with the table exports"
            );
            seen.insert(key.clone());
        }
    }
    for key in [
        "short", "names", "aliases", "date", "status", "place", "source", "summary",
    ] {
        assert!(
            seen.contains(key),
            "no entity of the bundled data has `{key}`"
        );
    }
    let claims = entities
        .iter()
        .filter(|e| e["date"].is_object() || e["status"].is_object())
        .count();
    assert!(claims > 0, "the bundled data has a claimed date or status");

    let relations = j["relations"].as_array().unwrap();
    let (csv_edges, neo_rels) = (
        sheets["csv edges"].as_array().unwrap(),
        sheets["neo4j rels"].as_array().unwrap(),
    );
    assert_eq!(csv_edges.len(), relations.len());
    assert_eq!(neo_rels.len(), relations.len());
    for (i, r) in relations.iter().enumerate() {
        let (c, n) = (&csv_edges[i], &neo_rels[i]);
        let kind = text(&r["type"]);
        let fields: Vec<(&str, String, &str, &str)> = vec![
            ("from", text(&r["from"]), "From", ":START_ID"),
            ("to", text(&r["to"]), "To", ":END_ID"),
            ("type", kind.clone(), "Type", ""),
            ("type", kind.to_uppercase().replace('-', "_"), "", ":TYPE"),
            ("role", text(&r["role"]), "Role", "role"),
            ("date", text(&r["date"]), "Date", "date"),
            ("summary", text(&r["summary"]), "Description", "summary"),
            ("sources", cites(&r["sources"]), "Citations", "citations"),
            (
                "claimed_by",
                text(&r["claimed_by"]),
                "Claimed by",
                "claimed_by",
            ),
            ("stance", text(&r["stance"]), "Stance", "stance"),
        ];
        for (_, want, col, prop) in &fields {
            for (sheet, row, key) in [("csv", c, col), ("neo4j", n, prop)] {
                if !key.is_empty() {
                    assert_eq!(&text(&row[key]), want, "{sheet} `{key}` of relation {i}");
                }
            }
        }
        for key in r.as_object().unwrap().keys() {
            assert!(
                fields.iter().any(|f| f.0 == key),
                "the JSON export gives relation {i} a `{key}` that this test does not compare with the table exports"
            );
        }
    }
}

#[test]
fn neo4j_import_script_passes_neo4js_own_cypher_parser_and_semantic_analysis() {
    if !npm_reader("@neo4j-cypher/language-support", "node") {
        return;
    }
    let lint = |script: &Path| consumer("lint_cypher.cjs", &[script]);
    let (dir, path) = export("neo4j", "neo4j", &[]);
    let script = path.join("import.cypher");
    let got = lint(&script);
    assert_eq!(
        got["diagnostics"],
        serde_json::json!([]),
        "no error, no warning"
    );
    let types = check_summary()["by_type"].as_object().unwrap().len();
    // A constraint, the nodes, and one statement per relation type.
    assert_eq!(got["statements"], 2 + types);
    // The parser is not lenient: a broken script is refused at its line.
    let text = std::fs::read_to_string(&script).unwrap();
    let broken = dir.path().join("broken.cypher");
    std::fs::write(
        &broken,
        text.replacen("CREATE (a)-[r:", "CREATE (a)-[r:)", 1),
    )
    .unwrap();
    let bad = lint(&broken);
    assert!(
        bad["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["severity"] == "error"),
        "{bad}"
    );
}

// ---------------------------------------------------------------------------
// diagrams behind the same trait

#[test]
/// `detente diagram` writes DOT and Mermaid through this trait; the
/// gallery tests (tests/gallery.rs) hold its output to the committed files.
fn diagram_writers_behind_the_exporter_trait_write_what_the_renderers_write() {
    use detente::diagram::{self, Scene};
    let ds = detente::load(&detente::builtin_files()).unwrap();
    let opts = diagram::DiagramOptions::default();
    let lecd = detente::query::LineageOptions::default()
        .validate(&ds, "lecd")
        .unwrap();
    let scene = Scene::Graph(diagram::lineage(&ds, &lecd, &opts).unwrap());
    let names: Vec<&str> = diagram::DIAGRAM_FORMATS.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["dot", "mermaid", "markdown"]);
    for (name, direct) in [
        ("dot", diagram::to_dot(&scene)),
        ("mermaid", diagram::to_mermaid(&scene)),
        ("markdown", diagram::to_markdown(&scene)),
    ] {
        let files = diagram::diagram_exporter(name).unwrap().export(&scene);
        assert_eq!(files.len(), 1);
        assert_eq!(
            String::from_utf8(files[0].bytes.clone()).unwrap(),
            direct,
            "{name}"
        );
    }
}

// ---------------------------------------------------------------------------
// schema

#[test]
fn schema_export_validates_every_bundled_data_file_and_refuses_mistakes() {
    if !common::require_python(&["jsonschema", "yaml"]) {
        return;
    }
    let (_dir, path) = export("schema", "schema", &[]);
    let got = consumer("schema_check.py", &[&path, &repo("data")]);
    assert_eq!(
        got["errors"],
        serde_json::json!([]),
        "bundled data against its schema"
    );
    assert!(got["checked"].as_u64().unwrap() >= 9);
    let bad = got["bad"].to_string();
    assert!(
        bad.contains("summray"),
        "a misspelt field is refused: {bad}"
    );
    assert!(
        bad.contains("mechanismm"),
        "an undeclared kind is refused: {bad}"
    );
    assert!(
        bad.contains("'at' is a required property"),
        "a citation without a locator: {bad}"
    );
    // A dataset with its own vocabulary gets its own schema.
    let transatlantic = repo("examples/transatlantic");
    let (_d2, other) = export(
        "schema",
        "schema",
        &["--data", transatlantic.to_str().unwrap()],
    );
    let got = consumer("schema_check.py", &[&other, &transatlantic]);
    assert_eq!(got["errors"], serde_json::json!([]));
}

// ---------------------------------------------------------------------------
// import csv

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn import_csv_writes_a_file_that_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo("data"), &data);
    let nodes = dir.path().join("nodes.csv");
    let edges = dir.path().join("edges.csv");
    std::fs::write(
        &nodes,
        "ID,Kind,Name,Side,Date,Description,Source,At\n\
         new-dialogue,Dialogue mechanism or agreement,\"A new dialogue, with \"\"quotes\"\"\",bilateral,2022~,\"Two lines:\nhere\",siis-2021,p. 1\n",
    )
    .unwrap();
    std::fs::write(
        &edges,
        "From,To,Type,Date,Source,At\nnew-dialogue,lecd,succeeds,2022,siis-2021,p. 2\n",
    )
    .unwrap();
    let d = data.to_str().unwrap();
    let import = [
        "--data",
        d,
        "import",
        "csv",
        nodes.to_str().unwrap(),
        edges.to_str().unwrap(),
        "-o",
        d,
    ];
    run(&import);
    let card = json(&["--data", d, "show", "new-dialogue", "--format", "json"]);
    assert_eq!(card["entity"]["name"], "A new dialogue, with \"quotes\"");
    assert_eq!(card["entity"]["date"]["edtf"], "2022~");
    let lineage = json(&["--data", d, "lineage", "lecd", "--format", "json"]).to_string();
    assert!(
        lineage.contains("new-dialogue"),
        "the imported relation joins the chain"
    );
    // A second import never replaces the first.
    assert!(fails(&import, 2).contains("exists"));
}

/// Runs `import csv` on two sheets in a scratch directory; returns the
/// directory, the target (not yet written) and the run's exit code and
/// stderr.
fn import_sheets(nodes: &str, edges: &str) -> (tempfile::TempDir, PathBuf, Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let (n, e) = (dir.path().join("nodes.csv"), dir.path().join("edges.csv"));
    std::fs::write(&n, nodes).unwrap();
    std::fs::write(&e, edges).unwrap();
    let target = dir.path().join("imported.yaml");
    let out = detente()
        .args(["import", "csv"])
        .args([&n, &e, Path::new("-o"), &target])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    (dir, target, out.status.code(), err)
}

/// A column the import does not read (here `Notes` and `Role` in the
/// nodes), a second column for one field, and a cell beyond the header's
/// last column were dropped without a word; each is now refused at its
/// file, row and column, and nothing is written.
#[test]
fn import_csv_refuses_unknown_columns_instead_of_dropping_them() {
    let (dir, target, code, err) = import_sheets(
        "ID,Kind,Name,Role,Source,At,Notes,Description,Summary\n\
         a-new-one,mechanism,A new one,chair,siis-2021,p. 1,keep me,one,two\n",
        "From,To,Type,Source,At\n\
         a-new-one,lecd,succeeds,siis-2021,p. 2,stray\n",
    );
    let n = dir.path().join("nodes.csv");
    let e = dir.path().join("edges.csv");
    let (n, e) = (n.display(), e.display());
    assert_eq!(code, Some(1), "{err}");
    for line in [
        format!("error: {n}:1:4: `Role`: not a column the import reads, so its cells would be dropped; the nodes columns are `ID`, `Kind`, `Name`, `Short`, `Side`, `Status`, `Date`, `Place`, `Summary`, `Aliases`, `Other names`, `Source`, `At`, `Quote`: rename it, or remove it"),
        format!("error: {n}:1:7: `Notes`: not a column the import reads"),
        format!("error: {n}:1:9: `Summary`: a second column for `Summary` (the first is column 8, `Description`), which would be ignored; keep one"),
        format!("error: {e}:2:6: `stray` is beyond the last column (the header has 5), so it would be dropped; give its column a header, or remove it"),
        "error: 4 problems in the sheets; nothing was written".to_string(),
    ] {
        assert!(err.contains(&line), "missing {line} in:\n{err}");
    }
    assert!(!target.exists(), "nothing is written");
    // An empty column with no header holds nothing, and is no problem; a
    // trailing empty cell neither; nor the byte order mark a spreadsheet
    // saves "CSV UTF-8" with.
    let (_dir, target, code, err) = import_sheets(
        "\u{feff}ID,Kind,Name,Source,At,\na-new-one,mechanism,A new one,siis-2021,p. 1,\n",
        "From,To,Type,Source,At\na-new-one,lecd,succeeds,siis-2021,p. 2,\n",
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(target.exists());
}

/// The columns that map to a field of the model are imported, not dropped:
/// a relation's `Role` (checked against its type's roles), `Aliases` and
/// `Other names`, and a citation's `Quote`.
#[test]
fn import_csv_imports_role_aliases_other_names_and_quote() {
    let (dir, target, code, err) = import_sheets(
        "ID,Kind,Name,Aliases,Other names,Source,At,Quote\n\
         new-forum,mechanism,A new forum,NF; New Forum,zh: 新论坛; fr: Nouveau forum,siis-2021,p. 1,a new forum\n",
        "From,To,Type,Role,Source,At\n\
         xi-jinping,new-forum,participant_in,Co-Chair,siis-2021,p. 2\n",
    );
    assert_eq!(code, Some(0), "{err}");
    let yaml = std::fs::read_to_string(&target).unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo("data"), &data);
    std::fs::write(data.join("imported.yaml"), &yaml).unwrap();
    let d = data.to_str().unwrap();
    let card = json(&["--data", d, "show", "new-forum", "--format", "json"]);
    let e = &card["entity"];
    assert_eq!(
        e["aliases"],
        serde_json::json!(["NF", "New Forum"]),
        "{yaml}"
    );
    assert_eq!(e["names"]["zh"], "新论坛", "{yaml}");
    assert_eq!(e["names"]["fr"], "Nouveau forum", "{yaml}");
    let export = json(&["--data", d, "export", "json"]);
    let rel = export["relations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["to"] == "new-forum")
        .expect("the imported relation");
    assert_eq!(rel["role"], "co-chair", "{yaml}");
    let ent = export["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "new-forum")
        .unwrap();
    assert_eq!(ent["sources"][0]["quote"], "a new forum", "{yaml}");
    // A role its type does not declare, and a name without its language,
    // are refused at their cells.
    let (dir, _, code, err) = import_sheets(
        "ID,Kind,Name,Other names,Source,At\nnew-forum,mechanism,A new forum,新论坛,siis-2021,p. 1\n",
        "From,To,Type,Role,Source,At\nnew-forum,lecd,succeeds,chair,siis-2021,p. 2\n",
    );
    assert_eq!(code, Some(1), "{err}");
    let n = dir.path().join("nodes.csv");
    let e = dir.path().join("edges.csv");
    assert!(
        err.contains(&format!(
            "{}:2:4: `Other names`: `新论坛` is not `language: name`",
            n.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:2:4: `Role`: `chair` is not a role of `succeeds`; it declares none",
            e.display()
        )),
        "{err}"
    );
}

#[test]
fn import_csv_reports_every_bad_row_with_its_place_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let nodes = dir.path().join("nodes.csv");
    let edges = dir.path().join("edges.csv");
    std::fs::write(
        &nodes,
        "ID,Kind,Name,Date,Source,At\n\
         good,mechanism,Good,2020,siis-2021,p. 1\n\
         Bad Id,mechanism,X,2020,siis-2021,p. 1\n\
         other,mechanismm,Y,2020-13,nope,p. 1\n",
    )
    .unwrap();
    std::fs::write(
        &edges,
        "From,To,Type,Source,At\ngood,nowhere,succeeds,siis-2021,\n",
    )
    .unwrap();
    let target = dir.path().join("imported.yaml");
    let err = fails(
        &[
            "import",
            "csv",
            nodes.to_str().unwrap(),
            edges.to_str().unwrap(),
            "-o",
            target.to_str().unwrap(),
        ],
        1,
    );
    let n = nodes.to_str().unwrap();
    let e = edges.to_str().unwrap();
    for place in [
        format!("{n}:3:1: `ID`"),
        format!("{n}:4:2: `Kind`"),
        format!("{n}:4:4: `Date`"),
        format!("{n}:4:5: `Source`"),
        format!("{e}:2:2: `To`"),
        format!("{e}:2:5: `At`"),
    ] {
        assert!(err.contains(&place), "missing {place} in:\n{err}");
    }
    assert!(err.contains("mechanismm"), "{err}");
    assert!(!target.exists(), "nothing is written when a row is bad");
}
