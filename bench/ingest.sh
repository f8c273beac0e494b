#!/usr/bin/env bash
# Benchmark of the ingestion slice (Kafka -> KafkaIO -> parse/validate -> counts + dead letters)
# on the Direct and Flink[local] runners. Prints each run and the median records/s per runner.
# Usage: bench/ingest.sh [CARDS] [DAYS] [RUNS]   (defaults: 10000 cards, 10 days, 3 runs ~ 200k events)
set -euo pipefail
cd "$(dirname "$0")/.."
cards=${1:-10000}; days=${2:-10}; runs=${3:-3}
topic="bench-payments-$(date +%s)"
bin/parity kafka start >/dev/null
bin/parity generate --topic "$topic" --cards "$cards" --days "$days" --merchants 2000 --bad-records 70
mapping=test-data/src/main/resources/mappings/payments-jsonl.yaml
for runner in direct flink; do
  rates=()
  for i in $(seq "$runs"); do
    line=$(bin/parity ingest --topic "$topic" --mapping "$mapping" --out "work/bench/$runner-$i" \
      --runner "$runner" 2>/dev/null | grep '^ingest on')
    echo "$line"
    rates+=("$(sed -E 's/.*\(([0-9]+) records\/s\).*/\1/' <<<"$line")")
  done
  median=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "MEDIAN $runner: $median records/s over $runs runs"
done
