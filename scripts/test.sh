#!/usr/bin/env bash
# The test command the README gives: build everything (tests included) once, then run the suite without rebuilding.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$PATH"
swift build --build-tests
swift test --skip-build "$@"
