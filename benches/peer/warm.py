#!/usr/bin/env python3
"""Times every query command warm, as whole processes, on one dataset.

    python3 benches/peer/warm.py DIR DETENTE [DETENTE ...] [--runs N] [--only NAME,...] [--first]

For each query command (check, show, list, find, search, lineage, path,
neighbors, active, timeline, diff, compare, claims, stats), as text and as
`--format json`, runs `detente --data DIR ...` once to write the dataset's
cache copy (a temporary cache directory per binary, deleted at the end; the
user's cache is never touched), then N times more with the output going to
/dev/null, and prints a Markdown table of the median wall time, the median
CPU time (user + system, all threads) and the largest peak resident memory
(GNU time), with the size of the output. The target of issue #12 is every
query under 0.5 s of wall time at 100k entities.

Given several binaries (e.g. before and after a change), runs them
alternately, prints their columns side by side, and exits 1 if any two
of them print different bytes for the same command.

`search`, `stats` and a whole `timeline` keep what they compute beside the
dataset's copy (the search index, the centrality scores, the timeline's
tables), so the runs above read it back. With `--first`, only those three
are timed, and each timed run is the first of its kind after the dataset's
copy exists: what they keep is deleted before every run (the dataset's copy
stays), as when a dataset is searched, ranked or laid out in time for the
first time since it changed. The target holds for that run too.

The ids asked about are picked as compare.py picks them: the last
mechanism written in the corpus and the first person.
"""

import argparse
import glob
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import pick_ids  # noqa: E402


def queries(root):
    person, mech = pick_ids(root)
    plain = [
        ("check", ["check"]),
        ("show", ["show", mech]),
        ("list", ["list"]),
        ("find", ["find", "a"]),
        ("search", ["search", "cyber"]),
        ("lineage", ["lineage", mech]),
        ("path", ["path", person, mech]),
        ("neighbors", ["neighbors", mech]),
        ("active", ["active", "2016-06-01"]),
        ("timeline", ["timeline"]),
        ("diff", ["diff", "2015", "2016"]),
        ("compare", ["compare", person, mech]),
        ("claims", ["claims"]),
        ("stats", ["stats"]),
    ]
    for name, args in plain:
        yield name, "text", args
        yield name, "json", [*args, "--format", "json"]


# What a command keeps beside the dataset's copy in the cache directory.
KEPT = {"search": "*.search.bin", "stats": "*.stats.bin", "timeline": "*.timeline.bin"}


def forget(env, name):
    """Deletes what `name` keeps beside the dataset's copy in env's cache."""
    for path in glob.glob(os.path.join(env["XDG_CACHE_HOME"], "detente", KEPT[name])):
        os.remove(path)


def timed(cmd, env, peak_file):
    """(wall s, CPU s, peak KB, exit code, stderr) of one run, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    p = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", peak_file, *cmd],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(peak_file, encoding="utf-8") as f:
        lines = f.read().strip().splitlines()
    peak = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    return wall, cpu, peak, p.returncode, p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("detente", nargs="+")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", help="comma-separated command names (default: every one)")
    ap.add_argument("--first", action="store_true",
                    help="time search, stats and timeline with nothing kept beside the dataset's copy")
    a = ap.parse_args()
    only = set(a.only.split(",")) if a.only else None
    if a.first:
        only = (only or set(KEPT)) & set(KEPT)

    tmp = tempfile.TemporaryDirectory(prefix="detente-warm-")
    envs = []
    for i, _ in enumerate(a.detente):
        cache = os.path.join(tmp.name, f"cache{i}")
        os.mkdir(cache)
        envs.append(dict(os.environ, XDG_CACHE_HOME=cache))
    peak_file = os.path.join(tmp.name, "peak")

    many = len(a.detente) > 1
    head = "| command | format | output "
    rule = "| --- | --- | ---: "
    for i, _ in enumerate(a.detente):
        tag = f" ({i + 1})" if many else ""
        head += f"| wall{tag} | CPU{tag} | peak{tag} "
        rule += "| ---: | ---: | ---: "
    print(head + "|")
    print(rule + "|")
    differ = []
    slowest = [0.0 for _ in a.detente]
    for name, fmt, args in queries(a.dir):
        if only and name not in only:
            continue
        cmds = [[b, "--data", a.dir, *args] for b in a.detente]
        # The first run of each binary writes its cache copy; its output is
        # kept to compare the binaries' answers.
        outs = []
        for cmd, env in zip(cmds, envs):
            p = subprocess.run(cmd, capture_output=True, env=env, check=False)
            if p.returncode != 0:
                sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr.decode()[-2000:]}")
            outs.append(p.stdout)
        if any(o != outs[0] for o in outs[1:]):
            differ.append(f"{name} {fmt}")
        stats = [([], [], []) for _ in a.detente]
        for r in range(a.runs):
            # Alternate which binary goes first.
            order = list(range(len(cmds)))
            if r % 2:
                order.reverse()
            for i in order:
                if a.first:
                    forget(envs[i], name)
                wall, cpu, peak, code, err = timed(cmds[i], envs[i], peak_file)
                if code != 0:
                    sys.exit(f"{' '.join(cmds[i])} failed ({code}):\n{err.decode()[-2000:]}")
                for xs, x in zip(stats[i], (wall, cpu, peak)):
                    xs.append(x)
        size = len(outs[0])
        shown = f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.1f} kB"
        row = f"| {' '.join(args[:1])} | {fmt} | {shown} "
        for i, (walls, cpus, peaks) in enumerate(stats):
            wall = statistics.median(walls)
            slowest[i] = max(slowest[i], wall)
            row += f"| {wall:.3f} s | {statistics.median(cpus):.3f} s | {max(peaks) / 1024:.0f} MB "
        print(row + "|", flush=True)
    print()
    for i, worst in enumerate(slowest):
        tag = f" ({i + 1})" if many else ""
        print(f"Slowest median wall time{tag}: {worst:.3f} s "
              f"({'under' if worst < 0.5 else 'OVER'} the 0.5 s target).")
    if differ:
        sys.exit(f"the binaries' outputs differ: {', '.join(differ)}")


if __name__ == "__main__":
    main()
