#!/usr/bin/env bash
# Whether reporting N problems costs time in proportion to N (and the file's
# size), as text and as JSON: one data file with N entities of an unknown
# kind (N problems, about 80 bytes of YAML each) is checked as a whole
# process, for N doubling from 250 to 32,000. Linear reporting keeps the
# time per problem flat down each column (text draws the first 1,000
# problems with their lines and counts the rest, so beyond 1,000 its time
# per problem falls); the quadratic renderer this replaced took 34 s for
# 8,000 problems as text. From the repository root:
#
#     bash benches/diagnostics.sh                    # release build
#     DETENTE=target/debug/detente bash benches/diagnostics.sh
#
# A benchmark, not a test: nothing fails on a slow machine.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DETENTE:-}" ]; then
    cargo build --quiet --release
fi
detente=${DETENTE:-target/release/detente}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp tests/fixtures/minimal/*.yaml "$dir"/
seconds() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
}
printf '%8s %10s %10s %14s %14s\n' problems text_ms json_ms text_us/prob json_us/prob
for n in 250 500 1000 2000 4000 8000 16000 32000; do
    python3 - "$n" > "$dir/x.yaml" <<'PY'
import sys
for i in range(int(sys.argv[1])):
    print(f"- {{id: e{i}, kind: mechansm, name: N, sources: [{{source: doc, at: p}}]}}")
PY
    t=$(seconds "$detente" --data "$dir" check)
    j=$(seconds "$detente" --data "$dir" check --format json)
    printf '%8d %10d %10d %14d %14d\n' "$n" "$t" "$j" $(( t * 1000 / n )) $(( j * 1000 / n ))
done
