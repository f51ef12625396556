#!/usr/bin/env bash
# Helm, so tests can render a chart directory the way `posture scan CHART_DIR` does when helm is on PATH.
# Built from the Go module proxy at a pinned version into $TOOLS/bin. No-op when already there.
set -euo pipefail
: "${TOOLS:?TOOLS must be set (scripts/setup.sh sets it)}"
mkdir -p "$TOOLS/bin"

HELM_VERSION=v3.22.0

if ! "$TOOLS/bin/helm" version --template '{{.Version}}' 2>/dev/null | grep -x "$HELM_VERSION" >/dev/null; then
  printf 'setup: %s\n' "building helm $HELM_VERSION from the Go module proxy (once)" >&2
  # helm's version string comes from a linker flag; without it `helm version` says v3.x-dev.
  GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install -ldflags "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
fi
