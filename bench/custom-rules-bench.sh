#!/usr/bin/env bash
# Custom-rule cost (run by hand, not a test): lints the 2,000-manifest corpus
# of bench/k8s-corpus.sh with the built-in rules only, then with 20 schema
# rules, 20 Rhai script rules, and both, and prints wall and CPU time and
# peak RSS of each run (release build, `/usr/bin/time -v`).
#
#   bench/custom-rules-bench.sh [FILES]     FILES=2000 by default
#   QUIET=1: rules that evaluate the same way but (almost) never fire, to
#   separate evaluation cost from the cost of 100,000 findings.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FILES=${1:-2000}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/custom-bench.XXXXXX")
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT

echo "building release binary..." >&2
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
BIN=$WORK/deploylint
cp "$TARGET/release/deploylint" "$BIN"

"$ROOT/bench/k8s-corpus.sh" "$WORK/corpus" "$FILES" >/dev/null

# 20 schema rules (kubernetes-object and container targets) and 20 script
# rules (container, kubernetes-object and deployment targets), each a small
# variation of the examples in examples/custom-rules/.
mkdir -p "$WORK/schema" "$WORK/script" "$WORK/both"
for i in $(seq -w 1 20); do
  if [ "${QUIET:-0}" = 1 ]; then
    lab=app.kubernetes.io/part-of; pat='^'; prefix=''
  else
    lab="team$i"; pat="^registry$i\\\\.example\\\\.com/"; prefix=registry.example.com/
  fi
  if ((10#$i % 2)); then
    cat >"$WORK/schema/PSC0$i.yaml" <<YAML
code: PSC0$i
name: schema-labels-$i
title: Deployments carry owner labels ($i)
severity: warning
target: kubernetes-object
kinds: [Deployment]
rationale: r
remediation: r
schema:
  type: object
  properties:
    metadata:
      type: object
      required: [labels]
      properties:
        labels:
          type: object
          required: [$lab]
YAML
  else
    cat >"$WORK/schema/PSC0$i.yaml" <<YAML
code: PSC0$i
name: schema-registry-$i
title: Images from the approved registry ($i)
severity: warning
target: container
rationale: r
remediation: r
schema:
  type: object
  required: [image, resources]
  properties:
    image: {type: string, pattern: "$pat"}
    resources:
      type: object
YAML
  fi
  case $((10#$i % 3)) in
    0) target=container; body='if !target.image.starts_with("'"$prefix"'") { report("image", `image ${target.image} not approved`); }
  let mem = target?.resources?.limits?.memory;
  if mem != () && k8s_bytes(mem) > 1073741824 { report("resources.limits.memory", "more than 1Gi"); }' ;;
    1) target=kubernetes-object; body='let labels = target?.metadata?.labels;
  if labels == () || labels["team"] == () { report("metadata.labels", "no team label"); }' ;;
    2) target=deployment; body='if target.process.kind == "octane" && target.process.workers == () { report("container", "octane without --workers"); }
  for p in target.pools { if p.directives["pm.max_children"] != () && p.directives["pm.max_children"] > 20 { report("container", "too many children"); } }' ;;
  esac
  cat >"$WORK/script/PRH0$i.yaml" <<YAML
code: PRH0$i
name: script-rule-$i
title: Script rule $i
severity: warning
target: $target
rationale: r
remediation: r
script: |
  $body
YAML
done
cp "$WORK"/schema/*.yaml "$WORK"/script/*.yaml "$WORK/both/"
for v in none schema script both; do
  if [ "$v" = none ]; then
    echo "custom-rules: []" >"$WORK/$v.yaml"
  else
    echo "custom-rules: [$v]" >"$WORK/$v.yaml"
  fi
done

run() { # label config
  local log=$WORK/time.log
  set +e
  /usr/bin/time -v "$BIN" check --quiet --no-color --config "$WORK/$2.yaml" "$WORK/corpus" >"$WORK/out.txt" 2>"$log"
  local rc=$?
  set -e
  if [ "$rc" -gt 1 ]; then
    echo "deploylint failed (exit $rc):" >&2
    cat "$WORK/out.txt" "$log" >&2
    exit 1
  fi
  local wall cpu rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$log")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  printf '%-28s wall %8s  cpu %6.2f s  peak RSS %6.1f MiB  %s\n' "$1" "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)" "$(tail -1 "$WORK/out.txt")"
}

echo "corpus: $(find "$WORK/corpus" -type f | wc -l) files" >&2
run "built-in only" none
run "+ 20 schema rules" schema
run "+ 20 Rhai rules" script
run "+ 20 schema + 20 Rhai" both
