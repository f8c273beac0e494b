#!/usr/bin/env bash
# Benchmark of `parity batch` (ingest into bronze, recompute silver + gold) over generated files.
# Each run uses a fresh warehouse. Prints each run and the median records/s per runner.
# Usage: bench/batch.sh [CARDS] [DAYS] [RUNS] [RUNNERS]
#   defaults: 40000 cards x 14 days ~ 1.25M records (payments + labels), 3 runs, "flink direct"
set -euo pipefail
cd "$(dirname "$0")/.."
cards=${1:-40000}; days=${2:-14}; runs=${3:-3}; runners=${4:-"flink direct"}
data=work/bench/features-$cards-$days
if [[ ! -f $data/payments.jsonl ]]; then
  bin/parity generate --out "$data" --cards "$cards" --days "$days" --merchants 4000 >/dev/null
fi
maps=test-data/src/main/resources/mappings
echo "payments: $(wc -l < "$data/payments.jsonl"), labels: $(wc -l < "$data/labels.jsonl")"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for runner in $runners; do
  rates=()
  for i in $(seq "$runs"); do
    warehouse="work/bench/warehouse-$runner-$i"
    rm -rf "$warehouse"
    line=$(bin/parity batch --input "$data/payments.jsonl" --mapping "$maps/payments-jsonl.yaml" \
      --labels "$data/labels.jsonl" --labels-mapping "$maps/labels-jsonl.yaml" \
      --spec shared-features/src/main/resources/specs/fraud.yaml --warehouse "$warehouse" \
      --out "work/bench/batch-$runner-$i" --runner "$runner" 2>/dev/null | grep '^batch ')
    echo "$line"
    rates+=("$(sed -E 's/.*\(([0-9]+) records\/s\).*/\1/' <<<"$line")")
  done
  echo "MEDIAN $runner: $(printf '%s\n' "${rates[@]}" | median) records/s over $runs runs"
done
