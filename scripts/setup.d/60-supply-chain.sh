#!/usr/bin/env bash
# Supply-chain tools the tests drive: cosign (signs images in the test registry) and gator (Gatekeeper's
# offline CLI, runs the suites of the exported ConstraintTemplates). Built from the Go module proxy at pinned
# versions into $TOOLS/bin; each is skipped when the binary there already reports its version.
set -euo pipefail
: "${TOOLS:?TOOLS must be set (scripts/setup.sh sets it)}"
mkdir -p "$TOOLS/bin"

COSIGN_VERSION=v3.1.3
GATOR_VERSION=v3.23.1

say() { printf 'setup: %s\n' "$*" >&2; }

if ! "$TOOLS/bin/cosign" version 2>/dev/null | grep "GitVersion: *$COSIGN_VERSION\$" >/dev/null; then
  say "building cosign $COSIGN_VERSION from the Go module proxy (once, a few minutes)"
  GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install \
    -ldflags "-X sigs.k8s.io/release-utils/version.gitVersion=$COSIGN_VERSION" \
    "github.com/sigstore/cosign/v3/cmd/cosign@$COSIGN_VERSION" >&2
fi

if ! "$TOOLS/bin/gator" --version 2>/dev/null | grep "gator version $GATOR_VERSION " >/dev/null; then
  say "building gator $GATOR_VERSION from the Go module proxy (once, a few minutes)"
  GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install \
    -ldflags "-X github.com/open-policy-agent/gatekeeper/v3/pkg/version.Version=$GATOR_VERSION" \
    "github.com/open-policy-agent/gatekeeper/v3/cmd/gator@$GATOR_VERSION" >&2
fi
