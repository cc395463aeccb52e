#!/usr/bin/env python3
"""Times `vigie render CHART` against a `helm template CHART` process.

Usage: perf/helm-render.py [--helm PATH] [--runs N] CHART...
Builds the release binary first; prints the median wall time of each tool
per chart and the ratio. helm is optional (scripts/install-oracles.sh
installs the reference v3.17.3). `cargo bench --bench helm_render` times the
render in process, without the cost of starting a process.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def median_time(command, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            sys.exit(f"{' '.join(command)} exited with {done.returncode}")
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--helm", default=os.environ.get("HELM", "helm"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("charts", nargs="+")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    vigie = os.path.join(ROOT, "target", "release", "vigie")
    for chart in args.charts:
        ours = median_time([vigie, "render", chart], args.runs)
        line = f"{chart}: vigie render {ours * 1000:.1f} ms"
        try:
            theirs = median_time([args.helm, "template", chart], args.runs)
            line += f", helm template {theirs * 1000:.1f} ms ({theirs / ours:.1f}x)"
        except FileNotFoundError:
            line += " (helm not found)"
        print(line)


if __name__ == "__main__":
    main()
