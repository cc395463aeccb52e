#!/usr/bin/env bash
# (Re)generates the golden outputs of the kustomize differential tests with the
# reference kustomize (`kubectl kustomize`), for every root listed in
# testdata/kustomize/builds/ROOTS. With --check, compares instead of writing and
# fails on any difference (used by CI when kubectl is available).
set -euo pipefail
cd "$(dirname "$0")/../testdata/kustomize"
kubectl="${KUBECTL:-kubectl}"
check=false
[ "${1:-}" = "--check" ] && check=true
status=0
while read -r root; do
  [ -z "$root" ] && continue
  golden="golden/${root//\//__}.yaml"
  actual=$("$kubectl" kustomize "builds/$root" 2> /dev/null)
  if $check; then
    if [ "$actual" != "$(cat "$golden")" ]; then
      echo "golden differs from kustomize: $golden" >&2
      status=1
    fi
  else
    printf '%s\n' "$actual" > "$golden"
  fi
done < builds/ROOTS
exit $status
