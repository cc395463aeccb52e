#!/usr/bin/env python3
"""Compares `vigie render CHART` with `helm template CHART` on many charts.

Usage: scripts/helm-differential.py [--helm PATH] [--vigie PATH] [--jobs N]
           [--out DIR] CHART_DIR... | @LIST_FILE

Both outputs are parsed as YAML documents and compared as data. Fields that
helm itself generates differently from one run to the next (random
passwords, certificates, UUIDs, and clock-derived values: a third helm run
one second later catches those) are masked on both sides: Vigie's
generators are deterministic, so those values cannot match. Each chart is
reported as SAME, DIFF, VIGIE-FAIL (no output or unreadable output) or
HELM-FAIL (helm cannot render it offline: such charts are not counted).
With --out, the differing documents of each DIFF are written there for
inspection. Exits 1 when a chart differs or fails in Vigie only.

Needs PyYAML (`pip install pyyaml`) and a helm binary (scripts/install-oracles.sh).
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys
import time

import yaml

GENERATED = "<generated>"


def documents(text):
    return [d for d in yaml.safe_load_all(text) if d is not None]


def mask(first, second):
    """`first` with every leaf that differs in `second` replaced by GENERATED."""
    if isinstance(first, dict) and isinstance(second, dict) and first.keys() == second.keys():
        return {k: mask(first[k], second[k]) for k in first}
    if isinstance(first, list) and isinstance(second, list) and len(first) == len(second):
        return [mask(a, b) for a, b in zip(first, second)]
    return first if first == second else GENERATED


def accept_generated(ours, masked):
    """`ours` with GENERATED wherever the masked helm output has it."""
    if masked == GENERATED:
        return GENERATED
    if isinstance(masked, dict) and isinstance(ours, dict) and masked.keys() == ours.keys():
        return {k: accept_generated(ours[k], masked[k]) for k in masked}
    if isinstance(masked, list) and isinstance(ours, list) and len(masked) == len(ours):
        return [accept_generated(a, b) for a, b in zip(ours, masked)]
    return ours


def helm_documents(helm, chart):
    done = subprocess.run([helm, "template", chart], capture_output=True, text=True)
    if done.returncode != 0:
        return None, (done.stderr.strip().splitlines() or [""])[-1]
    try:
        return documents(done.stdout), ""
    except yaml.YAMLError:
        # PyYAML cannot read everything go-yaml writes (`=` as a value):
        # such output is compared as text.
        return done.stdout, ""


def compare(helm, vigie, chart, out):
    theirs, error = helm_documents(helm, chart)
    if theirs is None:
        return "HELM-FAIL", error[:200]
    done = subprocess.run([vigie, "render", chart], capture_output=True, text=True)
    if isinstance(theirs, str):
        same = done.stdout == theirs
        return ("SAME" if same else "DIFF"), "compared as text"
    try:
        ours = documents(done.stdout)
    except yaml.YAMLError as error:
        return "VIGIE-FAIL", f"unreadable output: {error}"[:300]
    if not ours and theirs:
        return "VIGIE-FAIL", done.stderr.strip()[:300]
    for delay in (0, 1.1):
        if ours == theirs:
            return "SAME", f"{len(theirs)} documents"
        time.sleep(delay)
        again, _ = helm_documents(helm, chart)
        if again is None or len(again) != len(theirs):
            break
        theirs = [mask(a, b) for a, b in zip(theirs, again)]
        ours = [accept_generated(o, t) for o, t in zip(ours, theirs)] + ours[len(theirs):]
    if ours == theirs:
        return "SAME", f"{len(theirs)} documents"
    if out:
        os.makedirs(out, exist_ok=True)
        name = os.path.abspath(chart).strip("/").replace("/", "_")
        for suffix, docs in (("helm", theirs), ("vigie", ours)):
            with open(os.path.join(out, f"{name}.{suffix}.yaml"), "w") as f:
                yaml.safe_dump_all(docs, f, sort_keys=True)
        with open(os.path.join(out, f"{name}.stderr"), "w") as f:
            f.write(done.stderr)
    return "DIFF", f"helm {len(theirs)} documents, vigie {len(ours)}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--helm", default=os.environ.get("HELM", "helm"))
    parser.add_argument("--vigie", default="target/release/vigie")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out")
    parser.add_argument("charts", nargs="+")
    args = parser.parse_args()
    charts = []
    for item in args.charts:
        if item.startswith("@"):
            with open(item[1:]) as f:
                charts += [line.strip() for line in f if line.strip()]
        else:
            charts.append(item)
    counts = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        jobs = [pool.submit(compare, args.helm, args.vigie, c, args.out) for c in charts]
        for chart, job in zip(charts, jobs):
            status, detail = job.result()
            counts[status] = counts.get(status, 0) + 1
            print(f"{status:10} {chart}  {detail}", flush=True)
    rendered = sum(n for s, n in counts.items() if s != "HELM-FAIL")
    same = counts.get("SAME", 0)
    print(
        f"{same}/{rendered} identical ({100 * same / max(rendered, 1):.1f}%); "
        + ", ".join(f"{s} {n}" for s, n in sorted(counts.items()))
    )
    return 0 if same == rendered else 1


if __name__ == "__main__":
    sys.exit(main())
