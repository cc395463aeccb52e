#!/usr/bin/env python3
"""Benchmark: scan a generated corpus of 10,000 Deployment manifests.

Usage: perf/scan-10k.py [--runs N] [--count N] [--keep DIR] [--vigie PATH]

Builds nothing: run `cargo build --release` first (the default binary is
target/release/vigie). Generates the corpus in a temporary directory (or DIR),
one Deployment per file across 50 team directories, a tenth of them with
violations, then times `vigie scan CORPUS --format json --output /dev/null` and
reports wall time and the peak resident memory of the scan process. A second
measurement scans the same manifests as one multi-document file.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: service-{i}
  namespace: team-{team}
  labels:
    app.kubernetes.io/name: service-{i}
    app.kubernetes.io/part-of: platform
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: service-{i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: service-{i}
    spec:
      serviceAccountName: service-{i}
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      initContainers:
      - name: migrate
        image: registry.example.com/team-{team}/migrate:1.{i}.0
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop: ["ALL"]
      containers:
      - name: app
        image: registry.example.com/team-{team}/service:1.{i}.0
        ports:
        - containerPort: 8080
          name: http
        env:
        - name: LOG_LEVEL
          value: info
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            memory: 256Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          privileged: {privileged}
          capabilities:
            drop: ["ALL"]
"""


def generate(root, count):
    os.makedirs(root, exist_ok=True)
    single = []
    for i in range(count):
        team = i % 50
        text = DEPLOYMENT.format(i=i, team=team, privileged="true" if i % 10 == 0 else "false")
        directory = os.path.join(root, "files", f"team-{team}")
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, f"service-{i}.yaml"), "w") as f:
            f.write(text)
        single.append(text)
    os.makedirs(os.path.join(root, "single"), exist_ok=True)
    with open(os.path.join(root, "single", "all.yaml"), "w") as f:
        f.write("---\n".join(single))


def measure(vigie, target, runs):
    walls, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(
            [vigie, "scan", target, "--format", "json", "--output", "/dev/null", "--max-file-size", "100MiB"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        stderr = process.stderr.read()
        # wait4 gives this child's own resource usage; ru_maxrss is in KiB on Linux.
        _, status, usage = os.wait4(process.pid, 0)
        walls.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            sys.exit(f"vigie failed ({code}): {stderr}")
    return walls, max(peaks), stderr.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--keep", help="generate the corpus in this directory and keep it")
    parser.add_argument("--vigie", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "vigie"))
    args = parser.parse_args()
    if not os.path.exists(args.vigie):
        sys.exit(f"{args.vigie} not found: run `cargo build --release` first")
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or tmp
        generate(root, args.count)
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(root, "files")) for f in fs)
        print(f"corpus: {args.count} Deployments, {size / 1e6:.1f} MB, cpus: {os.cpu_count()}")
        for label, target in (("one file per manifest", "files"), ("one multi-document file", "single")):
            walls, peak_kib, summary = measure(args.vigie, os.path.join(root, target), args.runs)
            print(f"{label}: wall median {statistics.median(walls):.3f} s, min {min(walls):.3f} s "
                  f"over {args.runs} runs; peak RSS {peak_kib / 1024:.0f} MiB ({summary})")


if __name__ == "__main__":
    main()
