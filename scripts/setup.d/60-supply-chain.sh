#!/usr/bin/env bash
# Supply-chain tools the signature tests drive: cosign (signs images in the test registry). Built from the Go
# module proxy at a pinned version into $TOOLS/bin; skipped when the binary there already reports it.
set -euo pipefail
: "${TOOLS:?TOOLS must be set (scripts/setup.sh sets it)}"
mkdir -p "$TOOLS/bin"

COSIGN_VERSION=v3.1.3

say() { printf 'setup: %s\n' "$*" >&2; }

if ! "$TOOLS/bin/cosign" version 2>/dev/null | grep -q "GitVersion: *$COSIGN_VERSION\$"; then
  say "building cosign $COSIGN_VERSION from the Go module proxy (once, a few minutes)"
  GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install \
    -ldflags "-X sigs.k8s.io/release-utils/version.gitVersion=$COSIGN_VERSION" \
    "github.com/sigstore/cosign/v3/cmd/cosign@$COSIGN_VERSION" >&2
fi
