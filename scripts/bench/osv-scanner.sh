#!/usr/bin/env bash
# The osv-scanner peer (github.com/google/osv-scanner/v2), built from the Go module proxy at a pinned
# version into .tools/bin. Only the vulnerability bench and the peer comparison use it; npm test never does.
set -euo pipefail
cd "$(dirname "$0")/../.."
OSV_SCANNER_VERSION=v2.5.0  # v2.6.0 needs Go 1.27; this machine has 1.26
TOOLS=$PWD/.tools
mkdir -p "$TOOLS/bin"
if ! "$TOOLS/bin/osv-scanner" --version 2>/dev/null | grep -q "${OSV_SCANNER_VERSION#v}"; then
  printf 'bench: building osv-scanner %s from the Go module proxy (once, several minutes)\n' "$OSV_SCANNER_VERSION" >&2
  GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install "github.com/google/osv-scanner/v2/cmd/osv-scanner@$OSV_SCANNER_VERSION" >&2
fi
echo "$TOOLS/bin/osv-scanner"
