#!/usr/bin/env bash
# Tests the `vigie` pre-commit hook with the real pre-commit tool, in a
# throw-away git repository: a commit that adds a privileged pod is rejected, a
# commit of a hardened pod passes. The hook is built from this repository's HEAD
# (pre-commit clones it at that revision and builds it with cargo).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
revision=$(git -C "$root" rev-parse HEAD)
if ! python3 -m pre_commit --version > /dev/null 2>&1; then
  python3 -m pip install --quiet pre-commit
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
cd "$work"
mkdir repo && cd repo
git init -q -b main
git config user.name "pre-commit test"
git config user.email "test@example.com"
git config commit.gpgsign false
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $root
    rev: $revision
    hooks:
      - id: vigie
        args: [--framework, pss-restricted]
YAML
python3 -m pre_commit install > /dev/null
git add .pre-commit-config.yaml
git commit -q -m "pre-commit configuration"

cat > good.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: good
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: app
    image: registry.example.com/app:1.0.0
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
YAML
git add good.yaml
if ! git commit -q -m "a hardened pod" > "$work/good.log" 2>&1; then
  cat "$work/good.log"
  echo "FAIL: the hook rejected a compliant commit" >&2
  exit 1
fi

sed 's/name: good/name: bad/; s/allowPrivilegeEscalation: false/privileged: true/' good.yaml > bad.yaml
git add bad.yaml
if git commit -q -m "a privileged pod" > "$work/bad.log" 2>&1; then
  cat "$work/bad.log"
  echo "FAIL: the hook accepted a privileged pod" >&2
  exit 1
fi
if ! grep -q "PSS001" "$work/bad.log"; then
  cat "$work/bad.log"
  echo "FAIL: the rejection does not name the finding" >&2
  exit 1
fi
echo "pre-commit hook: the privileged pod was rejected, the hardened one committed"
