#!/usr/bin/env bash
# The test command the README gives: build everything (tests included) once, then run the suite without rebuilding.
# Tests run one at a time: the suite starts many real servers and processes, and on a 2-core machine running them
# in parallel turns timing margins into flakes (~45 s serially).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/bin:$PATH"
swift build --build-tests
swift test --skip-build --no-parallel "$@"
