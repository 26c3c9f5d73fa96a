#!/usr/bin/env bash
# The load bench's time ratio in instructions, which a busy machine does not change: runs the load
# bench binary's child modes under callgrind and prints (load - generate) / (mirror - generate).
# Usage: benches/load-instructions.sh [NODES]   (default 10000; needs valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
nodes="${1:-10000}"
bench=$(cargo bench --no-default-features --bench load --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "load" and m.get("executable"):
        print(m["executable"])')
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
count() {
  ATTUNE_LOAD_PEAK="$1" ATTUNE_LOAD_NODES="$nodes" valgrind --tool=callgrind \
    --callgrind-out-file="$out/$1.out" "$bench" >/dev/null 2>"$out/$1.log"
  sed -n 's/^summary: //p' "$out/$1.out"
}
generate=$(count generate)
mirror=$(count mirror)
load=$(count load)
python3 - "$nodes" "$generate" "$mirror" "$load" <<'PY'
import sys
nodes, g, m, l = sys.argv[1], *map(int, sys.argv[2:])
print(f"{nodes} nodes, instructions: mirror parse {m - g:,}, load_str {l - g:,}, ratio {(l - g) / (m - g):.2f}x")
PY
