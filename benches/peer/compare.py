#!/usr/bin/env python3
"""Times detente against the Python baseline, side by side, as whole processes.

    python3 benches/peer/compare.py DETENTE DIR [DIR ...] [--runs N] [--yardstick BIN]
                                    [--tasks check,lineage,...]

For each dataset directory and each task (check, lineage, path, active,
neighbors), runs detente cold (`--no-cache`: every file parsed and checked)
and `baseline.py` alternately, N times each (the machine is shared, so
alternating spreads its noise over both), checks that their answers agree —
exits 1 at the first that does not — and prints a Markdown table of median
wall time, median CPU time (user + system), peak memory and the ratio of
medians. Then it times detente warm, N times: the same command once the
dataset's cache copy exists (in a temporary cache directory of its own,
deleted at the end; the user's cache is never touched), and checks that
answer too. With --yardstick, also times the
program that parses the same files with serde-saphyr alone, on one thread
(examples/yardstick.rs), to compare detente's whole `check` with bare
parsing.

The entity ids the questions are about are picked from the corpus the same
way every time: the last mechanism defined (lineage, neighbours) and a path
from the first person to it.
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BASELINE = os.path.join(HERE, "baseline.py")
ACTIVE_ON = "2016-06-01"


# detente's cache copies go here, never into the user's cache directory.
CACHE = tempfile.TemporaryDirectory(prefix="detente-compare-")
ENV = dict(os.environ, XDG_CACHE_HOME=CACHE.name)


def run(cmd):
    """(stdout, wall seconds, CPU seconds, peak KB, exit code) of one process."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    out, err = p.communicate()
    wall = time.perf_counter() - start
    return out, err, wall, p.returncode


PEAK = os.path.join(CACHE.name, "peak")


def timed(cmd):
    """As `run`, with the CPU time of the child (user + system) and its
    peak resident memory in KB (GNU time wraps the run; no extra run)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out, err, wall, code = run(["/usr/bin/time", "-f", "%M", "-o", PEAK, *cmd])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(PEAK, encoding="utf-8") as f:
        lines = f.read().strip().splitlines()
    peak = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    return out, err, wall, cpu, code, peak


def pick_ids(root):
    """The first person and the last mechanism written in the corpus."""
    first_person, last_mechanism = None, None
    for d, dirs, files in sorted(os.walk(root)):
        dirs[:] = sorted(x for x in dirs if not (d == root and x == "sources"))
        for f in sorted(files):
            if f in ("ontology.yaml", "sources.yaml"):
                continue
            text = open(os.path.join(d, f), encoding="utf-8").read()
            ids = re.findall(r"id: ((?:person|mechanism)-\d+)", text)
            for i in ids:
                if i.startswith("person") and first_person is None:
                    first_person = i
                if i.startswith("mechanism"):
                    last_mechanism = i
    return first_person, last_mechanism


def tasks(root):
    person, mech = pick_ids(root)
    return [
        ("check", ["check"], ["check"]),
        ("lineage", ["lineage", mech], ["lineage", mech]),
        ("path", ["path", person, mech], ["path", person, mech]),
        ("active", ["active", ACTIVE_ON], ["active", ACTIVE_ON]),
        ("neighbors", ["neighbors", mech], ["neighbors", mech]),
    ]


def detente_answer(task, out):
    v = json.loads(out)
    if task == "check":
        return {k: v[k] for k in ("entities", "relations", "sources", "citations")}
    if task == "lineage":
        return {"members": sorted(link["entity"]["id"] for link in v["links"])}
    if task == "path":
        if v.get("truncated"):
            sys.exit("detente's path search was truncated: the answers cannot be compared")
        return {"hops": len(v["paths"][0]["hops"]) if v["paths"] else None}
    if task == "active":
        return {k: sorted(e["id"] for e in v[k]) for k in ("definitely", "possibly")}
    if task == "neighbors":
        return {"neighbors": sorted(n["entity"]["id"] for n in v["neighbors"])}
    raise ValueError(task)


def median(xs):
    return statistics.median(xs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("detente")
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--yardstick", help="the examples/yardstick binary")
    ap.add_argument(
        "--tasks",
        default="check,lineage,path,active,neighbors",
        help="comma-separated subset of the tasks (default: all)",
    )
    a = ap.parse_args()

    yardstick = []
    print("| entities | YAML | task | detente wall | Python wall | wall ratio "
          "| detente CPU | Python CPU | CPU ratio | detente peak | Python peak "
          "| warm wall | warm CPU | warm wall ratio |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
          "| ---: | ---: | ---: |")
    for root in a.dirs:
        size = sum(
            os.path.getsize(os.path.join(d, f))
            for d, _, fs in os.walk(root)
            for f in fs
        )
        entities = None
        for task, dargs, pargs in tasks(root):
            if task not in a.tasks.split(","):
                continue
            wcmd = [a.detente, "--data", root, *dargs, "--format", "json"]
            dcmd = [*wcmd, "--no-cache"]
            pcmd = [sys.executable, BASELINE, root, *pargs]
            d_wall, d_cpu, p_wall, p_cpu, d_peak, p_peak = [], [], [], [], [], []
            for i in range(a.runs):
                # Alternate which goes first, so neither always runs on a
                # warmer (or busier) machine.
                order = [("d", dcmd), ("p", pcmd)]
                if i % 2:
                    order.reverse()
                for who, cmd in order:
                    out, err, wall, cpu, code, peak = timed(cmd)
                    if code != 0:
                        sys.exit(f"{' '.join(cmd)} failed ({code}):\n{err.decode()[-2000:]}")
                    if who == "d":
                        answer_d = detente_answer(task, out)
                        d_wall.append(wall)
                        d_cpu.append(cpu)
                        d_peak.append(peak)
                    else:
                        answer_p = json.loads(out)
                        p_wall.append(wall)
                        p_cpu.append(cpu)
                        p_peak.append(peak)
                if answer_d != answer_p:
                    sys.exit(
                        f"answers differ on {root} {task}:\n"
                        f"  detente: {json.dumps(answer_d)[:2000]}\n"
                        f"  python:  {json.dumps(answer_p)[:2000]}"
                    )
            if task == "check":
                entities = answer_d["entities"]
            dm, pm = max(d_peak), max(p_peak)
            # Warm: the first run writes the cache copy, the timed ones read it.
            w_wall, w_cpu = [], []
            for i in range(a.runs + 1):
                out, err, wall, cpu, code, _ = timed(wcmd)
                if code != 0:
                    sys.exit(f"{' '.join(wcmd)} failed ({code}):\n{err.decode()[-2000:]}")
                if detente_answer(task, out) != answer_p:
                    sys.exit(f"warm answer differs on {root} {task}")
                if i:
                    w_wall.append(wall)
                    w_cpu.append(cpu)
            print(
                f"| {entities:,} | {size / 1e6:.1f} MB | {task} "
                f"| {median(d_wall):.3f} s | {median(p_wall):.3f} s "
                f"| {median(p_wall) / median(d_wall):.1f}× "
                f"| {median(d_cpu):.3f} s | {median(p_cpu):.3f} s "
                f"| {median(p_cpu) / median(d_cpu):.1f}× "
                f"| {dm / 1024:.0f} MB | {pm / 1024:.0f} MB "
                f"| {median(w_wall):.3f} s | {median(w_cpu):.3f} s "
                f"| {median(p_wall) / median(w_wall):.0f}× |",
                flush=True,
            )
        if a.yardstick:
            y_cpu, d_cpu = [], []
            for i in range(a.runs):
                order = [("y", [a.yardstick, root]), ("d", [a.detente, "--data", root, "check", "--no-cache"])]
                if i % 2:
                    order.reverse()
                for who, cmd in order:
                    out, err, wall, cpu, code, _ = timed(cmd)
                    if code != 0:
                        sys.exit(f"{' '.join(cmd)} failed ({code}):\n{err.decode()[-2000:]}")
                    (y_cpu if who == "y" else d_cpu).append((wall, cpu))
            yw, yc = median(w for w, _ in y_cpu), median(c for _, c in y_cpu)
            dw, dc = median(w for w, _ in d_cpu), median(c for _, c in d_cpu)
            yardstick.append(
                f"| {entities:,} | {size / 1e6:.1f} MB | {dw:.3f} s | {yw:.3f} s "
                f"| {dw / yw:.2f}× | {dc:.3f} s | {yc:.3f} s | {dc / yc:.2f}× |"
            )
    if yardstick:
        print()
        print("| entities | YAML | detente check wall | parse alone wall | ratio "
              "| detente check CPU | parse alone CPU | ratio |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        print("\n".join(yardstick))


if __name__ == "__main__":
    main()
