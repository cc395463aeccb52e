#!/usr/bin/env python3
"""Compares `vigie render` with `kubectl kustomize` on every kustomization
under a directory (for example a checkout of a public GitOps repository).

Usage: scripts/kustomize-conformance.py DIR [--vigie PATH] [--kubectl PATH]

Kustomizations that kustomize itself cannot build offline are skipped (and
counted). The others must print the same documents, compared as parsed YAML
(order ignored). Needs PyYAML (`pip install pyyaml`). Exits 1 on any
difference.
"""
import argparse
import json
import os
import subprocess
import sys

try:
    import yaml
except ImportError:
    sys.exit("PyYAML is needed: python3 -m pip install pyyaml")

NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


# A plain `=` is a "value" token to YAML 1.1 readers; it is text to Kubernetes.
yaml.SafeLoader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


def documents(text):
    docs = []
    for doc in yaml.safe_load_all(text):
        if doc is not None:
            docs.append(json.dumps(doc, sort_keys=True, default=str))
    return sorted(docs)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root")
    parser.add_argument("--vigie", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "vigie"))
    parser.add_argument("--kubectl", default="kubectl")
    args = parser.parse_args()
    dirs = sorted(d for d, _, files in os.walk(args.root) if any(n in files for n in NAMES) and "/.git" not in d)
    built = agree = skipped = 0
    for directory in dirs:
        reference = subprocess.run([args.kubectl, "kustomize", directory], capture_output=True, text=True, timeout=120)
        if reference.returncode != 0:
            skipped += 1
            continue
        built += 1
        ours = subprocess.run([args.vigie, "render", directory], capture_output=True, text=True, timeout=120)
        try:
            same = documents(ours.stdout) == documents(reference.stdout)
        except yaml.YAMLError as error:
            same = False
            print(f"  unreadable output: {error}")
        if same and ours.returncode == 0:
            agree += 1
        else:
            print(f"DIFFERENT {directory}: {ours.stderr.strip()[:300]}")
    share = 100.0 * agree / built if built else 100.0
    print(f"{agree}/{built} kustomizations agree ({share:.1f}%); {skipped} not buildable offline by kustomize")
    return 0 if agree == built else 1


if __name__ == "__main__":
    sys.exit(main())
