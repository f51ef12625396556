#!/usr/bin/env bash
# Builds the Trivy peer (pinned version) from the Go module proxy into .tools/bin/trivy, once.
# Slow (about 20 minutes on two cores), so only peer and benchmark scripts call it, never npm test.
# A lock keeps two worktrees sharing .tools/ from building it at the same time.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLS=${TOOLS:-$PWD/.tools}
TRIVY_VERSION=${TRIVY_VERSION:-0.74.0}
mkdir -p "$TOOLS/bin"

# `go install` leaves the version string at "dev"; the module version recorded in the binary says which it is.
trivy_ok() { [ -x "$TOOLS/bin/trivy" ] && go version -m "$TOOLS/bin/trivy" 2>/dev/null | grep -qE "^\s+mod\s+github.com/aquasecurity/trivy\s+v$TRIVY_VERSION\s"; }
trivy_ok && exit 0

exec 9>"$TOOLS/.trivy-build.lock"
flock 9
trivy_ok && exit 0
echo "peers: building trivy v$TRIVY_VERSION from the Go module proxy (about 20 minutes, once)" >&2
# Trivy 0.74 needs encoding/json/v2, which Go ships behind GOEXPERIMENT=jsonv2.
GOEXPERIMENT=jsonv2 GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod nice -n 10 \
  go install "github.com/aquasecurity/trivy/cmd/trivy@v$TRIVY_VERSION" >&2
trivy_ok || { echo "peers: trivy v$TRIVY_VERSION did not build" >&2; exit 1; }
