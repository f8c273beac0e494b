#!/usr/bin/env bash
# Benchmark of the feature computation over generated payments with specs/fraud.yaml (37 features):
# the plain sequential loop (FeatureReplay), the batch job on Direct and on Flink[local].
# Prints each run and medians; the ratio to the plain loop is computed from the medians.
# Usage: bench/features.sh [CARDS] [DAYS] [RUNS] [DIRECT_RUNS]
#   defaults: 40000 cards x 14 days ~ 1.1M payments, 3 runs (plain loop, Flink), 1 run (Direct)
set -euo pipefail
cd "$(dirname "$0")/.."
cards=${1:-40000}; days=${2:-14}; runs=${3:-3}; direct_runs=${4:-1}
data=work/bench/features-$cards-$days
if [[ ! -f $data/payments.jsonl ]]; then
  bin/parity generate --out "$data" --cards "$cards" --days "$days" --merchants 4000 >/dev/null
fi
maps=test-data/src/main/resources/mappings
spec=shared-features/src/main/resources/specs/fraud.yaml
common=(--input "$data/payments.jsonl" --mapping "$maps/payments-jsonl.yaml"
  --labels "$data/labels.jsonl" --labels-mapping "$maps/labels-jsonl.yaml" --spec "$spec")
echo "payments: $(wc -l < "$data/payments.jsonl"), labels: $(wc -l < "$data/labels.jsonl")"
bin/parity bench replay "${common[@]}" --runs "$runs" | tee /tmp/parity-bench-replay.txt
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for runner in flink direct; do
  n=$runs; [[ $runner == direct ]] && n=$direct_runs
  rates=()
  for i in $(seq "$n"); do
    line=$(bin/parity features "${common[@]}" --out "work/bench/features-out-$runner-$i" \
      --runner "$runner" --shards 0 2>/dev/null | grep '^features on')
    echo "$line"
    rates+=("$(sed -E 's/.*\(([0-9]+) payments\/s\).*/\1/' <<<"$line")")
  done
  echo "MEDIAN $runner: $(printf '%s\n' "${rates[@]}" | median) payments/s over $n runs"
done
