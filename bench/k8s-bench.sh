#!/usr/bin/env bash
# Kubernetes benchmark (run by hand, not a test): generates a corpus of
# manifest files (per app a Deployment, a Service, an HPA and a PDB, plus
# multi-document worker files, CronJobs and ConfigMaps), lints it with the
# release binary under `/usr/bin/time -v`, and prints objects per second and
# peak RSS. Cross-file rules relate every object of the run, so this also
# shows they scale linearly.
#
#   bench/k8s-bench.sh [APPS] [NAMESPACES]
#   APPS=600 (files = 4 per app + 1 per 3 apps; 600 -> 2,600 files)
#   NAMESPACES=20 (1 puts every object in one namespace: the selector index's worst case)
#   KEEP=1 keeps the corpus; SELECT=K8S04,K8S05 limits the rules.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
APPS=${1:-600}
NAMESPACES=${2:-20}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/k8s-bench.XXXXXX")
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT
CORPUS=$WORK/corpus
mkdir -p "$CORPUS"

echo "building release binary..." >&2
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
# The target dir may be shared: run a private copy of this build.
BIN=$WORK/deploylint
cp "$TARGET/release/deploylint" "$BIN"

echo "generating $APPS apps in $NAMESPACES namespaces under $CORPUS..." >&2
objects=0
for ((i = 0; i < APPS; i++)); do
  ns="team-$((i % NAMESPACES))"
  app="app-$i"
  dir=$CORPUS/$ns/$app
  mkdir -p "$dir"
  # Every 7th app has a mistake or two for the cross-file rules to find.
  tier=web; [ $((i % 7)) = 3 ] && tier=frontend
  port=http; [ $((i % 7)) = 5 ] && port=web
  cat >"$dir/deployment.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $app
  namespace: $ns
  labels: {app: $app, tier: web}
spec:
  selector:
    matchLabels: {app: $app, tier: web}
  template:
    metadata:
      labels: {app: $app, tier: web, version: "$((i % 3))"}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 1000}
      containers:
        - name: php-fpm
          image: ghcr.io/acme/$app:1.$i.0
          ports: [{name: fastcgi, containerPort: 9000}]
          resources:
            requests: {cpu: 250m, memory: 256Mi}
            limits: {memory: 512Mi}
          livenessProbe: {tcpSocket: {port: fastcgi}}
          readinessProbe: {tcpSocket: {port: fastcgi}}
          env:
            - {name: APP_ENV, value: production}
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: $app-db, key: password}}
        - name: nginx
          image: nginx:1.27
          ports: [{name: http, containerPort: 8080}]
          resources:
            requests: {cpu: 50m, memory: 32Mi}
            limits: {memory: 64Mi}
          livenessProbe: {httpGet: {path: /up, port: http}}
          readinessProbe: {httpGet: {path: /health, port: http}}
          lifecycle: {preStop: {sleep: {seconds: 10}}}
EOF
  cat >"$dir/service.yaml" <<EOF
apiVersion: v1
kind: Service
metadata:
  name: $app
  namespace: $ns
spec:
  selector: {app: $app, tier: $tier}
  ports:
    - {name: http, port: 80, targetPort: $port}
EOF
  cat >"$dir/hpa.yaml" <<EOF
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: $app
  namespace: $ns
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: $app}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
EOF
  cat >"$dir/pdb.yaml" <<EOF
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: $app
  namespace: $ns
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: $app}
    matchExpressions: [{key: tier, operator: In, values: [web, api]}]
EOF
  objects=$((objects + 4))
  if [ $((i % 3)) = 0 ]; then
    # A multi-document file: worker Deployment, CronJob and ConfigMap.
    cat >"$dir/workers.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $app-worker
  namespace: $ns
spec:
  replicas: 2
  selector:
    matchLabels: {app: $app, tier: worker}
  template:
    metadata:
      labels: {app: $app, tier: worker}
    spec:
      containers:
        - name: horizon
          image: ghcr.io/acme/$app:1.$i.0
          command: [php, artisan, horizon]
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
          livenessProbe: {exec: {command: [pgrep, -f, horizon]}}
          readinessProbe: {exec: {command: [php, artisan, horizon:status]}}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: $app-schedule
  namespace: $ns
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: schedule
              image: ghcr.io/acme/$app:1.$i.0
              command: [php, artisan, schedule:run]
              resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 128Mi}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: $app-php
  namespace: $ns
data:
  opcache.ini: |
    opcache.enable=1
    opcache.validate_timestamps=0
EOF
    objects=$((objects + 3))
  fi
done
files=$(find "$CORPUS" -name '*.yaml' | wc -l)
bytes=$(du -sb "$CORPUS" | cut -f1)
echo "corpus: $files files, $objects objects, $((bytes / 1024)) KiB" >&2

run() {
  local label=$1
  shift
  local log=$WORK/time.log
  set +e
  /usr/bin/time -v "$BIN" check --format json --fail-on error "$@" "$CORPUS" >"$WORK/out.json" 2>"$log"
  local rc=$?
  set -e
  if [ "$rc" -gt 1 ]; then
    echo "deploylint failed (exit $rc):" >&2
    cat "$log" >&2
    exit 1
  fi
  local wall rss secs cpu findings
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
  # CPU time too: on a busy machine the wall clock mostly measures the others.
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$log")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  # m:ss.cc or h:mm:ss -> seconds
  secs=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  findings=$(grep -o '"code"' "$WORK/out.json" | wc -l)
  awk -v l="$label" -v f="$files" -v o="$objects" -v s="$secs" -v c="$cpu" -v r="$rss" -v n="$findings" 'BEGIN {
    if (s <= 0) s = 0.001
    if (c <= 0) c = 0.001
    printf "%-20s %5d files %6d objects  wall %6.2f s = %7.0f objects/s  cpu %6.2f s = %7.0f objects/cpu-s  peak RSS %5.1f MiB  %5d findings\n",
      l, f, o, s, o / s, c, o / c, r / 1024, n
  }'
}

run "all rules"
run "reliability rules" --select "${SELECT:-K8S04,K8S05}"
run "all rules, 1 thread" -j 1
