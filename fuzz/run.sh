#!/usr/bin/env bash
# Reproduces the fuzz runs: each target for SECONDS (default 600), one after another, one
# process each, on the stable toolchain (see README.md).
#
#   fuzz/run.sh                 # every target, 600 s each
#   fuzz/run.sh 60              # every target, 60 s each
#   fuzz/run.sh 600 result_json # one target
#
# New inputs go to corpus/<target>/ (not committed), crashes to artifacts/<target>/, and each
# run's output to logs/<target>.log, ending with libFuzzer's final stats (executions, exec/s).
# Stops at the first target that finds a crash, hang or out-of-memory, and says which.
set -euo pipefail

cd "$(dirname "$0")"
seconds="${1:-600}"
shift || true
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=(scenario_bytes scenario_structured result_json condition_text exercise_bytes xapi_statement)
fi

# `-s none`: libFuzzer's coverage instrumentation only, which builds on stable; the sanitizers
# need nightly flags and the core has no unsafe code for them to watch.
cargo fuzz build -s none

mkdir -p logs
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    echo "== $target: ${seconds} s"
    # -timeout: an input running over 5 s is a hang; -rss_limit_mb: over 2 GiB is out of memory.
    if ! cargo fuzz run "$target" -s none "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
        > "logs/$target.log" 2>&1; then
        tail -n 40 "logs/$target.log"
        echo "== $target found a problem: see artifacts/$target/ and logs/$target.log" >&2
        exit 1
    fi
    grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec)' "logs/$target.log"
done
