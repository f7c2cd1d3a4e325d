#!/usr/bin/env bash
# How long each gallery diagram takes to render, as a teacher runs it: the
# whole `detente diagram … -o FILE` process, Graphviz included. Each view
# is rendered RUNS times (default 5) after one warm-up; the median and the
# fastest are printed in milliseconds. From the repository root:
#
#     bash benches/gallery.sh            # release build
#     RUNS=11 DETENTE=target/debug/detente bash benches/gallery.sh
#
# Slide views are timed as PNG, poster views as SVG (as the gallery has
# them). A benchmark, not a test: nothing fails on a slow machine.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DETENTE:-}" ]; then
    cargo build --quiet --release
fi
detente=${DETENTE:-target/release/detente}
runs=${RUNS:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-22s %8s %8s  %s\n' view median_ms min_ms format
grep -v '^#' docs/gallery/views.txt | grep -v '^[[:space:]]*$' | while IFS='|' read -r name args _; do
    name=$(echo "$name" | xargs)
    read -r -a words <<< "$args"
    ext=png
    case " $args " in *" poster "*) ext=svg ;; esac
    "$detente" diagram "${words[@]}" -o "$out/$name.$ext" 2>/dev/null
    times=()
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$detente" diagram "${words[@]}" -o "$out/$name.$ext" 2>/dev/null
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000000 )))
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    printf '%-22s %8d %8d  %s\n' "$name" "${sorted[$((runs / 2))]}" "${sorted[0]}" "$ext"
done
