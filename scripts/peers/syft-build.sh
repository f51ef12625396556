#!/usr/bin/env bash
# Builds the syft peer (pinned version) from the Go module proxy into .tools/bin/syft, once.
# Only the image bench uses it (several minutes on two cores); npm test never does.
# A lock keeps two worktrees sharing .tools/ from building it at the same time.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLS=${TOOLS:-$PWD/.tools}
SYFT_VERSION=${SYFT_VERSION:-1.57.1}
mkdir -p "$TOOLS/bin"

# `go install` leaves syft's version string at "[not provided]"; the module version in the binary says which it is.
syft_ok() { [ -x "$TOOLS/bin/syft" ] && go version -m "$TOOLS/bin/syft" 2>/dev/null | grep -qE "^\s+mod\s+github.com/anchore/syft\s+v$SYFT_VERSION\s"; }
syft_ok && exit 0

exec 9>"$TOOLS/.syft-build.lock"
flock 9
syft_ok && exit 0
echo "peers: building syft v$SYFT_VERSION from the Go module proxy (several minutes, once)" >&2
GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod nice -n 10 go install "github.com/anchore/syft/cmd/syft@v$SYFT_VERSION" >&2
syft_ok || { echo "peers: syft v$SYFT_VERSION did not build" >&2; exit 1; }
