#!/usr/bin/env bash
# The post's comparison, reproduced: the same MNIST model trained with warm-up + hold + cosine to
# a floor epsilon, with step decay, and with cyclical rates; three seeds each; then one
# comparison (table, picture, page). Run by hand (minutes, not CI):
#   bash examples/schedule-study/run.sh [OUT_DIR] [key=value …]   (default runs/schedule-study)
# Overrides after OUT_DIR apply to every run, e.g. a quicker study: train.epochs=6 data.trainSize=4000.
# A run already completed in OUT_DIR is kept, so an interrupted study resumes where it stopped.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/schedule-study}
shift || true
exp() { node packages/cli/bin/exp.js "$@"; }

for schedule in cosine-warmup step-decay cyclical; do
  for seed in 1 2 3; do
    dir="$out/$schedule-seed$seed"
    if grep -qs '"status": *"completed"' "$dir/summary.json"; then continue; fi
    rm -rf "$dir"
    echo "== $schedule, seed $seed"
    exp run "configs/mnist-$schedule.yaml" "seed=$seed" "$@" --out "$dir" --quiet
  done
done

exp compare "$out"/*-seed* --metric val_acc --plot "$out/compare.png" --html "$out/compare.html"
