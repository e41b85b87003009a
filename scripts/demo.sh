#!/usr/bin/env bash
# The README's main job: the GitOps loop on the embedded KubeEmulator (no cluster needed). `gok demo` starts the
# emulator in-process and the source-, kustomize-, helm- and notification-controller it finds next to itself, so all
# five are built here, one `swift build --product` each (SwiftPM builds one product per invocation).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for product in gok source-controller kustomize-controller helm-controller notification-controller; do
  echo "demo: swift build --product $product (the first build takes a few minutes)" >&2
  if ! swift build --product "$product" >"$log" 2>&1; then
    cat "$log" >&2
    echo "demo: building $product failed" >&2
    exit 1
  fi
done
rm -f "$log"
trap - EXIT
exec .build/debug/gok demo "$@"
