#!/usr/bin/env bash
# Runs the regression studies in configs/regression/ and checks each front against its
# committed baseline (<study>.baseline.json) with `dse check`: exit 1 when a front regressed.
#
#   scripts/check-regression.sh            check (what CI runs)
#   scripts/check-regression.sh --update   rewrite the baselines; commit them with the reason
#
# A study named *-seeds.yaml is stochastic: it runs with seeds 1, 2 and 3 and is compared by
# the median hypervolume ratio over the seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
update=0
[ "${1:-}" = "--update" ] && update=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for study in configs/regression/*.yaml; do
  name=$(basename "$study" .yaml)
  baseline="configs/regression/$name.baseline.json"
  seeds=(1)
  case "$name" in *-seeds) seeds=(1 2 3) ;; esac
  dirs=()
  for seed in "${seeds[@]}"; do
    dir="$out/$name-seed$seed"
    node bin/dse.js run "$study" --seed "$seed" --out "$dir" --no-report > "$dir.log" 2>&1 || { cat "$dir.log"; exit 2; }
    dirs+=("$dir")
  done
  if [ "$update" = 1 ]; then
    node bin/dse.js baseline "${dirs[@]}" -o "$baseline"
    echo "regression: wrote $baseline"
  else
    echo "regression: $name"
    node bin/dse.js check "${dirs[@]}" --baseline "$baseline" || status=$?
  fi
done
exit "$status"
