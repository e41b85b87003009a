#!/usr/bin/env bash
# The README's main job: the local demo on the embedded KubeEmulator (no cluster needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
swift build --product gok
exec .build/debug/gok demo "$@"
