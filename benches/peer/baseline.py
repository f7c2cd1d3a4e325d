#!/usr/bin/env python3
"""The Python baseline detente is measured against (docs/performance.md).

What a competent user would write with PyYAML's C loader and networkx to do
detente's job on a dataset directory: load every YAML file, check the data
(duplicate ids, every reference resolves, kinds and relation types are
declared, relation ends have allowed kinds, every fact is cited, claims
name a claimant, dates are valid EDTF, lineage has no cycle), build a
networkx MultiDiGraph, and answer one question:

    baseline.py DIR check
    baseline.py DIR lineage ID
    baseline.py DIR path FROM TO
    baseline.py DIR active DATE
    baseline.py DIR neighbors ID

It prints the answer as JSON in the normalised shape `compare.py` also
extracts from detente's JSON, so the two can be checked for agreement.
Dates follow detente's rules (docs/schema.md): EDTF, with `~`, `?` and `%`
widening a date by one unit of its precision on each side; only the EDTF
forms the generated corpora use are understood, and anything else is
reported as a problem, never guessed.
"""

import calendar
import datetime
import json
import os
import re
import sys

import networkx as nx
import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - the comparison refuses to run then
    sys.exit("PyYAML was built without libyaml: the C loader is required")

PAST, FUTURE = float("-inf"), float("inf")
STANCES = {"record", "assertion", "prediction", "recommendation"}


def yaml_files(root):
    out = []
    for d, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for f in files:
            if not f.startswith(".") and f.lower().endswith((".yaml", ".yml")):
                out.append(os.path.join(d, f))
    return sorted(out)


# --- dates -----------------------------------------------------------------

DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?([~?%])?$")


def day(y, m, d):
    return datetime.date(y, m, d).toordinal()


def shift_months(ordinal, months, forward, day_precise):
    d = datetime.date.fromordinal(ordinal)
    total = d.year * 12 + d.month - 1 + (months if forward else -months)
    y, m = divmod(total, 12)
    m += 1
    last = calendar.monthrange(y, m)[1]
    nd = min(d.day, last) if day_precise else (last if forward else 1)
    return day(y, m, nd)


def single(text, widen=True):
    """(earliest, latest) day of one EDTF date, widened if qualified."""
    m = DATE.match(text)
    if not m:
        raise ValueError(f"unsupported date `{text}`")
    y, mo, d, q = int(m[1]), m[2], m[3], m[4]
    if d:
        lo = hi = day(y, int(mo), int(d))
        months = 0
    elif mo:
        mo = int(mo)
        lo, hi = day(y, mo, 1), day(y, mo, calendar.monthrange(y, mo)[1])
        months = 1
    else:
        lo, hi = day(y, 1, 1), day(y, 12, 31)
        months = 12
    if q and widen:
        if months == 0:
            lo, hi = lo - 1, hi + 1
        else:
            lo = shift_months(lo, months, False, False)
            hi = shift_months(hi, months, True, False)
    return lo, hi


def windows(text):
    """(start window, end window) of an EDTF expression."""
    if text.startswith("[") and text.endswith("]"):
        lo, hi = FUTURE, PAST
        for part in text[1:-1].split(","):
            if ".." in part:
                a, b = part.split("..")
                w = (single(a, False)[0], single(b, False)[1])
            else:
                w = single(part)
            lo, hi = min(lo, w[0]), max(hi, w[1])
        return (lo, hi), (lo, hi)
    if "/" in text:
        a, b = text.split("/")
        if a == "" and b == "":
            raise ValueError("an interval needs at least one end")
        if a == "":
            end = single(b)
            return (PAST, end[1]), end
        start = single(a)
        if b == "":
            return start, (start[0], FUTURE)
        end = single(b)
        if end[1] < start[0]:
            raise ValueError(f"`{text}` ends before it starts")
        return start, end
    w = single(text)
    return w, w


def covers(w, q):
    (s0, s1), (e0, e1) = w
    q0, q1 = q
    if s1 <= q0 and q1 <= e0:
        return "definitely"
    if s0 <= q1 and q0 <= e1:
        return "possibly"
    return None


# --- load and check --------------------------------------------------------


def load(root):
    problems = []
    ontology, sources, entities, relations = None, [], [], []
    for path in yaml_files(root):
        with open(path, "rb") as f:
            try:
                doc = yaml.load(f, Loader=Loader)
            except yaml.YAMLError as e:
                problems.append(f"{path}: {e}")
                continue
        name = os.path.relpath(path, root)
        if name in ("ontology.yaml", "ontology.yml"):
            ontology = doc or {}
        elif name in ("sources.yaml", "sources.yml") or (
            name.split(os.sep)[0].lower() == "sources" and os.sep in name
        ):
            sources.extend(doc or [])
        elif isinstance(doc, list):
            entities.extend((path, e) for e in doc)
        elif isinstance(doc, dict):
            entities.extend((path, e) for e in doc.get("entities") or [])
            relations.extend((path, r, None) for r in doc.get("relations") or [])
        elif doc is not None:
            problems.append(f"{path}: not a list or mapping of entities")
    if ontology is None:
        sys.exit(f"{root}: no ontology.yaml")

    kinds = ontology.get("kinds") or {}
    types = ontology.get("relations") or {}
    sides = ontology.get("sides") or {}
    statuses = ontology.get("statuses") or {}
    hypothetical = {k for k, v in statuses.items() if (v or {}).get("hypothetical")}

    source_ids = set()
    for s in sources:
        if s["id"] in source_ids:
            problems.append(f"duplicate source `{s['id']}`")
        source_ids.add(s["id"])
        if "side" in s and s["side"] not in sides:
            problems.append(f"unknown side `{s['side']}`")

    def cited(where, cites):
        if not cites:
            problems.append(f"{where}: no sources")
        for c in cites or []:
            if c.get("source") not in source_ids:
                problems.append(f"{where}: unknown source `{c.get('source')}`")
            if not c.get("at"):
                problems.append(f"{where}: citation without a locator")
        return len(cites or [])

    def dated(where, value):
        if value is None:
            return None
        try:
            return windows(str(value))
        except ValueError as e:
            problems.append(f"{where}: invalid date: {e}")
            return None

    g = nx.MultiDiGraph()
    citations = 0
    for path, e in entities:
        eid = e.get("id")
        if eid in g:
            problems.append(f"{path}: duplicate entity `{eid}`")
            continue
        if e.get("kind") not in kinds:
            problems.append(f"{path}: `{eid}` has unknown kind `{e.get('kind')}`")
        if "side" in e and e["side"] not in sides:
            problems.append(f"{path}: unknown side `{e['side']}`")
        if "status" in e and e["status"] not in statuses:
            problems.append(f"{path}: unknown status `{e['status']}`")
        if "source" in e and e["source"] not in source_ids:
            problems.append(f"{path}: unknown source `{e['source']}`")
        citations += cited(f"{path}: `{eid}`", e.get("sources"))
        g.add_node(
            eid,
            kind=e.get("kind"),
            status=e.get("status"),
            date=dated(f"{path}: `{eid}`", e.get("date")),
        )
        for r in e.get("relations") or []:
            relations.append((path, r, eid))

    for path, r, owner in relations:
        a = owner if owner is not None else r.get("from")
        b, t = r.get("to"), r.get("type")
        where = f"{path}: relation {a} {t} {b}"
        ok = True
        for end in (a, b):
            if end not in g:
                problems.append(f"{where}: unknown entity `{end}`")
                ok = False
        if t not in types:
            problems.append(f"{where}: unknown relation type")
            ok = False
        elif ok:
            d = types[t] or {}
            for end, ends in ((a, d.get("from")), (b, d.get("to"))):
                if isinstance(ends, list) and g.nodes[end]["kind"] not in ends:
                    problems.append(f"{where}: a `{g.nodes[end]['kind']}` is not allowed here")
        stance = r.get("stance", "record")
        if stance not in STANCES:
            problems.append(f"{where}: unknown stance `{stance}`")
        if stance != "record" and "claimed_by" not in r:
            problems.append(f"{where}: a {stance} without `claimed_by`")
        if "claimed_by" in r and r["claimed_by"] not in g:
            problems.append(f"{where}: unknown claimant `{r['claimed_by']}`")
        citations += cited(where, r.get("sources"))
        date = dated(where, r.get("date"))
        if ok:
            d = types[t] or {}
            g.add_edge(
                a, b, type=t, date=date,
                lineage=bool(d.get("lineage")), identity=bool(d.get("identity")),
            )

    lineage = nx.DiGraph()
    lineage.add_edges_from((a, b) for a, b, x in g.edges(data="lineage") if x)
    if not nx.is_directed_acyclic_graph(lineage):
        problems.append(f"lineage cycle: {nx.find_cycle(lineage)}")
    # A chain's members cross identifications ("probably the same as"),
    # as detente's lineage does unless --strict.
    lineage.add_edges_from((a, b) for a, b, x in g.edges(data="identity") if x)

    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        sys.exit(1)
    g.graph.update(
        sources=len(source_ids), citations=citations, hypothetical=hypothetical
    )
    return g, lineage


# --- questions -------------------------------------------------------------


def main(argv):
    root, task, *args = argv
    g, lineage = load(root)
    for eid in args if task in ("lineage", "neighbors", "path") else []:
        if eid not in g:
            sys.exit(f"unknown entity `{eid}`")
    if task == "check":
        answer = {
            "entities": g.number_of_nodes(),
            "relations": g.number_of_edges(),
            "sources": g.graph["sources"],
            "citations": g.graph["citations"],
        }
    elif task == "lineage":
        (eid,) = args
        members = (
            nx.node_connected_component(lineage.to_undirected(as_view=True), eid)
            if eid in lineage
            else {eid}
        )
        answer = {"members": sorted(members)}
    elif task == "path":
        a, b = args
        try:
            hops = nx.shortest_path_length(g.to_undirected(as_view=True), a, b)
        except nx.NetworkXNoPath:
            hops = None
        answer = {"hops": hops}
    elif task == "active":
        (date,) = args
        q = windows(date)[0]
        out = {"definitely": [], "possibly": []}
        for n, d in g.nodes(data=True):
            if d["date"] is None or d["status"] in g.graph["hypothetical"]:
                continue
            truth = covers(d["date"], q)
            if truth:
                out[truth].append(n)
        answer = {k: sorted(v) for k, v in out.items()}
    elif task == "neighbors":
        (eid,) = args
        # An identification costs nothing: the same thing under two names.
        def cost(u, v, parallel):
            return min(0 if e["identity"] else 1 for e in parallel.values())

        near = nx.single_source_dijkstra_path_length(
            g.to_undirected(as_view=True), eid, cutoff=1, weight=cost
        )
        answer = {"neighbors": sorted(n for n in near if n != eid)}
    else:
        sys.exit(f"unknown task `{task}`")
    json.dump(answer, sys.stdout, sort_keys=True)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
