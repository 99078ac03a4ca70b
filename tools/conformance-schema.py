#!/usr/bin/env python3
"""Runs the schema rules (K8S100-K8S105) over a folder of manifests and lists
every finding, so that schema errors in a corpus that should be valid
Kubernetes can be reviewed one by one (false positive, or a real defect of
the corpus).

Usage: tools/conformance-schema.py [DEPLOYLINT] [DIR]
  defaults: target/release/deploylint, ../shared/conformance/k8s
"""

import collections
import json
import re
import subprocess
import sys

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/deploylint"
folder = sys.argv[2] if len(sys.argv) > 2 else "../shared/conformance/k8s"
run = subprocess.run(
    [binary, "check", "--no-color", "--format", "json", "--fail-on", "error",
     "--select", "K8S100,K8S101,K8S102,K8S103,K8S104,K8S105", folder],
    capture_output=True, text=True, check=False,
)
if run.returncode not in (0, 1):
    sys.exit(run.stderr)
diagnostics = json.loads(run.stdout)["diagnostics"]
groups = collections.defaultdict(list)
for d in diagnostics:
    shape = re.sub(r"\[\d+\]", "[i]", re.sub(r" of [^ ]+/[^ :]+", "", d["message"]))
    groups[(d["code"], shape)].append(f'{d["path"]}:{d["range"]["start"]["line"]}')
for (code, shape), where in sorted(groups.items()):
    print(f"{code}  {len(where):3}  {shape}")
    for w in where:
        print(f"            {w}")
print(f"{len(diagnostics)} findings", file=sys.stderr)
