#!/usr/bin/env python3
"""Writes one multi-document Kubernetes manifest of about SIZE megabytes
(Deployments, Services, ConfigMaps in turn; deterministic) for benchmarking.

    bench/big-manifest.py FILE [SIZE_MB]     (default 20)
"""
import os, sys

out = sys.argv[1]
size = int(float(sys.argv[2] if len(sys.argv) > 2 else 20) * 1024 * 1024)
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
written = 0
i = 0
with open(out, "w") as f:
    while written < size:
        app = "app-%d" % i
        doc = f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
  namespace: team-{i % 20}
  labels: {{app: {app}}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: {app}}}
  template:
    metadata:
      labels: {{app: {app}}}
    spec:
      containers:
        - name: php-fpm
          image: ghcr.io/acme/{app}:1.{i}.0
          ports: [{{name: fastcgi, containerPort: 9000}}]
          resources:
            requests: {{cpu: 250m, memory: 256Mi}}
            limits: {{memory: 512Mi}}
          readinessProbe: {{tcpSocket: {{port: fastcgi}}}}
          env:
            - {{name: APP_ENV, value: production}}
            - {{name: LOG_CHANNEL, value: stderr}}
---
apiVersion: v1
kind: Service
metadata:
  name: {app}
  namespace: team-{i % 20}
spec:
  selector: {{app: {app}}}
  ports: [{{name: fcgi, port: 9000, targetPort: fastcgi}}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {app}-env
  namespace: team-{i % 20}
data:
  APP_NAME: "{app}"
  CACHE_DRIVER: redis
---
"""
        f.write(doc)
        written += len(doc)
        i += 1
print("%d bytes, %d apps in %s" % (written, i, out), file=sys.stderr)
