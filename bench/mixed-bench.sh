#!/usr/bin/env bash
# Whole-deployment benchmark (run by hand, not a test): generates mixed
# corpora (Dockerfiles, split php-fpm pools, php.ini and conf.d files,
# Kubernetes manifests; 8 files per app, bench/mixed-corpus.py) and lints
# each with the release binary under `/usr/bin/time -v`: wall, CPU, peak RSS.
# Two sizes show whether the cost is linear.
#
#   bench/mixed-bench.sh [FILES...]      (default: 10000 40000)
#   KEEP=1 keeps the corpora; ARGS="--select K8S" passes options to check.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mixed-bench.XXXXXX")
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 40000)

echo "building release binary..." >&2
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
BIN=$WORK/deploylint
cp "$TARGET/release/deploylint" "$BIN"

for n in "${sizes[@]}"; do
  corpus=$WORK/corpus-$n
  python3 "$ROOT/bench/mixed-corpus.py" "$corpus" "$n"
  log=$WORK/time-$n.log
  set +e
  (cd "$corpus" && /usr/bin/time -v "$BIN" check --format json --fail-on error ${ARGS:-} . >"$WORK/out-$n.json" 2>"$log")
  rc=$?
  set -e
  if [ "$rc" -gt 1 ]; then
    echo "deploylint failed (exit $rc):" >&2
    tail -30 "$log" >&2
    exit 1
  fi
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$log")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  findings=$(grep -o '"code"' "$WORK/out-$n.json" | wc -l)
  printf '%6d files  wall %s  cpu %6.2f s  peak RSS %6.1f MiB  %6d findings\n' \
    "$n" "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)" "$findings"
done
