#!/usr/bin/env bash
# The scenario map in author mode: frame times while panning the map of the 1,000-node generated
# scenario, in a release build under Xvfb with Mesa's software Vulkan (llvmpipe), as Bevy's
# `FrameTimeDiagnosticsPlugin` measures them. The layout itself is timed by the criterion bench
# (`cargo bench --no-default-features --bench author -- map`).
#
#   bash benches/map.sh            (needs: apt-get install xvfb mesa-vulkan-drivers)
#
# Target: 60 fps (16.7 ms a frame) while panning. llvmpipe renders on the CPU, so on a shared
# 2-core machine this measures the CPU as much as the app. To read the numbers against the
# renderer, it first times `benches/window_floor.rs`: an empty Bevy window with bevy_egui (the
# least any frame can cost here), and the same with one full-window egui fill.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --features dev --quiet
for floor in empty fill; do
  xvfb-run -a -s "-screen 0 1280x800x24" cargo bench --quiet --features dev --bench window_floor -- "$floor" 2>/dev/null \
    | grep window-floor
done
bin="${CARGO_TARGET_DIR:-target}/release/attune"
dir=$(mktemp -d)
mkdir -p "$dir/scenarios"
frames=${FRAMES:-600}

# "none": the same session screen with the map closed, the baseline of what llvmpipe costs.
for zoom in none 1 0.3 fit; do
  args=(--map)
  [ "$zoom" = none ] && args=()
  [ "$zoom" != fit ] && [ "$zoom" != none ] && args+=(--map-zoom "$zoom")
  echo "== panning at zoom $zoom ($frames frames)"
  xvfb-run -a -s "-screen 0 1280x800x24" "$bin" app --scenarios "$dir/scenarios" --results "$dir/results" \
    --generate 1000 --scenario generated-1000 --seed 1 --begin "${args[@]}" --pan-frames "$frames" 2>/dev/null \
    | grep map-pan
done
rm -rf "$dir"
