#!/usr/bin/env python3
"""Compares Vigie with the Pod Security Admission test fixtures.

Usage: scripts/pss-conformance.py PSA_TESTDATA [VERSION] [VIGIE]

PSA_TESTDATA is `test/testdata` of a kubernetes/pod-security-admission checkout.
Every fixture under <level>/<VERSION>/fail must yield at least one finding with
`--framework pss-<level>`, and every fixture under <level>/<VERSION>/pass none.
VERSION defaults to the newest policy version present; VIGIE to the release
binary. Exits 1 on any disagreement.
"""
import json
import os
import subprocess
import sys


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = sys.argv[1]
    vigie = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
        os.path.dirname(__file__), "..", "target", "release", "vigie")
    versions = sorted(
        os.listdir(os.path.join(root, "baseline")),
        key=lambda v: tuple(int(p) for p in v.lstrip("v").split(".")))
    version = sys.argv[2] if len(sys.argv) > 2 else versions[-1]
    total = agree = 0
    for level in ("baseline", "restricted"):
        base = os.path.join(root, level, version)
        out = subprocess.run(
            [vigie, "scan", base, "--framework", f"pss-{level}", "--format", "json", "--no-ignore"],
            capture_output=True, text=True)
        if out.returncode == 2:
            print(out.stderr, file=sys.stderr)
            return 2
        report = json.loads(out.stdout)
        flagged = {}
        for finding in report["findings"]:
            flagged.setdefault(finding["location"]["path"], []).append(finding["rule"])
        problems = [d for d in report["diagnostics"] if d["level"] != "note"]
        for problem in problems:
            print(f"diagnostic: {problem}")
        for outcome in ("pass", "fail"):
            directory = os.path.join(base, outcome)
            for name in sorted(os.listdir(directory)):
                path = os.path.relpath(os.path.join(directory, name))
                rules = flagged.get(path, [])
                ok = bool(rules) == (outcome == "fail")
                total += 1
                agree += ok
                if not ok:
                    print(f"DISAGREE {level} {version} {outcome}/{name}: {rules or 'no finding'}")
    print(f"policy {version}: {agree}/{total} fixtures agree ({100.0 * agree / max(total, 1):.1f}%)")
    return 0 if agree == total else 1


if __name__ == "__main__":
    sys.exit(main())
