#!/usr/bin/env python3
"""Benchmark: build a large overlay tree with `vigie render` and with
`kubectl kustomize`, and scan it with `vigie scan`.

The generated tree (in a temporary directory, removed afterwards) has one
base of DEPLOYMENTS Deployments, as many Services and a ConfigMap each, and
OVERLAYS overlays of it, each with a namespace, a name prefix, labels, an
image override, a ConfigMap generator, strategic merge patches and a JSON 6902
patch; a top kustomization uses every overlay. Each command runs --runs times;
the median wall time is printed, with the number of documents each printed
(they must agree).

Usage: perf/kustomize-tree.py [--deployments 100] [--overlays 20] [--runs 3]
       [--vigie target/release/vigie] [--kubectl kubectl]
Build Vigie first: cargo build --release
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def generate(root, deployments, overlays):
    base = os.path.join(root, "base")
    resources = []
    for i in range(deployments):
        name = f"svc{i:04d}"
        write(os.path.join(base, f"{name}.yaml"), f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      serviceAccountName: {name}
      containers:
      - name: app
        image: registry.example.com/{name}:1.0.0
        ports:
        - containerPort: 8080
        envFrom:
        - configMapRef:
            name: {name}-settings
        resources:
          limits:
            memory: 256Mi
      - name: proxy
        image: registry.example.com/proxy:2.1
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app: {name}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-settings
data:
  LOG_LEVEL: info
  FEATURE: "on"
""")
        resources.append(f"- {name}.yaml")
    write(os.path.join(base, "kustomization.yaml"), "resources:\n" + "\n".join(resources) + "\n")
    for o in range(overlays):
        overlay = os.path.join(root, "overlays", f"env{o:02d}")
        patches = []
        for i in range(0, deployments, max(1, deployments // 10)):
            name = f"svc{i:04d}"
            write(os.path.join(overlay, f"patch-{name}.yaml"), f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  template:
    spec:
      containers:
      - name: app
        securityContext:
          allowPrivilegeEscalation: false
        env:
        - name: ENV
          value: env{o:02d}
""")
            patches.append(f"- path: patch-{name}.yaml")
        write(os.path.join(overlay, "kustomization.yaml"), f"""apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: env{o:02d}
namePrefix: env{o:02d}-
labels:
- pairs:
    environment: env{o:02d}
  includeSelectors: true
resources:
- ../../base
images:
- name: registry.example.com/proxy
  newTag: "2.2"
configMapGenerator:
- name: shared
  literals:
  - REGION=eu-west-{o}
  - TIER=backend
patches:
{chr(10).join(patches)}
- target:
    kind: Deployment
  patch: |-
    - op: replace
      path: /spec/replicas
      value: 3
""")
    write(os.path.join(root, "kustomization.yaml"),
          "resources:\n" + "".join(f"- overlays/env{o:02d}\n" for o in range(overlays)))


def timed(command, runs):
    times = []
    output = b""
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            sys.exit(f"{' '.join(command)} failed: {result.stderr.decode()[:2000]}")
        output = result.stdout
    return statistics.median(times), output


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deployments", type=int, default=100)
    parser.add_argument("--overlays", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--vigie", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "vigie"))
    parser.add_argument("--kubectl", default="kubectl")
    args = parser.parse_args()
    root = tempfile.mkdtemp(prefix="vigie-kustomize-tree-")
    try:
        generate(root, args.deployments, args.overlays)
        files = sum(len(f) for _, _, f in os.walk(root))
        print(f"tree: {args.overlays} overlays of a base of {args.deployments} Deployments, {files} files")
        vigie_time, vigie_out = timed([args.vigie, "render", root], args.runs)
        vigie_docs = vigie_out.count(b"\n---\n") + vigie_out.startswith(b"---\n")
        print(f"vigie render       {vigie_time:7.2f} s  ({vigie_docs} documents)")
        if shutil.which(args.kubectl) or os.path.exists(args.kubectl):
            kube_time, kube_out = timed([args.kubectl, "kustomize", root], args.runs)
            kube_docs = kube_out.count(b"\n---\n") + 1
            print(f"kubectl kustomize  {kube_time:7.2f} s  ({kube_docs} documents)")
            print(f"speed-up           {kube_time / vigie_time:7.1f} x")
        else:
            print("kubectl not found: the reference build is not timed")
        scan_time, _ = timed([args.vigie, "scan", root, "--format", "json", "--no-ignore"], args.runs)
        print(f"vigie scan (json)  {scan_time:7.2f} s  (build + {args.overlays * args.deployments * 3 + args.overlays} objects checked)")
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
