#!/usr/bin/env bash
# Generates a corpus of Kubernetes manifests for benchmarking `deploylint check`.
#
#   bench/k8s-corpus.sh [DIR] [FILES]     (defaults: /tmp/deploylint-k8s-corpus, 2000)
#
# Each file is one app (5 objects: Deployment, Service, HPA, PDB, ConfigMap), shaped
# like the seeds' Laravel deployments (php-fpm + nginx, Octane, Horizon workers);
# every 10th file has a schema mistake (misspelt field, quoted integer, bad quantity),
# every 25th a custom resource. Then, by hand:
#
#   cargo build --release
#   /usr/bin/time -v target/release/deploylint check -q DIR
#   /usr/bin/time -v target/release/deploylint check -q --ignore K8S100,K8S101,K8S102,K8S103,K8S104,K8S105 DIR
set -euo pipefail
dir=${1:-/tmp/deploylint-k8s-corpus}
files=${2:-2000}
rm -rf "$dir"
mkdir -p "$dir"
for i in $(seq 1 "$files"); do
  case $((i % 3)) in
    0) role=web; cmd='["php-fpm", "-F"]'; port=9000 ;;
    1) role=octane; cmd='["php", "artisan", "octane:start", "--host=0.0.0.0", "--port=8000"]'; port=8000 ;;
    2) role=horizon; cmd='["php", "artisan", "horizon"]'; port=8080 ;;
  esac
  name="app$i-$role"
  probe=livenessProbe
  replicas=2
  memory=512Mi
  if ((i % 10 == 0)); then
    case $(((i / 10) % 3)) in
      0) probe=livenesProbe ;;
      1) replicas='"2"' ;;
      2) memory=512MB ;;
    esac
  fi
  {
    cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $name
  namespace: team-$((i % 7))
  labels:
    app.kubernetes.io/name: $name
    app.kubernetes.io/part-of: shop
spec:
  replicas: $replicas
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app: $name
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: $name
      annotations:
        prometheus.io/scrape: "true"
    spec:
      serviceAccountName: $name
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: 40
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        fsGroup: 1000
        seccompProfile:
          type: RuntimeDefault
      initContainers:
        - name: migrate
          image: ghcr.io/acme/shop:1.$i.0
          command: ["php", "artisan", "migrate", "--force"]
          envFrom:
            - secretRef:
                name: $name-env
      containers:
        - name: $role
          image: ghcr.io/acme/shop:1.$i.0
          imagePullPolicy: IfNotPresent
          args: $cmd
          ports:
            - name: http
              containerPort: $port
              protocol: TCP
          env:
            - name: APP_ENV
              value: production
            - name: DB_HOST
              value: mysql.db.svc.cluster.local
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: $name-db
                  key: password
            - name: POD_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
          $probe:
            tcpSocket:
              port: http
            initialDelaySeconds: 5
            periodSeconds: 10
          readinessProbe:
            httpGet:
              path: /health
              port: http
            periodSeconds: 5
            failureThreshold: 3
          lifecycle:
            preStop:
              exec:
                command: ["sleep", "10"]
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
            limits:
              memory: $memory
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            medium: Memory
            sizeLimit: 64Mi
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app: $name
---
apiVersion: v1
kind: Service
metadata:
  name: $name
  namespace: team-$((i % 7))
spec:
  type: ClusterIP
  selector:
    app: $name
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: $name
  namespace: team-$((i % 7))
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: $name
  minReplicas: 2
  maxReplicas: 20
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: $name
  namespace: team-$((i % 7))
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: $name
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: $name-php
  namespace: team-$((i % 7))
data:
  APP_NAME: shop
  LOG_CHANNEL: stderr
  opcache.ini: |
    opcache.enable=1
    opcache.memory_consumption=256
    opcache.validate_timestamps=0
YAML
    if ((i % 25 == 0)); then
      cat <<YAML
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: $name
spec:
  selector:
    matchLabels:
      app: $name
  endpoints:
    - port: http
YAML
    fi
  } > "$dir/$name.yaml"
done
echo "$files files in $dir"
