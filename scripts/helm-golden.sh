#!/usr/bin/env bash
# (Re)generates the golden outputs of the Helm differential tests with the
# reference helm (`helm template`, v3.17.3), for every case listed in
# testdata/helm/golden/CASES (name, chart, release name, options). With
# --check, compares instead of writing and fails on any difference.
set -euo pipefail
# Options hold globs (`--show-only charts/*/templates/*`) meant for helm.
set -f
cd "$(dirname "$0")/../testdata/helm"
helm="${HELM:-helm}"
check=false
[ "${1:-}" = "--check" ] && check=true
status=0
while read -r name chart release options; do
  case "$name" in '' | '#'*) continue ;; esac
  golden="golden/$name.yaml"
  # shellcheck disable=SC2086 # options are words, split on purpose
  actual=$("$helm" template "$release" "$chart" $options)
  if $check; then
    if [ "$actual" != "$(cat "$golden")" ]; then
      echo "golden differs from helm: $golden" >&2
      status=1
    fi
  else
    printf '%s\n' "$actual" > "$golden"
  fi
done < golden/CASES
exit $status
