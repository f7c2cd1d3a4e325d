#!/usr/bin/env bash
# Regenerates docs/gallery from the bundled dataset. From the repository root:
#
#     bash docs/gallery/make.sh
#
# Needs Graphviz's `dot`. The list of diagrams is docs/gallery/views.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
# DETENTE=path/to/detente skips the release build (e.g. a debug binary).
if [ -z "${DETENTE:-}" ]; then
    cargo build --quiet --release
fi
detente=${DETENTE:-target/release/detente}
out=docs/gallery
# What the SVGs depend on besides detente: Graphviz, and the fonts it
# measures text with. tests/gallery.rs compares SVGs only on a machine with
# the same.
{ dot -V 2>&1 | head -n 1; fc-match Helvetica; fc-list ':lang=zh' family | LC_ALL=C sort; } > "$out/GRAPHVIZ_VERSION"
grep -v '^#' "$out/views.txt" | grep -v '^[[:space:]]*$' | while IFS='|' read -r name args extra; do
    name=$(echo "$name" | xargs)
    read -r -a words <<< "$args"
    for ext in dot mmd svg $extra; do
        # The `diagram` arguments, then the output file (format from its extension).
        "$detente" diagram "${words[@]}" -o "$out/$name.$ext"
    done
    echo "rendered $name"
done
