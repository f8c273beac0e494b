#!/usr/bin/env bash
# Benchmark of the speed layer's produce-to-score latency (`parity bench latency`, cold start, fresh
# topics per run) against a real broker: the plain-Java floor (`--engine plain`, same work without
# Beam) and Flink[local] at 1000 and 5000 payments/s, Direct at 1000/s. Prints each run and, per
# configuration, the medians of p50/p95/p99 and sustained scores/s, then each Beam configuration's
# median p99 as a ratio of the floor's at the same rate (measured in this same invocation).
# Goals on 2 cores: Flink[local] p99 <= 100 ms at 5000/s; Direct p99 <= 500 ms at 1000/s.
# Usage: bench/latency.sh [RUNS] [more `parity bench latency` options, e.g. --label-rate 0]
#   RUNS defaults to 3. Environment: DURATION (PT60S), WARMUP (PT30S: the JIT compiles for ~30 s), CONFIGS ("plain:1000
#   flink:1000 plain:5000 flink:5000 direct:1000"; plain = the floor), BOOTSTRAP (default: start the local broker, bin/parity kafka start),
#   MODEL (default work/bench/latency-model/fraud: trained here on first use for the spec below).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}; shift || true
duration=${DURATION:-PT60S}; warmup=${WARMUP:-PT30S}
configs=${CONFIGS:-"plain:1000 flink:1000 plain:5000 flink:5000 direct:1000"}
spec=shared-features/src/main/resources/specs/fraud.yaml
maps=test-data/src/main/resources/mappings
base=work/bench/latency-model
model=${MODEL:-$base/fraud}
mkdir -p work/bench

if ! compgen -G "$model/*/parity-model.json" >/dev/null; then
  if [[ -n ${MODEL:-} ]]; then
    echo "no model version in $model; train one for $spec (parity train --out $model ...)," \
      "or leave MODEL unset to have one trained under $base" >&2
    exit 2
  fi
  # A model of this spec: 28k generated payments -> bronze/silver -> training set -> MLP (~1 min).
  echo "no model in $model: training one for $spec (log: $base/prepare.log)"
  rm -rf "$base"
  mkdir -p "$base"
  {
    bin/parity generate --out "$base/data" --cards 1000 --days 14 --merchants 300
    bin/parity batch --input "$base/data/payments.jsonl" --mapping "$maps/payments-jsonl.yaml" \
      --labels "$base/data/labels.jsonl" --labels-mapping "$maps/labels-jsonl.yaml" \
      --spec "$spec" --warehouse "$base/warehouse" --out "$base/batch" --runner flink
    bin/parity training-set create --warehouse "$base/warehouse" --name latency \
      --from 2026-01-05 --to 2026-01-19 --as-of 2026-03-01T00:00:00Z \
      --split train:2026-01-05..2026-01-15,valid:2026-01-15..2026-01-19
    bin/parity train --warehouse "$base/warehouse" --training-set latency-v1 --out "$model" \
      --epochs 5
  } >"$base/prepare.log" 2>&1 || {
    tail -20 "$base/prepare.log"
    echo "could not train a model; make one for $spec and pass it as MODEL=models/NAME" >&2
    exit 2
  }
fi

if [[ -z ${BOOTSTRAP:-} ]]; then
  bin/parity kafka start >/dev/null
  BOOTSTRAP=127.0.0.1:9092
fi

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A p99s
for config in $configs; do
  runner=${config%%:*}; rate=${config##*:}
  engine_args=(--runner "$runner")
  [[ $runner == plain ]] && engine_args=(--engine plain)
  csv=()
  for i in $(seq "$runs"); do
    log="work/bench/latency-$runner-$rate-$i.log"
    rc=0
    out=$(bin/parity bench latency --spec "$spec" --model "$model" "${engine_args[@]}" \
      --rate "$rate" --duration "$duration" --warmup "$warmup" --bootstrap-servers "$BOOTSTRAP" \
      --csv "$@" 2>"$log") || rc=$?
    if [[ $rc -ne 0 && $rc -ne 3 ]] || ! grep -q '^csv,' <<<"$out"; then # 3: finished, lost some
      echo "$out"; tail -20 "$log"; echo "run failed (exit $rc), log: $log" >&2; exit 2
    fi
    grep -v '^csv,\|^==>\|payments sent,' <<<"$out" || true
    grep '^parity:' "$log" || true # e.g. topics a cancelled Direct job re-created
    csv+=("$(grep '^csv,' <<<"$out")")
  done
  col() { printf '%s\n' "${csv[@]}" | cut -d, -f"$1" | median; }
  lost=$(printf '%s\n' "${csv[@]}" | cut -d, -f7 | awk '{s+=$1} END {print s}')
  goal=""
  [[ $runner == flink && $rate == 5000 ]] && goal=100
  [[ $runner == direct && $rate == 1000 ]] && goal=500
  verdict=""
  if [[ -n $goal ]]; then
    met=$(awk -v p="$(col 11)" -v g="$goal" -v l="$lost" \
      'BEGIN {print (l == 0 && p + 0 == p && p <= g) ? "met" : "NOT met"}')
    verdict="; goal p99 <= $goal ms: $met"
  fi
  echo "MEDIAN $runner $rate/s: p50 $(col 9), p95 $(col 10), p99 $(col 11) ms," \
    "$(col 8) scores/s over $runs runs, $lost lost$verdict;" \
    "p99 inside the job: read $(col 13), features $(col 14), score $(col 15) ms"
  p99s[$runner:$rate]=$(col 11)
done
for key in "${!p99s[@]}"; do
  runner=${key%%:*}; rate=${key##*:}
  floor=${p99s[plain:$rate]:-}
  if [[ $runner != plain && -n $floor ]]; then
    awk -v r="$runner" -v rate="$rate" -v p="${p99s[$key]}" -v f="$floor" \
      'BEGIN {printf "RATIO %s %s/s: p99 %s ms / floor p99 %s ms = %.1fx\n", r, rate, p, f, p / f}'
  fi
done
