#!/usr/bin/env bash
# Regenerates scripts/link-order/<controller>.ld (see scripts/build-release.sh): builds the controllers as
# released, with lld's link maps, runs each one's gok-bench scenario with the controllers under valgrind's
# callgrind, and lists the input sections whose code ran. Run it after larger changes to a controller's code; the
# build stays correct with any script, only the memory of code that moved out of .text.hot grows.
# Needs valgrind (apt). Takes about 10 minutes after the release build.
# Usage: scripts/profile-link-order.sh [controller ...]   (default: all five)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "profile-link-order: valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
controllers=("$@")
if [ ${#controllers[@]} -eq 0 ]; then
    controllers=(source-controller kustomize-controller helm-controller notification-controller image-automation-controller)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/maps" "$work/bin" "$work/profiles"
LINK_MAP_DIR="$work/maps" scripts/build-release.sh "${controllers[@]}" gok-bench kube-emulator
for controller in "${controllers[@]}"; do
    [ -s "$work/maps/$controller.map" ] || { echo "profile-link-order: no link map for $controller" >&2; exit 1; }
done
release=.build-release/release

# gok-bench starts the binaries next to itself: a copy of it and of kube-emulator, and for each controller a
# wrapper that runs a debug-info-free copy (valgrind 3.19 cannot read the toolchain's DWARF 5) under callgrind.
cp "$release/gok-bench" "$release/kube-emulator" "$work/bin/"
for controller in source-controller kustomize-controller helm-controller notification-controller image-automation-controller; do
    if [ -f "$work/maps/$controller.map" ]; then
        objcopy --strip-debug "$release/$controller" "$work/$controller.profiled"
        cat > "$work/bin/$controller" <<WRAPPER
#!/bin/sh
exec valgrind --quiet --tool=callgrind --dump-instr=yes --compress-pos=no --compress-strings=no \\
    --callgrind-out-file="$work/profiles/$controller.%p" "$work/$controller.profiled" "\$@"
WRAPPER
    else
        cp "$release/$controller" "$work/bin/"   # not profiled this time: its benchmark partner runs as is
    fi
    chmod +x "$work/bin/$controller"
done

# Scenarios: each controller's benchmark, scaled down for valgrind's ~50x slowdown.
scenario() {
    case $1 in
        source-controller) echo "git-fleet --count 20 --window 5" ;;
        kustomize-controller) echo "kustomize-fleet --count 40 --timeout 600" ;;
        helm-controller) echo "helm-fleet --count 40 --timeout 600" ;;
        notification-controller) echo "notification-events --seconds 5 --concurrency 8" ;;
        image-automation-controller) echo "image-scan" ;;
    esac
}
# The benchmarks turn the probe and metrics servers off; deployments serve both. One more run per controller:
# start against a kube-emulator with both on, scrape /metrics, ask /healthz and /readyz, stop with SIGTERM.
probes() {
    local controller=$1 directory="$work/probes-$1"
    mkdir -p "$directory"
    "$work/bin/kube-emulator" --port 0 --kubeconfig-out "$directory/kubeconfig" --log-level warning > /dev/null &
    local emulator=$!
    for _ in $(seq 100); do [ -s "$directory/kubeconfig" ] && break; sleep 0.1; done
    kubectl --kubeconfig "$directory/kubeconfig" apply --server-side -f config/crd/bases > /dev/null
    local extra=()
    case $controller in
        notification-controller) extra=(--events-addr 127.0.0.1:19090 --receiver-addr 127.0.0.1:19292) ;;
        source-controller) extra=(--storage-path "$directory/storage" --storage-addr 127.0.0.1:19091
                                  --storage-adv-addr 127.0.0.1:19091) ;;
        image-automation-controller) extra=(--storage-path "$directory/storage") ;;
    esac
    "$work/bin/$controller" --kubeconfig "$directory/kubeconfig" --health-addr 127.0.0.1:19440 \
        --metrics-addr 127.0.0.1:19441 --log-level info "${extra[@]}" > "$directory/log" 2>&1 &
    local pid=$!
    for _ in $(seq 600); do curl -fs http://127.0.0.1:19440/readyz > /dev/null && break; sleep 0.1; done
    for _ in 1 2 3; do
        curl -fs http://127.0.0.1:19440/healthz http://127.0.0.1:19440/readyz http://127.0.0.1:19441/metrics > /dev/null \
            || { echo "profile-link-order: $controller's probes did not answer (log: $directory/log)" >&2; cat "$directory/log" >&2; }
    done
    kill -TERM "$pid"; wait "$pid" || true
    kill -TERM "$emulator"; wait "$emulator" || true
}
for controller in "${controllers[@]}"; do
    echo "profile-link-order: $controller with its probe and metrics servers"
    probes "$controller"
    echo "profile-link-order: gok-bench $(scenario "$controller")"
    # shellcheck disable=SC2046
    "$work/bin/gok-bench" $(scenario "$controller") | sed 's/^/    /'
done
for controller in "${controllers[@]}"; do
    scripts/link-order/hot-text.py "$work/maps/$controller.map" "$work/profiles/$controller".* \
        > "scripts/link-order/$controller.ld"
    echo "profile-link-order: $(head -1 "scripts/link-order/$controller.ld")  -> scripts/link-order/$controller.ld"
done
echo "profile-link-order: rebuild with scripts/build-release.sh to link with the new scripts"
