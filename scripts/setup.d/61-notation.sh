#!/usr/bin/env bash
# notation v1.3.2 (the Notary Project CLI) signs images in the test registry for the notation signature tests.
# `go install …@v1.3.2` fails against the Go module proxy here, so it is built as the tool of the small module
# in scripts/setup.d/notation (go.mod + go.sum pin every dependency) into $TOOLS/bin; skipped when the binary
# there already reports the version.
set -euo pipefail
: "${TOOLS:?TOOLS must be set (scripts/setup.sh sets it)}"
mkdir -p "$TOOLS/bin"

NOTATION_VERSION=v1.3.2
module="$(cd "$(dirname "$0")/notation" && pwd)"

if ! "$TOOLS/bin/notation" version 2>/dev/null | grep "^Version: *$NOTATION_VERSION\$" >/dev/null; then
  printf 'setup: %s\n' "building notation $NOTATION_VERSION from the Go module proxy (once, a few minutes)" >&2
  tmp="$TOOLS/bin/.notation.$$"
  trap 'rm -f "$tmp"' EXIT
  # Empty build metadata: the binary reports the release version, not "+unreleased".
  (cd "$module" && GOFLAGS=-mod=readonly go build -trimpath \
    -ldflags "-X github.com/notaryproject/notation/internal/version.BuildMetadata=" \
    -o "$tmp" github.com/notaryproject/notation/cmd/notation) >&2
  mv -f "$tmp" "$TOOLS/bin/notation"
fi
