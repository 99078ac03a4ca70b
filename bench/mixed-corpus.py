#!/usr/bin/env python3
"""Generates a mixed corpus shaped like many Laravel repositories for benchmarking
`deploylint check` on the whole deployment model (run by hand, not a test).

    bench/mixed-corpus.py DIR [FILES]     (default FILES=10000)

Each app has 8 files: a Dockerfile that copies its pool and ini files, a php-fpm
pool split over two files (www.conf + zz-health.conf, as in the official image),
a php.ini and an OPcache conf.d file, a Deployment (php-fpm + nginx), a
multi-document file with the Service, HPA and PDB, and a worker manifest
(Horizon + scheduler CronJob + ConfigMap). Every 7th app has mistakes for the
cross-file rules to find. Apps sit in 20 namespaces; all apps are one workspace.
"""
import os, sys

out = sys.argv[1]
files = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
apps = max(1, files // 8)
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, ".deploylint.yaml"), "w") as f:
    f.write("# benchmark workspace\n")

def w(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)

for i in range(apps):
    ns = "team-%d" % (i % 20)
    app = "app-%d" % i
    d = os.path.join(out, ns, app)
    bad = i % 7 == 3
    w(os.path.join(d, "docker/fpm/Dockerfile"), f"""# syntax=docker/dockerfile:1
FROM composer:2.8 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts --prefer-dist --optimize-autoloader

FROM php:8.3.{14 + i % 3}-fpm-alpine
RUN apk add --no-cache icu-libs libzip && docker-php-ext-install opcache pdo_mysql
COPY docker/php-fpm/ /usr/local/etc/php-fpm.d/
COPY docker/php/php.ini /usr/local/etc/php/php.ini
COPY docker/php/conf.d/opcache.ini /usr/local/etc/php/conf.d/opcache.ini
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY --chown=www-data:www-data . .
USER {"root" if bad else "www-data"}
{"STOPSIGNAL SIGTERM" if bad else ""}
""")
    w(os.path.join(d, "docker/php-fpm/www.conf"), f"""[www]
user = www-data
group = www-data
listen = 9000
pm = dynamic
pm.max_children = {10 + i % 20}
pm.start_servers = 2
pm.min_spare_servers = 1
pm.max_spare_servers = 3
""")
    w(os.path.join(d, "docker/php-fpm/zz-health.conf"), f"""[www]
pm.max_requests = 500
ping.path = /ping
pm.status_path = /status
request_terminate_timeout = {"0" if bad else "60s"}
""")
    w(os.path.join(d, "docker/php/php.ini"), f"""[PHP]
memory_limit = {"-1" if bad else "256M"}
expose_php = Off
display_errors = {"On" if bad else "Off"}
max_execution_time = 60
upload_max_filesize = 20M
post_max_size = 24M
""")
    w(os.path.join(d, "docker/php/conf.d/opcache.ini"), f"""[opcache]
opcache.enable = 1
opcache.enable_cli = 1
opcache.memory_consumption = 256
opcache.max_accelerated_files = 20000
opcache.validate_timestamps = {"1" if bad else "0"}
""")
    w(os.path.join(d, "k8s/deployment.yaml"), f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
  namespace: {ns}
  labels: {{app: {app}, tier: web}}
spec:
  selector:
    matchLabels: {{app: {app}, tier: web}}
  template:
    metadata:
      labels: {{app: {app}, tier: web}}
    spec:
      securityContext: {{runAsNonRoot: true, runAsUser: 82}}
      containers:
        - name: php-fpm
          image: ghcr.io/acme/{app}-fpm:1.{i}.0
          ports: [{{name: fastcgi, containerPort: 9000}}]
          envFrom: [{{configMapRef: {{name: {app}-env}}}}, {{secretRef: {{name: {app}-secrets}}}}]
          resources:
            requests: {{cpu: 250m, memory: 256Mi}}
            limits: {{memory: 512Mi}}
          livenessProbe: {{{"httpGet: {path: /ping, port: fastcgi}" if bad else "tcpSocket: {port: fastcgi}"}}}
          readinessProbe: {{tcpSocket: {{port: fastcgi}}}}
        - name: nginx
          image: nginx:1.27
          ports: [{{name: http, containerPort: 8080}}]
          resources:
            requests: {{cpu: 50m, memory: 32Mi}}
            limits: {{memory: 64Mi}}
          livenessProbe: {{httpGet: {{path: /up, port: http}}}}
          readinessProbe: {{httpGet: {{path: /health, port: http}}}}
""")
    w(os.path.join(d, "k8s/network.yaml"), f"""apiVersion: v1
kind: Service
metadata:
  name: {app}
  namespace: {ns}
spec:
  selector: {{app: {app}, tier: {"frontend" if bad else "web"}}}
  ports: [{{name: http, port: 80, targetPort: http}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {app}
  namespace: {ns}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {app}}}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 70}}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {app}
  namespace: {ns}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {{app: {app}, tier: web}}
""")
    w(os.path.join(d, "k8s/workers.yaml"), f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}-horizon
  namespace: {ns}
spec:
  replicas: 1
  selector:
    matchLabels: {{app: {app}, tier: worker}}
  template:
    metadata:
      labels: {{app: {app}, tier: worker}}
    spec:
      containers:
        - name: horizon
          image: ghcr.io/acme/{app}-fpm:1.{i}.0
          command: [php, artisan, horizon]
          resources: {{requests: {{cpu: 100m, memory: 128Mi}}, limits: {{memory: 256Mi}}}}
          livenessProbe: {{exec: {{command: [php, artisan, horizon:status]}}}}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {app}-schedule
  namespace: {ns}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: schedule
              image: ghcr.io/acme/{app}-fpm:1.{i}.0
              args: [php, artisan, schedule:run]
              resources: {{requests: {{cpu: 50m, memory: 64Mi}}, limits: {{memory: 128Mi}}}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {app}-env
  namespace: {ns}
data:
  APP_ENV: production
  SESSION_DRIVER: {"file" if bad else "redis"}
""")
print("%d apps, %d files in %s" % (apps, apps * 8, out), file=sys.stderr)
