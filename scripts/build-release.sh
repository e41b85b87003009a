#!/usr/bin/env bash
# Release builds of the shipped executables (controllers, gok, kube-emulator, gok-bench) into .build-release/.
# - The Swift runtime and Foundation are linked statically (--static-swift-stdlib), as the binaries are shipped:
#   no Swift toolchain in the image, faster start, and 4-5 MiB less resident memory per process than the shared
#   libraries.
# - Non-PIE (as Go links Flux's controllers by default): no start-up relocation of the binary's data, which
#   otherwise turns about 1.5 MiB of it into private dirty memory in every process; the price is a fixed load
#   address for the main executable (shared libraries stay randomized).
# - Linked by lld without --export-dynamic (the static stdlib's link arguments ask for it): nothing loads symbols
#   from an executable, and its 2-3 MiB dynamic symbol table was being paged in by the dynamic loader's lookups.
# - Hot text first: every function is its own section (-function-sections), and a controller's
#   scripts/link-order/<product>.ld, made by scripts/profile-link-order.sh from a profile of that controller's
#   benchmark, gathers the sections that run into one output section. The kernel maps file pages around each
#   fault in 64 KiB windows, so code that runs scattered over 20 MB of text kept 9-13 MiB of it resident;
#   gathered, it is about 4 MiB. A stale script only costs memory: a section it no longer names stays in .text.
# SwiftPM does not notice changed compiler flags: after changing the flags below, rm -rf .build-release.
# Usage: scripts/build-release.sh [product ...]   (default: all executables)
#        LINK_MAP_DIR=dir scripts/build-release.sh …   also writes lld's map of each product to dir/<product>.map
set -euo pipefail
cd "$(dirname "$0")/.."
products=("$@")
if [ ${#products[@]} -eq 0 ]; then
    products=(source-controller kustomize-controller helm-controller notification-controller
              image-automation-controller gok kube-emulator gok-bench)
fi
flags=(-c release --static-swift-stdlib --scratch-path .build-release
       -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
       -Xswiftc -use-ld=lld -Xlinker -no-pie -Xlinker --no-export-dynamic)
bin=$(swift build "${flags[@]}" --show-bin-path)
for product in "${products[@]}"; do
    # SwiftPM does not relink when only a linker script or the map option changed: remove the binary so it does.
    rm -f "$bin/$product"
    link=()
    order="scripts/link-order/$product.ld"
    [ -f "$order" ] && link+=(-Xlinker -T -Xlinker "$PWD/$order")
    [ -n "${LINK_MAP_DIR:-}" ] && link+=(-Xlinker "-Map=$LINK_MAP_DIR/$product.map")
    swift build "${flags[@]}" ${link[@]+"${link[@]}"} --product "$product"
done
echo "binaries in $bin"
