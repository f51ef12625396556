#!/usr/bin/env bash
# A real OCI registry (CNCF distribution) and crane (an independent client that seeds it in tests),
# both built from the Go module proxy at pinned versions into $TOOLS/bin. No-op when already there.
set -euo pipefail
: "${TOOLS:?TOOLS must be set (scripts/setup.sh sets it)}"
mkdir -p "$TOOLS/bin"

REGISTRY_VERSION=v3.0.0
CRANE_VERSION=v0.20.6

say() { printf 'setup: %s\n' "$*" >&2; }

if ! "$TOOLS/bin/registry" --version 2>/dev/null | grep " $REGISTRY_VERSION" >/dev/null; then
  say "building distribution registry $REGISTRY_VERSION from the Go module proxy (once)"
  GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install "github.com/distribution/distribution/v3/cmd/registry@$REGISTRY_VERSION" >&2
fi

if [ "$("$TOOLS/bin/crane" version 2>/dev/null)" != "$CRANE_VERSION" ]; then
  say "building crane $CRANE_VERSION from the Go module proxy (once)"
  GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install "github.com/google/go-containerregistry/cmd/crane@$CRANE_VERSION" >&2
fi
