#!/usr/bin/env bash
# The app's start-up time, idle CPU and peak memory, in a release build under Xvfb with Mesa's
# software Vulkan (llvmpipe): a laptop without a GPU driver is the slow case we care about.
#
#   bash benches/app.sh            (needs: apt-get install xvfb mesa-vulkan-drivers)
#
# Targets: first frame showing the library within 1.5 s of process start; under 2% of one core
# while idle on the session screen.
set -euo pipefail
cd "$(dirname "$0")/.."
# The start-up report and the scripted session are `dev` test hooks; they do nothing until asked.
cargo build --release --features dev --quiet
bin="${CARGO_TARGET_DIR:-target}/release/attune"
results=$(mktemp -d)
runs=${RUNS:-5}

echo "== start-up: process start to the first frame showing the library ($runs runs)"
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  line=$(xvfb-run -a -s "-screen 0 1280x800x24" "$bin" app --report-startup --results "$results" 2>/dev/null | grep library-frame-unix-ns)
  echo "  $(( (${line##* } - start) / 1000000 )) ms"
done

echo "== idle on the session screen: CPU over 20 s after 10 s to settle, and peak memory"
xvfb-run -a -s "-screen 0 1280x800x24" "$bin" app --scenario grief-eleven-weeks --seed 1 --begin \
  --results "$results" >/dev/null 2>&1 &
sleep 10
pid=$(pgrep -n -f "release/attune app --scenario grief-eleven-weeks")
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(cpu)
sleep 20
after=$(cpu)
awk -v t="$(( after - before ))" -v hz="$ticks" 'BEGIN { printf "  CPU while idle: %.2f%% of one core\n", 100 * t / hz / 20 }'
grep VmHWM "/proc/$pid/status" | awk '{ printf "  peak memory (VmHWM): %.0f MiB\n", $2 / 1024 }'
kill "$pid"
wait 2>/dev/null || true
rm -rf "$results"
