#!/usr/bin/env bash
# How long `detente search` takes as a whole process on a generated corpus
# of N entities (default 100,000), warm: the dataset's cache copy and its
# search index's copy exist (the warm-up run writes them), so what is timed
# is reading those copies and the search. Beside it, `list --count` on the
# same data times the load alone, and `find` (names only, which folds the
# names on every query and keeps no index) the name search. With
# FIRST=1, the search index's copy is removed before each run, so each
# search folds every text and writes the copy again: what the first search
# of a dataset costs. Each command runs RUNS times (default 5) after one
# warm-up; the median of CPU time (user + system) and of wall time are
# printed in milliseconds. From the repository root:
#
#     bash benches/search.sh             # 100k entities, release build
#     N=10000 RUNS=9 bash benches/search.sh
#
# The corpus is generated once (seed 1) under target/corpus/N, as
# `cargo run --release --example corpus -- N target/corpus/N 1` writes it;
# cache copies go to target/corpus/.cache. A benchmark, not a test:
# nothing fails on a slow machine.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${N:-100000}
runs=${RUNS:-5}
dir=target/corpus/$n
cargo build --quiet --release
if [ ! -f "$dir/ontology.yaml" ]; then
    cargo run --quiet --release --example corpus -- "$n" "$dir" 1
fi
export XDG_CACHE_HOME="$PWD/target/corpus/.cache"
detente=target/release/detente
out=$(mktemp)
trap 'rm -f "$out"' EXIT
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
printf '%-40s %12s %12s\n' "command (N=$n)" cpu_ms wall_ms
for query in 'list --count' 'search cyber dialogue' 'search "norms of state behaviour"' 'search 国际机制' 'find "cyber dialogue"' 'find 国际机制'; do
    eval "set -- $query"
    "$detente" --data "$dir" "$@" > /dev/null
    cpu=()
    wall=()
    for _ in $(seq "$runs"); do
        if [ -n "${FIRST:-}" ]; then rm -f "$XDG_CACHE_HOME"/detente/*.search.bin; fi
        /usr/bin/time -o "$out" -f '%U %S %e' "$detente" --data "$dir" "$@" > /dev/null
        read -r user sys elapsed < "$out"
        cpu+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')")
        wall+=("$(awk -v e="$elapsed" 'BEGIN { printf "%d", e * 1000 }')")
    done
    printf '%-40s %12s %12s\n' "$query" "$(median "${cpu[@]}")" "$(median "${wall[@]}")"
done
